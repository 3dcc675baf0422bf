/* test_sim_util.h - shared by tests/test_sim_*.c: temp files, loading, and
 * the naive reference of docs/QUANT.md (written from the document, not from
 * core/pk_quant or sim/pk_func: plain loops over outputs and terms). */
#ifndef TEST_SIM_UTIL_H
#define TEST_SIM_UTIL_H

#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_compile.h"
#include "pk_config.h"
#include "pk_net.h"

/* Write text to a fresh file in a fresh temp dir; returns the path (static). */
static inline const char *tsu_write(const char *name, const char *text)
{
    static char dir[64] = "";
    static char path[8][256];
    static int k = 0;
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/pk_simtest_XXXXXX");
        cr_assert(mkdtemp(dir) != NULL);
    }
    char *p = path[k++ % 8];
    snprintf(p, 256, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static inline pk_config_t *tsu_cfg(const char *path)
{
    pk_config_t *c = NULL;
    pk_error_t e;
    pk_error_clear(&e);
    int rc = pk_config_load(path, &c, &e);
    cr_assert_eq(rc, 0, "config: %s:%d: %s: %s", e.file, e.line, e.field, e.msg);
    return c;
}

static inline pk_net_t *tsu_net(const char *path)
{
    pk_net_t *n = NULL;
    pk_error_t e;
    pk_error_clear(&e);
    int rc = pk_net_load(path, &n, &e);
    cr_assert_eq(rc, 0, "net: %s:%d: %s: %s", e.file, e.line, e.field, e.msg);
    return n;
}

/* ---- QUANT.md, naively ---------------------------------------------------- */

static inline int64_t nv_sx(int64_t v, int n)
{
    int64_t m = ((int64_t)1 << n) - 1, u = v & m;
    return u >= ((int64_t)1 << (n - 1)) ? u - ((int64_t)1 << n) : u;
}
static inline int64_t nv_zx(int64_t v, int n) { return v & (((int64_t)1 << n) - 1); }
static inline int64_t nv_sat_s(int64_t x, int n)
{
    int64_t hi = ((int64_t)1 << (n - 1)) - 1, lo = -hi - 1;
    return x > hi ? hi : x < lo ? lo : x;
}
static inline int64_t nv_sat_u(int64_t x, int n)
{
    int64_t hi = ((int64_t)1 << n) - 1;
    return x > hi ? hi : x < 0 ? 0 : x;
}
/* the layer's rounding (QUANT.md rnd): quotient and remainder by hand; a
 * remainder of exactly one half goes up (half_up) or to the even quotient */
static inline int64_t nv_rnd(int64_t x, int s, int half_even)
{
    if (s == 0)
        return x;
    int64_t d = (int64_t)1 << s, q = x / d, rem = x % d;
    if (rem < 0) {
        q--;
        rem += d;
    }
    if (2 * rem > d || (2 * rem == d && (!half_even || (q & 1))))
        q++;
    return q;
}
static inline int64_t nv_decode(uint32_t code, int b, int sg)
{
    if (b == 1)
        return (code & 1) ? 1 : -1;
    return sg ? nv_sx(code, b) : nv_zx(code, b);
}

/* The post-processing chain of one element (QUANT.md), fields narrowed to
 * the config's widths. */
static inline uint32_t nv_post(const pk_config_t *cfg, const pk_hwlayer_t *h,
                               const pk_chan_params_t *p, int64_t t0, int has_r, int64_t rval)
{
    const int P = cfg->postproc.internal_bits;
    int64_t m = nv_sx(p->m, cfg->postproc.qn_mult_bits), b = nv_sx(p->b, cfg->postproc.qn_bias_bits);
    int s = (int)nv_zx(p->s, cfg->postproc.qn_shift_bits);
    int64_t M = nv_zx(p->M, cfg->postproc.dq_mant_bits);
    int E = (int)nv_zx(p->E, cfg->postproc.dq_exp_bits);
    int64_t an = nv_sx(p->an, cfg->postproc.act_param_bits), ap = nv_sx(p->ap, cfg->postproc.act_param_bits);
    int64_t g = nv_sx(p->g, 16), z = nv_sx(p->z, 16);
    int ash = (int)nv_zx(h->act_shift, cfg->postproc.act_shift_bits);
    int rsh = (int)nv_zx(h->r_shift, cfg->postproc.residual_shift_bits);
    int64_t t1 = h->qn_en ? nv_sat_s(nv_rnd(t0 * m + b, s, h->round), P) : t0;
    int64_t t2 = h->res_en && has_r ? nv_sat_s(t1 + rval * ((int64_t)1 << rsh), P) : t1;
    int64_t t3 = h->rq_en ? nv_sat_s(nv_rnd(t2 * M, E, h->round), P) : t2;
    int64_t x = t3, t4 = x;
    switch (h->act) {
    case PK_ACT_RELU: t4 = x > 0 ? x : 0; break;
    case PK_ACT_CLIP: t4 = x < h->clip_lo ? h->clip_lo : x > h->clip_hi ? h->clip_hi : x; break;
    case PK_ACT_PRELU: t4 = x >= 0 ? x : nv_sat_s(nv_rnd(x * an, ash, h->round), P); break;
    case PK_ACT_DPRELU: t4 = nv_sat_s(nv_rnd(x * (x >= 0 ? ap : an), ash, h->round), P); break;
    case PK_ACT_RPRELU: {
        int64_t u = nv_sat_s(x - g, P);
        int64_t v = u >= 0 ? u : nv_sat_s(nv_rnd(u * an, ash, h->round), P);
        t4 = nv_sat_s(v + z, P);
        break;
    }
    default: break;
    }
    int bo = h->out_bits;
    if (bo == 1)
        return t4 >= 0 ? 1u : 0u;
    int64_t y = h->out_signed ? nv_sat_s(t4, bo) : nv_sat_u(t4, bo);
    return (uint32_t)(y & (((int64_t)1 << bo) - 1));
}

/* Naive output of hardware layer li from its input tensors (codes). */
static inline void nv_layer(const pk_hwnet_t *hw, int li, uint8_t *const *ts, uint8_t *out)
{
    const pk_config_t *cfg = hw->cfg;
    const pk_hwlayer_t *h = &hw->layers[li];
    const pk_tensor_t *ti = &hw->tensors[h->t_in];
    const uint8_t *x = ts[h->t_in];
    const int A = cfg->precision.acc_bits;
    for (int oy = 0; oy < h->out_h; oy++)
        for (int ox = 0; ox < h->out_w; ox++)
            for (int oc = 0; oc < h->out_c; oc++) {
                const pk_chan_params_t *p = &h->params[h->per_tensor ? 0 : oc];
                int64_t acc = 0, rv = 0;
                int has_r = 0;
                if (h->kind == PK_HW_EW) {
                    int64_t e = ((int64_t)oy * h->out_w + ox) * h->out_c + oc;
                    int64_t a = nv_decode(x[e], ti->bits, ti->is_signed);
                    acc = nv_sat_s(a * ((int64_t)1 << h->a_shift), A);
                    if (h->t_res >= 0) {
                        has_r = 1;
                        rv = nv_decode(ts[h->t_res][e], h->r_bits, h->r_signed);
                    }
                } else {
                    if (h->kind == PK_HW_POOLMAX)
                        acc = -((int64_t)1 << (A - 1));
                    for (int i = 0; i < h->kh; i++)
                        for (int j = 0; j < h->kw; j++) {
                            int iy = oy * h->stride - h->pad + i, ix = ox * h->stride - h->pad + j;
                            int pad = iy < 0 || iy >= h->in_h || ix < 0 || ix >= h->in_w;
                            if (pad && (h->kind == PK_HW_POOLMAX || h->in_zp == 0))
                                continue; /* invalid term */
                            /* a padding term is the zero-point code (QUANT.md) */
                            uint32_t zc = (uint32_t)h->in_zp & ((1u << ti->bits) - 1);
                            if (h->kind == PK_HW_CONV) {
                                for (int ic = 0; ic < h->in_c; ic++) {
                                    /* fc: in_h = in_w = 1 and the tensor is read flat */
                                    int64_t e = ((int64_t)iy * h->in_w + ix) * h->in_c + ic;
                                    int64_t w = h->weights[(((int64_t)oc * h->kh + i) * h->kw + j) * h->in_c + ic];
                                    acc += w * nv_decode(pad ? zc : x[e], ti->bits, ti->is_signed);
                                }
                            } else {
                                int64_t e = ((int64_t)iy * h->in_w + ix) * h->in_c + oc;
                                int64_t a = nv_decode(pad ? zc : x[e], ti->bits, ti->is_signed);
                                if (h->kind == PK_HW_DW)
                                    acc += h->weights[((int64_t)oc * h->kh + i) * h->kw + j] * a;
                                else if (h->kind == PK_HW_POOLSUM)
                                    acc += a;
                                else if (a > acc)
                                    acc = a;
                            }
                        }
                }
                out[((int64_t)oy * h->out_w + ox) * h->out_c + oc] =
                    (uint8_t)nv_post(cfg, h, p, acc, has_r, rv);
            }
}

#endif
