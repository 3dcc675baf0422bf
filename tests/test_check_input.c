/* test_check_input.c - pikecheck --input (check/pk_check_input.c): real
 * images through the RTL and pikesim.  A batch of digits (float32, quantized
 * by the .onnx model's input quantizer) agrees image by image and its top-1
 * per image equals the argmax of pikesim --input --output on the same
 * images; one image of integer codes prints the full report and its --json;
 * bad use exits 2 with one line before any model is built; the channel-wise
 * multiply and concat-requant models agree; the geometry models run on the
 * RTL with 0 diffs.  Config: the
 * small tests/data/check/tiny.yaml (its Verilator model is shared with the
 * other check tests through the cache), --arch v1 (pk_core, the tiny model the
 * v1 check tests share); and the batch again on the default v2 (pk_core2) on
 * tests/data/check/v2/tiny2.yaml, whose model check_v2conv shares (the
 * geometry, multiply and concat models are not built by pk_core2: pikesim
 * names the layer and the flag).
 */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_input.h"
#include "test_cli_util.h"
#include "pk_npy.h"

#define ROOT PIKE_SOURCE_ROOT
#define ONNX ROOT "/tests/data/onnx"
#define TINY ROOT "/tests/data/check/tiny.yaml"
#define TINY2 ROOT "/tests/data/check/v2/tiny2.yaml"
#define MODEL ONNX "/q4_pow2.onnx"

/* Run a shell command line with the check tests' model cache; output into *out. */
static int run(const char *cmd, char **out)
{
    char full[4096];
    snprintf(full, sizeof full, "PIKE_CACHE_DIR='%s' %s",
             getenv("PIKE_CACHE_DIR") ? getenv("PIKE_CACHE_DIR") : PIKE_BIN_DIR "/check-cache",
             cmd);
    return pk_test_sh(full, out);
}

static const char *tmpdir(void)
{
    static char d[64] = "";
    if (!d[0]) {
        snprintf(d, sizeof d, "/tmp/pk_checkin_XXXXXX");
        cr_assert(mkdtemp(d));
    }
    return d;
}

/* argmax of each row of pikesim's --output for the same inputs, on config
 * cfg with the flags arch ("--arch v1", or "" for the default). */
static void sim_top1_on(const char *cfg, const char *arch, const char *input, int64_t *top,
                        int64_t n)
{
    char cmd[2048], y[256], *o;
    snprintf(y, sizeof y, "%s/y_%d.npy", tmpdir(), (int)getpid());
    snprintf(cmd, sizeof cmd, PIKE_BIN_DIR "/sim/pikesim %s --config %s --network " MODEL
             " --input %s --output %s", arch, cfg, input, y);
    cr_assert_eq(run(cmd, &o), 0, "%s", o);
    pk_npy_t h;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_npy_header(y, &h, &e), 0, "%s", e.msg);
    int32_t *v = malloc((size_t)h.count * sizeof *v);
    cr_assert(v);
    cr_assert_eq(pk_npy_read_i32(y, &h, v, h.count, &e), 0, "%s", e.msg);
    int64_t per = h.count / h.shape[0];
    cr_assert_geq(h.shape[0], n);
    for (int64_t k = 0; k < n; k++)
        top[k] = pk_input_argmax(v + k * per, per);
    free(v);
    unlink(y);
}

static void sim_top1(const char *input, int64_t *top, int64_t n)
{
    sim_top1_on(TINY, "--arch v1", input, top, n);
}

/* pikecheck (flags arch) on cfg with 4 digits: every image agrees, and its
 * top-1 is pikesim's on the same config and arch. */
