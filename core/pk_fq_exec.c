/* pk_fq_exec.c - pikequant's float reference executor and calibration.
 *
 * Design: plain loops over NCHW buffers of batch 1, in float with double
 * accumulators (the reference against which the quantized network is
 * judged, so clarity over speed).  Each value's buffer is kept until the
 * next image, so calibration reads every activation after a run.  Ranges:
 * min / max over the batch, and optionally a percentile of |x| taken from a
 * 2048-bin histogram over [0, max |x|] filled in a second pass.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_fq_int.h"

#define HBINS 2048

static void run_conv(const fq_node_t *nd, const float *x, int ih, int iw, float *y)
{
    int ocg = nd->oc / nd->group;
    for (int o = 0; o < nd->oc; o++) {
        int g = o / ocg;
        for (int oy = 0; oy < nd->h; oy++)
            for (int ox = 0; ox < nd->w; ox++) {
                double acc = nd->b ? nd->b[o] : 0;
                for (int i = 0; i < nd->icg; i++) {
                    const float *xc = x + (size_t)(g * nd->icg + i) * ih * iw;
                    const float *wk = nd->va + ((size_t)o * nd->icg + i) * nd->kh * nd->kw;
                    for (int ky = 0; ky < nd->kh; ky++) {
                        int yy = oy * nd->sh - nd->pt + ky;
                        if (yy < 0 || yy >= ih)
                            continue;
                        for (int kx = 0; kx < nd->kw; kx++) {
                            int xx = ox * nd->sw - nd->pl + kx;
                            if (xx >= 0 && xx < iw)
                                acc += (double)wk[ky * nd->kw + kx] * xc[yy * iw + xx];
                        }
                    }
                }
                y[((size_t)o * nd->h + oy) * nd->w + ox] = (float)acc;
            }
    }
}

static void run_pool(const fq_node_t *nd, const float *x, int ih, int iw, float *y)
{
    int is_max = nd->op == FQ_MAXPOOL;
    for (int c = 0; c < nd->c; c++)
        for (int oy = 0; oy < nd->h; oy++)
            for (int ox = 0; ox < nd->w; ox++) {
                double acc = is_max ? -INFINITY : 0;
                int cnt = 0;
                for (int ky = 0; ky < nd->kh; ky++)
                    for (int kx = 0; kx < nd->kw; kx++) {
                        int yy = oy * nd->sh - nd->pt + ky, xx = ox * nd->sw - nd->pl + kx;
                        if (yy < 0 || yy >= ih || xx < 0 || xx >= iw)
                            continue;
                        double v = x[((size_t)c * ih + yy) * iw + xx];
                        acc = is_max ? fmax(acc, v) : acc + v;
                        cnt++;
                    }
                if (!is_max)
                    acc /= nd->count_pad ? nd->kh * nd->kw : (cnt ? cnt : 1);
                y[((size_t)c * nd->h + oy) * nd->w + ox] = (float)acc;
            }
}

static void run_gemm(const fq_node_t *nd, const float *x, float *y)
{
    for (int o = 0; o < nd->oc; o++) {
        double acc = nd->b ? nd->b[o] : 0;
        const float *wr = nd->va + (size_t)o * nd->icg;
        for (int i = 0; i < nd->icg; i++)
            acc += (double)wr[i] * x[i];
        y[o] = (float)acc;
    }
}

/* Elementwise ops with per-channel constants: y = f(x, channel). */
static void run_elementwise(const fq_node_t *nd, const float *x, const float *x2, float *y)
{
    int64_t hw = (int64_t)nd->h * nd->w;
    for (int c = 0; c < nd->c; c++) {
        float a = nd->va ? nd->va[nd->n_v == 1 ? 0 : c] : 0;
        float b = nd->vb ? nd->vb[nd->n_v == 1 ? 0 : c] : 0;
        for (int64_t i = (int64_t)c * hw; i < (int64_t)(c + 1) * hw; i++) {
            float v = x[i];
            switch (nd->op) {
            case FQ_BN: v = a * v + b; break;
            case FQ_RELU: v = v > 0 ? v : 0; break;
            case FQ_CLIP: v = fminf(fmaxf(v, nd->lo), nd->hi); break;
            case FQ_PRELU: v = v >= 0 ? v : a * v; break;
            case FQ_ADDC: v = v + a; break;
            case FQ_MULC: v = v * a; break;
            case FQ_ADD: v = v + x2[i]; break;
            default: break;
            }
            y[i] = v;
        }
    }
}

static void run_softmax(int64_t n, const float *x, float *y)
{
    double mx = -INFINITY, s = 0;
    for (int64_t i = 0; i < n; i++)
        mx = fmax(mx, x[i]);
    for (int64_t i = 0; i < n; i++)
        s += exp(x[i] - mx);
    for (int64_t i = 0; i < n; i++)
        y[i] = (float)(exp(x[i] - mx) / s);
}

