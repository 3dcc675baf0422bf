#!/bin/sh
# onnx-venv.sh - make (once) the virtual environment scripts/.onnx-venv from
# scripts/onnx-requirements.txt and print the path of its python.  Re-created
# when the requirements change (SHA-256 kept in .onnx-venv/pike-requirements.sha256).
# Used only to (re)make tests/data/onnx/ and examples; tests never run Python.
# Usage: PY=$(scripts/onnx-venv.sh)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=$HERE/.onnx-venv
REQ=$HERE/onnx-requirements.txt
want=$(sha256sum "$REQ" | cut -d' ' -f1)
have=$(cat "$VENV/pike-requirements.sha256" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
    rm -rf "$VENV"
    python3 -m venv "$VENV" >&2 || {
        echo "scripts/onnx-venv.sh: python3 -m venv failed (on Debian: apt-get install -y python3-venv)" >&2
        exit 1
    }
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >&2
    echo "$want" > "$VENV/pike-requirements.sha256"
fi
echo "$VENV/bin/python"
