#!/bin/sh
# run.sh - examples/quantize: train the float digits CNN (train.py, numpy, in the
# project's venv) and run it through every pikequant recipe (w8a8, w4a4, w4a4 with
# per-tensor weights, pikelpn, pikelpn with 4-bit DQ mantissas and 3-bit exponents),
# each with and without --factorize, on edge.yaml; writes examples/quantize/RESULTS.md
# (the table, the per-layer SNR table with the factorization gains, and the commands)
# from the runs.  The cost columns are the v1 model's (--arch v1): the committed
# RESULTS.md was measured before pikequant had --arch (v2 is its default now).
# Usage: examples/quantize/run.sh [BUILD_DIR]   (default: build)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${1:-$ROOT/build}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PY=$("$ROOT/scripts/onnx-venv.sh")
"$PY" "$HERE/train.py" "$WORK" > "$WORK/train.txt"
OUT=$HERE/RESULTS.md
: > "$WORK/rows.txt"
: > "$WORK/snr.txt"
: > "$WORK/iso.txt"
: > "$WORK/cmds.txt"
for r in w8a8 w4a4 "w4a4 --per-tensor" pikelpn "pikelpn --dq-mant-bits 4 --dq-exp-bits 3"; do
    for f in "" " --factorize"; do
        name=$(echo "$r$f" | tr -c 'a-z0-9\n' '-')
        args="--model digits_cnn.onnx --calib calib_x.npy --eval test_x.npy --labels test_y.npy --arch v1 --recipe $r$f"
        echo "pikequant $args --config hw_configs/edge.yaml --out $name" >> "$WORK/cmds.txt"
        # shellcheck disable=SC2086  # $args is a word list
        (cd "$WORK" && "$BUILD/quant/pikequant" $args --config "$ROOT/hw_configs/edge.yaml" \
            --out "$name") > "$WORK/log.txt"
        grep '^| [wp]' "$WORK/log.txt" >> "$WORK/rows.txt"
        row=$(grep '^| [wp]' "$WORK/log.txt" | awk -F' [|] ' '{print $1 " | " $2}')
        # per layer: "SNR" or "SNR (gain)" in the order conv1 dw pw fc
        grep '^layer' "$WORK/log.txt" | awk -v row="$row" '
            { snr = $4; g = ""; if (match($0, /gain [-+][0-9.]+/)) g = " (" substr($0, RSTART + 5, RLENGTH - 5) ")";
              cell = cell " | " snr g }
            END { print row cell " |" }' >> "$WORK/snr.txt"
        # per layer: the layer-isolated "SNR" or "SNR (isolated gain)"
        grep '^layer' "$WORK/log.txt" | awk -v row="$row" '
            { snr = "-"; g = "";
              if (match($0, /; isolated [-0-9.]+/)) snr = substr($0, RSTART + 11, RLENGTH - 11);
              if (match($0, /, isolated [-+][0-9.]+/)) g = " (" substr($0, RSTART + 11, RLENGTH - 11) ")";
              cell = cell " | " snr g }
            END { print row cell " |" }' >> "$WORK/iso.txt"
    done
done
{
    echo "# pikequant on the example digits CNN (made by examples/quantize/run.sh)"
    echo
    echo "Float model: $(cat "$WORK/train.txt")."
    echo "Calibration: the first 256 digits (training images); top-1 and SNR: the 497 held-out"
    echo "images; config hw_configs/edge.yaml. Pike top-1 is pikesim's bit-exact functional model;"
    echo "ACE / ACEv2 / energy per inference from pk_sim_run, the v1 model (\`--arch v1\`, docs/SIM.md). \`+per-tensor\`: the"
    echo "inner layers' weights (dw, pw) with one scale per tensor; \`+dq4m3e\`: DQ mantissas of"
    echo "4 bits and exponents of 3 (edge.yaml allows 8 / 5)."
    echo
    echo "| recipe | factorize | float top-1 | Pike top-1 | gap (points) | ACE | ACEv2 | energy (pJ) |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F' [|] ' '{ f = $3; p = $4; sub(/%/, "", f); sub(/%/, "", p);
        printf "%s | %s | %s | %s | %+.2f | %s | %s | %s |\n", $1, $2, $3, $4, p - f, $5, $6, $7 }' \
        "$WORK/rows.txt"
    echo
    echo "## Per-layer output SNR against the float model (dB; with --factorize, the gain over"
    echo "## the same recipe without it in parentheses)"
    echo
    echo "| recipe | factorize | conv1 | dw | pw | fc |"
    echo "|---|---|---|---|---|---|"
    cat "$WORK/snr.txt"
    echo
    echo "## Per-layer isolated SNR (dB): the layer alone on the float model's input to it, quantized"
    echo "## by the layer's input quantizer; with --factorize, the isolated gain in parentheses"
    echo
    echo "| recipe | factorize | conv1 | dw | pw | fc |"
    echo "|---|---|---|---|---|---|"
    cat "$WORK/iso.txt"
    echo
    echo "## Commands (in the directory train.py wrote; \`$(basename "$0")\` runs them all)"
    echo
    echo '```'
    cat "$WORK/cmds.txt"
    echo '```'
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
