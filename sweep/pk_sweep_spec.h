/* pk_sweep_spec.h - a design-space sweep: what to vary, what to run, what to
 * minimize (docs/SWEEP.md, "The spec").
 *
 *   base: ../../hw_configs/edge.yaml        # a hardware config (docs/CONFIG.md)
 *   networks: [../../networks/resnet18_w4a4.yaml, ...]
 *   axes:                                   # any config key by dotted path
 *     array.rows: [4, 8, 16]                # a list of values (scalars or lists)
 *     array.cols: {from: 8, to: 32, mul: 2} # a range: step: S (add) or mul: M
 *   constraints: ["array.rows * array.cols <= 512"]   # pk_expr.h
 *   objectives: [latency_us, energy_uj, area_cells]   # minimized, pairwise fronts
 *   synth: pareto                           # none | pareto | all | [3, 7]: points
 *                                           # Yosys synthesizes (pk_sweep_synth.h)
 *
 * Paths are relative to the spec file.  The points are the Cartesian product
 * of the axes in the order written, the LAST axis varying fastest; point i is
 * the i-th of that product (constraints do not renumber points).
 *
 * Errors: "FILE:LINE: FIELD: message", PK_EINPUT; the base config is loaded
 * and validated here (its errors name the base file).
 *
 * Ownership: pk_sweep_spec_load() allocates *out (pk_sweep_spec_free()); the
 * strings returned by the accessors live as long as the spec.
 */
#ifndef PK_SWEEP_SPEC_H
#define PK_SWEEP_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "pk_error.h"

/* At most this many points (product of the axes' lengths) per spec. */
#define PK_SWEEP_MAX_POINTS 10000000
#define PK_SWEEP_MAX_AXES 32
#define PK_SWEEP_MAX_NETS 64

typedef struct pk_sweep_spec pk_sweep_spec_t;

int pk_sweep_spec_load(const char *path, pk_sweep_spec_t **out, pk_error_t *err);
void pk_sweep_spec_free(pk_sweep_spec_t *s);

const char *pk_sweep_spec_path(const pk_sweep_spec_t *s);
const char *pk_sweep_spec_base(const pk_sweep_spec_t *s);     /* resolved path */

int pk_sweep_spec_n_networks(const pk_sweep_spec_t *s);
const char *pk_sweep_spec_network(const pk_sweep_spec_t *s, int i); /* resolved path */

int pk_sweep_spec_n_objectives(const pk_sweep_spec_t *s);
const char *pk_sweep_spec_objective(const pk_sweep_spec_t *s, int i);

int pk_sweep_spec_n_axes(const pk_sweep_spec_t *s);
const char *pk_sweep_spec_axis(const pk_sweep_spec_t *s, int i);  /* dotted key */

/* Number of points (product of the axis lengths; 1 without axes). */
int64_t pk_sweep_spec_n_points(const pk_sweep_spec_t *s);

/* Which points are synthesized with Yosys (spec key synth, or --synth). */
typedef enum pk_sweep_synth_mode {
    PK_SWEEP_SYNTH_NONE = 0,   /* default */
    PK_SWEEP_SYNTH_PARETO = 1, /* the points of the Pareto fronts on estimated area */
    PK_SWEEP_SYNTH_ALL = 2,    /* every valid point */
    PK_SWEEP_SYNTH_LIST = 3    /* the listed point numbers */
} pk_sweep_synth_mode_t;

int pk_sweep_spec_synth_mode(const pk_sweep_spec_t *s);
/* PK_SWEEP_SYNTH_LIST: the point numbers, ascending, without duplicates. */
int pk_sweep_spec_synth_count(const pk_sweep_spec_t *s);
int64_t pk_sweep_spec_synth_point(const pk_sweep_spec_t *s, int i);
/* Replace the spec's synth choice with text ("none", "pareto", "all" or
 * point numbers "3,7,12"), e.g. from --synth.  0, or -1 with why. */
int pk_sweep_spec_set_synth(pk_sweep_spec_t *s, const char *text, char *why, size_t len);

/* The microarchitecture the sweep evaluates (pikesweep --arch): 2 (v2,
 * docs/ARCHITECTURE.md: the default, as every Pike tool's) or 1 (v1).  It
 * reaches pikesim's model (pk_sim_opts_t.arch), the cache keys, the area
 * model's coefficient set, the synthesized bundle (pikegen --arch) and the
 * outputs' arch column / field. */
int pk_sweep_spec_arch(const pk_sweep_spec_t *s);
const char *pk_sweep_spec_arch_name(const pk_sweep_spec_t *s); /* "v1" or "v2" */
/* Set it: 1 or 2 (pk_arch_parse's value). */
void pk_sweep_spec_set_arch(pk_sweep_spec_t *s, int arch);

/* The YAML text of axis a's value at point p (e.g. "16", "[2, 4]"). */
const char *pk_sweep_spec_point_value(const pk_sweep_spec_t *s, int64_t p, int a);

/* "array.rows=8 array.cols=16" (axes in order), into buf. */
void pk_sweep_spec_point_label(const pk_sweep_spec_t *s, int64_t p, char *buf, size_t len);

/* Check the constraints at point p.  Returns 1 if all hold, 0 if one fails
 * (why: "constraints[i] 'text' is false"), -1 if one cannot be evaluated
 * (why: "constraints[i]: key: not an integer" ...). */
int pk_sweep_spec_point_ok(const pk_sweep_spec_t *s, int64_t p, char *why, size_t len);

/* The hardware config of point p as YAML text: the base config with the
 * axes' keys replaced or added.  *yaml is malloc'd (caller frees).
 * Returns 0 or PK_ENOMEM. */
int pk_sweep_spec_point_yaml(const pk_sweep_spec_t *s, int64_t p, char **yaml);

#endif
