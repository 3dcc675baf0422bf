/* pk_roofline.h - the roofline bound of a hardware layer (docs/SIM.md, "Roofline").
 *
 * A lower bound on the cycles any schedule of the layer needs on this
 * config: the larger of its compute time at the peak rate of the layer's
 * mode and the time to move its compulsory bytes once over the off-chip
 * port.  It is a property of the network and the config, not of the
 * compiler's schedule or memory layout, so "simulated / bound" says how far
 * a schedule is from the hardware's limit.
 *
 *   ops      CONV: out_h*out_w*out_c * K (K = kh*kw*in_c; fc: in_h*in_w*in_c)
 *            DW, POOLMAX, POOLSUM: out_h*out_w*out_c * kh*kw
 *            EW: out_h*out_w*out_c
 *            (every tap counts, padding included, as in the network's MACs)
 *   peak     mode m = max(w_bits, a_bits) (CONV, DW) or a_bits (POOL, EW),
 *            VP = V * L / m;  CONV: R * C * VP;  others: R * min(C, VP)
 *   bytes    weights packed densely, ceil(n_weights * w_bits / 8)
 *            + parameter records, 32 bytes each (out_c, or 1 when per-tensor),
 *              when the layer uses them
 *            + input tensor + residual operand tensor (as stored: h * w *
 *              ceil(c * bits / 8)) + output h * w * ceil(out_c * out_bits / 8)
 *   bound    max(ceil(ops / peak), ceil(bytes / bytes_per_cycle))
 *
 * Values are plain structs (no ownership); sums over layers and views are
 * taken field by field, so a network's bound is the sum of its layers'.
 */
#ifndef PK_ROOFLINE_H
#define PK_ROOFLINE_H

#include <stdint.h>

#include "pk_compile.h"

typedef struct pk_roofline {
    int64_t ops;             /* MACs (CONV, DW), pool terms, EW elements */
    int64_t peak;            /* ops per cycle at the layer's mode (0 in sums) */
    int64_t weight_bytes;
    int64_t param_bytes;
    int64_t input_bytes;
    int64_t residual_bytes;
    int64_t output_bytes;
    int64_t compulsory_bytes; /* the five above */
    int64_t compute_cycles;  /* ceil(ops / peak) */
    int64_t memory_cycles;   /* ceil(compulsory_bytes / bytes_per_cycle) */
    int64_t cycles;          /* the bound: max(compute_cycles, memory_cycles) */
} pk_roofline_t;

/* Bound of hardware layer i of hw (one run). */
void pk_roofline_layer(const pk_hwnet_t *hw, int i, pk_roofline_t *out);

/* a += b field by field (peak: kept only while a and b agree, else 0). */
void pk_roofline_add(pk_roofline_t *a, const pk_roofline_t *b);

/* Every count times k (k runs of the same work, e.g. views). */
void pk_roofline_scale(pk_roofline_t *a, int64_t k);

/* 1 when the memory term decides the bound, 0 when compute does. */
int pk_roofline_memory_bound(const pk_roofline_t *r);

#endif
