/* pk_onnx_emit.c - write the imported network: NET.yaml (docs/NETWORK.md)
 * and the .npy weight / parameter files, and load a .onnx wherever a
 * network is expected (pk_onnx_net_load).
 *
 * Design: first every layer gets a unique Pike name and is judged (exact, or
 * accepted with --approx, or an error naming its node), then the YAML text
 * is built in memory, and only then are files written (parameter files
 * first, the YAML last, each through a temporary name), so a refused model
 * leaves nothing behind.  Every key is written explicitly (no defaults), in
 * a fixed order: the same model and config give the same bytes.
 */
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk_npy.h"
#include "pk_onnx_imp.h"

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf_t;

static void sb_printf(sbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf_t *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* Unique Pike names from node names: [A-Za-z0-9_.-], at most 40 chars. */
static void name_layers(imp_t *im)
{
    for (int i = 0; i < im->n_l; i++) {
        imp_layer_t *L = &im->l[i];
        const char *src = pk_onnx_node_name(L->node);
        size_t k = 0;
        for (; *src && k < 40; src++) {
            char c = *src;
            int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '_' || c == '-' || c == '.';
            L->name[k++] = ok ? c : '_';
        }
        L->name[k] = 0;
        if (L->suffix)
            snprintf(L->name + k, sizeof L->name - k, "%s", L->suffix);
        if (!k || strcmp(L->name, "input") == 0)
            snprintf(L->name, sizeof L->name, "layer%d", i);
        for (int j = 0; j < i; j++)
            if (strcmp(im->l[j].name, L->name) == 0) {
                char base[48];
                snprintf(base, sizeof base, "%.40s", L->name);
                snprintf(L->name, sizeof L->name, "%s_%d", base, i);
                j = -1; /* re-check */
            }
    }
}

static const char *why_text(int why, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s%s%s", why & WHY_SCALE ? "the scale is not a fraction m/2^s within "
             "the config's QuantNorm / DQ widths; " : "",
             why & WHY_TIES ? "rounding ties: the model rounds half away from zero and the output "
             "can be negative (Pike rounds half up or half to even); " : "",
             why & WHY_SLOPE ? "a PReLU slope is not an_c / 2^act_shift within the config's "
             "act_param_bits; " : "",
             why & WHY_PRELU ? "PReLU: Pike applies the slope to the rounded output code "
             "(two roundings where the model has one); " : "",
             why & WHY_TRUNC ? "Trunc: the model rounds the value before truncating it, which "
             "Pike's one rounding matches only when that value is an integer or never a tie; "
             : "");
    size_t n = strlen(buf);
    if (n >= 2)
        buf[n - 2] = 0;
    return buf;
}

/* The config keys too narrow for layer L to be exact, with the widths it
 * would need ("postproc.qn_mult_bits >= 25 (has 8), ..."), or why no width
 * helps; "" when L's scales are representable. */
static const char *needs_text(const pk_config_t *cfg, const imp_layer_t *L, char *buf,
                              size_t len)
{
    int add = imp_dq_only(L);
    struct { const char *key; int need, has; } k[4] = {
        { add ? "dq_mant_bits" : "qn_mult_bits", L->need_mult - add,
          add ? cfg->postproc.dq_mant_bits : cfg->postproc.qn_mult_bits },
        { "qn_bias_bits", add ? 0 : L->need_bias, cfg->postproc.qn_bias_bits },
        { add ? "dq_exp_bits" : "qn_shift_bits", L->need_shift,
          add ? cfg->postproc.dq_exp_bits : cfg->postproc.qn_shift_bits },
        { "internal_bits", add ? 0 : L->need_internal, cfg->postproc.internal_bits },
    };
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < 4 && n < len; i++)
        if (k[i].need > k[i].has)
            n += (size_t)snprintf(buf + n, len - n, "%spostproc.%s >= %d (has %d)", n ? ", " : "",
                                  k[i].key, k[i].need, k[i].has);
    if (n < len && (L->why & WHY_TIES))
        n += (size_t)snprintf(buf + n, len - n, "%srounding half away from zero on negative "
                              "outputs (no width makes it exact)", n ? ", " : "");
    if (n < len && (L->why & WHY_TRUNC))
        n += (size_t)snprintf(buf + n, len - n, "%sTrunc after a rounded rescale (no width makes "
                              "it exact)", n ? ", " : "");
    if (n < len && (L->why & (WHY_SLOPE | WHY_PRELU)))
        snprintf(buf + n, len - n, "%sPReLU (see the reasons)", n ? ", " : "");
    return buf;
}

