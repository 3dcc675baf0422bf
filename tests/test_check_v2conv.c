/* test_check_v2conv.c - pikecheck --arch v2 runs pk_core2 under Verilator
 * on tests/data/check/v2/convs.yaml (a 1x1 and a 3x3 conv, WS order) on
 * tests/data/check/v2/tiny2.yaml with zero differences: every output code,
 * the per-layer and one-start cycles and V2-9's 14 counters. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_cli_util.h"

#define DATA PIKE_SOURCE_ROOT "/tests/data/check"

Test(check_v2conv, convs_on_tiny2, .timeout = 1200)
{
    char *o;
    pk_test_v2_pass(DATA "/v2/tiny2.yaml", DATA "/v2/convs.yaml", "2 hardware layers, arch v2", &o);
}
