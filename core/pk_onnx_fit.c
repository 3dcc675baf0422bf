/* pk_onnx_fit.c - a layer's float requantization -> Pike's integer
 * post-processing parameters (docs/IMPORT.md "How scales map").
 *
 * Per output channel the model computes y = round(r * acc + o), r, o real
 * (doubles computed from the model's float32 scales).  Pike computes
 *   QuantNorm only:  y = rshr(acc * m + b, s)                 (r ~ m / 2^s)
 *   QuantNorm x DQ:  y = rshr(rshr(acc * m + b, s) * M, E)    (r ~ m M / 2^(s+E))
 * with m, b, s, M, E inside the config's field widths.  The single stage is
 * tried first (largest s that fits: most precision); if it is not exact and
 * a two-stage form has a smaller error bound, that is used: either m searched
 * over its top range with M the best mantissa for each m, or s = 0 (no inner
 * rounding; m M a product of up to qn_mult + dq_mant bits, fit_two_s0()).
 *
 * Error bound of a channel, in output LSBs: delta = amax |r' - r| + |o' - o|
 * (+ M / 2^(E+1) for the rounding inside the two-stage form), amax a bound
 * of |acc|.  Two results rounded from values delta apart differ by at most
 * floor(delta) + 1; by 0 when delta = 0 and no rounding tie can be decided
 * differently: a layer whose model rounds half to even gets Pike's
 * `rounding: half_even` (ties decided alike); half away from zero (QONNX
 * HALF_UP) gets half up, equal on ties only when no output is negative (see
 * tie_possible()).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_onnx_imp.h"
#include "pk_quant.h"

typedef struct fit {
    int64_t m, b, s, M, E;
    int two;
    double delta;
    int exact_scale;  /* r' == r and o' == o exactly */
} fit_t;

typedef struct lim {
    int64_t mmax, bmax, smax, Mmax, Emax;
    int has_dq;
    double pmax;      /* 2^(P-2): bound for the intermediate */
} lim_t;

void imp_code_range(int bits, int is_signed, int *lo, int *hi)
{
    if (bits == 1) {
        *lo = -1;
        *hi = 1;
    } else if (is_signed) {
        *lo = -(1 << (bits - 1));
        *hi = (1 << (bits - 1)) - 1;
    } else {
        *lo = 0;
        *hi = (1 << bits) - 1;
    }
}

static void limits(const pk_config_t *cfg, lim_t *L)
{
    L->mmax = (1LL << (cfg->postproc.qn_mult_bits - 1)) - 1;
    L->bmax = (1LL << (cfg->postproc.qn_bias_bits - 1)) - 1;
    L->smax = (1LL << cfg->postproc.qn_shift_bits) - 1;
    L->Mmax = (1LL << cfg->postproc.dq_mant_bits) - 1;
    L->Emax = (1LL << cfg->postproc.dq_exp_bits) - 1;
    L->has_dq = 1;
    L->pmax = ldexp(1.0, cfg->postproc.internal_bits - 2);
}

static void fit_single(double r, double o, double amax, const lim_t *L, fit_t *f)
{
    f->delta = INFINITY;
    f->two = 0;
    for (int64_t s = L->smax; s >= 0; s--) {
        double ms = ldexp(r, (int)s), bs = ldexp(o, (int)s);
        if (fabs(ms) > (double)L->mmax + 0.5 || fabs(bs) > (double)L->bmax + 0.5)
            continue;
        int64_t m = llround(ms), b = llround(bs);
        if (llabs(m) > L->mmax || llabs(b) > L->bmax)
            continue;
        double rr = ldexp((double)m, (int)-s), oo = ldexp((double)b, (int)-s);
        f->m = m, f->b = b, f->s = s, f->M = 1, f->E = 0;
        f->exact_scale = rr == r && oo == o;
        f->delta = amax * fabs(rr - r) + fabs(oo - o);
        return;
    }
}

/* A two-stage fit not found yet; 0 when none can be (no DQ stage, r = 0). */
static int two_start(double r, const lim_t *L, fit_t *f)
{
    f->delta = INFINITY;
    f->two = 1;
    f->exact_scale = 0;
    return r != 0 && L->has_dq;
}