static int judge(imp_t *im, pk_error_t *err)
{
    int inexact = 0;
    for (int i = 0; i < im->n_l; i++) {
        const imp_layer_t *L = &im->l[i];
        if (!L->n_p || L->exact)
            continue;
        char why[600], need[400];
        why_text(L->why, why, sizeof why);
        needs_text(im->cfg, L, need, sizeof need);
        if (!im->opts->approx)
            return pk_onnx_node_err(im->m, L->node, err, "not exact on this config (worst case "
                                    "%.0f output LSB): %s; exact needs %s. Use a config with wider "
                                    "post-processing fields, or --approx to accept", L->worst, why,
                                    need);
        if (im->opts->notes)
            fprintf(im->opts->notes, "approx: layer %s (node %s): worst-case error <= %.0f "
                    "output LSB (%s); exact needs %s\n", L->name, pk_onnx_node_name(L->node),
                    L->worst, why, need);
        inexact++;
    }
    if (!inexact && im->opts->notes)
        fprintf(im->opts->notes, "exact: every layer of %s runs exactly on config %s\n",
                im->net_name, im->cfg->name);
    return 0;
}

int imp_check(imp_t *im, FILE *f)
{
    name_layers(im);
    int bad = 0;
    for (int i = 0; i < im->n_l; i++) {
        const imp_layer_t *L = &im->l[i];
        if (!L->n_p)
            continue;
        char need[400];
        bad += !L->exact;
        if (f && L->exact)
            fprintf(f, "%-16s %-20s exact\n", im->cfg->name, L->name);
        else if (f)
            fprintf(f, "%-16s %-20s <= %.0f LSB  %s\n", im->cfg->name, L->name, L->worst,
                    needs_text(im->cfg, L, need, sizeof need));
    }
    return bad;
}

static const char *tensor_name(const imp_t *im, int t)
{
    return im->t[t].layer < 0 ? "input" : im->l[im->t[t].layer].name;
}

static void yaml_act(sbuf_t *b, const imp_layer_t *L, const imp_tensor_t *T)
{
    int qlo, qhi;
    imp_code_range(T->bits, T->is_signed, &qlo, &qhi);
    int lo = L->code_lo > qlo ? L->code_lo : qlo, hi = L->code_hi < qhi ? L->code_hi : qhi;
    if (L->slope)
        sb_printf(b, ", act: prelu");
    else if (lo == qlo && hi == qhi)
        sb_printf(b, ", act: none");
    else if (lo == 0 && hi == qhi)
        sb_printf(b, ", act: relu");
    else
        sb_printf(b, ", act: clip, clip: [%d, %d]", lo, hi);
}

/* kernel, stride, padding: the scalar keys when square and symmetric, else
 * the per-axis keys (docs/NETWORK.md). */
static void yaml_geom(sbuf_t *b, const imp_geom_t *g)
{
    if (g->kh == g->kw)
        sb_printf(b, ", kernel: %d", g->kh);
    else
        sb_printf(b, ", kernel_h: %d, kernel_w: %d", g->kh, g->kw);
    if (g->sh == g->sw)
        sb_printf(b, ", stride: %d", g->sh);
    else
        sb_printf(b, ", stride_h: %d, stride_w: %d", g->sh, g->sw);
    if (g->pt == g->pl && g->pt == g->pb && g->pt == g->pr)
        sb_printf(b, ", padding: %d", g->pt);
    else
        sb_printf(b, ", pad_top: %d, pad_left: %d, pad_bottom: %d, pad_right: %d", g->pt, g->pl,
                  g->pb, g->pr);
}

