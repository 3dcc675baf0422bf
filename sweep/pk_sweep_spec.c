/* pk_sweep_spec.c - load a sweep spec (pk_sweep_spec.h) and materialize its
 * points.
 *
 * The spec is read with libyaml's document API (node marks give the line of
 * every key and value, so each message names FILE:LINE: FIELD).  The base
 * config is read twice: by pk_config_load (validation, and its JSON echo,
 * which lists every config key with defaults filled - the set of keys an axis
 * or a constraint may name, and the values a constraint reads for keys no axis
 * sets), and as a flat list of (dotted key, YAML value text) pairs in
 * document order, which a point's YAML is printed from with the axes' values
 * substituted.  Printing text and handing it to pk_config_load keeps ONE
 * validator: a point is exactly as valid as the same YAML file would be.
 */
#include "pk_arch.h"
#include "pk_sweep_spec.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <yaml.h>

#include "pk_config.h"
#include "pk_expr.h"
#include "pk_sweep_util.h"

#define AXIS_MAX_VALUES 100000
#define KEY_MAX 128

typedef struct value {
    char *text;         /* YAML flow text */
    int has_int;        /* text is an integer (or bool, or integral real) */
    int64_t iv;
} value_t;

typedef struct entry {  /* one leaf of a config: dotted key and value */
    char *key;
    value_t v;
} entry_t;

typedef struct axis {
    char *key;
    int n;
    value_t *vals;
} axis_t;

typedef struct constraint {
    char *text;
    pk_expr_t *expr;
} constraint_t;

struct pk_sweep_spec {
    char *path, *dir, *base;
    char **nets;
    int n_nets;
    char **objs;
    int n_objs;
    axis_t axes[PK_SWEEP_MAX_AXES];
    int n_axes;
    constraint_t *cons;
    int n_cons;
    entry_t *yaml_entries; /* base config YAML, document order */
    int n_yaml;
    entry_t *known;        /* every config key (JSON echo of the base), sorted */
    int n_known;
    int64_t n_points;
    int synth_mode;        /* pk_sweep_synth_mode_t */
    int64_t *synth_pts;    /* PK_SWEEP_SYNTH_LIST: point numbers, ascending, unique */
    int n_synth;
    int arch;              /* 1 or 2: the microarchitecture evaluated (pikesweep --arch) */
};

/* Objective names a spec may list (columns of points.csv). */
static const char *const OBJECTIVES[] = { "cycles", "latency_us", "energy_uj", "area_cells",
                                          "ram_bits", "dram_bytes", "acev2", NULL };

typedef struct ld {
    pk_sweep_spec_t *s;
    yaml_document_t doc;
    pk_error_t *err;
    const char *file;      /* file being read (spec or base) */
} ld_t;

static int line_of(const yaml_node_t *n) { return n ? (int)n->start_mark.line + 1 : 0; }

