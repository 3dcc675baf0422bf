/* test_gen_v2.c - pikegen --arch v2: the bundle's pike_top wraps pk_core2
 * with every parameter of pk_v2_rtl_params (core/pk_v2_rtl.h) at the
 * config's values, holds pk_core2's templates and the generated pk_par2.v but
 * none of v1's core, on iCE40 and ECP5 the board top pike_board (pk_board2
 * around pike_top itself, the memory's shared rows at the same values,
 * BOARD_ID) and the family's flow around it (iCE40: pin file and
 * synth_ice40.ys; ECP5: the ULX3S top pike_ulx3s around pike_board, its LPF,
 * synth_ecp5.ys, the DSP map and the Makefile's synth-ecp5, pnr
 * and bitstream targets), and lints: `verilator --lint-only -Wall` of
 * pike_top (and pike_board) over the bundle's files.f, for
 * hw_configs/ice40.yaml, ecp5.yaml and edge.yaml (PIKE_GEN_V2_LINT=0, set by
 * the sanitizer suite, skips the lint).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen/gen_test_util.h"
#include "pk_config.h"
#include "pk_v2_rtl.h"
#include "test_cli_util.h"

#define PIKEGEN PIKE_BIN_DIR "/gen/pikegen"

static int exists(const char *dir, const char *file)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    return access(p, R_OK) == 0;
}

/* "parameter NAME = literal" as pikegen declares row p in a wrapper. */
static void param_decl(const pk_v2_rtl_param_t *p, char *out, size_t len)
{
    char lit[128];
    if (p->width > 0) {
        size_t k = (size_t)snprintf(lit, sizeof lit, "%d'b", p->width);
        for (int b = p->width - 1; b >= 0; b--)
            lit[k++] = (p->value >> b) & 1 ? '1' : '0';
        lit[k] = 0;
    } else {
        snprintf(lit, sizeof lit, "%lld", (long long)p->value);
    }
    snprintf(out, len, "parameter %-14s = %s", p->name, lit);
}

