/* test_sweep_slurm.c - pikesweep --slurm on a real single-node Slurm cluster
 * (slurmctld + slurmd + munged started by tests/slurm/local_slurm.sh in a
 * scratch directory, stopped afterwards even when the test fails): the job
 * array's merged results must be byte-identical to a local run's, also for a
 * sweep that synthesizes its Pareto front (the second array, synth.sh; a
 * stand-in Yosys, tests/data/sweep/standin_yosys.sh, keeps it fast).
 *
 * It needs root and Debian's slurm-wlm + munge (scripts/install-deps.sh).
 * Where they are missing the test FAILS, so CI cannot pass without running
 * it; a developer may skip it explicitly with PIKE_SKIP_SLURM_TEST=1. */
#include <unistd.h>

#include "test_sweep_util.h"

#define LOCAL_SLURM PIKE_SOURCE_ROOT "/tests/slurm/local_slurm.sh"

static char *cluster;

static void stop_cluster(void)
{
    if (cluster) {
        sw_sh("%s stop %s/c", LOCAL_SLURM, cluster);
        sw_rmdir(cluster);
        cluster = NULL;
    }
}

Test(sweep_slurm, job_array_matches_local_run, .fini = stop_cluster, .timeout = 300)
{
    if (getenv("PIKE_SKIP_SLURM_TEST") && strcmp(getenv("PIKE_SKIP_SLURM_TEST"), "0"))
        cr_skip_test("PIKE_SKIP_SLURM_TEST is set");
    cr_assert(geteuid() == 0, "the Slurm test needs root (slurmd); set PIKE_SKIP_SLURM_TEST=1 to "
                              "skip it on purpose");
    cr_assert_eq(sw_sh("command -v sbatch >/dev/null && test -x /usr/sbin/slurmctld && "
                       "test -x /usr/sbin/munged"), 0,
                 "slurm-wlm and munge are not installed (scripts/install-deps.sh); set "
                 "PIKE_SKIP_SLURM_TEST=1 to skip this test on purpose");
    cluster = sw_tmpdir("slurm");
    cr_assert_eq(sw_sh("%s start %s/c > %s/env", LOCAL_SLURM, cluster, cluster), 0,
                 "could not start a local Slurm (logs in %s/c)", cluster);
    cr_assert_eq(sw_sh("export SLURM_CONF=%s/c/slurm.conf && %s --spec %s/small.yaml --out %s/s "
                       "--slurm --slurm-tasks 3 --wait > %s/submit.log 2>&1",
                       cluster, SWEEP, SWEEP_DATA, cluster, cluster), 0,
                 "pikesweep --slurm failed (see %s/submit.log, %s/s/slurm/)", cluster, cluster);
    char *sub = sw_slurp("%s/submit.log", cluster);
    cr_assert(sub && strstr(sub, "submitted job array") && strstr(sub, "(3 tasks)"), "%s", sub);
    free(sub);
    for (int t = 0; t < 3; t++) {
        char *log = sw_slurp("%s/s/slurm/task-%d.log", cluster, t);
        cr_assert(log && strstr(log, "to compute"), "task %d did not run: %s", t, log);
        free(log);
    }
    cr_assert_eq(sw_sh("%s --spec %s/small.yaml --out %s/l -q > /dev/null", SWEEP, SWEEP_DATA,
                       cluster), 0);
    sw_assert_same_subdirs(cluster, "s", "l");

    /* synthesis: the synth array after the simulation array, then the merge;
     * --arch v1 (both points on the front only under v1), which every step
     * must run for the merge to equal the local v1 run */
    cr_assert_eq(sw_sh("export SLURM_CONF=%s/c/slurm.conf YOSYS=%s/standin_yosys.sh && %s --spec "
                       "%s/synth.yaml --out %s/ss --synth pareto --arch v1 --slurm --slurm-tasks 2 "
                       "--wait > %s/submit2.log 2>&1", cluster, SWEEP_DATA, SWEEP, SWEEP_DATA, cluster,
                       cluster), 0, "pikesweep --slurm --synth failed (see %s/submit2.log, "
                       "%s/ss/slurm/)", cluster, cluster);
    sub = sw_slurp("%s/submit2.log", cluster);
    cr_assert(sub && strstr(sub, "synthesis array"), "%s", sub);
    free(sub);
    for (int t = 0; t < 2; t++) {
        char *log = sw_slurp("%s/ss/slurm/synth-%d.log", cluster, t);
        cr_assert(log && strstr(log, "synthesis: 1 points, 1 to synthesize"),
                  "synth task %d did not synthesize its point: %s", t, log);
        free(log);
    }
    cr_assert_eq(sw_sh("YOSYS=%s/standin_yosys.sh %s --spec %s/synth.yaml --out %s/sl --synth "
                       "pareto --arch v1 -q > /dev/null", SWEEP_DATA, SWEEP, SWEEP_DATA, cluster), 0);
    sw_assert_same_subdirs(cluster, "ss", "sl");
    cr_assert_eq(sw_sh("cmp %s/ss/synth.csv %s/sl/synth.csv", cluster, cluster), 0);
}
