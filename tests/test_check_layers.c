/* test_check_layers.c - pikecheck on every layer type alone and on a whole
 * small network (tests/data/check/), config tests/data/check/tiny.yaml:
 * the Verilated RTL and pikesim agree on every output element, every cycle
 * count (per layer and one-start) and all 22 counters.  Each case also
 * asserts that it exercises what it claims (kind, stride, chunks, stalls,
 * varied outputs), and one case runs a deliberately broken copy of the RTL to
 * show that a difference is found and located.
 *
 * Verilator models are cached in $PIKE_CACHE_DIR (set here to the build tree
 * unless the environment says otherwise); the first case builds the model
 * (about 30 s), the others reuse it.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pk_check.h"
#include "pk_compile.h"

#define DATA PIKE_SOURCE_ROOT "/tests/data/check"

static void setup(void)
{
    setenv("PIKE_CACHE_DIR", PIKE_BIN_DIR "/check-cache", 0);
}

static pk_check_result_t *check(const char *config, const char *network, int layers)
{
    pk_check_opts_t o;
    memset(&o, 0, sizeof o);
    o.config_path = config;
    o.network_path = network;
    o.layers = layers;
    o.seed = 1;
    pk_error_t err;
    pk_error_clear(&err);
    pk_check_result_t *r = NULL;
    int rc = pk_check_run(&o, &r, &err);
    char msg[2048];
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, 0, "%s", msg);
    pk_check_report(stdout, r);
    fflush(stdout);
    return r;
}

/* Every difference is zero and every layer produced varied outputs. */
static void assert_equal(const pk_check_result_t *r, int min_distinct)
{
    cr_assert(r->pass, "%s: %s", r->network_name, r->first_diff);
    cr_assert_eq(r->rtl_sum, r->model_sum);
    cr_assert_eq(r->full_rtl_cnt[PK_CNT_CYCLES], (uint64_t)r->rtl_sum);
    for (int i = 0; i < r->n_layers; i++) {
        const pk_check_layer_t *L = &r->layers[i];
        cr_assert_eq(L->out_mismatch, 0);
        cr_assert_eq(L->cnt_mismatch, 0);
        cr_assert_gt(L->rtl_cycles, 0);
        cr_assert_geq(L->out_distinct, min_distinct, "%s: %d distinct output codes", L->name,
                      L->out_distinct);
    }
}

static const pk_check_layer_t *layer(const pk_check_result_t *r, const char *name)
{
    for (int i = 0; i < r->n_layers; i++)
        if (!strcmp(r->layers[i].name, name))
            return &r->layers[i];
    cr_assert_fail("no hardware layer %s", name);
    return NULL;
}

#define CASE(tname, file, kind_s, ...)                                                       \
    Test(check_layers, tname, .init = setup, .timeout = 600)                               \
    {                                                                                        \
        pk_check_result_t *r = check(DATA "/tiny.yaml", DATA "/layers/" file, 0);            \
        assert_equal(r, 2);                                                                  \
        cr_assert_str_eq(r->layers[0].kind, kind_s);                                         \
        __VA_ARGS__;                                                                         \
        pk_check_free(r);                                                                    \
    }

CASE(conv3x3_stride1, "conv3x3_s1.yaml", "CONV")
CASE(conv3x3_stride2_8bit, "conv3x3_s2.yaml", "CONV")
CASE(conv1x1_per_tensor, "conv1x1.yaml", "CONV")
CASE(depthwise, "depthwise.yaml", "DW", cr_assert_str_eq(r->layers[1].kind, "DW"))
CASE(fc, "fc.yaml", "CONV")
CASE(residual_add, "residual.yaml", "CONV", {
    const pk_check_layer_t *a = layer(r, "add");
    cr_assert_str_eq(a->kind, "EW");
    cr_assert_gt(a->model_cnt[PK_CNT_RES_OPS], 0);
})
CASE(maxpool, "maxpool.yaml", "POOLMAX")
CASE(avgpool, "avgpool.yaml", "POOLSUM")
CASE(global_avgpool, "gap.yaml", "POOLSUM")
CASE(concat_slices, "concat.yaml", "CONV", cr_assert_eq(r->n_layers, 3))
CASE(prelu_family, "prelu.yaml", "CONV", cr_assert_gt(r->layers[0].model_cnt[PK_CNT_ACT_OPS], 0))
/* rounding: half_even (descriptor ROUND) on QuantNorm, PReLU, DQ, pools, add */
CASE(rounding_half_even, "rounding.yaml", "CONV", cr_assert_eq(r->n_layers, 5))
/* op mul (descriptor RES_MUL): operand B, one pixel, is the QuantNorm multiplier */
CASE(channel_multiply, "se.yaml", "CONV", {
    const pk_check_layer_t *m = layer(r, "mul");
    cr_assert_str_eq(m->kind, "EW");
    cr_assert_gt(m->model_cnt[PK_CNT_RES_OPS], 0);
    cr_assert_str_eq(layer(r, "mul2")->kind, "EW");
})
/* in_zero_point (descriptor IN_ZP): padding taps are the zero-point code */
CASE(zero_point_padding, "zeropoint.yaml", "CONV", cr_assert_eq(r->n_layers, 5))
CASE(larger_than_buffers, "big.yaml", "CONV", {
    /* off-chip traffic beyond one buffer fill, and stalls */
    const pk_check_layer_t *b = &r->layers[0];
    cr_assert_gt(b->model_cnt[PK_CNT_STALL], 0);
    cr_assert_gt(b->model_cnt[PK_CNT_DRAM_RD_BYTES], 10 * (512 + 128));
    cr_assert_gt(b->model_cnt[PK_CNT_WBUF_WR], b->model_cnt[PK_CNT_WBUF_RD] / 16);
})

