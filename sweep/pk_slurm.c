/* pk_slurm.c - submit a sweep as a Slurm job array (pk_slurm.h).
 *
 * sbatch is run with posix_spawnp and --parsable (the job id on stdout), the
 * arguments passed as a vector (no shell between us and paths with blanks);
 * the two batch scripts quote every path for sh.
 */
#include "pk_slurm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk_sweep_util.h"

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
                        const char *mode, const char *synth, const char *arch, pk_error_t *err)
{
    pk_sw_buf_t b = { 0 };
    char path[4200];
    pk_sw_buf_add(&b, "#!/bin/sh\n# pikesweep %s step (written by pikesweep --slurm)\nexec ", name);
    sh_quote(&b, exe);
    pk_sw_buf_add(&b, " --spec ");
    sh_quote(&b, spec);
    pk_sw_buf_add(&b, " --out ");
    sh_quote(&b, dir);
    pk_sw_buf_add(&b, " %s --arch ", mode);
    sh_quote(&b, arch);
    if (synth) {
        pk_sw_buf_add(&b, " --synth ");
        sh_quote(&b, synth);
    }
    pk_sw_buf_add(&b, "\n");
    snprintf(path, sizeof path, "%s/slurm/%s.sh", dir, name);
    int rc = b.oom ? -1 : pk_sw_write_atomic(path, b.s, b.len);
    free(b.s);
    if (rc || chmod(path, 0755))
        return pk_error_set(err, PK_EIO, path, 0, "slurm", "cannot write: %s", strerror(errno));
    return 0;
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
    int st = pk_sw_run_capture(argv, id, id_len);
    id[strcspn(id, ";\n")] = 0;  /* --parsable: "jobid[;cluster]" */
    if (st != 0 || !id[0])
        return pk_error_set(err, PK_EIO, script, 0, "slurm", "%s failed (%s)", bin,
                            st < 0 ? strerror(errno) : "non-zero exit status or no job id");
    return 0;
}

/* sbatch an array job of tasks running script (log LOG-%a.log) after job
 * dep (NULL: none); its id into id. */
static int submit_array(const char *sub, const char *name, int tasks, const char *dep_id,
                        const char *extra, char *id, size_t id_len, pk_error_t *err)
{
    char script[4200], log[4200], array[32], dep[96], job[64];
    if (snprintf(script, sizeof script, "%s/%s.sh", sub, name) >= (int)sizeof script ||
        snprintf(log, sizeof log, "--output=%s/%s-%%a.log", sub, name) >= (int)sizeof log)
        return pk_error_set(err, PK_EINPUT, sub, 0, "--out", "path too long");
    snprintf(array, sizeof array, "--array=0-%d", tasks - 1);
    snprintf(dep, sizeof dep, "--dependency=afterok:%s", dep_id ? dep_id : "");
    snprintf(job, sizeof job, "--job-name=pikesweep-%s", name);
    char *ex = extra ? strdup(extra) : NULL;
    const char *o[] = { array, job, log, dep, "--kill-on-invalid-dep=yes" };
    int rc = sbatch(o, dep_id ? 5 : 3, ex, script, id, id_len, err);
    free(ex);
    return rc;
}

int pk_slurm_submit(const char *exe, const char *spec, const char *dir, int tasks,
                    const char *extra, int wait, int synth, const char *synth_arg,
                    const char *arch, pk_error_t *err)
{
    char sub[4200], merge_sh[4200], log_m[4200], mode[64], smode[64];
    snprintf(sub, sizeof sub, "%s/slurm", dir);
    if (pk_sw_mkdirs(sub))
        return pk_error_set(err, PK_EIO, sub, 0, "slurm", "cannot create: %s", strerror(errno));
    snprintf(mode, sizeof mode, "--task \"$SLURM_ARRAY_TASK_ID/%d\"", tasks);
    snprintf(smode, sizeof smode, "--synth-task \"$SLURM_ARRAY_TASK_ID/%d\"", tasks);
    int rc = write_script(dir, "task", exe, spec, mode, synth_arg, arch, err);
    if (!rc && synth)
        rc = write_script(dir, "synth", exe, spec, smode, synth_arg, arch, err);
    if (!rc)
        rc = write_script(dir, "merge", exe, spec, "--merge", synth_arg, arch, err);
    if (rc)
        return rc;
    if (snprintf(merge_sh, sizeof merge_sh, "%s/merge.sh", sub) >= (int)sizeof merge_sh ||
        snprintf(log_m, sizeof log_m, "--output=%s/merge.log", sub) >= (int)sizeof log_m)
        return pk_error_set(err, PK_EINPUT, dir, 0, "--out", "path too long");
    char dep[96], id[64], ids[64] = "", id2[64];
    rc = submit_array(sub, "task", tasks, NULL, extra, id, sizeof id, err);
    /* the synthesis array selects its points from every simulation: after the first */
    if (!rc && synth)
        rc = submit_array(sub, "synth", tasks, id, extra, ids, sizeof ids, err);
    if (!rc) {
        snprintf(dep, sizeof dep, "--dependency=afterok:%s", synth ? ids : id);
        /* a failed array makes the dependency unsatisfiable: cancel the merge
         * job then instead of leaving it (and a --wait) pending forever */
        const char *o2[] = { dep, "--kill-on-invalid-dep=yes", "--job-name=pikesweep-merge", log_m,
                             "--wait" };
        char *ex2 = extra ? strdup(extra) : NULL;
        rc = sbatch(o2, wait ? 5 : 4, ex2, merge_sh, id2, sizeof id2, err);
        free(ex2);
        if (!rc)
            printf("pikesweep: submitted job array %s (%d tasks)%s%s%s and merge job %s; logs in "
                   "%s\n", id, tasks, synth ? ", synthesis array " : "", ids,
                   synth ? " (after it)" : "", id2, sub);
    }
    return rc;
}
