/* pk_fq.c - pikequant: read a float ONNX model into the float executor's
 * node list (pk_fq_int.h), inferring every value's shape from the graph
 * input, and reading constant operands into owned float arrays.
 *
 * Design: one pass over the reader's topological order; each op has a small
 * setup function that checks its attributes and operands (an unsupported
 * attribute or operand is an error naming the node, as the importer does),
 * sets the output shape and reads its constants.  Execution lives in
 * pk_fq_exec.c, calibration and the QONNX writer in pk_fq_write.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pk_fq_int.h"

#define NERR(...) pk_onnx_node_err(q->m, nd->n, err, __VA_ARGS__)

int64_t fq_count(const pk_fq_t *q, int v)
{
    int c, h, w, f;
    fq_shape(q, v, &c, &h, &w, &f);
    return (int64_t)c * h * w;
}

void fq_shape(const pk_fq_t *q, int v, int *c, int *h, int *w, int *flat)
{
    if (v == 0) {
        *c = q->in_c, *h = q->in_h, *w = q->in_w, *flat = q->in_flat;
    } else {
        const fq_node_t *nd = &q->nd[v - 1];
        *c = nd->c, *h = nd->h, *w = nd->w, *flat = nd->flat;
    }
}

/* Value index of input k of nd, -1 for an initializer / absent, -2 unknown. */
static int value_of(const pk_fq_t *q, const Onnx__NodeProto *n, size_t k)
{
    if (k >= n->n_input || !n->input[k][0])
        return -1;
    const pk_onnx_slot_t *s = pk_onnx_value(q->m, n->input[k]);
    if (!s)
        return -2;
    if (s->src == PK_ONNX_SRC_INPUT)
        return 0;
    if (s->src == PK_ONNX_SRC_NODE)
        return q->pos[s->index] + 1;
    return -1;
}

static int value_of_name(const pk_fq_t *q, const char *name)
{
    const pk_onnx_slot_t *s = pk_onnx_value(q->m, name);
    return s && s->src == PK_ONNX_SRC_NODE ? q->pos[s->index] + 1 : -2;
}

typedef struct node_at {
    const Onnx__NodeProto *n;
    int at;
} node_at_t;

static int by_node(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const node_at_t *)a)->n, y = (uintptr_t)((const node_at_t *)b)->n;
    return x < y ? -1 : x > y;
}

/* q->pos: the reader's slots name a producer by its index in the graph's
 * node list; values are numbered by topological position (pk_fq_int.h). */
static int node_positions(pk_fq_t *q, pk_error_t *err)
{
    size_t n = q->m->g->n_node;
    node_at_t *t = malloc((n ? n : 1) * sizeof *t);
    q->pos = malloc((n ? n : 1) * sizeof *q->pos);
    if (!t || !q->pos) {
        free(t);
        return pk_error_set(err, PK_ENOMEM, q->m->path, 0, "model", "out of memory");
    }
    for (int i = 0; i < q->m->n_nodes; i++)
        t[i] = (node_at_t){ q->m->order[i], i };
    qsort(t, (size_t)q->m->n_nodes, sizeof *t, by_node);
    for (size_t j = 0; j < n; j++) {
        node_at_t key = { q->m->g->node[j], 0 };
        const node_at_t *f = bsearch(&key, t, (size_t)q->m->n_nodes, sizeof *t, by_node);
        q->pos[j] = f ? f->at : -2; /* -2: a Constant node (its value is a constant) */
    }
    free(t);
    return 0;
}

/* Constant input k as floats (count in *cnt), NULL when not a constant. */
static float *const_of(const pk_fq_t *q, const Onnx__NodeProto *n, size_t k, int64_t *cnt)
{
    *cnt = 0;
    if (k >= n->n_input)
        return NULL;
    const Onnx__TensorProto *t = pk_onnx_init(q->m, n->input[k]);
    if (!t)
        return NULL;
    int64_t c = pk_onnx_count(t);
    double *d = malloc((size_t)(c ? c : 1) * sizeof *d);
    float *f = malloc((size_t)(c ? c : 1) * sizeof *f);
    if (!d || !f) {
        free(d), free(f);
        return NULL;
    }
    pk_onnx_values(t, d, c);
    for (int64_t i = 0; i < c; i++)
        f[i] = (float)d[i];
    free(d);
    *cnt = c;
    return f;
}