static void run_node(pk_fq_t *q, int i)
{
    const fq_node_t *nd = &q->nd[i];
    int c, ih, iw, f;
    fq_shape(q, nd->in[0], &c, &ih, &iw, &f);
    const float *x = q->buf[nd->in[0]];
    float *y = q->buf[i + 1];
    int64_t n_in = fq_count(q, nd->in[0]);
    switch (nd->op) {
    case FQ_CONV: run_conv(nd, x, ih, iw, y); break;
    case FQ_GEMM: run_gemm(nd, x, y); break;
    case FQ_MAXPOOL:
    case FQ_AVGPOOL: run_pool(nd, x, ih, iw, y); break;
    case FQ_GAP:
        for (int k = 0; k < c; k++) {
            double s = 0;
            for (int64_t j = 0; j < (int64_t)ih * iw; j++)
                s += x[(int64_t)k * ih * iw + j];
            y[k] = (float)(s / ((double)ih * iw));
        }
        break;
    case FQ_CONCAT:
        memcpy(y, x, (size_t)n_in * sizeof *y);
        memcpy(y + n_in, q->buf[nd->in[1]], (size_t)fq_count(q, nd->in[1]) * sizeof *y);
        break;
    case FQ_FLAT:
    case FQ_ID: memcpy(y, x, (size_t)n_in * sizeof *y); break;
    case FQ_SOFTMAX: run_softmax(n_in, x, y); break;
    default: run_elementwise(nd, x, nd->in[1] >= 0 ? q->buf[nd->in[1]] : NULL, y); break;
    }
}

int pk_fq_run(pk_fq_t *q, const float *x, float *y, pk_error_t *err)
{
    (void)err;
    float *in = q->buf[0];
    int64_t hw = (int64_t)q->in_h * q->in_w;
    for (int64_t p = 0; p < hw; p++) /* HWC -> CHW */
        for (int c = 0; c < q->in_c; c++)
            in[(int64_t)c * hw + p] = x[p * q->in_c + c];
    for (int i = 0; i < q->n; i++)
        run_node(q, i);
    if (y)
        memcpy(y, q->buf[q->out_v], (size_t)fq_count(q, q->out_v) * sizeof *y);
    return 0;
}

int pk_fq_calibrate(pk_fq_t *q, const float *x, int64_t n, const pk_fq_opts_t *o,
                    pk_error_t *err)
{
    int nv = q->n + 1;
    for (int v = 0; v < nv; v++)
        q->rng[v].mn = INFINITY, q->rng[v].mx = -INFINITY;
    int64_t in = pk_fq_in_count(q);
    for (int64_t k = 0; k < n; k++) {
        pk_fq_run(q, x + k * in, NULL, err);
        for (int v = 0; v < nv; v++)
            for (int64_t i = 0; i < fq_count(q, v); i++) {
                float e = q->buf[v][i];
                q->rng[v].mn = fminf(q->rng[v].mn, e), q->rng[v].mx = fmaxf(q->rng[v].mx, e);
            }
    }
    for (int v = 0; v < nv; v++)
        q->rng[v].pmax = fmaxf(fabsf(q->rng[v].mn), fabsf(q->rng[v].mx));
    if (o->percentile < 100) {
        uint32_t *h = calloc((size_t)nv * HBINS, sizeof *h);
        int64_t *tot = calloc((size_t)nv, sizeof *tot);
        if (!h || !tot) {
            free(h), free(tot);
            return pk_error_set(err, PK_ENOMEM, q->m->path, 0, "calibration", "out of memory");
        }
        for (int64_t k = 0; k < n; k++) {
            pk_fq_run(q, x + k * in, NULL, err);
            for (int v = 0; v < nv; v++)
                for (int64_t i = 0; i < fq_count(q, v); i++) {
                    float a = fabsf(q->buf[v][i]), m = q->rng[v].pmax;
                    int b = m > 0 ? (int)fminf(a / m * HBINS, HBINS - 1) : 0;
                    h[(size_t)v * HBINS + b]++, tot[v]++;
                }
        }
        for (int v = 0; v < nv; v++) {
            int64_t want = (int64_t)ceil(tot[v] * o->percentile / 100.0), s = 0;
            for (int b = 0; b < HBINS; b++)
                if ((s += h[(size_t)v * HBINS + b]) >= want) {
                    q->rng[v].pmax = q->rng[v].pmax * (float)(b + 1) / HBINS;
                    break;
                }
        }
        free(h), free(tot);
    }
    q->calibrated = 1;
    return 0;
}
