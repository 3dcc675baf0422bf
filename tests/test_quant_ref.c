/* test_quant_ref.c - pk_quant against values computed by hand from QUANT.md,
 * and against brute-force restatements of the formulas on small ranges. */
#include <criterion/criterion.h>
#include <string.h>

#include "pk_quant.h"

/* floor((x + 2^(s-1)) / 2^s) by exact division, for small |x| and s. */
static int64_t rshr_slow(int64_t x, int s)
{
    if (s == 0)
        return x;
    int64_t d = (int64_t)1 << s, n = x + d / 2;
    int64_t q = n / d;
    if (n % d != 0 && n < 0)
        q--;
    return q;
}

Test(quant, rshr_examples)
{
    /* the examples written in QUANT.md */
    cr_expect_eq(pk_q_rshr(5, 1), 3);
    cr_expect_eq(pk_q_rshr(-5, 1), -2);
    cr_expect_eq(pk_q_rshr(-6, 2), -1);
    cr_expect_eq(pk_q_rshr(-7, 2), -2);
    cr_expect_eq(pk_q_rshr(-8, 2), -2);
    cr_expect_eq(pk_q_rshr(-9, 2), -2);
    cr_expect_eq(pk_q_rshr(-10, 2), -2); /* -2.5 rounds up to -2 */
    cr_expect_eq(pk_q_rshr(-11, 2), -3);
    cr_expect_eq(pk_q_rshr(7, 0), 7);
    cr_expect_eq(pk_q_rshr(-1, 1), 0);   /* -0.5 -> 0 */
    cr_expect_eq(pk_q_rshr(1, 1), 1);    /* 0.5 -> 1 */
    cr_expect_eq(pk_q_rshr(-3, 1), -1);  /* -1.5 -> -1 */
}

Test(quant, rshr_extreme_shifts)
{
    cr_expect_eq(pk_q_rshr(INT64_MIN, 63), -1);  /* floor(-1 + 0.5) = -1 */
    cr_expect_eq(pk_q_rshr(INT64_MIN, 64), 0);
    cr_expect_eq(pk_q_rshr(INT64_MAX, 63), 1);
    cr_expect_eq(pk_q_rshr(-((int64_t)1 << 40), 41), 0);   /* -0.5 -> 0 */
    cr_expect_eq(pk_q_rshr(-((int64_t)1 << 40) - 1, 41), -1);
    cr_expect_eq(pk_q_rshr(((int64_t)1 << 40), 41), 1);    /* 0.5 -> 1 */
    cr_expect_eq(pk_q_rshr(12345, 63), 0);
    cr_expect_eq(pk_q_rshr(-12345, 63), 0);
}

Test(quant, rshr_matches_division)
{
    for (int s = 0; s <= 8; s++)
        for (int64_t x = -1000; x <= 1000; x++)
            cr_assert_eq(pk_q_rshr(x, s), rshr_slow(x, s), "x=%lld s=%d", (long long)x, s);
}

/* round half to even, from its definition: the nearest integer to x / 2^s,
 * the even one of the two on a tie (exact rational comparison) */
static int64_t rshr_even_slow(int64_t x, int s)
{
    if (s == 0)
        return x;
    int64_t d = (int64_t)1 << s;
    int64_t lo = x >= 0 ? x / d : -((-x + d - 1) / d); /* floor */
    int64_t r2 = 2 * (x - lo * d);                   /* 2 * remainder, in [0, 2d) */
    if (r2 < d)
        return lo;
    if (r2 > d)
        return lo + 1;
    return (lo % 2 == 0) ? lo : lo + 1;
}

