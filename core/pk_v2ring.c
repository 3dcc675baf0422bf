/* pk_v2ring.c - the windowed ring placement of ARCHITECTURE.md V2-3.1,
 * literally, and a ring memory that uses it (see pk_v2ring.h).
 *
 * Design: the memory is R banks of da words of vp int16 slots (values, as
 * the PE reads them after widening); a row's slot is its fetch number mod
 * cap, and the row it evicts is forgotten, so a read of an evicted row is a
 * miss (counted), never stale data.
 */
#include "pk_v2ring.h"

#include <stdlib.h>
#include <string.h>

#include "pk_contract.h"
#include "pk_imath.h"

void pk_v2_ring_place(const pk_v2_desc_t *d, int64_t R, int64_t Y, int64_t Xf, int64_t jc,
                      int64_t slot, int64_t *bank, int64_t *addr)
{
    int64_t sf = d->sf, qq = Xf / sf;
    *bank = ((Y / d->s) * d->out_w + qq + jc) % R;
    *addr = ((slot * d->gx + qq / R) * sf + Xf % sf) * d->jw + jc;
}

struct pk_v2_ring {
    const pk_v2_desc_t *d;
    int64_t R, da, vp, cp;   /* cp: slots per pixel of a folded word */
    int64_t jb;              /* the input chunk of stored chunk 0 (a channel group's first) */
    int64_t jn;              /* stored chunks of a pixel the loader writes this pass: jw, or a
                                shorter last group's min(jw, Jin - jb), Jin = ceil(in_c / vp) */
    int16_t *mem;            /* [bank][addr][slot] */
    int64_t *slot_of;        /* per input row: its slot, -1 absent */
    int64_t *row_in;         /* per slot: its row, -1 none */
    int64_t fetches, misses;
};

int pk_v2_ring_new(const pk_v2_desc_t *d, int64_t R, int64_t da, int64_t vp,
                   pk_v2_ring_t **out)
{
    pk_v2_ring_t *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return -1;
    r->d = d;
    r->R = R;
    r->da = da;
    r->vp = vp;
    /* the highest address a stored word takes (slot cap - 1, column hi) */
    int64_t hi = (d->pad_l + d->in_w - 1) / d->fx;
    if (d->jw < 1 || d->jw > PK_V2_RING_MAX_JW || d->sf < 1 || d->gx < 1 || d->cap < 1 ||
        (((d->cap - 1) * d->gx + hi / d->sf / R) * d->sf + d->sf) * d->jw > da) {
        free(r);
        return 1;
    }
    r->jn = d->jw;
    r->cp = 1;
    while (r->cp < d->in_c)
        r->cp *= 2;
    /* not zeroed: every word a read reaches was written by this layer's
     * loader (a read outside the fetched rows or past jn is a miss, answered
     * with zeros); zeroing R * da * vp slots per layer was 3% of a full
     * cloud ResNet-18 run */
    r->mem = malloc((size_t)(R * da * vp) * sizeof *r->mem);
    r->slot_of = malloc((size_t)d->in_h * sizeof *r->slot_of);
    r->row_in = malloc((size_t)(d->cap > 0 ? d->cap : 1) * sizeof *r->row_in);
    if (!r->mem || !r->slot_of || !r->row_in) {
        pk_v2_ring_free(r);
        return -1;
    }
    memset(r->slot_of, 0xff, (size_t)d->in_h * sizeof *r->slot_of);
    memset(r->row_in, 0xff, (size_t)(d->cap > 0 ? d->cap : 1) * sizeof *r->row_in);
    *out = r;
    return 0;
}

void pk_v2_ring_free(pk_v2_ring_t *r)
{
    if (!r)
        return;
    free(r->mem);
    free(r->slot_of);
    free(r->row_in);
    free(r);
}

/* The words of chunks jc0 .. jc0 + n - 1 at (Y, X') in slot: V2-3.1's bank
 * and address for chunk jc0; chunk jc + 1 is the next bank (mod R) at the
 * next address, as the formula gives (both grow by one with jc). */
static void words_at(const pk_v2_ring_t *r, int64_t Y, int64_t Xf, int64_t slot, int64_t jc0,
                     int64_t n, int16_t **w)
{
    int64_t b, a;
    pk_v2_ring_place(r->d, r->R, Y, Xf, jc0, slot, &b, &a);
    for (int64_t jc = 0; jc < n; jc++) {
        w[jc] = r->mem + (b * r->da + a + jc) * r->vp;
        if (++b == r->R)
            b = 0;
    }
}

/* The stored word of input row `row`, folded column xf, chunk jc (of the
 * input: a channel group's stored chunk jc - jb). */
