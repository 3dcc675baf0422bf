/* pk_v2desc.c - decoding a v2 descriptor through the contract's rows
 * (pk_desc_get / pk_desc2_get): no bit position is spelled here. */
#include "pk_v2desc.h"

#include <string.h>

#include "pk_config.h" /* PK_ACT_* */
#include "pk_contract.h"
#include "pk_plan.h" /* PK_ORDER_* */

void pk_v2_desc_decode(const uint8_t *b, pk_v2_desc_t *d)
{
    uint32_t w[PK_DESC2_WORDS];
    pk_desc_words(b, PK_DESC2_WORDS, w);
#define V1(F) ((int64_t)pk_desc_get(w, PK_DF_##F))
#define V2(F) ((int64_t)pk_desc2_get(w, PK_D2_##F))
    memset(d, 0, sizeof *d);
    d->kind = (int)V1(KIND);
    d->w_bits = 1 << V1(W_LOG2);
    d->a_bits = 1 << V1(A_LOG2);
    d->out_bits = 1 << V1(OUT_LOG2);
    d->r_bits = 1 << V1(R_LOG2);
    d->a_signed = (int)V1(A_SIGNED);
    d->out_signed = (int)V1(OUT_SIGNED);
    d->r_signed = (int)V1(R_SIGNED);
    d->a_shift = (int)V1(A_SHIFT);
    d->r_shift = (int)V1(R_SHIFT);
    d->act_shift = (int)V1(ACT_SHIFT);
    d->round = (int)V1(ROUND);
    { /* IN_ZP holds the code in min(a_bits, 8) bits, two's complement if signed */
        int zb = d->a_bits < 8 ? d->a_bits : 8;
        int64_t z = V1(IN_ZP) & ((1 << zb) - 1);
        d->in_zp = (int)(d->a_signed && zb > 1 && z >= (1 << (zb - 1)) ? z - (1 << zb) : z);
    }
    d->clip_lo = (int16_t)V1(CLIP_LO);
    d->clip_hi = (int16_t)V1(CLIP_HI);
    d->addr_in = (uint32_t)V1(ADDR_IN);
    d->addr_w = (uint32_t)V1(ADDR_W);
    d->addr_param = (uint32_t)V1(ADDR_PARAM);
    d->addr_res = (uint32_t)V1(ADDR_RES);
    d->addr_out = (uint32_t)V1(ADDR_OUT);
    d->out_c_base = V1(OUT_C_BASE);
    d->qn_en = (int)V1(QN_EN);
    d->res_en = (int)V1(RES_EN);
    d->res_mul = (int)V1(RES_MUL);
    d->rq_en = (int)V1(RQ_EN);
    d->per_tensor = (int)V1(PER_TENSOR);
    d->act = (int)V1(ACT_MODE);
    d->in_h = V1(IN_H);
    d->in_w = V1(IN_W);
    d->in_c = V1(IN_C);
    d->out_h = V1(OUT_H);
    d->out_w = V1(OUT_W);
    d->out_c = V1(OUT_C);
    d->kh = V1(KH);
    d->kw = V1(KW);
    d->s = V1(STRIDE);
    d->pad = V1(PAD);
    d->sw = V1(STRIDE_W);
    d->pad_l = V1(PAD_LEFT);
    d->in_c_total = V1(IN_C_TOTAL);
    d->out_c_total = V1(OUT_C_TOTAL);
    d->order = (int)V2(ORDER);
    d->fx = 1 << V2(FX_LOG2);
    d->global = (int)V2(GLOBAL);
    d->flat = (int)V2(FLAT);
    d->rec = V2(REC_LOG2P1) ? (int64_t)1 << (V2(REC_LOG2P1) - 1) : 0;
    d->nw = (int)V2(NW);
    d->nb = V2(NB);
    d->ct = V2(CT);
    d->cap = V2(CAP);
    d->cap_b = V2(CAP_B);
    d->pre = V2(PRE);
    d->ks = V2(KS);
    d->kc = V2(KC);
    d->jw = V2(JW);
    d->row_bytes = V2(ROW_BYTES);
    d->b_row_bytes = V2(B_ROW_BYTES);
    d->unit_bytes = V2(UNIT_BYTES);
    d->mt = V2(MT);
    d->nt = V2(NT);
    d->r_mod = V2(R_MOD_OW);
    d->r_div = V2(R_DIV_OW);
    d->kwf = V2(KWF);
    d->sf = V2(SF);
    d->gx = V2(GX);
    d->wbw = V2(WB);
    d->gsl = (int)V2(GSL);
    d->cgs = (int)V2(CGS);
    d->csl = (int)V2(CSL);
    /* the slice fetches' run and stride, decoded once here (V2-4.4, V2-5 item 2): a
     * sliced global pool carries them in GX / WB, a channel-group layer derives them */
    d->gs_bytes = d->gsl ? d->wbw : 0;
    d->gs_ps = d->gsl ? d->gx : d->cgs && d->in_w > 0 ? d->row_bytes / d->in_w
             : d->in_c_total * d->a_bits / 8; /* a channel slice's (V2-6.1), else 0 */
    d->cs_bytes = d->cgs ? d->nb * d->ct * d->a_bits / 8 : d->csl ? d->in_c * d->a_bits / 8 : 0;
#undef V1
#undef V2
    if (!d->res_en)
        d->r_bits = 8;
    d->uses_params = d->qn_en || d->rq_en || d->act == PK_ACT_PRELU ||
                     d->act == PK_ACT_DPRELU || d->act == PK_ACT_RPRELU;
}

int64_t pk_v2_desc_b_pixels(const pk_v2_desc_t *d)
{
    return d->res_mul ? 1 : d->out_w;
}

int pk_v2_desc_ns_passes(const pk_v2_desc_t *d)
{
    return d->order == PK_ORDER_NS && d->flat && !d->global && d->nb > 1;
}

int pk_v2_desc_passes(const pk_v2_desc_t *d, int cgroups)
{
    return d->order == PK_ORDER_WB || cgroups || pk_v2_desc_ns_passes(d);
}

int pk_v2_desc_cgroups(const pk_v2_desc_t *d, int64_t lanes, int64_t slot_bits)
{
    if (d->kind != PK_KIND_DW && d->kind != PK_KIND_POOLMAX && d->kind != PK_KIND_POOLSUM)
        return 0;
    int mode = d->kind == PK_KIND_DW && d->w_bits > d->a_bits ? d->w_bits : d->a_bits;
    return (d->order == PK_ORDER_WB || d->order == PK_ORDER_NS) && !d->flat && !d->global &&
           d->jw * (lanes * slot_bits / mode) < d->in_c;
}
