/* pk_v2ldconst.c - the loader's layer constants (see pk_v2ldconst.h).
 *
 * Design: straight from V2-3.2 (unit bytes), V2-6.1 (needed rows, row
 * addresses) and the window generators' tile advance (V2-8); every value is
 * what pk_ld2's walker would otherwise multiply or divide.
 */
#include "pk_v2ldconst.h"

#include "pk_contract.h"
#include "pk_imath.h"
#include "pk_plan.h"

/* DRAM bytes of n-tile nt's unit: its weights and, per channel, records. */
static int64_t unit_bytes(const pk_v2_desc_t *d, int64_t nt)
{
    int64_t nc = pk_min2(d->ct, d->out_c - nt * d->ct);
    int per_ch = d->uses_params && !d->per_tensor;
    return pk_cdiv(d->unit_bytes * nc, d->ct) + (per_ch ? nc * d->rec : 0);
}

int pk_v2_ldconst(const pk_v2_desc_t *d, int64_t R, int layer, int n_layers, pk_v2_ldconst_t *k)
{
    if (d->order != PK_ORDER_WS || d->global || d->b_row_bytes || d->s < 1 || d->out_w < 1)
        return 1;
    k->nt = d->nt;
    k->has_w = d->unit_bytes > 0;
    k->wu_bytes = k->has_w ? unit_bytes(d, 0) : 0;
    k->wu_last = k->has_w ? unit_bytes(d, d->nt - 1) : 0;
    k->addr_w = d->addr_w;
    k->row_bytes = d->row_bytes;
    k->cap = d->cap;
    k->s = d->s;
    k->kh = d->kh;
    k->ymax = pk_min2(d->in_h - 1, (d->out_h - 1) * d->s + d->kh - 1 - d->pad);
    k->y0 = 0;
    while ((k->y0 + d->pad) % d->s >= d->kh) /* at most s - 1 rows */
        k->y0++;
    k->ym0 = (k->y0 + d->pad) % d->s;
    k->addr_y0 = d->addr_in + (uint32_t)(k->y0 * d->row_bytes);
    k->jump = d->kh < d->s ? d->s - d->kh + 1 : 1;
    k->jump_bytes = k->jump * d->row_bytes;
    k->y1_0 = pk_min2(k->ymax, (pk_min2(R, d->out_h * d->out_w) - 1) / d->out_w * d->s + d->kh -
                                   1 - d->pad);
    k->prec = d->uses_params && d->per_tensor ? d->rec : 0;
    k->addr_param = d->addr_param;
    k->has_next = layer + 1 < n_layers;
    k->desc_addr = (uint32_t)((layer + 1) * PK_DESC2_BYTES);
    return 0;
}
