/* pk_v2ringwr.c - the ring's write side and its FIFO backlog (see
 * pk_v2ringwr.h).
 *
 * Design: the windowed layout places words with pk_v2_ring_place (the same
 * formula the window generators read with); the flat and global layouts are
 * V2-3.1's formulas written out here.  The backlog is a queue per bank with
 * one deterministic server: a word's write cycle is max(t + 1, the bank's
 * next free cycle), its FIFO holds (write cycle - t) words when it arrives.
 */
#include "pk_v2ringwr.h"

#include <stdlib.h>
#include <string.h>

#include "pk_imath.h"
#include "pk_v2ring.h"

void pk_v2_ring_geom(const pk_v2_desc_t *d, int64_t R, int64_t word_bytes,
                     int64_t act_buffer_bytes, int64_t pb, int64_t vp, pk_v2_ringgeom_t *g)
{
    g->R = R;
    g->da = 2 * act_buffer_bytes / (R * word_bytes);
    g->da_a = d->b_row_bytes ? g->da / 2 : g->da;
    g->pb = pb;
    g->vp = vp;
    /* the bytes a pixel brings: PS_in, or a global pool's channel slice (V2-4.4), or a
     * channel-group block's slice (CGS, V2-5 item 2: nb * Cd * a_bits / 8, blocks of one size
     * where pk_ld2 builds it; the last block's rest is not listed) */
    g->ps = d->gsl ? d->gs_bytes : d->cgs || d->csl ? d->cs_bytes
                                 : d->in_w > 0 ? d->row_bytes / d->in_w : 0;
}

int64_t pk_v2_ring_row_words_max(const pk_v2_desc_t *d)
{
    return (d->in_w + 1) * (d->jw > 0 ? d->jw : 1);
}

int pk_v2_ring_pixel_runs(const pk_v2_desc_t *d)
{
    return d->gsl || d->cgs || d->csl;
}

int64_t pk_v2_ring_byte_beat(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t x,
                             int64_t o)
{
    return pk_v2_ring_pixel_runs(d) ? x * pk_cdiv(g->ps, g->pb) + o / g->pb
                                    : (x * g->ps + o) / g->pb;
}

int64_t pk_v2_ring_row_beats(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d)
{
    return pk_v2_ring_pixel_runs(d) ? d->in_w * pk_cdiv(g->ps, g->pb)
                                    : pk_cdiv(d->in_w * g->ps, g->pb);
}

/* The beat of pixel x's chunk jc's last byte (channels jc * VP .. up to in_c - 1). */
static int64_t last_beat(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t x, int64_t jc)
{
    /* (a channel slice, V2-4.4: the pass's channels, whole when the RTL builds it) */
    int64_t c1 = pk_min2((jc + 1) * g->vp, d->gsl ? g->ps * 8 / d->a_bits : d->in_c);
    return pk_v2_ring_byte_beat(g, d, x, (c1 * d->a_bits - 1) / 8);
}

int64_t pk_v2_ring_prefix_pos(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t p)
{
    int64_t capp = g->da_a * g->R / d->jw / g->R * g->R, np = d->pre * d->in_w;
    int64_t S = (capp - np) / g->R * g->R;
    return p < np ? p : np + (p - np) % S;
}

int64_t pk_v2_ring_row_words(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t y,
                             int64_t seq, pk_v2_ringword_t *w)
{
    return pk_v2_ring_row_words_pass(g, d, y, seq, 0, w);
}