static int in_shape(pk_fq_t *q, fq_node_t *nd, int k, int *c, int *h, int *w, int *flat)
{
    fq_shape(q, nd->in[k], c, h, w, flat);
    return 0;
}

static int setup_conv(pk_fq_t *q, fq_node_t *nd, pk_error_t *err)
{
    const Onnx__NodeProto *n = nd->n;
    int c, h, w, f;
    in_shape(q, nd, 0, &c, &h, &w, &f);
    if (f)
        return NERR("input is flat (N, K): Conv needs (N, C, H, W)");
    const Onnx__TensorProto *wt = n->n_input > 1 ? pk_onnx_init(q->m, n->input[1]) : NULL;
    if (!wt || wt->n_dims != 4)
        return NERR("weights must be a 4-D constant (initializer)");
    char ap[32] = "NOTSET";
    pk_onnx_attr_s(n, "auto_pad", ap, sizeof ap);
    if (strcmp(ap, "NOTSET") != 0)
        return NERR("auto_pad '%s' not supported (explicit pads)", ap);
    size_t k;
    const int64_t *dl = pk_onnx_attr_ints(n, "dilations", &k);
    for (size_t i = 0; dl && i < k; i++)
        if (dl[i] != 1)
            return NERR("dilations other than 1 are not supported");
    nd->group = (int)pk_onnx_attr_i(n, "group", 1);
    nd->oc = (int)wt->dims[0], nd->icg = (int)wt->dims[1];
    nd->kh = (int)wt->dims[2], nd->kw = (int)wt->dims[3];
    if (nd->group < 1 || c % nd->group || nd->oc % nd->group || nd->icg * nd->group != c)
        return NERR("group %d does not match %d input channels and weights %dx%d", nd->group, c,
                    nd->oc, nd->icg);
    const int64_t *st = pk_onnx_attr_ints(n, "strides", &k);
    nd->sh = st && k == 2 ? (int)st[0] : 1, nd->sw = st && k == 2 ? (int)st[1] : 1;
    const int64_t *pd = pk_onnx_attr_ints(n, "pads", &k);
    int pb = 0, pr = 0;
    nd->pt = nd->pl = 0;
    if (pd && k == 4)
        nd->pt = (int)pd[0], nd->pl = (int)pd[1], pb = (int)pd[2], pr = (int)pd[3];
    if (nd->sh < 1 || nd->sw < 1 || nd->pt < 0 || nd->pl < 0 || pb < 0 || pr < 0)
        return NERR("strides must be >= 1 and pads >= 0");
    nd->c = nd->oc;
    nd->h = (h + nd->pt + pb - nd->kh) / nd->sh + 1;
    nd->w = (w + nd->pl + pr - nd->kw) / nd->sw + 1;
    if (h + nd->pt + pb < nd->kh || w + nd->pl + pr < nd->kw)
        return NERR("kernel larger than the padded input");
    int64_t nb;
    nd->w_in = 1;
    nd->n_w = pk_onnx_count(wt);
    nd->b = const_of(q, n, 2, &nb);
    if (n->n_input > 2 && n->input[2][0] && (!nd->b || nb != nd->oc))
        return NERR("bias must be a constant of %d values", nd->oc);
    int64_t nw;
    float *wv = const_of(q, n, 1, &nw);
    if (!wv)
        return pk_error_set(err, PK_ENOMEM, q->m->path, 0, "model", "out of memory");
    nd->va = wv;
    return 0;
}

