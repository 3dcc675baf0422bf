/* pk_onnx.h - ONNX model reader: a .onnx file -> a checked, topologically
 * ordered graph (docs/IMPORT.md).
 *
 * The protobuf decoding is protobuf-c code generated at build time by
 * protoc-c from the onnx.proto that Debian's libonnx-dev installs (no schema
 * is vendored).  pk_onnx_load() decodes the file and checks everything the
 * importer (pk_onnx_import.h) relies on, so that a hostile or broken model
 * is one clear error and never a crash:
 *   - the file is at most PK_ONNX_MAX_FILE bytes and decodes as a ModelProto
 *     (a truncated or corrupt protobuf is refused);
 *   - opsets: the default domain ("" / "ai.onnx") at a version in
 *     [PK_ONNX_MIN_OPSET, PK_ONNX_MAX_OPSET]; other domains only the QONNX
 *     ones ("qonnx.custom_op.general", "finn.custom_op.general", ...);
 *   - initializers: stored inside the file (external data is refused), one of
 *     the supported data types, dims >= 0, element count computed with
 *     overflow checks and at most PK_ONNX_MAX_ELEMS, and exactly as many
 *     stored elements as the dims say;
 *   - the graph: at most PK_ONNX_MAX_NODES nodes, every value produced once,
 *     every node input produced by a node, an initializer or a graph input,
 *     and no cycle (the nodes are sorted topologically; a node on a cycle is
 *     named in the error).
 *
 * Errors: PK_EINPUT with file = the model path and field "node NAME (OpType)"
 * (or "model", "initializer NAME", "opset"), so pk_error_format() gives
 *     FILE: node NAME (OpType): what is wrong and why
 * Ownership: pk_onnx_load() allocates *out; pk_onnx_free() releases it.
 * The accessors below (for the importer) live in pk_onnx_int.h.
 */
#ifndef PK_ONNX_H
#define PK_ONNX_H

#include <stdint.h>

#include "pk_error.h"

#define PK_ONNX_MAX_FILE (512LL << 20)   /* bytes */
#define PK_ONNX_MAX_NODES 100000
#define PK_ONNX_MAX_ELEMS (1LL << 28)    /* elements of one initializer */
#define PK_ONNX_MIN_OPSET 10
#define PK_ONNX_MAX_OPSET 23

typedef struct pk_onnx pk_onnx_t;

/* Read and check `path`.  On success *out is a new model. */
int pk_onnx_load(const char *path, pk_onnx_t **out, pk_error_t *err);

void pk_onnx_free(pk_onnx_t *m);

/* Number of nodes (after the checks). */
int pk_onnx_n_nodes(const pk_onnx_t *m);

#endif
