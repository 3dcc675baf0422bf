#!/bin/bash
# bench_v2plan.sh - the v2 draft (docs/ARCHITECTURE.md) measured on paper:
# for the zoo on edge, cloud and ice40, v1's cycles, the roofline bound of
# issue 10, the cycles the v2 plan (core/pk_plan) predicts, its fraction of
# the bound, DRAM bytes against compulsory and the average read request; the
# layers over their own target; a PPU-width what-if for cloud and a
# max_burst sweep on edge; and the v2 cycle model's cycles (`pikesim --arch
# v2 --timing-only`, sim/pk_v2) beside the plan's for the four targets (the
# script fails if they differ).
#
#   benches/bench_v2plan.sh --build BUILD --out RESULTS_DIR [--quick]
#
# Uses BUILD's driver BUILD/benches/v2plan (benches/v2plan.c, built by CMake,
# target v2plan; the v1 cycles are sim/pk_timing, the model of `pikesim
# --timing-only`: the script checks that they equal pikesim's own totals for
# the four target networks).  Writes
# RESULTS_DIR/v2plan.md and v2plan.json atomically.  The plan is analytical
# and deterministic: one run, no repetitions, no seeds.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=""
OUT=""
QUICK=0
while [ $# -gt 0 ]; do
    case "$1" in
        --build) BUILD=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --quick) QUICK=1; shift ;;
        *) echo "bench_v2plan.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -n "$BUILD" ] && [ -n "$OUT" ] || {
    echo "usage: benches/bench_v2plan.sh --build BUILD --out RESULTS_DIR [--quick]" >&2; exit 2; }
die() { echo "bench_v2plan.sh: $*" >&2; exit 1; }
for f in sim/pikesim; do
    [ -e "$BUILD/$f" ] || die "$BUILD/$f missing: build Pike first"
done
mkdir -p "$OUT" "$BUILD/benches"

DRIVER=$BUILD/benches/v2plan
[ -x "$DRIVER" ] || die "$DRIVER missing: build it (cmake --build $BUILD --target v2plan)"