static int bad(ld_t *l, const yaml_node_t *n, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(ld_t *l, const yaml_node_t *n, const char *field, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pk_error_set(l->err, PK_EINPUT, l->file, line_of(n), field, "%s", msg);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* ---- values ---------------------------------------------------------------- */

static void value_parse_int(value_t *v, const char *s)
{
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (*s && !*end && !errno) {
        v->has_int = 1;
        v->iv = x;
        return;
    }
    if (!strcmp(s, "true") || !strcmp(s, "false")) {
        v->has_int = 1;
        v->iv = s[0] == 't';
        return;
    }
    double d = strtod(s, &end);
    if (*s && !*end && isfinite(d) && d == floor(d) && fabs(d) < 9e15) {
        v->has_int = 1;
        v->iv = (int64_t)d;
    }
}

/* Text of a scalar node as it goes back into YAML. */
static char *scalar_text(const yaml_node_t *n)
{
    const char *s = scalar(n);
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        return strdup(s);
    return pk_sw_quote(s);
}

/* A scalar or a flow list of scalars -> value; NULL text if it is neither. */
static int node_value(ld_t *l, yaml_node_t *n, const char *field, value_t *v)
{
    memset(v, 0, sizeof *v);
    if (n->type == YAML_SCALAR_NODE) {
        if (!(v->text = scalar_text(n)))
            return PK_ENOMEM;
        value_parse_int(v, scalar(n));
        return 0;
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return bad(l, n, field, "expected a value or a list of values, not a mapping");
    pk_sw_buf_t b = { 0 };
    pk_sw_buf_add(&b, "[");
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(&l->doc, *it);
        if (!c || c->type != YAML_SCALAR_NODE) {
            free(b.s);
            return bad(l, c, field, "a list value may hold only scalars");
        }
        char *t = scalar_text(c);
        pk_sw_buf_add(&b, "%s%s", it == n->data.sequence.items.start ? "" : ", ", t ? t : "");
        free(t);
    }
    pk_sw_buf_add(&b, "]");
    if (b.oom) {
        free(b.s);
        return PK_ENOMEM;
    }
    v->text = b.s;
    return 0;
}

/* ---- the base config ----------------------------------------------------- */

static int add_entry(entry_t **arr, int *n, const char *key, value_t v)
{
    entry_t *e = realloc(*arr, sizeof **arr * (size_t)(*n + 1));
    if (!e) {
        free(v.text);
        return PK_ENOMEM;
    }
    *arr = e;
    e[*n].key = strdup(key);
    e[*n].v = v;
    if (!e[*n].key) {
        free(v.text);
        return PK_ENOMEM;
    }
    (*n)++;
    return 0;
}

/* Flatten the YAML mapping n under prefix into s->yaml_entries. */
static int flatten_yaml(ld_t *l, yaml_node_t *n, const char *prefix, int depth)
{
    if (depth > 8)
        return bad(l, n, prefix, "nested too deeply for a hardware config");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&l->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&l->doc, p->value);
        char key[KEY_MAX];
        if (!scalar(k) || !v)
            return bad(l, k, prefix[0] ? prefix : "config", "keys must be scalars");
        snprintf(key, sizeof key, "%s%s%s", prefix, prefix[0] ? "." : "", scalar(k));
        int rc;
        if (v->type == YAML_MAPPING_NODE) {
            rc = flatten_yaml(l, v, key, depth + 1);
        } else {
            value_t val;
            rc = node_value(l, v, key, &val);
            if (rc == 0)
                rc = add_entry(&l->s->yaml_entries, &l->s->n_yaml, key, val);
        }
        if (rc)
            return rc;
    }
    return 0;
}

static int flatten_json(pk_sweep_spec_t *s, json_t *j, const char *prefix)
{
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        char key[KEY_MAX];
        snprintf(key, sizeof key, "%s%s%s", prefix, prefix[0] ? "." : "", k);
        if (json_is_object(v)) {
            if (flatten_json(s, v, key))
                return PK_ENOMEM;
            continue;
        }
        value_t val = { 0 };
        if (json_is_integer(v)) {
            val.has_int = 1;
            val.iv = json_integer_value(v);
        } else if (json_is_boolean(v)) {
            val.has_int = 1;
            val.iv = json_is_true(v);
        } else if (json_is_real(v)) {
            double d = json_real_value(v);
            val.has_int = d == floor(d) && fabs(d) < 9e15;
            val.iv = val.has_int ? (int64_t)d : 0;
        }
        if (add_entry(&s->known, &s->n_known, key, val))
            return PK_ENOMEM;
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry_t *)a)->key, ((const entry_t *)b)->key);
}

static const entry_t *find_known(const pk_sweep_spec_t *s, const char *key)
{
    entry_t k = { .key = (char *)key };
    return bsearch(&k, s->known, (size_t)s->n_known, sizeof k, cmp_entry);
}