static void yaml_layer(imp_t *im, sbuf_t *b, int i)
{
    const imp_layer_t *L = &im->l[i];
    const imp_tensor_t *T = &im->t[L->out_t];
    sb_printf(b, "  - {name: %s, op: %s, inputs: [%s", L->name, pk_op_name(L->op),
              tensor_name(im, L->in[0]));
    if (L->n_in == 2)
        sb_printf(b, ", %s", tensor_name(im, L->in[1]));
    sb_printf(b, "]");
    if (L->op == PK_OP_CONV || L->op == PK_OP_FC)
        sb_printf(b, ", out_c: %d", L->out_c);
    int pool = L->op == PK_OP_AVGPOOL || L->op == PK_OP_GLOBAL_AVGPOOL;
    if (L->op == PK_OP_CONV || L->op == PK_OP_MAXPOOL || L->op == PK_OP_AVGPOOL)
        yaml_geom(b, &L->g);
    if (L->op == PK_OP_CONV && L->groups > 1)
        sb_printf(b, ", groups: %d", L->groups);
    if ((L->op == PK_OP_CONV || L->op == PK_OP_AVGPOOL) && L->in_zp)
        sb_printf(b, ", in_zero_point: %d", L->in_zp);
    if (pool) /* per-tensor QuantNorm (+ DQ) from the file; no activation */
        sb_printf(b, ", out_bits: %d, out_signed: %s, norm: quantnorm%s, params: %s.p.npy",
                  T->bits, T->is_signed ? "true" : "false",
                  L->rounding ? ", rounding: half_even" : "", L->name);
    if (L->op == PK_OP_CONV || L->op == PK_OP_FC)
        sb_printf(b, ", w_bits: %d", L->w_bits);
    if (L->op == PK_OP_CONV || L->op == PK_OP_FC || imp_dq_only(L)) {
        sb_printf(b, ", out_bits: %d, out_signed: %s", T->bits, T->is_signed ? "true" : "false");
        sb_printf(b, ", quant: %s", imp_dq_only(L) ? "per_tensor" : "per_channel");
        if (!imp_dq_only(L))
            sb_printf(b, ", norm: quantnorm");
        sb_printf(b, ", scale: %s", L->use_dq ? "dq" : "none");
        yaml_act(b, L, T);
        if (L->rounding)
            sb_printf(b, ", rounding: half_even");
        if (L->op == PK_OP_ADD)
            sb_printf(b, ", a_shift: %d, r_shift: %d", L->a_shift, L->r_shift);
        else if (L->op != PK_OP_MUL)
            sb_printf(b, ", weights: %s.w.npy", L->name);
        sb_printf(b, ", params: %s.p.npy", L->name);
    }
    sb_printf(b, "}\n");
}

static int write_params(imp_t *im, const char *dir, int i, pk_error_t *err)
{
    const imp_layer_t *L = &im->l[i];
    char path[4096];
    int rc = 0;
    if (L->w) {
        snprintf(path, sizeof path, "%s/%s.w.npy", dir, L->name);
        int64_t shape[4] = { L->out_c, L->g.kh, L->g.kw, 0 };
        int nd = 4;
        if (L->op == PK_OP_FC) {
            shape[1] = L->n_w / L->out_c;
            nd = 2;
        } else {
            shape[3] = L->n_w / ((int64_t)L->out_c * L->g.kh * L->g.kw);
        }
        rc = pk_npy_write(path, PK_NPY_I32, shape, nd, L->w, NULL, err);
    }
    if (!rc && L->p) {
        snprintf(path, sizeof path, "%s/%s.p.npy", dir, L->name);
        int32_t *rec = malloc((size_t)L->n_p * 9 * sizeof *rec);
        if (!rec)
            return pk_error_set(err, PK_ENOMEM, dir, 0, "output", "out of memory");
        for (int c = 0; c < L->n_p; c++) {
            const pk_chan_params_t *p = &L->p[c];
            int32_t r[9] = { p->m, p->b, p->s, p->M, p->E, p->an, p->ap, p->g, p->z };
            memcpy(rec + 9 * c, r, sizeof r);
        }
        int64_t shape[2] = { L->n_p, 9 };
        rc = pk_npy_write(path, PK_NPY_I32, shape, 2, rec, NULL, err);
        free(rec);
    }
    return rc;
}

