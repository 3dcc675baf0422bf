/* pk_timing.c - section 7 of docs/ARCHITECTURE_V1.md, literally.
 *
 * Design: the scoreboard of 7.5 needs only E_load(s-1), E_comp(s-1),
 * E_comp(s-2), E_post(t-1) and E_post(t-2), so a layer is one loop over its
 * steps with five registers.  A LOAD job is a list of slots (requests and
 * holes, one per cycle); the read port of 7.1 is the recurrence
 *     D_j = max(I_j + LAT, D_{j-1}) + B_j.
 * For a run of n consecutive requests of B >= 1 beats each, issued in
 * consecutive cycles from I, the recurrence telescopes to
 *     D_end = max(D_prev + n * B, I + LAT + n * B)
 * (the terms I + k + LAT + (n - k) * B decrease in k), so a row segment of a
 * tile costs O(1) instead of O(rows).  Valid rows of a tap are computed per
 * output-row segment of the tile from the tap's valid input columns.
 */
#include "pk_timing.h"
#include "pk_imath.h"

#include <string.h>

#define NEG (INT64_MIN / 4) /* "-inf": no such job */

/* floor(a / b) for b > 0 and any a. */
static int64_t fdiv(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* One LOAD job on the read port. */
typedef struct port {
    int64_t s0;    /* job start S0 */
    int64_t slot;  /* slots so far */
    int64_t d;     /* D of the last request (NEG: none) */
    int64_t lat, pb;
    pk_counters_t *c;
} port_t;

static void port_begin(port_t *p, int64_t s0, int64_t lat, int64_t pb, pk_counters_t *c)
{
    p->s0 = s0;
    p->slot = 0;
    p->d = NEG;
    p->lat = lat;
    p->pb = pb;
    p->c = c;
}

/* n consecutive requests of `bytes` each. */
static void port_run(port_t *p, int64_t n, int64_t bytes)
{
    if (n <= 0)
        return;
    int64_t B = pk_cdiv(bytes, p->pb);
    int64_t I = p->s0 + 1 + p->slot;
    p->d = pk_max2(p->d + n * B, I + p->lat + n * B);
    p->slot += n;
    p->c->v[PK_CNT_DRAM_RD_BYTES] += (uint64_t)(n * bytes);
    p->c->v[PK_CNT_DRAM_RD_REQS] += (uint64_t)n;
}

static void port_holes(port_t *p, int64_t n)
{
    if (n > 0)
        p->slot += n;
}

/* E_load = max(S0 + 1 + nslots, D_Q) + 1 */
static int64_t port_end(const port_t *p)
{
    return pk_max2(p->s0 + 1 + p->slot, p->d) + 1;
}

/* An output-row segment of a tile: rows [r0, r0 + xb - xa] are pixels
 * (oy, xa..xb). */
typedef struct seg {
    int64_t oy, xa, xb;
} seg_t;

/* Walk one k-step's R patch positions for tap (i, jt): requests for rows with
 * a valid tap, holes otherwise.  Returns the number of valid rows. */
static int64_t patch_kstep(port_t *p, const pk_hwlayer_t *h, const seg_t *sg, int nseg,
                           int64_t nrows, int64_t R, int64_t i, int64_t jt, int64_t bytes)
{
    int64_t sx = h->stride_w, pl = h->pad_l;
    /* valid ox: 0 <= ox*stride_w - pad_left + jt <= in_w - 1 */
    int64_t lo_x = pl - jt <= 0 ? 0 : pk_cdiv(pl - jt, sx);
    int64_t hi_x = fdiv(h->in_w - 1 + pl - jt, sx);
    int64_t nv = 0;
    for (int k = 0; k < nseg; k++) {
        int64_t len = sg[k].xb - sg[k].xa + 1;
        int64_t iy = sg[k].oy * h->stride - h->pad + i;
        if (iy < 0 || iy >= h->in_h) {
            port_holes(p, len);
            continue;
        }
        int64_t lo = pk_max2(sg[k].xa, lo_x), hi = pk_min2(sg[k].xb, hi_x);
        if (lo > hi) {
            port_holes(p, len);
            continue;
        }
        port_holes(p, lo - sg[k].xa);
        port_run(p, hi - lo + 1, bytes);
        port_holes(p, sg[k].xb - hi);
        nv += hi - lo + 1;
    }
    port_holes(p, R - nrows);
    return nv;
}

void pk_timing_layer(const pk_hwnet_t *hw, int li, int64_t start, pk_layer_timing_t *out)
{
    const pk_config_t *cfg = hw->cfg;
    const pk_hwlayer_t *h = &hw->layers[li];
    const int64_t R = cfg->array.rows, C = cfg->array.cols, PL = cfg->postproc.lanes;
    const int64_t LAT = cfg->offchip.latency, PB = cfg->offchip.bytes_per_cycle;
    const int64_t wb = cfg->d.word_bytes, kcm = cfg->d.kc_max;
    const int64_t b = h->a_bits;
    const int is_conv = h->kind == PK_HW_CONV, is_dw = h->kind == PK_HW_DW;
    const int is_pool = h->kind == PK_HW_POOLMAX || h->kind == PK_HW_POOLSUM;
    const int is_ew = h->kind == PK_HW_EW;
    pk_layer_timing_t T;
    memset(&T, 0, sizeof T);
    pk_counters_t *c = &T.cnt;
    port_t port;

    T.start = start;
    /* descriptor fetch: a load job of one descriptor-sized request */
    port_begin(&port, start, LAT, PB, c);
    port_run(&port, 1, PK_DESC_BYTES);
    const int64_t e_desc = port_end(&port);
    T.desc_end = e_desc;

    int64_t e_load1 = e_desc, e_comp1 = NEG, e_comp2 = NEG, e_post1 = NEG, e_post2 = NEG;
    int64_t busy = 0;
    seg_t sg[512];
    const int64_t G = pk_cdiv(h->ct, PL);

    for (int64_t nt = 0; nt < h->Nt; nt++) {
        const int64_t n0 = nt * h->ct;
        const int64_t ncols = pk_min2(h->ct, h->out_c - n0);
        for (int64_t mt = 0; mt < h->Mt; mt++) {
            const int64_t p0 = mt * R;
            const int64_t nrows = pk_min2(R, h->M - p0);
            /* row segments of this tile */
            int nseg = 0;
            for (int64_t p = p0; p < p0 + nrows;) {
                int64_t oy = p / h->out_w, xa = p % h->out_w;
                int64_t xb = pk_min2(h->out_w - 1, xa + (p0 + nrows - 1 - p));
                sg[nseg].oy = oy;
                sg[nseg].xa = xa;
                sg[nseg].xb = xb;
                nseg++;
                p += xb - xa + 1;
            }
            for (int64_t q = 0; q < h->Kc; q++) {
                const int64_t k0 = q * kcm, k1 = pk_min2(k0 + kcm, h->Ks);
                const int64_t nk = k1 - k0;
                const int ld_par = h->uses_params && mt == 0 && q == 0;
                const int ld_w = (is_conv || is_dw) && (h->Kc > 1 || mt == 0);
                const int ld_res = h->res_en && q == h->Kc - 1;

                const int64_t s_load =
                    pk_max2(pk_max2(e_load1, e_comp2), (ld_par || ld_res) ? e_post2 : NEG);
                port_begin(&port, s_load, LAT, PB, c);
                if (ld_par) {
                    int64_t rec = h->per_tensor ? 1 : ncols;
                    port_run(&port, 1, PK_PARAM_BYTES * rec);
                    c->v[PK_CNT_PARBUF_WR] += (uint64_t)rec;
                }
                if (ld_w) {
                    port_run(&port, 1, nk * C * wb);
                    c->v[PK_CNT_WBUF_WR] += (uint64_t)(nk * C);
                }
                for (int64_t k = k0; k < k1; k++) {
                    int64_t i, jt, cnt;
                    if (is_conv) {
                        int64_t tap = k / h->J, jc = k % h->J;
                        i = tap / h->kw;
                        jt = tap % h->kw;
                        cnt = pk_min2(h->vp, h->in_c - jc * h->vp);
                    } else if (is_ew) {
                        i = h->pad;  /* the output pixel itself (pad 0, stride 1) */
                        jt = h->pad_l;
                        cnt = pk_min2(h->ct, h->in_c - n0);
                    } else {
                        i = k / h->kw;
                        jt = k % h->kw;
                        cnt = pk_min2(h->ct, h->in_c - n0);
                    }
                    int64_t nv = patch_kstep(&port, h, sg, nseg, nrows, R, i, jt,
                                             pk_cdiv(cnt * b, 8));
                    if (is_conv)
                        c->v[PK_CNT_MACS] += (uint64_t)(nv * ncols * cnt);
                    else if (is_dw)
                        c->v[PK_CNT_MACS] += (uint64_t)(nv * ncols);
                    else if (is_pool)
                        c->v[PK_CNT_POOL_OPS] += (uint64_t)(nv * ncols);
                }
                c->v[PK_CNT_PBUF_WR] += (uint64_t)(nk * R);
                c->v[PK_CNT_PBUF_RD] += (uint64_t)(nk * R);
                if (is_conv || is_dw)
                    c->v[PK_CNT_WBUF_RD] += (uint64_t)(nk * C);
                if (ld_res) {
                    port_run(&port, nrows, pk_cdiv(ncols * h->r_bits, 8));
                    port_holes(&port, R - nrows);
                    c->v[PK_CNT_RESBUF_WR] += (uint64_t)(ncols * nrows);
                }
                const int64_t e_load = port_end(&port);

                const int64_t s_comp = pk_max2(pk_max2(e_load, e_comp1), q == 0 ? e_post2 : NEG);
                const int64_t dur = (is_ew ? 1 : nk) + PK_ARRAY_LAT;
                const int64_t e_comp = s_comp + dur;
                busy += dur;
                T.steps++;
                e_load1 = e_load;
                e_comp2 = e_comp1;
                e_comp1 = e_comp;

                if (q == h->Kc - 1) {
                    /* POST job of tile t = nt * Mt + mt */
                    const int64_t ob = pk_cdiv(ncols * h->out_bits, 8);
                    const int64_t W = nrows * pk_cdiv(ob, PB);
                    const int64_t s_post = pk_max2(e_comp, e_post1);
                    const int64_t e_post = s_post + R * G + PK_PPU_LAT + W + 1;
                    e_post2 = e_post1;
                    e_post1 = e_post;
                    T.tiles++;
                    const uint64_t el = (uint64_t)(nrows * ncols);
                    c->v[PK_CNT_OUT_ELEMS] += el;
                    if (h->qn_en)
                        c->v[PK_CNT_QN_OPS] += el;
                    if (h->res_en) {
                        c->v[PK_CNT_RES_OPS] += el;
                        c->v[PK_CNT_RESBUF_RD] += el;
                    }
                    if (h->rq_en)
                        c->v[PK_CNT_RQ_OPS] += el;
                    if (h->act != PK_ACT_NONE)
                        c->v[PK_CNT_ACT_OPS] += el;
                    if (h->uses_params)
                        c->v[PK_CNT_PARBUF_RD] += (uint64_t)(PL * R * G);
                    c->v[PK_CNT_DRAM_WR_BYTES] += (uint64_t)(nrows * ob);
                    c->v[PK_CNT_DRAM_WR_REQS] += (uint64_t)nrows;
                }
            }
        }
    }
    T.comp_end = e_comp1 == NEG ? e_desc : e_comp1;
    T.end = e_post1 == NEG ? e_desc : e_post1;
    c->v[PK_CNT_CYCLES] = (uint64_t)(T.end - start);
    c->v[PK_CNT_BUSY] = (uint64_t)busy;
    c->v[PK_CNT_STALL] = (uint64_t)(T.comp_end - e_desc - busy);
    *out = T;
}

void pk_timing_run(const pk_hwnet_t *hw, pk_layer_timing_t *per_layer, pk_counters_t *total)
{
    memset(total, 0, sizeof *total);
    int64_t t = 0;
    for (int i = 0; i < hw->n_layers; i++) {
        pk_layer_timing_t T;
        pk_timing_layer(hw, i, t, &T);
        pk_counters_add(total, &T.cnt);
        if (per_layer)
            per_layer[i] = T;
        t = T.end;
    }
    total->v[PK_CNT_CYCLES] = (uint64_t)t;
}
