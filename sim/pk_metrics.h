/* pk_metrics.h - analytical cost of a network: MACs, ACE, ACEv2.
 *
 * Computed from the network IR alone (pk_net.h), no hardware involved.
 *
 * ACE (PokeBNN, Zhang et al. 2022; google/aqt size_stats):
 *     ACE = sum over conv and fc layers of  MACs * b_w * b_a
 * b_a is the layer's INPUT activation width as the layer consumes it
 * (pk_layer_t.a_bits); an unquantized (float) operand counts as
 * unquant_bits (16, bf16).  Integer, exact.
 *
 * ACEv2 (Pike definition; PikeLPN, Neseem et al. 2024, extends ACE to the
 * elementwise operations but its constants could not be read from a public
 * source, so Pike defines them - docs/NETWORK.md, "ACEv2"):
 *     ACEv2 = ACE + sum over elementwise ops of their cost, where per element
 *       multiply  x*y      costs b_x * b_y
 *       add/sub   x+y      costs max(b_x, b_y)
 *       shift, compare, clip costs b_x (operand width)
 * The operand widths are derived per layer (integer chain: accumulator width
 * b_w + b_a + ceil(log2 K) and param_bits; float chain: float_bits), and how
 * many of each operation every elementwise stage performs per element is a
 * table (pk_metrics_const_t) the user can change.  Reports must call the
 * result "ACEv2 (Pike definition)".
 *
 * No allocation; no state.  All functions are pure.
 */
#ifndef PK_METRICS_H
#define PK_METRICS_H

#include <stdint.h>

#include "pk_net.h"

/* Elementwise cost categories of the ACEv2 breakdown. */
typedef enum pk_ew_kind {
    PK_EW_NORM = 0,     /* QuantNorm / float batch norm */
    PK_EW_SCALE = 1,    /* DQ requant / float scale */
    PK_EW_ACT = 2,      /* relu, clip, prelu, dprelu, rprelu */
    PK_EW_QUANT = 3,    /* output rounding+saturation, input requantization */
    PK_EW_RESIDUAL = 4, /* add layers (the addition and its alignment) */
    PK_EW_POOL = 5,     /* max/avg/global-avg pooling */
    PK_EW_COUNT = 6
} pk_ew_kind_t;

const char *pk_ew_kind_name(pk_ew_kind_t k); /* "norm", "scale", ... */

/* Operations per element of one elementwise stage. */
typedef struct pk_ew_ops {
    double mul;    /* multiplies */
    double add;    /* adds / subtracts */
    double shift;  /* shifts (incl. rounding shifts) */
    double cmp;    /* compares / clamps (one bound = one compare) */
} pk_ew_ops_t;

/* The ACEv2 table.  pk_metrics_const_default() fills the values documented
 * in docs/NETWORK.md; every field may be changed (pk_metrics_const_set()). */
typedef struct pk_metrics_const {
    int unquant_bits;      /* ACE width of a float MAC operand (16) */
    int float_bits;        /* 0: each layer's float_bits; else 16 or 32 for all */
    int param_bits;        /* 0: each layer's param_bits; else for all */
    int rprelu_shift_bits; /* width of RPReLU's gamma/zeta (16) */

    /* per output element of a conv/fc/add layer, integer chain */
    pk_ew_ops_t quantnorm;   /* x*m + b, >> s:      1 mul, 1 add, 1 shift */
    pk_ew_ops_t dq;          /* x*M >> E:           1 mul, 1 shift */
    pk_ew_ops_t relu;        /* max(x, 0):          1 cmp */
    pk_ew_ops_t clip;        /* min(max(x,lo),hi):  2 cmp */
    pk_ew_ops_t prelu;       /* x<0 ? x*a>>k : x:   1 cmp, 1 mul, 1 shift */
    pk_ew_ops_t dprelu;      /* x*(x<0?an:ap)>>k:   1 cmp, 1 mul, 1 shift */
    pk_ew_ops_t rprelu;      /* prelu(x-g)+z:       1 cmp, 1 mul, 1 shift, 2 add */
    pk_ew_ops_t out_int;     /* saturate to the output width: 2 cmp (binary: see out_bin) */
    pk_ew_ops_t out_bin;     /* binarize (sign): 1 cmp */
    pk_ew_ops_t residual;    /* add layer: 1 add + 1 alignment shift */

    /* float chain (float_bits wide) */
    pk_ew_ops_t float_bn;    /* folded batch norm: 1 mul, 1 add */
    pk_ew_ops_t float_scale; /* x * scale: 1 mul */
    pk_ew_ops_t float_quant; /* float -> int code: 1 add (round) + 2 cmp (clip) */

    /* per INPUT element of a conv/fc whose a_bits < the input tensor width */
    pk_ew_ops_t in_requant_int;   /* integer: 1 shift + 2 cmp (binary: 1 cmp) */
    pk_ew_ops_t in_requant_float; /* float: 1 mul (scale) + float_quant */

    /* pooling, per window term beyond the first (max: cmp; avg: add), plus
     * the avg rescale once per output element (dq, or float_scale) */
    pk_ew_ops_t maxpool_term;
    pk_ew_ops_t avgpool_term;
} pk_metrics_const_t;

void pk_metrics_const_default(pk_metrics_const_t *k);

/* Override one constant by name: "unquant_bits", "float_bits", "param_bits",
 * "rprelu_shift_bits", or "<stage>.<mul|add|shift|cmp>" with stage one of
 * quantnorm, dq, relu, clip, prelu, dprelu, rprelu, out_int, out_bin,
 * residual, float_bn, float_scale, float_quant, in_requant_int,
 * in_requant_float, maxpool_term, avgpool_term.  value >= 0.
 * Returns 0, or PK_EINPUT with err set ("acev2: unknown constant 'x'"). */
int pk_metrics_const_set(pk_metrics_const_t *k, const char *name, double value,
                         pk_error_t *err);

/* Cost of one layer (or a network total). */
typedef struct pk_metrics {
    int64_t macs;
    int64_t ace;                 /* exact */
    double ew[PK_EW_COUNT];      /* ACEv2 elementwise cost by kind */
    double ew_total;             /* sum of ew[] */
    double acev2;                /* ace + ew_total */
    /* element counts of the elementwise work, for reports */
    int64_t ew_elems;            /* output elements that went through post-processing */
} pk_metrics_t;

/* Layer li of net.  k NULL = defaults. */
void pk_metrics_layer(const pk_net_t *net, int li, const pk_metrics_const_t *k,
                      pk_metrics_t *out);

/* Whole network: per_layer (net->n_layers entries, may be NULL) and total. */
void pk_metrics_net(const pk_net_t *net, const pk_metrics_const_t *k,
                    pk_metrics_t *per_layer, pk_metrics_t *total);

/* The accumulator width b_w + b_a + ceil(log2 K) of a conv/fc layer (float
 * operands count as the layer's float width: then the chain is float). */
int pk_metrics_acc_bits(const pk_layer_t *L);

#endif
