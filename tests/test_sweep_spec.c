/* test_sweep_spec.c - the sweep spec: the constraint language (values,
 * precedence, errors), ranges and point order, point YAML validated by
 * pk_config_load, and bad specs -> one FILE:LINE: FIELD: message each. */
#include <dirent.h>
#include <stdarg.h>
#include <unistd.h>

#include "fuzz/fuzz_sweep_check.h"

#include "pk_config.h"
#include "pk_expr.h"
#include "pk_sweep_spec.h"
#include "test_sweep_util.h"

static int lookup(void *ctx, const char *key, int64_t *v, const char **why)
{
    (void)ctx;
    if (!strcmp(key, "array.rows"))
        *v = 16;
    else if (!strcmp(key, "array.cols"))
        *v = 32;
    else {
        *why = "unknown here";
        return -1;
    }
    return 0;
}

static int64_t eval(const char *text)
{
    pk_expr_t *e = NULL;
    char msg[256];
    int64_t v = 0;
    cr_assert(pk_expr_parse(text, &e, msg, sizeof msg) == 0, "%s: %s", text, msg);
    cr_assert(pk_expr_eval(e, lookup, NULL, &v, msg, sizeof msg) == 0, "%s: %s", text, msg);
    pk_expr_free(e);
    return v;
}

static void parse_fails(const char *text, const char *want)
{
    pk_expr_t *e = NULL;
    char msg[256] = "";
    cr_assert(pk_expr_parse(text, &e, msg, sizeof msg) != 0, "'%s' parsed", text);
    cr_assert(strstr(msg, want), "'%s': got '%s', want '%s'", text, msg, want);
    cr_assert(e == NULL);
}

static void eval_fails(const char *text, const char *want)
{
    pk_expr_t *e = NULL;
    char msg[256] = "";
    int64_t v;
    cr_assert(pk_expr_parse(text, &e, msg, sizeof msg) == 0, "%s: %s", text, msg);
    cr_assert(pk_expr_eval(e, lookup, NULL, &v, msg, sizeof msg) != 0, "'%s' evaluated", text);
    cr_assert(strstr(msg, want), "'%s': got '%s', want '%s'", text, msg, want);
    pk_expr_free(e);
}

Test(sweep_spec, expr_values_and_precedence)
{
    cr_assert_eq(eval("array.rows * array.cols <= 512"), 1);
    cr_assert_eq(eval("array.rows * array.cols < 512"), 0);
    cr_assert_eq(eval("1 + 2 * 3"), 7);
    cr_assert_eq(eval("(1 + 2) * 3"), 9);
    cr_assert_eq(eval("7 / 2"), 3);
    cr_assert_eq(eval("-7 / 2"), -3);
    cr_assert_eq(eval("7 % 4"), 3);
    cr_assert_eq(eval("10 - 4 - 3"), 3);
    cr_assert_eq(eval("1 < 2 && 3 > 4 || 5 == 5"), 1);
    cr_assert_eq(eval("!(array.rows == 16)"), 0);
    cr_assert_eq(eval("array.rows != 8"), 1);
    cr_assert_eq(eval("min(array.rows, array.cols, 20)"), 16);
    cr_assert_eq(eval("max(3, array.cols)"), 32);
    cr_assert_eq(eval("log2(array.cols)"), 5);
    cr_assert_eq(eval("9223372036854775807 > 0"), 1);
}

Test(sweep_spec, expr_errors)
{
    parse_fails("array.rows *", "column 13: unexpected end");
    parse_fails("array.rows <= 4 4", "unexpected '4'");
    parse_fails("foo(1)", "unknown function 'foo'");
    parse_fails("min(1)", "two or more");
    parse_fails("log2(4, 8)", "one argument");
    parse_fails("(1 + 2", "expected ')'");
    parse_fails("1.5 < 2", "integers only");
    parse_fails("array. < 2", "bad key");
    parse_fails("99999999999999999999", "too large");
    parse_fails("a = 1", "unexpected '='");
    char deep[400];
    memset(deep, '(', 200);
    strcpy(deep + 200, "1");
    memset(deep + 201, ')', 198);
    deep[399] = 0;
    parse_fails(deep, "nested too deeply");
    eval_fails("array.rows / 0", "division by zero");
    eval_fails("array.rows % (array.cols - 32)", "division by zero");
    eval_fails("9223372036854775807 + array.rows", "overflow");
    eval_fails("log2(array.rows + 1)", "not a power of two");
    eval_fails("clock_mhz > 1", "clock_mhz: unknown here");
}

