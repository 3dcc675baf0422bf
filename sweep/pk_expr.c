/* pk_expr.c - recursive-descent parser and evaluator of pk_expr.h.
 *
 * The parser builds a flat array of nodes (children by index), so one free
 * releases the whole tree.  Nesting is bounded (EXPR_MAX_DEPTH) so hostile
 * input cannot exhaust the stack; evaluation uses checked 64-bit arithmetic
 * (__builtin_*_overflow) so a constraint never silently wraps.
 */
#include "pk_expr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPR_MAX_DEPTH 64
#define EXPR_MAX_NODES 4096
#define EXPR_MAX_KEY 128

typedef enum {
    N_NUM, N_KEY, N_NEG, N_NOT, N_ADD, N_SUB, N_MUL, N_DIV, N_MOD,
    N_LT, N_LE, N_GT, N_GE, N_EQ, N_NE, N_AND, N_OR, N_MIN, N_MAX, N_LOG2
} node_kind_t;

typedef struct node {
    node_kind_t kind;
    int a, b;       /* children (-1 if none) */
    int64_t num;    /* N_NUM value; N_KEY key index */
} node_t;

struct pk_expr {
    node_t *nodes;
    int n_nodes, root;
    char **keys;
    int n_keys;
};

typedef struct parser {
    const char *s;
    size_t pos;
    int depth;
    pk_expr_t *e;
    char *msg;
    size_t msg_len;
    int failed;
} parser_t;

static int fail(parser_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(parser_t *p, const char *fmt, ...)
{
    if (!p->failed) {
        char what[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof what, fmt, ap);
        va_end(ap);
        snprintf(p->msg, p->msg_len, "column %zu: %s", p->pos + 1, what);
        p->failed = 1;
    }
    return -1;
}

static void skip_ws(parser_t *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
        p->pos++;
}

/* Consume tok if it is next (after blanks). */
static int accept(parser_t *p, const char *tok)
{
    skip_ws(p);
    size_t n = strlen(tok);
    if (strncmp(p->s + p->pos, tok, n) != 0)
        return 0;
    /* "<" must not eat the first half of "<=", "=" alone is not an operator */
    if (n == 1 && (tok[0] == '<' || tok[0] == '>') && p->s[p->pos + 1] == '=')
        return 0;
    p->pos += n;
    return 1;
}

static int add_node(parser_t *p, node_kind_t k, int a, int b, int64_t num)
{
    if (p->e->n_nodes >= EXPR_MAX_NODES)
        return fail(p, "expression too long (at most %d terms)", EXPR_MAX_NODES);
    node_t *n = &p->e->nodes[p->e->n_nodes];
    n->kind = k;
    n->a = a;
    n->b = b;
    n->num = num;
    return p->e->n_nodes++;
}

static int key_index(parser_t *p, const char *key)
{
    for (int i = 0; i < p->e->n_keys; i++)
        if (strcmp(p->e->keys[i], key) == 0)
            return i;
    char **k = realloc(p->e->keys, sizeof *k * (size_t)(p->e->n_keys + 1));
    if (!k)
        return fail(p, "out of memory");
    p->e->keys = k;
    if (!(k[p->e->n_keys] = strdup(key)))
        return fail(p, "out of memory");
    return p->e->n_keys++;
}

static int parse_or(parser_t *p);

static int parse_number(parser_t *p)
{
    int64_t v = 0;
    while (isdigit((unsigned char)p->s[p->pos])) {
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, p->s[p->pos] - '0', &v))
            return fail(p, "number too large (64-bit signed integers)");
        p->pos++;
    }
    if (isalpha((unsigned char)p->s[p->pos]) || p->s[p->pos] == '.')
        return fail(p, "bad number (integers only)");
    return add_node(p, N_NUM, -1, -1, v);
}

/* FUNC "(" expr { "," expr } ")" with name already read. */
static int parse_call(parser_t *p, const char *name)
{
    node_kind_t k = strcmp(name, "min") == 0 ? N_MIN : strcmp(name, "max") == 0 ? N_MAX : N_LOG2;
    int acc = parse_or(p), nargs = 1;
    if (acc < 0)
        return -1;
    while (accept(p, ",")) {
        int b = parse_or(p);
        if (b < 0)
            return -1;
        if (k == N_LOG2)
            return fail(p, "log2 takes one argument");
        acc = add_node(p, k, acc, b, 0);
        if (acc < 0)
            return -1;
        nargs++;
    }
    if (!accept(p, ")"))
        return fail(p, "expected ',' or ')' in the arguments of %s", name);
    if (k != N_LOG2 && nargs < 2)
        return fail(p, "%s takes two or more arguments", name);
    return k == N_LOG2 ? add_node(p, N_LOG2, acc, -1, 0) : acc;
}

