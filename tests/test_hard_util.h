/* test_hard_util.h - helpers for the hardening tests (tests/test_hard_*.c):
 * run a Pike CLI as a plain child process with a wall-clock limit and read
 * back its exit status, peak RSS and output; scratch directories; files.
 *
 * Running the tools as plain executables (not inside a Criterion worker)
 * means that in the sanitizer build an ASan/UBSan report or a leak makes the
 * tool exit non-zero (LSan: 23), which every caller here treats as failure.
 */
#ifndef TEST_HARD_UTIL_H
#define TEST_HARD_UTIL_H

#include "gen/gen_test_util.h" /* gt_read, gt_rm_tree */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define HARD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HARD_ASAN 1
#endif
#endif
#ifndef HARD_ASAN
#define HARD_ASAN 0
#endif

typedef struct {
    int exited;       /* 1: exited normally, status in code */
    int code;
    int sig;          /* terminating signal, 0 if none */
    int timed_out;    /* killed by the wall-clock limit */
    long maxrss_kb;   /* peak resident set of the child */
    double secs;      /* wall time */
    char out[8192];   /* first bytes of stdout */
    char err[8192];   /* first bytes of stderr */
} hard_run_t;

static inline double hard_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline void hard_slurp(const char *path, char *buf, size_t len)
{
    buf[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = 0;
    fclose(f);
}

/* Run argv (argv[0] a path) with stdout/stderr captured, optional extra
 * environment entry `env` ("NAME=VALUE" or NULL), killing it after
 * `timeout` seconds.  If kill_after_ms >= 0 the child is sent SIGKILL after
 * that many milliseconds (an interrupted run).  Returns 0, or -1 if it could
 * not be started. */
static inline int hard_run_env(char *const argv[], const char *env, double timeout, long kill_after_ms,
                        hard_run_t *r)
{
    memset(r, 0, sizeof *r);
    char outp[] = "/tmp/pike-hard-out-XXXXXX", errp[] = "/tmp/pike-hard-err-XXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    if (fo < 0 || fe < 0)
        return -1;
    double t0 = hard_now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        setpgid(0, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        /* the tool itself always runs with leak detection (the sanitizer
         * build's tests set it; hard_hostile's runner runs without) */
        if (HARD_ASAN)
            putenv("ASAN_OPTIONS=detect_leaks=1:handle_segv=0");
        if (env)
            putenv((char *)env);
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (;;) {
        pid_t w = wait4(pid, &st, WNOHANG, &ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return -1;
        double el = hard_now() - t0;
        if (kill_after_ms >= 0 && el * 1000.0 >= (double)kill_after_ms) {
            kill(pid, SIGKILL);
            kill_after_ms = -1;
        }
        if (el > timeout) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            r->timed_out = 1;
        }
        usleep(2000);
    }
    r->secs = hard_now() - t0;
    r->maxrss_kb = ru.ru_maxrss;
    if (WIFEXITED(st)) {
        r->exited = 1;
        r->code = WEXITSTATUS(st);
    } else if (WIFSIGNALED(st)) {
        r->sig = WTERMSIG(st);
    }
    close(fo);
    close(fe);
    hard_slurp(outp, r->out, sizeof r->out);
    hard_slurp(errp, r->err, sizeof r->err);
    unlink(outp);
    unlink(errp);
    return 0;
}

static inline int hard_run(char *const argv[], double timeout, hard_run_t *r)
{
    return hard_run_env(argv, NULL, timeout, -1, r);
}

/* "exit 0, or exit 2 with exactly one line on stderr naming file": what every
 * bad input must produce.  Returns NULL if so, else what went wrong. */
static inline const char *hard_clean_outcome(const hard_run_t *r, const char *file)
{
    static char why[512];
    if (r->timed_out)
        return "did not finish in time (hang)";
    if (!r->exited) {
        snprintf(why, sizeof why, "killed by signal %d", r->sig);
        return why;
    }
    if (r->code == 0)
        return NULL;
    if (r->code != 2) {
        snprintf(why, sizeof why, "exit status %d (want 0 or 2)", r->code);
        return why;
    }
    const char *nl = strchr(r->err, '\n');
    if (!nl || nl[1] != 0)
        return "bad input must give exactly one line on stderr";
    if (file && strncmp(r->err, file, strlen(file)) != 0)
        return "the message does not start with the input file";
    return NULL;
}

static inline char *hard_tmpdir(void)
{
    char *d = strdup("/tmp/pike-hard-XXXXXX");
    if (!d || !mkdtemp(d))
        abort();
    return d;
}

static inline void hard_write(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    if (!f || fputs(s, f) < 0 || fclose(f))
        abort();
}

/* The shipped file relpath (under the source tree) with the first occurrence
 * of `from` replaced by `to`, written to dir/name; returns the new path. */
static inline char *hard_variant(const char *dir, const char *name, const char *relpath, const char *from,
                          const char *to)
{
    char src[4096], *dst = malloc(4096);
    snprintf(src, sizeof src, "%s/%s", PIKE_SOURCE_ROOT, relpath);
    snprintf(dst, 4096, "%s/%s", dir, name);
    char *s = gt_read(src, NULL);
    if (!s)
        abort();
    char *at = strstr(s, from);
    if (!at)
        abort();
    FILE *f = fopen(dst, "wb");
    fwrite(s, 1, (size_t)(at - s), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    fclose(f);
    free(s);
    return dst;
}

#define HARD_PIKEGEN PIKE_BIN_DIR "/gen/pikegen"
#define HARD_PIKESIM PIKE_BIN_DIR "/sim/pikesim"

#endif
