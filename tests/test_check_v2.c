/* test_check_v2.c - pikecheck --arch v2 and pikegen --arch v2 on their
 * command lines, without Verilator: a bad --arch exits 2 with one message
 * line; a network with a layer pk_core2 does not build (a
 * global pool on 3 array rows, an x-folded first layer in mode 1, a layer
 * outside the ring write rule, a loop order other than WS, IS, WB and NS)
 * is refused naming the layer and the reason (core/pk_v2_rtl.h
 * pk_v2_rtl_supported), exit 2, before anything is written: no --json file,
 * nothing in the model cache.  (The v2 bundle itself: test_gen_v2.c; runs
 * of pk_core2: test_check_v2run.c.)
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk_v2_rtl.h"
#include "test_cli_util.h"
#include "test_v2_util.h"

#define DATA PIKE_SOURCE_ROOT "/tests/data/check"
#define PIKECHECK PIKE_BIN_DIR "/check/pikecheck"
#define PIKEGEN PIKE_BIN_DIR "/gen/pikegen"

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Entries of a directory (0 if it does not exist). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    closedir(d);
    return n;
}

/* A fresh temporary directory (a fresh model cache, an output place). */
static void tmpdir(char *buf, size_t len)
{
    const char *t = getenv("TMPDIR");
    snprintf(buf, len, "%s/pike-check-v2-XXXXXX", t && *t ? t : "/tmp");
    cr_assert(mkdtemp(buf), "mkdtemp");
}

/* pikecheck with a fresh cache in tmp; *out: its output. */
static int check(const char *tmp, const char *args, char **out)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "PIKE_CACHE_DIR='%s/cache' '%s' %s", tmp, PIKECHECK, args);
    return pk_test_sh(cmd, out);
}

Test(check_v2, arch_argument_errors)
{
    char tmp[256], *o;
    tmpdir(tmp, sizeof tmp);
    cr_assert_eq(check(tmp, "--arch v3 --config " DATA "/tiny.yaml --network " DATA
                            "/layers/conv1x1.yaml",
                       &o),
                 2);
    cr_assert(strstr(o, "--arch: 'v3' must be v1 or v2"), "%s", o);
    cr_assert_eq(lines(o), 1, "%s", o);
    cr_assert_eq(check(tmp, "--config " DATA "/tiny.yaml --network " DATA
                            "/layers/conv1x1.yaml --arch",
                       &o),
                 2);
    cr_assert(strstr(o, "--arch: unknown option or missing value"), "%s", o);
    cr_assert_eq(check(tmp, "--help", &o), 0);
    cr_assert(strstr(o, "--arch"), "%s", o);

    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' --config %s/hw_configs/edge.yaml --out '%s/b' --arch V2",
             PIKEGEN, PIKE_SOURCE_ROOT, tmp);
    cr_assert_eq(pk_test_sh(cmd, &o), 2);
    cr_assert(strstr(o, "--arch: 'V2': must be v1 or v2"), "%s", o);
    cr_assert_eq(lines(o), 1, "%s", o);
    snprintf(cmd, sizeof cmd, "'%s' --contract-header '%s/h' --arch v2", PIKEGEN, tmp);
    cr_assert_eq(pk_test_sh(cmd, &o), 2);
    cr_assert(strstr(o, "--contract-header"), "%s", o);
    snprintf(cmd, sizeof cmd, "%s/b", tmp);
    cr_assert_neq(access(cmd, F_OK), 0, "pikegen wrote a bundle after a bad --arch");
    cr_assert_eq(entries(tmp), 0, "something was written to %s", tmp);
    rmdir(tmp);
}

/* pikecheck --arch v2 on net refuses layer `layer` with `reason`, exit 2,
 * one line, no --json file, an empty model cache. */
static void refused(const char *cfg, const char *net, const char *layer, const char *reason)
{
    char tmp[256], args[2048], *o;
    tmpdir(tmp, sizeof tmp);
    snprintf(args, sizeof args, "--arch v2 --config %s --network %s --json '%s/r.json'", cfg, net,
             tmp);
    cr_assert_eq(check(tmp, args, &o), 2, "%s: %s", net, o);
    cr_assert_eq(lines(o), 1, "%s", o);
    cr_assert(strstr(o, "not supported by pk_core2"), "%s", o);
    cr_assert(strstr(o, layer), "%s: no '%s' in: %s", net, layer, o);
    cr_assert(strstr(o, reason), "%s: no '%s' in: %s", net, reason, o);
    cr_assert_eq(entries(tmp), 0, "%s: pikecheck wrote to %s before refusing", net, tmp);
    rmdir(tmp);
}

