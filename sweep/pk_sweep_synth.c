/* pk_sweep_synth.c - Yosys synthesis of selected sweep points
 * (pk_sweep_synth.h).
 *
 * Why the bundle and not a config hash addresses a result: the cells come
 * from the RTL, so a change of the templates or of pikegen must miss the
 * cache, and two configs that generate the same RTL (e.g. differing only in
 * energy figures) share one synthesis.  The files Yosys reads (rtl/ and the
 * flow's synth_FLOW.ys) are hashed into the key (path + SHA-256 of the bytes
 * after the file's leading comment block: pikegen's header names the config
 * file and its SHA-256, and comments make no cells), with `yosys -V`.
 *
 * A synthesis runs in a private scratch directory (the bundle written by
 * pk_bundle_write, Yosys started in it with fork/exec, its output to
 * build/yosys.log there), removed afterwards; only the record (flow, cells,
 * or the last line Yosys printed when it failed) is kept, renamed into the
 * cache like every other record, so a killed sweep keeps every finished
 * synthesis and loses at most those in flight.
 */
#include "pk_sweep_synth.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk_area.h"
#include "pk_gen.h"
#include "pk_sweep_out.h"

static const char *yosys_bin(void) { return getenv("YOSYS") ? getenv("YOSYS") : "yosys"; }

static const char *flow_of(const pk_config_t *cfg) { return pk_fpga_family_name(cfg->fpga.family); }

/* ---- selection ------------------------------------------------------------- */

static int mark_front(pk_sweep_t *sw, const char *x, const char *y)
{
    int64_t *f, n;
    if (pk_sweep_pareto(sw, -1, x, y, &f, &n))
        return PK_ENOMEM;
    for (int64_t i = 0; i < n; i++)
        sw->pts[f[i]].synth_sel = 1;
    free(f);
    return 0;
}

static int mark_pareto(pk_sweep_t *sw)
{
    const pk_sweep_spec_t *sp = sw->spec;
    int no = pk_sweep_spec_n_objectives(sp), has_area = 0;
    for (int i = 0; i < no; i++)
        has_area |= !strcmp(pk_sweep_spec_objective(sp, i), "area_cells");
    for (int i = 0; i < no; i++)
        for (int k = i + 1; k < no; k++) {
            const char *x = pk_sweep_spec_objective(sp, i), *y = pk_sweep_spec_objective(sp, k);
            if (has_area && strcmp(x, "area_cells") && strcmp(y, "area_cells"))
                continue;
            if (mark_front(sw, x, y))
                return PK_ENOMEM;
        }
    return 0;
}

int pk_sweep_synth_select(pk_sweep_t *sw, int64_t **points, int64_t *n, pk_error_t *err)
{
    const pk_sweep_spec_t *sp = sw->spec;
    int mode = pk_sweep_spec_synth_mode(sp), rc = 0;
    *points = NULL;
    *n = 0;
    for (int64_t p = 0; p < sw->n_points; p++)
        sw->pts[p].synth_sel = mode == PK_SWEEP_SYNTH_ALL && sw->pts[p].cfg;
    for (int i = 0; mode == PK_SWEEP_SYNTH_LIST && i < pk_sweep_spec_synth_count(sp); i++) {
        int64_t p = pk_sweep_spec_synth_point(sp, i);
        sw->pts[p].synth_sel = sw->pts[p].cfg != NULL;  /* a skipped point has no RTL */
    }
    if (mode == PK_SWEEP_SYNTH_PARETO)
        rc = mark_pareto(sw);
    if (!rc && !(*points = malloc(sizeof **points * (size_t)(sw->n_points ? sw->n_points : 1))))
        rc = PK_ENOMEM;
    for (int64_t p = 0; !rc && p < sw->n_points; p++)
        if (sw->pts[p].synth_sel)
            (*points)[(*n)++] = p;
    return rc ? pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "synth", "out of memory") : 0;
}

/* ---- keys ------------------------------------------------------------------ */

