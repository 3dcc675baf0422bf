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
 * cycles sum to a one-start run's (ARCHITECTURE.md 7.5).  The board's
 * counters are CNT_BITS wide (32 on pk_board_spi): a layer of 2^32 cycles or
 * more is reported as an error, not wrapped.
 *
 * pk_host_compare(): every counter of every run layer against the model's
 * (sim/pk_timing) and every output tensor of those layers against the
 * functional model (sim/pk_func; a concat's channel slice is read from its
 * parent tensor); returns the number of differences and describes the
 * first.
 *
 * Ownership: *out from pk_host_run_net is freed with pk_host_run_free.
 */
#ifndef PK_HOST_RUN_H
#define PK_HOST_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "pk_compile.h"
#include "pk_counters.h"
#include "pk_host.h"
#include "pk_timing.h"

typedef struct pk_host_run {
    int n_layers;              /* hardware layers run */
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

/* model: pk_timing_run's per-layer results; tensors: pk_func_run's.  why
 * gets the first difference ("" when none). */
int64_t pk_host_compare(const pk_hwnet_t *hw, const pk_host_run_t *r,
                        const pk_layer_timing_t *model, uint8_t *const *tensors, char *why,
                        size_t len);

#endif
