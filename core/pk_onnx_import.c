/* pk_onnx_import.c - walk a checked ONNX graph (pk_onnx.h) in topological
 * order and build Pike layers from it (pk_onnx_import.h, docs/IMPORT.md).
 *
 * Design: one handler per op type; each reads the kinds of its input values
 * (pk_onnx_imp.h: quantized tensor, float view of one, constant, quantized
 * constant, pending layer) and either produces a new value or refuses with
 * the reason, naming the node.  Quantization parameters are taken from the
 * Q / DQ / Quant nodes, weights from the quantized constants, so nothing is
 * re-quantized here: a layer's integer weights are the model's own codes.
 * Output geometry of a layer is fixed when its output is quantized
 * (imp_finish in pk_onnx_fit.c); files are written only at the end
 * (pk_onnx_emit.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_onnx_imp.h"

#define NERR(...) pk_onnx_node_err(im->m, n, err, __VA_ARGS__)

val_t *imp_val(imp_t *im, const char *name)
{
    const pk_onnx_slot_t *s = pk_onnx_value(im->m, name);
    return s ? &im->vals[s - im->m->tab] : NULL;
}

static int is_op(const Onnx__NodeProto *n, const char *op)
{
    return strcmp(n->op_type, op) == 0;
}

int imp_consumers(imp_t *im, const char *name)
{
    const pk_onnx_slot_t *s = pk_onnx_value(im->m, name);
    return s ? s->consumers : 0;
}

val_t *imp_in(imp_t *im, const Onnx__NodeProto *n, size_t k)
{
    if (k >= n->n_input || !n->input[k] || !*n->input[k])
        return NULL;
    val_t *v = imp_val(im, n->input[k]);
    if (v && v->k == V_NONE) {
        const Onnx__TensorProto *t = pk_onnx_init(im->m, n->input[k]);
        if (t) {
            v->k = V_CONST;
            v->c = t;
        }
    }
    return v;
}

val_t *imp_out(imp_t *im, const Onnx__NodeProto *n)
{
    return n->n_output ? imp_val(im, n->output[0]) : NULL;
}

/* Scalar (or all-equal) constant value of input k; -1 if not a constant. */
int imp_const_scalar(imp_t *im, const Onnx__NodeProto *n, size_t k, double *out)
{
    val_t *v = imp_in(im, n, k);
    if (!v || v->k != V_CONST || pk_onnx_count(v->c) < 1)
        return -1;
    int64_t cnt = pk_onnx_count(v->c);
    double *d = malloc((size_t)cnt * sizeof *d);
    if (!d)
        return -1;
    pk_onnx_values(v->c, d, cnt);
    int same = 1;
    for (int64_t i = 1; i < cnt; i++)
        same &= d[i] == d[0];
    *out = d[0];
    free(d);
    return same ? 0 : -1;
}

/* Constant input k as doubles (malloc'ed, count into *cnt), NULL if not one. */
double *imp_const_values(imp_t *im, const Onnx__NodeProto *n, size_t k, int64_t *cnt)
{
    val_t *v = imp_in(im, n, k);
    if (!v || v->k != V_CONST)
        return NULL;
    *cnt = pk_onnx_count(v->c);
    double *d = malloc((size_t)(*cnt ? *cnt : 1) * sizeof *d);
    if (d)
        pk_onnx_values(v->c, d, *cnt);
    return d;
}

/* Make room for one more element in *arr (n used of *cap, elements of size sz). */
static int grow(imp_t *im, void **arr, int n, int *cap, size_t sz, pk_error_t *err)
{
    if (n < *cap)
        return 0;
    int c = *cap ? 2 * *cap : 16;
    void *p = realloc(*arr, (size_t)c * sz);
    if (!p)
        return pk_error_set(err, PK_ENOMEM, im->m->path, 0, "model", "out of memory");
    *arr = p;
    *cap = c;
    return 0;
}

