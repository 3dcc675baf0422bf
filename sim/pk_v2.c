/* pk_v2.c - the v2 cycle model: descriptors in, cycles and counters out
 * (ARCHITECTURE.md V2-6, V2-7).
 *
 * Design: one layer is a loop nest over its order's counters; every step
 * asks the loader for what it reads (weight unit or block or chunk, then
 * its input rows, then its operand-B rows), which appends the units not yet
 * fetched to the fetch program and issues them on the read port request by
 * request.  Because the program is in order of first use, every unit's
 * space (a ring slot, a weight half) was last read by an earlier step whose
 * end is known, so the engines are registers and small tables:
 *   port     next issue cycle, D of the last request (7.1: D_j = max(D_{j-1},
 *            I_j + LAT) + beats_j);
 *   ring     per fetch, the end of the last step that read its row (the
 *            low-water mark of V2-6.1: fetch q waits for fetch q - cap);
 *            per row, its fetch number in the current pass and usable cycle;
 *   weights  per half, the end of the last step that read it; WS: per
 *            n-tile, usable cycle;
 *   COMPUTE  end of the previous step; accumulator banks (tile mod 2);
 *   POST     PPU end, write end of the last two staging groups.
 * Requests are walked one by one (a ResNet-18 has about 30 k), not in
 * closed form.  All values come from the decoded descriptor (pk_v2_desc_t).
 */
#include "pk_v2.h"

#include <stdlib.h>
#include <string.h>

#include "pk_contract.h"
#include "pk_v2desc.h"
#include "pk_v2_consts.h"
#include "pk_imath.h"

#define NEG (INT64_MIN / 4) /* "-inf": no such event */

/* ---- read port (ARCHITECTURE_V1.md 7.1) ---- */

typedef struct port {
    int64_t next, d;      /* next issue cycle; D of the last request */
    int64_t lat, pb, mb;
    int64_t desc_ld;      /* pk_v2_desc_load_cycles (the layer boundary), computed once */
    pk_counters_t *c;     /* the running layer's counters */
    const pk_v2_trace_t *tr;
    int layer;            /* the running layer (trace) */
} port_t;

/* A trace is taken (the events below are built only then: a run without
 * one builds none). */
static int tracing(const port_t *p)
{
    return p->tr && p->tr->fn;
}

static void emit(const port_t *p, pk_v2_event_t *e)
{
    if (p->tr && p->tr->fn) {
        e->layer = p->layer;
        p->tr->fn(p->tr->ctx, e);
    }
}

/* A contiguous unit of n bytes at addr, not before `ready`: its requests,
 * one per cycle.  Returns the cycle its last beat is usable (D + 1). */
static int64_t port_unit(port_t *p, int64_t ready, int64_t n, pk_v2_unit_t unit, uint64_t addr)
{
    if (n <= 0)
        return ready;
    int64_t I = pk_max2(p->next, ready);
    if (!(p->tr && p->tr->fn)) {
        /* no events to emit: the loop below in closed form. Each request
         * adds >= 1 cycle of beats to D and the next issues one cycle later,
         * so after the first request D >= issue + lat: the max takes D */
        int64_t k = pk_cdiv(n, p->mb), last = n - (k - 1) * p->mb;
        p->d = pk_max2(p->d, I + p->lat) + (k - 1) * pk_cdiv(p->mb, p->pb) + pk_cdiv(last, p->pb);
        p->c->v[PK_CNT_DRAM_RD_BYTES] += (uint64_t)n;
        p->c->v[PK_CNT_DRAM_RD_REQS] += (uint64_t)k;
        p->next = I + k;
        return p->d + 1;
    }
    for (int64_t off = 0; off < n; off += p->mb, I++) {
        int64_t len = pk_min2(p->mb, n - off);
        p->d = pk_max2(p->d, I + p->lat) + pk_cdiv(len, p->pb);
        p->c->v[PK_CNT_DRAM_RD_BYTES] += (uint64_t)len;
        p->c->v[PK_CNT_DRAM_RD_REQS]++;
        pk_v2_event_t e = {.kind = PK_V2_EV_REQ, .cycle = I, .end = p->d, .unit = unit,
                           .addr = addr + (uint64_t)off, .len = len};
        emit(p, &e);
    }
    p->next = I;
    return p->d + 1;
}

/* ---- activation ring: one stream of rows (A or B) ----
 * The RTL's ring keeps no per-slot state: fetch number q goes to slot
 * q mod cap, and the loader may write it once the row fetched cap fetches
 * earlier is below COMPUTE's low-water mark, i.e. once the last step that
 * read that row has ended.  So the model keeps, per fetch, the end of its
 * last reader (released[q]), and per row its fetch number in this pass. */