static int write_text(const char *path, const sbuf_t *b, pk_error_t *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return pk_error_set(err, PK_EIO, path, 0, "output", "cannot create: %s", strerror(errno));
    int bad = fwrite(b->s, 1, b->len, f) != b->len;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return pk_error_set(err, PK_EIO, path, 0, "output", "write failed");
    }
    return 0;
}

int imp_emit(imp_t *im, const char *out_dir, char *yaml_path, size_t len, pk_error_t *err)
{
    name_layers(im);
    int rc = judge(im, err);
    if (rc)
        return rc;
    const imp_tensor_t *in = NULL;
    for (int t = 0; t < im->n_t; t++)
        if (im->t[t].layer < 0)
            in = &im->t[t];
    sbuf_t b = { 0 };
    const char *base = strrchr(im->m->path, '/');
    sb_printf(&b, "# Imported from %s by pikeimport for config %s (docs/IMPORT.md).\n",
              base ? base + 1 : im->m->path, im->cfg->name);
    sb_printf(&b, "# input quantizer: code = round(x / %.9g) + %d; output: value = %.9g * (code - %d)\n",
              im->io.in_scale, im->io.in_zp, im->io.out_scale, im->io.out_zp);
    sb_printf(&b, "name: %s\ninput: {h: %d, w: %d, c: %d, bits: %d, signed: %s}\nlayers:\n",
              im->net_name, in->h, in->w, in->c, in->bits, in->is_signed ? "true" : "false");
    for (int i = 0; i < im->n_l; i++)
        yaml_layer(im, &b, i);
    if (b.oom) {
        free(b.s);
        return pk_error_set(err, PK_ENOMEM, out_dir, 0, "output", "out of memory");
    }
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
        rc = pk_error_set(err, PK_EIO, out_dir, 0, "output", "cannot create directory: %s",
                          strerror(errno));
    for (int i = 0; i < im->n_l && !rc; i++)
        rc = write_params(im, out_dir, i, err);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.yaml", out_dir, im->net_name);
    if (!rc)
        rc = write_text(path, &b, err);
    if (!rc && yaml_path)
        snprintf(yaml_path, len, "%s", path);
    free(b.s);
    return rc;
}

/* ---- .onnx wherever a network is ------------------------------------------- */

int pk_onnx_is_model(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".onnx") == 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

void pk_onnx_net_cleanup(char *tmpdir)
{
    if (tmpdir && tmpdir[0]) {
        nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        tmpdir[0] = 0;
    }
}

int pk_onnx_net_load(const char *path, const pk_config_t *cfg, const pk_onnx_opts_t *opts,
                     pk_net_t **net, pk_onnx_io_t *io, char *tmpdir, pk_error_t *err)
{
    tmpdir[0] = 0;
    if (!pk_onnx_is_model(path))
        return pk_net_load(path, net, err);
    const char *td = getenv("TMPDIR");
    snprintf(tmpdir, 64, "%.40s/pikeonnx-XXXXXX", td && *td && strlen(td) < 40 ? td : "/tmp");
    if (!mkdtemp(tmpdir)) {
        tmpdir[0] = 0;
        return pk_error_set(err, PK_EIO, path, 0, "model", "cannot create a temporary "
                            "directory: %s", strerror(errno));
    }
    char yaml[4096];
    int rc = pk_onnx_import(path, cfg, opts, tmpdir, yaml, sizeof yaml, io, err);
    if (!rc)
        rc = pk_net_load(yaml, net, err);
    if (!rc) { /* messages and reports name the model, not the temporary file */
        char *src = strdup(path);
        if (src) {
            free((*net)->source);
            (*net)->source = src;
        }
    } else {
        pk_onnx_net_cleanup(tmpdir);
    }
    return rc;
}
