/* pk_v2desc.h - one v2 descriptor (PK_DESC2_BYTES bytes, core/pk_contract.def
 * PK_DESC_FIELDS + PK_DESC2_FIELDS), decoded into plain values: what the v2
 * cycle model (sim/pk_v2.c) and its functional path (sim/pk_v2func.c) read.
 * Widths are in bits (2^field), clip bounds sign-extended, rec in bytes.
 */
#ifndef PK_V2DESC_H
#define PK_V2DESC_H

#include <stdint.h>

typedef struct pk_v2_desc {
    int kind, w_bits, a_bits, out_bits, r_bits;      /* widths (r_bits: 8 without res_en) */
    int a_signed, out_signed, r_signed;
    int qn_en, res_en, rq_en, per_tensor, act;
    int res_mul;                                     /* channel-wise multiply: B one pixel */
    int a_shift, r_shift, act_shift, clip_lo, clip_hi;
    int round, in_zp;                                /* v1 word 6: ROUND, IN_ZP (signed code) */
    uint32_t addr_in, addr_w, addr_param, addr_res, addr_out;
    int64_t out_c_base;
    int64_t in_h, in_w, in_c, out_h, out_w, out_c, kh, kw, out_c_total;
    int64_t s, pad;            /* row stride and top pad (v1 STRIDE, PAD) */
    int64_t sw, pad_l;         /* column stride and left pad (v1 word 13: STRIDE_W, PAD_LEFT) */
    int64_t in_c_total;        /* v1 word 13's IN_C_TOTAL: the input's pixel stride in channels
                                * when the layer reads a slice of them (a grouped conv), else 0 */
    int order, fx, global, flat, nw;
    int64_t rec, nb, ct, cap, cap_b, ks, kc, jw, row_bytes, b_row_bytes, unit_bytes;
    int64_t pre;               /* WB with a resident prefix: rows kept (V2-5 item 3), 0: none */
    int gsl;                   /* global pool, channel-slice fetch (V2-4.4): jw = Js */
    int64_t gs_bytes;          /* gsl: a full pass's slice of a pixel (bytes) */
    int64_t gs_ps;             /* gsl, cgs or a channel slice (IN_C_TOTAL): the pixel stride
                                * PS_in (bytes; gsl: GX, cgs: row_bytes / in_w, a slice:
                                * in_c_total * a_bits / 8), 0 in any other layer */
    int cgs;                   /* channel groups, strided group fetch (V2-5 item 2): block b
                                * fetches its slice of each pixel at the stride gs_ps */
    int csl;                   /* a CONV reading a channel slice (IN_C_TOTAL, V2-6.1): a row
                                * is in_w runs of cs_bytes at the stride gs_ps; row_bytes is
                                * the DRAM row, in_w * gs_ps */
    int64_t cs_bytes;          /* cgs: a full block's slice of a pixel, nb * ct * a_bits / 8
                                * bytes (the last block the pixel's rest); csl: the slice SL =
                                * in_c * a_bits / 8; 0 otherwise */
    int64_t mt, nt, r_mod, r_div;
    int64_t kwf, sf, gx, wbw;  /* kw', s', Gx, WB (windowed ring, V2-3.1) */
    int uses_params;
} pk_v2_desc_t;

/* Pixels of one operand-B row (EW with operand B, V2-3.1): out_w, or 1 for a
 * channel-wise multiply, whose B is one 1 x 1 x out_c pixel (V2-6.1). */
int64_t pk_v2_desc_b_pixels(const pk_v2_desc_t *d);

/* Decode the PK_DESC2_BYTES little-endian bytes at b. */
void pk_v2_desc_decode(const uint8_t *b, pk_v2_desc_t *d);

/* A DW or pool layer in channel groups (ARCHITECTURE.md V2-5 item 2):
 * windowed, in WB or NS blocks of nb n-tiles, its ring holding only the
 * block's Jw words of a pixel (Jw * VP < in_c, VP the layer's slots a word
 * on a config of `lanes` lanes of `slot_bits`).  Each block reads the input
 * rows again. */
int pk_v2_desc_cgroups(const pk_v2_desc_t *d, int64_t lanes, int64_t slot_bits);

/* NS with passes (V2-5 item 3): a flat NS layer of blocks of several n-tiles,
 * held in both weight halves, each block a new pass over the input rows as
 * WB's (plain NS holds one n-tile a block and its whole input). */
int pk_v2_desc_ns_passes(const pk_v2_desc_t *d);

/* Each weight block is a new pass over the input rows (V2-6.1): WB, a layer
 * in channel groups (`cgroups`, pk_v2_desc_cgroups), NS with passes. */
int pk_v2_desc_passes(const pk_v2_desc_t *d, int cgroups);

#endif
