/* pk_fq_write.c - pikequant: the calibrated float model -> a QONNX model
 * (Quant nodes on weights and activations) for the importer.
 *
 * Design: the reader's ModelProto is never modified.  The writer builds a
 * shallow copy of model and graph whose node list holds copies of the nodes
 * (with their own input arrays, so an input can be renamed to a quantized
 * value) followed by the new Quant nodes, and whose initializer list holds
 * the original initializers followed by the new ones (the float weights as
 * pikequant holds them, so factorization is written, and the quantizer
 * scales).  Everything new is allocated in an arena freed after packing.
 *
 * Which values get an activation Quant: a value computed in float (the graph
 * input, conv / gemm / batch norm / activations / add / mul) that is read by
 * a layer boundary (conv, gemm, pools, add of tensors, concat, layout ops,
 * softmax) or is the graph output.  Values after max pools and layout ops
 * keep their input's quantization (the importer works on codes there).
 * Inputs of one Add / Concat share one scale (the importer requires it).
 * Recipes (docs/PIKEQUANT.md) choose each weight's width and granularity and
 * each activation's width.
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_fq_int.h"

typedef struct arena {
    void **p;
    size_t n, cap;
    int oom;
} arena_t;

static void *ar_alloc(arena_t *a, size_t sz)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        void **p = realloc(a->p, cap * sizeof *p);
        if (!p) {
            a->oom = 1;
            return NULL;
        }
        a->p = p, a->cap = cap;
    }
    void *x = calloc(1, sz ? sz : 1);
    if (!x) {
        a->oom = 1;
        return NULL;
    }
    return a->p[a->n++] = x;
}

static char *ar_name(arena_t *a, const char *base, const char *suffix)
{
    size_t n = strlen(base) + strlen(suffix) + 1;
    char *s = ar_alloc(a, n);
    if (s)
        snprintf(s, n, "%s%s", base, suffix);
    return s;
}

typedef struct wctx {
    pk_fq_t *q;
    const pk_fq_opts_t *o;
    arena_t a;
    Onnx__NodeProto **nodes;
    size_t n_nodes;
    Onnx__TensorProto **inits;
    size_t n_inits;
    int first, last;         /* first / last conv or gemm node */
} wctx_t;

static Onnx__TensorProto *new_tensor(wctx_t *w, const char *name, const float *v, int64_t n,
                                     const int64_t *dims, int nd)
{
    Onnx__TensorProto *t = ar_alloc(&w->a, sizeof *t);
    float *d = ar_alloc(&w->a, (size_t)(n ? n : 1) * sizeof *d);
    int64_t *dm = ar_alloc(&w->a, (size_t)(nd ? nd : 1) * sizeof *dm);
    if (!t || !d || !dm)
        return NULL;
    onnx__tensor_proto__init(t);
    t->name = (char *)name;
    t->has_data_type = 1, t->data_type = PK_ONNX_FLOAT;
    if (n)
        memcpy(d, v, (size_t)n * sizeof *d);
    if (nd)
        memcpy(dm, dims, (size_t)nd * sizeof *dm);
    t->n_float_data = (size_t)n, t->float_data = d;
    t->n_dims = (size_t)nd, t->dims = dm;
    w->inits[w->n_inits++] = t;
    return t;
}

static Onnx__AttributeProto *attr_i(wctx_t *w, const char *name, int64_t v)
{
    Onnx__AttributeProto *a = ar_alloc(&w->a, sizeof *a);
    if (!a)
        return NULL;
    onnx__attribute_proto__init(a);
    a->name = (char *)name;
    a->has_type = 1, a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
    a->has_i = 1, a->i = v;
    return a;
}

