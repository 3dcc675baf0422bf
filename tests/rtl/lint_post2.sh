#!/bin/sh
# lint_post2.sh RTL_DIR CONTRACT_DIR - pk_post2 (the v2 POST engine) must be
# clean for any valid parameter set: `verilator --lint-only -Wall`,
# `iverilog -g2005` and, on small sets, Yosys synth-check (lint_check.sh) without
# latches (at PL = 1, and at PL >= 2 where the planes hold at most 16 KiB, the
# staging is block RAM, at PL >= 2 written by whole bytes with an asynchronous
# read of the written row; larger PL >= 2 shapes keep register staging, which takes
# Yosys minutes: ARCHITECTURE.md V2-11.5 "Scaling, step 3", "Scaling, step 7").
# Exits 1 on the first problem, printing it.
set -u
RTL=${1:?usage: lint_post2.sh RTL_DIR CONTRACT_DIR}
INC=${2:?usage: lint_post2.sh RTL_DIR CONTRACT_DIR}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FILES="$RTL/pk_post2.v $RTL/pk_ppu.v $RTL/pk_sats.v $RTL/pk_satu.v $RTL/pk_rshr.v $RTL/pk_decode.v
 $RTL/pk_rshr_sh.v $RTL/pk_rshr_fin.v
 $RTL/pk_quantnorm.v $RTL/pk_resadd.v $RTL/pk_requant.v $RTL/pk_act.v $RTL/pk_sat.v"
n=0
fail=0

. "$(dirname "$0")/lint_check.sh"

# edge-like, R not a power of two, one row with 128-bit words, PL = 1, small (synth)
check pk_post2 "ROWS=16 COLS=16 PP_LANES=16 LANES=8 SLOT_BITS=8 PORT_BYTES=16 MAX_BURST=256 REC_WORDS=2 B_WORDS=3"
check pk_post2 "ROWS=3 COLS=6 PP_LANES=3 LANES=4 SLOT_BITS=4 PORT_BYTES=4 MAX_BURST=8 REC_WORDS=8 B_WORDS=4"
# 3 planes for 5 rows: a group's planes wrap (rtl_post2_r5c6p3's shape)
check pk_post2 "ROWS=5 COLS=6 PP_LANES=3 LANES=4 SLOT_BITS=4 ACC_BITS=16 P_BITS=24 PORT_BYTES=4 MAX_BURST=8 REC_WORDS=8 B_WORDS=4"
check pk_post2 "ROWS=1 COLS=4 PP_LANES=4 LANES=16 SLOT_BITS=8 PORT_BYTES=16 MAX_BURST=16 REC_WORDS=1 B_WORDS=2 ADDR_BITS=24"
check pk_post2 "ROWS=2 COLS=4 PP_LANES=1 LANES=2 SLOT_BITS=4 ACC_BITS=12 P_BITS=16 PORT_BYTES=1 MAX_BURST=4 REC_WORDS=16 B_WORDS=5 RES_EN=0 ACT_MASK=7"
# ice40.yaml's shape (PL = 1: staging in block RAM)
check pk_post2 "ROWS=1 COLS=4 PP_LANES=1 LANES=8 SLOT_BITS=4 ACC_BITS=20 P_BITS=20 QN_BIAS_BITS=16 ACT_MASK=7 RES_SHIFT_BITS=3 PORT_BYTES=2 MAX_BURST=256 ADDR_BITS=24 REC_WORDS=2 B_WORDS=2" synth
check pk_post2 "ROWS=2 COLS=4 PP_LANES=2 LANES=8 SLOT_BITS=8 ACC_BITS=16 P_BITS=24 PORT_BYTES=4 MAX_BURST=8 REC_WORDS=2 B_WORDS=2" synth
# cloud.yaml's shape (PL = 64: NSL = 128 staging write slots, more than
# Verilator unrolls in one loop; lint only, Yosys would take long)
check pk_post2 "ROWS=64 COLS=64 PP_LANES=64 LANES=16 SLOT_BITS=8 ACC_BITS=32 P_BITS=32 PORT_BYTES=64 MAX_BURST=256 REC_WORDS=2 B_WORDS=5"

if [ $fail -ne 0 ]; then exit 1; fi
echo "lint_post2: $n parameter sets clean (verilator -Wall, iverilog -g2005; yosys synth-check on 2)"
