/* pk_genmeta.c - the bundle files that describe the hardware rather than
 * build it: pk_regmap.h (register map + derived constants for host code),
 * README.md and manifest.json.
 *
 * Design: pk_regmap.h prints the contract rows (core/pk_contract.def, through
 * pk_gencontract.c) and the parameter table, nothing else; README.md is a {{NAME}} template (an unknown
 * placeholder is an error); manifest.json is built with jansson and dumped
 * with sorted keys, after every other file exists, so it can hash them all.
 */
#include "pk_contract_text.h"
#include "pk_gen_int.h"
#include "pk_contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int pk_gen_regmap_header(pk_genctx_t *g)
{
    pk_emit_t *e = pk_emit_new();
    if (!e)
        return pk_error_set(g->err, PK_ENOMEM, "", 0, "pk_regmap.h", "out of memory");
    pk_gen_header(g, e, "// ", "pk_regmap.h",
                  "host register map (docs/ARCHITECTURE_V1.md sections 8, 9), the rest of the "
                  "RTL/model contract, and the derived constants of this config");
    pk_emit_blank(e);
    pk_emit_line(e, "#ifndef PK_REGMAP_H");
    pk_emit_line(e, "#define PK_REGMAP_H");
    pk_emit_blank(e);
    pk_contract_defs(e, 0);
    pk_emit_blank(e);
    pk_emit_line(e, "#define %-28s 0x%08Xu  // VERSION of this generator", "PK_VERSION_VALUE",
                 pk_gen_version_word());
    pk_emit_blank(e);
    pk_emit_line(e, "// RTL parameters of config \"%s\" (pike_top).", g->cfg->name);
    for (size_t i = 0; i < g->nparams; i++) {
        char name[64];
        snprintf(name, sizeof name, "PK_CFG_%s", g->params[i].name);
        pk_emit_line(e, "#define %-24s %lld  // %s", name, (long long)g->params[i].value,
                     g->params[i].what);
    }
    const pk_derived_t *d = &g->cfg->d;
    pk_emit_line(e, "#define %-24s %d", "PK_CFG_WORD_BYTES", d->word_bytes);
    pk_emit_line(e, "#define %-24s %lld", "PK_CFG_KC_MAX", (long long)d->kc_max);
    pk_emit_line(e, "#define %-24s %d", "PK_CFG_PARAM_BYTES", d->param_bytes);
    pk_emit_line(e, "#define %-24s %d", "PK_CFG_DESC_BYTES", d->desc_bytes);
    pk_emit_blank(e);
    pk_emit_line(e, "#endif");
    int rc = pk_gen_add(g, "pk_regmap.h", e);
    pk_emit_free(e);
    return rc;
}

static const char readme_tmpl[] =
    "{{HEADER}}"
    "\n"
    "# Pike bundle: {{NAME}}\n"
    "\n"
    "A {{ROWS}} x {{COLS}} array of {{LANES}}-lane PEs (lane width {{SLOT_BITS}} bits), weights "
    "{{WBITS}} bits, activations {{ABITS}} bits, {{ACC}}-bit accumulators, at {{MHZ}} MHz; FPGA "
    "family `{{FAMILY}}`{{DEVICE}}.\n"
    "{{ARCH}}"
    "\n"
    "## Contents\n"
    "| file | what |\n"
    "|---|---|\n"
    "| `rtl/*.v` | Verilog-2005, one module per file; `pike_top` is the top{{BOARD_TOP}} |\n"
    "| `files.f` | the RTL file list (`verilator -f`, `iverilog -c`) |\n"
    "| `pk_regmap.h` | host register map, counter indices, descriptor and record layout, this "
    "config's constants (C) |\n"
    "| `rtl/pk_contract.vh` | the same contract for the RTL (`include`d by the modules) |\n"
    "{{PAR2}}"
    "| `pike_top.sdc` | clock constraint ({{MHZ}} MHz) |\n"
    "{{FAMILY_FILES}}"
    "| `synth_generic.ys` | Yosys: generic synthesis of `pike_top` (memories kept as memory cells), "
    "no latches, `check -assert` (`make synth-generic`) |\n"
    "| `synth_check.ys` | Yosys, fast: the same checks after elaboration and processes only |\n"
    "| `Makefile` | the open flow (below) |\n"
    "| `manifest.json` | generator version, config echo, derived parameters, SHA-256 of every "
    "other file |\n"
    "\n"
    "## Flow\n"
    "```\n"
    "make lint          # verilator --lint-only -Wall\n"
    "make sim-compile   # iverilog -g2005\n"
    "make synth-check   # Yosys elaboration: no latches, check -assert (fast)\n"
    "make synth         # Yosys{{SYNTH_NOTE}}\n"
    "{{FLOW_EXTRA}}"
    "make report        # prints one 'pike-report:' line (after synth / pnr)\n"
    "```\n"
    "Outputs go to `build/`. Nothing here depends on where the bundle lives.\n"
    "\n"
    "## Host interface\n"
    "Registers and counters: `pk_regmap.h` (docs/ARCHITECTURE_V1.md sections 8 and 9 of Pike). "
    "`ID` reads `{{ID}}`; `VERSION` reads `{{VERSION}}`.\n";