/* Append Quant(x, scale[ns], 0, bits) -> out. */
static int add_quant(wctx_t *w, const char *x, const char *out, const float *scale, int64_t ns,
                     int bits, int is_signed, int narrow)
{
    Onnx__NodeProto *n = ar_alloc(&w->a, sizeof *n);
    char **in = ar_alloc(&w->a, 4 * sizeof *in), **o = ar_alloc(&w->a, sizeof *o);
    Onnx__AttributeProto **at = ar_alloc(&w->a, 3 * sizeof *at);
    Onnx__AttributeProto *rm = ar_alloc(&w->a, sizeof *rm);
    if (!n || !in || !o || !at || !rm)
        return -1;
    onnx__node_proto__init(n);
    onnx__attribute_proto__init(rm);
    float zero = 0, fb = (float)bits;
    int64_t dn = ns;
    in[0] = (char *)x;
    in[1] = ar_name(&w->a, out, "_scale");
    in[2] = ar_name(&w->a, out, "_zp");
    in[3] = ar_name(&w->a, out, "_bits");
    if (!in[1] || !in[2] || !in[3] || !new_tensor(w, in[1], scale, ns, &dn, ns > 1) ||
        !new_tensor(w, in[2], &zero, 1, NULL, 0) || !new_tensor(w, in[3], &fb, 1, NULL, 0))
        return -1;
    o[0] = (char *)out;
    rm->name = "rounding_mode";
    rm->has_type = 1, rm->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING;
    rm->has_s = 1, rm->s.data = (uint8_t *)"ROUND", rm->s.len = 5;
    at[0] = attr_i(w, "signed", is_signed), at[1] = attr_i(w, "narrow", narrow), at[2] = rm;
    if (!at[0] || !at[1])
        return -1;
    n->op_type = "Quant";
    n->domain = "qonnx.custom_op.general";
    n->name = (char *)out;
    n->n_input = 4, n->input = in;
    n->n_output = 1, n->output = o;
    n->n_attribute = 3, n->attribute = at;
    w->nodes[w->n_nodes++] = n;
    return 0;
}

/* Weight width and per-channel flag of node i under the recipe. */
static void weight_choice(const wctx_t *w, int i, int *bits, int *per_ch)
{
    const fq_node_t *nd = &w->q->nd[i];
    int edge = i == w->first || i == w->last;
    *bits = 8, *per_ch = 1;
    if (w->o->recipe == PK_FQ_W4A4 && !edge)
        *bits = 4;
    if (w->o->recipe == PK_FQ_PIKELPN && !edge) {
        int dw = nd->op == FQ_CONV && nd->group > 1 && nd->icg == 1;
        *bits = dw ? 8 : 4, *per_ch = dw;
    }
    if (w->o->per_tensor && !edge)
        *per_ch = 0;
}

/* Append node OP(a, b) -> out. */
static int add_node2(wctx_t *w, const char *op, const char *a, const char *b, const char *out)
{
    Onnx__NodeProto *n = ar_alloc(&w->a, sizeof *n);
    char **in = ar_alloc(&w->a, 2 * sizeof *in), **o = ar_alloc(&w->a, sizeof *o);
    if (!n || !in || !o)
        return -1;
    onnx__node_proto__init(n);
    in[0] = (char *)a, in[1] = (char *)b, o[0] = (char *)out;
    n->op_type = (char *)op;
    n->name = (char *)out;
    n->n_input = 2, n->input = in;
    n->n_output = 1, n->output = o;
    w->nodes[w->n_nodes++] = n;
    return 0;
}

/* Weight scales s[oc] of node i (one value repeated when per tensor). */
static void weight_scales(const fq_node_t *nd, int bits, int per_ch, double alpha, float *sc)
{
    int64_t per = nd->n_w / nd->oc;
    float qmax = (float)((1 << (bits - 1)) - 1), all = 0;
    for (int o = 0; o < nd->oc; o++) {
        float m = 0;
        for (int64_t k = 0; k < per; k++)
            m = fmaxf(m, fabsf(nd->va[o * per + k]));
        sc[o] = (m > 0 ? m : 1.0f) / qmax / (float)fabs(alpha);
        all = fmaxf(all, sc[o]);
    }
    for (int o = 0; !per_ch && o < nd->oc; o++)
        sc[o] = all;
}

/* Weights of conv / gemm node i: the integer-valued tensor W / (alpha s_c)
 * through Quant(scale 1, bits) (the importer's Quant takes scalar scales),
 * the node's output times s_c by a Mul (folded by the importer into the
 * layer's QuantNorm), and the bias divided by s_c (and beta). */
