/* pk_fq_int.h - pikequant's float model (internal to core/pk_fq*.c).
 *
 * Values are numbered 0 = the graph input, 1 + i = the output of node i (in
 * the reader's topological order; every supported op has one output).  A
 * value is a (c, h, w) NCHW tensor of batch 1; a flat (N, K) value has
 * c = K, h = w = 1, flat = 1.  Constant operands (weights, biases, BN, clip
 * bounds, slopes) are read once at load into float arrays the model owns,
 * so that factorization can change them and the writer emits them. */
#ifndef PK_FQ_INT_H
#define PK_FQ_INT_H

#include "pk_fq.h"
#include "pk_onnx_int.h"

typedef enum fq_op {
    FQ_CONV, FQ_GEMM, FQ_BN, FQ_RELU, FQ_CLIP, FQ_PRELU, FQ_MAXPOOL, FQ_AVGPOOL, FQ_GAP,
    FQ_ADD, FQ_ADDC, FQ_MULC, FQ_CONCAT, FQ_FLAT, FQ_SOFTMAX, FQ_ID
} fq_op_t;

typedef struct fq_node {
    const Onnx__NodeProto *n;
    fq_op_t op;
    int in[2];               /* value indices (-1: none) */
    int n_in;
    int c, h, w, flat;       /* output shape */
    /* conv / gemm: weights in va [oc][ic/group][kh][kw] (gemm: [oc][K]), n_w of them;
     * b [oc] (NULL: no bias) */
    float *b;
    int64_t n_w;
    int oc, icg, kh, kw, sh, sw, pt, pl, group, count_pad;
    /* bn, addc, mulc, prelu: per-channel (or single: n_v == 1) a, b */
    float *va, *vb;
    int64_t n_v;
    float lo, hi;            /* clip */
    int w_in;                /* index of the weight input (Quant inserted there) */
} fq_node_t;

typedef struct fq_range {
    float mn, mx;            /* min / max over the calibration batch */
    float pmax;              /* the percentile of |x| (== max(|mn|,|mx|) at 100) */
    double qscale;           /* the writer's activation scale (0: not quantized) */
} fq_range_t;

struct pk_fq {
    pk_onnx_t *m;
    int n;                   /* nodes */
    fq_node_t *nd;
    int in_c, in_h, in_w, in_flat;
    float **buf;             /* per value (n + 1) */
    fq_range_t *rng;         /* per value, after calibration */
    int calibrated;
    int out_v;               /* the graph output's value */
    int *pos;                /* graph node index -> topological position (-2: Constant) */
};

/* Element count of value v. */
int64_t fq_count(const pk_fq_t *q, int v);

/* Shape of value v. */
void fq_shape(const pk_fq_t *q, int v, int *c, int *h, int *w, int *flat);

#endif