/* Best two-stage form; f->delta stays INFINITY when none fits. */
static void fit_two(double r, double o, double amax, const lim_t *L, fit_t *f)
{
    if (!two_start(r, L, f))
        return;
    int64_t lo = L->mmax / 2 > 1 ? L->mmax / 2 : 1;
    if (L->mmax - lo > 512)
        lo = L->mmax - 512;
    double vmax = amax * fabs(r) + fabs(o) + 1;
    for (int64_t am = L->mmax; am >= lo; am--) {
        int64_t m = r < 0 ? -am : am;
        double q = r / (double)m; /* want M / 2^T = q > 0 */
        int T = (int)floor(log2((double)L->Mmax / q));
        if (T < 0 || T > L->smax + L->Emax)
            continue;
        int64_t M = llround(ldexp(q, T));
        if (M < 1 || M > L->Mmax)
            continue;
        /* split T = s + E: E as large as the intermediate allows */
        int E = T < L->Emax ? T : (int)L->Emax;
        while (E > 0 && vmax * ldexp(1.0, E) / (double)M > L->pmax)
            E--;
        int s = T - E;
        if (s > L->smax)
            continue;
        double bb = ldexp(o, T) / (double)M;
        if (fabs(bb) > (double)L->bmax)
            continue;
        int64_t b = llround(bb);
        double scale = ldexp((double)M, -T);
        double d = amax * fabs((double)m * scale - r) + fabs((double)b * scale - o) +
                   (s > 0 ? ldexp((double)M, -E - 1) : 0);
        if (d < f->delta) {
            f->m = m, f->b = b, f->s = s, f->M = M, f->E = E;
            f->delta = d;
        }
    }
}

/* The two-stage form without the inner rounding (s = 0): y = rnd((acc m + b)
 * M, E), r ~ m M / 2^E, o ~ b M / 2^E: one rounding, the precision of the
 * m x M product.  For each E the smallest M the bounds allow is the finest
 * (|m| <= mmax, |b| <= bmax, the intermediate |acc m + b| < 2^(P-2)); a
 * window of M above it is searched for the best product. */
static void fit_two_s0(double r, double o, double amax, const lim_t *L, fit_t *f)
{
    if (!two_start(r, L, f))
        return;
    double vmax = amax * fabs(r) + fabs(o) + 1;
    for (int E = (int)L->Emax; E >= 0; E--) {
        double R = ldexp(fabs(r), E), O = ldexp(o, E); /* |m| M and b M */
        double lo = fmax(fmax(R / (double)L->mmax, ldexp(vmax, E) / L->pmax),
                         fabs(O) / (double)L->bmax);
        lo = ceil(fmax(lo, 1.0));
        if (lo > (double)L->Mmax)
            continue;
        int64_t M0 = (int64_t)lo, M1 = M0 + 4096 < L->Mmax ? M0 + 4096 : L->Mmax;
        for (int64_t M = M0; M <= M1; M++) {
            int64_t am = llround(R / (double)M), b = llround(O / (double)M);
            if (am < 1 || am > L->mmax || llabs(b) > L->bmax)
                continue;
            double sc = ldexp((double)M, -E);
            double d = amax * fabs((double)am * sc - fabs(r)) + fabs((double)b * sc - o);
            if (d < f->delta) {
                f->m = r < 0 ? -am : am, f->b = b, f->s = 0, f->M = M, f->E = E;
                f->delta = d;
            }
        }
    }
}

/* Can (acc * m + b) / 2^s land exactly on a .5 for some integer acc? */
static int tie_possible(int64_t m, int64_t b, int64_t s)
{
    if (s == 0)
        return 0;
    uint64_t mod = 1ULL << s, half = mod >> 1;
    if (m == 0)
        return ((uint64_t)b & (mod - 1)) == half;
    int v = __builtin_ctzll((uint64_t)llabs(m));
    if (v >= s)
        return ((uint64_t)b & (mod - 1)) == half;
    return ((uint64_t)b & ((1ULL << v) - 1)) == 0;
}

