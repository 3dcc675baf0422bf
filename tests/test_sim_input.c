/* test_sim_input.c - pikesim with real inputs (sim/pk_input.h) on the
 * command line: --network M.onnx --input X.npy --output/--output-float/
 * --labels; the printed top-1 equals the one computed from the written
 * codes; dequantized floats are scale * (code - zero point); bad inputs exit
 * 2 with one message naming the file and write no output file. */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk_npy.h"

#define SIM PIKE_BIN_DIR "/sim/pikesim"
#define ROOT PIKE_SOURCE_ROOT
#define DATA ROOT "/tests/data/onnx"
#define EDGE ROOT "/hw_configs/edge.yaml"

static const char *dir(void)
{
    static char d[64] = "";
    if (!d[0]) {
        snprintf(d, sizeof d, "/tmp/pk_siminput_XXXXXX");
        cr_assert(mkdtemp(d));
    }
    return d;
}

static int sh(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
    static char buf[1 << 16];
    FILE *f = fopen(path, "r");
    buf[0] = 0;
    if (f) {
        buf[fread(buf, 1, sizeof buf - 1, f)] = 0;
        fclose(f);
    }
    return buf;
}

static void *load(const char *path, int as_float, int64_t *n)
{
    pk_npy_t h;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_npy_header(path, &h, &e), 0, "%s: %s", path, e.msg);
    *n = h.count;
    void *v = malloc((size_t)h.count * 4);
    cr_assert(v);
    int rc = as_float ? pk_npy_read_f32(path, &h, v, h.count, &e)
                      : pk_npy_read_i32(path, &h, v, h.count, &e);
    cr_assert_eq(rc, 0, "%s", e.msg);
    return v;
}

Test(sim_input, onnx_batch_outputs_labels)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, SIM " --config " EDGE " --network " DATA "/q4_pow2.onnx --input "
             DATA "/digits_x.npy --labels " DATA "/digits_y.npy --output %s/y.npy "
             "--output-float %s/f.npy > %s/out.txt 2>&1", dir(), dir(), dir());
    cr_assert_eq(sh(cmd), 0, "%s", cmd);
    char p[256];
    snprintf(p, sizeof p, "%s/out.txt", dir());
    const char *txt = slurp(p);
    cr_expect(strstr(txt, "inputs: 128 from") != NULL, "%s", txt);
    cr_expect(strstr(txt, "\r[") == NULL, "no progress bar when stderr is not a terminal");
    int64_t n, nf, nl, nr;
    snprintf(p, sizeof p, "%s/y.npy", dir());
    int32_t *y = load(p, 0, &n);
    snprintf(p, sizeof p, "%s/f.npy", dir());
    float *f = load(p, 1, &nf);
    int32_t *lab = load(DATA "/digits_y.npy", 0, &nl);
    int32_t *ref = load(DATA "/q4_pow2.ref.npy", 0, &nr);
    cr_assert_eq(n, 1280);
    cr_assert_eq(nf, 1280);
    cr_assert_eq(nr, 1280);
    cr_expect(memcmp(y, ref, 1280 * sizeof *y) == 0, "codes equal the qonnx reference");
    int hit = 0;
    for (int k = 0; k < 128; k++) {
        int best = 0;
        for (int e = 1; e < 10; e++)
            best = y[k * 10 + e] > y[k * 10 + best] ? e : best;
        hit += best == lab[k];
    }
    for (int64_t i = 0; i < n; i++)
        cr_expect_eq(f[i], (float)(0.125 * (y[i] - 128)), "element %lld", (long long)i);
    char want[64];
    snprintf(want, sizeof want, "top-1: %d / 128 = ", hit);
    cr_expect(strstr(txt, want) != NULL, "want '%s' in %s", want, txt);
    cr_expect_gt(hit, 120, "the 4-bit MLP classifies digits");
    free(y), free(f), free(lab), free(ref);
}

/* Bad real inputs: one message naming the file, exit 2, no output file. */
Test(sim_input, bad_inputs_exit_2)
{
    static const struct {
        const char *args, *want;
    } cases[] = {
        { "--network " DATA "/q4_pow2.onnx --input " DATA "/q4_pow2.ref.npy",
          "q4_pow2.ref.npy: --input: 1280 elements do not make a batch of 1x1x64 inputs" },
        { "--network " DATA "/q4_pow2.onnx --input " DATA "/digits_x.npy --labels " DATA
          "/q4_pow2.ref.npy", "q4_pow2.ref.npy: --labels: need 128 integer labels" },
        { "--network " DATA "/q4_pow2.onnx --input " DATA "/digits_y.npy",
          "digits_y.npy: --input: 128 elements do not make a batch" },
        { "--network IMPORTED --input " DATA "/digits_x.npy",
          "digits_x.npy: --input: float32 input needs the model's input quantizer" },
        { "--network " DATA "/q4_pow2.onnx --output y.npy", "pikesim: --input: missing" },
        { "--network " DATA "/cnn_u8.onnx --input " DATA "/digits_x.npy",
          "cnn_u8.onnx: node conv1 (Conv): not exact on this config" },
    };
    char imp[256], cmd[2048];
    snprintf(imp, sizeof imp, "%s/imp", dir());
    snprintf(cmd, sizeof cmd, PIKE_BIN_DIR "/import/pikeimport --model " DATA "/q4_pow2.onnx "
             "--config " EDGE " --out %s > /dev/null", imp);
    cr_assert_eq(sh(cmd), 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char sub[128], errf[256], args[1024];
        snprintf(sub, sizeof sub, "%s/bad%zu", dir(), i);
        cr_assert_eq(mkdir(sub, 0700), 0);
        snprintf(errf, sizeof errf, "%s.err", sub);
        const char *at = strstr(cases[i].args, "IMPORTED");
        if (at)
            snprintf(args, sizeof args, "%.*s%s/q4_pow2.yaml%s", (int)(at - cases[i].args),
                     cases[i].args, imp, at + 8);
        else
            snprintf(args, sizeof args, "%s", cases[i].args);
        snprintf(cmd, sizeof cmd, "cd %s && " SIM " --config " EDGE " %s --output %s/y.npy "
                 "> /dev/null 2> %s", sub, args, sub, errf);
        cr_expect_eq(sh(cmd), 2, "case %zu: %s", i, cases[i].args);
        const char *msg = slurp(errf);
        cr_expect(strstr(msg, cases[i].want) != NULL, "case %zu: got %s", i, msg);
        DIR *d = opendir(sub);
        int files = 0;
        for (struct dirent *e; d && (e = readdir(d));)
            files += e->d_name[0] != '.';
        if (d)
            closedir(d);
        cr_expect_eq(files, 0, "case %zu wrote files", i);
    }
}