Test(quant, rshr_half_even_examples)
{
    cr_expect_eq(pk_q_rshr_rm(5, 1, PK_Q_ROUND_HALF_EVEN), 2);   /* 2.5 -> 2 */
    cr_expect_eq(pk_q_rshr_rm(7, 1, PK_Q_ROUND_HALF_EVEN), 4);   /* 3.5 -> 4 */
    cr_expect_eq(pk_q_rshr_rm(-5, 1, PK_Q_ROUND_HALF_EVEN), -2); /* -2.5 -> -2 */
    cr_expect_eq(pk_q_rshr_rm(-3, 1, PK_Q_ROUND_HALF_EVEN), -2); /* -1.5 -> -2 */
    cr_expect_eq(pk_q_rshr_rm(-6, 2, PK_Q_ROUND_HALF_EVEN), -2); /* -1.5 -> -2 */
    cr_expect_eq(pk_q_rshr_rm(-1, 1, PK_Q_ROUND_HALF_EVEN), 0);  /* -0.5 -> 0 */
    cr_expect_eq(pk_q_rshr_rm(1, 1, PK_Q_ROUND_HALF_EVEN), 0);   /* 0.5 -> 0 */
    cr_expect_eq(pk_q_rshr_rm(11, 2, PK_Q_ROUND_HALF_EVEN), 3);  /* 2.75: not a tie */
    cr_expect_eq(pk_q_rshr_rm(9, 0, PK_Q_ROUND_HALF_EVEN), 9);
    cr_expect_eq(pk_q_rshr_rm(5, 1, PK_Q_ROUND_HALF_UP), 3);
    cr_expect_eq(pk_q_rshr_rm(INT64_MIN, 64, PK_Q_ROUND_HALF_EVEN), 0);  /* -0.5 -> 0 */
    cr_expect_eq(pk_q_rshr_rm(INT64_MIN, 63, PK_Q_ROUND_HALF_EVEN), -1); /* exact */
    cr_expect_eq(pk_q_rshr_rm((int64_t)3 << 40, 41, PK_Q_ROUND_HALF_EVEN), 2); /* 1.5 -> 2 */
    /* the stages take the mode: 10 * 1 + 0 = 10, / 4 = 2.5 */
    cr_expect_eq(pk_q_quantnorm_rm(10, 1, 0, 2, 32, PK_Q_ROUND_HALF_EVEN), 2);
    cr_expect_eq(pk_q_quantnorm(10, 1, 0, 2, 32), 3);
    cr_expect_eq(pk_q_requant_rm(5, 3, 1, 32, PK_Q_ROUND_HALF_EVEN), 8); /* 7.5 -> 8 */
    cr_expect_eq(pk_q_requant_rm(3, 3, 1, 32, PK_Q_ROUND_HALF_EVEN), 4); /* 4.5 -> 4 */
    cr_expect_eq(pk_q_act_rm(-10, PK_Q_ACT_PRELU, 3, 0, 0, 0, 2, 0, 0, 32,
                             PK_Q_ROUND_HALF_EVEN), -8); /* -7.5 -> -8 */
}

Test(quant, rshr_half_even_matches_definition)
{
    for (int s = 0; s <= 8; s++)
        for (int64_t x = -1000; x <= 1000; x++)
            cr_assert_eq(pk_q_rshr_rm(x, s, PK_Q_ROUND_HALF_EVEN), rshr_even_slow(x, s),
                         "x=%lld s=%d", (long long)x, s);
}

Test(quant, ppu_rounding_field)
{
    /* QuantNorm 10 * 1 / 4 = 2.5: half up 3, half even 2 */
    pk_q_ppu_cfg_t c = {
        .w = { 32, 32, 8, 24, 5, 8, 5, 8, 4, 4 },
        .qn_en = 1, .act_mode = PK_Q_ACT_NONE, .r_bits = 8, .clip_lo = -32768,
        .clip_hi = 32767, .out_bits = 8, .out_signed = 1,
    };
    pk_q_params_t p = { .m = 1, .s = 2, .M = 1 };
    cr_expect_eq(pk_q_ppu(&c, &p, 10, 0), 3);
    c.round = PK_Q_ROUND_HALF_EVEN;
    cr_expect_eq(pk_q_ppu(&c, &p, 10, 0), 2);
    cr_expect_eq(pk_q_ppu(&c, &p, 14, 0), 4); /* 3.5 -> 4 */
}

Test(quant, sat_and_fields)
{
    cr_expect_eq(pk_q_sat_s(200, 8), 127);
    cr_expect_eq(pk_q_sat_s(-200, 8), -128);
    cr_expect_eq(pk_q_sat_s(-128, 8), -128);
    cr_expect_eq(pk_q_sat_s(5, 2), 1);
    cr_expect_eq(pk_q_sat_s(-5, 2), -2);
    cr_expect_eq(pk_q_sat_s(-1, 1), -1);
    cr_expect_eq(pk_q_sat_s(1, 1), 0);
    cr_expect_eq(pk_q_sat_u(-1, 4), 0);
    cr_expect_eq(pk_q_sat_u(16, 4), 15);
    cr_expect_eq(pk_q_sat_u(15, 4), 15);
    cr_expect_eq(pk_q_sat_s(INT64_MIN, 63), -((int64_t)1 << 62));
    cr_expect_eq(pk_q_sx(0x80, 8), -128);
    cr_expect_eq(pk_q_sx(0x7F, 8), 127);
    cr_expect_eq(pk_q_sx(0x1FF, 8), -1);    /* wraps: low 8 bits */
    cr_expect_eq(pk_q_sx(0x3, 2), -1);
    cr_expect_eq(pk_q_zx(0x1FF, 8), 255);
    cr_expect_eq(pk_q_sx((uint64_t)-300, 8), -44); /* -300 wraps to 212 = -44 */
}

