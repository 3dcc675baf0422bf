/* pikequant - quantize a float ONNX model into a Pike network (docs/PIKEQUANT.md).
 *
 *   pikequant --model FLOAT.onnx --calib X.npy [--labels L.npy] --recipe w8a8|w4a4|pikelpn
 *             [--percentile P] --config CFG --out NET/
 *
 * Design: the float model runs in C (core/pk_fq*) over the calibration batch
 * to collect activation ranges; the recipe turns it into a QONNX model in a
 * private temporary directory, which the project's importer (pk_onnx_import,
 * --approx) fits to the config and writes as NET/ (YAML + .npy, written only
 * when everything succeeded).  With --labels the Pike network's top-1 comes
 * from pikesim's bit-exact functional model (pk_input_run, in process) and
 * the float model's from the executor.  Exit 2 on bad input, nothing written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_config.h"
#include "pk_fq.h"
#include "pk_input.h"
#include "pk_net.h"
#include "pk_npy.h"
#include "pk_onnx_import.h"

typedef struct args {
    const char *model, *calib, *labels, *recipe, *config, *out;
    double percentile;
} args_t;

static int usage(void)
{
    fprintf(stderr, "usage: pikequant --model FLOAT.onnx --calib X.npy [--labels L.npy] "
                    "--recipe w8a8|w4a4|pikelpn [--percentile P] --config CFG --out DIR\n");
    return 2;
}

static int parse(int argc, char **argv, args_t *a)
{
    memset(a, 0, sizeof *a);
    a->percentile = 100;
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **dst = !strcmp(k, "--model")    ? &a->model
                           : !strcmp(k, "--calib")  ? &a->calib
                           : !strcmp(k, "--labels") ? &a->labels
                           : !strcmp(k, "--recipe") ? &a->recipe
                           : !strcmp(k, "--config") ? &a->config
                           : !strcmp(k, "--out")    ? &a->out
                                                    : NULL;
        if (!strcmp(k, "--percentile") && v) {
            char *e;
            a->percentile = strtod(v, &e);
            if (*e || !(a->percentile > 50 && a->percentile <= 100)) {
                fprintf(stderr, "pikequant: --percentile: '%s' is not a number in (50, 100]\n", v);
                return 2;
            }
            i++;
            continue;
        }
        if (!dst || !v) {
            fprintf(stderr, "pikequant: %s: unknown option or missing value\n", k);
            return usage();
        }
        *dst = v;
        i++;
    }
    if (!a->model || !a->calib || !a->recipe || !a->config || !a->out)
        return usage();
    return 0;
}

/* The calibration batch: float32 (N, ...) with in_count values per image. */
static float *read_calib(const char *path, int64_t in_count, int64_t *n, pk_error_t *err)
{
    pk_npy_t h;
    if (pk_npy_header(path, &h, err))
        return NULL;
    if (h.dtype != PK_NPY_F32 || h.ndim < 2 || h.shape[0] < 1 || h.count % h.shape[0] ||
        h.count / h.shape[0] != in_count) {
        pk_error_set(err, PK_EINPUT, path, 0, "npy",
                     "calibration batch must be float32 (N, ...) with N >= 1 and %lld values "
                     "per image (the model's input, H x W x C)", (long long)in_count);
        return NULL;
    }
    float *x = malloc((size_t)h.count * sizeof *x);
    if (!x || pk_npy_read_f32(path, &h, x, h.count, err)) {
        if (!x)
            pk_error_set(err, PK_ENOMEM, path, 0, "npy", "out of memory");
        free(x);
        return NULL;
    }
    *n = h.shape[0];
    return x;
}

