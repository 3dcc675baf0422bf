/* test_plan.c - core/pk_plan (the v2 mapper of docs/ARCHITECTURE.md):
 * mapping choices and predicted cycles of small layers, computed by hand
 * from the draft's rules (V2-4, V2-5, V2-7).
 *
 * Config: R = 2, C = 8, V = 8, L = 8 (8-bit only: VP = 8, word 8 bytes),
 * PB = 8, LAT = 4, PL = 8, PPU_LAT 5, V2_ARRAY_LAT 3.  Unless a test says
 * otherwise, buffers.weights = buffers.activations = 4096 bytes per half:
 * wbuf_depth 64 words per column per half, ring bank depth
 * 2 * 4096 / (2 * 8) = 512 words.  Read port (V2-7.1): a run of n requests
 * issued from I with `beats` beats in all ends at
 * D = max(D_prev + beats, I + LAT + beats), usable at D + 1.  The first
 * layer's descriptor (256 bytes, V2-9, V2-11.6): I = 1, 32 beats, D = 37,
 * usable at 38; the controller loads its 64 words in 16 rows of DLW = 4
 * (PB = 8, V2-7.5) and starts the engines (lay_start) at 38 + 18 = 56, so
 * the layer's first unit issues at 57.  (With one word a row, DL = 65:
 * every cycle below from 57 on was 47 later.)
 */
#include "test_sim_util.h"

#include "pk_plan.h"
#include "pk_roofline.h"

static const char *cfg_text(int64_t wbuf, int64_t abuf)
{
    static char b[1024];
    snprintf(b, sizeof b,
             "name: t\nclock_mhz: 100\narray: {rows: 2, cols: 8, lanes: 8}\n"
             "precision: {weight_bits: [8], act_bits: [8], acc_bits: 32, max_reduction: 4096}\n"
             "postproc: {lanes: 8, internal_bits: 32, qn_mult_bits: 8, qn_bias_bits: 24,"
             " qn_shift_bits: 5, dq_mant_bits: 8, dq_exp_bits: 5, act_param_bits: 8,"
             " act_shift_bits: 4, activations: [relu], residual: true, residual_shift_bits: 4,"
             " pooling: [max, global_avg]}\n"
             "buffers: {weights: %lld, activations: %lld}\n"
             "offchip: {bytes_per_cycle: 8, latency: 4, addr_bits: 32}\nfpga: {family: generic}\n",
             (long long)wbuf, (long long)abuf);
    return b;
}

typedef struct fixture {
    pk_config_t *cfg;
    pk_net_t *net;
    pk_hwnet_t *hw;
    pk_plan_t *plan;
} fixture_t;

/* Plan `layers` (YAML list items) on an h x w x c 8-bit input. */
static int plan(fixture_t *f, const char *cfgt, int h, int w, int c, const char *layers,
                const pk_plan_opts_t *o, pk_error_t *e)
{
    char net[2048];
    snprintf(net, sizeof net,
             "name: t\ninput: {h: %d, w: %d, c: %d, bits: 8, signed: true}\nlayers:\n%s", h, w,
             c, layers);
    memset(f, 0, sizeof *f);
    pk_error_clear(e);
    f->cfg = tsu_cfg(tsu_write("t.yaml", cfgt));
    f->net = tsu_net(tsu_write("n.yaml", net));
    cr_assert_eq(pk_compile(f->net, f->cfg, 0, &f->hw, e), 0, "%s", e->msg);
    return pk_plan_make(f->hw, o, &f->plan, e);
}

static void done(fixture_t *f)
{
    pk_plan_free(f->plan);
    pk_hwnet_free(f->hw);
    pk_net_free(f->net);
    pk_config_free(f->cfg);
}

static const pk_plan_layer_t *ok(fixture_t *f, const char *cfgt, int h, int w, int c,
                                 const char *layers)
{
    pk_error_t e;
    cr_assert_eq(plan(f, cfgt, h, w, c, layers, NULL, &e), 0, "%s: %s", e.field, e.msg);
    return pk_plan_layer(f->plan, 0);
}

