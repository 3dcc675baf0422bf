/* pk_v2func.h - the v2 model's functional path (docs/ARCHITECTURE.md):
 * every layer's outputs computed from a v2 memory image (core/
 * pk_compile_v2) alone, and written back into it.
 *
 * For each descriptor: the input rows are read from DRAM at ADDR_IN (the
 * loader's units), CONV k-steps are formed as V2-4.1/V2-4.2 define them
 * (slot v of k-step (i, j'', jc): channel jc * VP + v, or the folded pixel
 * v / cp, channel v mod cp; positions outside the image contribute
 * nothing), weights are read from the dense n-tile units at ADDR_W, records
 * from the compact records after them (or at ADDR_PARAM when per tensor),
 * DW / pool / EW terms per tap, and the PPU is core/pk_quant's pk_q_ppu.
 * Outputs go to ADDR_OUT (concat slices at OUT_C_BASE of OUT_C_TOTAL).
 * Windowed CONV, DW and pool layers read their words through a ring memory
 * placed by V2-3.1 (core/pk_v2ring: rows fetched into slot fetch-number mod
 * cap, x-fold words packed by the loader, a folded word's sub-pixels past
 * kw masked); flat and global layers read the input at the pixel directly
 * (their ring layouts are not executed).
 *
 * Bad image (an address or a size outside it): PK_EINPUT naming the layer
 * and the field.  Ownership: img is the caller's; nothing is kept.
 */
#ifndef PK_V2FUNC_H
#define PK_V2FUNC_H

#include <stddef.h>
#include <stdint.h>

#include "pk_compile_v2.h"
#include "pk_config.h"
#include "pk_error.h"

/* Run the n_layers descriptors at img[0] (PK_DESC2_BYTES each) on cfg. */
int pk_v2_func_run(const pk_config_t *cfg, int n_layers, uint8_t *img, size_t len,
                   pk_error_t *err);

/* pikesim's form: build m's image with `input` (the network input codes),
 * run it, and return every tensor's codes as pk_func_run does (*tensors:
 * hw->n_tensors arrays, concat slices cut from their parent; free with
 * pk_func_free). */
int pk_v2_func_tensors(const pk_hwnet_t *hw, const pk_v2img_t *m, const uint8_t *input,
                       uint8_t ***tensors, pk_error_t *err);

#endif
