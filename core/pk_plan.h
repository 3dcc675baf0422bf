/* pk_plan.h - the v2 mapper, measured before it is built
 * (docs/ARCHITECTURE.md, the draft; v1 stays docs/ARCHITECTURE_V1.md).
 *
 * pk_plan_make() takes a compiled network (pk_hwnet_t: layer shapes, widths,
 * mode, VP) and its config, and for every hardware layer
 *   - chooses the v2 mapping: the x-fold of a few-channel first layer, the
 *     k-steps per tile, the global-pool mode, the input ring (rows it holds),
 *     the weight blocks and the loop order (section V2-5 of the draft);
 *   - walks the layer's DMA program and steps with the draft's timing rules
 *     (section V2-7): read port, COMPUTE, POST (PPU overlapped with writes);
 *   - counts the DRAM request stream (bytes, requests, re-fetch).
 * The roofline bound the plan is judged against is sim/pk_roofline's (the
 * definition of docs/SIM.md), not computed here.
 * It is an analytical model of the draft: the reference the future v2 cycle
 * model (sim/) and RTL must reproduce.  It changes nothing in v1.
 *
 * Ownership: pk_plan_make() allocates *out (free with pk_plan_free); the plan
 * copies what it needs and keeps no pointer into hw or cfg.
 * Errors: a layer the draft cannot map on this config (its input band does
 * not fit the activation buffer, even in the channel groups of a DW or pool
 * layer, V2-5 item 2) is PK_EINPUT "CONFIG: layer NAME: ...".
 */
#ifndef PK_PLAN_H
#define PK_PLAN_H

#include <stdint.h>

#include "pk_compile.h"
#include "pk_error.h"

/* Loop orders (V2-5): PK_ORDER_WS, _IS, _WB, _KC, _NS, the codes of v2
 * descriptor field ORDER, each row's meaning in core/pk_contract.def
 * PK_ORDERS (the one place the codes are written; pk_contract.vh gives them
 * to the RTL as `PK_ORDER_<NAME>). */
#define PK_PLAN_ENUM_ORDER(N, v, m) PK_ORDER_##N = v,
typedef enum pk_plan_order { PK_ORDERS(PK_PLAN_ENUM_ORDER) } pk_plan_order_t;

typedef struct pk_plan_opts {
    int64_t max_burst;   /* bytes; the DMA splits a contiguous run at this size (>= PB) */
    int64_t ppu_lanes;   /* 0: the config's postproc.lanes; else a what-if PPU width */
    int prefix;          /* WB with a resident prefix (V2-5 item 3): 0 the rule (kept where the
                          * layer ends earlier; the default, built: V2-11.4 item 12), 1 wherever
                          * P >= 1 exists, -1 never */
    int gslice;          /* global pool, channel-slice fetch (V2-4.4): 0 the rule (slices of one
                          * size and whole beats: what pk_core2 builds, V2-11.4 item 13), 1
                          * wherever it applies (a shorter last slice too), -1 never */
    int cgslice;         /* channel groups' strided group fetch (V2-5 item 2): 0 the rule (WB's,
                          * else NS's, blocks of one size, in_c a multiple of nb * Cd, of whole
                          * beats, Jw a multiple of R: what pk_ld2 builds, V2-11.4 item 14; the
                          * default), 1 every group layer whose block slice is whole bytes (WB's
                          * blocks when they exist), -1 never (every block re-streams rows) */
    int nspass;          /* a flat WB layer as NS with passes (V2-5 item 3: blocks of both weight
                          * halves, each a pass over the input): 0 the rule (kept where the layer
                          * ends earlier; the default), 1 wherever it exists, -1 never */
} pk_plan_opts_t;

/* Default options: max_burst 256, ppu_lanes 0, prefix 0, gslice 0, cgslice 0, nspass 0. */
void pk_plan_opts_default(pk_plan_opts_t *o);

/* V2-7.4, V2-11.4 item 2: rows the accumulator read port returns per read
 * for a tile of ncols columns on PL lanes: floor(PL / cw) with cw =
 * pow2_ceil(ncols) when cw <= PL, else 1. */
int64_t pk_v2_ppu_rows_per_read(int64_t ncols, int64_t PL);

/* V2-7.4: PPU cycles of a tile of nrows x ncols outputs on PL lanes:
 * ceil(nrows / pk_v2_ppu_rows_per_read) reads of ceil(ncols / PL) column
 * groups each. */
int64_t pk_v2_ppu_cycles(int64_t nrows, int64_t ncols, int64_t PL);

