/* pk_sweep_run.c - enumerate, compute, collect (pk_sweep_run.h).
 *
 * Each point's YAML is written to one scratch file in a private temporary
 * directory and loaded with pk_config_load: the point is validated by the
 * very code that validates any config file.  Workers are forked after the
 * networks and configs are loaded, so they share them copy-on-write and do
 * no parsing; each finished item is announced by one byte on a pipe, which
 * is all the parent needs to draw progress.  A worker that is killed loses
 * at most the item it was computing: every finished item is already in the
 * cache (atomic rename), and a rerun computes only what is missing.
 */
#include "pk_sweep_run.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pk_onnx.h"
#include "pk_onnx_import.h"
#include "pk_sweep_synth.h"
#include "pk_sweep_util.h"

static int net_hash(const char *path, char sha[65], pk_error_t *err)
{
    size_t len;
    char *t = pk_sw_read_file(path, &len);
    if (!t)
        return pk_error_set(err, PK_EINPUT, path, 0, "network", "cannot read: %s",
                            strerror(errno ? errno : EINVAL));
    pk_sw_sha256_hex(t, len, sha);
    free(t);
    return 0;
}

static int load_nets(pk_sweep_t *sw, pk_error_t *err)
{
    int n = pk_sweep_spec_n_networks(sw->spec);
    sw->nets = calloc((size_t)n, sizeof *sw->nets);
    sw->net_names = calloc((size_t)n, sizeof *sw->net_names);
    sw->net_sha = calloc((size_t)n, sizeof *sw->net_sha);
    if (!sw->nets || !sw->net_names || !sw->net_sha)
        return pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "networks", "out of memory");
    sw->n_nets = n;
    for (int i = 0; i < n; i++) {
        const char *path = pk_sweep_spec_network(sw->spec, i);
        int rc = 0;
        if (pk_onnx_is_model(path)) {
            /* parsed here (a file that is no ONNX model is bad input), imported
             * per point (its widths decide whether it imports) */
            pk_onnx_t *m = NULL;
            const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
            rc = pk_onnx_load(path, &m, err);
            pk_onnx_free(m);
            if (!rc)
                sw->net_names[i] = strndup(base, strlen(base) - 5);
        } else if (!(rc = pk_net_load(path, &sw->nets[i], err))) {
            sw->net_names[i] = strdup(sw->nets[i]->name);
        }
        if (!rc && !sw->net_names[i])
            rc = pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "networks", "out of memory");
        if (!rc)
            rc = net_hash(path, sw->net_sha[i], err);
        if (rc)
            return rc;
    }
    return 0;
}

static int skip(pk_sweep_point_t *pt, const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
    if (!(pt->skip_reason = malloc(n)))
        return PK_ENOMEM;
    snprintf(pt->skip_reason, n, fmt, a, b);
    return 0;
}

/* Constraints, then the config itself; fills pt->cfg or pt->skip_reason. */
static int prepare_point(pk_sweep_t *sw, pk_sweep_point_t *pt, const char *scratch, pk_error_t *err)
{
    char why[700];
    int ok = pk_sweep_spec_point_ok(sw->spec, pt->index, why, sizeof why);
    if (ok <= 0)
        return skip(pt, "%s%s", why, "");
    char *yaml = NULL;
    if (pk_sweep_spec_point_yaml(sw->spec, pt->index, &yaml))
        return pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "points", "out of memory");
    int rc = pk_sw_write_atomic(scratch, yaml, strlen(yaml));
    free(yaml);
    if (rc)
        return pk_error_set(err, PK_EIO, scratch, 0, "points", "cannot write: %s", strerror(errno));
    pk_error_t e = { 0 };
    rc = pk_config_load(scratch, &pt->cfg, &e);
    if (rc == PK_EINPUT)
        return skip(pt, "invalid config: %s: %s", e.field, e.msg);
    if (rc) {
        *err = e;
        return rc;
    }
    if (!(pt->keys = calloc((size_t)sw->n_nets, sizeof *pt->keys)) ||
        !(pt->rows = calloc((size_t)sw->n_nets, sizeof *pt->rows)))
        return pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "points", "out of memory");
    for (int n = 0; n < sw->n_nets; n++)
        if (pk_sweep_key(pt->cfg, sw->net_sha[n], pk_sweep_spec_arch(sw->spec), pt->keys[n]))
            return pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "points", "out of memory");
    sw->n_valid++;
    return 0;
}

