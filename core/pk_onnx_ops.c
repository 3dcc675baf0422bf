/* pk_onnx_ops.c - the importer's op handlers (pk_onnx_imp.h).
 *
 * Design: a linear layer (Conv, Gemm, MatMul, Add of two tensors) becomes a
 * pending layer whose float output is alpha_c * acc + beta_c, acc being
 * Pike's integer accumulator over the stored codes: the input zero point is
 * moved into beta (exact except where padding meets a nonzero zero point),
 * the weight and input scales into alpha.  Relu / Clip / BatchNormalization
 * / Mul / Div fold into the pending layer; Relu / Clip after a quantized
 * tensor fold into its producer's clip (when nothing else reads the tensor
 * before them).  MaxPool and Concat work on codes directly (scales must
 * match: both are exact on codes); a Concat of inputs of other quantizations
 * waits for its quantizer (V_CAT) and then requantizes each such input with
 * an inserted avgpool 1x1 that writes the concat slice.  A Mul of a tensor by
 * a 1x1 vector (squeeze-and-excitation) is Pike's mul, rescaled like an add
 * by the DQ stage only.  Layout ops only mark a tensor as
 * flattened in ONNX (NCHW) order; the fc layer that reads it permutes its
 * weights into Pike's h, w, c order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_onnx_imp.h"

#define NERR(...) pk_onnx_node_err(im->m, n, err, __VA_ARGS__)
#define NOMEM() pk_error_set(err, PK_ENOMEM, im->m->path, 0, "model", "out of memory")

/* auto_pad SAME_UPPER / SAME_LOWER of one axis: out = ceil(in / s), the
 * total padding split with the odd one at the end (UPPER) or start (LOWER). */
static void same_pads(int in, int k, int s, int lower, int *p0, int *p1)
{
    int out = (in + s - 1) / s, tot = (out - 1) * s + k - in;
    tot = tot > 0 ? tot : 0;
    *p0 = lower ? tot - tot / 2 : tot / 2;
    *p1 = tot - *p0;
}

/* Kernel, strides and pads (explicit or auto_pad) of a Conv or pool node
 * reading X; kernel defaults kdh x kdw. */
static int get_geom(imp_t *im, const Onnx__NodeProto *n, const imp_tensor_t *X, int kdh, int kdw,
                    imp_geom_t *g, pk_error_t *err)
{
    size_t nk, ns, np, nd;
    const int64_t *ks = pk_onnx_attr_ints(n, "kernel_shape", &nk);
    const int64_t *st = pk_onnx_attr_ints(n, "strides", &ns);
    const int64_t *pd = pk_onnx_attr_ints(n, "pads", &np);
    const int64_t *dl = pk_onnx_attr_ints(n, "dilations", &nd);
    char ap[32] = "NOTSET";
    pk_onnx_attr_s(n, "auto_pad", ap, sizeof ap);
    int same = strcmp(ap, "SAME_UPPER") == 0 ? 1 : strcmp(ap, "SAME_LOWER") == 0 ? 2 : 0;
    if (!same && strcmp(ap, "NOTSET") != 0 && strcmp(ap, "VALID") != 0)
        return NERR("auto_pad %s is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER", ap);
    if ((ks && nk != 2) || (st && ns != 2) || (pd && np != 4) || (dl && nd != 2))
        return NERR("only 2-D convolutions / pools are supported");
    if (dl && (dl[0] != 1 || dl[1] != 1))
        return NERR("dilated convolutions / pools are not supported");
    if (pk_onnx_attr_i(n, "ceil_mode", 0))
        return NERR("ceil_mode 1 is not supported");
    int64_t v[8] = { ks ? ks[0] : kdh, ks ? ks[1] : kdw, st ? st[0] : 1, st ? st[1] : 1,
                     pd && !same ? pd[0] : 0, pd && !same ? pd[1] : 0,
                     pd && !same ? pd[2] : 0, pd && !same ? pd[3] : 0 };
    for (int a = 0; a < 2; a++)
        if (v[a] < 1 || v[a] > 255 || v[2 + a] < 1 || v[2 + a] > 15)
            return NERR("kernel %lldx%lld, strides %lldx%lld out of Pike's range (kernel 1-255, "
                        "stride 1-15)", (long long)v[0], (long long)v[1], (long long)v[2],
                        (long long)v[3]);
    g->kh = (int)v[0], g->kw = (int)v[1], g->sh = (int)v[2], g->sw = (int)v[3];
    if (same) {
        same_pads(X->h, g->kh, g->sh, same == 2, &g->pt, &g->pb);
        same_pads(X->w, g->kw, g->sw, same == 2, &g->pl, &g->pr);
    } else {
        for (int a = 4; a < 8; a++)
            if (v[a] < 0 || v[a] >= v[a & 1])
                return NERR("pads [%lld, %lld, %lld, %lld] out of Pike's range (each side "
                            "below the kernel size of its axis, %dx%d)", (long long)v[4],
                            (long long)v[5], (long long)v[6], (long long)v[7], g->kh, g->kw);
        g->pt = (int)v[4], g->pl = (int)v[5], g->pb = (int)v[6], g->pr = (int)v[7];
    }
    if (g->pt > 15 || g->pl > 15)
        return NERR("top / left padding %d / %d exceeds Pike's 15", g->pt, g->pl);
    if (X->h + g->pt + g->pb < g->kh || X->w + g->pl + g->pr < g->kw)
        return NERR("window %dx%d larger than the padded %dx%d input", g->kh, g->kw, X->h, X->w);
    return 0;
}