/* force: the two-stage forms only (conv / fc; pk_onnx_import_dq). */
static int channel(imp_layer_t *L, int c, const lim_t *lim, double inv_scale, int zp, int rm,
                   int code_lo, int force, fit_t *out)
{
    double r = L->alpha[c] * inv_scale, o = L->beta[c] * inv_scale + zp;
    fit_t f1, f2, f3;
    fit_single(r, o, L->amax[c], lim, &f1);
    f2.delta = f3.delta = INFINITY;
    if (force)
        f1.delta = INFINITY;
    if ((f1.delta > 0 || force) && !imp_dq_only(L)) {
        fit_two(r, o, L->amax[c], lim, &f2);
        fit_two_s0(r, o, L->amax[c], lim, &f3);
    }
    *out = f2.delta < f1.delta ? f2 : f1;
    if (f3.delta < out->delta)
        *out = f3;
    if (isinf(out->delta))
        return -1;
    /* exactness: scale exact, and no tie decided differently */
    int ties = tie_possible(out->m, out->b, out->s);
    int rounding_ok = !ties || rm == RM_EVEN || (rm == RM_AWAY && code_lo >= 0);
    L->why |= (out->exact_scale ? 0 : WHY_SCALE) | (rounding_ok ? 0 : WHY_TIES) |
              (out->two ? WHY_TWO : 0);
    out->exact_scale = out->exact_scale && !out->two && rounding_ok;
    return 0;
}

static int layer_err(imp_t *im, const imp_layer_t *L, pk_error_t *err, const char *fmt,
                     double a, double b)
{
    return pk_onnx_node_err(im->m, L->node, err, fmt, a, b);
}

/* PRelu: an_c = round(slope_c * 2^act_shift) (act_shift as the compiler sets it,
 * NETWORK.md), applied by Pike to the rounded code t3, so the result is
 * rnd(t3 * an_c / 2^act_shift) where the model rounds slope * value once.
 * Exact when t3 itself is not rounded (an exact layer with integer r_c and
 * o_c), the slope is represented and both round half to even; otherwise the
 * negative side's error in output LSBs: |a'| times t3's own error, the second
 * rounding (1/2) and |a' - a| times the largest |t3|. */
static int fit_prelu(imp_t *im, imp_layer_t *L, double scale, int zp, int is_signed, int rm,
                     pk_error_t *err)
{
    const pk_config_t *cfg = im->cfg;
    if (!is_signed || zp != 0)
        return layer_err(im, L, err, "PReLU needs a signed output with zero point 0 (the slope "
                         "applies to negative codes); the output quantizer has signed %.0f, "
                         "zero point %.0f", is_signed, zp);
    int ash = cfg->postproc.act_param_bits - 2, ash_max = (1 << cfg->postproc.act_shift_bits) - 1;
    ash = ash < 0 ? 0 : ash > ash_max ? ash_max : ash;
    int64_t amax = (1LL << (cfg->postproc.act_param_bits - 1)) - 1;
    int exact0 = L->exact;
    double worst0 = L->worst;
    for (int c = 0; c < L->out_c; c++) {
        double a = L->slope[c], want = ldexp(a, ash), an = nearbyint(want);
        if (an > (double)amax || an < (double)(-amax - 1))
            return layer_err(im, L, err, "PReLU slope %.9g (channel %.0f) does not fit "
                             "act_param_bits as an_c / 2^act_shift", a, c);
        L->p[c].an = (int32_t)an;
        double aq = ldexp(an, -ash), t3max = L->amax[c] * fabs(L->alpha[c]) / scale + 1;
        if (an != want)
            L->why |= WHY_SLOPE;
        if (aq == 0.0 && a == 0.0)
            continue; /* a Relu: exact */
        double r = L->alpha[c] / scale, o = L->beta[c] / scale;
        int t3_exact = exact0 && r == nearbyint(r) && o == nearbyint(o);
        int two = !(aq == 1.0 && a == 1.0) && !(t3_exact && rm == RM_EVEN);
        if (an != want || two) {
            L->why |= two ? WHY_PRELU : 0;
            double w = floor(fabs(aq) * worst0 + 0.5 + fabs(aq - a) * t3max) + 1;
            L->worst = w > L->worst ? w : L->worst;
            L->exact = 0;
        }
    }
    return 0;
}

