/* pk_v2func.c - outputs from the v2 memory image (ARCHITECTURE.md).
 *
 * Design: one layer at a time, as the hardware sees it: the descriptor is
 * decoded (core/pk_v2desc), the input tensor is read from the image into
 * values once, records are unpacked from the compact form, the weights
 * from the dense n-tile units into [out channel][k-step * VP + slot], and
 * the layer's tiles are computed in the model's terms: pixel tile (R output
 * pixels), n-tile (Ct columns), k-step.  Windowed CONV, DW and pool layers
 * keep their input in the ring memory of core/pk_v2ring (the tile's needed
 * rows fetched first); flat and global layers read the input values at the
 * pixel.  A CONV tile first gathers each row's words of all k-steps (VP
 * slots each: from the ring, a folded word's sub-pixels past kw masked; else
 * by the V2-4.1/4.2 slot map computed once per layer: padding slots, taps
 * past kw and positions outside the image are 0), then each (row, column)
 * is one dot product over Ks * VP slots, in int32 when the layer's bound
 * proves it exact, else int64.  A DW / pool tile reads each tap's word (the
 * n-tile's chunks) and accumulates per channel.  The PPU is pk_q_ppu,
 * through a per-record table of recent results (a pure function).  Widths
 * are 1, 2, 4 or 8 bits, so every code sits in one byte of its pixel; codes
 * are read and written a byte at a time.
 */
#include "pk_v2func.h"

#include <stdlib.h>
#include <string.h>

#include "pk_compile_v2.h"
#include "pk_contract.h"
#include "pk_func.h"
#include "pk_quant.h"
#include "pk_v2desc.h"
#include "pk_v2ring.h"
#include "pk_imath.h"

#define PK_V2_MAX_VP 512 /* V <= 64 lanes of L <= 8 bits at mode 1 */

/* The dot products are also compiled for AVX2 and picked at load time
 * where the CPU has it (GCC / Clang function multiversioning on x86-64):
 * integer sums, so every version gives the same result. */
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones) && !defined(__SANITIZE_ADDRESS__)
#define PK_V2_DOT_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef PK_V2_DOT_CLONES
#define PK_V2_DOT_CLONES
#endif

/* Code at element e (bits wide) of the pixel at p. */
static uint32_t code_at(const uint8_t *p, int64_t e, int bits)
{
    uint64_t off = (uint64_t)e * (uint64_t)bits;
    return (uint32_t)(p[off >> 3] >> (off & 7)) & ((1u << bits) - 1u);
}

/* Codes of elements e0 .. e0 + n - 1 (bits wide) of the pixel at p into
 * out: whole bytes at a time when e0 starts a byte (every layer's first
 * element does), element by element otherwise. */
static void codes_get(const uint8_t *p, int64_t e0, int64_t n, int bits, uint8_t *out)
{
    int64_t i = 0;
    if (((uint64_t)e0 * (uint64_t)bits & 7) == 0) {
        const uint8_t *b = p + ((uint64_t)e0 * (uint64_t)bits >> 3);
        const int per = 8 / bits;
        const uint8_t m = (uint8_t)((1u << bits) - 1u);
        if (bits == 8) {
            memcpy(out, b, (size_t)n);
            return;
        }
        for (; i + per <= n; i += per, b++)
            for (int k = 0; k < per; k++)
                out[i + k] = (uint8_t)(*b >> (k * bits)) & m;
    }
    for (; i < n; i++)
        out[i] = (uint8_t)code_at(p, e0 + i, bits);
}

/* Codes written in element order: each byte is merged into memory once
 * (the bits of the elements put, the rest of the byte kept) when the next
 * element falls in another byte, or at pw_flush. */
typedef struct putw {
    uint8_t *p;
    int bits;
    int64_t at; /* byte being gathered, -1 none */
    uint8_t val, msk;
} putw_t;

static void pw_flush(putw_t *w)
{
    if (w->at >= 0)
        w->p[w->at] = (uint8_t)((w->p[w->at] & ~w->msk) | w->val);
    w->at = -1;
    w->val = w->msk = 0;
}

static void pw_put(putw_t *w, int64_t e, uint32_t v)
{
    uint64_t off = (uint64_t)e * (uint64_t)w->bits;
    if ((int64_t)(off >> 3) != w->at) {
        pw_flush(w);
        w->at = (int64_t)(off >> 3);
    }
    uint8_t m = (uint8_t)(((1u << w->bits) - 1u) << (off & 7));
    w->msk |= m;
    w->val |= (uint8_t)((v << (off & 7)) & m);
}

/* codes_get's inverse: n codes into elements e0 ... of the pixel at p, the
 * other bits of a partly written byte kept. */
static void codes_put(uint8_t *p, int64_t e0, int64_t n, int bits, const uint8_t *codes)
{
    int64_t i = 0;
    if (((uint64_t)e0 * (uint64_t)bits & 7) == 0) {
        uint8_t *b = p + ((uint64_t)e0 * (uint64_t)bits >> 3);
        const int per = 8 / bits;
        const unsigned m = (1u << bits) - 1u;
        for (; i + per <= n; i += per, b++) {
            unsigned v = 0;
            for (int k = 0; k < per; k++)
                v |= (codes[i + k] & m) << (k * bits);
            *b = (uint8_t)v;
        }
    }
    putw_t w = {p, bits, -1, 0, 0};
    for (; i < n; i++)
        pw_put(&w, e0 + i, codes[i]);
    pw_flush(&w);
}

