#!/bin/sh
# mkvenv.sh - the one implementation of Pike's Python virtual environments.
# Makes (once) the venv VENV from the pip requirements file REQ and prints the
# path of its python.  The venv is re-created when REQ changes (its SHA-256 is
# kept in VENV/pike-requirements.sha256).  Every other venv script
# (scripts/onnx-venv.sh, scripts/fpga-venv.sh, benches/venv.sh,
# benches/venv_zigzag.sh) only names its VENV and REQ and calls this.
# Usage: PY=$(scripts/mkvenv.sh VENV REQ)
set -eu
if [ $# -ne 2 ]; then
    echo "usage: mkvenv.sh VENV REQUIREMENTS" >&2
    exit 2
fi
VENV=$1
REQ=$2
want=$(sha256sum "$REQ" | cut -d' ' -f1)
have=$(cat "$VENV/pike-requirements.sha256" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
    echo "mkvenv: installing $(basename "$REQ") into $VENV (once)" >&2
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    python3 -m venv "$VENV" >&2 || {
        echo "mkvenv.sh: python3 -m venv failed (on Debian: apt-get install -y python3-venv)" >&2
        exit 1
    }
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >&2
    echo "$want" > "$VENV/pike-requirements.sha256"
fi
echo "$(cd "$VENV/bin" && pwd)/python"
