#!/bin/sh
# run.sh - examples/digits end to end (README.md): train the small digits CNN and quantize it
# (digits.py: onnxruntime int8 QDQ and a 4-bit QONNX model, with their reference outputs on all
# 1,797 images), then pikeimport, pikegen, pikesim --input on all 1,797 images (accuracy, code
# agreement with onnxruntime / qonnx, energy per inference) and pikecheck --input on 8 images
# (RTL under Verilator == pikesim), and pikeimport --check-configs (which configs run each model
# exactly); writes examples/digits/RESULTS.md from the runs.
# Every tool runs with --arch v1 (pk_core and the v1 model: the committed RESULTS.md is v1's; the
# tools' default is v2 since issue 10).
# Usage: examples/digits/run.sh [BUILD_DIR]   (default: build; OUT=DIR keeps the files)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
WORK=${OUT:-$(mktemp -d)}
[ -n "${OUT:-}" ] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK"
PY=$("$ROOT/scripts/onnx-venv.sh")
WIDE=$ROOT/tests/data/onnx/edge_wide.yaml    # edge with 16-bit QuantNorm / DQ multipliers
SMALL=$ROOT/tests/data/onnx/wide_small.yaml  # edge_wide's post-processing on a 2 x 8 array
EDGE=$ROOT/hw_configs/edge.yaml
: > "$WORK/rows.txt"
: > "$WORK/check.txt"
: > "$WORK/cmds.txt"
run() { # log the command (paths relative to the checkout / the work directory), then run it
    echo "$*" | sed "s#$BUILD/#build/#g; s#$ROOT/##g; s#$WORK/##g; s#$WORK#OUT#g" >> "$WORK/cmds.txt"
    "$@"
}

run "$PY" "$HERE/digits.py" "$WORK" > "$WORK/ref.txt"
# model, config, flags of each row
while read -r model cfg flags; do
    c=$(eval echo "\$$cfg")
    tag=$model-$(basename "$c" .yaml)
    # shellcheck disable=SC2086  # $flags is a word list
    run "$BUILD/import/pikeimport" --model "$WORK/$model.onnx" --config "$c" --out "$WORK/$tag" \
        $flags > "$WORK/$tag.import.txt" 2>&1
    [ -d "$WORK/rtl-$cfg" ] || run "$BUILD/gen/pikegen" --arch v1 --config "$c" --out "$WORK/rtl-$cfg" \
        > /dev/null
    # shellcheck disable=SC2086
    run "$BUILD/sim/pikesim" --arch v1 --config "$c" --network "$WORK/$model.onnx" $flags \
        --input "$WORK/x.npy" --labels "$WORK/y.npy" --output "$WORK/$tag.npy" > "$WORK/$tag.sim.txt"
    cmp=$("$PY" "$HERE/digits.py" compare "$WORK/$model.ref.npy" "$WORK/$tag.npy" "$WORK/y.npy")
    pj=$(sed -n 's/^energy (simulated, pJ): .*total \([0-9.]*\)$/\1/p' "$WORK/$tag.sim.txt")
    ex=$(grep -q '^approx:' "$WORK/$tag.import.txt" && echo "no (--approx: $(grep -c '^approx:' \
        "$WORK/$tag.import.txt") layers <= 1 LSB)" || echo "yes")
    echo "| $model | $(basename "$c") | $ex | $cmp | $(awk -v p="$pj" 'BEGIN { printf "%.3f", p / 1e6 }') |" \
        >> "$WORK/rows.txt"
done <<ROWS
digits_int8 WIDE --approx
digits_int8 EDGE --approx
digits_q4 EDGE
digits_q4 WIDE
ROWS
for model in digits_int8 digits_q4; do # which configs run each model exactly, and what is missing
    run "$BUILD/import/pikeimport" --model "$WORK/$model.onnx" --check-configs "$EDGE" "$WIDE" \
        "$ROOT/hw_configs/ice40.yaml" > "$WORK/configs-$model.txt" || true
done
while read -r model flags; do
    st=0
    # shellcheck disable=SC2086  # $flags is a word list
    run "$BUILD/check/pikecheck" --arch v1 --config "$SMALL" --network "$WORK/$model.onnx" $flags \
        --input "$WORK/x.npy" --labels "$WORK/y.npy" --count 8 > "$WORK/check-$model.txt" \
        2>/dev/null || st=$?
    printf '%s on wide_small.yaml (exit status %s):\n\n```\n%s\n```\n\n' "$model" "$st" \
        "$(sed "s#$WORK/##g" "$WORK/check-$model.txt")" >> "$WORK/check.txt"
done <<MODELS
digits_int8 --approx
digits_q4
MODELS

{
    echo "# examples/digits: results (written by examples/digits/run.sh)"
    echo
    echo "Reference top-1 (\`digits.py\`: test split of 360 images, all 1,797 images):"
    echo
    echo '```'
    cat "$WORK/ref.txt"
    echo '```'
    echo
    echo "## pikesim --input on all 1,797 images, against onnxruntime (int8) and qonnx (q4), code for code"
    echo
    echo "| model | config | exact import | codes equal | images with all 10 codes equal | max \\|diff\\| | top-1 agreement | reference top-1 | Pike top-1 | energy per inference (uJ, pikesim) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    cat "$WORK/rows.txt"
    echo
    echo "## pikeimport --check-configs: which configs run each model exactly"
    echo
    for model in digits_int8 digits_q4; do
        printf '%s:\n\n```\n%s\n```\n\n' "$model" "$(cat "$WORK/configs-$model.txt")"
    done
    echo "## pikecheck --input: the first 8 images through the RTL (Verilator) and pikesim"
    echo
    cat "$WORK/check.txt"
    echo "## Commands"
    echo
    echo '```'
    cat "$WORK/cmds.txt"
    echo '```'
} > "$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
