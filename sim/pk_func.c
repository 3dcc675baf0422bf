/* pk_func.c - functional model: each layer's outputs, computed directly.
 *
 * Design: decode the input tensor once per layer into int16 values (codes ->
 * values is the only width-dependent step), then plain loops: CONV gathers
 * one output pixel's receptive field into a K-long int16 patch (padding
 * terms are the input zero point, 0 unless the layer sets in_zero_point: 0
 * is exactly "contributes nothing" to a sum) and
 * takes K-long dot products against int16 weights; DW/POOL/EW loop over
 * taps per channel.  The dot product runs in int32 when the layer's bound
 * K * max|w| * max|a| < 2^31 proves it exact (always, for Pike's widths and
 * max_reduction <= 65536), else in int64.  Post-processing is pk_q_ppu, the
 * C reference of the RTL's PPU, one call per output element.
 */
#include "pk_func.h"

#include <stdlib.h>
#include <string.h>

#include "pk_quant.h"

static int nomem(pk_error_t *err)
{
    return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
}

void pk_func_ppu_widths(const pk_config_t *cfg, pk_q_widths_t *w)
{
    w->acc_bits = cfg->precision.acc_bits;
    w->p_bits = cfg->postproc.internal_bits;
    w->qn_mult_bits = cfg->postproc.qn_mult_bits;
    w->qn_bias_bits = cfg->postproc.qn_bias_bits;
    w->qn_shift_bits = cfg->postproc.qn_shift_bits;
    w->dq_mant_bits = cfg->postproc.dq_mant_bits;
    w->dq_exp_bits = cfg->postproc.dq_exp_bits;
    w->act_param_bits = cfg->postproc.act_param_bits;
    w->act_shift_bits = cfg->postproc.act_shift_bits;
    w->res_shift_bits = cfg->postproc.residual_shift_bits;
}

void pk_func_ppu_cfg(const pk_hwnet_t *hw, int i, pk_q_ppu_cfg_t *c)
{
    const pk_config_t *cfg = hw->cfg;
    const pk_hwlayer_t *h = &hw->layers[i];
    memset(c, 0, sizeof *c);
    pk_func_ppu_widths(cfg, &c->w);
    c->qn_en = h->qn_en;
    c->res_en = h->res_en;
    c->rq_en = h->rq_en;
    c->act_mode = h->act;
    c->act_shift = h->act_shift;
    c->r_shift = h->r_shift;
    c->r_bits = h->r_bits ? h->r_bits : 8;
    c->r_signed = h->r_signed;
    c->clip_lo = h->clip_lo;
    c->clip_hi = h->clip_hi;
    c->out_bits = h->out_bits;
    c->out_signed = h->out_signed;
    c->round = h->round;
}

static void to_qparams(const pk_chan_params_t *p, pk_q_params_t *q)
{
    q->m = p->m;
    q->s = p->s;
    q->E = p->E;
    q->b = p->b;
    q->M = p->M;
    q->an = p->an;
    q->ap = p->ap;
    q->g = p->g;
    q->z = p->z;
}

/* codes -> values (int16) through a 256-entry table. */
static int16_t *decode_tensor(const pk_tensor_t *t, const uint8_t *codes)
{
    int16_t lut[256];
    for (int v = 0; v < 256; v++)
        lut[v] = (int16_t)pk_q_decode((uint32_t)v, t->bits, t->is_signed);
    int64_t n = (int64_t)t->h * t->w * t->c;
    int16_t *out = malloc((size_t)(n ? n : 1) * sizeof *out);
    if (!out)
        return NULL;
    uint8_t mask = (uint8_t)((1u << t->bits) - 1);
    for (int64_t i = 0; i < n; i++)
        out[i] = lut[codes[i] & mask];
    return out;
}

/* Layer h's input channels out of the decoded input tensor t: all of them,
 * or (in_c_total, a grouped conv's group) the slice [in_c_base, +in_c),
 * compacted in place to h*w*in_c values. */
static void take_slice(const pk_hwlayer_t *h, const pk_tensor_t *t, int16_t *x)
{
    if (!h->in_c_total)
        return;
    int64_t px = (int64_t)t->h * t->w;
    for (int64_t p = 0; p < px; p++)
        memmove(x + p * h->in_c, x + p * t->c + h->in_c_base, (size_t)h->in_c * sizeof *x);
}

static int32_t dot32(const int16_t *a, const int16_t *b, int64_t n)
{
    int32_t s = 0;
    for (int64_t i = 0; i < n; i++)
        s += (int32_t)a[i] * (int32_t)b[i];
    return s;
}