static int quant_weights(wctx_t *w, int i, Onnx__NodeProto *copy)
{
    const fq_node_t *nd = &w->q->nd[i];
    const Onnx__TensorProto *orig = pk_onnx_init(w->q->m, nd->n->input[nd->w_in]);
    int bits, per_ch, gemm = nd->op == FQ_GEMM, mm = gemm && nd->n->op_type[0] == 'M';
    weight_choice(w, i, &bits, &per_ch);
    int64_t per = nd->n_w / nd->oc;
    int gemm_t = mm || (gemm && pk_onnx_attr_i(nd->n, "transB", 0) != 1);
    double alpha = gemm && !mm ? pk_onnx_attr_f(nd->n, "alpha", 1.0) : 1.0;
    double beta = gemm && !mm ? pk_onnx_attr_f(nd->n, "beta", 1.0) : 1.0;
    float *v = malloc((size_t)nd->n_w * sizeof *v), *sc = malloc((size_t)nd->oc * sizeof *sc);
    float *b = malloc((size_t)nd->oc * sizeof *b), one = 1;
    int rc = v && sc && b && alpha != 0 ? 0 : -1;
    if (!rc) {
        weight_scales(nd, bits, per_ch, alpha, sc);
        for (int o = 0; o < nd->oc; o++) /* the model's layout */
            for (int64_t k = 0; k < per; k++)
                v[gemm_t ? k * nd->oc + o : o * per + k] = (float)(nd->va[o * per + k] / (alpha * sc[o]));
        for (int o = 0; nd->b && o < nd->oc; o++)
            b[o] = beta != 0 ? (float)(nd->b[o] / (sc[o] * beta)) : 0;
    }
    const char *base = nd->n->input[nd->w_in], *out = nd->n->output[0];
    const char *wf = ar_name(&w->a, base, "_fq"), *wq = ar_name(&w->a, base, "_fq_q");
    const char *sn = ar_name(&w->a, out, "_wscale"), *acc = ar_name(&w->a, out, "_acc");
    const char *bn = nd->b ? ar_name(&w->a, nd->n->input[2], "_fq") : NULL;
    char **o = ar_alloc(&w->a, sizeof *o);
    int64_t sd[3] = { nd->oc, 1, 1 };
    if (!rc && (!wf || !wq || !sn || !acc || !o || (nd->b && !bn)))
        rc = -1;
    if (!rc && (!new_tensor(w, wf, v, nd->n_w, orig->dims, (int)orig->n_dims) ||
                !new_tensor(w, sn, sc, nd->oc, sd, gemm ? 1 : 3) ||
                (nd->b && !new_tensor(w, bn, b, nd->oc, sd, 1))))
        rc = -1;
    free(v), free(sc), free(b);
    if (!rc)
        rc = add_quant(w, wf, wq, &one, 1, bits, 1, 1);
    if (!rc)
        rc = add_node2(w, "Mul", acc, sn, out);
    if (!rc) {
        copy->input[nd->w_in] = (char *)wq;
        if (nd->b)
            copy->input[2] = (char *)bn;
        o[0] = (char *)acc;
        copy->output = o;
    }
    return rc;
}

/* BatchNormalization i from the folded (a, b) pikequant holds (factorization
 * may have changed b): scale a sqrt(1 + eps), bias b, mean 0, variance 1. */
static int write_bn(wctx_t *w, int i, Onnx__NodeProto *copy)
{
    const fq_node_t *nd = &w->q->nd[i];
    double eps = pk_onnx_attr_f(nd->n, "epsilon", 1e-5);
    float *v = malloc((size_t)nd->c * 4 * sizeof *v);
    char **in = ar_alloc(&w->a, 5 * sizeof *in);
    int64_t d = nd->c;
    if (!v || !in) {
        free(v);
        return -1;
    }
    static const char *const suf[4] = { "_fq_scale", "_fq_bias", "_fq_mean", "_fq_var" };
    for (int c = 0; c < nd->c; c++) {
        v[c] = (float)(nd->va[c] * sqrt(1.0 + eps));
        v[nd->c + c] = nd->vb[c];
        v[2 * nd->c + c] = 0;
        v[3 * nd->c + c] = 1;
    }
    int rc = 0;
    in[0] = copy->input[0];
    for (int k = 0; k < 4 && !rc; k++) {
        in[k + 1] = ar_name(&w->a, nd->n->output[0], suf[k]);
        if (!in[k + 1] || !new_tensor(w, in[k + 1], v + k * nd->c, nd->c, &d, 1))
            rc = -1;
    }
    free(v);
    copy->input = in, copy->n_input = 5;
    return rc;
}