static int padded(const imp_geom_t *g)
{
    return g->pt || g->pl || g->pb || g->pr;
}

static const imp_tensor_t *view(imp_t *im, const val_t *v)
{
    return v && (v->k == V_DQ || v->k == V_QT) ? &im->t[v->t] : NULL;
}

static double code_abs_max(const imp_tensor_t *T)
{
    int lo, hi;
    imp_code_range(T->bits, T->is_signed, &lo, &hi);
    return fmax(fabs((double)lo), fabs((double)hi));
}

/* Per-output-channel scale of quantized weights w (axis `axis`). */
static double wscale(const val_t *w, int c, int axis)
{
    return w->n_scale == 1 || w->axis != axis ? w->scale[0] : w->scale[c];
}

/* Bias of a linear layer (input 2): float values per channel into beta. */
static int add_bias(imp_t *im, const Onnx__NodeProto *n, size_t k, imp_layer_t *L, double mult,
                    pk_error_t *err)
{
    val_t *b = imp_in(im, n, k);
    if (!b)
        return 0;
    if (b->k == V_WQ) {
        if (b->n != L->out_c && b->n != 1)
            return NERR("bias has %lld values for %d channels", (long long)b->n, L->out_c);
        for (int c = 0; c < L->out_c; c++) {
            int i = b->n == 1 ? 0 : c;
            L->beta[c] += mult * (double)b->codes[i] * (b->n_scale == 1 ? b->scale[0] : b->scale[i]);
        }
        return 0;
    }
    int64_t cnt;
    double *v = imp_const_values(im, n, k, &cnt);
    if (!v)
        return NERR("bias must be a constant or a quantized constant");
    if (cnt != L->out_c && cnt != 1) {
        free(v);
        return NERR("bias has %lld values for %d channels", (long long)cnt, L->out_c);
    }
    for (int c = 0; c < L->out_c; c++)
        L->beta[c] += mult * v[cnt == 1 ? 0 : c];
    free(v);
    return 0;
}

/* alpha, beta (zero-point correction), amax of channel c from its weights. */
static void linear_channel(imp_layer_t *L, int c, const int32_t *wc, int64_t K,
                           const imp_tensor_t *X, double s_w)
{
    double sum = 0, sabs = 0;
    for (int64_t i = 0; i < K; i++) {
        sum += wc[i];
        sabs += fabs((double)wc[i]);
    }
    L->alpha[c] = X->scale * s_w;
    L->beta[c] -= L->alpha[c] * X->zp * sum;
    L->amax[c] = sabs * code_abs_max(X);
    if (padded(&L->g))
        L->in_zp = X->zp; /* ONNX pads with the zero point: Pike's in_zero_point */
}

static int check_wbits(imp_t *im, const Onnx__NodeProto *n, const val_t *w, pk_error_t *err)
{
    for (int i = 0; i < w->ndims; i++)
        if (w->dims[i] < 1 || w->dims[i] > PK_NET_MAX_DIM)
            return NERR("weight dimension %d is %lld (must be in [1, %d])", i,
                        (long long)w->dims[i], PK_NET_MAX_DIM);
    if (w->bits != 1 && w->bits != 2 && w->bits != 4 && w->bits != 8)
        return NERR("%d-bit weights: Pike weights are 1, 2, 4 or 8 bit", w->bits);
    int lo = -(1 << (w->bits - 1)), hi = (1 << (w->bits - 1)) - 1;
    for (int64_t i = 0; i < w->n && w->bits > 1; i++)
        if (w->codes[i] < lo || w->codes[i] > hi)
            return NERR("weight code %d does not fit %d bits", (int)w->codes[i], w->bits);
    return 0;
}

