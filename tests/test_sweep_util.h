/* test_sweep_util.h - helpers of the pikesweep tests: run a command, read a
 * file, compare output directories; scratch directories and file reading
 * come from tests/gen/gen_test_util.h. */
#ifndef TEST_SWEEP_UTIL_H
#define TEST_SWEEP_UTIL_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "gen/gen_test_util.h"

#define SWEEP PIKE_BIN_DIR "/sweep/pikesweep"
#define SWEEP_DATA PIKE_SOURCE_ROOT "/tests/data/sweep"

static inline int sw_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int sw_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Whole file, malloc'd (NULL if unreadable); the path is printf-formatted. */
static inline char *sw_slurp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *sw_slurp(const char *fmt, ...)
{
    char path[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    return gt_read(path, NULL);
}

/* A new scratch directory (removed by the caller with sw_rmdir). */
static inline char *sw_tmpdir(const char *tag)
{
    char *d = malloc(256);
    cr_assert(d && gt_tmpdir(d, 256, tag), "mkdtemp");
    return d;
}

static inline void sw_rmdir(char *d)
{
    gt_rm_tree(d);
    free(d);
}

/* The five result files of two output directories are byte-identical. */
static inline void sw_assert_same_outputs(const char *a, const char *b)
{
    static const char *const files[] = { "points.csv", "points.json", "pareto.csv", "skipped.csv",
                                         "report.html" };
    for (int i = 0; i < 5; i++) {
        char *x = sw_slurp("%s/%s", a, files[i]), *y = sw_slurp("%s/%s", b, files[i]);
        cr_assert(x && y, "%s missing in %s or %s", files[i], a, b);
        cr_assert(strcmp(x, y) == 0, "%s differs between %s and %s", files[i], a, b);
        free(x);
        free(y);
    }
}

/* The same for the subdirectories a and b of d. */
static inline void sw_assert_same_subdirs(const char *d, const char *a, const char *b)
{
    char x[512], y[512];
    snprintf(x, sizeof x, "%s/%s", d, a);
    snprintf(y, sizeof y, "%s/%s", d, b);
    sw_assert_same_outputs(x, y);
}

#endif
