/* test_hard_hostile.c - hostile inputs to pikegen and pikesim: sizes that
 * overflow, zero and negative sizes, a network of 100,000 layers, deeply
 * nested YAML, 100 MB files, a million keys.  Each must be a clear error
 * (exit 2, one "FILE:LINE: FIELD: message" line) or work (exit 0) - never a
 * crash, a hang (wall-clock limit) or unbounded memory (peak RSS limit).
 * The tools run as plain child processes, so in the sanitizer build an ASan,
 * UBSan or leak report also fails the case.  Big files are generated in a
 * temporary directory, never committed.
 */
#include <criterion/criterion.h>

#include "test_hard_util.h"

/* Limits per run.  The sanitizer build is several times slower and its
 * shadow memory and quarantine inflate RSS. */
#define T_SMALL (HARD_ASAN ? 60.0 : 20.0)
#define T_BIG (HARD_ASAN ? 240.0 : 60.0)
#define RSS_SMALL_KB (HARD_ASAN ? 600L * 1024 : 200L * 1024)
#define RSS_BIG_KB (HARD_ASAN ? 2048L * 1024 : 700L * 1024)
/* Sizes: the full ones in the normal build; the sanitizer build (CI runs
 * both) uses a fifth, to keep its suite within a few minutes. */
#define SCALE (HARD_ASAN ? 5 : 1)

static void expect_clean(char *const argv[], const char *file, double tmax, long rss_kb,
                         const char *what, int want_code)
{
    hard_run_t r;
    cr_assert_eq(hard_run(argv, tmax, &r), 0, "cannot run %s", argv[0]);
    const char *bad = hard_clean_outcome(&r, file);
    cr_expect_null(bad, "%s: %s (%.1f s)\nstderr: %.600s", what, bad ? bad : "", r.secs, r.err);
    cr_expect_leq(r.maxrss_kb, rss_kb, "%s: peak RSS %ld KB > %ld KB", what, r.maxrss_kb, rss_kb);
    if (want_code >= 0 && !bad)
        cr_expect_eq(r.code, want_code, "%s: exit %d, want %d\nstderr: %.600s", what, r.code,
                     want_code, r.err);
    cr_log_info("%s: exit %d, %.2f s, %ld KB", what, r.code, r.secs, r.maxrss_kb);
}

static void gen_on(const char *dir, const char *cfg, const char *what, int want_code)
{
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    char *argv[] = {HARD_PIKEGEN, "--config", (char *)cfg, "--out", out, "--force", NULL};
    expect_clean(argv, cfg, T_SMALL, RSS_SMALL_KB, what, want_code);
}

/* ---- hardware config values ------------------------------------------- */

typedef struct {
    const char *from, *to;
} subst_t;

