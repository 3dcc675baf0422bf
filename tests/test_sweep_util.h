/* test_sweep_util.h - helpers of the pikesweep tests: run a command, read a
 * file, compare two files, make a scratch directory. */
#ifndef TEST_SWEEP_UTIL_H
#define TEST_SWEEP_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

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

/* Whole file, malloc'd (NULL if unreadable). */
static inline char *sw_slurp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *sw_slurp(const char *fmt, ...)
{
    char path[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = 0;
    fclose(f);
    return s;
}

/* A new scratch directory (removed by the caller with sw_rmdir). */
static inline char *sw_tmpdir(const char *tag)
{
    char *d = malloc(96);
    cr_assert(d);
    snprintf(d, 96, "/tmp/pk_sweep_%s_XXXXXX", tag);
    cr_assert(mkdtemp(d), "mkdtemp");
    return d;
}

static inline void sw_rmdir(char *d)
{
    sw_sh("rm -rf '%s'", d);
    free(d);
}

/* The four result files of two output directories are byte-identical. */
static inline void sw_assert_same_outputs(const char *a, const char *b)
{
    static const char *const files[] = { "points.csv", "points.json", "pareto.csv", "skipped.csv" };
    for (int i = 0; i < 4; i++) {
        char *x = sw_slurp("%s/%s", a, files[i]), *y = sw_slurp("%s/%s", b, files[i]);
        cr_assert(x && y, "%s missing in %s or %s", files[i], a, b);
        cr_assert(strcmp(x, y) == 0, "%s differs between %s and %s", files[i], a, b);
        free(x);
        free(y);
    }
}

#endif
