#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS [config|net|onnx|quant|sweep|host|v2img|both|all] - build the libFuzzer harnesses
# with clang (ASan + UBSan + libFuzzer, no recovery) and run each for SECONDS
# on the committed seed corpus.  New corpus entries go to a scratch copy
# (FUZZ_WORK, default /tmp/pike-fuzz-work), not into the repository; crashing
# inputs land in FUZZ_WORK/<name>/ as crash-*/leak-*/timeout-*/oom-*.
# Copy those into tests/fuzz/regress/<name>/ once fixed: the hard_fuzz_regress
# test replays every file there (and the seed corpus) on each CI run.
# Needs: clang-14 (or CC=clang), libclang-rt-14-dev.  Runs at nice 19, one
# fuzzer process at a time (-jobs not used), deterministic seed (-seed=1
# unless FUZZ_SEED is set) so a run can be repeated.
set -euo pipefail
secs=${1:?usage: run.sh SECONDS [config|net|onnx|quant|sweep|host|v2img|both|all]}
which=${2:-both}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sweep_src=("$root"/sweep/pk_sweep_spec.c "$root"/sweep/pk_expr.c "$root"/sweep/pk_sweep_util.c)
host_src=("$root"/host/pk_host.c)
CC=${CC:-$(command -v clang-14 || command -v clang)}
work=${FUZZ_WORK:-/tmp/pike-fuzz-work}
seed=${FUZZ_SEED:-1}
mkdir -p "$work/bin" "$work/gen"
# the ONNX reader's protobuf-c code, generated as the CMake build does
protoc-c --c_out="$work/gen" -I/usr/include/onnx /usr/include/onnx/onnx.proto

flags=(-std=c11 -g -O1 -fno-omit-frame-pointer -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       "-DPIKE_SOURCE_ROOT=\"$root\"" -DPIKE_VERSION=\"fuzz\"
       -I"$root/core" -I"$root/sim" -I"$root/sweep" -I"$root/host" -I"$here" -I"$work/gen")
libs=$(pkg-config --cflags --libs libcyaml yaml-0.1 jansson libcrypto libprotobuf-c)
core_src=("$root"/core/*.c "$work/gen/onnx.pb-c.c")
sim_src=()
for f in "$root"/sim/*.c; do [ "$(basename "$f")" = main.c ] || sim_src+=("$f"); done

build() { # name extra-sources...
    local name=$1; shift
    echo "run.sh: building fuzz_$name with $CC"
    # shellcheck disable=SC2086
    "$CC" "${flags[@]}" -o "$work/bin/fuzz_$name" "$here/fuzz_$name.c" "${core_src[@]}" "$@" $libs -lm
}

run() { # name
    local name=$1
    local dir="$work/$name"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp -n "$here/corpus/$name"/* "$dir/corpus/" 2>/dev/null || true
    echo "run.sh: fuzz_$name for ${secs}s, seed $seed, log $dir/log"
    set +e
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    # -fork=1: one worker process at a time; a crash, leak, timeout or OOM
    # is saved as an artifact and the campaign goes on (FUZZ_STOP=1: stop at
    # the first finding instead).
    local mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    local dict=(-dict="$here/yaml.dict")
    [ "$name" = onnx ] || [ "$name" = quant ] || [ "$name" = host ] || [ "$name" = v2img ] && dict=()
    [ "${FUZZ_STOP:-0}" = 1 ] && mode=()
    nice -n 19 "$work/bin/fuzz_$name" "${mode[@]}" -seed="$seed" -max_total_time="$secs" \
        -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=65536 -print_final_stats=1 \
        "${dict[@]}" -artifact_prefix="$dir/artifacts/" \
        "$dir/corpus" >"$dir/log" 2>&1
    local rc=$?
    set -e
    grep -E '^stat::|^#[0-9]+: .*exec/s|^INFO: exiting|DONE' "$dir/log" | tail -4 || true
    ls "$dir/artifacts" 2>/dev/null | sed 's/^/run.sh: finding: /'
    echo "run.sh: fuzz_$name exit $rc"
    return $rc
}

status=0
case $which in
    config) build config && run config || status=1 ;;
    net) build net "${sim_src[@]}" && run net || status=1 ;;
    onnx) build onnx "${sim_src[@]}" && run onnx || status=1 ;;
    quant) build quant "${sim_src[@]}" && run quant || status=1 ;;  # pikequant's float side
    sweep) build sweep "${sweep_src[@]}" && run sweep || status=1 ;;
    host) build host "${host_src[@]}" && run host || status=1 ;;  # pikehost's link
    v2img) build v2img "${sim_src[@]}" && run v2img || status=1 ;;  # the v2 image decoder
    both|all)
        build config && run config || status=1
        build net "${sim_src[@]}" && run net || status=1
        if [ "$which" = all ]; then build onnx "${sim_src[@]}" && run onnx || status=1; fi
        if [ "$which" = all ]; then build quant "${sim_src[@]}" && run quant || status=1; fi
        if [ "$which" = all ]; then build sweep "${sweep_src[@]}" && run sweep || status=1; fi
        if [ "$which" = all ]; then build host "${host_src[@]}" && run host || status=1; fi
        if [ "$which" = all ]; then build v2img "${sim_src[@]}" && run v2img || status=1; fi ;;
    *) echo "run.sh: unknown target '$which' (config, net, onnx, quant, sweep, host, v2img, both or all)" >&2; exit 2 ;;
esac
exit $status
