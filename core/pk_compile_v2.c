/* pk_compile_v2.c - the v2 memory image (ARCHITECTURE.md V2-3.2, V2-9).
 *
 * Design: the layout is computed once in pk_v2_compile (addresses and the
 * descriptors, every plan value range-checked against its field of
 * PK_DESC2_FIELDS); pk_v2img_build only fills bytes.  The v1 half of a
 * descriptor is pk_compile_descriptor's, with the address fields rewritten
 * for this image, so v1 fields added later carry over unchanged.  Weight and
 * record layouts are functions of (layer, plan) alone, shared with the v2
 * model's functional path (sim/pk_v2func.c), which reads weights back
 * through pk_v2_weight_index and records through pk_v2_record_unpack.
 */
#include "pk_compile_v2.h"
#include "pk_imath.h"
#include "pk_v2_consts.h"
#include "pk_v2ldconst.h"

#include <stdlib.h>
#include <string.h>

struct pk_v2img {
    const pk_hwnet_t *hw;
    const pk_plan_t *plan;
    uint8_t *desc;          /* n_layers * PK_DESC2_BYTES */
    uint32_t *addr_w;       /* per layer: first n-tile unit */
    uint32_t *addr_param;   /* per layer: per-tensor record */
    int64_t tensor_shift;   /* v2 tensor address - v1 tensor address */
    uint64_t bytes;
};

static uint64_t align64(uint64_t a)
{
    return (a + 63) & ~(uint64_t)63;
}

static int ilog2(int64_t v)
{
    int l = 0;
    while (((int64_t)1 << (l + 1)) <= v)
        l++;
    return l;
}

/* ---- records ---- */

int pk_v2_record_fields(const pk_hwlayer_t *h, const pk_config_t *cfg,
                        pk_v2_recfield_t out[PK_V2_REC_MAX_FIELDS])
{
    int n = 0, lsb = 0;
#define FIELD(mem, nbits, sg)                                                                      \
    do {                                                                                           \
        out[n++] = (pk_v2_recfield_t){offsetof(pk_chan_params_t, mem), lsb, (nbits), (sg)};        \
        lsb += (nbits);                                                                            \
    } while (0)
    if (!h->uses_params)
        return 0;
    if (h->qn_en) {
        FIELD(m, cfg->postproc.qn_mult_bits, 1);
        FIELD(s, cfg->postproc.qn_shift_bits, 0);
        FIELD(b, cfg->postproc.qn_bias_bits, 1);
    }
    if (h->rq_en) {
        FIELD(M, cfg->postproc.dq_mant_bits, 0);
        FIELD(E, cfg->postproc.dq_exp_bits, 0);
    }
    if (h->act == PK_ACT_PRELU || h->act == PK_ACT_DPRELU || h->act == PK_ACT_RPRELU)
        FIELD(an, cfg->postproc.act_param_bits, 1);
    if (h->act == PK_ACT_DPRELU)
        FIELD(ap, cfg->postproc.act_param_bits, 1);
    if (h->act == PK_ACT_RPRELU) {
        FIELD(g, 16, 1);
        FIELD(z, 16, 1);
    }
#undef FIELD
    return n;
}

int64_t pk_v2_record_bytes(const pk_hwlayer_t *h, const pk_config_t *cfg)
{
    pk_v2_recfield_t f[PK_V2_REC_MAX_FIELDS];
    int n = pk_v2_record_fields(h, cfg, f);
    if (!n)
        return 0;
    int64_t bytes = pk_cdiv(f[n - 1].lsb + f[n - 1].bits, 8), p = 1;
    while (p < bytes)
        p *= 2;
    return p;
}

void pk_v2_record_pack(const pk_hwlayer_t *h, const pk_config_t *cfg,
                       const pk_chan_params_t *p, uint8_t *out)
{
    pk_v2_recfield_t f[PK_V2_REC_MAX_FIELDS];
    int n = pk_v2_record_fields(h, cfg, f);
    memset(out, 0, (size_t)pk_v2_record_bytes(h, cfg));
    for (int k = 0; k < n; k++) {
        int32_t v;
        memcpy(&v, (const char *)p + f[k].member, sizeof v);
        uint32_t m = f[k].bits >= 32 ? 0xffffffffu : (1u << f[k].bits) - 1u;
        pk_bits_put(out, (uint64_t)f[k].lsb, f[k].bits, (uint32_t)v & m);
    }
}