/* pikegen's bundle of point p for the sweep's arch (pikegen --arch): its YAML
 * written to DIR/point.yaml (pikegen hashes the config file it was loaded
 * from), loaded, generated. */
static int bundle_of(const pk_sweep_t *sw, int64_t p, const char *dir, pk_bundle_t **b,
                     pk_error_t *err)
{
    char t[4096], path[600];
    char *yaml = NULL;
    pk_config_t *cfg = NULL;
    snprintf(path, sizeof path, "%s/point.yaml", dir);
    if (pk_sweep_spec_point_yaml(sw->spec, p, &yaml))
        return pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "synth", "out of memory");
    int rc = pk_sw_write_atomic(path, yaml, strlen(yaml));
    free(yaml);
    if (rc)
        return pk_error_set(err, PK_EIO, path, 0, "synth", "cannot write: %s", strerror(errno));
    rc = pk_config_load(path, &cfg, err);
    if (!rc)
        rc = pk_gen_bundle_arch(cfg, pk_gen_default_templates(t, sizeof t),
                                pk_sweep_spec_arch(sw->spec), b, err);
    pk_config_free(cfg);
    unlink(path);
    return rc;
}

/* The synthesis reads f: the RTL and the flow's script; not the manifest,
 * README, constraints or the other flows' scripts. */
static int synth_input(const pk_bundle_file_t *f, const char *flow)
{
    char script[64];
    snprintf(script, sizeof script, "synth_%s.ys", flow);
    return !strncmp(f->path, "rtl/", 4) || !strcmp(f->path, script);
}

/* Offset of the first line of f that is neither blank nor a comment line
 * ("//" Verilog, "#" Yosys script) at the top of the file. */
static size_t body_start(const pk_bundle_file_t *f)
{
    size_t i = 0;
    while (i < f->len) {
        size_t j = i;
        while (j < f->len && (f->data[j] == ' ' || f->data[j] == '\t'))
            j++;
        int comment = (j < f->len && f->data[j] == '#') ||
                      (j + 1 < f->len && f->data[j] == '/' && f->data[j + 1] == '/');
        if (j < f->len && f->data[j] != '\n' && !comment)
            break;
        while (j < f->len && f->data[j] != '\n')
            j++;
        i = j + (j < f->len);
    }
    return i;
}

static int point_key(const pk_sweep_t *sw, int64_t p, const char *dir, const char *yosys_v,
                     char key[65], pk_error_t *err)
{
    const pk_config_t *cfg = sw->pts[p].cfg;
    pk_bundle_t *b = NULL;
    int rc = bundle_of(sw, p, dir, &b, err);
    if (rc)
        return rc;
    pk_sw_buf_t t = { 0 };
    pk_sw_buf_add(&t, "%s\n%s\n%s\n%s\n", PK_SWEEP_SYNTH_VERSION, PIKE_VERSION, yosys_v, flow_of(cfg));
    for (size_t i = 0; i < pk_bundle_count(b); i++) {
        const pk_bundle_file_t *f = pk_bundle_file(b, i);
        if (!synth_input(f, flow_of(cfg)))
            continue;
        char h[65];
        size_t b0 = body_start(f);
        pk_sw_sha256_hex(f->data + b0, f->len - b0, h);
        pk_sw_buf_add(&t, "%s %s\n", f->path, h);
    }
    pk_bundle_free(b);
    if (t.oom) {
        free(t.s);
        return pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "synth", "out of memory");
    }
    pk_sw_sha256_hex(t.s, t.len, key);
    free(t.s);
    return 0;
}

int pk_sweep_synth_keys(pk_sweep_t *sw, const int64_t *points, int64_t n, pk_error_t *err)
{
    if (n == 0)
        return 0;
    char ver[256];
    char *argv[] = { (char *)yosys_bin(), "-V", NULL };
    if (pk_sw_run_capture(argv, ver, sizeof ver) != 0 || !ver[0])
        return pk_error_set(err, PK_EIO, yosys_bin(), 0, "synth",
                            "cannot run '%s -V' (install Yosys or set YOSYS)", yosys_bin());
    ver[strcspn(ver, "\n")] = 0;
    char tmpl[PATH_MAX];
    if (pk_sw_mkscratch("keys", tmpl, sizeof tmpl))
        return pk_error_set(err, PK_EIO, "TMPDIR", 0, "synth",
                            "cannot make a scratch directory: %s", strerror(errno));
    int rc = 0;
    for (int64_t i = 0; i < n && !rc; i++)
        rc = point_key(sw, points[i], tmpl, ver, sw->pts[points[i]].synth_key, err);
    rmdir(tmpl);
    return rc;
}

