/* pk_v2ring.c - the windowed ring placement of ARCHITECTURE_V2.md V2-3.1,
 * literally (see pk_v2ring.h). */
#include "pk_v2ring.h"

void pk_v2_ring_place(const pk_v2_desc_t *d, int64_t R, int64_t Y, int64_t Xf, int64_t jc,
                      int64_t slot, int64_t *bank, int64_t *addr)
{
    int64_t sf = d->sf, qq = Xf / sf;
    *bank = ((Y / d->s) * d->out_w + qq + jc) % R;
    *addr = ((slot * d->gx + qq / R) * sf + Xf % sf) * d->jw + jc;
}
