/* test_v2_cli.c - pikesim --arch v2: the v2 model's report through the v1
 * report code (text header, --json totals equal to the plan's, roofline
 * keys), outputs identical to v1's (same SHA-256 of a small random network's
 * views), bad --arch -> exit 2, --input with v2 writes byte-identical
 * --output / --output-float files to v1's on real inputs (digits through an
 * MLP and a CNN), a missing --input file exits 2, and v2 is the default of
 * pikesim, pikegen and pikecheck (--arch v1 gives v1). */
#include "test_v2_util.h"

#include <jansson.h>
#include <stdlib.h>
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

/* pikesim --timing-only`arch` (" --arch vN", or "" for the default) of
 * networks/NET.yaml on edge.yaml, its report into <tmpdir>/TAG.txt (its path
 * in out) and its --json loaded (the caller json_decref's it); the run must
 * succeed. */
static json_t *sim_run(const char *net, const char *arch, const char *tag, char *out, size_t n)
{
    char cmd[2048], js[256];
    snprintf(js, sizeof js, "%s/%s.json", tmpdir(), tag);
    snprintf(out, n, "%s/%s.txt", tmpdir(), tag);
    snprintf(cmd, sizeof cmd,
             SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
                 "/networks/%s.yaml --timing-only%s --json %s > %s",
             net, arch, js, out);
    cr_assert_eq(sh(cmd), 0, "%s", cmd);
    json_error_t je;
    json_t *j = json_load_file(js, 0, &je);
    cr_assert(j, "%s: %s", js, je.text);
    return j;
}

/* sim_run with --arch v2 */
static json_t *v2_timing(const char *net, const char *tag, char *out, size_t n)
{
    return sim_run(net, " --arch v2", tag, out, n);
}

Test(v2_cli, timing_report_and_json_match_the_plan, .timeout = 120)
{
    char out[256];
    json_t *j = v2_timing("mobilenetv2_w4a4", "v2", out, sizeof out);
    cr_expect(line_with(out, ", model v2"));
    cr_expect(line_with(out, "v2 RTL: pk_core2 builds 64 of 64 hardware layers"));
    cr_expect(line_with(out, "roofline: bound"));
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
    json_t *v = json_object_get(j, "v2_rtl");
    cr_assert(v, "no v2_rtl in the JSON");
    cr_expect_eq(json_integer_value(json_object_get(v, "built_layers")), hw->n_layers);
    cr_expect_eq(json_integer_value(json_object_get(v, "hw_layers")), hw->n_layers);
    cr_expect(json_is_null(json_object_get(v, "first_refused")));
    json_decref(j);
    pk_plan_free(p);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_config_free(cfg);
}

/* A network with layers pk_core2 does not build (ResNet-50 w8a8 on edge: the
 * plan puts one layer in the KC order; ResNet-18 w8a8's three NS layers are
 * built since V2-11.4 item 10): the report and the JSON count them and name
 * the first with its reason. */
Test(v2_cli, report_names_layers_the_rtl_does_not_build, .timeout = 120)
{
    char out[256];
    json_t *j = v2_timing("resnet50_w8a8", "v2n", out, sizeof out);
    const char *l = line_with(out, "v2 RTL: pk_core2 builds 71 of 72 hardware layers");
    cr_assert(l, "no v2 RTL line with 71 of 72");
    cr_expect(strstr(l, "the first it does not, s4b1_c2: loop order KC"), "%s", l);
    json_t *v = json_object_get(j, "v2_rtl");
    cr_assert(v);
    cr_expect_eq(json_integer_value(json_object_get(v, "built_layers")), 71);
    cr_expect_str_eq(json_string_value(json_object_get(v, "first_refused")), "s4b1_c2");
    cr_expect(strstr(json_string_value(json_object_get(v, "first_refused_why")), "loop order KC"));
    json_decref(j);
}

/* Run the pikesim command `base` with --arch v1 (report into o1) and with
 * --arch v2 (into o2): both succeed and print the same last-layer SHA-256. */
/* The last layer's SHA-256 of pikesim's report at path, into s. */
static void sha_of(const char *path, char *s, size_t n)
{
    const char *l = line_with(path, "SHA-256");
    cr_assert(l, "%s: no SHA-256 line", path);
    snprintf(s, n, "%s", strstr(l, "SHA-256"));
}

