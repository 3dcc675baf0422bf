/* test_onnx_errors.c - the malformed / unsupported model corpus
 * (tests/data/onnx/bad/, made by tests/data/onnx/make_models.py): each model
 * gives exactly the expected "FILE: FIELD: message", PK_EINPUT, and writes
 * nothing; a model that is valid but not exact on the config is refused
 * unless approx; pikeimport exits 2 with the message and no output. */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk_config.h"
#include "pk_onnx_import.h"

#define ROOT PIKE_SOURCE_ROOT
#define DATA ROOT "/tests/data/onnx"
#define IMPORT PIKE_BIN_DIR "/import/pikeimport"

static pk_config_t *edge(void)
{
    pk_config_t *c = NULL;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_config_load(ROOT "/hw_configs/edge.yaml", &c, &e), 0, "%s", e.msg);
    return c;
}

static const char *fresh_dir(void)
{
    static char d[64];
    snprintf(d, sizeof d, "/tmp/pk_onnxerr_XXXXXX");
    cr_assert(mkdtemp(d));
    return d;
}

static int n_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Import path with cfg; return the formatted error ("" when it succeeded). */
static const char *import_msg(const char *path, int approx, const char *out, int *rc)
{
    static char msg[2048];
    pk_config_t *cfg = edge();
    pk_onnx_opts_t o = { approx, NULL };
    pk_error_t e;
    pk_error_clear(&e);
    *rc = pk_onnx_import(path, cfg, &o, out, NULL, 0, NULL, &e);
    msg[0] = 0;
    if (*rc)
        pk_error_format(&e, msg, sizeof msg);
    pk_config_free(cfg);
    return msg;
}

static const struct {
    const char *file, *want;
} cases[] = {
    { "truncated.onnx", "model: not a valid ONNX protobuf (truncated or corrupt file)" },
    { "not_onnx.onnx", "model: not a valid ONNX protobuf (truncated or corrupt file)" },
    { "empty.onnx", "model: empty file (not an ONNX model)" },
    { "dtype.onnx", "initializer w1_quantized: data type 8 not supported" },
    { "missing_init.onnx", "node w1_DequantizeLinear (DequantizeLinear): input 'w1_quantized' "
                           "is produced by no node, initializer or graph input" },
    { "huge_dims.onnx", "initializer w1_quantized: dimension 0 is 1099511627776" },
    { "external.onnx", "initializer w1_quantized: external data is not supported" },
    { "cycle.onnx", "node fc1 (Gemm): the graph has a cycle through this node" },
    { "opset.onnx", "opset: default-domain opset 7 not supported" },
    { "unknown_op.onnx", "node fc1 (LSTM): op type not supported" },
    { "duplicate_output.onnx", "node fc2 (Gemm): output 'r1' is already produced elsewhere" },
    { "dilated.onnx", "node conv (Conv): dilated convolutions / pools are not supported" },
    { "big_pad.onnx", "node conv (Conv): pads [3, 0, 0, 0] out of Pike's range (each side below "
      "the kernel size of its axis, 3x3)" },
    { "avgpool.onnx", "node pool (AveragePool): padded average pool with count_include_pad 0" },
    { "trunc_zp.onnx", "node trunc (Trunc): zero point 128, bit widths 6 -> 4: Pike truncates "
      "with zero point 0" },
    { "prelu_slope.onnx", "node conv1 (Conv): PReLU slope 3 (channel 0) does not fit act_param_bits" },
};

Test(onnx_errors, corpus_messages_and_nothing_written)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[512], want[1024];
        snprintf(path, sizeof path, DATA "/bad/%s", cases[i].file);
        const char *dir = fresh_dir();
        int rc;
        const char *msg = import_msg(path, 1, dir, &rc);
        cr_expect_eq(rc, PK_EINPUT, "%s: rc %d (%s)", cases[i].file, rc, msg);
        snprintf(want, sizeof want, "%s: %s", path, cases[i].want);
        cr_expect(strncmp(msg, want, strlen(want)) == 0, "%s:\n got  %s\n want %s", cases[i].file,
                  msg, want);
        cr_expect_eq(n_entries(dir), 0, "%s: files were written", cases[i].file);
        rmdir(dir);
    }
}