typedef struct ring {
    int64_t cap, rows, bytes, words; /* slots, rows, DRAM bytes and ring words per row */
    uint64_t base;                   /* DRAM address of row 0 (trace) */
    pk_v2_unit_t unit;
    int64_t runs, stride, off;       /* > 0: a row is `runs` runs of `bytes` at `stride`, from
                                      * `off` (a global pool's channel slices, V2-4.4) */
    int64_t fetches;                 /* fetches so far (at most rows x passes) */
    int64_t pre;                     /* resident prefix (V2-5 item 3): rows kept, 0 none */
    int64_t pass0;                   /* first fetch of the current pass */
    int64_t drain;                   /* prefix: the previous pass's last release */
    int64_t *released;               /* per fetch: end of the last step reading it */
    int64_t *fetch_of, *usable;      /* per row: its fetch this pass (-1), usable cycle */
    char *need;                      /* per row: some tap reads it */
    /* ring_get's last rows and answer: every needed row of them fetched, so
     * asked again (the next n-tile's step) before a new pass, the answer is
     * the same (usable[] changes only when a row is fetched) */
    int64_t got_y0, got_y1, got_ready;
    int got;                         /* 0: none kept */
    /* ring_read's last rows and end, not yet in released[] (rd 0: none):
     * the next n-tile's step reads the same rows and ends later, so only
     * the last end is written, before released[] is next read (ring_flush) */
    int64_t rd_y0, rd_y1, rd_end;
    int rd;
} ring_t;

static int ring_open(ring_t *r, int64_t cap, int64_t rows, int64_t bytes, int64_t words,
                     int64_t passes)
{
    memset(r, 0, sizeof *r);
    r->cap = cap;
    r->rows = rows;
    r->bytes = bytes;
    r->words = words;
    if (rows <= 0 || cap <= 0)
        return 0;
    r->fetch_of = malloc((size_t)rows * sizeof *r->fetch_of);
    r->usable = malloc((size_t)rows * sizeof *r->usable);
    r->need = malloc((size_t)rows);
    r->released = malloc((size_t)(rows * passes) * sizeof *r->released);
    if (!r->fetch_of || !r->usable || !r->need || !r->released)
        return -1;
    memset(r->need, 1, (size_t)rows);
    for (int64_t y = 0; y < rows; y++)
        r->fetch_of[y] = -1;
    return 0;
}

static void ring_close(ring_t *r)
{
    free(r->released);
    free(r->fetch_of);
    free(r->usable);
    free(r->need);
}

static void ring_flush(ring_t *r);

/* Every row is fetched again (WB: per weight block; global pool: per
 * pass); fetch numbers keep counting, so slots keep rotating.  With a
 * resident prefix only rows >= pre, whose stream restarts at slot pre: its
 * first cap - pre rows wait for the previous pass's last reader (drain). */
static void ring_new_pass(ring_t *r)
{
    ring_flush(r);
    for (int64_t y = r->pre; y < r->rows; y++)
        r->fetch_of[y] = -1;
    r->got = 0;
    if (r->pre) {
        r->drain = NEG;
        for (int64_t q = r->pass0; q < r->fetches; q++)
            r->drain = pk_max2(r->drain, r->released[q]);
    }
    r->pass0 = r->fetches;
}

/* The space rule (V2-6.1): row y's fetch q may write once this release. */
static int64_t ring_space(const ring_t *r, int64_t y, int64_t q)
{
    if (!r->pre)
        return q >= r->cap ? r->released[q - r->cap] : NEG;
    if (y < r->pre)
        return NEG; /* a prefix slot: written once, in the first pass */
    int64_t cs = r->cap - r->pre;
    return y - cs >= r->pre ? r->released[r->fetch_of[y - cs]] : r->drain;
}

/* Rows [y0, y1] for a step: the loader fetches the missing needed ones,
 * each once the row cap fetches before it is released; returns the cycle
 * all are usable. */
