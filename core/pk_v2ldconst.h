/* pk_v2ldconst.h - the layer constants of the v2 loader (rtl_templates/
 * pk_ld2.v, docs/ARCHITECTURE.md V2-6.1, V2-11.6): every product or
 * quotient the loader's walker needs, computed from one v2 descriptor so
 * that the RTL has no multiplier or divider.  One function, so that the
 * values can later be written into descriptor words (V2-11.6); today the
 * pk_ld2 harness (tests/rtl/ld2_harness.cpp) drives the l_* ports with them.
 * Built for the WS, IS, WB and NS orders (what pk_ld2 builds, global pool included;
 * operand B for an EW layer without weight units; a DW / pool layer in channel groups,
 * V2-5 item 2: jin); pk_v2_ldconst returns 1 for any other layer.
 */
#ifndef PK_V2LDCONST_H
#define PK_V2LDCONST_H

#include <stdint.h>

#include "pk_v2desc.h"
#include "pk_v2ringwr.h"

typedef struct pk_v2_ldconst {
    int64_t nt;                 /* n-tiles */
    int has_w;                  /* the layer has weight units */
    int64_t wu_bytes, wu_last;  /* an n-tile's unit bytes (weights + records); the last one's */
    uint32_t addr_w;
    int64_t row_bytes, cap;     /* input row bytes; ring rows */
    int64_t ymax;               /* last needed input row: min(in_h - 1, (out_h - 1) s + kh - 1 - pad) */
    int64_t y0;                 /* first needed row */
    uint32_t addr_y0;           /* addr_in + y0 * row_bytes */
    int64_t ym0;                /* (y0 + pad) mod s */
    int64_t s, kh;              /* global pool: 1, 1 (every row needed) */
    int64_t passes;             /* global pool: fetch passes over the image (mt when the ring
                                   does not hold it all, else 1); others 1 */
    int64_t jump, jump_bytes;   /* s - kh + 1 rows (kh < s; else 1) and their bytes */
    int64_t y1_0;               /* last row pixel tile 0 reads: min(ymax, oy1 s + kh - 1 - pad),
                                   oy1 = (min(R, M) - 1) div out_w */
    int64_t prec;               /* per-tensor record bytes, 0 none */
    uint32_t addr_param;
    int has_next;               /* a next layer: its descriptor follows the last unit */
    uint32_t desc_addr;         /* PK_DESC2_BYTES * (layer + 1) */
    /* the ring-word unpacker (rtl_templates/pk_ld2a.v) */
    int ring_ok;                /* built for this layout (every layout, x-fold with Jw = 1) */
    int flat, alog, asigned, mlog;   /* log2 a_bits, a signed, log2 m */
    int glob;                   /* global layout (V2-3.1, V2-4.4) */
    int gsl;                    /* global pool, channel-slice fetch (V2-4.4): a row unit is
                                 * in_w runs of gs_bytes at a stride of gs_ps (pk_ld2) */
    int64_t gs_bytes, gs_ps;
    int cgs;                    /* channel groups, strided group fetch (V2-5 item 2): a windowed
                                 * row unit is in_w runs of cs_bytes (SB) at a stride of gs_ps
                                 * (PS_in) from the block's base (pk_ld2); pk_ld2a sees each run
                                 * as a pixel of the block's jw chunks (jin 0) */
    int csl;                    /* a CONV's channel slice (IN_C_TOTAL, V2-6.1): a row unit is in_w
                                 * runs of cs_bytes (SL) at a stride of gs_ps (PS_in) from the
                                 * row's DRAM address (pk_ld2); pk_ld2a sees each run as a pixel */
    int64_t cs_bytes;
    int fxlog, cplog, fu0;      /* x-fold: log2 fx, log2 cp (0 without fold), pad mod fx */
    int64_t in_w, jw;
    int64_t pre;                /* WB with a resident prefix (V2-5 item 3): its rows P, 0 none */
    int64_t jin;                /* channel groups (V2-5 item 2): the input pixel's chunks
                                   ceil(in_c / VP) > jw, of which pass b keeps b * jw ..
                                   (b + 1) * jw - 1 (lnch, lbits: its last chunk's); else 0 */
    int64_t cbits, lbits, lnch; /* a chunk's source bits; the last chunk's bits and codes */
    int64_t pskip;              /* PS * 8 - in_c * a_bits */
    int64_t sp, sjw;            /* s' (flat 1), s' * Jw */
    int64_t u0, q0, g0, a0;     /* X' = pad: u, q, g * s'Jw, g * s'Jw + u * Jw (flat 0) */
    int64_t awrap;              /* flat: (capP / R) * Jw; global: DA; else 0 (the address wraps
                                   there; an AW-bit port takes it mod 2^AW: 0 = 2^AW) */
    int64_t wb, cap_wb;         /* windowed: WB, cap * WB */
    int64_t rb0, owm;           /* windowed: floor((y0 + pad) / s) * out_w mod R, out_w mod R */
    /* the weight-unit unpacker (pk_ld2, V2-3.2 "DRAM form" to the weight buffer's words) */
    int dw;                     /* DW / pool: one code per word, in slot 0 */
    int wlog;                   /* log2 w_bits */
    int64_t ks, ct, nc_last;    /* k-steps (words per column), columns of a full / the last n-tile */
    int64_t wcb;                /* source bits of one weight word: VP * w_bits (CONV), w_bits (DW) */
    int64_t wskip, wskip_last;  /* bits from the weights' end to the records (full / last n-tile) */
    int64_t rw, rbits;          /* record words per column (0: none); source bits per record word */
    int64_t wu;                 /* Wu = Ks + rw: weight-buffer words per unit and column */
    int desc_entry;             /* pk_desc2 entry of the next layer's descriptor: (layer + 1) mod 2 */
    /* the IS order (V2-5, V2-6.1): blocks of nb n-tiles, block b in weight half b mod 2; the
       program is the record, block 0, the needed rows, blocks 1 ..; blk_bytes a full block
       (BLOCK_BYTES), the last one wu_last + nbl1 * wu_bytes, nbl1 = (nt - 1) mod nb */
    int is;                     /* IS or WB (weight blocks) */
    int wbo;                    /* WB: a new pass over the rows after each block (V2-6.1) */
    int ns;                     /* NS: a block's units in both weight halves (V2-11.4 item 10) */
    int64_t nb, nbl1, blk_bytes;
    /* operand B (EW with res_en, V2-3.1, V2-6.1): B rows of b_row_bytes at addr_b, cap_b of
       them in the ring's B half (from bank address b_base = DA_A), raw bytes, flat, b_jw = Jr
       words a pixel; the walker's pixel tiles advance by rdiv / rmod (R div / mod out_w) from
       pixel tile 0's last column ox1_0 */
    int has_b;
    uint32_t addr_b;
    int64_t b_row_bytes, cap_b, rdiv, rmod, ox1_0;
    int64_t b_jw, b_lbits, b_lnch, b_awrap, b_base;
} pk_v2_ldconst_t;

/* The constants of descriptor `layer` of n_layers (d decoded) on the ring g
 * (pk_v2_ring_geom) with ring words of word_bits: 0, or 1 when pk_ld2's
 * request side does not build the layer (the unpacker's fields and ring_ok
 * are filled in both cases). */
int pk_v2_ldconst(const pk_v2_desc_t *d, const pk_v2_ringgeom_t *g, int64_t word_bits, int layer,
                  int n_layers, pk_v2_ldconst_t *k);

#endif
