#!/bin/sh
# lint_units.sh RTL_DIR - every datapath template must be clean for any valid
# parameter set: `verilator --lint-only -Wall`, `iverilog -g2005` and Yosys
# synth-check (lint_check.sh: no latches, no undriven or multiply driven nets).
# Runs a grid of parameter sets (extremes of the config ranges of
# core/pk_config.c) and exits 1 on the first problem, printing it.
set -u
RTL=${1:?usage: lint_units.sh RTL_DIR [CONTRACT_DIR]}
INC=${2:-$RTL}     # where pk_contract.vh is (templates that include it)
GROUP=${3:-v1}     # v1: the datapath units; v2: the v2 core's engines
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FILES="$RTL/pk_dot.v $RTL/pk_dot_planes.v $RTL/pk_addtree.v $RTL/pk_pe.v $RTL/pk_sats.v $RTL/pk_satu.v $RTL/pk_rshr.v
 $RTL/pk_rshr_sh.v $RTL/pk_rshr_fin.v
 $RTL/pk_decode.v $RTL/pk_quantnorm.v $RTL/pk_resadd.v $RTL/pk_requant.v $RTL/pk_act.v $RTL/pk_sat.v
 $RTL/pk_ppu.v"
n=0
fail=0

. "$(dirname "$0")/lint_check.sh"
if [ "$GROUP" = v2 ]; then
    LINT_DEFER=1   # elaborate once, at each set's parameters (lint_check.sh)
fi

if [ "$GROUP" = v1 ]; then
# pk_dot / pk_pe: lanes x slot bits x modes x widths
for set in "1 1 1 2" "1 8 15 18" "3 8 8 33" "4 4 6 20" "2 2 3 12" "8 8 15 32" "64 2 2 40" "5 4 4 3"; do
    set -- $set
    check pk_dot "LANES=$1 SLOT_BITS=$2 MODES=$3 OUT_BITS=$4"
    check pk_pe "LANES=$1 SLOT_BITS=$2 MODES=$3 ACC_BITS=$4"
    # as pk_array instantiates it (ARCHITECTURE_V1.md 10.2)
    check pk_pe "LANES=$1 SLOT_BITS=$2 MODES=$3 ACC_BITS=$4 PREMASKED=1 OPND_BITS=$(($2 + 1))"
done
check pk_pe "LANES=8 SLOT_BITS=8 MODES=15 ACC_BITS=32" synth
check pk_pe "LANES=2 SLOT_BITS=2 MODES=3 ACC_BITS=8" synth
check pk_pe "LANES=8 SLOT_BITS=4 MODES=6 ACC_BITS=20 PREMASKED=1 OPND_BITS=5" synth
check pk_pe "LANES=2 SLOT_BITS=2 MODES=3 ACC_BITS=8 PREMASKED=1 OPND_BITS=3" synth
# packed mode-4 pairs (pk_dot DSP_PAIRS): all, some, more than there are
check pk_dot "LANES=16 SLOT_BITS=4 MODES=4 OUT_BITS=20 DSP_PAIRS=8"
check pk_dot "LANES=3 SLOT_BITS=8 MODES=15 OUT_BITS=12 DSP_PAIRS=2"
check pk_dot "LANES=1 SLOT_BITS=4 MODES=6 OUT_BITS=10 DSP_PAIRS=9"
check pk_pe "LANES=8 SLOT_BITS=8 MODES=15 ACC_BITS=32 DSP_PAIRS=5" synth
# the first tree level registered (pk_dot / pk_pe PROD_REG; V2-11.5 "Timing, step 23"):
# as pk_array's PIPE has it, with more than one mode, with an odd term count
check pk_dot "LANES=16 SLOT_BITS=4 MODES=4 OUT_BITS=20 DSP_PAIRS=8 PAIRS_IN=1 PROD_REG=1"
check pk_dot "LANES=3 SLOT_BITS=8 MODES=15 OUT_BITS=12 DSP_PAIRS=2 PROD_REG=1"
check pk_dot "LANES=1 SLOT_BITS=4 MODES=6 OUT_BITS=10 DSP_PAIRS=9 PROD_REG=1"
check pk_pe "LANES=16 SLOT_BITS=4 MODES=4 ACC_BITS=20 DSP_PAIRS=8 PREMASKED=1 PAIRS_IN=1 PROD_REG=1 OPND_BITS=5" synth
check pk_pe "LANES=8 SLOT_BITS=8 MODES=15 ACC_BITS=32 DSP_PAIRS=5 PREMASKED=1 PROD_REG=1 OPND_BITS=9" synth