static int64_t ring_get(ring_t *r, port_t *p, int64_t y0, int64_t y1)
{
    if (r->got && y0 == r->got_y0 && y1 == r->got_y1)
        return r->got_ready;
    int64_t ready = NEG;
    for (int64_t y = y0; y <= y1; y++) {
        if (!r->need[y])
            continue;
        if (r->fetch_of[y] < 0) {
            ring_flush(r); /* ring_space reads released[] */
            int64_t q = r->fetches++;
            /* the banks' write FIFOs finish a row RING_WR_LAT cycles later (V2-11.4 item 4) */
            if (r->runs) { /* one run per pixel: the pixel's slice */
                uint64_t a = r->base + (uint64_t)(y * r->runs * r->stride + r->off);
                int64_t sp = ring_space(r, y, q);
                for (int64_t x = 0; x < r->runs; x++)
                    r->usable[y] = port_unit(p, sp, r->bytes, r->unit,
                                             a + (uint64_t)(x * r->stride));
                r->usable[y] += PK_RING_WR_LAT;
            } else
                r->usable[y] = port_unit(p, ring_space(r, y, q), r->bytes, r->unit,
                                         r->base + (uint64_t)(y * r->bytes)) +
                               PK_RING_WR_LAT;
            r->released[q] = NEG;
            r->fetch_of[y] = q;
            p->c->v[PK_CNT_PBUF_WR] += (uint64_t)r->words;
        }
        ready = pk_max2(ready, r->usable[y]);
    }
    r->got = 1, r->got_y0 = y0, r->got_y1 = y1, r->got_ready = ready;
    return ready;
}

/* A step that read rows [y0, y1] ended at `end` (steps end in order, so
 * the last reader's end is the latest). */
static void ring_flush(ring_t *r)
{
    if (!r->rd)
        return;
    r->rd = 0;
    for (int64_t y = r->rd_y0; y <= r->rd_y1; y++)
        if (r->need[y])
            r->released[r->fetch_of[y]] = r->rd_end;
}

static void ring_read(ring_t *r, int64_t y0, int64_t y1, int64_t end)
{
    if (!(r->rd && y0 == r->rd_y0 && y1 == r->rd_y1))
        ring_flush(r);
    r->rd = 1, r->rd_y0 = y0, r->rd_y1 = y1, r->rd_end = end;
}

/* ---- one layer ---- */

typedef struct lay {
    const pk_v2_desc_t *d;
    const pk_config_t *cfg;
    int64_t R, PL, PB, MB, wb;
    port_t *port;
    pk_counters_t *c;
    ring_t ra, rb;
    int64_t e_comp;          /* end of the previous step */
    int64_t half_end[2];     /* weight halves: last read */
    int64_t bank_end[2];     /* accumulator banks: PPU end of their last tile */
    int64_t tile;            /* tiles so far */
    int64_t ppu_end, w1, w2; /* POST: PPU end; write end of the last two groups */
    int grp_open;            /* a staging group is open */
    int64_t grp_c0;          /* its first channel */
    int64_t oy0, ox0;        /* window generator: first pixel of the tile */
    int64_t oy1, ox1;        /* and its last (R - 1 further) */
    int64_t steps, tiles;
    int64_t cur_p0, cur_c0;  /* the step's first output pixel and channel (trace) */
    int64_t all_tiles;       /* the layer's tiles */
    int cgroups;             /* channel groups (V2-5 item 2): a ring pass per block */
    int64_t ppu_nr, ppu_nc, ppu_cyc; /* the last tile's PPU cycles (nr -1: none) */
} lay_t;

static int64_t cols_of(const lay_t *x, int64_t nt)
{
    return pk_min2(x->d->ct, x->d->out_c - nt * x->d->ct);
}

static int per_channel(const pk_v2_desc_t *d)
{
    return d->uses_params && !d->per_tensor;
}

/* Weight-buffer words one column's records take. */
static int64_t rec_words(const lay_t *x)
{
    return per_channel(x->d) ? pk_cdiv(x->d->rec, x->wb) : 0;
}

/* DRAM bytes of n-tile nt's unit (weights and records). */
static int64_t unit_bytes(const lay_t *x, int64_t nt)
{
    int64_t nc = cols_of(x, nt);
    return pk_cdiv(x->d->unit_bytes * nc, x->d->ct) + (per_channel(x->d) ? nc * x->d->rec : 0);
}

/* Fetch n-tile range [n0, n1)'s units (k-steps [k0, k0 + nk) of them, with
 * records when with_rec) as one run into space free at `ready`. */
static int64_t fetch_weights(lay_t *x, int64_t ready, int64_t n0, int64_t n1, int64_t k0,
                             int64_t nk, int with_rec)
{
    const pk_v2_desc_t *d = x->d;
    int64_t bytes = 0, off = pk_cdiv(d->unit_bytes * k0 * cols_of(x, n0), d->ks * d->ct);
    for (int64_t nt = 0; nt < n0; nt++)
        off += unit_bytes(x, nt);
    for (int64_t nt = n0; nt < n1; nt++) {
        int64_t nc = cols_of(x, nt);
        bytes += pk_cdiv(d->unit_bytes * nk * nc, d->ks * d->ct);
        if (with_rec)
            bytes += per_channel(d) ? nc * d->rec : 0;
        /* words the loader writes: none for a layer without weights (pool, EW) */
        x->c->v[PK_CNT_WBUF_WR] +=
            (uint64_t)(nc * ((d->unit_bytes > 0 ? nk : 0) + (with_rec ? rec_words(x) : 0)));
    }
    return port_unit(x->port, ready, bytes, PK_V2_U_W, d->addr_w + (uint64_t)off);
}

