/* pk_func.h - the bit-exact functional model of the compiled network.
 *
 * Computes every hardware layer's output tensor directly from its input
 * tensors (loops over outputs, the post-processing chain through
 * core/pk_quant's pk_q_ppu), not through the DRAM image, but with the same
 * semantics as the hardware: padding and out-of-range channels are invalid
 * terms (contribute nothing; excluded from max), per-tensor layers use
 * parameter record 0, EW loads operand A with sat(decode(A) << a_shift).
 *
 * Tensors are arrays of codes, one uint8_t per element (widths are <= 8),
 * layout h x w x c (channels innermost), the low `bits` of each code used.
 */
#ifndef PK_FUNC_H
#define PK_FUNC_H

#include <stdint.h>

#include "pk_compile.h"
#include "pk_error.h"

/* Run all layers of hw (compiled with data).  input: the network input codes
 * (tensor 0).  On success *tensors is a new array of hw->n_tensors code arrays
 * (tensor 0 a copy of input); free with pk_func_free(hw, tensors). */
int pk_func_run(const pk_hwnet_t *hw, const uint8_t *input, uint8_t ***tensors,
                pk_error_t *err);

/* Run hardware layer i alone, reading its inputs from tensors[] and writing
 * tensors[layer.t_out] (allocated by the caller, out_h*out_w*out_c codes). */
int pk_func_layer(const pk_hwnet_t *hw, int i, uint8_t *const *tensors, pk_error_t *err);

void pk_func_free(const pk_hwnet_t *hw, uint8_t **tensors);

/* The post-processing configuration of layer i (widths from the config,
 * controls from the descriptor fields). */
struct pk_q_ppu_cfg;
void pk_func_ppu_cfg(const pk_hwnet_t *hw, int i, struct pk_q_ppu_cfg *out);

/* The PPU's field widths of cfg (the widths part of pk_func_ppu_cfg). */
struct pk_q_widths;
void pk_func_ppu_widths(const pk_config_t *cfg, struct pk_q_widths *w);

#endif