static void same_outputs_v1_v2(const char *base, const char *o1, const char *o2)
{
    char cmd[2048], s1[200], s2[200];
    snprintf(cmd, sizeof cmd, "%s --arch v1 > %s", base, o1);
    cr_assert_eq(sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s --arch v2 > %s", base, o2);
    cr_assert_eq(sh(cmd), 0);
    sha_of(o1, s1, sizeof s1);
    sha_of(o2, s2, sizeof s2);
    cr_expect_str_eq(s1, s2);
}

/* same_outputs_v1_v2 for the config and network at these paths under ROOT. */
static void v1_v2_agree(const char *cfg, const char *net)
{
    char base[1024], o1[256], o2[256];
    snprintf(o1, sizeof o1, "%s/a1.txt", tmpdir());
    snprintf(o2, sizeof o2, "%s/a2.txt", tmpdir());
    snprintf(base, sizeof base, SIM " --config " ROOT "%s --network " ROOT "%s", cfg, net);
    same_outputs_v1_v2(base, o1, o2);
}

/* pikesim (v2) on tiny2 gives other outputs for network a than for b. */
static void v2_outputs_differ(const char *a, const char *b, const char *what)
{
    char cmd[2048], o[2][256], sh256[2][200];
    const char *nets[2] = { a, b };
    for (int k = 0; k < 2; k++) {
        snprintf(o[k], sizeof o[k], "%s/d%d.txt", tmpdir(), k);
        snprintf(cmd, sizeof cmd,
                 SIM " --config " ROOT "/tests/data/check/v2/tiny2.yaml --network %s > %s",
                 nets[k], o[k]);
        cr_assert_eq(sh(cmd), 0, "%s", cmd);
        sha_of(o[k], sh256[k], sizeof sh256[k]);
    }
    cr_expect_str_neq(sh256[0], sh256[1], "%s change no output", what);
}

/* A small seeded network (every layer kind, x-fold, residual, global pool,
 * fc: tests/test_v2_util.h) on edge, two views. */
Test(v2_cli, outputs_equal_v1, .timeout = 120)
{
    char o1[256], o2[256], np[300], base[1024];
    snprintf(o1, sizeof o1, "%s/v1o.txt", tmpdir());
    snprintf(o2, sizeof o2, "%s/v2o.txt", tmpdir());
    rng_state = 7 * 0x9E3779B97F4A7C15ULL;
    snprintf(np, sizeof np, "%s", tsu_write("cli_net.yaml", random_net()));
    snprintf(base, sizeof base, SIM " --config " ROOT "/hw_configs/edge.yaml --network %s --views 2",
             np);
    same_outputs_v1_v2(base, o1, o2);
    cr_expect(line_with(o1, ", model v1"), "the v1 report says v1");
}

/* o's string key k, or "(none)" */
static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "(none)";
}

/* pikesim --timing-only of NET on edge with `arch` ("" for the default,
 * else " --arch vN"), as v2_timing: its --json (the caller json_decref's
 * it), *cycles its total cycles; the text report into <tmpdir>/def_TAG.txt. */
static json_t *sim_arch(const char *net, const char *arch, const char *tag, json_int_t *cycles)
{
    char t[64], out[256];
    snprintf(t, sizeof t, "def_%s", tag);
    json_t *j = sim_run(net, arch, t, out, sizeof out);
    *cycles = json_integer_value(json_object_get(json_object_get(j, "totals"), "cycles"));
    return j;
}

/* v2 is the default (issue 10): pikesim without --arch gives --arch v2's
 * cycles, not v1's, and its JSON and text say v2; pikegen without --arch
 * writes a v2 bundle (pk_core2: manifest "arch": "v2"); pikecheck without
 * --arch refuses ResNet-50 w8a8's KC layer on edge as --arch v2 does (one
 * line, exit 2, before any model is built); pikehost's default is host_cli's
 * (default_arch_v2_refuses_a_v1_board); each --help says the default. */
