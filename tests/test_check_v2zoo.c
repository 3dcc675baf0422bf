/* test_check_v2zoo.c - pikecheck --arch v2 runs pk_core2 under Verilator on
 * tests/data/check/v2/zoo_ends.yaml (a zoo network's ends, small: an x-folded
 * 3-channel stride-2 first conv, a 3x3 conv, a global pool of several chunks
 * and passes, an fc) on tests/data/check/v2/tiny2.yaml and
 * hw_configs/ice40.yaml with zero differences: every output code, the
 * per-layer and one-start cycles and V2-9's 14 counters; and
 * tests/data/check/v2/gpool.yaml on ice40: a global pool whose every pass
 * fetches the image again (the ring holds 4 of its 20 rows).  The plan must fold
 * the first layer and map the pool as global, or the test checks nothing new
 * (checked first, on the plan). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_v2_rtl.h"
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