/* (global pools and x-folded layers run: test_check_v2zoo.c) */
Test(check_v2, refuses_global_pool_on_3_rows)
{
    refused(DATA "/v2/tiny3.yaml", DATA "/layers/gap.yaml", "layer 0 (gap, POOLSUM)",
            "global pool on 3 rows");
}

/* A 3-channel stride-2 first layer in mode 1 would fold (fx = 2) in any
 * other mode; the plan keeps it unfolded (V2-4.2: pk_core2 has no per-slot
 * mask for XNOR), so pk_v2_rtl_supported never sees a mode-1 fold from it. */
Test(check_v2, plan_does_not_x_fold_a_mode_1_layer)
{
    fx_t f;
    pk_error_t e;
    cr_assert_eq(fx_make(&f, DATA "/v2/tiny2.yaml", DATA "/v2/xfold.yaml", 0, &e), 0, "%s", e.msg);
    cr_assert_eq(f.hw->layers[0].mode, 1, "xfold.yaml's stem is not in mode 1");
    cr_assert_eq(pk_plan_layer(f.plan, 0)->fx, 1, "a mode-1 layer was x-folded");
    fx_free(&f);
}

/* (a beat completing more words for a bank than its write FIFO drains) */
Test(check_v2, refuses_ring_write_rule)
{
    refused(DATA "/v2/tiny2.yaml", DATA "/v2/ringrule.yaml", "layer 0 (c0, CONV)",
            "ring write rule (V2-11.4 item 4)");
}

Test(check_v2, refuses_beats_over_the_weight_sub_banks)
{
    refused(DATA "/v2/tiny2.yaml", DATA "/v2/dw_wide.yaml", "layer 0 (dwb, DW)",
            "weight words of one column");
}

Test(check_v2, refuses_other_loop_orders)
{
    /* tiny.yaml's weight buffer takes a k-chunk of this layer only */
    refused(DATA "/tiny.yaml", DATA "/layers/conv3x3_s1.yaml", "layer 0 (conv, CONV)",
            "loop order KC");
}

/* WB with a resident prefix (V2-5 item 3): built (V2-11.4 item 12), so pk_v2_rtl_check accepts
 * a plan with it, and the default plan (pikesim's, pikegen's, pikecheck's) is the rule's: it
 * keeps P = 14 rows of prefix.yaml's p1; planned without (prefix -1) the layer is plain WB.
 * pikecheck --arch v2 runs it: check_v2conv resident_prefix_on_tiny2. */
Test(check_v2, accepts_resident_prefix)
{
    const char *cfg = "tests/data/check/v2/tiny2", *net = "tests/data/check/v2/prefix";
    fx_t f;
    pk_error_t e;
    char why[400] = "";
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    cr_assert_eq(o.prefix, 0, "the default plans no prefix");
    cr_assert_eq(fx_make_src(&f, cfg, net, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(pk_plan_layer(f.plan, 0)->pre, 14, "P %lld", (long long)pk_plan_layer(f.plan, 0)->pre);
    pk_v2_rtl_check_t chk;
    pk_v2_rtl_check_init(&chk, f.cfg, f.hw, f.plan);
    cr_expect_eq(pk_v2_rtl_check(&chk, 0, why, sizeof why), 0, "prefix refused: %s", why);
    pk_v2_rtl_check_free(&chk);
    fx_free(&f);
    cr_assert_eq(fx_make_src(&f, cfg, net, -1, &e), 0, "%s", e.msg);
    cr_expect_eq(pk_plan_layer(f.plan, 0)->pre, 0, "prefix -1 plans a prefix");
    pk_v2_rtl_check_init(&chk, f.cfg, f.hw, f.plan);
    cr_expect_eq(pk_v2_rtl_check(&chk, 0, why, sizeof why), 0, "plain WB refused: %s", why);
    pk_v2_rtl_check_free(&chk);
    fx_free(&f);
}

/* --layers N checks a supported prefix: the refusal names the first
 * unsupported layer only when it is among the checked ones. */
Test(check_v2, refusal_only_of_checked_layers)
{
    char tmp[256], *o;
    tmpdir(tmp, sizeof tmp);
    cr_assert_eq(check(tmp, "--arch v2 --layers 2 --config " DATA "/v2/tiny2.yaml --network " DATA
                            "/v2/kc2.yaml",
                       &o),
                 2);
    cr_assert(strstr(o, "layer 1 (c1, CONV)") && strstr(o, "loop order KC"), "%s", o);
    rmdir(tmp);
}
