/* pikesweep - design-space exploration over hardware configs x networks
 * (docs/SWEEP.md).
 *
 *   pikesweep --spec SWEEP.yaml --out DIR [-j N] [--quiet] [--synth WHICH] [--arch v1|v2]
 *             [--slurm [--slurm-tasks N] [--slurm-opts "SBATCH OPTIONS"] [--wait]]
 *   (internal, run by the Slurm scripts: --task I/N, --synth-task I/N, --merge)
 *
 * A run: simulate every (point, network) not cached; collect; select the
 * points to synthesize (pk_sweep_synth.h) and synthesize those not cached,
 * in the same worker pool; collect; write the outputs.
 *
 * --arch v2 (docs/ARCHITECTURE.md) is the default, as in every Pike tool;
 * --arch v1 evaluates the v1 model and synthesizes v1 RTL (docs/SWEEP.md).
 *
 * Exit status: 0 ok, 2 bad input (one FILE:LINE: FIELD: message), 1 other.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_arch.h"
#include "pk_error.h"
#include "pk_slurm.h"
#include "pk_sweep_out.h"
#include "pk_sweep_run.h"
#include "pk_sweep_spec.h"
#include "pk_sweep_synth.h"
#include "pk_sweep_util.h"

typedef struct opts {
    const char *spec, *out, *slurm_opts, *synth;
    int arch; /* --arch: 1 or 2 (pk_arch_parse) */
    int jobs, quiet, slurm, slurm_tasks, wait, merge;
    int task, tasks;   /* --task I/N; tasks 0 = not a task */
    int stask, stasks; /* --synth-task I/N (the synthesis array); stasks 0 = not one */
} opts_t;

static void usage(FILE *f)
{
    fprintf(f, "usage: pikesweep --spec SWEEP.yaml --out DIR [-j N] [--quiet] "
               "[--synth none|pareto|all|P,P,...]\n"
               "                 [--arch v1|v2] [--slurm [--slurm-tasks N] "
               "[--slurm-opts \"SBATCH OPTIONS\"] [--wait]]\n"
               "  --arch v2 (default): the v2 model (docs/ARCHITECTURE.md, pk_core2), its area\n"
               "                       model and v2 RTL for --synth;\n"
               "  --arch v1: the v1 model (docs/ARCHITECTURE_V1.md, pk_core), v1 area and RTL\n");
}

static int flag_err(pk_error_t *err, const char *flag, const char *msg)
{
    return pk_error_set(err, PK_EINPUT, "pikesweep", 0, flag, "%s", msg);
}

static int parse_int(const char *s, int lo, int hi, int *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (!*s || *end || errno || x < lo || x > hi)
        return -1;
    *v = (int)x;
    return 0;
}

static int parse_task(const char *s, int *task, int *tasks)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    char *slash = strchr(buf, '/');
    if (!slash)
        return -1;
    *slash = 0;
    if (parse_int(slash + 1, 1, 100000, tasks) || parse_int(buf, 0, *tasks - 1, task))
        return -1;
    return 0;
}

static int parse_args(int argc, char **argv, opts_t *o, pk_error_t *err)
{
    static const struct option lo[] = {
        { "spec", required_argument, 0, 's' },  { "out", required_argument, 0, 'o' },
        { "jobs", required_argument, 0, 'j' },  { "quiet", no_argument, 0, 'q' },
        { "slurm", no_argument, 0, 'S' },       { "slurm-tasks", required_argument, 0, 'T' },
        { "slurm-opts", required_argument, 0, 'O' }, { "wait", no_argument, 0, 'W' },
        { "task", required_argument, 0, 't' },  { "merge", no_argument, 0, 'M' },
        { "synth", required_argument, 0, 'y' }, { "synth-task", required_argument, 0, 'Y' },
        { "arch", required_argument, 0, 'a' },  { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "j:q", lo, NULL)) != -1) {
        switch (c) {
        case 's': o->spec = optarg; break;
        case 'o': o->out = optarg; break;
        case 'j':
            if (parse_int(optarg, 1, 1024, &o->jobs))
                return flag_err(err, "-j", "expected a number of workers in [1, 1024]");
            break;
        case 'q': o->quiet = 1; break;
        case 'S': o->slurm = 1; break;
        case 'T':
            if (parse_int(optarg, 1, 100000, &o->slurm_tasks))
                return flag_err(err, "--slurm-tasks", "expected a number of tasks in [1, 100000]");
            break;
        case 'O': o->slurm_opts = optarg; break;
        case 'W': o->wait = 1; break;
        case 't':
            if (parse_task(optarg, &o->task, &o->tasks))
                return flag_err(err, "--task", "expected I/N with 0 <= I < N");
            break;
        case 'Y':
            if (parse_task(optarg, &o->stask, &o->stasks))
                return flag_err(err, "--synth-task", "expected I/N with 0 <= I < N");
            break;
        case 'y': o->synth = optarg; break;
        case 'a':
            if (!(o->arch = pk_arch_parse(optarg))) {
                char msg[160];
                snprintf(msg, sizeof msg, "'%.100s': must be v1 or v2", optarg);
                return flag_err(err, "--arch", msg);
            }
            break;
        case 'M': o->merge = 1; break;
        case 'h': usage(stdout); exit(0);
        default:
            return flag_err(err, argv[optind - 1], "unknown option or missing value (--help)");
        }
    }
    if (optind < argc)
        return flag_err(err, argv[optind], "unexpected argument");
    if (!o->spec || !o->out)
        return flag_err(err, o->spec ? "--out" : "--spec", "required");
    if (o->slurm + o->merge + (o->tasks > 0) + (o->stasks > 0) > 1)
        return flag_err(err, "--slurm", "--slurm, --task, --synth-task and --merge exclude each other");
    return 0;
}