/* The PPU is a pure function of (record, accumulator, residual code) in a
 * layer, and a channel often sees the same accumulator values again and
 * again (small codes, many pixels): its codes are kept in a direct-mapped
 * table of PK_V2_MEMO entries per record (8 bytes each, so a layer's table
 * stays in the L2 cache), tag the residual code + 1 (0: empty); accumulators
 * outside int32 bypass it.  Where the table does not pay (wide sums, few
 * repeats: under a quarter of the lookups hit by the PK_V2_MEMO_PROBE-th miss), the
 * rest of the layer calls the PPU directly. */
#define PK_V2_MEMO 32
#define PK_V2_MEMO_MAX ((size_t)1 << 20) /* bytes; no table for a layer needing more */
#define PK_V2_MEMO_PROBE 32768
typedef struct memo {
    int32_t acc;
    uint16_t tag;
    uint8_t code, pad;
} memo_t;

typedef struct fl {
    const pk_config_t *cfg;
    const pk_v2_desc_t *d;
    uint8_t *img;
    int64_t R, vp, ps_in, ps_out, ps_res;
    int16_t *x;              /* input values, in_h * in_w * in_c */
    pk_q_ppu_cfg_t pc;
    /* the PPU: pk_q_ppu, or pk_q_ppu_mul for a channel-wise multiply (B's code
     * the QuantNorm multiplier, QUANT.md); memoized alike */
    uint32_t (*ppu)(const pk_q_ppu_cfg_t *, const pk_q_params_t *, int64_t, uint32_t);
    pk_q_params_t *qp;       /* out_c records (or 1) */
    int64_t *acc;            /* R * ct */
    uint8_t *cb;             /* codes of one pixel: max(in_c, 2 ct) */
    memo_t *memo;            /* PK_V2_MEMO per record, or NULL */
    int64_t memo_miss, memo_hit;
    int use32;               /* CONV sums provably fit int32 */
    int64_t kv;              /* CONV: ks * VP slots of a row's k-steps; DW: ks taps */
    int16_t *w;              /* the layer's weights: [out channel][k * VP + slot] (DW: [k][oc]) */
    int16_t *patch;          /* CONV: R rows of kv values (one tile's k-step words) */
    int *si, *sj, *sc, *ok;  /* CONV: the slot map, kv entries (V2-4.1, V2-4.2) */
    pk_v2_ring_t *ring;      /* windowed CONV, DW, pool: the input rows as the ring holds them */
    int16_t *tw;             /* windowed DW / pool: one tap's words of the n-tile's chunks */
    int64_t jb;              /* channel groups: the input chunk of the ring's stored chunk 0 */
    int64_t rec_bytes;       /* bytes of the layer's compact record */
} fl_t;

static int bad(const pk_v2_desc_t *d, int li, const char *field, pk_error_t *err)
{
    (void)d;
    char name[32];
    snprintf(name, sizeof name, "layer %d", li);
    return pk_error_set(err, PK_EINPUT, "", 0, name,
                        "v2 image: descriptor field %s is out of range, inconsistent with the "
                        "others, or points outside the image",
                        field);
}

/* Bytes the layer's weight units and records take at ADDR_W. */
static int64_t units_bytes(const pk_v2_desc_t *d, int64_t *w_of, int64_t nt)
{
    int64_t nc = d->out_c - nt * d->ct < d->ct ? d->out_c - nt * d->ct : d->ct;
    *w_of = pk_cdiv(d->unit_bytes * nc, d->ct);
    return *w_of + (d->uses_params && !d->per_tensor ? nc * d->rec : 0);
}

/* A pk_hwlayer_t carrying just what the record layout depends on. */
static void rec_layer(const pk_v2_desc_t *d, pk_hwlayer_t *h)
{
    memset(h, 0, sizeof *h);
    h->qn_en = d->qn_en;
    h->rq_en = d->rq_en;
    h->act = d->act;
    h->uses_params = d->uses_params;
}

static void to_q(const pk_chan_params_t *p, pk_q_params_t *q)
{
    *q = (pk_q_params_t){p->m, p->s, p->E, p->b, p->M, p->an, p->ap, p->g, p->z};
}

/* Records: per tensor at ADDR_PARAM, else after each n-tile's weights. */
static void load_records(fl_t *f)
{
    const pk_v2_desc_t *d = f->d;
    pk_hwlayer_t h;
    pk_chan_params_t p;
    rec_layer(d, &h);
    if (!d->uses_params) {
        f->qp[0].m = f->qp[0].M = 1;
        return;
    }
    if (d->per_tensor) {
        pk_v2_record_unpack(&h, f->cfg, f->img + d->addr_param, &p);
        to_q(&p, &f->qp[0]);
        return;
    }
    const uint8_t *u = f->img + d->addr_w;
    for (int64_t nt = 0; nt < d->nt; nt++) {
        int64_t wof, ub = units_bytes(d, &wof, nt);
        for (int64_t c = 0; c < d->ct && nt * d->ct + c < d->out_c; c++) {
            pk_v2_record_unpack(&h, f->cfg, u + wof + c * d->rec, &p);
            to_q(&p, &f->qp[nt * d->ct + c]);
        }
        u += ub;
    }
}

static void load_input(fl_t *f)
{
    const pk_v2_desc_t *d = f->d;
    int16_t lut[256];
    for (uint32_t v = 0; v < (1u << d->a_bits); v++)
        lut[v] = (int16_t)pk_q_decode(v, d->a_bits, d->a_signed);
    for (int64_t p = 0; p < d->in_h * d->in_w; p++) {
        codes_get(f->img + d->addr_in + p * f->ps_in, 0, d->in_c, d->a_bits, f->cb);
        for (int64_t c = 0; c < d->in_c; c++)
            f->x[p * d->in_c + c] = lut[f->cb[c]];
    }
}