static int load_base(ld_t *l, yaml_node_t *n)
{
    pk_sweep_spec_t *s = l->s;
    if (!scalar(n) || !scalar(n)[0])
        return bad(l, n, "base", "expected the path of a hardware config");
    if (!(s->base = pk_sw_join(s->dir, scalar(n))))
        return PK_ENOMEM;
    if (access(s->base, R_OK) != 0)
        return bad(l, n, "base", "cannot read '%s': %s", s->base, strerror(errno));
    pk_config_t *cfg = NULL;
    int rc = pk_config_load(s->base, &cfg, l->err);
    if (rc)
        return rc;
    json_t *j = NULL;
    rc = pk_config_to_json(cfg, &j);
    pk_config_free(cfg);
    if (rc)
        return rc;
    rc = flatten_json(s, json_object_get(j, "config"), "");
    json_decref(j);
    if (rc)
        return rc;
    qsort(s->known, (size_t)s->n_known, sizeof *s->known, cmp_entry);

    /* the same file as YAML text entries */
    ld_t b = { .s = s, .err = l->err, .file = s->base };
    FILE *f = fopen(s->base, "rb");
    yaml_parser_t p;
    if (!f)
        return pk_error_set(l->err, PK_EIO, s->base, 0, "base", "cannot read: %s", strerror(errno));
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    if (!yaml_parser_load(&p, &b.doc))
        rc = pk_error_set(l->err, PK_EINPUT, s->base, 0, "syntax", "cannot parse");
    else {
        yaml_node_t *root = yaml_document_get_root_node(&b.doc);
        rc = root && root->type == YAML_MAPPING_NODE ? flatten_yaml(&b, root, "", 0)
                                                     : bad(&b, root, "config", "not a mapping");
        yaml_document_delete(&b.doc);
    }
    yaml_parser_delete(&p);
    fclose(f);
    return rc;
}

/* ---- axes ------------------------------------------------------------------ */

static int range_num(ld_t *l, yaml_node_t *n, const char *field, double *d, int *is_int)
{
    const char *t = scalar(n);
    char *end;
    if (!t)
        return bad(l, n, field, "expected a number");
    errno = 0;
    *d = strtod(t, &end);
    if (!*t || *end || errno || !isfinite(*d))
        return bad(l, n, field, "'%s' is not a number", t);
    *is_int = strspn(t, "-0123456789") == strlen(t);
    return 0;
}

static int axis_push(axis_t *a, value_t v)
{
    if (a->n >= AXIS_MAX_VALUES) {
        free(v.text);
        return -1;
    }
    value_t *nv = realloc(a->vals, sizeof *nv * (size_t)(a->n + 1));
    if (!nv) {
        free(v.text);
        return PK_ENOMEM;
    }
    a->vals = nv;
    a->vals[a->n++] = v;
    return 0;
}

/* {from: A, to: B, step: S} or {from: A, to: B, mul: M}; `to` inclusive. */
static int axis_range(ld_t *l, yaml_node_t *n, axis_t *a, const char *field)
{
    const char *names[4] = { "from", "to", "step", "mul" };
    double v[4] = { 0 };
    int has[4] = { 0 }, isint[4] = { 0 };
    char f[KEY_MAX + 16];
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&l->doc, p->key);
        int i = 0;
        while (i < 4 && (!scalar(k) || strcmp(scalar(k), names[i])))
            i++;
        if (i == 4)
            return bad(l, k, field, "unknown range key '%s' (from, to, step | mul)",
                       scalar(k) ? scalar(k) : "?");
        snprintf(f, sizeof f, "%s.%s", field, names[i]);
        if (has[i])
            return bad(l, k, f, "given twice");
        has[i] = 1;
        int rc = range_num(l, yaml_document_get_node(&l->doc, p->value), f, &v[i], &isint[i]);
        if (rc)
            return rc;
    }
    if (!has[0] || !has[1] || has[2] == has[3])
        return bad(l, n, field, "a range needs from, to and exactly one of step (added) or mul "
                                "(multiplied)");
    if (v[1] < v[0] || (has[2] && v[2] <= 0) || (has[3] && (v[3] <= 1 || v[0] <= 0)))
        return bad(l, n, field, "empty or endless range (need from <= to, step > 0, or mul > 1 "
                                "with from > 0)");
    int all_int = isint[0] && isint[1] && (has[2] ? isint[2] : isint[3]);
    for (int i = 0;; i++) {
        double x = has[2] ? v[0] + i * v[2] : v[0] * pow(v[3], i);
        if (x > v[1] * (1 + 1e-12))
            break;
        value_t val = { 0 };
        char t[64];
        if (all_int)
            snprintf(t, sizeof t, "%lld", (long long)llround(x));
        else
            snprintf(t, sizeof t, "%.12g", x);
        value_parse_int(&val, t);
        val.text = strdup(t);
        int rc = val.text ? axis_push(a, val) : PK_ENOMEM;
        if (rc == -1)
            return bad(l, n, field, "more than %d values", AXIS_MAX_VALUES);
        if (rc)
            return rc;
    }
    return 0;
}