Test(quant, decode_table)
{
    cr_expect_eq(pk_q_decode(1, 1, 0), 1);
    cr_expect_eq(pk_q_decode(0, 1, 0), -1);
    cr_expect_eq(pk_q_decode(0, 1, 1), -1);
    cr_expect_eq(pk_q_decode(0x2, 2, 1), -2);
    cr_expect_eq(pk_q_decode(0x2, 2, 0), 2);
    cr_expect_eq(pk_q_decode(0x8, 4, 1), -8);
    cr_expect_eq(pk_q_decode(0xF, 4, 0), 15);
    cr_expect_eq(pk_q_decode(0x80, 8, 1), -128);
    cr_expect_eq(pk_q_decode(0xFF, 8, 0), 255);
    /* widening into a slot (ARCHITECTURE_V1.md 4) */
    cr_expect_eq(pk_q_widen(0, 1, 1, 4), 0xF);   /* -1 */
    cr_expect_eq(pk_q_widen(1, 1, 1, 4), 0x1);
    cr_expect_eq(pk_q_widen(0x2, 2, 1, 8), 0xFE); /* -2 */
    cr_expect_eq(pk_q_widen(0x2, 2, 0, 8), 0x02);
    cr_expect_eq(pk_q_widen(1, 1, 1, 1), 1);
}

Test(quant, pack_unpack)
{
    uint8_t w[8];
    memset(w, 0, sizeof w);
    pk_q_pack_slot(w, 3, 4, 0xA);      /* bits 12..15 -> byte 1 high nibble */
    cr_expect_eq(w[1], 0xA0);
    pk_q_pack_slot(w, 0, 2, 0x3);
    cr_expect_eq(w[0], 0x03);
    cr_expect_eq(pk_q_unpack(w, 3, 4), 0xA);
    cr_expect_eq(pk_q_unpack(w, 6, 2), 0x2);  /* bits 12,13 of 0xA0 in byte 1: 0b10 */
    pk_q_pack_slot(w, 3, 4, 0x0);
    cr_expect_eq(w[1], 0x00);
}

Test(quant, dot_binary)
{
    /* 8 lanes of L = 8 -> 64 binary slots.  w = 0xFF.., a = 0x0F.. in byte 0:
     * slots 0..3 agree (+1), 4..7 disagree (-1). */
    uint8_t w[8] = {0xFF, 0, 0, 0, 0, 0, 0, 0}, a[8] = {0x0F, 0, 0, 0, 0, 0, 0, 0};
    cr_expect_eq(pk_q_dot(w, a, 8, 8, 1, 1, 8), 4 - 4);
    cr_expect_eq(pk_q_dot(w, a, 8, 8, 1, 1, 4), 4);
    cr_expect_eq(pk_q_dot(w, a, 8, 8, 1, 1, 6), 4 - 2);
    cr_expect_eq(pk_q_dot(w, a, 8, 8, 1, 1, 0), 0);
    /* slots 8..63 are 0 vs 0: agree */
    cr_expect_eq(pk_q_dot(w, a, 8, 8, 1, 1, 64), 4 - 4 + 56);
    cr_expect_eq(pk_q_dot(w, a, 8, 8, 1, 1, 1000), 56); /* nvalid beyond VP: all */
}

Test(quant, dot_multibit)
{
    /* mode 4 on L = 8, 1 lane: slots 0, 1.  w = (-8, 7), a = (0xF, 0x2). */
    uint8_t w[1] = {0x78}, a[1] = {0x2F};
    cr_expect_eq(pk_q_dot(w, a, 1, 8, 4, 1, 2), (-8) * (-1) + 7 * 2);
    cr_expect_eq(pk_q_dot(w, a, 1, 8, 4, 0, 2), (-8) * 15 + 7 * 2);
    cr_expect_eq(pk_q_dot(w, a, 1, 8, 4, 0, 1), -120);
    /* mode 8: most negative times most negative */
    uint8_t w8[1] = {0x80}, a8[1] = {0x80};
    cr_expect_eq(pk_q_dot(w8, a8, 1, 8, 8, 1, 1), 16384);
    cr_expect_eq(pk_q_dot(w8, a8, 1, 8, 8, 0, 1), -16384);
}

