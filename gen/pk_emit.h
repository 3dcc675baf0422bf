/* pk_emit.h - the one text emitter every generated file goes through.
 *
 * An emitter is a growing text buffer with one indentation state.  Emitters
 * call pk_emit_line() with printf-style text; the current indentation (four
 * spaces per level) is prepended, a newline appended.  pk_emit_template()
 * expands {{NAME}} placeholders from a variable table; an unknown or
 * unterminated placeholder is a hard error (never left in the output).
 *
 * Errors: allocation failures are sticky (pk_emit_failed() turns true and
 * later calls do nothing), so emitters may write a whole file and check once.
 *
 * Ownership: pk_emit_new() allocates; pk_emit_free() releases (NULL is a
 * no-op); pk_emit_take() hands the buffer to the caller (free() it) and
 * leaves the emitter empty.
 */
#ifndef PK_EMIT_H
#define PK_EMIT_H

#include <stddef.h>

#include "pk_error.h"

typedef struct pk_emit pk_emit_t;

/* A template variable: {{name}} expands to value. */
typedef struct pk_tvar {
    const char *name;
    const char *value;
} pk_tvar_t;

pk_emit_t *pk_emit_new(void);
void pk_emit_free(pk_emit_t *e);

/* Indented line. */
void pk_emit_line(pk_emit_t *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An empty line. */
void pk_emit_blank(pk_emit_t *e);
/* Unindented raw text, copied as is. */
void pk_emit_text(pk_emit_t *e, const char *text, size_t len);
/* Change the indentation level by delta (never below 0). */
void pk_emit_indent(pk_emit_t *e, int delta);
/* Every line of text (split at '\n'), prefixed by the indentation and by
 * prefix (e.g. "// ", "# "); trailing spaces are not emitted. */
void pk_emit_comment(pk_emit_t *e, const char *prefix, const char *text);

/* Expand tmpl into e: {{NAME}} (NAME = [A-Za-z0-9_]+) is replaced by the
 * value of the variable of that name.  An unknown name or an unterminated
 * "{{" fills err (what names the template for the message) and returns
 * PK_EINPUT.  Lines of tmpl are indented like pk_emit_line(). */
int pk_emit_template(pk_emit_t *e, const char *tmpl, const pk_tvar_t *vars, size_t nvars,
                     const char *what, pk_error_t *err);

/* 1 after an allocation failure. */
int pk_emit_failed(const pk_emit_t *e);
/* The text so far (NUL-terminated; valid until the next call). */
const char *pk_emit_data(const pk_emit_t *e, size_t *len);
/* Hand over the buffer (malloc'd, NUL-terminated, caller frees); NULL after
 * an allocation failure.  The emitter is empty afterwards. */
char *pk_emit_take(pk_emit_t *e, size_t *len);

#endif