/* Float top-1 of the executor over the labelled batch; -1 when no labels. */
static int float_top1(pk_fq_t *q, const float *x, int64_t n, const char *labels, double *acc,
                      pk_error_t *err)
{
    pk_npy_t h;
    if (pk_npy_header(labels, &h, err))
        return -1;
    if (h.count != n || h.dtype == PK_NPY_F32)
        return pk_error_set(err, PK_EINPUT, labels, 0, "npy",
                            "labels must be %lld integers (one per calibration image)",
                            (long long)n),
               -1;
    int32_t *l = malloc((size_t)n * sizeof *l);
    int64_t no = pk_fq_out_count(q), in = pk_fq_in_count(q), hit = 0;
    float *y = malloc((size_t)no * sizeof *y);
    int rc = !l || !y ? -1 : pk_npy_read_i32(labels, &h, l, n, err);
    for (int64_t k = 0; !rc && k < n; k++) {
        pk_fq_run(q, x + k * in, y, err);
        int64_t best = 0;
        for (int64_t j = 1; j < no; j++)
            if (y[j] > y[best])
                best = j;
        hit += best == l[k];
    }
    *acc = 100.0 * (double)hit / (double)n;
    free(l), free(y);
    return rc;
}

static int recipe_of(const char *s, pk_fq_recipe_t *r)
{
    if (!strcmp(s, "w8a8"))
        *r = PK_FQ_W8A8;
    else if (!strcmp(s, "w4a4"))
        *r = PK_FQ_W4A4;
    else if (!strcmp(s, "pikelpn"))
        *r = PK_FQ_PIKELPN;
    else
        return -1;
    return 0;
}

static int run(const args_t *a, pk_error_t *err)
{
    pk_fq_opts_t o = { .percentile = a->percentile };
    if (recipe_of(a->recipe, &o.recipe))
        return pk_error_set(err, PK_EINPUT, "--recipe", 0, "recipe",
                            "'%s' is not one of w8a8, w4a4, pikelpn", a->recipe);
    pk_config_t *cfg = NULL;
    pk_fq_t *q = NULL;
    float *x = NULL;
    int64_t n = 0;
    char tmp[] = "/tmp/pikequant.XXXXXX", qpath[64] = "", yaml[4096];
    int rc = pk_config_load(a->config, &cfg, err);
    if (!rc)
        rc = pk_fq_load(a->model, &q, err);
    if (!rc && !(x = read_calib(a->calib, pk_fq_in_count(q), &n, err)))
        rc = err->code ? err->code : PK_EINPUT;
    if (!rc)
        rc = pk_fq_calibrate(q, x, n, &o, err);
    if (!rc && !mkdtemp(tmp))
        rc = pk_error_set(err, PK_EIO, "/tmp", 0, "tmpdir", "cannot create a temporary directory");
    if (!rc) {
        snprintf(qpath, sizeof qpath, "%s/%s.onnx", tmp, a->recipe);
        rc = pk_fq_write_qonnx(q, &o, qpath, err);
    }
    pk_onnx_io_t io;
    pk_onnx_opts_t iopts = { 1, stdout };
    if (!rc)
        rc = pk_onnx_import(qpath, cfg, &iopts, a->out, yaml, sizeof yaml, &io, err);
    if (qpath[0])
        unlink(qpath);
    if (strcmp(tmp, "/tmp/pikequant.XXXXXX") != 0)
        rmdir(tmp);
    double facc = 0;
    if (!rc && a->labels && !(rc = float_top1(q, x, n, a->labels, &facc, err))) {
        printf("float top-1: %.2f%%\n", facc);
        pk_net_t *net = NULL;
        rc = pk_net_load(yaml, &net, err);
        pk_input_opts_t io2 = { .input = a->calib, .labels = a->labels, .io = &io };
        if (!rc) {
            printf("pike (bit-exact functional model): ");
            rc = pk_input_run(net, cfg, &io2, stdout, err);
        }
        pk_net_free(net);
    }
    if (!rc)
        printf("network: %s\n", yaml);
    free(x);
    pk_fq_free(q);
    pk_config_free(cfg);
    return rc;
}

int main(int argc, char **argv)
{
    args_t a;
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc;
    pk_error_t err = { 0 };
    rc = run(&a, &err);
    if (rc) {
        char msg[1024];
        pk_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "pikequant: %s\n", msg);
        return pk_error_exit_status(rc);
    }
    return 0;
}