static const subst_t cfg_cases[] = {
    {"rows: 1\n", "rows: 0\n"},
    {"rows: 1\n", "rows: -1\n"},
    {"rows: 1\n", "rows: 2147483648\n"},
    {"rows: 1\n", "rows: 4294967297\n"},
    {"rows: 1\n", "rows: 18446744073709551617\n"},
    {"rows: 1\n", "rows: 99999999999999999999999999999999\n"},
    {"rows: 1\n", "rows: 1e308\n"},
    {"rows: 1\n", "rows: 65536\n"},
    {"rows: 1\n", "rows: 0x7fffffff\n"},
    {"cols: 4\n", "cols: 0\n"},
    {"cols: 4\n", "cols: -4\n"},
    {"cols: 4\n", "cols: 1073741824\n"},
    {"cols: 4\n", "cols: 2147483647\n"},
    {"lanes: 8\n", "lanes: 0\n"},
    {"lanes: 8\n", "lanes: -8\n"},
    {"lanes: 8\n", "lanes: 2147483640\n"},
    {"max_reduction: 4096", "max_reduction: 0"},
    {"max_reduction: 4096", "max_reduction: -1"},
    {"max_reduction: 4096", "max_reduction: 4294967296"},
    {"max_reduction: 4096", "max_reduction: 9223372036854775807"},
    {"acc_bits: 20 ", "acc_bits: 0 "},
    {"acc_bits: 20 ", "acc_bits: 64 "},
    {"acc_bits: 20 ", "acc_bits: 2147483647 "},
    {"internal_bits: 20", "internal_bits: 2147483647"},
    {"internal_bits: 20", "internal_bits: -20"},
    {"weights: 2048 ", "weights: 0 "},
    {"weights: 2048 ", "weights: -2048 "},
    {"weights: 2048 ", "weights: 4294967296 "},
    {"weights: 2048 ", "weights: 9223372036854775807 "},
    {"weights: 2048 ", "weights: 2147483648 "},
    {"activations: 512 ", "activations: 0 "},
    {"activations: 512 ", "activations: 9223372036854775807 "},
    {"addr_bits: 24", "addr_bits: 0"},
    {"addr_bits: 24", "addr_bits: 64"},
    {"addr_bits: 24", "addr_bits: 65"},
    {"bytes_per_cycle: 2", "bytes_per_cycle: 0"},
    {"bytes_per_cycle: 2", "bytes_per_cycle: 2147483647"},
    {"latency: 8", "latency: -1"},
    {"latency: 8", "latency: 2147483647"},
    {"clock_mhz: 24", "clock_mhz: 0"},
    {"clock_mhz: 24", "clock_mhz: -24"},
    {"clock_mhz: 24", "clock_mhz: 1e308"},
    {"clock_mhz: 24", "clock_mhz: .inf"},
    {"clock_mhz: 24", "clock_mhz: .nan"},
    {"weight_bits: [2, 4]", "weight_bits: []"},
    {"weight_bits: [2, 4]", "weight_bits: [0]"},
    {"weight_bits: [2, 4]", "weight_bits: [-1]"},
    {"weight_bits: [2, 4]", "weight_bits: [64]"},
    {"weight_bits: [2, 4]", "weight_bits: [2147483648]"},
    {"qn_shift_bits: 5", "qn_shift_bits: 63"},
    {"qn_mult_bits: 8", "qn_mult_bits: 2147483647"},
};

Test(hostile, config_values, .timeout = 900)
{
    char *dir = hard_tmpdir();
    size_t n = sizeof cfg_cases / sizeof cfg_cases[0];
    for (size_t i = 0; i < n; i++) {
        char name[64], what[256];
        snprintf(name, sizeof name, "cfg%02zu.yaml", i);
        char *p = hard_variant(dir, name, "hw_configs/ice40.yaml", cfg_cases[i].from, cfg_cases[i].to);
        snprintf(what, sizeof what, "ice40.yaml with '%.*s'", (int)strcspn(cfg_cases[i].to, "\n"),
                 cfg_cases[i].to);
        gen_on(dir, p, what, -1);
        free(p);
    }
    gt_rm_tree(dir);
    free(dir);
}

/* ---- network values ----------------------------------------------------- */

static const char net_base[] =
    "name: hostile\n"
    "input: {h: 8, w: 8, c: 8, bits: 4, signed: false}\n"
    "seed: 3\n"
    "layers:\n"
    "  - {name: a, op: conv, out_c: 8, kernel: 3, stride: 1, padding: 1, groups: 1, w_bits: 4,"
    " out_bits: 4, norm: quantnorm, scale: dq, act: relu}\n"
    "  - {name: p, op: maxpool, kernel: 2, stride: 2}\n"
    "  - {name: g, op: global_avgpool, out_bits: 4}\n"
    "  - {name: f, op: fc, out_c: 10, w_bits: 4, out_bits: 4, scale: dq}\n";