static void width_list(const int *w, int n, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%d", i ? "/" : "", w[i]);
}

int pk_gen_readme(pk_genctx_t *g)
{
    const pk_config_t *c = g->cfg;
    int ice40 = c->fpga.family == PK_FPGA_ICE40, xil = c->fpga.family == PK_FPGA_XILINX;
    int ecp5 = c->fpga.family == PK_FPGA_ECP5;
    char rows[16], cols[16], lanes[16], slot[16], wb[32], ab[32], acc[16], mhz[32], dev[160],
        ver[32], id[32];
    snprintf(rows, sizeof rows, "%d", c->array.rows);
    snprintf(cols, sizeof cols, "%d", c->array.cols);
    snprintf(lanes, sizeof lanes, "%d", c->array.lanes);
    snprintf(slot, sizeof slot, "%d", c->d.slot_bits);
    width_list(c->precision.weight_bits, c->precision.weight_bits_count, wb, sizeof wb);
    width_list(c->precision.act_bits, c->precision.act_bits_count, ab, sizeof ab);
    snprintf(acc, sizeof acc, "%d", c->precision.acc_bits);
    snprintf(mhz, sizeof mhz, "%g", c->clock_mhz);
    snprintf(dev, sizeof dev, "%s%s%s%s%s", c->fpga.device[0] ? ", device `" : "",
             c->fpga.device, c->fpga.package[0] ? "` package `" : "", c->fpga.package,
             c->fpga.device[0] ? "`" : "");
    snprintf(ver, sizeof ver, "0x%08X", pk_gen_version_word());
    snprintf(id, sizeof id, "0x%08X", (unsigned)PK_ID_VALUE);

    pk_emit_t *hdr = pk_emit_new(), *e = pk_emit_new();
    if (!hdr || !e) {
        pk_emit_free(hdr);
        pk_emit_free(e);
        return pk_error_set(g->err, PK_ENOMEM, "", 0, "README.md", "out of memory");
    }
    pk_emit_line(hdr, "<!--");
    pk_gen_header(g, hdr, "", "README.md", "what this bundle holds and how to run its flow");
    pk_emit_line(hdr, "-->");
    const char *family_files =
        ice40 ? "| `pike_board.pcf` | pins of the board top (iCEBreaker-style UP5K sg48; UART on the "
                "FTDI's second channel) |\n"
                "| `synth_ice40.ys` | Yosys: `synth_ice40 -dsp -top pike_board` (SB_MAC16 multipliers) |\n"
        : ecp5 ? "| `pike_ulx3s.v` | ULX3S board top: PLL (25 MHz -> core clock), reset, `pike_board` |\n"
                 "| `pike_ulx3s.lpf` | ULX3S pins (clk_25mhz, FIRE1, led[0], SPI on header J1, UART on "
                 "the USB serial port) |\n"
                 "| `synth_ecp5.ys` | Yosys: `synth_ecp5 -top pike_ulx3s` (DP16KD, MULT18X18D) |\n"
                 "| `report.sh` | `make report`: LUT/FF/DSP/EBR use and Fmax from nextpnr's log |\n"
        : xil ? "| `pike_top.xdc` | clock; pin placeholders (commented) |\n"
                "| `synth_xilinx.ys` | Yosys: `synth_xilinx -top pike_top` |\n"
                "| `report.sh` | `make report`: LUT/FF/DSP/BRAM use against the part's capacity |\n"
                "| `vivado.tcl` | Vivado non-project flow, out of context (`make vivado`) |\n"
              : "";
    const char *flow_extra =
        ice40 ? "make pnr           # nextpnr-ice40 (Fmax is reported, timing failure allowed)\n"
                "make bitstream     # icepack -> build/pike_board.bin\n"
        : ecp5 ? "make pnr           # nextpnr-ecp5 (Fmax is reported, timing failure allowed)\n"
                 "make bitstream     # ecppack -> build/pike_ulx3s.bit\n"
        : xil ? "make vivado        # Vivado batch: synth, opt, place, route, reports\n"
              : "";
    const pk_tvar_t vars[] = {
        {"NAME", c->name},
        {"HEADER", pk_emit_data(hdr, NULL)},
        {"ROWS", rows},
        {"COLS", cols},
        {"LANES", lanes},
        {"SLOT_BITS", slot},
        {"WBITS", wb},
        {"ABITS", ab},
        {"ACC", acc},
        {"MHZ", mhz},
        {"FAMILY", pk_fpga_family_name(g->src_cfg->fpga.family)},
        {"DEVICE", dev},
        {"BOARD_TOP", ice40 || ecp5 ? ", `pike_board` the pin-limited board top for place and route"
                                    : ""},
        {"FAMILY_FILES", family_files},
        {"SYNTH_NOTE", ice40  ? ": synth-check, then synth_ice40"
                       : ecp5 ? ": synth-check, then synth_ecp5"
                       : xil  ? ": synth-check, then synth_xilinx (make report: fit against the part)"
                              : ": synth-check, then generic synthesis"},
        {"FLOW_EXTRA", flow_extra},
        {"PAR2", g->arch == 2 ? "| `rtl/pk_par2.v` | the v2 engines' parameter registers, "
                                "generated from the contract's `PK_PAR2_FIELDS` rows |\n"
                              : ""},
        {"ARCH", g->arch == 2
                     ? "\nArchitecture v2 (`pikegen --arch v2`): `pike_top` wraps `pk_core2` "
                       "(docs/ARCHITECTURE.md V2-11) with the parameters of "
                       "`pk_v2_rtl_params` (core/pk_v2_rtl.c); on iCE40 and ECP5 the board top "
                       "`pike_board` wraps `pk_board2` (`pike_top` in the board of "
                       "`pk_board_spi`, docs/ARCHITECTURE.md V2-11.7).\n"
                     : ""},
        {"VERSION", ver},
        {"ID", id},
    };
    int rc = pk_emit_failed(hdr) ? pk_error_set(g->err, PK_ENOMEM, "", 0, "README.md", "out of memory")
                                 : pk_emit_template(e, readme_tmpl, vars, sizeof vars / sizeof vars[0],
                                                    "gen/pk_genmeta.c:readme_tmpl", g->err);
    if (!rc)
        rc = pk_gen_add(g, "README.md", e);
    pk_emit_free(hdr);
    pk_emit_free(e);
    return rc;
}

