/* test_quant_cli.c - pikequant (docs/PIKEQUANT.md) on the committed float
 * digits CNN of tests/data/quant/ (made by examples/quantize/train.py):
 * recipes end to end (top-1 floors as measured on the 128 committed
 * held-out images), factorization preserving the float function and
 * helping the per-tensor 4-bit pointwise layer, byte-identical reruns, the
 * output running in pikesim, the cost columns from pikesim's model of
 * --arch (v2 by default), and bad inputs (exit 2, one message naming the
 * file, nothing written). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>

#include "pk_config.h"
#include "pk_fq.h"
#include "pk_net.h"
#include "pk_npy.h"
#include "test_quant_util.h"

#define DATA QT_DATA
#define CFG QT_EDGE
#define MODEL DATA "/digits_cnn.onnx"
#define EVAL " --eval " DATA "/eval_x.npy --labels " DATA "/eval_y.npy"

static int quant(const char *args, const char *out)
{
    return qt_run(args, CFG, out);
}

Test(quant_cli, w8a8_end_to_end_and_runs_in_pikesim)
{
    const char *d = qt_tmp_out();
    cr_assert_eq(quant("--model " MODEL " --calib " DATA "/calib_x.npy" EVAL " --recipe w8a8", d),
                 0, "%s", qt_err);
    double f, p;
    qt_top1(&f, &p);
    /* measured: float 99.22%, Pike 98.44% (127 vs 126 of 128) */
    cr_assert_geq(f, 99.2);
    cr_assert_geq(p, f - 100.0 / 128 - 1e-9, "w8a8 lost more than one image: %.2f vs %.2f", p, f);
    cr_assert_gt(qt_layer_snr("conv1", NULL), 35.0);
    cr_assert_gt(qt_layer_snr("pw", NULL), 30.0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/sim/pikesim --config %s --network %s/w8a8.yaml >/dev/null",
             PIKE_BIN_DIR, CFG, d);
    cr_assert_eq(system(cmd), 0, "pikesim refused the quantized network");
    gt_rm_tree(d);
}

Test(quant_cli, recipes_choose_widths)
{
    const char *d = qt_tmp_out();
    cr_assert_eq(quant("--model " MODEL " --calib " DATA "/calib_x.npy --recipe pikelpn", d), 0,
                 "%s", qt_err);
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
    gt_rm_tree(d);
}

/* The target: per-tensor 4-bit weights on the depthwise-separable
 * block (w4a4 --per-tensor), factorization lowers the output error of both
 * its layers; pikelpn (pointwise per tensor 4-bit) gains on the pointwise
 * layer.  The gain is the report's, against the same recipe without
 * factorization, and is checked against the two plain runs. */
Test(quant_cli, factorize_helps_per_tensor_4bit_weights)
{
    const char *d = qt_tmp_out();
    const char *pt =
        "--model " MODEL " --calib " DATA "/calib_x.npy" EVAL " --recipe w4a4 --per-tensor";
    cr_assert_eq(quant(pt, d), 0, "%s", qt_err);
    double dw0 = qt_layer_snr("dw", NULL), pw0 = qt_layer_snr("pw", NULL);
    gt_rm_tree(d);
    char args[512];
    snprintf(args, sizeof args, "%s --factorize", pt);
    cr_assert_eq(quant(args, d), 0, "%s", qt_err);
    double gdw, gpw, dw1 = qt_layer_snr("dw", &gdw), pw1 = qt_layer_snr("pw", &gpw);
    gt_rm_tree(d);
    cr_assert_float_eq(gdw, dw1 - dw0, 0.011, "reported %.2f, runs %.2f -> %.2f", gdw, dw0, dw1);
    cr_assert_float_eq(gpw, pw1 - pw0, 0.011, "reported %.2f, runs %.2f -> %.2f", gpw, pw0, pw1);
    /* measured: dw 14.78 -> 14.93 dB (+0.15), pw 11.16 -> 11.57 dB (+0.41) */
    cr_assert_gt(gdw, 0.05, "dw: factorization gain %.2f dB", gdw);
    cr_assert_gt(gpw, 0.2, "pw: factorization gain %.2f dB", gpw);
    snprintf(args, sizeof args, "--model %s --calib %s/calib_x.npy%s --recipe pikelpn --factorize",
             MODEL, DATA, EVAL);
    cr_assert_eq(quant(args, d), 0, "%s", qt_err);
    qt_layer_snr("pw", &gpw);
    /* measured: pw 13.11 -> 13.40 dB (+0.29) */
    cr_assert_gt(gpw, 0.15, "pikelpn pw: factorization gain %.2f dB", gpw);
    gt_rm_tree(d);
}