int imp_new_layer(imp_t *im, const Onnx__NodeProto *n, pk_op_t op, int n_sets, pk_error_t *err)
{
    int rc = grow(im, (void **)&im->l, im->n_l, &im->cap_l, sizeof *im->l, err);
    if (rc)
        return rc;
    imp_layer_t *L = &im->l[im->n_l];
    memset(L, 0, sizeof *L);
    L->node = n;
    L->op = op;
    L->out_t = -1;
    L->g.kh = L->g.kw = L->g.sh = L->g.sw = L->groups = 1;
    L->vlo = -INFINITY;
    L->vhi = INFINITY;
    L->n_p = n_sets;
    if (n_sets) {
        L->alpha = calloc((size_t)n_sets, sizeof *L->alpha);
        L->beta = calloc((size_t)n_sets, sizeof *L->beta);
        L->amax = calloc((size_t)n_sets, sizeof *L->amax);
        if (!L->alpha || !L->beta || !L->amax) {
            free(L->alpha), free(L->beta), free(L->amax);
            return pk_error_set(err, PK_ENOMEM, im->m->path, 0, "model", "out of memory");
        }
    }
    return im->n_l++;
}

int imp_new_tensor(imp_t *im, pk_error_t *err)
{
    int rc = grow(im, (void **)&im->t, im->n_t, &im->cap_t, sizeof *im->t, err);
    if (rc)
        return rc;
    memset(&im->t[im->n_t], 0, sizeof im->t[0]);
    return im->n_t++;
}

/* ---- quantizer parameters ------------------------------------------------ */

typedef struct qparams {
    double *scale;
    int64_t n;          /* scale count (1 = per tensor) */
    double zp;          /* must be one value for activations */
    int zp_same;
    int bits, is_signed;
    int axis;
} qparams_t;

static int read_qparams(imp_t *im, const Onnx__NodeProto *n, qparams_t *q, pk_error_t *err)
{
    memset(q, 0, sizeof *q);
    q->scale = imp_const_values(im, n, 1, &q->n);
    if (!q->scale || q->n < 1)
        return NERR("the scale must be a constant (initializer)");
    for (int64_t i = 0; i < q->n; i++)
        if (!(q->scale[i] > 0) || !isfinite(q->scale[i]))
            return NERR("scale %g is not a positive finite number", q->scale[i]);
    q->bits = 8;
    q->zp_same = 1;
    val_t *z = imp_in(im, n, 2);
    if (z && z->k == V_CONST) {
        int dt = z->c->data_type;
        if (dt != PK_ONNX_UINT8 && dt != PK_ONNX_INT8 && dt != PK_ONNX_INT32)
            return NERR("zero point of data type %d: only int8, uint8 (and int32 for biases) "
                        "are supported", dt);
        q->is_signed = dt != PK_ONNX_UINT8;
        q->bits = dt == PK_ONNX_INT32 ? 32 : 8;
        int64_t cnt;
        double *zp = imp_const_values(im, n, 2, &cnt);
        if (!zp)
            return pk_error_set(err, PK_ENOMEM, im->m->path, 0, "model", "out of memory");
        q->zp = cnt ? zp[0] : 0;
        for (int64_t i = 1; i < cnt; i++)
            q->zp_same &= zp[i] == zp[0];
        free(zp);
    } else if (z) {
        return NERR("the zero point must be a constant (initializer)");
    }
    q->axis = (int)pk_onnx_attr_i(n, "axis", 1);
    return 0;
}

/* ---- graph input and quantize ---------------------------------------------- */

