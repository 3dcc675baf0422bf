/* pk_v2.h - the v2 cycle model (docs/ARCHITECTURE.md, the draft, V2-6 and
 * V2-7); v1 (sim/pk_timing) stays pikesim's default until the RTL switch.
 *
 * pk_v2_timing_run() executes a v2 memory image's descriptors (core/
 * pk_compile_v2: words 0-15 the v1 fields, 16-31 the plan fields) as the
 * RTL will: for each layer the descriptor fetch, then the loop nest of its
 * order (WS, IS, WB, NS, KC, global pool) driven by loop counters, the
 * window generators' pixel-tile rows (advanced by R mod out_w / R div
 * out_w), the loader's fetch program (units in order of first use; ring
 * slots = row fetch sequence mod cap, freed by the last step that read the
 * slot's row; weight halves), the read port of ARCHITECTURE_V1.md 7.1 one
 * request at a time (bursts of max_burst, LAT, PB-byte beats), COMPUTE (one
 * k-step per cycle), and POST (PPU, staging groups, writer).  Nothing is
 * taken from core/pk_plan at run time: its closed-form cycles are what the
 * model is tested against (tests/test_v2_timing.c).
 *
 * Counters: pk_counters_t (v1's struct) with V2-9's 14 counters in their v1
 * slots (abuf_rd / abuf_wr, the ring's words, in PBUF_RD / PBUF_WR);
 * PARBUF_* and RESBUF_* are 0 (no such buffers); QN/RES/RQ/ACT_OPS are the
 * layer's out_elems when the unit is enabled (derived, as V2-9 says).
 * MACS and POOL_OPS count valid products per layer in closed form (taps
 * inside the image), as v1.
 */
#ifndef PK_V2_H
#define PK_V2_H

#include <stdint.h>

#include "pk_compile.h"
#include "pk_counters.h"
#include "pk_error.h"
#include "pk_plan.h"
#include "pk_timing.h"

/* Trace of the model's events: the oracle the RTL engines' unit tests
 * compare with (ARCHITECTURE.md V2-11).  Cycles as V2-7 and V2-11.3:
 *   REQ    a read request: cycle = its issue I, end = D after it (the cycle
 *          after its last beat); unit, addr, len
 *   STEP   a COMPUTE step: cycle = S_comp, end = E_comp (k-steps and tail);
 *          nk, tail, bank (accumulator bank)
 *   TILE   POST's tile event: cycle = tile_valid (E_comp + V2_ARRAY_LAT - 1),
 *          ps = P_S, end = P_E; bank, p0, nr, c0, nc, open, close, last
 *   GROUP  a staging group's writes: cycle = its first beat, end = W_E;
 *          beats, runs (requests)
 *   LAYER  cycle = the layer's start S_L, ps = its lay_start (the
 *          controller's parameter load done, V2-7.5), end = its end
 * `layer` is the descriptor index.  Addresses: descriptor i at
 * PK_DESC2_BYTES * i
 * (cmd_base 0, as the v2 image), A row y at addr_in + y * row_bytes, B row
 * at addr_res + y * b_row_bytes, an n-tile's weights at addr_w + the bytes
 * of the n-tiles before it (KC: plus the chunk's offset), the per-tensor
 * record at addr_param. */
typedef enum pk_v2_ev_kind {
    PK_V2_EV_REQ,
    PK_V2_EV_STEP,
    PK_V2_EV_TILE,
    PK_V2_EV_GROUP,
    PK_V2_EV_LAYER
} pk_v2_ev_kind_t;

typedef enum pk_v2_unit { PK_V2_U_DESC, PK_V2_U_REC, PK_V2_U_W, PK_V2_U_A, PK_V2_U_B } pk_v2_unit_t;

typedef struct pk_v2_event {
    pk_v2_ev_kind_t kind;
    int layer;
    int64_t cycle, end, ps;
    pk_v2_unit_t unit; /* REQ */
    uint64_t addr;
    int64_t len;
    int64_t nk, tail, bank;                /* STEP (bank also TILE) */
    int64_t p0, nr, c0, nc;                /* TILE */
    int open, close, last;
    int64_t beats, runs;                   /* GROUP */
} pk_v2_event_t;

/* fn(ctx, e) is called for every event in model order (not sorted by cycle). */
typedef struct pk_v2_trace {
    void (*fn)(void *ctx, const pk_v2_event_t *e);
    void *ctx;
} pk_v2_trace_t;

/* n_layers descriptors of PK_DESC2_BYTES (desc[i * PK_DESC2_BYTES]) on cfg;
 * opts: max_burst and the PPU lanes (NULL: pk_plan_opts_default).
 * per_layer (n_layers entries) may be NULL; *total as pk_timing_run.
 * Returns 0, or PK_ENOMEM (err filled). */
/* 1 when counter i (PK_CNT_*) is one of V2-9's 14 that pk_core2 counts
 * (what pikecheck --arch v2 and pikehost --arch v2 compare, modulo
 * 2^CNT_BITS); the others are derived by the model or 0. */
int pk_v2_counter_kept(int i);

int pk_v2_timing_run(const pk_config_t *cfg, const pk_plan_opts_t *opts, int n_layers,
                     const uint8_t *desc, pk_layer_timing_t *per_layer, pk_counters_t *total,
                     pk_error_t *err);

/* pk_v2_timing_run with a trace (tr may be NULL). */
int pk_v2_timing_trace(const pk_config_t *cfg, const pk_plan_opts_t *opts, int n_layers,
                       const uint8_t *desc, const pk_v2_trace_t *tr,
                       pk_layer_timing_t *per_layer, pk_counters_t *total, pk_error_t *err);

#endif
