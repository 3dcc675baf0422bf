/* gen_test_util.h - helpers shared by the tests/test_gen_*.c binaries:
 * temporary directories, running a command with its output captured,
 * reading files, the shipped config list, and the seeded random config
 * generator used by test_gen_lint.
 *
 * Header-only (static functions) because every test file is its own binary.
 */
#ifndef GEN_TEST_UTIL_H
#define GEN_TEST_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define GT_FN static inline __attribute__((unused))

/* The templates under test: the source tree's, or $PIKE_GEN_TEMPLATES. */
GT_FN const char *gt_templates(void)
{
    const char *t = getenv("PIKE_GEN_TEMPLATES");
    return t && *t ? t : PIKE_SOURCE_ROOT "/rtl_templates";
}
#define GT_PIKEGEN PIKE_BIN_DIR "/gen/pikegen"

GT_FN int gt_rm_entry(const char *p, const struct stat *sb, int f, struct FTW *w)
{
    (void)sb, (void)f, (void)w;
    return remove(p);
}

GT_FN void gt_rm_tree(const char *path)
{
    nftw(path, gt_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh directory under $TMPDIR (or /tmp); path in buf. */
GT_FN const char *gt_tmpdir(char *buf, size_t len, const char *tag)
{
    const char *t = getenv("TMPDIR");
    snprintf(buf, len, "%s/pike-%s-XXXXXX", t && *t ? t : "/tmp", tag);
    return mkdtemp(buf);
}

/* Whole file, NUL-terminated, malloc'd; NULL if unreadable. */
GT_FN char *gt_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return b;
}

GT_FN int gt_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Run sh -c cmd with stdout+stderr into logfile; the exit status, or -1. */
GT_FN int gt_run(const char *cmd, const char *logfile)
{
    char full[8192];
    snprintf(full, sizeof full, "(%s) >'%s' 2>&1", cmd, logfile);
    int st = system(full);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/* The last n lines of a text (for failure messages). */
GT_FN const char *gt_tail(const char *text, int n)
{
    const char *p = text + strlen(text);
    while (p > text && n >= 0) {
        p--;
        if (*p == '\n')
            n--;
    }
    return p;
}

GT_FN int gt_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted base names of the .yaml files in hw_configs/; returns the count (at most max). */
GT_FN size_t gt_shipped(char names[][64], size_t max)
{
    DIR *d = opendir(PIKE_SOURCE_ROOT "/hw_configs");
    if (!d)
        return 0;
    char *v[64];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < max && n < 64) {
        size_t l = strlen(de->d_name);
        if (l > 5 && !strcmp(de->d_name + l - 5, ".yaml"))
            v[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(v, n, sizeof *v, gt_cmp_str);
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], 64, "%s", v[i]);
        free(v[i]);
    }
    return n;
}

/* ---- seeded random valid configs ------------------------------------------ */

