/* test_sweep_arch.c - pikesweep --arch (docs/SWEEP.md, "Architecture"):
 * v2 is the default, as in every Pike tool, and a point's cycles and DRAM
 * bytes are pikesim's under the same --arch (v2 by default, v1 with --arch
 * v1); every output names the arch; a bad --arch is one message and exit 2;
 * the synthesized bundle is the arch's RTL (its cache key differs between
 * arches); the Slurm job scripts run the arch they were submitted with; the
 * committed v2 example (examples/sweep/out_v2) is current. */
#include <jansson.h>

#include "test_sweep_util.h"

#define SIM PIKE_BIN_DIR "/sim/pikesim"
#define NET PIKE_SOURCE_ROOT "/networks/mobilenetv2_w4a4.yaml"

/* pikesim --timing-only of NET on edge.yaml with flags ("" or " --arch vN"):
 * total cycles and DRAM bytes (read + written) from its --json. */
static void sim_totals(const char *d, const char *flags, long long *cycles, long long *dram)
{
    cr_assert_eq(sw_sh("%s --config %s/hw_configs/edge.yaml --network %s --timing-only%s "
                       "--json %s/sim.json > /dev/null", SIM, PIKE_SOURCE_ROOT, NET, flags, d), 0);
    json_error_t je;
    char path[512];
    snprintf(path, sizeof path, "%s/sim.json", d);
    json_t *j = json_load_file(path, 0, &je), *t = json_object_get(j, "totals");
    cr_assert(t, "%s: %s", path, je.text);
    *cycles = json_integer_value(json_object_get(t, "cycles"));
    *dram = json_integer_value(json_object_get(t, "dram_rd_bytes")) +
            json_integer_value(json_object_get(t, "dram_wr_bytes"));
    json_decref(j);
}

/* Point 0's row of DIR/SUB/points.csv: arch, cycles, dram_bytes. */
static void sweep_row(const char *d, const char *sub, char arch[8], long long *cycles,
                      long long *dram)
{
    char *csv = sw_slurp("%s/%s/points.csv", d, sub);
    cr_assert(csv, "no %s/%s/points.csv", d, sub);
    cr_assert(strstr(csv, "point,arch,network,cycles,"), "header: %s", csv);
    const char *r = strstr(csv, "\n0,");
    cr_assert(r, "%s", csv);
    /* point,arch,network,cycles,latency_us,energy_uj, 5 by class, dram_bytes */
    cr_assert_eq(sscanf(r, "\n0,%7[^,],mobilenetv2_w4a4,%lld,%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],"
                           "%*[^,],%*[^,],%lld,", arch, cycles, dram), 3, "%s", r);
    free(csv);
}

Test(sweep_arch, default_is_v2_and_each_arch_is_pikesims)
{
    char *d = sw_tmpdir("arch");
    cr_assert_eq(sw_sh("%s --spec %s/arch.yaml --out %s/def -q && "
                       "%s --spec %s/arch.yaml --out %s/v2 -q --arch v2 && "
                       "%s --spec %s/arch.yaml --out %s/v1 -q --arch v1",
                       SWEEP, SWEEP_DATA, d, SWEEP, SWEEP_DATA, d, SWEEP, SWEEP_DATA, d), 0);
    long long sc_def, sd_def, sc_v1, sd_v1, pc_def, pd_def, pc_v1, pd_v1;
    char a_def[8], a_v1[8];
    sweep_row(d, "def", a_def, &sc_def, &sd_def);
    sweep_row(d, "v1", a_v1, &sc_v1, &sd_v1);
    sim_totals(d, "", &pc_def, &pd_def);
    sim_totals(d, " --arch v1", &pc_v1, &pd_v1);
    cr_assert_str_eq(a_def, "v2");
    cr_assert_str_eq(a_v1, "v1");
    cr_assert_eq(sc_def, pc_def, "default: pikesweep %lld cycles, pikesim %lld", sc_def, pc_def);
    cr_assert_eq(sd_def, pd_def, "default: pikesweep %lld DRAM bytes, pikesim %lld", sd_def, pd_def);
    cr_assert_eq(sc_v1, pc_v1, "v1: pikesweep %lld cycles, pikesim %lld", sc_v1, pc_v1);
    cr_assert_eq(sd_v1, pd_v1, "v1: pikesweep %lld DRAM bytes, pikesim %lld", sd_v1, pd_v1);
    cr_assert_neq(sc_def, sc_v1, "v1 and v2 give the same cycles: the arch did not reach the model");
    /* the default's outputs are --arch v2's, to the byte; each names its arch */
    sw_assert_same_subdirs(d, "def", "v2");
    char *js = sw_slurp("%s/v1/points.json", d), *html = sw_slurp("%s/v1/report.html", d),
         *pa = sw_slurp("%s/v1/pareto.csv", d);
    cr_assert(js && strstr(js, "\"arch\": \"v1\""), "%s", js);
    cr_assert(html && strstr(html, "pikesweep report, arch v1"));
    cr_assert(pa && strstr(pa, "scope,x,y,point,arch,") && strstr(pa, ",0,v1,"), "%s", pa);
    free(pa);
    /* the cache keys name the arch: v2 in v1's output directory computes, never reuses v1's record */
    cr_assert_eq(sw_sh("%s --spec %s/arch.yaml --out %s/v1 2>%s/log >/dev/null", SWEEP, SWEEP_DATA,
                       d, d), 0);
    char *log = sw_slurp("%s/log", d);
    cr_assert(log && strstr(log, "1 to compute, 0 cached"), "%s", log);
    free(log);
    sweep_row(d, "v1", a_v1, &sc_v1, &sd_v1);
    cr_assert_str_eq(a_v1, "v2");
    cr_assert_eq(sc_v1, pc_def, "v2 over v1's cache: %lld cycles, pikesim %lld", sc_v1, pc_def);
    free(html);
    free(js);
    sw_rmdir(d);
}