static int load_axis(ld_t *l, yaml_node_t *k, yaml_node_t *v)
{
    pk_sweep_spec_t *s = l->s;
    char field[KEY_MAX + 8];
    const char *key = scalar(k);
    if (!key)
        return bad(l, k, "axes", "an axis is named by a dotted config key");
    snprintf(field, sizeof field, "axes.%s", key);
    if (!find_known(s, key))
        return bad(l, k, field, "unknown config key '%s' (keys: docs/CONFIG.md, e.g. "
                                "array.rows, buffers.weights)", key);
    if (s->n_axes >= PK_SWEEP_MAX_AXES)
        return bad(l, k, field, "more than %d axes", PK_SWEEP_MAX_AXES);
    for (int i = 0; i < s->n_axes; i++)
        if (!strcmp(s->axes[i].key, key))
            return bad(l, k, field, "axis given twice");
    axis_t *a = &s->axes[s->n_axes++];
    if (!(a->key = strdup(key)))
        return PK_ENOMEM;
    if (v->type == YAML_MAPPING_NODE)
        return axis_range(l, v, a, field);
    if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
        return bad(l, v, field, "expected a non-empty list of values or a range {from, to, step|mul}");
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        value_t val;
        int rc = node_value(l, yaml_document_get_node(&l->doc, *it), field, &val);
        if (rc == 0)
            rc = axis_push(a, val);
        if (rc == -1)
            return bad(l, v, field, "more than %d values", AXIS_MAX_VALUES);
        if (rc)
            return rc;
    }
    return 0;
}

static int load_axes(ld_t *l, yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE)
        return bad(l, n, "axes", "expected a mapping of config key -> values");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        int rc = load_axis(l, yaml_document_get_node(&l->doc, p->key),
                           yaml_document_get_node(&l->doc, p->value));
        if (rc)
            return rc;
    }
    int64_t total = 1;
    for (int i = 0; i < l->s->n_axes; i++) {
        total *= l->s->axes[i].n;
        if (total > PK_SWEEP_MAX_POINTS)
            return bad(l, n, "axes", "more than %d points", PK_SWEEP_MAX_POINTS);
    }
    l->s->n_points = total;
    return 0;
}

/* ---- lists: networks, constraints, objectives ------------------------------ */

/* Each item of sequence n must be a non-empty scalar; fn handles it. */
static int each_string(ld_t *l, yaml_node_t *n, const char *field,
                       int (*fn)(ld_t *, yaml_node_t *, const char *, const char *))
{
    if (n->type != YAML_SEQUENCE_NODE || n->data.sequence.items.start == n->data.sequence.items.top)
        return bad(l, n, field, "expected a non-empty list");
    int i = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(&l->doc, *it);
        char f[64];
        snprintf(f, sizeof f, "%s[%d]", field, i++);
        if (!scalar(c) || !scalar(c)[0])
            return bad(l, c, f, "expected a string");
        int rc = fn(l, c, f, scalar(c));
        if (rc)
            return rc;
    }
    return 0;
}

static int push_str(char ***arr, int *n, char *s)
{
    char **a = s ? realloc(*arr, sizeof *a * (size_t)(*n + 1)) : NULL;
    if (!a) {
        free(s);
        return PK_ENOMEM;
    }
    *arr = a;
    a[(*n)++] = s;
    return 0;
}