/* Binary: outputs of the second conv are 1-bit (2 codes at most). */
Test(check_layers, binary, .init = setup, .timeout = 600)
{
    pk_check_result_t *r = check(DATA "/tiny.yaml", DATA "/layers/binary.yaml", 0);
    cr_assert(r->pass, "%s", r->first_diff);
    cr_assert_eq(r->n_layers, 3); /* bconv, bconv2.req (sign), bconv2 */
    cr_assert_str_eq(r->layers[1].kind, "EW");
    for (int i = 0; i < 3; i++)
        cr_assert_eq(r->layers[i].out_distinct, i == 0 ? r->layers[0].out_distinct : 2);
    cr_assert_geq(r->layers[0].out_distinct, 3);
    pk_check_free(r);
}

/* A whole network: 10 layers with a residual branch, pooling and fc. */
Test(check_layers, network_end_to_end, .init = setup, .timeout = 600)
{
    pk_check_result_t *r = check(DATA "/tiny.yaml", DATA "/net_small.yaml", 0);
    assert_equal(r, 2);
    cr_assert_geq(r->n_layers, 8);
    layer(r, "add1");
    pk_check_free(r);
}

/* The shipped iCE40 config (1 x 4 x 8, widths {2, 4}) on a 7-layer network. */
Test(check_layers, ice40_network, .init = setup, .timeout = 600)
{
    pk_check_result_t *r =
        check(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", DATA "/net_ice40.yaml", 0);
    assert_equal(r, 2);
    cr_assert_eq(r->n_layers, 7);
    pk_check_free(r);
}

/* --layers: the first N hardware layers only. */
Test(check_layers, first_n_layers, .init = setup, .timeout = 600)
{
    pk_check_result_t *r = check(DATA "/tiny.yaml", DATA "/net_small.yaml", 4);
    assert_equal(r, 2);
    cr_assert_eq(r->n_layers, 4);
    pk_check_free(r);
}

/* The comparator finds a real difference: in a copy of the templates the
 * clip activation loses its upper bound (pk_ppu's stage 4 forms the clipped
 * code from its compares: ARCHITECTURE.md V2-11.5 "Timing, step 11"); the
 * first differing element is named. */
Test(check_layers, broken_rtl_is_found, .init = setup, .timeout = 600)
{
    const char *dir = PIKE_BIN_DIR "/check-broken-templates";
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "rm -rf '%s' && mkdir -p '%s' && cp '%s'/rtl_templates/*.v '%s' && "
             "sed -i 's/: gt_hi ? chi_3 : code_x;/: code_x;/' '%s/pk_ppu.v' && "
             "! cmp -s '%s/pk_ppu.v' '%s'/rtl_templates/pk_ppu.v",
             dir, dir, PIKE_SOURCE_ROOT, dir, dir, dir, PIKE_SOURCE_ROOT);
    cr_assert_eq(system(cmd), 0, "could not make the broken copy (did pk_ppu.v change?)");
    pk_check_opts_t o;
    memset(&o, 0, sizeof o);
    o.config_path = DATA "/tiny.yaml";
    o.network_path = DATA "/layers/conv3x3_s2.yaml";
    o.seed = 1;
    o.templates_dir = dir;
    pk_error_t err;
    pk_error_clear(&err);
    pk_check_result_t *r = NULL;
    cr_assert_eq(pk_check_run(&o, &r, &err), 0, "%s", err.msg);
    pk_check_report(stdout, r);
    cr_assert(!r->pass);
    cr_assert_gt(r->layers[0].out_mismatch, 0);
    cr_assert_eq(r->layers[0].rtl_cycles, r->layers[0].model_cycles);
    cr_assert(strstr(r->first_diff, "layer 0 (conv, CONV): output element (y "),
              "%s", r->first_diff);
    pk_check_free(r);
}
