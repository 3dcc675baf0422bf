/* test_sim_timing.c - section 7 of ARCHITECTURE_V1.md, cases computed by hand.
 *
 * Config: R = 2, C = 8, V = 8, L = 8 (one width mode, 8 bits: VP = 8, word 8
 * bytes), PB = 8, LAT = 4, PL = 8.  Descriptor fetch of layer 0: slot 0 in
 * cycle 1 issues 64 bytes (8 beats): D = 1 + 4 + 8 = 13, E_desc =
 * max(0 + 1 + 1, 13) + 1 = 14.  POST of a full tile: R*G + 5 + W + 1 with
 * G = 1, W = 2 rows x 1 beat = 10 cycles.
 */
#include "test_sim_util.h"

#include "pk_timing.h"

static const char *cfg_text(int64_t wbuf, int64_t abuf)
{
    static char b[1024];
    snprintf(b, sizeof b,
             "name: t\nclock_mhz: 100\narray: {rows: 2, cols: 8, lanes: 8}\n"
             "precision: {weight_bits: [8], act_bits: [8], acc_bits: 32, max_reduction: 4096}\n"
             "postproc: {lanes: 8, internal_bits: 32, qn_mult_bits: 8, qn_bias_bits: 24,"
             " qn_shift_bits: 5, dq_mant_bits: 8, dq_exp_bits: 5, act_param_bits: 8,"
             " act_shift_bits: 4, activations: [relu], residual: true, residual_shift_bits: 4,"
             " pooling: [max]}\n"
             "buffers: {weights: %lld, activations: %lld}\n"
             "offchip: {bytes_per_cycle: 8, latency: 4, addr_bits: 32}\nfpga: {family: generic}\n",
             (long long)wbuf, (long long)abuf);
    return b;
}

static pk_counters_t run(const char *cfgt, int w, int kernel, int pad, pk_layer_timing_t *lt)
{
    char net[512];
    snprintf(net, sizeof net,
             "name: t\ninput: {h: 1, w: %d, c: 8, bits: 8, signed: true}\nlayers:\n"
             "  - {name: c, op: conv, out_c: 8, kernel: %d, stride: 1, padding: %d, w_bits: 8,"
             " out_bits: 8}\n", w, kernel, pad);
    pk_config_t *cfg = tsu_cfg(tsu_write("t.yaml", cfgt));
    pk_net_t *n = tsu_net(tsu_write("n.yaml", net));
    pk_hwnet_t *hw = NULL;
    pk_error_t e;
    cr_assert_eq(pk_compile(n, cfg, 0, &hw, &e), 0, "%s", e.msg);
    pk_counters_t c;
    pk_timing_run(hw, lt, &c);
    pk_hwnet_free(hw);
    pk_net_free(n);
    pk_config_free(cfg);
    return c;
}

/* 1x1 conv, 1x2 output: one tile, one step.
 * LOAD at 14: weights 64 B (I = 15, D = 15 + 4 + 8 = 27), two 8-byte patch
 * requests (I = 16, 17: D = max(27 + 2, 16 + 4 + 2) = 29); 3 slots:
 * E_load = max(14 + 1 + 3, 29) + 1 = 30.  COMPUTE 30..33 (1 + 2).
 * POST 33..43. */
Test(sim_timing, single_tile)
{
    pk_layer_timing_t lt;
    pk_counters_t c = run(cfg_text(4096, 4096), 2, 1, 0, &lt);
    cr_expect_eq(lt.desc_end, 14);
    cr_expect_eq(c.v[PK_CNT_CYCLES], 43);
    cr_expect_eq(c.v[PK_CNT_BUSY], 3);
    cr_expect_eq(c.v[PK_CNT_STALL], 33 - 14 - 3);
    cr_expect_eq(c.v[PK_CNT_MACS], 2 * 8 * 8);
    cr_expect_eq(c.v[PK_CNT_DRAM_RD_BYTES], 64 + 64 + 16);
    cr_expect_eq(c.v[PK_CNT_DRAM_RD_REQS], 4);
    cr_expect_eq(c.v[PK_CNT_DRAM_WR_BYTES], 16);
    cr_expect_eq(c.v[PK_CNT_DRAM_WR_REQS], 2);
    cr_expect_eq(c.v[PK_CNT_WBUF_WR], 8);
    cr_expect_eq(c.v[PK_CNT_PBUF_WR], 2);
    cr_expect_eq(c.v[PK_CNT_OUT_ELEMS], 16);
}