static void batch_agrees(const char *cfg, const char *arch)
{
    char *o, cmd[2048];
    snprintf(cmd, sizeof cmd, PIKE_BIN_DIR "/check/pikecheck %s --config %s --network " MODEL
             " --input " ONNX "/digits_x.npy --labels " ONNX "/digits_y.npy --count 4", arch, cfg);
    int st = run(cmd, &o);
    cr_assert_eq(st, 0, "%s", o);
    cr_assert(strstr(o, "images: 4 from "), "%s", o);
    cr_assert(strstr(o, "RTL == pikesim (outputs, cycles, counters) on 4 / 4"), "%s", o);
    cr_assert(strstr(o, "PASS: every image agrees"), "%s", o);
    o = strdup(o); /* run()'s buffer is reused below */
    cr_assert(o);
    int64_t want[4];
    sim_top1_on(cfg, arch, ONNX "/digits_x.npy", want, 4);
    int hit = 0;
    for (int k = 0; k < 4; k++) {
        char key[32];
        snprintf(key, sizeof key, "image %4d: PASS", k);
        const char *l = strstr(o, key);
        cr_assert(l, "no line '%s' in\n%s", key, o);
        const char *t = strstr(l, "top-1 ");
        long top = 0, lab = -1;
        cr_assert(t && sscanf(t, "top-1 %ld (label %ld)", &top, &lab) == 2, "%s", l);
        cr_expect_eq(top, want[k], "image %d: pikecheck top-1 %ld, pikesim %lld", k, top,
                     (long long)want[k]);
        cr_expect(strstr(l, "output mismatches 0  counter diffs 0"), "%s", l);
        hit += top == lab;
    }
    char line[64];
    snprintf(line, sizeof line, "top-1: %d / 4 = ", hit);
    cr_assert(strstr(o, line), "want '%s' in\n%s", line, o);
    free(o);
}

Test(check_input, batch_agrees_and_top1_is_pikesims, .timeout = 600)
{
    batch_agrees(TINY, "--arch v1");
}

/* The default (v2, pk_core2) on real images: the same batch on tiny2; one
 * image's --json says which arch ran. */
Test(check_input, v2_batch_agrees_and_top1_is_pikesims, .timeout = 600)
{
    batch_agrees(TINY2, "");
    char js[256], cmd[2048], *o;
    snprintf(js, sizeof js, "%s/v2.json", tmpdir());
    snprintf(cmd, sizeof cmd, PIKE_BIN_DIR "/check/pikecheck --config " TINY2 " --network " MODEL
             " --input " ONNX "/digits_x.npy --count 1 --json %s", js);
    cr_assert_eq(run(cmd, &o), 0, "%s", o);
    json_error_t je;
    json_t *j = json_load_file(js, 0, &je);
    cr_assert(j, "--json: %s", je.text);
    cr_expect_str_eq(json_string_value(json_object_get(j, "arch")), "v2");
    cr_expect(json_is_true(json_object_get(j, "pass")));
    json_decref(j);
}

/* The geometry models (non-square kernels, stride (2, 1), asymmetric SAME
 * pads, [1, 3] max pool, global average pool over a non-square map, convs of
 * groups 2 and 4 lowered to one layer per group reading input channel
 * slices): the RTL equals pikesim, outputs, cycles and counters, image by
 * image (QONNX 4-bit exact; onnxruntime QDQ with --approx on tiny's 8-bit
 * multipliers: the model is still the reference of the RTL). */
Test(check_input, geometry_models_rtl_zero_diffs, .timeout = 600)
{
    static const char *const models[] = { "q_geom.onnx", "geom_u8.onnx --approx",
                                          "geom_s8.onnx --approx" };
    for (size_t i = 0; i < sizeof models / sizeof *models; i++) {
        char cmd[2048], *o;
        snprintf(cmd, sizeof cmd, PIKE_BIN_DIR "/check/pikecheck --arch v1 --config " TINY " --network "
                 ONNX "/%s --input " ONNX "/digits_x.npy --count 2", models[i]);
        cr_assert_eq(run(cmd, &o), 0, "%s: %s", models[i], o);
        cr_expect(strstr(o, "RTL == pikesim (outputs, cycles, counters) on 2 / 2"), "%s: %s",
                  models[i], o);
        cr_expect(strstr(o, "running 10 layers on the RTL"), "%s: the two grouped convs are "
                  "4 + 2 layers: %s", models[i], o);
    }
}