static int graph_input(imp_t *im, const Onnx__ValueInfoProto *vi, val_t *v, pk_error_t *err)
{
    const Onnx__TypeProto *tp = vi->type;
    const Onnx__TypeProto__Tensor *tt = tp ? tp->tensor_type : NULL;
    if (!tt || !tt->shape || tt->shape->n_dim < 2 || tt->shape->n_dim > 4 || tt->shape->n_dim == 3)
        return pk_error_set(err, PK_EINPUT, im->m->path, 0, "graph input",
                            "'%.100s': need a float tensor of shape (N, C, H, W) or (N, K)",
                            vi->name);
    v->k = V_FIN;
    v->in_ndims = (int)tt->shape->n_dim;
    for (int i = 0; i < v->in_ndims; i++) {
        const Onnx__TensorShapeProto__Dimension *d = tt->shape->dim[i];
        int64_t x = d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE ? d->dim_value : -1;
        if (i > 0 && (x < 1 || x > PK_NET_MAX_DIM))
            return pk_error_set(err, PK_EINPUT, im->m->path, 0, "graph input",
                                "'%.100s': dimension %d must be a number in [1, %d]", vi->name,
                                i, PK_NET_MAX_DIM);
        v->in_dims[i] = x;
    }
    return 0;
}

static int quant_input(imp_t *im, const Onnx__NodeProto *n, val_t *x, double scale, int zp,
                       int bits, int is_signed, int rm, pk_error_t *err)
{
    if (im->have_input)
        return NERR("a second network input: Pike networks have one input");
    int t = imp_new_tensor(im, err);
    if (t < 0)
        return t;
    imp_tensor_t *T = &im->t[t];
    T->layer = -1;
    T->scale = scale, T->zp = zp, T->bits = bits, T->is_signed = is_signed;
    if (x->in_ndims == 2) {
        T->h = T->w = 1;
        T->c = (int)x->in_dims[1];
    } else {
        T->c = (int)x->in_dims[1], T->h = (int)x->in_dims[2], T->w = (int)x->in_dims[3];
    }
    T->consumers = imp_consumers(im, n->output[0]);
    im->have_input = 1;
    im->io.in_scale = scale;
    im->io.in_zp = zp;
    im->io.in_round_even = rm == RM_EVEN;
    return t;
}

/* Quantize value x (float) with (scale, zp, bits, signed, rm) into val o. */
static int quantize(imp_t *im, const Onnx__NodeProto *n, val_t *x, double scale, int zp, int bits,
                    int is_signed, int rm, vkind_t out_kind, val_t *o, pk_error_t *err)
{
    if (x->k == V_FIN) {
        int t = quant_input(im, n, x, scale, zp, bits, is_signed, rm, err);
        if (t < 0)
            return t;
        o->k = out_kind;
        o->t = t;
        return 0;
    }
    if (x->k == V_DQ) { /* re-quantizing a view: only the identity is supported */
        const imp_tensor_t *T = &im->t[x->t];
        if (T->scale != scale || T->zp != zp || T->bits != bits || T->is_signed != is_signed)
            return NERR("re-quantizes a tensor (scale %g zero point %d %d-bit -> scale %g zero "
                        "point %d %d-bit): a standalone requantization is not a Pike layer",
                        T->scale, T->zp, T->bits, scale, zp, bits);
        *o = *x;
        o->k = out_kind;
        return 0;
    }
    if (x->k == V_CAT) {
        int t = imp_concat_requant(im, x, scale, zp, bits, is_signed, rm, err);
        if (t < 0)
            return t;
        o->k = out_kind;
        o->t = t;
        o->flat = 0;
        im->t[t].consumers = imp_consumers(im, n->output[0]);
        return 0;
    }
    if (x->k != V_ACC)
        return NERR("input is not the float output of a supported layer");
    int rc = imp_finish(im, x->l, scale, zp, bits, is_signed, rm, err);
    if (rc)
        return rc;
    o->k = out_kind;
    o->t = im->l[x->l].out_t;
    o->flat = 0;
    im->t[o->t].consumers = imp_consumers(im, n->output[0]);
    return 0;
}

static int op_quantizelinear(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    qparams_t q;
    int rc = read_qparams(im, n, &q, err);
    if (!rc && (q.n != 1 || !q.zp_same))
        rc = NERR("per-axis quantization of an activation is not supported");
    val_t *x = imp_in(im, n, 0);
    if (!rc && x && x->k == V_CONST)
        rc = NERR("quantizing a constant: store it quantized (as onnxruntime does)");
    if (!rc)
        rc = quantize(im, n, x, q.scale[0], (int)q.zp, q.bits, q.is_signed, RM_EVEN, V_QT,
                      imp_out(im, n), err);
    free(q.scale);
    return rc;
}

