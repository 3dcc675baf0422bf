#!/usr/bin/env bash
# The sanitizer suite (what CI runs after the normal suite): a second build
# with ASan + UBSan (-fno-sanitize-recover=all), no Verilator unit tests, and
# every C test except the Verilator/Yosys-heavy ones (pikecheck, lint, iCE40
# place & route, the ECP5 bitstream flow: tool runs, already done once by
# the normal suite) and those whose time goes to other programs, not to
# Pike's C code: host_board (a second Verilator build of two board models
# into this build's own cache, then the simulation), sweep_synth (Yosys
# runs), sweep_slurm (a Slurm cluster started and stopped); their C code
# (pikehost's link, pikesweep) also runs in host_cli, sweep_run and
# sweep_spec here.  Leaks fail: see tests/CMakeLists.txt (the sanitizers'
# report text fails a test, since Criterion ignores a worker's exit status
# after the test has reported) and the hard_* tests, which run the CLIs as
# plain ASan executables.  Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${PIKE_SANITIZE_BUILD:-build-sanitize}
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIKE_SANITIZE=ON -DPIKE_RTL_TESTS=OFF >/dev/null
cmake --build "$dir" -j2
ctest --test-dir "$dir" --output-on-failure -j2 -E '^(rtl_.*|check_.*|gen_lint|gen_ice40|gen_ecp5|host_board|sweep_synth|sweep_slurm)$' "$@"
