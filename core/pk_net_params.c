/* pk_net_params.c - deterministic weights and post-processing parameters
 * (the generator half of pk_net.h; the rule is written out in
 * docs/NETWORK.md, "Deterministic parameters").
 *
 * Why a closed-form gain: random weights give an accumulator whose spread
 * grows with sqrt(K) and the operand widths; a fixed QuantNorm would either
 * saturate every output or zero it.  So each layer's multiplier/shift pair
 * is chosen from an estimate of the accumulator's RMS,
 *     rms(acc) = sqrt(K * E[w^2] * E[a^2])
 * (weights and activations taken as uniform over their code ranges), to map
 * it onto a quarter of the output range, then jittered per channel so that
 * per-channel parameters actually differ.  No floating-point result leaves
 * this file: every parameter is rounded here, once, in a fixed order, so any
 * consumer sees the same integers.
 */
#include "pk_net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "pk_npy.h"

/* ---- splitmix64 ---------------------------------------------------------- */

void pk_rng_seed(pk_rng_t *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t pk_rng_next(pk_rng_t *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int64_t pk_rng_range(pk_rng_t *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1; /* 0 = the full 2^64 range */
    if (span == 0)
        return (int64_t)pk_rng_next(r);
    uint64_t limit = UINT64_MAX - UINT64_MAX % span; /* reject the biased tail */
    uint64_t v;
    do
        v = pk_rng_next(r);
    while (v >= limit);
    return (int64_t)((uint64_t)lo + v % span);
}

uint64_t pk_rng_layer_seed(uint64_t net_seed, int layer_index, int stream)
{
    pk_rng_t r = { net_seed ^ ((uint64_t)layer_index * 2 + (uint64_t)stream + 1) *
                                  0x9E3779B97F4A7C15ull };
    return pk_rng_next(&r);
}

/* Uniform double in [0, 1) from the top 53 bits. */
static double unit(pk_rng_t *r)
{
    return (double)(pk_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double uni(pk_rng_t *r, double lo, double hi)
{
    return lo + (hi - lo) * unit(r);
}

/* ---- weights ------------------------------------------------------------- */

/* Largest weight magnitude drawn at width b (float widths use 8 bits). */
static int wmax(int b)
{
    if (b == 1)
        return 1;
    if (b > 8)
        b = 8;
    return (1 << (b - 1)) - 1;
}

int pk_net_gen_weights(const pk_net_t *net, int li, int32_t *out, pk_error_t *err)
{
    if (li < 0 || li >= net->n_layers)
        return pk_error_set(err, PK_EINPUT, net->source, 0, "layer", "no layer %d", li);
    const pk_layer_t *L = &net->layers[li];
    if (L->op != PK_OP_CONV && L->op != PK_OP_FC)
        return pk_error_set(err, PK_EINPUT, net->source, L->line, "layer", "%s: op %s has no weights",
                            L->name, pk_op_name(L->op));
    pk_rng_t r;
    pk_rng_seed(&r, pk_rng_layer_seed(net->seed, li, 0));
    int m = wmax(L->w_bits);
    for (int64_t i = 0; i < L->n_weights; i++)
        out[i] = L->w_bits == 1 ? ((pk_rng_next(&r) >> 63) ? 1 : -1)
                                : (int32_t)pk_rng_range(&r, -m, m);
    return 0;
}

/* ---- parameters ---------------------------------------------------------- */

typedef struct {
    int qn_mult, qn_bias, qn_shift, dq_mant, dq_exp, act_param, act_shift, res_shift;
} widths_t;

/* Used when no hardware config is given (listed in docs/NETWORK.md). */
static const widths_t fallback = { 8, 16, 5, 8, 5, 8, 3, 3 };

/* E[w^2] of the weight generator above. */
static double w_ms(int b)
{
    double m = wmax(b);
    return b == 1 ? 1.0 : m * (m + 1) / 3.0;
}

/* E[a^2] of codes uniform over an activation range. */
static double a_ms(int b, int is_signed)
{
    if (b == 1)
        return 1.0;
    if (b > 8)
        b = 8;
    double n = ldexp(1.0, b);
    if (is_signed) /* uniform over [-n/2, n/2 - 1] */
        return (n * n + 2) / 12.0;
    return (n - 1) * (2 * n - 1) / 6.0;
}

/* RMS the pre-activation value should have, in output-code units. */
static double target_rms(const pk_layer_t *L)
{
    int b = L->out_bits;
    if (b == 1)
        return 1.0;
    if (b > 8)
        b = 8;
    return L->out_signed ? ldexp(1.0, b - 1) / 2.0 : ldexp(1.0, b) / 4.0;
}

static int64_t clampi(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Pick (mantissa, exponent) with mant / 2^exp ~= g, mantissa at most mant_max,
 * exponent in [0, exp_max]: the largest exponent that keeps the mantissa in
 * range, for the most precision. */
static int pick_exp(double g, int64_t mant_max, int exp_max)
{
    if (g <= 0)
        return 0;
    int e = (int)floor(log2((double)mant_max / g));
    return (int)clampi(e, 0, exp_max);
}

int pk_net_gen_params(const pk_net_t *net, int li, const pk_config_t *cfg,
                      pk_chan_params_t *chan, pk_layer_params_t *lp, pk_error_t *err)
{
    if (li < 0 || li >= net->n_layers)
        return pk_error_set(err, PK_EINPUT, net->source, 0, "layer", "no layer %d", li);
    const pk_layer_t *L = &net->layers[li];
    widths_t w = fallback;
    if (cfg) {
        w.qn_mult = cfg->postproc.qn_mult_bits;
        w.qn_bias = cfg->postproc.qn_bias_bits;
        w.qn_shift = cfg->postproc.qn_shift_bits;
        w.dq_mant = cfg->postproc.dq_mant_bits;
        w.dq_exp = cfg->postproc.dq_exp_bits;
        w.act_param = cfg->postproc.act_param_bits;
        w.act_shift = cfg->postproc.act_shift_bits;
        w.res_shift = cfg->postproc.residual_shift_bits;
    }
    const int64_t qm_max = ((int64_t)1 << (w.qn_mult - 1)) - 1;
    const int64_t qb_max = ((int64_t)1 << (w.qn_bias - 1)) - 1;
    const int qs_max = (int)(((int64_t)1 << w.qn_shift) - 1);
    const int64_t dm_max = ((int64_t)1 << w.dq_mant) - 1;
    const int de_max = (int)(((int64_t)1 << w.dq_exp) - 1);
    const int64_t ap_max = ((int64_t)1 << (w.act_param - 1)) - 1;

    /* RMS of the value entering post-processing (t0), in its own units. */
    double rms;
    if (L->op == PK_OP_CONV || L->op == PK_OP_FC)
        rms = sqrt((double)L->K * w_ms(L->w_bits) * a_ms(L->a_bits, L->a_signed));
    else if (L->op == PK_OP_ADD)
        rms = sqrt(2.0 * a_ms(L->in_bits[0] > L->in_bits[1] ? L->in_bits[0] : L->in_bits[1],
                              L->in_signed[0]));
    else if (L->op == PK_OP_MUL) /* x * s: the product of the operands' RMS */
        rms = sqrt(a_ms(L->in_bits[0], L->in_signed[0]) * a_ms(L->in_bits[1], L->in_signed[1]));
    else
        rms = (double)L->K * sqrt(a_ms(L->in_bits[0], L->in_signed[0])); /* window sum */
    if (rms < 1.0)
        rms = 1.0;
    double tgt = target_rms(L);
    double gain = tgt / rms;

    pk_layer_params_t lpv = { 0, 0, 0 };
    lpv.act_shift = (int)clampi(w.act_param - 2, 0, ((int64_t)1 << w.act_shift) - 1);
    if (L->op == PK_OP_ADD) {
        /* align the narrower operand to the wider one's range */
        int d = L->in_bits[0] - L->in_bits[1];
        int rs_max = (int)(((int64_t)1 << w.res_shift) - 1);
        if (d > 0 && L->in_bits[0] <= 8)
            lpv.r_shift = (int)clampi(d, 0, rs_max);
        else if (d < 0 && L->in_bits[1] <= 8)
            lpv.a_shift = (int)clampi(-d, 0, rs_max);
        if (L->shifts_set) /* from the YAML (an imported add: the operands' scale ratio) */
            lpv.a_shift = L->a_shift, lpv.r_shift = L->r_shift;
    }
    if (L->op == PK_OP_AVGPOOL || L->op == PK_OP_GLOBAL_AVGPOOL) {
        /* rescale = 1/window times the width change (QUANT.md, pooling) */
        gain = 1.0 / (double)L->K;
        if (L->out_bits <= 8 && L->in_bits[0] <= 8)
            gain = ldexp(gain, L->out_bits - L->in_bits[0]);
    }

    int use_qn = L->norm == PK_NORM_QUANTNORM;
    int use_dq = L->scale == PK_SCALE_DQ || L->op == PK_OP_AVGPOOL ||
                 L->op == PK_OP_GLOBAL_AVGPOOL;
    int s = use_qn ? pick_exp(gain, qm_max, qs_max) : 0;
    /* with QuantNorm doing the gain, DQ is a near-identity fine scale */
    double dq_gain = use_qn ? 1.0 : gain;
    int E = use_dq ? pick_exp(dq_gain, dm_max, de_max) : 0;

    pk_rng_t r;
    pk_rng_seed(&r, pk_rng_layer_seed(net->seed, li, 1));
    int per_tensor_pool = L->op != PK_OP_CONV && L->op != PK_OP_FC && L->op != PK_OP_ADD &&
                          L->op != PK_OP_MUL;
    for (int c = 0; c < L->n_param_sets && chan; c++) {
        /* fixed draw order: m, b, M, an, ap, g, z (all drawn, even if unused) */
        double jm = uni(&r, 0.75, 1.25), jb = uni(&r, -0.5, 0.5), jM = uni(&r, 0.9, 1.1);
        double jan = uni(&r, 0.05, 0.3), jap = uni(&r, 0.75, 1.0);
        double jg = uni(&r, -0.125, 0.125), jz = uni(&r, -0.125, 0.125);
        pk_chan_params_t *p = &chan[c];
        p->m = 1;
        p->b = 0;
        p->s = 0;
        p->M = 1;
        p->E = 0;
        if (use_qn) {
            p->m = (int32_t)clampi(llround(gain * ldexp(1.0, s) * jm), 1, qm_max);
            p->s = s;
            p->b = (int32_t)clampi(llround(jb * rms * p->m), -qb_max, qb_max);
        }
        if (use_dq) {
            double j = per_tensor_pool ? 1.0 : jM;
            p->M = (int32_t)clampi(llround(dq_gain * ldexp(1.0, E) * j), 1, dm_max);
            p->E = E;
        }
        double one = ldexp(1.0, lpv.act_shift);
        p->an = (int32_t)clampi(llround(jan * one), -ap_max - 1, ap_max);
        p->ap = (int32_t)clampi(llround(jap * one), -ap_max - 1, ap_max);
        p->g = (int32_t)clampi(llround(jg * tgt), -32768, 32767);
        p->z = (int32_t)clampi(llround(jz * tgt), -32768, 32767);
    }
    if (lp)
        *lp = lpv;
    return 0;
}

/* ---- files or generator -------------------------------------------------- */

static int file_err(const pk_net_t *net, const pk_layer_t *L, const char *what,
                    const pk_error_t *e, pk_error_t *err)
{
    char field[128];
    snprintf(field, sizeof field, "layer %s", L->name);
    return pk_error_set(err, e->code, net->source, L->line, field, "%s %s: %s", what, e->file,
                        e->msg);
}

int pk_net_layer_weights(const pk_net_t *net, int li, int32_t *out, pk_error_t *err)
{
    if (li < 0 || li >= net->n_layers || !net->layers[li].weights_path)
        return pk_net_gen_weights(net, li, out, err);
    const pk_layer_t *L = &net->layers[li];
    pk_npy_t h;
    pk_error_t e = { 0 };
    if (pk_npy_header(L->weights_path, &h, &e) ||
        pk_npy_read_i32(L->weights_path, &h, out, L->n_weights, &e))
        return file_err(net, L, "weights", &e, err);
    int lo = L->w_bits == 1 ? -1 : -(1 << ((L->w_bits > 8 ? 8 : L->w_bits) - 1));
    int hi = L->w_bits == 1 ? 1 : -lo - 1;
    for (int64_t i = 0; i < L->n_weights; i++)
        if (out[i] < lo || out[i] > hi || (L->w_bits == 1 && out[i] == 0)) {
            char field[128];
            snprintf(field, sizeof field, "layer %s", L->name);
            return pk_error_set(err, PK_EINPUT, net->source, L->line, field,
                                "weights %s: element %lld is %d, outside the %d-bit range "
                                "%s", L->weights_path, (long long)i, out[i], L->w_bits,
                                L->w_bits == 1 ? "{-1, +1}" : "of signed codes");
        }
    return 0;
}

int pk_net_layer_params(const pk_net_t *net, int li, const pk_config_t *cfg,
                        pk_chan_params_t *chan, pk_layer_params_t *lp, pk_error_t *err)
{
    int rc = pk_net_gen_params(net, li, cfg, chan, lp, err);
    if (rc || !net->layers[li].params_path || !chan)
        return rc;
    const pk_layer_t *L = &net->layers[li];
    int64_t n = (int64_t)L->n_param_sets * 9;
    int32_t *v = malloc((size_t)n * sizeof *v);
    if (!v)
        return pk_error_set(err, PK_ENOMEM, net->source, 0, "", "out of memory");
    pk_npy_t h;
    pk_error_t e = { 0 };
    if (pk_npy_header(L->params_path, &h, &e) || pk_npy_read_i32(L->params_path, &h, v, n, &e)) {
        free(v);
        return file_err(net, L, "params", &e, err);
    }
    for (int c = 0; c < L->n_param_sets; c++) {
        const int32_t *r = v + (int64_t)c * 9;
        chan[c] = (pk_chan_params_t){ r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] };
    }
    free(v);
    return 0;
}
