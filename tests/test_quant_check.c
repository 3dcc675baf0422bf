/* test_quant_check.c - a network pikequant wrote goes through pikecheck
 * --arch v1 (pk_core) as it is: the generated RTL under Verilator equals pikesim (every output
 * element, cycle count and event counter) on the committed float digits CNN
 * (and on ops_prelu.onnx: a PRelu mapped onto act: prelu)
 * quantized for the small pikecheck config (tests/data/check/tiny.yaml).
 * The Verilator model of tiny is cached ($PIKE_CACHE_DIR) and shared with
 * the check_* tests, so after the first build each run takes about a second.
 * Inputs: pikecheck's seeded input images (--seed). */
#include <criterion/criterion.h>

#include "test_quant_util.h"

#define TINY QT_ROOT "/tests/data/check/tiny.yaml"
#define MODEL QT_DATA "/digits_cnn.onnx"
#define PIKECHECK PIKE_BIN_DIR "/check/pikecheck"

/* Quantize `model` (calibration images `calib`) with `recipe` for tiny, then
 * pikecheck the network (`hw_layers` hardware layers) on seeds 1..n. */
static void check_model(const char *model, const char *calib, const char *recipe, int seeds,
                        int hw_layers)
{
    const char *d = qt_tmp_out();
    char args[512], cmd[1024], layers[32];
    /* --arch v1: the network is checked on pk_core, and pikequant's cost
     * columns come from the same model (v2's plan refuses tiny's 128-byte
     * activation buffer for the fc layer) */
    snprintf(args, sizeof args, "--arch v1 --model %s --calib %s --recipe %s", model, calib, recipe);
    snprintf(layers, sizeof layers, " %d hardware layers", hw_layers);
    cr_assert_eq(qt_run(args, TINY, d), 0, "%s", qt_err);
    int name_len = (int)strcspn(recipe, " "); /* the network is NET/RECIPE.yaml */
    for (int seed = 1; seed <= seeds; seed++) {
        snprintf(cmd, sizeof cmd, "%s --arch v1 --config %s --network %s/%.*s.yaml --seed %d 2>&1",
                 PIKECHECK, TINY, d, name_len, recipe, seed);
        FILE *p = popen(cmd, "r");
        cr_assert(p);
        static char out[1 << 15];
        size_t n = fread(out, 1, sizeof out - 1, p);
        out[n] = 0;
        int st = pclose(p);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s (seed %d):\n%s", recipe, seed, out);
        cr_assert(strstr(out, "\nPASS: every output element, cycle count and counter is equal\n"),
                  "%s", out);
        cr_assert(strstr(out, layers), "%s", out);
    }
    gt_rm_tree(d);
}

static void check_recipe(const char *recipe, int seeds)
{
    check_model(MODEL, QT_DATA "/calib_x.npy", recipe, seeds, 5);
}

/* pikelpn with factorization: 8-bit first / last, depthwise 8-bit per
 * channel, pointwise 4-bit per tensor, 4-bit activations, QuantNorm x DQ. */
Test(quant_check, pikelpn_factorized_rtl_equals_pikesim, .timeout = 600)
{
    check_recipe("pikelpn --factorize", 3);
}

Test(quant_check, w8a8_rtl_equals_pikesim, .timeout = 600)
{
    check_recipe("w8a8", 1);
}

/* PRelu (conv1's act: prelu, per-channel an_c from the importer). */
Test(quant_check, prelu_rtl_equals_pikesim, .timeout = 600)
{
    check_model(QT_DATA "/ops_prelu.onnx", QT_DATA "/ops_x.npy", "w8a8", 1, 2);
}
