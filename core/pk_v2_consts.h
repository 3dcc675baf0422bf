/* pk_v2_consts.h - the v2 engine constants (docs/ARCHITECTURE.md V2-11.6):
 * the products and quotients the RTL's engines (pk_win2, pk_seq2, pk_ld2)
 * take per layer and must not compute per cycle.  The compiler
 * (core/pk_compile_v2) writes them into words 32-63 of the v2 descriptor
 * (PK_DESC2_FIELDS rows OW_GSJ and CAP_WB .. BLOCK_BYTES); nothing derives them at run
 * time.  One function per engine group, each filling its rows of v (indexed
 * by PK_D2_*) from the compiled layer, its plan and the array rows R.
 */
#ifndef PK_V2_CONSTS_H
#define PK_V2_CONSTS_H

#include <stdint.h>

#include "pk_compile.h"
#include "pk_contract.h"
#include "pk_plan.h"

/* The window generators' and the sequencer's constants (pk_win2, pk_seq2):
 * rows OW_GSJ, CAP_WB .. RDE.  word_bytes: the config's word size (record tail). */
void pk_v2_consts_compute(const pk_hwlayer_t *h, const pk_plan_layer_t *L, int64_t R,
                          int64_t word_bytes, int64_t v[PK_D2_COUNT]);

/* Bytes of a full n-tile's unit in DRAM (row UNIT_TOTAL): its dense weights,
 * then Ct per-channel records when the layer has them (V2-3.2). */
int64_t pk_v2_unit_total(const pk_hwlayer_t *h, const pk_plan_layer_t *L);

/* The loader's walker constants (pk_ld2): rows Y_PH0 .. BLOCK_BYTES. */
void pk_v2_consts_loader(const pk_hwlayer_t *h, const pk_plan_layer_t *L,
                         int64_t v[PK_D2_COUNT]);

/* Input rows any output row reads (V2-5 item 2): row y is needed iff some
 * kernel row i and output row oy < out_h have y + pad = oy * s + i. */
int pk_v2_row_needed(const pk_hwlayer_t *h, int64_t y);

/* The controller's parameter load at a layer boundary (V2-7.5): it reads the
 * descriptor words 0 .. pk_v2_desc_load_words() - 1 (ND: the last word any
 * PK_DESC2_FIELDS or PK_DESC_FIELDS row uses, plus one) in rows of
 * DLW = pk_v2_desc_load_lanes(PB) words (word w in lane w mod DLW of row
 * w / DLW), one row per cycle: pk_v2_desc_load_rows(PB) = ceil(ND / DLW)
 * rows, and starts the engines (lay_start) DL = pk_v2_desc_load_cycles(PB)
 * cycles after max(U_desc, S_L): ND + 1 at DLW = 1, ceil(ND / DLW) + 2 at
 * DLW >= 2 (every word but the last in its register a cycle before
 * lay_start).  DLW is pk_core2's parameter DLW (pk_v2_rtl_params), PB the
 * read port's bytes a beat (offchip.bytes_per_cycle). */
int pk_v2_desc_load_words(void);
int pk_v2_desc_load_lanes(int64_t pb);
int pk_v2_desc_load_rows(int64_t pb);
int64_t pk_v2_desc_load_cycles(int64_t pb);

#endif
