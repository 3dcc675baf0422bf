/* pk_onnx_import.h - a quantized ONNX model -> a Pike network (YAML + .npy
 * parameter files), docs/IMPORT.md.
 *
 * Accepted: ONNX QDQ as onnxruntime's quantize_static writes it
 * (QuantizeLinear / DequantizeLinear per tensor and per axis around Conv
 * (groups 1 or depthwise), Gemm, MatMul (+ Add of a bias), Relu, Clip,
 * MaxPool, Add, Concat, Flatten / Reshape / Transpose when layout-only) and
 * QONNX (Quant, BipolarQuant, Trunc; BatchNormalization and Mul / Div by constants
 * folded into the preceding layer's QuantNorm).  Host-side tails (Softmax,
 * ArgMax, Cast) are dropped with a note; Identity is transparent.
 *
 * Scales: every conv / fc output element of the model is
 *     y = round(r_c * acc + o_c)   (then clipped to the output code range)
 * with acc Pike's integer accumulator, r_c = (input scale x weight scale x
 * folded factors) / output scale, o_c = (bias + folded offsets) / output
 * scale + output zero point.  It becomes QuantNorm m_c / 2^s_c (and, when
 * that is not exact, QuantNorm x DQ m_c M_c / 2^(s_c + E_c)) within the
 * config's widths.  Exact means: the fitted r_c, o_c equal the model's
 * exactly and no rounding tie can be decided differently (Pike rounds half
 * up; onnxruntime and qonnx ROUND half to even, qonnx HALF_UP half away
 * from zero).  Anything not exact is an error naming the node - unless
 * opts->approx, then it is accepted and the worst-case difference in output
 * LSBs is printed per layer to opts->notes.
 *
 * Errors: PK_EINPUT "MODEL: node NAME (OpType): what and why"; nothing is
 * written to out_dir unless the whole import succeeds (files are written
 * last).
 */
#ifndef PK_ONNX_IMPORT_H
#define PK_ONNX_IMPORT_H

#include <stdio.h>

#include "pk_config.h"
#include "pk_error.h"
#include "pk_net.h"

typedef struct pk_onnx_opts {
    int approx;         /* accept inexact layers (worst-case error printed) */
    FILE *notes;        /* notes and per-layer error lines; NULL = silent */
} pk_onnx_opts_t;

/* The model's input quantizer and output dequantizer (for real inputs and
 * outputs: pikesim --input float32 / --output). */
typedef struct pk_onnx_io {
    double in_scale;    /* code = round(x / in_scale) + in_zp */
    int in_zp;
    int in_round_even;  /* 1: half to even (QuantizeLinear, ROUND), 0: half away */
    int has_out;        /* 1 when the output codes have a scale */
    double out_scale;   /* value = out_scale * (code - out_zp) */
    int out_zp;
} pk_onnx_io_t;

/* Import `model` for `cfg` into directory out_dir (created if missing):
 * out_dir/NAME.yaml (NAME from the model file name) and one LAYER.w.npy /
 * LAYER.p.npy per layer with parameters.  *yaml_path (optional, size len)
 * receives the YAML path; *io (optional) the model's quantizers. */
int pk_onnx_import(const char *model, const pk_config_t *cfg, const pk_onnx_opts_t *opts,
                   const char *out_dir, char *yaml_path, size_t len, pk_onnx_io_t *io,
                   pk_error_t *err);

/* pk_onnx_import(), and with force_dq every conv / fc layer takes the
 * two-stage QuantNorm x DQ form (scale: dq) at cfg's DQ widths even where
 * QuantNorm alone fits better (pikequant's pikelpn recipe); a layer where no
 * two-stage form fits is an error. */
int pk_onnx_import_dq(const char *model, const pk_config_t *cfg, const pk_onnx_opts_t *opts,
                      int force_dq, const char *out_dir, char *yaml_path, size_t len,
                      pk_onnx_io_t *io, pk_error_t *err);

/* Which configs run `model` exactly (pikeimport --check-configs): import
 * for cfg, write nothing, print one line per layer with parameters to out:
 * "CONFIG LAYER exact", or "CONFIG LAYER <= K LSB  postproc.KEY >= W (has
 * V), ..." (the keys too narrow for the exact QuantNorm form of every
 * channel and the widths it needs; or why no width helps).  *inexact (may
 * be NULL) gets the number of inexact layers.  Errors as pk_onnx_import. */
int pk_onnx_check(const char *model, const pk_config_t *cfg, FILE *out, int *inexact,
                  pk_error_t *err);

/* 1 if path ends in ".onnx" (case-insensitive). */
int pk_onnx_is_model(const char *path);

/* Load a network from `path`: a .onnx model is imported into a new private
 * temporary directory (*tmpdir, at least 64 bytes; "" for YAML) and loaded
 * from there, net->source then names the model; anything else goes to
 * pk_net_load().  Call pk_onnx_net_cleanup(tmpdir) after pk_net_free(). */
int pk_onnx_net_load(const char *path, const pk_config_t *cfg, const pk_onnx_opts_t *opts,
                     pk_net_t **net, pk_onnx_io_t *io, char *tmpdir, pk_error_t *err);
void pk_onnx_net_cleanup(char *tmpdir);

#endif
