/* pk_net.c - network YAML -> validated IR (see pk_net.h, docs/NETWORK.md).
 *
 * Three passes over the file:
 *   1. pk_yamlpos indexes the line of every key ("layers[3].kernel"), so
 *      semantic errors found later can still name FILE:LINE;
 *   2. libcyaml loads a raw struct in which almost every field is optional
 *      and enums are plain strings: libcyaml's own messages are generic, so
 *      this file checks presence, enum spelling and ranges itself and words
 *      the message ("layer NAME: ...");
 *   3. a single forward walk resolves inputs by name (hash table: layers
 *      may only read earlier layers, which also rules out cycles), infers
 *      shapes and counts with overflow-checked 64-bit arithmetic.
 * Presence of an optional key is read from the yamlpos index, not from a
 * sentinel value, so "padding: 0" and "no padding" stay distinguishable.
 */
#include "pk_net.h"
#include "pk_fnv1a.h"
#include "pk_npy.h"
#include "pk_yamlpos.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- raw YAML schema ----------------------------------------------------- */

typedef struct {
    int64_t h, w, c, bits;
    bool is_signed;
} raw_input_t;

typedef struct {
    char *name, *op;
    char **inputs;
    unsigned inputs_count;
    int64_t out_c, kernel, stride, padding, groups;
    int64_t kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left, pad_bottom, pad_right;
    int64_t w_bits, a_bits, out_bits, param_bits, float_bits, in_zero_point, a_shift, r_shift;
    bool out_signed;
    char *quant, *norm, *scale, *act, *rounding;
    int64_t *clip;
    unsigned clip_count;
    char *weights, *params;
} raw_layer_t;

typedef struct {
    char *name;
    raw_input_t input;
    char *seed;               /* parsed strictly below: libcyaml's UINT reads -1 as 2^64-1 */
    int64_t float_bits;
    raw_layer_t *layers;
    unsigned layers_count;
} raw_net_t;

static const cyaml_schema_field_t input_fields[] = {
    CYAML_FIELD_INT("h", CYAML_FLAG_OPTIONAL, raw_input_t, h),
    CYAML_FIELD_INT("w", CYAML_FLAG_OPTIONAL, raw_input_t, w),
    CYAML_FIELD_INT("c", CYAML_FLAG_OPTIONAL, raw_input_t, c),
    CYAML_FIELD_INT("bits", CYAML_FLAG_OPTIONAL, raw_input_t, bits),
    CYAML_FIELD_BOOL("signed", CYAML_FLAG_OPTIONAL, raw_input_t, is_signed),
    CYAML_FIELD_END
};

static const cyaml_schema_value_t name_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, PK_NET_MAX_NAME),
};
static const cyaml_schema_value_t int_entry = {
    CYAML_VALUE_INT(CYAML_FLAG_DEFAULT, int64_t),
};

#define STR_FIELD(key, member, maxlen) \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL, raw_layer_t, member, 0, maxlen)
#define INT_FIELD(key, member) CYAML_FIELD_INT(key, CYAML_FLAG_OPTIONAL, raw_layer_t, member)

static const cyaml_schema_field_t layer_fields[] = {
    STR_FIELD("name", name, PK_NET_MAX_NAME),
    STR_FIELD("op", op, 32),
    CYAML_FIELD_SEQUENCE("inputs", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_layer_t,
                         inputs, &name_entry, 0, 8),
    INT_FIELD("out_c", out_c),
    INT_FIELD("kernel", kernel),
    INT_FIELD("stride", stride),
    INT_FIELD("padding", padding),
    INT_FIELD("groups", groups),
    INT_FIELD("kernel_h", kernel_h),
    INT_FIELD("kernel_w", kernel_w),
    INT_FIELD("stride_h", stride_h),
    INT_FIELD("stride_w", stride_w),
    INT_FIELD("pad_top", pad_top),
    INT_FIELD("pad_left", pad_left),
    INT_FIELD("pad_bottom", pad_bottom),
    INT_FIELD("pad_right", pad_right),
    INT_FIELD("w_bits", w_bits),
    INT_FIELD("a_bits", a_bits),
    INT_FIELD("out_bits", out_bits),
    CYAML_FIELD_BOOL("out_signed", CYAML_FLAG_OPTIONAL, raw_layer_t, out_signed),
    STR_FIELD("quant", quant, 32),
    STR_FIELD("norm", norm, 32),
    STR_FIELD("scale", scale, 32),
    STR_FIELD("act", act, 32),
    STR_FIELD("rounding", rounding, 32),
    INT_FIELD("in_zero_point", in_zero_point),
    INT_FIELD("a_shift", a_shift),
    INT_FIELD("r_shift", r_shift),
    CYAML_FIELD_SEQUENCE("clip", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_layer_t,
                         clip, &int_entry, 0, 8),
    INT_FIELD("param_bits", param_bits),
    INT_FIELD("float_bits", float_bits),
    STR_FIELD("weights", weights, 4096),
    STR_FIELD("params", params, 4096),
    CYAML_FIELD_END
};

static const cyaml_schema_value_t layer_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_layer_t, layer_fields),
};

static const cyaml_schema_field_t net_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_OPTIONAL, raw_net_t, name, 0, PK_NET_MAX_NAME),
    CYAML_FIELD_MAPPING("input", CYAML_FLAG_OPTIONAL, raw_net_t, input, input_fields),
    CYAML_FIELD_STRING_PTR("seed", CYAML_FLAG_OPTIONAL, raw_net_t, seed, 0, 64),
    CYAML_FIELD_INT("float_bits", CYAML_FLAG_OPTIONAL, raw_net_t, float_bits),
    CYAML_FIELD_SEQUENCE("layers", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_net_t,
                         layers, &layer_entry, 0, PK_NET_MAX_LAYERS),
    CYAML_FIELD_END
};

static const cyaml_schema_value_t net_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_net_t, net_fields),
};

/* ---- per-layer key index (from pk_yamlpos) ------------------------------ */