void pk_v2_record_unpack(const pk_hwlayer_t *h, const pk_config_t *cfg, const uint8_t *in,
                         pk_chan_params_t *p)
{
    pk_v2_recfield_t f[PK_V2_REC_MAX_FIELDS];
    int n = pk_v2_record_fields(h, cfg, f);
    memset(p, 0, sizeof *p);
    for (int k = 0; k < n; k++) {
        uint32_t u = pk_bits_get(in, (uint64_t)f[k].lsb, f[k].bits);
        int64_t v = u;
        if (f[k].is_signed && f[k].bits < 32 && (u >> (f[k].bits - 1)) & 1)
            v -= (int64_t)1 << f[k].bits;
        int32_t v32 = (int32_t)v;
        memcpy((char *)p + f[k].member, &v32, sizeof v32);
    }
}

/* ---- weights ---- */

int pk_v2_conv_slot(const pk_v2_kgeom_t *g, int64_t k, int64_t v, int *i, int *j, int *ic)
{
    int64_t jc = k % g->jw, tap = k / g->jw;
    int64_t jj = tap % g->kwf, ch = jc * g->vp + v;
    if (g->fx > 1) {
        int64_t cp = 1;
        while (cp < g->in_c)
            cp *= 2;
        if (v / cp >= g->fx)
            return 0;
        jj = jj * g->fx + v / cp;
        ch = v % cp;
    }
    if (jj >= g->kw || ch >= g->in_c)
        return 0;
    *i = (int)(tap / g->kwf);
    *j = (int)jj;
    *ic = (int)ch;
    return 1;
}

static int64_t nt_cols(const pk_hwlayer_t *h, const pk_plan_layer_t *L, int64_t nt)
{
    int64_t r = h->out_c - nt * L->ct;
    return r < L->ct ? r : L->ct;
}

/* Bytes of n-tile nt's dense weights (the plan's run) and of its records. */
static int64_t unit_w_bytes(const pk_hwlayer_t *h, const pk_plan_layer_t *L, int64_t nt)
{
    return pk_cdiv(L->w_unit_bytes * nt_cols(h, L, nt), L->ct);
}

static int64_t unit_p_bytes(const pk_hwlayer_t *h, const pk_plan_layer_t *L, int64_t nt)
{
    return h->uses_params && !h->per_tensor ? nt_cols(h, L, nt) * L->rec : 0;
}

/* OR code v (bits = 1, 2, 4 or 8: never straddles a byte) into element e
 * of zeroed bytes at base. */
static void put_elem(uint8_t *base, int64_t e, int bits, uint32_t v)
{
    uint64_t off = (uint64_t)e * (uint64_t)bits;
    base[off >> 3] |= (uint8_t)(v << (off & 7));
}

/* put_elem for runs of nearby elements: codes are gathered in a 64-bit
 * word (bits 64w .. 64w + 63 of base) and ORed into memory when the next
 * element falls in another word (or at bw_flush), byte by byte and only
 * the bytes that hold a code, so nothing outside the elements is touched. */
typedef struct bitw {
    uint8_t *base;
    int bits;
    int64_t w;   /* the word being gathered, -1 none */
    uint64_t acc;
} bitw_t;

static void bw_flush(bitw_t *b)
{
    for (int k = 0; b->w >= 0 && k < 8; k++)
        if ((uint8_t)(b->acc >> (8 * k)))
            b->base[b->w * 8 + k] |= (uint8_t)(b->acc >> (8 * k));
    b->w = -1;
    b->acc = 0;
}

static void bw_put(bitw_t *b, int64_t e, uint32_t v)
{
    uint64_t off = (uint64_t)e * (uint64_t)b->bits;
    if ((int64_t)(off >> 6) != b->w) {
        bw_flush(b);
        b->w = (int64_t)(off >> 6);
    }
    b->acc |= (uint64_t)v << (off & 63);
}

/* Weight codes of int8 values -128..127 at w_bits (lut[v + 128]). */
static void code_lut(int bits, uint32_t lut[256])
{
    for (int v = -128; v < 128; v++)
        lut[v + 128] = pk_weight_code(v, bits);
}

/* n-tile nt's dense weights.  slot[k * vp + v]: the source offset of CONV
 * slot (k, v) within an output channel's weights, -1 for a zero slot.
 * Blocks of PK_V2_CBLK columns: the block's source weights stay in cache
 * while its k-steps are written, each k-step's words of the block adjacent. */