static int finish_pending(imp_t *im, const Onnx__NodeProto *n, int li)
{
    val_t *o = imp_out(im, n);
    o->k = V_ACC;
    o->l = li;
    return 0;
}

int imp_op_conv(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0), *w = imp_in(im, n, 1);
    const imp_tensor_t *X = view(im, x);
    if (!X || x->k != V_DQ || x->flat)
        return NERR("input must be a dequantized activation tensor (DequantizeLinear or Quant)");
    if (!w || w->k != V_WQ || w->ndims != 4)
        return NERR("weights must be a quantized 4-D constant (DequantizeLinear or Quant of an "
                    "initializer)");
    int rc = check_wbits(im, n, w, err);
    imp_geom_t g;
    if (!rc)
        rc = get_geom(im, n, X, (int)w->dims[2], (int)w->dims[3], &g, err);
    if (rc)
        return rc;
    int O = (int)w->dims[0], Ig = (int)w->dims[1], groups = (int)pk_onnx_attr_i(n, "group", 1);
    if (w->dims[2] != g.kh || w->dims[3] != g.kw)
        return NERR("weights are %lldx%lld, kernel_shape %dx%d", (long long)w->dims[2],
                    (long long)w->dims[3], g.kh, g.kw);
    if (groups < 1 || Ig * groups != X->c || O % groups)
        return NERR("group %d with %d input channels and weights (%d, %d, ...) do not agree",
                    groups, X->c, O, Ig);
    int li = imp_new_layer(im, n, PK_OP_CONV, O, err);
    if (li < 0)
        return li;
    imp_layer_t *L = &im->l[li];
    L->in[0] = x->t, L->n_in = 1, L->out_c = O, L->g = g;
    L->groups = groups, L->w_bits = w->bits;
    const int KH = g.kh, KW = g.kw;
    int64_t K = (int64_t)KH * KW * Ig;
    L->n_w = (int64_t)O * K;
    if (!(L->w = malloc((size_t)L->n_w * sizeof *L->w)))
        return NOMEM();
    for (int o = 0; o < O; o++)     /* ONNX [O][I][kh][kw] -> Pike [O][kh][kw][I] */
        for (int i = 0; i < Ig; i++)
            for (int y = 0; y < KH; y++)
                for (int xx = 0; xx < KW; xx++)
                    L->w[((int64_t)o * KH * KW + y * KW + xx) * Ig + i] =
                        w->codes[(((int64_t)o * Ig + i) * KH + y) * KW + xx];
    rc = add_bias(im, n, 2, L, 1.0, err);
    for (int o = 0; o < O && !rc; o++)
        linear_channel(L, o, L->w + (int64_t)o * K, K, X, wscale(w, o, 0));
    return rc ? rc : finish_pending(im, n, li);
}

int imp_op_gemm(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    int gemm = strcmp(n->op_type, "Gemm") == 0;
    val_t *x = imp_in(im, n, 0), *w = imp_in(im, n, 1);
    const imp_tensor_t *X = view(im, x);
    if (!X || x->k != V_DQ || (!x->flat && (X->h != 1 || X->w != 1)))
        return NERR("input must be a dequantized (N, K) activation tensor");
    if (!w || w->k != V_WQ || w->ndims != 2)
        return NERR("weights must be a quantized 2-D constant");
    int tb = gemm ? (int)pk_onnx_attr_i(n, "transB", 0) : 0;
    double alpha = gemm ? pk_onnx_attr_f(n, "alpha", 1.0) : 1.0;
    double beta = gemm ? pk_onnx_attr_f(n, "beta", 1.0) : 1.0;
    if (gemm && pk_onnx_attr_i(n, "transA", 0))
        return NERR("transA = 1 is not supported");
    int rc = check_wbits(im, n, w, err);
    if (rc)
        return rc;
    int64_t K = tb ? w->dims[1] : w->dims[0], O = tb ? w->dims[0] : w->dims[1];
    int64_t hwc = (int64_t)X->h * X->w * X->c;
    if (K != hwc)
        return NERR("weights expect %lld inputs, the input tensor has %lld", (long long)K,
                    (long long)hwc);
    int li = imp_new_layer(im, n, PK_OP_FC, (int)O, err);
    if (li < 0)
        return li;
    imp_layer_t *L = &im->l[li];
    L->in[0] = x->t, L->n_in = 1, L->out_c = (int)O, L->w_bits = w->bits;
    L->n_w = O * K;
    if (!(L->w = malloc((size_t)L->n_w * sizeof *L->w)))
        return NOMEM();
    for (int64_t o = 0; o < O; o++)
        for (int64_t y = 0; y < X->h; y++)
            for (int64_t xx = 0; xx < X->w; xx++)
                for (int64_t c = 0; c < X->c; c++) {
                    /* ONNX flattens NCHW: index c*H*W + y*W + x */
                    int64_t k = (c * X->h + y) * X->w + xx;
                    int64_t pk = (y * X->w + xx) * X->c + c;
                    L->w[o * K + pk] = w->codes[tb ? o * K + k : k * O + o];
                }
    if (gemm)
        rc = add_bias(im, n, 2, L, beta, err);
    for (int64_t o = 0; o < O && !rc; o++) {
        linear_channel(L, (int)o, L->w + o * K, K, X, wscale(w, (int)o, tb ? 0 : 1) * alpha);
    }
    return rc ? rc : finish_pending(im, n, li);
}