static int add_network(ld_t *l, yaml_node_t *n, const char *f, const char *v)
{
    if (l->s->n_nets >= PK_SWEEP_MAX_NETS)
        return bad(l, n, f, "more than %d networks", PK_SWEEP_MAX_NETS);
    int rc = push_str(&l->s->nets, &l->s->n_nets, pk_sw_join(l->s->dir, v));
    if (!rc && access(l->s->nets[l->s->n_nets - 1], R_OK) != 0)
        return bad(l, n, f, "cannot read '%s': %s", l->s->nets[l->s->n_nets - 1], strerror(errno));
    return rc;
}

static int add_objective(ld_t *l, yaml_node_t *n, const char *f, const char *v)
{
    int i = 0;
    while (OBJECTIVES[i] && strcmp(OBJECTIVES[i], v))
        i++;
    if (!OBJECTIVES[i])
        return bad(l, n, f, "unknown objective '%s' (cycles, latency_us, energy_uj, area_cells, "
                            "ram_bits, dram_bytes, acev2)", v);
    for (int j = 0; j < l->s->n_objs; j++)
        if (!strcmp(l->s->objs[j], v))
            return bad(l, n, f, "objective '%s' given twice", v);
    return push_str(&l->s->objs, &l->s->n_objs, strdup(v));
}

static int add_constraint(ld_t *l, yaml_node_t *n, const char *f, const char *v)
{
    pk_sweep_spec_t *s = l->s;
    char msg[300];
    pk_expr_t *e = NULL;
    if (pk_expr_parse(v, &e, msg, sizeof msg) != 0)
        return bad(l, n, f, "'%s': %s", v, msg);
    for (int i = 0; i < pk_expr_key_count(e); i++)
        if (!find_known(s, pk_expr_key(e, i))) {
            bad(l, n, f, "'%s': unknown config key '%s'", v, pk_expr_key(e, i));
            pk_expr_free(e);
            return PK_EINPUT;
        }
    constraint_t *c = realloc(s->cons, sizeof *c * (size_t)(s->n_cons + 1));
    if (!c) {
        pk_expr_free(e);
        return PK_ENOMEM;
    }
    s->cons = c;
    c[s->n_cons].expr = e;
    if (!(c[s->n_cons].text = strdup(v))) {
        pk_expr_free(e);
        return PK_ENOMEM;
    }
    s->n_cons++;
    return 0;
}

/* ---- synth: which points Yosys synthesizes ---------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t u = *(const int64_t *)a, v = *(const int64_t *)b;
    return u < v ? -1 : u > v;
}

/* One point number of a synth list; 0, or -1 with why. */
static int synth_push(pk_sweep_spec_t *s, const char *tok, char *why, size_t len)
{
    char *end;
    errno = 0;
    long long v = strtoll(tok, &end, 10);
    if (!*tok || *end || errno || v < 0 || v >= s->n_points) {
        snprintf(why, len, "'%s' is not a point number in [0, %lld] (or none, pareto, all)", tok,
                 (long long)s->n_points - 1);
        return -1;
    }
    int64_t *a = realloc(s->synth_pts, sizeof *a * (size_t)(s->n_synth + 1));
    if (!a) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    s->synth_pts = a;
    a[s->n_synth++] = v;
    s->synth_mode = PK_SWEEP_SYNTH_LIST;
    return 0;
}

static void synth_sort(pk_sweep_spec_t *s)
{
    qsort(s->synth_pts, (size_t)s->n_synth, sizeof *s->synth_pts, cmp_i64);
    int m = 0;
    for (int i = 0; i < s->n_synth; i++)
        if (m == 0 || s->synth_pts[i] != s->synth_pts[m - 1])
            s->synth_pts[m++] = s->synth_pts[i];
    s->n_synth = m;
}

int pk_sweep_spec_set_synth(pk_sweep_spec_t *s, const char *text, char *why, size_t len)
{
    static const char *const modes[] = { "none", "pareto", "all" };
    free(s->synth_pts);
    s->synth_pts = NULL;
    s->n_synth = 0;
    for (int i = 0; i < 3; i++)
        if (!strcmp(text, modes[i])) {
            s->synth_mode = i;
            return 0;
        }
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf) {
        snprintf(why, len, "list too long");
        return -1;
    }
    char *save = NULL;
    for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        if (synth_push(s, t, why, len))
            return -1;
    if (!s->n_synth) {
        snprintf(why, len, "expected none, pareto, all or a list of point numbers");
        return -1;
    }
    synth_sort(s);
    return 0;
}

