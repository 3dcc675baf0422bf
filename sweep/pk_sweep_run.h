/* pk_sweep_run.h - run a sweep: enumerate and validate the points, compute
 * every (point, network) not yet in the cache (in worker processes), and
 * collect all results from the cache.
 *
 * The same three steps serve a local run (-j N workers forked here) and a
 * Slurm job array (each array task computes one contiguous chunk of the
 * work list into the shared cache; the final merge step collects).  Results
 * are read back from the cache in point order, never in completion order, so
 * the outputs do not depend on how the work was split or interrupted.
 *
 * Ownership: pk_sweep_prepare() allocates *out (pk_sweep_free()); it keeps
 * the spec (borrowed: the caller frees it after pk_sweep_free).
 */
#ifndef PK_SWEEP_RUN_H
#define PK_SWEEP_RUN_H

#include <stdint.h>

#include "pk_config.h"
#include "pk_error.h"
#include "pk_net.h"
#include "pk_sweep_eval.h"
#include "pk_sweep_spec.h"

/* A point's Yosys synthesis (pk_sweep_synth.h), when it was selected. */
typedef struct pk_sweep_synth {
    int done;                /* 1: the record below was read from the cache */
    char flow[16];           /* the config's FPGA family: generic, ice40, ecp5, xilinx */
    int64_t cells;           /* Yosys cells of the flow's netlist (whole hierarchy) */
    char error[240];         /* "" or why Yosys failed on this point */
} pk_sweep_synth_t;

typedef struct pk_sweep_point {
    int64_t index;           /* in the spec's Cartesian product */
    pk_config_t *cfg;        /* NULL if skipped */
    char *skip_reason;       /* non-NULL if skipped (constraint or invalid config) */
    char (*keys)[65];        /* per network: cache key */
    pk_sweep_row_t *rows;    /* per network: results (after pk_sweep_collect) */
    int synth_sel;           /* 1 when selected for synthesis (pk_sweep_synth_select) */
    char synth_key[65];      /* its cache key (pk_sweep_synth_keys) */
    pk_sweep_synth_t synth;  /* its result (pk_sweep_synth_collect) */
} pk_sweep_point_t;

typedef struct pk_sweep {
    const pk_sweep_spec_t *spec;
    char *dir;               /* output directory (cache under it) */
    int n_nets;
    pk_net_t **nets;         /* NULL for an ONNX model: imported per point */
    char **net_names;        /* network names (an ONNX model: its file name) */
    char (*net_sha)[65];
    int64_t n_points;
    pk_sweep_point_t *pts;   /* n_points entries, in index order */
    int64_t n_valid;
} pk_sweep_t;

/* Load the networks, enumerate and validate every point (constraints, then
 * pk_config_load on the point's YAML), compute its cache keys. */
int pk_sweep_prepare(const pk_sweep_spec_t *spec, const char *dir, pk_sweep_t **out,
                     pk_error_t *err);
void pk_sweep_free(pk_sweep_t *sw);

/* Work items (valid point, network) whose record is not in the cache, in
 * order (point-major).  *items gets n (point * n_nets + net) values. */
int pk_sweep_missing(const pk_sweep_t *sw, int64_t **items, int64_t *n, pk_error_t *err);

/* Compute items [first, first+count) of the list in jobs worker processes
 * (item k to worker k % jobs), each result stored in the cache as soon as it
 * is done.  progress: draw a progress bar on stderr.  0 or PK_E*.
 * An ONNX network is imported for the item's config (pk_onnx_net_load); an
 * import the config's widths cannot take is the item's error, not a failure. */
int pk_sweep_compute(const pk_sweep_t *sw, const int64_t *items, int64_t count, int jobs,
                     int progress, pk_error_t *err);

/* The same worker pool for synthesis: items are point numbers, each one
 * synthesized by pk_sweep_synth_point(). */
int pk_sweep_compute_synth(const pk_sweep_t *sw, const int64_t *points, int64_t count, int jobs,
                           int progress, pk_error_t *err);

/* Fill every valid point's rows from the cache; a missing record is an error
 * (PK_EIO naming the point and network). */
int pk_sweep_collect(pk_sweep_t *sw, pk_error_t *err);

#endif
