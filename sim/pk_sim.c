/* pk_sim.c - the pikesim pipeline for one network, plus the cross-network
 * statistics (calibrated ACEv2 energy, Pearson / Spearman).
 *
 * Design: compile once (with data unless timing-only), time one run (timing
 * does not depend on data), multiply by the number of views, then run the
 * functional model per view and fingerprint its last output.  Everything a
 * report prints is computed here; pk_report only formats.
 */
#include "pk_sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "pk_func.h"
#include "pk_v2.h"
#include "pk_v2_rtl.h"
#include "pk_v2func.h"
#include "pk_quant.h"

static int nomem(pk_error_t *err)
{
    return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
}

uint8_t *pk_sim_view_input(const pk_net_t *net, uint64_t seed, int v)
{
    int64_t H = net->in_h, W = net->in_w, C = net->in_c;
    size_t n = (size_t)(H * W * C) + 1;
    uint8_t *base = malloc(n);
    uint8_t *out = malloc(n);
    if (!base || !out) {
        free(base);
        free(out);
        return NULL;
    }
    pk_rng_t r;
    pk_rng_seed(&r, pk_rng_layer_seed(seed, 0x40000000, 2));
    int64_t hi = ((int64_t)1 << net->in_bits) - 1;
    for (int64_t i = 0; i < H * W * C; i++)
        base[i] = (uint8_t)pk_rng_range(&r, 0, hi);
    int64_t shift = (v / 2) % W;
    for (int64_t y = 0; y < H; y++)
        for (int64_t x = 0; x < W; x++) {
            int64_t xx = (v & 1) ? W - 1 - x : x;
            int64_t sx = ((xx - shift) % W + W) % W;
            memcpy(out + (y * W + x) * C, base + (y * W + sx) * C, (size_t)C);
        }
    free(base);
    return out;
}

