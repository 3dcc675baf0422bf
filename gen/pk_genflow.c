/* pk_genflow.c - the FPGA flow files of the bundle: files.f, constraints
 * (SDC; XDC for Xilinx; PCF for iCE40), Yosys scripts, the Vivado
 * non-project script and the Makefile that runs the open flow.
 *
 * Design: every path in these files is relative to the bundle directory, so
 * a bundle can be moved or archived; the Makefile is the one entry point
 * (make lint / sim-compile / synth-check / synth / pnr / bitstream / report), and its
 * report target prints one machine-readable "pike-report:" line.
 */
#include "pk_gen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add(pk_genctx_t *g, const char *path, pk_emit_t *e)
{
    int rc = pk_gen_add(g, path, e);
    pk_emit_free(e);
    return rc;
}

static pk_emit_t *start(pk_genctx_t *g, const char *file, const char *prefix, const char *what)
{
    pk_emit_t *e = pk_emit_new();
    if (!e) {
        pk_error_set(g->err, PK_ENOMEM, "", 0, file, "out of memory");
        return NULL;
    }
    pk_gen_header(g, e, prefix, file, what);
    pk_emit_blank(e);
    return e;
}

/* The clock input of a module: "clk" or the first port containing "clk". */
static const char *clock_port(const pk_vmodule_t *m)
{
    for (size_t i = 0; i < m->nports; i++)
        if (!strcmp(m->ports[i].name, "clk"))
            return "clk";
    for (size_t i = 0; i < m->nports; i++)
        if (strstr(m->ports[i].name, "clk") && !strcmp(m->ports[i].dir, "input"))
            return m->ports[i].name;
    return "clk";
}

static int gen_files_f(pk_genctx_t *g)
{
    pk_emit_t *e = start(g, "files.f", "// ", "RTL file list (verilator -f, iverilog -c)");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "+incdir+rtl"); /* rtl/pk_contract.vh, `included by the modules */
    for (size_t i = 0; i < g->nrtl; i++)
        pk_emit_line(e, "rtl/%s", g->rtl[i]);
    return add(g, "files.f", e);
}

static void emit_read(pk_genctx_t *g, pk_emit_t *e)
{
    for (size_t i = 0; i < g->nrtl; i++)
        pk_emit_line(e, "read_verilog rtl/%s", g->rtl[i]);
}

/* Latches fail the script: generic cells before and after techmapping. */
#define NO_LATCHES "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_*"

static int gen_yosys(pk_genctx_t *g)
{
    pk_emit_t *e = start(g, "synth_generic.ys", "# ",
                         "generic Yosys synthesis of pike_top: structural checks, no latches");
    if (!e)
        return PK_ENOMEM;
    emit_read(g, e);
    pk_emit_line(e, "synth -top %s", g->top);
    pk_emit_line(e, "%s", NO_LATCHES);
    pk_emit_line(e, "check -assert");
    pk_emit_line(e, "tee -q -o build/synth_generic_stat.txt stat");
    int rc = add(g, "synth_generic.ys", e);
    if (rc)
        return rc;

    /* The same checks on the coarse netlist (elaboration, processes and
     * latch inference, word-level optimisation; no techmapping or ABC):
     * an order of magnitude faster, so tests can afford it for many
     * configs. */
    e = start(g, "synth_check.ys", "# ",
              "fast structural check of pike_top: coarse synthesis, no latches, check -assert");
    if (!e)
        return PK_ENOMEM;
    emit_read(g, e);
    pk_emit_line(e, "synth -top %s -run begin:fine", g->top);
    pk_emit_line(e, "%s", NO_LATCHES);
    pk_emit_line(e, "check -assert");
    pk_emit_line(e, "tee -q -o build/synth_check_stat.txt stat");
    rc = add(g, "synth_check.ys", e);
    if (rc)
        return rc;

    if (g->cfg->fpga.family == PK_FPGA_ICE40) {
        e = start(g, "synth_ice40.ys", "# ", "Yosys synthesis of the board top for iCE40");
        if (!e)
            return PK_ENOMEM;
        emit_read(g, e);
        pk_emit_line(e, "synth_ice40 -dsp -top pike_board -json build/pike_board.json");
        pk_emit_line(e, "tee -q -o build/synth_ice40_stat.txt stat");
        return add(g, "synth_ice40.ys", e);
    }
    if (g->cfg->fpga.family == PK_FPGA_XILINX) {
        /* Yosys names the families xc7, xcu (UltraScale), xcup (UltraScale+). */
        const char *dev = g->cfg->fpga.device, *fam = "xc7";
        if (!strncmp(dev, "xc6s", 4))
            fam = "xc6s";
        else if (!strncmp(dev, "xcvu", 4) || !strncmp(dev, "xcku", 4) || !strncmp(dev, "xczu", 4))
            fam = strchr(dev + 4, 'p') ? "xcup" : "xcu";
        e = start(g, "synth_xilinx.ys", "# ", "Yosys synthesis of pike_top for Xilinx");
        if (!e)
            return PK_ENOMEM;
        emit_read(g, e);
        pk_emit_line(e, "synth_xilinx -family %s -top %s", fam, g->top);
        pk_emit_line(e, "tee -q -o build/synth_xilinx_stat.txt stat");
        return add(g, "synth_xilinx.ys", e);
    }
    return 0;
}

