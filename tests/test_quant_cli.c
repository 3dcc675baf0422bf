/* test_quant_cli.c - pikequant (docs/PIKEQUANT.md) on the committed float
 * digits CNN of tests/data/quant/ (made by examples/quantize/train.py):
 * recipes end to end (top-1 floors as measured on the 128 committed
 * held-out images), factorization preserving the float function and
 * helping the per-tensor 4-bit pointwise layer, byte-identical reruns, the
 * output running in pikesim, and bad inputs (exit 2, one message naming the
 * file, nothing written). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gen/gen_test_util.h"
#include "pk_fq.h"
#include "pk_npy.h"

#define ROOT PIKE_SOURCE_ROOT
#define DATA ROOT "/tests/data/quant"
#define QUANT PIKE_BIN_DIR "/quant/pikequant"
#define CFG ROOT "/hw_configs/edge.yaml"
#define MODEL DATA "/digits_cnn.onnx"
#define EVAL " --eval " DATA "/eval_x.npy --labels " DATA "/eval_y.npy"

static char out_txt[1 << 16], err_txt[4096];

/* Run pikequant with args and out dir; exit status, stdout, stderr kept. */
static int quant(const char *args, const char *out)
{
    char cmd[4096], o[] = "/tmp/pk_qt_out_XXXXXX", e[] = "/tmp/pk_qt_err_XXXXXX";
    int fo = mkstemp(o), fe = mkstemp(e);
    cr_assert(fo >= 0 && fe >= 0);
    close(fo), close(fe);
    snprintf(cmd, sizeof cmd, "%s %s --config %s --out %s >%s 2>%s", QUANT, args, CFG, out, o, e);
    int st = system(cmd);
    char *so = gt_read(o, NULL), *se = gt_read(e, NULL);
    snprintf(out_txt, sizeof out_txt, "%s", so ? so : "");
    snprintf(err_txt, sizeof err_txt, "%s", se ? se : "");
    free(so), free(se);
    unlink(o), unlink(e);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *tmp_out(void)
{
    static char d[64];
    snprintf(d, sizeof d, "/tmp/pk_qt_XXXXXX");
    cr_assert(mkdtemp(d));
    cr_assert_eq(rmdir(d), 0);
    return d;
}

static void rm_rf(const char *d)
{
    gt_rm_tree(d);
}

/* Top-1 (float, Pike) from the report's table row. */
static void top1(double *f, double *p)
{
    const char *r = strstr(out_txt, "\n| w");
    if (!r)
        r = strstr(out_txt, "\n| p");
    cr_assert(r, "no table row in:\n%s", out_txt);
    char rec[32], fac[8];
    cr_assert_eq(sscanf(r, "\n| %31s | %7s | %lf%% | %lf%%", rec, fac, f, p), 4, "%s", r);
}

static double layer_snr(const char *layer)
{
    char key[64];
    snprintf(key, sizeof key, "layer %-12s SNR", layer);
    const char *s = strstr(out_txt, key);
    cr_assert(s, "no SNR of %s in:\n%s", layer, out_txt);
    return strtod(s + strlen(key), NULL);
}

Test(quant_cli, w8a8_end_to_end_and_runs_in_pikesim)
{
    const char *d = tmp_out();
    cr_assert_eq(quant("--model " MODEL " --calib " DATA "/calib_x.npy" EVAL " --recipe w8a8", d),
                 0, "%s", err_txt);
    double f, p;
    top1(&f, &p);
    /* measured: float 99.22%, Pike 98.44% (127 vs 126 of 128) */
    cr_assert_geq(f, 99.2);
    cr_assert_geq(p, f - 100.0 / 128 - 1e-9, "w8a8 lost more than one image: %.2f vs %.2f", p, f);
    cr_assert_gt(layer_snr("conv1"), 35.0);
    cr_assert_gt(layer_snr("pw"), 30.0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/sim/pikesim --config %s --network %s/w8a8.yaml >/dev/null",
             PIKE_BIN_DIR, CFG, d);
    cr_assert_eq(system(cmd), 0, "pikesim refused the quantized network");
    rm_rf(d);
}

Test(quant_cli, recipes_choose_widths)
{
    const char *d = tmp_out();
    cr_assert_eq(quant("--model " MODEL " --calib " DATA "/calib_x.npy --recipe pikelpn", d), 0,
                 "%s", err_txt);
    char path[128];
    snprintf(path, sizeof path, "%s/pikelpn.yaml", d);
    char *y = gt_read(path, NULL);
    cr_assert(y);
    /* first and last 8-bit, depthwise 8-bit, pointwise 4-bit, 4-bit activations inside */
    cr_assert(strstr(y, "name: conv1, op: conv") && strstr(y, "w_bits: 8, out_bits: 4"), "%s", y);
    cr_assert(strstr(y, "groups: 8, w_bits: 8, out_bits: 4"), "%s", y);
    cr_assert(strstr(y, "kernel: 1, stride: 1, padding: 0, w_bits: 4, out_bits: 8"), "%s", y);
    cr_assert(strstr(y, "name: fc, op: fc, inputs: [pw], out_c: 10, w_bits: 8"), "%s", y);
    free(y);
    rm_rf(d);
}

Test(quant_cli, factorize_helps_per_tensor_4bit_pointwise)
{
    const char *d = tmp_out();
    const char *base = "--model " MODEL " --calib " DATA "/calib_x.npy" EVAL " --recipe pikelpn";
    cr_assert_eq(quant(base, d), 0, "%s", err_txt);
    double plain = layer_snr("pw");
    rm_rf(d);
    char args[512];
    snprintf(args, sizeof args, "%s --factorize", base);
    cr_assert_eq(quant(args, d), 0, "%s", err_txt);
    double fact = layer_snr("pw");
    /* measured: 13.11 dB -> 13.71 dB */
    cr_assert_gt(fact, plain + 0.3, "pw SNR %.2f dB with factorization, %.2f without", fact, plain);
    rm_rf(d);
}

Test(quant_cli, factorize_keeps_the_float_function)
{
    pk_fq_t *q = NULL;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_fq_load(MODEL, &q, &e), 0, "%s", e.msg);
    pk_npy_t h;
    cr_assert_eq(pk_npy_header(DATA "/eval_x.npy", &h, &e), 0, "%s", e.msg);
    float *x = malloc((size_t)h.count * sizeof *x);
    cr_assert_eq(pk_npy_read_f32(DATA "/eval_x.npy", &h, x, h.count, &e), 0, "%s", e.msg);
    int64_t n = h.shape[0], in = pk_fq_in_count(q), no = pk_fq_out_count(q);
    float *y0 = malloc((size_t)(n * no) * sizeof *y0), *y1 = malloc((size_t)(n * no) * sizeof *y1);
    for (int64_t k = 0; k < n; k++)
        cr_assert_eq(pk_fq_run(q, x + k * in, y0 + k * no, &e), 0);
    cr_assert_eq(pk_fq_factorize(q), 3);
    double worst = 0;
    for (int64_t k = 0; k < n; k++) {
        cr_assert_eq(pk_fq_run(q, x + k * in, y1 + k * no, &e), 0);
        double mag = 0;
        for (int64_t j = 0; j < no; j++)
            mag = fmax(mag, fabs(y0[k * no + j]));
        for (int64_t j = 0; j < no; j++)
            worst = fmax(worst, fabs(y1[k * no + j] - y0[k * no + j]) / mag);
    }
    cr_assert_lt(worst, 1e-5, "factorization changed the float output by %g relative", worst);
    cr_assert_gt(worst, 0, "factorization did nothing");
    free(x), free(y0), free(y1);
    pk_fq_free(q);
}