/* synth: none | pareto | all | [point, ...] */
static int load_synth(ld_t *l, yaml_node_t *n)
{
    char why[200];
    if (scalar(n))
        return pk_sweep_spec_set_synth(l->s, scalar(n), why, sizeof why) ? bad(l, n, "synth", "%s", why)
                                                                          : 0;
    if (n->type != YAML_SEQUENCE_NODE || n->data.sequence.items.start == n->data.sequence.items.top)
        return bad(l, n, "synth", "expected none, pareto, all or a non-empty list of point numbers");
    int i = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(&l->doc, *it);
        char f[40];
        snprintf(f, sizeof f, "synth[%d]", i++);
        if (!scalar(c) || synth_push(l->s, scalar(c), why, sizeof why))
            return bad(l, c, f, "%s", scalar(c) ? why : "expected a point number");
    }
    synth_sort(l->s);
    return 0;
}

/* ---- the document ---------------------------------------------------------- */

static int load_top(ld_t *l, yaml_node_t *root)
{
    static const char *const keys[] = { "base", "networks", "axes", "constraints", "objectives",
                                        "synth" };
    yaml_node_t *val[6] = { 0 };
    if (!root || root->type != YAML_MAPPING_NODE)
        return bad(l, root, "spec", "expected a mapping (base, networks, axes, constraints, "
                                    "objectives, synth)");
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&l->doc, p->key);
        int i = 0;
        while (i < 6 && (!scalar(k) || strcmp(scalar(k), keys[i])))
            i++;
        if (i == 6)
            return bad(l, k, scalar(k) ? scalar(k) : "spec",
                       "unknown key (base, networks, axes, constraints, objectives, synth)");
        if (val[i])
            return bad(l, k, keys[i], "given twice");
        val[i] = yaml_document_get_node(&l->doc, p->value);
    }
    if (!val[0] || !val[1])
        return bad(l, root, val[0] ? "networks" : "base", "missing (required)");
    int rc = load_base(l, val[0]);
    if (!rc)
        rc = each_string(l, val[1], "networks", add_network);
    l->s->n_points = 1;
    if (!rc && val[2])
        rc = load_axes(l, val[2]);
    if (!rc && val[3])
        rc = each_string(l, val[3], "constraints", add_constraint);
    if (!rc && val[4])
        rc = each_string(l, val[4], "objectives", add_objective);
    for (int i = 0; !rc && !val[4] && i < 3; i++)
        rc = push_str(&l->s->objs, &l->s->n_objs, strdup(OBJECTIVES[i == 2 ? 3 : i + 1]));
    if (!rc && l->s->n_objs < 2)
        rc = bad(l, val[4], "objectives", "at least two objectives (a front is a trade-off)");
    if (!rc && val[5])
        rc = load_synth(l, val[5]);
    return rc;
}

