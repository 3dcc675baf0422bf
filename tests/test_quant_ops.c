/* test_quant_ops.c - the ops of issue 14's float-model list, one small model
 * each (tests/data/quant/ops_*.onnx, made with their float reference outputs
 * by tests/data/quant/make_ops.py in the project's venv): pikequant's float
 * executor computes each as onnx's reference evaluator does, and pikequant
 * writes a Pike network that pikesim runs (PRelu, Clip, MaxPool, Concat,
 * Add, AveragePool, GlobalAveragePool). */
#include <criterion/criterion.h>
#include <math.h>

#include "pk_fq.h"
#include "pk_npy.h"
#include "test_quant_util.h"

#define X QT_DATA "/ops_x.npy"

static float *read_f32(const char *path, int64_t *rows, int64_t *cols)
{
    pk_npy_t h;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_npy_header(path, &h, &e), 0, "%s", e.msg);
    float *a = malloc((size_t)h.count * sizeof *a);
    cr_assert(a);
    cr_assert_eq(pk_npy_read_f32(path, &h, a, h.count, &e), 0, "%s", e.msg);
    *rows = h.shape[0], *cols = h.count / h.shape[0];
    return a;
}

/* Worst difference of the float executor from the reference, relative to
 * each image's largest reference output. */
static double float_error(const char *name)
{
    char model[256], ref[256];
    snprintf(model, sizeof model, "%s/ops_%s.onnx", QT_DATA, name);
    snprintf(ref, sizeof ref, "%s/ops_%s.ref.npy", QT_DATA, name);
    pk_fq_t *q = NULL;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_fq_load(model, &q, &e), 0, "%s", e.msg);
    int64_t n, in, rn, k;
    float *x = read_f32(X, &n, &in), *r = read_f32(ref, &rn, &k);
    cr_assert(rn == n && in == pk_fq_in_count(q) && k == pk_fq_out_count(q), "%s: shapes", name);
    float *y = malloc((size_t)k * sizeof *y);
    double worst = 0;
    for (int64_t i = 0; i < n; i++) {
        cr_assert_eq(pk_fq_run(q, x + i * in, y, &e), 0, "%s", e.msg);
        double mag = 0;
        for (int64_t j = 0; j < k; j++)
            mag = fmax(mag, fabs(r[i * k + j]));
        for (int64_t j = 0; j < k; j++)
            worst = fmax(worst, fabs(y[j] - r[i * k + j]) / mag);
    }
    free(x), free(r), free(y);
    pk_fq_free(q);
    return worst;
}

Test(quant_ops, float_executor_matches_the_reference)
{
    const char *ops[] = { "prelu", "clip", "maxpool", "avgpool", "gap", "concat", "add" };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        double d = float_error(ops[i]);
        cr_expect_lt(d, 1e-5, "%s: float executor differs by %g relative", ops[i], d);
    }
}

/* pikequant writes a network for the model and pikesim runs it; `head` is
 * the model's last layer. */
static void accepted_as(const char *name, const char *recipe, const char *head)
{
    const char *d = qt_tmp_out();
    char args[512], cmd[1024];
    snprintf(args, sizeof args, "--model %s/ops_%s.onnx --calib %s --recipe %s", QT_DATA, name, X,
             recipe);
    cr_assert_eq(qt_run(args, QT_EDGE, d), 0, "%s %s: %s", name, recipe, qt_err);
    double snr = qt_layer_snr(head, NULL);
    /* measured: 36.6 (prelu) to 40.8 dB (w8a8), 22.8 to 40.8 dB (pikelpn) */
    cr_expect_gt(snr, recipe[0] == 'w' ? 35.0 : 20.0, "%s %s: head SNR %.2f dB", name, recipe, snr);
    snprintf(cmd, sizeof cmd, "%s/sim/pikesim --config %s --network %s/%s.yaml >/dev/null",
             PIKE_BIN_DIR, QT_EDGE, d, recipe);
    cr_expect_eq(system(cmd), 0, "%s %s: pikesim refused the network", name, recipe);
    gt_rm_tree(d);
}

static void accepted(const char *name, const char *recipe)
{
    accepted_as(name, recipe, "head");
}

Test(quant_ops, clip_maxpool_concat_add_quantized)
{
    const char *ops[] = { "clip", "maxpool", "concat", "add" };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        accepted(ops[i], "w8a8");
        accepted(ops[i], "pikelpn");
    }
}

/* Average pools: the importer maps them onto avgpool / global_avgpool with
 * their record from a file (issue 13 phase 2, docs/IMPORT.md). */
Test(quant_ops, average_pools_quantized)
{
    const char *ops[] = { "avgpool", "gap" }, *heads[] = { "head", "fc" };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        accepted_as(ops[i], "w8a8", heads[i]);
        accepted_as(ops[i], "pikelpn", heads[i]);
    }
}

/* PRelu with a per-channel constant slope: the importer maps it onto conv1's
 * act_mode prelu (an_c / 2^act_shift, docs/IMPORT.md); pikesim runs it. */
Test(quant_ops, prelu_quantized)
{
    const char *recipes[] = { "w8a8", "pikelpn" };
    for (size_t i = 0; i < 2; i++) {
        const char *d = qt_tmp_out();
        char args[512], yaml[600];
        snprintf(args, sizeof args, "--model %s/ops_prelu.onnx --calib %s --recipe %s", QT_DATA,
                 X, recipes[i]);
        cr_assert_eq(qt_run(args, QT_EDGE, d), 0, "%s: %s", recipes[i], qt_err);
        snprintf(yaml, sizeof yaml, "%s/%s.yaml", d, recipes[i]);
        size_t len;
        char *text = gt_read(yaml, &len);
        cr_assert(text, "%s: no %s", recipes[i], yaml);
        const char *l = strstr(text, "name: conv1,"), *a = l ? strstr(l, "act: prelu") : NULL;
        cr_assert(a && !memchr(l, '\n', (size_t)(a - l)), "%s: conv1 is not a prelu layer:\n%s",
                  recipes[i], text);
        free(text);
        gt_rm_tree(d);
        accepted("prelu", recipes[i]);
    }
}