/* Window generators: the tile's first and last output pixel advance by R
 * pixels per tile (column by R mod out_w, carry, row by R div out_w). */
static void gen_start(lay_t *x)
{
    x->oy0 = x->ox0 = 0;
    x->oy1 = (x->R - 1) / x->d->out_w;
    x->ox1 = (x->R - 1) % x->d->out_w;
}

static void gen_advance(lay_t *x)
{
    const pk_v2_desc_t *d = x->d;
    x->ox0 += d->r_mod;
    x->oy0 += d->r_div + (x->ox0 >= d->out_w);
    x->ox0 -= x->ox0 >= d->out_w ? d->out_w : 0;
    x->ox1 += d->r_mod;
    x->oy1 += d->r_div + (x->ox1 >= d->out_w);
    x->ox1 -= x->ox1 >= d->out_w ? d->out_w : 0;
}

/* Input rows the current pixel tile reads (the last tile's rows stop at the
 * image's last output row). */
static void gen_rows(const lay_t *x, int64_t *y0, int64_t *y1)
{
    const pk_v2_desc_t *d = x->d;
    int64_t oy1 = pk_min2(x->oy1, d->out_h - 1);
    *y0 = pk_max2(0, x->oy0 * d->s - d->pad);
    *y1 = pk_min2(d->in_h - 1, oy1 * d->s + d->kh - 1 - d->pad);
}

/* POST of the step's tile: PPU (V2-7.4: rows packed when the tile's columns
 * fill at most half the lanes; a global pool's chunks only when they end on a
 * byte), then the group's writes when it closes: wrows
 * pixels of `chans` channels (global pool: one pixel). */
static void post_tile(lay_t *x, int64_t nrows, int64_t ncols, int closes, int64_t wrows,
                      int64_t chans, int contiguous)
{
    if (!x->d->global && (nrows != x->ppu_nr || ncols != x->ppu_nc)) /* tiles repeat shapes */
        x->ppu_nr = nrows, x->ppu_nc = ncols, x->ppu_cyc = pk_v2_ppu_cycles(nrows, ncols, x->PL);
    int64_t ppu = x->d->global ? pk_v2_ppu_pool_cycles(nrows, ncols, x->d->out_bits, x->PL)
                               : x->ppu_cyc;
    int64_t s = pk_max2(x->e_comp + PK_V2_ARRAY_LAT, x->ppu_end);
    int opens = !x->grp_open;
    if (opens)
        s = pk_max2(s, x->w2);
    x->grp_open = 1;
    x->ppu_end = s + ppu;
    x->bank_end[x->tile % 2] = x->ppu_end;
    if (tracing(x->port)) {
        pk_v2_event_t te = {.kind = PK_V2_EV_TILE, .cycle = x->e_comp + PK_V2_ARRAY_LAT - 1,
                            .ps = s, .end = x->ppu_end, .bank = x->tile % 2, .p0 = x->cur_p0,
                            .nr = nrows, .c0 = x->cur_c0, .nc = ncols, .open = opens,
                            .close = closes, .last = x->tiles + 1 == x->all_tiles};
        emit(x->port, &te);
    }
    x->tile++;
    x->tiles++;
    if (!closes)
        return;
    /* the writer: one run (whole pixels) or one per pixel, split at MB */
    int64_t gb = pk_cdiv(chans * x->d->out_bits, 8);
    int64_t runs = contiguous ? 1 : wrows, run = contiguous ? wrows * gb : gb, beats = 0;
    uint64_t reqs0 = x->c->v[PK_CNT_DRAM_WR_REQS];
    if (run > 0) { /* each run: k requests of MB bytes, the last of `last` */
        int64_t k = pk_cdiv(run, x->MB), last = run - (k - 1) * x->MB;
        beats = runs * ((k - 1) * pk_cdiv(x->MB, x->PB) + pk_cdiv(last, x->PB));
        x->c->v[PK_CNT_DRAM_WR_BYTES] += (uint64_t)(runs * run);
        x->c->v[PK_CNT_DRAM_WR_REQS] += (uint64_t)(runs * k);
    }
    int64_t w = pk_max2(x->w1, x->ppu_end + PK_PPU_LAT) + beats;
    if (tracing(x->port)) {
        pk_v2_event_t ge = {.kind = PK_V2_EV_GROUP, .cycle = w - beats, .end = w, .beats = beats,
                            .runs = (int64_t)(x->c->v[PK_CNT_DRAM_WR_REQS] - reqs0)};
        emit(x->port, &ge);
    }
    x->w2 = x->w1;
    x->w1 = w;
    x->grp_open = 0;
}

