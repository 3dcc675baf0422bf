#!/bin/sh
# run.sh - examples/quantize: train the float digits CNN (train.py, numpy, in the
# project's venv) and run it through every pikequant recipe with and without
# --factorize on edge.yaml; writes examples/quantize/RESULTS.md (the table and the
# per-layer SNR lines) from the commands it ran.
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
{
    echo "# pikequant on the example digits CNN (made by examples/quantize/run.sh)"
    echo
    echo "Float model: $(cat "$WORK/train.txt")."
    echo "Calibration: the first 256 digits (training images); top-1 and SNR: the 497 held-out"
    echo "images; config hw_configs/edge.yaml. Pike top-1 is pikesim's bit-exact functional model;"
    echo "ACE / ACEv2 / energy per inference from pk_sim_run (docs/SIM.md)."
    echo
    echo "| recipe | factorize | float top-1 | Pike top-1 | ACE | ACEv2 | energy (pJ) |"
    echo "|---|---|---|---|---|---|---|"
} > "$OUT.tmp"
: > "$WORK/snr.txt"
for r in w8a8 w4a4 pikelpn; do
    for f in "" --factorize; do
        cmd="pikequant --model digits_cnn.onnx --calib calib_x.npy --eval test_x.npy --labels test_y.npy --recipe $r $f --config hw_configs/edge.yaml --out $r"
        (cd "$WORK" && "$BUILD/quant/pikequant" --model digits_cnn.onnx --calib calib_x.npy \
            --eval test_x.npy --labels test_y.npy --recipe $r $f \
            --config "$ROOT/hw_configs/edge.yaml" --out "$r$f") > "$WORK/log.txt"
        grep '^| [wp]' "$WORK/log.txt" >> "$OUT.tmp"
        { echo "\`$cmd\`:"; echo '```'; grep '^layer' "$WORK/log.txt"; echo '```'; } >> "$WORK/snr.txt"
    done
done
{ echo; echo "## Per-layer output SNR against the float model"; echo; cat "$WORK/snr.txt"; } >> "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