int pk_gen_manifest(pk_genctx_t *g)
{
    json_t *cj = NULL;
    int rc = pk_config_to_json(g->src_cfg, &cj);
    if (rc)
        return pk_error_set(g->err, rc, "", 0, "manifest.json", "cannot echo the config");
    json_t *root = json_object(), *files = json_object(), *params = json_object();
    if (!root || !files || !params) {
        rc = pk_error_set(g->err, PK_ENOMEM, "", 0, "manifest.json", "out of memory");
        goto done;
    }
    for (size_t i = 0; i < pk_bundle_count(g->b); i++) {
        const pk_bundle_file_t *f = pk_bundle_file(g->b, i);
        char hex[65];
        if (pk_sha256_hex(f->data, f->len, hex)) {
            rc = pk_error_set(g->err, PK_EINTERNAL, "", 0, f->path, "SHA-256 failed");
            goto done;
        }
        json_object_set_new(files, f->path, json_string(hex));
    }
    for (size_t i = 0; i < g->ntop; i++) /* pike_top's */
        json_object_set_new(params, g->top_params[i].name, json_integer(g->top_params[i].value));
    json_object_set_new(root, "generator",
                        json_pack("{s:s, s:s}", "name", "pikegen", "version", pk_gen_version()));
    json_object_set_new(root, "config_file", json_string(g->cfg_file));
    json_object_set_new(root, "config_sha256", json_string(g->cfg_sha));
    json_object_set(root, "config", json_object_get(cj, "config"));
    json_object_set(root, "derived", json_object_get(cj, "derived"));
    json_object_set(root, "rtl_parameters", params);
    json_object_set_new(root, "top", json_string(g->top));
    json_object_set_new(root, "arch", json_string(g->arch == 2 ? "v2" : "v1"));
    json_object_set_new(root, "board_top", g->has_board ? json_string("pike_board") : json_null());
    json_object_set(root, "files", files);
    json_t *contract = pk_gen_contract_json();
    if (!contract) {
        rc = pk_error_set(g->err, PK_ENOMEM, "", 0, "manifest.json", "out of memory");
        goto done;
    }
    json_object_set_new(root, "contract", contract);
    char *text = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    if (!text) {
        rc = pk_error_set(g->err, PK_ENOMEM, "", 0, "manifest.json", "out of memory");
        goto done;
    }
    size_t n = strlen(text);
    char *data = malloc(n + 2);
    if (!data) {
        free(text);
        rc = pk_error_set(g->err, PK_ENOMEM, "", 0, "manifest.json", "out of memory");
        goto done;
    }
    memcpy(data, text, n);
    data[n] = '\n';
    data[n + 1] = '\0';
    free(text);
    rc = pk_bundle_add(g->b, "manifest.json", data, n + 1, g->err);
done:
    json_decref(files);
    json_decref(params);
    json_decref(root);
    json_decref(cj);
    return rc;
}
