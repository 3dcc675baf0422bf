/* pk_emit.c - growing text buffer with one indentation state, and the
 * {{NAME}} template expander.
 *
 * Design: the buffer doubles as needed; an allocation failure sets a sticky
 * flag so callers check once per file.  The template expander scans for
 * "{{", reads a name up to "}}", and looks it up in a small linear table
 * (templates have a handful of variables); anything it cannot resolve is an
 * error, so a typo in a template never reaches a generated file.
 */
#include "pk_emit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pk_emit {
    char *buf;
    size_t len, cap;
    int indent;
    int failed;
    int at_bol; /* at the beginning of a line: indentation still to come */
};

pk_emit_t *pk_emit_new(void)
{
    pk_emit_t *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->cap = 4096;
    e->buf = malloc(e->cap);
    if (!e->buf) {
        free(e);
        return NULL;
    }
    e->buf[0] = '\0';
    e->at_bol = 1;
    return e;
}

void pk_emit_free(pk_emit_t *e)
{
    if (!e)
        return;
    free(e->buf);
    free(e);
}

static int reserve(pk_emit_t *e, size_t more)
{
    if (e->failed)
        return -1;
    if (e->len + more + 1 <= e->cap)
        return 0;
    size_t cap = e->cap;
    while (e->len + more + 1 > cap)
        cap *= 2;
    char *b = realloc(e->buf, cap);
    if (!b) {
        e->failed = 1;
        return -1;
    }
    e->buf = b;
    e->cap = cap;
    return 0;
}

static void put(pk_emit_t *e, const char *s, size_t n)
{
    if (n == 0 || reserve(e, n))
        return;
    memcpy(e->buf + e->len, s, n);
    e->len += n;
    e->buf[e->len] = '\0';
}

static void put_indent(pk_emit_t *e)
{
    for (int i = 0; i < e->indent; i++)
        put(e, "    ", 4);
}

void pk_emit_text(pk_emit_t *e, const char *text, size_t len)
{
    put(e, text, len);
    if (len)
        e->at_bol = text[len - 1] == '\n';
}

void pk_emit_indent(pk_emit_t *e, int delta)
{
    e->indent += delta;
    if (e->indent < 0)
        e->indent = 0;
}

void pk_emit_blank(pk_emit_t *e)
{
    put(e, "\n", 1);
    e->at_bol = 1;
}

void pk_emit_line(pk_emit_t *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        e->failed = 1;
        return;
    }
    if (n > 0)
        put_indent(e);
    if ((size_t)n < sizeof small) {
        put(e, small, (size_t)n);
    } else if (!reserve(e, (size_t)n)) {
        va_start(ap, fmt);
        vsnprintf(e->buf + e->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
        e->len += (size_t)n;
    }
    put(e, "\n", 1);
    e->at_bol = 1;
}

void pk_emit_comment(pk_emit_t *e, const char *prefix, const char *text)
{
    size_t plen = strlen(prefix);
    while (plen && prefix[plen - 1] == ' ')
        plen--;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        put_indent(e);
        if (n == 0)
            put(e, prefix, plen);
        else {
            put(e, prefix, strlen(prefix));
            put(e, p, n);
        }
        put(e, "\n", 1);
        p += n;
        if (*p == '\n')
            p++;
    }
    e->at_bol = 1;
}

static const char *lookup(const pk_tvar_t *vars, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(vars[i].name) == len && memcmp(vars[i].name, name, len) == 0)
            return vars[i].value;
    return NULL;
}

int pk_emit_template(pk_emit_t *e, const char *tmpl, const pk_tvar_t *vars, size_t nvars,
                     const char *what, pk_error_t *err)
{
    int line = 1;
    const char *p = tmpl;
    while (*p) {
        if (e->at_bol && *p != '\n')
            put_indent(e);
        e->at_bol = 0;
        if (p[0] == '{' && p[1] == '{') {
            const char *name = p + 2, *q = name;
            while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
                   (*q >= '0' && *q <= '9') || *q == '_')
                q++;
            if (q == name || q[0] != '}' || q[1] != '}')
                return pk_error_set(err, PK_EINTERNAL, what, line, "template",
                                    "unterminated or empty placeholder; expected {{NAME}} with "
                                    "NAME of letters, digits and '_'");
            const char *v = lookup(vars, nvars, name, (size_t)(q - name));
            if (!v)
                return pk_error_set(err, PK_EINTERNAL, what, line, "template",
                                    "unknown placeholder {{%.*s}}; no such variable",
                                    (int)(q - name), name);
            put(e, v, strlen(v));
            p = q + 2;
            continue;
        }
        size_t n = strcspn(p, "{\n");
        if (n == 0)
            n = 1; /* a lone '{' or the newline itself */
        put(e, p, n);
        if (p[n - 1] == '\n') {
            e->at_bol = 1;
            line++;
        }
        p += n;
    }
    return e->failed ? pk_error_set(err, PK_ENOMEM, "", 0, "emit", "out of memory") : 0;
}

int pk_emit_failed(const pk_emit_t *e)
{
    return e->failed;
}

const char *pk_emit_data(const pk_emit_t *e, size_t *len)
{
    if (len)
        *len = e->len;
    return e->buf;
}

char *pk_emit_take(pk_emit_t *e, size_t *len)
{
    if (e->failed)
        return NULL;
    char *b = e->buf;
    if (len)
        *len = e->len;
    e->cap = 4096;
    e->len = 0;
    e->buf = malloc(e->cap);
    if (!e->buf) {
        e->failed = 1;
        e->cap = 0;
    } else {
        e->buf[0] = '\0';
    }
    e->at_bol = 1;
    return b;
}
