/* test_check_cli.c - the pikecheck command line: usage errors and bad input
 * exit 2 with one message line (before any model is built), and a passing
 * run exits 0 with the per-layer table and the verdict, and its --json
 * report says the same.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_cli_util.h"

#define DATA PIKE_SOURCE_ROOT "/tests/data/check"

/* pikecheck args; stdout and stderr into *out (static buffer). */
static int run(const char *args, char **out)
{
    return pk_test_pikecheck(args, out);
}

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

Test(check_cli, usage_errors)
{
    char *o;
    cr_assert_eq(run("", &o), 2);
    cr_assert(strstr(o, "--config and --network are required"), "%s", o);
    cr_assert_eq(run("--config " DATA "/tiny.yaml --network", &o), 2);
    cr_assert(strstr(o, "--network: unknown option or missing value"), "%s", o);
    cr_assert_eq(run("--config " DATA "/tiny.yaml --network " DATA "/net_small.yaml --seed x",
                     &o),
                 2);
    cr_assert(strstr(o, "--seed"), "%s", o);
    cr_assert_eq(run("--config " DATA "/tiny.yaml --network " DATA "/net_small.yaml --layers 0",
                     &o),
                 2);
    cr_assert_eq(run("--help", &o), 0);
    cr_assert(strstr(o, "usage: pikecheck"), "%s", o);
}

Test(check_cli, bad_input_one_line)
{
    char *o;
    /* more layers than the network has: rejected before any build */
    cr_assert_eq(run("--config " DATA "/tiny.yaml --network " DATA "/net_small.yaml --layers 11",
                     &o),
                 2);
    cr_assert_eq(lines(o), 1, "%s", o);
    cr_assert(strstr(o, "pikecheck: --layers: 11 is out of range: the network has 10 hardware "
                        "layers"),
              "%s", o);
    /* a config that does not load: FILE:LINE: FIELD: message */
    cr_assert_eq(run("--config " PIKE_SOURCE_ROOT "/tests/data/config/bad_clock.yaml --network " DATA
                     "/net_small.yaml",
                     &o),
                 2);
    cr_assert_eq(lines(o), 1, "%s", o);
    cr_assert(strstr(o, "bad_clock.yaml:"), "%s", o);
    /* a network the config cannot run (16-channel binary input needs mode 1,
     * which ice40.yaml lacks) */
    cr_assert_eq(run("--config " PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml --network " DATA
                     "/layers/binary.yaml",
                     &o),
                 2);
    cr_assert_eq(lines(o), 1, "%s", o);
    cr_assert(strstr(o, "binary.yaml:"), "%s", o);
}

Test(check_cli, pass_exits_0_with_table, .timeout = 600)
{
    char *o;
    char js[] = "/tmp/pike_check_cli_XXXXXX";
    int fd = mkstemp(js);
    cr_assert(fd >= 0);
    close(fd);
    char args[1024];
    snprintf(args, sizeof args,
             "--arch v1 --config " DATA "/tiny.yaml --network " DATA
             "/layers/residual.yaml --seed 3 --json %s",
             js);
    int st = run(args, &o);
    cr_assert_eq(st, 0, "%s", o);

    json_error_t je;
    json_t *j = json_load_file(js, 0, &je);
    unlink(js);
    cr_assert(j, "--json: %s", je.text);
    cr_assert(json_is_true(json_object_get(j, "pass")));
    cr_assert_eq(json_integer_value(json_object_get(j, "seed")), 3);
    cr_assert_eq(json_integer_value(json_object_get(j, "layers_checked")), 2);
    json_t *rtl = json_object_get(j, "rtl"), *sim = json_object_get(j, "pikesim");
    json_int_t rc = json_integer_value(json_object_get(rtl, "one_start_cycles"));
    cr_assert_gt(rc, 0);
    cr_assert_eq(rc, json_integer_value(json_object_get(sim, "one_start_cycles")));
    cr_assert_gt(json_real_value(json_object_get(rtl, "one_start_s")), 0.0);
    cr_assert_gt(json_real_value(json_object_get(sim, "full_s")), 0.0);
    json_t *ls = json_object_get(j, "layers");
    cr_assert_eq(json_array_size(ls), 2);
    json_int_t sum = 0;
    for (size_t i = 0; i < 2; i++) {
        json_t *L = json_array_get(ls, i);
        json_int_t c = json_integer_value(json_object_get(L, "rtl_cycles"));
        cr_assert_eq(c, json_integer_value(json_object_get(L, "model_cycles")));
        sum += c;
    }
    cr_assert_eq(sum, json_integer_value(json_object_get(rtl, "per_layer_cycles_sum")));
    json_t *cnt = json_object_get(rtl, "one_start_counters");
    cr_assert_eq(json_integer_value(json_object_get(cnt, "cycles")), rc);
    cr_assert(json_equal(cnt, json_object_get(sim, "one_start_counters")));
    /* the table printed on stdout names the same one-start cycle count */
    char want[64];
    snprintf(want, sizeof want, "one start of 2 layers: RTL %lld cycles", (long long)rc);
    cr_assert(strstr(o, want), "%s\n(want '%s')", o, want);
    json_decref(j);
    cr_assert(strstr(o, "pikecheck: config tiny, network residual, seed 3, 2 hardware layers"),
              "%s", o);
    cr_assert(strstr(o, "RTL cycles model cycles"), "%s", o);
    cr_assert(strstr(o, "  1  add "), "%s", o);
    cr_assert(strstr(o, "one start of 2 layers: RTL "), "%s", o);
    cr_assert(strstr(o, "\nPASS: every output element, cycle count and counter is equal\n"), "%s",
              o);
}
