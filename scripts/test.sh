#!/usr/bin/env bash
# Quick start, step 2: build and run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
# The yowasp ECP5 tools of test gen_ecp5 (a venv from PyPI, made once and
# cached in .fpga-venv; the first call of each tool compiles its WebAssembly).
./scripts/fpga-venv.sh --warm >/dev/null
ctest --test-dir build --output-on-failure -j2 "$@"
# Then the sanitizer suite (ASan + UBSan, leaks fail; about 1-2 min on 2
# cores): only for the full run (no ctest arguments), and
# PIKE_SANITIZE_SUITE=0 skips it.
if [ $# -eq 0 ] && [ "${PIKE_SANITIZE_SUITE:-1}" != 0 ]; then
  ./scripts/test-sanitize.sh
fi