/* ---- records --------------------------------------------------------------- */

static void record_path(const char *dir, const char key[65], char *path, size_t len)
{
    snprintf(path, len, "%s/cache/%.2s/%s", dir, key, key);
}

/* 1 found, 0 absent, -1 corrupt */
static int synth_get(const char *dir, const char key[65], pk_sweep_synth_t *r)
{
    char path[4200];
    record_path(dir, key, path, sizeof path);
    char *t = pk_sw_read_file(path, NULL);
    if (!t)
        return errno == ENOENT ? 0 : -1;
    memset(r, 0, sizeof *r);
    long long cells = -1;
    char *flow = strstr(t, "\nflow="), *c = strstr(t, "\ncells="), *e = strstr(t, "\nerror=");
    int ok = !strncmp(t, PK_SWEEP_SYNTH_VERSION "\n", strlen(PK_SWEEP_SYNTH_VERSION) + 1) && flow &&
             c && e && strstr(t, "\nend\n") && sscanf(c, "\ncells=%lld", &cells) == 1;
    if (ok) {
        snprintf(r->flow, sizeof r->flow, "%.*s", (int)strcspn(flow + 6, "\n"), flow + 6);
        snprintf(r->error, sizeof r->error, "%.*s", (int)strcspn(e + 7, "\n"), e + 7);
        r->cells = cells;
        r->done = 1;
    }
    free(t);
    return ok ? 1 : -1;
}

static int synth_put(const char *dir, const char key[65], const pk_sweep_synth_t *r)
{
    char path[4200], text[512];
    snprintf(path, sizeof path, "%s/cache/%.2s", dir, key);
    if (pk_sw_mkdirs(path))
        return -1;
    record_path(dir, key, path, sizeof path);
    int n = snprintf(text, sizeof text, "%s\nflow=%s\ncells=%lld\nerror=%s\nend\n",
                     PK_SWEEP_SYNTH_VERSION, r->flow, (long long)r->cells, r->error);
    return pk_sw_write_atomic(path, text, (size_t)n);
}

/* qsort context for pk_sweep_synth_missing: (key, position) order. */
typedef struct {
    const char *key;
    int64_t pos;
} key_pos_t;

