#!/bin/sh
# standin_yosys.sh - a stand-in for Yosys in tests/test_sweep_synth.c (set as
# YOSYS), so that selection, caching, failures and the front-reorder report
# are tested in milliseconds; the real flow is tested once with real Yosys.
# `-V`: a version line.  `-q -s synth_FLOW.ys` (run in the bundle directory):
# writes build/synth_FLOW_stat.txt with "Number of cells: 50000 - 1000 * COLS"
# (COLS from rtl/pike_top.v), so larger arrays come out SMALLER than the
# estimate says: the front's order is reversed on purpose.
# STANDIN_EXIT=N: fail with status N; STANDIN_KILL=1: die by SIGKILL;
# STANDIN_SLEEP=S: create file $STANDIN_MARK, then take S seconds.
[ "$1" = "-V" ] && { echo "Yosys 0.0 (stand-in for tests)"; exit 0; }
[ -n "$STANDIN_SLEEP" ] && { : > "$STANDIN_MARK"; sleep "$STANDIN_SLEEP"; }
[ -n "$STANDIN_KILL" ] && kill -9 $$
[ -n "$STANDIN_EXIT" ] && { echo "ERROR: stand-in failure"; exit "$STANDIN_EXIT"; }
script=$3
flow=${script#synth_}
flow=${flow%.ys}
cols=$(sed -n 's/.*parameter COLS *= *\([0-9]*\).*/\1/p' rtl/pike_top.v | head -1)
printf '   Number of cells:                  1\n\n   Number of cells:              %d\n' \
    $((50000 - 1000 * cols)) > "build/synth_${flow}_stat.txt"
