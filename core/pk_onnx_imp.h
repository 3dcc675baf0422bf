/* pk_onnx_imp.h - the importer's working state (internal to core/:
 * pk_onnx_import.c walks the graph, pk_onnx_fit.c turns scales into Pike
 * parameters, pk_onnx_emit.c writes the network).
 *
 * While walking the graph in topological order every ONNX value is one of
 * the val_t kinds below.  A Pike tensor (imp_tensor_t) is the network input
 * or a layer's output, with the model's scale / zero point; a float value
 * between a DequantizeLinear and the next QuantizeLinear is a "view" of one
 * (V_DQ) or a layer under construction (V_ACC: a conv / fc / add whose
 * output is r_c * acc + o_c in the model's float domain, times the output
 * scale once it is known).  QuantizeLinear / Quant on a V_ACC finishes the
 * layer (imp_finish()). */
#ifndef PK_ONNX_IMP_H
#define PK_ONNX_IMP_H

#include <stdint.h>

#include "pk_net.h"
#include "pk_onnx_import.h"
#include "pk_onnx_int.h"

enum { RM_EVEN = 0, RM_AWAY = 1 };   /* model rounding: half to even / half away from 0 */

typedef struct imp_tensor {
    int layer;               /* producing layer, -1 = network input */
    double scale;
    int zp;
    int bits, is_signed;
    int h, w, c;
    int consumers;           /* ONNX consumers of the quantized value */
} imp_tensor_t;

/* Window geometry of a Conv / pool: kernel, strides, pads (ONNX pads =
 * [top, left, bottom, right]); out = (in + pads - k) / s + 1 per axis. */
typedef struct imp_geom {
    int kh, kw, sh, sw;
    int pt, pl, pb, pr;
} imp_geom_t;

static inline int imp_geom_oh(const imp_geom_t *g, int h)
{
    return (h + g->pt + g->pb - g->kh) / g->sh + 1;
}

static inline int imp_geom_ow(const imp_geom_t *g, int w)
{
    return (w + g->pl + g->pr - g->kw) / g->sw + 1;
}

typedef struct imp_layer {
    char name[PK_NET_MAX_NAME + 1];
    const Onnx__NodeProto *node; /* for messages */
    const char *suffix;      /* appended to the node's name (a layer the importer inserts) */
    pk_op_t op;
    int n_in, in[2];         /* tensor indices */
    int out_t;               /* output tensor (-1 while pending) */
    int out_c, groups;
    imp_geom_t g;            /* conv / pools (others: 1x1, stride 1, no padding) */
    int w_bits;
    int32_t *w;              /* Pike layout [out_c][kh][kw][cin_g] / fc [out_c][h][w][c] */
    int64_t n_w;
    double *alpha, *beta;    /* per out channel: value = alpha * acc + beta (float domain) */
    double *amax;            /* per out channel: bound of |acc| */
    int in_zp;               /* padded conv: the input's zero point (in_zero_point) */
    int a_shift, r_shift;    /* add: operand left shifts aligning scales s_A = 2^k s_B */
    int trunc;               /* QONNX Trunc on the output: 1 + t (shift by t bits), 0 = none */
    int trunc_floor;         /* its rounding: 1 FLOOR, 0 ROUND (half to even) */
    double vlo, vhi;         /* pending clip in the float domain */
    int code_lo, code_hi;    /* clip in output codes (after finish) */
    double *slope;           /* pending PRelu: negative-side slope per out channel, NULL = none */
    int rounding;            /* Pike rounding (PK_Q_ROUND_*): half_even for RM_EVEN */
    /* fitted (imp_finish) */
    pk_chan_params_t *p;
    int n_p, use_qn, use_dq;
    double worst;            /* worst-case |error| bound in LSBs, 0 = exact */
    int exact;
    int why;                 /* WHY_* bits: what makes it inexact */
    /* the widths an exact QuantNorm (add: DQ) form of every channel needs
     * (imp_finish): m, b signed bits, s (E) field bits, the intermediate
     * acc * m + b; 0 = no such layer / not computable */
    int need_mult, need_bias, need_shift, need_internal;
} imp_layer_t;

/* WHY_SLOPE: a PRelu slope is not an_c / 2^act_shift within act_param_bits;
 * WHY_PRELU: Pike applies the slope to the rounded code (two roundings). */