Test(check_input, one_image_of_codes_full_report_and_json, .timeout = 600)
{
    char x[256], js[256], cmd[2048], *o;
    snprintf(x, sizeof x, "%s/codes.npy", tmpdir());
    snprintf(js, sizeof js, "%s/r.json", tmpdir());
    int32_t c[64];
    for (int i = 0; i < 64; i++)
        c[i] = (i * 7 + i / 8) % 8; /* codes of any unsigned width >= 3 */
    int64_t shape[3] = { 8, 8, 1 };
    pk_error_t e = { 0 };
    cr_assert_eq(pk_npy_write(x, PK_NPY_I32, shape, 3, c, NULL, &e), 0, "%s", e.msg);
    snprintf(cmd, sizeof cmd, PIKE_BIN_DIR "/check/pikecheck --arch v1 --config " TINY " --network " MODEL
             " --input %s --json %s", x, js);
    cr_assert_eq(run(cmd, &o), 0, "%s", o);
    cr_assert(strstr(o, "RTL cycles model cycles"), "the per-layer table: %s", o);
    cr_assert(strstr(o, "\nPASS: every output element, cycle count and counter is equal\n"), "%s",
              o);
    o = strdup(o); /* run()'s buffer is reused below */
    cr_assert(o);
    int64_t want;
    sim_top1(x, &want, 1);
    char line[512];
    snprintf(line, sizeof line, "input: image 0 of %s, top-1 %lld\n", x, (long long)want);
    cr_assert(strstr(o, line), "want '%s' in\n%s", line, o);
    json_error_t je;
    json_t *j = json_load_file(js, 0, &je);
    cr_assert(j, "--json: %s", je.text);
    cr_assert(json_is_true(json_object_get(j, "pass")));
    json_decref(j);
    free(o);
}

/* Issue 13's channel-wise multiply (q_se: op mul, descriptor RES_MUL) and
 * concat of inputs of different scales (q_concat_scales: two inserted avgpool
 * 1x1 requantizations writing the concat slices), both exact on tiny's
 * post-processing widths: RTL == pikesim on real images. */
Test(check_input, se_and_concat_requant_agree, .timeout = 600)
{
    static const char *const models[] = { "q_se", "q_concat_scales" };
    for (int k = 0; k < 2; k++) {
        char cmd[2048], *o;
        snprintf(cmd, sizeof cmd, PIKE_BIN_DIR "/check/pikecheck --arch v1 --config " TINY " --network "
                 ONNX "/%s.onnx --input " ONNX "/digits_x.npy --count 2", models[k]);
        cr_assert_eq(run(cmd, &o), 0, "%s: %s", models[k], o);
        cr_assert(strstr(o, "RTL == pikesim (outputs, cycles, counters) on 2 / 2"), "%s: %s",
                  models[k], o);
    }
}

Test(check_input, bad_use_exits_2_one_line)
{
    char cmd[2048], bad[256], *o;
    cr_assert_eq(run(PIKE_BIN_DIR "/check/pikecheck --arch v1 --config " TINY " --network " MODEL
                     " --labels " ONNX "/digits_y.npy", &o), 2, "%s", o);
    cr_assert(strstr(o, "--labels and --count need --input"), "%s", o);
    cr_assert_eq(run(PIKE_BIN_DIR "/check/pikecheck --arch v1 --config " TINY " --network " MODEL
                     " --input " ONNX "/digits_x.npy --count 0", &o), 2, "%s", o);
    cr_assert(strstr(o, "--count"), "%s", o);
    /* 10 labels per image: not an input of 8x8x1 */
    cr_assert_eq(run(PIKE_BIN_DIR "/check/pikecheck --arch v1 --config " TINY " --network " MODEL
                     " --input " ONNX "/q4_pow2.ref.npy", &o), 2, "%s", o);
    cr_assert(strstr(o, "q4_pow2.ref.npy") && strstr(o, "1x1x64"), "%s", o);
    cr_assert_eq(run(PIKE_BIN_DIR "/check/pikecheck --arch v1 --config " TINY " --network " MODEL
                     " --input " ONNX "/digits_x.npy --json /tmp/never.json", &o), 2, "%s", o);
    cr_assert(strstr(o, "--json") && strstr(o, "--count 1"), "%s", o);
    cr_assert_eq(access("/tmp/never.json", F_OK), -1);
    /* labels of a different count */
    snprintf(bad, sizeof bad, "%s/lab.npy", tmpdir());
    int32_t l[3] = { 1, 2, 3 };
    int64_t shape[1] = { 3 };
    pk_error_t e = { 0 };
    cr_assert_eq(pk_npy_write(bad, PK_NPY_I32, shape, 1, l, NULL, &e), 0, "%s", e.msg);
    snprintf(cmd, sizeof cmd, PIKE_BIN_DIR "/check/pikecheck --arch v1 --config " TINY " --network " MODEL
             " --input " ONNX "/digits_x.npy --labels %s", bad);
    cr_assert_eq(run(cmd, &o), 2, "%s", o);
    cr_assert(strstr(o, "lab.npy") && strstr(o, "--labels"), "%s", o);
}
