/* test_quant_fuzz.c - replays pikequant's fuzz seed corpus
 * (tests/fuzz/corpus/quant/), any input the quant fuzzer crashed on
 * (tests/fuzz/regress/quant/, when present), the ONNX reader's seed corpus
 * and the malformed-model corpus (tests/data/onnx/bad/) through the
 * harness's own check (tests/fuzz/fuzz_quant_one.h), in process: every step
 * succeeds or returns PK_EINPUT with a message. */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>

#include "fuzz/fuzz_quant_one.h"

static int replay(const char *dir, const pk_config_t *cfg)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        cr_expect_eq(pk_fuzz_quant_one(path, cfg), 0, "contract broken on %s", path);
        n++;
    }
    closedir(d);
    return n;
}

Test(quant_fuzz, replay_corpora)
{
    pk_config_t *cfg = NULL;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_config_load(PIKE_SOURCE_ROOT "/hw_configs/edge.yaml", &cfg, &e), 0, "%s", e.msg);
    int n = replay(PIKE_SOURCE_ROOT "/tests/fuzz/corpus/quant", cfg);
    cr_assert_geq(n, 2, "seed corpus missing");
    n += replay(PIKE_SOURCE_ROOT "/tests/fuzz/regress/quant", cfg);
    n += replay(PIKE_SOURCE_ROOT "/tests/fuzz/corpus/onnx", cfg);
    n += replay(PIKE_SOURCE_ROOT "/tests/data/onnx/bad", cfg);
    cr_assert_gt(n, 10, "only %d inputs replayed", n);
    pk_config_free(cfg);
}