/* Fold clip [lo, hi] (float domain) into a pending layer or a tensor's producer. */
static int fold_clip(imp_t *im, const Onnx__NodeProto *n, double lo, double hi, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0), *o = imp_out(im, n);
    if (x && x->k == V_ACC) {
        imp_layer_t *L = &im->l[x->l];
        if (L->slope)
            return NERR("a second activation on one layer (Pike has one activation stage)");
        L->vlo = fmax(L->vlo, lo);
        L->vhi = fmin(L->vhi, hi);
        *o = *x;
        return 0;
    }
    const imp_tensor_t *T = view(im, x);
    if (!T || x->k != V_DQ)
        return NERR("input must be a layer's float output or a dequantized tensor");
    imp_layer_t *P = T->layer >= 0 ? &im->l[T->layer] : NULL;
    if (!P || !(P->op == PK_OP_CONV || P->op == PK_OP_FC || imp_dq_only(P)) ||
        T->consumers != 1 || imp_consumers(im, n->input[0]) != 1)
        return NERR("activation after a quantized tensor that is not the only use of a conv, "
                    "fc or add output: not expressible as a Pike layer");
    double clo = lo / T->scale + T->zp, chi = hi / T->scale + T->zp;
    if (isfinite(clo) && clo > P->code_lo)
        P->code_lo = (int)nearbyint(clo);
    if (isfinite(chi) && chi < P->code_hi)
        P->code_hi = (int)nearbyint(chi);
    *o = *x;
    return 0;
}

int imp_op_relu(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    return fold_clip(im, n, 0, INFINITY, err);
}

int imp_op_clip(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    double lo = pk_onnx_attr_f(n, "min", -INFINITY), hi = pk_onnx_attr_f(n, "max", INFINITY);
    if (n->n_input > 1 && n->input[1] && *n->input[1] && imp_const_scalar(im, n, 1, &lo))
        return NERR("min must be a constant scalar");
    if (n->n_input > 2 && n->input[2] && *n->input[2] && imp_const_scalar(im, n, 2, &hi))
        return NERR("max must be a constant scalar");
    return fold_clip(im, n, lo, hi, err);
}

/* PRelu with a constant slope (one, or one per channel) on a pending conv / fc:
 * Pike's act_mode prelu; imp_finish() turns the slopes into an_c / 2^act_shift. */
int imp_op_prelu(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0), *o = imp_out(im, n);
    if (!x || x->k != V_ACC)
        return NERR("input must be the float output of a conv or fc (before its output "
                    "quantizer): Pike applies PReLU in the layer's post-processing");
    imp_layer_t *L = &im->l[x->l];
    if (L->op != PK_OP_CONV && L->op != PK_OP_FC)
        return NERR("PReLU after a %s: only conv and fc layers have it", pk_op_name(L->op));
    if (L->slope || isfinite(L->vlo) || isfinite(L->vhi))
        return NERR("a second activation on one layer (Pike has one activation stage)");
    int64_t cnt = 0;
    double *a = n->n_input > 1 ? imp_const_values(im, n, 1, &cnt) : NULL;
    if (!a || (cnt != 1 && cnt != L->out_c)) {
        free(a);
        return NERR("slope must be a constant with 1 or %d (output channels) elements", L->out_c);
    }
    L->slope = malloc((size_t)L->out_c * sizeof *L->slope);
    if (!L->slope) {
        free(a);
        return pk_error_set(err, PK_ENOMEM, im->m->path, 0, "model", "out of memory");
    }
    for (int c = 0; c < L->out_c; c++)
        L->slope[c] = a[cnt == 1 ? 0 : c];
    free(a);
    for (int c = 0; c < L->out_c; c++)
        if (!isfinite(L->slope[c]))
            return NERR("slope %g (channel %d) is not finite", L->slope[c], c);
    *o = *x;
    return 0;
}

