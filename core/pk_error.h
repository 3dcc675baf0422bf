/* pk_error.h - one error record, set once where a problem is found and
 * propagated up by return codes; only main() decides to exit.
 *
 * Convention (libgit2 style): functions return 0 on success and a negative
 * PK_E* code on failure, after filling the caller's pk_error_t.  User-facing
 * messages have the form
 *     FILE:LINE: FIELD: what is wrong and what is allowed
 * (line 0 when no line applies; then "FILE: FIELD: ...").
 */
#ifndef PK_ERROR_H
#define PK_ERROR_H

#include <stddef.h>

enum {
    PK_OK = 0,
    PK_EINPUT = -1,  /* bad user input (config, network, flag): exit status 2 */
    PK_EIO = -2,     /* file system / OS failure: exit status 1 */
    PK_ENOMEM = -3,  /* allocation failure: exit status 1 */
    PK_EINTERNAL = -4 /* a bug in Pike: exit status 1 */
};

typedef struct pk_error {
    int code;           /* one of the PK_E* values, PK_OK if unset */
    char file[512];     /* input file the error is about ("" if none) */
    int line;           /* 1-based line in that file, 0 if unknown */
    char field[256];    /* key path / layer / flag the error is about */
    char msg[1024];     /* what is wrong and what is allowed */
} pk_error_t;

/* Record an error (first one wins: a set error is not overwritten).
 * Returns code, so callers can write `return pk_error_set(err, ...)`.
 * err may be NULL (then nothing is recorded). */
int pk_error_set(pk_error_t *err, int code, const char *file, int line,
                 const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Clear to PK_OK. */
void pk_error_clear(pk_error_t *err);

/* Format as "FILE:LINE: FIELD: msg" into buf (always NUL-terminated). */
void pk_error_format(const pk_error_t *err, char *buf, size_t len);

/* The process exit status for an error code: 2 for PK_EINPUT, else 1, 0 for OK. */
int pk_error_exit_status(int code);

#endif