/* V2-7.4: PPU cycles of a global pool's pass of nchunks chunks of ct
 * channels at out_bits: as pk_v2_ppu_cycles when ct * out_bits is a whole
 * number of bytes, else one chunk per read. */
int64_t pk_v2_ppu_pool_cycles(int64_t nchunks, int64_t ct, int64_t out_bits, int64_t PL);

/* V2-7.3, V2-11.4 item 1: the tail cycles after a tile's last k-step in
 * which COMPUTE hands POST the tile's records and operand-B words:
 * max(rec_words, B words of channels [c0, c0 + nc) at r_bits) where the B
 * words are word_bytes each and counted only when has_b. */
int64_t pk_v2_tail_cycles(int64_t rec_words, int has_b, int64_t c0, int64_t nc, int64_t r_bits,
                          int64_t word_bytes);

/* One hardware layer's plan and its predicted numbers. */
typedef struct pk_plan_layer {
    pk_plan_order_t order;
    int global_pool;         /* rows over input pixels, PPU row-sum (V2-4.4) */
    int fx;                  /* x-fold: input pixels per stored word (1: none) */
    int flat;                /* flat ring layout (1x1, stride 1, no pad; V2-3.1) */
    int64_t ct, nt, mt;      /* channel tile, n-tiles, pixel tiles */
    int64_t ks;              /* k-steps per tile */
    int64_t kc;              /* k-steps per chunk (= ks unless KC) */
    int64_t ring_rows;       /* input rows the ring holds (A stream) */
    int64_t span_rows;       /* most input rows one pixel tile reads */
    int64_t nb;              /* n-tiles per weight block */
    int64_t nblocks;         /* weight blocks */
    int64_t pre;             /* WB with a resident prefix: input rows kept for the layer (0: none) */
    int gsl;                 /* global pool, channel-slice fetch (V2-4.4): pass t fetches its
                              * channels of each pixel, the ring holds jw = Js words a pixel */
    int64_t gs_bytes, gs_ps; /* gsl: bytes of a full pass's slice of a pixel; pixel stride PS_in */
    int cgs;                 /* channel groups, strided group fetch (V2-5 item 2): block b fetches
                              * only its slice of each pixel (in_w runs a row, in_refetch 0) */
    int64_t cs_bytes;        /* cgs: bytes of a full block's slice of a pixel, nb * Cd * a_bits / 8
                              * (the pixel stride is gs_ps) */
    int64_t steps, tiles;

    /* the plan fields of the v2 descriptor (V2-9, words 16-31), as the
     * compiler (core/pk_compile_v2) writes them */
    int64_t jw;              /* stored words per pixel (or folded pixel group) */
    int64_t kwf, sf;         /* kw' = ceil(kw / fx), s' = stride / fx */
    int64_t gx, wbw;         /* windowed ring: Gx, WB (bank words per stored row); else 0 */
    int64_t ring_b;          /* operand-B rows the ring holds (cap_b; 0 without B) */
    int64_t row_bytes;       /* one input row in DRAM */
    int64_t b_row_bytes;     /* one operand-B row in DRAM (0 without B) */
    int64_t w_unit_bytes;    /* dense weight bytes of a full n-tile (records follow) */
    int64_t rec;             /* compact parameter record bytes (0: none) */
    int64_t nw;              /* n-tiles per output staging group (V2-3.3) */

    /* DRAM stream (the descriptor counts in its own layer) */
    int64_t rd_bytes, wr_bytes, rd_reqs, wr_reqs;
    int64_t in_refetch;      /* input bytes read beyond the first time */
    int64_t w_refetch;       /* weight bytes read beyond the first time */

    /* timing (draft V2-7) */
    int64_t start, end, cycles;
    int64_t busy;            /* COMPUTE cycles (k-steps issued) */
} pk_plan_layer_t;

typedef struct pk_plan_totals {
    int64_t cycles, rd_bytes, wr_bytes, rd_reqs, wr_reqs, busy;
} pk_plan_totals_t;

typedef struct pk_plan pk_plan_t;

/* Plan every layer of hw on hw->cfg.  opts NULL: defaults. */
int pk_plan_make(const pk_hwnet_t *hw, const pk_plan_opts_t *opts, pk_plan_t **out,
                 pk_error_t *err);

void pk_plan_free(pk_plan_t *p);

int pk_plan_n_layers(const pk_plan_t *p);

/* Layer i (0 <= i < n_layers); the pointer lives as long as p. */
const pk_plan_layer_t *pk_plan_layer(const pk_plan_t *p, int i);

const pk_plan_totals_t *pk_plan_totals(const pk_plan_t *p);

const char *pk_plan_order_name(pk_plan_order_t o);

#endif