# pk_ppu: minimum, maximum and mixed widths; activation subsets; residual off
MIN="QN_MULT_BITS=2 QN_BIAS_BITS=2 QN_SHIFT_BITS=1 DQ_MANT_BITS=2 DQ_EXP_BITS=1 ACT_PARAM_BITS=2 ACT_SHIFT_BITS=1 RES_SHIFT_BITS=1"
MAX="QN_MULT_BITS=16 QN_BIAS_BITS=32 QN_SHIFT_BITS=6 DQ_MANT_BITS=16 DQ_EXP_BITS=6 ACT_PARAM_BITS=16 ACT_SHIFT_BITS=6 RES_SHIFT_BITS=6"
for acc in "ACC_BITS=2 P_BITS=2" "ACC_BITS=12 P_BITS=16" "ACC_BITS=20 P_BITS=24" "ACC_BITS=40 P_BITS=40" "ACC_BITS=8 P_BITS=17"; do
    for w in "$MIN" "$MAX" ""; do
        for opt in "ACT_MASK=63 RES_EN=1" "ACT_MASK=1 RES_EN=0" "ACT_MASK=37 RES_EN=1"; do
            check pk_ppu "$acc $w $opt"
        done
    done
done
check pk_ppu "" synth
check pk_ppu "ACC_BITS=2 P_BITS=2 $MIN ACT_MASK=1 RES_EN=0" synth
check pk_ppu "ACC_BITS=12 P_BITS=16 $MAX ACT_MASK=37 RES_EN=1" synth

fi

if [ "$GROUP" = v2 ]; then
# pk_win2 (v2 window generators): one row, R not a power of two, edge, cloud
FILES="$RTL/pk_win2.v"
for set in "ROWS=1 RA=1" "ROWS=3 RA=2" "ROWS=16 RA=4" "ROWS=64 RA=6" \
           "ROWS=1 RA=1 SLOTS=8 AW=8 XW=10" "ROWS=16 RA=4 SLOTS=32 AW=10 XW=16"; do
    check pk_win2 "$set"
done
check pk_win2 "ROWS=4 RA=2" synth
check pk_win2 "ROWS=1 RA=1 SLOTS=8 AW=8 XW=10" synth

# pk_wbuf2 (v2 weight buffer): one port a column, and WI interleaved sub-banks (ice40, tiny2, edge,
# cloud's WI; a depth not a multiple of WI); WFL whole-word lanes (ice40, tiny2, edge: the others
# 8-bit DW codes)
FILES="$RTL/pk_wbuf2.v $RTL/pk_sram.v"
for set in "COLS=4 CA=2 WBITS=32 WD=256 WA=8 WWL=4 WI=1" "COLS=4 CA=2 WBITS=32 WD=256 WA=8 WWL=8 WI=2 WFL=2" \
           "COLS=8 CA=3 WBITS=64 WD=32 WA=5 WWL=32 WI=4 WFL=18" "COLS=16 CA=4 WBITS=64 WD=1024 WA=10 WWL=64 WI=8 WFL=36" \
           "COLS=4 CA=2 WBITS=32 WD=256 WA=8 WWL=8 WI=2" \
           "COLS=2 CA=1 WBITS=16 WD=2048 WA=11 WWL=64 WI=32" "COLS=3 CA=2 WBITS=8 WD=10 WA=4 WWL=5 WI=4"; do
    check pk_wbuf2 "$set"
done
check pk_wbuf2 "COLS=4 CA=2 WBITS=32 WD=256 WA=8 WWL=8 WI=2 WFL=2" synth

# pk_seq2 (v2 COMPUTE sequencer)
FILES="$RTL/pk_seq2.v"
for set in "ROWS=1 RA=1" "ROWS=3 RA=2" "ROWS=16 RA=4" "ROWS=64 RA=6" "ROWS=1 RA=1 YW=18" \
           "ROWS=3 RA=2 WBITS=24" "ROWS=4 RA=2 RES=0"; do
    check pk_seq2 "$set"
done
check pk_seq2 "ROWS=4 RA=2" synth
check pk_seq2 "ROWS=4 RA=2 YW=18" synth

# pk_desc2 (v2 descriptor RAM): read-port beats of 1 .. 128 bytes, read rows of DLW words
# (pk_v2_desc_load_lanes: min(8, max(1, PB / 2)); and rows wider than a beat at PB < 4)
FILES="$RTL/pk_desc2.v $RTL/pk_sram.v"
for set in "PB=1" "PB=2" "PB=4" "PB=8" "PB=64" "PB=128" "PB=4 DLW=2" "PB=8 DLW=4" \
           "PB=64 DLW=8" "PB=128 DLW=8" "PB=2 DLW=4" "PB=1 DLW=2"; do
    check pk_desc2 "$set"
done
check pk_desc2 "PB=2" synth
check pk_desc2 "PB=8 DLW=4" synth

# pk_ctrl2 (v2 layer controller)
FILES="$RTL/pk_ctrl2.v"
for set in "ADDR_BITS=24" "ADDR_BITS=32" "ADDR_BITS=40" "DLW=2" "DLW=4" "DLW=8"; do
    check pk_ctrl2 "$set"
done
check pk_ctrl2 "ADDR_BITS=24" synth
check pk_ctrl2 "DLW=4" synth

