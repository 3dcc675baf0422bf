#!/bin/sh
# onnx-venv.sh - the virtual environment scripts/.onnx-venv of the ONNX-side
# tools (scripts/onnx-requirements.txt), made once by scripts/mkvenv.sh; prints
# the path of its python.  Used only to (re)make tests/data/onnx/ and examples;
# tests never run Python.
# Usage: PY=$(scripts/onnx-venv.sh)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/mkvenv.sh" "$HERE/.onnx-venv" "$HERE/onnx-requirements.txt"
