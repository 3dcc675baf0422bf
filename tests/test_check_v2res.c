/* test_check_v2res.c - pikecheck --arch v2 runs pk_core2 under Verilator on
 * tests/data/check/v2/res.yaml (conv, conv, add(conv2, conv1): an EW layer
 * with operand B, ARCHITECTURE.md V2-3.1, V2-11.4 item 1) with zero
 * differences (every output code, the per-layer and one-start cycles and
 * V2-9's 14 counters) on hw_configs/ice40.yaml and tests/data/check/v2/
 * tiny2.yaml (the model of check_v2conv's config: one Verilator build for
 * both tests), the residual add of tests/data/check/layers/residual.yaml
 * (operand B is the network's input; 2 n-tiles on ice40) and resnt.yaml (an
 * add of several n-tiles: 6 on ice40, 3 on tiny2) on both; and the
 * channel-wise multiply (op mul, RES_MUL, V2-6.1: operand B one pixel, the
 * QuantNorm multiplier) of tests/data/check/layers/se.yaml (unsigned and
 * signed 4-bit gates, one B word) and tests/data/check/v2/se3.yaml (40
 * channels: 5 n-tiles, gates of 5 and 3 B words over both banks) on tiny2;
 * and on ice40 (R = 1, PB = 2) tests/data/check/v2/ld2_slices_mul.yaml: a
 * multiply after grouped convs' channel slices (V2-6.1, CSL) of 8 and 4
 * bytes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_cli_util.h"

#define DATA PIKE_SOURCE_ROOT "/tests/data/check"

static void pass(const char *cfg, const char *net, const char *layers)
{
    char *o;
    pk_test_v2_pass(cfg, net, layers, &o);
    cr_assert(strstr(o, " EW "), "no EW layer ran: %s", o);
}

Test(check_v2res, res_on_ice40, .timeout = 1200)
{
    pass(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", DATA "/v2/res.yaml", "3 hardware layers, arch v2");
    /* an add of 6 n-tiles, the last of 2 columns */
    pass(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", DATA "/v2/resnt.yaml", "3 hardware layers, arch v2");
    pass(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", DATA "/layers/residual.yaml",
         "2 hardware layers, arch v2");
    /* a multiply (its one-pixel B on one array row) after channel slices */
    pass(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", DATA "/v2/ld2_slices_mul.yaml",
         "8 hardware layers, arch v2");
}

Test(check_v2res, res_on_tiny2, .timeout = 1200)
{
    pass(DATA "/v2/tiny2.yaml", DATA "/v2/res.yaml", "3 hardware layers, arch v2");
    pass(DATA "/v2/tiny2.yaml", DATA "/layers/residual.yaml", "2 hardware layers, arch v2");
    /* an add of 3 n-tiles, n-tile 1's operand B at bit 32 of a ring word */
    pass(DATA "/v2/tiny2.yaml", DATA "/v2/resnt.yaml", "3 hardware layers, arch v2");
}

Test(check_v2res, multiply_on_tiny2, .timeout = 1200)
{
    pass(DATA "/v2/tiny2.yaml", DATA "/layers/se.yaml", "6 hardware layers, arch v2");
    pass(DATA "/v2/tiny2.yaml", DATA "/v2/se3.yaml", "6 hardware layers, arch v2");
}