/* Unpack every n-tile's dense weights (units from ADDR_W) into w. */
static void load_weights(fl_t *f)
{
    const pk_v2_desc_t *d = f->d;
    int64_t vp = d->kind == PK_KIND_CONV ? f->vp : 0, nv = vp ? vp : 1;
    const uint8_t *u = f->img + d->addr_w;
    int16_t lut[256];
    for (uint32_t c = 0; c < (1u << d->w_bits); c++)
        lut[c] = (int16_t)pk_q_decode(c, d->w_bits, 1);
    for (int64_t nt = 0; nt < d->nt; nt++) {
        int64_t wof, ub = units_bytes(d, &wof, nt), nc = d->out_c - nt * d->ct;
        nc = nc < d->ct ? nc : d->ct;
        /* CONV: [column][k * VP + slot]; DW: [tap][column], a tap's columns adjacent */
        int64_t sc = vp ? f->kv : 1, sk = vp ? nv : d->out_c;
        int16_t *wt = f->w + nt * d->ct * sc;
        for (int64_t c0 = 0; c0 < nc; c0 += PK_V2_CBLK) /* blocks: see unit_weights */
            for (int64_t k = 0; k < d->ks; k++)
                for (int64_t c = c0; c < c0 + PK_V2_CBLK && c < nc; c++)
                    for (int64_t v = 0; v < nv; v++)
                        wt[c * sc + k * sk + v] =
                            lut[code_at(u, pk_v2_weight_index(vp, nc, k, c, v), d->w_bits)];
        u += ub;
    }
}

/* The CONV slot map: kernel position and channel of every (k-step, slot). */
static void slot_map(fl_t *f)
{
    const pk_v2_desc_t *d = f->d;
    pk_v2_kgeom_t kg = {d->in_c, d->kw, f->vp, d->jw, (d->kw + d->fx - 1) / d->fx, d->fx};
    for (int64_t k = 0; k < d->ks; k++)
        for (int64_t v = 0; v < f->vp; v++) {
            int64_t e = k * f->vp + v;
            f->ok[e] = pk_v2_conv_slot(&kg, k, v, &f->si[e], &f->sj[e], &f->sc[e]);
        }
}

/* Input value at padded window position (iy, ix) channel c, 0 outside. */
static int in_image(const pk_v2_desc_t *d, int64_t iy, int64_t ix)
{
    return iy >= 0 && iy < d->in_h && ix >= 0 && ix < d->in_w;
}

/* The word k-step k reads for output pixel (oy, ox): VP slots, one window
 * position and consecutive channels without fold (copied at once). */
static void conv_word(const fl_t *f, int64_t k, int64_t oy, int64_t ox, int16_t *word)
{
    const pk_v2_desc_t *d = f->d;
    const int *si = f->si + k * f->vp, *sj = f->sj + k * f->vp, *sc = f->sc + k * f->vp,
              *ok = f->ok + k * f->vp;
    if (d->fx == 1) {
        int64_t iy = oy * d->s - d->pad + si[0], ix = ox * d->sw - d->pad_l + sj[0], n = 0;
        while (n < f->vp && ok[n])
            n++;
        if (n && in_image(d, iy, ix))
            memcpy(word, f->x + (iy * d->in_w + ix) * d->in_c + sc[0], (size_t)n * sizeof *word);
        else if (d->in_zp) /* padding: the zero-point word (V2-6.3) */
            for (int64_t v = 0; v < n; v++)
                word[v] = (int16_t)d->in_zp;
        else
            n = 0;
        memset(word + n, 0, (size_t)(f->vp - n) * sizeof *word);
        return;
    }
    for (int64_t v = 0; v < f->vp; v++) {
        int64_t iy = oy * d->s - d->pad + si[v], ix = ox * d->sw - d->pad_l + sj[v];
        word[v] = ok[v] && in_image(d, iy, ix) ? f->x[(iy * d->in_w + ix) * d->in_c + sc[v]] : 0;
    }
}

PK_V2_DOT_CLONES
static int64_t dot(const int16_t *a, const int16_t *b, int64_t n, int use32)
{
    if (use32) {
        int32_t s = 0;
        for (int64_t i = 0; i < n; i++)
            s += (int32_t)a[i] * (int32_t)b[i];
        return s;
    }
    int64_t s = 0;
    for (int64_t i = 0; i < n; i++)
        s += (int64_t)a[i] * (int64_t)b[i];
    return s;
}

/* The loader: the tile's needed input rows into the ring (a row some
 * kernel row of some output row reads; a 1x1 stride-2 layer skips half). */
static void ring_rows(fl_t *f, int64_t p0, int64_t nr)
{
    const pk_v2_desc_t *d = f->d;
    int64_t oy0 = p0 / d->out_w, oy1 = (p0 + nr - 1) / d->out_w;
    int64_t y0 = oy0 * d->s - d->pad, y1 = oy1 * d->s + d->kh - 1 - d->pad;
    for (int64_t y = y0 < 0 ? 0 : y0; y <= y1 && y < d->in_h; y++) {
        int need = 0;
        for (int64_t i = 0; i < d->kh && !need; i++) {
            int64_t t = y + d->pad - i;
            need = t >= 0 && t % d->s == 0 && t / d->s < d->out_h;
        }
        if (need)
            pk_v2_ring_fetch(f->ring, f->x, y);
    }
}