static int setup_gemm(pk_fq_t *q, fq_node_t *nd, int matmul, pk_error_t *err)
{
    const Onnx__NodeProto *n = nd->n;
    int64_t K = fq_count(q, nd->in[0]);
    const Onnx__TensorProto *bt = n->n_input > 1 ? pk_onnx_init(q->m, n->input[1]) : NULL;
    if (!bt || bt->n_dims != 2)
        return NERR("the right-hand operand must be a 2-D constant (initializer)");
    if (!matmul && (pk_onnx_attr_i(n, "transA", 0) != 0))
        return NERR("transA is not supported");
    int tb = matmul ? 0 : (int)pk_onnx_attr_i(n, "transB", 0);
    int64_t rows = bt->dims[0], cols = bt->dims[1];
    int64_t kk = tb ? cols : rows, N = tb ? rows : cols;
    if (kk != K)
        return NERR("weights %lldx%lld do not match an input of %lld values", (long long)rows,
                    (long long)cols, (long long)K);
    double alpha = matmul ? 1 : pk_onnx_attr_f(n, "alpha", 1.0);
    double beta = matmul ? 1 : pk_onnx_attr_f(n, "beta", 1.0);
    int64_t nb;
    float *B = const_of(q, n, 1, &nb);
    nd->va = malloc((size_t)(N * K) * sizeof *nd->va);
    if (!B || !nd->va) {
        free(B);
        return pk_error_set(err, PK_ENOMEM, q->m->path, 0, "model", "out of memory");
    }
    for (int64_t o = 0; o < N; o++)
        for (int64_t i = 0; i < K; i++)
            nd->va[o * K + i] = (float)(alpha * (tb ? B[o * K + i] : B[i * N + o]));
    free(B);
    nd->oc = (int)N, nd->icg = (int)K, nd->kh = nd->kw = 1, nd->group = 1;
    nd->n_w = N * K;
    nd->w_in = 1;
    if (!matmul && n->n_input > 2 && n->input[2][0]) {
        nd->b = const_of(q, n, 2, &nb);
        if (!nd->b || (nb != N && nb != 1))
            return NERR("bias C must be a constant of %lld values", (long long)N);
        if (nb == 1) {
            float v = nd->b[0];
            free(nd->b);
            nd->b = malloc((size_t)N * sizeof *nd->b);
            if (!nd->b)
                return pk_error_set(err, PK_ENOMEM, q->m->path, 0, "model", "out of memory");
            for (int64_t o = 0; o < N; o++)
                nd->b[o] = v;
        }
        for (int64_t o = 0; o < N; o++)
            nd->b[o] = (float)(beta * nd->b[o]);
    }
    nd->c = (int)N, nd->h = nd->w = 1, nd->flat = 1;
    return 0;
}

/* A per-channel (or single) constant operand k into nd->va. */
static int chan_const(pk_fq_t *q, fq_node_t *nd, size_t k, float **out, pk_error_t *err)
{
    int64_t cnt;
    *out = const_of(q, nd->n, k, &cnt);
    if (!*out || (cnt != 1 && cnt != nd->c))
        return NERR("input %zu must be a constant of 1 or %d values (per channel)", k, nd->c);
    nd->n_v = cnt;
    return 0;
}

static int setup_bn(pk_fq_t *q, fq_node_t *nd, pk_error_t *err)
{
    float *s = NULL, *b = NULL, *mu = NULL, *var = NULL;
    int rc = chan_const(q, nd, 1, &s, err);
    if (!rc)
        rc = chan_const(q, nd, 2, &b, err);
    if (!rc)
        rc = chan_const(q, nd, 3, &mu, err);
    if (!rc)
        rc = chan_const(q, nd, 4, &var, err);
    if (!rc && nd->n_v != nd->c)
        rc = NERR("scale, bias, mean and variance need one value per channel");
    double eps = pk_onnx_attr_f(nd->n, "epsilon", 1e-5);
    for (int i = 0; !rc && i < nd->c; i++) {
        double a = s[i] / sqrt((double)var[i] + eps);
        s[i] = (float)a;
        b[i] = (float)(b[i] - mu[i] * a);
    }
    free(mu), free(var);
    nd->va = s, nd->vb = b;
    return rc;
}