Test(quant_cli, deterministic)
{
    const char *d1s = tmp_out();
    char d1[64];
    snprintf(d1, sizeof d1, "%s", d1s);
    const char *d2 = tmp_out();
    const char *a = "--model " MODEL " --calib " DATA "/calib_x.npy --recipe w4a4 --factorize";
    cr_assert_eq(quant(a, d1), 0, "%s", err_txt);
    cr_assert_eq(quant(a, d2), 0, "%s", err_txt);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "diff -r %s %s >/dev/null", d1, d2);
    cr_assert_eq(system(cmd), 0, "two runs differ");
    rm_rf(d1), rm_rf(d2);
}

/* Bad input: exit 2, the message, no output directory. */
static void refused(const char *args, const char *want)
{
    const char *d = tmp_out();
    cr_assert_eq(quant(args, d), 2, "%s\n%s", out_txt, err_txt);
    cr_assert(strstr(err_txt, want), "expected '%s' in: %s", want, err_txt);
    cr_assert(strchr(err_txt, '\n') == err_txt + strlen(err_txt) - 1, "one line: %s", err_txt);
    struct stat st;
    cr_assert_neq(stat(d, &st), 0, "%s was written", d);
}

Test(quant_cli, bad_inputs)
{
    refused("--model " DATA "/bad_op.onnx --calib " DATA "/calib_x.npy --recipe w8a8",
            "bad_op.onnx: node squash (Sigmoid): op type not supported");
    refused("--model " MODEL " --calib " DATA "/eval_y.npy --recipe w8a8",
            "eval_y.npy: npy: image batch must be float32 (N, ...) with N >= 1 and 64 values");
    refused("--model " MODEL " --calib " DATA "/calib_x.npy --recipe w2a2",
            "'w2a2' is not one of w8a8, w4a4, pikelpn");
    refused("--model " MODEL " --calib " DATA "/calib_x.npy --labels " DATA "/eval_y.npy "
            "--recipe w8a8", "eval_y.npy: npy: labels must be 64 integers");
    refused("--model " DATA "/calib_x.npy --calib " DATA "/calib_x.npy --recipe w8a8",
            "calib_x.npy");
    /* an empty batch and a batch of the wrong image size */
    pk_error_t e = { 0 };
    int64_t s0[4] = { 0, 8, 8, 1 }, s1[4] = { 2, 7, 7, 1 };
    float z[98] = { 0 };
    cr_assert_eq(pk_npy_write("/tmp/pk_qt_empty.npy", PK_NPY_F32, s0, 4, NULL, z, &e), 0, "%s",
                 e.msg);
    cr_assert_eq(pk_npy_write("/tmp/pk_qt_77.npy", PK_NPY_F32, s1, 4, NULL, z, &e), 0, "%s", e.msg);
    refused("--model " MODEL " --calib /tmp/pk_qt_empty.npy --recipe w8a8",
            "pk_qt_empty.npy: npy: image batch must be float32 (N, ...) with N >= 1");
    refused("--model " MODEL " --calib /tmp/pk_qt_77.npy --recipe w8a8",
            "pk_qt_77.npy: npy: image batch must be float32 (N, ...) with N >= 1 and 64 values");
    unlink("/tmp/pk_qt_empty.npy"), unlink("/tmp/pk_qt_77.npy");
}