Test(v2_cli, default_is_v2, .timeout = 120)
{
    json_int_t c_def, c_v1, c_v2;
    json_t *jd = sim_arch("resnet18_w4a4", "", "d", &c_def);
    json_t *j1 = sim_arch("resnet18_w4a4", " --arch v1", "1", &c_v1);
    json_t *j2 = sim_arch("resnet18_w4a4", " --arch v2", "2", &c_v2);
    cr_expect(c_def > 0 && c_v1 > 0 && c_v2 > 0, "%lld %lld %lld", (long long)c_def,
              (long long)c_v1, (long long)c_v2);
    cr_expect_eq(c_def, c_v2, "default %lld cycles, --arch v2 %lld", (long long)c_def,
                 (long long)c_v2);
    cr_expect_neq(c_def, c_v1, "default gives v1's %lld cycles", (long long)c_v1);
    cr_expect_str_eq(jstr(jd, "arch"), "v2");
    cr_expect_str_eq(jstr(j1, "arch"), "v1");
    cr_expect_str_eq(jstr(j2, "arch"), "v2");
    cr_expect(json_object_get(jd, "v2_rtl"), "no v2_rtl in the default's JSON");
    json_decref(jd);
    json_decref(j1);
    json_decref(j2);
    char p[256];
    snprintf(p, sizeof p, "%s/def_d.txt", tmpdir());
    cr_expect(line_with(p, ", model v2"), "the default's report says v2");

    /* pikegen: the default bundle is v2's, --arch v1 still v1's */
    char cmd[2048], o[256];
    snprintf(o, sizeof o, "%s/gen.txt", tmpdir());
    snprintf(cmd, sizeof cmd,
             PIKE_BIN_DIR "/gen/pikegen --config " ROOT "/hw_configs/edge.yaml --out %s/bd > %s",
             tmpdir(), o);
    cr_assert_eq(sh(cmd), 0, "%s", cmd);
    cr_expect(line_with(o, "(config edge, arch v2)"), "pikegen's line says v2");
    snprintf(p, sizeof p, "%s/bd/manifest.json", tmpdir());
    json_t *m = json_load_file(p, 0, NULL);
    cr_assert(m, "%s", p);
    cr_expect_str_eq(jstr(m, "arch"), "v2");
    json_decref(m);
    snprintf(cmd, sizeof cmd,
             PIKE_BIN_DIR "/gen/pikegen --config " ROOT "/hw_configs/edge.yaml --arch v1 "
                          "--out %s/b1 > %s",
             tmpdir(), o);
    cr_assert_eq(sh(cmd), 0, "%s", cmd);
    cr_expect(line_with(o, "(config edge, arch v1)"), "pikegen's line says v1");
    snprintf(p, sizeof p, "%s/b1/manifest.json", tmpdir());
    m = json_load_file(p, 0, NULL);
    cr_assert(m, "%s", p);
    cr_expect_str_eq(jstr(m, "arch"), "v1", "a v1 manifest names its arch too");
    json_decref(m);

    /* pikecheck: the default refuses what --arch v2 refuses, in one line;
     * the model cache cannot be created, so a v1 default fails at once
     * (exit 1) instead of building and running edge's pk_core */
    snprintf(cmd, sizeof cmd,
             "PIKE_CACHE_DIR=/proc/nonexistent " PIKE_BIN_DIR "/check/pikecheck --config " ROOT
             "/hw_configs/edge.yaml --network " ROOT "/networks/resnet50_w8a8.yaml > %s 2>&1",
             o);
    cr_expect_eq(sh(cmd), 2, "pikecheck without --arch");
    const char *l = line_with(o, "--arch v2: layer ");
    cr_assert(l, "no --arch v2 refusal from the default pikecheck");
    cr_expect(strstr(l, "(s4b1_c2, ") && strstr(l, "not supported by pk_core2: loop order KC"),
              "%s", l);
    cr_expect(strstr(l, "(--layers 58 checks the layers before it; --arch v1 checks the whole "
                        "network on v1's pk_core)"),
              "the refusal names the ways on: %s", l);
    snprintf(cmd, sizeof cmd, "test $(wc -l < %s) -eq 1", o);
    cr_expect_eq(sh(cmd), 0, "one line");

    /* every tool's --help names the default */
    static const char *const tools[] = {"sim/pikesim", "gen/pikegen", "check/pikecheck",
                                        "host/pikehost"};
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
        snprintf(cmd, sizeof cmd, PIKE_BIN_DIR "/%s --help | grep -q 'v2 (default)'", tools[i]);
        cr_expect_eq(sh(cmd), 0, "%s --help does not say 'v2 (default)'", tools[i]);
    }
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
    cr_expect(line_with(p, "/nonexistent.npy"), "the message names the file, as v1's");
}

