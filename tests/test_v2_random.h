/* test_v2_random.h - seeded random configs and networks for the v2 tests
 * (every layer kind, x-fold, strides, residual add, global pool, fc, input
 * zero points): plain C without Criterion, so that the Verilator harnesses
 * of tests/rtl/ draw the same cases as tests/test_v2_*.c (through
 * test_v2_util.h). */
#ifndef TEST_V2_RANDOM_H
#define TEST_V2_RANDOM_H

#include <stdint.h>
#include <stdio.h>

static uint64_t rng_state; /* seed before each draw */

static inline int rr(int lo, int hi)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (int)((rng_state >> 33) % (uint64_t)(hi - lo + 1));
}

static inline const char *random_cfg(void)
{
    static char b[1400];
    int R = 1 << rr(0, 3), C = 1 << rr(1, 4), V = 1 << rr(2, 3);
    int PL = C >> rr(0, 1 < C ? 1 : 0);
    int lg = 0; /* PB <= C * word_bytes (word_bytes = V at 8-bit slots) */
    while ((2 << lg) <= C * V && lg < 4)
        lg++;
    int PB = 1 << rr(1, lg);
    snprintf(b, sizeof b,
             "name: r\nclock_mhz: 100\narray: {rows: %d, cols: %d, lanes: %d}\n"
             "precision: {weight_bits: [4, 8], act_bits: [4, 8], acc_bits: 32,"
             " max_reduction: 16384}\n"
             "postproc: {lanes: %d, internal_bits: 32, qn_mult_bits: 8, qn_bias_bits: 24,"
             " qn_shift_bits: 5, dq_mant_bits: 8, dq_exp_bits: 5, act_param_bits: 8,"
             " act_shift_bits: 4, activations: [relu], residual: true, residual_shift_bits: 4,"
             " pooling: [max, global_avg]}\n"
             "buffers: {weights: %d, activations: %d}\n"
             "offchip: {bytes_per_cycle: %d, latency: %d, addr_bits: 32}\nfpga: {family: generic}\n",
             R, C, V, PL, 1 << rr(9, 13), 1 << rr(11, 15), PB, rr(1, 40));
    return b;
}

/* conv (maybe strided, maybe few channels) -> depthwise -> 1x1 -> add
 * (residual) -> maxpool -> 3x3 -> global pool -> fc, random sizes.  The
 * depthwise conv and the 3x3 conv pad with an input zero point (V2-6.3) taken
 * from the sizes already drawn (c1 mod 16, c2 mod 16, 0 included), so that
 * the draws, and every other part of the cases, are as before; c0 has none
 * (the plan would not x-fold it).  The 3x3 conv's left pad is c2 mod 3 and
 * its right pad 2 minus it (word 13's left pad of its own, V2-3.1; its top
 * and bottom pads 1), the same output shape and no new draw. */
static inline const char *random_net(void)
{
    static char b[3000];
    int h = rr(5, 40), w = h, c = rr(1, 20), c1 = rr(2, 64), c2 = rr(2, 64);
    int k = rr(0, 1) ? 3 : 1, s = rr(1, 2), k2 = rr(0, 1) ? 7 : 3;
    const char *q = "w_bits: 4, out_bits: 4, out_signed: false, quant: per_channel, norm: "
                    "quantnorm, scale: dq, act: relu";
    snprintf(b, sizeof b,
             "name: rnd\ninput: {h: %d, w: %d, c: %d, bits: 8, signed: true}\nseed: 3\nlayers:\n"
             "  - {name: c0, op: conv, inputs: [input], out_c: %d, kernel: %d, stride: %d,"
             " padding: %d, w_bits: 8, out_bits: 4, out_signed: false, quant: per_channel,"
             " norm: quantnorm, scale: dq, act: relu}\n"
             "  - {name: dw, op: conv, inputs: [c0], out_c: %d, kernel: 3, stride: 1, padding: 1,"
             " groups: %d, in_zero_point: %d, %s}\n"
             "  - {name: pw, op: conv, inputs: [dw], out_c: %d, kernel: 1, stride: 1, padding: 0,"
             " %s}\n"
             "  - {name: add, op: add, inputs: [pw, c0], out_bits: 4, out_signed: false,"
             " scale: dq, act: relu}\n"
             "  - {name: mp, op: maxpool, inputs: [add], kernel: 2, stride: 2, padding: 0}\n"
             "  - {name: c3, op: conv, inputs: [mp], out_c: %d, kernel: 3, stride: 1, pad_top: 1,"
             " pad_left: %d, pad_bottom: 1, pad_right: %d, in_zero_point: %d, %s}\n"
             "  - {name: gap, op: global_avgpool, inputs: [c3], out_bits: 8}\n"
             "  - {name: fc, op: fc, inputs: [gap], out_c: %d, w_bits: 8, out_bits: 8,"
             " out_signed: true, quant: per_channel, norm: none, scale: dq, act: none}\n",
             h, w, c, c1, k2 == 7 ? 7 : k, s, (k2 == 7 ? 7 : k) / 2, c1, c1, c1 % 16, q, c1, q, c2,
             c2 % 3, 2 - c2 % 3, c2 % 16, q, rr(1, 30));
    return b;
}


#endif