/* 1x4 output: two tiles.  Tile 0 as above (E_load 30, E_comp 33, E_post 43).
 * Step 1 loads no weights (Kc = 1, mt = 1): S_load = max(30, E_comp(-1)) = 30,
 * patch I = 31, 32: D = 31 + 4 + 2 = 37, E_load = max(33, 37) + 1 = 38, so
 * its load overlaps tile 0's COMPUTE and POST.  COMPUTE 38..41; POST waits
 * for POST 0: max(41, 43) = 43 .. 53. */
Test(sim_timing, two_tiles_overlap)
{
    pk_layer_timing_t lt;
    pk_counters_t c = run(cfg_text(4096, 4096), 4, 1, 0, &lt);
    cr_expect_eq(c.v[PK_CNT_CYCLES], 53);
    cr_expect_eq(c.v[PK_CNT_BUSY], 6);
    cr_expect_eq(c.v[PK_CNT_STALL], 41 - 14 - 6);
    cr_expect_eq(lt.comp_end, 41);
    cr_expect_eq(c.v[PK_CNT_DRAM_RD_BYTES], 64 + 64 + 32);
}

/* 3x3 conv, padding 1, 1x2 input and output: 9 k-steps (taps), Kc = 1.
 * Only row i = 1 of the kernel is inside; tap (1,0) valid for row 1, (1,1)
 * for both, (1,2) for row 0: 4 requests, 14 holes.  Weights 576 B (72
 * beats): I = 15, D = 91; patch requests at slots 8..11 (I = 23..26) queue
 * behind: D = 95.  E_load = max(14 + 1 + 19, 95) + 1 = 96; COMPUTE 96..107
 * (9 + 2); POST 107..117. */
Test(sim_timing, holes_from_padding)
{
    pk_layer_timing_t lt;
    pk_counters_t c = run(cfg_text(4096, 4096), 2, 3, 1, &lt);
    cr_expect_eq(c.v[PK_CNT_CYCLES], 117);
    cr_expect_eq(c.v[PK_CNT_BUSY], 11);
    cr_expect_eq(c.v[PK_CNT_MACS], 4 * 8 * 8);
    cr_expect_eq(c.v[PK_CNT_PBUF_WR], 18);
    cr_expect_eq(c.v[PK_CNT_DRAM_RD_REQS], 1 + 1 + 4);
    cr_expect_eq(c.v[PK_CNT_DRAM_RD_BYTES], 64 + 576 + 32);
}

/* As above with kc_max = 4 (weights 256 B = 4 words per column, activations
 * 64 B = 4 words per row): Kc = 3, chunks [0,4), [4,8), [8,9).
 * q0: S 14, weights 256 B (32 beats) D = 15 + 4 + 32 = 51, one request at
 *     slot 8 (I = 23) -> 52; E_load 53; COMPUTE 53..59.
 * q1: S = max(53, -inf) = 53, weights D = 54 + 4 + 32 = 90, 3 requests -> 93;
 *     E_load 94; COMPUTE max(94, 59) = 94..100.
 * q2: S = max(94, E_comp(q0) 59) = 94, weights 64 B D = 95 + 4 + 8 = 107,
 *     2 holes; E_load 108; COMPUTE 108..111; POST 111..121. */
Test(sim_timing, chunks_kc_gt_1)
{
    pk_layer_timing_t lt;
    pk_counters_t c = run(cfg_text(256, 64), 2, 3, 1, &lt);
    cr_expect_eq(lt.steps, 3);
    cr_expect_eq(c.v[PK_CNT_CYCLES], 121);
    cr_expect_eq(c.v[PK_CNT_BUSY], 15);
    cr_expect_eq(c.v[PK_CNT_STALL], 111 - 14 - 15);
    cr_expect_eq(c.v[PK_CNT_WBUF_WR], 9 * 8);
    cr_expect_eq(c.v[PK_CNT_DRAM_RD_BYTES], 64 + 256 + 256 + 64 + 32);
    cr_expect_eq(c.v[PK_CNT_DRAM_RD_REQS], 1 + 3 + 4);
}
