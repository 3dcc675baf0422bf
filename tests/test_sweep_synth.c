/* test_sweep_synth.c - pikesweep's synthesis of selected points and ONNX
 * networks (docs/SWEEP.md, "Synthesis", "ONNX networks"): one real Yosys
 * run of the tiny config (its cells beside the estimate, cached: a rerun
 * synthesizes nothing and writes the same bytes); the Pareto selection, the
 * reorder report, a Yosys failure (a result) and a Yosys killed (not cached,
 * a rerun retries) with a stand-in Yosys; an ONNX model that does not import
 * on a point is that point's skip reason; bad synth input exits 2. */
#include "test_sweep_util.h"

#define STANDIN "YOSYS=" SWEEP_DATA "/standin_yosys.sh "

/* The DIR/o/synth.csv row of point p (without its newline), malloc'd, or NULL. */
static char *synth_row(const char *dir, int p)
{
    char *t = sw_slurp("%s/o/synth.csv", dir), pre[16];
    cr_assert(t, "no %s/synth.csv", dir);
    snprintf(pre, sizeof pre, "\n%d,", p);
    char *r = strstr(t, pre), *out = NULL;
    if (r) {
        r++;
        out = strndup(r, strcspn(r, "\n"));
    }
    free(t);
    return out;
}

/* --arch v1: the numbers below (cells, CPU time in docs/SWEEP.md) are v1's
 * tiny config; v2's bundle is checked with the stand-in (test sweep_arch)
 * and its RTL synthesized by benches/area_gather.sh --arch v2. */
Test(sweep_synth, real_yosys_on_one_point_then_cached)
{
    char *d = sw_tmpdir("synth");
    cr_assert_eq(sw_sh("%s --spec %s/synth.yaml --out %s/o -j 2 --arch v1 >%s/out1 2>&1", SWEEP,
                       SWEEP_DATA, d, d), 0, "%s", sw_slurp("%s/out1", d));
    char *row = synth_row(d, 0);
    long long cells = 0;
    double est = 0, err = 0;
    cr_assert(row, "point 0 not synthesized");
    cr_assert(sscanf(row, "0,v1,2,%lf,yosys-generic,%lld,%lf,", &est, &cells, &err) == 3, "%s", row);
    /* the tiny config: ~41k generic cells (control, DMA, one QuantNorm lane) */
    cr_assert(cells > 20000 && cells < 80000, "%lld cells", cells);
    cr_assert(err > -20 && err < 20, "estimate %.0f vs %lld: %.1f%%", est, cells, err);
    cr_assert_null(synth_row(d, 1), "point 1 was not asked for");
    char *pts = sw_slurp("%s/o/points.csv", d);
    cr_assert(strstr(pts, "synth_flow,synth_cells,area_error_pct,error\n"), "header: %s", pts);
    cr_assert(strstr(pts, ",yosys-generic,"), "points.csv lacks the synthesized cells");
    char *js = sw_slurp("%s/o/points.json", d);
    cr_assert(strstr(js, "\"synth\"") && strstr(js, "\"cells\""), "points.json lacks synth");
    char *html = sw_slurp("%s/o/report.html", d);
    cr_assert(strstr(html, "estimated area against Yosys"), "report.html lacks the section");
    /* rerun: nothing synthesized, the same bytes */
    cr_assert_eq(sw_sh("cp -r %s/o %s/first && %s --spec %s/synth.yaml --out %s/o -j 2 --arch v1 "
                       ">%s/out2 2>&1", d, d, SWEEP, SWEEP_DATA, d, d), 0);
    char *out2 = sw_slurp("%s/out2", d);
    cr_assert(strstr(out2, "synthesis: 1 points (0 computed now, 1 cached)"), "%s", out2);
    sw_assert_same_subdirs(d, "o", "first");
    cr_assert_eq(sw_sh("cmp -s %s/o/synth.csv %s/first/synth.csv", d, d), 0);
    free(out2);
    free(html);
    free(js);
    free(pts);
    free(row);
    sw_rmdir(d);
}

/* --arch v1: under v1 both points are on the latency / area front (under v2
 * the 2-column point is both faster and smaller: a front of one). */
