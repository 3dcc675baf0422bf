/* pk_vparse.c - a small reader for ANSI Verilog module headers.
 *
 * Design: first blank out comments, attributes and strings (keeping newlines
 * so line numbers stay right), then find "module NAME", split the #( ... )
 * and ( ... ) groups at top-level commas and read each item with a tiny
 * tokenizer.  No expression is evaluated: ranges are kept as text, since the
 * generated wrapper declares the same parameters and reuses the text.
 */
#include "pk_vparse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *file;
    const char *text; /* cleaned copy */
    pk_error_t *err;
} vp_t;

static int line_at(const vp_t *v, const char *p)
{
    int line = 1;
    for (const char *q = v->text; q < p; q++)
        line += *q == '\n';
    return line;
}

/* Comments, (* attributes *) and strings become spaces. */
static char *clean(const char *in)
{
    size_t n = strlen(in);
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    memcpy(o, in, n + 1);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        if (o[i] == '/' && o[i + 1] == '/') {
            while (j < n && o[j] != '\n')
                j++;
        } else if (o[i] == '/' && o[i + 1] == '*') {
            const char *end = strstr(o + i + 2, "*/");
            j = end ? (size_t)(end - o) + 2 : n;
        } else if (o[i] == '(' && o[i + 1] == '*' && o[i + 2] != ')') {
            const char *end = strstr(o + i + 2, "*)");
            j = end ? (size_t)(end - o) + 2 : n;
        } else if (o[i] == '"') {
            j = i + 1;
            while (j < n && o[j] != '"' && o[j] != '\n')
                j += o[j] == '\\' ? 2 : 1;
            j = j < n ? j + 1 : n;
        } else {
            i++;
            continue;
        }
        for (size_t k = i; k < j && k < n; k++)
            if (o[k] != '\n')
                o[k] = ' ';
        i = j;
    }
    return o;
}

/* Copy with truncation to cap - 1 characters. */
static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int is_id(int c)
{
    return isalnum(c) || c == '_' || c == '$';
}

static const char *skip_ws(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* p at '(' : returns the matching ')' or NULL. */
static const char *match_paren(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '(' || *p == '[' || *p == '{')
            depth++;
        else if (*p == ')' || *p == ']' || *p == '}') {
            if (--depth == 0)
                return p;
        }
    }
    return NULL;
}

/* Next top-level item of [p, end): sets *ie to its end (a ',' or end). */
static const char *next_item(const char *p, const char *end, const char **ie)
{
    int depth = 0;
    const char *q = p;
    for (; q < end; q++) {
        if (*q == '(' || *q == '[' || *q == '{')
            depth++;
        else if (*q == ')' || *q == ']' || *q == '}')
            depth--;
        else if (*q == ',' && depth == 0)
            break;
    }
    *ie = q;
    return p;
}

typedef struct {
    char text[160];
    int is_range;
} tok_t;

/* Tokens of [p, end): identifiers and [...] groups; stops at '='. */
static int tokenize(const char *p, const char *end, tok_t *toks, int max)
{
    int n = 0;
    while (p < end && n < max) {
        p = skip_ws(p);
        if (p >= end || *p == '=')
            break;
        tok_t *t = &toks[n];
        size_t len = 0;
        if (*p == '[') {
            int depth = 0;
            do {
                if (*p == '[')
                    depth++;
                else if (*p == ']')
                    depth--;
                if (!isspace((unsigned char)*p) && len + 1 < sizeof t->text)
                    t->text[len++] = *p;
                p++;
            } while (p < end && depth > 0);
            t->is_range = 1;
        } else if (is_id((unsigned char)*p)) {
            while (p < end && is_id((unsigned char)*p) && len + 1 < sizeof t->text)
                t->text[len++] = *p++;
            t->is_range = 0;
        } else {
            p++; /* punctuation we do not need */
            continue;
        }
        t->text[len] = '\0';
        n++;
    }
    return n;
}

static int parse_params(vp_t *v, const char *p, const char *end, pk_vmodule_t *m)
{
    int overridable = 1;
    size_t cap = 0;
    while (p < end) {
        const char *ie;
        next_item(p, end, &ie);
        tok_t toks[8];
        int n = tokenize(p, ie, toks, 8);
        if (n > 0) {
            if (!strcmp(toks[0].text, "localparam"))
                overridable = 0;
            else if (!strcmp(toks[0].text, "parameter"))
                overridable = 1;
            const tok_t *name = &toks[n - 1];
            if (name->is_range || !memchr(p, '=', (size_t)(ie - p)))
                return pk_error_set(v->err, PK_EINPUT, v->file, line_at(v, p), m->name,
                                    "cannot read a parameter declaration here; expected "
                                    "'parameter NAME = value'");
            if (overridable) {
                if (m->nparams == cap) {
                    cap = cap ? 2 * cap : 32;
                    void *np = realloc(m->params, cap * sizeof *m->params);
                    if (!np)
                        return pk_error_set(v->err, PK_ENOMEM, "", 0, "vparse", "out of memory");
                    m->params = np;
                }
                copy_str(m->params[m->nparams++], sizeof m->params[0], name->text);
            }
        }
        p = ie + 1;
    }
    return 0;
}

