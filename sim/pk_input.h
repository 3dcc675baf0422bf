/* pk_input.h - real inputs for pikesim (docs/IMPORT.md "Real inputs").
 *
 *   --input X.npy    one input tensor or a batch: shape (h, w, c), (N, h, w, c),
 *                    or any (N, ...) / (...) whose per-image element count is
 *                    h*w*c (C order, taken as h x w x c).  Integer dtypes are
 *                    input codes (checked against the input width); float32
 *                    is quantized by the model's input quantizer (only for a
 *                    .onnx network: code = round(x / scale) + zero point,
 *                    saturated, rounding as the model's quantizer does).
 *   --output Y.npy   the output codes, int32, shape (N, h, w, c) of the last
 *                    layer (N, c when 1 x 1).
 *   --output-float F.npy  the same dequantized, float32 (when the model says how).
 *   --labels L.npy   N integer labels: top-1 accuracy of argmax over the output.
 * The batch runs through the bit-exact functional model (pk_func, or with
 * arch 2 the v2 model's, each image through its v2 memory image) of the
 * network compiled once; a progress bar goes to stderr when it is a terminal.
 * Output files are written only after the whole batch succeeded.
 */
#ifndef PK_INPUT_H
#define PK_INPUT_H

#include <stdint.h>
#include <stdio.h>

#include "pk_config.h"
#include "pk_error.h"
#include "pk_net.h"
#include "pk_onnx_import.h"

typedef struct pk_input_opts {
    const char *input;        /* required */
    const char *output;       /* NULL: not written */
    const char *output_float; /* NULL: not written */
    const char *labels;       /* NULL: no accuracy */
    const pk_onnx_io_t *io;   /* the model's quantizers, NULL for a YAML network */
    int arch;                 /* 2: the v2 model's functional path (sim/pk_v2func.h), from
                                 its memory image; else v1's pk_func */
} pk_input_opts_t;

/* Run the batch; prints a summary (images, top-1) to out. */
int pk_input_run(const pk_net_t *net, const pk_config_t *cfg, const pk_input_opts_t *o,
                 FILE *out, pk_error_t *err);

/* Read o->input (codes, or floats quantized by o->io) and, when o->labels is
 * set, the labels: *codes gets N x (in_h*in_w*in_c) input code values, *labels
 * N labels (NULL without o->labels); both malloc'ed, the caller frees them.
 * pikecheck --input reads its images through this too. */
int pk_input_load(const pk_net_t *net, const pk_input_opts_t *o, int32_t **codes, int64_t *N,
                  int32_t **labels, pk_error_t *err);

/* n input code values -> the bytes pk_func_run takes (bits-wide codes, 1-bit
 * inputs as 0/1 for -1/+1). */
void pk_input_encode(int bits, const int32_t *codes, int64_t n, uint8_t *img);

/* Index of the first maximum of y[0..n) (top-1). */
int64_t pk_input_argmax(const int32_t *y, int64_t n);

#endif
