/* pikehost - run a network on a programmed board over its serial link.
 *
 *   pikehost --config CFG --network NET (--device TTY [--baud N] | --fd N)
 *            [--arch v1|v2] [--seed N] [--timeout S] [--json FILE] [--quiet]
 *
 * Design: pikesim's library does everything but the run: pk_sim_run compiles
 * the network (the memory image, the model's per-layer counters and its
 * report), pk_func_run gives every output tensor.  The board runs the
 * compiled image (host/pk_host_run.c); its per-layer counters replace the
 * model's in the result, which then goes through pikesim's own report code
 * (sim/pk_report.h: the same text and --json).  Energy, ACE/ACEv2 and the
 * roofline stay the model's (the board measures events, not energy).  Every
 * counter and output tensor is compared with the model: exit 0 when all
 * agree, 1 when the board differs (the first difference is printed), 2 for
 * bad input (flags, files, bytes on the link).
 *
 * --arch v2 (the default): the board is pikegen --arch v2's (pk_board2: pk_core2); the
 * model is pikesim --arch v2's (the v2 image of core/pk_compile_v2, cycles
 * from sim/pk_v2, outputs from sim/pk_v2func).  Each layer is started alone,
 * so its counters are compared with the v2 model of that layer alone
 * (pk_host_v2_model); V2-9's 14 counters come from the board, the derived
 * ones (QN/RES/RQ/ACT_OPS) stay the model's, as in pikesim --arch v2.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "pk_arch.h"
#include "pk_func.h"
#include "pk_host.h"
#include "pk_host_run.h"
#include "pk_onnx_import.h"
#include "pk_report.h"
#include "pk_sim.h"
#include "pk_v2.h"
#include "pk_v2func.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: pikehost --config CFG --network NET (--device TTY [--baud N] | --fd N)\n"
               "                [--arch v1|v2] [--seed N] [--timeout S] [--json FILE] [--quiet]\n"
               "Runs NET on a board programmed with pikegen's bundle for CFG, over its UART\n"
               "(docs/FPGA.md), and prints pikesim's report with the board's counters.\n"
               "--arch v2 (default): a board of pikegen's default (pk_board2: pk_core2);\n"
               "--arch v1: a board of pikegen --arch v1 (pk_board_spi: pk_core).\n");
}

typedef struct args {
    const char *cfg, *net, *device, *json;
    int fd, baud, quiet, arch;
    uint64_t seed;
    double timeout;
} args_t;

static int flag_err(pk_error_t *err, const char *flag, const char *msg)
{
    return pk_error_set(err, PK_EINPUT, "pikehost", 0, flag, "%s", msg);
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, args_t *a, pk_error_t *err)
{
    static const char *const takes[] = {"--config", "--network", "--device", "--baud", "--fd",
                                        "--seed",   "--timeout", "--json", "--arch"};
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "--quiet")) {
            a->quiet = 1;
            continue;
        }
        size_t k = 0;
        while (k < sizeof takes / sizeof takes[0] && strcmp(f, takes[k]))
            k++;
        if (k == sizeof takes / sizeof takes[0])
            return flag_err(err, f, "unknown option (see --help)");
        if (i + 1 >= argc)
            return flag_err(err, f, "missing value");
        const char *v = argv[++i];
        double x;
        switch (k) {
        case 0: a->cfg = v; break;
        case 1: a->net = v; break;
        case 2: a->device = v; break;
        case 3:
            if (parse_num(v, 300, 12e6, &x))
                return flag_err(err, f, "expected a baud rate in [300, 12000000]");
            a->baud = (int)x;
            break;
        case 4:
            if (parse_num(v, 0, 1 << 20, &x) || x != (int)x)
                return flag_err(err, f, "expected an open file descriptor number");
            a->fd = (int)x;
            break;
        case 5:
            if (parse_num(v, 0, 1.8e19, &x) || x != (double)(uint64_t)x)
                return flag_err(err, f, "expected an unsigned integer");
            a->seed = (uint64_t)x;
            break;
        case 6:
            if (parse_num(v, 0.001, 3600, &x))
                return flag_err(err, f, "expected seconds in [0.001, 3600]");
            a->timeout = x;
            break;
        case 7: a->json = v; break;
        default:
            if (!(a->arch = pk_arch_parse(v)))
                return flag_err(err, f, "expected v1 or v2");
            break;
        }
    }
    if (!a->cfg)
        return flag_err(err, "--config", "missing (the config the board was built from)");
    if (!a->net)
        return flag_err(err, "--network", "missing (a network YAML or ONNX model)");
    if (!a->device == (a->fd < 0))
        return flag_err(err, "--device", "give exactly one of --device TTY and --fd N");
    return 0;
}

/* The board's counters into the model's result, per network layer and in
 * total (what the report prints).  v2: the board counts V2-9's 14; the other
 * slots stay the model's (model: each layer alone, as the board ran it). */
