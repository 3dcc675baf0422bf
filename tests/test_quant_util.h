/* test_quant_util.h - helpers shared by the tests/test_quant_*.c binaries:
 * running pikequant with its stdout / stderr captured, temporary output
 * directories, the report's per-layer SNR and top-1, and the bad-input
 * check (exit 2, one line naming the problem, nothing written).
 *
 * Header-only (static functions) because every test file is its own binary.
 */
#ifndef TEST_QUANT_UTIL_H
#define TEST_QUANT_UTIL_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gen/gen_test_util.h"

#define QT_FN static inline __attribute__((unused))
#define QT_ROOT PIKE_SOURCE_ROOT
#define QT_DATA QT_ROOT "/tests/data/quant"
#define QT_QUANT PIKE_BIN_DIR "/quant/pikequant"
#define QT_EDGE QT_ROOT "/hw_configs/edge.yaml"

static char qt_out[1 << 16], qt_err[4096];

/* Run pikequant with args, config cfg and out dir; exit status (stdout and
 * stderr kept in qt_out / qt_err). */
QT_FN int qt_run(const char *args, const char *cfg, const char *out)
{
    char cmd[4096], o[] = "/tmp/pk_qt_out_XXXXXX", e[] = "/tmp/pk_qt_err_XXXXXX";
    int fo = mkstemp(o), fe = mkstemp(e);
    cr_assert(fo >= 0 && fe >= 0);
    close(fo), close(fe);
    snprintf(cmd, sizeof cmd, "%s %s --config %s --out %s >%s 2>%s", QT_QUANT, args, cfg, out, o,
             e);
    int st = system(cmd);
    char *so = gt_read(o, NULL), *se = gt_read(e, NULL);
    snprintf(qt_out, sizeof qt_out, "%s", so ? so : "");
    snprintf(qt_err, sizeof qt_err, "%s", se ? se : "");
    free(so), free(se);
    unlink(o), unlink(e);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A fresh path for an output directory (not created). */
QT_FN const char *qt_tmp_out(void)
{
    static char d[64];
    snprintf(d, sizeof d, "/tmp/pk_qt_XXXXXX");
    cr_assert(mkdtemp(d));
    cr_assert_eq(rmdir(d), 0);
    return d;
}

/* The report's SNR of a layer (dB), and its gain over the unfactorized
 * network (--factorize only; NAN when absent). */
QT_FN double qt_layer_snr(const char *layer, double *gain)
{
    char key[64];
    snprintf(key, sizeof key, "layer %-12s SNR", layer);
    const char *s = strstr(qt_out, key);
    cr_assert(s, "no SNR of %s in:\n%s", layer, qt_out);
    char *end;
    double v = strtod(s + strlen(key), &end);
    if (gain) {
        const char *g = strstr(end, "gain");
        const char *nl = strchr(end, '\n');
        *gain = g && (!nl || g < nl) ? strtod(g + 4, NULL) : NAN;
    }
    return v;
}

/* The report's layer-isolated SNR of a layer (dB; NAN when not reported),
 * and its factorization gain (NAN when absent). */
QT_FN double qt_layer_iso(const char *layer, double *gain)
{
    char key[64];
    snprintf(key, sizeof key, "layer %-12s SNR", layer);
    const char *s = strstr(qt_out, key);
    cr_assert(s, "no SNR of %s in:\n%s", layer, qt_out);
    const char *nl = strchr(s, '\n'), *i = strstr(s, "; isolated "), *g = strstr(s, ", isolated ");
    if (gain)
        *gain = g && (!nl || g < nl) ? strtod(g + 11, NULL) : NAN;
    return i && (!nl || i < nl) ? strtod(i + 11, NULL) : NAN;
}

/* Top-1 (float, Pike) from the report's table row. */
QT_FN void qt_top1(double *f, double *p)
{
    const char *r = strstr(qt_out, "\n| w");
    if (!r)
        r = strstr(qt_out, "\n| p");
    cr_assert(r, "no table row in:\n%s", qt_out);
    char rec[32], fac[8];
    cr_assert_eq(sscanf(r, "\n| %31s | %7s | %lf%% | %lf%%", rec, fac, f, p), 4, "%s", r);
}

/* Bad input: exit 2, the message (one line), no output directory. */
QT_FN void qt_refused(const char *args, const char *want)
{
    const char *d = qt_tmp_out();
    cr_assert_eq(qt_run(args, QT_EDGE, d), 2, "%s\n%s", qt_out, qt_err);
    cr_assert(strstr(qt_err, want), "expected '%s' in: %s", want, qt_err);
    cr_assert(strchr(qt_err, '\n') == qt_err + strlen(qt_err) - 1, "one line: %s", qt_err);
    struct stat st;
    cr_assert_neq(stat(d, &st), 0, "%s was written", d);
}

#endif
