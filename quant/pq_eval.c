/* pq_eval.c - pikequant's report numbers (see pq_eval.h).
 *
 * Design: the network is compiled once with its data; per image the input
 * is quantized with the model's input quantizer (round half to even, as the
 * Quant node that pikequant wrote), pk_func_run gives every tensor's codes,
 * and the float executor the reference values.  Per layer the signal and
 * the noise energies (float value vs scale x decoded code, the Pike tensor's
 * HWC layout mapped to the float NCHW one) are summed over the batch.
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

/* Add layer li's signal / noise energy of this image. */
static void layer_energy(pk_fq_t *q, const pk_hwnet_t *hw, uint8_t **t, int li, int v,
                         double *sig, double *noise)
{
    int c, h, w;
    double scale;
    const float *f = pk_fq_value(q, v, &c, &h, &w, &scale);
    const pk_tensor_t *T = &hw->tensors[hw->net_out_tensor[li]];
    if ((int64_t)T->h * T->w * T->c != (int64_t)c * h * w)
        return;
    const uint8_t *codes = t[hw->net_out_tensor[li]];
    for (int ch = 0; ch < c; ch++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double ref = f[((int64_t)ch * h + y) * w + x];
                double got = scale * decode(codes[((int64_t)y * w + x) * c + ch], T->bits,
                                            T->is_signed);
                sig[li] += ref * ref;
                noise[li] += (ref - got) * (ref - got);
            }
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
    int *ref = malloc((size_t)L * sizeof *ref);
    double *sig = calloc((size_t)L, sizeof *sig), *noise = calloc((size_t)L, sizeof *noise);
    uint8_t *codes = malloc((size_t)in);
    float *y = malloc((size_t)no * sizeof *y);
    out->snr_db = malloc((size_t)L * sizeof *out->snr_db);
    if (!ref || !sig || !noise || !codes || !y || !out->snr_db)
        rc = pk_error_set(err, PK_ENOMEM, "pikequant", 0, "eval", "out of memory");
    for (int li = 0; !rc && li < L; li++)
        ref[li] = pk_fq_layer_value(q, net->layers[li].name);
    const pk_tensor_t *TL = &hw->tensors[hw->net_out_tensor[L - 1]];
    int64_t nl = (int64_t)TL->h * TL->w * TL->c;
    for (int64_t k = 0; !rc && k < n; k++) {
        uint8_t **t = NULL;
        quantize_input(net, io, x + k * in, in, codes);
        rc = pk_fq_run(q, x + k * in, y, err);
        if (!rc)
            rc = pk_func_run(hw, codes, &t, err);
        if (rc)
            break;
        for (int li = 0; li < L; li++)
            if (ref[li] >= 0)
                layer_energy(q, hw, t, li, ref[li], sig, noise);
        if (labels) {
            out->float_hits += argmax_f(y, no) == labels[k];
            out->pike_hits += argmax_codes(t[hw->net_out_tensor[L - 1]], nl, TL->bits,
                                           TL->is_signed) == labels[k];
        }
        pk_func_free(hw, t);
    }
    for (int li = 0; !rc && li < L; li++)
        out->snr_db[li] = ref[li] < 0 || !(sig[li] > 0) ? NAN
                          : noise[li] > 0             ? 10 * log10(sig[li] / noise[li])
                                                      : INFINITY;
    out->n_layers = L;
    out->images = n;
    free(ref), free(sig), free(noise), free(codes), free(y);
    pk_hwnet_free(hw);
    if (rc)
        pq_eval_free(out);
    return rc;
}

void pq_eval_free(pq_eval_t *e)
{
    free(e->snr_db);
    e->snr_db = NULL;
}

int pq_cost(const pk_net_t *net, const pk_config_t *cfg, pq_cost_t *out, pk_error_t *err)
{
    pk_sim_opts_t o = { .seed = 1, .views = 1, .timing_only = 1 };
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
