/* pk_v2ring.h - where the v2 activation ring stores a word (docs/
 * ARCHITECTURE_V2.md V2-3.1, windowed layout), from the descriptor's plan
 * fields alone: the placement the RTL's loader writes and its window
 * generators read.
 *
 *   bank(Y, X', jc) = (floor(Y / s) * out_w + floor(X' / s') + jc) mod R
 *   addr(Y, X', jc) = ((slot * Gx + g) * s' + u) * Jw + jc,
 *                     floor(X' / s') = R * g + q,  u = X' mod s'
 * (Y, X' padded and folded coordinates, slot the ring slot of row Y - pad).
 * The model uses it to check the layout's claims (conflict-free reads, a
 * unique address per stored word, cap * WB <= DA): tests/test_v2_ring.c.
 */
#ifndef PK_V2RING_H
#define PK_V2RING_H

#include <stdint.h>

#include "pk_v2desc.h"

void pk_v2_ring_place(const pk_v2_desc_t *d, int64_t R, int64_t Y, int64_t Xf, int64_t jc,
                      int64_t slot, int64_t *bank, int64_t *addr);

#endif
