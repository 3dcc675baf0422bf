/* pk_plan.c - the v2 mapper and its analytical timing (ARCHITECTURE.md).
 *
 * Design: a layer is planned in two passes.  geom_make() derives the static
 * mapping (x-fold, k-steps, tiles, ring rows, weight units, loop order) from
 * the layer's shape and the buffer sizes, exactly by the rules of draft
 * section V2-5.  layer_plan() then walks the layer's steps in loop order and,
 * before each step, appends the fetch units the step uses for the first time
 * to the DMA program (weights of its n-tile or block, input rows, residual
 * rows): that is the draft's "units in order of first use", and it is why
 * a step's dependencies always point backwards - the unit that frees a ring
 * slot or a weight half was read by an earlier step, whose end is already
 * known.  Each engine is a few registers (V2-7):
 *   read port  next issue cycle and D of the last request; a contiguous run
 *              of n requests telescopes to D = max(D_prev + beats,
 *              I + LAT + beats) (v1's port, ARCHITECTURE_V1.md 7.1);
 *   ring       per slot, the cycle its occupant is no longer read;
 *   COMPUTE    the end of the previous step;
 *   POST       PPU end of the previous tile, write end of the last two
 *              staging groups.
 * So a layer costs O(steps * rows per tile): the whole v2plan process for
 * ResNet-50 on edge (loading, v1 model and plan) takes 0.10-0.16 s here.
 */
#include "pk_plan.h"
#include "pk_contract.h"
#include "pk_imath.h"

#include "pk_compile_v2.h" /* pk_v2_record_bytes: the compact record (V2-3.2) */
#include "pk_v2_consts.h"   /* pk_v2_desc_load_cycles: the layer boundary (V2-7.5) */

#include <stdlib.h>
#include <string.h>

#define NEG (INT64_MIN / 4) /* "-inf": no such event */
#define DESC_BYTES PK_DESC2_BYTES /* the v2 descriptor (V2-9, V2-11.6): 64 words */
#define STAGE_BYTES_PER_PE PK_STAGE_BYTES_PER_PE /* output staging per half (V2-3.3) */

struct pk_plan {
    int n;
    pk_plan_layer_t *layers;
    pk_plan_totals_t tot;
};

static int64_t pow2_ceil(int64_t x)
{
    /* the least power of two >= x (1 for x <= 1), by the bit length of x - 1
     * (x <= 2^62 here: channel and column counts) */
    return x <= 1 ? 1 : (int64_t)1 << (64 - __builtin_clzll((unsigned long long)(x - 1)));
}

void pk_plan_opts_default(pk_plan_opts_t *o)
{
    o->max_burst = PK_MAX_BURST_DEFAULT;
    o->ppu_lanes = 0;
    o->prefix = 0; /* the rule (V2-5 item 3): pk_core2 builds the order (V2-11.4 item 12);
                    * -1 plans none (v2plan --prefix -1) */
    o->gslice = 0; /* V2-4.4's channel-slice fetch: -1 none, 0 the rule (what pk_core2
                     * builds, V2-11.4 item 13), 1 wherever it applies (v2plan --gslice N) */
    o->nspass = 0; /* V2-5 item 3's NS with passes: 0 the rule (kept where the layer ends
                    * earlier), 1 wherever it exists, -1 never (v2plan --nspass N) */
    o->cgslice = 0; /* V2-5 item 2's strided group fetch: 0 the rule (blocks of one size, whole
                     * beats, Jw a multiple of R: what pk_ld2 builds, V2-11.4 item 14), 1 every
                     * group layer, -1 none: every block re-streams whole rows (v2plan
                     * --cgslice N) */
}

const char *pk_plan_order_name(pk_plan_order_t o)
{
    size_t n;
    const pk_order_row_t *r = pk_contract_orders(&n);
    for (size_t i = 0; i < n; i++)
        if (r[i].code == (int)o)
            return r[i].name;
    return "?";
}

/* ---- static mapping (draft V2-4, V2-5) -------------------------------- */

typedef struct geom {
    int64_t R, C, PL, PB, LAT, MB, wb, VP;
    int is_conv, is_dw, is_ew, has_b, has_w, global, flat; /* has_b: EW operand B */
    int64_t M, P;                /* output pixels; input pixels (global mode) */
    int64_t s, sw, fx, jw;       /* row and column stride, x-fold, stored words per pixel (group) */
    int64_t in_rows, row_bytes;  /* A stream: rows and bytes per row */
    int64_t b_rows, b_row_bytes; /* B stream (EW operand B): rows, bytes per row */
    int64_t b_px;                /* B pixels a row: out_w, a channel-wise multiply's 1 */
    int64_t ring_a, ring_b;      /* rows each ring holds */
    int64_t w_unit_words;        /* weight-buffer words per column of one n-tile */
    int64_t w_unit_bytes;        /* DRAM bytes of one full n-tile's weights (dense) */
    int64_t p_unit_bytes;        /* DRAM bytes of one full n-tile's records */
    int64_t half_words;          /* weight-buffer words per column per half */
    int64_t nw;                  /* n-tiles one output staging half gathers (V2-3.3) */
    int64_t gx;                  /* windowed ring: bank-word groups per stored row */
    int64_t rec;                 /* compact parameter record bytes (0: none) */
    int64_t rec_words;           /* weight-buffer words of a column's record (0: none) */
    int64_t wbw;                 /* windowed ring: bank words per stored row (WB) */
    int64_t cg_nb;               /* channel groups (V2-5 item 2): n-tiles a group, else 0 */
    int cg_ns;                   /* the groups' blocks fill both weight halves (NS) */
    int64_t pre, cs;             /* WB with a resident prefix (V2-5 item 3): rows kept, streaming rows */
    int no_pre;                  /* plan plain WB (the prefix's alternative) */
    int ns_pass;                 /* plan a flat WB layer as NS with passes (V2-5 item 3) */
    int gsl;                     /* global pool, channel-slice fetch (V2-4.4): jw = Js */
    int64_t gs_bytes, gs_ps;     /* gsl: a full pass's slice of a pixel, the pixel stride (bytes) */
    int cgs;                     /* channel groups, strided group fetch (V2-5 item 2) */
    int64_t cs_bytes;            /* cgs: a full block's slice of a pixel (bytes; stride gs_ps) */
    char *need;                  /* in_rows: 1 if some tap reads the row */
    int64_t need_rows;           /* rows with need[y] */
} geom_t;

/* x-fold of a CONV whose channels fill less than a word (V2-4.2): fx input
 * pixels of cp = pow2_ceil(in_c) slots share a word; fx divides the column stride so
 * that every window starts on a word.  Not in mode 1: XNOR counts a zeroed
 * or masked slot of a folded word as -1 or +1, and pk_dot has no per-slot
 * mask (V2-4.2), so a binary layer is planned unfolded.  Not with an input
 * zero point either: a folded word that straddles the image edge would need
 * zero-point sub-pixels from the loader (V2-6.3). */
static int64_t xfold(const pk_hwlayer_t *h, int64_t VP)
{
    if (h->kind != PK_HW_CONV || h->in_c >= VP || h->mode == 1 || h->in_zp)
        return 1;
    int64_t cp = pow2_ceil(h->in_c), fx = 1;
    while (fx * 2 * cp <= VP && h->stride_w % (fx * 2) == 0)
        fx *= 2;
    return fx;
}

/* Input rows [*y0, *y1] (stored, unpadded) that pixel tile mt reads (global
 * pool: a step reads one row, see run_global). */
