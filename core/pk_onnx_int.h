/* pk_onnx_int.h - the checked ONNX graph as the importer sees it (internal to
 * core/: pk_onnx.c fills it, pk_onnx_import*.c read it).  Exposes the
 * protobuf-c structures generated from onnx.proto at build time. */
#ifndef PK_ONNX_INT_H
#define PK_ONNX_INT_H

#include <stdarg.h>
#include <stdint.h>

#include "onnx.pb-c.h"
#include "pk_onnx.h"

/* ONNX TensorProto data types the reader accepts. */
enum {
    PK_ONNX_FLOAT = 1, PK_ONNX_UINT8 = 2, PK_ONNX_INT8 = 3, PK_ONNX_UINT16 = 4,
    PK_ONNX_INT16 = 5, PK_ONNX_INT32 = 6, PK_ONNX_INT64 = 7, PK_ONNX_DOUBLE = 11
};

/* What a value name refers to. */
typedef enum pk_onnx_src {
    PK_ONNX_SRC_NONE = 0,
    PK_ONNX_SRC_INPUT = 1,   /* a graph input that is not an initializer */
    PK_ONNX_SRC_INIT = 2,    /* an initializer (or a Constant node's value) */
    PK_ONNX_SRC_NODE = 3     /* output of a node */
} pk_onnx_src_t;

typedef struct pk_onnx_slot {
    const char *key;
    pk_onnx_src_t src;
    int index;               /* NODE: the node's index in g->node[] (not in order[]) */
    const Onnx__TensorProto *tensor; /* INIT: the data */
    int consumers;           /* how many node inputs read it */
} pk_onnx_slot_t;

struct pk_onnx {
    char *path;
    Onnx__ModelProto *model;
    const Onnx__GraphProto *g;
    int opset;                      /* default-domain opset version */
    int n_nodes;
    const Onnx__NodeProto **order;  /* topological order */
    size_t tab_cap;                 /* power of two */
    pk_onnx_slot_t *tab;            /* value name -> source (open addressing) */
};

/* The slot of value `name`, or NULL. */
const pk_onnx_slot_t *pk_onnx_value(const pk_onnx_t *m, const char *name);

/* The initializer called `name` (or a Constant node's tensor), or NULL. */
const Onnx__TensorProto *pk_onnx_init(const pk_onnx_t *m, const char *name);

/* Element count of a checked tensor (product of dims). */
int64_t pk_onnx_count(const Onnx__TensorProto *t);

/* Every element of t as a double into out[0..n), n == pk_onnx_count(t). */
void pk_onnx_values(const Onnx__TensorProto *t, double *out, int64_t n);

/* Attributes of a node: value, or def when absent (ints: count into *n, NULL
 * when absent; string: NUL-terminated copy into buf). */
int64_t pk_onnx_attr_i(const Onnx__NodeProto *n, const char *name, int64_t def);
double pk_onnx_attr_f(const Onnx__NodeProto *n, const char *name, double def);
const int64_t *pk_onnx_attr_ints(const Onnx__NodeProto *n, const char *name, size_t *count);
const char *pk_onnx_attr_s(const Onnx__NodeProto *n, const char *name, char *buf, size_t len);

/* The node's display name: its name, else its first output. */
const char *pk_onnx_node_name(const Onnx__NodeProto *n);

/* Record "PATH: node NAME (OpType): msg" as PK_EINPUT; returns PK_EINPUT. */
int pk_onnx_node_err(const pk_onnx_t *m, const Onnx__NodeProto *n, pk_error_t *err,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
