#!/bin/sh
# venv.sh - the benchmark virtual environment benches/.venv
# (benches/requirements.txt), made once by scripts/mkvenv.sh; prints the path
# of its python.
# Usage: PY=$(benches/venv.sh)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../scripts/mkvenv.sh" "$HERE/.venv" "$HERE/requirements.txt"