static void tile_rows(const pk_hwlayer_t *h, const geom_t *g, int64_t mt, int64_t *y0,
                      int64_t *y1)
{
    if (g->global) {
        *y0 = *y1 = 0;
        return;
    }
    int64_t p0 = mt * g->R, p1 = pk_min2(g->M, p0 + g->R) - 1;
    int64_t oy0 = p0 / h->out_w, oy1 = p1 / h->out_w;
    *y0 = pk_max2(0, oy0 * g->s - h->pad);
    *y1 = pk_min2(h->in_h - 1, oy1 * g->s + h->kh - 1 - h->pad);
}

/* Bank words one stored row takes in each of the R banks (V2-3.1). */
static int64_t row_bank_words(const pk_hwlayer_t *h, geom_t *g)
{
    if (g->global)
        return 0; /* whole image, pixel-interleaved: see geom_rings */
    int64_t wst = pk_max2(h->pad_l + h->in_w, (int64_t)(h->out_w - 1) * h->stride_w + h->kw);
    int64_t wst_f = pk_cdiv(wst, g->fx), s_f = g->sw / g->fx;
    g->gx = pk_cdiv(wst_f, s_f * g->R);
    return g->gx * s_f * g->jw;
}

/* Rows of w pixels of jw words a flat (or global) ring of R banks of da
 * words holds: its pixel capacity floor(da * R / jw), rounded down to a
 * multiple of R so that pixel n stays in bank n mod R as the ring wraps. */
static int64_t flat_rows(int64_t da, int64_t R, int64_t jw, int64_t w)
{
    return da * R / jw / R * R / w;
}

/* The ring's words per bank DA, both halves (V2-3.1): the activation buffer
 * over R banks of word_bytes. */
static int64_t ring_depth(const pk_config_t *cfg, const geom_t *g)
{
    return 2 * cfg->buffers.activations / (g->R * g->wb);
}

/* The flat A ring's pixel capacity capP (V2-3.1). */
static int64_t flat_pixels(const pk_config_t *cfg, const geom_t *g)
{
    int64_t depth = ring_depth(cfg, g);
    return (g->has_b ? depth / 2 : depth) * g->R / g->jw / g->R * g->R;
}

/* Rows each ring holds (V2-3.1). */
static void geom_rings(const pk_hwlayer_t *h, geom_t *g, const pk_config_t *cfg)
{
    int64_t depth = ring_depth(cfg, g); /* both halves */
    int64_t da = g->has_b ? depth / 2 : depth;
    if (g->global || g->flat)
        g->ring_a = flat_rows(da, g->R, g->jw, h->in_w);
    else
        g->ring_a = da / (g->wbw = row_bank_words(h, g));
    if (g->has_b) /* operand B: pixel-interleaved like a flat A */
        g->ring_b = flat_rows(depth - da, g->R, pk_cdiv(g->b_row_bytes / g->b_px, g->wb),
                              g->b_px);
}

/* Global pool, channel-slice fetch (V2-4.4): when a pool of >= 2 passes
 * does not fit the ring (every pass would stream the whole image again),
 * pass t fetches only its R * Cd channels of each pixel (in_w runs of
 * gs_bytes at a stride of PS_in per row) and the ring holds Js = R * Cd / VP
 * words a pixel.  Needs R * Cd a multiple of VP (a pass starts on a ring
 * word) and of 8 / a_bits (a slice of whole bytes); the last pass's slice
 * is the pixel's rest.  Option gslice: 1 every such pool, 0 (the rule) those
 * pk_core2 builds, -1 none. */
static void gslice_plan(const pk_hwlayer_t *h, const pk_config_t *cfg, const pk_plan_opts_t *o,
                        geom_t *g, pk_plan_layer_t *L)
{
    int64_t rc = g->R * L->ct; /* a pass's channels */
    if (o->gslice < 0 || !g->global || L->mt < 2 || g->ring_a >= g->in_rows || rc % g->VP ||
        rc * h->a_bits % 8)
        return;
    /* the rule (0): slices pk_core2 builds, all of one size (no shorter last pass) and of
     * whole beats (V2-11.4 item 13); 1 also the others */
    if (o->gslice == 0 && (h->in_c % rc || rc * h->a_bits / 8 % g->PB))
        return;
    int64_t depth = ring_depth(cfg, g);
    g->gsl = 1;
    g->jw = rc / g->VP;
    g->gs_bytes = rc * h->a_bits / 8;
    g->gs_ps = g->row_bytes / h->in_w;
    g->ring_a = L->ring_rows = flat_rows(depth, g->R, g->jw, h->in_w);
}

/* need[y]: some tap of some output row reads input row y (a 1x1 stride-2
 * layer reads every other row; the loader skips the rest). */
static int geom_need(const pk_hwlayer_t *h, geom_t *g)
{
    g->need = calloc((size_t)(g->in_rows > 0 ? g->in_rows : 1), 1);
    if (!g->need)
        return PK_ENOMEM;
    for (int64_t y = 0; y < g->in_rows; y++) {
        int64_t Y = y + h->pad;
        for (int64_t i = 0; i < h->kh && !g->need[y]; i++)
            g->need[y] = g->global || (Y >= i && (Y - i) % g->s == 0 && (Y - i) / g->s < h->out_h);
        g->need_rows += g->need[y];
    }
    return 0;
}

/* Needed rows among [y0, y1]. */
static int64_t rows_needed(const geom_t *g, int64_t y0, int64_t y1)
{
    int64_t n = 0;
    for (int64_t y = y0; y <= y1; y++)
        n += g->need[y];
    return n;
}

/* Config constants and the layer's stream geometry. */
static void geom_base(const pk_hwlayer_t *h, const pk_config_t *cfg, const pk_plan_opts_t *o,
                      geom_t *g)
{
    memset(g, 0, sizeof *g);
    g->R = cfg->array.rows;
    g->C = cfg->array.cols;
    g->PL = o->ppu_lanes > 0 ? o->ppu_lanes : cfg->postproc.lanes;
    g->PB = cfg->offchip.bytes_per_cycle;
    g->LAT = cfg->offchip.latency;
    g->MB = pk_max2(o->max_burst, g->PB);
    g->wb = cfg->d.word_bytes;
    g->VP = h->vp;
    g->is_conv = h->kind == PK_HW_CONV;
    g->is_dw = h->kind == PK_HW_DW;
    g->is_ew = h->kind == PK_HW_EW;
    g->has_b = g->is_ew && h->res_en && h->t_res >= 0;
    g->has_w = g->is_conv || g->is_dw;
    g->M = (int64_t)h->out_h * h->out_w;
    g->P = (int64_t)h->in_h * h->in_w;
    g->global = h->kind == PK_HW_POOLSUM && h->out_h == 1 && h->out_w == 1 &&
                h->kh == h->in_h && h->kw == h->in_w && h->pad == 0 && h->pad_l == 0 &&
                g->P > 1;
    g->flat = h->kh == 1 && h->kw == 1 && h->stride == 1 && h->stride_w == 1 && h->pad == 0 &&
              h->pad_l == 0 && !g->global;
    g->s = h->stride;
    g->sw = h->stride_w;
    g->fx = xfold(h, g->VP);
    g->jw = g->fx > 1 ? 1 : pk_cdiv(h->in_c, g->VP);
    g->in_rows = h->in_h;
    g->row_bytes = (int64_t)h->in_w * pk_cdiv((int64_t)h->in_c * h->a_bits, 8);
    if (g->has_b) { /* a channel-wise multiply's B is one 1 x 1 x out_c pixel (V2-6.1) */
        g->b_rows = h->res_mul ? 1 : h->out_h;
        g->b_px = h->res_mul ? 1 : h->out_w;
        g->b_row_bytes = g->b_px * pk_cdiv((int64_t)h->out_c * h->r_bits, 8);
    }
}