static void sha256_hex(const uint8_t *d, size_t n, char hex[65])
{
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(d, n, md, &len, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

void pk_sim_free(pk_sim_result_t *r)
{
    if (!r)
        return;
    pk_v2img_free(r->v2img);
    pk_plan_free(r->v2plan);
    pk_hwnet_free(r->hw);
    free(r->layers);
    free(r->hw_timing);
    free(r->view_sha256);
    free(r->last_output);
    free(r);
}

int pk_sim_run(const pk_net_t *net, const pk_config_t *cfg, const pk_sim_opts_t *o,
               pk_sim_result_t **out, pk_error_t *err)
{
    *out = NULL;
    int rc;
    pk_sim_result_t *r = calloc(1, sizeof *r);
    if (!r)
        return nomem(err);
    r->net = net;
    r->cfg = cfg;
    r->opts = *o;
    if (r->opts.views < 1)
        r->opts.views = 1;
    const uint64_t V = (uint64_t)r->opts.views;
    if ((rc = pk_compile(net, cfg, !o->timing_only, &r->hw, err)))
        goto fail;
    pk_hwnet_t *hw = r->hw;
    r->n_layers = net->n_layers;
    r->layers = calloc((size_t)net->n_layers + 1, sizeof *r->layers);
    r->hw_timing = calloc((size_t)hw->n_layers + 1, sizeof *r->hw_timing);
    if (!r->layers || !r->hw_timing) {
        rc = nomem(err);
        goto fail;
    }

    /* cycle model: one run */
    pk_counters_t run;
    if (o->arch == 2) {
        if ((rc = pk_plan_make(hw, NULL, &r->v2plan, err)) ||
            (rc = pk_v2_compile(hw, r->v2plan, &r->v2img, err)) ||
            (rc = pk_v2_timing_run(cfg, NULL, hw->n_layers, pk_v2img_descriptor(r->v2img, 0),
                                   r->hw_timing, &run, err)))
            goto fail;
        r->v2_rtl_first_refused = -1;
        pk_v2_rtl_check_t chk;
        pk_v2_rtl_check_init_img(&chk, cfg, hw, r->v2plan, r->v2img); /* the image above */
        for (int i = 0; i < hw->n_layers; i++) {
            char w[sizeof r->v2_rtl_why];
            if (!pk_v2_rtl_check(&chk, i, w, sizeof w))
                r->v2_rtl_built++;
            else if (r->v2_rtl_first_refused < 0) {
                r->v2_rtl_first_refused = i;
                snprintf(r->v2_rtl_why, sizeof r->v2_rtl_why, "%s", w);
            }
        }
        pk_v2_rtl_check_free(&chk);
    } else {
        pk_timing_run(hw, r->hw_timing, &run);
    }
    r->total = run;
    pk_counters_scale(&r->total, V);

    /* per network layer: counters, energy */
    pk_metrics_t *met = calloc((size_t)net->n_layers + 1, sizeof *met);
    if (!met) {
        rc = nomem(err);
        goto fail;
    }
    pk_metrics_net(net, o->acev2, met, &r->met);
    for (int li = 0; li < net->n_layers; li++) {
        r->layers[li].L = &net->layers[li];
        r->layers[li].met = met[li];
        r->layers[li].hw_first = -1;
    }
    free(met);
    double peak_cycles_total = 0;
    for (int i = 0; i < hw->n_layers; i++) {
        const pk_hwlayer_t *h = &hw->layers[i];
        pk_sim_layer_t *sl = &r->layers[h->net_layer];
        if (sl->hw_first < 0)
            sl->hw_first = i;
        sl->hw_count++;
        pk_counters_t c = r->hw_timing[i].cnt;
        pk_counters_scale(&c, V);
        pk_counters_add(&sl->cnt, &c);
        pk_energy_split_t e;
        pk_energy_layer(hw, i, &c, &e);
        pk_energy_accumulate(&sl->energy, &e);
        pk_energy_accumulate(&r->energy, &e);
        pk_roofline_t rl;
        pk_roofline_layer(hw, i, &rl);
        pk_roofline_scale(&rl, (int64_t)V);
        if (sl->hw_count == 1) /* a copy keeps the peak of a one-layer sum */
            sl->roof = rl;
        else
            pk_roofline_add(&sl->roof, &rl);
        if (i == 0)
            r->roof = rl;
        else
            pk_roofline_add(&r->roof, &rl);
        if (h->float_norm || h->float_scale || h->float_out)
            sl->float_ops = 1;
        if (h->kind == PK_HW_CONV || h->kind == PK_HW_DW) {
            /* DW uses one product per PE per cycle at most: peak is R x Cd */
            double peak = h->kind == PK_HW_CONV
                              ? (double)pk_peak_macs_per_cycle(cfg, h->w_bits, h->a_bits)
                              : (double)cfg->array.rows * h->ct;
            peak_cycles_total += peak * (double)c.v[PK_CNT_CYCLES];
        }
    }
    for (int li = 0; li < net->n_layers; li++) {
        pk_sim_layer_t *sl = &r->layers[li];
        double cyc = (double)sl->cnt.v[PK_CNT_CYCLES];
        const pk_hwlayer_t *h = sl->hw_count ? &hw->layers[sl->hw_first + sl->hw_count - 1] : NULL;
        if (h && cyc > 0 && (h->kind == PK_HW_CONV || h->kind == PK_HW_DW)) {
            double peak = h->kind == PK_HW_CONV
                              ? (double)pk_peak_macs_per_cycle(cfg, h->w_bits, h->a_bits)
                              : (double)cfg->array.rows * h->ct;
            sl->utilization = (double)sl->cnt.v[PK_CNT_MACS] / (peak * cyc);
        }
        r->n_float_layers += sl->float_ops;
    }
    r->utilization = peak_cycles_total > 0 ? (double)r->total.v[PK_CNT_MACS] / peak_cycles_total : 0;

    /* functional model, per view */
    r->mv_top1 = -1;
    if (!o->timing_only) {
        const pk_tensor_t *tl = &hw->tensors[hw->layers[hw->n_layers - 1].t_out];
        int64_t n = (int64_t)tl->h * tl->w * tl->c;
        r->last_elems = n;
        r->view_sha256 = calloc(V, sizeof *r->view_sha256);
        int64_t *sum = calloc((size_t)(n ? n : 1), sizeof *sum);
        r->last_output = malloc((size_t)(n ? n : 1));
        if (!r->view_sha256 || !sum || !r->last_output) {
            free(sum);
            rc = nomem(err);
            goto fail;
        }
        for (uint64_t v = 0; v < V; v++) {
            uint8_t *in = pk_sim_view_input(net, o->seed, (int)v);
            uint8_t **ts = NULL;
            if (!in) {
                free(sum);
                rc = nomem(err);
                goto fail;
            }
            rc = r->v2img ? pk_v2_func_tensors(hw, r->v2img, in, &ts, err)
                          : pk_func_run(hw, in, &ts, err);
            free(in);
            if (rc) {
                free(sum);
                goto fail;
            }
            const uint8_t *last = ts[hw->layers[hw->n_layers - 1].t_out];
            sha256_hex(last, (size_t)n, r->view_sha256[v]);
            if (v == 0)
                memcpy(r->last_output, last, (size_t)n);
            for (int64_t e = 0; e < n; e++)
                sum[e] += pk_q_decode(last[e], tl->bits, tl->is_signed);
            pk_func_free(hw, ts);
        }
        int64_t best = 0;
        for (int64_t e = 1; e < n; e++)
            if (sum[e] > sum[best])
                best = e;
        r->mv_top1 = (int)best;
        free(sum);
    }
    *out = r;
    return 0;
fail:
    pk_sim_free(r);
    return rc;
}

void pk_sim_calibrate(pk_sim_result_t **r, int n)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double x = r[i]->met.acev2, y = r[i]->energy.total;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    double alpha, beta = 0;
    double den = n * sxx - sx * sx;
    if (n >= 2 && fabs(den) > 1e-12 * (sxx > 0 ? n * sxx : 1)) {
        alpha = (n * sxy - sx * sy) / den;
        beta = (sy - alpha * sx) / n;
    } else {
        alpha = sx > 0 ? sy / sx : 0;
    }
    for (int i = 0; i < n; i++) {
        r[i]->pred_alpha = alpha;
        r[i]->pred_beta = beta;
        r[i]->pred_energy = alpha * r[i]->met.acev2 + beta;
    }
}

double pk_pearson(const double *x, const double *y, int n)
{
    if (n < 2)
        return NAN;
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0 || syy <= 0)
        return NAN;
    return sxy / sqrt(sxx * syy);
}

