/* pq_eval.h - pikequant's measurements of a quantized network against its
 * float model (docs/PIKEQUANT.md "Report").
 *
 * pq_eval() runs every image of a batch through the float executor
 * (pk_fq_run) and through pikesim's bit-exact functional model (pk_func_run
 * of the network compiled with its data, in process), and gives per Pike
 * conv / fc layer the output SNR (dB) of its dequantized codes against the
 * float value it stands for (end to end, and the layer isolated), and with
 * labels top-1 of both (the integer semantics, so the same under v1 and v2).
 * pq_cost() gives ACE, ACEv2 and simulated energy per inference (pk_sim_run,
 * timing only) with the model of an architecture (pikequant --arch).
 * Ownership: *out's arrays are freed by pq_eval_free().
 */
#ifndef PQ_EVAL_H
#define PQ_EVAL_H

#include <stdint.h>

#include "pk_config.h"
#include "pk_error.h"
#include "pk_fq.h"
#include "pk_net.h"
#include "pk_onnx_import.h"

typedef struct pq_eval {
    int n_layers;          /* net->n_layers */
    double *snr_db;        /* per net layer; NAN when not a conv / fc with a float reference */
    double *iso_db;        /* per net layer: the layer alone, fed the float model's input to it
                              quantized by its input quantizer; NAN when not measured (no
                              float reference for the input, or a residual operand) */
    int64_t images;
    int64_t float_hits, pike_hits;  /* top-1 hits (labels given) */
} pq_eval_t;

/* x: n images (HWC floats); labels may be NULL. */
int pq_eval(pk_fq_t *q, const pk_net_t *net, const pk_config_t *cfg, const pk_onnx_io_t *io,
            const float *x, const int32_t *labels, int64_t n, pq_eval_t *out, pk_error_t *err);
void pq_eval_free(pq_eval_t *e);

typedef struct pq_cost {
    int64_t ace;
    double acev2, energy_pj;
} pq_cost_t;

/* arch: 1 (v1) or 2 (v2), pk_sim_opts_t.arch as pikesim --arch. */
int pq_cost(const pk_net_t *net, const pk_config_t *cfg, int arch, pq_cost_t *out,
            pk_error_t *err);

#endif
