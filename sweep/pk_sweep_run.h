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

typedef struct pk_sweep_point {
    int64_t index;           /* in the spec's Cartesian product */
    pk_config_t *cfg;        /* NULL if skipped */
    char *skip_reason;       /* non-NULL if skipped (constraint or invalid config) */
    char (*keys)[65];        /* per network: cache key */
    pk_sweep_row_t *rows;    /* per network: results (after pk_sweep_collect) */
} pk_sweep_point_t;

typedef struct pk_sweep {
    const pk_sweep_spec_t *spec;
    char *dir;               /* output directory (cache under it) */
    int n_nets;
    pk_net_t **nets;
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
 * is done.  progress: draw a progress bar on stderr.  0 or PK_E*. */
int pk_sweep_compute(const pk_sweep_t *sw, const int64_t *items, int64_t count, int jobs,
                     int progress, pk_error_t *err);

/* Fill every valid point's rows from the cache; a missing record is an error
 * (PK_EIO naming the point and network). */
int pk_sweep_collect(pk_sweep_t *sw, pk_error_t *err);

#endif
