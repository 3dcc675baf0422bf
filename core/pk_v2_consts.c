/* pk_v2_consts.c - the v2 engine constants of the descriptor's second block
 * (docs/ARCHITECTURE.md V2-11.6, PK_DESC2_FIELDS words 32-63).
 *
 * Design: V2-8 keeps multipliers and dividers out of the control, so every
 * value an engine would have to multiply or divide to set up a layer is
 * computed here, once, by the compiler, from the compiled layer (pk_hwlayer_t)
 * and its plan (pk_plan_layer_t): the window generators' steps (R pixels per
 * tile as column and row increments, their ring-address products, the slot
 * offsets mod cap), the sequencer's last-tile sizes and first row need, and
 * the loader's walker limits and unit sizes.  The formulas are the ones the
 * engines' harnesses checked against the model (tests/rtl/win2_harness.cpp,
 * seq2_harness.cpp); each writes only its own rows of v. */
#include "pk_v2_consts.h"

#include "pk_imath.h"

static int64_t mod(int64_t a, int64_t m)
{
    return m > 0 ? ((a % m) + m) % m : 0;
}

int pk_v2_row_needed(const pk_hwlayer_t *h, int64_t y)
{
    for (int64_t i = 0; i < h->kh; i++) {
        int64_t t = y + h->pad - i;
        if (t >= 0 && t % h->stride == 0 && t / h->stride < h->out_h)
            return 1;
    }
    return 0;
}

/* Padding rows above the image among the rows output row 0 .. fetches: the
 * (oy, i) pairs with oy * s + i < pad (pad when kh >= s: every row). */
static int64_t rows_above(const pk_hwlayer_t *h)
{
    if (h->kh >= h->stride)
        return h->pad;
    int64_t n = 0;
    for (int64_t oy = 0; oy * h->stride < h->pad; oy++)
        for (int64_t i = 0; i < h->kh && oy * h->stride + i < h->pad; i++)
            n++;
    return n;
}

static int per_channel(const pk_hwlayer_t *h)
{
    return h->uses_params && !h->per_tensor;
}

void pk_v2_consts_compute(const pk_hwlayer_t *h, const pk_plan_layer_t *L, int64_t R,
                          int64_t word_bytes, int64_t v[PK_D2_COUNT])
{
    int64_t s = h->stride, e = pk_min2((int64_t)h->kh, s), cap = L->ring_rows, wb = L->wbw;
    int64_t rdiv = R / h->out_w, rmod = R % h->out_w, nneg = rows_above(h);
    v[PK_D2_CAP_WB] = cap * wb;
    v[PK_D2_SJ] = L->sf * L->jw;
    v[PK_D2_OW_G] = h->out_w / R;
    v[PK_D2_OW_Q] = h->out_w % R;
    v[PK_D2_OW_GSJ] = v[PK_D2_OW_G] * v[PK_D2_SJ];
    v[PK_D2_E_ROWS] = e;
    v[PK_D2_RM_X] = rmod * L->sf;
    v[PK_D2_OW_X] = (int64_t)h->out_w * L->sf;
    v[PK_D2_RD_Y] = rdiv * s;
    v[PK_D2_RDE_CAP] = mod(rdiv * e, cap);
    v[PK_D2_RDE_CAP_WB] = v[PK_D2_RDE_CAP] * wb;
    v[PK_D2_EM] = mod(e, cap);
    v[PK_D2_EM_WB] = v[PK_D2_EM] * wb;
    v[PK_D2_SB0] = mod(-nneg, cap);
    v[PK_D2_SB0_WB] = v[PK_D2_SB0] * wb;
    v[PK_D2_RW] = per_channel(h) ? pk_cdiv(L->rec, word_bytes) : 0;
    int64_t cpl = 0; /* cp = pow2_ceil(in_c) slots per folded sub-pixel (V2-4.2) */
    while (L->fx > 1 && ((int64_t)1 << cpl) < h->in_c)
        cpl++;
    v[PK_D2_CP_LOG2] = cpl;
    /* last pixel tile: valid rows (global pool: valid channel chunks) */
    int64_t units = L->global_pool ? pk_cdiv(h->out_c, L->ct) : (int64_t)h->out_h * h->out_w;
    v[PK_D2_NR_LAST] = units - (L->mt - 1) * R;
    v[PK_D2_NC_LAST] = L->global_pool ? L->ct : h->out_c - (L->nt - 1) * L->ct;
    v[PK_D2_OX1] = (R - 1) % h->out_w;
    int64_t na = 0;
    for (int64_t y = 0; y < h->in_h; y++)
        na += pk_v2_row_needed(h, y);
    v[PK_D2_NA] = na;
    /* WB (V2-5, V2-6.1): pass b's fetches start at b * NA, so its rows' slots are pass 0's plus
     * (b * NA) mod cap; pk_core2 adds this per block to pk_win2's SB0_WB */
    /* (channel groups, V2-5 item 2: a DW / pool layer in NS whose ring holds a block's chunks
     * streams the input once per block too) */
    int cg = L->order == PK_ORDER_NS && h->kind != PK_HW_CONV && h->kind != PK_HW_EW && !L->flat &&
             !L->global_pool && L->jw * h->vp < h->in_c;
    v[PK_D2_PASS_WB] = (L->order == PK_ORDER_WB || cg) && cap > 0 ? mod(na, cap) * wb : 0;
    /* fetches pixel tile 0 needs: its last output row's rows, less the
     * padding rows above the image; a 32-bit two's-complement field */
    int64_t c0k = h->kh - (h->kh >= s ? h->pad : nneg);
    v[PK_D2_F0] = (int64_t)(uint32_t)(((R - 1) / h->out_w) * e + c0k);
    v[PK_D2_RDE] = rdiv * e;
}