int64_t pk_v2_ring_row_words_pass(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t y,
                                  int64_t seq, int64_t b, pk_v2_ringword_t *w)
{
    int64_t n = 0;
    if (d->global || d->flat) {
        /* pixel p of the layer's fetch stream: a row fetched again (a global
         * pool's next pass) continues the stream, so that it overwrites only
         * rows <= seq - cap, as the slot rule of V2-6.1 requires */
        int64_t capp = g->da_a * g->R / d->jw / g->R * g->R;
        for (int64_t x = 0; x < d->in_w; x++)
            for (int64_t jc = 0; jc < d->jw; jc++, n++) {
                int64_t p = seq * d->in_w + x, s = p * d->jw + jc;
                if (d->flat && d->pre > 0) { /* a resident prefix: pk_v2_ring_prefix_pos */
                    p = pk_v2_ring_prefix_pos(g, d, y * d->in_w + x);
                    w[n] = (pk_v2_ringword_t){last_beat(g, d, x, jc), (p + jc) % g->R,
                                              (p / g->R) * d->jw + jc, x, x, jc};
                    continue;
                }
                w[n] = (pk_v2_ringword_t){last_beat(g, d, x, jc), 0, 0, x, x, jc};
                w[n].bank = d->global ? s % g->R : (p + jc) % g->R;
                w[n].addr = d->global ? (s / g->R) % g->da
                                      : ((p / g->R) % (capp / g->R)) * d->jw + jc;
            }
        return n;
    }
    /* channel groups: block b's chunks [jlo, jhi) of the pixel's Jin (pass 0 of
     * any other layer: [0, Jw)); the address of chunk jc is linear in jc */
    int64_t jin = d->fx > 1 ? d->jw : pk_cdiv(d->in_c, g->vp);
    int64_t jlo = jin > d->jw ? b * d->jw : 0, jhi = pk_min2(jlo + d->jw, pk_max2(jin, d->jw));
    int64_t lo = d->pad_l / d->fx, hi = (d->pad_l + d->in_w - 1) / d->fx;
    for (int64_t xf = lo; xf <= hi; xf++) {
        int64_t x0 = pk_max2(0, xf * d->fx - d->pad_l),
                x1 = pk_min2(d->in_w - 1, xf * d->fx - d->pad_l + d->fx - 1);
        for (int64_t jc = jlo; jc < jhi; jc++, n++) {
            int64_t last = d->fx > 1 ? pk_v2_ring_byte_beat(g, d, x1, g->ps - 1)
                                     : last_beat(g, d, x0, jc);
            if (d->cgs) /* the block's slice is the pixel: its chunk jc - jlo */
                last = pk_v2_ring_byte_beat(g, d, x0,
                                            (pk_min2((jc - jlo + 1) * g->vp, g->ps * 8 / d->a_bits) *
                                                 d->a_bits - 1) / 8);
            w[n] = (pk_v2_ringword_t){last, 0, 0, x0, x1, jc};
            pk_v2_ring_place(d, g->R, y + d->pad, xf, jc, seq % d->cap, &w[n].bank, &w[n].addr);
            w[n].addr -= jlo;
        }
    }
    return n;
}

int64_t pk_v2_ring_needed(const pk_v2_desc_t *d, uint8_t *needed)
{
    int64_t n = 0;
    for (int64_t y = 0; y < d->in_h; y++) {
        int need = d->global || d->flat;
        for (int64_t i = 0; i < d->kh && !need; i++) {
            int64_t t = y + d->pad - i;
            need = t >= 0 && t % d->s == 0 && t / d->s < d->out_h;
        }
        needed[y] = (uint8_t)need;
        n += need;
    }
    return n;
}

/* The bank rotation of the row fetched as seq-th (input row y): every
 * row's words are row 0's pattern (the same beats; V2-3.1) with each bank
 * moved by this amount mod R: windowed (pk_v2_ring_place) (Y / s) * out_w,
 * Y = y + pad; flat (p + jc, p = seq * in_w + x) seq * in_w; global (s = p *
 * jw + jc) seq * in_w * jw. */
static int64_t row_rotation(const pk_v2_desc_t *d, int64_t R, int64_t y, int64_t seq)
{
    if (d->global)
        return (seq % R) * ((d->in_w * d->jw) % R) % R;
    if (d->flat && d->pre > 0) /* the image's pixel: bank (p + jc) mod R */
        return (y % R) * (d->in_w % R) % R;
    if (d->flat)
        return (seq % R) * (d->in_w % R) % R;
    return ((y + d->pad) / d->s % R) * (d->out_w % R) % R;
}

