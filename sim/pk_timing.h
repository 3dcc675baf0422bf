/* pk_timing.h - the exact cycle model (docs/ARCHITECTURE_V1.md sections 6-8).
 *
 * For every hardware layer: the descriptor fetch, then the steps
 * (nt, mt, q) in order, each a LOAD job and a COMPUTE job, and one POST job
 * per tile, scheduled by the scoreboard of section 7.5 with the off-chip read
 * port of 7.1.  Request lists are counted in closed form per (k-step, row
 * segment), never per element, so a whole ResNet-18 takes milliseconds.
 * The counters are those of section 8 (sim/pk_counters.h); the numbers must
 * equal the RTL's to the cycle.
 */
#ifndef PK_TIMING_H
#define PK_TIMING_H

#include <stdint.h>

#include "pk_compile.h"
#include "pk_counters.h"

typedef struct pk_layer_timing {
    int64_t start;      /* cycle the layer's descriptor fetch starts */
    int64_t desc_end;   /* E_desc */
    int64_t comp_end;   /* end of the layer's last COMPUTE job */
    int64_t end;        /* E_post(last tile): the next layer starts here */
    int64_t steps;      /* LOAD/COMPUTE steps */
    int64_t tiles;      /* POST jobs */
    pk_counters_t cnt;  /* this layer's events; cnt.v[PK_CNT_CYCLES] = end - start */
} pk_layer_timing_t;

/* Timing of hardware layer i when its descriptor fetch starts at `start`. */
void pk_timing_layer(const pk_hwnet_t *hw, int i, int64_t start, pk_layer_timing_t *out);

/* One run of all layers from cycle 0 (the first cycle after CTRL.start).
 * per_layer (hw->n_layers entries) may be NULL; *total gets the counters of
 * the run (total->v[PK_CNT_CYCLES] = end of the last layer). */
void pk_timing_run(const pk_hwnet_t *hw, pk_layer_timing_t *per_layer, pk_counters_t *total);

#endif
