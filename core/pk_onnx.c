/* pk_onnx.c - ONNX model reader (see pk_onnx.h).
 *
 * Design: the whole file is read into memory (bounded by PK_ONNX_MAX_FILE)
 * and decoded by the protobuf-c code generated from Debian's onnx.proto;
 * protobuf-c refuses truncated and malformed wire data.  Then, in order:
 * opsets, initializers (and Constant nodes, which are treated as
 * initializers), the value table (one open-addressing hash table from value
 * name to its source), and Kahn's topological sort over the nodes, which
 * also finds inputs nobody produces and cycles.  Every check happens here,
 * before the importer looks at a single node, so the importer can assume a
 * well-formed graph and only has to judge the semantics.
 */
#include "pk_onnx_int.h"
#include "pk_fnv1a.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MERR(field, ...) pk_error_set(err, PK_EINPUT, m->path, 0, field, __VA_ARGS__)

static const char *const qonnx_domains[] = {
    "qonnx.custom_op.general", "finn.custom_op.general", "onnx.brevitas", "qonnx.custom_op",
};

/* ---- value table --------------------------------------------------------- */

static pk_onnx_slot_t *slot_find(const pk_onnx_t *m, const char *key, int create)
{
    size_t mask = m->tab_cap - 1;
    for (size_t i = (size_t)pk_fnv1a64_str(key) & mask;; i = (i + 1) & mask) {
        pk_onnx_slot_t *s = &m->tab[i];
        if (!s->key) {
            if (!create)
                return NULL;
            s->key = key;
            return s;
        }
        if (strcmp(s->key, key) == 0)
            return s;
    }
}

const pk_onnx_slot_t *pk_onnx_value(const pk_onnx_t *m, const char *name)
{
    return name && *name ? slot_find(m, name, 0) : NULL;
}

const Onnx__TensorProto *pk_onnx_init(const pk_onnx_t *m, const char *name)
{
    const pk_onnx_slot_t *s = pk_onnx_value(m, name);
    return s && s->src == PK_ONNX_SRC_INIT ? s->tensor : NULL;
}

/* ---- tensors --------------------------------------------------------------- */

static int elem_bytes(int32_t dt)
{
    switch (dt) {
    case PK_ONNX_UINT8: case PK_ONNX_INT8: return 1;
    case PK_ONNX_UINT16: case PK_ONNX_INT16: return 2;
    case PK_ONNX_FLOAT: case PK_ONNX_INT32: return 4;
    case PK_ONNX_INT64: case PK_ONNX_DOUBLE: return 8;
    default: return 0;
    }
}

int64_t pk_onnx_count(const Onnx__TensorProto *t)
{
    int64_t n = 1;
    for (size_t i = 0; i < t->n_dims; i++)
        n *= t->dims[i];
    return n;
}

/* Elements stored in the typed (non-raw) field the data type uses. */
static size_t typed_count(const Onnx__TensorProto *t)
{
    switch (t->data_type) {
    case PK_ONNX_FLOAT: return t->n_float_data;
    case PK_ONNX_INT64: return t->n_int64_data;
    case PK_ONNX_DOUBLE: return t->n_double_data;
    default: return t->n_int32_data; /* (u)int8/16, int32 */
    }
}