/* One row's words (beat[k], bank[k]: its banks in the row's own frame)
 * into the banks' queues, from cycle 0 of the row: rel[b] on entry is bank
 * b's next free cycle relative to the row's first (0: free), on return
 * relative to the next row's (nbeats later); the row's maxima into b.
 * per_bank: 2 R scratch: bank q's words in the run of words of one beat
 * numbered per_bank[R + q] (a stale number: none yet). */
static void backlog_row(int64_t R, const int64_t *beat, const int64_t *bank, int64_t n,
                        int64_t nbeats, int64_t *rel, int64_t *per_bank, pk_v2_backlog_t *b)
{
    int64_t last_w = 0, cur = -1, nb = 0, run = -1, *in_run = per_bank + R;
    for (int64_t q = 0; q < R; q++)
        in_run[q] = -1;
    for (int64_t k = 0; k < n; k++) {
        int64_t t = beat[k], q = bank[k];
        if (t != cur) /* a new run of words of one beat */
            cur = t, nb = 0, run++;
        if (in_run[q] != run)
            in_run[q] = run, per_bank[q] = 0;
        nb++;
        b->per_beat = pk_max2(b->per_beat, nb);
        b->per_bank_beat = pk_max2(b->per_bank_beat, ++per_bank[q]);
        int64_t wc = pk_max2(t + 1, rel[bank[k]]);
        rel[bank[k]] = wc + 1;
        b->occ = pk_max2(b->occ, wc - t);
        last_w = pk_max2(last_w, wc);
    }
    b->lag = pk_max2(b->lag, last_w - nbeats); /* D: the cycle after the last beat */
    for (int64_t q = 0; q < R; q++) /* a bank free by the next row's first beat: 0 */
        rel[q] = pk_max2(0, rel[q] - nbeats);
}

/* Rows seen (in the row's frame): the queue state on entry, what the row
 * did to it, and its maxima; a row met again in the same state is not
 * walked again (the walk depends on nothing else). */
#define MEMO_ROWS 32
typedef struct {
    int64_t *in, *out; /* [MEMO_ROWS][R] */
    pk_v2_backlog_t max[MEMO_ROWS];
    int n;
} row_memo_t;

