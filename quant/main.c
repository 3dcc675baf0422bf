/* pikequant - quantize a float ONNX model into a Pike network (docs/PIKEQUANT.md).
 *
 *   pikequant --model FLOAT.onnx --calib X.npy [--eval E.npy] [--labels L.npy]
 *             --recipe w8a8|w4a4|pikelpn [--factorize] [--per-tensor] [--percentile P]
 *             [--dq-mant-bits M] [--dq-exp-bits E] [--arch v1|v2] --config CFG --out NET/
 *
 * Design: the float model runs in C (core/pk_fq*) over the calibration batch
 * to collect activation ranges; the recipe turns it into a QONNX model in a
 * private temporary directory, which the project's importer (pk_onnx_import,
 * --approx) fits to the config and writes as NET/ (YAML + .npy, written only
 * when everything succeeded).  The report (quant/pq_eval.h): per layer the
 * output SNR against the float model, top-1 of both (with --labels; the Pike
 * network's from pikesim's bit-exact functional model, in process), ACE,
 * ACEv2 and simulated energy.  All inputs are read and checked before
 * anything is written; bad input is one message and exit 2.  --arch (v2, the
 * default as in every Pike tool, or v1) picks pikesim's model for the cost
 * columns; the report's table names it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>

#include "pk_arch.h"
#include "pk_config.h"
#include "pk_fq.h"
#include "pk_net.h"
#include "pk_npy.h"
#include "pk_onnx_import.h"
#include "pq_eval.h"

typedef struct args {
    const char *model, *calib, *eval, *labels, *recipe, *config, *out;
    double percentile;
    int factorize, per_tensor;
    int dq_mant, dq_exp;   /* --dq-mant-bits / --dq-exp-bits (0: the config's) */
    int arch;              /* --arch: 1 (v1) or 2 (v2, the default) */
} args_t;

static int usage(void)
{
    fprintf(stderr, "usage: pikequant --model FLOAT.onnx --calib X.npy [--eval E.npy] "
                    "[--labels L.npy] --recipe w8a8|w4a4|pikelpn [--factorize] [--per-tensor] "
                    "[--percentile P] [--dq-mant-bits M] [--dq-exp-bits E] [--arch v1|v2] "
                    "--config CFG --out DIR\n"
                    "  --arch v2 (default): ACE / ACEv2 / energy from the v2 model "
                    "(docs/ARCHITECTURE.md, pk_core2);\n"
                    "  --arch v1: from the v1 model (docs/ARCHITECTURE_V1.md, pk_core)\n");
    return 2;
}

