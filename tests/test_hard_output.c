/* test_hard_output.c - output safety of pikegen and pikesim.
 *
 * A failed or interrupted run never leaves a half-written bundle or report
 * in place of a good one (both tools write to a temporary name beside the
 * target and rename at the end); an existing output directory is replaced
 * only with --force.  Interrupted = SIGKILL at a spread of times during the
 * run: afterwards the target is byte-identical to either the old output or
 * a complete new one.  (Leftover *.tmp-XXXXXX siblings after a SIGKILL are
 * allowed: nothing can clean up after SIGKILL; they are never the target.)
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>

#include "pk_fnv1a.h"
#include "test_hard_util.h"

/* FNV-1a over every relative path and file content under dir, in sorted
 * order; 0 if dir does not exist. */
static uint64_t dir_digest_rec(const char *dir, const char *rel, uint64_t h)
{
    char full[4096];
    snprintf(full, sizeof full, "%s%s%s", dir, rel[0] ? "/" : "", rel);
    struct dirent **ents;
    int n = scandir(full, &ents, NULL, alphasort);
    if (n < 0)
        return h;
    for (int i = 0; i < n; i++) {
        const char *nm = ents[i]->d_name;
        if (strcmp(nm, ".") && strcmp(nm, "..")) {
            char r2[4096], f2[8192];
            snprintf(r2, sizeof r2, "%s%s%s", rel, rel[0] ? "/" : "", nm);
            snprintf(f2, sizeof f2, "%s/%s", dir, r2);
            h = pk_fnv1a64(h, r2, strlen(r2) + 1);
            struct stat st;
            if (lstat(f2, &st) == 0 && S_ISDIR(st.st_mode)) {
                h = dir_digest_rec(dir, r2, h);
            } else {
                size_t len = 0;
                char *b = gt_read(f2, &len);
                if (b)
                    h = pk_fnv1a64(h, b, len);
                free(b);
            }
        }
        free(ents[i]);
    }
    free(ents);
    return h;
}

static uint64_t dir_digest(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return 0;
    return dir_digest_rec(dir, "", PK_FNV1A64_INIT);
}

static char *src(const char *rel)
{
    char *p = malloc(4096);
    snprintf(p, 4096, "%s/%s", PIKE_SOURCE_ROOT, rel);
    return p;
}

static int gen(const char *cfg, const char *out, int force, long kill_ms, hard_run_t *r)
{
    char *c = src(cfg);
    char *argv[] = {HARD_PIKEGEN, "--config", c, "--out", (char *)out, force ? "--force" : NULL, NULL};
    int rc = hard_run_env(argv, NULL, 120, kill_ms, r);
    free(c);
    return rc;
}

Test(output, existing_dir_needs_force, .timeout = 300)
{
    char *dir = hard_tmpdir();
    char out[4200], marker[4300];
    snprintf(out, sizeof out, "%s/bundle", dir);
    snprintf(marker, sizeof marker, "%s/precious.txt", out);
    mkdir(out, 0777);
    hard_write(marker, "keep me\n");
    hard_run_t r;
    gen("hw_configs/ice40.yaml", out, 0, -1, &r);
    cr_expect(r.exited && r.code == 2, "no --force: exit %d, want 2; %s", r.code, r.err);
    cr_expect(strstr(r.err, "--force") != NULL, "the message names --force: %s", r.err);
    char *k = gt_read(marker, NULL);
    cr_expect(k && strcmp(k, "keep me\n") == 0, "the existing directory was touched");
    free(k);
    /* nothing else appeared beside it */
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    cr_expect_eq(n, 3, "only '.', '..' and 'bundle' in %s (got %d entries)", dir, n);
    for (int i = 0; i < n; i++)
        free(ents[i]);
    free(ents);
    /* with --force the directory is replaced by the bundle */
    gen("hw_configs/ice40.yaml", out, 1, -1, &r);
    cr_expect(r.exited && r.code == 0, "--force: exit %d; %s", r.code, r.err);
    cr_expect(access(marker, F_OK) != 0, "the old content is gone after --force");
    char man[4300];
    snprintf(man, sizeof man, "%s/manifest.json", out);
    cr_expect(access(man, F_OK) == 0, "the new bundle is in place");
    gt_rm_tree(dir);
    free(dir);
}

Test(output, failed_run_keeps_old_bundle, .timeout = 300)
{
    char *dir = hard_tmpdir();
    char out[4200], bad[4200];
    snprintf(out, sizeof out, "%s/bundle", dir);
    hard_run_t r;
    gen("hw_configs/ice40.yaml", out, 0, -1, &r);
    cr_assert(r.exited && r.code == 0, "first run: %s", r.err);
    uint64_t old = dir_digest(out);
    /* a bad config with --force */
    snprintf(bad, sizeof bad, "%s/bad.yaml", dir);
    hard_write(bad, "name: bad\narray: {rows: 0}\n");
    char *argv[] = {HARD_PIKEGEN, "--config", bad, "--out", out, "--force", NULL};
    hard_run(argv, 60, &r);
    cr_expect(r.exited && r.code == 2, "bad config: exit %d", r.code);
    cr_expect_eq(dir_digest(out), old, "a failed --force run changed the old bundle");
    /* missing templates: fails after the config loaded, still no change */
    char *c = src("hw_configs/edge.yaml");
    char *argv2[] = {HARD_PIKEGEN, "--config", c,  "--out", out, "--force",
                     "--templates", "/nonexistent/pike-templates", NULL};
    hard_run(argv2, 60, &r);
    cr_expect(r.exited && r.code != 0 && r.code != 23, "missing templates: exit %d", r.code);
    cr_expect_eq(dir_digest(out), old, "a failed --force run changed the old bundle");
    free(c);
    gt_rm_tree(dir);
    free(dir);
}