/* Whole file at path (malloc'd, *n bytes). */
static unsigned char *file_bytes(const char *path, long *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    *n = ftell(f);
    rewind(f);
    unsigned char *b = malloc((size_t)(*n > 0 ? *n : 1));
    cr_assert(b);
    cr_assert_eq(fread(b, 1, (size_t)*n, f), (size_t)*n);
    fclose(f);
    return b;
}

/* --input on 128 digit images with --arch v1 and v2: the output files are
 * equal to the byte; flags: extra pikesim flags (--approx for the CNN). */
static void input_equal(const char *model, const char *flags)
{
    const char *ext[] = {"y", "f"};
    char cmd[2048], p[2][2][300], txt[300];
    for (int a = 0; a < 2; a++) {
        for (int k = 0; k < 2; k++)
            snprintf(p[a][k], sizeof p[a][k], "%s/%s_v%d_%s.npy", tmpdir(), model, a + 1, ext[k]);
        snprintf(txt, sizeof txt, "%s/%s_v%d.txt", tmpdir(), model, a + 1);
        snprintf(cmd, sizeof cmd,
                 SIM " --config " ROOT "/hw_configs/edge.yaml --network " ROOT
                     "/tests/data/onnx/%s.onnx %s --arch v%d --input " ROOT
                     "/tests/data/onnx/digits_x.npy --output %s --output-float %s > %s 2>&1",
                 model, flags, a + 1, p[a][0], p[a][1], txt);
        cr_assert_eq(sh(cmd), 0, "%s", cmd);
        const char *l = line_with(txt, "inputs: 128 from");
        cr_assert(l, "%s", txt);
        cr_expect_eq(strstr(l, "(v2, from its memory image)") != NULL, a == 1, "%s", l);
    }
    for (int k = 0; k < 2; k++) {
        long n1, n2;
        unsigned char *b1 = file_bytes(p[0][k], &n1), *b2 = file_bytes(p[1][k], &n2);
        cr_expect(n1 > 128, "%s: %ld bytes", p[0][k], n1);
        cr_expect(n1 == n2 && memcmp(b1, b2, (size_t)n1) == 0, "%s and %s differ", p[0][k],
                  p[1][k]);
        free(b1);
        free(b2);
    }
}

Test(v2_cli, input_mlp_outputs_equal_v1, .timeout = 120)
{
    input_equal("q4_pow2", "");
}

Test(v2_cli, input_cnn_outputs_equal_v1, .timeout = 120)
{
    input_equal("cnn_s8", "--approx");
}

/* Descriptor word 6 of v1 carried into v2: ROUND and IN_ZP (V2-6.3: padding
 * taps of CONV, DW and sum pools read the zero-point word) give v1's outputs,
 * on edge and on tiny2 (tests/data/check/v2/zp.yaml: a first layer v2 would
 * x-fold without its zero point, 1-bit weights past in_c, 2-bit inputs). */
Test(v2_cli, word6_round_and_zero_point, .timeout = 120)
{
    char cmd[2048], o1[256], o2[256];
    snprintf(o1, sizeof o1, "%s/r1.txt", tmpdir());
    snprintf(o2, sizeof o2, "%s/r2.txt", tmpdir());
    /* rounding.yaml without its global pool (whose 8 outputs happen to be the
     * same under half_up): every earlier layer's ties reach the last layer */
    char net[300], base[1024];
    snprintf(net, sizeof net, "%s/r4.yaml", tmpdir());
    snprintf(cmd, sizeof cmd, "sed '/name: gap/d' " ROOT "/tests/data/check/layers/rounding.yaml > %s",
             net);
    cr_assert_eq(sh(cmd), 0);
    snprintf(base, sizeof base, SIM " --config " ROOT "/hw_configs/edge.yaml --network %s", net);
    same_outputs_v1_v2(base, o1, o2);
    v1_v2_agree("/hw_configs/edge.yaml", "/tests/data/check/layers/zeropoint.yaml");
    v1_v2_agree("/tests/data/check/v2/tiny2.yaml", "/tests/data/check/v2/zp.yaml");
    /* and the zero points matter: without them v2's outputs differ */
    snprintf(net, sizeof net, "%s/zp0.yaml", tmpdir());
    snprintf(cmd, sizeof cmd,
             "sed 's/, *in_zero_point: *-\\?[0-9]*//' " ROOT "/tests/data/check/v2/zp.yaml > %s", net);
    cr_assert_eq(sh(cmd), 0);
    v2_outputs_differ(net, ROOT "/tests/data/check/v2/zp.yaml", "zp.yaml's zero points");
}

