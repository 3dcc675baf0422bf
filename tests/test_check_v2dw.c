/* test_check_v2dw.c - pikecheck --arch v2 runs pk_core2 under Verilator on
 * tests/data/check/v2/dw.yaml (two depthwise convs and two pools of 24
 * channels: 3 n-tiles each, two of them sharing a ring word at different
 * slot offsets, V2-4.3; the 2-bit depthwise layer completes 2 weight words of
 * a column in a beat, written through pk_wbuf2's interleaved sub-banks,
 * V2-11.6) and dw1b.yaml (1-bit depthwise weights: 4 words of each column a
 * beat, all of pk_wbuf2's WI = 4 sub-banks) on tests/data/check/v2/tiny2.yaml,
 * with zero differences: every output code, the per-layer and one-start
 * cycles and V2-9's 14 counters. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_cli_util.h"

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
