/* pk_quant.c - integer reference of the datapath (docs/QUANT.md).
 *
 * Written from the formulas, not from the RTL: the RTL computes the rounding
 * shift as (x >>> (s-1)) split into quotient and round bit, this file as a
 * floor division of x + 2^(s-1) done without overflow; the Verilator tests
 * compare the two.  Every shift of a possibly negative value is done by
 * multiplication or by the floor helper below, so nothing here relies on
 * implementation-defined or undefined C behaviour.
 */
#include "pk_quant.h"

#include <stddef.h>

int64_t pk_q_sx(uint64_t v, int n)
{
    if (n >= 64)
        return (int64_t)v;
    uint64_t mask = (UINT64_C(1) << n) - 1;
    uint64_t u = v & mask;
    if (u >> (n - 1))
        return -(int64_t)(mask - u) - 1; /* u - 2^n without overflow */
    return (int64_t)u;
}

int64_t pk_q_zx(uint64_t v, int n)
{
    if (n >= 64)
        return (int64_t)v;
    return (int64_t)(v & ((UINT64_C(1) << n) - 1));
}

/* floor(x / 2^k) for k >= 0. */
static int64_t floor_shift(int64_t x, int k)
{
    if (k >= 63)
        return x < 0 ? -1 : 0;
    if (x >= 0)
        return x >> k;
    /* x < 0: floor(x / 2^k) = -ceil(-x / 2^k) = -(((-x) - 1) / 2^k) - 1;
     * -(x + 1) is safe even for INT64_MIN. */
    return -((-(x + 1)) >> k) - 1;
}

int64_t pk_q_rshr(int64_t x, int s)
{
    if (s <= 0)
        return x;
    if (s >= 64)
        return 0; /* |x| <= 2^63 <= 2^(s-1): x + 2^(s-1) lies in [0, 2^s) */
    /* floor((x + h) / 2^s), h = 2^(s-1): split x = q * 2^s + r, 0 <= r < 2^s,
     * so the result is q + (r + h >= 2^s). */
    int64_t q = floor_shift(x, s);
    uint64_t r = (uint64_t)x & ((UINT64_C(1) << s) - 1);
    uint64_t h = UINT64_C(1) << (s - 1);
    return q + (r >= h ? 1 : 0);
}

int64_t pk_q_rshr_rm(int64_t x, int s, int rm)
{
    int64_t y = pk_q_rshr(x, s);
    if (rm != PK_Q_ROUND_HALF_EVEN || s <= 0 || s >= 64)
        return y; /* s >= 64: |x| < 2^(s-1), never a tie */
    /* a tie (remainder exactly one half) rounded up to an odd result goes
     * down to the even neighbour */
    uint64_t r = (uint64_t)x & ((UINT64_C(1) << s) - 1);
    if (r == (UINT64_C(1) << (s - 1)) && (y & 1))
        return y - 1;
    return y;
}

int64_t pk_q_sat_s(int64_t x, int n)
{
    if (n >= 64)
        return x;
    int64_t hi = (int64_t)((UINT64_C(1) << (n - 1)) - 1);
    int64_t lo = -hi - 1;
    return x > hi ? hi : x < lo ? lo : x;
}

int64_t pk_q_sat_u(int64_t x, int n)
{
    int64_t hi = n >= 63 ? INT64_MAX : (int64_t)((UINT64_C(1) << n) - 1);
    return x > hi ? hi : x < 0 ? 0 : x;
}

int64_t pk_q_decode(uint32_t code, int bits, int is_signed)
{
    if (bits == 1)
        return (code & 1) ? 1 : -1;
    return is_signed ? pk_q_sx(code, bits) : pk_q_zx(code, bits);
}

uint32_t pk_q_widen(uint32_t code, int bits, int is_signed, int mode_bits)
{
    if (mode_bits == 1)
        return code & 1;
    int64_t v = pk_q_decode(code, bits, is_signed);
    return (uint32_t)((uint64_t)v & ((UINT64_C(1) << mode_bits) - 1));
}

void pk_q_pack_slot(uint8_t *word, int slot, int mode_bits, uint32_t code)
{
    for (int i = 0; i < mode_bits; i++) {
        int bit = slot * mode_bits + i;
        uint8_t m = (uint8_t)(1u << (bit % 8));
        if ((code >> i) & 1)
            word[bit / 8] |= m;
        else
            word[bit / 8] &= (uint8_t)~m;
    }
}