static int cmp_key_pos(const void *a, const void *b)
{
    const key_pos_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

int pk_sweep_synth_missing(const pk_sweep_t *sw, const int64_t *points, int64_t n,
                           int64_t **missing, int64_t *n_missing, pk_error_t *err)
{
    *n_missing = 0;
    size_t m = (size_t)(n ? n : 1);
    key_pos_t *kp = malloc(sizeof *kp * m);
    unsigned char *first = calloc(m, 1);
    if (!(*missing = malloc(sizeof **missing * m)) || !kp || !first) {
        free(kp), free(first), free(*missing), *missing = NULL;
        return pk_error_set(err, PK_ENOMEM, "pikesweep", 0, "synth", "out of memory");
    }
    /* A point with the RTL of an earlier one shares its synthesis: sort by
     * (key, position) and keep the first of each key, in O(n log n). */
    for (int64_t i = 0; i < n; i++)
        kp[i] = (key_pos_t){ sw->pts[points[i]].synth_key, i };
    qsort(kp, (size_t)n, sizeof *kp, cmp_key_pos);
    for (int64_t i = 0; i < n; i++)
        first[kp[i].pos] = i == 0 || strcmp(kp[i].key, kp[i - 1].key) != 0;
    free(kp);
    for (int64_t i = 0; i < n; i++) {
        pk_sweep_synth_t r;
        if (first[i] && synth_get(sw->dir, sw->pts[points[i]].synth_key, &r) != 1)
            (*missing)[(*n_missing)++] = points[i];
    }
    free(first);
    return 0;
}

int pk_sweep_synth_collect(pk_sweep_t *sw, const int64_t *points, int64_t n, pk_error_t *err)
{
    for (int64_t i = 0; i < n; i++) {
        pk_sweep_point_t *pt = &sw->pts[points[i]];
        int rc = synth_get(sw->dir, pt->synth_key, &pt->synth);
        if (rc != 1)
            return pk_error_set(err, PK_EIO, sw->dir, 0, "cache",
                                "point %lld: synthesis record %s (run the sweep again to compute it)",
                                (long long)points[i], rc ? "unreadable" : "missing");
    }
    return 0;
}

/* ---- one synthesis --------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* A worker asked to stop (SIGTERM from Slurm's scancel or a timeout, SIGINT
 * from ^C, SIGHUP) while a synthesis runs: the handler only notes the signal
 * and passes SIGTERM on to Yosys; the worker then removes the scratch
 * directory and re-raises the signal with its default action, so it still
 * dies of it and leaves nothing in $TMPDIR. */
static const int stop_signals[3] = { SIGTERM, SIGINT, SIGHUP };
static volatile sig_atomic_t stop_sig;
static volatile pid_t yosys_pid;

static void on_stop(int sig)
{
    stop_sig = sig;
    if (yosys_pid > 0)
        kill(yosys_pid, SIGTERM);
}

static void catch_stop_signals(struct sigaction old[3])
{
    struct sigaction sa = { .sa_handler = on_stop };
    sigemptyset(&sa.sa_mask);
    stop_sig = 0;
    yosys_pid = 0;
    for (int i = 0; i < 3; i++)
        sigaction(stop_signals[i], &sa, &old[i]);
}

/* Restore the handlers; the signal that arrived meanwhile, or 0. */
static int release_stop_signals(const struct sigaction old[3])
{
    for (int i = 0; i < 3; i++)
        sigaction(stop_signals[i], &old[i], NULL);
    return stop_sig;
}

/* Run the flow's script in dir; the exit status, 127 if Yosys could not be
 * started, -1 if it was killed by a signal. */
static int run_yosys(const char *dir, const char *script)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return 127;
    if (pid == 0) {
        int fd = chdir(dir) ? -1 : open("build/yosys.log", O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(127);
        execlp(yosys_bin(), yosys_bin(), "-q", "-s", script, (char *)NULL);
        _exit(127);
    }
    yosys_pid = pid;
    if (stop_sig) /* arrived between fork and the line above */
        kill(pid, SIGTERM);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The last non-empty line of file path into out. */
static void last_line(const char *path, char *out, size_t len)
{
    char *t = pk_sw_read_file(path, NULL);
    out[0] = 0;
    if (!t)
        return;
    size_t n = strlen(t);
    while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' '))
        t[--n] = 0;
    char *s = strrchr(t, '\n');
    snprintf(out, len, "%s", s ? s + 1 : t);
    free(t);
}

/* Cells of the last "Number of cells:" line of the stat file; -1 if none. */
static long long stat_cells(const char *path)
{
    char *t = pk_sw_read_file(path, NULL), *s = t, *last = NULL;
    long long cells = -1;
    while (s && (s = strstr(s, "Number of cells:")))
        last = s++;
    if (last && sscanf(last, "Number of cells: %lld", &cells) != 1)
        cells = -1;
    free(t);
    return cells;
}

