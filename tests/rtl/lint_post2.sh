#!/bin/sh
# lint_post2.sh RTL_DIR CONTRACT_DIR - pk_post2 (the v2 POST engine) must be
# clean for any valid parameter set: `verilator --lint-only -Wall`,
# `iverilog -g2005` and, on small sets, Yosys `synth; check -assert` without
# latches (the staging halves are registers: a large set takes Yosys minutes).
# Exits 1 on the first problem, printing it.
set -u
RTL=${1:?usage: lint_post2.sh RTL_DIR CONTRACT_DIR}
INC=${2:?usage: lint_post2.sh RTL_DIR CONTRACT_DIR}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FILES="$RTL/pk_post2.v $RTL/pk_ppu.v $RTL/pk_sats.v $RTL/pk_satu.v $RTL/pk_rshr.v $RTL/pk_decode.v
 $RTL/pk_quantnorm.v $RTL/pk_resadd.v $RTL/pk_requant.v $RTL/pk_act.v $RTL/pk_sat.v"
n=0
fail=0

# check "NAME=VAL ..." [synth]
check() {
    params=$1; synth=${2:-}
    n=$((n + 1))
    gv=""; pi=""; cy=""
    for kv in $params; do
        gv="$gv -G$kv"
        pi="$pi -Ppk_post2.$kv"
        cy="$cy -set ${kv%%=*} ${kv#*=}"
    done
    # shellcheck disable=SC2086
    if ! verilator --lint-only -Wall -I"$INC" $FILES --top-module pk_post2 $gv >"$TMP/v.log" 2>&1; then
        echo "FAIL verilator $params"; cat "$TMP/v.log"; fail=1; return
    fi
    # shellcheck disable=SC2086
    if ! iverilog -g2005 -Wall -I"$INC" -s pk_post2 $pi -o "$TMP/a.vvp" $FILES >"$TMP/i.log" 2>&1 ||
        [ -s "$TMP/i.log" ]; then
        echo "FAIL iverilog $params"; cat "$TMP/i.log"; fail=1; return
    fi
    if [ -n "$synth" ]; then
        # shellcheck disable=SC2086
        if ! yosys -q -p "read_verilog -I$INC $(echo $FILES); chparam$cy pk_post2; synth -top pk_post2; check -assert; select -assert-none t:\$dlatch t:\$_DLATCH_*" \
            >"$TMP/y.log" 2>&1; then
            echo "FAIL yosys $params"; tail -20 "$TMP/y.log"; fail=1; return
        fi
    fi
}

# edge-like, R not a power of two, one row with 128-bit words, PL = 1, cloud-like
check "ROWS=16 COLS=16 PP_LANES=16 LANES=8 SLOT_BITS=8 PORT_BYTES=16 MAX_BURST=256 REC_WORDS=2 B_WORDS=3"
check "ROWS=3 COLS=6 PP_LANES=3 LANES=4 SLOT_BITS=4 PORT_BYTES=4 MAX_BURST=8 REC_WORDS=8 B_WORDS=4"
check "ROWS=1 COLS=4 PP_LANES=4 LANES=16 SLOT_BITS=8 PORT_BYTES=16 MAX_BURST=16 REC_WORDS=1 B_WORDS=2 ADDR_BITS=24"
check "ROWS=2 COLS=4 PP_LANES=1 LANES=2 SLOT_BITS=4 ACC_BITS=12 P_BITS=16 PORT_BYTES=1 MAX_BURST=4 REC_WORDS=16 B_WORDS=5 RES_EN=0 ACT_MASK=7"
check "ROWS=2 COLS=4 PP_LANES=2 LANES=8 SLOT_BITS=8 ACC_BITS=16 P_BITS=24 PORT_BYTES=4 MAX_BURST=8 REC_WORDS=2 B_WORDS=2" synth

if [ $fail -ne 0 ]; then exit 1; fi
echo "lint_post2: $n parameter sets clean (verilator -Wall, iverilog -g2005; yosys synth + check -assert on 1)"
