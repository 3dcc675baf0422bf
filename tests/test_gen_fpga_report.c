/* test_gen_fpga_report.c - the bundles' report scripts and generated ECP5
 * files, without running the tools: pikegen writes a bundle, the test puts
 * a known Yosys stat / nextpnr log in build/ and checks what `make report`
 * prints from it (sums, capacities, the LAST Fmax and critical path, timing
 * verdict), and the PLL dividers pikegen chose for a few clocks. */
#include <criterion/criterion.h>

#include "gen/gen_test_util.h"
#include "pk_gen.h"

/* pikegen the config file cfg (source-relative) into TMP/name, with the
 * value of key ("clock_mhz:", "device:") replaced when value is given;
 * returns the bundle path. */
static void bundle_with(const char *tmp, const char *cfg, const char *name, const char *key,
                        const char *value, char *dir, size_t len)
{
    char src[700], cmd[2400], log[700];
    snprintf(src, sizeof src, "%s/%s", PIKE_SOURCE_ROOT, cfg);
    if (value) {
        char *t = gt_read(src, NULL);
        cr_assert(t);
        char *p = strstr(t, key);
        cr_assert(p);
        size_t eol = strcspn(p, "\n");
        char out[700];
        snprintf(out, sizeof out, "%s/%s.yaml", tmp, name);
        size_t n = strlen(t) + strlen(value) + 64;
        char *text = malloc(n);
        snprintf(text, n, "%.*s%s %s%s", (int)(p - t), t, key, value, p + eol);
        cr_assert_eq(gt_write(out, text), 0);
        free(text);
        free(t);
        snprintf(src, sizeof src, "%s", out);
    }
    snprintf(dir, len, "%s/%s", tmp, name);
    snprintf(cmd, sizeof cmd, "'%s' --config '%s' --out '%s' --templates '%s'", GT_PIKEGEN, src,
             dir, gt_templates());
    snprintf(log, sizeof log, "%s/%s.log", tmp, name);
    int rc = gt_run(cmd, log);
    char *t = gt_read(log, NULL);
    cr_assert_eq(rc, 0, "pikegen %s failed: %s", cfg, t);
    free(t);
}

static void bundle(const char *tmp, const char *cfg, const char *name, const char *mhz, char *dir,
                   size_t len)
{
    bundle_with(tmp, cfg, name, "clock_mhz:", mhz, dir, len);
}

/* Write build/FILE of the bundle, run `make -s report`, return its output. */
static char *report(const char *dir, const char *file, const char *text, int *rc)
{
    char p[1024], cmd[1200], log[1100];
    snprintf(p, sizeof p, "%s/build", dir);
    mkdir(p, 0777);
    snprintf(p, sizeof p, "%s/build/%s", dir, file);
    cr_assert_eq(gt_write(p, text), 0);
    snprintf(cmd, sizeof cmd, "make -s -C '%s' report", dir);
    snprintf(log, sizeof log, "%s/report.out", dir);
    *rc = gt_run(cmd, log);
    return gt_read(log, NULL);
}

static const char xil_stat[] =
    "=== pike_top ===\n   Number of cells: 5\n     LUT6 999999\n\n"
    "=== design hierarchy ===\n\n   pike_top 1\n     $paramod\\pk_pe 256\n\n"
    "   Number of cells: 1000\n"
    "     DSP48E1 100\n     FDRE 3000\n     FDSE 10\n     LUT1 5\n     LUT6 1000\n"
    "     MUXF7 40\n     RAM64M 2\n     RAM64M8 3\n     RAMB18E1 3\n     RAMB36E1 7\n"
    "     SRLC32E 4\n";

Test(gen_fpga_report, xilinx_sums_against_capacity, .timeout = 120)
{
    char tmp[512], dir[700];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genfpgarep"));
    bundle(tmp, "hw_configs/edge.yaml", "edge", NULL, dir, sizeof dir);
    int rc;
    char *out = report(dir, "synth_xilinx_stat.txt", xil_stat, &rc);
    cr_assert_eq(rc, 0, "%s", out);
    /* only the hierarchy totals count; LUT-RAM and SRL count as LUTs */
    cr_assert(strstr(out, "luts=1041/"), "%s", out); /* 5 + 1000 + 4 + 2 * 4 + 3 * 8 */
    cr_assert(strstr(out, "ffs=3010/"), "%s", out);
    cr_assert(strstr(out, "dsp=100/"), "%s", out);
    cr_assert(strstr(out, "bram36=8.5/"), "%s", out);
    cr_assert(strstr(out, "fits=yes"), "%s", out);
    free(out);
    /* over capacity in one resource: fits=no */
    char big[sizeof xil_stat + 32];
    snprintf(big, sizeof big, "%s     DSP48E1 90000\n", xil_stat);
    out = report(dir, "synth_xilinx_stat.txt", big, &rc);
    cr_assert(strstr(out, "dsp=90100/") && strstr(out, "fits=no"), "%s", out);
    free(out);
    gt_rm_tree(tmp);
}

