/* test_check_v2conv.c - pikecheck --arch v2 runs pk_core2 under Verilator
 * on tests/data/check/v2/convs.yaml (a 1x1 and a 3x3 conv, WS order) on
 * tests/data/check/v2/tiny2.yaml with zero differences: every output code,
 * the per-layer and one-start cycles and V2-9's 14 counters; and is.yaml
 * (two convs and a depthwise conv the compiler maps in the IS order: weight blocks in alternate
 * weight halves, pixel tiles again for every block; the plan is checked
 * first, or the test checks nothing new); and wb.yaml (a 3x3 conv, a depthwise conv and
 * a flat 1x1 conv of an odd pixel count on R = 2 the compiler maps in the WB order: the
 * input streamed again for every weight block, V2-5, V2-6.1); and ns.yaml (three convs
 * the compiler maps in the NS order: blocks of one n-tile whose unit spans both weight
 * halves, each loaded once the previous block's last step has ended, V2-11.4 item 10); and
 * prefix.yaml / prefix3.yaml (a flat 1x1 conv in WB with a resident prefix, V2-5 item 3,
 * V2-11.4 item 12: rows 0 .. P - 1 kept, the rest streamed again for every block; prefix3's
 * stream wraps inside a ring row); and zp.yaml (input zero points, V2-6.3: padding taps of
 * CONV, DW and sum pools read the zero-point word); and geom.yaml (word 13's column
 * stride and left pad, V2-3.1); and csl.yaml (grouped convs: each group a CONV reading a
 * channel slice of whole beats, V2-6.1, the descriptor's CSL). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_cli_util.h"
#include "test_v2_util.h"

#define DATA PIKE_SOURCE_ROOT "/tests/data/check"

Test(check_v2conv, convs_on_tiny2, .timeout = 1200)
{
    char *o;
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/convs.yaml", "2 hardware layers, arch v2", &o);
}

Test(check_v2conv, is_order_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/is.yaml", 0, &e), 0, "%s", e.msg);
    for (int i = 0; i < f.hw->n_layers; i++)
        cr_assert_eq(pk_plan_layer(f.plan, i)->order, PK_ORDER_IS, "layer %d not IS", i);
    /* c2: blocks of several n-tiles, the last one shorter */
    const pk_plan_layer_t *L = pk_plan_layer(f.plan, 1);
    cr_assert(L->nb > 1 && L->nt % L->nb, "c2: nb %lld, nt %lld", (long long)L->nb,
              (long long)L->nt);
    fx_free(&f);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/is.yaml", "3 hardware layers, arch v2", &o);
}

Test(check_v2conv, wb_order_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/wb.yaml", 0, &e), 0, "%s", e.msg);
    cr_assert_eq(f.hw->n_layers, 4);
    /* c1 (windowed 3x3), dw (depthwise), c2 (flat 1x1): WB of several passes; c3 WS */
    for (int i = 0; i < 3; i++) {
        const pk_plan_layer_t *L = pk_plan_layer(f.plan, i);
        cr_assert_eq(L->order, PK_ORDER_WB, "layer %d not WB", i);
        cr_assert(L->nblocks >= 3, "layer %d: %lld blocks", i, (long long)L->nblocks);
        cr_assert(L->ring_rows < f.hw->layers[i].in_h, "layer %d: the ring holds the input", i);
    }
    cr_assert(pk_plan_layer(f.plan, 2)->flat, "c2 not flat");
    /* c2's passes start inside a ring row (V2-11.4 item 9: pk_core2's flat read, two rows) */
    cr_assert((int64_t)f.hw->layers[2].in_h * f.hw->layers[2].in_w % f.cfg->array.rows != 0,
              "c2: R divides its pixels");
    fx_free(&f);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/wb.yaml", "4 hardware layers, arch v2", &o);
}

