/* test_sim_cli.c - the pikesim command line: JSON keys, CSV header, several
 * networks with correlations, bad network -> one FILE:LINE: layer NAME:
 * message, exit status 2, and no output file (not even a temporary). */
#include "test_sim_util.h"

#include <dirent.h>
#include <math.h>
#include <jansson.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define SIM PIKE_BIN_DIR "/sim/pikesim"
#define ROOT PIKE_SOURCE_ROOT

static int sh(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static const char *tmpdir(void)
{
    static char d[64] = "";
    if (!d[0]) {
        snprintf(d, sizeof d, "/tmp/pk_simcli_XXXXXX");
        cr_assert(mkdtemp(d));
    }
    return d;
}

/* v1 (--arch v1): its cycles stay above the per-layer roofline bound, which
 * v2 (the default) beats on this network (1.039 of the bound at 971e08f). */
Test(sim_cli, json_keys_and_csv_header)
{
    char cmd[2048], js[256], cs[256];
    snprintf(js, sizeof js, "%s/r.json", tmpdir());
    snprintf(cs, sizeof cs, "%s/r.csv", tmpdir());
    snprintf(cmd, sizeof cmd,
             SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
                 "/networks/resnet18_w4a4.yaml --arch v1 --json %s --csv %s --seed 5 --views 2"
                 " > %s/out.txt",
             js, cs, tmpdir());
    cr_assert_eq(sh(cmd), 0);
    json_error_t je;
    json_t *j = json_load_file(js, 0, &je);
    cr_assert(j, "%s", je.text);
    cr_expect_str_eq(json_string_value(json_object_get(j, "network")), "resnet18_w4a4");
    cr_expect_str_eq(json_string_value(json_object_get(j, "config")), "edge");
    cr_expect_str_eq(json_string_value(json_object_get(j, "arch")), "v1");
    json_t *t = json_object_get(j, "totals");
    const char *tk[] = { "macs", "ace", "acev2", "cycles", "stall_cycles" };
    for (int i = 0; i < 5; i++)
        cr_expect(json_is_number(json_object_get(t, tk[i])), "totals.%s", tk[i]);
    json_t *e = json_object_get(t, "energy_pj");
    const char *ek[] = { "mac", "elementwise", "sram", "dram", "static", "total" };
    for (int i = 0; i < 6; i++)
        cr_expect(json_is_number(json_object_get(e, ek[i])), "energy_pj.%s", ek[i]);
    json_t *ls = json_object_get(j, "layers");
    cr_assert_eq(json_array_size(ls), 31);
    json_t *l0 = json_array_get(ls, 0);
    const char *lk[] = { "name", "op", "macs", "w_bits", "a_bits", "ace", "acev2", "cycles" };
    for (int i = 0; i < 8; i++)
        cr_expect(json_object_get(l0, lk[i]), "layers[0].%s", lk[i]);
    cr_expect(json_is_number(json_object_get(json_object_get(l0, "energy_pj"), "total")));
    /* 2 views: ACE doubles, and the simulated MACs of one view are at most the analytical */
    cr_expect_eq(json_integer_value(json_object_get(t, "ace")), 2 * 34714419200LL);
    cr_expect(json_integer_value(json_object_get(t, "macs")) <= 2 * 1814073344LL);
    cr_expect_eq(json_array_size(json_object_get(json_object_get(j, "outputs"), "view_sha256")), 2);
    /* roofline (docs/SIM.md): totals are the sums of the layers', fraction = bound / cycles */
    const char *rk[] = { "roofline_cycles", "dram_rd_bytes", "dram_wr_bytes", "compulsory_bytes" };
    for (int k = 0; k < 4; k++) {
        json_int_t sum = 0;
        for (size_t i = 0; i < json_array_size(ls); i++) {
            json_t *v = json_object_get(json_array_get(ls, i), rk[k]);
            cr_expect(json_is_integer(v), "layers[%zu].%s", i, rk[k]);
            sum += json_integer_value(v);
        }
        cr_expect(json_is_integer(json_object_get(t, rk[k])), "totals.%s", rk[k]);
        cr_expect_eq(json_integer_value(json_object_get(t, rk[k])), sum, "sum of %s", rk[k]);
    }
    json_t *cnt = json_object_get(t, "counters");
    cr_expect_eq(json_integer_value(json_object_get(t, "dram_rd_bytes")),
                 json_integer_value(json_object_get(cnt, "dram_rd_bytes")));
    double bound = (double)json_integer_value(json_object_get(t, "roofline_cycles"));
    double cyc = (double)json_integer_value(json_object_get(t, "cycles"));
    double frac = json_real_value(json_object_get(t, "roofline_fraction"));
    cr_expect(bound > 0 && bound < cyc && fabs(frac - bound / cyc) < 1e-12, "fraction %g", frac);
    cr_expect(json_is_integer(json_object_get(json_object_get(l0, "roofline"), "memory_cycles")));
    json_decref(j);

    char *csv = slurp(cs);
    cr_assert(csv);
    cr_expect(strncmp(csv, "network,layer,op,hw,w_bits (bit),a_bits (bit),macs (MAC)", 56) == 0,
              "header: %.80s", csv);
    cr_expect(strstr(csv, "cycles (cycle)") && strstr(csv, "energy_total (pJ)") &&
              strstr(csv, "roofline_cycles (cycle)"));
    int lines = 0;
    for (char *p = csv; *p; p++)
        lines += *p == '\n';
    cr_expect_eq(lines, 1 + 31);
    char *out = slurp(strcat(strcpy(cmd, tmpdir()), "/out.txt"));
    cr_expect(strstr(out, "seed 5, views 2, model v1") &&
              strstr(out, "ACEv2 (Pike definition)"));
    cr_expect(strstr(out, "roofline: bound ") && strstr(out, "of the bound"));
}

Test(sim_cli, timing_only_same_counts_and_deterministic)
{
    char cmd[2048], a[256], b[256];
    snprintf(a, sizeof a, "%s/a.json", tmpdir());
    snprintf(b, sizeof b, "%s/b.json", tmpdir());
    snprintf(cmd, sizeof cmd, SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
             "/networks/mobilenetv1_w4a4.yaml --json %s > /dev/null", a);
    int rc = sh(cmd);
    snprintf(cmd, sizeof cmd, SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
             "/networks/mobilenetv1_w4a4.yaml --json %s --timing-only > /dev/null", b);
    int rc2 = sh(cmd);
    cr_assert_eq(rc, 0);
    cr_assert_eq(rc2, 0);
    json_t *ja = json_load_file(a, 0, NULL), *jb = json_load_file(b, 0, NULL);
    cr_assert(ja && jb);
    cr_expect(json_equal(json_object_get(json_object_get(ja, "totals"), "counters"),
                         json_object_get(json_object_get(jb, "totals"), "counters")));
    json_decref(ja);
    json_decref(jb);
}

Test(sim_cli, several_networks_correlations)
{
    char cmd[2048], js[256];
    snprintf(js, sizeof js, "%s/m.json", tmpdir());
    snprintf(cmd, sizeof cmd, SIM " --config " ROOT "/hw_configs/edge.yaml --timing-only"
             " --network " ROOT "/networks/resnet18_w4a4.yaml --network " ROOT
             "/networks/mobilenetv1_w4a4.yaml --network " ROOT "/networks/resnet18_w8a8.yaml"
             " --json %s > /dev/null", js);
    cr_assert_eq(sh(cmd), 0);
    json_t *j = json_load_file(js, 0, NULL);
    cr_assert(j);
    cr_expect_eq(json_array_size(json_object_get(j, "networks")), 3);
    json_t *c = json_object_get(j, "correlation");
    double p = json_number_value(json_object_get(c, "acev2_pearson"));
    cr_expect(p >= -1.0 && p <= 1.0 && json_is_number(json_object_get(c, "ace_spearman")));
    json_decref(j);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += de->d_name[0] != '.';
    closedir(d);
    return n;
}

Test(sim_cli, bad_network_exit_2_no_partial_output)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/pk_simbad_XXXXXX");
    cr_assert(mkdtemp(dir));
    char net[256], cmd[2048], err[256];
    snprintf(net, sizeof net, "%s/bad.yaml", dir);
    FILE *f = fopen(net, "w");
    /* rprelu is not among ice40's activations: a compile (mapper) error */
    fputs("name: bad\ninput: {h: 4, w: 4, c: 8, bits: 4, signed: true}\nlayers:\n"
          "  - {name: ok1, op: conv, out_c: 8, kernel: 1, w_bits: 4, out_bits: 4, act: relu}\n"
          "  - {name: odd, op: conv, out_c: 8, kernel: 1, w_bits: 4, out_bits: 4, act: rprelu}\n",
          f);
    fclose(f);
    snprintf(err, sizeof err, "%s/err.txt", dir);
    int before = count_files(dir);
    snprintf(cmd, sizeof cmd, SIM " --config " ROOT "/hw_configs/ice40.yaml --network %s "
             "--json %s/o.json --csv %s/o.csv > /dev/null 2> %s", net, dir, dir, err);
    cr_assert_eq(sh(cmd), 2);
    char *msg = slurp(err);
    char want[512];
    snprintf(want, sizeof want, "%s:5: layer odd: activation 'rprelu'", net);
    cr_expect(strncmp(msg, want, strlen(want)) == 0, "got: %s", msg);
    cr_expect_eq(count_files(dir), before + 1, "only err.txt was added");

    /* a syntax-level network error also exits 2 */
    f = fopen(net, "w");
    fputs("name: bad\ninput: {h: 4, w: 4, c: 8, bits: 4}\nlayers:\n"
          "  - {name: c, op: conv, out_c: 8, kernel: 1, w_bits: 3, out_bits: 4}\n", f);
    fclose(f);
    cr_assert_eq(sh(cmd), 2);
    msg = slurp(err);
    snprintf(want, sizeof want, "%s:4: layer c:", net);
    cr_expect(strncmp(msg, want, strlen(want)) == 0, "got: %s", msg);
    cr_expect_eq(count_files(dir), before + 1);
}

Test(sim_cli, bad_flags_exit_2)
{
    cr_expect_eq(sh(SIM " --config " ROOT "/hw_configs/edge.yaml 2>/dev/null"), 2);
    cr_expect_eq(sh(SIM " --bogus 2>/dev/null"), 2);
    cr_expect_eq(sh(SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
                    "/networks/resnet18_w4a4.yaml --views 0 2>/dev/null"), 2);
    cr_expect_eq(sh(SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
                    "/networks/resnet18_w4a4.yaml --html 2>/dev/null"), 2);
}