Test(sweep_spec, points_order_values_and_yaml)
{
    pk_sweep_spec_t *s = NULL;
    pk_error_t err = { 0 };
    cr_assert(pk_sweep_spec_load(SWEEP_DATA "/small.yaml", &s, &err) == 0, "%s", err.msg);
    cr_assert_eq(pk_sweep_spec_n_points(s), 9);
    cr_assert_eq(pk_sweep_spec_n_networks(s), 2);
    cr_assert_eq(pk_sweep_spec_n_objectives(s), 3);
    cr_assert_str_eq(pk_sweep_spec_objective(s, 2), "area_cells");
    char label[256], why[512];
    pk_sweep_spec_point_label(s, 0, label, sizeof label);
    cr_assert_str_eq(label, "array.rows=4 array.cols=16");
    pk_sweep_spec_point_label(s, 5, label, sizeof label); /* last axis fastest */
    cr_assert_str_eq(label, "array.rows=8 array.cols=64");
    cr_assert_eq(pk_sweep_spec_point_ok(s, 5, why, sizeof why), 1);
    cr_assert_eq(pk_sweep_spec_point_ok(s, 8, why, sizeof why), 0); /* 16 x 64 */
    cr_assert(strstr(why, "constraints[0] 'array.rows * array.cols <= 512' is false"), "%s", why);

    /* the point's YAML is a config pk_config_load accepts, with the axes' values */
    char *yaml = NULL;
    cr_assert(pk_sweep_spec_point_yaml(s, 5, &yaml) == 0);
    char *d = sw_tmpdir("spec"), path[256];
    snprintf(path, sizeof path, "%s/p.yaml", d);
    FILE *f = fopen(path, "w");
    fputs(yaml, f);
    fclose(f);
    pk_config_t *cfg = NULL;
    cr_assert(pk_config_load(path, &cfg, &err) == 0, "%s: %s\n%s", err.field, err.msg, yaml);
    cr_assert_eq(cfg->array.rows, 8);
    cr_assert_eq(cfg->array.cols, 64);
    cr_assert_eq(cfg->array.lanes, 8);        /* from the base */
    cr_assert_eq(cfg->buffers.weights, 65536);
    pk_config_free(cfg);
    free(yaml);
    sw_rmdir(d);
    pk_sweep_spec_free(s);
}

/* A key the base config does not spell out goes under its section. */
Test(sweep_spec, axis_key_absent_from_base_is_added)
{
    char *d = sw_tmpdir("spec2"), path[256], cfgp[256];
    snprintf(path, sizeof path, "%s/s.yaml", d);
    snprintf(cfgp, sizeof cfgp, "%s/p.yaml", d);
    FILE *f = fopen(path, "w");
    cr_assert_eq(pk_fuzz_sweep_base(d), 0); /* a.yaml: a readable network file */
    fprintf(f, "base: %s/hw_configs/ice40.yaml\nnetworks: [a.yaml]\naxes:\n"
               "  energy.static_pj_per_cycle: [0.5, 2]\n  offchip.latency: {from: 10, to: 30, step: 10}\n",
            PIKE_SOURCE_ROOT);
    fclose(f);
    pk_sweep_spec_t *s = NULL;
    pk_error_t err = { 0 };
    cr_assert(pk_sweep_spec_load(path, &s, &err) == 0, "%s", err.msg);
    cr_assert_eq(pk_sweep_spec_n_points(s), 6);
    char *yaml = NULL;
    cr_assert(pk_sweep_spec_point_yaml(s, 5, &yaml) == 0);
    f = fopen(cfgp, "w");
    fputs(yaml, f);
    fclose(f);
    pk_config_t *cfg = NULL;
    cr_assert(pk_config_load(cfgp, &cfg, &err) == 0, "%s: %s\n%s", err.field, err.msg, yaml);
    cr_assert_float_eq(cfg->energy.static_pj_per_cycle, 2.0, 1e-12);
    cr_assert_eq(cfg->offchip.latency, 30);
    pk_config_free(cfg);
    free(yaml);
    pk_sweep_spec_free(s);
    sw_rmdir(d);
}

/* Bad specs: each gives FILE:LINE: FIELD: message. */
typedef struct bad_case {
    const char *body;  /* after a first line "base: <edge.yaml>" */
    int line;
    const char *field, *msg;
} bad_case_t;