/* pk_dot's DSP_PAIRS from the Xilinx part's DSP48 count (edge.yaml: 256
 * PEs of 8 lanes, L = 8, so 8 mode-4 pairs and 8 8-bit products per PE; 99
 * DSP48 kept for the rest of the core): the same define in synth_xilinx.ys
 * (before the RTL is read) and vivado.tcl, and the choice with its reason
 * in make report's output. */
Test(gen_fpga_report, xilinx_dsp_pairs_from_part, .timeout = 120)
{
    static const struct {
        const char *device;
        int pairs;
        const char *why;
    } cases[] = {
        {"xcvu7p-flva2104-1-e", 8, "4560 DSP48 less 99 for the rest of the core and 2048 for "
                                   "the 8-bit products leave 9 per PE"},
        {"xcvu9p-flga2104-2-e", 8, "leave 18 per PE"},
        {"xcvu5p-flva2104-1-e", 5, "5 of the 8 mode-4 slot pairs"}, /* (3474 - 2147) / 256 */
        {"xcvu3p-ffvc1517-1-e", 0, "bit-plane PE"},                  /* 2280 - 2147 < 256 */
        {"xc7a35tcpg236-1", 0, "leave none for the 256 PEs"},
        {"xc7z020clg400-1", 0, "count of the device is unknown"},
    };
    char tmp[512], dir[700], name[32], p[800], want[64];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genfpgarep"));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(name, sizeof name, "part%zu", i);
        bundle_with(tmp, "hw_configs/edge.yaml", name, "device:", cases[i].device, dir,
                    sizeof dir);
        snprintf(p, sizeof p, "%s/synth_xilinx.ys", dir);
        char *ys = gt_read(p, NULL);
        snprintf(want, sizeof want, "\nverilog_defines -DPK_DSP_PAIRS=%d\n", cases[i].pairs);
        const char *d = ys ? strstr(ys, want) : NULL;
        cr_assert(d && d < strstr(ys, "\nread_verilog "), "%s: want '%s' before the RTL in\n%s",
                  cases[i].device, want + 1, ys);
        cr_assert(strstr(ys, cases[i].why), "%s: '%s' not in\n%.700s", cases[i].device,
                  cases[i].why, ys);
        free(ys);
        snprintf(p, sizeof p, "%s/vivado.tcl", dir);
        char *tcl = gt_read(p, NULL);
        snprintf(want, sizeof want, "-verilog_define PK_DSP_PAIRS=%d\n", cases[i].pairs);
        cr_assert(tcl && strstr(tcl, want), "%s: no '%s' in vivado.tcl", cases[i].device, want);
        free(tcl);
        int rc;
        char *out = report(dir, "synth_xilinx_stat.txt", xil_stat, &rc);
        snprintf(want, sizeof want, " dsp_pairs=%d ", cases[i].pairs);
        cr_assert(out && strstr(out, want) && strstr(out, cases[i].why) &&
                      strstr(out, "PE packing"),
                  "%s: report\n%s", cases[i].device, out);
        free(out);
    }
    gt_rm_tree(tmp);
}