/* 1x1 conv on 1x2x8 -> 8 channels: flat ring, one tile, one k-step, WS.
 * Weights: 1 k-step x 8 columns x 8 slots x 8 bits = 64 B, I = 57 (after
 * the descriptor and lay_start), D = max(37 + 8, 57 + 4 + 8) = 69, usable
 * 70.  Input row 0 (2 px x 8 B = 16 B, 2 beats): I = 58, D = max(69 + 2,
 * 58 + 4 + 2) = 71, usable 71 + 1 + RING_WR_LAT (3, V2-11.4 item 4) = 75.
 * COMPUTE 75..76.  POST: PPU from 76 + V2_ARRAY_LAT = 79, 2 rows x
 * ceil(8 / 8) = 2 cycles -> 81; the group is the whole pixel (contiguous,
 * 16 B = 2 beats): writes end max(-inf, 81 + 5) + 2 = 88. */
Test(plan, single_tile)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 1, 2, 8,
                                  "  - {name: c, op: conv, out_c: 8, kernel: 1, stride: 1,"
                                  " padding: 0, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->order, PK_ORDER_WS);
    cr_expect_eq(L->ks, 1);
    cr_expect_eq(L->tiles, 1);
    cr_expect_eq(L->ring_rows, 512); /* 512 words x 2 banks / (2 px x 1 word) */
    cr_expect_eq(L->end, 88);
    cr_expect_eq(L->busy, 1);
    cr_expect_eq(L->rd_bytes, 256 + 64 + 16);
    cr_expect_eq(L->rd_reqs, 3);
    cr_expect_eq(L->wr_bytes, 16);
    cr_expect_eq(L->wr_reqs, 1);
    cr_expect_eq(pk_plan_totals(f.plan)->cycles, 88);
    done(&f);
}

/* 1x1 conv on 1x4x8: two pixel tiles.  Weights usable 70 as above; row 0
 * (4 px x 8 B = 32 B, 4 beats): I = 58, D = max(69 + 4, 58 + 4 + 4) = 73,
 * usable 73 + 1 + 3 = 77.  Tile 0: COMPUTE 77..78, PPU 81..83, one
 * group per tile (contiguous 16 B): writes 83 + 5 + 2 = 90.  Tile 1 reads
 * the same row: COMPUTE 78..79; PPU max(79 + 3, 83) = 83..85 (its bank
 * was never used, the staging half of group -1 is free); writes max(90,
 * 85 + 5) + 2 = 92. */
Test(plan, two_tiles_share_a_row)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 1, 4, 8,
                                  "  - {name: c, op: conv, out_c: 8, kernel: 1, stride: 1,"
                                  " padding: 0, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->tiles, 2);
    cr_expect_eq(L->end, 92);
    cr_expect_eq(L->rd_bytes, 256 + 64 + 32);
    cr_expect_eq(L->wr_reqs, 2);
    done(&f);
}

/* A few-channel stride-2 first layer is x-folded (V2-4.2): in_c 3 -> cp 4
 * slots, VP / cp = 2 pixels per word, 2 divides the stride: fx = 2, and a
 * 3x3 kernel takes 3 rows x ceil(3 / 2) = 6 k-steps instead of 9. */
Test(plan, xfold_first_layer)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 8, 8, 3,
                                  "  - {name: c, op: conv, out_c: 8, kernel: 3, stride: 2,"
                                  " padding: 1, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->fx, 2);
    cr_expect_eq(L->ks, 6);
    cr_expect_eq(L->mt, 8); /* 4 x 4 outputs / R */
    cr_expect_eq(L->busy, 8 * 6);
    done(&f);
}

/* Stride 1 cannot fold (windows start at every pixel): fx = 1, Ks = 9. */
Test(plan, no_fold_at_stride_1)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 4, 4, 3,
                                  "  - {name: c, op: conv, out_c: 8, kernel: 3, stride: 1,"
                                  " padding: 1, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->fx, 1);
    cr_expect_eq(L->ks, 9);
    done(&f);
}

