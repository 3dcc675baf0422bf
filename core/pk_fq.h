/* pk_fq.h - pikequant's float side: a float ONNX model read by the project's
 * ONNX reader (pk_onnx.h), executed in C on one image at a time, its
 * activation ranges collected over a calibration batch, and rewritten into
 * a QONNX model (Quant nodes on weights and activations) that the importer
 * (pk_onnx_import.h) turns into a Pike network.  docs/PIKEQUANT.md.
 *
 * Float executor ops (NCHW, batch 1): Conv (any group dividing both channel
 * counts, square or not, pads, strides), Gemm, MatMul (constant right-hand
 * side), BatchNormalization (inference), Relu, Clip, PRelu, MaxPool,
 * AveragePool, GlobalAveragePool, Add, Mul / Div by constants, Concat
 * (axis 1), Flatten, Reshape to (N, K), Transpose (layout only on 1 x 1),
 * Identity, Softmax.  Anything else is an error naming the node.
 *
 * Ownership: pk_fq_load() allocates *out (it owns its pk_onnx_t);
 * pk_fq_free() releases it.  Errors are PK_EINPUT naming file and node.
 */
#ifndef PK_FQ_H
#define PK_FQ_H

#include <stdint.h>

#include "pk_error.h"

typedef struct pk_fq pk_fq_t;

/* Quantization recipe (docs/PIKEQUANT.md). */
typedef enum pk_fq_recipe { PK_FQ_W8A8 = 0, PK_FQ_W4A4 = 1, PK_FQ_PIKELPN = 2 } pk_fq_recipe_t;

typedef struct pk_fq_opts {
    pk_fq_recipe_t recipe;
    double percentile;   /* activation range: 100 = min/max, else this percentile of |x| */
    int per_tensor;      /* weights of every layer but the first and last: one scale per tensor */
} pk_fq_opts_t;

/* Read `path` and infer every value's shape from the graph input. */
int pk_fq_load(const char *path, pk_fq_t **out, pk_error_t *err);
void pk_fq_free(pk_fq_t *q);

/* Per-image input element count (C*H*W or K) and output element count. */
int64_t pk_fq_in_count(const pk_fq_t *q);
int64_t pk_fq_out_count(const pk_fq_t *q);

/* Run one image.  x: the input in HWC order (as pikesim takes it; the
 * executor transposes to the model's NCHW).  y (optional, out_count
 * floats): the graph output. */
int pk_fq_run(pk_fq_t *q, const float *x, float *y, pk_error_t *err);

/* Collect activation ranges over n images (x: n * in_count floats, HWC). */
int pk_fq_calibrate(pk_fq_t *q, const float *x, int64_t n, const pk_fq_opts_t *o,
                    pk_error_t *err);

/* Meller 2019 cross-layer factorization of the float weights (in place;
 * pk_fq_factorize.c): returns the number of layer pairs rescaled. */
int pk_fq_factorize(pk_fq_t *q);

/* Write the QONNX model of the recipe to `path` (after pk_fq_calibrate). */
int pk_fq_write_qonnx(pk_fq_t *q, const pk_fq_opts_t *o, const char *path, pk_error_t *err);

/* The float value a Pike layer's output stands for: the conv / gemm node
 * whose name the importer turned into `pike_name`, followed through the ops
 * folded into it (BN, activations, constant add / mul) to the quantized
 * value.  Returns the value index, or -1.  Valid after pk_fq_write_qonnx. */
int pk_fq_layer_value(const pk_fq_t *q, const char *pike_name);

/* Value v of the last pk_fq_run (NCHW: c x h x w floats) and its
 * activation scale (code = round(x / scale)). */
const float *pk_fq_value(const pk_fq_t *q, int v, int *c, int *h, int *w, double *scale);

#endif
