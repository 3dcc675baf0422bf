/* pk_slurm.c - submit a sweep as a Slurm job array (pk_slurm.h).
 *
 * sbatch is run with posix_spawnp and --parsable (the job id on stdout), the
 * arguments passed as a vector (no shell between us and paths with blanks);
 * the two batch scripts quote every path for sh.
 */
#include "pk_slurm.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk_sweep_util.h"

extern char **environ;

#define MAX_ARGS 64

/* 'text' for sh (' as '\''). */
static void sh_quote(pk_sw_buf_t *b, const char *s)
{
    pk_sw_buf_add(b, "'");
    for (; *s; s++)
        pk_sw_buf_add(b, *s == '\'' ? "'\\''" : "%c", *s);
    pk_sw_buf_add(b, "'");
}

static int write_script(const char *dir, const char *name, const char *exe, const char *spec,
                        const char *mode, pk_error_t *err)
{
    pk_sw_buf_t b = { 0 };
    char path[4200];
    pk_sw_buf_add(&b, "#!/bin/sh\n# pikesweep %s step (written by pikesweep --slurm)\nexec ", name);
    sh_quote(&b, exe);
    pk_sw_buf_add(&b, " --spec ");
    sh_quote(&b, spec);
    pk_sw_buf_add(&b, " --out ");
    sh_quote(&b, dir);
    pk_sw_buf_add(&b, " %s\n", mode);
    snprintf(path, sizeof path, "%s/slurm/%s.sh", dir, name);
    int rc = b.oom ? -1 : pk_sw_write_atomic(path, b.s, b.len);
    free(b.s);
    if (rc || chmod(path, 0755))
        return pk_error_set(err, PK_EIO, path, 0, "slurm", "cannot write: %s", strerror(errno));
    return 0;
}

/* Run argv, its stdout into out (NUL-terminated); returns the exit status or -1. */
static int run_capture(char **argv, char *out, size_t len)
{
    int fds[2];
    if (pipe(fds))
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    size_t used = 0;
    ssize_t n;
    while (rc == 0 && (n = read(fds[0], out + used, len - 1 - used)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        used += (size_t)n;
        if (used == len - 1)
            break;
    }
    out[used] = 0;
    close(fds[0]);
    if (rc) {
        errno = rc;
        return -1;
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* argv: sbatch --parsable OPTS... EXTRA... SCRIPT; job id into id. */
static int sbatch(const char *const *opts, int n_opts, char *extra, const char *script, char *id,
                  size_t id_len, pk_error_t *err)
{
    char *argv[MAX_ARGS];
    int n = 0;
    const char *bin = getenv("SBATCH") ? getenv("SBATCH") : "sbatch";
    argv[n++] = (char *)bin;
    argv[n++] = "--parsable";
    for (int i = 0; i < n_opts; i++)
        argv[n++] = (char *)opts[i];
    for (char *t = extra ? strtok(extra, " \t") : NULL; t && n < MAX_ARGS - 2; t = strtok(NULL, " \t"))
        argv[n++] = t;
    argv[n++] = (char *)script;
    argv[n] = NULL;
    int st = run_capture(argv, id, id_len);
    id[strcspn(id, ";\n")] = 0;  /* --parsable: "jobid[;cluster]" */
    if (st != 0 || !id[0])
        return pk_error_set(err, PK_EIO, script, 0, "slurm", "%s failed (%s)", bin,
                            st < 0 ? strerror(errno) : "non-zero exit status or no job id");
    return 0;
}

int pk_slurm_submit(const char *exe, const char *spec, const char *dir, int tasks,
                    const char *extra, int wait, pk_error_t *err)
{
    char sub[4200], task_sh[4200], merge_sh[4200], log_t[4200], log_m[4200], mode[64];
    snprintf(sub, sizeof sub, "%s/slurm", dir);
    if (pk_sw_mkdirs(sub))
        return pk_error_set(err, PK_EIO, sub, 0, "slurm", "cannot create: %s", strerror(errno));
    snprintf(mode, sizeof mode, "--task \"$SLURM_ARRAY_TASK_ID/%d\"", tasks);
    int rc = write_script(dir, "task", exe, spec, mode, err);
    if (!rc)
        rc = write_script(dir, "merge", exe, spec, "--merge", err);
    if (rc)
        return rc;
    if (snprintf(task_sh, sizeof task_sh, "%s/task.sh", sub) >= (int)sizeof task_sh ||
        snprintf(merge_sh, sizeof merge_sh, "%s/merge.sh", sub) >= (int)sizeof merge_sh ||
        snprintf(log_t, sizeof log_t, "--output=%s/task-%%a.log", sub) >= (int)sizeof log_t ||
        snprintf(log_m, sizeof log_m, "--output=%s/merge.log", sub) >= (int)sizeof log_m)
        return pk_error_set(err, PK_EINPUT, dir, 0, "--out", "path too long");
    char array[32], dep[96], id[64], id2[64];
    snprintf(array, sizeof array, "--array=0-%d", tasks - 1);
    char *ex1 = extra ? strdup(extra) : NULL, *ex2 = extra ? strdup(extra) : NULL;
    const char *o1[] = { array, "--job-name=pikesweep", log_t };
    rc = sbatch(o1, 3, ex1, task_sh, id, sizeof id, err);
    if (!rc) {
        snprintf(dep, sizeof dep, "--dependency=afterok:%s", id);
        /* a failed array makes the dependency unsatisfiable: cancel the merge
         * job then instead of leaving it (and a --wait) pending forever */
        const char *o2[] = { dep, "--kill-on-invalid-dep=yes", "--job-name=pikesweep-merge", log_m,
                             "--wait" };
        rc = sbatch(o2, wait ? 5 : 4, ex2, merge_sh, id2, sizeof id2, err);
        if (!rc)
            printf("pikesweep: submitted job array %s (%d tasks) and merge job %s; logs in %s\n",
                   id, tasks, id2, sub);
    }
    free(ex1);
    free(ex2);
    return rc;
}