Test(check_v2conv, ns_order_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/ns.yaml", 0, &e), 0, "%s", e.msg);
    cr_assert_eq(f.hw->n_layers, 4);
    /* c1, c2, c3: NS (a unit over one weight half, within both; the ring holds the input),
     * blocks of one n-tile, several of them; c4 WS */
    int64_t half = f.cfg->d.wbuf_depth;
    for (int i = 0; i < 3; i++) {
        const pk_plan_layer_t *L = pk_plan_layer(f.plan, i);
        cr_assert_eq(L->order, PK_ORDER_NS, "layer %d not NS", i);
        cr_assert_eq(L->nb, 1, "layer %d: nb %lld", i, (long long)L->nb);
        cr_assert(L->nt >= 2, "layer %d: %lld n-tiles", i, (long long)L->nt);
        const pk_hwlayer_t *h = &f.hw->layers[i];
        int64_t wby = f.cfg->d.word_bytes;
        int64_t wu = L->ks + (h->uses_params && !h->per_tensor ? (L->rec + wby - 1) / wby : 0);
        cr_assert(wu > half && wu <= 2 * half, "layer %d: unit of %lld words, halves of %lld", i,
                  (long long)wu, (long long)half);
        cr_assert_geq(L->ring_rows, h->in_h, "layer %d: the ring does not hold the input", i);
    }
    cr_assert_eq(pk_plan_layer(f.plan, 3)->order, PK_ORDER_WS, "c4 not WS");
    fx_free(&f);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/ns.yaml", "4 hardware layers, arch v2", &o);
}

/* A resident prefix (V2-5 item 3, V2-11.4 item 12): the default plan (the rule) keeps rows
 * 0 .. P - 1 of p1's input for the layer; prefix.yaml: P = 14 of CAP = 16, NP = 28 a multiple
 * of R = 2; prefix3.yaml: P = 7, NP = 21, so the stream wraps inside a ring row.  The rule now
 * runs p1 as NS with passes (V2-11.4 item 16: blocks in both weight halves, each a pass, the
 * prefix's reads as WB's); the WB form is the unit harnesses' (`rtl_*_prefix_wb`) */
static void prefix_case(const char *net, int64_t pre, int64_t npm)
{
    fx_t f;
    pk_error_t e;
    char *o;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", net, 0, &e), 0, "%s", e.msg);
    const pk_plan_layer_t *L = pk_plan_layer(f.plan, 0);
    const pk_hwlayer_t *h = &f.hw->layers[0];
    cr_assert(L->order == PK_ORDER_NS && L->flat && L->nb >= 2, "p1 not flat NS with passes");
    cr_assert(L->nblocks >= 2, "p1: %lld blocks", (long long)L->nblocks);
    cr_assert_eq(L->pre, pre, "p1: P %lld", (long long)L->pre);
    cr_assert_eq(L->pre * h->in_w % f.cfg->array.rows, npm, "p1: NP mod R");
    fx_free(&f);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", net, "2 hardware layers, arch v2", &o);
}

Test(check_v2conv, resident_prefix_on_tiny2, .timeout = 1200)
{
    prefix_case(DATA "/v2/prefix.yaml", 14, 0);
    prefix_case(DATA "/v2/prefix3.yaml", 7, 1);
}

/* NS with passes without a prefix (V2-5 item 3, V2-11.4 item 16): nspass.yaml's p1, 2 NS
 * blocks of three n-tiles, each a pass over the input whose 63 pixels are odd (R = 2): the flat
 * stream goes on into each pass inside a ring row (pk_core2's fbr, as WB's) */
Test(check_v2conv, ns_passes_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/nspass.yaml", 0, &e), 0, "%s", e.msg);
    const pk_plan_layer_t *L = pk_plan_layer(f.plan, 0);
    const pk_hwlayer_t *h = &f.hw->layers[0];
    cr_assert(L->order == PK_ORDER_NS && L->flat && L->nb == 3 && L->pre == 0,
              "p1 not NS with passes of 3 n-tiles, no prefix");
    cr_assert_eq(L->nblocks, 2);
    cr_assert(L->ring_rows < h->in_h, "p1: the ring holds the input");
    cr_assert(h->in_h * h->in_w % f.cfg->array.rows != 0, "p1: R divides its pixels");
    fx_free(&f);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/nspass.yaml", "2 hardware layers, arch v2", &o);
}

/* Input zero points (V2-6.3): zp.yaml's padding taps of CONV, DW and the sum pool read the
 * zero-point word (the IN_ZP code widened into every slot, with a valid row's operand count:
 * c1's 1-bit weights past its 12 channels in VP = 16 slots must see zeros), the max pool
 * ignores it; c0 is planned unfolded (a 3-channel stride-2 layer the plan folds without a zero
 * point, V2-4.2). */