/* The tile's words: row r's k-steps at patch[r * kv]. */
static void conv_patches(fl_t *f, int64_t p0, int64_t nr)
{
    const pk_v2_desc_t *d = f->d;
    if (f->ring) { /* the window generator's reads: (Y, X') = (oy s + i, ox s' + j'') */
        ring_rows(f, p0, nr);
        for (int64_t r = 0; r < nr; r++) {
            int64_t oy = (p0 + r) / d->out_w, ox = (p0 + r) % d->out_w;
            int16_t *row = f->patch + r * f->kv;
            for (int64_t k = 0; k < d->ks; k += d->jw) /* one tap: its jw k-steps */
                pk_v2_ring_read(f->ring, oy * d->s + k / d->jw / d->kwf,
                                ox * d->sf + k / d->jw % d->kwf, row + k * f->vp);
            /* a folded word's sub-pixels past kw are stored image pixels: the
             * window generator masks them (a 1-bit weight cannot be 0) */
            for (int64_t e = 0; d->fx > 1 && e < f->kv; e++)
                row[e] = f->ok[e] ? row[e] : 0;
        }
        return;
    }
    for (int64_t r = 0; r < nr; r++)
        for (int64_t k = 0; k < d->ks; k++)
            conv_word(f, k, (p0 + r) / d->out_w, (p0 + r) % d->out_w,
                      f->patch + r * f->kv + k * f->vp);
}

/* Four rows' dot products with one column's weights b (each weight
 * loaded once for four rows): s[q] = a[q * stride .. + n) . b, int32. */
PK_V2_DOT_CLONES
static void dot4_32(const int16_t *a, int64_t stride, const int16_t *b, int64_t n, int64_t *s)
{
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const int16_t *a0 = a, *a1 = a + stride, *a2 = a + 2 * stride, *a3 = a + 3 * stride;
    for (int64_t i = 0; i < n; i++) {
        int32_t w = b[i];
        s0 += a0[i] * w;
        s1 += a1[i] * w;
        s2 += a2[i] * w;
        s3 += a3[i] * w;
    }
    s[0] = s0, s[1] = s1, s[2] = s2, s[3] = s3;
}

/* Four rows times two columns (weights b, b + bstride): s[2 q + j]. */
PK_V2_DOT_CLONES
static void dot4x2_32(const int16_t *a, int64_t stride, const int16_t *b, int64_t bstride,
                      int64_t n, int64_t *s)
{
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    const int16_t *a0 = a, *a1 = a + stride, *a2 = a + 2 * stride, *a3 = a + 3 * stride;
    const int16_t *b1 = b + bstride;
    for (int64_t i = 0; i < n; i++) {
        int32_t w = b[i], x = b1[i];
        s0 += a0[i] * w;
        s1 += a1[i] * w;
        s2 += a2[i] * w;
        s3 += a3[i] * w;
        t0 += a0[i] * x;
        t1 += a1[i] * x;
        t2 += a2[i] * x;
        t3 += a3[i] * x;
    }
    s[0] = s0, s[1] = t0, s[2] = s1, s[3] = t1, s[4] = s2, s[5] = t2, s[6] = s3, s[7] = t3;
}

/* One CONV tile of channels [c0, c0 + nc): the sum over its k-steps of
 * each row's words times each column's weights (a column's weights stay
 * in cache for the tile's R rows). */
static void conv_tile(fl_t *f, int64_t nr, int64_t c0, int64_t nc)
{
    const int64_t kv = f->kv, ct = f->d->ct;
    int64_t c = 0;
    for (; f->use32 && nr >= 4 && c + 2 <= nc; c += 2) { /* two columns per pass */
        const int16_t *wc = f->w + (c0 + c) * kv;
        int64_t r = 0, s[8];
        for (; r + 4 <= nr; r += 4) {
            dot4x2_32(f->patch + r * kv, kv, wc, kv, kv, s);
            for (int q = 0; q < 8; q++)
                f->acc[(r + q / 2) * ct + c + q % 2] = s[q];
        }
        for (; r < nr; r++)
            for (int j = 0; j < 2; j++)
                f->acc[r * ct + c + j] = dot(f->patch + r * kv, wc + j * kv, kv, f->use32);
    }
    for (; c < nc; c++) {
        const int16_t *wc = f->w + (c0 + c) * kv;
        int64_t r = 0, s[4];
        for (; f->use32 && r + 4 <= nr; r += 4) {
            dot4_32(f->patch + r * kv, kv, wc, kv, s);
            for (int q = 0; q < 4; q++)
                f->acc[(r + q) * ct + c] = s[q];
        }
        for (; r < nr; r++)
            f->acc[r * ct + c] = dot(f->patch + r * kv, wc, kv, f->use32);
    }
}

/* Input values of channels c0 ... at (iy, ix) inside the image: through
 * the ring (the n-tile's chunks of the tap's word) when the layer has one,
 * else from the input values directly. */
static const int16_t *tap_word(fl_t *f, int64_t iy, int64_t ix, int64_t c0, int64_t nc)
{
    const pk_v2_desc_t *d = f->d;
    if (!f->ring)
        return f->x + (iy * d->in_w + ix) * d->in_c + c0;
    int64_t jc0 = c0 / f->vp, jc1 = (c0 + nc - 1) / f->vp;
    pk_v2_ring_read_chunks(f->ring, iy + d->pad, ix + d->pad_l, jc0 - f->jb, jc1 - jc0 + 1, f->tw);
    return f->tw + (c0 - jc0 * f->vp);
}

/* DW, POOLMAX, POOLSUM (global pool included: its kernel is the image):
 * tap k = (i, j) over channels [c0, c0 + nc). */
