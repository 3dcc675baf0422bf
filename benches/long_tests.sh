#!/bin/sh
# long_tests.sh [BUILD] - the full case counts of the tests that the default
# suite (scripts/test.sh) runs cut to its time budget (benches/README.md,
# "Long test runs"): check_random's 10 random configs (suite: 3),
# check_v2run's 10 (suite: 2), gen_lint's 20 random configs (suite: 5) and
# rtl_ld2_cloud with all 4 zoo networks (suite: 2), rtl_ld2_edge with all 4
# and the zoo's IS layers (suite: 1, the IS layers only in rtl_ld2_edge_lean),
# rtl_ld2_edge_lean with all 4 (suite: 3), rtl_ld2_edge_r18w8 / _lpn2 on the
# whole ResNet-18 w8a8 / PikeLPN-2x (suite: 2 of its 3 NS layers / 3 of its 5
# WB layers, tests/data/check/v2/r18w8_ns.yaml, lpn2_dw.yaml), gen_ecp5 with
# nextpnr's full timing-driven placement (suite: --no-tmdriv), pikecheck --arch v2 on
# cnn_u8c.onnx with 8 real images (onnx_v2_zp; the suite: zp.yaml, check_v2conv) and, when the
# sanitizer build SAN (default BUILD-sanitize, scripts/test-sanitize.sh's
# build-sanitize beside build) exists, v2_func under ASan + UBSan on all 8 zoo
# networks (sanitizer suite: 4).  Needs a build with PIKE_RTL_TESTS=ON (the
# default).  Prints each run's wall time; exits 1 if any fails.  Not a ctest
# test.  Usage: long_tests.sh [BUILD [SAN]]
set -u
B=${1:-build}
B=$(cd "$B" && pwd)
S=${2:-$B-sanitize}
R=$(cd "$(dirname "$0")/.." && pwd)
export PIKE_CACHE_DIR="${PIKE_CACHE_DIR:-$B/check-cache}"
fail=0
run() {
    name=$1; shift
    t0=$(date +%s)
    if "$@" >"$B/long-$name.log" 2>&1; then r=ok; else r=FAILED; fail=1; fi
    echo "$name: $r, $(( $(date +%s) - t0 )) s (log: $B/long-$name.log)"
}
run check_random env PIKE_CHECK_RANDOM_CASES=10 "$B/tests/test_check_random" --jobs 2
run check_v2run env PIKE_V2RUN_CASES=10 "$B/tests/test_check_v2run" --jobs 2
run gen_lint env PIKE_GEN_LINT_RANDOM=20 "$B/tests/test_gen_lint" --jobs 2
run ld2_cloud "$B/tests/rtl/ld2_cloud" --seeds 25 --zoo 4
run ld2_edge "$B/tests/rtl/ld2_edge" --seeds 25 --zoo 4 --is-zoo 1
run ld2_edge_lean "$B/tests/rtl/ld2_edge_lean" --seeds 0 --zoo 4
run ld2_edge_r18w8 "$B/tests/rtl/ld2_edge_lean" --seeds 0 --zoo 0 \
    --net "$R/hw_configs/edge.yaml" "$R/networks/resnet18_w8a8.yaml"
run ld2_edge_lpn2 "$B/tests/rtl/ld2_edge_lean" --seeds 0 --zoo 0 \
    --net "$R/hw_configs/edge.yaml" "$R/networks/pikelpn_2x.yaml"
run gen_ecp5_full env PIKE_ECP5_FULL_EFFORT=1 "$B/tests/test_gen_ecp5" --jobs 2
# the v2 RTL on a uint8 ONNX model whose padded first conv has the input zero point 128
# (V2-6.3), 8 real images: outputs, cycles and counters against pikesim
run onnx_v2_zp "$B/check/pikecheck" --arch v2 --config "$R/tests/data/onnx/wide_v2.yaml" \
    --network "$R/tests/data/onnx/cnn_u8c.onnx" --approx --input "$R/tests/data/onnx/digits_xc.npy" \
    --labels "$R/tests/data/onnx/digits_y.npy" --count 8
# the v2 RTL on the squeeze-and-excitation models (the channel-wise multiply, V2-6.1: operand B
# one pixel, the QuantNorm multiplier), 8 real images each
run onnx_v2_se "$B/check/pikecheck" --arch v2 --config "$R/tests/data/onnx/wide_v2.yaml" \
    --network "$R/tests/data/onnx/cnn_se_u8.onnx" --approx --input "$R/tests/data/onnx/digits_x.npy" \
    --labels "$R/tests/data/onnx/digits_y.npy" --count 8
run onnx_v2_qse "$B/check/pikecheck" --arch v2 --config "$R/tests/data/onnx/wide_v2.yaml" \
    --network "$R/tests/data/onnx/q_se.onnx" --input "$R/tests/data/onnx/digits_x.npy" --count 8
# the v2 RTL on the grouped models (a grouped conv's channel slices of 1 and 2 bytes, under the
# 4-byte beat: a run per pixel, V2-11.4 item 17), 8 real images each
run onnx_v2_geom "$B/check/pikecheck" --arch v2 --config "$R/tests/data/onnx/wide_v2.yaml" \
    --network "$R/tests/data/onnx/geom_u8.onnx" --approx --input "$R/tests/data/onnx/digits_x.npy" \
    --labels "$R/tests/data/onnx/digits_y.npy" --count 8
run onnx_v2_qgeom "$B/check/pikecheck" --arch v2 --config "$R/tests/data/onnx/wide_v2.yaml" \
    --network "$R/tests/data/onnx/q_geom.onnx" --input "$R/tests/data/onnx/digits_x.npy" --count 8
run onnx_v2_qadd "$B/check/pikecheck" --arch v2 --config "$R/tests/data/onnx/wide_v2.yaml" \
    --network "$R/tests/data/onnx/q_add_shift.onnx" --input "$R/tests/data/onnx/digits_x.npy" --count 8
if [ -x "$S/tests/test_v2_func" ]; then
    # as the sanitizer suite runs it (tests/CMakeLists.txt): a sanitizer report fails it
    run v2_func_asan env PIKE_V2_FUNC_ZOO= \
        ASAN_OPTIONS=detect_leaks=1:handle_segv=0:abort_on_error=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 sh -c \
        '"$@" && ! grep -qE "ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:" "$0"' \
        "$B/long-v2_func_asan.log" "$S/tests/test_v2_func" --jobs 2
else
    echo "v2_func_asan: skipped (no sanitizer build $S: scripts/test-sanitize.sh makes it)"
fi
exit $fail