/* One COMPUTE step: nk k-steps of n-tile nt (-1: global pool pass) over
 * input rows [y0, y1], weights usable at w_ready.  last: the tile's last
 * step (then its POST); closes: it closes the staging group. */
static void step(lay_t *x, int64_t nt, int64_t y0, int64_t y1, int64_t nk, int64_t w_ready,
                 int last, int closes, int64_t nrows)
{
    const pk_v2_desc_t *d = x->d;
    int64_t ready = pk_max2(w_ready, ring_get(&x->ra, x->port, y0, y1));
    int64_t b0 = 0, b1 = -1;
    if (d->b_row_bytes) { /* a channel-wise multiply's B: its one pixel, row 0 */
        b0 = d->res_mul ? 0 : x->oy0;
        b1 = d->res_mul ? 0 : x->oy0 + (x->ox0 + nrows - 1) / d->out_w;
        ready = pk_max2(ready, ring_get(&x->rb, x->port, b0, b1));
    }
    int64_t s = pk_max2(pk_max2(x->e_comp, ready), x->bank_end[x->tile % 2]);
    /* the tile's tail (V2-11.4 item 1): its records from the weight buffer
     * and its operand-B words from the ring, handed to POST */
    int64_t rw = 0, bw = 0, ncols = d->global ? d->ct : cols_of(x, nt);
    if (last) {
        rw = rec_words(x);
        bw = pk_v2_tail_cycles(0, d->b_row_bytes > 0, nt * d->ct, ncols, d->r_bits, x->wb);
    }
    int64_t tail = pk_max2(rw, bw);
    x->e_comp = s + nk + tail;
    x->c->v[PK_CNT_BUSY] += (uint64_t)(nk + tail);
    x->c->v[PK_CNT_PBUF_RD] += (uint64_t)(x->R * (nk + bw));
    x->c->v[PK_CNT_WBUF_RD] += (uint64_t)(ncols * rw);
    x->steps++;
    if (tracing(x->port)) {
        pk_v2_event_t se = {.kind = PK_V2_EV_STEP, .cycle = s, .end = x->e_comp, .nk = nk,
                            .tail = tail, .bank = x->tile % 2};
        emit(x->port, &se);
    }
    ring_read(&x->ra, y0, y1, x->e_comp);
    if (d->b_row_bytes)
        ring_read(&x->rb, b0, b1, x->e_comp);
    if (d->global) {
        if (last)
            post_tile(x, nrows, d->ct, 1, 1,
                      pk_min2(d->out_c - (x->tile * x->R) * d->ct, x->R * d->ct), 1);
        return;
    }
    if (d->kind == PK_KIND_CONV || d->kind == PK_KIND_DW)
        x->c->v[PK_CNT_WBUF_RD] += (uint64_t)(nk * ncols);
    if (!x->grp_open)
        x->grp_c0 = nt * d->ct;
    if (!last)
        return;
    x->c->v[PK_CNT_OUT_ELEMS] += (uint64_t)(nrows * ncols);
    int64_t chans = nt * d->ct + ncols - x->grp_c0;
    post_tile(x, nrows, ncols, closes, nrows, chans, chans == d->out_c && d->out_c_total == 0);
}

static int64_t tile_rows_valid(const lay_t *x, int64_t mt)
{
    return pk_min2(x->R, x->d->out_h * x->d->out_w - mt * x->R);
}

static int group_closes(const lay_t *x, int64_t nt, int64_t n0, int64_t n1)
{
    return nt == n1 - 1 || (nt - n0 + 1) % x->d->nw == 0;
}

/* The tile's step of n-tile nt, rows from the window generators. */
static void tile_step(lay_t *x, int64_t mt, int64_t nt, int64_t nk, int64_t w_ready, int last,
                      int closes)
{
    int64_t y0, y1;
    gen_rows(x, &y0, &y1);
    x->cur_p0 = mt * x->R;
    x->cur_c0 = nt * x->d->ct;
    step(x, nt, y0, y1, nk, w_ready, last, closes, tile_rows_valid(x, mt));
}