/* A layer working on codes whose output keeps the input's quantization. */
static int code_layer(imp_t *im, const Onnx__NodeProto *n, pk_op_t op, int n_in, const int *tin,
                      int out_c, int oh, int ow, pk_error_t *err)
{
    int li = imp_new_layer(im, n, op, 0, err);
    if (li < 0)
        return li;
    int t = imp_new_tensor(im, err);
    if (t < 0)
        return t;
    imp_layer_t *L = &im->l[li];
    imp_tensor_t *T = &im->t[t];
    *T = im->t[tin[0]];
    T->layer = li, T->c = out_c, T->h = oh, T->w = ow;
    T->consumers = imp_consumers(im, n->output[0]);
    L->n_in = n_in;
    memcpy(L->in, tin, (size_t)n_in * sizeof *tin);
    L->out_c = out_c;
    L->out_t = t;
    val_t *o = imp_out(im, n);
    o->k = V_DQ;
    o->t = t;
    o->flat = 0;
    return li;
}

int imp_op_maxpool(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0);
    const imp_tensor_t *X = view(im, x);
    if (!X || x->k != V_DQ || x->flat)
        return NERR("input must be a dequantized activation tensor");
    if (n->n_output > 1 && n->output[1] && *n->output[1])
        return NERR("the Indices output is not supported");
    imp_geom_t g;
    int rc = get_geom(im, n, X, 1, 1, &g, err);
    if (rc)
        return rc;
    int tin = x->t;
    int li = code_layer(im, n, PK_OP_MAXPOOL, 1, &tin, X->c, imp_geom_oh(&g, X->h),
                        imp_geom_ow(&g, X->w), err);
    if (li < 0)
        return li;
    im->l[li].g = g;
    return 0;
}

static int same_quant(const imp_tensor_t *a, const imp_tensor_t *b)
{
    return a->scale == b->scale && a->zp == b->zp && a->bits == b->bits &&
           a->is_signed == b->is_signed;
}

int imp_op_add(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *a = imp_in(im, n, 0), *b = imp_in(im, n, 1);
    if (a && b && (a->k == V_CONST || b->k == V_CONST) && (a->k == V_ACC || b->k == V_ACC)) {
        val_t *acc = a->k == V_ACC ? a : b;
        imp_layer_t *L = &im->l[acc->l];
        if (isfinite(L->vlo) || isfinite(L->vhi))
            return NERR("adding a constant after an activation is not foldable");
        int rc = add_bias(im, n, a->k == V_CONST ? 0 : 1, L, 1.0, err);
        if (!rc)
            *imp_out(im, n) = *acc;
        return rc;
    }
    const imp_tensor_t *A = view(im, a), *B = view(im, b);
    if (!A || !B || a->k != V_DQ || b->k != V_DQ || a->flat || b->flat)
        return NERR("inputs must be two dequantized tensors (or a layer output and a constant "
                    "bias)");
    if (A->h != B->h || A->w != B->w || A->c != B->c)
        return NERR("shapes %dx%dx%d and %dx%dx%d differ (no broadcasting)", A->h, A->w, A->c,
                    B->h, B->w, B->c);
    /* operand scales a power of two apart: the finer one's units, the coarser
     * operand shifted left (a_shift / r_shift, QUANT.md) */
    int k = 0;
    double ratio = frexp(A->scale / B->scale, &k);
    k--; /* A->scale / B->scale = 2^k when ratio == 0.5 */
    if (ratio != 0.5 || k < -15 || k > 15 || A->zp || B->zp || A->bits != B->bits ||
        A->is_signed != B->is_signed)
        return NERR("operands of scales %g and %g (zero points %d, %d): Pike's add aligns "
                    "operands of equal width and zero point 0 whose scales are a power of two "
                    "(at most 2^15) apart", A->scale, B->scale, A->zp, B->zp);
    int smax = (1 << im->cfg->postproc.residual_shift_bits) - 1; /* r_shift's width */
    if (-k > smax)
        return NERR("operand B's scale is 2^%d times A's: its r_shift does not fit the config's "
                    "residual_shift_bits %d (at most %d; put the coarser operand first)", -k,
                    im->cfg->postproc.residual_shift_bits, smax);
    int li = imp_new_layer(im, n, PK_OP_ADD, 1, err);
    if (li < 0)
        return li;
    imp_layer_t *L = &im->l[li];
    L->n_in = 2, L->in[0] = a->t, L->in[1] = b->t, L->out_c = A->c;
    L->a_shift = k > 0 ? k : 0;
    L->r_shift = k < 0 ? -k : 0;
    L->alpha[0] = k > 0 ? B->scale : A->scale;
    L->amax[0] = ldexp(code_abs_max(A), L->a_shift) + ldexp(code_abs_max(B), L->r_shift);
    return finish_pending(im, n, li);
}