static void take_counters(pk_sim_result_t *res, const pk_host_run_t *run,
                          const pk_layer_timing_t *model)
{
    for (int l = 0; l < res->n_layers; l++)
        memset(&res->layers[l].cnt, 0, sizeof res->layers[l].cnt);
    memset(&res->total, 0, sizeof res->total);
    for (int i = 0; i < run->n_layers; i++) {
        pk_counters_t c = run->cnt[i];
        for (int k = 0; run->arch == 2 && k < PK_CNT_COUNT; k++)
            if (!pk_v2_counter_kept(k))
                c.v[k] = model[i].cnt.v[k];
        pk_counters_add(&res->layers[res->hw->layers[i].net_layer].cnt, &c);
        pk_counters_add(&res->total, &c);
    }
}

static int write_json(const char *path, pk_sim_result_t *res, pk_error_t *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    json_t *j = pk_report_json(&res, 1);
    FILE *f = j ? fopen(tmp, "w") : NULL;
    int bad = !f || json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0;
    if (f)
        bad |= fputc('\n', f) == EOF;
    if (f)
        bad |= fclose(f) != 0;
    json_decref(j);
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return pk_error_set(err, PK_EIO, path, 0, "--json", "write failed: %s", strerror(errno));
    }
    return 0;
}

/* The run on the board and the comparison; *diffs = differences found. */
static int board_run(const args_t *a, pk_sim_result_t *res, int64_t *diffs, char *why,
                     size_t wlen, pk_error_t *err)
{
    const pk_hwnet_t *hw = res->hw;
    const pk_net_t *net = res->net;
    int64_t nin = (int64_t)net->in_h * net->in_w * net->in_c;
    uint8_t *in8 = pk_sim_view_input(net, a->seed, 0), *img = NULL, **tensors = NULL;
    uint32_t *in32 = malloc((size_t)nin * sizeof *in32 + 1);
    pk_layer_timing_t *alone = NULL; /* v2: the model of each layer alone */
    const pk_layer_timing_t *model = res->hw_timing;
    pk_host_t *h = NULL;
    pk_host_run_t *run = NULL;
    size_t img_len = 0;
    int rc = !in8 || !in32 ? pk_error_set(err, PK_ENOMEM, "pikehost", 0, "memory",
                                          "out of memory")
                           : 0;
    for (int64_t i = 0; !rc && i < nin; i++)
        in32[i] = in8[i];
    if (!rc && a->arch == 2) {
        if (!(alone = calloc((size_t)hw->n_layers, sizeof *alone)))
            rc = pk_error_set(err, PK_ENOMEM, "pikehost", 0, "memory", "out of memory");
        if (!rc)
            rc = pk_host_v2_model(res->cfg, res->v2img, hw->n_layers, alone, err);
        if (!rc)
            rc = pk_v2img_build(res->v2img, in32, &img, &img_len, err);
        if (!rc)
            rc = pk_v2_func_tensors(hw, res->v2img, in8, &tensors, err);
        model = alone;
    } else {
        if (!rc)
            rc = pk_compile_image(hw, in32, &img, &img_len, err);
        if (!rc)
            rc = pk_func_run(hw, in8, &tensors, err);
    }
    if (!rc)
        rc = a->device ? pk_host_open_tty(a->device, a->baud ? a->baud : res->cfg->fpga.uart_baud,
                                          a->timeout, &h, err)
                       : pk_host_open_fds(a->fd, a->fd, "--fd", a->timeout, &h, err);
    if (!rc)
        rc = a->arch == 2 ? pk_host_run_v2(h, hw, res->v2plan, res->v2img, img, img_len,
                                           hw->n_layers, 1000000, a->quiet ? NULL : stderr,
                                           &run, err)
                          : pk_host_run_net(h, hw, img, img_len, hw->n_layers, 1000000,
                                            a->quiet ? NULL : stderr, &run, err);
    if (!rc) {
        *diffs = pk_host_compare(hw, run, model, tensors, why, wlen);
        take_counters(res, run, model);
        uint64_t sent, got;
        pk_host_traffic(h, &sent, &got);
        if (!a->quiet)
            fprintf(stderr,
                    "pikehost: %d layers on the board; link %llu bytes out, %llu in; load "
                    "%.2f s, run %.2f s (%lld STATUS reads), read-back %.2f s\n",
                    run->n_layers, (unsigned long long)sent, (unsigned long long)got,
                    run->load_s, run->run_s, (long long)run->polls, run->read_s);
    }
    pk_host_run_free(run);
    pk_host_close(h);
    if (tensors)
        pk_func_free(hw, tensors);
    free(alone);
    free(img);
    free(in32);
    free(in8);
    return rc;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        }
    args_t a = {.fd = -1, .seed = 1, .arch = 2}; /* --arch v2 is the default */
    pk_error_t err;
    pk_error_clear(&err);
    pk_config_t *cfg = NULL;
    pk_net_t *net = NULL;
    pk_sim_result_t *res = NULL;
    pk_onnx_opts_t onnx = {0, stderr};
    pk_onnx_io_t io;
    char tmpdir[64] = {0};
    int64_t diffs = 0;
    char why[512] = "";
    int rc = parse_args(argc, argv, &a, &err);
    pk_sim_opts_t so = {.seed = a.seed, .views = 1, .timing_only = 0, .acev2 = NULL,
                        .arch = a.arch};
    if (!rc)
        rc = pk_config_load(a.cfg, &cfg, &err);
    if (!rc)
        rc = pk_onnx_net_load(a.net, cfg, &onnx, &net, &io, tmpdir, &err);
    if (!rc)
        rc = pk_sim_run(net, cfg, &so, &res, &err);
    if (!rc)
        rc = board_run(&a, res, &diffs, why, sizeof why, &err);
    if (!rc) {
        pk_sim_calibrate(&res, 1);
        pk_report_text(stdout, res);
        printf("board (%s): the counters above were read from the board; energy, ACE/ACEv2, the "
               "roofline and the output fingerprint are pikesim's, whose outputs the board's %s\n",
               a.device ? a.device : "--fd", diffs ? "DIFFER FROM" : "equal");
        fflush(stdout);
        if (a.json)
            rc = write_json(a.json, res, &err);
    }
    int status = 0;
    if (rc) {
        char msg[2048];
        pk_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        status = pk_error_exit_status(rc);
    } else if (diffs) {
        fprintf(stderr, "pikehost: the board differs from the model in %lld places; first: %s\n",
                (long long)diffs, why);
        status = 1;
    } else if (!a.quiet) {
        fprintf(stderr, "pikehost: every counter and output of the board equals pikesim's\n");
    }
    pk_sim_free(res);
    pk_net_free(net);
    pk_onnx_net_cleanup(tmpdir);
    pk_config_free(cfg);
    return status;
}