int pk_v2_ring_backlog(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t max_rows,
                       pk_v2_backlog_t *b)
{
    memset(b, 0, sizeof *b);
    const int64_t R = g->R, nw = pk_v2_ring_row_words_max(d);
    int64_t *st = malloc((size_t)(4 * R + 2 * nw) * sizeof *st); /* rel zeroed below */
    pk_v2_ringword_t *w = malloc((size_t)nw * sizeof *w);
    uint8_t *needed = malloc((size_t)(d->in_h > 0 ? d->in_h : 1));
    row_memo_t m = {malloc((size_t)(2 * MEMO_ROWS * R) * sizeof(int64_t)), NULL, {{0}}, 0};
    if (!st || !w || !needed || !m.in) {
        free(st);
        free(w);
        free(needed);
        free(m.in);
        return -1;
    }
    m.out = m.in + MEMO_ROWS * R;
    int64_t *rel = st, *frame = st + R, *per_bank = st + 2 * R, *beat = st + 4 * R,
            *bank = beat + nw;
    memset(rel, 0, (size_t)R * sizeof *rel); /* every bank free */
    pk_v2_ring_needed(d, needed);
    /* channel groups: a pass per block, each with its own pattern (its chunks'
     * beats and banks), the passes' rows back to back */
    int64_t jin = d->fx > 1 ? d->jw : pk_cdiv(d->in_c, g->vp);
    int64_t passes = !d->global && !d->flat && jin > d->jw ? pk_cdiv(jin, d->jw) : 1;
    int64_t nbeats = pk_v2_ring_row_beats(g, d), n = 0, rot0 = 0;
    /* When no bank takes two words of one beat in any pass's pattern and no
     * word is complete past the row's last beat, every word is written the
     * cycle after its beat, in every row: a bank's word before it in the row
     * came a beat earlier at least (free by then), and the row before left it
     * free by cycle 1 of this row (its last write at beat + 2 <= nbeats + 1).
     * Then occ and per_bank_beat are 1 (0 without words), lag 0 (the last
     * write, last beat + 1 <= nbeats, is not after D) and per_beat the
     * patterns' most words of one beat: no row is walked. */
    int64_t y0 = 0, run = -1, cur = -1, nb = 0, *in_run = per_bank + R;
    while (y0 < d->in_h && !needed[y0])
        y0++;
    int simple = 1;
    int64_t pw = -1; /* the last pass whose pattern the test put in w */
    for (int64_t q = 0; q < R; q++)
        in_run[q] = -1;
    for (int64_t p = 0; p < passes && y0 < d->in_h && max_rows > 0 && simple; p++, cur = -1) {
        n = pk_v2_ring_row_words_pass(g, d, y0, 0, p, w);
        pw = p;
        for (int64_t k = 0; k < n && simple; k++) {
            if (w[k].beat != cur)
                cur = w[k].beat, nb = 0, run++;
            simple = in_run[w[k].bank] != run && w[k].beat < nbeats;
            in_run[w[k].bank] = run;
            b->per_beat = pk_max2(b->per_beat, ++nb);
            b->occ = b->per_bank_beat = 1;
        }
    }
    if (simple)
        goto done;
    memset(b, 0, sizeof *b); /* walk the rows */
    for (int64_t p = 0; p < passes; p++) {
        m.n = 0; /* the memo holds rows of one pattern */
        for (int64_t y = 0, seq = 0; y < d->in_h && seq < max_rows; y++) {
            if (!needed[y])
                continue;
            if (seq == 0) { /* the pattern: the pass's first row's words, in its own frame */
                if (passes > 1 || pw != 0) /* one pass: w holds its pattern (y is y0) */
                    n = pk_v2_ring_row_words_pass(g, d, y, 0, p, w);
                rot0 = row_rotation(d, R, y, 0);
                for (int64_t k = 0; k < n; k++)
                    beat[k] = w[k].beat, bank[k] = w[k].bank;
            }
            int64_t sh = ((row_rotation(d, R, y, seq++) - rot0) % R + R) % R;
            /* frame[q] = rel[(q + sh) mod R]: two pieces */
            memcpy(frame, rel + sh, (size_t)(R - sh) * sizeof *rel);
            memcpy(frame + R - sh, rel, (size_t)sh * sizeof *rel);
            int hit = -1;
            for (int e = 0; e < m.n && hit < 0; e++)
                if (!memcmp(m.in + e * R, frame, (size_t)R * sizeof *frame))
                    hit = e;
            pk_v2_backlog_t rb = {0};
            if (hit >= 0) {
                memcpy(frame, m.out + hit * R, (size_t)R * sizeof *frame);
                rb = m.max[hit];
            } else {
                if (m.n < MEMO_ROWS)
                    memcpy(m.in + m.n * R, frame, (size_t)R * sizeof *frame);
                backlog_row(R, beat, bank, n, nbeats, frame, per_bank, &rb);
                if (m.n < MEMO_ROWS) {
                    memcpy(m.out + m.n * R, frame, (size_t)R * sizeof *frame);
                    m.max[m.n++] = rb;
                }
            }
            memcpy(rel + sh, frame, (size_t)(R - sh) * sizeof *rel); /* back */
            memcpy(rel, frame + R - sh, (size_t)sh * sizeof *rel);
            b->per_beat = pk_max2(b->per_beat, rb.per_beat);
            b->per_bank_beat = pk_max2(b->per_bank_beat, rb.per_bank_beat);
            b->occ = pk_max2(b->occ, rb.occ);
            b->lag = pk_max2(b->lag, rb.lag);
        }
    }
done:
    free(st);
    free(w);
    free(needed);
    free(m.in);
    return 0;
}