/* A quantized constant: codes (value = scale * (code - zp)). */
static int make_wq(imp_t *im, const Onnx__NodeProto *n, const Onnx__TensorProto *c, double *codes,
                   const qparams_t *q, val_t *o, pk_error_t *err)
{
    int64_t cnt = pk_onnx_count(c);
    if (c->n_dims > 4)
        return NERR("constant of %zu dimensions (at most 4)", c->n_dims);
    if (q->zp != 0 || !q->zp_same)
        return NERR("weights with a nonzero zero point: Pike weights are symmetric");
    o->k = V_WQ;
    o->codes = malloc((size_t)(cnt ? cnt : 1) * sizeof *o->codes);
    o->scale = malloc((size_t)q->n * sizeof *o->scale);
    if (!o->codes || !o->scale)
        return pk_error_set(err, PK_ENOMEM, im->m->path, 0, "model", "out of memory");
    for (int64_t i = 0; i < cnt; i++) {
        if (fabs(codes[i]) > 2147483647.0)
            return NERR("quantized constant out of int32 range");
        o->codes[i] = (int32_t)codes[i];
    }
    memcpy(o->scale, q->scale, (size_t)q->n * sizeof *o->scale);
    o->n = cnt, o->n_scale = q->n;
    o->axis = q->axis < 0 ? q->axis + (int)c->n_dims : q->axis;
    o->bits = q->bits, o->is_signed = 1;
    o->ndims = (int)c->n_dims;
    for (size_t i = 0; i < c->n_dims; i++)
        o->dims[i] = c->dims[i];
    if (q->n > 1 && (o->axis < 0 || o->axis >= o->ndims || o->dims[o->axis] != q->n))
        return NERR("%lld scales do not match axis %d of the constant", (long long)q->n, q->axis);
    return 0;
}

static int op_dequantizelinear(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    val_t *x = imp_in(im, n, 0), *o = imp_out(im, n);
    qparams_t q;
    int rc = read_qparams(im, n, &q, err);
    if (rc) {
        free(q.scale);
        return rc;
    }
    if (x && x->k == V_CONST) {
        int64_t cnt;
        double *codes = imp_const_values(im, n, 0, &cnt);
        if (!codes)
            rc = pk_error_set(err, PK_ENOMEM, im->m->path, 0, "model", "out of memory");
        else
            rc = make_wq(im, n, x->c, codes, &q, o, err);
        free(codes);
    } else if (x && x->k == V_QT) {
        const imp_tensor_t *T = &im->t[x->t];
        if (q.n != 1 || q.scale[0] != T->scale || q.zp != T->zp)
            rc = NERR("dequantizes with other parameters than the matching QuantizeLinear");
        *o = *x;
        o->k = V_DQ;
    } else {
        rc = NERR("input is neither a quantized tensor nor a quantized constant");
    }
    free(q.scale);
    return rc;
}

/* ---- QONNX Quant / BipolarQuant --------------------------------------------- */

static double qround(double x, int rm)
{
    return rm == RM_EVEN ? nearbyint(x) : (x < 0 ? -floor(-x + 0.5) : floor(x + 0.5));
}