/* 1x1 stride-2 on 4 x 4 x 8: only input rows 0 and 2 are read (V2-5 item 2):
 * 2 rows x 32 B of input, not 4. */
Test(plan, stride2_skips_rows)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 4, 4, 8,
                                  "  - {name: c, op: conv, out_c: 8, kernel: 1, stride: 2,"
                                  " padding: 0, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->rd_bytes, 256 + 64 + 2 * 32);
    cr_expect_eq(L->in_refetch, 0);
    done(&f);
}

/* Loop order from the buffer sizes (V2-5 item 3).  3x3 conv 8 -> 32 channels on
 * 4 x 4: Ks = 9 words per column per n-tile, Nt = 4.
 * buffers.weights 1024: wbuf_depth 16 words; 4 x 9 > 32 but 9 <= 16: one
 * n-tile per block (16 / 9 = 1); the whole input (4 rows) fits: IS. */
Test(plan, order_input_resident)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(1024, 4096), 4, 4, 8,
                                  "  - {name: c, op: conv, out_c: 32, kernel: 3, stride: 1,"
                                  " padding: 1, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->order, PK_ORDER_IS);
    cr_expect_eq(L->nb, 1);
    cr_expect_eq(L->nblocks, 4);
    cr_expect_eq(L->w_refetch, 0);
    cr_expect_eq(L->in_refetch, 0);
    cr_expect_eq(L->steps, 4 * 8);
    done(&f);
}

/* The same with weights 4096 (64 words per half, 4 x 9 <= 128): WS. */
Test(plan, order_weights_resident)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 4, 4, 8,
                                  "  - {name: c, op: conv, out_c: 32, kernel: 3, stride: 1,"
                                  " padding: 1, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->order, PK_ORDER_WS);
    cr_expect_eq(L->nblocks, 1);
    done(&f);
}

/* Neither fits: a 16-row image, activations 256 B per half: bank depth
 * 2 * 256 / 16 = 32 words; a 3x3 pad-1 row of 16 px is 18 stored columns ->
 * ceil(18 / 2) = 9 words per bank: 3 rows in the ring (a tile reads 3).
 * weights 1024: one n-tile per block, 4 blocks: WB, the input (16 rows x
 * 128 B) streamed 4 times: 3 x 2048 B re-fetched. */
Test(plan, order_weight_blocks_refetch)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(1024, 256), 16, 16, 8,
                                  "  - {name: c, op: conv, out_c: 32, kernel: 3, stride: 1,"
                                  " padding: 1, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->ring_rows, 3);
    cr_expect_eq(L->span_rows, 3);
    cr_expect_eq(L->order, PK_ORDER_WB);
    cr_expect_eq(L->in_refetch, 3 * 16 * 128);
    cr_expect_eq(L->w_refetch, 0);
    done(&f);
}

/* A tile that reads more rows than the ring holds is a clear error naming
 * the layer: 32 px rows -> 34 columns -> 17 words per bank; 32 / 17 = 1 row. */
Test(plan, band_does_not_fit)
{
    fixture_t f;
    pk_error_t e;
    int rc = plan(&f, cfg_text(1024, 256), 4, 32, 8,
                  "  - {name: big, op: conv, out_c: 8, kernel: 3, stride: 1, padding: 1,"
                  " w_bits: 8, out_bits: 8}\n", NULL, &e);
    cr_expect_eq(rc, PK_EINPUT);
    cr_expect_str_eq(e.field, "big");
    cr_expect(strstr(e.msg, "reads 3 input rows") != NULL, "%s", e.msg);
    cr_expect_null(f.plan);
    done(&f);
}

/* Operand B that does not fit is its own error: an add of two 4 x 32 x 8
 * tensors, activations 256 B per half: 2 * 256 / (2 * 8) = 32 words a bank,
 * half of them for B (V2-3.1); a row is 32 one-word pixels, 16 words a bank:
 * A holds the 1 row a tile reads, B 1 of the 2 a pixel tile reads (ceil(R /
 * out_w) + 1). */