/* Tiles and k-steps (V2-4). */
static void geom_tiles(const pk_hwlayer_t *h, const geom_t *g, pk_plan_layer_t *L)
{
    L->global_pool = g->global;
    L->fx = (int)g->fx;
    L->ct = g->is_conv ? g->C : pk_min2(g->C, g->VP);
    if (g->global) {
        /* rows = channel chunks of Cd, k-step = input pixel */
        L->nt = 1;
        L->mt = pk_cdiv(pk_cdiv(h->out_c, L->ct), g->R);
        L->ks = g->P;
    } else {
        L->nt = pk_cdiv(h->out_c, L->ct);
        L->mt = pk_cdiv(g->M, g->R);
        if (g->is_conv)
            L->ks = (int64_t)h->kh * pk_cdiv(h->kw, g->fx) * g->jw;
        else if (g->is_ew)
            L->ks = 1;
        else
            L->ks = (int64_t)h->kh * h->kw;
    }
    L->kc = L->ks;
}

/* Channel groups (V2-5 item 2): a windowed DW or pool layer whose band of
 * all channels does not fit the ring (cap < span) is run in blocks of nb
 * n-tiles whose ring holds only the block's channels: Jw = nb * Cd / VP
 * words a pixel (a block starts on a word: nb a multiple of VP / gcd(VP,
 * Cd)), so cap = floor(DA / (Gx * s' * Jw)).  nb is the largest such that
 * the block's band fits (cap >= span) and its units take at most wlim words
 * of a column; every block streams the whole input rows again (re-fetch,
 * counted as in_refetch).  Channels are independent in these kinds, so a
 * block's outputs need no other block's input.  Returns 0 when no nb fits. */
static int64_t cgroup_nb(const pk_hwlayer_t *h, const pk_config_t *cfg, const geom_t *g,
                         const pk_plan_layer_t *L, int64_t wlim, int64_t *jw, int64_t *cap,
                         int sliced)
{
    if (g->global || g->flat || g->fx > 1 || g->has_b ||
        (h->kind != PK_HW_DW && h->kind != PK_HW_POOLMAX && h->kind != PK_HW_POOLSUM))
        return 0;
    /* the n-tiles of one ring word: VP / gcd(VP, Cd) */
    int64_t q = g->VP / pk_gcd(g->VP, L->ct), depth = ring_depth(cfg, g);
    int64_t per_ch = h->uses_params && !h->per_tensor;
    int64_t wu = (g->is_dw ? L->ks : 0) + (per_ch ? pk_cdiv(pk_v2_record_bytes(h, cfg), g->wb) : 0);
    int64_t bank_words = g->gx * (g->sw / g->fx); /* WB per word of a pixel */
    for (int64_t nb = (L->nt - 1) / q * q; nb >= q; nb -= q) {
        int64_t j = nb * L->ct / g->VP;
        /* sliced (the strided group fetch's rule, cgslice 0): blocks of one size, in_c a
         * multiple of nb * Cd, whose slice is whole beats and whose Jw is a multiple of R (what
         * pk_ld2 / pk_ld2a build: a run is a pixel of the block's chunks, the pass's bank
         * rotation jlo mod R is 0) */
        if (sliced && (h->in_c % (nb * L->ct) || nb * L->ct * h->a_bits % (8 * g->PB) || j % g->R))
            continue;
        if (wu * nb <= wlim && depth / (bank_words * j) >= L->span_rows) {
            *jw = j;
            *cap = depth / (bank_words * j);
            return nb;
        }
    }
    return 0;
}

/* The strided group fetch (V2-5 item 2, option cgslice): block b of a
 * channel-group layer fetches, per needed row, only its slice of each
 * pixel: in_w runs of cs_bytes = nb * Cd * a_bits / 8 (the last block: the
 * pixel's rest) at the pixel stride PS_in, so the input is read once.  The
 * ring placement is unchanged (the block's chunks of each pixel, V2-3.1).
 * Needs a slice of whole bytes (nb * Cd is a multiple of VP: a block starts
 * on a ring word). */
static void cgslice_plan(const pk_hwlayer_t *h, int cgslice, geom_t *g)
{
    int64_t bc = g->jw * g->VP; /* a full block's channels, nb * Cd */
    if (cgslice < 0 || bc * h->a_bits % 8)
        return;
    g->cgs = 1;
    g->cs_bytes = bc * h->a_bits / 8;
    g->gs_ps = g->row_bytes / h->in_w;
}

/* The channel groups' blocks: WB (double-buffered in one weight half each)
 * unless blocks that fill both halves (NS: the next block's weights load
 * only once the block has ended) need fewer passes over the input.  With
 * the strided group fetch (cgslice) a pass reads only its block's slice, so
 * more blocks cost no bytes: WB whenever its blocks fit (its weight loads
 * hide under the previous block's steps; V2-5 item 2 measures both). */
static void cgroup_plan(const pk_hwlayer_t *h, const pk_config_t *cfg, const pk_plan_opts_t *o,
                        geom_t *g, pk_plan_layer_t *L)
{
    int64_t j1 = 0, c1 = 0, j2 = 0, c2 = 0, half = cfg->d.wbuf_depth, n1 = 0, n2 = 0;
    int cgs = o->cgslice;
    if (cgs == 0) { /* the rule: WB's blocks of one size and whole beats, else NS's */
        if ((n1 = cgroup_nb(h, cfg, g, L, half, &j1, &c1, 1)) == 0 &&
            (n2 = cgroup_nb(h, cfg, g, L, 2 * half, &j2, &c2, 1)) > 0)
            g->cg_ns = 1, n1 = n2, j1 = j2, c1 = c2;
        if (n1 == 0)
            cgs = -1; /* neither: the re-streaming blocks */
    }
    if (n1 == 0) {
        n1 = cgroup_nb(h, cfg, g, L, half, &j1, &c1, 0);
        n2 = cgroup_nb(h, cfg, g, L, 2 * half, &j2, &c2, 0);
        int sliced = cgs > 0 && n1 > 0 && j1 * g->VP * h->a_bits % 8 == 0;
        if (n2 > 0 && (n1 == 0 || (!sliced && pk_cdiv(L->nt, n2) < pk_cdiv(L->nt, n1)))) {
            g->cg_ns = 1;
            n1 = n2, j1 = j2, c1 = c2;
        }
    }
    if ((g->cg_nb = n1) > 0) {
        g->jw = j1;
        g->ring_a = L->ring_rows = c1;
        g->wbw = g->gx * (g->sw / g->fx) * g->jw;
        cgslice_plan(h, cgs, g);
    }
}

/* WB with a resident prefix (V2-5 item 3, V2-3.1): a flat layer in WB
 * whose rows do not all fit the ring keeps its first P rows (pixels
 * [0, NP), NP = P * in_w) for the whole layer and streams the rest through
 * the S = floor((capP - NP) / R) * R pixels after them, cs = floor(S /
 * in_w) rows, the same places in every block.  P is the largest (at most
 * PK_PRE_MAX, the field's range, and below the rows) that leaves cs >=
 * span + PK_PRE_SLACK streaming rows; the ring then holds cap = P + cs
 * rows.  Blocks after the first fetch rows P .. in_h - 1 only. */