int imp_op_concat(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    if (n->n_input != 2)
        return NERR("%zu inputs: Pike's concat has two", n->n_input);
    int64_t axis = pk_onnx_attr_i(n, "axis", 1);
    val_t *a = imp_in(im, n, 0), *b = imp_in(im, n, 1);
    const imp_tensor_t *A = view(im, a), *B = view(im, b);
    if (!A || !B || a->k != V_DQ || b->k != V_DQ || a->flat || b->flat)
        return NERR("inputs must be two dequantized activation tensors");
    if (axis != 1 && axis != -3)
        return NERR("axis %lld: only channel concatenation (axis 1) is supported", (long long)axis);
    if (A->h != B->h || A->w != B->w)
        return NERR("inputs of %dx%d and %dx%d pixels: concat needs equal sizes", A->h, A->w,
                    B->h, B->w);
    int tin[2] = { a->t, b->t };
    if (!same_quant(A, B)) { /* requantized when the output quantizer is known */
        val_t *o = imp_out(im, n);
        o->k = V_CAT;
        o->t = a->t, o->t2 = b->t, o->cat = n, o->flat = 0;
        return 0;
    }
    int li = code_layer(im, n, PK_OP_CONCAT, 2, tin, A->c + B->c, A->h, A->w, err);
    return li < 0 ? li : 0;
}

/* One input of a concat whose quantization is not the output's: an avgpool
 * 1x1 (one term: value = s_x * (code - zp_x)) fitted like any pool to the
 * output quantizer, writing its own tensor (the concat's slice). */
static int concat_rq(imp_t *im, const Onnx__NodeProto *n, int tin, int k, double scale, int zp,
                     int bits, int is_signed, int rm, pk_error_t *err)
{
    int li = imp_new_layer(im, n, PK_OP_AVGPOOL, 1, err);
    if (li < 0)
        return li;
    imp_layer_t *L = &im->l[li];
    const imp_tensor_t *X = &im->t[tin];
    L->suffix = k ? "_rq1" : "_rq0";
    L->in[0] = tin, L->n_in = 1, L->out_c = X->c; /* 1x1, stride 1, no padding: imp_new_layer */
    L->alpha[0] = X->scale;
    L->beta[0] = -X->scale * X->zp;
    L->amax[0] = code_abs_max(X);
    int rc = imp_finish(im, li, scale, zp, bits, is_signed, rm, err);
    if (rc)
        return rc;
    im->t[L->out_t].consumers = 1;
    return L->out_t;
}

int imp_concat_requant(imp_t *im, const val_t *x, double scale, int zp,
                       int bits, int is_signed, int rm, pk_error_t *err)
{
    const Onnx__NodeProto *n = x->cat;
    imp_tensor_t want = { .scale = scale, .zp = zp, .bits = bits, .is_signed = is_signed };
    int tin[2] = { x->t, x->t2 };
    for (int k = 0; k < 2; k++)
        if (!same_quant(&im->t[tin[k]], &want) &&
            (tin[k] = concat_rq(im, n, tin[k], k, scale, zp, bits, is_signed, rm, err)) < 0)
            return tin[k];
    const imp_tensor_t *A = &im->t[tin[0]], *B = &im->t[tin[1]];
    int li = code_layer(im, n, PK_OP_CONCAT, 2, tin, A->c + B->c, A->h, A->w, err);
    return li < 0 ? li : im->l[li].out_t;
}

int imp_op_layout(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0), *o = imp_out(im, n);
    const imp_tensor_t *X = view(im, x);
    if (!X)
        return NERR("only layout changes of an activation tensor are supported");
    if (strcmp(n->op_type, "Transpose") == 0) {
        size_t np;
        const int64_t *perm = pk_onnx_attr_ints(n, "perm", &np);
        int ident = perm != NULL;
        for (size_t i = 0; perm && i < np; i++)
            ident &= perm[i] == (int64_t)i;
        if (!ident && X->h * X->w != 1 && X->c != 1)
            return NERR("a transpose that moves data is not layout-only");
        *o = *x;
        return 0;
    }
    if (strcmp(n->op_type, "Flatten") == 0 && pk_onnx_attr_i(n, "axis", 1) != 1)
        return NERR("only Flatten with axis 1 is supported");
    if (strcmp(n->op_type, "Reshape") == 0) {
        int64_t cnt;
        double *s = imp_const_values(im, n, 1, &cnt);
        int ok = s && cnt == 2 && (s[1] == -1 || s[1] == (double)X->h * X->w * X->c);
        free(s);
        if (!ok)
            return NERR("only a reshape to (N, C*H*W) (a flatten) is supported");
    }
    *o = *x;
    o->flat = 1;
    return 0;
}