/* A QONNX Trunc after the rescale (L->trunc = 1 + t): the model computes
 * F(round_even(v) / 2^t), v = r acc + o, which f represents as
 * (acc m + b) / 2^s.  FLOOR: floor(round(v) / 2^t) = floor((v + 1/2) / 2^t)
 * when the inner rounding has no tie, i.e. rshr (half up) of
 * acc m + b + 2^(s-1) - 2^(s+t-1) by s + t (for s = 0, v is an integer:
 * b - 2^(t-1)); ROUND: rshr_e(v, t), only for s = 0 (one rounding).  Sets
 * f's exactness; -1 when the result does not fit the QuantNorm widths. */
static int trunc_fit(imp_layer_t *L, const lim_t *lim, fit_t *f)
{
    int t = L->trunc - 1;
    if (t == 0)
        return 0;
    while (!f->two && f->s > 0 && f->m % 2 == 0 && f->b % 2 == 0) /* the smallest s */
        f->m /= 2, f->b /= 2, f->s--;
    int ties = tie_possible(f->m, f->b, f->s);
    if (f->two || (!L->trunc_floor && f->s)) {
        f->exact_scale = 0; /* a second rounding: bounded by the fit's delta */
        L->why |= WHY_TRUNC;
        return 0;
    }
    if (L->trunc_floor) {
        f->b += f->s ? (1LL << (f->s - 1)) - (1LL << (f->s + t - 1)) : -(1LL << (t - 1));
        f->exact_scale = f->exact_scale && !ties;
        L->why |= ties ? WHY_TRUNC : 0;
    }
    f->s += t;
    return f->s > lim->smax || llabs(f->b) > lim->bmax ? -1 : 0;
}

/* Signed bits of integer-valued |v| (>= 1). */
static int sbits(double v)
{
    int e;
    frexp(fabs(v), &e);
    return (v == 0 ? 0 : e) + 1;
}

/* The widths that make r = m / 2^s and o = b / 2^s exact (m, b integers):
 * the smallest such s (every finite double is m / 2^s for some s), the
 * signed bits of m and b, the field bits of s, and the intermediate
 * |acc m + b| < 2^(P-2) as the fit requires of the two-stage form. */
static void need_exact(imp_layer_t *L, double r, double o, double amax)
{
    int s = 0;
    while (s < 1100 && (ldexp(r, s) != nearbyint(ldexp(r, s)) ||
                        ldexp(o, s) != nearbyint(ldexp(o, s))))
        s++;
    double m = ldexp(r, s), b = ldexp(o, s);
    int sb = 0;
    while ((1 << sb) - 1 < s)
        sb++;
    int nm = sbits(m), nb = sbits(b), ni = sbits(amax * fabs(m) + fabs(b)) + 1;
    L->need_mult = nm > L->need_mult ? nm : L->need_mult;
    L->need_bias = nb > L->need_bias ? nb : L->need_bias;
    L->need_shift = sb > L->need_shift ? sb : L->need_shift;
    L->need_internal = ni > L->need_internal ? ni : L->need_internal;
}

