/* pk_report.h - pikesim's reports: text table, JSON (jansson), CSV, HTML.
 *
 * Formatting only; every number comes from pk_sim_result_t.  Output is
 * deterministic (no timestamps; JSON keys in insertion order, fixed).
 * JSON, one network:  {"network", "config", "seed", "views", "timing_only",
 *   "totals": {macs, ace, acev2, cycles, stall_cycles, busy_cycles,
 *              utilization, counters{...}, energy_pj{mac, elementwise,
 *              elementwise_by_kind{...}, sram, dram, static, total},
 *              acev2_predicted_energy_pj, ROOF},
 *   "layers": [{name, op, hw, macs, w_bits, a_bits, ace, acev2, cycles,
 *               stall_cycles, utilization, float_ops, counters{...},
 *               energy_pj{mac, elementwise, sram, dram, static, total}, ROOF}],
 *   "outputs": {view_sha256[], multiview_top1} (absent with timing_only)}
 * ROOF (docs/SIM.md "Roofline"; all views): roofline_cycles,
 *   roofline_fraction (roofline_cycles / cycles), dram_rd_bytes, dram_wr_bytes,
 *   compulsory_bytes, roofline{ops, peak_ops_per_cycle (layers of one
 *   hardware layer only), compute_cycles, memory_cycles, weight_bytes,
 *   param_bytes, input_bytes, residual_bytes, output_bytes}.
 * Several networks: {"config", "networks": [the objects above],
 *   "correlation": {pearson/spearman of ace and acev2 vs energy}}.
 */
#ifndef PK_REPORT_H
#define PK_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "pk_sim.h"

void pk_report_text(FILE *f, const pk_sim_result_t *r);
void pk_report_cross_text(FILE *f, pk_sim_result_t *const *r, int n);
json_t *pk_report_json(pk_sim_result_t *const *r, int n);
void pk_report_csv(FILE *f, pk_sim_result_t *const *r, int n);

/* One self-contained HTML page (sim/pk_report_html.c; pk_html.h, pk_svg.h):
 * the config, ACE / ACEv2 against simulated energy (across the n networks,
 * or per layer for one), and per network its summary and per-layer charts
 * (cycles vs roofline bound, utilization and fraction reached, DRAM vs
 * compulsory bytes, energy by class).  Sections have ids "config",
 * "metrics", "net-0" .. "net-<n-1>".  0, or -1 on a write error or when out
 * of memory. */
int pk_report_html(FILE *f, pk_sim_result_t *const *r, int n);

#endif
