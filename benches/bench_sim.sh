#!/bin/sh
# bench_sim.sh - pikesim on ResNet-18 w4a4 / edge.yaml: wall time and peak
# memory of a full bit-exact run and of --timing-only, and simulated MACs per
# second of wall time.  Targets (issue): full < 1 s on one core, timing-only
# < 20 ms, peak RSS < 200 MB.  Usage: benches/bench_sim.sh [BUILD_DIR] [REPS]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
REPS=${2:-5}
SIM=$BUILD/sim/pikesim
CFG=$ROOT/hw_configs/edge.yaml
NET=$ROOT/networks/resnet18_w4a4.yaml
[ -x "$SIM" ] || { echo "bench_sim: $SIM not built" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# best-of-REPS wall time (s) and peak RSS (kB) from /usr/bin/time -v
measure() {
    best=""; rss=0
    i=0
    while [ $i -lt "$REPS" ]; do
        /usr/bin/time -v "$SIM" --config "$CFG" --network "$NET" --json "$TMP/r.json" "$@" \
            > /dev/null 2> "$TMP/time.txt"
        w=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(k=1;k<=n;k++) s=s*60+a[k]; print s}' "$TMP/time.txt")
        r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time.txt")
        if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best=$w; fi
        [ "$r" -gt "$rss" ] && rss=$r
        i=$((i + 1))
    done
    echo "$best $rss"
}

# /usr/bin/time has 10 ms resolution: time timing-only in-process too
measure_loop() {
    n=50
    s=$(date +%s.%N)
    i=0
    while [ $i -lt $n ]; do
        "$SIM" --config "$CFG" --network "$NET" --timing-only > /dev/null
        i=$((i + 1))
    done
    e=$(date +%s.%N)
    awk "BEGIN{printf \"%.2f\", ($e - $s) * 1000 / $n}"
}

set -- $(measure)
full_s=$1; full_kb=$2
macs=$(python3 -c "import json; print(json.load(open('$TMP/r.json'))['totals']['macs'])" 2>/dev/null ||
       sed -n 's/.*"macs": \([0-9]*\).*/\1/p' "$TMP/r.json" | head -1)
set -- $(measure --timing-only)
to_s=$1; to_kb=$2
to_ms=$(measure_loop)

echo "pikesim bench: $NET on $CFG (best of $REPS; one process, one core)"
awk -v s="$full_s" -v kb="$full_kb" -v m="$macs" 'BEGIN{
  printf "full bit-exact run : %.3f s wall, peak RSS %.1f MB, %.3g simulated MACs/s (%d MACs)\n",
         s, kb/1024, (s > 0 ? m/s : 0), m }'
awk -v s="$to_s" -v kb="$to_kb" -v ms="$to_ms" 'BEGIN{
  printf "timing-only run    : %.1f ms wall per process (mean of 50 runs), peak RSS %.1f MB\n", ms, kb/1024 }'
echo "targets: full < 1 s, timing-only < 20 ms, peak < 200 MB"