static void unit_weights(const pk_hwlayer_t *h, const pk_plan_layer_t *L, int64_t nt,
                         const int64_t *slot, const uint32_t lut[256], uint8_t *base)
{
    int64_t nc = nt_cols(h, L, nt);
    int cin_g = h->kind == PK_HW_CONV ? h->in_c : 1;
    const int64_t per_c = (int64_t)h->kh * h->kw * cin_g;
    const int8_t *w0 = h->weights + nt * L->ct * per_c;
    if (h->kind == PK_HW_DW) {
        for (int64_t c = 0; c < nc; c++)
            for (int64_t k = 0; k < L->ks; k++)
                put_elem(base, pk_v2_weight_index(0, nc, k, c, 0), h->w_bits,
                         lut[w0[c * per_c + k] + 128]);
        return;
    }
    const int64_t vp = h->vp;
    const int bits = h->w_bits;
    if ((vp * bits) % 8 == 0) {
        /* word (k, c) holds elements (k nc + c) vp .. + vp - 1: whole bytes
         * of its own, so its codes are gathered LSB first, 64 bits at a time,
         * and ORed in (as bw_put, without a multiply and branch per code) */
        const int64_t wbytes = vp * bits / 8;
        for (int64_t c0 = 0; c0 < nc; c0 += PK_V2_CBLK)
            for (int64_t k = 0; k < L->ks; k++) {
                const int64_t *sk = slot + k * vp;
                for (int64_t c = c0; c < c0 + PK_V2_CBLK && c < nc; c++) {
                    const int8_t *wc = w0 + c * per_c;
                    uint8_t *dst = base + (k * nc + c) * wbytes;
                    uint64_t acc = 0;
                    int sh = 0;
                    for (int64_t v = 0; v < vp; v++) {
                        if (sk[v] >= 0)
                            acc |= (uint64_t)lut[wc[sk[v]] + 128] << sh;
                        if ((sh += bits) == 64) {
                            for (int b = 0; b < 8; b++)
                                dst[b] |= (uint8_t)(acc >> (8 * b));
                            dst += 8, acc = 0, sh = 0;
                        }
                    }
                    for (int b = 0; b < sh / 8; b++)
                        dst[b] |= (uint8_t)(acc >> (8 * b));
                }
            }
        return;
    }
    bitw_t bw = {base, bits, -1, 0};
    for (int64_t c0 = 0; c0 < nc; c0 += PK_V2_CBLK)
        for (int64_t k = 0; k < L->ks; k++) {
            const int64_t *sk = slot + k * vp;
            for (int64_t c = c0; c < c0 + PK_V2_CBLK && c < nc; c++) {
                const int8_t *wc = w0 + c * per_c;
                if (slot[L->ks * vp + k] == 0) { /* every slot holds a weight */
                    for (int64_t v = 0; v < vp; v++)
                        bw_put(&bw, pk_v2_weight_index(vp, nc, k, c, v), lut[wc[sk[v]] + 128]);
                    continue;
                }
                for (int64_t v = 0; v < vp; v++)
                    if (sk[v] >= 0)
                        bw_put(&bw, pk_v2_weight_index(vp, nc, k, c, v), lut[wc[sk[v]] + 128]);
            }
        }
    bw_flush(&bw);
}

/* The CONV slot map as source offsets (unit_weights' slot: ks * vp
 * offsets, -1 for a zero slot, then ks flags, 0 where a k-step's slots
 * all hold a weight). */
static int64_t *slot_offsets(const pk_hwlayer_t *h, const pk_plan_layer_t *L)
{
    int64_t n = L->ks * h->vp;
    int64_t *slot = malloc((size_t)(n + L->ks + 1) * sizeof *slot);
    pk_v2_kgeom_t kg = {h->in_c, h->kw, h->vp, L->jw, L->kwf, L->fx};
    for (int64_t k = 0; slot && k < L->ks; k++) {
        int64_t *full = slot + n + k; /* 0: every slot of k-step k holds a weight, else -1 */
        *full = 0;
        for (int64_t v = 0; v < h->vp; v++) {
            int i, j, ic;
            slot[k * h->vp + v] =
                pk_v2_conv_slot(&kg, k, v, &i, &j, &ic) ? (i * h->kw + j) * h->in_c + ic : -1;
            *full |= slot[k * h->vp + v] < 0 ? -1 : 0;
        }
    }
    return slot;
}