static void tap_tile(fl_t *f, int64_t p0, int64_t nr, int64_t c0, int64_t nc)
{
    const pk_v2_desc_t *d = f->d;
    const int is_max = d->kind == PK_KIND_POOLMAX, is_dw = d->kind == PK_KIND_DW;
    const int64_t lo = -((int64_t)1 << (f->cfg->precision.acc_bits - 1));
    for (int64_t r = 0; r < nr; r++) {
        int64_t oy = (p0 + r) / d->out_w, ox = (p0 + r) % d->out_w, *a = f->acc + r * d->ct;
        for (int64_t c = 0; c < nc; c++)
            a[c] = is_max ? lo : 0;
        for (int64_t k = 0; k < d->kh * d->kw; k++) {
            int64_t iy = oy * d->s - d->pad + k / d->kw, ix = ox * d->sw - d->pad_l + k % d->kw;
            if (!in_image(d, iy, ix) && (!d->in_zp || is_max || !f->ring))
                continue; /* masked by the window generator (V2-6.3); with a zero point
                           * the ring's masked read is the zero-point word (a layer
                           * without a ring, flat or global, has no padding) */
            const int16_t *xr = tap_word(f, iy, ix, c0, nc);
            if (is_max) {
                for (int64_t c = 0; c < nc; c++)
                    a[c] = xr[c] > a[c] ? xr[c] : a[c];
            } else if (is_dw) {
                const int16_t *wk = f->w + k * d->out_c + c0; /* tap k's columns */
                for (int64_t c = 0; c < nc; c++)
                    a[c] += (int64_t)xr[c] * wk[c];
            } else {
                for (int64_t c = 0; c < nc; c++)
                    a[c] += xr[c];
            }
        }
    }
}

/* EW: operand A loaded with its shift, operand B the PPU's residual. */
static void ew_tile(fl_t *f, int64_t p0, int64_t nr, int64_t c0, int64_t nc)
{
    const pk_v2_desc_t *d = f->d;
    for (int64_t r = 0; r < nr; r++)
        for (int64_t c = 0; c < nc; c++)
            f->acc[r * d->ct + c] =
                pk_q_acc_update(PK_Q_OP_LOAD, 0, f->x[(p0 + r) * d->in_c + c0 + c], 1, d->a_shift,
                                1, f->cfg->precision.acc_bits);
}

/* The PPU's code for record q, through the record's table. */
static uint32_t ppu(fl_t *f, int64_t q, int64_t acc, uint32_t rc)
{
    if (!f->memo || acc != (int32_t)acc)
        return f->ppu(&f->pc, &f->qp[q], acc, rc);
    uint64_t h = ((uint64_t)acc * 0x9E3779B97F4A7C15ull) >> 59; /* 5 bits: PK_V2_MEMO */
    memo_t *e = f->memo + q * PK_V2_MEMO + (int64_t)h;
    if (e->tag == rc + 1 && e->acc == (int32_t)acc) {
        f->memo_hit++;
    } else {
        *e = (memo_t){(int32_t)acc, (uint16_t)(rc + 1),
                      (uint8_t)f->ppu(&f->pc, &f->qp[q], acc, rc), 0};
        if (++f->memo_miss == PK_V2_MEMO_PROBE && f->memo_hit * 3 < f->memo_miss)
            f->memo = NULL;
    }
    return e->code;
}

/* POST: the PPU over the tile, codes written to ADDR_OUT. */
static void post(fl_t *f, int64_t p0, int64_t nr, int64_t c0, int64_t nc)
{
    const pk_v2_desc_t *d = f->d;
    for (int64_t r = 0; r < nr; r++) {
        uint8_t *px = f->img + d->addr_out + (p0 + r) * f->ps_out;
        uint8_t *code = f->cb, *res = f->cb + d->ct;
        if (d->res_en)
            codes_get(f->img + d->addr_res + (d->res_mul ? 0 : p0 + r) * f->ps_res, c0, nc,
                      d->r_bits, res);
        for (int64_t c = 0; c < nc; c++)
            code[c] = (uint8_t)ppu(f, d->per_tensor ? 0 : c0 + c, f->acc[r * d->ct + c],
                                   d->res_en ? res[c] : 0);
        codes_put(px, d->out_c_base + c0, nc, d->out_bits, code);
    }
}

/* A DW or pool layer in channel groups (V2-5 item 2): blocks whose ring
 * holds only the block's Jw = nb * Ct / VP chunks of every pixel. */
static int channel_groups(const fl_t *f)
{
    return pk_v2_desc_cgroups(f->d, f->cfg->array.lanes, f->cfg->d.slot_bits);
}

/* Pixel tile p0 (nr rows): its words, then its n-tiles of channels
 * [c0, c1). */
static void pixel_tile(fl_t *f, int64_t p0, int64_t nr, int64_t c0, int64_t c1)
{
    const pk_v2_desc_t *d = f->d;
    if (d->kind == PK_KIND_CONV)
        conv_patches(f, p0, nr);
    else if (f->ring)
        ring_rows(f, p0, nr); /* DW / pool: the tile's rows, read tap by tap */
    for (; c0 < c1; c0 += d->ct) {
        int64_t nc = c1 - c0 < d->ct ? c1 - c0 : d->ct;
        if (d->kind == PK_KIND_CONV)
            conv_tile(f, nr, c0, nc);
        else if (d->kind == PK_KIND_EW)
            ew_tile(f, p0, nr, c0, nc);
        else
            tap_tile(f, p0, nr, c0, nc);
        post(f, p0, nr, c0, nc);
    }
}

/* Pixel tiles, and within each its n-tiles (as WS; the order of the
 * tiles does not change a layer's outputs); in channel groups, per group
 * a new ring pass holding the group's chunks, then the pixel tiles over
 * the group's n-tiles. */
static void run_tiles(fl_t *f)
{
    const pk_v2_desc_t *d = f->d;
    int64_t M = d->out_h * d->out_w, cg = f->ring && channel_groups(f);
    int64_t gc = cg ? d->nb * d->ct : d->out_c; /* channels a group */
    for (int64_t g0 = 0; g0 < d->out_c; g0 += gc) {
        if (cg)
            pk_v2_ring_pass(f->ring, f->jb = g0 / f->vp);
        for (int64_t p0 = 0; p0 < M; p0 += f->R)
            pixel_tile(f, p0, M - p0 < f->R ? M - p0 : f->R, g0,
                       g0 + gc < d->out_c ? g0 + gc : d->out_c);
    }
}