Test(plan, operand_b_does_not_fit)
{
    fixture_t f;
    pk_error_t e;
    int rc = plan(&f, cfg_text(1024, 256), 4, 32, 8,
                  "  - {name: c1, op: conv, out_c: 8, kernel: 1, stride: 1, padding: 0,"
                  " w_bits: 8, out_bits: 8}\n"
                  "  - {name: a, op: add, inputs: [c1, input], out_bits: 8, scale: dq}\n",
                  NULL, &e);
    cr_expect_eq(rc, PK_EINPUT);
    cr_expect_str_eq(e.field, "a");
    cr_expect(strstr(e.msg, "reads 2 rows of operand B") != NULL, "%s", e.msg);
    cr_expect(strstr(e.msg, "holds 1") != NULL, "%s", e.msg);
    done(&f);
}

/* Channel groups (V2-5 item 2): a 3x3 pad-1 depthwise on 4 x 16 x 32
 * channels, activations 512 B per half: bank depth 2 * 512 / 16 = 64 words;
 * a stored row of all 32 channels (Jw = 4) is Gx = ceil(18 / 2) = 9
 * positions x 4 = 36 words a bank: 1 row, a tile reads 3.  Depthwise
 * n-tiles are Cd = 8 channels (one word each): a group of nb n-tiles takes
 * 9 * nb words a row, so nb = 2 (floor(64 / 18) = 3 rows) is the largest
 * whose band fits (its 2 units of 9 words fit a 64-word weight half): WB, 2
 * blocks.  The input (4 rows x 16 px x 32 B = 2048 B) is read once: block b
 * fetches its 16 bytes of each pixel (the strided group fetch, the default
 * since V2-11.4 item 14; re-streamed, cgslice -1, it was read twice:
 * in_refetch 2048).  Steps: 2 blocks x 32 pixel tiles x 2 n-tiles, 9
 * k-steps each. */
Test(plan, depthwise_channel_groups)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 512), 4, 16, 32,
                                  "  - {name: d, op: conv, out_c: 32, kernel: 3, stride: 1,"
                                  " padding: 1, groups: 32, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->order, PK_ORDER_WB);
    cr_expect_eq(L->span_rows, 3);
    cr_expect_eq(L->nb, 2);
    cr_expect_eq(L->nblocks, 2);
    cr_expect_eq(L->jw, 2);
    cr_expect_eq(L->wbw, 18);
    cr_expect_eq(L->ring_rows, 3);
    cr_expect(L->cgs);
    cr_expect_eq(L->in_refetch, 0);
    cr_expect_eq(L->w_refetch, 0);
    cr_expect_eq(L->rd_bytes, 256 + 4 * 72 + 2048);
    cr_expect_eq(L->steps, 2 * 32 * 2);
    cr_expect_eq(L->busy, 2 * 32 * 2 * 9);
    done(&f);
}

/* The same layer with weights of 1024 B per half (16 words a column): a
 * WB block (one half) holds 1 unit of 9 words, 4 blocks; an NS block (both
 * halves, 32 words) holds 3, of which the ring takes 2: NS in 2 blocks (the
 * fewer passes), block 1's weights loaded after block 0's last step; the
 * input read once, in block slices (WB's one-unit blocks have Jw = 1, which
 * the strided group fetch's rule does not build on this R, V2-5 item 2). */
Test(plan, depthwise_channel_groups_both_halves)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(1024, 512), 4, 16, 32,
                                  "  - {name: d, op: conv, out_c: 32, kernel: 3, stride: 1,"
                                  " padding: 1, groups: 32, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->order, PK_ORDER_NS);
    cr_expect_eq(L->nb, 2);
    cr_expect_eq(L->nblocks, 2);
    cr_expect_eq(L->jw, 2);
    cr_expect_eq(L->ring_rows, 3);
    cr_expect(L->cgs);
    cr_expect_eq(L->in_refetch, 0);
    cr_expect_eq(L->rd_bytes, 256 + 4 * 72 + 2048);
    done(&f);
}

/* The same band with a CONV is still refused (its output channels read all
 * input channels): 4 x 16 x 32 -> 8, 3x3. */