/* ---- layout and descriptors ---- */

/* The plan fields (words 16-31) and the engine constants (words 32-63,
 * core/pk_v2_consts) of layer i, in PK_DESC2_FIELDS order. */
static void desc2_values(const pk_hwlayer_t *h, const pk_plan_layer_t *L, const pk_config_t *cfg,
                         int64_t v[PK_D2_COUNT])
{
    int R = cfg->array.rows;
    memset(v, 0, sizeof(int64_t) * PK_D2_COUNT);
    v[PK_D2_ORDER] = L->order;
    v[PK_D2_FX_LOG2] = ilog2(L->fx);
    v[PK_D2_GLOBAL] = L->global_pool;
    v[PK_D2_FLAT] = L->flat;
    v[PK_D2_REC_LOG2P1] = L->rec ? ilog2(L->rec) + 1 : 0;
    v[PK_D2_NW] = L->nw;
    v[PK_D2_PRE] = L->pre;
    v[PK_D2_NB] = L->nb;
    v[PK_D2_CT] = L->ct;
    v[PK_D2_CAP] = L->ring_rows;
    v[PK_D2_CAP_B] = L->ring_b;
    v[PK_D2_KS] = L->ks;
    v[PK_D2_KC] = L->kc;
    v[PK_D2_JW] = L->jw;
    v[PK_D2_KWF] = L->kwf;
    v[PK_D2_SF] = L->sf;
    v[PK_D2_GX] = L->gx;
    v[PK_D2_WB] = L->wbw;
    if (L->gsl) { /* V2-4.4's channel-slice fetch: the windowed-only fields carry it */
        v[PK_D2_GSL] = 1;
        v[PK_D2_GX] = L->gs_ps;
        v[PK_D2_WB] = L->gs_bytes;
    }
    v[PK_D2_CGS] = L->cgs; /* V2-5 item 2's strided group fetch */
    v[PK_D2_ROW_BYTES] = L->row_bytes;
    if (h->in_c_total) { /* a channel slice (V2-6.1): the row in DRAM, the ring's is in_w * SL */
        v[PK_D2_CSL] = 1;
        v[PK_D2_ROW_BYTES] = (int64_t)h->in_w * (h->in_c_total * h->a_bits / 8);
    }
    v[PK_D2_B_ROW_BYTES] = L->b_row_bytes;
    v[PK_D2_UNIT_BYTES] = L->w_unit_bytes;
    v[PK_D2_MT] = L->mt;
    v[PK_D2_NT] = L->nt;
    v[PK_D2_R_MOD_OW] = R % h->out_w;
    v[PK_D2_R_DIV_OW] = R / h->out_w;
    pk_v2_consts_compute(h, L, R, cfg->d.word_bytes, v);
    pk_v2_consts_loader(h, L, v);
}

/* The loader's constants (rows LD_*, words 53-63: core/pk_v2ldconst) of the
 * descriptor d (words 0-52 already written) into v.  Returns 1 when there are
 * any: 0 for a layer pk_ld2 does not build (its walker's constants would be
 * meaningless, so the rows stay 0; ARCHITECTURE.md V2-11.6). */
