/* pk_v2ldconst.c - the loader's layer constants (see pk_v2ldconst.h).
 *
 * Design: straight from V2-3.2 (unit bytes), V2-6.1 (needed rows, row
 * addresses) and the window generators' tile advance (V2-8); every value is
 * what pk_ld2's walker would otherwise multiply or divide.
 */
#include "pk_v2ldconst.h"

#include <string.h>

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

static int log2i(int64_t v)
{
    int l = 0;
    while ((1ll << l) < v)
        l++;
    return l;
}

/* The unpacker's constants (pk_ld2a): chunk sizes and the ring position of
 * the row's first stored word. */
static void ring_consts(const pk_v2_desc_t *d, const pk_v2_ringgeom_t *g, int64_t word_bits,
                        pk_v2_ldconst_t *k)
{
    int64_t R = g->R, vp = g->vp;
    k->y0 = 0; /* the first needed row: at most s - 1 rows skipped */
    while (d->s > 0 && (k->y0 + d->pad) % d->s >= d->kh && k->y0 < d->in_h)
        k->y0++;
    k->ym0 = d->s > 0 ? (k->y0 + d->pad) % d->s : 0;
    k->rb0 = d->flat || d->s < 1 ? 0 : (k->y0 + d->pad) / d->s * d->out_w % R;
    k->ring_ok = d->jw >= 1 && d->in_w >= 1 && (d->fx == 1 || d->jw == 1);
    k->flat = d->flat;
    k->glob = d->global;
    k->fxlog = log2i(d->fx);
    k->cplog = d->fx > 1 ? log2i(d->in_c) : 0;
    k->fu0 = d->pad_l % d->fx;
    k->alog = log2i(d->a_bits);
    k->asigned = d->a_signed;
    k->mlog = log2i(word_bits / vp);
    k->in_w = d->in_w;
    k->jw = d->jw;
    /* channel groups (V2-5 item 2): a row brings every chunk of a pixel, the ring keeps a
     * block's jw of them; the last chunk is the pixel's */
    /* a global pool's channel slice (V2-4.4): a fetched pixel is the pass's slice, g->ps
     * bytes, Js = jw chunks, every one kept */
    /* channel groups in block slices (CGS, V2-5 item 2): a fetched pixel is the block's slice,
     * g->ps bytes, its jw chunks, every one kept (jin 0; cgs tells the layer is in groups) */
    int64_t in_c = d->gsl || d->cgs ? g->ps * 8 / d->a_bits : d->in_c;
    int64_t jin = d->fx == 1 ? pk_cdiv(in_c, vp) : d->jw;
    k->jin = jin > d->jw ? jin : 0;
    k->cgs = d->cgs;
    k->csl = d->csl;
    k->cs_bytes = d->cs_bytes;
    k->cbits = vp * d->a_bits;
    k->lnch = in_c - (pk_max2(jin, d->jw) - 1) * vp;
    k->lbits = k->lnch * d->a_bits;
    k->pskip = g->ps * 8 - in_c * d->a_bits;
    k->gsl = d->gsl;
    k->gs_bytes = d->gs_bytes;
    k->gs_ps = d->gs_ps;
    if (d->global) { /* V2-3.1 global: the word stream, bank w mod R, address floor(w / R) mod DA */
        k->sp = 1;
        k->sjw = d->jw;
        k->u0 = k->q0 = k->g0 = k->a0 = 0;
        k->awrap = g->da;
        k->wb = k->cap_wb = k->owm = 0;
        k->wb = d->gsl ? d->gs_bytes : 0; /* (field WB: the slice SL, pk_ld2's run) */
        return;
    }
    if (d->flat) {
        k->sp = 1;
        k->sjw = d->jw;
        k->u0 = k->q0 = k->g0 = k->a0 = 0;
        k->awrap = g->da_a * R / d->jw / R * d->jw;
        k->wb = k->cap_wb = k->owm = 0;
        if (d->pre > 0) {
            /* WB with a resident prefix (V2-11.4 item 12; pk_v2_ring_prefix_pos): pixel p >= NP =
             * P * in_w at NP + (p - NP) mod S, S a multiple of R, so the bank stays (p + jc) mod
             * R and the stream wraps inside ring row floor((NP + S) / R) when NP mod R != 0.  The
             * windowed-only row-start fields carry it (0 in any other flat layer): q0 = NP mod
             * R, g0 = floor(NP / R) * Jw (a pass's first position), a0 = floor((NP + S) / R) *
             * Jw (the row the stream wraps in, when NP mod R != 0; else 0); the address wraps at
             * awrap = floor((NP + S) / R) * Jw (+ Jw when NP mod R != 0) to g0 (+ Jw) */
            int64_t capp = g->da_a * R / d->jw / R * R, np = d->pre * d->in_w;
            int64_t S = (capp - np) / R * R;
            k->q0 = np % R;
            k->g0 = np / R * d->jw;
            k->a0 = k->q0 ? (np + S) / R * d->jw : 0; /* (read only when the wrap is inside a row) */
            k->awrap = k->q0 ? k->a0 + d->jw : (np + S) / R * d->jw;
        }
        return;
    }
    /* the row's first stored position X' = floor(pad_left / fx) (V2-4.2) */
    int64_t xf0 = d->pad_l / d->fx, qq = xf0 / pk_max2(1, d->sf);
    k->sp = d->sf;
    k->sjw = d->sf * d->jw;
    k->u0 = xf0 % pk_max2(1, d->sf);
    k->q0 = qq % R;
    k->g0 = qq / R * k->sjw;
    k->a0 = k->g0 + k->u0 * d->jw;
    k->awrap = 0;
    k->wb = d->wbw;
    k->cap_wb = d->cap * d->wbw;
    k->owm = d->out_w % R;
}

