/* pk_input.c - run real input tensors through the bit-exact functional
 * model (see pk_input.h).
 *
 * Design: the network is compiled once with data (pk_compile), the whole
 * input file is read (codes, or floats quantized here with the model's input
 * quantizer), then each image runs through pk_func_run (v1) or
 * pk_v2_func_tensors (v2: the image built and run per input); the last layer's
 * codes are decoded to integer values and kept for the output file and the
 * top-1 count.  Nothing is written before the batch is done; files go through
 * pk_npy_write (temporary name, rename).
 */
#include "pk_input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_compile.h"
#include "pk_func.h"
#include "pk_npy.h"
#include "pk_plan.h"
#include "pk_quant.h"
#include "pk_v2func.h"

#define IERR(path, ...) pk_error_set(err, PK_EINPUT, path, 0, "--input", __VA_ARGS__)

/* Number of images in header h for an input of `per` elements, or -1. */
static int64_t batch_count(const pk_npy_t *h, int64_t per)
{
    if (h->count == per)
        return 1;
    if (h->ndim < 2 || h->shape[0] < 1)
        return -1;
    int64_t rest = h->count / h->shape[0];
    return rest == per ? h->shape[0] : -1;
}

static int quantize_input(const pk_net_t *net, const pk_input_opts_t *o, const float *x,
                          int32_t *codes, int64_t n, pk_error_t *err)
{
    if (!o->io)
        return IERR(o->input, "float32 input needs the model's input quantizer: give the .onnx "
                    "model as --network (or pass integer codes)");
    int lo = net->in_signed ? -(1 << (net->in_bits - 1)) : 0;
    int hi = net->in_signed ? (1 << (net->in_bits - 1)) - 1 : (1 << net->in_bits) - 1;
    for (int64_t i = 0; i < n; i++) {
        double v = (double)x[i] / o->io->in_scale;
        if (!isfinite(v))
            return IERR(o->input, "element %lld is not a finite number", (long long)i);
        double r = o->io->in_round_even ? nearbyint(v) : (v < 0 ? -floor(-v + 0.5) : floor(v + 0.5));
        r += o->io->in_zp;
        codes[i] = (int32_t)(r < lo ? lo : r > hi ? hi : r);
    }
    return 0;
}

static int read_codes(const pk_net_t *net, const pk_input_opts_t *o, int32_t **codes, int64_t *N,
                      pk_error_t *err)
{
    pk_npy_t h;
    int rc = pk_npy_header(o->input, &h, err);
    if (rc)
        return rc;
    int64_t per = (int64_t)net->in_h * net->in_w * net->in_c;
    *N = batch_count(&h, per);
    if (*N < 1)
        return IERR(o->input, "%lld elements do not make a batch of %dx%dx%d inputs (shape "
                    "(N, h, w, c) or (h, w, c))", (long long)h.count, net->in_h, net->in_w,
                    net->in_c);
    *codes = malloc((size_t)h.count * sizeof **codes);
    if (!*codes)
        return pk_error_set(err, PK_ENOMEM, o->input, 0, "--input", "out of memory");
    if (h.dtype == PK_NPY_F32) {
        float *x = malloc((size_t)h.count * sizeof *x);
        rc = x ? pk_npy_read_f32(o->input, &h, x, h.count, err)
               : pk_error_set(err, PK_ENOMEM, o->input, 0, "--input", "out of memory");
        if (!rc)
            rc = quantize_input(net, o, x, *codes, h.count, err);
        free(x);
        return rc;
    }
    rc = pk_npy_read_i32(o->input, &h, *codes, h.count, err);
    int lo = net->in_signed ? -(1 << (net->in_bits - 1)) : 0;
    int hi = net->in_signed ? (1 << (net->in_bits - 1)) - 1 : (1 << net->in_bits) - 1;
    if (net->in_bits == 1)
        lo = -1, hi = 1;
    for (int64_t i = 0; i < h.count && !rc; i++)
        if ((*codes)[i] < lo || (*codes)[i] > hi || (net->in_bits == 1 && !(*codes)[i]))
            rc = IERR(o->input, "element %lld is %d: the network input takes %d-bit %s codes",
                      (long long)i, (int)(*codes)[i], net->in_bits,
                      net->in_signed ? "signed" : "unsigned");
    return rc;
}

static int read_labels(const pk_input_opts_t *o, int64_t N, int32_t **lab, pk_error_t *err)
{
    pk_npy_t h;
    int rc = pk_npy_header(o->labels, &h, err);
    if (rc)
        return rc;
    if (h.count != N || h.dtype == PK_NPY_F32)
        return pk_error_set(err, PK_EINPUT, o->labels, 0, "--labels", "need %lld integer "
                            "labels (one per input), the file has %lld %s", (long long)N,
                            (long long)h.count, pk_npy_dtype_name(h.dtype));
    *lab = malloc((size_t)N * sizeof **lab);
    if (!*lab)
        return pk_error_set(err, PK_ENOMEM, o->labels, 0, "--labels", "out of memory");
    return pk_npy_read_i32(o->labels, &h, *lab, N, err);
}

int pk_input_load(const pk_net_t *net, const pk_input_opts_t *o, int32_t **codes, int64_t *N,
                  int32_t **labels, pk_error_t *err)
{
    *codes = NULL;
    *labels = NULL;
    *N = 0;
    int rc = read_codes(net, o, codes, N, err);
    if (!rc && o->labels)
        rc = read_labels(o, *N, labels, err);
    if (rc) {
        free(*codes), free(*labels);
        *codes = *labels = NULL;
    }
    return rc;
}