/* The image holds [a, a + n) for every region the layer touches. */
static int regions_ok(const fl_t *f, size_t len, const char **what)
{
    const pk_v2_desc_t *d = f->d;
    uint64_t units = 0;
    for (int64_t nt = 0; nt < d->nt && (d->kind == PK_KIND_CONV || d->kind == PK_KIND_DW ||
                                        (d->uses_params && !d->per_tensor));
         nt++) {
        int64_t wof;
        units += (uint64_t)units_bytes(d, &wof, nt);
    }
    struct {
        const char *n;
        uint64_t a, b;
    } r[] = {
        {"ADDR_IN", d->addr_in, (uint64_t)((d->in_h * d->in_w - 1) * f->ps_in +
                                           pk_cdiv(d->in_c * d->a_bits, 8))},
        {"ADDR_OUT", d->addr_out, (uint64_t)(d->out_h * d->out_w * f->ps_out)},
        {"ADDR_RES", d->addr_res,
         d->res_en ? (uint64_t)((d->res_mul ? 1 : d->out_h * d->out_w) * f->ps_res) : 0},
        {"ADDR_W", d->addr_w, units},
        {"ADDR_PARAM", d->addr_param, d->uses_params && d->per_tensor ? (uint64_t)d->rec : 0},
    };
    for (size_t k = 0; k < sizeof r / sizeof *r; k++)
        if (r[k].b && r[k].a + r[k].b > len) {
            *what = r[k].n;
            return 0;
        }
    return 1;
}

/* Layers whose input the ring holds in the windowed layout (V2-3.1): CONV,
 * DW and pool layers that are neither flat nor global. */
static int windowed(const pk_v2_desc_t *d)
{
    return (d->kind == PK_KIND_CONV || d->kind == PK_KIND_DW || d->kind == PK_KIND_POOLMAX ||
            d->kind == PK_KIND_POOLSUM) &&
           !d->flat && !d->global;
}

#define PK_V2_MAX_DIM 65536 /* any one size field: products stay inside int64 */

static int dim_ok(int64_t v, int64_t lo)
{
    return v >= lo && v <= PK_V2_MAX_DIM;
}

/* The descriptor fields the functional path indexes with, checked against
 * each other before anything is allocated or read: the name of the first
 * field that is out of range or inconsistent, or NULL.  (The image regions
 * they point to are regions_ok's.) */
static const char *desc_bad_field(const fl_t *f)
{
    const pk_v2_desc_t *d = f->d;
    int conv = d->kind == PK_KIND_CONV, dw = d->kind == PK_KIND_DW, ew = d->kind == PK_KIND_EW;
    int win = windowed(d); /* through the ring */
    struct {
        const char *n;
        int ok;
    } c[] = {
        {"KIND", d->kind >= 0 && d->kind < PK_KIND_COUNT},
        {"ACT_MODE", d->act >= 0 && d->act < PK_ACT_COUNT},
        {"IN_H", dim_ok(d->in_h, 1)}, {"IN_W", dim_ok(d->in_w, 1)}, {"IN_C", dim_ok(d->in_c, 1)},
        {"OUT_H", dim_ok(d->out_h, 1)}, {"OUT_W", dim_ok(d->out_w, 1)},
        {"OUT_C", dim_ok(d->out_c, 1)}, {"KH", dim_ok(d->kh, 1)}, {"KW", dim_ok(d->kw, 1)},
        {"STRIDE", dim_ok(d->s, 1)}, {"PAD", dim_ok(d->pad, 0)},
        {"STRIDE_W", dim_ok(d->sw, 1)}, {"PAD_LEFT", dim_ok(d->pad_l, 0)},
        {"RES_MUL", !d->res_mul || (ew && d->res_en && d->qn_en)},
        {"IN_C_TOTAL", !d->in_c_total || (d->kind == PK_KIND_CONV && d->in_c_total >= d->in_c &&
                                          d->in_c * d->a_bits % 8 == 0 &&
                                          d->in_c_total * d->a_bits % 8 == 0)},
        {"CT", dim_ok(d->ct, 1) && f->vp <= PK_V2_MAX_VP},
        {"NT", d->ct >= 1 && d->nt == (d->global ? 1 : pk_cdiv(d->out_c, d->ct))}, /* core/pk_plan */
        {"OUT_C_BASE", d->out_c_base >= 0 && d->out_c_base + d->out_c <=
                                                (d->out_c_total ? d->out_c_total : d->out_c)},
        {"OUT_C", conv || (d->out_c <= d->in_c && (!ew || d->out_h * d->out_w <=
                                                              d->in_h * d->in_w))},
        {"KS", !(conv || dw) || (dim_ok(d->ks, dw ? d->kh * d->kw : 1) &&
                                 d->ks * d->ct * (conv ? f->vp : 1) * d->w_bits <=
                                     8 * d->unit_bytes)},
        {"REC_LOG2P1", !d->uses_params || d->rec >= f->rec_bytes},
        {"JW", !conv || dim_ok(d->jw, 1)}, {"KWF", !conv || dim_ok(d->kwf, 1)},
        {"SF", !win || dim_ok(d->sf, 1)}, {"GX", !win || dim_ok(d->gx, 1)},
        {"CAP", !win || dim_ok(d->cap, 1)},
        {"JW", !win || (d->jw >= 1 && d->jw <= PK_V2_RING_MAX_JW &&
                        (conv ? d->ks % d->jw == 0
                              : d->fx == 1 && (d->jw == pk_cdiv(d->in_c, f->vp) ||
                                               (channel_groups(f) &&
                                                d->nb * d->ct == d->jw * f->vp))))},
        {"SHIFT", d->a_shift < 32 && d->r_shift < 32 && d->act_shift < 32},
        /* WB with a resident prefix (V2-5 item 3): a flat WB layer, P rows of
         * fewer than it has and than the ring holds (the values are read at
         * the pixel: the prefix changes the fetch program only) */
        {"PRE", d->pre == 0 || (d->flat && (d->order == PK_ORDER_WB || pk_v2_desc_ns_passes(d)) &&
                                !d->global &&
                                d->pre < d->in_h && d->pre < d->cap)},
        /* global pool, channel-slice fetch (V2-4.4): passes of R * Cd channels (Js = R * Cd /
         * VP words a pixel), a slice of whole bytes, the pixel's stride (the values are read
         * at the pixel: the slices change the fetch program only) */
        {"GSL", !d->gsl || (d->global && d->jw * f->vp == f->R * d->ct && d->mt >= 2 &&
                            d->gs_bytes * 8 == f->R * d->ct * d->a_bits && d->gs_ps == f->ps_in &&
                            d->mt == pk_cdiv(d->gs_ps, d->gs_bytes))},
        /* channel groups, strided group fetch (V2-5 item 2): a channel-group layer whose
         * block's slice of a pixel is whole bytes (the values are read at the pixel: the
         * slices change the fetch program only) */
        {"CGS", !d->cgs || (channel_groups(f) && d->nb * d->ct * d->a_bits % 8 == 0)},
        /* a CONV's channel slice (V2-6.1): CSL with IN_C_TOTAL, ROW_BYTES the DRAM row */
        {"CSL", d->csl == (d->in_c_total != 0) && (!d->csl || d->row_bytes == d->in_w * d->gs_ps)},
    };
    for (size_t k = 0; k < sizeof c / sizeof *c; k++)
        if (!c[k].ok)
            return c[k].n;
    return NULL;
}