static void check_v2_bundle(const char *cfgname)
{
    char tmp[512], dir[700], cmd[2048], cfgpath[600], *o;
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genv2"));
    snprintf(dir, sizeof dir, "%s/b", tmp);
    snprintf(cfgpath, sizeof cfgpath, "%s/hw_configs/%s", PIKE_SOURCE_ROOT, cfgname);
    snprintf(cmd, sizeof cmd, "'%s' --arch v2 --config '%s' --out '%s'", PIKEGEN, cfgpath, dir);
    cr_assert_eq(pk_test_sh(cmd, &o), 0, "%s", o);
    cr_assert(strstr(o, "arch v2"), "%s", o);

    /* the v2 top's files, none of v1's core; the board top (pk_board2 around
     * pike_top) for the families with place and route, as v1 */
    int ice40 = !strcmp(cfgname, "ice40.yaml"), ecp5 = !strcmp(cfgname, "ecp5.yaml");
    int board = ice40 || ecp5;
    const char *in[] = {"rtl/pike_top.v", "rtl/pk_core2.v", "rtl/pk_par2.v", "rtl/pk_ctrl2.v",
                        "rtl/pk_ld2.v", "rtl/pk_seq2.v", "rtl/pk_post2.v", "rtl/pk_array.v",
                        "rtl/pk_contract.vh", "files.f", "Makefile", "manifest.json"};
    const char *out[] = {"rtl/pk_core.v", "rtl/pk_ctrl.v", "rtl/pk_gather.v", "rtl/pk_dma_rd.v",
                         "rtl/pk_board_spi.v"};
    const char *brd[] = {"rtl/pike_board.v", "rtl/pk_board2.v", "rtl/pk_board_io.v",
                         "rtl/pk_uart_bridge.v"};
    const char *fice40[] = {"pike_board.pcf", "synth_ice40.ys"};
    const char *fecp5[] = {"pike_ulx3s.v", "pike_ulx3s.lpf", "synth_ecp5.ys", "ecp5_dsp_map.v"};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++)
        cr_assert(exists(dir, in[i]), "%s: %s missing from the v2 bundle", cfgname, in[i]);
    for (size_t i = 0; i < sizeof out / sizeof *out; i++)
        cr_assert(!exists(dir, out[i]), "%s: %s in the v2 bundle", cfgname, out[i]);
    for (size_t i = 0; i < sizeof brd / sizeof *brd; i++)
        cr_assert_eq(exists(dir, brd[i]), board, "%s: %s %s the v2 bundle", cfgname, brd[i],
                     board ? "missing from" : "in");
    for (size_t i = 0; i < sizeof fice40 / sizeof *fice40; i++)
        cr_assert_eq(exists(dir, fice40[i]), ice40, "%s: %s %s the v2 bundle", cfgname,
                     fice40[i], ice40 ? "missing from" : "in");
    for (size_t i = 0; i < sizeof fecp5 / sizeof *fecp5; i++)
        cr_assert_eq(exists(dir, fecp5[i]), ecp5, "%s: %s %s the v2 bundle", cfgname, fecp5[i],
                     ecp5 ? "missing from" : "in");

    /* pike_top's parameters are pk_v2_rtl_params' values for this config */
    pk_config_t *cfg = NULL;
    pk_error_t err = {0};
    cr_assert_eq(pk_config_load(cfgpath, &cfg, &err), 0, "%s", err.msg);
    pk_v2_rtl_param_t p[PK_V2_RTL_MAX_PARAMS];
    int n = pk_v2_rtl_params(cfg, p, PK_V2_RTL_MAX_PARAMS);
    cr_assert(n > 0 && n <= PK_V2_RTL_MAX_PARAMS);
    char top[1200];
    snprintf(top, sizeof top, "%s/rtl/pike_top.v", dir);
    size_t len;
    char *text = gt_read(top, &len);
    cr_assert(text);
    cr_assert(strstr(text, "pk_core2 #("), "%s: pike_top does not instantiate pk_core2", cfgname);
    for (int i = 0; i < n; i++) {
        char want[200];
        param_decl(&p[i], want, sizeof want);
        cr_assert(strstr(text, want), "%s: pike_top.v lacks '%s'", cfgname, want);
        snprintf(want, sizeof want, ".%s(%s)", p[i].name, p[i].name);
        cr_assert(strstr(text, want), "%s: pike_top.v does not pass %s", cfgname, p[i].name);
    }
    free(text);
    if (board) {
        /* the board's core is pike_top itself (so it has every row at
         * pike_top's value); pike_board: pk_board2 with the rows the memory
         * shares with the core at the same values and the board word
         * pikehost --arch v2 checks */
        snprintf(top, sizeof top, "%s/rtl/pk_board2.v", dir);
        text = gt_read(top, &len);
        cr_assert(text);
        cr_assert(strstr(text, "pike_top #(") && !strstr(text, "pk_core2 #("),
                  "%s: pk_board2 does not build its core as pike_top", cfgname);
        free(text);
        snprintf(top, sizeof top, "%s/rtl/pike_board.v", dir);
        text = gt_read(top, &len);
        cr_assert(text);
        cr_assert(strstr(text, "pk_board2 #("), "%s: pike_board does not wrap pk_board2", cfgname);
        int shared = 0;
        for (int i = 0; i < n; i++) {
            char want[200];
            snprintf(want, sizeof want, "parameter %-14s =", p[i].name);
            if (!strstr(text, want))
                continue;
            shared++;
            param_decl(&p[i], want, sizeof want);
            cr_assert(strstr(text, want), "%s: pike_board.v lacks '%s'", cfgname, want);
            snprintf(want, sizeof want, ".%s(%s)", p[i].name, p[i].name);
            cr_assert(strstr(text, want), "%s: pike_board.v does not pass %s", cfgname, p[i].name);
        }
        cr_assert_eq(shared, 3, "%s: pike_board.v sets %d rows of pk_v2_rtl_params (PORT_BYTES, "
                     "MEM_LATENCY, ADDR_BITS expected)", cfgname, shared);
        char want[200];
        snprintf(want, sizeof want, "parameter BOARD_ID       = %u",
                 (unsigned)pk_v2_rtl_board_id(cfg));
        cr_assert(strstr(text, want), "%s: pike_board.v lacks '%s'", cfgname, want);
        cr_assert_eq(pk_v2_rtl_board_id(cfg) >> 24, 2);
        free(text);
    }
    if (ecp5) {
        /* the ULX3S flow runs on the v2 board: pike_ulx3s wraps pike_board,
         * synth_ecp5.ys reads the v2 RTL, the Makefile has every step
         * (docs/FPGA.md, "v2 core on ECP5": measured to a bitstream) */
        snprintf(top, sizeof top, "%s/pike_ulx3s.v", dir);
        text = gt_read(top, &len);
        cr_assert(text);
        cr_assert(strstr(text, "EHXPLLL") && strstr(text, "pike_board u_board ("),
                  "%s: pike_ulx3s.v does not wrap pike_board behind the PLL", cfgname);
        free(text);
        snprintf(top, sizeof top, "%s/synth_ecp5.ys", dir);
        text = gt_read(top, &len);
        cr_assert(text);
        const char *ys[] = {"read_verilog rtl/pk_core2.v", "read_verilog rtl/pk_board2.v",
                            "read_verilog pike_ulx3s.v", "-top pike_ulx3s"};
        for (size_t i = 0; i < sizeof ys / sizeof *ys; i++)
            cr_assert(strstr(text, ys[i]), "%s: synth_ecp5.ys lacks '%s'", cfgname, ys[i]);
        free(text);
        snprintf(top, sizeof top, "%s/Makefile", dir);
        text = gt_read(top, &len);
        cr_assert(text);
        const char *mk[] = {"\nsynth-ecp5: $(B)/pike_ulx3s.json\n",
                            "\npnr: $(B)/pike_ulx3s.config\n",
                            "\nbitstream: $(B)/pike_ulx3s.bit\n", "\nreport:\n\t@sh report.sh"};
        for (size_t i = 0; i < sizeof mk / sizeof *mk; i++)
            cr_assert(strstr(text, mk[i]), "%s: the Makefile lacks the rule '%s'", cfgname, mk[i]);
        free(text);
    }
    pk_config_free(cfg);

    /* lint, as the bundle's `make lint` (both tops when there is a board);
     * PIKE_GEN_V2_LINT=0 (the sanitizer suite: Verilator's run, not Pike's
     * C code, and the same bytes the normal suite lints) skips it */
    const char *lint = getenv("PIKE_GEN_V2_LINT");
    if (lint && strcmp(lint, "0") == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        cr_assert_eq(pk_test_sh(cmd, &o), 0);
        return;
    }
    snprintf(cmd, sizeof cmd,
             "cd '%s' && verilator --lint-only -Wall -f files.f --top-module pike_top%s", dir,
             board ? " && verilator --lint-only -Wall -f files.f --top-module pike_board" : "");
    int rc = pk_test_sh(cmd, &o);
    cr_assert_eq(rc, 0, "%s: verilator --lint-only -Wall of the v2 bundle (kept in %s):\n%s",
                 cfgname, dir, o);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    cr_assert_eq(pk_test_sh(cmd, &o), 0);
}

/* the two board families in one test (a third test in this binary is avoided:
 * see test_v2_func's note on Criterion under the sanitizer) */
Test(gen_v2, board_bundles_lint, .timeout = 900)
{
    check_v2_bundle("ice40.yaml");
    check_v2_bundle("ecp5.yaml");
}

Test(gen_v2, edge_bundle_lints, .timeout = 900)
{
    check_v2_bundle("edge.yaml");
}
