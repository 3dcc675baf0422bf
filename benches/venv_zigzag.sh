#!/bin/sh
# venv_zigzag.sh - ZigZag's own virtual environment benches/.venv/zigzag
# (benches/requirements-zigzag.txt; the benchmark venv of venv.sh keeps its own
# numpy/matplotlib), made once by scripts/mkvenv.sh; prints the path of its
# python.  Removed with benches/.venv when venv.sh re-creates that, and then
# made again here.
# Usage: ZPY=$(benches/venv_zigzag.sh)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../scripts/mkvenv.sh" "$HERE/.venv/zigzag" "$HERE/requirements-zigzag.txt"