static int run_ws(lay_t *x)
{
    const pk_v2_desc_t *d = x->d;
    int64_t *ready = calloc((size_t)d->nt, sizeof *ready);
    if (!ready)
        return PK_ENOMEM;
    gen_start(x);
    for (int64_t mt = 0; mt < d->mt; mt++, gen_advance(x))
        for (int64_t nt = 0; nt < d->nt; nt++) {
            if (mt == 0)
                ready[nt] = fetch_weights(x, NEG, nt, nt + 1, 0, d->ks, 1);
            tile_step(x, mt, nt, d->ks, ready[nt], 1, group_closes(x, nt, 0, d->nt));
        }
    free(ready);
    return 0;
}

/* Ring words one stored input row takes in pass b (the loader's writes).
 * Channel groups (V2-5 item 2): block b's chunks of each pixel, Jw, or
 * fewer in a shorter last block: ceil(its channels / VP), VP = nb * Cd / Jw
 * (a block starts on a ring word); no word past the pixel's last chunk. */
static int64_t row_words(const pk_v2_desc_t *d, int cgroups, int64_t b)
{
    if (d->fx > 1)
        return (d->pad_l + d->in_w - 1) / d->fx - d->pad_l / d->fx + 1;
    if (cgroups) {
        int64_t bc = d->nb * d->ct, ch = pk_min2(bc, d->in_c - b * bc);
        return d->in_w * pk_cdiv(ch * d->jw, bc);
    }
    return d->in_w * d->jw;
}

/* IS, WB (block b in half b mod 2; WB re-streams the input per block) and
 * NS (one n-tile in both halves). */
static void run_blocks(lay_t *x)
{
    const pk_v2_desc_t *d = x->d;
    for (int64_t n0 = 0, b = 0; n0 < d->nt; n0 += d->nb, b++) {
        int64_t n1 = pk_min2(d->nt, n0 + d->nb), half = d->order == PK_ORDER_NS ? 0 : b % 2;
        int64_t ready = fetch_weights(x, x->half_end[half], n0, n1, 0, d->ks, 1);
        if (pk_v2_desc_passes(d, x->cgroups) && b > 0) /* channel groups, NS with passes too */
            ring_new_pass(&x->ra);
        x->ra.words = row_words(d, x->cgroups, b);
        if (x->cgroups && d->cgs) { /* the strided group fetch (V2-5 item 2): block b's slice
                                     * of each pixel, the pixel's rest in the last block */
            x->ra.runs = d->in_w;
            x->ra.stride = d->gs_ps;
            x->ra.off = b * d->cs_bytes;
            x->ra.bytes = pk_min2(d->cs_bytes, d->gs_ps - b * d->cs_bytes);
        }
        gen_start(x);
        for (int64_t mt = 0; mt < d->mt; mt++, gen_advance(x))
            for (int64_t nt = n0; nt < n1; nt++)
                tile_step(x, mt, nt, d->ks, ready, 1, group_closes(x, nt, n0, n1));
        x->half_end[half] = x->e_comp;
    }
}

static void run_kc(lay_t *x)
{
    const pk_v2_desc_t *d = x->d;
    int64_t s = 0;
    gen_start(x);
    for (int64_t mt = 0; mt < d->mt; mt++, gen_advance(x))
        for (int64_t nt = 0; nt < d->nt; nt++)
            for (int64_t k0 = 0; k0 < d->ks; k0 += d->kc, s++) {
                int64_t nk = pk_min2(d->kc, d->ks - k0);
                int64_t ready = fetch_weights(x, x->half_end[s % 2], nt, nt + 1, k0, nk, k0 == 0);
                tile_step(x, mt, nt, nk, ready, k0 + nk == d->ks,
                          group_closes(x, nt, 0, d->nt));
                x->half_end[s % 2] = x->e_comp;
            }
}

/* Global pool: pass mt gives row r channel chunk mt * R + r; one step per
 * input row (in_w k-steps), the input re-streamed per pass unless the ring
 * holds it all; with the channel-slice fetch (GSL) pass mt fetches only its
 * slice of each pixel (the last pass: the pixel's rest), Js words each. */
static void run_global(lay_t *x)
{
    const pk_v2_desc_t *d = x->d;
    int64_t chunks = pk_cdiv(d->out_c, d->ct);
    for (int64_t mt = 0; mt < d->mt; mt++) {
        if (mt > 0 && (d->gsl || x->ra.cap < d->in_h))
            ring_new_pass(&x->ra);
        if (d->gsl) {
            int64_t sl = pk_min2(d->gs_bytes, d->gs_ps - mt * d->gs_bytes);
            x->ra.runs = d->in_w;
            x->ra.stride = d->gs_ps;
            x->ra.off = mt * d->gs_bytes;
            x->ra.bytes = sl;
            x->ra.words = d->in_w * pk_cdiv(sl * d->jw, d->gs_bytes);
        }
        x->cur_p0 = 0;
        x->cur_c0 = mt * x->R * d->ct;
        for (int64_t y = 0; y < d->in_h; y++)
            step(x, -1, y, y, d->in_w, NEG, y == d->in_h - 1, 1,
                 pk_min2(x->R, chunks - mt * x->R));
    }
    x->c->v[PK_CNT_OUT_ELEMS] += (uint64_t)d->out_c;
}