/* Local run, or one Slurm task's chunk (o->tasks > 0): compute what is missing. */
static int compute(const pk_sweep_t *sw, const opts_t *o, pk_error_t *err)
{
    int64_t *items, n;
    int rc = pk_sweep_missing(sw, &items, &n, err);
    if (rc)
        return rc;
    if (o->tasks > 0) {
        /* the chunk is cut from the FULL work list, which is the same for every
         * task whatever the others have finished; then its cached items drop */
        int64_t total = sw->n_valid * sw->n_nets, lo = total * o->task / o->tasks,
                hi = total * (o->task + 1) / o->tasks, k = 0, pos = 0, p = 0;
        for (int64_t i = 0; i < n; i++) {
            /* pos: position of items[i] in the full list (both are point-major) */
            for (; p < items[i] / sw->n_nets; p++)
                pos += sw->pts[p].cfg ? sw->n_nets : 0;
            int64_t at = pos + items[i] % sw->n_nets;
            if (at >= lo && at < hi)
                items[k++] = items[i];
        }
        n = k;
    }
    if (!o->quiet && o->tasks > 0)
        fprintf(stderr, "pikesweep: task %d/%d: %lld to compute\n", o->task, o->tasks,
                (long long)n);
    else if (!o->quiet)
        fprintf(stderr, "pikesweep: %lld points (%lld valid) x %d networks: %lld to compute, "
                        "%lld cached\n", (long long)sw->n_points, (long long)sw->n_valid,
                sw->n_nets, (long long)n, (long long)(sw->n_valid * sw->n_nets - n));
    rc = pk_sweep_compute(sw, items, n, o->jobs, !o->quiet && isatty(2), err);
    free(items);
    return rc;
}

/* The synthesized points: estimate error and front order, on stdout. */
static void synth_summary(const pk_sweep_t *sw, int64_t n, int64_t computed)
{
    int ng;
    double med, max;
    pk_sweep_synth_stats(sw, &ng, &med, &max);
    printf("pikesweep: synthesis: %lld points (%lld computed now, %lld cached)\n", (long long)n,
           (long long)computed, (long long)(n - computed));
    if (ng)
        printf("pikesweep: area estimate against Yosys generic cells on %d points: |error| median "
               "%.1f%%, max %.1f%%\n", ng, med, max);
    pk_sw_buf_t r = { 0 };
    pk_sweep_synth_reorder(sw, &r);
    if (r.s)
        printf("%s", r.s);
    free(r.s);
}

/* Select, synthesize what is missing (all of it locally, chunk I of N for
 * --synth-task, nothing for --merge), collect. */
