/* pk_genflow.h - internal interface between the FPGA flow writers of the
 * bundle: pk_genflow.c (file list, generic and Xilinx scripts, iCE40, the
 * Makefile) and pk_genecp5.c (the ECP5 / ULX3S target).
 *
 * Ownership: pk_flow_start() returns a new emitter (NULL after filling
 * g->err); pk_flow_add() always frees it.  Makefile fragments are appended
 * to the caller's emitter. */
#ifndef PK_GENFLOW_H
#define PK_GENFLOW_H

#include "pk_gen_int.h"

pk_emit_t *pk_flow_start(pk_genctx_t *g, const char *file, const char *prefix, const char *what);
int pk_flow_add(pk_genctx_t *g, const char *path, pk_emit_t *e);
/* read_verilog of every rtl/ file; with defer, -defer: each module is
 * elaborated only by hierarchy, with the parameters it is used with (not
 * also once at its defaults when read) */
void pk_flow_read(const pk_genctx_t *g, pk_emit_t *e, int defer);
/* One Makefile rule: "target: deps" and one tab-indented line per command
 * (cmds is NULL-terminated). */
void pk_flow_rule(pk_emit_t *e, const char *target, const char *deps, const char *const *cmds);

/* A tool step of the Makefile: the phony target names the file out, which
 * is made from deps by announcing (say, an @echo) and running cmd. */
void pk_flow_tool_rule(pk_emit_t *e, const char *target, const char *out, const char *deps,
                       const char *say, const char *cmd);
/* A Yosys step: target -> out by `$(YOSYS) -q -s script`, logged to
 * $(B)/<script without .ys>.log and announced with that path; depends on
 * the RTL, the script and extra_deps ("" or more files). */
void pk_flow_yosys_rule(pk_emit_t *e, const char *target, const char *out, const char *script,
                        const char *extra_deps);

/* A progress line of a Yosys script: "pike: SCRIPT [i/n] WHAT" on stderr
 * (what must not hold ';', Yosys's command separator). */
void pk_flow_step(pk_emit_t *e, const char *script, int i, int n, const char *what);

/* A board pin: a port takes the pin of the first rule one of its
 * '_'-separated words matches (words space separated). */
typedef struct pk_pin_rule {
    const char *words;
    const char *pin, *label;
} pk_pin_rule_t;
/* Index of the rule for port in rules[0..n), or -1. */
int pk_flow_pin_rule(const pk_pin_rule_t *rules, size_t n, const char *port);
/* The rule of board port p (of g->board, the board top's interface) in *r:
 * a one-bit port whose rule no earlier port took (*used: a bit per rule
 * taken, updated).  Else PK_EINPUT, the error naming the board top's
 * template and the port, `board` (where the pins are: "the ULX3S") and
 * `mapper` (the source file holding rules). */
int pk_flow_board_pin(pk_genctx_t *g, const pk_pin_rule_t *rules, size_t n, const pk_vport_t *p,
                      unsigned *used, const char *board, const char *mapper, int *r);

/* pk_dot's DSP_PAIRS for this config on a device with dsps hardware
 * multipliers (MULT18X18D, DSP48), the rule of both DSP families
 * (ARCHITECTURE_V1.md 10.1): a packed pair takes one multiplier; with pairs,
 * the PE's other modes have their own multipliers, of which the 8-bit
 * products (9 x 9 signed) go to hardware multipliers in both flows too;
 * ppu_fixed + ppu_per_lane x postproc.lanes multipliers are kept for the
 * rest of the core.  Every PE gets all its mode-4 pairs (lanes x L / 8)
 * when the spare multipliers cover them, else as many as each PE can have,
 * else 0 (the bit-plane PE, no multiplier).  why (may be NULL) receives
 * one line saying what was chosen and why. */
int pk_flow_dsp_pairs(const pk_genctx_t *g, long dsps, int ppu_fixed, int ppu_per_lane,
                      const char *dsp_name, char *why, size_t why_len);

/* ECP5 (ULX3S): the board top pike_ulx3s.v with its PLL, the LPF and
 * synth_ecp5.ys.  0 or an error code (g->err filled). */
int pk_flow_ecp5_files(pk_genctx_t *g);
/* ECP5: the synth-ecp5 / pnr / bitstream rules of the Makefile (its tool
 * variables and report rule are gen_makefile's). */
void pk_flow_ecp5_make(const pk_genctx_t *g, pk_emit_t *e);

#endif
