/* pikesim - exact cycle model, bit-exact functional model, energy and
 * ACE/ACEv2 report of quantized networks on one Pike hardware config.
 *
 *   pikesim --config CFG.yaml --network NET.yaml [--network NET2.yaml ...]
 *           [--json FILE] [--csv FILE] [--html FILE] [--seed N] [--views N]
 *           [--timing-only] [--arch v1|v2] [--acev2-const NAME=VALUE ...]
 *           [--approx] [--input X.npy [--output Y.npy] [--output-float F.npy] [--labels L.npy]]
 *
 * A network may be a .onnx model (imported by core/pk_onnx_import.h; --approx
 * accepts inexact layers).  --input runs real inputs (sim/pk_input.h).
 * Output files are written to a temporary name in the same directory and
 * renamed once everything succeeded, so a failed run leaves no partial file;
 * they get mode 0666 minus the umask, like any file the user creates.
 * --arch v2 (docs/ARCHITECTURE.md, the v2 model) is the default; --arch v1
 * runs the v1 model (docs/ARCHITECTURE_V1.md).
 * Exit status: 0 ok, 2 bad input (one FILE:LINE: FIELD: message), 1 other.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_arch.h"
#include "pk_config.h"
#include "pk_error.h"
#include "pk_input.h"
#include "pk_net.h"
#include "pk_onnx_import.h"
#include "pk_report.h"
#include "pk_sim.h"

#define MAX_NETS 64

static void usage(FILE *f)
{
    fprintf(f, "usage: pikesim --config CFG.yaml --network NET.yaml [--network NET.yaml ...]\n"
               "               [--json FILE] [--csv FILE] [--html FILE] [--seed N] [--views N]\n"
               "               [--timing-only] [--arch v1|v2] [--acev2-const NAME=VALUE ...]\n"
               "               [--approx] [--input X.npy [--output Y.npy] [--output-float F.npy]\n"
               "               [--labels L.npy]]    (NET may be a .onnx model, docs/IMPORT.md)\n"
               "  --arch v2 (default): the v2 model (docs/ARCHITECTURE.md, pk_core2);\n"
               "  --arch v1: the v1 model (docs/ARCHITECTURE_V1.md, pk_core)\n");
}

static int flag_err(pk_error_t *err, const char *flag, const char *msg)
{
    return pk_error_set(err, PK_EINPUT, "pikesim", 0, flag, "%s", msg);
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end)
        return -1;
    *v = x;
    return 0;
}

/* Write via a temporary file in the same directory; *tmp gets its name.
 * mkstemp makes the file 0600; the output is an ordinary file, 0666 & ~umask. */
static FILE *open_tmp(const char *path, const char *flag, char *tmp, size_t len,
                      pk_error_t *err)
{
    snprintf(tmp, len, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        pk_error_set(err, PK_EIO, path, 0, flag, "cannot create a temporary file: %s",
                     strerror(errno));
        return NULL;
    }
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, 0666 & ~um) != 0) {
        close(fd);
        unlink(tmp);
        pk_error_set(err, PK_EIO, path, 0, flag, "cannot set permissions: %s",
                     strerror(errno));
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        pk_error_set(err, PK_EIO, path, 0, flag, "%s", strerror(errno));
    }
    return f;
}

/* An output file: its flag, path (NULL: not asked for), writer (0 or -1)
 * and the temporary it is written to before the final rename. */
typedef struct output {
    const char *flag;
    const char *path;
    int (*write)(FILE *f, pk_sim_result_t *const *r, int n);
    char tmp[4200];
} output_t;

#define N_OUT 3

static int write_json(FILE *f, pk_sim_result_t *const *r, int n)
{
    json_t *j = pk_report_json(r, n);
    int bad = !j || json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0;
    json_decref(j);
    bad |= fputc('\n', f) == EOF;
    return bad ? -1 : 0;
}

static int write_csv(FILE *f, pk_sim_result_t *const *r, int n)
{
    pk_report_csv(f, r, n);
    return ferror(f) ? -1 : 0;
}

/* Every requested output to its temporary, then all renamed into place; on
 * any failure every temporary is removed and no output appears. */
static int write_outputs(output_t *o, int n_out, pk_sim_result_t *const *res, int n,
                         pk_error_t *err)
{
    int rc = 0;
    for (int i = 0; i < n_out && !rc; i++) {
        if (!o[i].path)
            continue;
        FILE *f = open_tmp(o[i].path, o[i].flag, o[i].tmp, sizeof o[i].tmp, err);
        if (!f) {
            o[i].tmp[0] = 0;
            rc = err->code;
            break;
        }
        int bad = o[i].write(f, res, n) != 0;
        bad |= fclose(f) != 0;
        if (bad)
            rc = pk_error_set(err, PK_EIO, o[i].path, 0, o[i].flag, "write failed");
    }
    for (int i = 0; i < n_out && !rc; i++)
        if (o[i].path && rename(o[i].tmp, o[i].path) != 0)
            rc = pk_error_set(err, PK_EIO, o[i].path, 0, o[i].flag, "%s", strerror(errno));
    for (int i = 0; i < n_out && rc; i++)
        if (o[i].path && o[i].tmp[0])
            unlink(o[i].tmp);
    return rc;
}

