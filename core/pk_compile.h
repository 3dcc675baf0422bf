/* pk_compile.h - network -> hardware layers (docs/ARCHITECTURE_V1.md sections 5, 6).
 *
 * pk_compile() maps a validated network (pk_net_t) onto one hardware config
 * (pk_config_t): every network layer becomes one hardware layer of kind CONV,
 * DW, POOLMAX, POOLSUM or EW with the descriptor fields of section 5, the
 * mapping constants of section 6 (mode, VP, Ct, Nt, Mt, Ks, Kc) and the DRAM
 * addresses of one memory image (descriptors, parameter records, weights in
 * slot form, activation tensors).  The simulator (sim/), and later pikecheck,
 * consume the result; nobody else re-derives these numbers.
 *
 * Lowering rules:
 *   conv (groups 1)       -> CONV          conv (depthwise)   -> DW
 *   conv (groups G, other) -> G CONV layers "NAME.gI": layer I reads input
 *                          channel slice I (in_c_total) and writes output
 *                          slice I (out_c_total) of the conv's output tensor,
 *                          with weights / records of its out_c / G channels
 *                          (both slices must start on a byte boundary)
 *   fc                    -> CONV 1x1 on a 1 x 1 x (in_h*in_w*in_c) input
 *   maxpool               -> POOLMAX       avgpool, gap       -> POOLSUM + rq
 *   add                   -> EW (A = inputs[0], B = inputs[1] as the residual)
 *   conv/fc whose a_bits < width of its input tensor: an EW layer named
 *   "NAME.req" is inserted before it that requantizes the input tensor
 *   (a_bits 1: sign, code 1 for value >= 0; else rq with M = 1, E = the width
 *   difference: the top a_bits of the code, rounded and saturated).
 * concat                -> no hardware layer: its two producers write
 *                          adjacent channel slices of one tensor (descriptor
 *                          word 12: out_c_total, out_c_base); each producer
 *                          must feed only the concat, and may not be the
 *                          network input or another concat.
 * Float (the "_fe" networks): Pike hardware has no float unit, so the network
 * is first integerized: float tensor widths become 8-bit signed, float_bn
 * becomes QuantNorm and a float scale a DQ requant (parameters drawn by the
 * generator for the integerized layer).  Such layers are flagged
 * (float_norm, float_scale, float_out) so energy and reports can cost the
 * float operations and say so; their outputs are those of the integer path.
 *
 * Rejected (PK_EINPUT, "FILE:LINE: layer NAME: ..."): widths or width modes the config lacks, activations / pooling modes /
 * residual not in the config, K > precision.max_reduction, descriptor field
 * overflow (dims > 65535, kernel > 255, stride/pad > 15), an image larger
 * than 2^offchip.addr_bits.  Weights and parameters come from the layer's .npy files
 * when the network names them (pk_net_layer_weights/params), else the generator.
 *
 * Ownership: pk_compile() allocates *out (free with pk_hwnet_free); the
 * result keeps pointers to net and cfg, which must outlive it.
 */
#ifndef PK_COMPILE_H
#define PK_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "pk_config.h"
#include "pk_contract.h" /* PK_DESC_BYTES, PK_PARAM_BYTES, PK_ARRAY_LAT, PK_PPU_LAT */
#include "pk_error.h"
#include "pk_net.h"

/* PK_HW_CONV, PK_HW_DW, ...: the kind codes of core/pk_contract.def. */
#define PK_CT_HWKIND(N, v) PK_HW_##N = v,
typedef enum pk_hwkind { PK_KINDS(PK_CT_HWKIND) } pk_hwkind_t;

/* One activation tensor in the memory image (section 5 layout). */
typedef struct pk_tensor {
    int h, w, c;
    int bits, is_signed;
    uint32_t addr;
    uint32_t ps;              /* pixel stride in bytes: ceil(c * bits / 8) */
    int64_t bytes;            /* h * w * ps */
    int parent;               /* tensor this one is a channel slice of (a concat output or
                                 a grouped conv's output; always a root tensor), or -1 */
    int ch_base;              /* first channel of the slice in the parent */
} pk_tensor_t;

