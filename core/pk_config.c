/* pk_config.c - load, validate and derive the hardware config (pk_config.h).
 *
 * Pipeline, each stage stopping at the first error:
 *   1. pk_yamlpos reads the file: syntax errors, empty file, duplicate keys,
 *      and a key path -> line index for every later message.
 *   2. structure pass: every key path in the file is checked against the
 *      libcyaml schema below (unknown keys, children under a scalar key), and
 *      every required key of every present mapping must be there.  Doing this
 *      ourselves gives the key's own line, where libcyaml reports the line of
 *      the previous value or "Unexpected event".
 *   3. libcyaml loads the file into raw_t.  Every number is loaded as a
 *      string (libcyaml 1.3 reads "1.5" as the INT 1 and accepts nan/inf),
 *      enums are CYAML_FLAG_STRICT.  Anything libcyaml still rejects (a
 *      scalar where a list or mapping belongs, a bad enum) is translated from
 *      its log backtrace into FILE:LINE: FIELD: message.
 *   4. scalars are converted with strict parsers and range-checked, in schema
 *      order, each message naming what is allowed.
 *   5. consistency rules across fields, then the derived constants.
 * No global state: the libcyaml log is captured through log_ctx.
 */
#include "pk_config.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_contract.h" /* PK_DESC_BYTES, PK_PARAM_BYTES */
#include "pk_yamlpos.h"

/* ---- raw schema (what libcyaml fills) ----------------------------------- */

typedef struct {
    char *rows, *cols, *lanes;
} raw_array_t;

typedef struct {
    char **weight_bits;
    unsigned weight_bits_count;
    char **act_bits;
    unsigned act_bits_count;
    char *acc_bits, *max_reduction;
    char *min_depthwise_weight_bits;
} raw_precision_t;

typedef struct {
    char *lanes, *internal_bits, *qn_mult_bits, *qn_bias_bits, *qn_shift_bits;
    char *dq_mant_bits, *dq_exp_bits, *act_param_bits, *act_shift_bits;
    int *activations;
    unsigned activations_count;
    char *residual, *residual_shift_bits;
    int *pooling;
    unsigned pooling_count;
} raw_postproc_t;

typedef struct {
    char *weights, *activations;
} raw_buffers_t;

typedef struct {
    char *bytes_per_cycle, *latency, *addr_bits;
} raw_offchip_t;

typedef struct {
    char *int_add_32b_pj, *int_mult_32b_pj, *int_add_8b_pj, *int_mult_8b_pj;
    char *fp16_add_pj, *fp16_mult_pj, *fp32_add_pj, *fp32_mult_pj;
    char *mult_exponent, *sram_read_64b_pj, *sram_write_64b_pj, *dram_byte_pj;
    char *static_pj_per_cycle;
} raw_energy_t;

typedef struct {
    int family;
    char *device, *package, *uart_baud;
} raw_fpga_t;

typedef struct {
    char *name, *clock_mhz;
    raw_array_t array;
    raw_precision_t precision;
    raw_postproc_t postproc;
    raw_buffers_t buffers;
    raw_offchip_t offchip;
    raw_energy_t *energy; /* optional mapping */
    raw_fpga_t fpga;
} raw_t;

#define REQ CYAML_FLAG_POINTER
#define OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)
#define STR(key, flags, type, member) \
    CYAML_FIELD_STRING_PTR(key, flags, type, member, 0, CYAML_UNLIMITED)