static const char pnr_log[] =
    "Info: Device utilisation:\n"
    "Info: \t          TRELLIS_COMB: 11000/83640    13%\n"
    "Info: Max frequency for clock '$glbnet$clk': 40.00 MHz (FAIL at 50.00 MHz)\n"
    "Info: Device utilisation:\n"
    "Info: \t          TRELLIS_COMB: 12345/83640    14%\n"
    "Info: \t            TRELLIS_FF:  6789/83640     8%\n"
    "Info: \t                DP16KD:    40/  208    19%\n"
    "Info: \t            MULT18X18D:     6/  156     3%\n"
    "Info: Critical path report for clock 'clk' (posedge -> posedge):\n"
    "Info:       type curr  total name\n"
    "Info:   clk-to-q  0.52  0.52 Source u.a_q.Q\n"
    "Info:    routing  9.00  9.52 Net a (1,1) -> (9,9)\n"
    "Info:                          Sink u.b_LUT4_Z.A\n"
    "Info:      logic  0.24  9.76 Source u.b_LUT4_Z.F\n"
    "Info:    routing  3.00 12.76 Net b (9,9) -> (9,8)\n"
    "Info:                          Sink u.c_q.DI\n"
    "Info:      setup  0.00 12.76 Source u.c_q.DI\n"
    "Info: 0.76 ns logic, 12.00 ns routing\n"
    "Info: Max frequency for clock '$glbnet$clk': 40.00 MHz (FAIL at 50.00 MHz)\n"
    "Info: Critical path report for clock 'clk' (posedge -> posedge):\n"
    "Info:       type curr  total name\n"
    "Info:   clk-to-q  0.52  0.52 Source u.x_q.Q\n"
    "Info:    routing 15.80 16.32 Net x (1,1) -> (9,9)\n"
    "Info:                          Sink u.y_q.DI\n"
    "Info:      setup  0.00 16.32 Source u.y_q.DI\n"
    "Info: 0.52 ns logic, 15.80 ns routing\n"
    "Info: Critical path report for cross-domain path '<async>' -> 'posedge clk':\n"
    "Info:       type curr  total name\n"
    "Info:     source  0.00  0.00 Source spi_cs_n$tr_io.O\n"
    "Info:    routing  4.02  4.02 Net spi_cs_n$TRELLIS_IO_IN (0,47) -> (2,47)\n"
    "Info:                          Sink u.s_q.M\n"
    "Info:      setup  0.24  4.26 Source u.s_q.M\n"
    "Info: 0.24 ns logic, 4.02 ns routing\n"
    "Warning: Max frequency for clock '$glbnet$clk': 61.25 MHz (PASS at 50.00 MHz)\n";

Test(gen_fpga_report, ecp5_last_fmax_and_use, .timeout = 120)
{
    char tmp[512], dir[700];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genfpgarep"));
    bundle(tmp, "hw_configs/ecp5.yaml", "ecp5", NULL, dir, sizeof dir);
    int rc;
    char *out = report(dir, "nextpnr.log", pnr_log, &rc);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "luts=12345/83640 ffs=6789/83640 dsp=6/156 ebr=40/208"), "%s", out);
    cr_assert(strstr(out, "fmax_mhz=61.25 target_mhz=50.0000 timing=met bitstream=no"), "%s",
              out);
    /* the LAST clock's critical path report (not the cross-domain one after it):
     * its total, split, first source and endpoint */
    cr_assert(strstr(out, "critical path        16.32 ns (0.52 logic, 15.80 routing): u.x_q.Q -> "
                          "u.y_q.DI\n") &&
                  strstr(out, " crit_ns=16.32\n"),
              "%s", out);
    /* ecp5.yaml: every PE gets its 8 mode-4 pairs (156 MULT18X18D less 12) */
    cr_assert(strstr(out, "PE packing (pikegen, synth_ecp5.ys): DSP_PAIRS 8: 8 of the 8 "), "%s",
              out);
    free(out);
    /* the last figure below the clock: FAILED */
    char slow[sizeof pnr_log + 128];
    snprintf(slow, sizeof slow, "%sInfo: Max frequency for clock '$glbnet$clk': 49.99 MHz\n",
             pnr_log);
    out = report(dir, "nextpnr.log", slow, &rc);
    cr_assert(strstr(out, "fmax_mhz=49.99") && strstr(out, "timing=FAILED"), "%s", out);
    free(out);
    gt_rm_tree(tmp);
}

/* The PLL: exact where the 25 MHz oscillator allows it, VCO in range. */
Test(gen_fpga_report, ecp5_pll_dividers, .timeout = 120)
{
    static const struct {
        const char *mhz, *expect;
    } cases[] = {
        {"50", "25 MHz / 1 * 2 = 50.0000 MHz core clock (VCO 600.0 MHz, CLKOP / 12)"},
        {"100", "25 MHz / 1 * 4 = 100.0000 MHz"},
        {"65", "= 65.0000 MHz"},
        {"33.3", "= 33.3333 MHz"}, /* not exact: the nearest */
    };
    char tmp[512], dir[700], name[32], p[800];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genfpgarep"));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(name, sizeof name, "pll%zu", i);
        bundle(tmp, "hw_configs/ecp5.yaml", name, cases[i].mhz, dir, sizeof dir);
        snprintf(p, sizeof p, "%s/pike_ulx3s.v", dir);
        char *v = gt_read(p, NULL);
        cr_assert(v && strstr(v, cases[i].expect), "%s MHz: want '%s' in\n%.600s", cases[i].mhz,
                  cases[i].expect, v);
        const char *vco = strstr(v, "(VCO ");
        cr_assert(vco);
        double f = strtod(vco + 5, NULL);
        cr_assert(f >= 400.0 && f <= 800.0, "VCO %g MHz", f);
        free(v);
    }
    gt_rm_tree(tmp);
}