static void fill_word(const pk_v2_ring_t *r, const int16_t *row, int64_t xf, int64_t jc, int16_t *w)
{
    const pk_v2_desc_t *d = r->d;
    if (d->fx == 1) { /* one pixel, channels jc * vp ...: zero past in_c */
        int64_t c0 = jc * r->vp, n = d->in_c - c0 < r->vp ? d->in_c - c0 : r->vp;
        n = n < 0 ? 0 : n;
        memcpy(w, row + (xf - d->pad_l) * d->in_c + c0, (size_t)n * sizeof *w);
        memset(w + n, 0, (size_t)(r->vp - n) * sizeof *w);
        return;
    }
    for (int64_t v = 0; v < r->vp; v++) { /* fold: sub-pixel v / cp, channel v mod cp */
        int64_t px = xf * d->fx + v / r->cp - d->pad_l, ch = v / r->cp < d->fx ? v % r->cp : d->in_c;
        w[v] = px >= 0 && px < d->in_w && ch < d->in_c ? row[px * d->in_c + ch] : 0;
    }
}

void pk_v2_ring_fetch(pk_v2_ring_t *r, const int16_t *x, int64_t y)
{
    const pk_v2_desc_t *d = r->d;
    if (r->slot_of[y] >= 0)
        return;
    int64_t slot = r->fetches++ % d->cap;
    if (r->row_in[slot] >= 0)
        r->slot_of[r->row_in[slot]] = -1;
    r->row_in[slot] = y;
    r->slot_of[y] = slot;
    const int16_t *row = x + y * d->in_w * d->in_c;
    int16_t *w[PK_V2_RING_MAX_JW];
    for (int64_t xf = d->pad_l / d->fx; xf <= (d->pad_l + d->in_w - 1) / d->fx; xf++) {
        words_at(r, y + d->pad, xf, slot, 0, r->jn, w);
        for (int64_t jc = 0; jc < r->jn; jc++)
            fill_word(r, row, xf, r->jb + jc, w[jc]);
    }
}

void pk_v2_ring_pass(pk_v2_ring_t *r, int64_t jb)
{
    memset(r->slot_of, 0xff, (size_t)r->d->in_h * sizeof *r->slot_of);
    memset(r->row_in, 0xff, (size_t)(r->d->cap > 0 ? r->d->cap : 1) * sizeof *r->row_in);
    r->jb = jb;
    /* a pixel's chunks past its last (a shorter last group) are not written:
     * their words keep the previous pass's, and no read may reach them */
    int64_t jin = r->d->fx > 1 ? r->d->jw : (r->d->in_c + r->vp - 1) / r->vp;
    r->jn = jin - jb < r->d->jw ? jin - jb : r->d->jw;
}

void pk_v2_ring_read_chunks(pk_v2_ring_t *r, int64_t Y, int64_t Xf, int64_t jc0, int64_t njc,
                            int16_t *words)
{
    const pk_v2_desc_t *d = r->d;
    int64_t y = Y - d->pad, lo = d->pad_l / d->fx, hi = (d->pad_l + d->in_w - 1) / d->fx;
    size_t n = (size_t)(njc * r->vp) * sizeof *words;
    if (y < 0 || y >= d->in_h || Xf < lo || Xf > hi) { /* masked: padding */
        memset(words, 0, n);
        /* the zero-point word (V2-6.3; CONV, DW, sum pools, fx = 1): IN_ZP in
         * the slots of channels below in_c */
        int64_t c0 = (r->jb + jc0) * r->vp, nz = pk_min2(d->in_c - c0, njc * r->vp);
        for (int64_t e = 0; d->in_zp && d->kind != PK_KIND_POOLMAX && e < nz; e++)
            words[e] = (int16_t)d->in_zp;
        return;
    }
    if (r->slot_of[y] < 0 || jc0 + njc > r->jn) { /* not in the ring, or not written */
        r->misses++;
        memset(words, 0, n);
        return;
    }
    int16_t *w[PK_V2_RING_MAX_JW];
    words_at(r, Y, Xf, r->slot_of[y], jc0, njc, w);
    for (int64_t jc = 0; jc < njc; jc++)
        memcpy(words + jc * r->vp, w[jc], (size_t)r->vp * sizeof *words);
}

void pk_v2_ring_read(pk_v2_ring_t *r, int64_t Y, int64_t Xf, int16_t *words)
{
    pk_v2_ring_read_chunks(r, Y, Xf, 0, r->d->jw, words);
}

int64_t pk_v2_ring_misses(const pk_v2_ring_t *r)
{
    return r->misses;
}