static const subst_t net_cases[] = {
    {"h: 8, w: 8, c: 8", "h: 0, w: 8, c: 8"},
    {"h: 8, w: 8, c: 8", "h: -8, w: 8, c: 8"},
    {"h: 8, w: 8, c: 8", "h: 8, w: 8, c: 0"},
    {"h: 8, w: 8, c: 8", "h: 2147483647, w: 2147483647, c: 2147483647"},
    {"h: 8, w: 8, c: 8", "h: 4294967304, w: 8, c: 8"},
    {"h: 8, w: 8, c: 8", "h: 1048576, w: 1048576, c: 1048576"},
    {"h: 8, w: 8, c: 8", "h: 1048577, w: 8, c: 8"},
    {"h: 8, w: 8, c: 8", "h: 65535, w: 65535, c: 65535"},
    {"h: 8, w: 8, c: 8", "h: 65536, w: 1, c: 8"},
    {"h: 8, w: 8, c: 8", "h: 1, w: 1, c: 1"},
    {"bits: 4,", "bits: 0,"},
    {"bits: 4,", "bits: -4,"},
    {"bits: 4,", "bits: 2147483647,"},
    {"out_c: 8,", "out_c: 0,"},
    {"out_c: 8,", "out_c: -8,"},
    {"out_c: 8,", "out_c: 1048576,"},
    {"out_c: 8,", "out_c: 2147483647,"},
    {"kernel: 3,", "kernel: 0,"},
    {"kernel: 3,", "kernel: -3,"},
    {"kernel: 3,", "kernel: 9,"},
    {"kernel: 3,", "kernel: 1048576,"},
    {"stride: 1,", "stride: 0,"},
    {"stride: 1,", "stride: -1,"},
    {"stride: 1,", "stride: 1048576,"},
    {"padding: 1,", "padding: -1,"},
    {"padding: 1,", "padding: 1048576,"},
    {"padding: 1,", "padding: 2147483647,"},
    {"groups: 1,", "groups: 0,"},
    {"groups: 1,", "groups: -8,"},
    {"groups: 1,", "groups: 3,"},
    {"groups: 1,", "groups: 4,"},
    {"kernel: 3,", "kernel_h: 1048576, kernel_w: 1,"},
    {"stride: 1,", "stride_h: 2147483647, stride_w: 0,"},
    {"padding: 1,", "pad_top: 1, pad_left: 15, pad_bottom: 2147483647, pad_right: -1,"},
    {"w_bits: 4,", "w_bits: 0,"},
    {"w_bits: 4,", "w_bits: 3,"},
    {"out_c: 10,", "out_c: 1048576,"},
    {"seed: 3", "seed: -1"},
    {"seed: 3", "seed: 18446744073709551615"},
    {"seed: 3", "seed: 18446744073709551616"},
    {"kernel: 2, stride: 2}", "kernel: 2, stride: 0}"},
    {"kernel: 2, stride: 2}", "kernel: 65536, stride: 65536}"},
};

static void sim_on(const char *cfg, const char *net, int timing_only, double tmax, long rss,
                   const char *what, int want_code)
{
    char cpath[4096];
    snprintf(cpath, sizeof cpath, "%s/hw_configs/%s", PIKE_SOURCE_ROOT, cfg);
    char *argv[] = {HARD_PIKESIM, "--config", cpath, "--network", (char *)net,
                    timing_only ? "--timing-only" : NULL, NULL};
    expect_clean(argv, net, tmax, rss, what, want_code);
}

Test(hostile, network_values, .timeout = 900)
{
    char *dir = hard_tmpdir();
    char base[4200];
    snprintf(base, sizeof base, "%s/base.yaml", dir);
    hard_write(base, net_base);
    /* the base network itself works (else every case below is vacuous) */
    sim_on("edge.yaml", base, 0, T_SMALL, RSS_SMALL_KB, "base network", 0);
    size_t n = sizeof net_cases / sizeof net_cases[0];
    for (size_t i = 0; i < n; i++) {
        char path[4200], what[256];
        snprintf(path, sizeof path, "%s/net%02zu.yaml", dir, i);
        const char *at = strstr(net_base, net_cases[i].from);
        cr_assert_not_null(at, "case %zu: '%s' not in the base network", i, net_cases[i].from);
        FILE *f = fopen(path, "wb");
        fwrite(net_base, 1, (size_t)(at - net_base), f);
        fputs(net_cases[i].to, f);
        fputs(at + strlen(net_cases[i].from), f);
        fclose(f);
        for (int t = 1; t >= 0; t--) {
            snprintf(what, sizeof what, "network with '%s'%s", net_cases[i].to,
                     t ? " --timing-only" : "");
            /* a negative seed used to wrap to 2^64-1 silently */
            int want = strcmp(net_cases[i].to, "seed: -1") == 0 ? 2 : -1;
            sim_on("edge.yaml", path, t, T_SMALL, RSS_BIG_KB, what, want);
        }
    }
    gt_rm_tree(dir);
    free(dir);
}

