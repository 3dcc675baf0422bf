/* pk_check_model.c - the Verilator model of a config's generated RTL, cached.
 *
 * Design: pikegen's library builds the bundle in memory; the cache key is the
 * SHA-256 of everything that determines the executable (the rtl/ files the
 * model is built from, the harness sources, `verilator --version`, the build
 * flags, tracing), so a second run on the same RTL finds the executable and
 * does not rebuild, and any change to a template, the generator or the
 * harness gives a new entry.  A build happens in "<key>.tmp-XXXXXX" next to
 * the entry and is renamed into place at the end (rename is atomic; a
 * concurrent builder that loses the race uses the winner's entry).  The
 * board-level files (pike_board.v, pk_board_spi.v or pk_board2.v,
 * pk_board_io.v, pk_uart_bridge.v) are part of the model only when its top
 * is pike_board (opts.model_top, for
 * pikehost's test); pikecheck's top is pike_top.
 */
#include "pk_check_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pk_gen.h"

/* Files of pikecheck's harness, in hash order. */
static const char *const check_harness[] = {"pk_tb.h", "pk_check_main.cpp", NULL};

/* Verilator / C++ flags (the top and the executable's name are added).  -O1:
 * the model runs fast enough for the test networks (docs/VALIDATION.md).
 * VM_PARALLEL_BUILDS=0: Verilator's makefile compiles the model's generated
 * C++ as one source (its "__ALL.cpp"; the runtime beside it), so verilated.h
 * and the model's headers are parsed once instead of once per generated file
 * (46 files for a v2 pk_core2 model at the default --output-split).  Measured
 * (user + system CPU of `verilator --build` on the same inputs): a v2 model
 * 79.8 -> 54.3 s, a v1 model 43.1 -> 28.0 s, the same simulation CPU.  The
 * run-once code is then compiled at -O1 too (OPT_SLOW=-O0 applies only to
 * separate files); one compiler process instead of two in parallel. */
static const char *const vl_flags[] = {
    "--cc", "--exe", "--build", "-j", "2", "-Mdir", "obj", "-CFLAGS", "-O1", "-MAKEFLAGS",
    "OPT_FAST=-O1", "-MAKEFLAGS", "OPT_GLOBAL=-O1", "-MAKEFLAGS", "VM_PARALLEL_BUILDS=0"};
#define N_VL_FLAGS (sizeof vl_flags / sizeof vl_flags[0])

static int is_board_file(const char *path)
{
    return strcmp(path, "rtl/pike_board.v") == 0 || strcmp(path, "rtl/pk_board_spi.v") == 0 ||
           strcmp(path, "rtl/pk_board2.v") == 0 || strcmp(path, "rtl/pk_board_io.v") == 0 ||
           strcmp(path, "rtl/pk_uart_bridge.v") == 0;
}

/* Bundle files the model depends on but Verilator is not given as sources:
 * the contract `included by the RTL and the C header the harness includes. */
static int is_model_header(const char *path)
{
    return strcmp(path, "rtl/pk_contract.vh") == 0 || strcmp(path, "pk_regmap.h") == 0;
}

static int is_model_rtl(const char *path, int board)
{
    size_t n = strlen(path);
    return strncmp(path, "rtl/", 4) == 0 && n > 2 && strcmp(path + n - 2, ".v") == 0 &&
           (board || !is_board_file(path));
}

static int is_cpp(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".cpp") == 0;
}

const char *pk_check_harness_dir(const pk_check_opts_t *o, char *buf, size_t len)
{
    if (o->harness_dir) {
        snprintf(buf, len, "%s", o->harness_dir);
        return buf;
    }
    const char *root = getenv("PIKE_ROOT");
    snprintf(buf, len, "%s/check/harness", root && *root ? root : PIKE_SOURCE_ROOT);
    return buf;
}

static int cache_root(const pk_check_opts_t *o, char *buf, size_t len, pk_error_t *err)
{
    const char *env = getenv("PIKE_CACHE_DIR");
    if (env && *env)
        snprintf(buf, len, "%s", env);
    else if (o->cache_dir)
        snprintf(buf, len, "%s", o->cache_dir);
    else {
        const char *home = getenv("HOME");
        if (!home || !*home)
            return pk_error_set(err, PK_EINPUT, "pikecheck", 0, "PIKE_CACHE_DIR",
                                "neither PIKE_CACHE_DIR nor HOME is set: no place for the "
                                "model cache");
        snprintf(buf, len, "%s/.cache/pike", home);
    }
    return pk_check_mkdirs(buf, err);
}