static int gen_sdc(pk_genctx_t *g)
{
    pk_emit_t *e = start(g, "pike_top.sdc", "# ", "timing constraints (SDC)");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "create_clock -name clk -period %.3f [get_ports %s]",
                 1000.0 / g->cfg->clock_mhz, clock_port(&g->core));
    return add(g, "pike_top.sdc", e);
}

static int gen_xdc(pk_genctx_t *g)
{
    pk_emit_t *e = start(g, "pike_top.xdc", "# ", "Xilinx constraints (clock; pins to fill in)");
    if (!e)
        return PK_ENOMEM;
    const char *clk = clock_port(&g->core);
    pk_emit_line(e, "create_clock -name clk -period %.3f [get_ports %s]",
                 1000.0 / g->cfg->clock_mhz, clk);
    pk_emit_blank(e);
    pk_emit_line(e, "# Pin placement: vivado.tcl runs out of context, so none is needed there.");
    pk_emit_line(e, "# For an in-context build, give every port a pin of %s:", g->cfg->fpga.device);
    for (size_t i = 0; i < g->core.nports; i++) {
        const pk_vport_t *p = &g->core.ports[i];
        pk_emit_line(e, "# set_property -dict {PACKAGE_PIN <pin> IOSTANDARD LVCMOS33} "
                        "[get_ports {%s%s}]",
                     p->name, p->range[0] ? "[*]" : "");
    }
    return add(g, "pike_top.xdc", e);
}

/* iCEBreaker-style board (UP5K, sg48): the pins a board wrapper may use.
 * A port takes the pin of the first rule one of its '_'-separated words
 * matches. */
static const struct {
    const char *words; /* space separated */
    const char *pin, *label;
} ice40_pins[] = {
    {"clk clock", "35", "12 MHz oscillator"},
    {"sck sclk", "4", "PMOD1A pin 1"},
    {"cs csn cs_n ss ssn", "2", "PMOD1A pin 2"},
    {"mosi sdi copi", "47", "PMOD1A pin 3"},
    {"miso sdo cipo", "45", "PMOD1A pin 4"},
    {"led done irq", "11", "LEDR_N (red LED, active low: lit until done)"},
    {"rst reset", "3", "PMOD1A pin 7 (reset from the host, active high)"},
};

static int word_match(const char *words, const char *w, size_t n)
{
    for (const char *p = words; *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && !strncmp(p, w, n))
            return 1;
        p += len;
        while (*p == ' ')
            p++;
    }
    return 0;
}

static int pin_rule(const char *port)
{
    for (size_t r = 0; r < sizeof ice40_pins / sizeof ice40_pins[0]; r++)
        for (const char *p = port; *p;) {
            size_t len = strcspn(p, "_");
            if (word_match(ice40_pins[r].words, p, len))
                return (int)r;
            p += len;
            while (*p == '_')
                p++;
        }
    return -1;
}

static int gen_pcf(pk_genctx_t *g)
{
    pk_emit_t *e = start(g, "pike_board.pcf", "# ",
                         "iCE40 pins of pike_board (iCEBreaker-style UP5K sg48 board)");
    if (!e)
        return PK_ENOMEM;
    unsigned used = 0;
    for (size_t i = 0; i < g->board.nports; i++) {
        const pk_vport_t *p = &g->board.ports[i];
        int r = pin_rule(p->name);
        if (p->range[0] || r < 0 || (used & (1u << r))) {
            pk_emit_free(e);
            return pk_error_set(g->err, PK_EINPUT, "", 0, "pk_board_spi",
                                "port '%s%s' has no pin on the board (gen/pk_genflow.c maps "
                                "one-bit ports named clk, sck, cs, mosi, miso, led, rst, one "
                                "each)",
                                p->name, p->range);
        }
        used |= 1u << r;
        pk_emit_line(e, "set_io %-10s %-3s # %s", p->name, ice40_pins[r].pin,
                     ice40_pins[r].label);
    }
    return add(g, "pike_board.pcf", e);
}