Test(sweep_arch, bad_arch_exits_2_with_one_message)
{
    char *d = sw_tmpdir("archbad");
    cr_assert_eq(sw_sh("%s --spec %s/arch.yaml --out %s/o --arch v3 2>%s/err", SWEEP, SWEEP_DATA,
                       d, d), 2);
    char *e = sw_slurp("%s/err", d);
    cr_assert(e && strstr(e, "--arch: 'v3': must be v1 or v2"), "%s", e);
    cr_assert_eq(sw_sh("grep -c 'must be' %s/err | grep -qx 1", d), 0, "one message: %s", e);
    free(e);
    cr_assert_eq(sw_sh("test -e %s/o", d), 1, "no output directory");
    cr_assert_eq(sw_sh("%s --spec %s/arch.yaml --out %s/o --arch 2>/dev/null", SWEEP, SWEEP_DATA,
                       d), 2, "--arch without a value");
    cr_assert_eq(sw_sh("%s --help | grep -q -- '--arch v2 (default)'", SWEEP), 0);
    sw_rmdir(d);
}

/* A network the point refuses is its row's error, word for word: the
 * mapper's "(act_bits: 2, 8)" keeps its comma in a quoted CSV field (it
 * once became "2' 8"), in skipped.csv and in points.json, and again when
 * the rows come from the cache. */
Test(sweep_arch, refused_network_error_kept_verbatim)
{
    static const char msg[] =
        "layer b1_dw: a_bits of 4 bits is not supported by config 'edge' (act_bits: 2, 8)";
    char *d = sw_tmpdir("archref");
    for (int run = 0; run < 2; run++) {
        cr_assert_eq(sw_sh("%s --spec %s/refused.yaml --out %s/o -q", SWEEP, SWEEP_DATA, d), 0);
        char *pts = sw_slurp("%s/o/points.csv", d), *sk = sw_slurp("%s/o/skipped.csv", d),
             *js = sw_slurp("%s/o/points.json", d);
        char want[256];
        /* point 0's row: no results, then the error as the last field */
        const char *row = pts ? strstr(pts, "\n0,v2,\"[2, 8]\",mobilenetv2_w4a4,,") : NULL;
        cr_assert(row, "run %d: points.csv: %s", run, pts);
        size_t n = strcspn(row + 1, "\n");
        snprintf(want, sizeof want, ",\"%s\"", msg);
        cr_assert(n >= strlen(want) && !strncmp(row + 1 + n - strlen(want), want, strlen(want)),
                  "run %d: point 0's row does not end in %s: %.*s", run, want, (int)n, row + 1);
        snprintf(want, sizeof want, "\"network mobilenetv2_w4a4: %s\"\n", msg);
        cr_assert(sk && strstr(sk, want), "run %d: skipped.csv: %s", run, sk);
        snprintf(want, sizeof want, "\"error\": \"%s\"", msg);
        cr_assert(js && strstr(js, want), "run %d: points.json: %s", run, js);
        free(pts);
        free(sk);
        free(js);
    }
    sw_rmdir(d);
}

