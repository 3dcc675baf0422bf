/* pk_area.h - a fast area estimate of the RTL pikegen generates for a config.
 *
 * A linear model over a few structural features (PE multipliers, PE
 * registers, post-processing lanes, ...; pk_area_features()) whose
 * coefficients are fitted by least squares to Yosys results of pikegen's own
 * output, one coefficient set per architecture (benches/area_gather.sh
 * --arch A -> benches/area/data.csv (v1), data_v2.csv (v2); pikesweep-areafit
 * --arch A -> pk_area_coef_v1.h, pk_area_coef_v2.h, committed): v1's fit is
 * never used for v2's RTL.  The unit is Yosys generic
 * cells (gates + flip-flops, buffers kept as memory cells), the flow of
 * benches/hw/synth_generic_bram.ys.in; on-chip buffer bits are counted
 * exactly and reported separately (pk_area_ram_bits).  Fit error on held-out
 * configs: docs/SWEEP.md, "Area model".
 */
#ifndef PK_AREA_H
#define PK_AREA_H

#include <stdint.h>

#include "pk_config.h"

#define PK_AREA_NFEAT 5

/* What the model looks at (a config, or a row of the fit data). */
typedef struct pk_area_in {
    int rows, cols, lanes;
    unsigned wmask, amask;   /* bit i: width 2^i supported */
    int acc_bits;            /* precision.acc_bits */
    int pplanes;             /* postproc.lanes */
    int prelu;               /* 1 if any of prelu, dprelu, rprelu is enabled */
    int arch;                /* 1: v1 RTL (pk_core), 2: v2 RTL (pk_core2) */
} pk_area_in_t;

void pk_area_in_from_config(const pk_config_t *cfg, int arch, pk_area_in_t *in);

/* The features (pk_area.c says why each):
 *   f0 1 (control, DMA, registers, counters: independent of the array)
 *   f1 R*C * sum over modes m of (V*L/m) * (m+1)^2   multiplier cells per PE
 *   f2 R*C * (V*L * number of modes + acc_bits)       adder trees, mode muxes,
 *                                                     accumulator per PE
 *   f3 postproc.lanes                                 QuantNorm + requant lanes
 *   f4 postproc.lanes if PReLU-class activations      their multipliers */
void pk_area_features(const pk_area_in_t *in, double f[PK_AREA_NFEAT]);

/* Estimated generic cells with the committed coefficients of in->arch. */
double pk_area_estimate(const pk_area_in_t *in);

/* On-chip buffer bits: both halves of the weight and activation buffers. */
int64_t pk_area_ram_bits(const pk_config_t *cfg);

#endif