void pk_input_encode(int bits, const int32_t *codes, int64_t n, uint8_t *img)
{
    uint32_t mask = bits >= 8 ? 0xFF : (1u << bits) - 1;
    for (int64_t e = 0; e < n; e++)
        img[e] = (uint8_t)(bits == 1 ? (codes[e] > 0) : ((uint32_t)codes[e] & mask));
}

int64_t pk_input_argmax(const int32_t *y, int64_t n)
{
    int64_t best = 0;
    for (int64_t e = 1; e < n; e++)
        if (y[e] > y[best])
            best = e;
    return best;
}

static void progress(int64_t done, int64_t N, int tty)
{
    if (!tty || N < 2)
        return;
    int w = 40, k = (int)(done * w / N);
    fprintf(stderr, "\r[%.*s%*s] %lld/%lld", k, "########################################",
            w - k, "", (long long)done, (long long)N);
    if (done == N)
        fputc('\n', stderr);
    fflush(stderr);
}

/* Run all N images; out[N * n_out] gets the decoded output codes. */
static int run_batch(const pk_hwnet_t *hw, const pk_v2img_t *v2, const int32_t *codes, int64_t N,
                     int32_t *out, int64_t n_out, pk_error_t *err)
{
    const pk_tensor_t *in = &hw->tensors[0];
    const pk_tensor_t *tl = &hw->tensors[hw->layers[hw->n_layers - 1].t_out];
    int64_t per = (int64_t)in->h * in->w * in->c;
    uint8_t *img = malloc((size_t)per);
    if (!img)
        return pk_error_set(err, PK_ENOMEM, "pikesim", 0, "--input", "out of memory");
    int tty = isatty(STDERR_FILENO), rc = 0;
    for (int64_t k = 0; k < N && !rc; k++) {
        pk_input_encode(in->bits, codes + k * per, per, img);
        uint8_t **ts = NULL;
        rc = v2 ? pk_v2_func_tensors(hw, v2, img, &ts, err) : pk_func_run(hw, img, &ts, err);
        if (rc)
            break;
        const uint8_t *last = ts[hw->layers[hw->n_layers - 1].t_out];
        for (int64_t e = 0; e < n_out; e++)
            out[k * n_out + e] = (int32_t)pk_q_decode(last[e], tl->bits, tl->is_signed);
        pk_func_free(hw, ts);
        progress(k + 1, N, tty);
    }
    free(img);
    return rc;
}

static int write_outputs(const pk_input_opts_t *o, const pk_tensor_t *tl, int64_t N,
                         const int32_t *y, pk_error_t *err)
{
    int64_t n_out = (int64_t)tl->h * tl->w * tl->c;
    int64_t shape[4] = { N, tl->h, tl->w, tl->c };
    int nd = 4;
    if (tl->h == 1 && tl->w == 1) {
        shape[1] = tl->c;
        nd = 2;
    }
    int rc = 0;
    if (o->output)
        rc = pk_npy_write(o->output, PK_NPY_I32, shape, nd, y, NULL, err);
    if (!rc && o->output_float) {
        if (!o->io || !o->io->has_out)
            return pk_error_set(err, PK_EINPUT, o->output_float, 0, "--output-float",
                                "the network does not say how to dequantize its output (needs "
                                "a .onnx model ending in DequantizeLinear or Quant)");
        float *f = malloc((size_t)(N * n_out) * sizeof *f);
        if (!f)
            return pk_error_set(err, PK_ENOMEM, o->output_float, 0, "--output-float", "out of memory");
        for (int64_t i = 0; i < N * n_out; i++)
            f[i] = (float)(o->io->out_scale * (y[i] - o->io->out_zp));
        rc = pk_npy_write(o->output_float, PK_NPY_F32, shape, nd, NULL, f, err);
        free(f);
    }
    return rc;
}

int pk_input_run(const pk_net_t *net, const pk_config_t *cfg, const pk_input_opts_t *o,
                 FILE *out, pk_error_t *err)
{
    int32_t *codes = NULL, *y = NULL, *lab = NULL;
    int64_t N = 0;
    pk_hwnet_t *hw = NULL;
    pk_plan_t *plan = NULL;
    pk_v2img_t *v2 = NULL;
    int rc = pk_input_load(net, o, &codes, &N, &lab, err);
    if (!rc)
        rc = pk_compile(net, cfg, 1, &hw, err);
    if (!rc && o->arch == 2 && !(rc = pk_plan_make(hw, NULL, &plan, err)))
        rc = pk_v2_compile(hw, plan, &v2, err);
    const pk_tensor_t *tl = hw ? &hw->tensors[hw->layers[hw->n_layers - 1].t_out] : NULL;
    int64_t n_out = tl ? (int64_t)tl->h * tl->w * tl->c : 0;
    if (!rc && !(y = malloc((size_t)(N * n_out > 0 ? N * n_out : 1) * sizeof *y)))
        rc = pk_error_set(err, PK_ENOMEM, "pikesim", 0, "--input", "out of memory");
    if (!rc)
        rc = run_batch(hw, v2, codes, N, y, n_out, err);
    if (!rc)
        rc = write_outputs(o, tl, N, y, err);
    if (!rc) {
        fprintf(out, "inputs: %lld from %s through the bit-exact functional model%s\n",
                (long long)N, o->input, v2 ? " (v2, from its memory image)" : "");
        if (lab) {
            int64_t hit = 0;
            for (int64_t k = 0; k < N; k++)
                hit += pk_input_argmax(y + k * n_out, n_out) == lab[k];
            fprintf(out, "top-1: %lld / %lld = %.2f%%\n", (long long)hit, (long long)N,
                    100.0 * (double)hit / (double)N);
        }
    }
    free(codes), free(y), free(lab);
    pk_v2img_free(v2);
    pk_plan_free(plan);
    pk_hwnet_free(hw);
    return rc;
}