/* Generate, write and synthesize; fills r, or fails (nothing to cache). */
static int synthesize(const pk_sweep_t *sw, int64_t p, const char *dir, pk_sweep_synth_t *r,
                      pk_error_t *err)
{
    pk_bundle_t *b = NULL;
    char path[PATH_MAX + 64], script[64];
    int rc = bundle_of(sw, p, dir, &b, err);
    snprintf(path, sizeof path, "%s/bundle", dir);
    if (!rc)
        rc = pk_bundle_write(b, path, 0, err);
    pk_bundle_free(b);
    snprintf(path, sizeof path, "%s/bundle/build", dir);
    if (!rc && mkdir(path, 0777))
        rc = pk_error_set(err, PK_EIO, path, 0, "synth", "cannot create: %s", strerror(errno));
    if (rc)
        return rc;
    snprintf(script, sizeof script, "synth_%s.ys", r->flow);
    snprintf(path, sizeof path, "%s/bundle", dir);
    int st = run_yosys(path, script);
    if (st == 127 || st < 0)
        return pk_error_set(err, PK_EIO, yosys_bin(), 0, "synth", "%s %s",
                            st < 0 ? "Yosys was killed on" : "cannot start Yosys for", script);
    char log[PATH_MAX + 64];
    snprintf(log, sizeof log, "%s/bundle/build/yosys.log", dir);
    if (st != 0) {
        char line[200];
        last_line(log, line, sizeof line);
        snprintf(r->error, sizeof r->error, "yosys %s exited with %d: %s", script, st, line);
        return 0;
    }
    snprintf(path, sizeof path, "%s/bundle/build/synth_%s_stat.txt", dir, r->flow);
    if ((r->cells = stat_cells(path)) < 0)
        snprintf(r->error, sizeof r->error, "yosys %s: no cell count in its stat", script);
    return 0;
}