int main(int argc, char **argv)
{
    const char *cfg_path = NULL;
    const char *nets[MAX_NETS];
    int n_nets = 0;
    pk_sim_opts_t o = { .seed = 1, .views = 1, .timing_only = 0, .arch = 2, .acev2 = NULL };
    pk_metrics_const_t kc;
    pk_metrics_const_default(&kc);
    pk_error_t err;
    pk_error_clear(&err);
    int rc = 0;
    pk_config_t *cfg = NULL;
    pk_net_t *net[MAX_NETS] = { 0 };
    pk_sim_result_t *res[MAX_NETS] = { 0 };
    output_t outs[N_OUT] = { { "--json", NULL, write_json, "" },
                             { "--csv", NULL, write_csv, "" },
                             { "--html", NULL, pk_report_html, "" } };
    pk_input_opts_t in = { 0 };
    pk_onnx_opts_t onnx = { 0, stdout };
    pk_onnx_io_t io[MAX_NETS];
    char tmpdir[MAX_NETS][64] = { { 0 } };

    for (int i = 1; i < argc && !rc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = strcmp(a, "--config") == 0 || strcmp(a, "--network") == 0 ||
                    strcmp(a, "--json") == 0 || strcmp(a, "--csv") == 0 ||
                    strcmp(a, "--html") == 0 ||
                    strcmp(a, "--seed") == 0 || strcmp(a, "--views") == 0 ||
                    strcmp(a, "--acev2-const") == 0 || strcmp(a, "--input") == 0 ||
                    strcmp(a, "--output") == 0 || strcmp(a, "--output-float") == 0 ||
                    strcmp(a, "--labels") == 0 || strcmp(a, "--arch") == 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--timing-only") == 0) {
            o.timing_only = 1;
            continue;
        }
        if (strcmp(a, "--approx") == 0) {
            onnx.approx = 1;
            continue;
        }
        if (!takes) {
            rc = flag_err(&err, a, "unknown option (see --help)");
            break;
        }
        if (!v) {
            rc = flag_err(&err, a, "missing value");
            break;
        }
        i++;
        if (strcmp(a, "--arch") == 0) { /* v2 (default) or v1, docs/SIM.md */
            if (!(o.arch = pk_arch_parse(v)))
                rc = flag_err(&err, a, "must be v1 or v2");
        } else if (strcmp(a, "--config") == 0) {
            cfg_path = v;
        } else if (strcmp(a, "--network") == 0) {
            if (n_nets == MAX_NETS)
                rc = flag_err(&err, a, "too many networks (at most 64)");
            else
                nets[n_nets++] = v;
        } else if (strcmp(a, "--input") == 0) {
            in.input = v;
        } else if (strcmp(a, "--output") == 0) {
            in.output = v;
        } else if (strcmp(a, "--output-float") == 0) {
            in.output_float = v;
        } else if (strcmp(a, "--labels") == 0) {
            in.labels = v;
        } else if (strcmp(a, "--json") == 0) {
            outs[0].path = v;
        } else if (strcmp(a, "--csv") == 0) {
            outs[1].path = v;
        } else if (strcmp(a, "--html") == 0) {
            outs[2].path = v;
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_u64(v, &o.seed))
                rc = flag_err(&err, a, "expected an unsigned integer");
        } else if (strcmp(a, "--views") == 0) {
            uint64_t n;
            if (parse_u64(v, &n) || n < 1 || n > 1000)
                rc = flag_err(&err, a, "expected an integer in [1, 1000]");
            else
                o.views = (int)n;
        } else { /* --acev2-const NAME=VALUE */
            const char *eq = strchr(v, '=');
            char name[128];
            char *end;
            if (!eq || eq == v || (size_t)(eq - v) >= sizeof name) {
                rc = flag_err(&err, a, "expected NAME=VALUE");
                break;
            }
            memcpy(name, v, (size_t)(eq - v));
            name[eq - v] = 0;
            double x = strtod(eq + 1, &end);
            if (*end || end == eq + 1)
                rc = flag_err(&err, a, "VALUE must be a number");
            else
                rc = pk_metrics_const_set(&kc, name, x, &err);
        }
    }
    if (!rc && !cfg_path)
        rc = flag_err(&err, "--config", "missing (a hardware config, e.g. hw_configs/edge.yaml)");
    if (!rc && !n_nets)
        rc = flag_err(&err, "--network", "missing (a network, e.g. networks/resnet18_w4a4.yaml)");
    if (!rc && (in.output || in.output_float || in.labels) && !in.input)
        rc = flag_err(&err, "--input", "missing (--output, --output-float, --labels need it)");
    if (!rc && in.input && n_nets != 1)
        rc = flag_err(&err, "--input", "takes exactly one --network");
    in.arch = o.arch;
    o.acev2 = &kc;
    if (!rc)
        rc = pk_config_load(cfg_path, &cfg, &err);
    for (int k = 0; k < n_nets && !rc; k++)
        rc = pk_onnx_net_load(nets[k], cfg, &onnx, &net[k], &io[k], tmpdir[k], &err);
    in.io = !rc && in.input && tmpdir[0][0] ? &io[0] : NULL;
    for (int k = 0; k < n_nets && !rc; k++)
        rc = pk_sim_run(net[k], cfg, &o, &res[k], &err);
    if (!rc) {
        pk_sim_calibrate(res, n_nets);
        for (int k = 0; k < n_nets; k++)
            pk_report_text(stdout, res[k]);
        if (n_nets > 1)
            pk_report_cross_text(stdout, res, n_nets);
        fflush(stdout);
    }
    if (!rc && in.input)
        rc = pk_input_run(net[0], cfg, &in, stdout, &err);
    if (!rc)
        rc = write_outputs(outs, N_OUT, res, n_nets, &err);
    if (rc) {
        char msg[2048];
        pk_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
    }
    for (int k = 0; k < n_nets; k++) {
        pk_sim_free(res[k]);
        pk_net_free(net[k]);
        pk_onnx_net_cleanup(tmpdir[k]);
    }
    pk_config_free(cfg);
    return rc ? pk_error_exit_status(rc) : 0;
}