/* WHY_TRUNC: a Trunc after a rescale that is not an integer (two roundings). */
enum { WHY_SCALE = 1, WHY_TIES = 2, WHY_TWO = 8, WHY_SLOPE = 16, WHY_PRELU = 32, WHY_TRUNC = 64 };

typedef enum vkind {
    V_NONE = 0, V_FIN, V_QT, V_DQ, V_CONST, V_WQ, V_ACC, V_HOST,
    V_CAT                    /* a Concat of inputs of different quantization, until its Q */
} vkind_t;

typedef struct val {
    vkind_t k;
    int t;                   /* V_QT, V_DQ, V_HOST: tensor */
    int flat;                /* V_QT / V_DQ: flattened to (N, h*w*c) in ONNX (NCHW) order */
    int l;                   /* V_ACC: layer */
    int t2;                  /* V_CAT: the second input tensor (t: the first) */
    const Onnx__NodeProto *cat; /* V_CAT: the Concat node */
    const Onnx__TensorProto *c; /* V_CONST */
    /* V_WQ: a quantized constant */
    int32_t *codes;
    double *scale;
    int64_t n, n_scale;
    int axis, bits, is_signed;
    int64_t dims[4];
    int ndims;
    /* V_FIN: graph input shape (N, C, H, W) or (N, K) */
    int64_t in_dims[4];
    int in_ndims;
} val_t;

typedef struct imp {
    const pk_onnx_t *m;
    const pk_config_t *cfg;
    const pk_onnx_opts_t *opts;
    int force_dq;            /* conv / fc: two-stage (DQ) forms only (pk_onnx_import_dq) */
    val_t *vals;             /* parallel to m->tab */
    imp_tensor_t *t;
    int n_t, cap_t;
    imp_layer_t *l;
    int n_l, cap_l;
    int have_input;
    pk_onnx_io_t io;
    char net_name[PK_NET_MAX_NAME + 1];
} imp_t;

/* The value slot of `name` (NULL if the name is unknown). */
val_t *imp_val(imp_t *im, const char *name);

/* Finish pending layer li with output quantizer (scale, zp, bits, signed,
 * rounding): fit its parameters to cfg, create its output tensor. */
int imp_finish(imp_t *im, int li, double scale, int zp, int bits, int is_signed, int rm,
               pk_error_t *err);

/* Write out_dir/NET.yaml and the .npy files. */
int imp_emit(imp_t *im, const char *out_dir, char *yaml_path, size_t len, pk_error_t *err);
/* pk_onnx_check: one line per layer with parameters to f (exact, or its
 * bound and the config keys too narrow); returns the inexact layers. */
int imp_check(imp_t *im, FILE *f);

/* Helpers of the graph walk (pk_onnx_import.c). */
int imp_consumers(imp_t *im, const char *name);
val_t *imp_in(imp_t *im, const Onnx__NodeProto *n, size_t k);   /* NULL if absent */
val_t *imp_out(imp_t *im, const Onnx__NodeProto *n);
int imp_const_scalar(imp_t *im, const Onnx__NodeProto *n, size_t k, double *out);
double *imp_const_values(imp_t *im, const Onnx__NodeProto *n, size_t k, int64_t *cnt);
int imp_new_layer(imp_t *im, const Onnx__NodeProto *n, pk_op_t op, int n_sets, pk_error_t *err);
int imp_new_tensor(imp_t *im, pk_error_t *err);

/* The op handlers (pk_onnx_ops.c): 0 or an error naming the node. */
typedef int (*imp_op_fn)(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_conv(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_gemm(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_relu(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_clip(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_prelu(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_maxpool(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_add(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_concat(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
/* Quantizing a V_CAT value x with (scale, zp, bits, signed, rm):
 * a requantization layer (avgpool 1x1 with its QuantNorm) for each input of
 * another quantization, then the concat; returns its output tensor or < 0. */
int imp_concat_requant(imp_t *im, const val_t *x, double scale, int zp,
                       int bits, int is_signed, int rm, pk_error_t *err);
int imp_op_layout(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_identity(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_host(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_batchnorm(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_muldiv(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_bipolar(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);
int imp_op_avgpool(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err);

/* add and mul: layers rescaled by the DQ stage only (M / 2^E, no offset). */
static inline int imp_dq_only(const imp_layer_t *L)
{
    return L->op == PK_OP_ADD || L->op == PK_OP_MUL;
}

/* Code range of a (bits, signed) tensor. */
void imp_code_range(int bits, int is_signed, int *lo, int *hi);

#endif
