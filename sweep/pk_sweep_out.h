/* pk_sweep_out.h - a finished sweep's files: DIR/points.csv, points.json,
 * pareto.csv, skipped.csv, report.html (docs/SWEEP.md, "Outputs").
 *
 * Everything is written in point order, networks in spec order, objective
 * pairs in spec order, numbers with fixed formats, no dates, no absolute
 * paths: the same results give the same bytes whether they were computed in
 * one run, resumed, or gathered from a Slurm job array.  Each file is written
 * atomically.
 */
#ifndef PK_SWEEP_OUT_H
#define PK_SWEEP_OUT_H

#include <stdio.h>

#include "pk_error.h"
#include "pk_sweep_run.h"

/* Write the files (after pk_sweep_collect).  0 or PK_EIO / PK_ENOMEM. */
int pk_sweep_write(const pk_sweep_t *sw, pk_error_t *err);

/* Value of objective name at point p for network net (-1: summed over the
 * networks; area_cells is per point).  NAN if a network failed on p. */
double pk_sweep_objective(const pk_sweep_t *sw, int64_t p, int net, const char *name);

/* Indices of the points on the Pareto front of objectives (x, y), both
 * minimized, for network net (-1: sums over networks): non-dominated points
 * sorted by x ascending (ties by y, then index; of identical (x, y) the
 * lowest index).  *front is malloc'd.  0 or PK_ENOMEM. */
int pk_sweep_pareto(const pk_sweep_t *sw, int net, const char *x, const char *y,
                    int64_t **front, int64_t *n);

/* DIR/report.html's content (pk_sweep_html.c): a self-contained page with
 * the Pareto plots (SVG), per-network bars and the front points' configs.
 * 0, or -1 on a write or allocation failure. */
int pk_sweep_html(const pk_sweep_t *sw, FILE *f);

#endif