Test(plan, conv_band_does_not_fit)
{
    fixture_t f;
    pk_error_t e;
    int rc = plan(&f, cfg_text(4096, 512), 4, 16, 32,
                  "  - {name: big, op: conv, out_c: 8, kernel: 3, stride: 1, padding: 1,"
                  " w_bits: 8, out_bits: 8}\n", NULL, &e);
    cr_expect_eq(rc, PK_EINPUT);
    cr_expect_str_eq(e.field, "big");
    cr_expect(strstr(e.msg, "reads 3 input rows") != NULL, "%s", e.msg);
    done(&f);
}

/* KC: an n-tile's 3x3 x 128 channels = 144 k-steps exceed even both 64-word
 * halves: chunks of 64, 64 and 16 k-steps, each fetched per pixel tile (v1's
 * behaviour, counted as re-fetch). */
Test(plan, order_k_chunks)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 2, 2, 128,
                                  "  - {name: c, op: conv, out_c: 8, kernel: 3, stride: 1,"
                                  " padding: 1, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->order, PK_ORDER_KC);
    cr_expect_eq(L->kc, 64);
    cr_expect_eq(L->steps, 2 * 3); /* pixel tiles x chunks */
    cr_expect_eq(L->busy, 2 * 144);
    /* the second pixel tile fetches the n-tile's 144 x 8 x 8 B again */
    cr_expect_eq(L->w_refetch, 144 * 64);
    done(&f);
}

/* NS: 3x3 x 64 channels = 72 k-steps > a 64-word half but <= both, two
 * n-tiles (144 words > 128), input resident: for n-tile (both halves): for
 * pixel tile.  Weights read once. */
Test(plan, order_ntile_both_halves)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 2, 2, 64,
                                  "  - {name: c, op: conv, out_c: 16, kernel: 3, stride: 1,"
                                  " padding: 1, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->order, PK_ORDER_NS);
    cr_expect_eq(L->nblocks, 2);
    cr_expect_eq(L->steps, 2 * 2);
    cr_expect_eq(L->w_refetch, 0);
    cr_expect_eq(L->in_refetch, 0);
    done(&f);
}

/* Bursts: max_burst 16 splits a 40-byte row (5 px x 8 B) into 16 + 16 + 8. */
Test(plan, burst_split)
{
    fixture_t f;
    pk_error_t e;
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    o.max_burst = 16;
    cr_assert_eq(plan(&f, cfg_text(4096, 4096), 1, 5, 8,
                      "  - {name: c, op: conv, out_c: 8, kernel: 1, stride: 1, padding: 0,"
                      " w_bits: 8, out_bits: 8}\n", &o, &e), 0, "%s", e.msg);
    const pk_plan_layer_t *L = pk_plan_layer(f.plan, 0);
    /* descriptor 256 B = 16 + weights 64 B = 4 + row 3 */
    cr_expect_eq(L->rd_reqs, 16 + 4 + 3);
    done(&f);
}

/* Compact records (V2-3.2): QuantNorm 8 + 5 + 24 bits and DQ 8 + 5 bits =
 * 50 bits -> 8 bytes per channel, beside the 64-byte weight unit.  Timing
 * as single_tile with a 128-byte unit: I = 57, D = max(37 + 16, 57 + 4 +
 * 16) = 77; row 0: I = 58, D = max(77 + 2, 58 + 4 + 2) = 79, usable 79 +
 * 1 + 3 = 83.  COMPUTE 83: one k-step and the tail (V2-11.4 item 1: one
 * record word per column to POST) -> 85.  PPU 88..90, writes 90 + 5 + 2 =
 * 97. */
Test(plan, compact_records)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 1, 2, 8,
                                  "  - {name: c, op: conv, out_c: 8, kernel: 1, stride: 1,"
                                  " padding: 0, w_bits: 8, out_bits: 8, quant: per_channel,"
                                  " norm: quantnorm, scale: dq}\n");
    cr_expect_eq(L->rd_bytes, 256 + 64 + 8 * 8 + 16);
    cr_expect_eq(L->busy, 2);
    cr_expect_eq(L->end, 97);
    done(&f);
}