static int setup_pool(pk_fq_t *q, fq_node_t *nd, pk_error_t *err)
{
    const Onnx__NodeProto *n = nd->n;
    size_t k;
    const int64_t *ks = pk_onnx_attr_ints(n, "kernel_shape", &k);
    if (!ks || k != 2)
        return NERR("kernel_shape must have 2 values");
    nd->kh = (int)ks[0], nd->kw = (int)ks[1];
    const int64_t *st = pk_onnx_attr_ints(n, "strides", &k);
    nd->sh = st && k == 2 ? (int)st[0] : 1, nd->sw = st && k == 2 ? (int)st[1] : 1;
    const int64_t *pd = pk_onnx_attr_ints(n, "pads", &k);
    int pb = 0, pr = 0;
    if (pd && k == 4)
        nd->pt = (int)pd[0], nd->pl = (int)pd[1], pb = (int)pd[2], pr = (int)pd[3];
    if (pk_onnx_attr_i(n, "ceil_mode", 0))
        return NERR("ceil_mode 1 is not supported");
    nd->count_pad = (int)pk_onnx_attr_i(n, "count_include_pad", 0);
    if (nd->kh < 1 || nd->kw < 1 || nd->sh < 1 || nd->sw < 1 || nd->h + nd->pt + pb < nd->kh ||
        nd->w + nd->pl + pr < nd->kw)
        return NERR("window %dx%d stride %dx%d does not fit the input", nd->kh, nd->kw, nd->sh,
                    nd->sw);
    nd->h = (nd->h + nd->pt + pb - nd->kh) / nd->sh + 1;
    nd->w = (nd->w + nd->pl + pr - nd->kw) / nd->sw + 1;
    return 0;
}

static int setup_clip(pk_fq_t *q, fq_node_t *nd, pk_error_t *err)
{
    nd->lo = -INFINITY, nd->hi = INFINITY;
    if (q->m->opset < 11) {
        nd->lo = (float)pk_onnx_attr_f(nd->n, "min", -INFINITY);
        nd->hi = (float)pk_onnx_attr_f(nd->n, "max", INFINITY);
        return 0;
    }
    for (size_t k = 1; k < 3 && k < nd->n->n_input; k++) {
        if (!nd->n->input[k][0])
            continue;
        int64_t cnt;
        float *v = const_of(q, nd->n, k, &cnt);
        if (!v || cnt != 1) {
            free(v);
            return NERR("min / max must be constant scalars");
        }
        *(k == 1 ? &nd->lo : &nd->hi) = v[0];
        free(v);
    }
    return 0;
}

/* Two-operand ops: Add / Mul / Div with a constant, Add / Concat of tensors. */
static int setup_binary(pk_fq_t *q, fq_node_t *nd, const char *op, pk_error_t *err)
{
    int a = value_of(q, nd->n, 0), b = value_of(q, nd->n, 1);
    int is_cat = strcmp(op, "Concat") == 0;
    if (a >= 0 && b >= 0) {
        if (strcmp(op, "Add") != 0 && !is_cat)
            return NERR("%s of two tensors is not supported (only by a constant)", op);
        if (nd->n->n_input != 2)
            return NERR("only two inputs are supported");
        int c2, h2, w2, f2;
        fq_shape(q, b, &c2, &h2, &w2, &f2);
        if (is_cat && (pk_onnx_attr_i(nd->n, "axis", 1) != 1 || h2 != nd->h || w2 != nd->w))
            return NERR("only the channel axis (1) of equal-size maps is supported");
        if (!is_cat && (c2 != nd->c || h2 != nd->h || w2 != nd->w))
            return NERR("operands of different shapes (broadcasting is not supported)");
        nd->in[1] = b, nd->n_in = 2;
        nd->op = is_cat ? FQ_CONCAT : FQ_ADD;
        if (is_cat)
            nd->c += c2;
        return 0;
    }
    if (is_cat)
        return NERR("Concat of a constant is not supported");
    if (a < 0) { /* constant first: only commutative ops */
        if (strcmp(op, "Div") == 0 || b < 0)
            return NERR("needs a tensor as its first input");
        nd->in[0] = b;
        fq_shape(q, b, &nd->c, &nd->h, &nd->w, &nd->flat);
    }
    float *v = NULL;
    int rc = chan_const(q, nd, a < 0 ? 0 : 1, &v, err);
    if (rc) {
        free(v);
        return rc;
    }
    if (strcmp(op, "Div") == 0)
        for (int64_t i = 0; i < nd->n_v; i++)
            v[i] = 1.0f / v[i];
    nd->va = v;
    nd->op = strcmp(op, "Add") == 0 ? FQ_ADDC : FQ_MULC;
    return 0;
}