/* Word 13's geometry (V2-3.1): v1 and v2 give the same outputs on geom.yaml
 * (on tiny2 and on edge), and the left pads matter: geom.yaml with each
 * layer's left and right pads swapped (the same shapes) gives other
 * outputs. */
Test(v2_cli, word13_geometry, .timeout = 120)
{
    char cmd[2048], net[300];
    v1_v2_agree("/tests/data/check/v2/tiny2.yaml", "/tests/data/check/v2/geom.yaml");
    v1_v2_agree("/hw_configs/edge.yaml", "/tests/data/check/v2/geom.yaml");
    snprintf(net, sizeof net, "%s/geom_swap.yaml", tmpdir());
    snprintf(cmd, sizeof cmd,
             "sed 's/pad_left: \\([0-9]\\), pad_bottom: \\([0-9]\\), pad_right: \\([0-9]\\)/"
             "pad_left: \\3, pad_bottom: \\2, pad_right: \\1/' " ROOT
             "/tests/data/check/v2/geom.yaml > %s && ! cmp -s %s " ROOT
             "/tests/data/check/v2/geom.yaml", net, net);
    cr_assert_eq(sh(cmd), 0, "%s", cmd);
    v2_outputs_differ(net, ROOT "/tests/data/check/v2/geom.yaml", "geom.yaml's left pads");
}

/* The channel-wise multiply (op mul, RES_MUL; V2-6.1: operand B one 1 x 1 x C
 * pixel, fetched once): the v2 model gives v1's outputs on se.yaml (on edge
 * and on tiny2, where 16 channels are two n-tiles reading B at channels 0 and
 * 8), fetches B's 8 bytes per multiply once, and pk_core2 builds every layer
 * (check_v2res/multiply_on_tiny2 runs them on the RTL). */
Test(v2_cli, channel_multiply_model, .timeout = 120)
{
    char cmd[2048], o2[256], js[256];
    snprintf(o2, sizeof o2, "%s/m2.txt", tmpdir());
    snprintf(js, sizeof js, "%s/m2.json", tmpdir());
    v1_v2_agree("/hw_configs/edge.yaml", "/tests/data/check/layers/se.yaml");
    v1_v2_agree("/tests/data/check/v2/tiny2.yaml", "/tests/data/check/layers/se.yaml");
    snprintf(cmd, sizeof cmd,
             SIM " --config " ROOT "/tests/data/check/v2/tiny2.yaml --network " ROOT
                 "/tests/data/check/layers/se.yaml --json %s > %s", js, o2);
    cr_assert_eq(sh(cmd), 0, "%s", cmd);
    json_error_t je;
    json_t *j = json_load_file(js, 0, &je);
    cr_assert(j, "%s: %s", js, je.text);
    json_t *v = json_object_get(j, "v2_rtl");
    cr_assert(v);
    cr_expect_eq(json_integer_value(json_object_get(v, "built_layers")), 6);
    cr_expect(json_is_null(json_object_get(v, "first_refused")));
    /* each multiply reads the next layer's descriptor (256 bytes), its per-tensor
     * record (8), its input (6 x 6 x 16 4-bit codes, 288) and B's one 16-code
     * pixel once (8; per output row it would be 48, per pixel 288) */
    json_t *ls = json_object_get(j, "layers");
    size_t i;
    json_t *L;
    int seen = 0;
    json_array_foreach(ls, i, L) {
        const char *n = json_string_value(json_object_get(L, "name"));
        if (!strcmp(n, "mul") || !strcmp(n, "mul2")) {
            seen++;
            json_int_t rd = json_integer_value(json_object_get(L, "dram_rd_bytes"));
            cr_expect(rd == 256 + 8 + 288 + 8, "%s reads %lld bytes", n, (long long)rd);
        }
    }
    cr_expect_eq(seen, 2);
    json_decref(j);
}
