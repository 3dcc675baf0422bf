/* pk_compile_v2.h - the v2 memory image (docs/ARCHITECTURE.md, the draft:
 * V2-3.2 weights and records, V2-9 descriptor).
 *
 * pk_v2_compile() lays out one DRAM image for a compiled network (pk_hwnet_t)
 * and its v2 plan (core/pk_plan):
 *   cmd_base = 0    n_layers descriptors of PK_DESC2_BYTES: words 0-15 the
 *                   v1 descriptor (PK_DESC_FIELDS, addresses of this image),
 *                   words 16-31 the plan fields, words 32-63 the engine
 *                   constants of core/pk_v2_consts (PK_DESC2_FIELDS);
 *   per layer       the per-tensor record (addr_param, rec bytes), then the
 *                   n-tile units (addr_w): n-tile nt's weights dense at
 *                   w_bits, then its nc compact records (nc = its columns);
 *   tensors         the v1 tensor region (section 5 layout), moved as a
 *                   whole (concat slices keep their offsets).
 * Regions start on 64-byte boundaries.  Same inputs, same bytes.
 *
 * Dense weights of n-tile nt (V2-3.2): CONV in the order [k-step][column]
 * [slot], element index (k * nc + c) * VP + v at w_bits, k-step k = (i * kw'
 * + j'') * Jw + jc; slot v holds channel jc * VP + v (no fold) or pixel u =
 * v / cp, channel v mod cp of folded column j'' (fold fx, cp =
 * pow2_ceil(in_c), kernel column j'' * fx + u); taps or channels past the
 * kernel or in_c are zero.  DW: [tap][column].  The unit's weight part is
 * ceil(UNIT_BYTES * nc / Ct) bytes (the plan's DMA run), the records follow.
 *
 * Ownership: *out is allocated (pk_v2img_free); it keeps pointers to hw and
 * plan, which must outlive it.  Errors: a plan value that overflows its
 * descriptor field, an image over offchip.addr_bits: PK_EINPUT naming the
 * layer and the field.
 */
#ifndef PK_COMPILE_V2_H
#define PK_COMPILE_V2_H

#include <stddef.h>
#include <stdint.h>

#include "pk_compile.h"
#include "pk_error.h"
#include "pk_plan.h"

typedef struct pk_v2img pk_v2img_t;

int pk_v2_compile(const pk_hwnet_t *hw, const pk_plan_t *plan, pk_v2img_t **out,
                  pk_error_t *err);
void pk_v2img_free(pk_v2img_t *m);

/* Layer i's PK_DESC2_BYTES-byte descriptor (little-endian words). */
const uint8_t *pk_v2img_descriptor(const pk_v2img_t *m, int i);

/* Byte address of tensor t (index into hw->tensors) in the v2 image. */
uint32_t pk_v2img_tensor_addr(const pk_v2img_t *m, int t);

/* Size of the whole image in bytes. */
uint64_t pk_v2img_bytes(const pk_v2img_t *m);

/* The whole image (pk_v2img_bytes, zero where unused): descriptors, records,
 * weight units, and the network input from input_codes (as
 * pk_compile_image).  Needs hw compiled with data.  *img is malloc'ed. */
int pk_v2img_build(const pk_v2img_t *m, const uint32_t *input_codes, uint8_t **img,
                   size_t *len, pk_error_t *err);

/* ---- compact parameter records (V2-3.2) ---- */

/* One field of a layer's compact record: `bits` at bit offset `lsb`. */
typedef struct pk_v2_recfield {
    size_t member;  /* offsetof(pk_chan_params_t, ...) */
    int lsb, bits, is_signed;
} pk_v2_recfield_t;

#define PK_V2_REC_MAX_FIELDS 9

/* The fields layer h's enabled units read, in record order; returns their
 * count (0: the layer has no record). */
int pk_v2_record_fields(const pk_hwlayer_t *h, const pk_config_t *cfg,
                        pk_v2_recfield_t out[PK_V2_REC_MAX_FIELDS]);

/* Record bytes: pow2_ceil(ceil(bits / 8)), 0 without fields. */
int64_t pk_v2_record_bytes(const pk_hwlayer_t *h, const pk_config_t *cfg);

/* Pack p into out (record bytes, zeroed first) / unpack (fields the record
 * lacks are 0; signed fields sign-extended). */
void pk_v2_record_pack(const pk_hwlayer_t *h, const pk_config_t *cfg,
                       const pk_chan_params_t *p, uint8_t *out);
void pk_v2_record_unpack(const pk_hwlayer_t *h, const pk_config_t *cfg, const uint8_t *in,
                         pk_chan_params_t *p);

/* What a CONV k-step's slots hold (V2-4.1, V2-4.2): the layer's in_c, kw,
 * slots per word VP and the plan's Jw, kw', fx. */
typedef struct pk_v2_kgeom {
    int64_t in_c, kw, vp, jw, kwf, fx;
} pk_v2_kgeom_t;

/* Element index within an n-tile's dense weights (nc columns) of CONV
 * (k-step k, column c, slot v), or of DW (tap k, column c) when vp == 0. */
/* Columns per cache block when weights are packed or unpacked (speed only). */
#define PK_V2_CBLK 8

static inline int64_t pk_v2_weight_index(int64_t vp, int64_t nc, int64_t k, int64_t c, int64_t v)
{ /* inline: the image builder and the functional path call it per weight */
    return vp ? (k * nc + c) * vp + v : k * nc + c;
}

/* Kernel position (i, j) and input channel of CONV slot v of k-step k;
 * returns 0 when the slot holds no weight (past kw or in_c: zero). */
int pk_v2_conv_slot(const pk_v2_kgeom_t *g, int64_t k, int64_t v, int *i, int *j, int *ic);

#endif