/* The accumulator read port packs rows (V2-7.4, V2-11.4 item 2): the
 * tile's 4 columns give cw = 4 <= PL / 2 = 4, so one read returns
 * floor(8 / 4) = 2 rows.  Weights 32 B: I = 57, D = max(37 + 4, 57 + 4 + 4)
 * = 65; row 0: I = 58, D = max(65 + 2, 58 + 4 + 2) = 67, usable 67 + 1
 * + 3 = 71.  COMPUTE 71..72, PPU 75 + ceil(2 rows / 2) = 76 (one row
 * per read gave 77), writes 76 + 5 + 1 beat (2 px x 4 B) = 82. */
Test(plan, ppu_packs_rows)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 1, 2, 8,
                                  "  - {name: c, op: conv, out_c: 4, kernel: 1, stride: 1,"
                                  " padding: 0, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->busy, 1);
    cr_expect_eq(L->end, 82);
    done(&f);
}

/* 5 columns: cw = pow2_ceil(5) = 8 = PL, one row per read.  Weights 5 x 8
 * B = 40 B (5 beats): I = 57, D = max(37 + 5, 57 + 4 + 5) = 66; row 0 (2
 * beats): I = 58, D = max(66 + 2, 58 + 4 + 2) = 68, usable 68 + 1 + 3 =
 * 72.  COMPUTE 72..73, PPU 76 + 2 rows = 78, writes 2 px x 5 B = 10 B
 * in one run (whole pixels), 2 beats: 78 + 5 + 2 = 85. */
Test(plan, ppu_no_packing_past_half)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 1, 2, 8,
                                  "  - {name: c, op: conv, out_c: 5, kernel: 1, stride: 1,"
                                  " padding: 0, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->rd_bytes, 256 + 40 + 16);
    cr_expect_eq(L->wr_bytes, 10);
    cr_expect_eq(L->end, 85);
    done(&f);
}

/* rows per read (V2-7.4) on the lane counts of the configs: PL / pow2_ceil(nc)
 * when that is >= 1, else 1; PL = 12 (not a power of two) packs 3 rows of 3
 * or 4 columns, one row of 5 to 12. */
Test(plan, ppu_rows_per_read)
{
    cr_expect_eq(pk_v2_ppu_rows_per_read(32, 64), 2);   /* cloud 4-bit DW: Cd = 32 */
    cr_expect_eq(pk_v2_ppu_rows_per_read(33, 64), 1);
    cr_expect_eq(pk_v2_ppu_rows_per_read(64, 64), 1);
    cr_expect_eq(pk_v2_ppu_rows_per_read(100, 64), 1);
    cr_expect_eq(pk_v2_ppu_rows_per_read(1, 16), 16);
    cr_expect_eq(pk_v2_ppu_rows_per_read(3, 12), 3);
    cr_expect_eq(pk_v2_ppu_rows_per_read(4, 12), 3);
    cr_expect_eq(pk_v2_ppu_rows_per_read(5, 12), 1);
    cr_expect_eq(pk_v2_ppu_cycles(64, 32, 64), 32);
    cr_expect_eq(pk_v2_ppu_cycles(7, 3, 12), 3);        /* ceil(7 / 3) */
    cr_expect_eq(pk_v2_ppu_cycles(16, 100, 64), 32);    /* 16 rows x 2 groups */
    /* global pool: chunks of 3 2-bit codes (6 bits) do not end on a byte: one
     * chunk per read; 4 codes (one byte) pack 4 chunks per read */
    cr_expect_eq(pk_v2_ppu_pool_cycles(4, 3, 2, 16), 4);
    cr_expect_eq(pk_v2_ppu_pool_cycles(4, 4, 2, 16), 1);
    cr_expect_eq(pk_v2_ppu_pool_cycles(5, 32, 4, 64), 3);
}

/* Global average pool on 3 x 3 x 16 (V2-4.4): rows = channel chunks of
 * Cd = 8, k-step = input pixel, one step per input row: one pass of 2 rows,
 * 3 steps of 3 k-steps. */