static int64_t dot64(const int16_t *a, const int16_t *b, int64_t n)
{
    int64_t s = 0;
    for (int64_t i = 0; i < n; i++)
        s += (int64_t)a[i] * (int64_t)b[i];
    return s;
}

int pk_func_layer(const pk_hwnet_t *hw, int li, uint8_t *const *tensors, pk_error_t *err)
{
    const pk_config_t *cfg = hw->cfg;
    const pk_hwlayer_t *h = &hw->layers[li];
    const pk_tensor_t *ti = &hw->tensors[h->t_in];
    const uint8_t *rcodes = h->t_res >= 0 ? tensors[h->t_res] : NULL;
    uint8_t *out = tensors[h->t_out];
    const int A = cfg->precision.acc_bits;
    int rc = 0;

    if (!hw->with_data || (h->uses_params && !h->params))
        return pk_error_set(err, PK_EINTERNAL, "", 0, h->name, "layer compiled without data");

    pk_q_ppu_cfg_t pc;
    pk_func_ppu_cfg(hw, li, &pc);
    int npar = h->params ? h->n_param_sets : 0;
    pk_q_params_t *qp = calloc((size_t)(npar ? npar : 1), sizeof *qp);
    int16_t *x = decode_tensor(ti, tensors[h->t_in]);
    int16_t *wv = NULL, *patch = NULL;
    int64_t *acc = NULL;
    if (!qp || !x) {
        rc = nomem(err);
        goto done;
    }
    take_slice(h, ti, x);
    for (int c = 0; c < npar; c++)
        to_qparams(&h->params[c], &qp[c]);
    if (!npar)
        qp[0].m = qp[0].M = 1;

    const int64_t IH = h->in_h, IW = h->in_w, IC = h->in_c;
    const int64_t OH = h->out_h, OW = h->out_w, OC = h->out_c;
    const int64_t SH = h->stride, SW = h->stride_w, PT = h->pad, PL = h->pad_l;
    const int64_t KH = h->kh, KW = h->kw;
    acc = malloc((size_t)OC * sizeof *acc);
    if (!acc) {
        rc = nomem(err);
        goto done;
    }

    if (h->kind == PK_HW_CONV) {
        const int64_t K = KH * KW * IC;
        wv = malloc((size_t)(OC * K) * sizeof *wv);
        patch = malloc((size_t)K * sizeof *patch);
        if (!wv || !patch) {
            rc = nomem(err);
            goto done;
        }
        for (int64_t i = 0; i < OC * K; i++)
            wv[i] = h->weights[i];
        /* exactness bound of the int32 dot product */
        int64_t wmax = h->w_bits == 1 ? 1 : (int64_t)1 << (h->w_bits - 1);
        int64_t amax = h->a_bits == 1 ? 1 : (int64_t)1 << h->a_bits;
        const int use32 = K * wmax * amax < ((int64_t)1 << 31);
        for (int64_t oy = 0; oy < OH; oy++)
            for (int64_t ox = 0; ox < OW; ox++) {
                for (int64_t i = 0; i < KH; i++)
                    for (int64_t j = 0; j < KW; j++) {
                        int16_t *dst = patch + (i * KW + j) * IC;
                        int64_t iy = oy * SH - PT + i, ix = ox * SW - PL + j;
                        if (iy < 0 || iy >= IH || ix < 0 || ix >= IW)
                            for (int64_t c = 0; c < IC; c++)
                                dst[c] = (int16_t)h->in_zp;
                        else
                            memcpy(dst, x + (iy * IW + ix) * IC, (size_t)IC * sizeof *dst);
                    }
                for (int64_t oc = 0; oc < OC; oc++)
                    acc[oc] = use32 ? dot32(wv + oc * K, patch, K) : dot64(wv + oc * K, patch, K);
                uint8_t *o = out + (oy * OW + ox) * OC;
                for (int64_t oc = 0; oc < OC; oc++)
                    o[oc] = (uint8_t)pk_q_ppu(&pc, &qp[h->per_tensor ? 0 : oc], acc[oc], 0);
            }
    } else if (h->kind == PK_HW_DW || h->kind == PK_HW_POOLSUM || h->kind == PK_HW_POOLMAX) {
        const int is_max = h->kind == PK_HW_POOLMAX, is_dw = h->kind == PK_HW_DW;
        /* padding terms: excluded from a max, the zero point in a sum */
        const int64_t zp = is_max ? 0 : h->in_zp;
        const int64_t lo = -((int64_t)1 << (A - 1));
        for (int64_t oy = 0; oy < OH; oy++)
            for (int64_t ox = 0; ox < OW; ox++) {
                for (int64_t c = 0; c < OC; c++)
                    acc[c] = is_max ? lo : 0;
                for (int64_t i = 0; i < KH; i++) {
                    int64_t iy = oy * SH - PT + i;
                    for (int64_t j = 0; j < KW; j++) {
                        int64_t ix = ox * SW - PL + j;
                        if (iy < 0 || iy >= IH || ix < 0 || ix >= IW) {
                            if (zp)
                                for (int64_t c = 0; c < OC; c++)
                                    acc[c] += zp * (is_dw ? h->weights[c * KH * KW + i * KW + j] : 1);
                            continue;
                        }
                        const int16_t *xr = x + (iy * IW + ix) * IC;
                        if (is_max) {
                            for (int64_t c = 0; c < OC; c++)
                                if (xr[c] > acc[c])
                                    acc[c] = xr[c];
                        } else if (is_dw) {
                            const int8_t *wr = h->weights + (i * KW + j);
                            for (int64_t c = 0; c < OC; c++)
                                acc[c] += (int64_t)wr[c * KH * KW] * xr[c];
                        } else {
                            for (int64_t c = 0; c < OC; c++)
                                acc[c] += xr[c];
                        }
                    }
                }
                uint8_t *o = out + (oy * OW + ox) * OC;
                for (int64_t c = 0; c < OC; c++)
                    o[c] = (uint8_t)pk_q_ppu(&pc, &qp[h->per_tensor ? 0 : c], acc[c], 0);
            }
    } else { /* EW */
        int64_t n = OH * OW * OC;
        uint8_t rmask = (uint8_t)((1u << (h->r_bits ? h->r_bits : 8)) - 1);
        for (int64_t e = 0; e < n; e++) {
            int64_t c = e % OC;
            int64_t t0 = pk_q_acc_update(PK_Q_OP_LOAD, 0, x[e], 1, h->a_shift, 1, A);
            /* res_mul: operand B is one pixel (the per-channel vector) */
            uint32_t r = rcodes ? (uint32_t)(rcodes[h->res_mul ? c : e] & rmask) : 0;
            const pk_q_params_t *q = &qp[h->per_tensor ? 0 : c];
            out[e] = (uint8_t)(h->res_mul ? pk_q_ppu_mul(&pc, q, t0, r) : pk_q_ppu(&pc, q, t0, r));
        }
    }
done:
    free(qp);
    free(x);
    free(wv);
    free(patch);
    free(acc);
    return rc;
}