static const bad_case_t BAD[] = {
    { "networks: [a.yaml]\naxes:\n  array.row: [1, 2]\n", 4, "axes.array.row", "unknown config key" },
    { "networks: [a.yaml]\naxes:\n  array.rows: []\n", 4, "axes.array.rows", "non-empty list" },
    { "networks: [a.yaml]\naxes:\n  array.rows: {from: 8, to: 4, step: 1}\n", 4, "axes.array.rows",
      "empty or endless" },
    { "networks: [a.yaml]\naxes:\n  array.rows: {from: 1, to: 4}\n", 4, "axes.array.rows",
      "exactly one of step" },
    { "networks: [a.yaml]\naxes:\n  array.rows: {from: 1, to: 4, by: 2}\n", 4, "axes.array.rows",
      "unknown range key 'by'" },
    { "networks: [a.yaml]\naxes:\n  array.rows: {from: x, to: 4, step: 1}\n", 4,
      "axes.array.rows.from", "'x' is not a number" },
    { "networks: [a.yaml]\naxes:\n  array.rows: [1, {a: 2}]\n", 4, "axes.array.rows",
      "not a mapping" },
    { "networks: [a.yaml]\naxes:\n  array.rows: [1]\n  array.rows: [2]\n", 5, "axes.array.rows",
      "given twice" },
    { "networks: [a.yaml]\nconstraints: [\"array.rows * \"]\n", 3, "constraints[0]",
      "unexpected end" },
    { "networks: [a.yaml]\nconstraints: [\"array.rowz < 2\"]\n", 3, "constraints[0]",
      "unknown config key 'array.rowz'" },
    { "networks: [a.yaml]\nobjectives: [latency_us, speed]\n", 3, "objectives[1]",
      "unknown objective 'speed'" },
    { "networks: [a.yaml]\nobjectives: [latency_us]\n", 3, "objectives",
      "at least two objectives" },
    { "networks: []\n", 2, "networks", "non-empty list" },
    { "networks: [a.yaml, nope.yaml]\n", 2, "networks[1]", "cannot read" },
    { "networks: [a.yaml]\nsweep: 1\n", 3, "sweep", "unknown key" },
    { "axes: {}\n", 1, "networks", "missing" },
    { "networks: [a.yaml]\naxes: [1, 2]\n", 3, "axes", "expected a mapping" },
    { "networks: [a.yaml]\naxes:\n  array.rows: [1\n", 5, "syntax", "" },
};

Test(sweep_spec, bad_specs_name_file_line_field)
{
    char *d = sw_tmpdir("bad"), path[256];
    cr_assert_eq(pk_fuzz_sweep_base(d), 0); /* a.yaml: a readable network file */
    snprintf(path, sizeof path, "%s/s.yaml", d);
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        FILE *f = fopen(path, "w");
        fprintf(f, "base: %s/hw_configs/edge.yaml\n%s", PIKE_SOURCE_ROOT, BAD[i].body);
        fclose(f);
        pk_sweep_spec_t *s = NULL;
        pk_error_t err = { 0 };
        int rc = pk_sweep_spec_load(path, &s, &err);
        cr_assert_eq(rc, PK_EINPUT, "case %zu: rc %d", i, rc);
        cr_assert(s == NULL);
        cr_assert_str_eq(err.file, path, "case %zu", i);
        cr_expect_eq(err.line, BAD[i].line, "case %zu: line %d, want %d (%s)", i, err.line,
                     BAD[i].line, err.msg);
        cr_expect_str_eq(err.field, BAD[i].field, "case %zu (%s)", i, err.msg);
        cr_expect(strstr(err.msg, BAD[i].msg), "case %zu: '%s' lacks '%s'", i, err.msg, BAD[i].msg);
    }
    sw_rmdir(d);
}

/* A base config that is itself invalid: its own message, naming the base file. */
Test(sweep_spec, bad_base_config_reported_by_the_config_loader)
{
    char *d = sw_tmpdir("base"), path[256];
    snprintf(path, sizeof path, "%s/s.yaml", d);
    FILE *f = fopen(path, "w");
    fprintf(f, "base: %s/tests/data/sweep/small.yaml\nnetworks: [a.yaml]\n", PIKE_SOURCE_ROOT);
    fclose(f);
    pk_sweep_spec_t *s = NULL;
    pk_error_t err = { 0 };
    cr_assert_eq(pk_sweep_spec_load(path, &s, &err), PK_EINPUT);
    cr_assert(strstr(err.file, "small.yaml"), "%s", err.file);
    sw_rmdir(d);
}

/* The fuzz harness's property (tests/fuzz/fuzz_sweep_check.h) on its seed
 * corpus and on every input it ever failed on. */
Test(sweep_spec, fuzz_corpus_and_regressions)
{
    char *d = sw_tmpdir("fuzz");
    cr_assert_eq(pk_fuzz_sweep_base(d), 0);
    static const char *const sets[] = { "corpus", "regress" };
    int n = 0, ok = 0;
    for (int k = 0; k < 2; k++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/sweep", PIKE_SOURCE_ROOT, sets[k]);
        DIR *dd = opendir(dir);
        struct dirent *e;
        while (dd && (e = readdir(dd))) {
            if (e->d_name[0] == '.')
                continue;
            char *text = sw_slurp("%s/%s", dir, e->d_name), path[256];
            cr_assert(text);
            snprintf(path, sizeof path, "%s/sweep.yaml", d);
            FILE *f = fopen(path, "w");
            fputs(text, f);
            fclose(f);
            free(text);
            cr_expect_eq(pk_fuzz_sweep_check(path), 0, "%s/%s", dir, e->d_name);
            pk_sweep_spec_t *s = NULL;
            pk_error_t err = { 0 };
            ok += pk_sweep_spec_load(path, &s, &err) == 0;
            pk_sweep_spec_free(s);
            n++;
        }
        if (dd)
            closedir(dd);
    }
    cr_expect_geq(n, 4, "the seed corpus is there");
    cr_expect_geq(ok, 3, "the good seeds load");
    sw_rmdir(d);
}