int imp_op_identity(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0);
    if (!x || x->k == V_WQ || x->k == V_NONE)
        return NERR("Identity of a quantized constant or an unknown value");
    *imp_out(im, n) = *x;
    return 0;
}

int imp_op_host(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0);
    if (!x || !(x->k == V_QT || x->k == V_DQ || x->k == V_HOST))
        return NERR("host-side op on something else than a quantized network output");
    val_t *o = imp_out(im, n);
    *o = *x;
    o->k = x->k == V_HOST ? V_HOST : x->k;
    if (strcmp(n->op_type, "Cast") != 0)
        o->k = V_HOST;
    if (im->opts->notes)
        fprintf(im->opts->notes, "note: %s: node %s (%s): host-side op, dropped (the network "
                "outputs the tensor it reads)\n", im->m->path, pk_onnx_node_name(n), n->op_type);
    return 0;
}

/* Per-channel factors of a constant input k (1 or C values). */
static double *channel_consts(imp_t *im, const Onnx__NodeProto *n, size_t k, int C)
{
    int64_t cnt;
    double *v = imp_const_values(im, n, k, &cnt);
    if (!v || (cnt != 1 && cnt != C)) {
        free(v);
        return NULL;
    }
    double *out = malloc((size_t)C * sizeof *out);
    for (int c = 0; out && c < C; c++)
        out[c] = v[cnt == 1 ? 0 : c];
    free(v);
    return out;
}

int imp_op_batchnorm(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0);
    if (!x || x->k != V_ACC || n->n_input != 5)
        return NERR("only a BatchNormalization right after a conv / fc is folded");
    imp_layer_t *L = &im->l[x->l];
    if (isfinite(L->vlo) || isfinite(L->vhi))
        return NERR("batch norm after an activation cannot be folded");
    double eps = pk_onnx_attr_f(n, "epsilon", 1e-5);
    double *v[4];
    int rc = 0;
    for (int k = 0; k < 4; k++)
        if (!(v[k] = channel_consts(im, n, (size_t)k + 1, L->out_c)))
            rc = NERR("scale, B, mean and var must be constants of 1 or %d values", L->out_c);
    for (int c = 0; c < L->out_c && !rc; c++) {
        double kk = v[0][c] / sqrt(v[3][c] + eps);
        L->alpha[c] *= kk;
        L->beta[c] = (L->beta[c] - v[2][c]) * kk + v[1][c];
    }
    for (int k = 0; k < 4; k++)
        free(v[k]);
    if (!rc)
        *imp_out(im, n) = *x;
    return rc;
}

/* Mul of two quantized tensors, one of them 1 x 1 x C (squeeze-and-excitation):
 * Pike's mul (QUANT.md "Channel-wise multiply"), a pending layer whose value
 * is s_x s_s * (x s): rescaled by the DQ stage only, operands of zero point 0. */
static int chmul(imp_t *im, const Onnx__NodeProto *n, val_t *a, val_t *b, pk_error_t *err)
{
    const imp_tensor_t *X = view(im, a), *S = view(im, b);
    if (a->flat || b->flat)
        return NERR("multiplies a flattened tensor: only (N, C, H, W) by (N, C, 1, 1) is supported");
    if (X->h * X->w == 1 && S->h * S->w != 1) { /* the vector first: swap */
        val_t *t = a;
        a = b, b = t;
        const imp_tensor_t *T = X;
        X = S, S = T;
    }
    if (S->h != 1 || S->w != 1 || S->c != X->c)
        return NERR("multiplies %dx%dx%d by %dx%dx%d (h x w x c): Pike multiplies a tensor by a "
                    "per-channel vector (1x1x%d) only", X->h, X->w, X->c, S->h, S->w, S->c, X->c);
    if (X->zp || S->zp)
        return NERR("operand zero points %d and %d: Pike's channel-wise multiply takes operands "
                    "of zero point 0", X->zp, S->zp);
    int need = S->bits == 1 ? 2 : S->bits + !S->is_signed; /* s is QuantNorm's multiplier */
    if (need > im->cfg->postproc.qn_mult_bits)
        return NERR("the per-channel vector is %d-bit %s: as the QuantNorm multiplier it needs "
                    "postproc.qn_mult_bits >= %d (config '%s' has %d)", S->bits,
                    S->is_signed ? "signed" : "unsigned", need, im->cfg->name,
                    im->cfg->postproc.qn_mult_bits);
    int li = imp_new_layer(im, n, PK_OP_MUL, 1, err);
    if (li < 0)
        return li;
    imp_layer_t *L = &im->l[li];
    L->n_in = 2, L->in[0] = a->t, L->in[1] = b->t, L->out_c = X->c;
    L->alpha[0] = X->scale * S->scale;
    L->amax[0] = code_abs_max(X) * code_abs_max(S);
    return finish_pending(im, n, li);
}