/* need[y] of the A stream: some kernel row of some output row reads y. */
static void mark_needed(const pk_v2_desc_t *d, ring_t *r)
{
    for (int64_t y = 0; y < r->rows && !d->global; y++) {
        r->need[y] = 0;
        for (int64_t i = 0; i < d->kh; i++) {
            int64_t t = y + d->pad - i;
            if (t >= 0 && t % d->s == 0 && t / d->s < d->out_h)
                r->need[y] = 1;
        }
    }
}

/* Valid products (CONV, DW) or pool terms: taps inside the image. */
static void count_ops(const pk_v2_desc_t *d, pk_counters_t *c)
{
    if (d->kind == PK_KIND_EW)
        return;
    int64_t vy = 0, vx = 0;
    for (int64_t i = 0; i < d->kh; i++)
        for (int64_t o = 0; o < d->out_h; o++)
            vy += o * d->s - d->pad + i >= 0 && o * d->s - d->pad + i < d->in_h;
    for (int64_t j = 0; j < d->kw; j++)
        for (int64_t o = 0; o < d->out_w; o++)
            vx += o * d->sw - d->pad_l + j >= 0 && o * d->sw - d->pad_l + j < d->in_w;
    uint64_t n = (uint64_t)(vy * vx * d->out_c * (d->kind == PK_KIND_CONV ? d->in_c : 1));
    c->v[d->kind == PK_KIND_CONV || d->kind == PK_KIND_DW ? PK_CNT_MACS : PK_CNT_POOL_OPS] += n;
}

static void derived_ops(const pk_v2_desc_t *d, pk_counters_t *c)
{
    uint64_t el = c->v[PK_CNT_OUT_ELEMS];
    c->v[PK_CNT_QN_OPS] = d->qn_en ? el : 0;
    c->v[PK_CNT_RES_OPS] = d->res_en ? el : 0;
    c->v[PK_CNT_RQ_OPS] = d->rq_en ? el : 0;
    c->v[PK_CNT_ACT_OPS] = d->act != PK_ACT_NONE ? el : 0;
}

static int layer_run(lay_t *x, int64_t start, pk_layer_timing_t *T)
{
    int rc = 0;
    const pk_v2_desc_t *d = x->d;
    memset(T, 0, sizeof *T);
    x->c = &T->cnt;
    x->port->c = &T->cnt;
    x->half_end[0] = x->half_end[1] = x->bank_end[0] = x->bank_end[1] = NEG;
    x->ppu_end = x->w1 = x->w2 = NEG;
    int64_t desc = port_unit(x->port, NEG, PK_DESC2_BYTES, PK_V2_U_DESC,
                             (uint64_t)x->port->layer * PK_DESC2_BYTES);
    x->e_comp = pk_max2(desc, start) + x->port->desc_ld; /* lay_start (V2-7.5) */
    x->port->next = pk_max2(x->port->next, x->e_comp + 1);
    int64_t e_desc = x->e_comp;
    if (d->uses_params && d->per_tensor)
        port_unit(x->port, NEG, d->rec, PK_V2_U_REC, d->addr_param);
    int64_t bpx = pk_v2_desc_b_pixels(d);
    int64_t ps_b = d->b_row_bytes ? d->b_row_bytes / bpx : 0;
    /* passes over the input: WB (and channel groups, V2-5 item 2, and NS with
     * passes, item 3) one per weight block, global pool one per pass of channel
     * chunks, else one */
    int64_t passes = 1;
    if (d->global)
        passes = d->mt;
    else if (pk_v2_desc_passes(d, x->cgroups))
        passes = pk_cdiv(d->nt, d->nb);
    if (ring_open(&x->ra, d->cap, d->in_h, d->row_bytes, row_words(d, x->cgroups, 0), passes) ||
        ring_open(&x->rb, d->cap_b, !d->b_row_bytes ? 0 : d->res_mul ? 1 : d->out_h,
                  d->b_row_bytes, bpx * pk_cdiv(ps_b, x->wb), 1)) {
        rc = PK_ENOMEM;
        goto done;
    }
    mark_needed(d, &x->ra);
    x->ra.pre = d->pre;
    x->ra.drain = NEG;
    x->ra.base = d->addr_in;
    x->ra.unit = PK_V2_U_A;
    if (d->in_c_total) { /* a channel slice (a grouped conv, V2-6.1): in_w runs a row */
        x->ra.runs = d->in_w;
        x->ra.stride = d->gs_ps;
        x->ra.bytes = d->cs_bytes; /* (row_bytes: the DRAM row, in_w * gs_ps) */
    }
    x->rb.base = d->addr_res;
    x->rb.unit = PK_V2_U_B;
    x->all_tiles = d->global ? d->mt : d->mt * d->nt;
    if (d->global)
        run_global(x);
    else if (d->order == PK_ORDER_WS)
        rc = run_ws(x);
    else if (d->order == PK_ORDER_KC)
        run_kc(x);
    else
        run_blocks(x);
done:
    ring_close(&x->ra);
    ring_close(&x->rb);
    count_ops(d, &T->cnt);
    derived_ops(d, &T->cnt);
    T->start = start;
    T->desc_end = e_desc;
    T->comp_end = x->e_comp;
    T->end = pk_max2(x->e_comp, x->w1);
    T->steps = x->steps;
    T->tiles = x->tiles;
    T->cnt.v[PK_CNT_CYCLES] = (uint64_t)(T->end - start);
    T->cnt.v[PK_CNT_STALL] = (uint64_t)(T->comp_end - e_desc) - T->cnt.v[PK_CNT_BUSY];
    pk_v2_event_t le = {.kind = PK_V2_EV_LAYER, .cycle = start, .ps = e_desc, .end = T->end};
    emit(x->port, &le);
    return rc;
}