static int prepare_points(pk_sweep_t *sw, pk_error_t *err)
{
    char tmpl[PATH_MAX], scratch[PATH_MAX + 16];
    if (pk_sw_mkscratch("points", tmpl, sizeof tmpl))
        return pk_error_set(err, PK_EIO, "TMPDIR", 0, "points",
                            "cannot make a scratch directory: %s", strerror(errno));
    snprintf(scratch, sizeof scratch, "%s/point.yaml", tmpl);
    int rc = 0;
    for (int64_t p = 0; p < sw->n_points && !rc; p++) {
        sw->pts[p].index = p;
        rc = prepare_point(sw, &sw->pts[p], scratch, err);
    }
    unlink(scratch);
    rmdir(tmpl);
    return rc == PK_ENOMEM ? pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "points", "out of memory")
                           : rc;
}

int pk_sweep_prepare(const pk_sweep_spec_t *spec, const char *dir, pk_sweep_t **out,
                     pk_error_t *err)
{
    *out = NULL;
    pk_sweep_t *sw = calloc(1, sizeof *sw);
    if (!sw || !(sw->dir = strdup(dir))) {
        free(sw);
        return pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "sweep", "out of memory");
    }
    sw->spec = spec;
    sw->n_points = pk_sweep_spec_n_points(spec);
    sw->pts = calloc((size_t)sw->n_points, sizeof *sw->pts);
    int rc = sw->pts ? load_nets(sw, err)
                     : pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "points", "out of memory");
    if (!rc)
        rc = prepare_points(sw, err);
    if (rc) {
        pk_sweep_free(sw);
        return rc;
    }
    *out = sw;
    return 0;
}

void pk_sweep_free(pk_sweep_t *sw)
{
    if (!sw)
        return;
    for (int64_t p = 0; sw->pts && p < sw->n_points; p++) {
        pk_config_free(sw->pts[p].cfg);
        free(sw->pts[p].skip_reason);
        free(sw->pts[p].keys);
        free(sw->pts[p].rows);
    }
    for (int i = 0; sw->nets && i < sw->n_nets; i++) {
        pk_net_free(sw->nets[i]);
        free(sw->net_names[i]);
    }
    free(sw->nets);
    free(sw->net_names);
    free(sw->net_sha);
    free(sw->pts);
    free(sw->dir);
    free(sw);
}

int pk_sweep_missing(const pk_sweep_t *sw, int64_t **items, int64_t *n, pk_error_t *err)
{
    int64_t cap = sw->n_valid * sw->n_nets, k = 0;
    *items = malloc(sizeof **items * (size_t)(cap ? cap : 1));
    if (!*items)
        return pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "cache", "out of memory");
    for (int64_t p = 0; p < sw->n_points; p++)
        for (int j = 0; sw->pts[p].cfg && j < sw->n_nets; j++) {
            pk_sweep_row_t row;
            if (pk_sweep_cache_get(sw->dir, sw->pts[p].keys[j], &row) != 1)
                (*items)[k++] = p * sw->n_nets + j;
        }
    *n = k;
    return 0;
}

/* ---- workers ----------------------------------------------------------------- */

/* Import ONNX network j for cfg and evaluate it; an import the config
 * cannot take (PK_EINPUT) is the row's error. */
static int eval_onnx(const pk_sweep_t *sw, int j, const pk_config_t *cfg, pk_sweep_row_t *row,
                     pk_error_t *err)
{
    pk_onnx_opts_t opts = { 0 };
    pk_net_t *net = NULL;
    pk_error_t e = { 0 };
    char tmpdir[256] = "";
    int rc = pk_onnx_net_load(pk_sweep_spec_network(sw->spec, j), cfg, &opts, &net, NULL, tmpdir, &e);
    if (rc == PK_EINPUT) {
        memset(row, 0, sizeof *row);  /* no path in it: outputs hold none */
        snprintf(row->error, sizeof row->error, "ONNX import: %.60s: %.160s", e.field, e.msg);
        pk_sweep_row_oneline(row);
        rc = 0;
    } else if (rc) {
        *err = e;
    } else {
        rc = pk_sweep_eval(cfg, net, pk_sweep_spec_arch(sw->spec), row, err);
    }
    pk_net_free(net);
    pk_onnx_net_cleanup(tmpdir);
    return rc;
}

static int compute_item(const pk_sweep_t *sw, int64_t item, pk_error_t *err)
{
    const pk_sweep_point_t *pt = &sw->pts[item / sw->n_nets];
    int net = (int)(item % sw->n_nets);
    pk_sweep_row_t row;
    int rc = sw->nets[net] ? pk_sweep_eval(pt->cfg, sw->nets[net], pk_sweep_spec_arch(sw->spec),
                                           &row, err)
                           : eval_onnx(sw, net, pt->cfg, &row, err);
    if (rc)
        return rc;
    if (pk_sweep_cache_put(sw->dir, pt->keys[net], &row))
        return pk_error_set(err, PK_EIO, sw->dir, 0, "cache", "cannot write a record: %s",
                            strerror(errno));
    return 0;
}