static int loader_values(const uint8_t *desc, const pk_config_t *cfg, int64_t vp, int i,
                         int n_layers, int64_t v[PK_D2_COUNT])
{
    pk_v2_desc_t d;
    pk_v2_ringgeom_t g;
    pk_v2_ldconst_t k;
    memset(&k, 0, sizeof k);
    pk_v2_desc_decode(desc, &d);
    pk_v2_ring_geom(&d, cfg->array.rows, cfg->d.word_bytes, cfg->buffers.activations,
                    cfg->offchip.bytes_per_cycle, vp, &g);
    if (pk_v2_ldconst(&d, &g, cfg->d.word_bits, i, n_layers, &k) || !k.ring_ok)
        return 0;
    v[PK_D2_LD_ADDR_Y0] = k.addr_y0;
    v[PK_D2_LD_JUMP_BYTES] = k.jump_bytes;
    v[PK_D2_LD_Y1_0] = k.y1_0;
    v[PK_D2_LD_JUMP] = k.jump;
    v[PK_D2_LD_CBITS] = k.cbits;
    v[PK_D2_LD_LBITS] = k.lbits;
    v[PK_D2_LD_LNCH] = k.lnch;
    v[PK_D2_LD_PSKIP] = k.pskip;
    if (k.has_w) { /* the weight unpacker's: meaningless without units */
        v[PK_D2_LD_WCB] = k.wcb;
        v[PK_D2_LD_WU] = k.wu;
        v[PK_D2_LD_WSKIP] = k.wskip;
        v[PK_D2_LD_WSKIP_LAST] = k.wskip_last;
        v[PK_D2_LD_RBITS] = k.rbits;
    }
    v[PK_D2_LD_Y0] = k.y0;
    v[PK_D2_LD_YM0] = k.ym0;
    v[PK_D2_LD_PREC] = k.prec;
    v[PK_D2_LD_MLOG] = k.mlog;
    v[PK_D2_LD_HAS_W] = k.has_w;
    v[PK_D2_LD_DW] = k.dw;
    v[PK_D2_LD_U0] = k.u0;
    v[PK_D2_LD_Q0] = k.q0;
    v[PK_D2_LD_RB0] = k.rb0;
    v[PK_D2_LD_G0] = k.g0;
    v[PK_D2_LD_A0] = k.a0;
    v[PK_D2_LD_AWRAP] = k.awrap;
    v[PK_D2_LD_SJW] = k.sjw;
    v[PK_D2_LD_SP] = k.sp;
    v[PK_D2_LD_OWM] = k.owm;
    if (k.has_b) { /* operand B's (EW): the B half's unpacker */
        v[PK_D2_LD_B_JW] = k.b_jw;
        v[PK_D2_LD_B_LNCH] = k.b_lnch;
        v[PK_D2_LD_B_AWRAP] = k.b_awrap;
    }
    if (k.cgs || k.csl) { /* channel groups in block slices (V2-5 item 2), a CONV's channel
                           * slice (V2-6.1): no operand B, so its loader words carry pk_ld2's
                           * pixel stride PS_in and the slice SB or SL */
        v[PK_D2_LD_B_JW] = k.gs_ps;
        v[PK_D2_LD_B_AWRAP] = k.cs_bytes;
    }
    v[PK_D2_LD_NBL1] = k.nbl1; /* IS: the last weight block's n-tiles - 1 */
    v[PK_D2_LD_JIN] = k.jin;   /* channel groups: the input pixel's chunks (else 0) */
    return 1;
}

/* Row f of PK_DESC2_FIELDS with value v[f] into the words w, or an error
 * naming the layer and the field when the value does not fit its bits. */
static int put_field(const pk_hwnet_t *hw, const pk_hwlayer_t *h, const pk_desc_field_t *rows,
                     size_t f, const int64_t *v, uint32_t *w, pk_error_t *err)
{
    if (v[f] < 0 || (rows[f].width < 32 && v[f] >= (int64_t)1 << rows[f].width) ||
        v[f] > UINT32_MAX)
        return pk_error_set(err, PK_EINPUT, hw->cfg->source, 0, h->name,
                            "v2 descriptor field %s = %lld does not fit its %d bits", rows[f].name,
                            (long long)v[f], rows[f].width);
    pk_desc2_put(w, (int)f, (uint32_t)v[f]);
    return 0;
}

