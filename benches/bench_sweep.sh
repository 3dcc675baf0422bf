#!/usr/bin/env bash
# bench_sweep.sh - pikesweep throughput (issue 11 target: >= 1,000 config
# points x 5 zoo networks, timing + energy + estimated area, on 2 cores, in
# < 2 min, peak memory < 500 MB).
#
# Runs benches/sweep/bench1000.yaml (1,728 edge-class points, 1,584 valid, x
# ResNet-18, ResNet-50, MobileNetV2, PikeLPN-1x, ReActNet-A) from an empty
# cache with -j JOBS (default 2) under /usr/bin/time, then once more from the
# full cache, and prints: valid points, simulations, wall time, CPU time
# (user + system, all workers), peak RSS of the largest process, and the
# time per 1,000 points.  Wall time depends on what else runs on the
# machine; CPU time / JOBS is what the same run takes on JOBS idle cores.
# --arch v1: the committed numbers (docs/SWEEP.md, "Performance") were
# measured with the v1 model, before pikesweep had --arch (v2 is its default).
#
# Usage: benches/bench_sweep.sh [BUILD_DIR] [JOBS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
jobs=${2:-2}
sweep=$build/sweep/pikesweep
spec=$here/sweep/bench1000.yaml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # label -> "wall user sys maxrss_kb"
    /usr/bin/time -f "%e %U %S %M" -o "$out/time.$1" "$sweep" --spec "$spec" --out "$out/o" \
        -j "$jobs" --quiet --arch v1 > /dev/null
    cat "$out/time.$1"
}
read -r wall user sys rss < <(run cold)
valid=$(( $(wc -l < "$out/o/points.csv") - 1 ))
nets=5
points=$(( valid / nets ))
read -r wall2 user2 sys2 rss2 < <(run cached)
cpu=$(echo "$user + $sys" | bc)
echo "pikesweep bench: $points valid points x $nets networks = $valid simulations, -j $jobs, load $(cut -d' ' -f1 /proc/loadavg) at the end"
echo "  cold cache: wall $wall s, CPU $cpu s (user $user, sys $sys), peak RSS $(( rss / 1024 )) MB"
echo "  per 1,000 points: wall $(echo "scale=1; $wall * 1000 / $points" | bc) s, CPU/$jobs $(echo "scale=1; $cpu * 1000 / $points / $jobs" | bc) s"
echo "  full cache (rerun): wall $wall2 s, CPU $(echo "$user2 + $sys2" | bc) s, peak RSS $(( rss2 / 1024 )) MB"
