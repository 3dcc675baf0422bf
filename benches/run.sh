#!/bin/bash
# run.sh - run every Pike benchmark on this machine and assemble the report.
#
#   benches/run.sh [--quick] [--only NAME[,NAME]] [--keep NAME[,NAME]] [--build DIR] [--out DIR]
#
# 1. builds pikegen, pikesim, pikecheck and v2plan (Release, PIKE_RTL_TESTS=OFF: the
#    Verilator unit tests are not needed) in build-bench/ (or --build DIR), with
#    cmake under nice, -j2;
# 2. makes sure the benchmark venv exists (benches/venv.sh);
# 3. runs each benches/bench_NAME.{py,sh} that implements the benchmark
#    interface (benches/README.md) as
#        bench_NAME --build BUILD --out OUT [--quick]
#    in the order verilator, scalesim, throughput, hw, metrics, v2plan, roofline, zigzag, then any others
#    (alphabetically); .py scripts run under the venv's python.  A bench's old
#    outputs (OUT/NAME.json, NAME.md, NAME_*.svg/png) are removed first, so
#    nothing stale is reported.  Each bench's wall time is printed;
# 4. benches/assemble.py writes RESULTS.md (next to OUT, i.e. benches/RESULTS.md
#    by default: the command, the mode, the commit, the machine, tool versions,
#    then each bench's section in the order above) and OUT/results.json, both
#    atomically.
# A bench that fails (non-zero exit, or no NAME.md / NAME.json) does not stop
# the others: its section says FAILED with the exit status and the last lines
# of its stderr, and run.sh exits 1 at the end.  --only runs just the named
# benches (RESULTS.md then holds only their sections: a report never mixes
# runs).  --keep does not run the named benches but reports their sections
# as they are in OUT (an earlier run's, e.g. the hours-long synthesis and
# ZigZag benches): the status table says "kept, not re-run" and RESULTS.md's
# header names them, so a reader knows which numbers are older.
# Benchmarks are never part of ctest.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
QUICK=0
ONLY=""
KEEP=""
BUILD=$ROOT/build-bench
OUT=$ROOT/benches/results
ORDER="verilator scalesim throughput hw metrics v2plan roofline zigzag"
CMDLINE="benches/run.sh${*:+ $*}"

usage() {
    echo "usage: benches/run.sh [--quick] [--only NAME[,NAME]] [--keep NAME[,NAME]] [--build DIR] [--out DIR]" >&2
    exit 2
}
die() { echo "run.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case $1 in
        --quick) QUICK=1 ;;
        --only) [ $# -ge 2 ] || usage; ONLY=$2; shift ;;
        --only=*) ONLY=${1#--only=} ;;
        --keep) [ $# -ge 2 ] || usage; KEEP=$2; shift ;;
        --keep=*) KEEP=${1#--keep=} ;;
        --build) [ $# -ge 2 ] || usage; BUILD=$2; shift ;;
        --out) [ $# -ge 2 ] || usage; OUT=$2; shift ;;
        -h|--help) usage ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
    esac
    shift
done
mkdir -p "$BUILD" "$OUT"
BUILD=$(cd "$BUILD" && pwd)
# pikecheck's Verilator models (bench_verilator) are kept with the build: the
# edge.yaml model takes minutes to build, once per RTL/harness version
export PIKE_CACHE_DIR=${PIKE_CACHE_DIR:-$BUILD/check-cache}
OUT=$(cd "$OUT" && pwd)
REPORT=$(dirname "$OUT")/RESULTS.md

# one run at a time per build directory
exec 9> "$BUILD/.bench-run.lock"
flock -n 9 || die "another benches/run.sh is using $BUILD"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
T0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# --- the benchmark list, in report order
all=""
for n in $ORDER; do
    if [ -e "$ROOT/benches/bench_$n.py" ] || [ -e "$ROOT/benches/bench_$n.sh" ]; then
        all="$all $n"
    fi
done
for f in "$ROOT"/benches/bench_*.py "$ROOT"/benches/bench_*.sh; do
    [ -e "$f" ] || continue
    n=$(basename "$f"); n=${n#bench_}; n=${n%.*}
    case " $ORDER $all " in *" $n "*) ;; *) all="$all $n" ;; esac
done
if [ -n "$ONLY" ]; then
    sel=""
    for n in $(echo "$ONLY" | tr ',' ' '); do
        case " $all " in *" $n "*) ;; *) die "--only: no benches/bench_$n.{py,sh} (have:$all)" ;; esac
    done
    for n in $all; do   # keep the report order
        case ",$ONLY," in *",$n,"*) sel="$sel $n" ;; esac
    done
    all=$sel
