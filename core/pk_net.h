/* pk_net.h - the network description: YAML -> validated, shape-inferred IR.
 *
 * A network file (networks/NAME.yaml, format in docs/NETWORK.md) is parsed with
 * libcyaml, every layer's inputs are resolved by name, shapes are inferred
 * and checked, and the result is a flat array of layers in topological order
 * (a layer only reads the network input or layers listed before it).  This IR
 * is what the mapper, the cycle model, the functional simulator and the
 * metrics (sim/pk_metrics.h) consume; none of them re-derive shapes.
 *
 * Hardware support (which widths, activations, pool modes a config has) is
 * NOT checked here: pk_net_t describes the network alone; the simulator
 * checks it against a pk_config_t.
 *
 * Ownership: pk_net_load() allocates *out; release it with pk_net_free().
 * A loaded net is immutable and self-contained (all strings owned by it).
 *
 * Errors: bad input returns PK_EINPUT and fills err as
 *     FILE:LINE: layer NAME: what is wrong and what is allowed
 * (field "layer NAME" for per-layer problems, the YAML key path such as
 * "input.h" or "layers[3].op" for problems found before the layer has a
 * name).  LINE is the line of the layer's list item (or of the key).
 *
 * Limits (bounded memory on hostile input): at most PK_NET_MAX_LAYERS layers;
 * every spatial size, channel count, kernel, stride, padding at most
 * PK_NET_MAX_DIM; all products (elements, MACs, weights) computed in 64 bits
 * with overflow checks.
 */
#ifndef PK_NET_H
#define PK_NET_H

#include <stdint.h>

#include "pk_config.h" /* pk_act_t, pk_config_t (parameter widths) */
#include "pk_error.h"

#define PK_NET_MAX_LAYERS 100000
#define PK_NET_MAX_DIM (1 << 20)
#define PK_NET_MAX_NAME 63     /* layer / network name length */
#define PK_NET_INPUT (-1)      /* input index meaning "the network input" */

/* Layer operations (YAML `op`). */
typedef enum pk_op {
    PK_OP_CONV = 0,           /* conv; groups divides in_c and out_c (in_c: depthwise) */
    PK_OP_FC = 1,             /* fully connected; flattens h*w*c */
    PK_OP_ADD = 2,            /* elementwise add of two equal-shape inputs */
    PK_OP_MAXPOOL = 3,
    PK_OP_AVGPOOL = 4,
    PK_OP_GLOBAL_AVGPOOL = 5, /* output 1 x 1 x c */
    PK_OP_CONCAT = 6,         /* channel concatenation of two inputs with equal
                                 h, w, width and signedness (a layout op: the
                                 producers write adjacent channel ranges) */
    PK_OP_MUL = 7,            /* channel-wise multiply of x (h x w x c) by a 1 x 1 x c
                                 vector s computed by the network (QUANT.md) */
    PK_OP_COUNT = 8
} pk_op_t;

/* Weight quantizer granularity (YAML `quant`): one set of post-processing
 * parameters per output channel, or one for the whole layer. */
typedef enum pk_quant {
    PK_QUANT_PER_CHANNEL = 0,
    PK_QUANT_PER_TENSOR = 1
} pk_quant_t;

/* Normalization (YAML `norm`). */
typedef enum pk_norm {
    PK_NORM_NONE = 0,
    PK_NORM_QUANTNORM = 1,    /* integer: rshr(acc * m_c + b_c, s_c) (QUANT.md) */
    PK_NORM_FLOAT_BN = 2      /* batch norm left in float (not executable on Pike) */
} pk_norm_t;

/* Scaling / requantization (YAML `scale`). */
typedef enum pk_scale {
    PK_SCALE_NONE = 0,
    PK_SCALE_DQ = 1,          /* Double-Quantized: rshr(x * M_c, E_c) (QUANT.md) */
    PK_SCALE_FLOAT = 2        /* float scale factor (not executable on Pike) */
} pk_scale_t;

/* Activation: pk_act_t from pk_config.h (none, relu, clip, prelu, dprelu,
 * rprelu), YAML `act`. */

/* Widths: 1 (binary +-1), 2, 4, 8 (integer), 16 and 32 (float: bf16/fp16
 * and fp32).  pk_width_is_float(b) is b >= 16. */
static inline int pk_width_is_float(int bits) { return bits >= 16; }