Test(check_v2conv, zero_point_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/zp.yaml", 0, &e), 0, "%s", e.msg);
    cr_assert_eq(f.hw->n_layers, 7);
    cr_assert_eq(pk_plan_layer(f.plan, 0)->fx, 1, "c0 x-folded");
    for (int i = 0; i < 7; i++)
        cr_assert_eq(f.hw->layers[i].in_zp != 0, i != 5, "layer %d: in_zp %d", i,
                     f.hw->layers[i].in_zp);
    fx_free(&f);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/zp.yaml", "7 hardware layers, arch v2", &o);
}

/* geom.yaml: word 13's geometry (V2-3.1: a column stride and a left pad of
 * their own) in six of its seven layers (g3: a left pad without a right
 * one, top and left equal), and g0 x-folded by its column stride (fx = 2,
 * its row stride 1), its odd left pad starting the row's first stored word
 * at sub-pixel 1.  The one-start run also covers a
 * 1-row max pool without a record (mp: its program is one row) followed by
 * another layer: the loader reaches the next descriptor in the cycle after
 * lay_start, which pk_core2 holds from then on (pk_ctrl2's request in A_L). */
Test(check_v2conv, word13_geometry_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/geom.yaml", 0, &e), 0, "%s", e.msg);
    cr_assert_eq(f.hw->n_layers, 7);
    cr_assert_eq(pk_plan_layer(f.plan, 0)->fx, 2, "g0 not x-folded by its column stride");
    for (int i = 0; i < 6; i++) {
        const pk_hwlayer_t *h = &f.hw->layers[i];
        cr_assert(h->stride_w != h->stride || h->pad_l != h->pad, "layer %d: stride %dx%d pad %d/%d",
                  i, h->stride, h->stride_w, h->pad, h->pad_l);
    }
    fx_free(&f);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/geom.yaml", "7 hardware layers, arch v2", &o);
}

Test(check_v2conv, channel_slices_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/csl.yaml", 0, &e), 0, "%s", e.msg);
    cr_assert_eq(f.hw->n_layers, 10);
    for (int i = 0; i < f.hw->n_layers; i++) {
        const pk_hwlayer_t *h = &f.hw->layers[i];
        /* a slice of the input (not all its channels) of whole 4-byte beats */
        cr_assert(h->in_c_total > h->in_c && h->in_c * h->a_bits % 32 == 0, "layer %d: %d of %d",
                  i, h->in_c, h->in_c_total);
        /* stride 2 on 8 4-bit channels (g2, gf) x-folded by 2 (VP = 16), the others not */
        cr_assert_eq(pk_plan_layer(f.plan, i)->fx, i >= 4 ? 2 : 1, "layer %d", i);
    }
    fx_free(&f);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/csl.yaml", "10 hardware layers, arch v2", &o);
}

/* A grouped conv's channel slices that end inside a beat (V2-6.2, V2-11.4 item 17: each pixel's
 * slice a run whose last beat's bytes past it pk_ld2a drops, l_prun): slices of 1, 6, 2, 3 and
 * 1 bytes on tiny2's 4-byte beats, h2 and hf x-folded (a folded group open across beats). */
Test(check_v2conv, sub_beat_slices_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/csl2.yaml", 0, &e), 0, "%s", e.msg);
    cr_assert_eq(f.hw->n_layers, 18);
    static const int sl[5] = {1, 6, 2, 3, 1}, groups[5] = {4, 2, 6, 2, 4}, fx[5] = {1, 1, 2, 1, 2};
    for (int i = 0, l = 0; i < f.hw->n_layers; l++)
        for (int g = 0; g < groups[l]; g++, i++) {
            const pk_hwlayer_t *h = &f.hw->layers[i];
            cr_assert(h->in_c_total > h->in_c, "layer %d: %d of %d", i, h->in_c, h->in_c_total);
            cr_assert_eq(h->in_c * h->a_bits / 8, sl[l], "layer %d", i);
            cr_assert_eq(pk_plan_layer(f.plan, i)->fx, fx[l], "layer %d", i);
        }
    fx_free(&f);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/csl2.yaml", "18 hardware layers, arch v2", &o);
}