static int parse_word(parser_t *p)
{
    char word[EXPR_MAX_KEY];
    size_t n = 0;
    while (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_' || p->s[p->pos] == '.') {
        if (n + 1 >= sizeof word)
            return fail(p, "key too long (at most %d characters)", EXPR_MAX_KEY - 1);
        word[n++] = p->s[p->pos++];
    }
    word[n] = 0;
    if (word[n - 1] == '.' || strstr(word, ".."))
        return fail(p, "bad key '%s' (dotted config key, e.g. array.rows)", word);
    if (accept(p, "(")) {
        if (strcmp(word, "min") && strcmp(word, "max") && strcmp(word, "log2"))
            return fail(p, "unknown function '%s' (min, max, log2)", word);
        return parse_call(p, word);
    }
    int k = key_index(p, word);
    return k < 0 ? -1 : add_node(p, N_KEY, -1, -1, k);
}

static int parse_unary(parser_t *p)
{
    if (++p->depth > EXPR_MAX_DEPTH)
        return fail(p, "nested too deeply (at most %d levels)", EXPR_MAX_DEPTH);
    int r;
    skip_ws(p);
    char c = p->s[p->pos];
    if (accept(p, "-") || (c == '!' && p->s[p->pos + 1] != '=' && accept(p, "!"))) {
        int a = parse_unary(p);
        r = a < 0 ? -1 : add_node(p, c == '-' ? N_NEG : N_NOT, a, -1, 0);
    } else if (accept(p, "(")) {
        r = parse_or(p);
        if (r >= 0 && !accept(p, ")"))
            r = fail(p, "expected ')'");
    } else if (isdigit((unsigned char)c)) {
        r = parse_number(p);
    } else if (isalpha((unsigned char)c) || c == '_') {
        r = parse_word(p);
    } else {
        r = fail(p, c ? "expected a number, a config key, a function or '('"
                      : "unexpected end of the expression");
    }
    p->depth--;
    return r;
}

typedef struct op {
    const char *tok;
    node_kind_t kind;
} op_t;

static const op_t TERM_OPS[] = { { "*", N_MUL }, { "/", N_DIV }, { "%", N_MOD }, { NULL, 0 } };
static const op_t SUM_OPS[] = { { "+", N_ADD }, { "-", N_SUB }, { NULL, 0 } };
static const op_t CMP_OPS[] = { { "<=", N_LE }, { ">=", N_GE }, { "==", N_EQ }, { "!=", N_NE },
                                { "<", N_LT },  { ">", N_GT },  { NULL, 0 } };
static const op_t AND_OPS[] = { { "&&", N_AND }, { NULL, 0 } };
static const op_t OR_OPS[] = { { "||", N_OR }, { NULL, 0 } };

/* One left-associative binary level: next { op next } (once for comparisons). */
static int parse_level(parser_t *p, const op_t *ops, int (*next)(parser_t *), int once)
{
    int a = next(p);
    while (a >= 0) {
        const op_t *o = ops;
        while (o->tok && !accept(p, o->tok))
            o++;
        if (!o->tok)
            break;
        int b = next(p);
        if (b < 0)
            return -1;
        a = add_node(p, o->kind, a, b, 0);
        if (once)
            break;
    }
    return a;
}

static int parse_term(parser_t *p) { return parse_level(p, TERM_OPS, parse_unary, 0); }
static int parse_sum(parser_t *p) { return parse_level(p, SUM_OPS, parse_term, 0); }
static int parse_cmp(parser_t *p) { return parse_level(p, CMP_OPS, parse_sum, 1); }
static int parse_and(parser_t *p) { return parse_level(p, AND_OPS, parse_cmp, 0); }
static int parse_or(parser_t *p)
{
    if (++p->depth > EXPR_MAX_DEPTH)
        return fail(p, "nested too deeply (at most %d levels)", EXPR_MAX_DEPTH);
    int r = parse_level(p, OR_OPS, parse_and, 0);
    p->depth--;
    return r;
}