static int setup_layout(pk_fq_t *q, fq_node_t *nd, const char *op, pk_error_t *err)
{
    if (strcmp(op, "Flatten") == 0 && pk_onnx_attr_i(nd->n, "axis", 1) != 1)
        return NERR("only axis 1 is supported");
    if (strcmp(op, "Transpose") == 0 && !(nd->h == 1 && nd->w == 1))
        return NERR("a transpose that moves data is not supported (only on 1 x 1 maps)");
    if (strcmp(op, "Reshape") == 0) {
        int64_t cnt;
        float *s = const_of(q, nd->n, 1, &cnt);
        int ok = s && cnt == 2 && (s[1] == (float)fq_count(q, nd->in[0]) || s[1] == -1);
        free(s);
        if (!ok)
            return NERR("only a reshape to (N, C*H*W) is supported");
    }
    nd->c = (int)fq_count(q, nd->in[0]), nd->h = nd->w = 1, nd->flat = 1;
    nd->op = FQ_FLAT;
    return 0;
}

static int setup_node(pk_fq_t *q, fq_node_t *nd, pk_error_t *err)
{
    const char *op = nd->n->op_type;
    if (nd->n->domain && nd->n->domain[0] && strcmp(nd->n->domain, "ai.onnx") != 0)
        return NERR("op of domain '%.60s' in a float model is not supported", nd->n->domain);
    if (nd->n->n_output != 1)
        return NERR("%zu outputs: only single-output ops are supported", nd->n->n_output);
    nd->in[0] = value_of(q, nd->n, 0), nd->in[1] = -1, nd->n_in = 1;
    if (nd->in[0] < 0)
        return NERR("the first input must be a tensor computed from the graph input");
    fq_shape(q, nd->in[0], &nd->c, &nd->h, &nd->w, &nd->flat);
    if (!strcmp(op, "Conv"))
        return nd->op = FQ_CONV, setup_conv(q, nd, err);
    if (!strcmp(op, "Gemm") || !strcmp(op, "MatMul"))
        return nd->op = FQ_GEMM, setup_gemm(q, nd, !strcmp(op, "MatMul"), err);
    if (!strcmp(op, "BatchNormalization"))
        return nd->op = FQ_BN, setup_bn(q, nd, err);
    if (!strcmp(op, "Relu"))
        return nd->op = FQ_RELU, 0;
    if (!strcmp(op, "Clip"))
        return nd->op = FQ_CLIP, setup_clip(q, nd, err);
    if (!strcmp(op, "PRelu"))
        return nd->op = FQ_PRELU, chan_const(q, nd, 1, &nd->va, err);
    if (!strcmp(op, "MaxPool") || !strcmp(op, "AveragePool"))
        return nd->op = !strcmp(op, "MaxPool") ? FQ_MAXPOOL : FQ_AVGPOOL, setup_pool(q, nd, err);
    if (!strcmp(op, "GlobalAveragePool"))
        return nd->op = FQ_GAP, nd->h = nd->w = 1, 0;
    if (!strcmp(op, "Add") || !strcmp(op, "Mul") || !strcmp(op, "Div") || !strcmp(op, "Concat"))
        return setup_binary(q, nd, op, err);
    if (!strcmp(op, "Flatten") || !strcmp(op, "Reshape") || !strcmp(op, "Transpose"))
        return setup_layout(q, nd, op, err);
    if (!strcmp(op, "Identity"))
        return nd->op = FQ_ID, 0;
    if (!strcmp(op, "Softmax"))
        return nd->op = FQ_SOFTMAX, nd->c = (int)fq_count(q, nd->in[0]), nd->h = nd->w = 1,
               nd->flat = 1, 0;
    return NERR("op type not supported by pikequant (float model ops: Conv, Gemm, MatMul, "
                "BatchNormalization, Relu, Clip, PRelu, pools, Add, Mul, Div, Concat, layout)");
}