Test(plan, global_pool)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 3, 3, 16,
                                  "  - {name: g, op: global_avgpool, out_bits: 8}\n");
    cr_expect(L->global_pool);
    cr_expect_eq(L->mt, 1);
    cr_expect_eq(L->ks, 9);
    cr_expect_eq(L->steps, 3);
    cr_expect_eq(L->busy, 9);
    cr_expect_eq(L->wr_bytes, 16);
    cr_expect_eq(L->in_refetch, 0);
    done(&f);
}

/* Global pool on 8 x 8 x 32 with activations 256 B: ring 2 x 32 words, a
 * row is 8 px x 4 words = 32 words: 2 rows < 8.  32 channels = 4 chunks of
 * 8 = 2 passes of R = 2 rows, so without the channel-slice fetch (gslice
 * -1) the input (8 x 8 x 32 B) streams twice. */
Test(plan, global_pool_restreams)
{
    fixture_t f;
    pk_error_t e;
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    o.gslice = -1;
    cr_assert_eq(plan(&f, cfg_text(4096, 256), 8, 8, 32,
                      "  - {name: g, op: global_avgpool, out_bits: 8}\n", &o, &e), 0, "%s", e.msg);
    const pk_plan_layer_t *L = pk_plan_layer(f.plan, 0);
    cr_expect_eq(L->ring_rows, 2);
    cr_expect_eq(L->mt, 2);
    cr_expect_eq(L->steps, 2 * 8);
    cr_expect_eq(L->in_refetch, 8 * 8 * 32);
    cr_expect_eq(L->gsl, 0);
    done(&f);
}

/* The same pool with the default, V2-4.4's channel-slice fetch (the rule:
 * R * Cd = 16 channels a pass, 32 a multiple of it, a 16-byte slice of 2
 * beats): pass t fetches bytes [16 t, 16 t + 16) of each pixel, one request
 * of 16 bytes a pixel, the ring holds Js = 2 words a pixel, 32 px = 4 rows,
 * and the input is read once. */
Test(plan, global_pool_slices)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 256), 8, 8, 32,
                                  "  - {name: g, op: global_avgpool, out_bits: 8}\n");
    cr_expect_eq(L->gsl, 1);
    cr_expect_eq(L->jw, 2);
    cr_expect_eq(L->gs_bytes, 16);
    cr_expect_eq(L->gs_ps, 32);
    cr_expect_eq(L->ring_rows, 4);
    cr_expect_eq(L->mt, 2);
    cr_expect_eq(L->steps, 2 * 8);
    cr_expect_eq(L->in_refetch, 0);
    /* the descriptor, the per-tensor record, then a request a pixel and pass */
    cr_expect_eq(L->rd_reqs, 2 + 2 * 8 * 8, "%lld", (long long)L->rd_reqs);
    done(&f);
}

/* Layers run back to back: the second starts at the first's last write,
 * and its descriptor was fetched while the first ran. */
Test(plan, layers_in_sequence)
{
    fixture_t f;
    ok(&f, cfg_text(4096, 4096), 1, 2, 8,
       "  - {name: a, op: conv, out_c: 8, kernel: 1, stride: 1, padding: 0, w_bits: 8,"
       " out_bits: 8}\n"
       "  - {name: b, op: conv, out_c: 8, kernel: 1, stride: 1, padding: 0, w_bits: 8,"
       " out_bits: 8}\n");
    const pk_plan_layer_t *A = pk_plan_layer(f.plan, 0), *B = pk_plan_layer(f.plan, 1);
    cr_expect_eq(B->start, A->end);
    /* b's descriptor: I = 59 (after a's row), D = max(71 + 32, 59 + 4 + 32)
     * = 103, usable 104 (a descriptor is no ring row: no RING_WR_LAT),
     * while a runs (a ends at 88); b's lay_start at max(104, 88) + 18 = 122,
     * its weights issue at 123 (a's at 57) and everything after follows as
     * in a: 123 + (88 - 57) = 154 */
    cr_expect_eq(A->end, 88);
    cr_expect_eq(B->end, 154);
    cr_expect_eq(pk_plan_totals(f.plan)->cycles, B->end);
    done(&f);
}