int imp_finish(imp_t *im, int li, double scale, int zp, int bits, int is_signed, int rm,
               pk_error_t *err)
{
    imp_layer_t *L = &im->l[li];
    lim_t lim;
    limits(im->cfg, &lim);
    if (imp_dq_only(L)) { /* add: only the DQ stage, rshr(x * M, E), no offset */
        lim.mmax = lim.Mmax;
        lim.smax = lim.Emax;
        lim.bmax = 0;
    }
    int qlo, qhi;
    imp_code_range(bits, is_signed, &qlo, &qhi);
    int pool = L->op == PK_OP_AVGPOOL || L->op == PK_OP_GLOBAL_AVGPOOL;
    if (pool && (L->vlo / scale + zp > qlo || L->vhi / scale + zp < qhi))
        return layer_err(im, L, err, "a Relu / Clip folded into an average pool: Pike's pools "
                         "have no activation (%.9g, %.9g)", L->vlo, L->vhi);
    /* clip bounds in codes: rounding is monotone, so clip commutes with it */
    double lo = L->vlo / scale + zp, hi = L->vhi / scale + zp;
    L->code_lo = isfinite(lo) && lo > qlo ? (int)(rm == RM_EVEN ? nearbyint(lo) : round(lo)) : qlo;
    L->code_hi = isfinite(hi) && hi < qhi ? (int)(rm == RM_EVEN ? nearbyint(hi) : round(hi)) : qhi;
    if (L->code_lo > L->code_hi)
        L->code_lo = L->code_hi;
    L->p = calloc((size_t)L->n_p, sizeof *L->p);
    if (!L->p)
        return pk_error_set(err, PK_ENOMEM, im->m->path, 0, "model", "out of memory");
    L->worst = 0;
    L->exact = 1;
    L->rounding = rm == RM_EVEN ? PK_Q_ROUND_HALF_EVEN : PK_Q_ROUND_HALF_UP;
    for (int c = 0; c < L->n_p; c++) {
        fit_t f;
        int force = im->force_dq && (L->op == PK_OP_CONV || L->op == PK_OP_FC);
        if (channel(L, c, &lim, 1.0 / scale, zp, rm, L->code_lo, force, &f))
            return layer_err(im, L, err, "requantization scale %.9g (channel %.0f) does not "
                             "fit the config's QuantNorm / DQ widths",
                             L->alpha[c] / scale, (double)c);
        if (L->trunc && trunc_fit(L, &lim, &f))
            return layer_err(im, L, err, "Trunc by %.0f bits (channel %.0f): the shift or bias "
                             "does not fit the config's qn_shift_bits / qn_bias_bits",
                             L->trunc - 1, (double)c);
        need_exact(L, L->alpha[c] / scale, imp_dq_only(L) ? 0 : L->beta[c] / scale + zp,
                   L->amax[c]);
        pk_chan_params_t *p = &L->p[c];
        if (imp_dq_only(L)) {
            p->M = (int32_t)f.m;
            p->E = (int32_t)f.s;
            L->use_dq = 1;
        } else {
            p->m = (int32_t)f.m, p->b = (int32_t)f.b, p->s = (int32_t)f.s;
            p->M = (int32_t)f.M, p->E = (int32_t)f.E;
            L->use_qn = 1;
            L->use_dq |= f.two;
        }
        double bound = f.exact_scale ? 0 : floor(f.delta) + 1;
        if (bound > L->worst)
            L->worst = bound;
        L->exact &= f.exact_scale;
    }
    if (L->trunc > 1 && L->trunc_floor)
        L->rounding = PK_Q_ROUND_HALF_UP; /* floor = half up of the value - 1/2 */
    if (L->use_dq && !imp_dq_only(L))
        for (int c = 0; c < L->n_p; c++)
            if (L->p[c].M == 0)
                L->p[c].M = 1; /* single-stage channels in a two-stage layer: M/2^E = 1 */
    if (L->slope) {
        int rc = fit_prelu(im, L, scale, zp, is_signed, rm, err);
        if (rc)
            return rc;
    }
    int ti = imp_new_tensor(im, err);
    if (ti < 0)
        return ti;
    const imp_tensor_t *in = &im->t[L->in[0]];
    imp_tensor_t *t = &im->t[ti];
    t->layer = li;
    t->scale = scale, t->zp = zp, t->bits = bits, t->is_signed = is_signed;
    t->c = L->out_c;
    if (L->op == PK_OP_FC) {
        t->h = t->w = 1;
    } else if (imp_dq_only(L)) {
        t->h = in->h, t->w = in->w;
    } else {
        t->h = imp_geom_oh(&L->g, in->h);
        t->w = imp_geom_ow(&L->g, in->w);
    }
    L->out_t = ti;
    return 0;
}