/* The weight-unit unpacker's constants (V2-3.2: the n-tile's dense codes in
 * [k-step][column][slot] order, then from byte ceil(UNIT_BYTES * nc / Ct)
 * the columns' records of rec bytes, each rw words of min(rec, WB) bytes). */
static void weight_consts(const pk_v2_desc_t *d, const pk_v2_ringgeom_t *g, int64_t word_bits,
                          pk_v2_ldconst_t *k)
{
    int64_t wb = word_bits / 8, per_ch = d->uses_params && !d->per_tensor;
    k->dw = d->kind != PK_KIND_CONV;
    k->wlog = log2i(d->w_bits);
    k->ks = d->ks;
    k->ct = d->ct;
    k->nc_last = d->out_c - (d->nt - 1) * d->ct;
    k->wcb = k->dw ? d->w_bits : g->vp * d->w_bits;
    k->wskip = pk_cdiv(d->unit_bytes * d->ct, d->ct) * 8 - d->ks * d->ct * k->wcb;
    k->wskip_last = pk_cdiv(d->unit_bytes * k->nc_last, d->ct) * 8 - d->ks * k->nc_last * k->wcb;
    k->rw = per_ch ? pk_cdiv(d->rec, wb) : 0;
    k->rbits = per_ch ? 8 * pk_min2(d->rec, wb) : 0;
    k->wu = d->ks + k->rw;
}

