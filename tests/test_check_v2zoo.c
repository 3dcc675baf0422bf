/* test_check_v2zoo.c - pikecheck --arch v2 runs pk_core2 under Verilator on
 * tests/data/check/v2/zoo_ends.yaml (a zoo network's ends, small: an x-folded
 * 3-channel stride-2 first conv, a 3x3 conv, a global pool of several chunks
 * and passes, an fc) on tests/data/check/v2/tiny2.yaml and
 * hw_configs/ice40.yaml with zero differences: every output code, the
 * per-layer and one-start cycles and V2-9's 14 counters; and
 * tests/data/check/v2/gpool.yaml on ice40: a global pool whose every pass
 * fetches the image again (the ring holds 4 of its 20 rows); and
 * tests/data/check/v2/gslice.yaml on tiny2: a global pool fetched in channel
 * slices (V2-4.4).  The plan must fold
 * the first layer and map the pool as global, or the test checks nothing new
 * (checked first, on the plan).  And on the plan alone: every layer of every
 * zoo network on edge and cloud is one pk_core2 builds (WS, IS, WB, NS and
 * the channel groups of PikeLPN-2x and -3x), except the KC order the plan
 * gives some w8a8 layers. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_v2_rtl.h"
#include "pk_v2desc.h"
#include "test_cli_util.h"
#include "test_v2_util.h"

#define DATA PIKE_SOURCE_ROOT "/tests/data/check"

static void zoo_ends(const char *config)
{
    fx_t f;
    pk_error_t e;
    char *o, why[400];
    cr_assert_eq(fx_make(&f, config, DATA "/v2/zoo_ends.yaml", 0, &e), 0, "%s", e.msg);
    cr_assert_eq(f.hw->n_layers, 4);
    cr_assert_eq(pk_plan_layer(f.plan, 0)->fx, 2, "%s: conv1 not x-folded", config);
    cr_assert(pk_plan_layer(f.plan, 2)->global_pool, "%s: gap not a global pool", config);
    cr_assert(pk_plan_layer(f.plan, 2)->mt > 1, "%s: gap in one pass", config);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pk_v2_rtl_supported(f.cfg, f.hw, f.plan, i, why, sizeof why), 0, "%s", why);
    fx_free(&f);
    pk_test_v2_pass(config, DATA "/v2/zoo_ends.yaml", "4 hardware layers, arch v2", &o);
}

Test(check_v2zoo, zoo_ends_on_tiny2, .timeout = 1200)
{
    zoo_ends(DATA "/v2/tiny2.yaml");
}

Test(check_v2zoo, zoo_ends_on_ice40, .timeout = 1200)
{
    zoo_ends(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml");
}

Test(check_v2zoo, refetching_global_pool_on_ice40, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    const char *cfg = PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml";
    cr_assert_eq(fx_make(&f, cfg, DATA "/v2/gpool.yaml", 0, &e), 0, "%s", e.msg);
    const pk_plan_layer_t *L = pk_plan_layer(f.plan, 0);
    cr_assert(L->global_pool && L->mt > 1, "gpool: not a global pool of several passes");
    cr_assert_lt(L->ring_rows, f.hw->layers[0].in_h, "gpool: the ring holds the image (no re-fetch)");
    fx_free(&f);
    pk_test_v2_pass(cfg, DATA "/v2/gpool.yaml", "arch v2", &o);
}

/* A global pool fetched in channel slices (V2-4.4, V2-11.4 item 13; the plan's
 * rule): tests/data/check/v2/gslice.yaml on tiny2, 3 passes of 16-byte slices
 * of 48-byte pixels, whose slices the ring does not hold either (10 of 12
 * rows): every output, cycle and counter equal.  (The tiny2 model is
 * zoo_ends_on_tiny2's: the cache builds it once.) */
Test(check_v2zoo, global_slices_on_tiny2, .timeout = 1200)
{
    fx_t f;
    pk_error_t e;
    char *o;
    const char *cfg = DATA "/v2/tiny2.yaml";
    cr_assert_eq(fx_make(&f, cfg, DATA "/v2/gslice.yaml", 0, &e), 0, "%s", e.msg);
    const pk_plan_layer_t *L = pk_plan_layer(f.plan, 0);
    cr_assert(L->global_pool && L->gsl && L->mt == 3, "gslice: not a sliced pool of 3 passes");
    cr_assert_lt(L->ring_rows, f.hw->layers[0].in_h, "gslice: the ring holds the slices");
    fx_free(&f);
    pk_test_v2_pass(cfg, DATA "/v2/gslice.yaml", "arch v2", &o);
}