static void prefix_plan(const pk_hwlayer_t *h, const pk_config_t *cfg, geom_t *g,
                        pk_plan_layer_t *L)
{
    if (g->no_pre || !g->flat || g->has_b || L->nblocks < 2 || g->ring_a >= g->need_rows)
        return;
    int64_t capP = flat_pixels(cfg, g), w = h->in_w;
    for (int64_t P = pk_min2(PK_PRE_MAX, g->need_rows - 1); P >= 1; P--) {
        int64_t cs = (capP - P * w) / g->R * g->R / w;
        if (cs >= L->span_rows + PK_PRE_SLACK) {
            g->pre = P;
            g->cs = cs;
            g->ring_a = L->ring_rows = P + cs;
            L->pre = P;
            return;
        }
    }
}

/* A flat NS layer of blocks of several n-tiles: NS with passes (V2-5 item 3), each
 * block a new pass over the input rows as WB's (pk_v2_desc_passes). */
static int ns_passes(const geom_t *g, const pk_plan_layer_t *L)
{
    return L->order == PK_ORDER_NS && g->flat && !g->global && L->nb > 1;
}

/* Weight units and the loop order (V2-3.2, V2-5 item 3). */
static int geom_order(const pk_hwlayer_t *h, const pk_config_t *cfg, geom_t *g,
                      pk_plan_layer_t *L, pk_error_t *err)
{
    /* an n-tile's unit: Ks words per column, then its records spread over
     * the columns; DRAM holds weights dense at w_bits */
    int per_ch_params = h->uses_params && !h->per_tensor;
    g->rec = pk_v2_record_bytes(h, cfg);
    int64_t prw = per_ch_params ? pk_cdiv(g->rec, g->wb) : 0; /* column c's record in bank c */
    g->rec_words = prw;
    g->half_words = cfg->d.wbuf_depth;
    g->w_unit_words = (g->has_w ? L->ks : 0) + prw;
    if (g->is_conv)
        g->w_unit_bytes = L->ks * g->C * g->VP * h->w_bits / 8;
    else if (g->is_dw)
        g->w_unit_bytes = pk_cdiv(L->ks * L->ct * h->w_bits, 8);
    g->p_unit_bytes = per_ch_params ? L->ct * g->rec : 0;

    if (g->cg_nb) { /* channel groups (V2-5 item 2): input once per block */
        L->order = g->cg_ns ? PK_ORDER_NS : PK_ORDER_WB;
        L->nb = g->cg_nb;
    } else if (L->nt * g->w_unit_words <= 2 * g->half_words) {
        L->order = PK_ORDER_WS;
        L->nb = L->nt;
    } else if (g->w_unit_words <= g->half_words) {
        L->nb = g->half_words / g->w_unit_words;
        L->order = g->ring_a >= g->need_rows && !g->has_b ? PK_ORDER_IS : PK_ORDER_WB;
        if (L->order == PK_ORDER_WB && g->ns_pass && g->flat && !g->global && g->has_w &&
            2 * g->half_words / g->w_unit_words > L->nb) {
            /* NS with passes (V2-5 item 3): blocks held in both halves, twice the n-tiles
             * of WB's, each block a pass over the input (half as many passes; the block's
             * weight load is not hidden) */
            L->order = PK_ORDER_NS;
            L->nb = 2 * g->half_words / g->w_unit_words;
        }
    } else if (g->w_unit_words <= 2 * g->half_words && g->ring_a >= g->need_rows && !g->has_b) {
        L->order = PK_ORDER_NS;
        L->nb = 1;
    } else {
        L->order = PK_ORDER_KC;
        L->nb = 1;
        L->kc = g->half_words - prw;
        if (L->kc < 1)
            return pk_error_set(err, PK_EINPUT, cfg->source, 0, h->name,
                                "v2 plan: the parameter records of one n-tile do not fit a "
                                "weight half (buffers.weights %lld)",
                                (long long)cfg->buffers.weights);
    }
    L->nblocks = L->order == PK_ORDER_WS ? 1 : pk_cdiv(L->nt, L->nb);
    if ((L->order == PK_ORDER_WB || ns_passes(g, L)) && !g->cg_nb)
        prefix_plan(h, cfg, g, L);
    /* output staging group (V2-3.3), within a staging half of
     * STAGE_BYTES_PER_PE * R * C bytes: all n-tiles of a pixel tile (whole
     * pixels, one contiguous run) when they fit and another pixel tile
     * follows to hide the deferred write; else the fewest n-tiles whose
     * per-pixel run fills a write beat */
    int64_t ob = pk_cdiv(L->ct * h->out_bits, 8), fit = pk_max2(1, STAGE_BYTES_PER_PE * g->C / ob);
    g->nw = L->nt <= fit && L->mt > 1 ? L->nt : pk_min2(pk_max2(1, pk_cdiv(g->PB, ob)), fit);
    return 0;
}

/* The plan fields the v2 descriptor carries (V2-9). */
static void geom_export(const pk_hwlayer_t *h, const geom_t *g, pk_plan_layer_t *L)
{
    L->jw = g->jw;
    L->flat = g->flat;
    L->kwf = pk_cdiv(h->kw, g->fx);
    L->sf = g->sw / g->fx;
    L->gx = g->global || g->flat ? 0 : g->gx;
    L->wbw = g->global || g->flat ? 0 : g->wbw;
    L->ring_b = g->ring_b;
    L->row_bytes = g->row_bytes;
    L->b_row_bytes = g->b_row_bytes;
    L->w_unit_bytes = g->w_unit_bytes;
    L->rec = g->rec;
    L->nw = g->nw;
    L->gsl = g->gsl;
    L->gs_bytes = g->gs_bytes;
    L->gs_ps = g->gs_ps;
    L->cgs = g->cgs;
    L->cs_bytes = g->cs_bytes;
}

/* The whole static mapping; g->need is allocated (free it). */
static int geom_make(const pk_hwlayer_t *h, const pk_config_t *cfg, const pk_plan_opts_t *o,
                     int no_pre, int ns_pass, geom_t *g, pk_plan_layer_t *L, pk_error_t *err)
{
    geom_base(h, cfg, o, g);
    g->no_pre = no_pre;
    g->ns_pass = ns_pass;
    geom_tiles(h, g, L);
    geom_rings(h, g, cfg);
    if (geom_need(h, g))
        return pk_error_set(err, PK_ENOMEM, "", 0, h->name, "out of memory");
    L->ring_rows = g->ring_a;
    for (int64_t mt = 0; mt < L->mt; mt++) {
        int64_t y0, y1;
        tile_rows(h, g, mt, &y0, &y1);
        L->span_rows = pk_max2(L->span_rows, rows_needed(g, y0, y1));
    }
    int64_t b_span = !g->has_b ? 0 : h->res_mul ? 1 : pk_cdiv(g->R, h->out_w) + 1;
    gslice_plan(h, cfg, o, g, L);
    if (g->ring_a < L->span_rows)
        cgroup_plan(h, cfg, o, g, L);
    if (g->ring_a < L->span_rows)
        return pk_error_set(err, PK_EINPUT, cfg->source, 0, h->name,
                            "v2 plan: a pixel tile reads %lld input rows but the activation "
                            "buffer holds %lld (buffers.activations %lld bytes per half)",
                            (long long)L->span_rows, (long long)g->ring_a,
                            (long long)cfg->buffers.activations);
    if (g->has_b && g->ring_b < pk_min2(b_span, g->b_rows))
        return pk_error_set(err, PK_EINPUT, cfg->source, 0, h->name,
                            "v2 plan: a pixel tile reads %lld rows of operand B but the B half "
                            "of the activation buffer holds %lld (buffers.activations %lld bytes "
                            "per half)",
                            (long long)pk_min2(b_span, h->out_h), (long long)g->ring_b,
                            (long long)cfg->buffers.activations);
    int rc = geom_order(h, cfg, g, L, err);
    geom_export(h, g, L);
    return rc;
}

