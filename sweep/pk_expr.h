/* pk_expr.h - the constraint language of a sweep spec: a small, exact
 * arithmetic expression over config keys.
 *
 *   expr    := or
 *   or      := and { "||" and }
 *   and     := cmp { "&&" cmp }
 *   cmp     := sum [ ("<" | "<=" | ">" | ">=" | "==" | "!=") sum ]
 *   sum     := term { ("+" | "-") term }
 *   term    := unary { ("*" | "/" | "%") unary }
 *   unary   := ("-" | "!") unary | primary
 *   primary := NUMBER | KEY | FUNC "(" expr { "," expr } ")" | "(" expr ")"
 *   KEY     := a dotted config key, e.g. array.rows, buffers.weights
 *   FUNC    := min | max (two or more arguments), log2 (one, exact powers of 2)
 *
 * Values are 64-bit signed integers (config keys that are real numbers, e.g.
 * clock_mhz, must be integral where they are used; booleans are 0 / 1), so
 * every comparison is exact.  "/" truncates toward zero and, like "%",
 * rejects a zero divisor; overflow is an error, not a wrap.  A comparison or
 * logical operator yields 0 or 1; a constraint holds when its value is non-zero.
 *
 * Ownership: pk_expr_parse() allocates *out; free with pk_expr_free().
 */
#ifndef PK_EXPR_H
#define PK_EXPR_H

#include <stddef.h>
#include <stdint.h>

typedef struct pk_expr pk_expr_t;

/* Look up a key: return 0 and set *v, or -1 when the key has no integer value
 * (then *why may point to a static explanation). */
typedef int (*pk_expr_lookup_fn)(void *ctx, const char *key, int64_t *v, const char **why);

/* Parse text.  On failure returns -1 and writes "column N: what" to msg. */
int pk_expr_parse(const char *text, pk_expr_t **out, char *msg, size_t msg_len);
void pk_expr_free(pk_expr_t *e);

/* Number of distinct KEYs in the expression and key i (in order of first use). */
int pk_expr_key_count(const pk_expr_t *e);
const char *pk_expr_key(const pk_expr_t *e, int i);

/* Evaluate.  Returns 0 and sets *value, or -1 with a message in msg
 * (a key without an integer value, division by zero, overflow, log2 of a
 * non-power of two). */
int pk_expr_eval(const pk_expr_t *e, pk_expr_lookup_fn lookup, void *ctx, int64_t *value,
                 char *msg, size_t msg_len);

#endif
