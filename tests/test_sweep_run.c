/* test_sweep_run.c - pikesweep end to end: outputs, determinism across -j,
 * the cache (a rerun computes nothing), resume after SIGKILL (no finished
 * point lost or recomputed, results byte-identical to an uninterrupted run),
 * bad input (exit 2, one message, no output directory). */
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test_sweep_util.h"

/* Records in DIR/cache (files whose names are 64 hex digits). */
static int count_records(const char *dir)
{
    char cache[512];
    int n = 0;
    snprintf(cache, sizeof cache, "%s/cache", dir);
    DIR *d = opendir(cache);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[800];
        snprintf(sub, sizeof sub, "%s/%s", cache, e->d_name);
        DIR *s = opendir(sub);
        struct dirent *f;
        while (s && (f = readdir(s)))
            n += strlen(f->d_name) == 64;
        if (s)
            closedir(s);
    }
    closedir(d);
    return n;
}

/* "... N to compute, M cached" from a run's stderr. */
static void computed_cached(const char *log, long *computed, long *cached)
{
    char *t = sw_slurp("%s", log);
    cr_assert(t, "no log %s", log);
    const char *p = strstr(t, "to compute");
    cr_assert(p, "no summary in %s: %s", log, t);
    while (p > t && p[-1] == ' ')
        p--;
    while (p > t && p[-1] >= '0' && p[-1] <= '9')
        p--;
    cr_assert(sscanf(p, "%ld to compute, %ld cached", computed, cached) == 2, "%s", p);
    free(t);
}

Test(sweep_run, outputs_and_rerun_from_cache)
{
    char *d = sw_tmpdir("run");
    cr_assert_eq(sw_sh("%s --spec %s/small.yaml --out %s/o -j 2 2>%s/log1 >/dev/null", SWEEP,
                       SWEEP_DATA, d, d), 0);
    long comp, cached;
    char log[256];
    snprintf(log, sizeof log, "%s/log1", d);
    computed_cached(log, &comp, &cached);
    cr_assert_eq(comp, 16, "8 valid points x 2 networks"); /* 16 x 64 fails the constraint */
    cr_assert_eq(cached, 0);
    char *csv = sw_slurp("%s/o/points.csv", d), *sk = sw_slurp("%s/o/skipped.csv", d);
    cr_assert(csv && sk);
    cr_assert(strstr(csv, "point,arch,array.rows,array.cols,network,cycles,latency_us,energy_uj"));
    cr_assert(strstr(csv, "\n0,v2,4,16,resnet18_w4a4,"));
    cr_assert(strstr(sk, "\n8,v2,16,64,constraints[0] 'array.rows * array.cols <= 512' is false\n"),
              "%s", sk);
    int lines = 0;
    for (char *c = csv; *c; c++)
        lines += *c == '\n';
    cr_assert_eq(lines, 17);
    char *pa = sw_slurp("%s/o/pareto.csv", d);
    cr_assert(pa && strstr(pa, "\nall,latency_us,energy_uj,") && strstr(pa, "\nresnet18_w4a4,energy_uj,area_cells,"));
    free(pa);
    free(csv);
    free(sk);
    /* the report: 3 pair plots + 2 per-network bar charts, the front's configs, nothing external */
    char *html = sw_slurp("%s/o/report.html", d);
    cr_assert(html);
    int svgs = 0;
    for (const char *c = html; (c = strstr(c, "<svg")); c++)
        svgs++;
    cr_assert_eq(svgs, 5);
    cr_assert(strstr(html, "id=\"pareto\"") && strstr(html, "id=\"networks\"") &&
              strstr(html, "id=\"front\""));
    cr_assert(strstr(html, "<details>") && strstr(html, "array:"), "a front point's config");
    cr_assert(!strstr(html, "<script") && !strstr(html, "http://") && !strstr(html, "https://"));
    free(html);

    /* rerun: everything from the cache, same bytes */
    cr_assert_eq(sw_sh("cp -r %s/o %s/first && %s --spec %s/small.yaml --out %s/o -j 2 2>%s/log2 "
                       ">/dev/null", d, d, SWEEP, SWEEP_DATA, d, d), 0);
    snprintf(log, sizeof log, "%s/log2", d);
    computed_cached(log, &comp, &cached);
    cr_assert_eq(comp, 0);
    cr_assert_eq(cached, 16);
    sw_assert_same_subdirs(d, "o", "first");
    sw_rmdir(d);
}

Test(sweep_run, same_bytes_for_any_worker_count)
{
    char *d = sw_tmpdir("jobs");
    cr_assert_eq(sw_sh("%s --spec %s/small.yaml --out %s/j1 -j 1 -q >/dev/null && "
                       "%s --spec %s/small.yaml --out %s/j3 -j 3 -q >/dev/null",
                       SWEEP, SWEEP_DATA, d, SWEEP, SWEEP_DATA, d), 0);
    sw_assert_same_subdirs(d, "j1", "j3");
    sw_rmdir(d);
}

/* Start a sweep in its own process group, SIGKILL the group (parent and
 * workers) once some but not all records are cached, then resume. */