/* ---- engines (draft V2-7) -------------------------------------------- */

typedef struct port {
    int64_t next;   /* first cycle the next request may issue */
    int64_t d;      /* D of the last request */
    int64_t lat, pb, mb;
    int64_t bytes, reqs;
    int64_t desc_ld; /* pk_v2_desc_load_cycles (the layer boundary), computed once */
} port_t;

/* A contiguous run of `bytes`, no request before cycle `ready`: requests of
 * max_burst bytes (the last shorter) issued one per cycle.  Returns the
 * first cycle its data is usable (D + 1, the buffer write). */
static int64_t port_run(port_t *p, int64_t ready, int64_t bytes)
{
    if (bytes <= 0)
        return ready;
    int64_t n = pk_cdiv(bytes, p->mb);
    int64_t beats = (n - 1) * pk_cdiv(p->mb, p->pb) + pk_cdiv(bytes - (n - 1) * p->mb, p->pb);
    int64_t I = pk_max2(p->next, ready);
    p->d = pk_max2(p->d + beats, I + p->lat + beats);
    p->next = I + n;
    p->bytes += bytes;
    p->reqs += n;
    return p->d + 1;
}

/* A strided unit: `runs` runs of `bytes` each (a row's slices of its
 * pixels, V2-6.1), each as port_run. */
static int64_t port_runs(port_t *p, int64_t ready, int64_t runs, int64_t bytes)
{
    int64_t d = ready;
    for (int64_t i = 0; i < runs; i++)
        d = port_run(p, ready, bytes);
    return d;
}

/* A ring of input rows (V2-3.1): slot = load sequence mod cap. */
typedef struct ring {
    int64_t cap, rows, row_bytes;
    int64_t runs;          /* > 0: a row is `runs` runs of row_bytes (global slice fetch) */
    int64_t pre, cs;       /* resident prefix: rows 0 .. pre - 1 in slot y, row y >= pre in
                            * slot pre + (y - pre) mod cs (V2-3.1); pre 0: slot = seq mod cap */
    const char *need;      /* rows: fetched only if set (NULL: all) */
    int64_t seq;           /* loads so far */
    int64_t *slot_free;    /* cap: last read of the slot's occupant (ring_slot_free) */
    int64_t init;          /* slots [0, init) of slot_free written, the others NEG */
    /* ring_need's last rows and answer (got 0: none): every needed row of
     * them fetched, so the same rows give the same answer until a new pass
     * (row_ready changes only when a row is fetched) */
    int64_t got_y0, got_y1, got_ready;
    int got;
    /* ring_release's last rows and latest end, not yet in slot_free (rel 0:
     * none): the next n-tile's step releases the same rows, so one max per
     * slot, before slot_free is next read (ring_flush) */
    int64_t rel_y0, rel_y1, rel_end;
    int rel;
    int64_t *row_seq;      /* rows: load sequence of the row in this pass, -1 none */
    int64_t *row_ready;    /* rows: cycle the row is usable */
} ring_t;

static int ring_init(ring_t *r, int64_t cap, int64_t rows, int64_t row_bytes)
{
    memset(r, 0, sizeof *r);
    r->cap = cap;
    r->rows = rows;
    r->row_bytes = row_bytes;
    if (rows <= 0)
        return 0;
    r->slot_free = malloc((size_t)cap * sizeof *r->slot_free);
    r->row_seq = malloc((size_t)rows * sizeof *r->row_seq);
    r->row_ready = malloc((size_t)rows * sizeof *r->row_ready);
    if (!r->slot_free || !r->row_seq || !r->row_ready)
        return PK_ENOMEM;
    for (int64_t i = 0; i < rows; i++)
        r->row_seq[i] = -1;
    return 0;
}

static void ring_fini(ring_t *r)
{
    free(r->slot_free);
    free(r->row_seq);
    free(r->row_ready);
}

/* Slot k's entry of slot_free: the slots up to k not yet written are NEG
 * (every slot starts so; written on first use, in slot order, so a ring of
 * thousands of slots writes only those its fetches reach). */
static inline int64_t *ring_slot_free(ring_t *r, int64_t k)
{
    while (r->init <= k)
        r->slot_free[r->init++] = NEG;
    return &r->slot_free[k];
}

static void ring_flush(ring_t *r);

/* A new pass over the input (WB: once per weight block): every row is
 * fetched again; with a resident prefix only rows >= pre, each streaming
 * slot free once the previous pass's last reader of a streaming row has
 * ended (V2-6.1: the stream restarts at slot pre). */
static void ring_pass(ring_t *r)
{
    ring_flush(r);
    for (int64_t i = r->pre; i < r->rows; i++)
        r->row_seq[i] = -1;
    r->got = 0;
    if (!r->pre)
        return;
    int64_t drain = NEG;
    if (r->cap > 0)
        ring_slot_free(r, r->cap - 1);
    for (int64_t k = r->pre; k < r->cap; k++)
        drain = pk_max2(drain, r->slot_free[k]);
    for (int64_t k = r->pre; k < r->cap; k++)
        r->slot_free[k] = drain;
}

/* The slot of row y (fetch sequence seq when pre is 0). */
static int64_t ring_slot(const ring_t *r, int64_t y, int64_t seq)
{
    if (!r->pre)
        return seq % r->cap;
    return y < r->pre ? y : r->pre + (y - r->pre) % r->cs;
}

/* Rows [y0, y1] are read by a step: fetch the missing ones; returns the
 * cycle all are usable. */
static int64_t ring_need(ring_t *r, port_t *p, int64_t y0, int64_t y1)
{
    if (r->got && y0 == r->got_y0 && y1 == r->got_y1)
        return r->got_ready;
    int64_t ready = NEG;
    for (int64_t y = y0; y <= y1; y++) {
        if (r->need && !r->need[y])
            continue;
        if (r->row_seq[y] < 0) {
            ring_flush(r); /* the slot's last read, below */
            int64_t k = ring_slot(r, y, r->seq);
            /* + the ring write FIFOs' lag (V2-11.4 item 4) */
            int64_t *sf = ring_slot_free(r, k);
            r->row_ready[y] = (r->runs ? port_runs(p, *sf, r->runs, r->row_bytes)
                                       : port_run(p, *sf, r->row_bytes)) +
                              PK_RING_WR_LAT;
            *sf = NEG;
            r->row_seq[y] = r->seq++;
        }
        ready = pk_max2(ready, r->row_ready[y]);
    }
    r->got = 1, r->got_y0 = y0, r->got_y1 = y1, r->got_ready = ready;
    return ready;
}