int pk_v2_ldconst(const pk_v2_desc_t *d, const pk_v2_ringgeom_t *g, int64_t word_bits, int layer,
                  int n_layers, pk_v2_ldconst_t *k)
{
    int64_t R = g->R;
    /* every field defined, also when a return below refuses the layer (callers read the
     * ring's fields of a refused layer, and pre chooses a test's fetch order) */
    memset(k, 0, sizeof *k);
    ring_consts(d, g, word_bits, k);
    k->has_b = d->b_row_bytes > 0;
    int blocks = d->order == PK_ORDER_IS || d->order == PK_ORDER_WB || d->order == PK_ORDER_NS;
    if ((d->order != PK_ORDER_WS && !blocks) || d->s < 1 || d->out_w < 1)
        return 1;
    /* WB with a resident prefix (V2-5 item 3, V2-11.4 item 12): a flat WB layer only */
    k->pre = d->pre;
    if (d->pre > 0 && ((d->order != PK_ORDER_WB && !pk_v2_desc_ns_passes(d)) || !d->flat))
        return 1;
    /* IS, WB, NS: not with operand B (V2-5) nor a global pool; without weights only a pool in
     * channel groups (pk_ld2 walks its blocks as units that issue no request) */
    int cg = k->jin || k->cgs; /* channel groups (V2-5 item 2) */
    if (blocks && (d->b_row_bytes > 0 || d->global || (d->unit_bytes <= 0 && !cg) || d->nb < 1))
        return 1;
    /* channel groups (V2-5 item 2): a DW / pool layer in WB or NS whose ring holds a block's
     * chunks only; any other layer stores every chunk of a pixel */
    if (cg && !((d->order == PK_ORDER_WB || d->order == PK_ORDER_NS) &&
                    d->kind != PK_KIND_CONV && !d->flat && !d->global))
        return 1;
    /* block slices (CGS): built for blocks of one size (pk_ld2a takes one pixel a layer) whose
     * slice is whole beats (each run's beats hold its slice only) */
    if (k->cgs && (d->in_c % (d->nb * d->ct) || g->ps % g->pb || d->jw % R))
        return 1;
    /* (a CONV's channel slice, CSL, V2-6.1: every slice, pk_ld2a's l_prun dropping a beat's
     * bytes past the slice, V2-11.4 item 17) */
    /* operand B: built for an EW layer (flat A of the output's shape, no weight units) */
    if (k->has_b && (d->kind != PK_KIND_EW || !d->flat || d->unit_bytes > 0 || d->global ||
                     (d->uses_params && !d->per_tensor) ||
                     d->in_w != d->out_w || d->in_h != d->out_h || d->out_w < 1))
        return 1;
    k->addr_b = d->addr_res;
    k->b_row_bytes = d->b_row_bytes;
    k->cap_b = d->cap_b;
    k->rdiv = R / d->out_w;
    k->rmod = R % d->out_w;
    k->ox1_0 = (pk_min2(R, d->out_h * d->out_w) - 1) % d->out_w;
    k->b_jw = k->b_lbits = k->b_lnch = k->b_awrap = k->b_base = 0;
    if (k->has_b) { /* V2-3.1: the B half is flat, Jr = ceil(PS_res / word bytes) words a pixel */
        int64_t wb = word_bits / 8, ps_b = d->b_row_bytes / pk_v2_desc_b_pixels(d);
        k->b_jw = pk_cdiv(ps_b, wb);
        k->b_lnch = ps_b - (k->b_jw - 1) * wb;
        k->b_lbits = 8 * k->b_lnch;
        k->b_awrap = (g->da - g->da_a) * R / k->b_jw / R * k->b_jw;
        k->b_base = g->da_a;
    }
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
    k->passes = 1;
    if (d->global) { /* every row, in passes of mt channel chunks (V2-4.4, V2-6.1): each pass
                        fetches the image again unless the ring holds all of it */
        k->s = k->kh = 1;
        k->ymax = d->in_h - 1;
        k->passes = d->cap < d->in_h || d->gsl ? d->mt : 1; /* (a slice fetch: every pass) */
    }

    k->addr_y0 = d->addr_in + (uint32_t)(k->y0 * d->row_bytes);
    k->jump = k->kh < k->s ? k->s - k->kh + 1 : 1;
    k->jump_bytes = k->jump * d->row_bytes;
    k->y1_0 = pk_min2(k->ymax, (pk_min2(R, d->out_h * d->out_w) - 1) / d->out_w * d->s + d->kh -
                                   1 - d->pad);
    k->prec = d->uses_params && d->per_tensor ? d->rec : 0;
    k->addr_param = d->addr_param;
    k->has_next = layer + 1 < n_layers;
    k->desc_addr = (uint32_t)((layer + 1) * PK_DESC2_BYTES);
    k->desc_entry = (layer + 1) % 2;
    k->is = blocks;
    k->wbo = d->order == PK_ORDER_WB || pk_v2_desc_ns_passes(d); /* (a pass per block) */
    k->ns = d->order == PK_ORDER_NS;
    k->nb = k->is ? d->nb : 0;
    k->nbl1 = k->is ? (d->nt - 1) % d->nb : 0;
    k->blk_bytes = k->is ? d->nb * k->wu_bytes : 0;
    weight_consts(d, g, word_bits, k);
    return 0;
}
