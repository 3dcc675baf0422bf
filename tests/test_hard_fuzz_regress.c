/* test_hard_fuzz_regress.c - replays the fuzzing seed corpus and every input
 * the fuzzers ever crashed on (tests/fuzz/corpus/, tests/fuzz/regress/)
 * through the same checks as the harnesses (tests/fuzz/fuzz_config.c,
 * fuzz_net.c, fuzz_onnx.c, fuzz_v2img.c), in-process: each load returns 0 or PK_EINPUT with a message,
 * an accepted network is compiled onto edge.yaml and timed.  In the sanitizer
 * build LSan is asked for leaks at the end of each case, so a leak fails
 * here inside Criterion too.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>

#include "pk_compile.h"
#include "pk_config.h"
#include "pk_net.h"
#include "pk_onnx_import.h"
#include "pk_timing.h"
#include "pk_v2func.h"
#include "test_hard_util.h"

#if HARD_ASAN
#include <sanitizer/lsan_interface.h>
#endif

static void leak_check(void)
{
#if HARD_ASAN
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "LeakSanitizer found leaks (see above)");
#endif
}

typedef int (*one_fn)(const char *path, char *why, size_t len);

static int one_config(const char *path, char *why, size_t len)
{
    pk_config_t *cfg = NULL;
    pk_error_t err = {0};
    int rc = pk_config_load(path, &cfg, &err);
    if (rc == 0) {
        json_t *j = NULL;
        if (pk_config_to_json(cfg, &j) == 0)
            json_decref(j);
        pk_config_free(cfg);
        return 1;
    }
    if (cfg || rc != PK_EINPUT || !err.file[0] || !err.msg[0])
        snprintf(why, len, "rc %d, message '%s'", rc, err.msg);
    return 0;
}

static pk_config_t *edge;

static int one_net(const char *path, char *why, size_t len)
{
    pk_net_t *net = NULL;
    pk_error_t err = {0};
    int rc = pk_net_load(path, &net, &err);
    if (rc) {
        if (net || rc != PK_EINPUT || !err.file[0] || !err.msg[0])
            snprintf(why, len, "rc %d, message '%s'", rc, err.msg);
        return 0;
    }
    pk_hwnet_t *hw = NULL;
    pk_error_t cerr = {0};
    rc = pk_compile(net, edge, 0, &hw, &cerr);
    if (rc == 0) {
        pk_layer_timing_t *per = calloc((size_t)hw->n_layers + 1, sizeof *per);
        pk_counters_t tot;
        pk_timing_run(hw, per, &tot);
        free(per);
        pk_hwnet_free(hw);
    } else if (rc != PK_EINPUT || hw) {
        snprintf(why, len, "compile rc %d, message '%s'", rc, cerr.msg);
    }
    pk_net_free(net);
    return 1;
}

/* As tests/fuzz/fuzz_onnx.c: import with approx onto edge.yaml, load, compile. */
static int one_onnx(const char *path, char *why, size_t len)
{
    pk_onnx_opts_t o = { 1, NULL };
    pk_net_t *net = NULL;
    pk_error_t err = {0};
    char tmp[64];
    int rc = pk_onnx_net_load(path, edge, &o, &net, NULL, tmp, &err);
    if (rc) {
        if (net || rc != PK_EINPUT || !err.file[0] || !err.msg[0])
            snprintf(why, len, "rc %d, message '%s'", rc, err.msg);
        return 0;
    }
    pk_hwnet_t *hw = NULL;
    pk_error_t cerr = {0};
    rc = pk_compile(net, edge, 0, &hw, &cerr);
    if (rc == 0)
        pk_hwnet_free(hw);
    else if (rc != PK_EINPUT || hw)
        snprintf(why, len, "compile rc %d, message '%s'", rc, cerr.msg);
    pk_net_free(net);
    pk_onnx_net_cleanup(tmp);
    return 1;
}

static void replay(const char *kind, one_fn fn, int *n_files, int *n_ok)
{
    static const char *dirs[] = {"corpus", "regress"};
    for (size_t d = 0; d < 2; d++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", PIKE_SOURCE_ROOT, dirs[d], kind);
        struct dirent **ents;
        int n = scandir(dir, &ents, NULL, alphasort);
        cr_assert_geq(n, 0, "cannot read %s", dir);
        for (int i = 0; i < n; i++) {
            if (ents[i]->d_name[0] != '.') {
                char path[8192], why[1200] = "";
                snprintf(path, sizeof path, "%s/%s", dir, ents[i]->d_name);
                *n_ok += fn(path, why, sizeof why);
                cr_expect_eq(why[0], 0, "%s: %s", path, why);
                (*n_files)++;
            }
            free(ents[i]);
        }
        free(ents);
    }
}

Test(fuzz_regress, config)
{
    int n = 0, ok = 0;
    replay("config", one_config, &n, &ok);
    cr_log_info("config: %d files, %d accepted", n, ok);
    cr_expect_geq(n, 40, "the seed corpus is there");
    cr_expect_geq(ok, 3, "the shipped configs in the corpus load");
    leak_check();
}

/* Replay `kind` with the shipped edge config loaded (networks are compiled on it). */
static void replay_on_edge(const char *kind, one_fn fn, int min_files, int min_ok)
{
    pk_error_t e = {0};
    cr_assert_eq(pk_config_load(PIKE_SOURCE_ROOT "/hw_configs/edge.yaml", &edge, &e), 0, "%s",
                 e.msg);
    int n = 0, ok = 0;
    replay(kind, fn, &n, &ok);
    pk_config_free(edge);
    edge = NULL;
    cr_log_info("%s: %d files, %d accepted", kind, n, ok);
    cr_expect_geq(n, min_files, "the seed corpus is there");
    cr_expect_geq(ok, min_ok, "the shipped networks / test models in the corpus load");
    leak_check();
}

Test(fuzz_regress, network)
{
    replay_on_edge("net", one_net, 35, 6);
}

Test(fuzz_regress, onnx)
{
    replay_on_edge("onnx", one_onnx, 15, 5);
}

/* fuzz_v2img's check: byte 0 the descriptor count, the rest the image;
 * pk_v2_func_run returns 0, or PK_EINPUT / PK_ENOMEM with a message. */
static int one_v2img(const char *path, char *why, size_t len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            uint8_t *b = realloc(buf, cap);
            cr_assert(b);
            buf = b;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    fclose(f);
    pk_error_t err = {0};
    int rc = n ? pk_v2_func_run(edge, buf[0], buf + 1, n - 1, &err) : 0;
    if (rc && ((rc != PK_EINPUT && rc != PK_ENOMEM) || !err.msg[0]))
        snprintf(why, len, "pk_v2_func_run rc %d, message '%s'", rc, err.msg);
    free(buf);
    return rc == 0;
}

Test(fuzz_regress, v2img)
{
    replay_on_edge("v2img", one_v2img, 8, 2);
}
