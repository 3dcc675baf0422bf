/* test_check_v2run.c - pikecheck --arch v2 runs pk_core2 under Verilator
 * against the v2 model with zero differences (outputs, per-layer and
 * one-start cycles, V2-9's 14 counters):
 *   - 10 random configs (tests/test_v2_random.h's random_cfg) with a random
 *     chain of 2-4 convs each (1x1 or 3x3, the first of stride 1 or 2 on 1..6
 *     or 8..40 input channels: x-folded when the plan folds it, V2-4.2; 4- or 8-bit
 *     weights), half of them ending in a global average pool (V2-4.4), seeds
 *     from 1 up, explicit (rng_state =
 *     seed * 0x9E3779B97F4A7C15 as the v2 model's tests), each checked on its
 *     longest prefix of layers pk_core2 builds (pk_v2_rtl_supported;
 *     --layers N), skipping draws whose first layer it does not build or the
 *     plan does not map.  The YAML files stay in BUILD/check-v2-random/.
 * PIKE_V2RUN_CASES (default 10) sets how many configs: the default suite
 * runs the first 2 (tests/CMakeLists.txt: each is a Verilator build, and the
 * suite has a time budget); build/tests/test_check_v2run alone runs all 10
 * (docs/VALIDATION.md, "--arch v2").  (convs.yaml: test_check_v2conv.c.)
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pk_v2_rtl.h"
#include "test_cli_util.h"
#include "test_v2_util.h"

#define DATA PIKE_SOURCE_ROOT "/tests/data/check"

/* A chain of 2-4 convs random_cfg's configs support (4/8-bit weights and
 * activations, relu), the first maybe strided on few channels (x-fold), and
 * maybe a global pool after.  A 3x3 conv after the first pads with an input
 * zero point (V2-6.3) of (3 i + 4) mod 16 (no draw: the cases are otherwise
 * as before). */
static const char *random_convnet(void)
{
    static char b[2400];
    int h = rr(3, 12), n = rr(2, 4), s0 = rr(1, 2), gap = rr(0, 1);
    size_t k = (size_t)snprintf(b, sizeof b,
                                "name: rconv\ninput: {h: %d, w: %d, c: %d, bits: %d, signed: false}\n"
                                "seed: %d\nlayers:\n",
                                h, rr(3, 12), rr(0, 1) ? rr(1, 6) : rr(8, 40), rr(0, 1) ? 8 : 4,
                                rr(1, 99));
    for (int i = 0; i < n && k < sizeof b; i++) {
        int ks = rr(0, 1) ? 3 : 1;
        char zp[32] = "";
        if (i > 0 && ks == 3)
            snprintf(zp, sizeof zp, " in_zero_point: %d,", (3 * i + 4) % 16);
        k += (size_t)snprintf(b + k, sizeof b - k,
                              "  - {name: c%d, op: conv, out_c: %d, kernel: %d, stride: %d,"
                              " padding: %d,%s w_bits: %d, out_bits: %d, out_signed: false,"
                              " quant: %s, norm: quantnorm, scale: dq, act: relu}\n",
                              i, rr(2, 40), ks, i == 0 ? s0 : 1, ks / 2, zp, rr(0, 1) ? 8 : 4,
                              rr(0, 1) ? 8 : 4, rr(0, 1) ? "per_channel" : "per_tensor");
    }
    if (gap && k < sizeof b)
        snprintf(b + k, sizeof b - k, "  - {name: gap, op: global_avgpool, out_bits: 4}\n");
    return b;
}

/* The layers of f pk_core2 builds, from the first. */
static int supported_prefix(const fx_t *f, char *why, size_t n)
{
    int k = 0;
    pk_v2_rtl_check_t chk;
    pk_v2_rtl_check_init(&chk, f->cfg, f->hw, f->plan);
    while (k < f->hw->n_layers && !pk_v2_rtl_check(&chk, k, why, n))
        k++;
    pk_v2_rtl_check_free(&chk);
    return k;
}

Test(check_v2run, random_configs, .timeout = 3600)
{
    const char *dir = PIKE_BIN_DIR "/check-v2-random";
    mkdir(dir, 0777);
    const char *nc = getenv("PIKE_V2RUN_CASES");
    int want = nc && atoi(nc) > 0 ? atoi(nc) : 10, done = 0;
    for (int seed = 1; seed <= 400 && done < want; seed++) {
        rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
        char cp[600], np[600], why[400];
        snprintf(cp, sizeof cp, "%s/seed%d_cfg.yaml", dir, seed);
        snprintf(np, sizeof np, "%s/seed%d_net.yaml", dir, seed);
        FILE *a = fopen(cp, "w");
        cr_assert(a && fputs(random_cfg(), a) >= 0 && fclose(a) == 0, "%s", cp);
        FILE *b = fopen(np, "w");
        cr_assert(b && fputs(random_convnet(), b) >= 0 && fclose(b) == 0, "%s", np);
        fx_t f;
        pk_error_t e;
        int n = 0;
        if (fx_make(&f, cp, np, 1, &e) == 0)
            n = supported_prefix(&f, why, sizeof why);
        fx_free(&f);
        if (n < 1)
            continue;
        char args[2048], *o;
        snprintf(args, sizeof args, "--arch v2 --config %s --network %s --layers %d", cp, np, n);
        int rc = pk_test_pikecheck(args, &o);
        cr_expect_eq(rc, 0, "seed %d (%d layers): %s", seed, n, o);
        cr_log_info("seed %d: %d layers: %s", seed, n, rc ? "FAIL" : "PASS");
        done++;
    }
    cr_assert_eq(done, want, "only %d of seeds 1..400 have a first layer pk_core2 builds", done);
}