enum {
    K_ITEM, K_NAME, K_OP, K_INPUTS, K_OUT_C, K_KERNEL, K_STRIDE, K_PADDING, K_GROUPS,
    K_W_BITS, K_A_BITS, K_OUT_BITS, K_OUT_SIGNED, K_QUANT, K_NORM, K_SCALE, K_ACT,
    K_CLIP, K_PARAM_BITS, K_FLOAT_BITS, K_WEIGHTS, K_PARAMS, K_ROUNDING, K_IN_ZP, K_A_SHIFT,
    K_R_SHIFT, K_KERNEL_H, K_KERNEL_W, K_STRIDE_H, K_STRIDE_W, K_PAD_T, K_PAD_L, K_PAD_B,
    K_PAD_R, K_COUNT
};
static const char *const key_names[K_COUNT] = {
    "", "name", "op", "inputs", "out_c", "kernel", "stride", "padding", "groups",
    "w_bits", "a_bits", "out_bits", "out_signed", "quant", "norm", "scale", "act",
    "clip", "param_bits", "float_bits", "weights", "params", "rounding", "in_zero_point",
    "a_shift", "r_shift", "kernel_h", "kernel_w", "stride_h", "stride_w", "pad_top",
    "pad_left", "pad_bottom", "pad_right"
};

typedef struct {
    const char *file;
    pk_error_t *err;
    pk_yamlpos_t *pos;
    int (*lines)[K_COUNT];  /* lines[i][key]: 0 = key absent */
    unsigned n_lines;
    pk_op_t cur_op;         /* op of the layer being built (messages) */
} ctx_t;

static void index_layer_keys(ctx_t *c)
{
    size_t n = pk_yamlpos_count(c->pos);
    for (size_t i = 0; i < n; i++) {
        const char *kp;
        int line;
        pk_yamlpos_entry(c->pos, i, &kp, &line);
        if (strncmp(kp, "layers[", 7) != 0)
            continue;
        char *end;
        unsigned long idx = strtoul(kp + 7, &end, 10);
        if (*end != ']' || idx >= c->n_lines)
            continue;
        end++;
        if (*end == '\0') {
            c->lines[idx][K_ITEM] = line;
            continue;
        }
        if (*end != '.')
            continue;
        end++;
        for (int k = 1; k < K_COUNT; k++)
            if (strcmp(end, key_names[k]) == 0) {
                c->lines[idx][k] = line;
                break;
            }
    }
}

/* Line of a layer key, or of the layer item when the key is absent. */
static int lline(const ctx_t *c, unsigned i, int key)
{
    if (i >= c->n_lines)
        return 0;
    return c->lines[i][key] ? c->lines[i][key] : c->lines[i][K_ITEM];
}
static int has(const ctx_t *c, unsigned i, int key)
{
    return i < c->n_lines && c->lines[i][key] != 0;
}