Test(output, interrupted_gen, .timeout = 600)
{
    char *dir = hard_tmpdir();
    char out[4200], ref[4200];
    snprintf(out, sizeof out, "%s/bundle", dir);
    snprintf(ref, sizeof ref, "%s/ref", dir);
    hard_run_t r;
    gen("hw_configs/edge.yaml", ref, 0, -1, &r);
    cr_assert(r.exited && r.code == 0, "reference run: %s", r.err);
    uint64_t newd = dir_digest(ref);
    gen("hw_configs/ice40.yaml", out, 0, -1, &r);
    cr_assert(r.exited && r.code == 0);
    uint64_t oldd = dir_digest(out);
    cr_assert_neq(oldd, newd, "the two bundles must differ for this test to mean anything");
    static const long kill_ms[] = {0, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80, 150, 300};
    int killed = 0;
    for (size_t i = 0; i < sizeof kill_ms / sizeof kill_ms[0]; i++) {
        gen("hw_configs/edge.yaml", out, 1, kill_ms[i], &r);
        killed += r.sig == SIGKILL;
        uint64_t d = dir_digest(out);
        cr_expect(d == oldd || d == newd,
                  "after SIGKILL at %ld ms the bundle is neither the old nor the new one",
                  kill_ms[i]);
        if (d == newd) { /* back to the old one for the next round */
            gen("hw_configs/ice40.yaml", out, 1, -1, &r);
            cr_assert(r.exited && r.code == 0);
        }
    }
    cr_log_info("pikegen: %d of 13 runs were killed mid-way", killed);
    cr_expect_gt(killed, 0, "no run was actually interrupted");
    gt_rm_tree(dir);
    free(dir);
}

static int sim(const char *net, const char *json, const char *seed, long kill_ms, hard_run_t *r)
{
    char *c = src("hw_configs/edge.yaml"), *n = src(net);
    char *argv[] = {HARD_PIKESIM, "--config", c, "--network", n, "--json", (char *)json,
                    "--seed", (char *)seed, NULL};
    int rc = hard_run_env(argv, NULL, 300, kill_ms, r);
    free(c);
    free(n);
    return rc;
}

Test(output, sim_report, .timeout = 900)
{
    char *dir = hard_tmpdir();
    char json[4200], ref[4200];
    snprintf(json, sizeof json, "%s/report.json", dir);
    snprintf(ref, sizeof ref, "%s/ref.json", dir);
    const char *net = "networks/mobilenetv1_w4a4.yaml";
    hard_run_t r;
    sim(net, json, "1", -1, &r);
    cr_assert(r.exited && r.code == 0, "%s", r.err);
    sim(net, ref, "2", -1, &r);
    cr_assert(r.exited && r.code == 0, "%s", r.err);
    size_t lo = 0, ln = 0;
    char *old = gt_read(json, &lo), *neu = gt_read(ref, &ln);
    cr_assert(lo != ln || memcmp(old, neu, lo) != 0, "seeds 1 and 2 give the same report");

    /* a bad second network: exit 2, the report untouched */
    char *c = src("hw_configs/edge.yaml"), *n = src(net);
    char bad[4200];
    snprintf(bad, sizeof bad, "%s/bad.yaml", dir);
    hard_write(bad, "name: bad\ninput: {h: 0, w: 8, c: 8, bits: 4}\nlayers: []\n");
    char *argv[] = {HARD_PIKESIM, "--config", c, "--network", n, "--network", bad,
                    "--json", json, NULL};
    hard_run(argv, 120, &r);
    cr_expect(r.exited && r.code == 2, "bad network: exit %d", r.code);
    size_t l2;
    char *now = gt_read(json, &l2);
    cr_expect(now && l2 == lo && memcmp(now, old, lo) == 0, "a failed run changed the report");
    free(now);
    free(c);
    free(n);

    /* interrupted runs: old report or the complete new one */
    static const long kill_ms[] = {0, 2, 5, 10, 20, 40, 70, 100, 150, 200, 300, 500};
    int killed = 0;
    for (size_t i = 0; i < sizeof kill_ms / sizeof kill_ms[0]; i++) {
        sim(net, json, "2", kill_ms[i], &r);
        killed += r.sig == SIGKILL;
        size_t l;
        char *b = gt_read(json, &l);
        int is_old = b && l == lo && memcmp(b, old, lo) == 0;
        int is_new = b && l == ln && memcmp(b, neu, ln) == 0;
        cr_expect(is_old || is_new,
                  "after SIGKILL at %ld ms the report is neither the old nor the new one", kill_ms[i]);
        free(b);
        if (is_new) {
            sim(net, json, "1", -1, &r);
            cr_assert(r.exited && r.code == 0);
        }
    }
    cr_log_info("pikesim: %d of 12 runs were killed mid-way", killed);
    cr_expect_gt(killed, 0, "no run was actually interrupted");
    free(old);
    free(neu);
    gt_rm_tree(dir);
    free(dir);
}