/* Depthwise (V2-4.3): Cd = min(C, VP) = 8 channels per n-tile, one k-step
 * per tap; weights stored dense: 9 taps x 8 channels x 8 bits = 72 B. */
Test(plan, depthwise_dense_weights)
{
    fixture_t f;
    const pk_plan_layer_t *L = ok(&f, cfg_text(4096, 4096), 2, 2, 8,
                                  "  - {name: d, op: conv, out_c: 8, kernel: 3, stride: 1,"
                                  " padding: 1, groups: 8, w_bits: 8, out_bits: 8}\n");
    cr_expect_eq(L->ct, 8);
    cr_expect_eq(L->ks, 9);
    cr_expect_eq(L->rd_bytes, 256 + 72 + 2 * 16);
    cr_expect_eq(L->busy, 4 / 2 * 9); /* 2 pixel tiles x 1 n-tile x 9 taps */
    done(&f);
}

/* Every zoo network on edge and cloud: the plan exists, is deterministic,
 * and no layer beats what its own engines can do: COMPUTE issues one k-step
 * per cycle (busy >= sim/pk_roofline's compute term), the read port moves
 * PB bytes per cycle after the layer's start, the write port likewise. */
static void zoo_check(const char *cfgname, const char *netname)
{
    char cp[512], np[512];
    snprintf(cp, sizeof cp, "%s/hw_configs/%s.yaml", PIKE_SOURCE_ROOT, cfgname);
    snprintf(np, sizeof np, "%s/networks/%s.yaml", PIKE_SOURCE_ROOT, netname);
    pk_config_t *cfg = tsu_cfg(cp);
    pk_net_t *net = tsu_net(np);
    pk_hwnet_t *hw = NULL;
    pk_plan_t *a = NULL, *b = NULL;
    pk_error_t e;
    pk_error_clear(&e);
    cr_assert_eq(pk_compile(net, cfg, 0, &hw, &e), 0, "%s", e.msg);
    cr_assert_eq(pk_plan_make(hw, NULL, &a, &e), 0, "%s/%s: %s: %s", cfgname, netname, e.field,
                 e.msg);
    cr_assert_eq(pk_plan_make(hw, NULL, &b, &e), 0);
    const int64_t PB = cfg->offchip.bytes_per_cycle;
    for (int i = 0; i < pk_plan_n_layers(a); i++) {
        const pk_plan_layer_t *L = pk_plan_layer(a, i);
        cr_expect_eq(memcmp(L, pk_plan_layer(b, i), sizeof *L), 0, "%s: not deterministic",
                     hw->layers[i].name);
        pk_roofline_t rf;
        pk_roofline_layer(hw, i, &rf);
        cr_expect_geq(L->busy, rf.compute_cycles, "%s", hw->layers[i].name);
        cr_expect_geq(L->cycles, L->busy, "%s", hw->layers[i].name);
        cr_expect_geq(L->cycles * PB, L->rd_bytes - 256, "%s", hw->layers[i].name);
        cr_expect_geq(L->cycles * PB, L->wr_bytes, "%s", hw->layers[i].name);
        cr_expect_geq(L->w_refetch, 0, "%s", hw->layers[i].name);
        cr_expect(L->end >= L->start && (i == 0 || L->start == pk_plan_layer(a, i - 1)->end));
    }
    const pk_plan_totals_t *t = pk_plan_totals(a);
    cr_expect_eq(t->cycles, pk_plan_layer(a, pk_plan_n_layers(a) - 1)->end);
    pk_plan_free(a);
    pk_plan_free(b);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_config_free(cfg);
}

Test(plan, zoo_invariants, .timeout = 120)
{
    static const char *const nets[] = {"resnet18_w4a4", "resnet50_w4a4", "mobilenetv2_w4a4",
                                       "pikelpn_1x", "resnet18_w8a8", "pokebnn_1_0"};
    for (size_t n = 0; n < sizeof nets / sizeof *nets; n++) {
        zoo_check("edge", nets[n]);
        zoo_check("cloud", nets[n]);
    }
}
