/* fuzz_quant_one.h - the check of one candidate float .onnx file through
 * pikequant's float side (core/pk_fq*), shared by the libFuzzer harness
 * (fuzz_quant.c) and the replay test (tests/test_quant_fuzz.c).
 *
 * pk_fq_load() must accept the model or return PK_EINPUT with a file and a
 * message; an accepted model is calibrated on one all-zero image (and one
 * of ones), factorized, written as QONNX (w4a4, inner weights per tensor)
 * and imported with approx onto cfg, which again must succeed or say
 * PK_EINPUT.  Returns 0 when the
 * contract held, -1 (with a line on stderr) when it did not. */
#ifndef PK_FUZZ_QUANT_ONE_H
#define PK_FUZZ_QUANT_ONE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_config.h"
#include "pk_fq.h"
#include "pk_onnx_import.h"

static int pk_fuzz_quant_bad(int rc, const pk_error_t *e, const char *stage)
{
    if (rc == PK_EINPUT && e->file[0] && e->msg[0])
        return 0;
    fprintf(stderr, "fuzz_quant: %s returned %d (%s)\n", stage, rc, e->msg);
    return -1;
}

static int pk_fuzz_quant_one(const char *path, const pk_config_t *cfg)
{
    pk_fq_t *q = NULL;
    pk_error_t e = { 0 };
    int rc = pk_fq_load(path, &q, &e);
    if (rc)
        return pk_fuzz_quant_bad(rc, &e, "pk_fq_load");
    int64_t in = pk_fq_in_count(q);
    float *x = calloc((size_t)in * 2, sizeof *x);
    char dir[] = "/tmp/pike-fuzzq-XXXXXX", qpath[64], out[80];
    int bad = !x || !mkdtemp(dir);
    for (int64_t i = 0; !bad && i < in; i++)
        x[in + i] = 1.0f;
    pk_fq_opts_t o = { .recipe = PK_FQ_W4A4, .percentile = 99.0, .per_tensor = 1 };
    if (!bad) {
        pk_fq_factorize(q);
        rc = pk_fq_calibrate(q, x, 2, &o, &e);
        snprintf(qpath, sizeof qpath, "%s/m.onnx", dir);
        snprintf(out, sizeof out, "%s/net", dir);
        if (!rc)
            rc = pk_fq_write_qonnx(q, &o, qpath, &e);
        bad = rc != 0;
    }
    if (!bad) {
        pk_onnx_opts_t io = { 1, NULL };
        rc = pk_onnx_import(qpath, cfg, &io, out, NULL, 0, NULL, &e);
        bad = rc && pk_fuzz_quant_bad(rc, &e, "pk_onnx_import");
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        bad |= system(cmd) != 0;
    }
    free(x);
    pk_fq_free(q);
    return bad ? -1 : 0;
}

#endif
