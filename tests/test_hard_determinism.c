/* test_hard_determinism.c - same inputs, byte-identical outputs.
 *
 * pikegen twice on each shipped config into two different directories (same
 * bundle name, different parents and working directories): every file of the
 * two bundles byte-identical.  pikesim twice on two networks (a full
 * bit-exact run with --json, --csv and the text report, and --timing-only):
 * identical bytes.  Catches timestamps, absolute paths, uninitialized
 * padding written out, hash-order or pointer-order dependence.
 */
#include <criterion/criterion.h>
#include <dirent.h>

#include "test_hard_util.h"

/* Compare two trees file by file; reports the first difference. */
static void same_tree(const char *a, const char *b, const char *rel)
{
    char pa[4096], pb[4096];
    snprintf(pa, sizeof pa, "%s%s%s", a, rel[0] ? "/" : "", rel);
    snprintf(pb, sizeof pb, "%s%s%s", b, rel[0] ? "/" : "", rel);
    struct dirent **ea, **eb;
    int na = scandir(pa, &ea, NULL, alphasort), nb = scandir(pb, &eb, NULL, alphasort);
    cr_assert(na > 2 && na == nb, "%s: %d vs %d entries", rel[0] ? rel : "bundle", na, nb);
    for (int i = 0; i < na; i++) {
        const char *nm = ea[i]->d_name;
        cr_assert_str_eq(nm, eb[i]->d_name, "file lists differ under '%s'", rel);
        if (strcmp(nm, ".") && strcmp(nm, "..")) {
            char r2[4096], fa[8192], fb[8192];
            snprintf(r2, sizeof r2, "%s%s%s", rel, rel[0] ? "/" : "", nm);
            snprintf(fa, sizeof fa, "%s/%s", a, r2);
            snprintf(fb, sizeof fb, "%s/%s", b, r2);
            struct stat st;
            cr_assert_eq(lstat(fa, &st), 0);
            if (S_ISDIR(st.st_mode)) {
                same_tree(a, b, r2);
            } else {
                size_t la = 0, lb = 0;
                char *xa = gt_read(fa, &la), *xb = gt_read(fb, &lb);
                cr_assert(xa && xb, "%s unreadable", r2);
                cr_expect(la == lb && memcmp(xa, xb, la) == 0, "%s differs between two runs", r2);
                free(xa);
                free(xb);
            }
        }
        free(ea[i]);
        free(eb[i]);
    }
    free(ea);
    free(eb);
}

Test(determinism, pikegen, .timeout = 300)
{
    static const char *cfgs[] = {"ice40.yaml", "edge.yaml", "cloud.yaml"};
    char *dir = hard_tmpdir();
    for (size_t i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) {
        char cfg[4096], d1[4200], d2[4200], o1[4300], o2[4300];
        snprintf(cfg, sizeof cfg, "%s/hw_configs/%s", PIKE_SOURCE_ROOT, cfgs[i]);
        snprintf(d1, sizeof d1, "%s/run1", dir);
        snprintf(d2, sizeof d2, "%s/second_run", dir);
        mkdir(d1, 0777);
        mkdir(d2, 0777);
        snprintf(o1, sizeof o1, "%s/bundle", d1);
        snprintf(o2, sizeof o2, "%s/bundle", d2);
        char *a1[] = {HARD_PIKEGEN, "--config", cfg, "--out", o1, "--force", NULL};
        char *a2[] = {HARD_PIKEGEN, "--config", cfg, "--out", o2, "--force", NULL};
        hard_run_t r;
        hard_run(a1, 120, &r);
        cr_assert(r.exited && r.code == 0, "%s: %s", cfgs[i], r.err);
        hard_run(a2, 120, &r);
        cr_assert(r.exited && r.code == 0, "%s: %s", cfgs[i], r.err);
        same_tree(o1, o2, "");
    }
    gt_rm_tree(dir);
    free(dir);
}

static void sim_twice(const char *cfg, const char *net, int timing_only)
{
    char *dir = hard_tmpdir();
    char c[4096], n[4096];
    snprintf(c, sizeof c, "%s/hw_configs/%s", PIKE_SOURCE_ROOT, cfg);
    snprintf(n, sizeof n, "%s/%s", PIKE_SOURCE_ROOT, net);
    char *json[2], *csv[2], out[2][8192];
    size_t jl[2], cl[2];
    for (int k = 0; k < 2; k++) {
        char jp[4200], cp[4200];
        snprintf(jp, sizeof jp, "%s/r%d.json", dir, k);
        snprintf(cp, sizeof cp, "%s/r%d.csv", dir, k);
        char *argv[] = {HARD_PIKESIM, "--config", c,  "--network", n, "--json", jp, "--csv", cp,
                        timing_only ? "--timing-only" : NULL, NULL};
        hard_run_t r;
        hard_run(argv, 300, &r);
        cr_assert(r.exited && r.code == 0, "%s on %s: exit %d %s", net, cfg, r.code, r.err);
        memcpy(out[k], r.out, sizeof out[k]);
        json[k] = gt_read(jp, &jl[k]);
        csv[k] = gt_read(cp, &cl[k]);
        cr_assert(json[k] && csv[k]);
    }
    cr_expect(jl[0] == jl[1] && memcmp(json[0], json[1], jl[0]) == 0, "%s: --json differs", net);
    cr_expect(cl[0] == cl[1] && memcmp(csv[0], csv[1], cl[0]) == 0, "%s: --csv differs", net);
    cr_expect_str_eq(out[0], out[1], "%s: the text report differs", net);
    cr_expect_gt(jl[0], 100, "a real report");
    for (int k = 0; k < 2; k++) {
        free(json[k]);
        free(csv[k]);
    }
    gt_rm_tree(dir);
    free(dir);
}

Test(determinism, pikesim_full, .timeout = 600)
{
    sim_twice("ice40.yaml", "tests/data/check/net_ice40.yaml", 0);
    sim_twice("edge.yaml", "networks/mobilenetv1_w4a4.yaml", 0);
}

Test(determinism, pikesim_timing_only, .timeout = 600)
{
    sim_twice("edge.yaml", "networks/resnet18_w4a4.yaml", 1);
    sim_twice("cloud.yaml", "networks/reactnet_a.yaml", 1);
}