int pk_sweep_synth_point(const pk_sweep_t *sw, int64_t p, pk_error_t *err)
{
    const pk_sweep_point_t *pt = &sw->pts[p];
    pk_sweep_synth_t r = { .cells = -1 };
    snprintf(r.flow, sizeof r.flow, "%s", flow_of(pt->cfg));
    char tmpl[PATH_MAX];
    if (pk_sw_mkscratch("synth", tmpl, sizeof tmpl))
        return pk_error_set(err, PK_EIO, "TMPDIR", 0, "synth",
                            "cannot make a scratch directory: %s", strerror(errno));
    struct sigaction old[3];
    catch_stop_signals(old);
    int rc = synthesize(sw, p, tmpl, &r, err);
    nftw(tmpl, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    int sig = release_stop_signals(old);
    if (sig)
        raise(sig); /* the scratch is gone: now die of the signal, as asked */
    if (!rc && synth_put(sw->dir, pt->synth_key, &r))
        rc = pk_error_set(err, PK_EIO, sw->dir, 0, "cache", "cannot write a record: %s",
                          strerror(errno));
    return rc;
}

/* ---- the estimate against Yosys -------------------------------------------- */

static double estimate(const pk_sweep_t *sw, const pk_config_t *cfg)
{
    pk_area_in_t in;
    pk_area_in_from_config(cfg, pk_sweep_spec_arch(sw->spec), &in);
    return pk_area_estimate(&in);
}

static int synth_ok(const pk_sweep_point_t *pt)
{
    return pt->synth.done && !pt->synth.error[0] && pt->synth.cells > 0;
}

double pk_sweep_synth_error_pct(const pk_sweep_t *sw, int64_t p)
{
    const pk_sweep_point_t *pt = &sw->pts[p];
    if (!pt->cfg || !synth_ok(pt) || strcmp(pt->synth.flow, "generic"))
        return NAN;
    return (estimate(sw, pt->cfg) - (double)pt->synth.cells) / (double)pt->synth.cells * 100.0;
}

static int cmp_dbl(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return u < v ? -1 : u > v;
}

void pk_sweep_synth_stats(const pk_sweep_t *sw, int *n, double *median, double *max)
{
    double *e = malloc(sizeof *e * (size_t)(sw->n_points ? sw->n_points : 1));
    *n = 0;
    *median = *max = NAN;
    for (int64_t p = 0; e && p < sw->n_points; p++) {
        double v = pk_sweep_synth_error_pct(sw, p);
        if (!isnan(v))
            e[(*n)++] = fabs(v);
    }
    if (e && *n) {
        qsort(e, (size_t)*n, sizeof *e, cmp_dbl);
        *median = *n % 2 ? e[*n / 2] : (e[*n / 2 - 1] + e[*n / 2]) / 2;
        *max = e[*n - 1];
    }
    free(e);
}

/* ---- does Yosys reorder the front? ------------------------------------------ */

typedef struct fp {
    int64_t p;
    double est, cells, other;
} fp_t;

static int by_est(const void *a, const void *b)
{
    const fp_t *u = a, *v = b;
    return u->est != v->est ? (u->est < v->est ? -1 : 1) : (u->p > v->p) - (u->p < v->p);
}

static int by_cells(const void *a, const void *b)
{
    const fp_t *u = a, *v = b;
    return u->cells != v->cells ? (u->cells < v->cells ? -1 : 1) : (u->p > v->p) - (u->p < v->p);
}

static void list_points(pk_sw_buf_t *out, const fp_t *s, int n)
{
    for (int i = 0; i < n; i++)
        pk_sw_buf_add(out, "%s%lld", i ? ", " : "", (long long)s[i].p);
}

/* One pair: other objective o against area_cells. */
static void reorder_pair(const pk_sweep_t *sw, const char *x, const char *y, pk_sw_buf_t *out)
{
    const char *o = strcmp(x, "area_cells") ? x : y;
    int64_t *f = NULL, nf = 0;
    if (pk_sweep_pareto(sw, -1, x, y, &f, &nf)) {
        out->oom = 1;
        return;
    }
    fp_t *s = malloc(sizeof *s * (size_t)(nf ? nf : 1)), *t = malloc(sizeof *t * (size_t)(nf ? nf : 1));
    int n = 0, moved = 0;
    for (int64_t i = 0; s && t && i < nf; i++)
        if (synth_ok(&sw->pts[f[i]]))
            s[n++] = (fp_t){ f[i], estimate(sw, sw->pts[f[i]].cfg), (double)sw->pts[f[i]].synth.cells,
                             pk_sweep_objective(sw, f[i], -1, o) };
    pk_sw_buf_add(out, "%s / %s: front of %lld points, %d synthesized", x, y, (long long)nf, n);
    if (!s || !t || n < 2) {
        pk_sw_buf_add(out, "%s\n", s && t ? ": nothing to compare" : "");
        goto done;
    }
    qsort(s, (size_t)n, sizeof *s, by_est);
    memcpy(t, s, sizeof *s * (size_t)n);
    qsort(t, (size_t)n, sizeof *t, by_cells);
    for (int i = 0; i < n; i++)
        moved |= s[i].p != t[i].p;
    pk_sw_buf_add(out, moved ? ": the synthesized areas REORDER it (by estimate: "
                             : ": the synthesized areas keep its order (");
    list_points(out, s, n);
    if (moved) {
        pk_sw_buf_add(out, "; by Yosys: ");
        list_points(out, t, n);
    }
    pk_sw_buf_add(out, ")");
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++)
            if (b != a && s[b].cells <= s[a].cells && s[b].other <= s[a].other &&
                (s[b].cells < s[a].cells || s[b].other < s[a].other)) {
                pk_sw_buf_add(out, "; point %lld leaves the front once synthesized (point %lld is "
                                   "at least as good in both)", (long long)s[a].p, (long long)s[b].p);
                break;
            }
    pk_sw_buf_add(out, "\n");
done:
    free(s);
    free(t);
    free(f);
}

void pk_sweep_synth_reorder(const pk_sweep_t *sw, pk_sw_buf_t *out)
{
    const pk_sweep_spec_t *sp = sw->spec;
    for (int i = 0; i < pk_sweep_spec_n_objectives(sp); i++)
        for (int k = i + 1; k < pk_sweep_spec_n_objectives(sp); k++) {
            const char *x = pk_sweep_spec_objective(sp, i), *y = pk_sweep_spec_objective(sp, k);
            if (!strcmp(x, "area_cells") || !strcmp(y, "area_cells"))
                reorder_pair(sw, x, y, out);
        }
}