Test(onnx_errors, missing_file_is_input_error)
{
    int rc;
    const char *msg = import_msg(DATA "/bad/no_such_model.onnx", 0, fresh_dir(), &rc);
    cr_expect_eq(rc, PK_EINPUT);
    cr_expect(strstr(msg, "no_such_model.onnx: model: cannot open") != NULL, "%s", msg);
}

/* onnxruntime's QDQ scales are not m / 2^s on edge.yaml: without approx that
 * is an error naming the first layer and the why (its half-to-even rounding is
 * Pike's rounding: half_even now, so no longer a reason). */
Test(onnx_errors, inexact_needs_approx)
{
    const char *dir = fresh_dir();
    int rc;
    const char *msg = import_msg(DATA "/cnn_u8.onnx", 0, dir, &rc);
    cr_expect_eq(rc, PK_EINPUT);
    cr_expect(strstr(msg, DATA "/cnn_u8.onnx: node conv1 (Conv): not exact on this config") == msg,
              "%s", msg);
    cr_expect(strstr(msg, "the scale is not a fraction m/2^s") && strstr(msg, "--approx"), "%s",
              msg);
    cr_expect(!strstr(msg, "rounding ties"), "%s", msg);
    cr_expect_eq(n_entries(dir), 0);
    msg = import_msg(DATA "/cnn_u8.onnx", 1, dir, &rc);
    cr_expect_eq(rc, 0, "%s", msg);
    cr_expect_eq(n_entries(dir), 7, "cnn_u8.yaml + 3 x (weights, params)");
}

/* A uint8 squeeze-and-excitation vector is the QuantNorm multiplier of the
 * channel-wise multiply: 9 signed bits, more than edge's qn_mult_bits 8 (even
 * with approx); edge_wide (16) runs it (onnx_models). */
Test(onnx_errors, se_vector_wider_than_qn_mult)
{
    const char *dir = fresh_dir();
    int rc;
    const char *msg = import_msg(DATA "/cnn_se_u8.onnx", 1, dir, &rc);
    cr_expect_eq(rc, PK_EINPUT);
    cr_expect(strstr(msg, DATA "/cnn_se_u8.onnx: node se_mul (Mul): the per-channel vector is "
                     "8-bit unsigned: as the QuantNorm multiplier it needs "
                     "postproc.qn_mult_bits >= 9 (config 'edge' has 8)") == msg, "%s", msg);
    cr_expect_eq(n_entries(dir), 0);
    rmdir(dir);
}

Test(onnx_errors, pikeimport_cli_exit_2)
{
    const char *dir = fresh_dir();
    char cmd[1024], errf[256];
    snprintf(errf, sizeof errf, "%s.err", dir);
    snprintf(cmd, sizeof cmd, IMPORT " --model " DATA "/bad/cycle.onnx --config " ROOT
             "/hw_configs/edge.yaml --out %s/net > /dev/null 2> %s", dir, errf);
    int st = system(cmd);
    cr_assert(WIFEXITED(st));
    cr_expect_eq(WEXITSTATUS(st), 2);
    FILE *f = fopen(errf, "r");
    cr_assert(f);
    char line[1024] = "";
    cr_expect(fgets(line, sizeof line, f) != NULL);
    fclose(f);
    cr_expect(strstr(line, "cycle.onnx: node fc1 (Gemm): the graph has a cycle") != NULL, "%s", line);
    cr_expect_eq(n_entries(dir), 0, "no output directory");
    snprintf(cmd, sizeof cmd, IMPORT " --model x.onnx --config " ROOT "/hw_configs/edge.yaml "
             "> /dev/null 2> %s", errf);
    st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "missing --out");
    unlink(errf);
}