static int parse(int argc, char **argv, args_t *a)
{
    memset(a, 0, sizeof *a);
    a->percentile = 100;
    a->arch = PK_ARCH_DEFAULT;
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(k, "--factorize") || !strcmp(k, "--per-tensor")) {
            *(k[2] == 'f' ? &a->factorize : &a->per_tensor) = 1;
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
        if (!strcmp(k, "--arch") && v) {
            if (!(a->arch = pk_arch_parse(v))) {
                fprintf(stderr, "pikequant: --arch: '%s': must be v1 or v2\n", v);
                return 2;
            }
            i++;
            continue;
        }
        int *num = !strcmp(k, "--dq-mant-bits") ? &a->dq_mant
                   : !strcmp(k, "--dq-exp-bits") ? &a->dq_exp
                                                  : NULL;
        if (num && v) {
            char *e;
            long n = strtol(v, &e, 10);
            if (*e || n < 1 || n > 16) {
                fprintf(stderr, "pikequant: %s: '%s' is not a bit width in [1, 16]\n", k, v);
                return 2;
            }
            *num = (int)n;
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

/* The config the importer fits to: cfg, with the DQ widths narrowed to
 * --dq-mant-bits / --dq-exp-bits (each at most the config's, so that the
 * network still runs on cfg). */
static int fit_config(const args_t *a, const pk_config_t *cfg, pk_config_t *fit, pk_error_t *err)
{
    *fit = *cfg;
    if (a->dq_mant > cfg->postproc.dq_mant_bits || a->dq_mant == 1)
        return pk_error_set(err, PK_EINPUT, a->config, 0, "postproc.dq_mant_bits",
                            "--dq-mant-bits %d: must be in [2, %d] (the config's DQ mantissa "
                            "width)", a->dq_mant, cfg->postproc.dq_mant_bits);
    if (a->dq_exp > cfg->postproc.dq_exp_bits)
        return pk_error_set(err, PK_EINPUT, a->config, 0, "postproc.dq_exp_bits",
                            "--dq-exp-bits %d: must be in [1, %d] (the config's DQ exponent "
                            "width)", a->dq_exp, cfg->postproc.dq_exp_bits);
    if (a->dq_mant)
        fit->postproc.dq_mant_bits = a->dq_mant;
    if (a->dq_exp)
        fit->postproc.dq_exp_bits = a->dq_exp;
    return 0;
}

static int make_tmpdir(char *tmpl, pk_error_t *err)
{
    if (mkdtemp(tmpl))
        return 0;
    return pk_error_set(err, PK_EIO, "/tmp", 0, "tmpdir", "cannot create a temporary directory");
}

/* One quantization of the calibrated model into out_dir (through the QONNX
 * file work/<recipe>.onnx, which stays for publish()), loaded back and
 * measured on the eval images.  work is the caller's private directory. */
typedef struct qrun {
    const args_t *a;
    const pk_fq_opts_t *o;
    const pk_config_t *cfg, *fit;
    const float *ex;
    const int32_t *lab;
    int64_t ne;
} qrun_t;

static void qonnx_path(const qrun_t *r, const char *work, char *path, size_t len)
{
    snprintf(path, len, "%s/%s.onnx", work, r->a->recipe);
}

static int import(const qrun_t *r, const char *work, const char *out_dir, FILE *notes, char *yaml,
                  size_t len, pk_onnx_io_t *io, pk_error_t *err)
{
    char path[128];
    qonnx_path(r, work, path, sizeof path);
    pk_onnx_opts_t iopts = { 1, notes };
    int force_dq = !strcmp(r->a->recipe, "pikelpn"); /* the recipe's DQ scales on every layer */
    int rc = pk_onnx_import_dq(path, r->fit, &iopts, force_dq, out_dir, yaml, len, io, err);
    if (rc && !strcmp(err->file, path)) /* the nodes are the float model's */
        snprintf(err->file, sizeof err->file, "%s", r->a->model);
    return rc;
}

static int quantize(pk_fq_t *q, const qrun_t *r, const char *work, const char *out_dir,
                    FILE *notes, char *yaml, size_t len, pk_net_t **net, pq_eval_t *e,
                    pk_error_t *err)
{
    char path[128];
    qonnx_path(r, work, path, sizeof path);
    pk_onnx_io_t io;
    int rc = pk_fq_write_qonnx(q, r->o, path, err);
    if (!rc)
        rc = import(r, work, out_dir, notes, yaml, len, &io, err);
    if (!rc)
        rc = pk_net_load(yaml, net, err);
    if (!rc)
        rc = pq_eval(q, *net, r->cfg, &io, r->ex, r->lab, r->ne, e, err);
    return rc;
}

/* The checked network into --out: the same QONNX imported again (the
 * importer is deterministic: the files quantize() wrote and measured, byte
 * for byte), so --out is written only after every step succeeded. */
static int publish(const qrun_t *r, const char *work, char *yaml, size_t len, pk_error_t *err)
{
    pk_onnx_io_t io;
    return import(r, work, r->a->out, NULL, yaml, len, &io, err);
}

static int rm_entry(const char *p, const struct stat *sb, int f, struct FTW *w)
{
    (void)sb, (void)f, (void)w;
    return remove(p);
}

/* --factorize: the per-layer SNR of the same recipe without factorization
 * (base[li] for net layer li, matched by name; NAN when absent).  The
 * network is written to a temporary directory and removed. */
static int baseline(pk_fq_t *q, const qrun_t *r, const float *x, int64_t n, double **base,
                    double **iso, int *n_base, char (**names)[PK_NET_MAX_NAME + 1],
                    pk_error_t *err)
{
    char dir[] = "/tmp/pikequant-base.XXXXXX", yaml[4096];
    if (make_tmpdir(dir, err))
        return err->code;
    char out[64];
    snprintf(out, sizeof out, "%s/net", dir);
    pk_net_t *net = NULL;
    pq_eval_t e = { 0 };
    int rc = pk_fq_calibrate(q, x, n, r->o, err);
    if (!rc)
        rc = quantize(q, r, dir, out, NULL, yaml, sizeof yaml, &net, &e, err);
    if (!rc && (!(*base = malloc((size_t)net->n_layers * sizeof **base)) ||
                !(*iso = malloc((size_t)net->n_layers * sizeof **iso)) ||
                !(*names = malloc((size_t)net->n_layers * sizeof **names))))
        rc = pk_error_set(err, PK_ENOMEM, r->a->model, 0, "model", "out of memory");
    for (int li = 0; !rc && li < net->n_layers; li++) {
        (*base)[li] = e.snr_db[li];
        (*iso)[li] = e.iso_db[li];
        snprintf((*names)[li], PK_NET_MAX_NAME + 1, "%s", net->layers[li].name);
    }
    if (!rc)
        *n_base = net->n_layers;
    pq_eval_free(&e);
    pk_net_free(net);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
typedef struct gains {
    double *snr, *iso;                 /* without factorization, per baseline layer */
    char (*names)[PK_NET_MAX_NAME + 1];
    int n;                             /* 0: no --factorize */
} gains_t;

static double base_snr(const gains_t *g, const double *snr, const char *layer)
{
    for (int i = 0; i < g->n; i++)
        if (!strcmp(g->names[i], layer))
            return snr[i];
    return NAN;
}

static void report(const args_t *a, const pk_net_t *net, const pq_eval_t *e, const pq_cost_t *c,
                   const gains_t *g, int labels, int dqm, int dqe)
{
    for (int li = 0; li < net->n_layers; li++) {
        if (isnan(e->snr_db[li]))
            continue;
        const char *name = net->layers[li].name;
        printf("layer %-12s SNR %7.2f dB (output vs float, %lld images)", name, e->snr_db[li],
               (long long)e->images);
        if (!isnan(e->iso_db[li]))
            printf("; isolated %.2f dB", e->iso_db[li]);
        double b = base_snr(g, g->snr, name), bi = base_snr(g, g->iso, name);
        if (g->n && !isnan(b))
            printf("; factorization gain %+.2f dB (%.2f dB without)", e->snr_db[li] - b, b);
        if (g->n && !isnan(bi) && !isnan(e->iso_db[li]))
            printf(", isolated %+.2f dB (%.2f dB without)", e->iso_db[li] - bi, bi);
        printf("\n");
    }
    printf("| recipe | factorize | float top-1 | Pike top-1 | ACE | ACEv2 | energy (pJ) | arch |\n"
           "|---|---|---|---|---|---|---|---|\n");
    char f[32] = "-", p[32] = "-";
    if (labels) {
        snprintf(f, sizeof f, "%.2f%%", 100.0 * (double)e->float_hits / (double)e->images);
        snprintf(p, sizeof p, "%.2f%%", 100.0 * (double)e->pike_hits / (double)e->images);
    }
    char rec[96], dq[32] = "";
    if (a->dq_mant || a->dq_exp)
        snprintf(dq, sizeof dq, "+dq%dm%de", a->dq_mant ? a->dq_mant : dqm,
                 a->dq_exp ? a->dq_exp : dqe);
    snprintf(rec, sizeof rec, "%s%s%s", a->recipe, a->per_tensor ? "+per-tensor" : "", dq);
    printf("| %s | %s | %s | %s | %lld | %.0f | %.0f | v%d |\n", rec, a->factorize ? "yes" : "no", f,
           p, (long long)c->ace, c->acev2, c->energy_pj, a->arch);
}

/* Read and check every input (nothing written yet). */
static int load_inputs(const args_t *a, pk_config_t **cfg, pk_fq_t **q, float **x, int64_t *n,
                       float **ex, int64_t *ne, int32_t **lab, pk_error_t *err)
{
    int rc = pk_config_load(a->config, cfg, err);
    if (!rc)
        rc = pk_fq_load(a->model, q, err);
    if (!rc && !(*x = read_batch(a->calib, pk_fq_in_count(*q), n, err)))
        rc = err->code;
    if (!rc && !(*ex = read_batch(a->eval, pk_fq_in_count(*q), ne, err)))
        rc = err->code;
    if (!rc && a->labels && !(*lab = read_labels(a->labels, *ne, pk_fq_out_count(*q), err)))
        rc = err->code;
    return rc;
}

static int run(const args_t *a, pk_error_t *err)
{
    pk_fq_opts_t o = { .percentile = a->percentile, .per_tensor = a->per_tensor };
    if (recipe_of(a->recipe, &o.recipe))
        return pk_error_set(err, PK_EINPUT, "--recipe", 0, "recipe",
                            "'%s' is not one of w8a8, w4a4, pikelpn", a->recipe);
    pk_config_t *cfg = NULL, fit;
    pk_fq_t *q = NULL;
    pk_net_t *net = NULL;
    float *x = NULL, *ex = NULL;
    int32_t *lab = NULL;
    int64_t n = 0, ne = 0;
    char yaml[4096];
    pq_eval_t e = { 0 };
    pq_cost_t cost;
    gains_t g = { 0 };
    int rc = load_inputs(a, &cfg, &q, &x, &n, &ex, &ne, &lab, err);
    if (!rc)
        rc = fit_config(a, cfg, &fit, err);
    qrun_t r = { a, &o, cfg, &fit, ex, lab, ne };
    if (!rc && a->factorize) {
        rc = baseline(q, &r, x, n, &g.snr, &g.iso, &g.n, &g.names, err);
        if (!rc)
            printf("factorize: %d layer pairs rescaled\n", pk_fq_factorize(q));
    }
    /* the network is written and measured in a private directory; --out
     * only when the cost succeeded too (publish) */
    char work[] = "/tmp/pikequant.XXXXXX", tmp_out[64];
    int have_work = 0;
    if (!rc && !(rc = make_tmpdir(work, err)))
        have_work = 1;
    snprintf(tmp_out, sizeof tmp_out, "%s/net", work);
    if (!rc)
        rc = pk_fq_calibrate(q, x, n, &o, err);
    if (!rc)
        rc = quantize(q, &r, work, tmp_out, stdout, yaml, sizeof yaml, &net, &e, err);
    if (!rc)
        rc = pq_cost(net, cfg, a->arch, &cost, err);
    if (!rc)
        rc = publish(&r, work, yaml, sizeof yaml, err);
    if (have_work)
        nftw(work, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (!rc) {
        report(a, net, &e, &cost, &g, lab != NULL, cfg->postproc.dq_mant_bits,
               cfg->postproc.dq_exp_bits);
        printf("network: %s\n", yaml);
    }
    free(g.snr), free(g.iso), free(g.names);
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
