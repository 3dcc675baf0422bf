/* test_hard_valgrind.c - memcheck on one full pikegen run and two pikesim
 * runs (--timing-only on ResNet-18, a full bit-exact run on the 7-layer
 * ice40 network):
 *   valgrind --error-exitcode=1 --leak-check=full
 *            --errors-for-leak-kinds=definite,indirect
 * Any invalid access, use of uninitialized memory or definite/indirect leak
 * fails.  Skipped, with a message, when valgrind is not installed (CI
 * installs it: scripts/install-deps.sh) and in the sanitizer build (valgrind
 * cannot run ASan binaries; ASan covers that build).
 */
#include <criterion/criterion.h>

#include "test_hard_util.h"

static const char *valgrind_path(void)
{
    static const char *cand[] = {"/usr/bin/valgrind", "/usr/local/bin/valgrind"};
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
        if (access(cand[i], X_OK) == 0)
            return cand[i];
    return NULL;
}

/* Skip (before anything is allocated) when valgrind cannot run. */
static const char *need_valgrind(const char *what)
{
    if (HARD_ASAN)
        cr_skip_test("valgrind cannot run the ASan build; the sanitizer suite covers it");
    const char *vg = valgrind_path();
    if (!vg)
        cr_skip_test("valgrind not installed (apt-get install valgrind): %s not checked", what);
    return vg;
}

static void memcheck(char *const tool_argv[], const char *what)
{
    const char *vg = need_valgrind(what);
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)vg;
    argv[n++] = "--error-exitcode=1";
    argv[n++] = "--leak-check=full";
    argv[n++] = "--errors-for-leak-kinds=definite,indirect";
    argv[n++] = "--track-origins=yes";
    argv[n++] = "-q";
    for (int i = 0; tool_argv[i] && n < 31; i++)
        argv[n++] = tool_argv[i];
    argv[n] = NULL;
    hard_run_t r;
    cr_assert_eq(hard_run(argv, 570, &r), 0);
    cr_assert(!r.timed_out, "%s: valgrind run did not finish", what);
    cr_assert(r.exited && r.code == 0, "%s: valgrind exit %d (sig %d)\n%.6000s", what, r.code,
              r.sig, r.err);
    cr_log_info("%s: valgrind clean, %.1f s", what, r.secs);
}

Test(valgrind, pikegen_ice40, .timeout = 600)
{
    need_valgrind("pikegen ice40.yaml");
    char *dir = hard_tmpdir();
    char out[4200];
    snprintf(out, sizeof out, "%s/bundle", dir);
    char *argv[] = {HARD_PIKEGEN, "--config", PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", "--out",
                    out, NULL};
    memcheck(argv, "pikegen ice40.yaml");
    char man[4300];
    snprintf(man, sizeof man, "%s/manifest.json", out);
    cr_expect_eq(access(man, F_OK), 0, "the run under valgrind wrote the bundle");
    gt_rm_tree(dir);
    free(dir);
}

Test(valgrind, pikesim_timing_only, .timeout = 600)
{
    char *argv[] = {HARD_PIKESIM, "--config", PIKE_SOURCE_ROOT "/hw_configs/edge.yaml",
                    "--network", PIKE_SOURCE_ROOT "/networks/resnet18_w4a4.yaml",
                    "--timing-only", NULL};
    memcheck(argv, "pikesim --timing-only resnet18_w4a4 on edge");
}

Test(valgrind, pikesim_full, .timeout = 600)
{
    need_valgrind("pikesim full run");
    char *dir = hard_tmpdir();
    char json[4200], csv[4200];
    snprintf(json, sizeof json, "%s/r.json", dir);
    snprintf(csv, sizeof csv, "%s/r.csv", dir);
    char *argv[] = {HARD_PIKESIM, "--config", PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml",
                    "--network", PIKE_SOURCE_ROOT "/tests/data/check/net_ice40.yaml",
                    "--json", json, "--csv", csv, NULL};
    memcheck(argv, "pikesim full run net_ice40 on ice40");
    gt_rm_tree(dir);
    free(dir);
}