static int synth_phase(pk_sweep_t *sw, const opts_t *o, pk_error_t *err)
{
    int64_t *pts = NULL, n = 0, *miss = NULL, nm = 0;
    int rc = pk_sweep_synth_select(sw, &pts, &n, err);
    if (!rc)
        rc = pk_sweep_synth_keys(sw, pts, n, err);
    if (!rc && !o->merge) {
        int64_t lo = o->stasks ? n * o->stask / o->stasks : 0,
                hi = o->stasks ? n * (o->stask + 1) / o->stasks : n;
        rc = pk_sweep_synth_missing(sw, pts + lo, hi - lo, &miss, &nm, err);
        if (!rc && !o->quiet && nm)
            fprintf(stderr, "pikesweep: synthesis: %lld points, %lld to synthesize\n",
                    (long long)(hi - lo), (long long)nm);
        if (!rc)
            rc = pk_sweep_compute_synth(sw, miss, nm, o->jobs, !o->quiet && isatty(2), err);
    }
    if (!rc && !o->stasks)
        rc = pk_sweep_synth_collect(sw, pts, n, err);
    if (!rc && !o->stasks && !o->quiet && n)
        synth_summary(sw, n, nm);
    free(pts);
    free(miss);
    return rc;
}

static int load_spec(const opts_t *o, pk_sweep_spec_t **spec, pk_error_t *err)
{
    char why[200];
    int rc = pk_sweep_spec_load(o->spec, spec, err);
    if (!rc)
        pk_sweep_spec_set_arch(*spec, o->arch);
    if (!rc && o->synth && pk_sweep_spec_set_synth(*spec, o->synth, why, sizeof why))
        rc = flag_err(err, "--synth", why);
    return rc;
}

static int run(const opts_t *o, pk_error_t *err)
{
    pk_sweep_spec_t *spec = NULL;
    pk_sweep_t *sw = NULL;
    int rc = load_spec(o, &spec, err);
    if (!rc)
        rc = pk_sweep_prepare(spec, o->out, &sw, err);
    /* only once the spec, its base and its networks are known good */
    if (!rc && pk_sw_mkdirs(o->out))
        rc = pk_error_set(err, PK_EIO, o->out, 0, "--out", "cannot create: %s", strerror(errno));
    if (!rc && !o->merge && !o->stasks)
        rc = compute(sw, o, err);
    if (!rc && o->tasks == 0)
        rc = pk_sweep_collect(sw, err);
    if (!rc && o->tasks == 0)
        rc = synth_phase(sw, o, err);
    if (!rc && o->tasks == 0 && o->stasks == 0)
        rc = pk_sweep_write(sw, err);
    if (!rc && o->tasks == 0 && o->stasks == 0 && !o->quiet)
        printf("pikesweep: arch %s: %lld points, %lld valid, %d networks -> %s/points.csv, "
               "points.json, pareto.csv, skipped.csv\n", pk_arch_name(o->arch), (long long)sw->n_points,
               (long long)sw->n_valid, sw->n_nets, o->out);
    pk_sweep_free(sw);
    pk_sweep_spec_free(spec);
    return rc;
}

/* --slurm: validate the spec here (bad input fails now, not on the cluster),
 * then hand the work to sbatch with absolute paths. */
static int submit(const opts_t *o, pk_error_t *err)
{
    pk_sweep_spec_t *spec = NULL;
    int rc = load_spec(o, &spec, err);
    int synth = !rc && pk_sweep_spec_synth_mode(spec) != PK_SWEEP_SYNTH_NONE;
    pk_sweep_spec_free(spec);
    if (rc)
        return rc;
    char exe[PATH_MAX], spec_abs[PATH_MAX], out_abs[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return pk_error_set(err, PK_EIO, "/proc/self/exe", 0, "--slurm", "%s", strerror(errno));
    exe[n] = 0;
    if (pk_sw_mkdirs(o->out) || !realpath(o->out, out_abs) || !realpath(o->spec, spec_abs))
        return pk_error_set(err, PK_EIO, o->out, 0, "--slurm", "%s", strerror(errno));
    return pk_slurm_submit(exe, spec_abs, out_abs, o->slurm_tasks, o->slurm_opts, o->wait, synth,
                           o->synth, pk_arch_name(o->arch), err);
}

int main(int argc, char **argv)
{
    opts_t o = { .jobs = 0, .slurm_tasks = 4, .arch = PK_ARCH_DEFAULT };
    pk_error_t err;
    pk_error_clear(&err);
    int rc = parse_args(argc, argv, &o, &err);
    if (!rc && o.jobs == 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        o.jobs = nc > 0 ? (int)nc : 1;
    }
    if (!rc)
        rc = o.slurm ? submit(&o, &err) : run(&o, &err);
    if (rc) {
        char msg[2048];
        pk_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        if (rc == PK_EINPUT)
            usage(stderr);
        return pk_error_exit_status(rc);
    }
    return 0;
}