int pk_v2_timing_run(const pk_config_t *cfg, const pk_plan_opts_t *opts, int n_layers,
                     const uint8_t *desc, pk_layer_timing_t *per_layer, pk_counters_t *total,
                     pk_error_t *err)
{
    return pk_v2_timing_trace(cfg, opts, n_layers, desc, NULL, per_layer, total, err);
}

int pk_v2_timing_trace(const pk_config_t *cfg, const pk_plan_opts_t *opts, int n_layers,
                       const uint8_t *desc, const pk_v2_trace_t *tr,
                       pk_layer_timing_t *per_layer, pk_counters_t *total, pk_error_t *err)
{
    pk_plan_opts_t o;
    if (opts)
        o = *opts;
    else
        pk_plan_opts_default(&o);
    memset(total, 0, sizeof *total);
    int64_t PB = cfg->offchip.bytes_per_cycle;
    port_t port = {.next = 1, .d = NEG, .lat = cfg->offchip.latency, .pb = PB,
                   .mb = pk_max2(o.max_burst, PB), .desc_ld = pk_v2_desc_load_cycles(PB), .tr = tr};
    int64_t t = 0;
    for (int i = 0; i < n_layers; i++) {
        pk_v2_desc_t d;
        pk_v2_desc_decode(desc + (size_t)i * PK_DESC2_BYTES, &d);
        lay_t x;
        memset(&x, 0, sizeof x);
        x.ppu_nr = -1;
        x.d = &d;
        x.cfg = cfg;
        x.R = cfg->array.rows;
        x.PL = o.ppu_lanes > 0 ? o.ppu_lanes : cfg->postproc.lanes;
        x.PB = PB;
        x.MB = port.mb;
        x.wb = cfg->d.word_bytes;
        x.cgroups = pk_v2_desc_cgroups(&d, cfg->array.lanes, cfg->d.slot_bits);
        if (d.pre && (!d.flat || (d.order != PK_ORDER_WB && !pk_v2_desc_ns_passes(&d)) ||
                      d.pre >= d.cap || d.pre >= d.in_h))
            return pk_error_set(err, PK_EINPUT, "", 0, "v2 model",
                                "layer %d: descriptor field PRE %lld: a resident prefix is for "
                                "a flat WB layer (or NS with passes), fewer rows than CAP and "
                                "IN_H (V2-5 item 3)",
                                i, (long long)d.pre);
        x.port = &port;
        port.layer = i;
        pk_layer_timing_t T;
        if (layer_run(&x, t, &T))
            return pk_error_set(err, PK_ENOMEM, "", 0, "v2 model", "out of memory");
        pk_counters_add(total, &T.cnt);
        if (per_layer)
            per_layer[i] = T;
        t = T.end;
    }
    total->v[PK_CNT_CYCLES] = (uint64_t)t;
    return 0;
}

int pk_v2_counter_kept(int i)
{
    return i >= 0 && i < PK_CNT_COUNT && ((PK_CNT_V2_KEEP >> i) & 1u);
}
