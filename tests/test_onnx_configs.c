/* test_onnx_configs.c - pikeimport --check-configs: per config and layer,
 * exact or the config keys too narrow with the widths an exact form needs.
 * The widths it names are checked by using them: a config widened to exactly
 * the stated width is exact, one bit less is not. */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_cli_util.h"

#define IMPORT PIKE_BIN_DIR "/import/pikeimport"
#define DATA PIKE_SOURCE_ROOT "/tests/data/onnx"

static int run(const char *args, char **out)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, IMPORT " %s", args);
    return pk_test_sh(cmd, out);
}

/* narrow_qn.yaml with the line containing `from` replaced by "  KEY: bits"
 * (KEY the text before the colon), written to a temporary file. */
static void edited(const char *from, int bits, char *path, size_t len)
{
    snprintf(path, len, "/tmp/pk_onnx_cfg_%d_%d.yaml", (int)getpid(), bits);
    FILE *in = fopen(DATA "/narrow_qn.yaml", "r"), *out = fopen(path, "w");
    cr_assert(in && out);
    char line[256];
    int seen = 0;
    while (fgets(line, sizeof line, in)) {
        if (strstr(line, from)) {
            fprintf(out, "  %.*s: %d\n", (int)strcspn(from, ":"), from, bits);
            seen = 1;
        } else {
            fputs(line, out);
        }
    }
    fclose(in);
    cr_assert_eq(fclose(out), 0);
    cr_assert(seen, "narrow_qn.yaml has no '%s'", from);
}

static void widened(int bits, char *path, size_t len)
{
    edited("qn_shift_bits: 2", bits, path, len);
}

/* Add(b, a) with b's scale 2^-4 and a's 2^-2 needs r_shift 2: one
 * residual_shift_bits is too few (C and RTL read the field's low bits). */
Test(onnx_configs, add_r_shift_must_fit_residual_shift_bits)
{
    char *o, cfg[256], args[1024];
    edited("residual_shift_bits: 4", 1, cfg, sizeof cfg);
    snprintf(args, sizeof args, "--model " DATA "/q_add_shift.onnx --config %s --out "
             "/tmp/pk_onnx_cfg_never", cfg);
    int st = run(args, &o);
    unlink(cfg);
    cr_assert_eq(st, 2, "%s", o);
    cr_assert(strstr(o, "node add_ba (Add): operand B's scale is 2^2 times A's: its r_shift does "
                     "not fit the config's residual_shift_bits 1 (at most 1"), "%s", o);
    cr_assert_eq(access("/tmp/pk_onnx_cfg_never", F_OK), -1);
}

Test(onnx_configs, power_of_two_model_exact_on_every_shipped_config)
{
    char *o;
    cr_assert_eq(run("--model " DATA "/q_ops.onnx --check-configs " PIKE_SOURCE_ROOT
                     "/hw_configs/edge.yaml " PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", &o),
                 0, "%s", o);
    cr_assert(strstr(o, "edge             conv1                exact\n"), "%s", o);
    cr_assert(strstr(o, "edge             EXACT: runs the model exactly"), "%s", o);
    cr_assert(strstr(o, "ice40            EXACT: runs the model exactly"), "%s", o);
    cr_assert(!strstr(o, "not exact"), "%s", o);
}

Test(onnx_configs, names_the_key_and_width_and_the_width_suffices)
{
    char *o, args[1024], cfg[256];
    cr_assert_eq(run("--model " DATA "/q_prelu.onnx --check-configs " DATA "/narrow_qn.yaml", &o),
                 1, "%s", o);
    cr_assert(strstr(o, "narrow_qn        conv1                exact\n"), "%s", o);
    const char *l = strstr(o, "narrow_qn        matmul               <= 1 LSB  ");
    cr_assert(l, "%s", o);
    int need = 0, has = 0;
    const char *k = strstr(l, "postproc.qn_shift_bits >= ");
    cr_assert(k && sscanf(k, "postproc.qn_shift_bits >= %d (has %d)", &need, &has) == 2, "%s", l);
    cr_assert_eq(has, 2);
    cr_assert_gt(need, has);
    cr_assert(strstr(o, "narrow_qn        not exact"), "%s", o);
    /* the stated width makes it exact; one bit less does not */
    widened(need, cfg, sizeof cfg);
    snprintf(args, sizeof args, "--model " DATA "/q_prelu.onnx --check-configs %s", cfg);
    int st = run(args, &o);
    unlink(cfg);
    cr_assert_eq(st, 0, "qn_shift_bits %d: %s", need, o);
    cr_assert(strstr(o, "EXACT: runs the model exactly"), "%s", o);
    widened(need - 1, cfg, sizeof cfg);
    snprintf(args, sizeof args, "--model " DATA "/q_prelu.onnx --check-configs %s", cfg);
    st = run(args, &o);
    unlink(cfg);
    cr_assert_eq(st, 1, "qn_shift_bits %d: %s", need - 1, o);
}

Test(onnx_configs, float_scales_name_every_key_and_import_error_says_it)
{
    char *o;
    cr_assert_eq(run("--model " DATA "/mlp_u8.onnx --check-configs " PIKE_SOURCE_ROOT
                     "/hw_configs/edge.yaml", &o), 1, "%s", o);
    cr_assert(strstr(o, "edge             fc1                  <= 1 LSB  postproc.qn_mult_bits >= "),
              "%s", o);
    cr_assert(strstr(o, "(has 8)"), "%s", o);
    cr_assert(strstr(o, "edge             not exact"), "%s", o);
    /* the import without --approx names the same keys in its one error line */
    cr_assert_eq(run("--model " DATA "/mlp_u8.onnx --config " PIKE_SOURCE_ROOT
                     "/hw_configs/edge.yaml --out /tmp/pk_onnx_cfg_never", &o), 2, "%s", o);
    cr_assert(strstr(o, "exact needs postproc.qn_mult_bits >= "), "%s", o);
    cr_assert_eq(access("/tmp/pk_onnx_cfg_never", F_OK), -1);
    cr_assert_eq(run("--model " DATA "/q_ops.onnx --check-configs", &o), 2, "%s", o);
    cr_assert(strstr(o, "missing config files"), "%s", o);
}