static int parse_ports(vp_t *v, const char *p, const char *end, pk_vmodule_t *m)
{
    pk_vport_t cur = {0};
    size_t cap = 0;
    while (p < end) {
        const char *ie;
        next_item(p, end, &ie);
        tok_t toks[8];
        int n = tokenize(p, ie, toks, 8);
        if (n == 0) {
            if (skip_ws(p) < ie)
                return pk_error_set(v->err, PK_EINPUT, v->file, line_at(v, p), m->name,
                                    "cannot read this port declaration");
            p = ie + 1;
            continue;
        }
        int has_dir = 0;
        for (int i = 0; i < n - 1; i++) {
            const char *t = toks[i].text;
            if (!strcmp(t, "input") || !strcmp(t, "output") || !strcmp(t, "inout")) {
                has_dir = 1;
                memset(&cur, 0, sizeof cur);
                copy_str(cur.dir, sizeof cur.dir, t);
            } else if (!strcmp(t, "signed")) {
                cur.is_signed = 1;
            } else if (toks[i].is_range) {
                copy_str(cur.range, sizeof cur.range, t);
            } else if (strcmp(t, "wire") && strcmp(t, "reg") && strcmp(t, "logic") &&
                       strcmp(t, "tri")) {
                return pk_error_set(v->err, PK_EINPUT, v->file, line_at(v, p), m->name,
                                    "unexpected '%s' in a port declaration; expected "
                                    "input/output/inout [wire|reg] [signed] [range] NAME",
                                    t);
            }
        }
        if (!has_dir && !cur.dir[0])
            return pk_error_set(v->err, PK_EINPUT, v->file, line_at(v, p), m->name,
                                "port '%s' has no direction; the module must use ANSI-style "
                                "port declarations (input/output in the header)",
                                toks[n - 1].text);
        if (toks[n - 1].is_range)
            return pk_error_set(v->err, PK_EINPUT, v->file, line_at(v, p), m->name,
                                "port declaration without a name");
        copy_str(cur.name, sizeof cur.name, toks[n - 1].text);
        if (m->nports == cap) {
            cap = cap ? 2 * cap : 32;
            void *np = realloc(m->ports, cap * sizeof *m->ports);
            if (!np)
                return pk_error_set(v->err, PK_ENOMEM, "", 0, "vparse", "out of memory");
            m->ports = np;
        }
        m->ports[m->nports++] = cur;
        p = ie + 1;
    }
    return 0;
}

int pk_vparse_module(const char *text, const char *module, const char *file, pk_vmodule_t *out,
                     pk_error_t *err)
{
    memset(out, 0, sizeof *out);
    copy_str(out->name, sizeof out->name, module);
    char *t = clean(text);
    if (!t)
        return pk_error_set(err, PK_ENOMEM, "", 0, "vparse", "out of memory");
    vp_t v = {.file = file, .text = t, .err = err};
    int rc = 0;
    size_t mlen = strlen(module);
    const char *p = t, *hdr = NULL;
    while ((p = strstr(p, "module")) != NULL) {
        int start_ok = p == t || !is_id((unsigned char)p[-1]);
        const char *q = p + 6;
        if (start_ok && isspace((unsigned char)*q)) {
            q = skip_ws(q);
            if (!strncmp(q, module, mlen) && !is_id((unsigned char)q[mlen])) {
                hdr = q + mlen;
                break;
            }
        }
        p += 6;
    }
    if (!hdr) {
        rc = pk_error_set(err, PK_EINPUT, file, 0, module, "no 'module %s' in this file",
                          module);
        goto done;
    }
    p = skip_ws(hdr);
    if (*p == '#') {
        p = skip_ws(p + 1);
        const char *e = *p == '(' ? match_paren(p) : NULL;
        if (!e) {
            rc = pk_error_set(err, PK_EINPUT, file, line_at(&v, p), module,
                              "expected a parameter list '#( ... )'");
            goto done;
        }
        if ((rc = parse_params(&v, p + 1, e, out)))
            goto done;
        p = skip_ws(e + 1);
    }
    if (*p == '(') {
        const char *e = match_paren(p);
        if (!e) {
            rc = pk_error_set(err, PK_EINPUT, file, line_at(&v, p), module,
                              "unterminated port list");
            goto done;
        }
        if ((rc = parse_ports(&v, p + 1, e, out)))
            goto done;
        p = skip_ws(e + 1);
    }
    if (*p != ';')
        rc = pk_error_set(err, PK_EINPUT, file, line_at(&v, p), module,
                          "expected ';' after the module header");
done:
    free(t);
    if (rc)
        pk_vmodule_free(out);
    return rc;
}

static int instantiates(const char *t, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = t; (p = strstr(p, name)) != NULL; p += n) {
        if ((p > t && is_id((unsigned char)p[-1])) || is_id((unsigned char)p[n]))
            continue;
        const char *b = p; /* the word before: "module" declares, not instantiates */
        while (b > t && isspace((unsigned char)b[-1]))
            b--;
        if (b - t >= 6 && !strncmp(b - 6, "module", 6) &&
            (b - t == 6 || !is_id((unsigned char)b[-7])))
            continue;
        const char *q = skip_ws(p + n);
        if (*q == '#' || (is_id((unsigned char)*q) && !isdigit((unsigned char)*q)))
            return 1;
    }
    return 0;
}

int pk_vparse_instances(const char *text, const char *const *names, size_t n,
                        unsigned char *found)
{
    char *t = clean(text);
    if (!t)
        return PK_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (!found[i] && instantiates(t, names[i]))
            found[i] = 1;
    free(t);
    return 0;
}

int pk_vmodule_has_param(const pk_vmodule_t *m, const char *name)
{
    for (size_t i = 0; i < m->nparams; i++)
        if (!strcmp(m->params[i], name))
            return 1;
    return 0;
}

void pk_vmodule_free(pk_vmodule_t *m)
{
    if (!m)
        return;
    free(m->params);
    free(m->ports);
    m->params = NULL;
    m->ports = NULL;
    m->nparams = m->nports = 0;
}
