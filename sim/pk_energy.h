/* pk_energy.h - simulated energy: event counts x the config's energy table.
 *
 * Rules (docs/SIM.md, "Energy"):
 *   multiply of a x b bits   pk_energy_mult_pj() (CONFIG.md mult_exponent rule)
 *   add / compare of b bits  int_add_8b_pj * b / 8 for b <= 8, linear between
 *                            the 8- and 32-bit table entries above
 *   MAC (valid product)      mult(w_bits, a_bits) + add(acc_bits); binary
 *                            (XNOR) products are mult(1, 1)
 *   pool term                add(acc_bits)
 *   QuantNorm                mult(acc_bits, qn_mult_bits) + 2 add(P)
 *   residual add             add(P)
 *   DQ requant               mult(P, dq_mant_bits) + add(P)
 *   activation               relu 1, clip 2 compares; prelu/dprelu
 *                            mult(P, act_param_bits) + 2 add(P); rprelu the
 *                            same + 2 add(P)
 *   float norm / scale       float mult + add / float mult (fp16 or fp32
 *                            entries, by the layer's float_bits), replacing
 *                            the integer QuantNorm / requant cost; a layer
 *                            whose network output is float also pays float
 *                            adds / compares / multiplies for its residual
 *                            add and activation
 *   SRAM                     per access, sram_{read,write}_64b_pj scaled by
 *                            the access width / 64 (words: word_bits;
 *                            parameter records 256 bits; residual codes 8)
 *   DRAM                     dram_byte_pj per byte read or written
 *   static                   static_pj_per_cycle per cycle
 */
#ifndef PK_ENERGY_H
#define PK_ENERGY_H

#include "pk_compile.h"
#include "pk_counters.h"

enum { PK_EK_QN = 0, PK_EK_RES, PK_EK_RQ, PK_EK_ACT, PK_EK_POOL, PK_EK_COUNT };

typedef struct pk_energy_split {
    double mac;
    double ew[PK_EK_COUNT];  /* elementwise by kind */
    double elementwise;      /* sum of ew[] */
    double sram, dram, stat;
    double total;
} pk_energy_split_t;

const char *pk_energy_kind_name(int k); /* "quantnorm", "residual", "requant", "act", "pool" */

/* add / compare energy of b bits (rule above). */
double pk_energy_add_pj(const pk_config_t *cfg, int bits);

/* Energy of hardware layer i given its counters. */
void pk_energy_layer(const pk_hwnet_t *hw, int i, const pk_counters_t *c, pk_energy_split_t *e);

void pk_energy_accumulate(pk_energy_split_t *a, const pk_energy_split_t *b);

#endif