GT_FN uint64_t gt_rng(uint64_t *s)
{
    /* xorshift64* */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

GT_FN int gt_pick(uint64_t *s, int lo, int hi) /* [lo, hi] */
{
    return lo + (int)(gt_rng(s) % (uint64_t)(hi - lo + 1));
}

GT_FN int gt_clog2(long long v)
{
    int n = 0;
    while ((1LL << n) < v)
        n++;
    return n;
}

GT_FN int gt_widths(unsigned mask, char *buf, size_t len, int *wmin, int *wmax)
{
    size_t o = (size_t)snprintf(buf, len, "[");
    int first = 1;
    *wmin = 99;
    *wmax = 0;
    for (int i = 0; i < 4; i++)
        if (mask & (1u << i)) {
            o += (size_t)snprintf(buf + o, len - o, "%s%d", first ? "" : ", ", 1 << i);
            first = 0;
            if ((1 << i) < *wmin)
                *wmin = 1 << i;
            *wmax = 1 << i;
        }
    snprintf(buf + o, len - o, "]");
    return 0;
}

GT_FN void gt_names(uint64_t *s, const char *const *all, int n, char *buf, size_t len)
{
    size_t o = (size_t)snprintf(buf, len, "[");
    int first = 1;
    for (int i = 0; i < n; i++)
        if (gt_rng(s) & 1) {
            o += (size_t)snprintf(buf + o, len - o, "%s%s", first ? "" : ", ", all[i]);
            first = 0;
        }
    snprintf(buf + o, len - o, "]");
}

/* Random valid config number idx of the run with seed `seed`, as YAML.
 * Width subsets cycle through all 15 non-empty subsets of {1,2,4,8} (weights)
 * and a co-prime walk for activations; lanes 8/16/24; odd array sizes; the
 * accumulator at its minimum width; small buffers so synthesis stays fast. */
GT_FN void gt_random_config(uint64_t seed, int idx, char *out, size_t len)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)idx * 0xD1B54A32D192ED03ULL + 1;
    for (int i = 0; i < 4; i++)
        gt_rng(&s);
    unsigned wm = (unsigned)(idx % 15) + 1, am = (unsigned)((idx * 7 + 3) % 15) + 1;
    char wl[32], al[32], acts[96], pools[64];
    int wmin, wmax, amin, amax;
    gt_widths(wm, wl, sizeof wl, &wmin, &wmax);
    gt_widths(am, al, sizeof al, &amin, &amax);
    int lanes = (int[]){8, 16, 24}[idx % 3];
    int slot = wmax > amax ? wmax : amax;
    int word_bytes = lanes * slot / 8;
    int rows = (int[]){1, 2, 3, 5}[gt_pick(&s, 0, 3)];
    int step = 8 / amin; /* cols * amin must be a whole number of bytes */
    int cols = step * gt_pick(&s, 1, step >= 4 ? 1 : (step == 2 ? 3 : 5));
    int divs[16], nd = 0;
    for (int d = 1; d <= cols; d++)
        if (cols % d == 0)
            divs[nd++] = d;
    int pl = divs[gt_pick(&s, 0, nd - 1)];
    long long maxred = (long long[]){9, 100, 1000, 4608}[gt_pick(&s, 0, 3)];
    int acc = wmax + amax + gt_clog2(maxred);
    int pbits = acc + gt_pick(&s, 0, 4);
    if (pbits > 40)
        pbits = 40;
    static const char *const act_all[] = {"relu", "clip", "prelu", "dprelu", "rprelu"};
    static const char *const pool_all[] = {"max", "avg", "global_avg"};
    gt_names(&s, act_all, 5, acts, sizeof acts);
    gt_names(&s, pool_all, 3, pools, sizeof pools);
    int wdepth = gt_pick(&s, 1, 8) * (gt_rng(&s) & 1 ? 1 : 4);
    int pdepth = gt_pick(&s, 1, 8) * (gt_rng(&s) & 1 ? 1 : 4);
    snprintf(out, len,
             "# random config %d of seed %llu (tests/gen/gen_test_util.h)\n"
             "name: rand%02d\n"
             "clock_mhz: %d\n"
             "array:\n  rows: %d\n  cols: %d\n  lanes: %d\n"
             "precision:\n  weight_bits: %s\n  act_bits: %s\n  acc_bits: %d\n"
             "  max_reduction: %lld\n"
             "postproc:\n  lanes: %d\n  internal_bits: %d\n  qn_mult_bits: %d\n"
             "  qn_bias_bits: %d\n  qn_shift_bits: %d\n  dq_mant_bits: %d\n  dq_exp_bits: %d\n"
             "  act_param_bits: %d\n  act_shift_bits: %d\n  activations: %s\n"
             "  residual: %s\n  residual_shift_bits: %d\n  pooling: %s\n"
             "buffers:\n  weights: %d\n  activations: %d\n"
             "offchip:\n  bytes_per_cycle: %d\n  latency: %d\n  addr_bits: %d\n"
             "fpga:\n  family: generic\n",
             idx, (unsigned long long)seed, idx, gt_pick(&s, 10, 300), rows, cols, lanes, wl, al,
             acc, maxred, pl, pbits, gt_pick(&s, 2, 16), gt_pick(&s, 2, 32), gt_pick(&s, 1, 6),
             gt_pick(&s, 2, 16), gt_pick(&s, 1, 6), gt_pick(&s, 2, 16), gt_pick(&s, 1, 4), acts,
             gt_rng(&s) & 1 ? "true" : "false", gt_pick(&s, 1, 4), pools,
             cols * word_bytes * wdepth, rows * word_bytes * pdepth, 1 << gt_pick(&s, 0, 3),
             gt_pick(&s, 1, 30), gt_pick(&s, 16, 32));
}

#endif