/* ---- structure ---------------------------------------------------------- */

static char *big_file(const char *dir, const char *name, const char *head, const char *unit,
                      size_t reps, const char *tail)
{
    char *p = malloc(4200);
    snprintf(p, 4200, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    fputs(head, f);
    size_t ul = strlen(unit);
    char *blk = malloc(ul * 4096);
    for (size_t i = 0; i < 4096; i++)
        memcpy(blk + i * ul, unit, ul);
    for (size_t i = 0; i < reps / 4096; i++)
        fwrite(blk, ul, 4096, f);
    fwrite(blk, ul, reps % 4096, f);
    fputs(tail, f);
    cr_assert_eq(fclose(f), 0);
    free(blk);
    return p;
}

Test(hostile, deep_nesting, .timeout = 300)
{
    char *dir = hard_tmpdir();
    struct {
        const char *name, *head, *unit, *tail;
    } c[] = {
        {"deep_seq.yaml", "name: ", "[", ""},
        {"deep_map.yaml", "name: ", "{a: ", ""},
        {"deep_block.yaml", "name:\n", "- ", ""},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        /* 200,000 levels: a recursive parser would overflow the stack */
        char *p = big_file(dir, c[i].name, c[i].head, c[i].unit, 200000, "\n");
        gen_on(dir, p, c[i].name, 2);
        sim_on("ice40.yaml", p, 1, T_SMALL, RSS_SMALL_KB, c[i].name, 2);
        free(p);
    }
    gt_rm_tree(dir);
    free(dir);
}

Test(hostile, million_keys, .timeout = 600)
{
    /* 1,000,000 distinct top-level keys: the duplicate-key check must not be
     * quadratic (it was: 300,000 keys took > 120 s) */
    char *dir = hard_tmpdir();
    char *p = malloc(4200);
    snprintf(p, 4200, "%s/keys.yaml", dir);
    FILE *f = fopen(p, "wb");
    fputs("name: x\n", f);
    for (int i = 0; i < 1000000 / SCALE; i++)
        fprintf(f, "k%d: 1\n", i);
    fclose(f);
    gen_on(dir, p, "10^6 keys (config; 2x10^5 under ASan)", 2);
    sim_on("ice40.yaml", p, 1, T_SMALL, RSS_BIG_KB, "10^6 keys (network; 2x10^5 under ASan)", 2);
    free(p);
    gt_rm_tree(dir);
    free(dir);
}

static char *file_100mb_list(const char *dir)
{
    /* weight_bits with 33 million entries, 100 MB */
    char *p = malloc(4200);
    snprintf(p, 4200, "%s/list.yaml", dir);
    char src[4096];
    snprintf(src, sizeof src, "%s/hw_configs/ice40.yaml", PIKE_SOURCE_ROOT);
    char *s = gt_read(src, NULL);
    char *at = strstr(s, "weight_bits: [2, 4]");
    cr_assert_not_null(at);
    FILE *f = fopen(p, "wb");
    fwrite(s, 1, (size_t)(at - s), f);
    fputs("weight_bits: [", f);
    static const char unit[] = "2, 4, 2, 4, 2, 4, 2, 4, 2, 4, ";
    for (int i = 0; i < 3300000 / SCALE; i++)
        fputs(unit, f);
    fputs("4]", f);
    fputs(at + strlen("weight_bits: [2, 4]"), f);
    fclose(f);
    free(s);
    return p;
}

Test(hostile, files_100mb, .timeout = 1200)
{
    char *dir = hard_tmpdir();
    char src[4096];
    snprintf(src, sizeof src, "%s/hw_configs/ice40.yaml", PIKE_SOURCE_ROOT);
    char *cfg = gt_read(src, NULL);
    char line[101];
    memset(line, 'x', 99);
    line[0] = '#';
    line[99] = '\n';
    line[100] = 0;

    /* a valid config followed by 100 MB of comments: works */
    char *p = big_file(dir, "comment.yaml", cfg, line, 1000000 / SCALE, "");
    gen_on(dir, p, "config + 100 MB comment", 0);
    free(p);

    /* a 100 MB scalar as the name: a clear error */
    char *q = hard_variant(dir, "scalar_head.yaml", "hw_configs/ice40.yaml", "name: ice40",
                           "name: ice40_");
    char *body = gt_read(q, NULL);
    char *at = strstr(body, "name: ice40_");
    at[strlen("name: ice40_")] = 0;
    p = big_file(dir, "scalar.yaml", body, "a", 100000000 / SCALE, at + strlen("name: ice40_") + 1);
    gen_on(dir, p, "100 MB name", 2);
    free(p);
    free(q);
    free(body);

    /* a 100 MB list (33 M items; 6.6 M in the sanitizer build): a clear
     * error (PK_YAMLPOS_MAX_NODES), bounded memory */
    p = file_100mb_list(dir);
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    char *argv[] = {HARD_PIKEGEN, "--config", p, "--out", out, "--force", NULL};
    expect_clean(argv, p, T_BIG, RSS_BIG_KB, "100 MB list", 2);
    free(p);

    /* 100 MB of one network line and of binary garbage */
    p = big_file(dir, "net_line.yaml", "name: x\ninput: {h: 8, w: 8, c: 8, bits: 4}\nlayers: [",
                 "{}, ", 25000000 / SCALE, "{}]\n");
    sim_on("ice40.yaml", p, 1, T_BIG, RSS_BIG_KB, "100 MB of empty layers", 2);
    free(p);
    p = big_file(dir, "zeros.yaml", "", "\x01\xff\x00", 33000000 / SCALE, "");
    gen_on(dir, p, "100 MB binary", 2);
    sim_on("ice40.yaml", p, 1, T_BIG, RSS_BIG_KB, "100 MB binary (network)", 2);
    free(p);
    free(cfg);
    gt_rm_tree(dir);
    free(dir);
}

Test(hostile, layers_100000, .timeout = 1200)
{
    /* PK_NET_MAX_LAYERS layers in a chain: works (timing-only and a full
     * bit-exact run) in bounded time and memory; one more is a clear error.
     * Under ASan libcyaml's per-entry realloc makes the load quadratic, so
     * the sanitizer build runs 5,000 layers instead. */
    int n = HARD_ASAN ? 5000 : 100000;
    char *dir = hard_tmpdir();
    char path[4200];
    for (int extra = 0; extra <= 1; extra++) {
        if (extra && HARD_ASAN)
            break;
        snprintf(path, sizeof path, "%s/chain%d.yaml", dir, extra);
        FILE *f = fopen(path, "wb");
        fputs("name: chain\ninput: {h: 2, w: 2, c: 8, bits: 4, signed: false}\nlayers:\n", f);
        for (int i = 0; i < n + extra; i++)
            fprintf(f,
                    "  - {name: l%d, op: conv, out_c: 8, kernel: 1, w_bits: 4, out_bits: 4,"
                    " quant: per_tensor, norm: quantnorm, scale: dq, act: relu}\n",
                    i);
        fclose(f);
        char what[64];
        snprintf(what, sizeof what, "%d layers", n + extra);
        sim_on("edge.yaml", path, 1, T_BIG, RSS_BIG_KB, what, extra ? 2 : 0);
        if (!extra) {
            snprintf(what, sizeof what, "%d layers, full run", n);
            sim_on("edge.yaml", path, 0, T_BIG, RSS_BIG_KB, what, 0);
        }
    }
    gt_rm_tree(dir);
    free(dir);
}