# pk_ring2 (v2 activation ring): one bank, R not a power of two, edge, cloud
FILES="$RTL/pk_ring2.v $RTL/pk_sram.v"
for set in "ROWS=1 RA=1 WBITS=32 DA=128 AW=7 WL=1 WQ=1 QA=1" "ROWS=3 RA=2 WBITS=16 DA=100 AW=7 WL=5 WQ=3 QA=2" \
           "ROWS=16 RA=4 WBITS=64 DA=1024 AW=10 WL=8 WQ=8 QA=3" "ROWS=64 RA=6 WBITS=128 DA=1024 AW=10 WL=16 WQ=8 QA=3"; do
    check pk_ring2 "$set"
done
check pk_ring2 "ROWS=4 RA=2 WBITS=16 DA=64 AW=6 WL=4 WQ=8 QA=3" synth

# pk_ld2 (v2 loader with its beat side and pk_ld2a): ice40, edge, cloud, a one-byte port with short bursts
FILES="$RTL/pk_ld2.v $RTL/pk_ld2a.v $RTL/pk_widen.v"
for set in "PORT_BYTES=1 MAX_BURST=16 ADDR_BITS=24 LAT=8 QA=4" "PORT_BYTES=8 MAX_BURST=256 ADDR_BITS=32 LAT=20 QA=5" \
           "PORT_BYTES=64 MAX_BURST=256 ADDR_BITS=32 LAT=100 QA=7" "PORT_BYTES=2 MAX_BURST=2 ADDR_BITS=32 LAT=1 QA=2" \
           "PORT_BYTES=8 MAX_BURST=256 ADDR_BITS=32 LAT=20 QA=5 RES=0" \
           "PORT_BYTES=2 MAX_BURST=256 ADDR_BITS=24 LAT=8 QA=4 CA=2 WBITS=32 WA=8 WWL=8 WFL=2" \
           "PORT_BYTES=8 MAX_BURST=256 ADDR_BITS=32 LAT=20 QA=5 CA=4 WBITS=64 WA=10 WWL=64 WFL=36"; do
    check pk_ld2 "$set"
done
# synth on ice40's shape (the beat side at edge's takes Yosys minutes)
check pk_ld2 "PORT_BYTES=1 MAX_BURST=256 ADDR_BITS=24 LAT=8 QA=4 ROWS=1 RA=1 CA=2 WBITS=32 AW=8 WA=8 RWL=1 WWL=4 WFL=2" synth

# pk_ld2a (v2 loader's ring-word unpacker): ice40, R not a power of two, edge, cloud
FILES="$RTL/pk_ld2a.v"
for set in "ROWS=1 RA=1 WBITS=32 AW=8 PORT_BYTES=1 WL=1" "ROWS=3 RA=2 WBITS=32 AW=12 PORT_BYTES=16 WL=5" \
           "ROWS=16 RA=4 WBITS=64 AW=10 PORT_BYTES=8 WL=4" "ROWS=64 RA=6 WBITS=128 AW=10 PORT_BYTES=64 WL=16" \
           "ROWS=1 RA=1 WBITS=32 AW=8 PORT_BYTES=2 WL=2 MODES=16'h0460" "ROWS=2 RA=1 WBITS=32 AW=8 PORT_BYTES=4 WL=8 MODES=16'h0008" \
           "ROWS=16 RA=4 WBITS=64 AW=10 PORT_BYTES=8 WL=4 FXL=1 FPX=6" "ROWS=3 RA=2 WBITS=16 AW=12 PORT_BYTES=4 WL=2 FXL=0 GLOB=0" \
           "ROWS=64 RA=6 WBITS=128 AW=10 PORT_BYTES=64 WL=16 FXL=3 GLOB=0" \
           "ROWS=16 RA=4 WBITS=64 AW=10 PORT_BYTES=8 WL=8 MODES=16'h8000 FXL=0 GLOB=0 RAW=1"; do
    check pk_ld2a "$set"
done
# (larger sets take Yosys minutes); x-fold and global pool built (the defaults), and neither
check pk_ld2a "ROWS=1 RA=1 WBITS=32 AW=8 PORT_BYTES=1 WL=1" synth
check pk_ld2a "ROWS=1 RA=1 WBITS=32 AW=8 PORT_BYTES=1 WL=1 MODES=16'h0460" synth
check pk_ld2a "ROWS=1 RA=1 WBITS=32 AW=8 PORT_BYTES=1 WL=1 MODES=16'h0460 FXL=0 GLOB=0" synth
# operand B's raw-byte unpacker (pk_ld2's u_rb) at ice40's shape
check pk_ld2a "ROWS=1 RA=1 WBITS=32 AW=8 PORT_BYTES=2 WL=2 MODES=16'h8000 FXL=0 FPX=2 GLOB=0 RAW=1" synth

# pk_par2 (v2 parameter registers): generated from the contract into $INC
FILES="$INC/pk_par2.v"
check pk_par2 "" synth
check pk_par2 "WA=8"      # a wider word index than pk_ctrl2's
check pk_par2 "DLW=4" synth   # read rows of 4 words (edge)
check pk_par2 "DLW=8"

fi

if [ $fail -ne 0 ]; then exit 1; fi
echo "lint_units $GROUP: $n parameter sets clean (verilator -Wall, iverilog -g2005; yosys synth-check on some)"