static void ring_flush(ring_t *r)
{
    if (!r->rel)
        return;
    r->rel = 0;
    for (int64_t y = r->rel_y0; y <= r->rel_y1; y++) {
        if (r->need && !r->need[y])
            continue;
        int64_t k = ring_slot(r, y, r->row_seq[y]);
        r->slot_free[k] = pk_max2(r->slot_free[k], r->rel_end); /* written by its fetch */
    }
}

static void ring_release(ring_t *r, int64_t y0, int64_t y1, int64_t end)
{
    if (r->rel && y0 == r->rel_y0 && y1 == r->rel_y1) {
        r->rel_end = pk_max2(r->rel_end, end);
        return;
    }
    ring_flush(r);
    r->rel = 1, r->rel_y0 = y0, r->rel_y1 = y1, r->rel_end = end;
}

/* POST engine (V2-7.4): the PPU takes the tiles in order; a tile's codes go
 * to the output staging half of its group (consecutive n-tiles of one pixel
 * tile, at most nw); a group's write runs start once its last tile left the
 * PPU.  Two staging halves: a group's first tile waits for the writes of the
 * group two before. */
typedef struct post {
    int64_t ppu_end;       /* PPU end of the previous tile */
    int64_t w1, w2;        /* write end of the previous two groups */
    int64_t grp_first;     /* 1 when the next tile opens a group */
    int64_t bytes, reqs;
} post_t;

/* PPU cycles for a tile of nrows x ncols outputs (V2-7.4): pk_array's read
 * port returns k = floor(PL / cw) rows of cw = pow2_ceil(ncols) columns per
 * read when cw <= PL (k = 1 otherwise), so a pass is ceil(nrows / k) reads
 * of ceil(ncols / PL) column groups (k >= 2 only when ncols fits one group). */
int64_t pk_v2_ppu_rows_per_read(int64_t ncols, int64_t PL)
{
    int64_t cw = pow2_ceil(ncols);
    return cw <= PL ? PL / cw : 1;
}

int64_t pk_v2_ppu_cycles(int64_t nrows, int64_t ncols, int64_t PL)
{
    return pk_cdiv(nrows, pk_v2_ppu_rows_per_read(ncols, PL)) * pk_cdiv(ncols, PL);
}

/* A global pool's chunks follow each other in staging (row r at code r * ct),
 * so packed chunks are written as one run per chunk: packing needs each
 * chunk to end on a byte (V2-7.4); else one chunk per read. */
int64_t pk_v2_ppu_pool_cycles(int64_t nchunks, int64_t ct, int64_t out_bits, int64_t PL)
{
    if (ct * out_bits % 8)
        return nchunks * pk_cdiv(ct, PL);
    return pk_v2_ppu_cycles(nchunks, ct, PL);
}

int64_t pk_v2_tail_cycles(int64_t rec_words, int has_b, int64_t c0, int64_t nc, int64_t r_bits,
                          int64_t word_bytes)
{
    int64_t bw = 0;
    if (has_b && nc > 0) {
        int64_t wbits = 8 * word_bytes;
        bw = ((c0 + nc) * r_bits - 1) / wbits - c0 * r_bits / wbits + 1;
    }
    return pk_max2(rec_words, bw);
}

/* Tile into the PPU; returns its PPU end (the accumulator bank is free). */
static int64_t post_ppu(post_t *q, int64_t e_comp, int64_t cycles)
{
    int64_t s = pk_max2(e_comp + PK_V2_ARRAY_LAT, q->ppu_end);
    if (q->grp_first)
        s = pk_max2(s, q->w2);
    q->ppu_end = s + cycles;
    q->grp_first = 0;
    return q->ppu_end;
}

/* Close a group: out_rows pixels of gb bytes each, one contiguous run when
 * the pixels are whole (contiguous), else one run per pixel. */
static void post_write(post_t *q, const geom_t *g, int64_t out_rows, int64_t gb, int contiguous)
{
    int64_t beats, reqs;
    if (contiguous) {
        beats = pk_cdiv(out_rows * gb, g->PB);
        reqs = pk_cdiv(out_rows * gb, g->MB);
    } else {
        beats = out_rows * pk_cdiv(gb, g->PB);
        reqs = out_rows * pk_cdiv(gb, g->MB);
    }
    int64_t w = pk_max2(q->w1, q->ppu_end + PK_PPU_LAT) + beats;
    q->w2 = q->w1;
    q->w1 = w;
    q->grp_first = 1;
    q->bytes += out_rows * gb;
    q->reqs += reqs;
}

/* ---- one layer ------------------------------------------------------- */

typedef struct run {
    const pk_hwlayer_t *h;
    const geom_t *g;
    pk_plan_layer_t *L;
    port_t *port;
    ring_t ra, rb;
    post_t post;
    int64_t e_comp;           /* end of the previous step */
    int64_t half_free[2];     /* weight halves: end of the last step reading them */
    int64_t *nt_ready;        /* WS: per n-tile weights usable */
    int64_t tile;             /* tiles so far (accumulator bank = tile mod 2) */
    int64_t bank_free[2];     /* PPU end of the bank's last tile */
    int64_t grp_c0;           /* first channel of the open staging group */
    int64_t gy;               /* global pool: the input row of the current step */
    int64_t w_bytes;          /* weight + param bytes read */
    int64_t ppu_nr, ppu_nc, ppu_cyc; /* the last tile's PPU cycles (ppu_cycles; nr -1: none) */
    int64_t rows_mt, rows_y0, rows_y1; /* tile_rows of m-tile rows_mt (-1: none) */
} run_t;

/* pk_v2_ppu_cycles of a tile of nrows x ncols (the n-tiles of a layer
 * repeat a few shapes: the last answer kept). */
static int64_t ppu_cycles(run_t *x, int64_t nrows, int64_t ncols)
{
    if (nrows != x->ppu_nr || ncols != x->ppu_nc)
        x->ppu_nr = nrows, x->ppu_nc = ncols,
        x->ppu_cyc = pk_v2_ppu_cycles(nrows, ncols, x->g->PL);
    return x->ppu_cyc;
}

static int64_t nt_cols(const run_t *x, int64_t nt)
{
    return pk_min2(x->L->ct, x->h->out_c - nt * x->L->ct);
}

/* DRAM bytes of n-tile nt's weights and records (columns past out_c are
 * not stored). */
static int64_t nt_bytes(const run_t *x, int64_t nt)
{
    int64_t nc = nt_cols(x, nt);
    return pk_cdiv(x->g->w_unit_bytes * nc, x->L->ct) + pk_cdiv(x->g->p_unit_bytes * nc, x->L->ct);
}

/* The tile's POST: PPU, and the group's writes when grp_last.  Global
 * pool: the rows are channel chunks of the one output pixel. */
static void tile_post(run_t *x, int64_t mt, int64_t nt, int64_t nrows, int grp_last)
{
    const geom_t *g = x->g;
    const pk_hwlayer_t *h = x->h;
    int64_t ct = x->L->ct;
    if (g->global) {
        int64_t chans = pk_min2(h->out_c - mt * g->R * ct, g->R * ct);
        x->bank_free[x->tile % 2] = post_ppu(&x->post, x->e_comp,
                                               pk_v2_ppu_pool_cycles(nrows, ct, h->out_bits, g->PL));
        post_write(&x->post, g, 1, pk_cdiv(chans * h->out_bits, 8), 1);
        return;
    }
    int64_t ncols = nt_cols(x, nt);
    x->bank_free[x->tile % 2] = post_ppu(&x->post, x->e_comp, ppu_cycles(x, nrows, ncols));
    if (!grp_last)
        return;
    int64_t chans = nt * ct + ncols - x->grp_c0;
    int contiguous = chans == h->out_c && h->out_c_total == 0;
    post_write(&x->post, g, nrows, pk_cdiv(chans * h->out_bits, 8), contiguous);
    x->grp_c0 = (nt + 1) * ct;
}

