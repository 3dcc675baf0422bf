/* pk_v2ring.h - where the v2 activation ring stores a word (docs/
 * ARCHITECTURE.md V2-3.1, windowed layout), from the descriptor's plan
 * fields alone: the placement the RTL's loader writes and its window
 * generators read.
 *
 *   bank(Y, X', jc) = (floor(Y / s) * out_w + floor(X' / s') + jc) mod R
 *   addr(Y, X', jc) = ((slot * Gx + g) * s' + u) * Jw + jc,
 *                     floor(X' / s') = R * g + q,  u = X' mod s'
 * (Y, X' padded and folded coordinates, slot the ring slot of row Y - pad).
 * The model uses it to check the layout's claims (conflict-free reads, a
 * unique address per stored word, cap * WB <= DA): tests/test_v2_ring.c;
 * and the functional path (sim/pk_v2func.c) keeps the input of a windowed
 * CONV, DW or pool layer in a ring memory of R banks x DA words x VP slots
 * placed this way: the loader writes whole stored words (zero slots past
 * in_c, zero sub-pixels of a folded word outside the image; no word past a
 * pixel's last chunk), COMPUTE reads
 * a k-step's words (a DW / pool tap: the n-tile's chunks).
 * Ownership: pk_v2_ring_new allocates *out (pk_v2_ring_free); it keeps d.
 */
#ifndef PK_V2RING_H
#define PK_V2RING_H

#include <stdint.h>

#include "pk_v2desc.h"

void pk_v2_ring_place(const pk_v2_desc_t *d, int64_t R, int64_t Y, int64_t Xf, int64_t jc,
                      int64_t slot, int64_t *bank, int64_t *addr);

typedef struct pk_v2_ring pk_v2_ring_t;

/* Most chunks per word position a ring takes (pk_v2_ring_new fails above:
 * 4096 channels at VP 8). */
#define PK_V2_RING_MAX_JW 512

/* A ring for layer d (windowed layout) of R banks x da words x vp slots:
 * 0; 1 when d's words do not fit (JW outside 1 .. PK_V2_RING_MAX_JW, or an
 * address of slot cap - 1 at or past da; d's sizes at most 65536 each);
 * -1 out of memory. */
int pk_v2_ring_new(const pk_v2_desc_t *d, int64_t R, int64_t da, int64_t vp,
                   pk_v2_ring_t **out);
void pk_v2_ring_free(pk_v2_ring_t *r);

/* The loader: input row y (x: the layer's input values, in_h * in_w * in_c)
 * into the next slot (fetch number mod cap), unless it is there. */
void pk_v2_ring_fetch(pk_v2_ring_t *r, const int16_t *x, int64_t y);

/* A new pass over the input (a channel group of a DW or pool layer, V2-5
 * item 2): every row is forgotten (fetched again, fetch numbers keep
 * counting) and a stored pixel's jw words are the input's chunks jb .. jb +
 * jw - 1 from now on (0 at creation).  Reads address the stored words:
 * chunk jc of the input is stored chunk jc - jb.  A shorter last group
 * (the pixel's Jin = ceil(in_c / vp) chunks end before jb + jw) has only
 * its Jin - jb words written; the rest keep what they held, and a read of
 * one counts in pk_v2_ring_misses. */
void pk_v2_ring_pass(pk_v2_ring_t *r, int64_t jb);

/* COMPUTE: the words at padded position (Y, X'), chunks 0 .. jw - 1 (the
 * k-steps of one tap, consecutive): jw * VP values; where the window
 * generator masks the position (padding) zero, or with an input zero point
 * the zero-point word (V2-6.3: IN_ZP in the slots of channels below in_c; not
 * a max pool, which excludes padding).  A row inside the image that is
 * not in the ring, or a chunk this pass did not write, is counted in
 * pk_v2_ring_misses. */
void pk_v2_ring_read(pk_v2_ring_t *r, int64_t Y, int64_t Xf, int16_t *words);

/* The same for chunks jc0 .. jc0 + njc - 1 only (0 <= jc0, jc0 + njc <= jw):
 * njc * VP values (a DW or pool n-tile's channels). */
void pk_v2_ring_read_chunks(pk_v2_ring_t *r, int64_t Y, int64_t Xf, int64_t jc0, int64_t njc,
                            int16_t *words);
int64_t pk_v2_ring_misses(const pk_v2_ring_t *r);

#endif