Test(sweep_synth, pareto_selection_and_reorder_report)
{
    char *d = sw_tmpdir("synthp");
    cr_assert_eq(sw_sh(STANDIN "%s --spec %s/synth.yaml --out %s/o --synth pareto -j 2 --arch v1 "
                               ">%s/out 2>&1", SWEEP, SWEEP_DATA, d, d), 0, "%s",
                 sw_slurp("%s/out", d));
    /* both points are on the latency / area front; the stand-in's cells */
    char *r0 = synth_row(d, 0), *r1 = synth_row(d, 1), *out = sw_slurp("%s/out", d);
    cr_assert(r0 && strstr(r0, ",yosys-generic,48000,"), "%s", r0);
    cr_assert(r1 && strstr(r1, ",yosys-generic,46000,"), "%s", r1);
    cr_assert(strstr(out, "latency_us / area_cells: front of 2 points, 2 synthesized: the "
                          "synthesized areas REORDER it (by estimate: 0, 1; by Yosys: 1, 0); "
                          "point 0 leaves the front once synthesized"), "%s", out);
    char *html = sw_slurp("%s/o/report.html", d);
    cr_assert(strstr(html, "REORDER"), "report.html lacks the reorder note");
    free(html);
    /* none: no synth.csv, no synth columns filled; all: both points again, from the cache */
    cr_assert_eq(sw_sh(STANDIN "%s --spec %s/synth.yaml --out %s/n --synth none -q", SWEEP,
                       SWEEP_DATA, d), 0);
    cr_assert_eq(sw_sh("test -e %s/n/synth.csv || grep -q yosys- %s/n/points.csv", d, d), 1);
    cr_assert_eq(sw_sh(STANDIN "%s --spec %s/synth.yaml --out %s/o --synth all --arch v1 >%s/out2 "
                               "2>&1", SWEEP, SWEEP_DATA, d, d), 0);
    char *out2 = sw_slurp("%s/out2", d);
    cr_assert(strstr(out2, "synthesis: 2 points (0 computed now, 2 cached)"), "%s", out2);
    free(out2);
    free(out);
    free(r0);
    free(r1);
    sw_rmdir(d);
}

Test(sweep_synth, yosys_failure_is_a_result_a_kill_is_retried)
{
    char *d = sw_tmpdir("synthf");
    cr_assert_eq(sw_sh("STANDIN_EXIT=3 " STANDIN "%s --spec %s/synth.yaml --out %s/o -q", SWEEP,
                       SWEEP_DATA, d), 0);
    char *r = synth_row(d, 0);
    cr_assert(r && strstr(r, "exited with 3: ERROR: stand-in failure"), "%s", r);
    free(r);
    /* killed: the run fails, nothing is cached, a plain rerun synthesizes */
    cr_assert_eq(sw_sh("STANDIN_KILL=1 " STANDIN "%s --spec %s/synth.yaml --out %s/k -q 2>%s/log",
                       SWEEP, SWEEP_DATA, d, d), 1);
    char *log = sw_slurp("%s/log", d);
    cr_assert(strstr(log, "Yosys was killed"), "%s", log);
    cr_assert_eq(sw_sh("test -e %s/k/synth.csv", d), 1, "no outputs from a failed run");
    cr_assert_eq(sw_sh(STANDIN "%s --spec %s/synth.yaml --out %s/k >%s/out 2>&1", SWEEP, SWEEP_DATA, d,
                       d), 0);
    char *out = sw_slurp("%s/out", d);
    cr_assert(strstr(out, "synthesis: 1 points (1 computed now, 0 cached)"), "%s", out);
    free(out);
    free(log);
    sw_rmdir(d);
}

/* Points that differ only in an energy figure generate the same RTL (the
 * files' headers name the config and its hash, which the key leaves out):
 * one synthesis serves both, and both rows carry its cells. */
Test(sweep_synth, same_rtl_is_synthesized_once)
{
    char *d = sw_tmpdir("synthe");
    cr_assert_eq(sw_sh(STANDIN "%s --spec %s/synth_energy.yaml --out %s/o >%s/out 2>&1", SWEEP,
                       SWEEP_DATA, d, d), 0, "%s", sw_slurp("%s/out", d));
    char *out = sw_slurp("%s/out", d), *r0 = synth_row(d, 0), *r1 = synth_row(d, 1);
    cr_assert(strstr(out, "synthesis: 2 points (1 computed now, 1 cached)"), "%s", out);
    /* the stand-in's cells for COLS 2 */
    cr_assert(r0 && strstr(r0, ",yosys-generic,48000,"), "%s", r0);
    cr_assert(r1 && strstr(r1, ",yosys-generic,48000,"), "%s", r1);
    free(r1);
    free(r0);
    free(out);
    sw_rmdir(d);
}

/* SIGTERM to the whole sweep (Slurm's scancel, a timeout) while Yosys runs:
 * the run dies of it, and the worker removes its scratch directory first. */