static int gen_vivado(pk_genctx_t *g)
{
    pk_emit_t *e = start(g, "vivado.tcl", "# ",
                         "Vivado non-project flow, out of context: vivado -mode batch -source "
                         "vivado.tcl");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "set part %s", g->cfg->fpga.device);
    pk_emit_line(e, "set top %s", g->top);
    pk_emit_line(e, "file mkdir build/vivado");
    for (size_t i = 0; i < g->nrtl; i++)
        pk_emit_line(e, "read_verilog rtl/%s", g->rtl[i]);
    pk_emit_line(e, "read_xdc pike_top.xdc");
    pk_emit_line(e, "synth_design -top $top -part $part -mode out_of_context -include_dirs rtl");
    pk_emit_line(e, "opt_design");
    pk_emit_line(e, "place_design");
    pk_emit_line(e, "route_design");
    pk_emit_line(e, "report_utilization -file build/vivado/utilization.rpt");
    pk_emit_line(e, "report_timing_summary -file build/vivado/timing.rpt");
    pk_emit_line(e, "write_checkpoint -force build/vivado/routed.dcp");
    return add(g, "vivado.tcl", e);
}

static void rule(pk_emit_t *e, const char *target, const char *deps, const char *const *cmds)
{
    pk_emit_line(e, "%s:%s%s", target, deps[0] ? " " : "", deps);
    for (; *cmds; cmds++)
        pk_emit_line(e, "\t%s", *cmds);
    pk_emit_blank(e);
}