/* Layer-isolated SNR: each layer alone on the float model's (quantized)
 * input.  conv1 reads the network input, so its isolated SNR is its
 * end-to-end one; later layers lose no upstream error in isolation; the
 * isolated factorization gain is checked against the plain run. */
Test(quant_cli, isolated_snr_and_gain)
{
    const char *d = qt_tmp_out();
    const char *pt =
        "--model " MODEL " --calib " DATA "/calib_x.npy" EVAL " --recipe w4a4 --per-tensor";
    cr_assert_eq(quant(pt, d), 0, "%s", qt_err);
    const char *names[] = { "conv1", "dw", "pw", "fc" };
    double iso0[4], iso1[4], gain[4];
    for (int i = 0; i < 4; i++)
        iso0[i] = qt_layer_iso(names[i], NULL);
    cr_assert_float_eq(iso0[0], qt_layer_snr("conv1", NULL), 0.011, "conv1 isolated %.2f", iso0[0]);
    cr_assert_gt(iso0[2], qt_layer_snr("pw", NULL) + 1.0, "pw isolated %.2f", iso0[2]);
    cr_assert_gt(iso0[3], qt_layer_snr("fc", NULL) + 1.0, "fc isolated %.2f", iso0[3]);
    gt_rm_tree(d);
    char args[512];
    snprintf(args, sizeof args, "%s --factorize", pt);
    cr_assert_eq(quant(args, d), 0, "%s", qt_err);
    for (int i = 0; i < 4; i++) {
        iso1[i] = qt_layer_iso(names[i], &gain[i]);
        cr_assert(isfinite(iso1[i]), "%s: no isolated SNR:\n%s", names[i], qt_out);
        cr_assert_float_eq(gain[i], iso1[i] - iso0[i], 0.011, "%s: reported %.2f, runs %.2f -> %.2f",
                           names[i], gain[i], iso0[i], iso1[i]);
    }
    gt_rm_tree(d);
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

/* Largest DQ mantissa and exponent over the conv / fc layers of NET/pikelpn.yaml,
 * each of which must use QuantNorm x DQ. */
/* Every conv / fc layer of d/pikelpn.yaml uses DQ with every M_c in
 * [1, 2^mant_bits) and E_c < 2^exp_bits; the largest M and E over the net. */
static void dq_extent(const char *d, int mant_bits, int exp_bits, int *max_m, int *max_e)
{
    char path[128];
    snprintf(path, sizeof path, "%s/pikelpn.yaml", d);
    pk_net_t *net = NULL;
    pk_config_t *cfg = NULL;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_net_load(path, &net, &e), 0, "%s", e.msg);
    cr_assert_eq(pk_config_load(CFG, &cfg, &e), 0, "%s", e.msg);
    *max_m = *max_e = 0;
    int layers = 0;
    for (int li = 0; li < net->n_layers; li++) {
        const pk_layer_t *L = &net->layers[li];
        if (L->op != PK_OP_CONV && L->op != PK_OP_FC)
            continue;
        layers++;
        cr_assert_eq(L->scale, PK_SCALE_DQ, "layer %s does not use DQ", L->name);
        pk_chan_params_t ch[64];
        pk_layer_params_t lp;
        cr_assert_leq(L->n_param_sets, 64);
        cr_assert_eq(pk_net_layer_params(net, li, cfg, ch, &lp, &e), 0, "%s", e.msg);
        for (int c = 0; c < L->n_param_sets; c++) {
            cr_assert(ch[c].M >= 1 && ch[c].M < (1 << mant_bits) && ch[c].E < (1 << exp_bits),
                      "layer %s channel %d: M %d, E %d", L->name, c, ch[c].M, ch[c].E);
            *max_m = ch[c].M > *max_m ? ch[c].M : *max_m;
            *max_e = ch[c].E > *max_e ? ch[c].E : *max_e;
        }
    }
    cr_assert_geq(layers, 3, "%d conv / fc layers", layers);
    pk_net_free(net);
    pk_config_free(cfg);
}

