/* test_gen_lint.c - generated RTL is clean under all three tools: for every
 * shipped config and NRANDOM seeded random valid configs, the bundle's
 * Makefile runs verilator --lint-only -Wall (lint), iverilog -g2005
 * (sim-compile) and Yosys elaboration + no-latch assertion +
 * `check -assert` (synth-check).
 *
 * Yosys runs synth_check.ys (elaboration with hierarchy -check, processes
 * and latch inference; then the no-latch assertion and `check -assert`),
 * not the full synth_generic.ys: the full flow's techmapping takes ~80 s
 * CPU even for a 3x8 array, the check 2.5 s on ice40.yaml (10.8 s while it
 * also ran synth's word-level coarse step, which adds nothing to the check).
 *
 * Size policy (runtime budget of the default suite), by PE bits =
 * rows * cols * lanes * slot_bits:
 *   <= SMALL_PE_BITS  every tool at full size (ice40 and the random configs);
 *   <= MID_PE_BITS    lint and synth-check at full size, iverilog on the
 *                     reduced variant (edge: iverilog alone needs minutes);
 *   larger            every tool on the reduced variant (cloud: Verilator
 *                     alone needs minutes).
 * The reduced variant is the same config with rows <= 2, cols = 8,
 * postproc.lanes = gcd(lanes, 8) and the same buffer depths: every parameter
 * but the array size and the post-processing lane count is the shipped one.
 * PIKE_GEN_FULL=1 runs every tool at full size.  PIKE_GEN_SEED=N changes the
 * random seed (printed).  PIKE_GEN_LINT_RANDOM=N (default NRANDOM) runs the
 * first N random configs: the default suite runs 5 (tests/CMakeLists.txt,
 * its time budget); all 20 are the bench of benches/README.md, "Long test
 * runs".
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <jansson.h>

#include "gen/gen_test_util.h"
#include "pk_gen.h"

#define NRANDOM 20
#define SEED_DEFAULT 1455ULL
#define SMALL_PE_BITS 8192
#define MID_PE_BITS 16384

struct lint_case {
    char name[64]; /* shipped file name, or "" for random */
    int idx;       /* random config number */
};

static uint64_t seed(void)
{
    const char *s = getenv("PIKE_GEN_SEED");
    return s && *s ? strtoull(s, NULL, 0) : SEED_DEFAULT;
}

ParameterizedTestParameters(gen_lint, config)
{
    char names[16][64];
    const char *nr = getenv("PIKE_GEN_LINT_RANDOM");
    int nrand = nr && *nr && atoi(nr) >= 0 && atoi(nr) < NRANDOM ? atoi(nr) : NRANDOM;
    size_t ns = gt_shipped(names, 16), n = ns + (size_t)nrand;
    struct lint_case *c = cr_malloc(n * sizeof *c);
    for (size_t i = 0; i < n; i++) {
        memset(&c[i], 0, sizeof c[i]);
        if (i < ns)
            snprintf(c[i].name, sizeof c[i].name, "%s", names[i]);
        c[i].idx = (int)(i < ns ? -1 : (int)(i - ns));
    }
    return cr_make_param_array(struct lint_case, c, n);
}

static int gcd(int a, int b)
{
    while (b) {
        int t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The reduced variant of cfg as a YAML file (JSON flow style is YAML). */
static void write_reduced(const pk_config_t *cfg, const char *path)
{
    json_t *j = NULL;
    cr_assert_eq(pk_config_to_json(cfg, &j), 0);
    json_t *c = json_object_get(j, "config");
    int rows = cfg->array.rows < 2 ? cfg->array.rows : 2, cols = 8;
    json_object_set_new(json_object_get(c, "array"), "rows", json_integer(rows));
    json_object_set_new(json_object_get(c, "array"), "cols", json_integer(cols));
    json_object_set_new(json_object_get(c, "postproc"), "lanes",
                        json_integer(gcd(cfg->postproc.lanes, cols)));
    json_object_set_new(json_object_get(c, "buffers"), "weights",
                        json_integer((json_int_t)cols * cfg->d.word_bytes * cfg->d.wbuf_depth));
    json_object_set_new(json_object_get(c, "buffers"), "activations",
                        json_integer((json_int_t)rows * cfg->d.word_bytes * cfg->d.pbuf_depth));
    char name[80];
    snprintf(name, sizeof name, "%s-reduced", cfg->name);
    json_object_set_new(c, "name", json_string(name));
    /* empty strings mean "not given" */
    json_t *f = json_object_get(c, "fpga");
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(f, tmp, k, v) if (json_is_string(v) && !*json_string_value(v))
        json_object_del(f, k);
    cr_assert_eq(json_dump_file(c, path, JSON_SORT_KEYS | JSON_INDENT(1)), 0);
    json_decref(j);
}

static pk_config_t *load(const char *path)
{
    pk_config_t *cfg = NULL;
    pk_error_t err = {0};
    char msg[2048];
    int rc = pk_config_load(path, &cfg, &err);
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, 0, "%s", msg);
    return cfg;
}

static void gen(const pk_config_t *cfg, const char *dir)
{
    pk_bundle_t *b = NULL;
    pk_error_t err = {0};
    char msg[2048];
    int rc = pk_gen_bundle(cfg, gt_templates(), &b, &err);
    if (!rc)
        rc = pk_bundle_write(b, dir, 0, &err);
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, 0, "%s: %s", cfg->name, msg);
    pk_bundle_free(b);
}

