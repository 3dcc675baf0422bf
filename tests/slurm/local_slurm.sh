#!/usr/bin/env bash
# local_slurm.sh start|stop DIR - a private single-node Slurm cluster in DIR,
# for the sweep_slurm test (tests/test_sweep_slurm.c).
#
# start: a fresh munge key and munged on its own socket, a slurm.conf naming
# this host as controller and only compute node (ports chosen from DIR's
# process id range, state and logs under DIR), slurmctld and slurmd as root;
# waits until the node is idle and prints `export SLURM_CONF=DIR/slurm.conf`.
# stop: ends exactly the daemons this script started (pid files in DIR).
# Needs root, munge and slurm-wlm (scripts/install-deps.sh).
set -euo pipefail
cmd=${1:?usage: local_slurm.sh start|stop DIR}
dir=${2:?usage: local_slurm.sh start|stop DIR}

stop() {
    for p in slurmd slurmctld munged; do
        if [ -s "$dir/$p.pid" ]; then
            pid=$(cat "$dir/$p.pid")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
            rm -f "$dir/$p.pid"
        fi
    done
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "local_slurm.sh: unknown command $cmd" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "local_slurm.sh: must run as root (slurmd)" >&2; exit 1; }
for t in munged slurmctld slurmd sbatch sinfo; do
    command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || {
        echo "local_slurm.sh: $t not found (scripts/install-deps.sh installs slurm-wlm, munge)" >&2; exit 1; }
done
export PATH=$PATH:/usr/sbin
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir" "$dir/munge"
host=$(hostname -s)
base=$(( 20000 + ($$ % 2000) * 2 ))

dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.sock" \
       --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/seed"

cat > "$dir/slurm.conf" <<CONF
ClusterName=piketest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$base
SlurmdPort=$(( base + 1 ))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=pike Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
trap 'stop; exit 1' ERR
slurmctld -f "$SLURM_CONF" -i
slurmd -f "$SLURM_CONF"
for _ in $(seq 150); do
    state=$(sinfo -h -N -o %t 2>/dev/null | head -1 || true)
    [ "$state" = idle ] && { echo "export SLURM_CONF=$SLURM_CONF"; exit 0; }
    sleep 0.2
done
echo "local_slurm.sh: node not idle after 30 s (state '${state:-?}'); logs in $dir" >&2
tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
stop
exit 1
