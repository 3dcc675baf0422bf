#!/usr/bin/env bash
# area_gather.sh - the data the sweep's area model is fitted to (issue 11, item 1).
#
# For every configuration listed in benches/area/configs.txt (one line each:
# NAME ROWS COLS LANES WBITS ABITS PPLANES ACTS; widths and activations as
# comma lists), this writes a hardware config (the ice40.yaml template below,
# with the listed keys changed and the dependent widths derived the way
# docs/CONFIG.md requires), runs `pikegen` on it and synthesizes what pikegen
# wrote with Yosys' generic flow, block RAMs kept as memory cells
# (benches/hw/synth_generic_bram.ys.in, the same flow as bench_hw.py's
# "generic, BRAM kept" rows).  One CSV row per config goes to OUT:
#   name,rows,cols,lanes,wbits,abits,pplanes,acts,acc_bits,cells,wall_s
# cells = Yosys generic cells of the whole hierarchy (gates + FFs + RAM cells).
# Rows already present in OUT are kept (a rerun only synthesizes what is missing),
# so the data can be gathered in pieces on a busy machine.
#
# --arch picks the microarchitecture pikegen generates (default v1, the arch
# benches/area/data.csv was gathered for; v2's rows live in benches/area/data_v2.csv).
#
# Usage: benches/area_gather.sh [--arch v1|v2] BUILD_DIR OUT.csv [CONFIGS.txt]
# Then: BUILD_DIR/sweep/pikesweep-areafit --arch ARCH OUT.csv > sweep/pk_area_coef_ARCH.h
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: area_gather.sh [--arch v1|v2] BUILD_DIR OUT.csv [CONFIGS.txt]"
arch=v1
if [ "${1:-}" = "--arch" ]; then arch=${2:?$usage}; shift 2; fi
case $arch in v1|v2) ;; *) echo "area_gather: --arch must be v1 or v2 (got '$arch')" >&2; exit 2 ;; esac
build=${1:?$usage}
out=${2:?$usage}
list=${3:-$here/area/configs.txt}
pikegen=$build/gen/pikegen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$out" ] || echo "name,rows,cols,lanes,wbits,abits,pplanes,acts,acc_bits,cells,wall_s" > "$out"

maxof() { tr ',' '\n' <<<"$1" | sort -n | tail -1; }
minof() { tr ',' '\n' <<<"$1" | sort -n | head -1; }

write_cfg() { # name rows cols lanes wbits abits pplanes acts -> YAML on stdout
    local name=$1 rows=$2 cols=$3 lanes=$4 wb=$5 ab=$6 ppl=$7 acts=$8
    local mw ma L acc wordb
    mw=$(maxof "$wb"); ma=$(maxof "$ab")
    L=$(( mw > ma ? mw : ma ))
    acc=$(( mw + ma + 12 ))                       # max_reduction 4096
    wordb=$(( lanes * L / 8 ))
    cat <<YAML
name: $name
clock_mhz: 24
array: {rows: $rows, cols: $cols, lanes: $lanes}
precision: {weight_bits: [${wb//,/, }], act_bits: [${ab//,/, }], acc_bits: $acc, max_reduction: 4096}
postproc:
  lanes: $ppl
  internal_bits: $acc
  qn_mult_bits: 8
  qn_bias_bits: 16
  qn_shift_bits: 5
  dq_mant_bits: 8
  dq_exp_bits: 5
  act_param_bits: 8
  act_shift_bits: 4
  activations: [${acts//,/, }]
  residual: true
  residual_shift_bits: 3
  pooling: [max, avg]
buffers: {weights: $(( cols * wordb * 128 )), activations: $(( rows * wordb * 128 ))}
offchip: {bytes_per_cycle: 2, latency: 8, addr_bits: 24}
fpga: {family: generic}
YAML
}

grep -v '^\s*#' "$list" | grep -v '^\s*$' | while read -r name rows cols lanes wb ab ppl acts; do
    if grep -q "^$name," "$out"; then continue; fi
    write_cfg "$name" "$rows" "$cols" "$lanes" "$wb" "$ab" "$ppl" "$acts" > "$tmp/$name.yaml"
    "$pikegen" --arch "$arch" --config "$tmp/$name.yaml" --out "$tmp/$name" --force > /dev/null
    reads=$(sed -n 's/^read_verilog \(.*\)$/read_verilog \1/p' "$tmp/$name/synth_generic.ys")
    sed -e "/@READ@/{r /dev/stdin" -e "d}" -e "s|@TOP@|pike_top|" -e "s|@STAT@|$tmp/$name.stat|" \
        "$here/hw/synth_generic_bram.ys.in" <<<"$reads" > "$tmp/$name/area.ys"
    t0=$(date +%s.%N)
    (cd "$tmp/$name" && nice yosys -q -s area.ys > "$tmp/$name.log" 2>&1) || {
        echo "area_gather: $name: yosys failed (log: $tmp/$name.log)" >&2; tail -5 "$tmp/$name.log" >&2; exit 1; }
    t1=$(date +%s.%N)
    # hierarchy total when present (the last "Number of cells" line), else the only module's
    cells=$(grep -E '^ +Number of cells:' "$tmp/$name.stat" | tail -1 | awk '{print $4}')
    acc=$(( $(maxof "$wb") + $(maxof "$ab") + 12 ))     # as write_cfg
    printf '%s,%s,%s,%s,"%s","%s",%s,"%s",%s,%s,%.1f\n' "$name" "$rows" "$cols" "$lanes" "$wb" "$ab" \
        "$ppl" "$acts" "$acc" "$cells" "$(echo "$t1 - $t0" | bc)" >> "$out"
    echo "area_gather: $name: $cells cells ($(echo "$t1 - $t0" | bc | cut -d. -f1) s)" >&2
done