static void make(const char *dir, const char *targets, const char *what)
{
    char cmd[1200], log[700];
    snprintf(cmd, sizeof cmd, "make -s -C '%s' %s", dir, targets);
    snprintf(log, sizeof log, "%s/make-%s.log", dir, what);
    int rc = gt_run(cmd, log);
    if (rc) {
        char *t = gt_read(log, NULL);
        cr_assert_fail("%s: make %s failed (exit %d); bundle kept in %s\n%s", what, targets, rc,
                       dir, t ? gt_tail(t, 30) : "(no log)");
    }
    /* Yosys also logs latch inference; the script asserts none, this makes
     * the message explicit. */
    snprintf(log, sizeof log, "%s/build/synth_check.log", dir);
    char *y = gt_read(log, NULL);
    if (y) {
        cr_assert(!strstr(y, "Latch inferred"), "%s: Yosys inferred a latch (%s)", what, log);
        free(y);
    }
}

ParameterizedTest(struct lint_case *c, gen_lint, config, .timeout = 900)
{
    char tmp[512], yaml[700], dir[700];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genlint"));
    pk_config_t *cfg;
    if (c->name[0]) {
        char path[512];
        snprintf(path, sizeof path, "%s/hw_configs/%s", PIKE_SOURCE_ROOT, c->name);
        cfg = load(path);
    } else {
        char text[4096];
        gt_random_config(seed(), c->idx, text, sizeof text);
        snprintf(yaml, sizeof yaml, "%s/rand%02d.yaml", tmp, c->idx);
        cr_assert_eq(gt_write(yaml, text), 0);
        cfg = load(yaml);
        cr_log_info("random config %d of seed %llu (PIKE_GEN_SEED): %dx%dx%d W%X A%X acc %d",
                    c->idx, (unsigned long long)seed(), cfg->array.rows, cfg->array.cols,
                    cfg->array.lanes, cfg->d.width_mask_w, cfg->d.width_mask_a,
                    cfg->precision.acc_bits);
    }
    long pe_bits = (long)cfg->array.rows * cfg->array.cols * cfg->array.lanes * cfg->d.slot_bits;
    const char *full = getenv("PIKE_GEN_FULL");
    snprintf(dir, sizeof dir, "%s/full", tmp);
    gen(cfg, dir);
    if (pe_bits <= SMALL_PE_BITS || (full && *full == '1')) {
        make(dir, "lint sim-compile synth-check", cfg->name);
    } else {
        if (pe_bits <= MID_PE_BITS)
            make(dir, "lint synth-check", cfg->name);
        snprintf(yaml, sizeof yaml, "%s/reduced.yaml", tmp);
        write_reduced(cfg, yaml);
        pk_config_t *red = load(yaml);
        snprintf(dir, sizeof dir, "%s/reduced", tmp);
        gen(red, dir);
        make(dir, pe_bits <= MID_PE_BITS ? "sim-compile" : "lint sim-compile synth-check",
             red->name);
        cr_log_info("%s (%ld PE bits): %s at full size; %s on %s (%dx%d, PL %d)", cfg->name,
                    pe_bits, pe_bits <= MID_PE_BITS ? "lint, synth-check" : "nothing",
                    pe_bits <= MID_PE_BITS ? "sim-compile" : "lint, sim-compile, synth-check",
                    red->name, red->array.rows, red->array.cols, red->postproc.lanes);
        pk_config_free(red);
    }
    pk_config_free(cfg);
    gt_rm_tree(tmp);
}