int imp_op_muldiv(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *a = imp_in(im, n, 0), *b = imp_in(im, n, 1);
    int div = strcmp(n->op_type, "Div") == 0;
    if (!div && a && b && a->k == V_DQ && b->k == V_DQ)
        return chmul(im, n, a, b, err);
    if (!a || a->k != V_ACC || !b || b->k != V_CONST)
        return NERR("only a layer's float output %s a constant is folded", div ? "divided by" : "times");
    imp_layer_t *L = &im->l[a->l];
    double *f = channel_consts(im, n, 1, L->out_c);
    if (!f)
        return NERR("the constant must have 1 or %d values", L->out_c);
    int rc = 0;
    for (int c = 0; c < L->out_c && !rc; c++) {
        double k = div ? 1.0 / f[c] : f[c];
        if (!(k > 0) || !isfinite(k))
            rc = NERR("factor %g: only positive finite factors are folded", k);
        L->alpha[c] *= k;
        L->beta[c] *= k;
    }
    free(f);
    if (!rc && (isfinite(L->vlo) || isfinite(L->vhi)))
        rc = NERR("scaling after an activation is not folded");
    if (!rc)
        *imp_out(im, n) = *a;
    return rc;
}

int imp_op_bipolar(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0), *o = imp_out(im, n);
    if (!x || x->k != V_CONST)
        return NERR("BipolarQuant of activations (1-bit outputs) is not supported yet; only "
                    "of weights");
    int64_t cnt, ns;
    double *w = imp_const_values(im, n, 0, &cnt), *s = imp_const_values(im, n, 1, &ns);
    int rc = 0;
    if (!w || !s || ns < 1)
        rc = NERR("weights and scale must be constants");
    if (!rc && x->c->n_dims > 4)
        rc = NERR("constant of %zu dimensions (at most 4)", x->c->n_dims);
    if (!rc) {
        o->k = V_WQ;
        o->codes = malloc((size_t)(cnt ? cnt : 1) * sizeof *o->codes);
        o->scale = malloc((size_t)ns * sizeof *o->scale);
        if (!o->codes || !o->scale)
            rc = NOMEM();
    }
    for (int64_t i = 0; !rc && i < cnt; i++)
        o->codes[i] = w[i] >= 0 ? 1 : -1;
    if (!rc) {
        memcpy(o->scale, s, (size_t)ns * sizeof *s);
        o->n = cnt, o->n_scale = ns, o->axis = 0, o->bits = 1, o->is_signed = 1;
        o->ndims = (int)x->c->n_dims;
        for (int i = 0; i < o->ndims; i++)
            o->dims[i] = x->c->dims[i];
    }
    free(w), free(s);
    return rc;
}

/* AveragePool / GlobalAveragePool: a pending layer like a conv with unit
 * weights: value = s_x / K * sum - s_x * zp_x over a window of K terms
 * (padding: the zero point, which ONNX's count_include_pad 1 averages in). */
int imp_op_avgpool(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0);
    const imp_tensor_t *X = view(im, x);
    if (!X || x->k != V_DQ || x->flat)
        return NERR("input must be a dequantized activation tensor");
    int global = strcmp(n->op_type, "GlobalAveragePool") == 0;
    imp_geom_t g = { X->h, X->w, 1, 1, 0, 0, 0, 0 };
    if (!global) {
        int rc = get_geom(im, n, X, 1, 1, &g, err);
        if (rc)
            return rc;
        if (padded(&g) && !pk_onnx_attr_i(n, "count_include_pad", 0))
            return NERR("padded average pool with count_include_pad 0: its divisor changes at "
                        "the border, Pike's is fixed per layer (use count_include_pad 1)");
    }
    int li = imp_new_layer(im, n, global ? PK_OP_GLOBAL_AVGPOOL : PK_OP_AVGPOOL, 1, err);
    if (li < 0)
        return li;
    imp_layer_t *L = &im->l[li];
    L->in[0] = x->t, L->n_in = 1, L->out_c = X->c, L->g = g;
    if (padded(&g))
        L->in_zp = X->zp;
    double K = (double)g.kh * g.kw;
    L->alpha[0] = X->scale / K;
    L->beta[0] = -X->scale * X->zp;
    L->amax[0] = K * code_abs_max(X);
    return finish_pending(im, n, li);
}