typedef struct pk_layer {
    char *name;               /* unique, [A-Za-z0-9_.-]+, not "input" */
    int line;                 /* 1-based line of the layer's list item */
    pk_op_t op;

    /* Inputs: indices of earlier layers, or PK_NET_INPUT.  add, concat: 2,
     * else 1. */
    int n_inputs;
    int input[2];

    /* Geometry.  in_* is the shape of input[0] (for add both are equal; for
     * concat input[1] has out_c - in_c channels). */
    int in_h, in_w, in_c;
    int out_h, out_w, out_c;
    int kh, kw;               /* conv/pool kernel; fc: 1; gap: in_h, in_w; add: 1 */
    int sh, sw;               /* strides (>= 1): vertical, horizontal */
    int pad_t, pad_l, pad_b, pad_r; /* padding (conv: zero-point terms; pool: ignored /
                                 zero-point terms) above, left of, below, right of the
                                 input; each < the kernel size of its axis */
    int groups;               /* conv: divides in_c and out_c; others 1 */
    int depthwise;            /* conv with groups == in_c == out_c > 1 */

    /* Derived counts (64-bit, overflow-checked). */
    int64_t K;                /* reduction length per output element:
                                 conv kh*kw*in_c/groups, fc in_h*in_w*in_c,
                                 pool kh*kw, gap in_h*in_w, add 2, concat 1 */
    int64_t macs;             /* conv: out_h*out_w*out_c*K; fc: out_c*K; else 0 */
    int64_t out_elems;        /* out_h * out_w * out_c */
    int64_t n_weights;        /* conv: out_c*K; fc: out_c*K; else 0 */
    int n_param_sets;         /* post-proc parameter sets: out_c (per-channel) or 1 */

    /* Precision. */
    int w_bits;               /* conv/fc weight width; 0 for other ops */
    int in_bits[2];           /* width of each input tensor as its producer emits it */
    int in_signed[2];         /* signedness of each input tensor */
    int a_bits;               /* width this layer consumes input[0] at (conv/fc:
                                 <= in_bits[0]; smaller = the input is
                                 requantized, e.g. sign() to 1 bit); other ops:
                                 in_bits[0].  ACE's b_a. */
    int a_signed;
    int out_bits;             /* width of the output tensor (next layer's in_bits) */
    int out_signed;           /* 1 = two's complement, 0 = unsigned; 1 for width 1 (+-1) */
    pk_quant_t quant;
    pk_norm_t norm;           /* conv/fc only; PK_NORM_NONE elsewhere */
    pk_scale_t scale;         /* conv/fc/add; avg pools always rescale (QUANT.md) */
    pk_act_t act;             /* conv/fc/add; PK_ACT_NONE for pools */
    int rounding;             /* PK_Q_ROUND_* of pk_quant.h: 0 half up (default),
                                 1 half to even; every rounding shift of the
                                 layer's post-processing (QUANT.md) */
    int in_zero_point;        /* conv, avgpool: value of the padding terms (a value
                                 of the a_bits input; 0 = padding contributes
                                 nothing); QUANT.md "Input zero point" */
    int shifts_set;           /* add: a_shift / r_shift given in the YAML (else 0 and
                                 the generator's rule, pk_net_gen_params) */
    int a_shift, r_shift;     /* add: operand A / B left shifts (QUANT.md t0, t2) */
    int clip_lo, clip_hi;     /* act == clip: bounds in output-code units
                                 (signed 16-bit); else the out range */
    int param_bits;           /* width of integer elementwise parameters assumed
                                 by the metrics (QuantNorm m, DQ mantissa, PReLU
                                 slopes); default 8 */
    int float_bits;           /* width of float elementwise ops (16 or 32) */

    /* Parameter files (resolved relative to the YAML file), or NULL when the
     * deterministic generator supplies them. */
    char *weights_path;
    char *params_path;
} pk_layer_t;

typedef struct pk_net {
    char *source;             /* path loaded from */
    char *name;
    int in_h, in_w, in_c;     /* network input */
    int in_bits, in_signed;
    uint64_t seed;            /* parameter generator seed (default 1) */
    int n_layers;
    pk_layer_t *layers;       /* topological order */
    int64_t total_macs;
} pk_net_t;

/* Load and validate `path`.  On success *out is a new net. */
int pk_net_load(const char *path, pk_net_t **out, pk_error_t *err);

void pk_net_free(pk_net_t *net);

/* Index of the layer called `name`, or -1. */
int pk_net_find(const pk_net_t *net, const char *name);

/* Enum names as spelled in YAML ("conv", "per_channel", "quantnorm", "dq",
 * ...); "?" for an out-of-range value. */
const char *pk_op_name(pk_op_t op);
const char *pk_quant_name(pk_quant_t q);
const char *pk_norm_name(pk_norm_t n);
const char *pk_scale_name(pk_scale_t s);
/* (pk_act_name() is in pk_config.h.) */

