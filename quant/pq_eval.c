/* pq_eval.c - pikequant's report numbers (see pq_eval.h).
 *
 * Design: the network is compiled once with its data; per image the input
 * is quantized with the model's input quantizer (round half to even, as the
 * Quant node that pikequant wrote), pk_func_run gives every tensor's codes,
 * and the float executor the reference values.  Per layer the signal and
 * the noise energies (float value vs scale x decoded code, the Pike tensor's
 * HWC layout mapped to the float NCHW one) are summed over the batch.  The
 * layer-isolated error runs the layer's hardware layer alone
 * (pk_func_layer) on the float model's input to it, quantized by the layer's
 * input quantizer, in place of the Pike codes that carry earlier layers' error.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_func.h"
#include "pk_sim.h"
#include "pq_eval.h"

static int decode(uint8_t code, int bits, int is_signed)
{
    int v = code & ((1 << bits) - 1);
    return is_signed && bits > 1 && (v >> (bits - 1)) ? v - (1 << bits) : v;
}

static void quantize_input(const pk_net_t *net, const pk_onnx_io_t *io, const float *x, int64_t n,
                           uint8_t *codes)
{
    int lo = net->in_signed ? -(1 << (net->in_bits - 1)) : 0;
    int hi = net->in_signed ? (1 << (net->in_bits - 1)) - 1 : (1 << net->in_bits) - 1;
    for (int64_t i = 0; i < n; i++) {
        double r = nearbyint((double)x[i] / io->in_scale) + io->in_zp;
        r = r < lo ? lo : r > hi ? hi : r;
        codes[i] = (uint8_t)(int)r;
    }
}

/* Add the signal / noise energy of output codes `codes` (tensor T) against
 * float value v of this image to *sig, *noise. */
static void energy(pk_fq_t *q, const pk_tensor_t *T, const uint8_t *codes, int v, double *sig,
                   double *noise)
{
    int c, h, w;
    double scale;
    const float *f = pk_fq_value(q, v, &c, &h, &w, &scale);
    if ((int64_t)T->h * T->w * T->c != (int64_t)c * h * w)
        return;
    for (int ch = 0; ch < c; ch++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double ref = f[((int64_t)ch * h + y) * w + x];
                double got = scale * decode(codes[((int64_t)y * w + x) * c + ch], T->bits,
                                            T->is_signed);
                *sig += ref * ref;
                *noise += (ref - got) * (ref - got);
            }
}

/* The net layer whose float value tensor tin stands for (-2: the network
 * input; -1: none). */
static int value_of(const pk_hwnet_t *hw, const int *ref, int tin)
{
    if (tin == 0)
        return -2;
    for (int p = 0; p < hw->net->n_layers; p++)
        if (hw->net_out_tensor[p] == tin && ref[p] >= 0)
            return p;
    return -1;
}

/* Layer-isolated error: per net layer li, the hardware layer writing its
 * output (hwl[li]), the net layer whose float value is its input (src[li];
 * -2: the network input, whose codes are the float input quantized; -1: not
 * measured: no float reference, or a residual operand) and a max pool
 * between them (pre[li], -1: none): max commutes with the monotone
 * quantizer, so the pool runs on the quantized float value. */
static void iso_plan(const pk_hwnet_t *hw, const int *ref, int *hwl, int *src, int *pre)
{
    int L = hw->net->n_layers;
    for (int li = 0; li < L; li++) {
        hwl[li] = src[li] = pre[li] = -1;
        for (int i = 0; ref[li] >= 0 && i < hw->n_layers; i++)
            if (hw->layers[i].t_out == hw->net_out_tensor[li] && !hw->layers[i].is_requant &&
                hw->layers[i].t_res < 0)
                hwl[li] = i;
        if (hwl[li] < 0)
            continue;
        int tin = hw->layers[hwl[li]].t_in;
        src[li] = value_of(hw, ref, tin);
        for (int i = 0; src[li] == -1 && i < hw->n_layers; i++) {
            const pk_hwlayer_t *P = &hw->layers[i];
            if (P->t_out == tin && !P->is_requant &&
                hw->net->layers[P->net_layer].op == PK_OP_MAXPOOL &&
                (src[li] = value_of(hw, ref, P->t_in)) != -1)
                pre[li] = i;
        }
    }
}

/* Float value v quantized to tensor T's codes (HWC; the Quant nodes pikequant
 * writes: zero point 0, round half to even, saturated). */