static int op_quant(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    double scale, zp, bits;
    if (imp_const_scalar(im, n, 1, &scale) || imp_const_scalar(im, n, 2, &zp) ||
        imp_const_scalar(im, n, 3, &bits))
        return NERR("scale, zero point and bit width must be constant scalars (per-channel "
                    "scales only on weights)");
    int is_signed = (int)pk_onnx_attr_i(n, "signed", 1);
    int narrow = (int)pk_onnx_attr_i(n, "narrow", 0);
    char rms[32] = "ROUND";
    pk_onnx_attr_s(n, "rounding_mode", rms, sizeof rms);
    int rm = strcmp(rms, "ROUND") == 0 || strcmp(rms, "HALF_EVEN") == 0 ? RM_EVEN
             : strcmp(rms, "HALF_UP") == 0 ? RM_AWAY : -1;
    if (rm < 0)
        return NERR("rounding_mode '%s' not supported (ROUND, HALF_EVEN, HALF_UP)", rms);
    val_t *x = imp_in(im, n, 0), *o = imp_out(im, n);
    if (!x)
        return NERR("missing input");
    if (x->k == V_CONST) { /* weights or bias: quantize here, as qonnx does (float32) */
        int64_t cnt;
        double *w = imp_const_values(im, n, 0, &cnt);
        int64_t ns = 1;
        double *sc = imp_const_values(im, n, 1, &ns);
        if (w && sc && (ns < 1 || cnt % ns)) {
            free(w), free(sc);
            return NERR("%lld scales for %lld weights: per-channel scales must divide them",
                        (long long)ns, (long long)cnt);
        }
        if (!w || !sc) {
            free(w), free(sc);
            return pk_error_set(err, PK_ENOMEM, im->m->path, 0, "model", "out of memory");
        }
        double lo = is_signed ? -ldexp(1, (int)bits - 1) + narrow : 0;
        double hi = is_signed ? ldexp(1, (int)bits - 1) - 1 : ldexp(1, (int)bits) - 1 - narrow;
        for (int64_t i = 0; i < cnt; i++) {
            float y = (float)w[i] / (float)sc[ns == 1 ? 0 : i * ns / cnt] + (float)zp;
            w[i] = qround(fmin(fmax(y, lo), hi), rm) - zp;
        }
        qparams_t q = { sc, ns, 0, 1, (int)bits, is_signed, 0 };
        int rc = make_wq(im, n, x->c, w, &q, o, err);
        free(w), free(sc);
        return rc;
    }
    if (bits < 2 || bits > 8 || bits != floor(bits) || zp != floor(zp))
        return NERR("activation bit width %g / zero point %g: Pike tensors are 2, 4 or 8 bit "
                    "with an integer zero point", bits, zp);
    if (narrow)
        return NERR("narrow-range activations are not supported");
    return quantize(im, n, x, scale, (int)zp, (int)bits, is_signed, rm, V_DQ, o, err);
}

/* QONNX Trunc (v1, qonnx.custom_op.general): y = F(round(x / scale + zp) / 2^t)
 * with t = in_bw - out_bw and F the rounding_mode (FLOOR by default, or ROUND),
 * value (y - zp) * scale, not clipped.  On a pending layer: its output quantizer
 * at `scale` with the truncation folded into the rescale (imp_finish, t). */
static int op_trunc(imp_t *im, const Onnx__NodeProto *n, pk_error_t *err)
{
    double scale, zp, ib, ob;
    if (imp_const_scalar(im, n, 1, &scale) || imp_const_scalar(im, n, 2, &zp) ||
        imp_const_scalar(im, n, 3, &ib) || imp_const_scalar(im, n, 4, &ob))
        return NERR("scale, zero point and the two bit widths must be constant scalars");
    char rms[32] = "FLOOR";
    pk_onnx_attr_s(n, "rounding_mode", rms, sizeof rms);
    int floor_mode = strcmp(rms, "FLOOR") == 0;
    if (!floor_mode && strcmp(rms, "ROUND") != 0 && strcmp(rms, "HALF_EVEN") != 0)
        return NERR("rounding_mode '%s' not supported (FLOOR, ROUND, HALF_EVEN)", rms);
    if (zp != 0 || ob != floor(ob) || ib != floor(ib) || ib < ob || ib - ob > 24 ||
        (ob != 2 && ob != 4 && ob != 8))
        return NERR("zero point %g, bit widths %g -> %g: Pike truncates with zero point 0 to "
                    "2, 4 or 8 bits by at most 24 bits", zp, ib, ob);
    val_t *x = imp_in(im, n, 0);
    if (!x || x->k != V_ACC)
        return NERR("input is not the float output of a supported layer (a conv, fc or "
                    "average pool)");
    imp_layer_t *L = &im->l[x->l];
    const imp_tensor_t *in = &im->t[L->in[0]];
    L->trunc = 1 + (int)(ib - ob);
    L->trunc_floor = floor_mode;
    return quantize(im, n, x, scale, 0, (int)ob, in->is_signed, RM_EVEN, V_DQ, imp_out(im, n),
                    err);
}