/* The large per-layer buffers (input values, weights, patches), kept from
 * layer to layer and grown when a layer needs more: no fresh pages per
 * layer.  Owned by pk_v2_func_run. */
typedef struct scratch {
    void *p[4];
    size_t n[4];
} scratch_t;

static void *grow(scratch_t *sc, int i, size_t bytes)
{
    if (sc->n[i] < bytes) {
        free(sc->p[i]);
        sc->n[i] = (sc->p[i] = malloc(bytes)) ? bytes : 0;
    }
    return sc->p[i];
}

static int layer(const pk_config_t *cfg, int li, uint8_t *img, size_t len, scratch_t *sc,
                 pk_error_t *err)
{
    pk_v2_desc_t d;
    pk_v2_desc_decode(img + (size_t)li * PK_DESC2_BYTES, &d);
    fl_t f = {.cfg = cfg, .d = &d, .img = img, .R = cfg->array.rows};
    int mode = d.kind == PK_KIND_CONV || d.kind == PK_KIND_DW
                   ? (d.w_bits > d.a_bits ? d.w_bits : d.a_bits)
                   : d.a_bits;
    f.vp = (int64_t)cfg->array.lanes * cfg->d.slot_bits / mode;
    /* (a channel slice, IN_C_TOTAL: the input's pixel stride; the slice is whole bytes) */
    f.ps_in = d.in_c_total ? d.gs_ps : pk_cdiv(d.in_c * d.a_bits, 8);
    f.ps_out = pk_cdiv((d.out_c_total ? d.out_c_total : d.out_c) * d.out_bits, 8);
    f.ps_res = pk_cdiv(d.out_c * d.r_bits, 8);
    const char *what = "";
    int win = windowed(&d);
    pk_hwlayer_t h;
    rec_layer(&d, &h);
    f.rec_bytes = pk_v2_record_bytes(&h, cfg);
    if ((what = desc_bad_field(&f)))
        return bad(&d, li, what, err);
    if (d.in_zp && d.fx > 1 && d.kind != PK_KIND_POOLMAX)
        return bad(&d, li, "IN_ZP", err); /* the plan folds no layer with a zero point (V2-6.3) */
    if (!regions_ok(&f, len, &what))
        return bad(&d, li, what, err);
    memset(&f.pc, 0, sizeof f.pc);
    pk_func_ppu_widths(cfg, &f.pc.w);
    f.pc = (pk_q_ppu_cfg_t){f.pc.w, d.qn_en, d.res_en, d.rq_en, d.act, d.act_shift, d.r_shift,
                            d.r_bits, d.r_signed, d.clip_lo, d.clip_hi, d.out_bits, d.out_signed,
                            d.round};
    f.ppu = d.res_mul ? pk_q_ppu_mul : pk_q_ppu;
    int64_t nx = d.in_h * d.in_w * d.in_c, conv = d.kind == PK_KIND_CONV;
    int has_w = conv || d.kind == PK_KIND_DW;
    f.kv = conv ? d.ks * f.vp : d.ks;
    int64_t nw = has_w ? d.out_c * f.kv : 1, ns = conv ? f.kv : 1;
    f.x = grow(sc, 0, (size_t)(nx ? nx : 1) * sizeof *f.x);
    f.qp = calloc((size_t)(d.out_c ? d.out_c : 1), sizeof *f.qp);
    f.acc = calloc((size_t)(f.R * d.ct), sizeof *f.acc);
    f.cb = malloc((size_t)(d.in_c > 2 * d.ct ? d.in_c : 2 * d.ct));
    f.w = grow(sc, 1, (size_t)nw * sizeof *f.w);
    f.patch = grow(sc, 2, (size_t)(f.R * ns) * sizeof *f.patch);
    size_t memo = (size_t)(d.per_tensor ? 1 : d.out_c) * PK_V2_MEMO * sizeof *f.memo;
    if (memo <= PK_V2_MEMO_MAX && (f.memo = grow(sc, 3, memo)))
        memset(f.memo, 0, memo);
    f.si = malloc((size_t)ns * sizeof *f.si);
    f.sj = malloc((size_t)ns * sizeof *f.sj);
    f.sc = malloc((size_t)ns * sizeof *f.sc);
    f.ok = malloc((size_t)ns * sizeof *f.ok);
    /* exactness of int32 sums: ks * VP terms of |w| <= 2^(w_bits - 1) (1 for
     * binary) and |a| <= 2^a_bits */
    int64_t wmax = d.w_bits == 1 ? 1 : (int64_t)1 << (d.w_bits - 1);
    f.use32 = f.kv * wmax * ((int64_t)1 << d.a_bits) < ((int64_t)1 << 31);
    int rc = 0, rrc = 0;
    int64_t da = 2 * cfg->buffers.activations / (f.R * cfg->d.word_bytes);
    if (win)
        rrc = pk_v2_ring_new(&d, f.R, da, f.vp, &f.ring);
    if (win && !conv && !(f.tw = malloc((size_t)(d.jw * f.vp) * sizeof *f.tw)))
        rrc = -1;
    if (rrc > 0) {
        rc = bad(&d, li, "CAP", err); /* its ring words do not fit DA */
    } else if (!f.x || !f.qp || !f.acc || !f.cb || !f.w || !f.patch || !f.si || !f.sj || !f.sc || !f.ok ||
               rrc) {
        rc = pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
    } else {
        load_input(&f);
        load_records(&f);
        if (has_w)
            load_weights(&f);
        if (conv)
            slot_map(&f);
        run_tiles(&f);
        if (f.ring && pk_v2_ring_misses(f.ring))
            rc = pk_error_set(err, PK_EINPUT, "", 0, "v2 ring",
                              "layer %d: %lld reads of a word the loader did not write (a row "
                              "not in the ring: descriptor field CAP too small for the layer's "
                              "windows; or a chunk past the pixel's)",
                              li, (long long)pk_v2_ring_misses(f.ring));
    }
    pk_v2_ring_free(f.ring);
    free(f.tw);
    free(f.si);
    free(f.sj);
    free(f.sc);
    free(f.ok);
    free(f.qp);
    free(f.acc);
    free(f.cb);
    return rc;
}

