/* pk_sim.h - pikesim's driver: compile, time, run, cost one network.
 *
 * pk_sim_run() = pk_compile -> pk_timing_run (exact cycles and counters)
 * -> pk_func_run per view (bit-exact outputs; skipped with timing_only) ->
 * pk_energy and pk_roofline (the bound of docs/SIM.md) per hardware layer ->
 * pk_metrics (MACs, ACE, ACEv2) per network layer.  Results are reported per
 * NETWORK layer: an inserted input requantization layer (NAME.req) is
 * counted in the layer it feeds.
 *
 * Views (--views N): the hardware runs the network N times (one input per
 * view: the seeded base image, horizontally flipped for odd views and
 * shifted right, wrapping, by floor(v / 2) pixels).  Timing is independent of
 * the data, so counts are N x one run; outputs are computed for every view.
 */
#ifndef PK_SIM_H
#define PK_SIM_H

#include <stdint.h>

#include "pk_compile.h"
#include "pk_counters.h"
#include "pk_energy.h"
#include "pk_metrics.h"
#include "pk_roofline.h"
#include "pk_timing.h"

typedef struct pk_sim_opts {
    uint64_t seed;        /* input data seed (printed in every report) */
    int views;            /* >= 1 */
    int timing_only;      /* skip weights, parameters and outputs */
    const pk_metrics_const_t *acev2; /* NULL = defaults */
    int arch;             /* 0 or 1: v1 (ARCHITECTURE_V1.md, sim/pk_timing, sim/pk_func);
                             2: the v2 draft (ARCHITECTURE.md): cycles from sim/pk_v2,
                             outputs from sim/pk_v2func, both on the v2 memory image */
} pk_sim_opts_t;

typedef struct pk_sim_layer {
    const pk_layer_t *L;      /* the network layer */
    int hw_first, hw_count;   /* its hardware layers */
    pk_metrics_t met;
    pk_counters_t cnt;        /* summed over its hardware layers, all views */
    pk_energy_split_t energy; /* all views */
    double utilization;       /* macs / (busy... cycles * peak MACs per cycle) */
    int float_ops;            /* float norm/scale costed on the integer path */
    pk_roofline_t roof;       /* roofline bound, summed over its hardware layers, all views */
} pk_sim_layer_t;

typedef struct pk_sim_result {
    const pk_net_t *net;
    const pk_config_t *cfg;
    pk_hwnet_t *hw;
    pk_sim_opts_t opts;
    int n_layers;
    pk_sim_layer_t *layers;   /* per network layer */
    pk_layer_timing_t *hw_timing; /* per hardware layer, one run */
    pk_counters_t total;      /* all views */
    pk_energy_split_t energy; /* all views */
    pk_metrics_t met;         /* one view (the network's analytical cost) */
    double utilization;
    pk_roofline_t roof;       /* roofline bound of the run (all views) */
    int n_float_layers;
    /* outputs (absent with timing_only) */
    char (*view_sha256)[65];  /* views entries: SHA-256 of the last layer's codes */
    int mv_top1;              /* argmax of the summed decoded last-layer outputs */
    uint8_t *last_output;     /* view 0's last-layer codes (out_elems) */
    int64_t last_elems;
    /* v2 (opts.arch 2): the plan and the memory image the models ran */
    struct pk_plan *v2plan;
    struct pk_v2img *v2img;
    /* which of those hardware layers pk_core2 builds (pk_v2_rtl_supported),
     * so pikecheck --arch v2 checks them: the count, and the first it does
     * not (-1: none) with the reason */
    int v2_rtl_built, v2_rtl_first_refused;
    char v2_rtl_why[400];
    /* ACEv2 calibration (filled by pk_sim_calibrate) */
    double pred_alpha, pred_beta, pred_energy;
} pk_sim_result_t;

int pk_sim_run(const pk_net_t *net, const pk_config_t *cfg, const pk_sim_opts_t *o,
               pk_sim_result_t **out, pk_error_t *err);
void pk_sim_free(pk_sim_result_t *r);

/* The network input of view v (h*w*c codes), from seed.  Caller frees. */
uint8_t *pk_sim_view_input(const pk_net_t *net, uint64_t seed, int v);

/* Fit energy = alpha * ACEv2 + beta over the n results (least squares; n == 1
 * or all ACEv2 equal: beta = 0, alpha = energy / ACEv2) and store the
 * prediction in each result. */
void pk_sim_calibrate(pk_sim_result_t **r, int n);

/* Correlation over the n results of ACE and of ACEv2 (per view) with the
 * simulated energy per view: Pearson and Spearman; NAN when undefined (n < 2,
 * a variance 0) or out of memory. */
typedef struct pk_sim_corr {
    double ace_pearson, ace_spearman, acev2_pearson, acev2_spearman;
} pk_sim_corr_t;
void pk_sim_correlate(pk_sim_result_t *const *r, int n, pk_sim_corr_t *out);

/* Pearson and Spearman (average ranks for ties) correlation of x and y;
 * NAN when n < 2 or a variance is 0. */
double pk_pearson(const double *x, const double *y, int n);
double pk_spearman(const double *x, const double *y, int n);

#endif