/* average ranks (1-based), ties share the mean rank */
static void ranks(const double *x, int n, double *rk)
{
    for (int i = 0; i < n; i++) {
        int less = 0, eq = 0;
        for (int j = 0; j < n; j++) {
            if (x[j] < x[i])
                less++;
            else if (x[j] == x[i])
                eq++;
        }
        rk[i] = less + (eq + 1) / 2.0;
    }
}

double pk_spearman(const double *x, const double *y, int n)
{
    if (n < 2)
        return NAN;
    double *rx = malloc(sizeof(double) * (size_t)n), *ry = malloc(sizeof(double) * (size_t)n);
    if (!rx || !ry) {
        free(rx);
        free(ry);
        return NAN;
    }
    ranks(x, n, rx);
    ranks(y, n, ry);
    double r = pk_pearson(rx, ry, n);
    free(rx);
    free(ry);
    return r;
}

void pk_sim_correlate(pk_sim_result_t *const *r, int n, pk_sim_corr_t *out)
{
    out->ace_pearson = out->ace_spearman = out->acev2_pearson = out->acev2_spearman = NAN;
    double *x1 = malloc(3 * ((size_t)n + 1) * sizeof *x1);
    if (!x1)
        return;
    double *x2 = x1 + n, *y = x2 + n;
    for (int i = 0; i < n; i++) {
        x1[i] = (double)r[i]->met.ace;
        x2[i] = r[i]->met.acev2;
        y[i] = r[i]->energy.total / r[i]->opts.views;
    }
    out->ace_pearson = pk_pearson(x1, y, n);
    out->ace_spearman = pk_spearman(x1, y, n);
    out->acev2_pearson = pk_pearson(x2, y, n);
    out->acev2_spearman = pk_spearman(x2, y, n);
    free(x1);
}
