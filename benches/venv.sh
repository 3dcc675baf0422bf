#!/bin/sh
# venv.sh - make (once) the benchmark virtual environment benches/.venv from
# benches/requirements.txt and print the path of its python.  Re-created when
# requirements.txt changes (its SHA-256 is kept in .venv/pike-requirements.sha256).
# Usage: PY=$(benches/venv.sh)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=$HERE/.venv
REQ=$HERE/requirements.txt
want=$(sha256sum "$REQ" | cut -d' ' -f1)
have=$(cat "$VENV/pike-requirements.sha256" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
    rm -rf "$VENV"
    python3 -m venv "$VENV" >&2 || {
        echo "benches/venv.sh: python3 -m venv failed (on Debian: apt-get install -y python3-venv)" >&2
        exit 1
    }
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >&2
    echo "$want" > "$VENV/pike-requirements.sha256"
fi
echo "$VENV/bin/python"