static int check_tensor(const pk_onnx_t *m, const Onnx__TensorProto *t, const char *what,
                        pk_error_t *err)
{
    char field[300];
    snprintf(field, sizeof field, "%s %.200s", what, t->name ? t->name : "");
    if (t->has_data_location && t->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
        return MERR(field, "external data is not supported: save the model with its tensors "
                           "inside the .onnx file (onnx.save(..., save_as_external_data=False))");
    if (t->segment)
        return MERR(field, "segmented tensors are not supported");
    int eb = elem_bytes(t->data_type);
    if (!eb)
        return MERR(field, "data type %d not supported (float, double, int8, uint8, int16, "
                           "uint16, int32, int64)", (int)t->data_type);
    int64_t n = 1;
    for (size_t i = 0; i < t->n_dims; i++) {
        if (t->dims[i] < 0 || t->dims[i] > PK_ONNX_MAX_ELEMS)
            return MERR(field, "dimension %zu is %lld (must be in [0, %lld])", i,
                        (long long)t->dims[i], (long long)PK_ONNX_MAX_ELEMS);
        n *= t->dims[i];
        if (n > PK_ONNX_MAX_ELEMS)
            return MERR(field, "more than %lld elements", (long long)PK_ONNX_MAX_ELEMS);
    }
    if (t->n_dims > 8)
        return MERR(field, "%zu dimensions (at most 8)", t->n_dims);
    if (t->has_raw_data) {
        if ((int64_t)t->raw_data.len != n * eb)
            return MERR(field, "raw data has %zu bytes, the dims need %lld", t->raw_data.len,
                        (long long)(n * eb));
    } else if ((int64_t)typed_count(t) != n) {
        return MERR(field, "%zu stored elements, the dims need %lld", typed_count(t), (long long)n);
    }
    return 0;
}

static double raw_elem(const uint8_t *p, int32_t dt)
{
    uint64_t u = 0;
    int eb = elem_bytes(dt);
    for (int i = eb - 1; i >= 0; i--)
        u = (u << 8) | p[i];
    switch (dt) {
    case PK_ONNX_UINT8: return (double)(uint8_t)u;
    case PK_ONNX_INT8: return (double)(int8_t)(uint8_t)u;
    case PK_ONNX_UINT16: return (double)(uint16_t)u;
    case PK_ONNX_INT16: return (double)(int16_t)(uint16_t)u;
    case PK_ONNX_INT32: return (double)(int32_t)(uint32_t)u;
    case PK_ONNX_INT64: return (double)(int64_t)u;
    case PK_ONNX_FLOAT: {
        uint32_t w = (uint32_t)u;
        float f;
        memcpy(&f, &w, 4);
        return f;
    }
    default: {
        double d;
        memcpy(&d, &u, 8);
        return d;
    }
    }
}

void pk_onnx_values(const Onnx__TensorProto *t, double *out, int64_t n)
{
    int eb = elem_bytes(t->data_type);
    for (int64_t i = 0; i < n; i++) {
        if (t->has_raw_data)
            out[i] = raw_elem(t->raw_data.data + i * eb, t->data_type);
        else if (t->data_type == PK_ONNX_FLOAT)
            out[i] = t->float_data[i];
        else if (t->data_type == PK_ONNX_INT64)
            out[i] = (double)t->int64_data[i];
        else if (t->data_type == PK_ONNX_DOUBLE)
            out[i] = t->double_data[i];
        else if (t->data_type == PK_ONNX_UINT8 || t->data_type == PK_ONNX_UINT16)
            out[i] = (double)(uint32_t)t->int32_data[i];
        else
            out[i] = t->int32_data[i];
    }
}

/* ---- attributes -------------------------------------------------------------- */

static const Onnx__AttributeProto *attr(const Onnx__NodeProto *n, const char *name)
{
    for (size_t i = 0; i < n->n_attribute; i++)
        if (n->attribute[i]->name && strcmp(n->attribute[i]->name, name) == 0)
            return n->attribute[i];
    return NULL;
}

int64_t pk_onnx_attr_i(const Onnx__NodeProto *n, const char *name, int64_t def)
{
    const Onnx__AttributeProto *a = attr(n, name);
    return a && a->has_i ? a->i : def;
}

double pk_onnx_attr_f(const Onnx__NodeProto *n, const char *name, double def)
{
    const Onnx__AttributeProto *a = attr(n, name);
    return a && a->has_f ? a->f : def;
}

const int64_t *pk_onnx_attr_ints(const Onnx__NodeProto *n, const char *name, size_t *count)
{
    const Onnx__AttributeProto *a = attr(n, name);
    *count = a ? a->n_ints : 0;
    return a && a->n_ints ? a->ints : NULL;
}

const char *pk_onnx_attr_s(const Onnx__NodeProto *n, const char *name, char *buf, size_t len)
{
    const Onnx__AttributeProto *a = attr(n, name);
    if (!a || !a->has_s)
        return NULL;
    size_t k = a->s.len < len - 1 ? a->s.len : len - 1;
    memcpy(buf, a->s.data, k);
    buf[k] = 0;
    return buf;
}

const char *pk_onnx_node_name(const Onnx__NodeProto *n)
{
    if (n->name && *n->name)
        return n->name;
    return n->n_output && n->output[0] ? n->output[0] : "?";
}

int pk_onnx_node_err(const pk_onnx_t *m, const Onnx__NodeProto *n, pk_error_t *err,
                     const char *fmt, ...)
{
    char field[256], msg[1024];
    snprintf(field, sizeof field, "node %.180s (%.60s)", pk_onnx_node_name(n),
             n->op_type ? n->op_type : "?");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pk_error_set(err, PK_EINPUT, m->path, 0, field, "%s", msg);
}

/* ---- load -------------------------------------------------------------------- */

static int read_file(const char *path, uint8_t **buf, size_t *len, pk_error_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pk_error_set(err, errno == ENOENT ? PK_EINPUT : PK_EIO, path, 0, "model",
                            "cannot open: %s", strerror(errno));
    int rc = 0;
    long sz = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        sz = ftell(f);
    if (sz < 0 || fseek(f, 0, SEEK_SET) != 0)
        rc = pk_error_set(err, PK_EINPUT, path, 0, "model", "not a regular, seekable file");
    else if ((long long)sz > PK_ONNX_MAX_FILE)
        rc = pk_error_set(err, PK_EINPUT, path, 0, "model", "file of %ld bytes (at most %lld)",
                          sz, (long long)PK_ONNX_MAX_FILE);
    else if (sz == 0)
        rc = pk_error_set(err, PK_EINPUT, path, 0, "model", "empty file (not an ONNX model)");
    if (!rc) {
        *buf = malloc((size_t)sz);
        *len = (size_t)sz;
        if (!*buf)
            rc = pk_error_set(err, PK_ENOMEM, path, 0, "model", "out of memory");
        else if (fread(*buf, 1, *len, f) != *len)
            rc = pk_error_set(err, PK_EIO, path, 0, "model", "read failed");
    }
    fclose(f);
    return rc;
}

static int check_opsets(pk_onnx_t *m, pk_error_t *err)
{
    const Onnx__ModelProto *mp = m->model;
    m->opset = -1;
    for (size_t i = 0; i < mp->n_opset_import; i++) {
        const Onnx__OperatorSetIdProto *o = mp->opset_import[i];
        const char *d = o->domain ? o->domain : "";
        if (!*d || strcmp(d, "ai.onnx") == 0) {
            m->opset = o->has_version ? (int)o->version : -1;
            continue;
        }
        int ok = 0;
        for (size_t k = 0; k < sizeof qonnx_domains / sizeof *qonnx_domains; k++)
            ok |= strcmp(d, qonnx_domains[k]) == 0;
        if (!ok)
            return MERR("opset", "domain '%.100s' not supported (the default ONNX domain and "
                                 "the QONNX domains are)", d);
    }
    if (m->opset < PK_ONNX_MIN_OPSET || m->opset > PK_ONNX_MAX_OPSET)
        return MERR("opset", "default-domain opset %d not supported (need %d to %d)", m->opset,
                    PK_ONNX_MIN_OPSET, PK_ONNX_MAX_OPSET);
    return 0;
}

static int add_value(pk_onnx_t *m, const char *name, pk_onnx_src_t src, int index,
                     const Onnx__TensorProto *t, const Onnx__NodeProto *node, pk_error_t *err)
{
    if (!name || !*name)
        return node ? pk_onnx_node_err(m, node, err, "an output has an empty name")
                    : MERR("graph", "a value has an empty name");
    pk_onnx_slot_t *s = slot_find(m, name, 1);
    if (s->src == PK_ONNX_SRC_INPUT && src == PK_ONNX_SRC_INIT) {
        s->src = src; /* a graph input with a default value: a constant */
        s->tensor = t;
        return 0;
    }
    if (s->src != PK_ONNX_SRC_NONE) {
        if (node)
            return pk_onnx_node_err(m, node, err, "output '%.200s' is already produced "
                                    "elsewhere (every value must have one producer)", name);
        return MERR("graph", "value '%.200s' is defined twice", name);
    }
    s->src = src;
    s->index = index;
    s->tensor = t;
    return 0;
}

static int is_constant(const Onnx__NodeProto *nd)
{
    return strcmp(nd->op_type, "Constant") == 0 && (!nd->domain || !*nd->domain);
}

static const Onnx__TensorProto *constant_value(const Onnx__NodeProto *n)
{
    const Onnx__AttributeProto *a = attr(n, "value");
    return a ? a->t : NULL;
}

static int build_table(pk_onnx_t *m, pk_error_t *err)
{
    const Onnx__GraphProto *g = m->g;
    size_t need = g->n_initializer + g->n_input + 1;
    for (size_t i = 0; i < g->n_node; i++)
        need += g->node[i]->n_output;
    m->tab_cap = 16;
    while (m->tab_cap < 2 * need)
        m->tab_cap *= 2;
    m->tab = calloc(m->tab_cap, sizeof *m->tab);
    if (!m->tab)
        return pk_error_set(err, PK_ENOMEM, m->path, 0, "model", "out of memory");
    int rc = 0;
    for (size_t i = 0; i < g->n_input && !rc; i++)
        rc = add_value(m, g->input[i]->name, PK_ONNX_SRC_INPUT, (int)i, NULL, NULL, err);
    for (size_t i = 0; i < g->n_initializer && !rc; i++) {
        rc = check_tensor(m, g->initializer[i], "initializer", err);
        if (!rc)
            rc = add_value(m, g->initializer[i]->name, PK_ONNX_SRC_INIT, (int)i,
                           g->initializer[i], NULL, err);
    }
    for (size_t i = 0; i < g->n_node && !rc; i++) {
        const Onnx__NodeProto *n = g->node[i];
        if (!n->op_type || !*n->op_type)
            return pk_onnx_node_err(m, n, err, "empty op_type");
        if (is_constant(n)) {
            const Onnx__TensorProto *t = constant_value(n);
            if (!t || n->n_output != 1)
                return pk_onnx_node_err(m, n, err, "only Constant nodes with a 'value' tensor "
                                        "and one output are supported");
            rc = check_tensor(m, t, "constant", err);
            if (!rc)
                rc = add_value(m, n->output[0], PK_ONNX_SRC_INIT, -1, t, n, err);
            continue;
        }
        for (size_t k = 0; k < n->n_output && !rc; k++)
            if (n->output[k] && *n->output[k]) /* empty = optional output not used */
                rc = add_value(m, n->output[k], PK_ONNX_SRC_NODE, (int)i, NULL, n, err);
    }
    return rc;
}

/* Consumer lists (CSR): for producer node p, cons[off[p] .. off[p+1]) are the
 * nodes reading one of its outputs (once per input slot). */
typedef struct edges {
    int *off, *cons;
} edges_t;

/* Count resolved inputs and check every input exists; fills pending[]. */
static int count_inputs(pk_onnx_t *m, int *pending, int *deg, pk_error_t *err)
{
    const Onnx__GraphProto *g = m->g;
    for (size_t i = 0; i < g->n_node; i++) {
        const Onnx__NodeProto *nd = g->node[i];
        if (is_constant(nd)) {
            pending[i] = -1;
            continue;
        }
        for (size_t k = 0; k < nd->n_input; k++) {
            if (!nd->input[k] || !*nd->input[k])
                continue; /* optional input left out */
            pk_onnx_slot_t *s = slot_find(m, nd->input[k], 0);
            if (!s)
                return pk_onnx_node_err(m, nd, err, "input '%.200s' is produced by no node, "
                                        "initializer or graph input (missing initializer?)",
                                        nd->input[k]);
            s->consumers++;
            if (s->src == PK_ONNX_SRC_NODE) {
                pending[i]++;
                deg[s->index]++;
            }
        }
    }
    return 0;
}

static void fill_edges(const pk_onnx_t *m, edges_t *e, int *deg)
{
    const Onnx__GraphProto *g = m->g;
    size_t n = g->n_node;
    e->off[0] = 0;
    for (size_t i = 0; i < n; i++)
        e->off[i + 1] = e->off[i] + deg[i];
    memset(deg, 0, n * sizeof *deg);
    for (size_t i = 0; i < n; i++) {
        const Onnx__NodeProto *nd = g->node[i];
        if (is_constant(nd))
            continue;
        for (size_t k = 0; k < nd->n_input; k++) {
            const pk_onnx_slot_t *s = pk_onnx_value(m, nd->input[k]);
            if (s && s->src == PK_ONNX_SRC_NODE)
                e->cons[e->off[s->index] + deg[s->index]++] = (int)i;
        }
    }
}

/* Kahn's algorithm: order[] gets the non-Constant nodes, producers first. */
static int topo_sort(pk_onnx_t *m, pk_error_t *err)
{
    size_t n = m->g->n_node, cap = n ? n : 1;
    int *pending = calloc(cap, sizeof *pending); /* unresolved inputs per node */
    int *deg = calloc(cap, sizeof *deg);
    int *queue = malloc(cap * sizeof *queue);
    edges_t e = { malloc((cap + 1) * sizeof *e.off), NULL };
    m->order = malloc(cap * sizeof *m->order);
    int rc = 0;
    if (!pending || !deg || !queue || !e.off || !m->order)
        rc = pk_error_set(err, PK_ENOMEM, m->path, 0, "model", "out of memory");
    if (!rc)
        rc = count_inputs(m, pending, deg, err);
    if (!rc) {
        int64_t total = 0;
        for (size_t i = 0; i < n; i++)
            total += deg[i];
        e.cons = malloc((size_t)(total ? total : 1) * sizeof *e.cons);
        if (!e.cons)
            rc = pk_error_set(err, PK_ENOMEM, m->path, 0, "model", "out of memory");
        else
            fill_edges(m, &e, deg);
    }
    int head = 0, tail = 0, skipped = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (pending[i] < 0)
            skipped++;
        else if (pending[i] == 0)
            queue[tail++] = (int)i;
    }
    while (!rc && head < tail) {
        int p = queue[head++];
        m->order[m->n_nodes++] = m->g->node[p];
        for (int k = e.off[p]; k < e.off[p + 1]; k++)
            if (--pending[e.cons[k]] == 0)
                queue[tail++] = e.cons[k];
    }
    if (!rc && m->n_nodes + skipped != (int)n) {
        for (size_t i = 0; i < n; i++)
            if (pending[i] > 0) {
                rc = pk_onnx_node_err(m, m->g->node[i], err, "the graph has a cycle through "
                                      "this node (an ONNX graph must be acyclic)");
                break;
            }
    }
    free(pending);
    free(deg);
    free(queue);
    free(e.off);
    free(e.cons);
    return rc;
}