Test(quant_cli, pikelpn_dq_widths)
{
    const char *d = qt_tmp_out();
    const char *base = "--model " MODEL " --calib " DATA "/calib_x.npy" EVAL " --recipe pikelpn";
    int m, e;
    cr_assert_eq(quant(base, d), 0, "%s", qt_err);
    dq_extent(d, 8, 5, &m, &e);
    cr_assert(m >= 128 && m < 256 && e < 32, "M up to %d, E up to %d", m, e);
    gt_rm_tree(d);
    char args[512];
    snprintf(args, sizeof args, "%s --dq-mant-bits 4 --dq-exp-bits 3", base);
    cr_assert_eq(quant(args, d), 0, "%s", qt_err);
    cr_assert(strstr(qt_out, "| pikelpn+dq4m3e | no |"), "%s", qt_out);
    dq_extent(d, 4, 3, &m, &e);
    cr_assert(m >= 8 && m < 16 && e >= 4 && e < 8, "M up to %d, E up to %d", m, e);
    gt_rm_tree(d);
    /* factorized, conv1's QuantNorm alone fits better: DQ is forced (pk_onnx_import_dq) */
    snprintf(args, sizeof args, "%s --dq-mant-bits 4 --dq-exp-bits 3 --factorize", base);
    cr_assert_eq(quant(args, d), 0, "%s", qt_err);
    dq_extent(d, 4, 3, &m, &e);
    gt_rm_tree(d);
    qt_refused("--model " MODEL " --calib " DATA "/calib_x.npy --recipe pikelpn --dq-mant-bits 9",
               "edge.yaml: postproc.dq_mant_bits: --dq-mant-bits 9: must be in [2, 8]");
    qt_refused("--model " MODEL " --calib " DATA "/calib_x.npy --recipe pikelpn --dq-exp-bits x",
               "--dq-exp-bits: 'x' is not a bit width in [1, 16]");
}

Test(quant_cli, deterministic)
{
    const char *d1s = qt_tmp_out();
    char d1[64];
    snprintf(d1, sizeof d1, "%s", d1s);
    const char *d2 = qt_tmp_out();
    const char *a = "--model " MODEL " --calib " DATA "/calib_x.npy --recipe w4a4 --factorize";
    cr_assert_eq(quant(a, d1), 0, "%s", qt_err);
    cr_assert_eq(quant(a, d2), 0, "%s", qt_err);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "diff -r %s %s >/dev/null", d1, d2);
    cr_assert_eq(system(cmd), 0, "two runs differ");
    gt_rm_tree(d1), gt_rm_tree(d2);
}

Test(quant_cli, bad_inputs)
{
    qt_refused("--model " DATA "/bad_op.onnx --calib " DATA "/calib_x.npy --recipe w8a8",
               "bad_op.onnx: node squash (Sigmoid): op type not supported");
    qt_refused("--model " MODEL " --calib " DATA "/eval_y.npy --recipe w8a8",
               "eval_y.npy: npy: image batch must be float32 (N, ...) with N >= 1 and 64 values");
    qt_refused("--model " MODEL " --calib " DATA "/calib_x.npy --recipe w2a2",
               "'w2a2' is not one of w8a8, w4a4, pikelpn");
    qt_refused("--model " MODEL " --calib " DATA "/calib_x.npy --labels " DATA "/eval_y.npy "
               "--recipe w8a8", "eval_y.npy: npy: labels must be 64 integers");
    qt_refused("--model " DATA "/calib_x.npy --calib " DATA "/calib_x.npy --recipe w8a8",
               "calib_x.npy");
    /* an empty batch and a batch of the wrong image size */
    pk_error_t e = { 0 };
    int64_t s0[4] = { 0, 8, 8, 1 }, s1[4] = { 2, 7, 7, 1 };
    float z[98] = { 0 };
    cr_assert_eq(pk_npy_write("/tmp/pk_qt_empty.npy", PK_NPY_F32, s0, 4, NULL, z, &e), 0, "%s",
                 e.msg);
    cr_assert_eq(pk_npy_write("/tmp/pk_qt_77.npy", PK_NPY_F32, s1, 4, NULL, z, &e), 0, "%s", e.msg);
    qt_refused("--model " MODEL " --calib /tmp/pk_qt_empty.npy --recipe w8a8",
               "pk_qt_empty.npy: npy: image batch must be float32 (N, ...) with N >= 1");
    qt_refused("--model " MODEL " --calib /tmp/pk_qt_77.npy --recipe w8a8",
               "pk_qt_77.npy: npy: image batch must be float32 (N, ...) with N >= 1 and 64 values");
    unlink("/tmp/pk_qt_empty.npy"), unlink("/tmp/pk_qt_77.npy");
    /* an empty model file */
    FILE *f = fopen("/tmp/pk_qt_empty.onnx", "w");
    cr_assert(f && fclose(f) == 0);
    qt_refused("--model /tmp/pk_qt_empty.onnx --calib " DATA "/calib_x.npy --recipe w8a8",
               "pk_qt_empty.onnx: model: empty file (not an ONNX model)");
    unlink("/tmp/pk_qt_empty.onnx");
}