static int is_boundary(fq_op_t op)
{
    return op == FQ_CONV || op == FQ_GEMM || op == FQ_MAXPOOL || op == FQ_AVGPOOL ||
           op == FQ_GAP || op == FQ_ADD || op == FQ_CONCAT || op == FQ_FLAT || op == FQ_SOFTMAX ||
           op == FQ_ID;
}

static int is_float_value(const pk_fq_t *q, int v)
{
    if (v == 0)
        return 1;
    fq_op_t op = q->nd[v - 1].op;
    return !(op == FQ_MAXPOOL || op == FQ_FLAT || op == FQ_ID || op == FQ_CONCAT ||
             op == FQ_SOFTMAX);
}

/* Activation width of value v by its own position: 8 at the network's
 * edges, else the recipe's. */
static int own_act_bits(const wctx_t *w, int v)
{
    if (w->o->recipe == PK_FQ_W8A8 || v == 0 || v == w->q->out_v || v > w->last)
        return 8;
    for (int i = w->last; i < w->q->n; i++) /* read (through layout ops) by the last layer */
        if (w->q->nd[i].in[0] == v)
            return 8;
    const fq_node_t *L = &w->q->nd[w->last];
    for (int u = L->in[0]; u > 0 && !is_float_value(w->q, u); u = w->q->nd[u - 1].in[0])
        if (w->q->nd[u - 1].in[0] == v)
            return 8;
    return 4;
}

/* The width of value v: the operands of an Add / Concat share the widest
 * (the importer takes them at one quantization). */
static int act_bits(const wctx_t *w, int v)
{
    int b = own_act_bits(w, v);
    for (int i = 0; i < w->q->n; i++) {
        const fq_node_t *nd = &w->q->nd[i];
        if ((nd->op == FQ_ADD || nd->op == FQ_CONCAT) && (nd->in[0] == v || nd->in[1] == v))
            for (int k = 0; k < 2; k++) {
                int o = own_act_bits(w, nd->in[k]);
                b = o > b ? o : b;
            }
    }
    return b;
}

static int quant_act(wctx_t *w, int v, Onnx__GraphProto *g)
{
    pk_fq_t *q = w->q;
    const char *name = v == 0 ? NULL : q->nd[v - 1].n->output[0];
    for (size_t i = 0; !name && i < q->m->g->n_input; i++)
        if (!pk_onnx_init(q->m, q->m->g->input[i]->name))
            name = q->m->g->input[i]->name;
    int used = v == q->out_v;
    for (int i = 0; i < q->n; i++)
        for (int k = 0; k < q->nd[i].n_in; k++)
            used |= q->nd[i].in[k] == v && is_boundary(q->nd[i].op);
    if (!used || !is_float_value(q, v))
        return 0;
    const char *qn = ar_name(&w->a, name, "_q");
    int bits = act_bits(w, v), sgn = q->rng[v].mn < 0;
    float r = sgn ? q->rng[v].pmax : fminf(q->rng[v].pmax, q->rng[v].mx);
    float scale = (r > 0 ? r : 1.0f) / (float)(sgn ? (1 << (bits - 1)) - 1 : (1 << bits) - 1);
    if (!qn || add_quant(w, name, qn, &scale, 1, bits, sgn, 0))
        return -1;
    q->rng[v].qscale = scale;
    for (int i = 0; i < q->n; i++)
        for (int k = 0; k < q->nd[i].n_in; k++)
            if (q->nd[i].in[k] == v && is_boundary(q->nd[i].op))
                w->nodes[i]->input[k] = (char *)qn;
    if (v == q->out_v) {
        Onnx__ValueInfoProto *vi = ar_alloc(&w->a, sizeof *vi);
        if (!vi)
            return -1;
        *vi = *g->output[0];
        vi->name = (char *)qn;
        g->output[0] = vi;
    }
    return 0;
}

/* Add / Concat operands share the widest range. */
static void share_ranges(pk_fq_t *q)
{
    for (int i = 0; i < q->n; i++) {
        const fq_node_t *nd = &q->nd[i];
        if (nd->op != FQ_ADD && nd->op != FQ_CONCAT)
            continue;
        fq_range_t *a = &q->rng[nd->in[0]], *b = &q->rng[nd->in[1]];
        a->mn = b->mn = fminf(a->mn, b->mn);
        a->mx = b->mx = fmaxf(a->mx, b->mx);
        a->pmax = b->pmax = fmaxf(a->pmax, b->pmax);
    }
}