Test(quant, acc_update)
{
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_SUM, 100, 5, 1, 0, 1, 20), 5);
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_SUM, 100, -5, 0, 0, 1, 20), 95);
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_MAX, 3, 5, 0, 0, 1, 20), 5);
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_MAX, 3, -5, 0, 0, 1, 20), 3);
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_MAX, 3, 0, 1, 0, 0, 20), -(1 << 19)); /* padding */
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_MAX, -7, 0, 0, 0, 0, 20), -7);       /* excluded */
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_MAX, 3, -9, 1, 0, 1, 20), -9);
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_LOAD, 3, -128, 1, 15, 1, 20), -(1 << 19));
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_LOAD, 3, 127, 1, 4, 1, 20), 127 * 16);
    cr_expect_eq(pk_q_acc_update(PK_Q_OP_LOAD, 3, 127, 1, 15, 1, 32), 127 * 32768);
}

Test(quant, ppu_chain)
{
    pk_q_ppu_cfg_t c = {
        .w = {.acc_bits = 32, .p_bits = 32, .qn_mult_bits = 8, .qn_bias_bits = 24,
              .qn_shift_bits = 5, .dq_mant_bits = 8, .dq_exp_bits = 5, .act_param_bits = 8,
              .act_shift_bits = 4, .res_shift_bits = 4},
        .qn_en = 1, .res_en = 1, .rq_en = 1, .act_mode = PK_Q_ACT_RELU,
        .r_bits = 8, .r_signed = 1, .r_shift = 2, .out_bits = 8, .out_signed = 0};
    pk_q_params_t p = {.m = 3, .b = -10, .s = 2, .M = 5, .E = 3};
    int64_t t[5];
    /* t1 = rshr(100*3 - 10, 2) = rshr(290, 2) = 72 (72.5 -> 73? 290/4 = 72.5 -> 73) */
    uint32_t y = pk_q_ppu_trace(&c, &p, 100, 0xFF /* -1 */, t);
    cr_expect_eq(t[1], 73);
    cr_expect_eq(t[2], 73 - 4);
    cr_expect_eq(t[3], 43);       /* 69 * 5 = 345; 345 / 8 = 43.125 -> 43 */
    cr_expect_eq(t[4], 43);
    cr_expect_eq(y, 43);
    /* negative: relu -> 0 */
    y = pk_q_ppu_trace(&c, &p, -100, 0, t);
    cr_expect_eq(t[1], -77);      /* (-310) / 4 = -77.5 -> -77 */
    cr_expect_eq(y, 0);
    /* field wrap: m = 0x1FD reads as sx(0xFD, 8) = -3 */
    p.m = 0x1FD;
    pk_q_ppu_trace(&c, &p, 100, 0, t);
    cr_expect_eq(t[1], pk_q_rshr(-310, 2));
    /* signed 4-bit output saturates; binarize */
    c.out_bits = 4;
    c.out_signed = 1;
    c.act_mode = PK_Q_ACT_NONE;
    p.m = 3;
    cr_expect_eq(pk_q_ppu(&c, &p, 100, 0), 0x7);
    cr_expect_eq(pk_q_ppu(&c, &p, -100, 0), 0x8);
    c.out_bits = 1;
    cr_expect_eq(pk_q_ppu(&c, &p, -100, 0), 0);
    cr_expect_eq(pk_q_ppu(&c, &p, 100, 0), 1);
}

