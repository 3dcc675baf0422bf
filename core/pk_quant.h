/* pk_quant.h - the C reference of every Pike datapath unit (docs/QUANT.md).
 *
 * Pure functions on int64_t: no state, no allocation, no dependency on
 * pk_config.h (the simulator maps its config to pk_q_widths_t).  Each function
 * below is the exact integer meaning of one RTL unit in rtl_templates/; the
 * Verilator tests in tests/rtl/ compare the two bit for bit.
 *
 * Ranges the callers guarantee (as the config validator and the mapper do):
 *   - widths n of sat_s / sat_u / sx / zx: 1..63;
 *   - acc_bits <= p_bits <= 40, qn_mult/dq_mant/act_param bits <= 16,
 *     qn_bias bits <= 32, shift field widths <= 6, so every intermediate of the
 *     post-processing chain fits in int64_t (|t * m| < 2^56);
 *   - operand widths (bits, mode_bits, slot_bits) are 1, 2, 4 or 8 and
 *     mode_bits <= slot_bits.
 * Fields read "from the low n bits" wrap exactly as the RTL does (QUANT.md).
 */
#ifndef PK_QUANT_H
#define PK_QUANT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Activation modes (descriptor act_mode); same ids as pk_act_t in pk_config.h. */
enum {
    PK_Q_ACT_NONE = 0,
    PK_Q_ACT_RELU = 1,
    PK_Q_ACT_CLIP = 2,
    PK_Q_ACT_PRELU = 3,
    PK_Q_ACT_DPRELU = 4,
    PK_Q_ACT_RPRELU = 5
};

/* Accumulator update ops of a PE (pk_pe `op` port). */
enum {
    PK_Q_OP_SUM = 0,  /* acc += dot                        (first: acc = dot)  */
    PK_Q_OP_MAX = 1,  /* acc = max(acc, dot) over valid terms (first: from -2^(A-1)) */
    PK_Q_OP_LOAD = 2  /* acc = sat_s(dot << a_shift, A)      (EW operand A)     */
};

/* ---- scalar primitives ---------------------------------------------------- */

/* The low n bits of v read as two's complement (sx) / unsigned (zx). */
int64_t pk_q_sx(uint64_t v, int n);
int64_t pk_q_zx(uint64_t v, int n);

/* Rounding modes of a layer's post-processing (descriptor field ROUND,
 * network key `rounding`); QUANT.md "Rounding". */
enum {
    PK_Q_ROUND_HALF_UP = 0,   /* ties towards +infinity (default) */
    PK_Q_ROUND_HALF_EVEN = 1  /* ties to the even result (onnxruntime, numpy) */
};

/* Rounding shift right, round half up: x if s == 0, else
 * floor((x + 2^(s-1)) / 2^s).  Defined for every x and every s >= 0
 * (s >= 64 gives 0).  rshr(-5, 1) = -2, rshr(-7, 2) = -2. */
int64_t pk_q_rshr(int64_t x, int s);

/* Rounding shift right in mode rm (PK_Q_ROUND_*): half up is pk_q_rshr;
 * half even is the same except that an exact tie (x mod 2^s == 2^(s-1))
 * goes to the even one of its two neighbours: rshr_e(5, 1) = 2,
 * rshr_e(7, 1) = 4, rshr_e(-5, 1) = -2, rshr_e(-3, 1) = -2.  Any other rm
 * is half up. */
int64_t pk_q_rshr_rm(int64_t x, int s, int rm);

/* Clamp to [-2^(n-1), 2^(n-1)-1] / [0, 2^n - 1]. */
int64_t pk_q_sat_s(int64_t x, int n);
int64_t pk_q_sat_u(int64_t x, int n);

/* Value of a stored operand code of width bits (1, 2, 4, 8): bits == 1 is
 * binary (1 -> +1, 0 -> -1, regardless of is_signed), else sx / zx. */
int64_t pk_q_decode(uint32_t code, int bits, int is_signed);

/* An operand code of width bits widened into a slot of mode_bits >= bits
 * (ARCHITECTURE_V1.md section 4): the m-bit two's complement code of its value,
 * except mode_bits == 1, where the binary code is kept.  An unsigned operand
 * in a slot of the same width stays unsigned (read with a_signed = 0). */
uint32_t pk_q_widen(uint32_t code, int bits, int is_signed, int mode_bits);

/* ---- words and the dot product (pk_dot) ------------------------------------ */

/* A word is lanes * slot_bits bits in little-endian bytes (bit i of the word is
 * bit i % 8 of byte i / 8).  In mode m its slot e occupies bits [e*m, (e+1)*m). */
void pk_q_pack_slot(uint8_t *word, int slot, int mode_bits, uint32_t code);
uint32_t pk_q_unpack(const uint8_t *word, int slot, int mode_bits);

/* Dot product of one word pair in mode m = mode_bits, over the valid prefix of
 * slots [0, min(nvalid, VP)), VP = lanes * slot_bits / m.  m == 1: XNOR-popcount
 * (both operands binary): 2 * popcount(~(w ^ a) & valid) - popcount(valid).
 * m > 1: sum of sx(w_e, m) * (a_signed ? sx(a_e, m) : zx(a_e, m)).
 * Returns the exact sum (the RTL output is this value in OUT_BITS bits). */
int64_t pk_q_dot(const uint8_t *w_word, const uint8_t *a_word, int lanes, int slot_bits,
                 int mode_bits, int a_signed, int nvalid);