static int make_descriptor(pk_v2img_t *m, int i, pk_error_t *err)
{
    const pk_hwnet_t *hw = m->hw;
    const pk_hwlayer_t *h = &hw->layers[i];
    uint8_t v1[PK_DESC_BYTES];
    uint32_t w[PK_DESC2_WORDS];
    memset(w, 0, sizeof w);
    pk_compile_descriptor(hw, i, v1);
    pk_desc_words(v1, PK_DESC_WORDS, w);
    pk_desc_put(w, PK_DF_ADDR_IN, (uint32_t)(h->addr_in + m->tensor_shift));
    pk_desc_put(w, PK_DF_ADDR_RES, h->t_res >= 0 ? (uint32_t)(h->addr_res + m->tensor_shift) : 0);
    pk_desc_put(w, PK_DF_ADDR_OUT, (uint32_t)(h->addr_out + m->tensor_shift));
    pk_desc_put(w, PK_DF_ADDR_W, m->addr_w[i]);
    pk_desc_put(w, PK_DF_ADDR_PARAM, m->addr_param[i]);

    int64_t v[PK_D2_COUNT];
    desc2_values(h, pk_plan_layer(m->plan, i), hw->cfg, v);
    size_t nf;
    const pk_desc_field_t *rows = pk_contract_desc2_fields(&nf);
    for (size_t f = 0; f < nf; f++) {
        int rc = put_field(hw, h, rows, f, v, w, err);
        if (rc)
            return rc;
    }
    uint8_t *out = m->desc + (size_t)i * PK_DESC2_BYTES;
    for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < PK_DESC2_WORDS; k++) /* little-endian (the stores merge) */
            out[4 * k] = (uint8_t)w[k], out[4 * k + 1] = (uint8_t)(w[k] >> 8),
                    out[4 * k + 2] = (uint8_t)(w[k] >> 16), out[4 * k + 3] = (uint8_t)(w[k] >> 24);
        /* the loader's constants are computed from the descriptor itself
         * (core/pk_v2ldconst: what pk_ld2 reads), so a second pass */
        if (pass == 0 && loader_values(out, hw->cfg, h->vp, i, hw->n_layers, v))
            for (size_t f = 0; f < nf; f++) {
                int rc = strncmp(rows[f].name, "LD_", 3) ? 0 : put_field(hw, h, rows, f, v, w, err);
                if (rc)
                    return rc;
            }
    }
    return 0;
}

/* Addresses: descriptors, per layer (record, units), tensors. */
static uint64_t layout(pk_v2img_t *m)
{
    const pk_hwnet_t *hw = m->hw;
    uint64_t a = align64((uint64_t)hw->n_layers * PK_DESC2_BYTES);
    for (int i = 0; i < hw->n_layers && a <= UINT32_MAX; i++) {
        const pk_hwlayer_t *h = &hw->layers[i];
        const pk_plan_layer_t *L = pk_plan_layer(m->plan, i);
        m->addr_param[i] = 0;
        if (h->uses_params && h->per_tensor) {
            m->addr_param[i] = (uint32_t)a;
            a = align64(a + (uint64_t)L->rec);
        }
        m->addr_w[i] = 0;
        uint64_t units = 0;
        for (int64_t nt = 0; nt < L->nt && !L->global_pool; nt++)
            units += (uint64_t)(unit_w_bytes(h, L, nt) + unit_p_bytes(h, L, nt));
        if (units) {
            m->addr_w[i] = (uint32_t)a;
            a = align64(a + units);
        }
    }
    uint64_t v1_base = UINT64_MAX, v1_end = 0;
    for (int t = 0; t < hw->n_tensors; t++) {
        const pk_tensor_t *T = &hw->tensors[t];
        if (T->parent >= 0)
            continue;
        v1_base = T->addr < v1_base ? T->addr : v1_base;
        v1_end = T->addr + (uint64_t)T->bytes > v1_end ? T->addr + (uint64_t)T->bytes : v1_end;
    }
    if (v1_base == UINT64_MAX)
        v1_base = v1_end = 0;
    m->tensor_shift = (int64_t)a - (int64_t)v1_base;
    return align64(a + (v1_end - v1_base));
}

int pk_v2_compile(const pk_hwnet_t *hw, const pk_plan_t *plan, pk_v2img_t **out,
                  pk_error_t *err)
{
    *out = NULL;
    pk_v2img_t *m = calloc(1, sizeof *m);
    int n = hw->n_layers ? hw->n_layers : 1;
    if (!m || !(m->desc = calloc((size_t)n, PK_DESC2_BYTES)) ||
        !(m->addr_w = calloc((size_t)n, sizeof *m->addr_w)) ||
        !(m->addr_param = calloc((size_t)n, sizeof *m->addr_param))) {
        pk_v2img_free(m);
        return pk_error_set(err, PK_ENOMEM, "", 0, "v2 image", "out of memory");
    }
    m->hw = hw;
    m->plan = plan;
    m->bytes = layout(m);
    if (m->bytes > ((uint64_t)1 << hw->cfg->offchip.addr_bits)) {
        int rc = pk_error_set(err, PK_EINPUT, hw->cfg->source, 0, "offchip.addr_bits",
                              "the v2 memory image needs %llu bytes, more than the %d-bit "
                              "address space of config '%s'",
                              (unsigned long long)m->bytes, hw->cfg->offchip.addr_bits,
                              hw->cfg->name);
        pk_v2img_free(m);
        return rc;
    }
    for (int i = 0; i < hw->n_layers; i++) {
        int rc = make_descriptor(m, i, err);
        if (rc) {
            pk_v2img_free(m);
            return rc;
        }
    }
    *out = m;
    return 0;
}