uint32_t pk_q_unpack(const uint8_t *word, int slot, int mode_bits)
{
    uint32_t v = 0;
    for (int i = 0; i < mode_bits; i++) {
        int bit = slot * mode_bits + i;
        v |= (uint32_t)((word[bit / 8] >> (bit % 8)) & 1) << i;
    }
    return v;
}

int64_t pk_q_dot(const uint8_t *w_word, const uint8_t *a_word, int lanes, int slot_bits,
                 int mode_bits, int a_signed, int nvalid)
{
    int vp = lanes * slot_bits / mode_bits;
    int n = nvalid < vp ? nvalid : vp;
    if (n < 0)
        n = 0;
    if (mode_bits == 1) {
        /* XNOR-popcount, written as in QUANT.md (not as a sum of +-1). */
        int pop = 0;
        for (int e = 0; e < n; e++)
            pop += !((pk_q_unpack(w_word, e, 1) ^ pk_q_unpack(a_word, e, 1)) & 1);
        return 2 * (int64_t)pop - n;
    }
    int64_t sum = 0;
    for (int e = 0; e < n; e++) {
        int64_t w = pk_q_sx(pk_q_unpack(w_word, e, mode_bits), mode_bits);
        uint32_t ac = pk_q_unpack(a_word, e, mode_bits);
        int64_t a = a_signed ? pk_q_sx(ac, mode_bits) : pk_q_zx(ac, mode_bits);
        sum += w * a;
    }
    return sum;
}

int64_t pk_q_acc_update(int op, int64_t acc, int64_t dot, int first, int a_shift,
                        int nvalid, int acc_bits)
{
    switch (op) {
    case PK_Q_OP_SUM:
        return first ? dot : acc + dot;
    case PK_Q_OP_MAX: {
        int64_t base = first ? -pk_q_sat_s(INT64_MAX, acc_bits) - 1 : acc;
        return (nvalid > 0 && dot > base) ? dot : base;
    }
    case PK_Q_OP_LOAD:
        /* dot is at most a few bits wide here and a_shift <= 15 */
        return pk_q_sat_s(dot * ((int64_t)1 << a_shift), acc_bits);
    default:
        return acc;
    }
}

int64_t pk_q_quantnorm_rm(int64_t t0, int64_t m, int64_t b, int s, int p_bits, int rm)
{
    return pk_q_sat_s(pk_q_rshr_rm(t0 * m + b, s, rm), p_bits);
}

int64_t pk_q_quantnorm(int64_t t0, int64_t m, int64_t b, int s, int p_bits)
{
    return pk_q_quantnorm_rm(t0, m, b, s, p_bits, PK_Q_ROUND_HALF_UP);
}

int64_t pk_q_resadd(int64_t t1, int64_t r_val, int r_shift, int p_bits)
{
    return pk_q_sat_s(t1 + r_val * ((int64_t)1 << r_shift), p_bits);
}

int64_t pk_q_requant_rm(int64_t t2, int64_t M, int E, int p_bits, int rm)
{
    return pk_q_sat_s(pk_q_rshr_rm(t2 * M, E, rm), p_bits);
}

int64_t pk_q_requant(int64_t t2, int64_t M, int E, int p_bits)
{
    return pk_q_requant_rm(t2, M, E, p_bits, PK_Q_ROUND_HALF_UP);
}

int64_t pk_q_act_rm(int64_t x, int mode, int64_t an, int64_t ap, int64_t g, int64_t z,
                    int act_shift, int64_t clip_lo, int64_t clip_hi, int p_bits, int rm)
{
    switch (mode) {
    case PK_Q_ACT_RELU:
        return x > 0 ? x : 0;
    case PK_Q_ACT_CLIP: {
        int64_t v = x < clip_lo ? clip_lo : x;
        return v > clip_hi ? clip_hi : v;
    }
    case PK_Q_ACT_PRELU:
        return x >= 0 ? x : pk_q_sat_s(pk_q_rshr_rm(x * an, act_shift, rm), p_bits);
    case PK_Q_ACT_DPRELU:
        return pk_q_sat_s(pk_q_rshr_rm(x * (x >= 0 ? ap : an), act_shift, rm), p_bits);
    case PK_Q_ACT_RPRELU: {
        int64_t u = pk_q_sat_s(x - g, p_bits);
        int64_t v = u >= 0 ? u : pk_q_sat_s(pk_q_rshr_rm(u * an, act_shift, rm), p_bits);
        return pk_q_sat_s(v + z, p_bits);
    }
    default:
        return x;
    }
}

