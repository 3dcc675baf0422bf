#!/usr/bin/env bash
# Installs every Debian 12 package Pike needs to build, test and run the open
# FPGA flow.  Idempotent; uses sudo only when not already root.
# `install-deps.sh --list` only prints the package names (the one list;
# .ci/run installs from it).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PKGS=(
  build-essential cmake pkg-config git       # C11/C++ toolchain, CMake >= 3.25
  libcyaml-dev libyaml-dev                    # YAML configs and networks (libcyaml on libyaml)
  libjansson-dev                              # JSON: manifest.json, pikesim --json
  libssl-dev                                  # SHA-256 file hashes in manifest.json (libcrypto)
  libcriterion-dev                            # unit tests
  verilator iverilog                          # RTL lint, unit tests, pikecheck
  yosys nextpnr-ice40 fpga-icestorm           # synthesis, iCE40 place & route, bitstream
  valgrind                                    # tests hard_valgrind: pikegen / pikesim memcheck runs
  clang-14 libclang-rt-14-dev                 # tests/fuzz/run.sh: libFuzzer harnesses (not run by CI)
  slurm-wlm munge                             # tests sweep_slurm: a single-node Slurm for pikesweep --slurm
  chromium libpng-dev                         # test sim_html: headless render of pikesim --html, PNG pixel check
  python3 python3-venv                        # benches/: the venv for SCALE-Sim, matplotlib, numpy (PyPI)
  protobuf-c-compiler libprotobuf-c-dev       # ONNX import: protoc-c generates the C reader at build time
  libonnx-dev                                 # ONNX import: the schema, /usr/include/onnx/onnx.proto
)
if [ "${1:-}" = --list ]; then printf '%s\n' "${PKGS[@]}"; exit 0; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
echo "install-deps: ok"