int pk_expr_parse(const char *text, pk_expr_t **out, char *msg, size_t msg_len)
{
    *out = NULL;
    pk_expr_t *e = calloc(1, sizeof *e);
    if (e)
        e->nodes = calloc(EXPR_MAX_NODES, sizeof *e->nodes);
    parser_t p = { .s = text, .e = e, .msg = msg, .msg_len = msg_len };
    if (!e || !e->nodes) {
        pk_expr_free(e);
        snprintf(msg, msg_len, "out of memory");
        return -1;
    }
    e->root = parse_or(&p);
    skip_ws(&p);
    if (e->root >= 0 && p.s[p.pos])
        e->root = fail(&p, "unexpected '%c' (operators: + - * / %% < <= > >= == != && || !)",
                       p.s[p.pos]);
    if (e->root < 0) {
        pk_expr_free(e);
        return -1;
    }
    *out = e;
    return 0;
}

void pk_expr_free(pk_expr_t *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->n_keys; i++)
        free(e->keys[i]);
    free(e->keys);
    free(e->nodes);
    free(e);
}

int pk_expr_key_count(const pk_expr_t *e) { return e->n_keys; }
const char *pk_expr_key(const pk_expr_t *e, int i) { return e->keys[i]; }

typedef struct evalctx {
    const pk_expr_t *e;
    pk_expr_lookup_fn lookup;
    void *ctx;
    char *msg;
    size_t msg_len;
} evalctx_t;

static int eval_binary(evalctx_t *c, node_kind_t k, int64_t x, int64_t y, int64_t *v)
{
    int ovf = 0;
    switch (k) {
    case N_ADD: ovf = __builtin_add_overflow(x, y, v); break;
    case N_SUB: ovf = __builtin_sub_overflow(x, y, v); break;
    case N_MUL: ovf = __builtin_mul_overflow(x, y, v); break;
    case N_DIV:
    case N_MOD:
        if (y == 0) {
            snprintf(c->msg, c->msg_len, "division by zero");
            return -1;
        }
        ovf = x == INT64_MIN && y == -1;
        *v = ovf ? 0 : k == N_DIV ? x / y : x % y;
        break;
    case N_LT: *v = x < y; break;
    case N_LE: *v = x <= y; break;
    case N_GT: *v = x > y; break;
    case N_GE: *v = x >= y; break;
    case N_EQ: *v = x == y; break;
    case N_NE: *v = x != y; break;
    case N_AND: *v = x && y; break;
    case N_OR: *v = x || y; break;
    case N_MIN: *v = x < y ? x : y; break;
    case N_MAX: *v = x > y ? x : y; break;
    default: snprintf(c->msg, c->msg_len, "internal: bad operator"); return -1;
    }
    if (ovf) {
        snprintf(c->msg, c->msg_len, "integer overflow (64-bit signed)");
        return -1;
    }
    return 0;
}

static int eval_node(evalctx_t *c, int i, int64_t *v)
{
    const node_t *n = &c->e->nodes[i];
    int64_t x = 0, y = 0;
    if (n->kind == N_NUM) {
        *v = n->num;
        return 0;
    }
    if (n->kind == N_KEY) {
        const char *why = "not an integer";
        const char *key = c->e->keys[n->num];
        if (c->lookup(c->ctx, key, v, &why) != 0) {
            snprintf(c->msg, c->msg_len, "%s: %s", key, why);
            return -1;
        }
        return 0;
    }
    if (eval_node(c, n->a, &x) != 0 || (n->b >= 0 && eval_node(c, n->b, &y) != 0))
        return -1;
    switch (n->kind) {
    case N_NEG:
        if (x == INT64_MIN) {
            snprintf(c->msg, c->msg_len, "integer overflow (64-bit signed)");
            return -1;
        }
        *v = -x;
        return 0;
    case N_NOT: *v = !x; return 0;
    case N_LOG2:
        if (x <= 0 || (x & (x - 1))) {
            snprintf(c->msg, c->msg_len, "log2 of %lld: not a power of two", (long long)x);
            return -1;
        }
        *v = __builtin_ctzll((unsigned long long)x);
        return 0;
    default: return eval_binary(c, n->kind, x, y, v);
    }
}

int pk_expr_eval(const pk_expr_t *e, pk_expr_lookup_fn lookup, void *ctx, int64_t *value,
                 char *msg, size_t msg_len)
{
    evalctx_t c = { e, lookup, ctx, msg, msg_len };
    return eval_node(&c, e->root, value);
}