static int gen_makefile(pk_genctx_t *g)
{
    const pk_config_t *c = g->cfg;
    int ice40 = c->fpga.family == PK_FPGA_ICE40, xil = c->fpga.family == PK_FPGA_XILINX;
    pk_emit_t *e = start(g, "Makefile", "# ",
                         "the open flow: make lint | sim-compile | synth | report"
                         " (iCE40: pnr, bitstream)");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "VERILATOR ?= verilator");
    pk_emit_line(e, "IVERILOG  ?= iverilog");
    pk_emit_line(e, "YOSYS     ?= yosys");
    if (ice40) {
        pk_emit_line(e, "NEXTPNR   ?= nextpnr-ice40");
        pk_emit_line(e, "ICEPACK   ?= icepack");
        pk_emit_line(e, "SEED      ?= 1");
    }
    if (xil)
        pk_emit_line(e, "VIVADO    ?= vivado");
    pk_emit_line(e, "B := build");
    pk_emit_line(e, "RTL := \\");
    pk_emit_indent(e, 1);
    for (size_t i = 0; i < g->nrtl; i++)
        pk_emit_line(e, "rtl/%s%s", g->rtl[i], i + 1 < g->nrtl ? " \\" : "");
    pk_emit_indent(e, -1);
    pk_emit_blank(e);
    pk_emit_line(e, ".PHONY: all lint sim-compile synth synth-check synth-generic report clean%s%s",
                 ice40 ? " synth-ice40 pnr bitstream" : "", xil ? " synth-xilinx vivado" : "");
    pk_emit_line(e, "all: lint sim-compile synth");
    pk_emit_blank(e);
    pk_emit_line(e, "$(B):");
    pk_emit_line(e, "\tmkdir -p $(B)");
    pk_emit_blank(e);
    const char *lint[] = {"$(VERILATOR) --lint-only -Wall -f files.f --top-module pike_top",
                          ice40 ? "$(VERILATOR) --lint-only -Wall -f files.f --top-module "
                                  "pike_board"
                                : NULL,
                          NULL};
    rule(e, "lint", "", lint);
    rule(e, "sim-compile", "$(B)/pike_top.vvp", (const char *[]){NULL});
    rule(e, "$(B)/pike_top.vvp", "$(RTL) | $(B)",
         (const char *[]){"$(IVERILOG) -g2005 -s pike_top -o $@ -c files.f", NULL});
    rule(e, "synth-check", "$(B)/synth_check_stat.txt", (const char *[]){NULL});
    rule(e, "$(B)/synth_check_stat.txt", "$(RTL) synth_check.ys | $(B)",
         (const char *[]){"$(YOSYS) -q -l $(B)/synth_check.log -s synth_check.ys", NULL});
    rule(e, "synth-generic", "$(B)/synth_generic_stat.txt", (const char *[]){NULL});
    rule(e, "$(B)/synth_generic_stat.txt", "$(RTL) synth_generic.ys | $(B)",
         (const char *[]){"$(YOSYS) -q -l $(B)/synth_generic.log -s synth_generic.ys", NULL});
    char freq[32];
    snprintf(freq, sizeof freq, "%g", c->clock_mhz);
    if (ice40) {
        rule(e, "synth", "synth-generic synth-ice40", (const char *[]){NULL});
        rule(e, "synth-ice40", "$(B)/pike_board.json", (const char *[]){NULL});
        rule(e, "$(B)/pike_board.json", "$(RTL) synth_ice40.ys | $(B)",
             (const char *[]){"$(YOSYS) -q -l $(B)/synth_ice40.log -s synth_ice40.ys", NULL});
        char pnr[512];
        snprintf(pnr, sizeof pnr,
                 "$(NEXTPNR) --%s --package %s --json $< --pcf pike_board.pcf --asc $@ "
                 "--freq %s --seed $(SEED) --timing-allow-fail -q -l $(B)/nextpnr.log",
                 c->fpga.device, c->fpga.package, freq);
        rule(e, "pnr", "$(B)/pike_board.asc", (const char *[]){NULL});
        rule(e, "$(B)/pike_board.asc", "$(B)/pike_board.json pike_board.pcf",
             (const char *[]){"@echo 'nextpnr seed: $(SEED)'", pnr, NULL});
        rule(e, "bitstream", "$(B)/pike_board.bin", (const char *[]){NULL});
        rule(e, "$(B)/pike_board.bin", "$(B)/pike_board.asc",
             (const char *[]){"$(ICEPACK) $< $@", NULL});
        /* The LAST "Max frequency" line is the post-route figure. */
        char rep[256];
        snprintf(rep, sizeof rep,
                 "echo \"pike-report: config=%s luts=$${luts:-?} lcs=$${lcs:-?} ebr=$${ram:-?} "
                 "dsp=$${dsp:-?} spram=$${spram:-?} fmax_mhz=$${fmax:-?} target_mhz=%s\"",
                 c->name, freq);
        /* No dependency: after a failed place and route the report still
         * shows the utilisation nextpnr logged ("?" for what is missing). */
        rule(e, "report", "",
             (const char *[]){
                 "@luts=$$(awk '$$1 == \"SB_LUT4\" {print $$2}' $(B)/synth_ice40_stat.txt | "
                 "tail -n 1); \\",
                 "use() { grep -E \"$$1: +[0-9]+/ *[0-9]+\" $(B)/nextpnr.log | tail -n 1 | "
                 "sed -E \"s/.*$$1: *([0-9]+)\\/ *([0-9]+).*/\\1\\/\\2/\"; }; \\",
                 "lcs=$$(use ICESTORM_LC); ram=$$(use ICESTORM_RAM); dsp=$$(use ICESTORM_DSP); "
                 "spram=$$(use ICESTORM_SPRAM); \\",
                 "fmax=$$(grep 'Max frequency for clock' $(B)/nextpnr.log | tail -n 1 | "
                 "sed -E 's/.*: *([0-9.]+) MHz.*/\\1/'); \\",
                 rep, NULL});
    } else {
        char rep[256];
        snprintf(rep, sizeof rep, "echo \"pike-report: config=%s generic_cells=$${cells:-?}\"",
                 c->name);
        rule(e, "synth", xil ? "synth-generic synth-xilinx" : "synth-generic",
             (const char *[]){NULL});
        if (xil) {
            rule(e, "synth-xilinx", "$(B)/synth_xilinx_stat.txt", (const char *[]){NULL});
            rule(e, "$(B)/synth_xilinx_stat.txt", "$(RTL) synth_xilinx.ys | $(B)",
                 (const char *[]){"$(YOSYS) -q -l $(B)/synth_xilinx.log -s synth_xilinx.ys",
                                  NULL});
            rule(e, "vivado", "| $(B)",
                 (const char *[]){"$(VIVADO) -mode batch -nojournal -log $(B)/vivado.log "
                                  "-source vivado.tcl",
                                  NULL});
        }
        rule(e, "report", "$(B)/synth_generic_stat.txt",
             (const char *[]){"@cells=$$(grep -E 'Number of cells:' "
                              "$(B)/synth_generic_stat.txt | tail -n 1 | awk '{print $$NF}'); \\",
                              rep, NULL});
    }
    rule(e, "clean", "", (const char *[]){"rm -rf $(B)", NULL});
    return add(g, "Makefile", e);
}

int pk_gen_flow(pk_genctx_t *g)
{
    int rc = gen_files_f(g);
    if (!rc)
        rc = gen_yosys(g);
    if (!rc)
        rc = gen_sdc(g);
    if (!rc && g->cfg->fpga.family == PK_FPGA_XILINX)
        rc = gen_xdc(g);
    if (!rc && g->cfg->fpga.family == PK_FPGA_XILINX)
        rc = gen_vivado(g);
    if (!rc && g->has_board)
        rc = gen_pcf(g);
    if (!rc)
        rc = gen_makefile(g);
    return rc;
}