/* Step of pixel tile mt, n-tile nt: nk k-steps, weights usable at w_ready.
 * last_q: the tile's last chunk (then its POST); grp_last: closes the
 * staging group. */
static void step(run_t *x, int64_t mt, int64_t nt, int64_t nk, int64_t w_ready, int last_q,
                 int grp_last)
{
    const geom_t *g = x->g;
    int64_t y0, y1;
    if (g->global)
        y0 = y1 = x->gy; /* global pool: one input row per step */
    else { /* the n-tiles of an m-tile read its rows: computed once */
        if (mt != x->rows_mt)
            x->rows_mt = mt, tile_rows(x->h, g, mt, &x->rows_y0, &x->rows_y1);
        y0 = x->rows_y0, y1 = x->rows_y1;
    }
    int64_t ready = pk_max2(w_ready, ring_need(&x->ra, x->port, y0, y1));
    int64_t p0 = mt * g->R, nrows;
    if (g->global)
        nrows = pk_min2(g->R, pk_cdiv(x->h->out_c, x->L->ct) - p0);
    else
        nrows = pk_min2(g->R, g->M - p0);
    int64_t b0 = 0, b1 = -1;
    if (g->has_b && x->h->res_mul) { /* every pixel multiplies by the one B pixel */
        b0 = b1 = 0;
        ready = pk_max2(ready, ring_need(&x->rb, x->port, b0, b1));
    } else if (g->has_b) {
        b0 = p0 / x->h->out_w;
        b1 = (p0 + nrows - 1) / x->h->out_w;
        ready = pk_max2(ready, ring_need(&x->rb, x->port, b0, b1));
    }
    if (x->grp_c0 < 0)
        x->grp_c0 = nt * x->L->ct;
    int64_t bank = x->tile % 2;
    int64_t s = pk_max2(pk_max2(x->e_comp, ready), x->bank_free[bank]);
    int64_t tail = 0;
    if (last_q) {
        int64_t c0 = nt * x->L->ct;
        tail = pk_v2_tail_cycles(g->rec_words, g->has_b, c0, pk_min2(x->L->ct, x->h->out_c - c0),
                                 x->h->r_bits, g->wb);
    }
    x->e_comp = s + nk + tail;
    x->L->busy += nk + tail;
    x->L->steps++;
    ring_release(&x->ra, y0, y1, x->e_comp);
    if (g->has_b)
        ring_release(&x->rb, b0, b1, x->e_comp);
    if (!last_q)
        return;
    tile_post(x, mt, nt, nrows, grp_last);
    if (grp_last)
        x->grp_c0 = -1;
    x->tile++;
    x->L->tiles++;
}

/* Does n-tile nt close its staging group within the n-tile range [n0, n1)? */
static int grp_end(const run_t *x, int64_t nt, int64_t n0, int64_t n1)
{
    return nt == n1 - 1 || (nt - n0 + 1) % x->g->nw == 0;
}

static void run_ws(run_t *x)
{
    const pk_plan_layer_t *L = x->L;
    for (int64_t mt = 0; mt < L->mt; mt++)
        for (int64_t nt = 0; nt < L->nt; nt++) {
            if (mt == 0) {
                x->nt_ready[nt] = port_run(x->port, NEG, nt_bytes(x, nt));
                x->w_bytes += nt_bytes(x, nt);
            }
            step(x, mt, nt, L->ks, x->nt_ready[nt], 1, grp_end(x, nt, 0, L->nt));
        }
}

/* Global pool: for pass (R channel chunks): for input row, one step of in_w
 * k-steps; the rows stream through the ring, again for every pass unless
 * the ring holds them all. */
static void run_global(run_t *x)
{
    const pk_plan_layer_t *L = x->L;
    const geom_t *g = x->g;
    for (int64_t mt = 0; mt < L->mt; mt++) {
        if (mt > 0 && (g->gsl || g->ring_a < g->need_rows))
            ring_pass(&x->ra);
        if (g->gsl) { /* pass mt's slice of each pixel: the rest of the pixel in the last */
            x->ra.runs = x->h->in_w;
            x->ra.row_bytes = pk_min2(g->gs_bytes, g->gs_ps - mt * g->gs_bytes);
        }
        for (x->gy = 0; x->gy < x->h->in_h; x->gy++)
            step(x, mt, 0, x->h->in_w, NEG, x->gy == x->h->in_h - 1, 1);
    }
}

/* IS and WB: for block: for pixel tile: for n-tile of the block.  NS: the
 * same with one n-tile per block held in both halves (no double buffer). */
static void run_blocks(run_t *x)
{
    const pk_plan_layer_t *L = x->L;
    for (int64_t b = 0; b < L->nblocks; b++) {
        int64_t n0 = b * L->nb, n1 = pk_min2(L->nt, n0 + L->nb), bytes = 0;
        for (int64_t nt = n0; nt < n1; nt++)
            bytes += nt_bytes(x, nt);
        int64_t half = L->order == PK_ORDER_NS ? 0 : b % 2;
        int64_t ready = port_run(x->port, x->half_free[half], bytes);
        x->w_bytes += bytes;
        if ((L->order == PK_ORDER_WB || x->g->cg_nb || ns_passes(x->g, L)) && b > 0)
            ring_pass(&x->ra);
        if (x->g->cgs) { /* block b's slice of each pixel: the pixel's rest in the last */
            x->ra.runs = x->h->in_w;
            x->ra.row_bytes = pk_min2(x->g->cs_bytes, x->g->gs_ps - b * x->g->cs_bytes);
        }
        for (int64_t mt = 0; mt < L->mt; mt++)
            for (int64_t nt = n0; nt < n1; nt++)
                step(x, mt, nt, L->ks, ready, 1, grp_end(x, nt, n0, n1));
        x->half_free[half] = x->e_comp;
    }
}

/* KC: for pixel tile: for n-tile: for chunk, each chunk's weights fetched
 * into the next half. */
static void run_kc(run_t *x)
{
    const pk_plan_layer_t *L = x->L;
    int64_t s = 0, nq = pk_cdiv(L->ks, L->kc);
    for (int64_t mt = 0; mt < L->mt; mt++)
        for (int64_t nt = 0; nt < L->nt; nt++)
            for (int64_t q = 0; q < nq; q++, s++) {
                int64_t nk = pk_min2(L->kc, L->ks - q * L->kc);
                int64_t nc = nt_cols(x, nt);
                int64_t bytes = pk_cdiv(x->g->w_unit_bytes * nk * nc, L->ks * L->ct) +
                                (q == 0 ? pk_cdiv(x->g->p_unit_bytes * nc, L->ct) : 0);
                int64_t ready = port_run(x->port, x->half_free[s % 2], bytes);
                x->w_bytes += bytes;
                step(x, mt, nt, nk, ready, q == nq - 1, grp_end(x, nt, 0, L->nt));
                x->half_free[s % 2] = x->e_comp;
            }
}

/* Plan layer li starting at `start` (the previous layer's last write);
 * port carries the read port across layers: the layer's descriptor is
 * requested as soon as the previous layer's last fetch unit was (V2-7.5). */