static void quantize_value(pk_fq_t *q, int v, const pk_tensor_t *T, uint8_t *codes)
{
    int c, h, w;
    double scale;
    const float *f = pk_fq_value(q, v, &c, &h, &w, &scale);
    int lo = T->is_signed ? -(1 << (T->bits - 1)) : 0;
    int hi = T->is_signed ? (1 << (T->bits - 1)) - 1 : (1 << T->bits) - 1;
    for (int ch = 0; ch < c; ch++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double r = nearbyint((double)f[((int64_t)ch * h + y) * w + x] / scale);
                r = r < lo ? lo : r > hi ? hi : r;
                codes[((int64_t)y * w + x) * c + ch] = (uint8_t)(int)r;
            }
}

/* Run hardware layer hl alone on `in` (for its input tensor) into `out`. */
static int run_alone(const pk_hwnet_t *hw, uint8_t **t, int hl, uint8_t *in, uint8_t *out,
                     pk_error_t *err)
{
    const pk_hwlayer_t *H = &hw->layers[hl];
    uint8_t *keep_in = t[H->t_in], *keep_out = t[H->t_out];
    t[H->t_in] = in;
    t[H->t_out] = out;
    int rc = pk_func_layer(hw, hl, t, err);
    t[H->t_in] = keep_in;
    t[H->t_out] = keep_out;
    return rc;
}

/* This image's isolated energies of every planned layer (buffers a, b, out
 * of the largest tensor's size). */
static int iso_image(pk_fq_t *q, const pk_hwnet_t *hw, uint8_t **t, const int *ref,
                     const int *hwl, const int *src, const int *pre, uint8_t *a, uint8_t *b,
                     uint8_t *out, double *sig, double *noise, pk_error_t *err)
{
    for (int li = 0; li < hw->net->n_layers; li++) {
        if (src[li] == -1)
            continue;
        int first = pre[li] >= 0 ? pre[li] : hwl[li], rc = 0;
        const pk_hwlayer_t *F = &hw->layers[first], *H = &hw->layers[hwl[li]];
        uint8_t *in = t[F->t_in];
        if (src[li] >= 0)
            quantize_value(q, ref[src[li]], &hw->tensors[F->t_in], in = a);
        if (pre[li] >= 0)
            rc = run_alone(hw, t, pre[li], in, b, err), in = b;
        if (!rc)
            rc = run_alone(hw, t, hwl[li], in, out, err);
        if (rc)
            return rc;
        energy(q, &hw->tensors[H->t_out], out, ref[li], &sig[li], &noise[li]);
    }
    return 0;
}

static double snr_of(double sig, double noise, int valid)
{
    return !valid || !(sig > 0) ? NAN : noise > 0 ? 10 * log10(sig / noise) : INFINITY;
}

static int64_t argmax_codes(const uint8_t *c, int64_t n, int bits, int is_signed)
{
    int64_t best = 0;
    for (int64_t i = 1; i < n; i++)
        if (decode(c[i], bits, is_signed) > decode(c[best], bits, is_signed))
            best = i;
    return best;
}

static int64_t argmax_f(const float *y, int64_t n)
{
    int64_t best = 0;
    for (int64_t i = 1; i < n; i++)
        if (y[i] > y[best])
            best = i;
    return best;
}

static int64_t largest_tensor(const pk_hwnet_t *hw)
{
    int64_t m = 1;
    for (int i = 0; i < hw->n_tensors; i++) {
        const pk_tensor_t *T = &hw->tensors[i];
        m = (int64_t)T->h * T->w * T->c > m ? (int64_t)T->h * T->w * T->c : m;
    }
    return m;
}

/* Working arrays of one evaluation. */
typedef struct ev {
    int *ref, *hwl, *src, *pre;
    double *sig, *noise, *isig, *inoise;
    uint8_t *codes, *a, *b, *out;
    float *y;
} ev_t;

static void ev_free(ev_t *v)
{
    free(v->ref), free(v->hwl), free(v->src), free(v->pre), free(v->sig), free(v->noise);
    free(v->isig), free(v->inoise), free(v->codes), free(v->a), free(v->b), free(v->out), free(v->y);
}

