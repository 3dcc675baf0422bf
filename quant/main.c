/* pikequant - quantize a float ONNX model into a Pike network (docs/PIKEQUANT.md).
 *
 *   pikequant --model FLOAT.onnx --calib X.npy [--eval E.npy] [--labels L.npy]
 *             --recipe w8a8|w4a4|pikelpn [--factorize] [--percentile P] --config CFG --out NET/
 *
 * Design: the float model runs in C (core/pk_fq*) over the calibration batch
 * to collect activation ranges; the recipe turns it into a QONNX model in a
 * private temporary directory, which the project's importer (pk_onnx_import,
 * --approx) fits to the config and writes as NET/ (YAML + .npy, written only
 * when everything succeeded).  The report (quant/pq_eval.h): per layer the
 * output SNR against the float model, top-1 of both (with --labels; the Pike
 * network's from pikesim's bit-exact functional model, in process), ACE,
 * ACEv2 and simulated energy.  All inputs are read and checked before
 * anything is written; bad input is one message and exit 2.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_config.h"
#include "pk_fq.h"
#include "pk_net.h"
#include "pk_npy.h"
#include "pk_onnx_import.h"
#include "pq_eval.h"

typedef struct args {
    const char *model, *calib, *eval, *labels, *recipe, *config, *out;
    double percentile;
    int factorize;
} args_t;

static int usage(void)
{
    fprintf(stderr, "usage: pikequant --model FLOAT.onnx --calib X.npy [--eval E.npy] "
                    "[--labels L.npy] --recipe w8a8|w4a4|pikelpn [--factorize] "
                    "[--percentile P] --config CFG --out DIR\n");
    return 2;
}

static int parse(int argc, char **argv, args_t *a)
{
    memset(a, 0, sizeof *a);
    a->percentile = 100;
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(k, "--factorize")) {
            a->factorize = 1;
            continue;
        }
        const char **dst = !strcmp(k, "--model")    ? &a->model
                           : !strcmp(k, "--calib")  ? &a->calib
                           : !strcmp(k, "--eval")   ? &a->eval
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
    if (!a->eval)
        a->eval = a->calib;
    return 0;
}

/* A batch of images: float32 (N, ...) with in_count values per image. */
static float *read_batch(const char *path, int64_t in_count, int64_t *n, pk_error_t *err)
{
    pk_npy_t h;
    if (pk_npy_header(path, &h, err))
        return NULL;
    if (h.dtype != PK_NPY_F32 || h.ndim < 2 || h.shape[0] < 1 || h.count % h.shape[0] ||
        h.count / h.shape[0] != in_count) {
        pk_error_set(err, PK_EINPUT, path, 0, "npy",
                     "image batch must be float32 (N, ...) with N >= 1 and %lld values "
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
    for (int64_t i = 0; i < h.count; i++)
        if (!isfinite(x[i])) {
            pk_error_set(err, PK_EINPUT, path, 0, "npy", "element %lld is not a finite number",
                         (long long)i);
            free(x);
            return NULL;
        }
    *n = h.shape[0];
    return x;
}

static int32_t *read_labels(const char *path, int64_t n, int64_t classes, pk_error_t *err)
{
    pk_npy_t h;
    if (pk_npy_header(path, &h, err))
        return NULL;
    if (h.count != n || h.dtype == PK_NPY_F32) {
        pk_error_set(err, PK_EINPUT, path, 0, "npy",
                     "labels must be %lld integers (one per evaluated image)", (long long)n);
        return NULL;
    }
    int32_t *l = malloc((size_t)n * sizeof *l);
    if (!l || pk_npy_read_i32(path, &h, l, n, err)) {
        if (!l)
            pk_error_set(err, PK_ENOMEM, path, 0, "npy", "out of memory");
        free(l);
        return NULL;
    }
    for (int64_t i = 0; i < n; i++)
        if (l[i] < 0 || l[i] >= classes) {
            pk_error_set(err, PK_EINPUT, path, 0, "npy", "label %lld is %d: not in [0, %lld)",
                         (long long)i, l[i], (long long)classes);
            free(l);
            return NULL;
        }
    return l;
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

/* Quantize into a.out through a private temporary QONNX file. */
static int quantize(pk_fq_t *q, const args_t *a, const pk_fq_opts_t *o, const pk_config_t *cfg,
                    char *yaml, size_t len, pk_onnx_io_t *io, pk_error_t *err)
{
    char tmp[] = "/tmp/pikequant.XXXXXX", path[64];
    if (!mkdtemp(tmp))
        return pk_error_set(err, PK_EIO, "/tmp", 0, "tmpdir", "cannot create a temporary directory");
    snprintf(path, sizeof path, "%s/%s.onnx", tmp, a->recipe);
    int rc = pk_fq_write_qonnx(q, o, path, err);
    pk_onnx_opts_t iopts = { 1, stdout };
    if (!rc)
        rc = pk_onnx_import(path, cfg, &iopts, a->out, yaml, len, io, err);
    unlink(path);
    rmdir(tmp);
    return rc;
}

static void report(const args_t *a, const pk_net_t *net, const pq_eval_t *e, const pq_cost_t *c,
                   int labels)
{
    for (int li = 0; li < net->n_layers; li++)
        if (!isnan(e->snr_db[li]))
            printf("layer %-12s SNR %7.2f dB (output vs float, %lld images)\n",
                   net->layers[li].name, e->snr_db[li], (long long)e->images);
    printf("| recipe | factorize | float top-1 | Pike top-1 | ACE | ACEv2 | energy (pJ) |\n"
           "|---|---|---|---|---|---|---|\n");
    char f[32] = "-", p[32] = "-";
    if (labels) {
        snprintf(f, sizeof f, "%.2f%%", 100.0 * (double)e->float_hits / (double)e->images);
        snprintf(p, sizeof p, "%.2f%%", 100.0 * (double)e->pike_hits / (double)e->images);
    }
    printf("| %s | %s | %s | %s | %lld | %.0f | %.0f |\n", a->recipe, a->factorize ? "yes" : "no",
           f, p, (long long)c->ace, c->acev2, c->energy_pj);
}

static int run(const args_t *a, pk_error_t *err)
{
    pk_fq_opts_t o = { .percentile = a->percentile };
    if (recipe_of(a->recipe, &o.recipe))
        return pk_error_set(err, PK_EINPUT, "--recipe", 0, "recipe",
                            "'%s' is not one of w8a8, w4a4, pikelpn", a->recipe);
    pk_config_t *cfg = NULL;
    pk_fq_t *q = NULL;
    pk_net_t *net = NULL;
    float *x = NULL, *ex = NULL;
    int32_t *lab = NULL;
    int64_t n = 0, ne = 0;
    char yaml[4096];
    pk_onnx_io_t io;
    pq_eval_t e = { 0 };
    pq_cost_t cost;
    int rc = pk_config_load(a->config, &cfg, err);
    if (!rc)
        rc = pk_fq_load(a->model, &q, err);
    if (!rc && !(x = read_batch(a->calib, pk_fq_in_count(q), &n, err)))
        rc = err->code;
    if (!rc && !(ex = read_batch(a->eval, pk_fq_in_count(q), &ne, err)))
        rc = err->code;
    if (!rc && a->labels && !(lab = read_labels(a->labels, ne, pk_fq_out_count(q), err)))
        rc = err->code;
    if (!rc && a->factorize)
        printf("factorize: %d layer pairs rescaled\n", pk_fq_factorize(q));
    if (!rc)
        rc = pk_fq_calibrate(q, x, n, &o, err);
    if (!rc)
        rc = quantize(q, a, &o, cfg, yaml, sizeof yaml, &io, err);
    if (!rc)
        rc = pk_net_load(yaml, &net, err);
    if (!rc)
        rc = pq_eval(q, net, cfg, &io, ex, lab, ne, &e, err);
    if (!rc)
        rc = pq_cost(net, cfg, &cost, err);
    if (!rc) {
        report(a, net, &e, &cost, lab != NULL);
        printf("network: %s\n", yaml);
    }
    pq_eval_free(&e);
    pk_net_free(net);
    free(x), free(ex), free(lab);
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