/* Every constant of nd finite and below 1e30 in magnitude (scales derived
 * from them must stay finite). */
static int finite_consts(const fq_node_t *nd)
{
    int64_t nw = nd->op == FQ_CONV || nd->op == FQ_GEMM ? nd->n_w : nd->n_v;
    int64_t nb = nd->op == FQ_CONV || nd->op == FQ_GEMM ? nd->oc : 0;
    for (int64_t i = 0; nd->va && i < nw; i++)
        if (!(fabsf(nd->va[i]) < 1e30f))
            return 0;
    for (int64_t i = 0; nd->vb && i < nd->n_v; i++)
        if (!(fabsf(nd->vb[i]) < 1e30f))
            return 0;
    for (int64_t i = 0; nd->b && i < nb; i++)
        if (!(fabsf(nd->b[i]) < 1e30f))
            return 0;
    return !(nd->lo > nd->hi);
}

static int graph_input(pk_fq_t *q, pk_error_t *err)
{
    const Onnx__GraphProto *g = q->m->g;
    const Onnx__ValueInfoProto *vi = NULL;
    for (size_t i = 0; i < g->n_input; i++)
        if (!pk_onnx_init(q->m, g->input[i]->name)) {
            if (vi)
                return pk_error_set(err, PK_EINPUT, q->m->path, 0, "graph input",
                                    "more than one input: Pike networks have one");
            vi = g->input[i];
        }
    const Onnx__TypeProto__Tensor *tt = vi && vi->type ? vi->type->tensor_type : NULL;
    if (!tt || !tt->shape || (tt->shape->n_dim != 2 && tt->shape->n_dim != 4) ||
        tt->elem_type != PK_ONNX_FLOAT)
        return pk_error_set(err, PK_EINPUT, q->m->path, 0, "graph input",
                            "need one float input of shape (N, C, H, W) or (N, K)");
    int64_t d[4] = { 1, 1, 1, 1 };
    for (size_t i = 1; i < tt->shape->n_dim; i++) {
        const Onnx__TensorShapeProto__Dimension *x = tt->shape->dim[i];
        d[i] = x->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE ? x->dim_value
                                                                                     : -1;
        if (d[i] < 1 || d[i] > 4096)
            return pk_error_set(err, PK_EINPUT, q->m->path, 0, "graph input",
                                "'%.100s': dimension %zu must be a number in [1, 4096]",
                                vi->name, i);
    }
    q->in_c = (int)d[1], q->in_h = (int)d[2], q->in_w = (int)d[3];
    q->in_flat = tt->shape->n_dim == 2;
    return 0;
}

