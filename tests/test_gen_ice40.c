/* test_gen_ice40.c - the iCE40 bundle goes all the way to a bitstream:
 * pikegen --config hw_configs/ice40.yaml, then the bundle's own Makefile
 * (`make bitstream report`: synth_ice40, nextpnr-ice40, icepack).  Asserts
 * that build/pike_board.bin exists and is non-trivial and that the report
 * line carries a LUT count and an LC utilisation that fits the device;
 * prints the report (Fmax is reported, not asserted). */
#include <criterion/criterion.h>

#include "gen/gen_test_util.h"
#include "pk_gen.h"

Test(gen_ice40, bundle_to_bitstream, .timeout = 900)
{
    char tmp[512], dir[600], cmd[1400], log[700];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genice40"));
    snprintf(dir, sizeof dir, "%s/ice40", tmp);
    snprintf(cmd, sizeof cmd, "'%s' --config '%s/hw_configs/ice40.yaml' --out '%s' --templates '%s'",
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
    cr_assert_eq(rc, 0, "make bitstream failed (exit %d); bundle kept in %s\n%s\n%s", rc, dir,
                 line, t ? gt_tail(t, 12) : "");
    cr_assert(rep, "no pike-report line:\n%s", r);
    free(r);

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