int pk_v2_func_run(const pk_config_t *cfg, int n_layers, uint8_t *img, size_t len,
                   pk_error_t *err)
{
    if ((uint64_t)n_layers * PK_DESC2_BYTES > len)
        return pk_error_set(err, PK_EINPUT, "", 0, "descriptors",
                            "v2 image: %d descriptors do not fit its %zu bytes", n_layers, len);
    scratch_t sc = {{NULL}, {0}};
    int rc = 0;
    for (int i = 0; i < n_layers && !rc; i++)
        rc = layer(cfg, i, img, len, &sc, err);
    for (int k = 0; k < 4; k++)
        free(sc.p[k]);
    return rc;
}

/* Tensor t's codes (h * w * c) from the image. */
static void unpack_tensor(const pk_hwnet_t *hw, const pk_v2img_t *m, const uint8_t *img, int t,
                         uint8_t *out)
{
    const pk_tensor_t *T = &hw->tensors[t];
    const uint8_t *base = img + pk_v2img_tensor_addr(m, t);
    for (int64_t p = 0; p < (int64_t)T->h * T->w; p++) {
        const uint8_t *px = base + p * T->ps;
        codes_get(px, 0, T->c, T->bits, out + p * T->c);
    }
}

int pk_v2_func_tensors(const pk_hwnet_t *hw, const pk_v2img_t *m, const uint8_t *input,
                       uint8_t ***tensors, pk_error_t *err)
{
    *tensors = NULL;
    const pk_tensor_t *t0 = &hw->tensors[0];
    int64_t n0 = (int64_t)t0->h * t0->w * t0->c;
    uint32_t *in32 = malloc((size_t)(n0 ? n0 : 1) * sizeof *in32);
    uint8_t **ts = calloc((size_t)hw->n_tensors, sizeof *ts), *img = NULL;
    size_t len = 0;
    int rc = 0;
    if (!in32 || !ts) {
        rc = pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
        goto done;
    }
    for (int64_t k = 0; k < n0; k++)
        in32[k] = input[k];
    if ((rc = pk_v2img_build(m, in32, &img, &len, err)) ||
        (rc = pk_v2_func_run(hw->cfg, hw->n_layers, img, len, err)))
        goto done;
    for (int t = 0; t < hw->n_tensors && !rc; t++) {
        const pk_tensor_t *T = &hw->tensors[t];
        int64_t n = (int64_t)T->h * T->w * T->c;
        if (!(ts[t] = malloc((size_t)(n ? n : 1))))
            rc = pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
        else if (T->parent < 0)
            unpack_tensor(hw, m, img, t, ts[t]);
    }
    for (int t = 0; t < hw->n_tensors && !rc; t++) { /* concat slices */
        const pk_tensor_t *T = &hw->tensors[t];
        if (T->parent < 0)
            continue;
        const pk_tensor_t *P = &hw->tensors[T->parent];
        for (int64_t p = 0; p < (int64_t)T->h * T->w; p++)
            memcpy(ts[t] + p * T->c, ts[T->parent] + p * P->c + T->ch_base, (size_t)T->c);
    }
done:
    free(in32);
    free(img);
    if (rc)
        pk_func_free(hw, ts);
    else
        *tensors = ts;
    return rc;
}