static const cyaml_schema_value_t str_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_strval_t act_names[] = {
    {"none", PK_ACT_NONE},   {"relu", PK_ACT_RELU},     {"clip", PK_ACT_CLIP},
    {"prelu", PK_ACT_PRELU}, {"dprelu", PK_ACT_DPRELU}, {"rprelu", PK_ACT_RPRELU},
};
static const cyaml_strval_t pool_names[] = {
    {"max", PK_POOL_MAX}, {"avg", PK_POOL_AVG}, {"global_avg", PK_POOL_GLOBAL_AVG},
};
static const cyaml_strval_t family_names[] = {
    {"generic", PK_FPGA_GENERIC}, {"ice40", PK_FPGA_ICE40}, {"xilinx", PK_FPGA_XILINX},
    {"ecp5", PK_FPGA_ECP5},
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const cyaml_schema_value_t act_entry = {
    CYAML_VALUE_ENUM(CYAML_FLAG_STRICT, int, act_names, NELEM(act_names)),
};
static const cyaml_schema_value_t pool_entry = {
    CYAML_VALUE_ENUM(CYAML_FLAG_STRICT, int, pool_names, NELEM(pool_names)),
};

static const cyaml_schema_field_t array_fields[] = {
    STR("rows", REQ, raw_array_t, rows),
    STR("cols", REQ, raw_array_t, cols),
    STR("lanes", REQ, raw_array_t, lanes),
    CYAML_FIELD_END,
};
static const cyaml_schema_field_t precision_fields[] = {
    CYAML_FIELD_SEQUENCE("weight_bits", CYAML_FLAG_POINTER, raw_precision_t, weight_bits,
                         &str_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("act_bits", CYAML_FLAG_POINTER, raw_precision_t, act_bits,
                         &str_entry, 0, CYAML_UNLIMITED),
    STR("acc_bits", REQ, raw_precision_t, acc_bits),
    STR("max_reduction", REQ, raw_precision_t, max_reduction),
    STR("min_depthwise_weight_bits", OPT, raw_precision_t, min_depthwise_weight_bits),
    CYAML_FIELD_END,
};
static const cyaml_schema_field_t postproc_fields[] = {
    STR("lanes", REQ, raw_postproc_t, lanes),
    STR("internal_bits", REQ, raw_postproc_t, internal_bits),
    STR("qn_mult_bits", REQ, raw_postproc_t, qn_mult_bits),
    STR("qn_bias_bits", REQ, raw_postproc_t, qn_bias_bits),
    STR("qn_shift_bits", REQ, raw_postproc_t, qn_shift_bits),
    STR("dq_mant_bits", REQ, raw_postproc_t, dq_mant_bits),
    STR("dq_exp_bits", REQ, raw_postproc_t, dq_exp_bits),
    STR("act_param_bits", REQ, raw_postproc_t, act_param_bits),
    STR("act_shift_bits", REQ, raw_postproc_t, act_shift_bits),
    CYAML_FIELD_SEQUENCE("activations", CYAML_FLAG_POINTER, raw_postproc_t, activations,
                         &act_entry, 0, CYAML_UNLIMITED),
    STR("residual", REQ, raw_postproc_t, residual),
    STR("residual_shift_bits", REQ, raw_postproc_t, residual_shift_bits),
    CYAML_FIELD_SEQUENCE("pooling", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_postproc_t,
                         pooling, &pool_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};
static const cyaml_schema_field_t buffers_fields[] = {
    STR("weights", REQ, raw_buffers_t, weights),
    STR("activations", REQ, raw_buffers_t, activations),
    CYAML_FIELD_END,
};
static const cyaml_schema_field_t offchip_fields[] = {
    STR("bytes_per_cycle", REQ, raw_offchip_t, bytes_per_cycle),
    STR("latency", REQ, raw_offchip_t, latency),
    STR("addr_bits", REQ, raw_offchip_t, addr_bits),
    CYAML_FIELD_END,
};
static const cyaml_schema_field_t energy_fields[] = {
    STR("int_add_32b_pj", OPT, raw_energy_t, int_add_32b_pj),
    STR("int_mult_32b_pj", OPT, raw_energy_t, int_mult_32b_pj),
    STR("int_add_8b_pj", OPT, raw_energy_t, int_add_8b_pj),
    STR("int_mult_8b_pj", OPT, raw_energy_t, int_mult_8b_pj),
    STR("fp16_add_pj", OPT, raw_energy_t, fp16_add_pj),
    STR("fp16_mult_pj", OPT, raw_energy_t, fp16_mult_pj),
    STR("fp32_add_pj", OPT, raw_energy_t, fp32_add_pj),
    STR("fp32_mult_pj", OPT, raw_energy_t, fp32_mult_pj),
    STR("mult_exponent", OPT, raw_energy_t, mult_exponent),
    STR("sram_read_64b_pj", OPT, raw_energy_t, sram_read_64b_pj),
    STR("sram_write_64b_pj", OPT, raw_energy_t, sram_write_64b_pj),
    STR("dram_byte_pj", OPT, raw_energy_t, dram_byte_pj),
    STR("static_pj_per_cycle", OPT, raw_energy_t, static_pj_per_cycle),
    CYAML_FIELD_END,
};
static const cyaml_schema_field_t fpga_fields[] = {
    CYAML_FIELD_ENUM("family", CYAML_FLAG_STRICT, raw_fpga_t, family, family_names,
                     NELEM(family_names)),
    STR("device", OPT, raw_fpga_t, device),
    STR("package", OPT, raw_fpga_t, package),
    STR("uart_baud", OPT, raw_fpga_t, uart_baud),
    CYAML_FIELD_END,
};
static const cyaml_schema_field_t top_fields[] = {
    STR("name", REQ, raw_t, name),
    STR("clock_mhz", REQ, raw_t, clock_mhz),
    CYAML_FIELD_MAPPING("array", CYAML_FLAG_DEFAULT, raw_t, array, array_fields),
    CYAML_FIELD_MAPPING("precision", CYAML_FLAG_DEFAULT, raw_t, precision, precision_fields),
    CYAML_FIELD_MAPPING("postproc", CYAML_FLAG_DEFAULT, raw_t, postproc, postproc_fields),
    CYAML_FIELD_MAPPING("buffers", CYAML_FLAG_DEFAULT, raw_t, buffers, buffers_fields),
    CYAML_FIELD_MAPPING("offchip", CYAML_FLAG_DEFAULT, raw_t, offchip, offchip_fields),
    CYAML_FIELD_MAPPING_PTR("energy", CYAML_FLAG_OPTIONAL, raw_t, energy, energy_fields),
    CYAML_FIELD_MAPPING("fpga", CYAML_FLAG_DEFAULT, raw_t, fpga, fpga_fields),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_t, top_fields),
};

/* ---- load context -------------------------------------------------------- */

typedef struct {
    const char *path;
    pk_yamlpos_t *pos;
    pk_error_t *err;
    char log[2048]; /* captured libcyaml log text */
    size_t log_len;
} ctx_t;

static int line_of(const ctx_t *c, const char *keypath)
{
    return c->pos ? pk_yamlpos_line(c->pos, keypath) : 0;
}

/* Error at the line of keypath. */
__attribute__((format(printf, 3, 4)))
static int bad(ctx_t *c, const char *keypath, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pk_error_set(c->err, PK_EINPUT, c->path, line_of(c, keypath), keypath, "%s", msg);
}

/* Error about `field` at the line of `where` (a present parent key). */
__attribute__((format(printf, 4, 5)))
static int bad_at(ctx_t *c, const char *where, const char *field, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pk_error_set(c->err, PK_EINPUT, c->path, line_of(c, where), field, "%s", msg);
}

static void cyaml_log_capture(cyaml_log_t level, void *vctx, const char *fmt, va_list ap)
{
    ctx_t *c = vctx;
    (void)level;
    if (c->log_len >= sizeof c->log - 1)
        return;
    int n = vsnprintf(c->log + c->log_len, sizeof c->log - c->log_len, fmt, ap);
    if (n > 0)
        c->log_len += (size_t)n;
    if (c->log_len > sizeof c->log - 1)
        c->log_len = sizeof c->log - 1;
}

/* ---- schema walk (structure pass) ---------------------------------------- */

static const cyaml_schema_field_t *find_field(const cyaml_schema_field_t *f, const char *key,
                                              size_t len)
{
    for (; f && f->key; f++)
        if (strlen(f->key) == len && strncmp(f->key, key, len) == 0)
            return f;
    return NULL;
}

/* "rows, cols, lanes"; only the required keys if required_only. */
static void list_keys_if(const cyaml_schema_field_t *f, int required_only, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (; f->key && n < len; f++)
        if (!required_only || !(f->value.flags & CYAML_FLAG_OPTIONAL))
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", f->key);
}

static void list_keys(const cyaml_schema_field_t *f, char *buf, size_t len)
{
    list_keys_if(f, 0, buf, len);
}

static const char *kind_name(cyaml_type_e t)
{
    switch (t) {
    case CYAML_MAPPING: return "a mapping";
    case CYAML_SEQUENCE: return "a list";
    default: return "a single value";
    }
}

/* Check one key path from the file against the schema. */
static int check_path(ctx_t *c, const char *keypath)
{
    const cyaml_schema_value_t *v = &top_schema;
    const char *p = keypath;
    char prefix[512] = "";
    while (*p) {
        if (*p == '[') {
            /* a real index is "[digits]"; anything else came from a key that
             * itself contains '[' (pk_yamlpos joins raw keys) */
            size_t nd = strspn(p + 1, "0123456789");
            if (nd == 0 || p[1 + nd] != ']')
                return bad(c, keypath, "unknown key (keys are plain names, no '[')");
            if (v->type != CYAML_SEQUENCE)
                return bad(c, prefix[0] ? prefix : keypath,
                           "expected %s, found a list", kind_name(v->type));
            const char *e = strchr(p, ']');
            size_t n = strlen(prefix);
            snprintf(prefix + n, sizeof prefix - n, "%.*s", (int)(e - p + 1), p);
            v = v->sequence.entry;
            p = e + 1;
            continue;
        }
        if (*p == '.')
            p++;
        size_t len = strcspn(p, ".[");
        if (v->type != CYAML_MAPPING) {
            if (!prefix[0])
                return bad(c, "config", "the file must be a mapping of keys");
            return bad(c, prefix, "expected %s, found a mapping", kind_name(v->type));
        }
        const cyaml_schema_field_t *f = find_field(v->mapping.fields, p, len);
        size_t n = strlen(prefix);
        snprintf(prefix + n, sizeof prefix - n, "%s%.*s", n ? "." : "", (int)len, p);
        if (!f) {
            char keys[512];
            list_keys(v->mapping.fields, keys, sizeof keys);
            return bad(c, prefix, "unknown key; allowed keys here: %s", keys);
        }
        v = &f->value;
        p += len;
    }
    return 0;
}

/* Required keys of the mapping `fields` at `prefix` (which is present). */
/* Does any key path in the file start with "prefix." ? */
static int has_children(const ctx_t *c, const char *prefix)
{
    size_t n = pk_yamlpos_count(c->pos), len = strlen(prefix);
    for (size_t i = 0; i < n; i++) {
        const char *kp;
        int line;
        pk_yamlpos_entry(c->pos, i, &kp, &line);
        if (strncmp(kp, prefix, len) == 0 && kp[len] == '.')
            return 1;
    }
    return 0;
}

static int check_required(ctx_t *c, const cyaml_schema_field_t *fields, const char *prefix)
{
    if (prefix[0] && !has_children(c, prefix)) {
        int any_required = 0;
        for (const cyaml_schema_field_t *f = fields; f->key; f++)
            any_required |= !(f->value.flags & CYAML_FLAG_OPTIONAL);
        if (any_required) {
            char keys[512];
            list_keys(fields, keys, sizeof keys);
            return bad(c, prefix, "expected a mapping with the keys: %s", keys);
        }
    }
    for (const cyaml_schema_field_t *f = fields; f->key; f++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", f->key);
        int present = line_of(c, path) > 0;
        if (!present && !(f->value.flags & CYAML_FLAG_OPTIONAL)) {
            int line = prefix[0] ? line_of(c, prefix) : 0;
            char keys[512];
            list_keys_if(fields, 1, keys, sizeof keys);
            return pk_error_set(c->err, PK_EINPUT, c->path, line, path,
                                "required key is missing (%s requires: %s)",
                                prefix[0] ? prefix : "the top level", keys);
        }
        if (present && f->value.type == CYAML_MAPPING) {
            int rc = check_required(c, f->value.mapping.fields, path);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int structure_pass(ctx_t *c)
{
    size_t n = pk_yamlpos_count(c->pos);
    if (n == 0)
        return pk_error_set(c->err, PK_EINPUT, c->path, 0, "config",
                            "file is empty; expected a mapping with the keys of docs/CONFIG.md");
    int dline = 0;
    const char *dup = pk_yamlpos_duplicate(c->pos, &dline);
    if (dup)
        return pk_error_set(c->err, PK_EINPUT, c->path, dline, dup,
                            "duplicate key (first given at line %d); each key may appear once",
                            pk_yamlpos_line(c->pos, dup));
    for (size_t i = 0; i < n; i++) {
        const char *kp;
        int line;
        pk_yamlpos_entry(c->pos, i, &kp, &line);
        if (kp[0] == '[')
            return pk_error_set(c->err, PK_EINPUT, c->path, line, "config",
                                "the file must be a mapping of keys, not a list");
        int rc = check_path(c, kp);
        if (rc)
            return rc;
    }
    return check_required(c, top_fields, "");
}

/* ---- translate a libcyaml failure ---------------------------------------- */

static const cyaml_schema_value_t *value_at(const char *keypath)
{
    const cyaml_schema_value_t *v = &top_schema;
    const char *p = keypath;
    while (*p && v) {
        if (*p == '[') {
            /* a real index is "[digits]"; anything else came from a key that
             * itself contains '[' (pk_yamlpos joins raw keys) */
            size_t nd = strspn(p + 1, "0123456789");
            if (nd == 0 || p[1 + nd] != ']')
                return NULL;
            if (v->type != CYAML_SEQUENCE)
                return NULL;
            v = v->sequence.entry;
            p = strchr(p, ']');
            if (!p)
                return NULL;
            p++;
            continue;
        }
        if (*p == '.')
            p++;
        size_t len = strcspn(p, ".[");
        if (v->type != CYAML_MAPPING)
            return NULL;
        const cyaml_schema_field_t *f = find_field(v->mapping.fields, p, len);
        v = f ? &f->value : NULL;
        p += len;
    }
    return v;
}

static const char *event_kind(const char *ev)
{
    if (strstr(ev, "SEQUENCE"))
        return "a list";
    if (strstr(ev, "MAPPING"))
        return "a mapping";
    if (strstr(ev, "SCALAR"))
        return "a single value";
    return ev;
}

static int translate_cyaml(ctx_t *c, cyaml_err_t e)
{
    /* Backtrace lines, innermost first:
     *   in mapping field 'rows' (line: 2, column: 9)
     *   in sequence entry '2' (line: 6, column: 9)     (1-based count) */
    char frames[16][160];
    int nf = 0, inner_line = 0;
    for (const char *s = c->log; (s = strstr(s, "  in ")) != NULL && nf < 16; s += 5) {
        char name[128];
        int line = 0;
        if (sscanf(s, "  in mapping field '%127[^']' (line: %d", name, &line) == 2)
            snprintf(frames[nf++], sizeof frames[0], ".%s", name);
        else if (sscanf(s, "  in sequence entry '%127[^']' (line: %d", name, &line) == 2)
            snprintf(frames[nf++], sizeof frames[0], "[%ld]", strtol(name, NULL, 10) - 1);
        else
            continue;
        if (!inner_line)
            inner_line = line;
    }
    char path[512] = "";
    size_t n = 0;
    for (int i = nf - 1; i >= 0; i--)
        n += (size_t)snprintf(path + n, sizeof path - n, "%s", frames[i]);
    const char *kp = path[0] == '.' ? path + 1 : path;
    int line = line_of(c, kp);
    if (!line)
        line = inner_line;

    char first[512];
    size_t fl = strcspn(c->log, "\n");
    if (fl >= sizeof first)
        fl = sizeof first - 1;
    memcpy(first, c->log, fl);
    first[fl] = '\0';
    const char *msg = strncmp(first, "Load: ", 6) == 0 ? first + 6 : first;

    char want[64], got[64], val[256];
    if (sscanf(msg, "Expecting %63s got event: %63s", want, got) == 2) {
        want[strcspn(want, ",")] = '\0';
        const cyaml_schema_value_t *v = value_at(kp);
        return pk_error_set(c->err, PK_EINPUT, c->path, line, kp[0] ? kp : "config",
                            "expected %s, found %s", v ? kind_name(v->type) : want,
                            event_kind(got));
    }
    if (sscanf(msg, "Invalid ENUM value: %255[^\n]", val) == 1) {
        const cyaml_schema_value_t *v = value_at(kp);
        char allowed[256] = "";
        if (v && v->type == CYAML_ENUM) {
            size_t an = 0;
            for (uint32_t i = 0; i < v->enumeration.count; i++)
                an += (size_t)snprintf(allowed + an, sizeof allowed - an, "%s%s", i ? ", " : "",
                                       v->enumeration.strings[i].str);
        }
        return pk_error_set(c->err, PK_EINPUT, c->path, line, kp[0] ? kp : "config",
                            "'%s' is not allowed; allowed: %s", val, allowed);
    }
    return pk_error_set(c->err, PK_EINPUT, c->path, line, kp[0] ? kp : "config", "%s (%s)",
                        msg[0] ? msg : "cannot load", cyaml_strerror(e));
}

/* ---- strict scalar parsers ----------------------------------------------- */

static int get_i64(ctx_t *c, const char *kp, const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s || !*s)
        return bad(c, kp, "missing value; expected an integer in [%lld, %lld]", (long long)lo,
                   (long long)hi);
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || end == s || errno == ERANGE)
        return bad(c, kp, "'%s' is not an integer; expected an integer in [%lld, %lld]", s,
                   (long long)lo, (long long)hi);
    if (v < lo || v > hi)
        return bad(c, kp, "%lld is out of range; allowed [%lld, %lld]", v, (long long)lo,
                   (long long)hi);
    *out = v;
    return 0;
}

static int get_int(ctx_t *c, const char *kp, const char *s, int lo, int hi, int *out)
{
    int64_t v = 0;
    int rc = get_i64(c, kp, s, lo, hi, &v);
    if (!rc)
        *out = (int)v;
    return rc;
}

/* lo_open: the lower bound itself is not allowed. */
static int get_real(ctx_t *c, const char *kp, const char *s, double lo, int lo_open, double hi,
                    double *out)
{
    const char *range_open = lo_open ? "(" : "[";
    if (!s || !*s)
        return bad(c, kp, "missing value; expected a number in %s%g, %g]", range_open, lo, hi);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    /* decimal notation only: strtod would also take hex floats, "inf", "nan" */
    int decimal = strspn(s, "0123456789+-.eE") == strlen(s);
    if (!decimal || *end || end == s || errno == ERANGE || !isfinite(v))
        return bad(c, kp, "'%s' is not a finite decimal number; expected a number in %s%g, %g]", s,
                   range_open, lo, hi);
    if (v < lo || (lo_open && v == lo) || v > hi)
        return bad(c, kp, "%g is out of range; allowed %s%g, %g]", v, range_open, lo, hi);
    *out = v;
    return 0;
}

static int get_bool(ctx_t *c, const char *kp, const char *s, int *out)
{
    if (s && (!strcmp(s, "true") || !strcmp(s, "false"))) {
        *out = s[0] == 't';
        return 0;
    }
    return bad(c, kp, "'%s' is not a boolean; allowed: true, false", s ? s : "");
}

static int get_str(ctx_t *c, const char *kp, const char *s, char *out, size_t cap)
{
    if (!s || !*s)
        return bad(c, kp, "missing value; expected a non-empty string");
    if (strlen(s) >= cap)
        return bad(c, kp, "'%s' is too long; at most %zu characters", s, cap - 1);
    memcpy(out, s, strlen(s) + 1);
    return 0;
}

static int is_pow2(int64_t v)
{
    return v > 0 && (v & (v - 1)) == 0;
}

static int ceil_log2(int64_t v)
{
    int n = 0;
    while (((int64_t)1 << n) < v)
        n++;
    return n;
}

/* One width at key path kp: 1, 2, 4 or 8. */
static int get_width(ctx_t *c, const char *kp, const char *s, int *w)
{
    int rc = get_int(c, kp, s, 1, 8, w);
    if (rc)
        return rc;
    if (!is_pow2(*w))
        return bad(c, kp, "width %d is not supported; allowed widths: 1, 2, 4, 8", *w);
    return 0;
}

/* A width list: each of 1, 2, 4, 8, no duplicates, non-empty; stored sorted. */
static int get_widths(ctx_t *c, const char *kp, char **items, unsigned count, int *out,
                      int *out_count)
{
    if (count == 0)
        return bad(c, kp, "the list is empty; give one or more of 1, 2, 4, 8");
    /* More than four entries always hits a duplicate or a bad width below. */
    unsigned mask = 0;
    for (unsigned i = 0; i < count; i++) {
        char ip[256];
        snprintf(ip, sizeof ip, "%s[%u]", kp, i);
        int w = 0;
        int rc = get_width(c, ip, items[i], &w);
        if (rc)
            return rc;
        if (mask & (unsigned)w)
            return bad(c, ip, "width %d is listed twice; each width may appear once", w);
        mask |= (unsigned)w;
    }
    *out_count = 0;
    for (int w = 1; w <= 8; w <<= 1)
        if (mask & (unsigned)w)
            out[(*out_count)++] = w;
    return 0;
}

static int get_enum_set(ctx_t *c, const char *kp, const int *items, unsigned count,
                        const cyaml_strval_t *names, unsigned *mask)
{
    *mask = 0;
    for (unsigned i = 0; i < count; i++) {
        unsigned bit = 1u << items[i];
        if (*mask & bit) {
            char ip[256];
            snprintf(ip, sizeof ip, "%s[%u]", kp, i);
            return bad(c, ip, "'%s' is listed twice; each value may appear once",
                       names[items[i]].str);
        }
        *mask |= bit;
    }
    return 0;
}

/* ---- iCE40 devices and their packages (as nextpnr-ice40 knows them) ------ */

typedef struct part {
    const char *device;
    const char *packages; /* space separated */
} part_t;

static const part_t ice40_parts[] = {
    {"lp384", "qn32 cm36 cm49"},
    {"lp1k", "swg16tr cm36 cm49 cm81 cb81 qn84 cm121 cb121"},
    {"lp4k", "cm81 cm121 cm225"},
    {"lp8k", "cm81 cm121 cm225"},
    {"hx1k", "vq100 cb132 tq144"},
    {"hx4k", "cb132 tq144 bg121"},
    {"hx8k", "cm225 cb132 bg121 ct256"},
    {"up3k", "sg48 uwg30"},
    {"up5k", "sg48 uwg30"},
    {"u4k", "sg48"},
};

/* ---- ECP5 devices and their packages (Lattice FPGA-DS-02012, ECP5 and
 * ECP5-5G Family Data Sheet, ordering information; nextpnr-ecp5 names) ----- */

static const part_t ecp5_parts[] = {
    {"lfe5u-12f", "cabga256 cabga381 csfbga285 tqfp144"},
    {"lfe5u-25f", "cabga256 cabga381 csfbga285 tqfp144"},
    {"lfe5u-45f", "cabga256 cabga381 cabga554 csfbga285 tqfp144"},
    {"lfe5u-85f", "cabga381 cabga554 cabga756 csfbga285"},
    {"lfe5um-25f", "cabga381 csfbga285"},
    {"lfe5um-45f", "cabga381 cabga554 csfbga285"},
    {"lfe5um-85f", "cabga381 cabga554 cabga756 csfbga285"},
    {"lfe5um5g-25f", "cabga381 csfbga285"},
    {"lfe5um5g-45f", "cabga381 cabga554 csfbga285"},
    {"lfe5um5g-85f", "cabga381 cabga554 cabga756 csfbga285"},
};

static int word_in(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && strncmp(p, w, n) == 0)
            return 1;
        p += len;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* A family with a closed list of devices, each in its own packages
 * (iCE40, ECP5): both keys required and checked against the table. */
static int check_part(ctx_t *c, const raw_fpga_t *r, const pk_config_t *cfg, const char *family,
                      const char *shown, const part_t *parts, size_t nparts)
{
    char devs[256] = "";
    size_t n = 0;
    for (size_t i = 0; i < nparts; i++)
        n += (size_t)snprintf(devs + n, sizeof devs - n, "%s%s", i ? ", " : "", parts[i].device);
    if (!r->device)
        return bad_at(c, "fpga.family", "fpga.device", "required for family %s; allowed: %s",
                      family, devs);
    size_t i = 0;
    while (i < nparts && strcmp(parts[i].device, cfg->fpga.device))
        i++;
    if (i == nparts)
        return bad(c, "fpga.device", "'%s' is not a known %s device; allowed: %s",
                   cfg->fpga.device, shown, devs);
    if (!r->package)
        return bad_at(c, "fpga.family", "fpga.package", "required for family %s; %s comes in: %s",
                      family, cfg->fpga.device, parts[i].packages);
    if (!word_in(parts[i].packages, cfg->fpga.package))
        return bad(c, "fpga.package", "'%s' is not a package of %s; allowed: %s",
                   cfg->fpga.package, cfg->fpga.device, parts[i].packages);
    return 0;
}

/* fpga.uart_baud: the board UART's rate and its divider from clock_mhz
 * (ARCHITECTURE_V1.md 9.1): at least PK_UART_MIN_DIV cycles per bit and within
 * 2% of the rate asked for (8N1 tolerates about 4% in total).  Checked for
 * the families with a board top (ice40, ecp5) and wherever the key is given;
 * other configs keep the default and the nearest divider, unused. */
static int check_uart(ctx_t *c, const raw_fpga_t *r, pk_config_t *cfg)
{
    cfg->fpga.uart_baud = PK_UART_BAUD;
    if (r->uart_baud) {
        int rc = get_int(c, "fpga.uart_baud", r->uart_baud, 300, 12000000, &cfg->fpga.uart_baud);
        if (rc)
            return rc;
    }
    double hz = cfg->clock_mhz * 1e6, div = floor(hz / cfg->fpga.uart_baud + 0.5);
    cfg->fpga.uart_div = div < PK_UART_MIN_DIV ? PK_UART_MIN_DIV : (int)fmin(div, 1e9);
    int board = r->family == PK_FPGA_ICE40 || r->family == PK_FPGA_ECP5;
    if (!board && !r->uart_baud)
        return 0;
    const char *key = r->uart_baud ? "fpga.uart_baud" : "clock_mhz";
    if (div < PK_UART_MIN_DIV)
        return bad(c, key,
                   "a %d baud UART needs at least %d clock cycles per bit; clock_mhz %g gives "
                   "%.2f (allowed: at most %d baud)",
                   cfg->fpga.uart_baud, PK_UART_MIN_DIV, cfg->clock_mhz,
                   hz / cfg->fpga.uart_baud, (int)(hz / PK_UART_MIN_DIV));
    double off = fabs(hz / div - cfg->fpga.uart_baud) / cfg->fpga.uart_baud;
    if (off > 0.02)
        return bad(c, key,
                   "%d baud is %.1f%% off at clock_mhz %g (%.0f clock cycles per bit make %.0f "
                   "baud); allowed: within 2%%",
                   cfg->fpga.uart_baud, 100 * off, cfg->clock_mhz, div, hz / div);
    cfg->fpga.uart_div = (int)div;
    return 0;
}

static int check_fpga(ctx_t *c, const raw_fpga_t *r, pk_config_t *cfg)
{
    cfg->fpga.family = (pk_fpga_family_t)r->family;
    int urc = check_uart(c, r, cfg);
    if (urc)
        return urc;
    if (r->device) {
        int rc = get_str(c, "fpga.device", r->device, cfg->fpga.device, sizeof cfg->fpga.device);
        if (rc)
            return rc;
    }
    if (r->package) {
        int rc = get_str(c, "fpga.package", r->package, cfg->fpga.package,
                         sizeof cfg->fpga.package);
        if (rc)
            return rc;
    }
    switch (cfg->fpga.family) {
    case PK_FPGA_ICE40:
        return check_part(c, r, cfg, "ice40", "iCE40", ice40_parts, NELEM(ice40_parts));
    case PK_FPGA_ECP5:
        return check_part(c, r, cfg, "ecp5", "ECP5", ecp5_parts, NELEM(ecp5_parts));
    case PK_FPGA_XILINX: {
        if (!r->device)
            return bad_at(c, "fpga.family", "fpga.device",
                          "required for family xilinx (a part name such as xc7a35tcpg236-1)");
        const char *d = cfg->fpga.device;
        int ok = strncmp(d, "xc", 2) == 0 && strlen(d) > 4;
        for (const char *p = d; *p && ok; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
        if (!ok)
            return bad(c, "fpga.device",
                       "'%s' is not a Xilinx part name; expected lower-case 'xc' followed by "
                       "letters, digits and '-' (e.g. xc7a35tcpg236-1)", d);
        if (r->package)
            return bad(c, "fpga.package",
                       "package is only used for families ice40 and ecp5; a Xilinx part name includes its "
                       "package");
        break;
    }
    default:
        /* informative only, but it is echoed into generated files and scripts */
        for (const char *p = cfg->fpga.device; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
                  *p == '-'))
                return bad(c, "fpga.device",
                           "'%s' has character '%c'; allowed: lower-case letters, digits, '_', "
                           "'-'", cfg->fpga.device, *p);
        if (r->package)
            return bad(c, "fpga.package", "package is only used for families ice40 and ecp5");
        break;
    }
    return 0;
}

/* ---- energy defaults (METRICS.md: Horowitz, ISSCC 2014, 45 nm) ------------ */

static const pk_energy_t energy_defaults = {
    .int_add_32b_pj = 0.1,
    .int_mult_32b_pj = 3.1,
    .int_add_8b_pj = 0.03,
    .int_mult_8b_pj = 0.2,
    .fp16_add_pj = 0.4,
    .fp16_mult_pj = 1.1,
    .fp32_add_pj = 0.9,
    .fp32_mult_pj = 3.7,
    .mult_exponent = 2.0,
    .sram_read_64b_pj = 10.0,
    .sram_write_64b_pj = 10.0,
    .dram_byte_pj = 243.75, /* 1.95 nJ (midpoint of 1.3-2.6) per 64-bit access / 8 bytes */
    .static_pj_per_cycle = 0.0,
};

static int check_energy(ctx_t *c, const raw_energy_t *r, pk_energy_t *e)
{
    *e = energy_defaults;
    if (!r)
        return 0;
    static const struct {
        const char *key;
        size_t raw_off, out_off;
        double lo, hi;
        int lo_open;
    } t[] = {
#define E(k, lo, open, hi) {#k, offsetof(raw_energy_t, k), offsetof(pk_energy_t, k), lo, hi, open}
        E(int_add_32b_pj, 0, 0, 1e6),   E(int_mult_32b_pj, 0, 0, 1e6),
        E(int_add_8b_pj, 0, 0, 1e6),    E(int_mult_8b_pj, 0, 0, 1e6),
        E(fp16_add_pj, 0, 0, 1e6),      E(fp16_mult_pj, 0, 0, 1e6),
        E(fp32_add_pj, 0, 0, 1e6),      E(fp32_mult_pj, 0, 0, 1e6),
        E(mult_exponent, 0, 1, 4),      E(sram_read_64b_pj, 0, 0, 1e6),
        E(sram_write_64b_pj, 0, 0, 1e6), E(dram_byte_pj, 0, 0, 1e6),
        E(static_pj_per_cycle, 0, 0, 1e9),
#undef E
    };
    for (size_t i = 0; i < NELEM(t); i++) {
        const char *s = *(char *const *)((const char *)r + t[i].raw_off);
        if (!s)
            continue;
        char kp[128];
        snprintf(kp, sizeof kp, "energy.%s", t[i].key);
        int rc = get_real(c, kp, s, t[i].lo, t[i].lo_open, t[i].hi,
                          (double *)((char *)e + t[i].out_off));
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- conversion + validation -------------------------------------------- */

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

static int convert(ctx_t *c, const raw_t *r, pk_config_t *cfg)
{
    /* name */
    TRY(get_str(c, "name", r->name, cfg->name, sizeof cfg->name));
    for (const char *p = cfg->name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return bad(c, "name",
                       "'%s' has character '%c'; allowed: lower-case letters, digits, '_', '-'",
                       cfg->name, *p);
    TRY(get_real(c, "clock_mhz", r->clock_mhz, 0, 1, 5000, &cfg->clock_mhz));

    TRY(get_int(c, "array.rows", r->array.rows, 1, 256, &cfg->array.rows));
    TRY(get_int(c, "array.cols", r->array.cols, 1, 256, &cfg->array.cols));
    TRY(get_int(c, "array.lanes", r->array.lanes, 1, 64, &cfg->array.lanes));

    const raw_precision_t *rp = &r->precision;
    TRY(get_widths(c, "precision.weight_bits", rp->weight_bits, rp->weight_bits_count,
                   cfg->precision.weight_bits, &cfg->precision.weight_bits_count));
    TRY(get_widths(c, "precision.act_bits", rp->act_bits, rp->act_bits_count,
                   cfg->precision.act_bits, &cfg->precision.act_bits_count));
    TRY(get_int(c, "precision.acc_bits", rp->acc_bits, 2, 40, &cfg->precision.acc_bits));
    TRY(get_i64(c, "precision.max_reduction", rp->max_reduction, 1, (int64_t)1 << 24,
                &cfg->precision.max_reduction));
    /* the narrowest depthwise weight width (1 by default) */
    int dmin = 1;
    if (rp->min_depthwise_weight_bits)
        TRY(get_width(c, "precision.min_depthwise_weight_bits", rp->min_depthwise_weight_bits,
                      &dmin));
    cfg->precision.min_depthwise_weight_bits = dmin;

    const raw_postproc_t *rq = &r->postproc;
    TRY(get_int(c, "postproc.lanes", rq->lanes, 1, 256, &cfg->postproc.lanes));
    TRY(get_int(c, "postproc.internal_bits", rq->internal_bits, 2, 40,
                &cfg->postproc.internal_bits));
    TRY(get_int(c, "postproc.qn_mult_bits", rq->qn_mult_bits, 2, 16, &cfg->postproc.qn_mult_bits));
    TRY(get_int(c, "postproc.qn_bias_bits", rq->qn_bias_bits, 2, 32, &cfg->postproc.qn_bias_bits));
    TRY(get_int(c, "postproc.qn_shift_bits", rq->qn_shift_bits, 1, 6,
                &cfg->postproc.qn_shift_bits));
    TRY(get_int(c, "postproc.dq_mant_bits", rq->dq_mant_bits, 2, 16, &cfg->postproc.dq_mant_bits));
    TRY(get_int(c, "postproc.dq_exp_bits", rq->dq_exp_bits, 1, 6, &cfg->postproc.dq_exp_bits));
    TRY(get_int(c, "postproc.act_param_bits", rq->act_param_bits, 2, 16,
                &cfg->postproc.act_param_bits));
    /* act_shift, r_shift and a_shift are 4-bit descriptor fields (ARCHITECTURE_V1.md 5) */
    TRY(get_int(c, "postproc.act_shift_bits", rq->act_shift_bits, 1, 4,
                &cfg->postproc.act_shift_bits));
    TRY(get_enum_set(c, "postproc.activations", rq->activations, rq->activations_count,
                     act_names, &cfg->d.act_mask));
    cfg->d.act_mask |= 1u << PK_ACT_NONE;
    TRY(get_bool(c, "postproc.residual", rq->residual, &cfg->postproc.residual));
    TRY(get_int(c, "postproc.residual_shift_bits", rq->residual_shift_bits, 1, 4,
                &cfg->postproc.residual_shift_bits));
    TRY(get_enum_set(c, "postproc.pooling", rq->pooling, rq->pooling_count, pool_names,
                     &cfg->d.pool_mask));

    TRY(get_i64(c, "buffers.weights", r->buffers.weights, 1, (int64_t)1 << 30,
                &cfg->buffers.weights));
    TRY(get_i64(c, "buffers.activations", r->buffers.activations, 1, (int64_t)1 << 30,
                &cfg->buffers.activations));

    TRY(get_int(c, "offchip.bytes_per_cycle", r->offchip.bytes_per_cycle, 1, 64,
                &cfg->offchip.bytes_per_cycle));
    if (!is_pow2(cfg->offchip.bytes_per_cycle))
        return bad(c, "offchip.bytes_per_cycle",
                   "%d is not a power of two; allowed: 1, 2, 4, 8, 16, 32, 64",
                   cfg->offchip.bytes_per_cycle);
    TRY(get_int(c, "offchip.latency", r->offchip.latency, 1, 1000, &cfg->offchip.latency));
    TRY(get_int(c, "offchip.addr_bits", r->offchip.addr_bits, 16, 32, &cfg->offchip.addr_bits));

    TRY(check_energy(c, r->energy, &cfg->energy));
    TRY(check_fpga(c, &r->fpga, cfg));
    return 0;
}

/* Rules across fields; fills the derived constants as it goes. */
static int derive(ctx_t *c, pk_config_t *cfg)
{
    pk_derived_t *d = &cfg->d;
    const int *wb = cfg->precision.weight_bits, *ab = cfg->precision.act_bits;
    int nw = cfg->precision.weight_bits_count, na = cfg->precision.act_bits_count;
    int wmin = wb[0], wmax = wb[nw - 1], amin = ab[0], amax = ab[na - 1];
    int minw = wmin < amin ? wmin : amin;
    d->slot_bits = wmax > amax ? wmax : amax;
    d->width_mask_w = d->width_mask_a = 0;
    for (int i = 0; i < nw; i++)
        d->width_mask_w |= 1u << ceil_log2(wb[i]);
    for (int i = 0; i < na; i++)
        d->width_mask_a |= 1u << ceil_log2(ab[i]);

    int lanes = cfg->array.lanes, rows = cfg->array.rows, cols = cfg->array.cols;
    if (lanes * minw % 8)
        return bad(c, "array.lanes",
                   "lanes (%d) x narrowest width (%d bits) = %d bits is not a whole number of "
                   "bytes; packed operands must be byte-aligned: use a multiple of %d lanes",
                   lanes, minw, lanes * minw, 8 / minw);
    if (cols * amin % 8)
        return bad(c, "array.cols",
                   "cols (%d) x narrowest activation width (%d bits) = %d bits is not a whole "
                   "number of bytes; output rows must pack byte-aligned: use a multiple of %d "
                   "columns",
                   cols, amin, cols * amin, 8 / amin);
    d->word_bits = lanes * d->slot_bits;
    d->word_bytes = d->word_bits / 8;

    if (cols % cfg->postproc.lanes)
        return bad(c, "postproc.lanes",
                   "%d does not divide array.cols (%d); allowed: a divisor of %d",
                   cfg->postproc.lanes, cols, cols);
    d->ppu_cycles_per_row = cols / cfg->postproc.lanes;

    d->min_acc_bits = wmax + amax + ceil_log2(cfg->precision.max_reduction);
    if (cfg->precision.acc_bits < d->min_acc_bits)
        return bad(c, "precision.acc_bits",
                   "%d bits cannot hold a %lld-term dot product of %d-bit weights and %d-bit "
                   "activations exactly; the minimum is %d (= %d + %d + ceil(log2(%lld)) = "
                   "%d + %d + %d)",
                   cfg->precision.acc_bits, (long long)cfg->precision.max_reduction, wmax, amax,
                   d->min_acc_bits, wmax, amax, (long long)cfg->precision.max_reduction, wmax,
                   amax, ceil_log2(cfg->precision.max_reduction));
    if (cfg->postproc.internal_bits < cfg->precision.acc_bits)
        return bad(c, "postproc.internal_bits",
                   "%d is narrower than precision.acc_bits (%d); allowed: [%d, 40]",
                   cfg->postproc.internal_bits, cfg->precision.acc_bits,
                   cfg->precision.acc_bits);

    int64_t wq = (int64_t)cols * d->word_bytes, pq = (int64_t)rows * d->word_bytes;
    if (cfg->buffers.weights % wq)
        return bad(c, "buffers.weights",
                   "%lld bytes is not a multiple of cols x word_bytes = %d x %d = %lld; "
                   "nearest allowed: %lld or %lld",
                   (long long)cfg->buffers.weights, cols, d->word_bytes, (long long)wq,
                   (long long)(cfg->buffers.weights / wq * wq),
                   (long long)((cfg->buffers.weights / wq + 1) * wq));
    if (cfg->buffers.activations % pq)
        return bad(c, "buffers.activations",
                   "%lld bytes is not a multiple of rows x word_bytes = %d x %d = %lld; "
                   "nearest allowed: %lld or %lld",
                   (long long)cfg->buffers.activations, rows, d->word_bytes, (long long)pq,
                   (long long)(cfg->buffers.activations / pq * pq),
                   (long long)((cfg->buffers.activations / pq + 1) * pq));
    d->wbuf_depth = cfg->buffers.weights / wq;
    d->pbuf_depth = cfg->buffers.activations / pq;
    if (d->wbuf_depth == 0)
        return bad(c, "buffers.weights", "must hold at least one word per column (%lld bytes)",
                   (long long)wq);
    if (d->pbuf_depth == 0)
        return bad(c, "buffers.activations", "must hold at least one word per row (%lld bytes)",
                   (long long)pq);
    d->kc_max = d->wbuf_depth < d->pbuf_depth ? d->wbuf_depth : d->pbuf_depth;
    /* One read beat may complete at most one weight row (ARCHITECTURE_V1.md 7.1). */
    if (cfg->offchip.bytes_per_cycle > wq)
        return bad(c, "offchip.bytes_per_cycle",
                   "%d is wider than one weight row (cols x word_bytes = %lld bytes); allowed: a "
                   "power of two <= %lld",
                   cfg->offchip.bytes_per_cycle, (long long)wq, (long long)wq);
    d->param_bytes = PK_PARAM_BYTES;
    d->desc_bytes = PK_DESC_BYTES;
    return 0;
}

/* ---- public API ---------------------------------------------------------- */

int pk_config_load(const char *path, pk_config_t **out, pk_error_t *err)
{
    ctx_t c = {.path = path, .err = err};
    cyaml_config_t ycfg = {
        .log_fn = cyaml_log_capture,
        .log_ctx = &c,
        .mem_fn = cyaml_mem,
        .log_level = CYAML_LOG_ERROR,
        .flags = CYAML_CFG_DEFAULT,
    };
    raw_t *raw = NULL;
    pk_config_t *cfg = NULL;
    int rc;
    *out = NULL;

    FILE *f = fopen(path, "rb");
    if (!f) {
        rc = pk_error_set(err, PK_EINPUT, path, 0, "config", "cannot open: %s", strerror(errno));
        goto done;
    }
    fclose(f);

    rc = pk_yamlpos_load(path, &c.pos, err);
    if (rc)
        goto done;
    rc = structure_pass(&c);
    if (rc)
        goto done;

    cyaml_err_t ye = cyaml_load_file(path, &ycfg, &top_schema, (cyaml_data_t **)&raw, NULL);
    if (ye != CYAML_OK) {
        raw = NULL;
        rc = ye == CYAML_ERR_OOM ? pk_error_set(err, PK_ENOMEM, path, 0, "config", "out of memory")
                                 : translate_cyaml(&c, ye);
        goto done;
    }

    if (!raw) {
        /* structure_pass saw keys, libcyaml's own read of the file none: the
         * file changed between the two reads (it was being written) */
        rc = pk_error_set(err, PK_EINPUT, path, 0, "config",
                          "file is empty; expected a mapping with the keys of docs/CONFIG.md");
        goto done;
    }
    cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        rc = pk_error_set(err, PK_ENOMEM, path, 0, "config", "out of memory");
        goto done;
    }
    snprintf(cfg->source, sizeof cfg->source, "%s", path);
    rc = convert(&c, raw, cfg);
    if (!rc)
        rc = derive(&c, cfg);

done:
    if (raw)
        cyaml_free(&ycfg, &top_schema, raw, 0);
    pk_yamlpos_free(c.pos);
    if (rc) {
        free(cfg);
        return rc;
    }
    *out = cfg;
    return 0;
}

void pk_config_free(pk_config_t *cfg)
{
    free(cfg);
}

const pk_derived_t *pk_config_derived(const pk_config_t *cfg)
{
    return &cfg->d;
}

static int has_width(unsigned mask, int bits)
{
    return is_pow2(bits) && bits <= 8 && (mask & (1u << ceil_log2(bits)));
}

int pk_config_has_wbits(const pk_config_t *cfg, int w_bits)
{
    return has_width(cfg->d.width_mask_w, w_bits);
}

int pk_config_has_dw_wbits(const pk_config_t *cfg, int w_bits)
{
    return pk_config_has_wbits(cfg, w_bits) && w_bits >= cfg->precision.min_depthwise_weight_bits;
}

int pk_config_has_abits(const pk_config_t *cfg, int a_bits)
{
    return has_width(cfg->d.width_mask_a, a_bits);
}

int pk_pack_factor(const pk_config_t *cfg, int w_bits, int a_bits)
{
    if (!pk_config_has_wbits(cfg, w_bits) || !pk_config_has_abits(cfg, a_bits))
        return 0;
    return cfg->d.slot_bits / (w_bits > a_bits ? w_bits : a_bits);
}

int64_t pk_peak_macs_per_cycle(const pk_config_t *cfg, int w_bits, int a_bits)
{
    return (int64_t)cfg->array.rows * cfg->array.cols * cfg->array.lanes *
           pk_pack_factor(cfg, w_bits, a_bits);
}

double pk_energy_mult_pj(const pk_config_t *cfg, int w_bits, int a_bits)
{
    return cfg->energy.int_mult_8b_pj *
           pow((double)w_bits * a_bits / 64.0, cfg->energy.mult_exponent / 2.0);
}

const char *pk_act_name(int act)
{
    return act >= 0 && act < PK_ACT_COUNT ? act_names[act].str : NULL;
}

const char *pk_pool_name(int pool)
{
    return pool >= 0 && pool < PK_POOL_COUNT ? pool_names[pool].str : NULL;
}

const char *pk_fpga_family_name(int family)
{
    return family >= 0 && family < (int)NELEM(family_names) ? family_names[family].str : NULL;
}

/* ---- JSON echo ----------------------------------------------------------- */

/* A copy of v with every object's keys inserted in sorted order, so the
 * dump is byte-stable whatever flags the caller uses. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *sorted_copy(json_t *v)
{
    if (json_is_array(v)) {
        json_t *a = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) json_array_append_new(a, sorted_copy(x));
        return a;
    }
    if (!json_is_object(v))
        return json_incref(v);
    size_t n = json_object_size(v), i = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys)
        return NULL;
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) keys[i++] = k;
    qsort(keys, n, sizeof *keys, cmp_str);
    json_t *o = json_object();
    for (i = 0; i < n; i++)
        json_object_set_new(o, keys[i], sorted_copy(json_object_get(v, keys[i])));
    free(keys);
    return o;
}

static json_t *int_list(const int *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

static json_t *name_list(unsigned mask, int count, const char *(*name)(int), int skip)
{
    json_t *a = json_array();
    for (int i = 0; i < count; i++)
        if (i != skip && (mask & (1u << i)))
            json_array_append_new(a, json_string(name(i)));
    return a;
}

int pk_config_to_json(const pk_config_t *cfg, json_t **out)
{
    const pk_derived_t *d = &cfg->d;
    const pk_energy_t *e = &cfg->energy;
    json_t *root = json_pack(
        "{s:{s:s, s:f, s:{s:i, s:i, s:i}, s:{s:o, s:i, s:o, s:i, s:I},"
        " s:{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:b, s:i, s:o},"
        " s:{s:I, s:I}, s:{s:i, s:i, s:i},"
        " s:{s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f},"
        " s:{s:s, s:s, s:s}}}",
        "config", "name", cfg->name, "clock_mhz", cfg->clock_mhz,
        "array", "rows", cfg->array.rows, "cols", cfg->array.cols, "lanes", cfg->array.lanes,
        "precision", "weight_bits",
        int_list(cfg->precision.weight_bits, cfg->precision.weight_bits_count),
        "min_depthwise_weight_bits", cfg->precision.min_depthwise_weight_bits, "act_bits",
        int_list(cfg->precision.act_bits, cfg->precision.act_bits_count), "acc_bits",
        cfg->precision.acc_bits, "max_reduction", (json_int_t)cfg->precision.max_reduction,
        "postproc", "lanes", cfg->postproc.lanes, "internal_bits", cfg->postproc.internal_bits,
        "qn_mult_bits", cfg->postproc.qn_mult_bits, "qn_bias_bits", cfg->postproc.qn_bias_bits,
        "qn_shift_bits", cfg->postproc.qn_shift_bits, "dq_mant_bits", cfg->postproc.dq_mant_bits,
        "dq_exp_bits", cfg->postproc.dq_exp_bits, "act_param_bits", cfg->postproc.act_param_bits,
        "act_shift_bits", cfg->postproc.act_shift_bits, "activations",
        name_list(d->act_mask, PK_ACT_COUNT, pk_act_name, PK_ACT_NONE), "residual",
        cfg->postproc.residual, "residual_shift_bits", cfg->postproc.residual_shift_bits,
        "pooling", name_list(d->pool_mask, PK_POOL_COUNT, pk_pool_name, -1),
        "buffers", "weights", (json_int_t)cfg->buffers.weights, "activations",
        (json_int_t)cfg->buffers.activations,
        "offchip", "bytes_per_cycle", cfg->offchip.bytes_per_cycle, "latency",
        cfg->offchip.latency, "addr_bits", cfg->offchip.addr_bits,
        "energy", "int_add_32b_pj", e->int_add_32b_pj, "int_mult_32b_pj", e->int_mult_32b_pj,
        "int_add_8b_pj", e->int_add_8b_pj, "int_mult_8b_pj", e->int_mult_8b_pj, "fp16_add_pj",
        e->fp16_add_pj, "fp16_mult_pj", e->fp16_mult_pj, "fp32_add_pj", e->fp32_add_pj,
        "fp32_mult_pj", e->fp32_mult_pj, "mult_exponent", e->mult_exponent, "sram_read_64b_pj",
        e->sram_read_64b_pj, "sram_write_64b_pj", e->sram_write_64b_pj, "dram_byte_pj",
        e->dram_byte_pj, "static_pj_per_cycle", e->static_pj_per_cycle,
        "fpga", "family", pk_fpga_family_name(cfg->fpga.family), "device", cfg->fpga.device,
        "package", cfg->fpga.package);
    if (!root)
        return PK_ENOMEM;
    json_t *dj = json_pack(
        "{s:i, s:i, s:i, s:I, s:I, s:I, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
        "slot_bits", d->slot_bits, "word_bits", d->word_bits, "word_bytes", d->word_bytes,
        "wbuf_depth", (json_int_t)d->wbuf_depth, "pbuf_depth", (json_int_t)d->pbuf_depth,
        "kc_max", (json_int_t)d->kc_max, "param_bytes", d->param_bytes, "desc_bytes",
        d->desc_bytes, "width_mask_w", (int)d->width_mask_w, "width_mask_a",
        (int)d->width_mask_a, "act_mask", (int)d->act_mask, "pool_mask", (int)d->pool_mask,
        "ppu_cycles_per_row", d->ppu_cycles_per_row, "min_acc_bits", d->min_acc_bits);
    if (!dj) {
        json_decref(root);
        return PK_ENOMEM;
    }
    /* peak MACs/cycle for every supported (w, a) pair, keyed "w<w>a<a>" */
    json_t *peak = json_object();
    for (int i = 0; i < cfg->precision.weight_bits_count; i++)
        for (int j = 0; j < cfg->precision.act_bits_count; j++) {
            char k[16];
            int w = cfg->precision.weight_bits[i], a = cfg->precision.act_bits[j];
            snprintf(k, sizeof k, "w%da%d", w, a);
            json_object_set_new(peak, k, json_integer(pk_peak_macs_per_cycle(cfg, w, a)));
        }
    json_object_set_new(dj, "peak_macs_per_cycle", peak);
    json_object_set_new(root, "derived", dj);
    *out = sorted_copy(root);
    json_decref(root);
    return *out ? 0 : PK_ENOMEM;
}