static int layer_plan_as(const pk_hwnet_t *hw, int li, const pk_plan_opts_t *o, int64_t start,
                         int no_pre, int ns_pass, port_t *port, pk_plan_layer_t *L,
                         pk_error_t *err)
{
    const pk_hwlayer_t *h = &hw->layers[li];
    geom_t g;
    memset(L, 0, sizeof *L);
    int rc = geom_make(h, hw->cfg, o, no_pre, ns_pass, &g, L, err);
    if (rc) {
        free(g.need);
        return rc;
    }

    run_t x;
    memset(&x, 0, sizeof x);
    x.ppu_nr = x.rows_mt = -1;
    x.h = h;
    x.g = &g;
    x.L = L;
    x.port = port;
    x.post.ppu_end = x.post.w1 = x.post.w2 = NEG;
    x.post.grp_first = 1;
    x.grp_c0 = -1;
    x.half_free[0] = x.half_free[1] = NEG;
    x.bank_free[0] = x.bank_free[1] = NEG;
    rc = ring_init(&x.ra, g.ring_a, g.in_rows, g.row_bytes);
    x.ra.need = g.need;
    if (h->in_c_total) { /* a channel slice (a grouped conv, V2-6.1): in_w runs a row */
        x.ra.runs = h->in_w;
        x.ra.row_bytes = g.row_bytes / h->in_w;
    }
    x.ra.pre = g.pre;
    x.ra.cs = g.cs;
    if (!rc && g.has_b)
        rc = ring_init(&x.rb, g.ring_b, g.b_rows, g.b_row_bytes);
    x.nt_ready = calloc((size_t)L->nt, sizeof *x.nt_ready);
    if (rc || !x.nt_ready) {
        rc = pk_error_set(err, PK_ENOMEM, "", 0, h->name, "out of memory");
        goto done;
    }
    int64_t rd0 = port->bytes, rq0 = port->reqs;
    /* the descriptor, then (per-tensor layers) the one parameter record;
     * the layer's own fetches wait for the previous layer's writes */
    int64_t desc = port_run(port, NEG, DESC_BYTES);
    x.e_comp = pk_max2(desc, start) + port->desc_ld; /* lay_start */
    port->next = pk_max2(port->next, x.e_comp + 1);
    int64_t pt_bytes = h->uses_params && h->per_tensor ? g.rec : 0;
    port_run(port, NEG, pt_bytes);

    if (g.global)
        run_global(&x);
    else if (L->order == PK_ORDER_WS)
        run_ws(&x);
    else if (L->order == PK_ORDER_KC)
        run_kc(&x);
    else
        run_blocks(&x);

    L->start = start;
    L->end = pk_max2(x.e_comp, x.post.w1);
    L->cycles = L->end - start;
    L->rd_bytes = port->bytes - rd0;
    L->rd_reqs = port->reqs - rq0;
    L->wr_bytes = x.post.bytes;
    L->wr_reqs = x.post.reqs;
    int64_t in_once = g.need_rows * g.row_bytes + g.b_rows * g.b_row_bytes;
    int64_t w_once = 0;
    for (int64_t nt = 0; nt < L->nt; nt++)
        w_once += g.global ? 0 : nt_bytes(&x, nt);
    L->w_refetch = x.w_bytes - w_once;
    L->in_refetch = L->rd_bytes - DESC_BYTES - pt_bytes - x.w_bytes - in_once;
done:
    free(g.need);
    ring_fini(&x.ra);
    ring_fini(&x.rb);
    free(x.nt_ready);
    return rc;
}

/* Plan layer li; a layer that can run in WB with a resident prefix (V2-5
 * item 3) is planned both ways and keeps the prefix only when it ends
 * earlier (the order's drain at each block can cost more than the rows it
 * saves: a compute-bound layer). */
static int layer_plan_pre(const pk_hwnet_t *hw, int li, const pk_plan_opts_t *o, int64_t start,
                          int ns_pass, port_t *port, pk_plan_layer_t *L, pk_error_t *err)
{
    port_t p0 = *port;
    int rc = layer_plan_as(hw, li, o, start, o->prefix < 0, ns_pass, port, L, err);
    if (rc || L->pre == 0 || o->prefix > 0)
        return rc;
    port_t p1 = p0;
    pk_plan_layer_t W;
    rc = layer_plan_as(hw, li, o, start, 1, ns_pass, &p1, &W, err);
    if (!rc && W.end <= L->end) {
        *L = W;
        *port = p1;
    }
    return rc;
}

/* ... and a flat WB layer also as NS with passes (V2-5 item 3), kept when it ends
 * earlier (o->nspass 0, the rule) or wherever it exists (1). */
static int layer_plan(const pk_hwnet_t *hw, int li, const pk_plan_opts_t *o, int64_t start,
                      port_t *port, pk_plan_layer_t *L, pk_error_t *err)
{
    port_t p0 = *port;
    int rc = layer_plan_pre(hw, li, o, start, 0, port, L, err);
    if (rc || o->nspass < 0 || L->order != PK_ORDER_WB || !L->flat)
        return rc;
    port_t p1 = p0;
    pk_plan_layer_t N;
    rc = layer_plan_pre(hw, li, o, start, 1, &p1, &N, err);
    if (!rc && N.order == PK_ORDER_NS && (o->nspass > 0 || N.end < L->end)) {
        *L = N;
        *port = p1;
    }
    return rc;
}

int pk_plan_make(const pk_hwnet_t *hw, const pk_plan_opts_t *opts, pk_plan_t **out,
                 pk_error_t *err)
{
    pk_plan_opts_t o;
    if (opts)
        o = *opts;
    else
        pk_plan_opts_default(&o);
    *out = NULL;
    pk_plan_t *p = calloc(1, sizeof *p);
    if (!p || !(p->layers = calloc((size_t)(hw->n_layers ? hw->n_layers : 1),
                                   sizeof *p->layers))) {
        free(p);
        return pk_error_set(err, PK_ENOMEM, "", 0, "plan", "out of memory");
    }
    p->n = hw->n_layers;
    port_t port = {.next = 1, .d = NEG, .lat = hw->cfg->offchip.latency,
                   .pb = hw->cfg->offchip.bytes_per_cycle,
                   .mb = pk_max2(o.max_burst, hw->cfg->offchip.bytes_per_cycle),
                   .desc_ld = pk_v2_desc_load_cycles(hw->cfg->offchip.bytes_per_cycle)};
    int64_t t = 0;
    for (int i = 0; i < hw->n_layers; i++) {
        pk_plan_layer_t *L = &p->layers[i];
        int rc = layer_plan(hw, i, &o, t, &port, L, err);
        if (rc) {
            pk_plan_free(p);
            return rc;
        }
        t = L->end;
        p->tot.rd_bytes += L->rd_bytes;
        p->tot.wr_bytes += L->wr_bytes;
        p->tot.rd_reqs += L->rd_reqs;
        p->tot.wr_reqs += L->wr_reqs;
        p->tot.busy += L->busy;
    }
    p->tot.cycles = t;
    *out = p;
    return 0;
}

void pk_plan_free(pk_plan_t *p)
{
    if (!p)
        return;
    free(p->layers);
    free(p);
}

int pk_plan_n_layers(const pk_plan_t *p)
{
    return p->n;
}

const pk_plan_layer_t *pk_plan_layer(const pk_plan_t *p, int i)
{
    return &p->layers[i];
}

const pk_plan_totals_t *pk_plan_totals(const pk_plan_t *p)
{
    return &p->tot;
}
