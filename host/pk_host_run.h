/* pk_host_run.h - run a compiled network on a board over its serial link and
 * compare what the board did with pikesim's model.
 *
 * pk_host_run_net(): checks that the link reaches a Pike board built for the
 * config (ID, HW_* registers), writes the memory image (descriptors,
 * parameter records, weights, input: core/pk_compile's), then runs the first
 * n hardware layers one start each (CMD_BASE = that layer's descriptor,
 * CMD_COUNT = 1, CTRL.clear | start), polls STATUS until done, reads the
 * layer's event counters (CNT_i_LO/HI), and at the end reads the image
 * region back.  One start per layer gives per-layer counters; the layers'
 * cycles sum to a one-start run's (ARCHITECTURE_V1.md 7.5).  The board's
 * counters are CNT_BITS wide (32 on pk_board_spi): a layer of 2^32 cycles or
 * more is reported as an error, not wrapped.
 *
 * pk_host_compare(): every counter of every run layer against the model's
 * (sim/pk_timing) and every output tensor of those layers against the
 * functional model (sim/pk_func; a concat's channel slice is read from its
 * parent tensor); returns the number of differences and describes the
 * first.
 *
 * v2 (pikehost --arch v2, docs/ARCHITECTURE.md V2-11.7): pk_host_run_v2()
 * is the same run on pike_board of pikegen --arch v2 (pk_board2) with the
 * image of core/pk_compile_v2 (descriptors of PK_DESC2_BYTES from address
 * 0): it refuses a layer pk_core2 does not build (pk_v2_rtl_supported, the
 * reason named, before anything is written) and a board whose BOARD_ID
 * register is not pk_v2_rtl_board_id(cfg) (a v1 board, or one built from
 * another config); v1's run refuses a board whose BOARD_ID is not 0.
 * pk_host_v2_model() gives the model's counters of each layer started alone
 * (sim/pk_v2: its own descriptor fetch and parameter load, V2-7.5), what
 * the board's per-layer starts count; pk_host_compare() then compares V2-9's
 * 14 counters (pk_v2_counter_kept) modulo 2^CNT_BITS and the outputs at the
 * v2 image's tensor addresses.
 *
 * Ownership: *out from pk_host_run_net is freed with pk_host_run_free.
 */
#ifndef PK_HOST_RUN_H
#define PK_HOST_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "pk_compile.h"
#include "pk_compile_v2.h"
#include "pk_counters.h"
#include "pk_host.h"
#include "pk_plan.h"
#include "pk_timing.h"

typedef struct pk_host_run {
    int arch;                  /* 1 or 2 */
    int n_layers;              /* hardware layers run */
    uint32_t tensor_shift;     /* v2: tensor addresses are v1's (hw->tensors) + this */
    int cnt_bits;              /* counter width compared (64: v1's registers read 64) */
    uint32_t *status;          /* STATUS after each layer */
    pk_counters_t *cnt;        /* per layer, as read from the board */
    pk_counters_t total;       /* their sum */
    uint8_t *mem;              /* board memory [0, mem_len) after the run */
    size_t mem_len;
    int64_t polls;             /* STATUS reads while layers ran */
    double load_s, run_s, read_s; /* wall times: image load, layers, read-back */
} pk_host_run_t;

/* log: one progress line per step (NULL = quiet).  max_polls: STATUS reads
 * per layer before giving up (a board that never finishes). */
int pk_host_run_net(pk_host_t *h, const pk_hwnet_t *hw, const uint8_t *img, size_t img_len,
                    int n_layers, int64_t max_polls, FILE *log, pk_host_run_t **out,
                    pk_error_t *err);
void pk_host_run_free(pk_host_run_t *r);

/* The v2 run: plan and m are core/pk_compile_v2's for hw (pikesim --arch v2's
 * res->v2plan, res->v2img), img/img_len pk_v2img_build's image of m. */
int pk_host_run_v2(pk_host_t *h, const pk_hwnet_t *hw, const pk_plan_t *plan,
                   const pk_v2img_t *m, const uint8_t *img, size_t img_len, int n_layers,
                   int64_t max_polls, FILE *log, pk_host_run_t **out, pk_error_t *err);

/* The v2 model of layers 0 .. n-1 each started alone: alone[n]. */
int pk_host_v2_model(const pk_config_t *cfg, const pk_v2img_t *m, int n,
                     pk_layer_timing_t *alone, pk_error_t *err);

/* model: pk_timing_run's per-layer results; tensors: pk_func_run's.  why
 * gets the first difference ("" when none). */
int64_t pk_host_compare(const pk_hwnet_t *hw, const pk_host_run_t *r,
                        const pk_layer_timing_t *model, uint8_t *const *tensors, char *why,
                        size_t len);

#endif
