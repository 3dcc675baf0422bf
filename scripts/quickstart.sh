#!/usr/bin/env bash
# Quick start, step 1: install dependencies, build, generate the RTL bundle
# for hw_configs/edge.yaml and simulate a shipped network on it: both the v2
# microarchitecture, every tool's default (pk_core2, the v2 model; --arch v1
# gives v1).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
./build/gen/pikegen --config hw_configs/edge.yaml --out out/edge --force
./build/sim/pikesim --config hw_configs/edge.yaml --network networks/resnet18_w4a4.yaml
