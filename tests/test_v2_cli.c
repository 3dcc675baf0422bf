/* test_v2_cli.c - pikesim --arch v2: the v2 model's report through the v1
 * report code (text header, --json totals equal to the plan's, roofline
 * keys), outputs identical to v1's (same SHA-256 of a small random network's
 * views), bad --arch -> exit 2,
 * --input refused with v2, and v1 stays the default. */
#include "test_v2_util.h"

#include <jansson.h>
#include <sys/wait.h>

#include "pk_plan.h"

#define SIM PIKE_BIN_DIR "/sim/pikesim"
#define ROOT PIKE_SOURCE_ROOT

static int sh(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *tmpdir(void)
{
    static char d[64] = "";
    if (!d[0]) {
        snprintf(d, sizeof d, "/tmp/pk_v2cli_XXXXXX");
        cr_assert(mkdtemp(d));
    }
    return d;
}

/* First line of `path` that contains `needle` (static buffer), or NULL. */
static const char *line_with(const char *path, const char *needle)
{
    static char line[4096];
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    while (fgets(line, sizeof line, f))
        if (strstr(line, needle)) {
            fclose(f);
            return line;
        }
    fclose(f);
    return NULL;
}

Test(v2_cli, timing_report_and_json_match_the_plan, .timeout = 120)
{
    char cmd[2048], js[256], out[256];
    snprintf(js, sizeof js, "%s/v2.json", tmpdir());
    snprintf(out, sizeof out, "%s/v2.txt", tmpdir());
    snprintf(cmd, sizeof cmd,
             SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
                 "/networks/mobilenetv2_w4a4.yaml --timing-only --arch v2 --json %s > %s",
             js, out);
    cr_assert_eq(sh(cmd), 0);
    cr_expect(line_with(out, "model v2 (draft, not checked against RTL)"));
    cr_expect(line_with(out, "roofline: bound"));
    json_error_t je;
    json_t *j = json_load_file(js, 0, &je);
    cr_assert(j, "%s", je.text);
    json_t *t = json_object_get(j, "totals");
    cr_assert(t);

    pk_config_t *cfg = tsu_cfg(ROOT "/hw_configs/edge.yaml");
    pk_net_t *net = tsu_net(ROOT "/networks/mobilenetv2_w4a4.yaml");
    pk_hwnet_t *hw = NULL;
    pk_plan_t *p = NULL;
    pk_error_t e;
    cr_assert_eq(pk_compile(net, cfg, 0, &hw, &e), 0);
    cr_assert_eq(pk_plan_make(hw, NULL, &p, &e), 0);
    const pk_plan_totals_t *pt = pk_plan_totals(p);
    cr_expect_eq(json_integer_value(json_object_get(t, "cycles")), pt->cycles);
    cr_expect_eq(json_integer_value(json_object_get(t, "dram_rd_bytes")), pt->rd_bytes);
    cr_expect_eq(json_integer_value(json_object_get(t, "dram_wr_bytes")), pt->wr_bytes);
    cr_expect(json_integer_value(json_object_get(t, "roofline_cycles")) > 0);
    cr_expect(json_integer_value(json_object_get(t, "compulsory_bytes")) > 0);
    json_decref(j);
    pk_plan_free(p);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_config_free(cfg);
}

/* A small seeded network (every layer kind, x-fold, residual, global pool,
 * fc: tests/test_v2_util.h) on edge, two views. */
Test(v2_cli, outputs_equal_v1, .timeout = 120)
{
    char cmd[2048], o1[256], o2[256], np[300], base[1024], s1[200] = "", s2[200] = "";
    snprintf(o1, sizeof o1, "%s/v1o.txt", tmpdir());
    snprintf(o2, sizeof o2, "%s/v2o.txt", tmpdir());
    rng_state = 7 * 0x9E3779B97F4A7C15ULL;
    snprintf(np, sizeof np, "%s", tsu_write("cli_net.yaml", random_net()));
    snprintf(base, sizeof base, SIM " --config " ROOT "/hw_configs/edge.yaml --network %s --views 2",
             np);
    snprintf(cmd, sizeof cmd, "%s > %s", base, o1);
    cr_assert_eq(sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s --arch v2 > %s", base, o2);
    cr_assert_eq(sh(cmd), 0);
    const char *l = line_with(o1, "SHA-256");
    cr_assert(l);
    snprintf(s1, sizeof s1, "%s", strstr(l, "SHA-256"));
    l = line_with(o2, "SHA-256");
    cr_assert(l);
    snprintf(s2, sizeof s2, "%s", strstr(l, "SHA-256"));
    cr_expect_str_eq(s1, s2);
    cr_expect(!line_with(o1, "model v2"), "v1 stays the default");
}

Test(v2_cli, bad_flags_exit_2)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
                 "/networks/resnet18_w4a4.yaml --arch v3 > %s/b.txt 2> %s/b.err",
             tmpdir(), tmpdir());
    cr_expect_eq(sh(cmd), 2);
    char p[256];
    snprintf(p, sizeof p, "%s/b.err", tmpdir());
    cr_expect(line_with(p, "--arch"));
    snprintf(cmd, sizeof cmd,
             SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
                 "/networks/resnet18_w4a4.yaml --arch v2 --input /nonexistent.npy > %s/b.txt "
                 "2> %s/b.err",
             tmpdir(), tmpdir());
    cr_expect_eq(sh(cmd), 2);
    cr_expect(line_with(p, "--input"));
}