int pk_fq_load(const char *path, pk_fq_t **out, pk_error_t *err)
{
    *out = NULL;
    pk_fq_t *q = calloc(1, sizeof *q);
    if (!q)
        return pk_error_set(err, PK_ENOMEM, path, 0, "model", "out of memory");
    int rc = pk_onnx_load(path, &q->m, err);
    if (!rc)
        rc = node_positions(q, err);
    if (!rc)
        rc = graph_input(q, err);
    if (!rc) {
        q->n = q->m->n_nodes;
        q->nd = calloc((size_t)q->n + 1, sizeof *q->nd);
        q->buf = calloc((size_t)q->n + 1, sizeof *q->buf);
        q->rng = calloc((size_t)q->n + 1, sizeof *q->rng);
        if (!q->nd || !q->buf || !q->rng)
            rc = pk_error_set(err, PK_ENOMEM, path, 0, "model", "out of memory");
    }
    for (int i = 0; !rc && i < q->n; i++) {
        q->nd[i].n = q->m->order[i];
        rc = setup_node(q, &q->nd[i], err);
        if (!rc && !finite_consts(&q->nd[i]))
            rc = pk_onnx_node_err(q->m, q->nd[i].n, err,
                                  "a constant operand is not a finite number (or too large)");
        if (!rc && fq_count(q, i + 1) > (1LL << 26))
            rc = pk_onnx_node_err(q->m, q->nd[i].n, err, "output too large");
    }
    if (!rc) {
        int v = q->m->g->n_output == 1 ? (int)value_of_name(q, q->m->g->output[0]->name) : -2;
        if (v < 1)
            rc = pk_error_set(err, PK_EINPUT, path, 0, "graph output",
                              "need exactly one output computed by a node");
        q->out_v = v;
    }
    for (int v = 0; !rc && v <= q->n; v++) {
        q->buf[v] = calloc((size_t)fq_count(q, v), sizeof **q->buf);
        if (!q->buf[v])
            rc = pk_error_set(err, PK_ENOMEM, path, 0, "model", "out of memory");
    }
    if (rc) {
        pk_fq_free(q);
        return rc;
    }
    *out = q;
    return 0;
}

void pk_fq_free(pk_fq_t *q)
{
    if (!q)
        return;
    for (int i = 0; q->nd && i < q->n; i++)
        free(q->nd[i].b), free(q->nd[i].va), free(q->nd[i].vb);
    for (int v = 0; q->buf && v <= q->n; v++)
        free(q->buf[v]);
    free(q->nd), free(q->buf), free(q->rng), free(q->pos);
    pk_onnx_free(q->m);
    free(q);
}

int64_t pk_fq_in_count(const pk_fq_t *q)
{
    return fq_count(q, 0);
}

int64_t pk_fq_out_count(const pk_fq_t *q)
{
    return fq_count(q, q->out_v);
}

/* The importer's layer name for a node name (pk_onnx_emit.c name_layers). */
static void pike_name_of(const char *src, char *out, size_t len)
{
    size_t k = 0;
    for (; *src && k < 40 && k + 1 < len; src++) {
        char c = *src;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.';
        out[k++] = ok ? c : '_';
    }
    out[k] = 0;
}

int pk_fq_layer_value(const pk_fq_t *q, const char *pike_name)
{
    for (int i = 0; i < q->n; i++) {
        const fq_node_t *nd = &q->nd[i];
        char nm[64];
        pike_name_of(pk_onnx_node_name(nd->n), nm, sizeof nm);
        if ((nd->op != FQ_CONV && nd->op != FQ_GEMM) || strcmp(nm, pike_name) != 0)
            continue;
        int v = i + 1;
        for (int moved = 1; moved;) {
            moved = 0;
            for (int u = 0; u < q->n; u++) {
                fq_op_t op = q->nd[u].op;
                if (q->nd[u].in[0] == v && (op == FQ_BN || op == FQ_RELU || op == FQ_CLIP ||
                                            op == FQ_PRELU || op == FQ_ADDC || op == FQ_MULC)) {
                    v = u + 1, moved = 1;
                    break;
                }
            }
        }
        return q->rng[v].qscale > 0 ? v : -1;
    }
    return -1;
}

const float *pk_fq_value(const pk_fq_t *q, int v, int *c, int *h, int *w, double *scale)
{
    int f;
    fq_shape(q, v, c, h, w, &f);
    *scale = q->rng[v].qscale;
    return q->buf[v];
}