static int ev_alloc(ev_t *v, int L, int64_t in, int64_t no, int64_t big)
{
    v->ref = malloc((size_t)L * sizeof *v->ref);
    v->hwl = malloc((size_t)L * sizeof *v->hwl);
    v->src = malloc((size_t)L * sizeof *v->src);
    v->pre = malloc((size_t)L * sizeof *v->pre);
    v->sig = calloc((size_t)L, sizeof *v->sig);
    v->noise = calloc((size_t)L, sizeof *v->noise);
    v->isig = calloc((size_t)L, sizeof *v->isig);
    v->inoise = calloc((size_t)L, sizeof *v->inoise);
    v->codes = malloc((size_t)in);
    v->a = malloc((size_t)big);
    v->b = malloc((size_t)big);
    v->out = malloc((size_t)big);
    v->y = malloc((size_t)no * sizeof *v->y);
    return v->ref && v->hwl && v->src && v->pre && v->sig && v->noise && v->isig && v->inoise &&
           v->codes && v->a && v->b && v->out && v->y;
}

int pq_eval(pk_fq_t *q, const pk_net_t *net, const pk_config_t *cfg, const pk_onnx_io_t *io,
            const float *x, const int32_t *labels, int64_t n, pq_eval_t *out, pk_error_t *err)
{
    memset(out, 0, sizeof *out);
    pk_hwnet_t *hw = NULL;
    int rc = pk_compile(net, cfg, 1, &hw, err);
    if (rc)
        return rc;
    int L = net->n_layers;
    int64_t in = pk_fq_in_count(q), no = pk_fq_out_count(q);
    ev_t v = { 0 };
    out->snr_db = malloc((size_t)L * sizeof *out->snr_db);
    out->iso_db = malloc((size_t)L * sizeof *out->iso_db);
    if (!ev_alloc(&v, L, in, no, largest_tensor(hw)) || !out->snr_db || !out->iso_db)
        rc = pk_error_set(err, PK_ENOMEM, "pikequant", 0, "eval", "out of memory");
    for (int li = 0; !rc && li < L; li++)
        v.ref[li] = pk_fq_layer_value(q, net->layers[li].name);
    if (!rc)
        iso_plan(hw, v.ref, v.hwl, v.src, v.pre);
    const pk_tensor_t *TL = &hw->tensors[hw->net_out_tensor[L - 1]];
    int64_t nl = (int64_t)TL->h * TL->w * TL->c;
    for (int64_t k = 0; !rc && k < n; k++) {
        uint8_t **t = NULL;
        quantize_input(net, io, x + k * in, in, v.codes);
        rc = pk_fq_run(q, x + k * in, v.y, err);
        if (!rc)
            rc = pk_func_run(hw, v.codes, &t, err);
        if (rc)
            break;
        for (int li = 0; li < L; li++)
            if (v.ref[li] >= 0)
                energy(q, &hw->tensors[hw->net_out_tensor[li]], t[hw->net_out_tensor[li]],
                       v.ref[li], &v.sig[li], &v.noise[li]);
        rc = iso_image(q, hw, t, v.ref, v.hwl, v.src, v.pre, v.a, v.b, v.out, v.isig, v.inoise,
                       err);
        if (labels) {
            out->float_hits += argmax_f(v.y, no) == labels[k];
            out->pike_hits += argmax_codes(t[hw->net_out_tensor[L - 1]], nl, TL->bits,
                                           TL->is_signed) == labels[k];
        }
        pk_func_free(hw, t);
    }
    for (int li = 0; !rc && li < L; li++) {
        out->snr_db[li] = snr_of(v.sig[li], v.noise[li], v.ref[li] >= 0);
        out->iso_db[li] = snr_of(v.isig[li], v.inoise[li], v.src[li] != -1);
    }
    out->n_layers = L;
    out->images = n;
    ev_free(&v);
    pk_hwnet_free(hw);
    if (rc)
        pq_eval_free(out);
    return rc;
}

void pq_eval_free(pq_eval_t *e)
{
    free(e->snr_db), free(e->iso_db);
    e->snr_db = e->iso_db = NULL;
}

int pq_cost(const pk_net_t *net, const pk_config_t *cfg, int arch, pq_cost_t *out,
            pk_error_t *err)
{
    pk_sim_opts_t o = { .seed = 1, .views = 1, .timing_only = 1, .arch = arch };
    pk_sim_result_t *r = NULL;
    int rc = pk_sim_run(net, cfg, &o, &r, err);
    if (rc)
        return rc;
    out->ace = r->met.ace;
    out->acev2 = r->met.acev2;
    out->energy_pj = r->energy.total;
    pk_sim_free(r);
    return 0;
}