TARGETS="resnet18_w4a4 resnet50_w4a4 mobilenetv2_w4a4 pikelpn_1x"
OTHERS="mobilenetv1_w4a4 resnet34_w4a4 resnet18_w8a8 pokebnn_1_0 reactnet_a"
[ "$QUICK" = 1 ] && OTHERS=""
nets() { for n in "$@"; do printf -- '--network networks/%s.yaml ' "$n"; done; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"

# v1 cycles (sim/pk_timing) and bound (sim/pk_roofline) of the driver against
# pikesim --timing-only's own totals (the first "cycles" and "roofline_cycles"
# keys of its JSON are those of "totals")
json_total() { grep -o "\"$1\": [0-9]*" "$2" | head -1 | grep -o '[0-9]*$'; }
: > "$TMP/model.md"
for c in edge cloud; do
    for n in $TARGETS; do
        "$BUILD/sim/pikesim" --config "hw_configs/$c.yaml" --network "networks/$n.yaml" \
            --timing-only --arch v1 --json "$TMP/p.json" > /dev/null || die "pikesim failed on $c/$n"
        # shellcheck disable=SC2046
        "$DRIVER" --config "hw_configs/$c.yaml" $(nets "$n") > "$TMP/d.md"
        for kc in 4:cycles 6:roofline_cycles; do
            want=$(json_total "${kc#*:}" "$TMP/p.json")
            got=$(awk -F'|' -v k="${kc%%:*}" 'NR == 3 { gsub(/ /, "", $k); print $k }' "$TMP/d.md")
            [ "$want" = "$got" ] || die "${kc#*:} differ on $c/$n: pikesim $want, driver $got"
        done
        # the v2 cycle model (pikesim --arch v2) beside the plan (column 7)
        "$BUILD/sim/pikesim" --config "hw_configs/$c.yaml" --network "networks/$n.yaml" \
            --timing-only --arch v2 --json "$TMP/m.json" > /dev/null || die "pikesim --arch v2 failed on $c/$n"
        plan=$(awk -F'|' 'NR == 3 { gsub(/ /, "", $7); print $7 }' "$TMP/d.md")
        model=$(json_total cycles "$TMP/m.json")
        [ "$plan" = "$model" ] || die "v2 model and plan differ on $c/$n: model $model, plan $plan"
        rd=$(json_total dram_rd_bytes "$TMP/m.json")
        wr=$(json_total dram_wr_bytes "$TMP/m.json")
        echo "| $c | $n | $plan | $model | $rd | $wr |" >> "$TMP/model.md"
    done
done

CMD_MAIN="v2plan --layers --config hw_configs/edge.yaml --config hw_configs/cloud.yaml --config hw_configs/ice40.yaml $(nets $TARGETS $OTHERS)"
CMD_PPU="v2plan --layers --ppu-lanes 128 --config hw_configs/cloud.yaml $(nets $TARGETS)"
# shellcheck disable=SC2086
"$BUILD/benches/"$CMD_MAIN --json "$TMP/main.json" > "$TMP/main.md" || die "v2plan failed"
# shellcheck disable=SC2086
"$BUILD/benches/"$CMD_PPU --json "$TMP/ppu.json" > "$TMP/ppu.md" || die "v2plan failed"
: > "$TMP/burst.md"
for mb in 64 256 1024; do
    # shellcheck disable=SC2046
    "$DRIVER" --max-burst "$mb" --config hw_configs/edge.yaml $(nets resnet18_w4a4) \
        | awk -v mb="$mb" 'NR == 3 { print "| " mb " " $0 }' >> "$TMP/burst.md"
done

{
    echo "## 6. The v2 draft on paper: the plan's cycles against v1 and the roofline bound"
    echo
    echo "What: \`core/pk_plan\`, the analytical model of [docs/ARCHITECTURE.md](../../docs/ARCHITECTURE.md)"
    echo "(the v2 draft: activation ring, loop order per layer, burst DMA, exact timing), for zoo networks on the"
    echo "shipped configs, beside v1's cycle count (\`sim/pk_timing\`, the model \`pikesim --timing-only\` runs). Bound:"
    echo "issue 10's roofline as pikesim reports it (\`sim/pk_roofline\`, defined in docs/SIM.md: per layer max(ops /"
    echo "peak of the layer's mode, compulsory bytes / bytes_per_cycle), summed); the compulsory bytes are that"
    echo "definition's too (dense weights, 32-byte parameter records, inputs, output). v1 cycles and bound are checked"
    echo "equal to pikesim's own totals for the four target networks on edge and cloud in this run. The two-port"
    echo "bound puts reads and writes on their own ports of"
    echo "\`bytes_per_cycle\` each, as Pike's memory interface has them, so v2 can exceed issue 10's bound (fraction > 1)"
    echo "but not the two-port one. The v2 cycle model (table below) reproduces the plan exactly, and the v2 RTL"
    echo "(\`pk_core2\`) equals the model to the cycle on every layer it builds (\`pikecheck --arch v2\`; pikesim's report"
    echo "says how many of a network's layers those are: every layer of these networks on edge and cloud, but the"
    echo "NS / WB layers of the w8a8 ResNets). max_burst 256 bytes unless stated."
    echo
    echo "Targets (issue 10): fraction of bound >= 0.8 for ResNet-18 / ResNet-50 / MobileNetV2 / PikeLPN-1x w4a4 on"
    echo "edge and cloud (ResNet-18 on edge <= 1.75 M cycles); every conv/pool layer <= 1.5x its own bound (depthwise"
    echo "<= 2x) on edge; DRAM bytes <= 1.1x compulsory; average read request >= 64 B."
    echo
    cat "$TMP/main.md"
    echo
    echo "**The v2 cycle model** (\`pikesim --arch v2 --timing-only\`, \`sim/pk_v2\`: executes the v2 memory image's"
    echo "descriptors request by request) beside the plan; the script stops if any cycle count differs:"
    echo
    echo "| config | network | v2 plan cycles | v2 model cycles | model DRAM read (B) | model DRAM written (B) |"
    echo "|---|---|---|---|---|---|"
    cat "$TMP/model.md"
    echo
    echo "**Cloud with a 128-lane PPU** (\`postproc.lanes: 128\`, two rows per cycle; V2-9 proposes allowing it):"
    echo
    cat "$TMP/ppu.md"
    echo
    echo "**max_burst on edge, ResNet-18 w4a4** (cycles barely move; the request size follows the burst):"
    echo
    echo "| max_burst | config | network | v1 cycles | v1 / bound | bound | v2 plan cycles | v2 fraction of bound | v2 fraction of two-port bound | DRAM rd+wr / compulsory | avg read request (B) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    cat "$TMP/burst.md"
    echo
    echo "Commands (driver \`benches/v2plan.c\`, CMake target v2plan in BUILD/benches/, run from the source root):"
    echo
    echo '```'
    echo "benches/bench_v2plan.sh --build BUILD --out RESULTS_DIR$([ "$QUICK" = 1 ] && echo ' --quick')"
    echo "$CMD_MAIN"
    echo "$CMD_PPU"
    echo "v2plan --max-burst {64,256,1024} --config hw_configs/edge.yaml --network networks/resnet18_w4a4.yaml"
    echo '```'
} > "$TMP/v2plan.md"

{
    echo "{\"schema\": 1, \"quick\": $QUICK,"
    echo " \"commands\": [\"$CMD_MAIN\", \"$CMD_PPU\"],"
    echo " \"main\": $(cat "$TMP/main.json"),"
    echo " \"cloud_ppu128\": $(cat "$TMP/ppu.json")}"
} > "$TMP/v2plan.json"

cp "$TMP/v2plan.md" "$OUT/.v2plan.md.tmp" && mv "$OUT/.v2plan.md.tmp" "$OUT/v2plan.md"
cp "$TMP/v2plan.json" "$OUT/.v2plan.json.tmp" && mv "$OUT/.v2plan.json.tmp" "$OUT/v2plan.json"
echo "bench_v2plan.sh: wrote $OUT/v2plan.md and $OUT/v2plan.json"