int pk_sweep_spec_load(const char *path, pk_sweep_spec_t **out, pk_error_t *err)
{
    *out = NULL;
    pk_sweep_spec_t *s = calloc(1, sizeof *s);
    if (s)
        s->arch = PK_ARCH_DEFAULT;
    if (!s || !(s->path = strdup(path)) || !(s->dir = pk_sw_dirname(path))) {
        pk_sweep_spec_free(s);
        return pk_error_set(err, PK_ENOMEM, path, 0, "spec", "out of memory");
    }
    ld_t l = { .s = s, .err = err, .file = path };
    FILE *f = fopen(path, "rb");
    if (!f) {
        pk_sweep_spec_free(s);
        return pk_error_set(err, PK_EINPUT, path, 0, "spec", "cannot read: %s", strerror(errno));
    }
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    int rc;
    if (!yaml_parser_load(&p, &l.doc)) {
        rc = pk_error_set(err, PK_EINPUT, path, (int)p.problem_mark.line + 1, "syntax", "%s",
                          p.problem ? p.problem : "cannot parse");
    } else {
        rc = load_top(&l, yaml_document_get_root_node(&l.doc));
        yaml_document_delete(&l.doc);
    }
    yaml_parser_delete(&p);
    fclose(f);
    if (rc == PK_ENOMEM)
        pk_error_set(err, PK_ENOMEM, path, 0, "spec", "out of memory");
    if (rc) {
        pk_sweep_spec_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

static void free_entries(entry_t *e, int n)
{
    for (int i = 0; i < n; i++) {
        free(e[i].key);
        free(e[i].v.text);
    }
    free(e);
}

void pk_sweep_spec_free(pk_sweep_spec_t *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n_nets; i++)
        free(s->nets[i]);
    for (int i = 0; i < s->n_objs; i++)
        free(s->objs[i]);
    for (int i = 0; i < s->n_axes; i++) {
        for (int j = 0; j < s->axes[i].n; j++)
            free(s->axes[i].vals[j].text);
        free(s->axes[i].vals);
        free(s->axes[i].key);
    }
    for (int i = 0; i < s->n_cons; i++) {
        free(s->cons[i].text);
        pk_expr_free(s->cons[i].expr);
    }
    free_entries(s->yaml_entries, s->n_yaml);
    free_entries(s->known, s->n_known);
    free(s->cons);
    free(s->synth_pts);
    free(s->nets);
    free(s->objs);
    free(s->path);
    free(s->dir);
    free(s->base);
    free(s);
}

/* ---- accessors and points -------------------------------------------------- */

const char *pk_sweep_spec_path(const pk_sweep_spec_t *s) { return s->path; }
const char *pk_sweep_spec_base(const pk_sweep_spec_t *s) { return s->base; }
int pk_sweep_spec_n_networks(const pk_sweep_spec_t *s) { return s->n_nets; }
const char *pk_sweep_spec_network(const pk_sweep_spec_t *s, int i) { return s->nets[i]; }
int pk_sweep_spec_n_objectives(const pk_sweep_spec_t *s) { return s->n_objs; }
const char *pk_sweep_spec_objective(const pk_sweep_spec_t *s, int i) { return s->objs[i]; }
int pk_sweep_spec_n_axes(const pk_sweep_spec_t *s) { return s->n_axes; }
const char *pk_sweep_spec_axis(const pk_sweep_spec_t *s, int i) { return s->axes[i].key; }
int64_t pk_sweep_spec_n_points(const pk_sweep_spec_t *s) { return s->n_points; }
int pk_sweep_spec_synth_mode(const pk_sweep_spec_t *s) { return s->synth_mode; }
int pk_sweep_spec_synth_count(const pk_sweep_spec_t *s) { return s->n_synth; }
int pk_sweep_spec_arch(const pk_sweep_spec_t *s) { return s->arch; }
const char *pk_sweep_spec_arch_name(const pk_sweep_spec_t *s) { return pk_arch_name(s->arch); }
void pk_sweep_spec_set_arch(pk_sweep_spec_t *s, int arch) { s->arch = arch; }
int64_t pk_sweep_spec_synth_point(const pk_sweep_spec_t *s, int i) { return s->synth_pts[i]; }

/* Value index of axis a at point p (last axis fastest). */
static int axis_index(const pk_sweep_spec_t *s, int64_t p, int a)
{
    for (int i = s->n_axes - 1; i > a; i--)
        p /= s->axes[i].n;
    return (int)(p % s->axes[a].n);
}

const char *pk_sweep_spec_point_value(const pk_sweep_spec_t *s, int64_t p, int a)
{
    return s->axes[a].vals[axis_index(s, p, a)].text;
}

void pk_sweep_spec_point_label(const pk_sweep_spec_t *s, int64_t p, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (int a = 0; a < s->n_axes && used < len; a++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", a ? " " : "", s->axes[a].key,
                                 pk_sweep_spec_point_value(s, p, a));
}

typedef struct lookctx {
    const pk_sweep_spec_t *s;
    int64_t p;
} lookctx_t;

static int lookup(void *ctx, const char *key, int64_t *v, const char **why)
{
    const lookctx_t *c = ctx;
    const value_t *val = NULL;
    for (int a = 0; a < c->s->n_axes && !val; a++)
        if (!strcmp(c->s->axes[a].key, key))
            val = &c->s->axes[a].vals[axis_index(c->s, c->p, a)];
    if (!val) {
        const entry_t *e = find_known(c->s, key);
        val = e ? &e->v : NULL;
    }
    if (!val || !val->has_int) {
        *why = "has no integer value (a list, a name or a fraction)";
        return -1;
    }
    *v = val->iv;
    return 0;
}

int pk_sweep_spec_point_ok(const pk_sweep_spec_t *s, int64_t p, char *why, size_t len)
{
    lookctx_t c = { s, p };
    for (int i = 0; i < s->n_cons; i++) {
        int64_t v;
        char msg[300];
        if (pk_expr_eval(s->cons[i].expr, lookup, &c, &v, msg, sizeof msg) != 0) {
            snprintf(why, len, "constraints[%d] '%s': %s", i, s->cons[i].text, msg);
            return -1;
        }
        if (!v) {
            snprintf(why, len, "constraints[%d] '%s' is false", i, s->cons[i].text);
            return 0;
        }
    }
    return 1;
}

/* Number of leading dotted components shared by the PARENTS of a and b. */
static int common_parents(const char *a, const char *b)
{
    int n = 0;
    for (;;) {
        const char *da = strchr(a, '.'), *db = strchr(b, '.');
        if (!da || !db || da - a != db - b || strncmp(a, b, (size_t)(da - a)))
            return n;
        n++;
        a = da + 1;
        b = db + 1;
    }
}

/* Print key: value with the mapping lines it needs after the previous key. */
static void emit_entry(pk_sw_buf_t *b, const char *prev, const char *key, const char *text)
{
    int skip = prev ? common_parents(prev, key) : 0, depth = 0;
    const char *c = key;
    for (const char *d; (d = strchr(c, '.')); c = d + 1, depth++)
        if (depth >= skip)
            pk_sw_buf_add(b, "%*s%.*s:\n", 2 * depth, "", (int)(d - c), c);
    pk_sw_buf_add(b, "%*s%s: %s\n", 2 * depth, "", c, text);
}

int pk_sweep_spec_point_yaml(const pk_sweep_spec_t *s, int64_t p, char **yaml)
{
    /* order: base entries (axis values substituted); an axis key the base
     * lacks goes after the last base entry with the most parents in common */
    int n = s->n_yaml + s->n_axes;
    const char **keys = calloc((size_t)n + 1, sizeof *keys), **texts = calloc((size_t)n + 1, sizeof *texts);
    pk_sw_buf_t b = { 0 };
    int m = 0;
    *yaml = NULL;
    if (!keys || !texts) {
        free(keys);
        free(texts);
        return PK_ENOMEM;
    }
    for (int i = 0; i < s->n_yaml; i++, m++) {
        keys[m] = s->yaml_entries[i].key;
        texts[m] = s->yaml_entries[i].v.text;
    }
    for (int a = 0; a < s->n_axes; a++) {
        const char *t = pk_sweep_spec_point_value(s, p, a);
        int at = -1, best = 0, pos = m;
        for (int i = 0; i < m && at < 0; i++) {
            int c = common_parents(keys[i], s->axes[a].key);
            if (!strcmp(keys[i], s->axes[a].key))
                at = i;
            else if (c > 0 && c >= best)
                best = c, pos = i + 1;
        }
        if (at >= 0) {
            texts[at] = t;
            continue;
        }
        memmove(keys + pos + 1, keys + pos, sizeof *keys * (size_t)(m - pos));
        memmove(texts + pos + 1, texts + pos, sizeof *texts * (size_t)(m - pos));
        keys[pos] = s->axes[a].key;
        texts[pos] = t;
        m++;
    }
    for (int i = 0; i < m; i++)
        emit_entry(&b, i ? keys[i - 1] : NULL, keys[i], texts[i]);
    free(keys);
    free(texts);
    if (b.oom) {
        free(b.s);
        return PK_ENOMEM;
    }
    *yaml = b.s;
    return 0;
}