Test(quant, act_modes)
{
    /* prelu: x < 0 -> rshr(x * an, shift): -10 * 3 >> 2 = -7.5 -> -7 */
    cr_expect_eq(pk_q_act(-10, PK_Q_ACT_PRELU, 3, 0, 0, 0, 2, 0, 0, 32), -7);
    cr_expect_eq(pk_q_act(10, PK_Q_ACT_PRELU, 3, 0, 0, 0, 2, 0, 0, 32), 10);
    cr_expect_eq(pk_q_act(10, PK_Q_ACT_DPRELU, 3, 5, 0, 0, 2, 0, 0, 32), 13); /* 12.5 -> 13 */
    cr_expect_eq(pk_q_act(-10, PK_Q_ACT_DPRELU, 3, 5, 0, 0, 2, 0, 0, 32), -7);
    /* rprelu: u = x - g = -6; v = rshr(-6 * 2, 1) = -6; + z */
    cr_expect_eq(pk_q_act(-2, PK_Q_ACT_RPRELU, 2, 0, 4, 1, 1, 0, 0, 32), -5);
    cr_expect_eq(pk_q_act(9, PK_Q_ACT_RPRELU, 2, 0, 4, 1, 1, 0, 0, 32), 6);
    cr_expect_eq(pk_q_act(-9, PK_Q_ACT_CLIP, 0, 0, 0, 0, 0, -4, 6, 32), -4);
    cr_expect_eq(pk_q_act(9, PK_Q_ACT_CLIP, 0, 0, 0, 0, 0, -4, 6, 32), 6);
    cr_expect_eq(pk_q_act(-9, PK_Q_ACT_RELU, 0, 0, 0, 0, 0, 0, 0, 32), 0);
    /* saturation to P inside prelu: P = 8, x = -128, an = -128 -> +16384 >> 0 */
    cr_expect_eq(pk_q_act(-128, PK_Q_ACT_PRELU, -128, 0, 0, 0, 0, 0, 0, 8), 127);
}

/* Round num / 2^E, ties up or to even, by plain integer division (independent
 * of pk_q_rshr*). */
static int64_t div_round(int64_t num, int E, int even)
{
    int64_t d = (int64_t)1 << E, q = num / d, rem = num % d;
    if (rem < 0)
        q--, rem += d;
    if (2 * rem > d || (2 * rem == d && (!even || (q & 1))))
        q++;
    return q;
}

/* Channel-wise multiply (QUANT.md "Channel-wise multiply", pk_q_ppu_mul): for
 * every operand A and B code of several widths, signs and both rounding modes,
 * the output equals round(a * s * M / 2^E) clipped to the output range; B's
 * value wraps to qn_mult_bits like any m (unsigned 8-bit 200 -> -56 at 8 bits). */
Test(quant, ppu_mul_is_the_rounded_product)
{
    static const struct { int ab, as, rb, rs, mb; } w[] = {
        { 4, 0, 4, 0, 8 }, { 4, 1, 4, 1, 8 }, { 8, 1, 8, 1, 8 }, { 8, 0, 8, 0, 16 },
        { 4, 0, 8, 0, 8 }, /* wraps */
    };
    for (size_t k = 0; k < sizeof w / sizeof *w; k++)
        for (int rm = 0; rm < 2; rm++) {
            pk_q_ppu_cfg_t c = {
                .w = {.acc_bits = 28, .p_bits = 32, .qn_mult_bits = w[k].mb, .qn_bias_bits = 24,
                      .qn_shift_bits = 5, .dq_mant_bits = 8, .dq_exp_bits = 5,
                      .act_param_bits = 8, .act_shift_bits = 4, .res_shift_bits = 4},
                .qn_en = 1, .res_en = 1, .rq_en = 1, .r_bits = w[k].rb, .r_signed = w[k].rs,
                .r_shift = 3, /* ignored: no add */
                .out_bits = 8, .out_signed = 1, .round = rm};
            pk_q_params_t p = {.m = 77 /* replaced by B */, .M = 3, .E = 4};
            int alo = w[k].as ? -(1 << (w[k].ab - 1)) : 0, ahi = alo + (1 << w[k].ab) - 1;
            for (int a = alo; a <= ahi; a++)
                for (uint32_t r = 0; r < (1u << w[k].rb); r++) {
                    int64_t s = w[k].rs && r >= (1u << (w[k].rb - 1)) ? (int64_t)r - (1 << w[k].rb)
                                                                      : (int64_t)r;
                    int64_t half = (int64_t)1 << (w[k].mb - 1);
                    if (s >= half) /* QuantNorm's m is mb bits: it wraps */
                        s -= 2 * half;
                    int64_t v = div_round(a * s * 3, 4, rm);
                    v = v < -128 ? -128 : v > 127 ? 127 : v;
                    uint32_t y = pk_q_ppu_mul(&c, &p, a, r);
                    cr_assert_eq(y, (uint32_t)v & 0xFF, "widths %zu rm %d: a %d r %u: %u, want %lld",
                                 k, rm, a, r, y, (long long)v);
                }
        }
}