int pk_onnx_load(const char *path, pk_onnx_t **out, pk_error_t *err)
{
    *out = NULL;
    pk_onnx_t *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path))) {
        free(m);
        return pk_error_set(err, PK_ENOMEM, path, 0, "model", "out of memory");
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = read_file(path, &buf, &len, err);
    if (!rc) {
        m->model = onnx__model_proto__unpack(NULL, len, buf);
        if (!m->model)
            rc = MERR("model", "not a valid ONNX protobuf (truncated or corrupt file)");
    }
    free(buf);
    if (!rc && !(m->g = m->model->graph))
        rc = MERR("model", "the model has no graph");
    if (!rc && (!m->model->has_ir_version || m->model->ir_version < 3))
        rc = MERR("model", "IR version %lld not supported (need 3 or later)",
                  (long long)m->model->ir_version);
    if (!rc)
        rc = check_opsets(m, err);
    if (!rc && m->g->n_node > PK_ONNX_MAX_NODES)
        rc = MERR("graph", "%zu nodes (at most %d)", m->g->n_node, PK_ONNX_MAX_NODES);
    if (!rc && m->g->n_sparse_initializer)
        rc = MERR("graph", "sparse initializers are not supported");
    if (!rc)
        rc = build_table(m, err);
    if (!rc)
        rc = topo_sort(m, err);
    if (rc) {
        pk_onnx_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

int pk_onnx_n_nodes(const pk_onnx_t *m)
{
    return m->n_nodes;
}

void pk_onnx_free(pk_onnx_t *m)
{
    if (!m)
        return;
    if (m->model)
        onnx__model_proto__free_unpacked(m->model, NULL);
    free(m->order);
    free(m->tab);
    free(m->path);
    free(m);
}