void pk_v2img_free(pk_v2img_t *m)
{
    if (!m)
        return;
    free(m->desc);
    free(m->addr_w);
    free(m->addr_param);
    free(m);
}

const uint8_t *pk_v2img_descriptor(const pk_v2img_t *m, int i)
{
    return m->desc + (size_t)i * PK_DESC2_BYTES;
}

uint32_t pk_v2img_tensor_addr(const pk_v2img_t *m, int t)
{
    return (uint32_t)(m->hw->tensors[t].addr + m->tensor_shift);
}

uint64_t pk_v2img_bytes(const pk_v2img_t *m)
{
    return m->bytes;
}

/* Layer i's records and n-tile units into img. */
static int layer_data(const pk_v2img_t *m, int i, uint8_t *img)
{
    const pk_hwlayer_t *h = &m->hw->layers[i];
    const pk_config_t *cfg = m->hw->cfg;
    const pk_plan_layer_t *L = pk_plan_layer(m->plan, i);
    if (h->uses_params && h->per_tensor)
        pk_v2_record_pack(h, cfg, &h->params[0], img + m->addr_param[i]);
    if (!m->addr_w[i])
        return 0;
    int64_t *slot = NULL;
    uint32_t lut[256];
    if (h->kind == PK_HW_CONV || h->kind == PK_HW_DW) {
        code_lut(h->w_bits, lut);
        if (h->kind == PK_HW_CONV && !(slot = slot_offsets(h, L)))
            return -1;
    }
    uint8_t *u = img + m->addr_w[i];
    for (int64_t nt = 0; nt < L->nt; nt++) {
        if (h->kind == PK_HW_CONV || h->kind == PK_HW_DW)
            unit_weights(h, L, nt, slot, lut, u);
        u += unit_w_bytes(h, L, nt);
        for (int64_t c = 0; unit_p_bytes(h, L, nt) && c < nt_cols(h, L, nt); c++)
            pk_v2_record_pack(h, cfg, &h->params[nt * L->ct + c], u + c * L->rec);
        u += unit_p_bytes(h, L, nt);
    }
    free(slot);
    return 0;
}

/* The network input at its v2 address (pk_tensor_pack's layout, by bytes:
 * widths 1, 2, 4 and 8 never straddle one; other widths through it). */
static void pack_input(const pk_v2img_t *m, const uint32_t *codes, uint8_t *img)
{
    pk_tensor_t t0 = m->hw->tensors[0];
    t0.addr = pk_v2img_tensor_addr(m, 0);
    if (8 % t0.bits) {
        pk_tensor_pack(&t0, codes, img);
        return;
    }
    uint32_t mask = (1u << t0.bits) - 1;
    bitw_t bw = {img + t0.addr, t0.bits, -1, 0}; /* zero: the image is calloc'd */
    for (int64_t p = 0; p < (int64_t)t0.h * t0.w; p++)
        for (int64_t c = 0; c < t0.c; c++) /* element c of pixel p: bit p * ps * 8 + c * bits */
            bw_put(&bw, (p * (int64_t)t0.ps * 8) / t0.bits + c, codes[p * t0.c + c] & mask);
    bw_flush(&bw);
}

int pk_v2img_build(const pk_v2img_t *m, const uint32_t *input_codes, uint8_t **img,
                   size_t *len, pk_error_t *err)
{
    *img = NULL;
    *len = 0;
    if (!m->hw->with_data)
        return pk_error_set(err, PK_EINTERNAL, "", 0, "pk_v2img_build",
                            "the network was compiled without data");
    uint8_t *b = calloc(1, m->bytes ? (size_t)m->bytes : 1);
    if (!b)
        return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
    memcpy(b, m->desc, (size_t)m->hw->n_layers * PK_DESC2_BYTES);
    for (int i = 0; i < m->hw->n_layers; i++)
        if (layer_data(m, i, b)) {
            free(b);
            return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
        }
    if (input_codes)
        pack_input(m, input_codes, b);
    *img = b;
    *len = (size_t)m->bytes;
    return 0;
}