fi
[ -n "$all" ] || die "no benches/bench_*.{py,sh} to run"
for n in $(echo "$KEEP" | tr ',' ' '); do
    case " $all " in *" $n "*) ;; *) die "--keep: $n is not among the benches to report (have:$all)" ;; esac
    [ -s "$OUT/$n.md" ] && [ -s "$OUT/$n.json" ] || die "--keep: $OUT/$n.md or $n.json missing"
done

# --- build
echo "== build: $BUILD (Release, PIKE_RTL_TESTS=OFF; log $BUILD/bench-build.log)"
tb=$(date +%s.%N)
if ! { nice -n 10 cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DPIKE_RTL_TESTS=OFF &&
       nice -n 10 cmake --build "$BUILD" -j2 --target pikegen pikesim pikecheck v2plan; } \
        > "$BUILD/bench-build.log" 2>&1; then
    tail -n 30 "$BUILD/bench-build.log" >&2
    die "the build failed (log: $BUILD/bench-build.log)"
fi
echo "   built in $(elapsed "$tb") s"

# --- venv
PY=$("$ROOT/benches/venv.sh") || die "benches/venv.sh failed"
[ -x "$PY" ] || die "venv python $PY missing"

# --- run
: > "$TMP/status.tsv"
failed=0
for n in $all; do
    if [ -e "$ROOT/benches/bench_$n.py" ]; then f=$ROOT/benches/bench_$n.py; else f=$ROOT/benches/bench_$n.sh; fi
    rel=benches/$(basename "$f")
    note=""
    if [ -e "$ROOT/benches/bench_$n.py" ] && [ -e "$ROOT/benches/bench_$n.sh" ]; then
        note="bench_$n.sh not run: bench_$n.py has the same name"
    fi
    case ",$KEEP," in
        *",$n,"*)
            echo "== $n: kept ($OUT/$n.md of an earlier run, not re-run)"
            printf '%s\t%s\tkept\t\t\t%s\n' "$n" "$rel" "not re-run (--keep): the section of an earlier run" >> "$TMP/status.tsv"
            continue ;;
    esac
    if ! grep -q -- '--build' "$f" || ! grep -q -- '--out' "$f"; then
        echo "== $n: skipped ($rel does not take --build/--out: not the benchmark interface)"
        printf '%s\t%s\tskipped\t\t\t%s\n' "$n" "$rel" "does not take --build/--out (not the benchmark interface of benches/README.md)" >> "$TMP/status.tsv"
        continue
    fi
    rm -f "$OUT/$n.json" "$OUT/$n.md" "$OUT/$n"_*.svg "$OUT/$n"_*.png
    case $f in
        *.py) set -- "$PY" "$f" ;;
        *) if [ -x "$f" ]; then set -- "$f"; else set -- sh "$f"; fi ;;
    esac
    set -- "$@" --build "$BUILD" --out "$OUT"
    [ "$QUICK" = 1 ] && set -- "$@" --quick
    echo "== $n: $rel --build $BUILD --out $OUT$([ "$QUICK" = 1 ] && echo ' --quick')"
    ts=$(date +%s.%N)
    set +e
    # stdout to the terminal; stderr to the terminal and to a file (for a FAILED section)
    { "$@" 2>&1 1>&3 3>&- | tee "$TMP/$n.stderr" >&2; rc=${PIPESTATUS[0]}; } 3>&1
    set -e
    wall=$(elapsed "$ts")
    status=ok
    if [ "$rc" -ne 0 ]; then
        status=FAILED
    elif [ ! -s "$OUT/$n.md" ] || [ ! -s "$OUT/$n.json" ]; then
        status=FAILED
        note="exited 0 but did not write $n.md and $n.json${note:+; $note}"
    fi
    [ "$status" = ok ] || failed=$((failed + 1))
    echo "== $n: $status (exit $rc) in $wall s"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$rel" "$status" "$rc" "$wall" "$note" >> "$TMP/status.tsv"
done

# --- assemble
total=$(elapsed "$T0")
set +e
"$PY" "$ROOT/benches/assemble.py" --status "$TMP/status.tsv" --stderr-dir "$TMP" --out "$OUT" \
    --report "$REPORT" --build "$BUILD" --command "$CMDLINE" --quick "$QUICK" --wall "$total"
rc=$?
set -e
case $rc in
    0) ;;
    3) failed=$((failed + 1)) ;;
    *) die "benches/assemble.py failed (exit $rc)" ;;
esac
echo "== wrote $REPORT and $OUT/results.json ($total s in all)"
if [ "$failed" -gt 0 ]; then
    echo "run.sh: $failed benchmark(s) FAILED (see $REPORT)" >&2
    exit 1
fi