/* ---- Deterministic parameters ------------------------------------------
 *
 * Generator: splitmix64 (Steele, Lea, Flood 2014): state += 0x9E3779B97F4A7C15,
 * then the 64-bit finalizer (z ^= z >> 30; z *= 0xBF58476D1CE4E5B9;
 * z ^= z >> 27; z *= 0x94D049BB133111EB; z ^= z >> 31).  Every layer has two
 * streams, seeded with pk_rng_layer_seed(net->seed, layer_index, stream):
 * stream 0 gives the weights (in the order of pk_net_gen_weights), stream 1
 * the parameters (in the order of pk_net_gen_params), so a layer's numbers
 * depend neither on other layers nor on whether its weights were drawn.
 * The simulator and the RTL checker both call these functions, so they see
 * the same numbers.  (Implemented in pk_net_params.c.)
 */
typedef struct pk_rng {
    uint64_t state;
} pk_rng_t;

void pk_rng_seed(pk_rng_t *r, uint64_t seed);
uint64_t pk_rng_next(pk_rng_t *r);
/* Uniform integer in [lo, hi] (inclusive, lo <= hi), unbiased (rejection). */
int64_t pk_rng_range(pk_rng_t *r, int64_t lo, int64_t hi);
/* splitmix64 finalizer of (net_seed ^ (layer_index * 2 + stream + 1) * golden). */
uint64_t pk_rng_layer_seed(uint64_t net_seed, int layer_index, int stream);

/* Weight codes of layer li (conv/fc), n_weights of them, layout
 * [out_c][kh][kw][in_c/groups] (fc: [out_c][in_h][in_w][in_c]).  Each is the
 * value (not the raw code): for w_bits 1, -1 or +1; for b in {2,4,8}, uniform
 * in [-(2^(b-1)-1), 2^(b-1)-1] (symmetric: the most negative code is not
 * drawn).  Float widths draw the 8-bit range.  Returns PK_EINPUT (err set)
 * for a layer without weights. */
int pk_net_gen_weights(const pk_net_t *net, int li, int32_t *out, pk_error_t *err);

/* Post-processing parameters of one channel, values as in docs/QUANT.md. */
typedef struct pk_chan_params {
    int32_t m;   /* QuantNorm multiplier m_c (signed) */
    int32_t b;   /* QuantNorm bias b_c (signed) */
    int32_t s;   /* QuantNorm shift s_c (unsigned) */
    int32_t M;   /* DQ mantissa M_c (unsigned) */
    int32_t E;   /* DQ exponent E_c (unsigned) */
    int32_t an;  /* negative-side slope an_c (signed) */
    int32_t ap;  /* positive-side slope ap_c (signed, dprelu) */
    int32_t g;   /* RPReLU shift gamma g_c (signed 16-bit) */
    int32_t z;   /* RPReLU shift zeta z_c (signed 16-bit) */
} pk_chan_params_t;

/* Layer-level shifts of the post-processing chain (QUANT.md). */
typedef struct pk_layer_params {
    int act_shift;  /* slope scale: slope value = an / 2^act_shift */
    int a_shift;    /* add: operand A left shift */
    int r_shift;    /* add / fused residual: operand B left shift */
} pk_layer_params_t;

/* Parameters of layer li: n_param_sets entries into chan (may be NULL when
 * only lp is wanted), and the layer-level shifts into lp.  Ranges fit the
 * widths of cfg->postproc (qn_mult_bits, qn_bias_bits, qn_shift_bits,
 * dq_mant_bits, dq_exp_bits, act_param_bits, act_shift_bits,
 * residual_shift_bits) and are chosen so that the output spreads over the
 * output range without saturating everything (the rule is in
 * docs/NETWORK.md).  cfg may be NULL: then the fallback widths listed in
 * docs/NETWORK.md are assumed. */
int pk_net_gen_params(const pk_net_t *net, int li, const pk_config_t *cfg,
                      pk_chan_params_t *chan, pk_layer_params_t *lp,
                      pk_error_t *err);

/* ---- Parameters from files or generator --------------------------------
 *
 * What the simulator should call: the layer's weights_path / params_path
 * file when the network names one (NumPy .npy, docs/NETWORK.md "From
 * files"; shapes were checked by pk_net_load), else the generator above.
 * File weights must fit w_bits (binary: -1 or +1); file parameters are taken
 * as they are (QUANT.md wraps a field that does not fit).  The layer-level
 * shifts (lp) come from the generator's rule, except an add's a_shift /
 * r_shift when its YAML gives them (pk_net_gen_params applies those too).
 */
int pk_net_layer_weights(const pk_net_t *net, int li, int32_t *out, pk_error_t *err);
int pk_net_layer_params(const pk_net_t *net, int li, const pk_config_t *cfg,
                        pk_chan_params_t *chan, pk_layer_params_t *lp, pk_error_t *err);

#endif
