/* pk_check_int.h - helpers shared by the pikecheck library's files (not public). */
#ifndef PK_CHECK_INT_H
#define PK_CHECK_INT_H

#include <stddef.h>

#include "pk_check.h"

/* mkdir -p. */
int pk_check_mkdirs(const char *path, pk_error_t *err);

/* Whole file into a malloc'ed buffer (NUL-terminated; *len without it). */
int pk_check_read_file(const char *path, char **out, size_t *len, pk_error_t *err);
int pk_check_write_file(const char *path, const void *data, size_t len, pk_error_t *err);

/* stdout of a shell command (popen), malloc'ed; non-zero exit is an error. */
int pk_check_capture(const char *cmd, char **out, size_t *len, pk_error_t *err);

/* Run argv[0] (PATH lookup) in directory cwd with stdout and stderr to
 * log_path.  0 when it exits 0; otherwise a negative PK_E*: it could not be
 * started, or "FIELD: WHAT failed (exit N): <log tail>" (128 + signal when
 * killed). */
int pk_check_exec(const char *const *argv, const char *cwd, const char *log_path,
                  const char *field, const char *what, pk_error_t *err);

/* The last len-1 bytes of a log, newlines folded to " | " (for messages). */
void pk_check_log_tail(const char *path, char *buf, size_t len);

/* rm -rf (errors ignored: used for temporary directories). */
void pk_check_rmtree(const char *path);

/* Directory of the harness sources. */
const char *pk_check_harness_dir(const pk_check_opts_t *o, char *buf, size_t len);

#endif