Test(sweep_run, resume_after_sigkill_is_byte_identical, .timeout = 300)
{
    char *d = sw_tmpdir("kill"), out[256], ref[256], log[256];
    snprintf(out, sizeof out, "%s/o", d);
    snprintf(ref, sizeof ref, "%s/ref", d);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(SWEEP, "pikesweep", "--spec", SWEEP_DATA "/resume.yaml", "--out", out, "-j", "2",
              (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    int total = 96, seen = 0;
    for (int i = 0; i < 60000 && (seen = count_records(out)) < 10; i++) {
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    kill(-pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    cr_assert(WIFSIGNALED(st), "the sweep finished before it could be killed");
    int kept = count_records(out);
    cr_assert(kept >= 10 && kept < total, "%d records after the kill", kept);
    cr_assert_eq(sw_sh("ls %s/points.csv 2>/dev/null", out), 2, "no outputs from a killed run");

    cr_assert_eq(sw_sh("%s --spec %s/resume.yaml --out %s -j 2 2>%s/log >/dev/null", SWEEP,
                       SWEEP_DATA, out, d), 0);
    long comp, cached;
    snprintf(log, sizeof log, "%s/log", d);
    computed_cached(log, &comp, &cached);
    cr_assert_eq(cached, kept, "every finished record reused");
    cr_assert_eq(comp, total - kept, "only the missing ones computed");
    cr_assert_eq(count_records(out), total);
    cr_assert_eq(sw_sh("%s --spec %s/resume.yaml --out %s -j 1 -q >/dev/null", SWEEP, SWEEP_DATA,
                       ref), 0);
    sw_assert_same_outputs(out, ref);
    sw_rmdir(d);
}

Test(sweep_run, bad_input_exit_2_no_output)
{
    char *d = sw_tmpdir("bad");
    cr_assert_eq(sw_sh("printf 'base: %s/hw_configs/edge.yaml\\nnetworks: [nope.yaml]\\n' > %s/s.yaml",
                       PIKE_SOURCE_ROOT, d), 0);
    cr_assert_eq(sw_sh("%s --spec %s/s.yaml --out %s/o 2>%s/err", SWEEP, d, d, d), 2);
    char *e = sw_slurp("%s/err", d);
    cr_assert(e && strstr(e, "nope.yaml") && strstr(e, "network"), "%s", e);
    free(e);
    cr_assert_eq(sw_sh("test -e %s/o", d), 1, "no output directory");
    cr_assert_eq(sw_sh("%s --spec %s/s.yaml 2>/dev/null", SWEEP, d), 2);
    cr_assert_eq(sw_sh("%s --spec %s/s.yaml --out %s/o -j 0 2>/dev/null", SWEEP, d, d), 2);
    cr_assert_eq(sw_sh("%s --spec %s/s.yaml --out %s/o --bogus 2>/dev/null", SWEEP, d, d), 2);
    sw_rmdir(d);
}

/* What a Slurm array runs, without Slurm: the chunks of --task I/N cover the
 * work exactly once, and --merge then writes what a local run writes; a merge
 * with a chunk missing is an error naming a point. */
Test(sweep_run, task_chunks_and_merge)
{
    char *d = sw_tmpdir("task");
    cr_assert_eq(sw_sh("%s --spec %s/small.yaml --out %s/t --task 0/3 2>%s/l0", SWEEP, SWEEP_DATA,
                       d, d), 0);
    cr_assert_eq(sw_sh("%s --spec %s/small.yaml --out %s/t --merge -q 2>%s/err", SWEEP, SWEEP_DATA,
                       d, d), 1);
    char *e = sw_slurp("%s/err", d);
    cr_assert(e && strstr(e, "record missing") && strstr(e, "point "), "%s", e);
    free(e);
    cr_assert_eq(sw_sh("%s --spec %s/small.yaml --out %s/t --task 2/3 2>%s/l2 && "
                       "%s --spec %s/small.yaml --out %s/t --task 1/3 2>%s/l1",
                       SWEEP, SWEEP_DATA, d, d, SWEEP, SWEEP_DATA, d, d), 0);
    long sum = 0;
    for (int t = 0; t < 3; t++) {
        char *l = sw_slurp("%s/l%d", d, t);
        long n = -1;
        cr_assert(l && strstr(l, "to compute"));
        cr_assert_eq(sscanf(strstr(l, "task "), "task %*d/3: %ld to compute", &n), 1, "%s", l);
        sum += n;
        free(l);
    }
    cr_assert_eq(sum, 16, "the chunks cover 8 points x 2 networks once");
    cr_assert_eq(sw_sh("%s --spec %s/small.yaml --out %s/t --merge -q && "
                       "%s --spec %s/small.yaml --out %s/local -q",
                       SWEEP, SWEEP_DATA, d, SWEEP, SWEEP_DATA, d), 0);
    sw_assert_same_subdirs(d, "t", "local");
    sw_rmdir(d);
}

/* --slurm without a working sbatch: exit 1 naming it, nothing computed; a
 * bad spec fails before anything is submitted (exit 2). */
Test(sweep_run, slurm_submission_errors)
{
    char *d = sw_tmpdir("sbatch");
    cr_assert_eq(sw_sh("SBATCH=/bin/false %s --spec %s/small.yaml --out %s/o --slurm 2>%s/err",
                       SWEEP, SWEEP_DATA, d, d), 1);
    char *e = sw_slurp("%s/err", d);
    cr_assert(e && strstr(e, "/bin/false failed") && strstr(e, "slurm"), "%s", e);
    free(e);
    cr_assert_eq(sw_sh("test -e %s/o/points.csv", d), 1);
    cr_assert_eq(sw_sh("test -x %s/o/slurm/task.sh && grep -q -- '--task' %s/o/slurm/task.sh && "
                       "grep -q -- '--merge' %s/o/slurm/merge.sh", d, d, d), 0);
    cr_assert_eq(sw_sh("printf 'base: nope.yaml\\nnetworks: [a.yaml]\\n' > %s/bad.yaml && "
                       "SBATCH=/bin/true %s --spec %s/bad.yaml --out %s/o2 --slurm 2>/dev/null",
                       d, SWEEP, d, d), 2);
    sw_rmdir(d);
}