/* The synthesized bundle is pikegen --arch's: v2 has pk_core2, v1 pk_core
 * and no pk_core2 (a wrapper around the stand-in Yosys lists rtl/), so the
 * two arches never share a synthesis record: each run in the same output
 * directory synthesizes its own, and a rerun of either finds its own. */
Test(sweep_arch, synth_bundle_and_key_are_the_archs)
{
    char *d = sw_tmpdir("archsyn");
    cr_assert_eq(sw_sh("printf '#!/bin/sh\\n[ \"$1\" = -V ] || ls rtl > %s/rtl.$ARCH\\n"
                       "exec %s/standin_yosys.sh \"$@\"\\n' > %s/yosys.sh && chmod +x %s/yosys.sh",
                       d, SWEEP_DATA, d, d), 0);
    for (int i = 0; i < 3; i++) {
        const char *arch = i == 1 ? "v1" : "v2";
        cr_assert_eq(sw_sh("ARCH=%s YOSYS=%s/yosys.sh %s --spec %s/synth.yaml --out %s/o --synth 0 "
                           "--arch %s > %s/out%d 2>&1", arch, d, SWEEP, SWEEP_DATA, d, arch, d, i),
                     0, "%s", sw_slurp("%s/out%d", d, i));
        char *out = sw_slurp("%s/out%d", d, i);
        cr_assert(strstr(out, i < 2 ? "synthesis: 1 points (1 computed now, 0 cached)"
                                    : "synthesis: 1 points (0 computed now, 1 cached)"),
                  "run %d (--arch %s): %s", i, arch, out);
        free(out);
    }
    cr_assert_eq(sw_sh("grep -qx pk_core2.v %s/rtl.v2", d), 0, "v2 bundle without pk_core2");
    cr_assert_eq(sw_sh("grep -qx pk_core.v %s/rtl.v1 && ! grep -q pk_core2 %s/rtl.v1", d, d), 0,
                 "v1 bundle is not pk_core's");
    char *s = sw_slurp("%s/o/synth.csv", d);
    cr_assert(s && strstr(s, "point,arch,") && strstr(s, "\n0,v2,2,"), "%s", s);
    free(s);
    sw_rmdir(d);
}

/* Every Slurm step runs the arch of the submitting command (the default v2
 * too: a cluster's pikesweep must not fall back to another default). */
Test(sweep_arch, slurm_steps_carry_the_arch)
{
    char *d = sw_tmpdir("archslurm");
    cr_assert_eq(sw_sh("SBATCH=/bin/false %s --spec %s/arch.yaml --out %s/a --slurm --arch v1 "
                       "2>/dev/null", SWEEP, SWEEP_DATA, d), 1);
    cr_assert_eq(sw_sh("SBATCH=/bin/false %s --spec %s/arch.yaml --out %s/b --slurm 2>/dev/null",
                       SWEEP, SWEEP_DATA, d), 1);
    cr_assert_eq(sw_sh("grep -q -- \"--task .* --arch 'v1'\" %s/a/slurm/task.sh && "
                       "grep -q -- \"--merge --arch 'v1'\" %s/a/slurm/merge.sh", d, d), 0,
                 "%s", sw_slurp("%s/a/slurm/task.sh", d));
    cr_assert_eq(sw_sh("grep -q -- \"--arch 'v2'\" %s/b/slurm/task.sh && "
                       "grep -q -- \"--arch 'v2'\" %s/b/slurm/merge.sh", d, d), 0,
                 "%s", sw_slurp("%s/b/slurm/task.sh", d));
    sw_rmdir(d);
}

/* The committed v2 example (examples/sweep/README.md, "The same sweep on
 * v2") is what its command gives today, to the byte: a change of the v2
 * model, the estimate or the report shows up here until out_v2/ is
 * regenerated with that command. */
Test(sweep_arch, committed_v2_example_is_current)
{
    char *d = sw_tmpdir("archex");
    cr_assert_eq(sw_sh("%s --spec %s/examples/sweep/edge_sweep.yaml --out %s/o -j 1 --synth none "
                       "-q", SWEEP, PIKE_SOURCE_ROOT, d), 0);
    char ex[512];
    snprintf(ex, sizeof ex, "%s/examples/sweep/out_v2", PIKE_SOURCE_ROOT);
    char o[512];
    snprintf(o, sizeof o, "%s/o", d);
    sw_assert_same_outputs(ex, o);
    sw_rmdir(d);
}
