/* pk_sweep_synth.h - real Yosys synthesis of selected sweep points
 * (docs/SWEEP.md, "Synthesis").
 *
 * The spec's synth key (or --synth) selects points: the Pareto fronts on
 * estimated area (pareto), every valid point (all) or a list.  For each one
 * pikegen's bundle is generated in memory (pk_gen_bundle), written to a
 * private scratch directory and the Yosys script of the config's FPGA family
 * run on it (synth_generic.ys, synth_ice40.ys, synth_ecp5.ys or
 * synth_xilinx.ys: the project's own flows); the cell count of the netlist
 * (the last "Number of cells" of the flow's stat, i.e. the whole hierarchy)
 * is the result.  Results are cached like simulations: DIR/cache/KK/KEY with
 * KEY the SHA-256 of the record version, Pike's version, `yosys -V`, the
 * flow and every file of the bundle (path and bytes): the RTL's content, not
 * the config's spelling, addresses it.
 *
 * Ownership: lists returned are malloc'd (caller frees).
 */
#ifndef PK_SWEEP_SYNTH_H
#define PK_SWEEP_SYNTH_H

#include <stdint.h>

#include "pk_error.h"
#include "pk_sweep_run.h"
#include "pk_sweep_util.h"

#define PK_SWEEP_SYNTH_VERSION "pikesweep-synth-1"

/* After pk_sweep_collect: the points to synthesize, ascending (each gets
 * synth_sel = 1).  pareto: the union of the fronts (sums over the networks)
 * of every objective pair with area_cells, or of every pair if area_cells is
 * not an objective.  0 or PK_ENOMEM. */
int pk_sweep_synth_select(pk_sweep_t *sw, int64_t **points, int64_t *n, pk_error_t *err);

/* Cache keys of the points (generates each bundle; runs `yosys -V` once:
 * YOSYS in the environment names the binary, default "yosys"). */
int pk_sweep_synth_keys(pk_sweep_t *sw, const int64_t *points, int64_t n, pk_error_t *err);

/* The points of the list whose record is not cached, into *missing; of
 * points with one key (the same RTL) only the first: one synthesis serves all. */
int pk_sweep_synth_missing(const pk_sweep_t *sw, const int64_t *points, int64_t n,
                           int64_t **missing, int64_t *n_missing, pk_error_t *err);

/* Synthesize point p and store its record.  Yosys failing with an exit
 * status is a result (the record's error); Yosys killed by a signal or not
 * startable is a failure (PK_EIO, nothing cached: a rerun retries). */
int pk_sweep_synth_point(const pk_sweep_t *sw, int64_t p, pk_error_t *err);

/* Read the records of the points into pts[].synth; a missing one is an
 * error (PK_EIO naming the point). */
int pk_sweep_synth_collect(pk_sweep_t *sw, const int64_t *points, int64_t n, pk_error_t *err);

/* (estimate - Yosys) / Yosys x 100 for a point synthesized with the generic
 * flow (the estimate's unit); NAN otherwise. */
double pk_sweep_synth_error_pct(const pk_sweep_t *sw, int64_t p);

/* Over the synthesized generic points: count, median and max |error| (%). */
void pk_sweep_synth_stats(const pk_sweep_t *sw, int *n, double *median, double *max);

/* One line per objective pair with area_cells: whether the synthesized
 * areas keep or reorder the front (sums over the networks) chosen on
 * estimated area, and which front points they would push off it. */
void pk_sweep_synth_reorder(const pk_sweep_t *sw, pk_sw_buf_t *out);

#endif