/* Append to a growing buffer. */
typedef struct buf {
    char *p;
    size_t n, cap;
} buf_t;

static int buf_add(buf_t *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->n + n)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q)
            return -1;
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
    return 0;
}

static int buf_str(buf_t *b, const char *s)
{
    return buf_add(b, s, strlen(s) + 1); /* with the NUL: an unambiguous separator */
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int pk_check_model(const pk_config_t *cfg, const pk_check_opts_t *o, int trace, char *exe,
                   size_t len, int *cached, double *build_s, pk_error_t *err)
{
    char tdir[1024], hdir[1024], root[1024], entry[1200], tmp[1300], path[1500];
    pk_bundle_t *b = NULL;
    buf_t key = {0};
    char *ver = NULL, *src = NULL;
    int rc = 0, lock_fd = -1;
    *cached = 0;
    *build_s = 0;
    const char *top = o->model_top ? o->model_top : "pike_top";
    const char *const *harness_files = o->harness_files ? o->harness_files : check_harness;
    int board = strcmp(top, "pike_top") != 0;
    char exe_name[80];
    snprintf(exe_name, sizeof exe_name, "V%s", top);

    const char *templates = o->templates_dir ? o->templates_dir
                                             : pk_gen_default_templates(tdir, sizeof tdir);
    if ((rc = pk_gen_bundle_arch(cfg, templates, o->arch == 2 ? 2 : 1, &b, err)))
        goto done;
    pk_check_harness_dir(o, hdir, sizeof hdir);
    if ((rc = cache_root(o, root, sizeof root, err)))
        goto done;

    /* the key */
    size_t vlen;
    if ((rc = pk_check_capture("verilator --version", &ver, &vlen, err)))
        goto done;
    int oom = buf_str(&key, "pikecheck model v3") || buf_str(&key, ver) ||
              buf_str(&key, trace ? "trace-fst" : "no-trace") || buf_str(&key, top) ||
              buf_str(&key, o->model_param ? o->model_param : "") ||
              buf_str(&key, o->arch == 2 ? "arch v2" : "arch v1");
    for (size_t i = 0; i < N_VL_FLAGS; i++)
        oom |= buf_str(&key, vl_flags[i]);
    for (size_t i = 0; i < pk_bundle_count(b); i++) {
        const pk_bundle_file_t *f = pk_bundle_file(b, i);
        if (!is_model_rtl(f->path, board) && !is_model_header(f->path))
            continue;
        char n[32];
        snprintf(n, sizeof n, "%zu", f->len);
        oom |= buf_str(&key, f->path) || buf_str(&key, n) || buf_add(&key, f->data, f->len);
    }
    for (size_t i = 0; harness_files[i]; i++) {
        size_t n;
        snprintf(path, sizeof path, "%s/%s", hdir, harness_files[i]);
        if ((rc = pk_check_read_file(path, &src, &n, err)))
            goto done;
        char s[32];
        snprintf(s, sizeof s, "%zu", n);
        oom |= buf_str(&key, harness_files[i]) || buf_str(&key, s) || buf_add(&key, src, n);
        free(src);
        src = NULL;
    }
    if (oom) {
        rc = pk_error_set(err, PK_ENOMEM, "pikecheck", 0, "model", "out of memory");
        goto done;
    }
    char hex[65];
    if (pk_sha256_hex(key.p, key.n, hex)) {
        rc = pk_error_set(err, PK_EINTERNAL, "pikecheck", 0, "model", "SHA-256 failed");
        goto done;
    }
    snprintf(entry, sizeof entry, "%s/%s%s", root, hex, trace ? "-fst" : "");
    snprintf(exe, len, "%s/obj/%s", entry, exe_name);
    /* One builder per entry: a concurrent run (parallel tests) waits here and
     * then finds the executable. */
    snprintf(path, sizeof path, "%s.lock", entry);
    lock_fd = open(path, O_RDWR | O_CREAT, 0666);
    if (lock_fd < 0 || lockf(lock_fd, F_LOCK, 0) != 0) {
        rc = pk_error_set(err, PK_EIO, path, 0, "model", "cannot lock: %s", strerror(errno));
        goto done;
    }
    if (access(exe, X_OK) == 0) {
        *cached = 1;
        if (o->log)
            fprintf(o->log, "pikecheck: model %s (cached)\n", entry);
        goto done;
    }

    /* build */
    double t0 = now_s();
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", entry);
    if (!mkdtemp(tmp)) {
        rc = pk_error_set(err, PK_EIO, tmp, 0, "model", "cannot create: %s", strerror(errno));
        goto done;
    }
    if (o->log)
        fprintf(o->log, "pikecheck: building the Verilator model in %s\n", entry);
    snprintf(path, sizeof path, "%s/bundle", tmp);
    if ((rc = pk_bundle_write(b, path, 0, err)))
        goto fail;
    for (size_t i = 0; harness_files[i]; i++) {
        char from[1100], to[1500];
        size_t n;
        snprintf(from, sizeof from, "%s/%s", hdir, harness_files[i]);
        snprintf(to, sizeof to, "%s/%s", tmp, harness_files[i]);
        if ((rc = pk_check_read_file(from, &src, &n, err)) ||
            (rc = pk_check_write_file(to, src, n, err)))
            goto fail;
        free(src);
        src = NULL;
    }
    {
        const char *argv[N_VL_FLAGS + 64 + 8];
        char files[40][160];
        int ac = 0, nf = 0;
        argv[ac++] = "verilator";
        for (size_t i = 0; i < N_VL_FLAGS; i++)
            argv[ac++] = vl_flags[i];
        argv[ac++] = "--top-module";
        argv[ac++] = top;
        argv[ac++] = "-o";
        argv[ac++] = exe_name;
        if (o->model_param)
            argv[ac++] = o->model_param;
        argv[ac++] = "+incdir+bundle/rtl"; /* pk_contract.vh */
        argv[ac++] = "-CFLAGS";
        argv[ac++] = "-I../bundle"; /* pk_regmap.h for pk_tb.h (the C++ builds in obj/) */
        if (trace) {
            argv[ac++] = "--trace-fst";
            argv[ac++] = "-CFLAGS";
            argv[ac++] = "-DPK_TRACE";
        }
        for (size_t i = 0; i < pk_bundle_count(b); i++) {
            const pk_bundle_file_t *f = pk_bundle_file(b, i);
            if (!is_model_rtl(f->path, board))
                continue;
            if (nf == 40) {
                rc = pk_error_set(err, PK_EINTERNAL, "pikecheck", 0, "model",
                                  "more than 40 RTL files in the bundle");
                goto fail;
            }
            snprintf(files[nf], sizeof files[nf], "bundle/%s", f->path);
            argv[ac++] = files[nf++];
        }
        for (size_t i = 0; harness_files[i] && ac < (int)(sizeof argv / sizeof argv[0]) - 1; i++)
            if (is_cpp(harness_files[i]))
                argv[ac++] = harness_files[i];
        argv[ac] = NULL;
        snprintf(path, sizeof path, "%s/build.log", tmp);
        rc = pk_check_exec(argv, tmp, path, "verilator", "building the model", err);
        if (rc)
            goto fail;
    }
    if (rename(tmp, entry) != 0) {
        if (access(exe, X_OK) == 0) { /* another run built the same entry first */
            pk_check_rmtree(tmp);
        } else {
            rc = pk_error_set(err, PK_EIO, entry, 0, "model", "cannot rename %s into place: %s",
                              tmp, strerror(errno));
            goto fail;
        }
    }
    *build_s = now_s() - t0;
    if (o->log)
        fprintf(o->log, "pikecheck: model built in %.1f s\n", *build_s);
    goto done;
fail:
    pk_check_rmtree(tmp);
done:
    if (lock_fd >= 0)
        close(lock_fd); /* releases the lock */
    free(src);
    free(ver);
    free(key.p);
    pk_bundle_free(b);
    return rc;
}