static int build(wctx_t *w, Onnx__GraphProto *g)
{
    pk_fq_t *q = w->q;
    w->first = w->last = -1;
    for (int i = 0; i < q->n; i++)
        if (q->nd[i].op == FQ_CONV || q->nd[i].op == FQ_GEMM) {
            if (w->first < 0)
                w->first = i;
            w->last = i;
        }
    for (int i = 0; i < q->n; i++) { /* node copies with their own input arrays */
        Onnx__NodeProto *c = ar_alloc(&w->a, sizeof *c);
        char **in = ar_alloc(&w->a, (q->nd[i].n->n_input + 1) * sizeof *in);
        if (!c || !in)
            return -1;
        *c = *q->nd[i].n;
        if (c->n_input)
            memcpy(in, c->input, c->n_input * sizeof *in);
        c->input = in;
        w->nodes[w->n_nodes++] = c;
    }
    share_ranges(q);
    for (int i = 0; i < q->n; i++)
        if ((q->nd[i].op == FQ_CONV || q->nd[i].op == FQ_GEMM) && quant_weights(w, i, w->nodes[i]))
            return -1;
    for (int i = 0; i < q->n; i++)
        if (q->nd[i].op == FQ_BN && write_bn(w, i, w->nodes[i]))
            return -1;
    for (int v = 0; v <= q->n; v++)
        if (quant_act(w, v, g))
            return -1;
    return 0;
}

static int write_file(const char *path, const uint8_t *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fwrite(buf, 1, n, f) != n;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

int pk_fq_write_qonnx(pk_fq_t *q, const pk_fq_opts_t *o, const char *path, pk_error_t *err)
{
    const Onnx__GraphProto *g0 = q->m->g;
    wctx_t w = { .q = q, .o = o };
    size_t max_new = (size_t)q->n * 3 + 2;
    w.nodes = ar_alloc(&w.a, ((size_t)q->n + max_new) * sizeof *w.nodes);
    w.inits = ar_alloc(&w.a, (g0->n_initializer + max_new * 5) * sizeof *w.inits);
    Onnx__GraphProto *g = ar_alloc(&w.a, sizeof *g);
    Onnx__ModelProto *m = ar_alloc(&w.a, sizeof *m);
    Onnx__ValueInfoProto **outs = ar_alloc(&w.a, sizeof *outs);
    Onnx__OperatorSetIdProto **ops =
        ar_alloc(&w.a, (q->m->model->n_opset_import + 1) * sizeof *ops);
    Onnx__OperatorSetIdProto *qops = ar_alloc(&w.a, sizeof *qops);
    int rc = -1;
    uint8_t *buf = NULL;
    if (w.nodes && w.inits && g && m && outs && ops && qops) {
        *g = *g0;
        *m = *q->m->model;
        if (g0->n_initializer)
            memcpy(w.inits, g0->initializer, g0->n_initializer * sizeof *w.inits);
        w.n_inits = g0->n_initializer;
        outs[0] = g0->output[0];
        g->output = outs;
        rc = build(&w, g);
    }
    if (!rc && !w.a.oom) {
        g->node = w.nodes, g->n_node = w.n_nodes;
        g->initializer = w.inits, g->n_initializer = w.n_inits;
        if (m->n_opset_import)
            memcpy(ops, m->opset_import, m->n_opset_import * sizeof *ops);
        onnx__operator_set_id_proto__init(qops);
        qops->domain = "qonnx.custom_op.general", qops->has_version = 1, qops->version = 1;
        ops[m->n_opset_import] = qops;
        m->opset_import = ops, m->n_opset_import++;
        m->graph = g;
        size_t n = onnx__model_proto__get_packed_size(m);
        buf = malloc(n ? n : 1);
        rc = buf ? 0 : -1;
        if (!rc)
            onnx__model_proto__pack(m, buf);
        if (!rc && write_file(path, buf, n))
            rc = pk_error_set(err, PK_EIO, path, 0, "model", "cannot write the quantized model");
    } else {
        rc = pk_error_set(err, PK_ENOMEM, q->m->path, 0, "model", "out of memory");
    }
    free(buf);
    for (size_t i = 0; i < w.a.n; i++)
        free(w.a.p[i]);
    free(w.a.p);
    return rc;
}