Test(sweep_synth, a_stopped_synthesis_leaves_no_scratch_directory)
{
    char *d = sw_tmpdir("synths");
    cr_assert_eq(sw_sh("mkdir %s/tmp", d), 0);
    cr_assert_eq(sw_sh("TMPDIR=%s/tmp STANDIN_SLEEP=60 STANDIN_MARK=%s/running " STANDIN
                       "setsid %s --spec %s/synth.yaml --out %s/o -q >%s/log 2>&1 & p=$!; "
                       "i=0; while [ ! -e %s/running ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; "
                       "ls %s/tmp | grep -q '^pikesweep-synth-' || exit 3; "
                       "kill -TERM -$p; wait $p; echo $? >%s/rc",
                       d, d, SWEEP, SWEEP_DATA, d, d, d, d, d), 0, "Yosys never started (log in %s)", d);
    char *rc = sw_slurp("%s/rc", d);
    cr_assert_eq(atoi(rc), 128 + 15, "pikesweep should die of SIGTERM, exit %s", rc);
    /* the worker may outlive the parent by a moment: give it 10 s to clean up */
    cr_assert_eq(sw_sh("i=0; while [ -n \"$(ls -A %s/tmp)\" ] && [ $i -lt 100 ]; do sleep 0.1; "
                       "i=$((i+1)); done; [ -z \"$(ls -A %s/tmp)\" ]", d, d), 0,
                 "scratch left behind in %s/tmp", d);
    free(rc);
    sw_rmdir(d);
}

Test(sweep_synth, onnx_import_failure_is_the_points_skip_reason)
{
    char *d = sw_tmpdir("onnx");
    cr_assert_eq(sw_sh("%s --spec %s/onnx.yaml --out %s/o -q", SWEEP, SWEEP_DATA, d), 0);
    char *sk = sw_slurp("%s/o/skipped.csv", d), *pts = sw_slurp("%s/o/points.csv", d);
    for (int p = 0; p < 2; p++) {
        char want[64];
        snprintf(want, sizeof want, "\n%d,v2,%d,network mlp_s8: ONNX import: node fc1", p, 2 + 2 * p);
        cr_assert(strstr(sk, want), "no '%s' in %s", want + 1, sk);
        snprintf(want, sizeof want, "\n%d,v2,%d,q4_pow2,", p, 2 + 2 * p);
        const char *row = strstr(pts, want);
        cr_assert(row && row[strlen(want)] >= '1' && row[strlen(want)] <= '9',
                  "q4_pow2 has no cycles on point %d: %s", p, pts);
    }
    cr_assert_null(strstr(sk, PIKE_SOURCE_ROOT), "a path in skipped.csv: %s", sk);
    free(sk);
    free(pts);
    sw_rmdir(d);
}

/* spec text -> exit status and stderr of pikesweep on it */
static int run_spec(const char *d, const char *text, const char *flags, char **log)
{
    char path[512];
    snprintf(path, sizeof path, "%s/s.yaml", d);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "base: %s/tiny_base.yaml\nnetworks: [%s/../onnx/q4_pow2.onnx]\n"
               "axes: {array.cols: [2, 4]}\n%s", SWEEP_DATA, SWEEP_DATA, text);
    fclose(f);
    int st = sw_sh("%s --spec %s --out %s/o %s 2>%s/log >/dev/null", SWEEP, path, d, flags, d);
    *log = sw_slurp("%s/log", d);
    return st;
}

Test(sweep_synth, bad_synth_input_exits_2)
{
    char *d = sw_tmpdir("synthbad"), *log;
    static const struct { const char *spec, *flags, *want; } cases[] = {
        { "synth: maybe\n", "", "s.yaml:4: synth: 'maybe' is not a point number in [0, 1]" },
        { "synth: [0, 2]\n", "", "s.yaml:4: synth[1]: '2' is not a point number in [0, 1]" },
        { "synth: [0, [1]]\n", "", "s.yaml:4: synth[1]: expected a point number" },
        { "synth: []\n", "", "s.yaml:4: synth: expected none, pareto, all or a non-empty list" },
        { "synth: {a: 1}\n", "", "s.yaml:4: synth: expected none, pareto, all" },
        { "", "--synth 7", "--synth: '7' is not a point number in [0, 1]" },
        { "", "--synth ,", "--synth: expected none, pareto, all or a list of point numbers" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(run_spec(d, cases[i].spec, cases[i].flags, &log), 2, "case %zu", i);
        cr_assert(strstr(log, cases[i].want), "case %zu: want '%s' in: %s", i, cases[i].want, log);
        cr_assert_eq(sw_sh("test -e %s/o", d), 1, "case %zu: output directory made", i);
        free(log);
    }
    sw_rmdir(d);
}
