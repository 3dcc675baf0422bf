/* pk_check_input.c - pikecheck --input: real input images through the RTL and
 * pikesim (pk_check.h).
 *
 * Design: the network is loaded once only to learn its input shape and input
 * quantizer; the images are read by sim/pk_input (the same semantics as
 * pikesim --input: codes, or float32 quantized by the model's quantizer; one
 * tensor or a batch).  Each image then goes through pk_check_run() as its
 * input (the Verilator model is built once and found in the cache after
 * that), so every image gets the whole comparison: every layer's output
 * codes, cycles and event counters, per-layer and in one start.  One image
 * prints pikecheck's full report; a batch prints one line per image and the
 * totals.  The top-1 is the argmax of the model's output codes, which are the
 * RTL's whenever the image agrees.
 */
#include "pk_check.h"

#include <inttypes.h>
#include <stdlib.h>

#include "pk_input.h"
#include "pk_net.h"
#include "pk_onnx_import.h"

/* Output mismatches and counter differences of one result (layers + one start). */
static void diffs(const pk_check_result_t *r, int64_t *out, int64_t *cnt)
{
    *out = r->full_out_mismatch;
    *cnt = r->full_cnt_mismatch;
    for (int i = 0; i < r->n_layers; i++) {
        *out += r->layers[i].out_mismatch;
        *cnt += r->layers[i].cnt_mismatch;
    }
}

static void image_line(FILE *f, int64_t k, const pk_check_result_t *r, int64_t top,
                       const int32_t *lab)
{
    int64_t om, cm;
    diffs(r, &om, &cm);
    fprintf(f, "image %4" PRId64 ": %s  cycles RTL %" PRId64 " model %" PRId64
            "  output mismatches %" PRId64 "  counter diffs %" PRId64 "  top-1 %" PRId64,
            k, r->pass ? "PASS" : "FAIL", r->rtl_sum, r->model_sum, om, cm, top);
    if (lab)
        fprintf(f, " (label %d)", (int)*lab);
    fprintf(f, "\n");
    if (!r->pass)
        fprintf(f, "            first difference: %s\n", r->first_diff);
}

/* The network's input shape and quantizer, then its images (and labels). */
static int load_images(const pk_check_opts_t *o, const pk_check_inputs_t *in, int32_t **codes,
                       int64_t *N, int64_t *per, int32_t **lab, pk_error_t *err)
{
    pk_config_t *cfg = NULL;
    pk_net_t *net = NULL;
    pk_onnx_io_t io;
    char tmp[64] = "";
    pk_onnx_opts_t onnx = { o->approx, NULL };
    int rc = pk_config_load(o->config_path, &cfg, err);
    if (!rc)
        rc = pk_onnx_net_load(o->network_path, cfg, &onnx, &net, &io, tmp, err);
    if (!rc) {
        pk_input_opts_t io_opts = { .input = in->input, .labels = in->labels,
                                    .io = tmp[0] ? &io : NULL };
        *per = (int64_t)net->in_h * net->in_w * net->in_c;
        rc = pk_input_load(net, &io_opts, codes, N, lab, err);
    }
    pk_net_free(net);
    pk_onnx_net_cleanup(tmp);
    pk_config_free(cfg);
    return rc;
}

int pk_check_inputs(const pk_check_opts_t *o, const pk_check_inputs_t *in, FILE *f, int *pass,
                    pk_error_t *err)
{
    int32_t *codes = NULL, *lab = NULL;
    int64_t N = 0, per = 0;
    *pass = 0;
    int rc = load_images(o, in, &codes, &N, &per, &lab, err);
    if (!rc && in->count > 0 && in->count < N)
        N = in->count;
    if (!rc && N > 1 && in->json_path)
        rc = pk_error_set(err, PK_EINPUT, in->input, 0, "--json",
                          "takes one image, the batch has %" PRId64 " (use --count 1)", N);
    int64_t agree = 0, hit = 0, k = 0;
    for (; k < N && !rc; k++) {
        pk_check_opts_t ok = *o;
        ok.input = codes + k * per;
        if (k)
            ok.log = NULL; /* import notes and progress once */
        pk_check_result_t *r = NULL;
        if ((rc = pk_check_run(&ok, &r, err)))
            break;
        int64_t top = pk_input_argmax(r->out_codes, r->out_n);
        agree += r->pass;
        hit += lab && top == lab[k];
        if (N == 1) {
            pk_check_report(f, r);
            fprintf(f, "input: image 0 of %s, top-1 %" PRId64, in->input, top);
            if (lab)
                fprintf(f, " (label %d)", (int)lab[0]);
            fprintf(f, "\n");
            if (in->json_path)
                rc = pk_check_write_json(in->json_path, r, err);
        } else {
            image_line(f, k, r, top, lab ? lab + k : NULL);
        }
        pk_check_free(r);
    }
    if (!rc && N > 1) {
        fprintf(f, "images: %" PRId64 " from %s; RTL == pikesim (outputs, cycles, counters) on "
                "%" PRId64 " / %" PRId64 "\n", N, in->input, agree, N);
        if (lab)
            fprintf(f, "top-1: %" PRId64 " / %" PRId64 " = %.2f%%\n", hit, N,
                    100.0 * (double)hit / (double)N);
        fprintf(f, "%s\n", agree == N ? "PASS: every image agrees" : "FAIL: some images differ");
    }
    *pass = !rc && agree == N;
    free(codes);
    free(lab);
    return rc;
}
