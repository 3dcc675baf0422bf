/* test_gen_ice40.c - the iCE40 bundle through its own Makefile
 * (`make bitstream report`: synth_ice40, nextpnr-ice40, icepack) for
 * hw_configs/ice40.yaml with pikegen --arch v1 (pk_core), report printed
 * (Fmax reported, not asserted).
 *
 * Known state (docs/VALIDATION.md, "iCE40"): v1's control logic alone is
 * ~8k LUT4, so the design does NOT yet fit a UP5K (5280 LCs) and nextpnr
 * stops at placement.  This test asserts what holds either way - synthesis
 * runs, nextpnr is reached, and the report carries LUT and LC counts - and,
 * the moment the design fits, the full requirement: bitstream present and
 * an Fmax.  A failure other than "does not fit" (a broken script, a missing
 * report, a bitstream missing after a fit) fails the test.
 * PIKE_ICE40_REQUIRE_FIT=1 makes "does not fit" a failure too. */
#include <criterion/criterion.h>

#include "gen/gen_test_util.h"
#include "pk_gen.h"

Test(gen_ice40, bundle_through_open_flow, .timeout = 900)
{
    char tmp[512], dir[600], cmd[1400], log[700];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genice40"));
    snprintf(dir, sizeof dir, "%s/ice40", tmp);
    snprintf(cmd, sizeof cmd,
             "'%s' --arch v1 --config '%s/hw_configs/ice40.yaml' --out '%s' --templates '%s'",
             GT_PIKEGEN, PIKE_SOURCE_ROOT, dir, gt_templates());
    snprintf(log, sizeof log, "%s/pikegen.log", tmp);
    int rc = gt_run(cmd, log);
    char *t = gt_read(log, NULL);
    cr_assert_eq(rc, 0, "pikegen failed: %s", t);
    free(t);

    snprintf(cmd, sizeof cmd, "make -s -C '%s' bitstream", dir);
    snprintf(log, sizeof log, "%s/make.log", tmp);
    rc = gt_run(cmd, log);
    t = gt_read(log, NULL);
    /* The report also runs after a failure: it shows how far off the fit is. */
    snprintf(cmd, sizeof cmd, "make -s -C '%s' report", dir);
    snprintf(log, sizeof log, "%s/report.log", tmp);
    gt_run(cmd, log);
    char *r = gt_read(log, NULL);
    const char *rep = r ? strstr(r, "pike-report:") : NULL;
    char line[512];
    snprintf(line, sizeof line, "%.*s", rep ? (int)strcspn(rep, "\n") : 0, rep ? rep : "");
    fprintf(stderr, "ice40: %s\n", line);
    cr_log_info("%s", line);
    cr_assert(rep, "no pike-report line:\n%s", r);
    free(r);
    /* nextpnr's message when the netlist needs more cells than the device has */
    int nofit = rc != 0 && t && strstr(t, "no BELs remaining") != NULL;
    cr_assert(rc == 0 || nofit, "make bitstream failed (exit %d) for a reason other than fit; "
              "bundle kept in %s\n%s\n%s", rc, dir, line, t ? gt_tail(t, 12) : "");

    long luts = -1, lc = -1, lc_max = -1;
    double fmax = -1;
    const char *p;
    if ((p = strstr(line, "luts=")))
        luts = strtol(p + 5, NULL, 10);
    if ((p = strstr(line, "lcs=")))
        sscanf(p + 4, "%ld/%ld", &lc, &lc_max);
    if ((p = strstr(line, "fmax_mhz=")))
        fmax = strtod(p + 9, NULL);
    cr_assert_gt(luts, 0, "no LUT count in '%s'", line);
    cr_assert_gt(lc, 0, "no LC utilisation in '%s'", line);
    if (nofit) {
        const char *req = getenv("PIKE_ICE40_REQUIRE_FIT");
        cr_assert(!(req && *req == '1'), "design does not fit: %ld of %ld LCs", lc, lc_max);
        cr_assert_gt(lc, lc_max, "nextpnr found no room, yet the report says %ld of %ld LCs",
                     lc, lc_max);
        fprintf(stderr, "ice40: KNOWN GAP: does not fit the UP5K (%ld of %ld LCs); no bitstream\n",
                lc, lc_max);
        free(t);
        gt_rm_tree(tmp);
        return;
    }
    cr_assert_leq(lc, lc_max, "design does not fit: %ld of %ld LCs", lc, lc_max);
    cr_assert_gt(fmax, 0.0, "no Fmax in '%s'", line);

    char bin[700];
    snprintf(bin, sizeof bin, "%s/build/pike_board.bin", dir);
    struct stat st;
    cr_assert_eq(stat(bin, &st), 0, "no bitstream %s", bin);
    cr_assert_gt(st.st_size, 1000, "bitstream of %lld bytes", (long long)st.st_size);
    free(t);
    gt_rm_tree(tmp);
}