/* Worker w of jobs: items w, w + jobs, ...; one byte to fd per item done.
 * synth: items are point numbers to synthesize. */
static int worker(const pk_sweep_t *sw, const int64_t *items, int64_t count, int w, int jobs, int fd,
                  int synth)
{
    for (int64_t k = w; k < count; k += jobs) {
        pk_error_t err = { 0 };
        if (synth ? pk_sweep_synth_point(sw, items[k], &err) : compute_item(sw, items[k], &err)) {
            char msg[2048];
            pk_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "pikesweep: worker %d: point %lld: %s\n", w,
                    (long long)(synth ? items[k] : sw->pts[items[k] / sw->n_nets].index), msg);
            return 1;
        }
        if (fd >= 0 && write(fd, "x", 1) < 0)
            fd = -1;  /* the parent is gone: keep computing into the cache */
    }
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static void draw_bar(int64_t done, int64_t total, double t0, int final)
{
    int width = 40, fill = total ? (int)(width * done / total) : width;
    double el = now_s() - t0;
    fprintf(stderr, "\rpikesweep [%.*s%*s] %lld/%lld  %.0f s%s", fill,
            "========================================", width - fill, "", (long long)done,
            (long long)total, el, final ? "\n" : "");
    fflush(stderr);
}

/* Read progress bytes until every worker closed its end. */
static void follow(int fd, int64_t total, int progress)
{
    double t0 = now_s(), last = 0;
    int64_t done = 0;
    char buf[256];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        done += n;
        if (progress && now_s() - last > 0.1) {
            draw_bar(done, total, t0, 0);
            last = now_s();
        }
    }
    if (progress)
        draw_bar(done, total, t0, 1);
}

static int pool(const pk_sweep_t *sw, const int64_t *items, int64_t count, int jobs, int progress,
                int synth, pk_error_t *err)
{
    int fds[2];
    if (count == 0)
        return 0;
    if (jobs > count)
        jobs = (int)count;
    if (pipe(fds))
        return pk_error_set(err, PK_EIO, "pikesweep", 0, "workers", "pipe: %s", strerror(errno));
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    int started = 0, failed = 0;
    fflush(NULL);
    for (; pids && started < jobs; started++) {
        pid_t pid = fork();
        if (pid < 0)
            break;
        if (pid == 0) {
            close(fds[0]);
            _exit(worker(sw, items, count, started, jobs, fds[1], synth));
        }
        pids[started] = pid;
    }
    close(fds[1]);
    follow(fds[0], count, progress);
    close(fds[0]);
    for (int i = 0; i < started; i++) {
        int st;
        while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR)
            ;
        failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    }
    free(pids);
    if (started < jobs)
        return pk_error_set(err, PK_EIO, "pikesweep", 0, "workers", "cannot start workers: %s",
                            strerror(errno));
    if (failed)
        return pk_error_set(err, PK_EINTERNAL, "pikesweep", 0, "workers",
                            "%d of %d workers failed (their messages above); finished points are "
                            "cached, a rerun resumes", failed, jobs);
    return 0;
}

int pk_sweep_compute(const pk_sweep_t *sw, const int64_t *items, int64_t count, int jobs,
                     int progress, pk_error_t *err)
{
    return pool(sw, items, count, jobs, progress, 0, err);
}

int pk_sweep_compute_synth(const pk_sweep_t *sw, const int64_t *points, int64_t count, int jobs,
                           int progress, pk_error_t *err)
{
    return pool(sw, points, count, jobs, progress, 1, err);
}

int pk_sweep_collect(pk_sweep_t *sw, pk_error_t *err)
{
    for (int64_t p = 0; p < sw->n_points; p++)
        for (int j = 0; sw->pts[p].cfg && j < sw->n_nets; j++) {
            int rc = pk_sweep_cache_get(sw->dir, sw->pts[p].keys[j], &sw->pts[p].rows[j]);
            if (rc != 1)
                return pk_error_set(err, PK_EIO, sw->dir, 0, "cache",
                                    "point %lld, network %s: record %s (run the sweep again to "
                                    "compute it)", (long long)p, sw->net_names[j],
                                    rc ? "unreadable" : "missing");
        }
    return 0;
}
