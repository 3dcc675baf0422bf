/* pk_sweep_util.h - small helpers of pikesweep: a growing text buffer, paths,
 * atomic file writes, SHA-256.
 *
 * Ownership: pk_sw_buf_t.s is malloc'd (caller frees); every char * returned
 * is malloc'd (caller frees), NULL on allocation failure.
 */
#ifndef PK_SWEEP_UTIL_H
#define PK_SWEEP_UTIL_H

#include <stddef.h>

typedef struct pk_sw_buf {
    char *s;        /* NUL-terminated text (NULL until the first add) */
    size_t len, cap;
    int oom;        /* an allocation failed: s holds what fitted before */
} pk_sw_buf_t;

void pk_sw_buf_add(pk_sw_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "text" with " and \ escaped (a YAML double-quoted scalar, also valid JSON
 * for printable ASCII). */
char *pk_sw_quote(const char *s);

/* dir of path ("." if none); dir/rel unless rel is absolute. */
char *pk_sw_dirname(const char *path);
char *pk_sw_join(const char *dir, const char *rel);

/* mkdir -p (mode 0777 & ~umask).  0 or -1 (errno set). */
int pk_sw_mkdirs(const char *path);

/* Make a private scratch directory "$TMPDIR/pikesweep-TAG-XXXXXX" ($TMPDIR
 * unset or empty: /tmp) and write its path into dir (len bytes).  0, or -1
 * with errno (ENAMETOOLONG when the path does not fit). */
int pk_sw_mkscratch(const char *tag, char *dir, size_t len);

/* Write len bytes to path atomically: a temporary file beside it (created
 * 0666 & ~umask, like fopen) renamed over path.  0 or -1 (errno set). */
int pk_sw_write_atomic(const char *path, const char *data, size_t len);

/* Read a whole file (NUL-terminated; *len may be NULL).  NULL on failure. */
char *pk_sw_read_file(const char *path, size_t *len);

/* SHA-256 of data as 64 hex digits + NUL into hex. */
void pk_sw_sha256_hex(const void *data, size_t len, char hex[65]);

/* Run argv (argv[0] looked up in PATH), its stdout into out
 * (NUL-terminated, at most len - 1 bytes); the exit status, or -1 if it
 * could not be started or was killed (errno set). */
int pk_sw_run_capture(char **argv, char *out, size_t len);

#endif