typedef struct pk_hwlayer {
    char name[PK_NET_MAX_NAME + 8];
    int net_layer;            /* index into net->layers */
    int is_requant;           /* inserted input requantization (EW) */
    pk_hwkind_t kind;

    /* descriptor fields (section 5) */
    int w_bits, a_bits, a_signed, out_bits, out_signed, r_bits, r_signed;
    int qn_en, res_en, rq_en, per_tensor;
    int act;                  /* pk_act_t */
    int in_h, in_w, in_c, out_h, out_w, out_c;
    int kh, kw;
    int stride, pad;          /* stride_h, pad_top (descriptor STRIDE, PAD) */
    int stride_w, pad_l;      /* stride_w, pad_left (descriptor word 13) */
    /* input channel slice (descriptor IN_C_TOTAL): the layer reads channels
     * [in_c_base, in_c_base + in_c) of a tensor of in_c_total channels
     * (0: all in_c channels of its own tensor); addr_in includes the base */
    int in_c_total, in_c_base;
    int group, n_groups;      /* grouped conv: group index of this hw layer, of n_groups (else 0, 1) */
    int a_shift, r_shift, act_shift;
    int round;                /* PK_Q_ROUND_* (descriptor ROUND) */
    int res_mul;              /* channel-wise multiply (descriptor RES_MUL, op mul) */
    int in_zp;                /* input zero point, a value of the a_bits input (IN_ZP: its code) */
    int clip_lo, clip_hi;
    uint32_t addr_in, addr_w, addr_param, addr_res, addr_out;

    /* tensors (indices into hw->tensors): input A, residual B (-1), output */
    int t_in, t_res, t_out;

    /* mapping (section 6) */
    int mode;                 /* m */
    int vp;                   /* V * L / m */
    int ct;                   /* channel tile: C (CONV) or Cd = min(C, VP) */
    int64_t M, Mt, Nt, J, Ks, Kc;
    int64_t K;                /* reduction length per output element */
    int uses_params;          /* qn_en | rq_en | act in {prelu, dprelu, rprelu} */
    int64_t n_records;        /* parameter records in the image (out_c) */
    int64_t w_image_bytes;    /* Nt * Ks * C * word_bytes (CONV/DW), else 0 */

    /* output into a channel slice of a concat tensor (descriptor word 12):
     * out_c_total = the concat tensor's channels (0: not a slice) */
    int out_c_total, out_c_base;

    /* float elementwise ops costed but run on the integer path */
    int float_norm, float_scale, float_bits;
    int float_out;            /* the network's output tensor of this layer is float */

    /* data (only when compiled with data) */
    int n_param_sets;         /* 1 (per tensor) or out_c */
    pk_chan_params_t *params; /* n_param_sets */
    int8_t *weights;          /* values, [out_c][kh][kw][cin_g], cin_g = in_c (CONV) or 1 (DW) */
} pk_hwlayer_t;

typedef struct pk_hwnet {
    const pk_net_t *net;      /* the network as loaded (names, lines, metrics) */
    pk_net_t inet;            /* integerized copy (owned layers array): float widths
                                 -> 8-bit signed, float_bn -> quantnorm, float
                                 scale -> dq; the generator draws from this one */
    const pk_config_t *cfg;
    int n_layers;
    pk_hwlayer_t *layers;
    int n_tensors;
    pk_tensor_t *tensors;     /* [0] = network input, then one per hw layer output */
    int *net_out_tensor;      /* per net layer: tensor index of its output */
    uint32_t cmd_base;        /* byte address of the first descriptor (0) */
    uint64_t image_bytes;     /* size of the whole memory image */
    int with_data;
} pk_hwnet_t;

/* Map net onto cfg.  with_data != 0 also draws weights and parameters from
 * the network's seeded generator (needed for descriptors' data, the image
 * and the functional model; not for timing). */
int pk_compile(const pk_net_t *net, const pk_config_t *cfg, int with_data,
               pk_hwnet_t **out, pk_error_t *err);

void pk_hwnet_free(pk_hwnet_t *hw);

/* The PK_DESC_BYTES-byte descriptor of layer i (little-endian words, fields
 * as in core/pk_contract.def, section 5). */
void pk_compile_descriptor(const pk_hwnet_t *hw, int i, uint8_t out[PK_DESC_BYTES]);

/* All descriptors, n_layers * PK_DESC_BYTES bytes, into buf (caller-sized). */
void pk_compile_descriptors(const pk_hwnet_t *hw, uint8_t *buf);

/* The whole DRAM image (image_bytes, zero where unused): descriptors at
 * cmd_base, parameter records, weights in slot form, and the network input
 * tensor from input_codes (h*w*c codes of the input tensor, pixel-major,
 * channels innermost; low in_bits of each used).  Needs with_data.  *img is
 * malloc'ed (caller frees).  Output tensors are left zero. */
int pk_compile_image(const pk_hwnet_t *hw, const uint32_t *input_codes, uint8_t **img,
                     size_t *len, pk_error_t *err);

/* Pack / unpack one tensor (codes, h*w*c, layout of section 5) at its address
 * in an image buffer. */
void pk_tensor_pack(const pk_tensor_t *t, const uint32_t *codes, uint8_t *img);
void pk_tensor_unpack(const pk_tensor_t *t, const uint8_t *img, uint32_t *codes);

/* The record of channel c as stored (PK_PARAM_BYTES bytes, fields as in
 * core/pk_contract.def, section 5). */
void pk_compile_param_record(const pk_chan_params_t *p, uint8_t out[PK_PARAM_BYTES]);

const char *pk_hwkind_name(pk_hwkind_t k);

/* n bits of v at bit offset bitoff of base (LSB first; put ORs into zeroed
 * bytes), and back: the packing of every image field. */
void pk_bits_put(uint8_t *base, uint64_t bitoff, int n, uint32_t v);
uint32_t pk_bits_get(const uint8_t *base, uint64_t bitoff, int n);

/* The stored code of weight value v at `bits` (1 bit: 1 for v > 0). */
uint32_t pk_weight_code(int v, int bits);

#endif
