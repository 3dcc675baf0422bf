#!/bin/sh
# lint_core2.sh RTL_DIR CONTRACT_DIR PARAMS_TOOL CONFIG... - the v2 top pk_core2
# with every engine it instantiates must be clean at each config's parameters
# as pikegen --arch v2 writes them (PARAMS_TOOL = v2_rtl_params: core/pk_v2_rtl.c
# pk_v2_rtl_params, one -GNAME=VALUE a line): `verilator --lint-only -Wall`,
# and on the first config only `iverilog -g2005` (Icarus takes more than 10
# minutes to elaborate edge's array) and, with SYNTH=1 in the environment,
# Yosys synth-check without latches (lint_check.sh).
# Exits 1 on the first problem, printing it.
set -u
RTL=${1:?usage: lint_core2.sh RTL_DIR CONTRACT_DIR PARAMS_TOOL CONFIG...}
INC=${2:?usage}
TOOL=${3:?usage}
shift 3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FILES="$RTL/pk_core2.v $RTL/pk_wbuf2.v $RTL/pk_regs.v $RTL/pk_counters.v $RTL/pk_ctrl2.v
 $RTL/pk_desc2.v $INC/pk_par2.v $RTL/pk_ld2.v $RTL/pk_ld2a.v $RTL/pk_widen.v $RTL/pk_ring2.v $RTL/pk_win2.v
 $RTL/pk_seq2.v $RTL/pk_array.v $RTL/pk_pe.v $RTL/pk_dot.v $RTL/pk_dot_planes.v $RTL/pk_addtree.v
 $RTL/pk_post2.v $RTL/pk_ppu.v $RTL/pk_sats.v $RTL/pk_satu.v $RTL/pk_rshr.v $RTL/pk_decode.v
 $RTL/pk_rshr_sh.v $RTL/pk_rshr_fin.v
 $RTL/pk_quantnorm.v $RTL/pk_resadd.v $RTL/pk_requant.v $RTL/pk_act.v $RTL/pk_sat.v $RTL/pk_sram.v"
n=0
fail=0

. "$(dirname "$0")/lint_check.sh"

# check_v TOP "NAME=VAL ...": Verilator only (the configs after the first)
check_v() {
    n=$((n + 1))
    gv=""
    for kv in $2; do gv="$gv -G$kv"; done
    # shellcheck disable=SC2086
    if ! verilator --lint-only -Wall -I"$INC" $FILES --top-module "$1" $gv >"$TMP/v.log" 2>&1; then
        echo "FAIL verilator $1 $2"; cat "$TMP/v.log"; fail=1
    fi
}

first=1
for cfg in "$@"; do
    if ! "$TOOL" "$cfg" >"$TMP/p.txt" 2>&1; then
        echo "FAIL $TOOL $cfg"; cat "$TMP/p.txt"; exit 1
    fi
    params=$(sed 's/^-G//' "$TMP/p.txt" | tr '\n' ' ')
    synth=""
    if [ "$first" = 1 ] && [ "${SYNTH:-0}" = 1 ]; then synth=synth; fi
    if [ "$first" = 1 ]; then check pk_core2 "$params" $synth; else check_v pk_core2 "$params"; fi
    first=0
    if [ $fail -ne 0 ]; then echo "(config $cfg)"; exit 1; fi
done
echo "lint_core2: pk_core2 clean at $n configs' parameters (verilator -Wall; iverilog -g2005 on the first)"