int64_t pk_q_act(int64_t x, int mode, int64_t an, int64_t ap, int64_t g, int64_t z,
                 int act_shift, int64_t clip_lo, int64_t clip_hi, int p_bits)
{
    return pk_q_act_rm(x, mode, an, ap, g, z, act_shift, clip_lo, clip_hi, p_bits,
                       PK_Q_ROUND_HALF_UP);
}

uint32_t pk_q_out_code(int64_t t4, int out_bits, int out_signed)
{
    if (out_bits == 1)
        return t4 >= 0 ? 1u : 0u;
    int64_t v = out_signed ? pk_q_sat_s(t4, out_bits) : pk_q_sat_u(t4, out_bits);
    return (uint32_t)((uint64_t)v & ((UINT64_C(1) << out_bits) - 1));
}

uint32_t pk_q_ppu_trace(const pk_q_ppu_cfg_t *c, const pk_q_params_t *p, int64_t acc,
                        uint32_t r_code, int64_t t[5])
{
    const pk_q_widths_t *w = &c->w;
    int64_t m = pk_q_sx((uint64_t)p->m, w->qn_mult_bits);
    int64_t b = pk_q_sx((uint64_t)p->b, w->qn_bias_bits);
    int s = (int)pk_q_zx((uint64_t)p->s, w->qn_shift_bits);
    int64_t M = pk_q_zx((uint64_t)p->M, w->dq_mant_bits);
    int E = (int)pk_q_zx((uint64_t)p->E, w->dq_exp_bits);
    int64_t an = pk_q_sx((uint64_t)p->an, w->act_param_bits);
    int64_t ap = pk_q_sx((uint64_t)p->ap, w->act_param_bits);
    int64_t g = pk_q_sx((uint64_t)p->g, 16);
    int64_t z = pk_q_sx((uint64_t)p->z, 16);
    int ash = (int)pk_q_zx((uint64_t)c->act_shift, w->act_shift_bits);
    int rsh = (int)pk_q_zx((uint64_t)c->r_shift, w->res_shift_bits);
    int P = w->p_bits;

    int64_t t0 = pk_q_sx((uint64_t)acc, w->acc_bits);
    int rm = c->round;
    int64_t t1 = c->qn_en ? pk_q_quantnorm_rm(t0, m, b, s, P, rm) : t0;
    int64_t t2 = c->res_en ? pk_q_resadd(t1, pk_q_decode(r_code, c->r_bits, c->r_signed), rsh, P)
                           : t1;
    int64_t t3 = c->rq_en ? pk_q_requant_rm(t2, M, E, P, rm) : t2;
    int64_t t4 = pk_q_act_rm(t3, c->act_mode, an, ap, g, z, ash,
                             pk_q_sx((uint64_t)(int64_t)c->clip_lo, 16),
                             pk_q_sx((uint64_t)(int64_t)c->clip_hi, 16), P, rm);
    if (t) {
        t[0] = t0;
        t[1] = t1;
        t[2] = t2;
        t[3] = t3;
        t[4] = t4;
    }
    return pk_q_out_code(t4, c->out_bits, c->out_signed);
}

uint32_t pk_q_ppu_mul(const pk_q_ppu_cfg_t *c, const pk_q_params_t *p, int64_t acc,
                      uint32_t r_code)
{
    pk_q_ppu_cfg_t cm = *c;
    pk_q_params_t pm = *p;
    cm.res_en = 0;
    pm.m = pk_q_decode(r_code, c->r_bits, c->r_signed);
    return pk_q_ppu_trace(&cm, &pm, acc, 0, NULL);
}

uint32_t pk_q_ppu(const pk_q_ppu_cfg_t *c, const pk_q_params_t *p, int64_t acc, uint32_t r_code)
{
    return pk_q_ppu_trace(c, p, acc, r_code, NULL);
}