/* The zoo on the shipped configs whose precisions it fits: pk_core2 builds
 * every layer (pk_v2_rtl_check), WB and NS layers included (V2-11.4 items 9,
 * 10) and the channel groups of V2-5 item 2 (PikeLPN-2x's dw12 / dw13 on
 * edge, -3x's on edge and its dw12 on cloud; V2-11.4 item 11), but for the KC
 * order, which appears only in the w8a8 networks: those are counted and must
 * be refused. */
Test(check_v2zoo, zoo_built_on_edge_and_cloud, .timeout = 600)
{
    static const char *cfgs[] = {"edge", "cloud"};
    static const char *nets[] = {"resnet18_w4a4", "resnet34_w4a4", "resnet50_w4a4", "mobilenetv1_w4a4",
                                 "mobilenetv2_w4a4", "mobilenetv2_w4a4_prelu", "pikelpn_1x",
                                 "pikelpn_2x", "pikelpn_3x", "pokebnn_1_0", "reactnet_a",
                                 "resnet18_w8a8", "resnet34_w8a8", "resnet50_w8a8"};
    int other_order = 0, groups = 0, wb = 0, ns = 0;
    for (size_t c = 0; c < sizeof cfgs / sizeof cfgs[0]; c++)
        for (size_t k = 0; k < sizeof nets / sizeof nets[0]; k++) {
            char cp[512], np[512], why[400];
            fx_t f;
            pk_error_t e;
            snprintf(cp, sizeof cp, PIKE_SOURCE_ROOT "/hw_configs/%s.yaml", cfgs[c]);
            snprintf(np, sizeof np, PIKE_SOURCE_ROOT "/networks/%s.yaml", nets[k]);
            cr_assert_eq(fx_make(&f, cp, np, 0, &e), 0, "%s on %s: %s", nets[k], cfgs[c], e.msg);
            pk_v2_rtl_check_t chk;
            pk_v2_rtl_check_init(&chk, f.cfg, f.hw, f.plan);
            for (int i = 0; i < f.hw->n_layers; i++) {
                int o = pk_plan_layer(f.plan, i)->order;
                pk_v2_desc_t d;
                pk_v2_desc_decode(pk_v2img_descriptor(f.img, i), &d);
                int refused = pk_v2_rtl_check(&chk, i, why, sizeof why);
                if (pk_v2_desc_cgroups(&d, f.cfg->array.lanes, f.cfg->d.slot_bits)) {
                    cr_assert(strstr(nets[k], "pikelpn_"), "%s on %s: layer %s in channel groups",
                              nets[k], cfgs[c], f.hw->layers[i].name);
                    cr_assert_eq(refused, 0, "%s on %s: layer %s in channel groups: %s", nets[k],
                                 cfgs[c], f.hw->layers[i].name, why);
                    groups++;
                    continue;
                }
                if (o != PK_ORDER_WS && o != PK_ORDER_IS && o != PK_ORDER_WB &&
                    o != PK_ORDER_NS) {
                    cr_assert(strstr(nets[k], "w8a8"), "%s on %s: layer %s in order %s", nets[k],
                              cfgs[c], f.hw->layers[i].name, pk_plan_order_name(o));
                    cr_assert(refused);
                    other_order++;
                    continue;
                }
                wb += o == PK_ORDER_WB;
                ns += o == PK_ORDER_NS;
                cr_assert_eq(refused, 0, "%s on %s: layer %s: %s", nets[k], cfgs[c],
                             f.hw->layers[i].name, why);
            }
            pk_v2_rtl_check_free(&chk);
            fx_free(&f);
        }
    cr_log_info("zoo on edge and cloud: %d WB, %d NS and %d channel-group layers built, %d "
                "in KC refused", wb, ns, groups, other_order);
    cr_assert_gt(ns, 0, "no NS layer in the zoo: the test checks no NS");
    cr_assert_gt(groups, 0, "no channel groups in the zoo: the test checks none");
    cr_assert_gt(wb, 0, "no WB layer in the zoo: the test checks no WB");
}
