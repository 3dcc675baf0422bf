/* pk_v2ringwr.h - the write side of the v2 activation ring (docs/
 * ARCHITECTURE.md V2-3.1 "write side", V2-11.4 item 4): where the loader
 * writes each word of an input row (bank, address, for the three layouts),
 * in which beat of the row's fetch the word is complete, and the backlog of
 * the banks' write FIFOs that follows.
 *
 * A row is one fetch unit: its beats are PB-byte pieces of the row's bytes
 * counted from the row's first byte (every request of a unit starts at a
 * multiple of max_burst, itself a multiple of PB).  A word is complete in the
 * beat that holds its last source byte; a row's words are listed in word
 * order, which is their byte order.
 *
 * pk_v2_ring_backlog() is the rule of V2-11.4 item 4: the layer's rows
 * arrive back to back, one beat per cycle (the densest the read port
 * delivers; gaps only shorten queues), each bank writes one word per cycle
 * from its FIFO, a word complete in cycle t is written in cycle t + 1 at the
 * earliest.  A layer is within the RTL's rule when occ <= PK_RING_WQ and
 * lag <= PK_RING_WR_LAT.
 * No allocation but the caller's arrays; no ownership passes.
 */
#ifndef PK_V2RINGWR_H
#define PK_V2RINGWR_H

#include <stdint.h>

#include "pk_v2desc.h"

/* The ring of one layer: R banks, da words per bank (both halves), da_a of
 * them for operand A, PB bytes per beat, VP slots per word, PS bytes per
 * input pixel. */
typedef struct pk_v2_ringgeom {
    int64_t R, da, da_a, pb, vp, ps;
} pk_v2_ringgeom_t;

typedef struct pk_v2_ringword {
    int64_t beat, bank, addr;  /* beat: index in the row's fetch */
    int64_t x0, x1, jc;        /* source pixels x0 .. x1 (x-fold: a group), chunk */
} pk_v2_ringword_t;

/* g from the config's R, word bytes, activation buffer bytes, PB and the
 * layer's VP. */
void pk_v2_ring_geom(const pk_v2_desc_t *d, int64_t R, int64_t word_bytes,
                     int64_t act_buffer_bytes, int64_t pb, int64_t vp, pk_v2_ringgeom_t *g);

/* A row fetched as a run per pixel (a channel slice: GSL, CGS, CSL; V2-6.2, V2-11.4 item
 * 17): each pixel's bytes start a beat, ceil(PS / PB) beats a pixel; else one stream. */
int pk_v2_ring_pixel_runs(const pk_v2_desc_t *d);

/* The row's beat of byte o of pixel x's PS bytes: of the pixel's own run, or x * PS + o of
 * the row's stream. */
int64_t pk_v2_ring_byte_beat(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t x,
                             int64_t o);

/* The beats of a row of in_w pixels. */
int64_t pk_v2_ring_row_beats(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d);

/* Words of one stored A row of layer d (the windowed layout writes
 * in_w / fx + 1 words per chunk at most, the others in_w). */
int64_t pk_v2_ring_row_words_max(const pk_v2_desc_t *d);

/* The words of A row y, the layer's fetch number seq (windowed: slot seq mod
 * cap; flat and global: pixels seq * in_w .. of the fetch stream) into w[]
 * (pk_v2_ring_row_words_max entries); returns their number.  Flat with a
 * resident prefix: pk_v2_ring_prefix_pos of row y's pixels.  A layer in
 * channel groups (V2-5 item 2: windowed, Jw * VP < in_c): pass 0's. */
int64_t pk_v2_ring_row_words(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t y,
                             int64_t seq, pk_v2_ringword_t *w);

/* The same in pass b of a layer in channel groups (V2-11.4 item 11): each
 * pixel's chunks jc of block b, b * Jw <= jc < min((b + 1) * Jw, Jin), Jin =
 * ceil(in_c / VP) (a shorter last block has fewer: no word past the pixel),
 * w.jc the absolute chunk (its source bytes), the bank V2-3.1's for the
 * absolute jc, the address block-local (V2-3.1's for jc - b * Jw).  Any
 * other layer: b is ignored. */
int64_t pk_v2_ring_row_words_pass(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t y,
                                  int64_t seq, int64_t b, pk_v2_ringword_t *w);

/* WB with a resident prefix (V2-3.1, descriptor PRE = P > 0, flat): the
 * stream position of image pixel p, the same in every block: p below NP =
 * P * in_w, else NP + (p - NP) mod S, S = floor((capP - NP) / R) * R; its
 * word jc is in bank (pos + jc) mod R at (pos div R) * Jw + jc.  (A row of
 * such a layer is placed by its image row y; seq is not used.) */
int64_t pk_v2_ring_prefix_pos(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t p);

/* needed[y] = 1 when the layer fetches input row y into the A ring; returns
 * their number. */
int64_t pk_v2_ring_needed(const pk_v2_desc_t *d, uint8_t *needed);

typedef struct pk_v2_backlog {
    int64_t occ;            /* most words one FIFO holds at a clock edge */
    int64_t lag;            /* most cycles a row's last bank write comes after D */
    int64_t per_beat;       /* most words one beat completes */
    int64_t per_bank_beat;  /* most of them for one bank */
} pk_v2_backlog_t;

/* The backlog of layer d's A rows (its first max_rows fetches; in channel
 * groups, the first max_rows of every block's pass, each pass's words those
 * of pk_v2_ring_row_words_pass); returns 0, or -1 out of memory. */
int pk_v2_ring_backlog(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t max_rows,
                       pk_v2_backlog_t *b);

#endif