void pk_func_free(const pk_hwnet_t *hw, uint8_t **tensors)
{
    if (!tensors)
        return;
    for (int t = 0; t < hw->n_tensors; t++)
        free(tensors[t]);
    free(tensors);
}

int pk_func_run(const pk_hwnet_t *hw, const uint8_t *input, uint8_t ***tensors, pk_error_t *err)
{
    *tensors = NULL;
    uint8_t **ts = calloc((size_t)hw->n_tensors, sizeof *ts);
    if (!ts)
        return nomem(err);
    for (int t = 0; t < hw->n_tensors; t++) {
        const pk_tensor_t *T = &hw->tensors[t];
        int64_t n = (int64_t)T->h * T->w * T->c;
        ts[t] = malloc((size_t)(n ? n : 1));
        if (!ts[t]) {
            pk_func_free(hw, ts);
            return nomem(err);
        }
        if (t == 0)
            memcpy(ts[0], input, (size_t)n);
    }
    for (int i = 0; i < hw->n_layers; i++) {
        int rc = pk_func_layer(hw, i, ts, err);
        if (rc) {
            pk_func_free(hw, ts);
            return rc;
        }
        /* a slice of a concat tensor: the hardware writes it in place */
        const pk_tensor_t *to = &hw->tensors[hw->layers[i].t_out];
        if (to->parent >= 0) {
            const pk_tensor_t *tp = &hw->tensors[to->parent];
            const uint8_t *src = ts[hw->layers[i].t_out];
            uint8_t *dst = ts[to->parent];
            for (int64_t px = 0; px < (int64_t)to->h * to->w; px++)
                memcpy(dst + px * tp->c + to->ch_base, src + px * to->c, (size_t)to->c);
        }
    }
    *tensors = ts;
    return 0;
}
