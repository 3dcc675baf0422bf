/* pk_error.c - the single error record (see pk_error.h). */
#include "pk_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int pk_error_set(pk_error_t *err, int code, const char *file, int line,
                 const char *field, const char *fmt, ...)
{
    if (!err || err->code != PK_OK)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void pk_error_clear(pk_error_t *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void pk_error_format(const pk_error_t *err, char *buf, size_t len)
{
    char where[600];
    if (err->line > 0)
        snprintf(where, sizeof where, "%s:%d: ", err->file, err->line);
    else if (err->file[0])
        snprintf(where, sizeof where, "%s: ", err->file);
    else
        where[0] = '\0';
    if (err->field[0])
        snprintf(buf, len, "%s%s: %s", where, err->field, err->msg);
    else
        snprintf(buf, len, "%s%s", where, err->msg);
}

int pk_error_exit_status(int code)
{
    if (code == PK_OK)
        return 0;
    return code == PK_EINPUT ? 2 : 1;
}
