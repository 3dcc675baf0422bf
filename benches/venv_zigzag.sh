#!/bin/sh
# venv_zigzag.sh - make (once) ZigZag's own virtual environment benches/.venv/zigzag from
# benches/requirements-zigzag.txt and print the path of its python (bench_zigzag.py runs ZigZag there;
# the benchmark venv of venv.sh keeps its own numpy/matplotlib).  Re-created when the requirements file
# changes (its SHA-256 in .venv/zigzag/pike-requirements.sha256); removed with benches/.venv when venv.sh
# re-creates that, and then made again here.
# Usage: ZPY=$(benches/venv_zigzag.sh)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=$HERE/.venv/zigzag
REQ=$HERE/requirements-zigzag.txt
want=$(sha256sum "$REQ" | cut -d' ' -f1)
have=$(cat "$VENV/pike-requirements.sha256" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
    rm -rf "$VENV"
    mkdir -p "$HERE/.venv"
    python3 -m venv "$VENV" >&2 || {
        echo "benches/venv_zigzag.sh: python3 -m venv failed (on Debian: apt-get install -y python3-venv)" >&2
        exit 1
    }
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >&2
    echo "$want" > "$VENV/pike-requirements.sha256"
fi
echo "$VENV/bin/python"