/* "layer NAME" (or "layers[i]" before the name is known). */
static int lerr(ctx_t *c, unsigned i, const char *name, int key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int lerr(ctx_t *c, unsigned i, const char *name, int key, const char *fmt, ...)
{
    char field[128], msg[1024];
    if (name && name[0])
        snprintf(field, sizeof field, "layer %s", name);
    else
        snprintf(field, sizeof field, "layers[%u]", i);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pk_error_set(c->err, PK_EINPUT, c->file, lline(c, i, key), field, "%s", msg);
}

static int nerr(ctx_t *c, const char *keypath, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int nerr(ctx_t *c, const char *keypath, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = pk_yamlpos_line(c->pos, keypath);
    if (!line && strchr(keypath, '.')) {
        /* fall back to the parent key's line ("input" for "input.h") */
        char parent[128];
        snprintf(parent, sizeof parent, "%s", keypath);
        *strrchr(parent, '.') = '\0';
        line = pk_yamlpos_line(c->pos, parent);
    }
    return pk_error_set(c->err, PK_EINPUT, c->file, line, keypath, "%s", msg);
}

/* ---- libcyaml error capture --------------------------------------------- */

typedef struct {
    char first[512];   /* first error message */
    int line;          /* innermost "(line: N" of the backtrace */
    int n;             /* backtrace parts, innermost first */
    int is_seq[16];
    char part[16][72];
} cylog_t;

static void cy_log(cyaml_log_t level, void *vctx, const char *fmt, va_list args)
{
    cylog_t *lg = vctx;
    if (level < CYAML_LOG_ERROR)
        return;
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, args);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    const char *p = buf;
    while (*p == ' ')
        p++;
    if (strncmp(p, "Load: ", 6) == 0)
        p += 6;
    while (*p == ' ')
        p++;
    if (strncmp(p, "Backtrace:", 10) == 0)
        return;
    if (strncmp(p, "in ", 3) == 0) {
        /* "in mapping field 'kernel' (line: 12, column: 13)"
         * "in sequence entry '3' (line: 10, column: 5)" */
        const char *l = strstr(p, "(line: ");
        if (l && !lg->line)
            lg->line = atoi(l + 7);
        const char *q = strchr(p, '\'');
        const char *e = q ? strchr(q + 1, '\'') : NULL;
        if (q && e && lg->n < 16) {
            snprintf(lg->part[lg->n], sizeof lg->part[0], "%.*s", (int)(e - q - 1), q + 1);
            lg->is_seq[lg->n] = strncmp(p, "in sequence", 11) == 0;
            lg->n++;
        }
        return;
    }
    if (!lg->first[0])
        snprintf(lg->first, sizeof lg->first, "%s", p);
}

/* Key path from the backtrace: "layers[3].kernel". */
static void cy_path(const cylog_t *lg, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (int k = lg->n - 1; k >= 0 && used < len; k--) {
        /* libcyaml numbers sequence entries from 1 in its backtrace */
        int w = lg->is_seq[k] ? snprintf(out + used, len - used, "[%ld]",
                                         strtol(lg->part[k], NULL, 10) - 1)
                              : snprintf(out + used, len - used, "%s%s", used ? "." : "",
                                         lg->part[k]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* ---- enums ------------------------------------------------------------- */

static const char *const op_names[PK_OP_COUNT] = {
    "conv", "fc", "add", "maxpool", "avgpool", "global_avgpool", "concat", "mul"
};
static const char *const quant_names[] = { "per_channel", "per_tensor" };
static const char *const norm_names[] = { "none", "quantnorm", "float_bn" };
static const char *const scale_names[] = { "none", "dq", "float" };
static const char *const act_names[PK_ACT_COUNT] = {
    "none", "relu", "clip", "prelu", "dprelu", "rprelu"
};
/* same order as PK_Q_ROUND_* (pk_quant.h) */
static const char *const rounding_names[] = { "half_up", "half_even" };

#define NAME_OF(tab, v) ((unsigned)(v) < sizeof tab / sizeof tab[0] ? tab[v] : "?")
const char *pk_op_name(pk_op_t op) { return NAME_OF(op_names, op); }
const char *pk_quant_name(pk_quant_t q) { return NAME_OF(quant_names, q); }
const char *pk_norm_name(pk_norm_t n) { return NAME_OF(norm_names, n); }
const char *pk_scale_name(pk_scale_t s) { return NAME_OF(scale_names, s); }

/* Parse enum string s (NULL = absent -> dflt).  Returns -1 on a bad value
 * after setting the error. */
static int parse_enum(ctx_t *c, unsigned i, const char *lname, int key, const char *s,
                      const char *const *tab, int n, int dflt)
{
    if (!s)
        return dflt;
    for (int k = 0; k < n; k++)
        if (strcmp(s, tab[k]) == 0)
            return k;
    char allowed[256] = "";
    for (int k = 0; k < n; k++) {
        strncat(allowed, tab[k], sizeof allowed - strlen(allowed) - 1);
        if (k + 1 < n)
            strncat(allowed, ", ", sizeof allowed - strlen(allowed) - 1);
    }
    lerr(c, i, lname, key, "%s: '%s' is not one of %s", key_names[key], s, allowed);
    return -1;
}

/* ---- name table --------------------------------------------------------- */

typedef struct {
    const char **key;
    int *val;
    size_t mask;
} ntab_t;

static int ntab_init(ntab_t *t, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 2)
        cap <<= 1;
    t->key = calloc(cap, sizeof *t->key);
    t->val = calloc(cap, sizeof *t->val);
    t->mask = cap - 1;
    return t->key && t->val ? 0 : -1;
}
static int ntab_get(const ntab_t *t, const char *k)
{
    for (size_t h = (size_t)pk_fnv1a64_str(k) & t->mask;; h = (h + 1) & t->mask) {
        if (!t->key[h])
            return -2;
        if (strcmp(t->key[h], k) == 0)
            return t->val[h];
    }
}
static void ntab_put(ntab_t *t, const char *k, int v)
{
    size_t h = (size_t)pk_fnv1a64_str(k) & t->mask;
    while (t->key[h])
        h = (h + 1) & t->mask;
    t->key[h] = k;
    t->val[h] = v;
}
static void ntab_free(ntab_t *t)
{
    free(t->key);
    free(t->val);
}

/* ---- helpers ------------------------------------------------------------ */

static int valid_width(int64_t b)
{
    return b == 1 || b == 2 || b == 4 || b == 8 || b == 16 || b == 32;
}

static int mul_ok(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Resolve a parameter file relative to the directory of the YAML file. */
static char *resolve_path(const char *yaml, const char *rel)
{
    if (!rel)
        return NULL;
    if (rel[0] == '/')
        return dup_str(rel);
    const char *slash = strrchr(yaml, '/');
    size_t dl = slash ? (size_t)(slash - yaml + 1) : 0;
    size_t n = dl + strlen(rel) + 1;
    char *d = malloc(n);
    if (d) {
        memcpy(d, yaml, dl);
        memcpy(d + dl, rel, strlen(rel) + 1);
    }
    return d;
}

static int valid_name(const char *s)
{
    if (!s || !s[0])
        return 0;
    for (; *s; s++) {
        char ch = *s;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '.'))
            return 0;
    }
    return 1;
}

/* Keys a given op accepts (besides name, op, inputs). */
static int key_allowed(pk_op_t op, int key)
{
    switch (key) {
    case K_ITEM: case K_NAME: case K_OP: case K_INPUTS: case K_OUT_BITS: case K_OUT_SIGNED:
    case K_OUT_C: case K_PARAM_BITS: case K_FLOAT_BITS:
        return 1;
    case K_KERNEL: case K_STRIDE: case K_PADDING: case K_KERNEL_H: case K_KERNEL_W:
    case K_STRIDE_H: case K_STRIDE_W: case K_PAD_T: case K_PAD_L: case K_PAD_B: case K_PAD_R:
        return op == PK_OP_CONV || op == PK_OP_MAXPOOL || op == PK_OP_AVGPOOL;
    case K_GROUPS: case K_W_BITS: case K_A_BITS: case K_WEIGHTS:
        return op == PK_OP_CONV || op == PK_OP_FC;
    case K_NORM: /* average pools: QuantNorm before their requant (QUANT.md) */
        return op == PK_OP_CONV || op == PK_OP_FC || op == PK_OP_AVGPOOL ||
               op == PK_OP_GLOBAL_AVGPOOL;
    case K_QUANT:
        return op == PK_OP_CONV || op == PK_OP_FC || op == PK_OP_ADD || op == PK_OP_MUL;
    case K_SCALE: case K_ACT: case K_CLIP:
        return op == PK_OP_CONV || op == PK_OP_FC || op == PK_OP_ADD || op == PK_OP_MUL;
    case K_PARAMS:
        return op != PK_OP_MAXPOOL && op != PK_OP_CONCAT;
    case K_ROUNDING: /* the ops whose post-processing has a rounding shift */
        return op != PK_OP_MAXPOOL && op != PK_OP_CONCAT;
    case K_A_SHIFT: case K_R_SHIFT: /* add: operand alignment (QUANT.md) */
        return op == PK_OP_ADD;
    case K_IN_ZP: /* the ops whose padding terms count */
        return op == PK_OP_CONV || op == PK_OP_AVGPOOL;
    }
    return 0;
}

/* Output size of a sliding window (p: padding of both sides together); -1 if
 * the window does not fit. */
static int64_t slide(int64_t in, int64_t k, int64_t s, int64_t p)
{
    int64_t span = in + p;
    if (span < k)
        return -1;
    return (span - k) / s + 1;
}

/* ---- parameter files ---------------------------------------------------- */

static void shape_str(const int64_t *v, int n, char *buf, size_t len)
{
    size_t u = 0;
    u += (size_t)snprintf(buf + u, len - u, "(");
    for (int k = 0; k < n && u < len; k++)
        u += (size_t)snprintf(buf + u, len - u, "%s%lld", k ? ", " : "", (long long)v[k]);
    if (u < len)
        snprintf(buf + u, len - u, ")");
}

/* The header of each named .npy file must exist and have the layer's shape
 * (docs/NETWORK.md, "From files"); the data are read later, on demand. */
static int check_files(ctx_t *c, unsigned i, const pk_layer_t *L)
{
    for (int which = 0; which < 2; which++) {
        const char *path = which ? L->params_path : L->weights_path;
        if (!path)
            continue;
        int key = which ? K_PARAMS : K_WEIGHTS;
        pk_npy_t h;
        pk_error_t e = { 0 };
        if (pk_npy_header(path, &h, &e))
            return lerr(c, i, L->name, key, "%s %s: %s", key_names[key], path, e.msg);
        int64_t want[4];
        int nw;
        int ok;
        if (which) {
            want[0] = L->n_param_sets;
            want[1] = 9;
            nw = 2;
            ok = h.ndim == 2 && h.shape[0] == want[0] && h.shape[1] == 9;
        } else if (L->op == PK_OP_FC) {
            want[0] = L->out_c;
            want[1] = L->in_h;
            want[2] = L->in_w;
            want[3] = L->in_c;
            nw = 4;
            ok = (h.ndim == 4 && h.shape[0] == want[0] && h.shape[1] == want[1] &&
                  h.shape[2] == want[2] && h.shape[3] == want[3]) ||
                 (h.ndim == 2 && h.shape[0] == L->out_c && h.shape[1] == L->K);
        } else {
            want[0] = L->out_c;
            want[1] = L->kh;
            want[2] = L->kw;
            want[3] = L->in_c / L->groups;
            nw = 4;
            ok = h.ndim == 4 && h.shape[0] == want[0] && h.shape[1] == want[1] &&
                 h.shape[2] == want[2] && h.shape[3] == want[3];
        }
        if (!ok) {
            char got[160], exp[160];
            shape_str(h.shape, h.ndim, got, sizeof got);
            shape_str(want, nw, exp, sizeof exp);
            return lerr(c, i, L->name, key, "%s %s: shape %s, the layer needs %s%s",
                        key_names[key], path, got, exp,
                        which ? " (columns m, b, s, M, E, an, ap, g, z)" : "");
        }
    }
    return 0;
}

/* ---- one layer ---------------------------------------------------------- */

/* One value of a window op's geometry: the per-axis key (kernel_h, pad_top,
 * ...) when given, else the scalar key (kernel, padding, ...), else dflt
 * (-1: the value is required).  *key_used is the key the value came from
 * (for messages). */
static int axis_value(ctx_t *c, unsigned i, const char *nm, int key, int64_t v, int akey,
                      int64_t av, int64_t dflt, int64_t *out, int *key_used)
{
    *key_used = has(c, i, akey) ? akey : key;
    if (has(c, i, akey) && has(c, i, key))
        return lerr(c, i, nm, akey, "give '%s' or '%s', not both", key_names[key],
                    key_names[akey]);
    if (has(c, i, akey) || has(c, i, key))
        *out = has(c, i, akey) ? av : v;
    else if (dflt < 0)
        return lerr(c, i, nm, key, "missing '%s' or '%s' (required for op "
                    "%s)", key_names[key], key_names[akey], op_names[c->cur_op]);
    else
        *out = dflt;
    return 0;
}

/* Kernel, strides and the four paddings of a conv / pool (docs/NETWORK.md):
 * scalar keys set both axes (padding: all four sides), per-axis keys one. */
static int build_geom(ctx_t *c, unsigned i, const char *nm, const raw_layer_t *r, pk_layer_t *L,
                      int windowed, int is_pool)
{
    L->kh = L->kw = L->sh = L->sw = 1;
    L->pad_t = L->pad_l = L->pad_b = L->pad_r = 0;
    if (!windowed)
        return 0;
    c->cur_op = L->op;
    int64_t k[2], st[2], pd[4];
    int ku, rc;
    const int kkey[2] = { K_KERNEL_H, K_KERNEL_W }, skey[2] = { K_STRIDE_H, K_STRIDE_W };
    const int64_t kv[2] = { r->kernel_h, r->kernel_w }, sv[2] = { r->stride_h, r->stride_w };
    for (int a = 0; a < 2; a++) {
        if ((rc = axis_value(c, i, nm, K_KERNEL, r->kernel, kkey[a], kv[a], -1, &k[a], &ku)))
            return rc;
        if (k[a] < 1 || k[a] > PK_NET_MAX_DIM)
            return lerr(c, i, nm, ku, "%s %lld out of range [1, %d]", key_names[ku],
                        (long long)k[a], PK_NET_MAX_DIM);
    }
    for (int a = 0; a < 2; a++) {
        if ((rc = axis_value(c, i, nm, K_STRIDE, r->stride, skey[a], sv[a], is_pool ? k[a] : 1,
                             &st[a], &ku)))
            return rc;
        if (st[a] < 1 || st[a] > PK_NET_MAX_DIM)
            return lerr(c, i, nm, ku, "%s %lld out of range [1, %d]", key_names[ku],
                        (long long)st[a], PK_NET_MAX_DIM);
    }
    const int pkey[4] = { K_PAD_T, K_PAD_L, K_PAD_B, K_PAD_R };
    const int64_t pv[4] = { r->pad_top, r->pad_left, r->pad_bottom, r->pad_right };
    for (int s = 0; s < 4; s++) {
        if ((rc = axis_value(c, i, nm, K_PADDING, r->padding, pkey[s], pv[s], 0, &pd[s], &ku)))
            return rc;
        int64_t kk = k[s & 1];
        if (pd[s] < 0 || pd[s] >= kk)
            return lerr(c, i, nm, ku, "%s %lld out of range [0, kernel_%c - 1 = %lld]",
                        key_names[ku], (long long)pd[s], s & 1 ? 'w' : 'h', (long long)(kk - 1));
    }
    L->kh = (int)k[0], L->kw = (int)k[1], L->sh = (int)st[0], L->sw = (int)st[1];
    L->pad_t = (int)pd[0], L->pad_l = (int)pd[1], L->pad_b = (int)pd[2], L->pad_r = (int)pd[3];
    return 0;
}

static int build_layer(ctx_t *c, pk_net_t *net, const raw_net_t *raw, unsigned i,
                       ntab_t *names, int64_t net_float_bits)
{
    const raw_layer_t *r = &raw->layers[i];
    pk_layer_t *L = &net->layers[i];
    L->line = lline(c, i, K_ITEM);

    /* name */
    if (!r->name || !r->name[0])
        return lerr(c, i, NULL, K_NAME, "missing 'name' (every layer needs a unique name)");
    if (!valid_name(r->name))
        return lerr(c, i, NULL, K_NAME, "name '%s': use letters, digits, '_', '-', '.'", r->name);
    if (strcmp(r->name, "input") == 0)
        return lerr(c, i, NULL, K_NAME, "name 'input' is reserved for the network input");
    int prev = ntab_get(names, r->name);
    if (prev != -2)
        return lerr(c, i, r->name, K_NAME, "duplicate layer name (first defined on line %d)",
                    net->layers[prev].line);
    if (!(L->name = dup_str(r->name)))
        return pk_error_set(c->err, PK_ENOMEM, c->file, 0, "", "out of memory");
    const char *nm = L->name;

    /* op */
    if (!r->op)
        return lerr(c, i, nm, K_OP,
                    "missing 'op' (one of conv, fc, add, maxpool, avgpool, global_avgpool, "
                    "concat)");
    int op = parse_enum(c, i, nm, K_OP, r->op, op_names, PK_OP_COUNT, 0);
    if (op < 0)
        return PK_EINPUT;
    L->op = (pk_op_t)op;
    for (int k = 1; k < K_COUNT; k++)
        if (has(c, i, k) && !key_allowed(L->op, k))
            return lerr(c, i, nm, k, "'%s' is not allowed for op %s", key_names[k],
                        op_names[op]);

    /* inputs */
    int want = L->op == PK_OP_ADD || L->op == PK_OP_CONCAT || L->op == PK_OP_MUL ? 2 : 1;
    if (has(c, i, K_INPUTS)) {
        if ((int)r->inputs_count != want)
            return lerr(c, i, nm, K_INPUTS, "op %s takes exactly %d input%s, got %u",
                        op_names[op], want, want == 1 ? "" : "s", r->inputs_count);
        for (int k = 0; k < want; k++) {
            const char *in = r->inputs[k];
            if (strcmp(in, "input") == 0) {
                L->input[k] = PK_NET_INPUT;
                continue;
            }
            int j = ntab_get(names, in);
            if (j >= 0) {
                L->input[k] = j;
                continue;
            }
            if (strcmp(in, nm) == 0)
                return lerr(c, i, nm, K_INPUTS, "input '%s' is the layer itself (cycle)", in);
            for (unsigned later = i + 1; later < raw->layers_count; later++)
                if (raw->layers[later].name && strcmp(raw->layers[later].name, in) == 0)
                    return lerr(c, i, nm, K_INPUTS,
                                "input '%s' is defined later (line %d); layers must be listed "
                                "in topological order (no cycles)", in, lline(c, later, K_ITEM));
            return lerr(c, i, nm, K_INPUTS,
                        "unknown input '%s' (not 'input' nor an earlier layer)", in);
        }
    } else {
        if (want == 2)
            return lerr(c, i, nm, K_INPUTS, "op %s needs 'inputs: [A, B]'", op_names[op]);
        L->input[0] = i == 0 ? PK_NET_INPUT : (int)i - 1;
    }
    L->n_inputs = want;

    /* input shapes and widths */
    int concat_c2 = 0;
    for (int k = 0; k < want; k++) {
        int j = L->input[k];
        int h, w, ch, b, sg;
        if (j == PK_NET_INPUT) {
            h = net->in_h; w = net->in_w; ch = net->in_c; b = net->in_bits; sg = net->in_signed;
        } else {
            const pk_layer_t *P = &net->layers[j];
            h = P->out_h; w = P->out_w; ch = P->out_c; b = P->out_bits; sg = P->out_signed;
        }
        if (k == 0) {
            L->in_h = h; L->in_w = w; L->in_c = ch;
        } else if (L->op == PK_OP_CONCAT) {
            if (h != L->in_h || w != L->in_w)
                return lerr(c, i, nm, K_INPUTS,
                            "concat needs equal h x w: '%s' is %dx%d, '%s' is %dx%d",
                            r->inputs[0], L->in_h, L->in_w, r->inputs[1], h, w);
            if (b != L->in_bits[0] || sg != L->in_signed[0])
                return lerr(c, i, nm, K_INPUTS,
                            "concat needs equal widths and signedness: '%s' is %d-bit %s, "
                            "'%s' is %d-bit %s", r->inputs[0], L->in_bits[0],
                            L->in_signed[0] ? "signed" : "unsigned", r->inputs[1], b,
                            sg ? "signed" : "unsigned");
            concat_c2 = ch;
        } else if (L->op == PK_OP_MUL) {
            if (h != 1 || w != 1 || ch != L->in_c)
                return lerr(c, i, nm, K_INPUTS,
                            "mul multiplies '%s' (%dx%dx%d) by a per-channel vector: '%s' must be "
                            "1x1x%d, not %dx%dx%d (h x w x c)", r->inputs[0], L->in_h, L->in_w,
                            L->in_c, r->inputs[1], L->in_c, h, w, ch);
        } else if (h != L->in_h || w != L->in_w || ch != L->in_c) {
            return lerr(c, i, nm, K_INPUTS,
                        "add of unequal shapes: '%s' is %dx%dx%d, '%s' is %dx%dx%d (h x w x c)",
                        r->inputs[0], L->in_h, L->in_w, L->in_c, r->inputs[1], h, w, ch);
        }
        L->in_bits[k] = b;
        L->in_signed[k] = sg;
    }

    /* geometry */
    int is_conv = L->op == PK_OP_CONV, is_pool = L->op == PK_OP_MAXPOOL || L->op == PK_OP_AVGPOOL;
    int rc = build_geom(c, i, nm, r, L, is_conv || is_pool, is_pool);
    if (rc)
        return rc;
    int64_t grp = 1;
    if (is_conv && has(c, i, K_GROUPS)) {
        grp = r->groups;
        if (grp < 1 || grp > L->in_c || L->in_c % grp != 0)
            return lerr(c, i, nm, K_GROUPS, "groups %lld must divide in_c = %d", (long long)grp,
                        L->in_c);
    }
    L->groups = (int)grp;
    L->depthwise = is_conv && grp > 1 && grp == L->in_c;

    int64_t oc = L->in_c + (int64_t)concat_c2;
    if (oc > PK_NET_MAX_DIM)
        return lerr(c, i, nm, K_INPUTS, "concat output has %lld channels (at most %d)",
                    (long long)oc, PK_NET_MAX_DIM);
    if (is_conv || L->op == PK_OP_FC) {
        if (!has(c, i, K_OUT_C))
            return lerr(c, i, nm, K_OUT_C, "missing 'out_c' (required for op %s)", op_names[op]);
        oc = r->out_c;
        if (oc < 1 || oc > PK_NET_MAX_DIM)
            return lerr(c, i, nm, K_OUT_C, "out_c %lld out of range [1, %d]", (long long)oc,
                        PK_NET_MAX_DIM);
        if (oc % L->groups != 0)
            return lerr(c, i, nm, K_OUT_C, "out_c %lld is not a multiple of groups = %d",
                        (long long)oc, L->groups);
        if (L->depthwise && oc != L->in_c)
            L->depthwise = 0; /* channel multiplier: a grouped conv of 1 input channel each */
    } else if (has(c, i, K_OUT_C) && r->out_c != oc) {
        return lerr(c, i, nm, K_OUT_C, "op %s %s: out_c must be %lld, got %lld", op_names[op],
                    L->op == PK_OP_CONCAT ? "sums the input channels" : "keeps the channel count",
                    (long long)oc, (long long)r->out_c);
    }
    L->out_c = (int)oc;

    int64_t oh, ow, K;
    switch (L->op) {
    case PK_OP_CONV:
    case PK_OP_MAXPOOL:
    case PK_OP_AVGPOOL:
        oh = slide(L->in_h, L->kh, L->sh, L->pad_t + L->pad_b);
        ow = slide(L->in_w, L->kw, L->sw, L->pad_l + L->pad_r);
        if (oh < 1 || ow < 1)
            return lerr(c, i, nm, K_KERNEL,
                        "kernel %dx%d with padding (top %d, left %d, bottom %d, right %d) does "
                        "not fit the %dx%d input", L->kh, L->kw, L->pad_t, L->pad_l, L->pad_b,
                        L->pad_r, L->in_h, L->in_w);
        K = (int64_t)L->kh * L->kw * (is_conv ? L->in_c / grp : 1);
        break;
    case PK_OP_FC:
        oh = ow = 1;
        K = (int64_t)L->in_h * L->in_w * L->in_c;
        break;
    case PK_OP_GLOBAL_AVGPOOL:
        oh = ow = 1;
        L->kh = L->in_h;
        L->kw = L->in_w;
        K = (int64_t)L->in_h * L->in_w;
        break;
    default: /* add, concat, mul */
        oh = L->in_h;
        ow = L->in_w;
        K = L->op == PK_OP_ADD ? 2 : 1;
        break;
    }
    L->out_h = (int)oh;
    L->out_w = (int)ow;
    L->K = K;
    if (!mul_ok(oh * ow, oc, &L->out_elems))
        return lerr(c, i, nm, K_ITEM, "output size overflows 64 bits");
    if (is_conv || L->op == PK_OP_FC) {
        if (!mul_ok(oc, K, &L->n_weights) || !mul_ok(L->out_elems, K, &L->macs) ||
            __builtin_add_overflow(net->total_macs, L->macs, &net->total_macs))
            return lerr(c, i, nm, K_ITEM, "MAC count overflows 64 bits");
    }

    /* precision */
    int64_t fb = has(c, i, K_FLOAT_BITS) ? r->float_bits : net_float_bits;
    if (fb != 16 && fb != 32)
        return lerr(c, i, nm, K_FLOAT_BITS, "float_bits %lld: must be 16 or 32", (long long)fb);
    L->float_bits = (int)fb;
    int64_t pb = has(c, i, K_PARAM_BITS) ? r->param_bits : 8;
    if (pb < 1 || pb > 32)
        return lerr(c, i, nm, K_PARAM_BITS, "param_bits %lld out of range [1, 32]",
                    (long long)pb);
    L->param_bits = (int)pb;

    L->a_bits = L->in_bits[0];
    L->a_signed = L->in_signed[0];
    if (is_conv || L->op == PK_OP_FC) {
        if (!has(c, i, K_W_BITS))
            return lerr(c, i, nm, K_W_BITS, "missing 'w_bits' (1, 2, 4, 8, or 16/32 = float)");
        if (!valid_width(r->w_bits))
            return lerr(c, i, nm, K_W_BITS, "w_bits %lld: must be 1, 2, 4, 8, 16 or 32",
                        (long long)r->w_bits);
        L->w_bits = (int)r->w_bits;
        if (has(c, i, K_A_BITS)) {
            if (!valid_width(r->a_bits))
                return lerr(c, i, nm, K_A_BITS, "a_bits %lld: must be 1, 2, 4, 8, 16 or 32",
                            (long long)r->a_bits);
            if (r->a_bits > L->in_bits[0])
                return lerr(c, i, nm, K_A_BITS,
                            "a_bits %lld exceeds the width of the input tensor (%d): a layer "
                            "may requantize its input only to fewer bits",
                            (long long)r->a_bits, L->in_bits[0]);
            L->a_bits = (int)r->a_bits;
            if (L->a_bits == 1 || pk_width_is_float(L->a_bits))
                L->a_signed = 1;
        }
    }

    int64_t ob;
    if (has(c, i, K_OUT_BITS)) {
        ob = r->out_bits;
        if (!valid_width(ob))
            return lerr(c, i, nm, K_OUT_BITS, "out_bits %lld: must be 1, 2, 4, 8, 16 or 32",
                        (long long)ob);
        if ((L->op == PK_OP_MAXPOOL || L->op == PK_OP_CONCAT) && ob != L->in_bits[0])
            return lerr(c, i, nm, K_OUT_BITS,
                        "%s keeps the input width: out_bits must be %d, got %lld",
                        op_names[op], L->in_bits[0], (long long)ob);
    } else if (is_conv || L->op == PK_OP_FC) {
        return lerr(c, i, nm, K_OUT_BITS, "missing 'out_bits' (1, 2, 4, 8, or 16/32 = float)");
    } else {
        ob = L->in_bits[0] > L->in_bits[1] ? L->in_bits[0] : L->in_bits[1];
    }
    L->out_bits = (int)ob;

    int q = parse_enum(c, i, nm, K_QUANT, r->quant, quant_names, 2,
                       L->op == PK_OP_CONV || L->op == PK_OP_FC ? PK_QUANT_PER_CHANNEL
                                                                : PK_QUANT_PER_TENSOR);
    int nrm = parse_enum(c, i, nm, K_NORM, r->norm, norm_names, 3, PK_NORM_NONE);
    int sc = parse_enum(c, i, nm, K_SCALE, r->scale, scale_names, 3, PK_SCALE_NONE);
    int ac = parse_enum(c, i, nm, K_ACT, r->act, act_names, PK_ACT_COUNT, PK_ACT_NONE);
    int rd = parse_enum(c, i, nm, K_ROUNDING, r->rounding, rounding_names, 2, 0);
    if (q < 0 || nrm < 0 || sc < 0 || ac < 0 || rd < 0)
        return PK_EINPUT;
    L->rounding = rd;
    if (has(c, i, K_IN_ZP) && r->in_zero_point != 0) {
        int64_t zlo, zhi, z = r->in_zero_point;
        if (L->a_bits == 1 || pk_width_is_float(L->a_bits))
            return lerr(c, i, nm, K_IN_ZP, "in_zero_point %lld: a %s input has no zero point",
                        (long long)z, L->a_bits == 1 ? "binary (+-1)" : "float");
        zlo = L->a_signed ? -((int64_t)1 << (L->a_bits - 1)) : 0;
        zhi = L->a_signed ? ((int64_t)1 << (L->a_bits - 1)) - 1 : ((int64_t)1 << L->a_bits) - 1;
        if (z < zlo || z > zhi)
            return lerr(c, i, nm, K_IN_ZP,
                        "in_zero_point %lld out of range [%lld, %lld] (the values of the %d-bit "
                        "%s input)", (long long)z, (long long)zlo, (long long)zhi, L->a_bits,
                        L->a_signed ? "signed" : "unsigned");
        L->in_zero_point = (int)z;
    }
    for (int k = K_A_SHIFT; k <= K_R_SHIFT; k++) {
        int64_t v = k == K_A_SHIFT ? r->a_shift : r->r_shift;
        if (!has(c, i, k))
            continue;
        if (v < 0 || v > 15)
            return lerr(c, i, nm, k, "%s %lld out of range [0, 15] (a 4-bit descriptor field; "
                        "the config's residual_shift_bits may allow fewer)", key_names[k],
                        (long long)v);
        L->shifts_set = 1;
        *(k == K_A_SHIFT ? &L->a_shift : &L->r_shift) = (int)v;
    }
    L->quant = (pk_quant_t)q;
    L->norm = (pk_norm_t)nrm;
    if ((L->op == PK_OP_AVGPOOL || L->op == PK_OP_GLOBAL_AVGPOOL) && nrm == PK_NORM_FLOAT_BN)
        return lerr(c, i, nm, K_NORM, "norm float_bn: an average pool takes none or quantnorm");
    L->scale = (pk_scale_t)sc;
    L->act = (pk_act_t)ac;
    L->n_param_sets = L->quant == PK_QUANT_PER_CHANNEL ? L->out_c : 1;

    /* output signedness: binary and float are signed; maxpool keeps it */
    if (ob == 1 || pk_width_is_float((int)ob)) {
        if (has(c, i, K_OUT_SIGNED) && !r->out_signed)
            return lerr(c, i, nm, K_OUT_SIGNED,
                        "out_bits %lld is %s: it cannot be unsigned", (long long)ob,
                        ob == 1 ? "binary +-1" : "float");
        L->out_signed = 1;
    } else if (L->op == PK_OP_MAXPOOL || L->op == PK_OP_CONCAT) {
        if (has(c, i, K_OUT_SIGNED) && r->out_signed != (bool)L->in_signed[0])
            return lerr(c, i, nm, K_OUT_SIGNED, "%s keeps the input signedness", op_names[op]);
        L->out_signed = L->in_signed[0];
    } else if (has(c, i, K_OUT_SIGNED)) {
        L->out_signed = r->out_signed;
    } else {
        L->out_signed = L->act == PK_ACT_RELU ? 0 : 1;
    }

    /* clip bounds, in output-code units */
    int64_t lo, hi;
    if (pk_width_is_float((int)ob) || ob == 1) {
        lo = -32768;
        hi = 32767;
    } else if (L->out_signed) {
        lo = -((int64_t)1 << (ob - 1));
        hi = ((int64_t)1 << (ob - 1)) - 1;
    } else {
        lo = 0;
        hi = ((int64_t)1 << ob) - 1;
    }
    if (has(c, i, K_CLIP)) {
        if (L->act != PK_ACT_CLIP)
            return lerr(c, i, nm, K_CLIP, "'clip' is only meaningful with act: clip");
        if (r->clip_count != 2)
            return lerr(c, i, nm, K_CLIP, "clip must be [lo, hi], got %u values", r->clip_count);
        if (r->clip[0] < -32768 || r->clip[1] > 32767 || r->clip[0] > r->clip[1])
            return lerr(c, i, nm, K_CLIP,
                        "clip [%lld, %lld]: need -32768 <= lo <= hi <= 32767",
                        (long long)r->clip[0], (long long)r->clip[1]);
        lo = r->clip[0];
        hi = r->clip[1];
    }
    L->clip_lo = (int)lo;
    L->clip_hi = (int)hi;

    if (r->weights && !(L->weights_path = resolve_path(c->file, r->weights)))
        return pk_error_set(c->err, PK_ENOMEM, c->file, 0, "", "out of memory");
    if (r->params && !(L->params_path = resolve_path(c->file, r->params)))
        return pk_error_set(c->err, PK_ENOMEM, c->file, 0, "", "out of memory");

    if (L->weights_path || L->params_path) {
        int rc = check_files(c, i, L);
        if (rc)
            return rc;
    }

    ntab_put(names, L->name, (int)i);
    return 0;
}

/* ---- network ------------------------------------------------------------ */

static int build_net(ctx_t *c, const raw_net_t *raw, pk_net_t *net)
{
    if (!raw->name || !raw->name[0])
        return nerr(c, "name", "missing network 'name'");
    if (!valid_name(raw->name))
        return nerr(c, "name", "'%s': use letters, digits, '_', '-', '.'", raw->name);
    if (!pk_yamlpos_line(c->pos, "input"))
        return nerr(c, "input", "missing 'input: {h, w, c, bits, signed}'");
    static const char *const dims[3] = { "input.h", "input.w", "input.c" };
    const int64_t vals[3] = { raw->input.h, raw->input.w, raw->input.c };
    int out[3];
    for (int k = 0; k < 3; k++) {
        if (!pk_yamlpos_line(c->pos, dims[k]))
            return nerr(c, dims[k], "missing (positive integer)");
        if (vals[k] < 1 || vals[k] > PK_NET_MAX_DIM)
            return nerr(c, dims[k], "%lld out of range [1, %d]", (long long)vals[k],
                        PK_NET_MAX_DIM);
        out[k] = (int)vals[k];
    }
    if (!pk_yamlpos_line(c->pos, "input.bits"))
        return nerr(c, "input.bits", "missing (1, 2, 4, 8, or 16/32 = float)");
    if (!valid_width(raw->input.bits))
        return nerr(c, "input.bits", "%lld: must be 1, 2, 4, 8, 16 or 32",
                    (long long)raw->input.bits);
    int64_t fb = pk_yamlpos_line(c->pos, "float_bits") ? raw->float_bits : 32;
    if (fb != 16 && fb != 32)
        return nerr(c, "float_bits", "%lld: must be 16 or 32", (long long)fb);
    if (!raw->layers_count)
        return nerr(c, "layers", "missing or empty 'layers' (at least one layer)");

    if (!(net->name = dup_str(raw->name)))
        return pk_error_set(c->err, PK_ENOMEM, c->file, 0, "", "out of memory");
    net->in_h = out[0];
    net->in_w = out[1];
    net->in_c = out[2];
    net->in_bits = (int)raw->input.bits;
    net->in_signed = raw->input.bits == 1 || pk_width_is_float(net->in_bits) ||
                     raw->input.is_signed;
    net->seed = 1;
    if (raw->seed) {
        const char *sp = raw->seed;
        char *end;
        errno = 0;
        unsigned long long sv = strtoull(sp, &end, 0);
        if (!*sp || !(*sp >= '0' && *sp <= '9') || *end || errno)
            return nerr(c, "seed", "'%s': must be an unsigned 64-bit integer (0 to 18446744073709551615)",
                        sp);
        net->seed = (uint64_t)sv;
    }

    net->layers = calloc(raw->layers_count, sizeof *net->layers);
    ntab_t names = { 0 };
    if (!net->layers || ntab_init(&names, raw->layers_count)) {
        ntab_free(&names);
        return pk_error_set(c->err, PK_ENOMEM, c->file, 0, "", "out of memory");
    }
    int rc = 0;
    for (unsigned i = 0; i < raw->layers_count && !rc; i++) {
        rc = build_layer(c, net, raw, i, &names, fb);
        net->n_layers = (int)i + 1; /* so pk_net_free frees what was built */
    }
    ntab_free(&names);
    return rc;
}

int pk_net_load(const char *path, pk_net_t **out, pk_error_t *err)
{
    *out = NULL;
    ctx_t c = { .file = path, .err = err };
    raw_net_t *raw = NULL;
    pk_net_t *net = NULL;
    int rc;
    cylog_t lg = { .first = "" };
    cyaml_config_t cfg = {
        .log_fn = cy_log, .log_ctx = &lg, .mem_fn = cyaml_mem, .log_level = CYAML_LOG_ERROR,
    };

    FILE *f = fopen(path, "rb");
    if (!f)
        return pk_error_set(err, PK_EINPUT, path, 0, "file",
                            "cannot open the network file (missing or not readable)");
    int ch = fgetc(f);
    while (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')
        ch = fgetc(f);
    fclose(f);
    if (ch == EOF)
        return pk_error_set(err, PK_EINPUT, path, 0, "file",
                            "empty network file (need name, input, layers)");

    if ((rc = pk_yamlpos_load(path, &c.pos, err)))
        goto done;
    int dline;
    const char *dup = pk_yamlpos_duplicate(c.pos, &dline);
    if (dup) {
        rc = pk_error_set(err, PK_EINPUT, path, dline, dup, "duplicate key");
        goto done;
    }

    cyaml_err_t ce = cyaml_load_file(path, &cfg, &net_schema, (void **)&raw, NULL);
    if (ce != CYAML_OK) {
        char kp[256];
        cy_path(&lg, kp, sizeof kp);
        /* libcyaml gives an unknown key the line of the previous value:
         * look the key itself up */
        if (strncmp(lg.first, "Unexpected key: ", 16) == 0) {
            char full[600];
            snprintf(full, sizeof full, "%.200s%s%.200s", kp, kp[0] ? "." : "", lg.first + 16);
            int l = pk_yamlpos_line(c.pos, full);
            if (l) {
                lg.line = l;
                snprintf(kp, sizeof kp, "%.250s", full);
                snprintf(lg.first, sizeof lg.first, "unknown key (the allowed keys are listed "
                         "in docs/NETWORK.md)");
            }
        }
        rc = pk_error_set(err, PK_EINPUT, path, lg.line, kp[0] ? kp : "syntax",
                          "%s", lg.first[0] ? lg.first : cyaml_strerror(ce));
        raw = NULL;
        goto done;
    }
    if (!raw) {
        rc = pk_error_set(err, PK_EINPUT, path, 0, "file",
                          "empty network file (need name, input, layers)");
        goto done;
    }

    c.n_lines = raw->layers_count;
    if (c.n_lines && !(c.lines = calloc(c.n_lines, sizeof *c.lines))) {
        rc = pk_error_set(err, PK_ENOMEM, path, 0, "", "out of memory");
        goto done;
    }
    index_layer_keys(&c);

    if (!(net = calloc(1, sizeof *net)) || !(net->source = dup_str(path))) {
        rc = pk_error_set(err, PK_ENOMEM, path, 0, "", "out of memory");
        goto done;
    }
    rc = build_net(&c, raw, net);

done:
    if (raw)
        cyaml_free(&cfg, &net_schema, raw, 0);
    free(c.lines);
    pk_yamlpos_free(c.pos);
    if (rc) {
        pk_net_free(net);
        return rc;
    }
    *out = net;
    return 0;
}

void pk_net_free(pk_net_t *net)
{
    if (!net)
        return;
    for (int i = 0; i < net->n_layers && net->layers; i++) {
        free(net->layers[i].name);
        free(net->layers[i].weights_path);
        free(net->layers[i].params_path);
    }
    free(net->layers);
    free(net->name);
    free(net->source);
    free(net);
}

int pk_net_find(const pk_net_t *net, const char *name)
{
    for (int i = 0; i < net->n_layers; i++)
        if (strcmp(net->layers[i].name, name) == 0)
            return i;
    return -1;
}