/* Accumulator update (pk_pe), acc_bits = A:
 *   SUM : first ? dot : acc + dot
 *   MAX : base = first ? -2^(A-1) : acc; nvalid > 0 ? max(base, dot) : base
 *         (a word with no valid term is excluded, never counted as 0)
 *   LOAD: sat_s(dot * 2^a_shift, A)
 * Unknown op (3): acc unchanged.  The result of SUM is not saturated (the
 * config's acc_bits bound guarantees no wrap). */
int64_t pk_q_acc_update(int op, int64_t acc, int64_t dot, int first, int a_shift,
                        int nvalid, int acc_bits);

/* ---- post-processing (pk_ppu and its stages) ------------------------------ */

/* Widths from the config (pk_config_t.precision / .postproc). */
typedef struct pk_q_widths {
    int acc_bits;        /* precision.acc_bits */
    int p_bits;          /* postproc.internal_bits (P) */
    int qn_mult_bits;    /* m: signed */
    int qn_bias_bits;    /* b: signed */
    int qn_shift_bits;   /* s: unsigned */
    int dq_mant_bits;    /* M: unsigned */
    int dq_exp_bits;     /* E: unsigned */
    int act_param_bits;  /* an, ap: signed */
    int act_shift_bits;  /* act_shift: unsigned */
    int res_shift_bits;  /* r_shift: unsigned */
} pk_q_widths_t;

/* Layer controls (from the descriptor) plus the widths. */
typedef struct pk_q_ppu_cfg {
    pk_q_widths_t w;
    int qn_en, res_en, rq_en;  /* 0 / 1 */
    int act_mode;              /* PK_Q_ACT_* */
    int act_shift;             /* descriptor field (4 bits); low act_shift_bits used */
    int r_shift;               /* descriptor field (4 bits); low res_shift_bits used */
    int r_bits, r_signed;      /* residual operand width (1, 2, 4, 8) and sign */
    int clip_lo, clip_hi;      /* signed 16-bit */
    int out_bits, out_signed;  /* bo (1, 2, 4, 8), so */
    int round;                 /* PK_Q_ROUND_*: every rshr of the chain (0: half up) */
} pk_q_ppu_cfg_t;

/* One per-channel parameter record, raw fields as stored (ARCHITECTURE_V1.md 5);
 * the chain keeps the low *_bits of each (g, z: 16 bits). */
typedef struct pk_q_params {
    int64_t m, s, E, b, M, an, ap, g, z;
} pk_q_params_t;

/* The stages, on already-narrowed field values (p = p_bits):
 *   quantnorm: sat_s(rshr(t0 * m + b, s), p)
 *   resadd   : sat_s(t1 + r_val * 2^r_shift, p)       (r_val = decode(r))
 *   requant  : sat_s(rshr(t2 * M, E), p)
 *   act      : the QUANT.md table (unknown mode: x)
 *   out_code : bo == 1 ? (t4 >= 0) : low bo bits of (so ? sat_s : sat_u)(t4, bo) */
int64_t pk_q_quantnorm(int64_t t0, int64_t m, int64_t b, int s, int p_bits);
int64_t pk_q_resadd(int64_t t1, int64_t r_val, int r_shift, int p_bits);
int64_t pk_q_requant(int64_t t2, int64_t M, int E, int p_bits);
int64_t pk_q_act(int64_t x, int mode, int64_t an, int64_t ap, int64_t g, int64_t z,
                 int act_shift, int64_t clip_lo, int64_t clip_hi, int p_bits);

/* The three stages with a rounding shift, in rounding mode rm (PK_Q_ROUND_*);
 * the functions above are these with rm = PK_Q_ROUND_HALF_UP. */
int64_t pk_q_quantnorm_rm(int64_t t0, int64_t m, int64_t b, int s, int p_bits, int rm);
int64_t pk_q_requant_rm(int64_t t2, int64_t M, int E, int p_bits, int rm);
int64_t pk_q_act_rm(int64_t x, int mode, int64_t an, int64_t ap, int64_t g, int64_t z,
                    int act_shift, int64_t clip_lo, int64_t clip_hi, int p_bits, int rm);
uint32_t pk_q_out_code(int64_t t4, int out_bits, int out_signed);

/* The whole chain of QUANT.md for one output element: acc (the accumulator,
 * sign-extended) and r_code (the residual operand's stored code, low r_bits
 * used) -> the output code (low out_bits bits, upper bits 0). */
uint32_t pk_q_ppu(const pk_q_ppu_cfg_t *c, const pk_q_params_t *p, int64_t acc,
                  uint32_t r_code);

/* One element of a channel-wise multiply (descriptor RES_MUL, QUANT.md
 * "Channel-wise multiply"): pk_q_ppu with QuantNorm's m replaced by
 * decode(r_code) (kept to its low qn_mult_bits like any m: pk_core muxes it
 * into pk_ppu's p_m) and no residual add (pk_ppu gets res_en = 0). */
uint32_t pk_q_ppu_mul(const pk_q_ppu_cfg_t *c, const pk_q_params_t *p, int64_t acc,
                      uint32_t r_code);

/* Same, also returning the intermediates t[0..4] = t0, t1, t2, t3, t4. */
uint32_t pk_q_ppu_trace(const pk_q_ppu_cfg_t *c, const pk_q_params_t *p, int64_t acc,
                        uint32_t r_code, int64_t t[5]);

#ifdef __cplusplus
}
#endif

#endif
