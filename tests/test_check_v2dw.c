/* test_check_v2dw.c - pikecheck --arch v2 runs pk_core2 under Verilator on
 * tests/data/check/v2/dw.yaml (two depthwise convs and two pools of 24
 * channels: 3 n-tiles each, two of them sharing a ring word at different
 * slot offsets, V2-4.3; the 2-bit depthwise layer completes 2 weight words of
 * a column in a beat, written through pk_wbuf2's interleaved sub-banks,
 * V2-11.6) and dw1b.yaml (1-bit depthwise weights: 4 words of each column a
 * beat, all of pk_wbuf2's WI = 4 sub-banks) on tests/data/check/v2/tiny2.yaml,
 * with zero differences: every output code, the per-layer and one-start
 * cycles and V2-9's 14 counters; and cgroups.yaml, cgroups2.yaml,
 * cgroups3.yaml: depthwise and pool layers in channel groups (V2-5 item 2,
 * V2-11.4 item 11: the ring holds a block's chunks of each pixel, the input
 * streamed again per block), in WB and NS, Jw even and odd; since the strided
 * group fetch is the plan's default (V2-5 item 2, V2-11.4 item 14) cgroups.yaml's
 * ap and cgroups2.yaml's mp fetch only their block's bytes of each pixel, and
 * cgslice.yaml holds two depthwise layers (stride 1 and 2) fetched so. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_cli_util.h"
#include "pk_v2desc.h"
#include "test_v2_util.h"

#define DATA PIKE_SOURCE_ROOT "/tests/data/check"

static void passes(const char *net, const char *layers)
{
    char path[512], *o;
    snprintf(path, sizeof path, DATA "/v2/%s", net);
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", path, layers, &o);
}

/* One test, so the two runs share one Verilator build (the model cache). */
Test(check_v2dw, dw_pools_on_tiny2, .timeout = 1200)
{
    passes("dw.yaml", "4 hardware layers, arch v2");
    /* 1-bit depthwise weights: 4 words of every column a beat, WI = 4 */
    passes("dw1b.yaml", "2 hardware layers, arch v2");
}

/* Channel groups (V2-5 item 2, V2-11.4 item 11): every layer of the three files is in
 * channel groups (the plan is checked first, or the test checks nothing new), of 2 blocks
 * or more, in WB or NS; then pikecheck --arch v2 passes on each. */
Test(check_v2dw, channel_groups_on_tiny2, .timeout = 1200)
{
    static const struct {
        const char *net, *layers;
        int ns; /* layer 0 in NS (the others WB) */
    } c[] = {{"cgroups.yaml", "1 hardware layers, arch v2", 0},
             {"cgroups2.yaml", "2 hardware layers, arch v2", 1},
             {"cgroups3.yaml", "2 hardware layers, arch v2", 1}};
    for (size_t t = 0; t < sizeof c / sizeof *c; t++) {
        char path[512];
        snprintf(path, sizeof path, DATA "/v2/%s", c[t].net);
        fx_t f;
        pk_error_t e;
        cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", path, 0, &e), 0, "%s", e.msg);
        for (int i = 0; i < f.hw->n_layers; i++) {
            const pk_plan_layer_t *L = pk_plan_layer(f.plan, i);
            pk_v2_desc_t d;
            pk_v2_desc_decode(pk_v2img_descriptor(f.img, i), &d);
            cr_assert(pk_v2_desc_cgroups(&d, f.cfg->array.lanes, f.cfg->d.slot_bits),
                      "%s layer %d not in channel groups", c[t].net, i);
            cr_assert_eq(L->order, i == 0 && c[t].ns ? PK_ORDER_NS : PK_ORDER_WB,
                         "%s layer %d: order %s", c[t].net, i, pk_plan_order_name(L->order));
            cr_assert_geq(L->nblocks, 2, "%s layer %d", c[t].net, i);
        }
        fx_free(&f);
        passes(c[t].net, c[t].layers);
    }
}

/* The strided group fetch (V2-5 item 2, V2-11.4 item 14; the plan's rule, the default):
 * cgslice.yaml's two depthwise layers (8-bit codes, stride 1 and 2) are in channel groups of 4
 * NS blocks of Jw = 2 words, each block fetching its 16 bytes of each 64-byte pixel (CGS, the
 * input read once: in_refetch 0); then pikecheck --arch v2 passes. */
Test(check_v2dw, group_slices_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/cgslice.yaml", 0, &e), 0, "%s",
                 e.msg);
    cr_assert_eq(f.hw->n_layers, 2);
    for (int i = 0; i < 2; i++) {
        const pk_plan_layer_t *L = pk_plan_layer(f.plan, i);
        pk_v2_desc_t d;
        pk_v2_desc_decode(pk_v2img_descriptor(f.img, i), &d);
        cr_assert(pk_v2_desc_cgroups(&d, f.cfg->array.lanes, f.cfg->d.slot_bits) && d.cgs,
                  "cgslice layer %d: not in block slices", i);
        cr_assert(L->cgs && L->nblocks == 4 && L->jw == 2 && L->in_refetch == 0,
                  "cgslice layer %d: blocks %lld, Jw %lld, in_refetch %lld", i,
                  (long long)L->nblocks, (long long)L->jw, (long long)L->in_refetch);
    }
    fx_free(&f);
    passes("cgslice.yaml", "2 hardware layers, arch v2");
}
