/* pikecheck - the generated RTL under Verilator == pikesim, on every output
 * bit, every cycle count and every event counter (check/pk_check.h).
 *
 *   pikecheck --config FILE --network FILE [--layers N] [--seed N] [--approx] [--arch v1|v2]
 *             [--input X.npy [--labels L.npy] [--count N]]
 *   (FILE may be a .onnx model: imported first, docs/IMPORT.md)
 *             [--trace FILE.fst] [--json FILE]
 *
 * --arch defaults to v2 (pk_core2 against the v2 model); --arch v1: pk_core.
 * Exit status: 0 when every difference is zero, 1 on a mismatch or a tool
 * failure, 2 for bad input (one FILE:LINE: FIELD: message).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_arch.h"
#include "pk_check.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: pikecheck --config FILE --network FILE [--layers N] [--seed N]\n"
               "                 [--trace FILE.fst] [--json FILE] [--approx] [--arch v1|v2]\n"
               "                 [--input X.npy [--labels L.npy] [--count N]]\n"
               "  --network F  a network YAML, or a .onnx model (imported; docs/IMPORT.md)\n"
               "  --approx     .onnx: accept layers the config cannot make exact\n"
               "  --arch A     v2 (default): pk_core2 (pikegen --arch v2) against pikesim\n"
               "               --arch v2; layers pk_core2 does not build are refused (exit 2,\n"
               "               naming the layer and the reason); v1: pk_core against pikesim\n"
               "               --arch v1\n"
               "  --layers N   check only the first N hardware layers (default: all)\n"
               "  --seed N     network input seed (default 1; pikesim's view-0 input)\n"
               "  --input X    real input(s) instead of the seeded one, as pikesim --input: codes,\n"
               "               or float32 through the .onnx model's input quantizer; a batch\n"
               "               (N, h, w, c) runs image by image (one line each)\n"
               "  --labels L   N integer labels: top-1 of the checked images\n"
               "  --count N    check only the first N images of the batch\n"
               "  --trace F    write an FST waveform of the whole RTL session\n"
               "  --json F     also write the result as JSON: verdict, cycles of both sides\n"
               "               per layer and for the one-start run, all its event counters, and the\n"
               "               wall time of each side measured separately (RTL: each\n"
               "               Verilator run alone, model build excluded; pikesim: in-process\n"
               "               mean of pk_timing+pk_func and of pk_timing alone, all layers)\n"
               "Verilator models are cached in $PIKE_CACHE_DIR (default ~/.cache/pike).\n");
}

static int parse_u64(const char *s, unsigned long long *v)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return errno || *end ? -1 : 0;
}

/* Print err's one line; the exit status for rc. */
static int fail(const pk_error_t *err, int rc)
{
    char msg[2048];
    pk_error_format(err, msg, sizeof msg);
    fprintf(stderr, "%s\n", msg);
    return pk_error_exit_status(rc);
}

int main(int argc, char **argv)
{
    pk_check_opts_t o;
    memset(&o, 0, sizeof o);
    o.seed = 1;
    o.arch = 2; /* --arch v2 is the default */
    o.log = stderr;
    pk_error_t err;
    pk_error_clear(&err);
    const char *json_path = NULL;
    pk_check_inputs_t in = { 0 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long x;
        if (!strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--config") && v) {
            o.config_path = v;
            i++;
        } else if (!strcmp(a, "--network") && v) {
            o.network_path = v;
            i++;
        } else if (!strcmp(a, "--approx")) {
            o.approx = 1;
        } else if (!strcmp(a, "--arch") && v) {
            if (!(o.arch = pk_arch_parse(v))) {
                fprintf(stderr, "pikecheck: --arch: '%s' must be v1 or v2\n", v);
                return 2;
            }
            i++;
        } else if ((!strcmp(a, "--input") || !strcmp(a, "--labels")) && v) {
            *(a[2] == 'i' ? &in.input : &in.labels) = v;
            i++;
        } else if (!strcmp(a, "--count") && v) {
            if (parse_u64(v, &x) || x < 1) {
                fprintf(stderr, "pikecheck: --count: '%s' is not a positive integer\n", v);
                return 2;
            }
            in.count = (int64_t)x;
            i++;
        } else if (!strcmp(a, "--trace") && v) {
            o.trace_path = v;
            i++;
        } else if (!strcmp(a, "--json") && v) {
            json_path = v;
            i++;
        } else if (!strcmp(a, "--seed") && v) {
            if (parse_u64(v, &x)) {
                fprintf(stderr, "pikecheck: --seed: '%s' is not an unsigned integer\n", v);
                return 2;
            }
            o.seed = x;
            i++;
        } else if (!strcmp(a, "--layers") && v) {
            if (parse_u64(v, &x) || x < 1 || x > 1000000) {
                fprintf(stderr, "pikecheck: --layers: '%s' is not an integer in [1, 1000000]\n",
                        v);
                return 2;
            }
            o.layers = (int)x;
            i++;
        } else {
            fprintf(stderr, "pikecheck: %s: unknown option or missing value\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!o.config_path || !o.network_path) {
        fprintf(stderr, "pikecheck: --config and --network are required\n");
        usage(stderr);
        return 2;
    }
    if ((in.labels || in.count) && !in.input) {
        fprintf(stderr, "pikecheck: --labels and --count need --input\n");
        return 2;
    }
    int rc, pass;
    if (in.input) {
        in.json_path = json_path;
        if ((rc = pk_check_inputs(&o, &in, stdout, &pass, &err)))
            return fail(&err, rc);
        return pass ? 0 : 1;
    }
    pk_check_result_t *r = NULL;
    rc = pk_check_run(&o, &r, &err);
    if (rc)
        return fail(&err, rc);
    pk_check_report(stdout, r);
    if (json_path && (rc = pk_check_write_json(json_path, r, &err))) {
        pk_check_free(r);
        fail(&err, rc);
        return 1;
    }
    pass = r->pass;
    pk_check_free(r);
    return pass ? 0 : 1;
}