/* ---- dispatch ------------------------------------------------------------------ */

static const struct {
    const char *op;
    imp_op_fn fn;
} ops[] = {
    { "QuantizeLinear", op_quantizelinear }, { "DequantizeLinear", op_dequantizelinear },
    { "Quant", op_quant }, { "Conv", imp_op_conv }, { "Gemm", imp_op_gemm },
    { "MatMul", imp_op_gemm }, { "Relu", imp_op_relu }, { "Clip", imp_op_clip },
    { "PRelu", imp_op_prelu },
    { "MaxPool", imp_op_maxpool }, { "Add", imp_op_add }, { "Concat", imp_op_concat },
    { "Flatten", imp_op_layout }, { "Reshape", imp_op_layout }, { "Transpose", imp_op_layout },
    { "Identity", imp_op_identity }, { "Softmax", imp_op_host }, { "ArgMax", imp_op_host },
    { "Cast", imp_op_host }, { "BatchNormalization", imp_op_batchnorm },
    { "Mul", imp_op_muldiv }, { "Div", imp_op_muldiv }, { "BipolarQuant", imp_op_bipolar },
    { "GlobalAveragePool", imp_op_avgpool }, { "AveragePool", imp_op_avgpool },
    { "Trunc", op_trunc },
};

static int walk(imp_t *im, pk_error_t *err)
{
    const Onnx__GraphProto *g = im->m->g;
    for (size_t i = 0; i < g->n_input; i++) {
        val_t *v = imp_val(im, g->input[i]->name);
        if (v && v->k == V_NONE && !pk_onnx_init(im->m, g->input[i]->name)) {
            int rc = graph_input(im, g->input[i], v, err);
            if (rc)
                return rc;
        }
    }
    for (int i = 0; i < im->m->n_nodes; i++) {
        const Onnx__NodeProto *n = im->m->order[i];
        imp_op_fn fn = NULL;
        for (size_t k = 0; k < sizeof ops / sizeof *ops && !fn; k++)
            if (is_op(n, ops[k].op))
                fn = ops[k].fn;
        if (!fn)
            return NERR("op type not supported (docs/IMPORT.md lists the supported ops)");
        for (size_t k = 0; k < n->n_input; k++) {
            val_t *v = imp_in(im, n, k);
            if (v && v->k == V_HOST && !is_op(n, "Softmax") && !is_op(n, "ArgMax") &&
                !is_op(n, "Cast") && !is_op(n, "Identity"))
                return NERR("reads the result of a host-side op (Softmax, ArgMax, Cast); those "
                            "may only end the graph");
        }
        int rc = fn(im, n, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int check_output(imp_t *im, pk_error_t *err)
{
    const Onnx__GraphProto *g = im->m->g;
    if (g->n_output != 1)
        return pk_error_set(err, PK_EINPUT, im->m->path, 0, "graph output",
                            "%zu graph outputs: Pike networks have one output", g->n_output);
    if (!im->have_input)
        return pk_error_set(err, PK_EINPUT, im->m->path, 0, "graph input",
                            "the input is never quantized (QuantizeLinear or Quant)");
    val_t *v = imp_val(im, g->output[0]->name);
    if (!v || (v->k != V_QT && v->k != V_DQ && v->k != V_HOST) || im->t[v->t].layer < 0)
        return pk_error_set(err, PK_EINPUT, im->m->path, 0, "graph output",
                            "'%.100s' is not the quantized output of a layer (end the model "
                            "with QuantizeLinear [+ DequantizeLinear] or Quant)",
                            g->output[0]->name);
    const imp_tensor_t *T = &im->t[v->t];
    if (T->layer != im->n_l - 1)
        return pk_error_set(err, PK_EINPUT, im->m->path, 0, "graph output",
                            "'%.100s' is not produced by the last layer", g->output[0]->name);
    im->io.has_out = v->k != V_QT; /* V_DQ, or a host tail after one */
    im->io.out_scale = T->scale;
    im->io.out_zp = T->zp;
    return 0;
}

static void imp_free(imp_t *im)
{
    if (im->vals)
        for (size_t i = 0; i < im->m->tab_cap; i++) {
            free(im->vals[i].codes);
            free(im->vals[i].scale);
        }
    free(im->vals);
    for (int i = 0; i < im->n_l; i++) {
        free(im->l[i].w), free(im->l[i].alpha), free(im->l[i].beta);
        free(im->l[i].amax), free(im->l[i].p), free(im->l[i].slope);
    }
    free(im->l);
    free(im->t);
}

static void net_name(const char *path, char *out, size_t len)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t k = 0;
    for (; *b && k + 1 < len; b++) {
        if (strcmp(b, ".onnx") == 0 || strcmp(b, ".ONNX") == 0)
            break;
        char ch = *b;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '_' || ch == '-' || ch == '.';
        out[k++] = ok ? ch : '_';
    }
    if (!k)
        out[k++] = 'm';
    out[k] = 0;
}

int pk_onnx_import(const char *model, const pk_config_t *cfg, const pk_onnx_opts_t *opts,
                   const char *out_dir, char *yaml_path, size_t len, pk_onnx_io_t *io,
                   pk_error_t *err)
{
    return pk_onnx_import_dq(model, cfg, opts, 0, out_dir, yaml_path, len, io, err);
}

/* The import; with check_out, imp_check() to it instead of writing files. */
static int import(const char *model, const pk_config_t *cfg, const pk_onnx_opts_t *opts,
                  int force_dq, const char *out_dir, char *yaml_path, size_t len,
                  pk_onnx_io_t *io, FILE *check_out, int *inexact, pk_error_t *err)
{
    pk_onnx_t *m = NULL;
    int rc = pk_onnx_load(model, &m, err);
    if (rc)
        return rc;
    pk_onnx_opts_t none = { 0, NULL };
    imp_t im = { .m = m, .cfg = cfg, .opts = opts ? opts : &none, .force_dq = force_dq };
    net_name(model, im.net_name, sizeof im.net_name);
    im.vals = calloc(m->tab_cap, sizeof *im.vals);
    if (!im.vals)
        rc = pk_error_set(err, PK_ENOMEM, model, 0, "model", "out of memory");
    if (!rc)
        rc = walk(&im, err);
    if (!rc)
        rc = check_output(&im, err);
    if (!rc && check_out)
        *inexact = imp_check(&im, check_out);
    else if (!rc)
        rc = imp_emit(&im, out_dir, yaml_path, len, err);
    if (!rc && io)
        *io = im.io;
    imp_free(&im);
    pk_onnx_free(m);
    return rc;
}

int pk_onnx_import_dq(const char *model, const pk_config_t *cfg, const pk_onnx_opts_t *opts,
                      int force_dq, const char *out_dir, char *yaml_path, size_t len,
                      pk_onnx_io_t *io, pk_error_t *err)
{
    return import(model, cfg, opts, force_dq, out_dir, yaml_path, len, io, NULL, NULL, err);
}

int pk_onnx_check(const char *model, const pk_config_t *cfg, FILE *out, int *inexact,
                  pk_error_t *err)
{
    pk_onnx_opts_t o = { 1, NULL };
    int bad = 0;
    int rc = import(model, cfg, &o, 0, NULL, NULL, 0, NULL, out, &bad, err);
    if (inexact)
        *inexact = bad;
    return rc;
}
