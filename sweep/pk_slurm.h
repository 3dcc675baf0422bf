/* pk_slurm.h - a sweep as a Slurm job array (docs/SWEEP.md, "Slurm").
 *
 * pk_slurm_submit() writes DIR/slurm/task.sh and DIR/slurm/merge.sh and
 * submits them with sbatch: an array job of `tasks` tasks, task i running
 * `pikesweep --spec SPEC --out DIR --task i/tasks` (chunk i of the work list,
 * into DIR/cache - DIR must be on a file system every node sees), then a merge
 * job depending on it (afterok) running `pikesweep --spec SPEC --out DIR
 * --merge`, the same collect-and-write code as a local run.  With wait, the
 * merge job is submitted with sbatch --wait and its exit status is returned.
 *
 * extra: more sbatch options for both jobs (e.g. "--partition=cpu
 * --time=30"), split at blanks; NULL for none.  SBATCH (environment) names
 * the sbatch binary (default "sbatch").
 */
#ifndef PK_SLURM_H
#define PK_SLURM_H

#include "pk_error.h"

/* synth: the spec synthesizes points: a second array (synth.sh, running
 * --synth-task I/N) after the first, the merge after it.  synth_arg: the
 * --synth given on the command line (NULL: none), passed to every step.
 * arch: "v1" or "v2" (pikesweep --arch), passed to every step as --arch, so
 * every job evaluates the architecture the submitting command asked for. */
int pk_slurm_submit(const char *exe, const char *spec, const char *dir, int tasks,
                    const char *extra, int wait, int synth, const char *synth_arg,
                    const char *arch, pk_error_t *err);

#endif