int64_t pk_v2_unit_total(const pk_hwlayer_t *h, const pk_plan_layer_t *L)
{
    return L->w_unit_bytes + L->ct * (per_channel(h) ? L->rec : 0);
}

void pk_v2_consts_loader(const pk_hwlayer_t *h, const pk_plan_layer_t *L,
                         int64_t v[PK_D2_COUNT])
{
    int64_t rec = per_channel(h) ? L->rec : 0;
    int64_t nc_last = h->out_c - (L->nt - 1) * L->ct;
    v[PK_D2_Y_PH0] = h->pad % h->stride;
    v[PK_D2_Y_END] = pk_min2((int64_t)h->in_h,
                             (int64_t)(h->out_h - 1) * h->stride + h->kh - h->pad);
    v[PK_D2_UNIT_TOTAL] = pk_v2_unit_total(h, L);
    v[PK_D2_UNIT_LAST] = pk_cdiv(L->w_unit_bytes * nc_last, L->ct) + nc_last * rec;
    v[PK_D2_BLOCK_BYTES] =
        L->order == PK_ORDER_IS || L->order == PK_ORDER_WB || L->order == PK_ORDER_NS
            ? L->nb * v[PK_D2_UNIT_TOTAL]
            : 0;
}

int pk_v2_desc_load_words(void)
{
    return pk_contract_desc2_load_words();
}

/* The descriptor RAM's read row (V2-7.5, V2-11.1 pk_desc2): two read-port
 * beats of words, at least one word; at most 8 words, so that the load keeps
 * more than one row (pk_core2's ymax: Y_END, word 49, is not in the last row
 * loaded) and the read stays a narrow bus where a beat is wide (cloud). */
int pk_v2_desc_load_lanes(int64_t pb)
{
    int64_t w = pb / 2;
    return (int)(w < 1 ? 1 : w > 8 ? 8 : w);
}

int pk_v2_desc_load_rows(int64_t pb)
{
    int dlw = pk_v2_desc_load_lanes(pb);
    return (pk_v2_desc_load_words() + dlw - 1) / dlw;
}

/* Rows 0 .. NR - 1 read in T .. T + NR - 1, row r's fields in their
 * registers from T + r + 2.  lay_start keeps the rule of the one-word load:
 * every word but the last (ND - 1) in its register a cycle before lay_start
 * (the engines' registers formed from fields in every cycle, V2-11.5
 * "Timing, step 18", read from lay_start's cycle on), so lay_start =
 * T + max(NR + 1, row(ND - 2) + 3): ND + 1 at one word a row, NR + 2 at
 * more. */
int64_t pk_v2_desc_load_cycles(int64_t pb)
{
    int64_t dlw = pk_v2_desc_load_lanes(pb), nd = pk_v2_desc_load_words();
    int64_t nr = pk_v2_desc_load_rows(pb), r2 = (nd - 2) / dlw;
    return pk_max2(nr + 1, r2 + 3);
}