/* The table row's energy (pJ) and arch of the last run (qt_out). */
static void row_energy_arch(double *energy, char arch[8])
{
    const char *r = strstr(qt_out, "\n| w8a8 |");
    cr_assert(r, "no table row in:\n%s", qt_out);
    cr_assert_eq(sscanf(r, "\n| w8a8 | %*s | %*s | %*s | %*s | %*s | %lf | %7s |", energy, arch), 2,
                 "%s", r);
}

/* pikesim --timing-only's total energy (pJ) of NET on edge.yaml with flags. */
static double sim_energy(const char *net, const char *flags)
{
    char cmd[1024], json[] = "/tmp/pk_qt_sim_XXXXXX";
    int fd = mkstemp(json);
    cr_assert(fd >= 0);
    close(fd);
    snprintf(cmd, sizeof cmd, "%s/sim/pikesim --config %s --network %s --timing-only%s --json %s "
             ">/dev/null", PIKE_BIN_DIR, CFG, net, flags, json);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    json_error_t je;
    json_t *j = json_load_file(json, 0, &je);
    unlink(json);
    json_t *e = json_object_get(json_object_get(json_object_get(j, "totals"), "energy_pj"), "total");
    cr_assert(json_is_number(e), "no totals.energy_pj.total: %s", je.text);
    double v = json_number_value(e);
    json_decref(j);
    return v;
}

/* --arch: v2 by default (as every Pike tool), its energy pikesim's default
 * model's; --arch v1 pikesim --arch v1's; the row names the arch; a bad
 * value is one message and exit 2. */
Test(quant_cli, arch_default_v2_cost_is_pikesims)
{
    const char *base = "--model " MODEL " --calib " DATA "/calib_x.npy --recipe w8a8";
    char a[512], net[128], arch[8];
    double e2, e1;
    const char *d = qt_tmp_out();
    cr_assert_eq(quant(base, d), 0, "%s", qt_err);
    row_energy_arch(&e2, arch);
    cr_assert_str_eq(arch, "v2");
    snprintf(net, sizeof net, "%s/w8a8.yaml", d);
    double s2 = sim_energy(net, ""), s1 = sim_energy(net, " --arch v1");
    cr_assert(fabs(e2 - s2) <= 0.5, "default: pikequant %.0f pJ, pikesim %.1f", e2, s2);
    gt_rm_tree(d);
    d = qt_tmp_out();
    snprintf(a, sizeof a, "%s --arch v1", base);
    cr_assert_eq(quant(a, d), 0, "%s", qt_err);
    row_energy_arch(&e1, arch);
    cr_assert_str_eq(arch, "v1");
    cr_assert(fabs(e1 - s1) <= 0.5, "v1: pikequant %.0f pJ, pikesim --arch v1 %.1f", e1, s1);
    cr_assert(fabs(e1 - e2) > 1, "v1 and v2 energy equal (%.0f): the arch did not reach the model",
              e1);
    gt_rm_tree(d);
    qt_refused("--model " MODEL " --calib " DATA "/calib_x.npy --recipe w8a8 --arch v3",
               "pikequant: --arch: 'v3': must be v1 or v2");
}

/* A step after quantization that fails (here the v2 cost: tiny's fc layer
 * does not fit its 128-byte activation buffer) leaves --out unwritten: the
 * network goes there only when every step succeeded. */
Test(quant_cli, cost_refusal_writes_nothing)
{
    const char *d = qt_tmp_out();
    cr_assert_eq(qt_run("--model " MODEL " --calib " DATA "/calib_x.npy --recipe w8a8",
                        QT_ROOT "/tests/data/check/tiny.yaml", d), 2, "%s\n%s", qt_out, qt_err);
    cr_assert(strstr(qt_err, "tiny.yaml: fc: v2 plan: a pixel tile reads 1 input rows"), "%s",
              qt_err);
    struct stat st;
    cr_assert_neq(stat(d, &st), 0, "%s was written", d);
}
