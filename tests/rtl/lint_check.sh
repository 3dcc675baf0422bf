# lint_check.sh - sourced by lint_units.sh and lint_post2.sh: check TOP
# "NAME=VAL ..." [synth] lints module TOP of $FILES (include directory $INC,
# optional) with those parameters: `verilator --lint-only -Wall`, `iverilog
# -g2005` (no output allowed) and, with synth, Yosys's synth-check: the
# recipe of the bundles' synth_check.ys (gen/pk_genflow.c: elaboration with
# `hierarchy -check`, `proc` with its latch inference, no latch, `check
# -assert`; the full `synth` it replaces added minutes of techmapping to the
# suite and nothing to the check).  LINT_DEFER=1: the modules read with
# -defer and elaborated once, at the set's parameters (`hierarchy -chparam`;
# `chparam` after a plain read elaborates every module at its defaults
# first: for pk_ld2 / pk_ld2a, cloud-sized, 28 of pk_ld2's 39 s of Yosys CPU).
# Not the default: Yosys 0.23 asserts (`modules_.count(module->name) == 0`)
# on pk_ppu's deferred submodules at some parameter sets.  Counts sets in $n,
# sets fail=1 and prints the log on a problem; uses $TMP.
# check TOP "NAME=VAL ..." [synth]
check() {
    top=$1; params=$2; synth=${3:-}
    n=$((n + 1))
    gv=""; pi=""; cy=""; hp=""
    for kv in $params; do
        gv="$gv -G$kv"
        pi="$pi -P$top.$kv"
        cy="$cy -set ${kv%%=*} ${kv#*=}"
        hp="$hp -chparam ${kv%%=*} ${kv#*=}"
    done
    if [ "${LINT_DEFER:-0}" = 1 ]; then
        elab="read_verilog -defer ${INC:+-I$INC} $(echo $FILES); hierarchy -check -top $top$hp"
    else
        elab="read_verilog ${INC:+-I$INC} $(echo $FILES); chparam$cy $top; hierarchy -check -top $top"
    fi
    # shellcheck disable=SC2086
    if ! verilator --lint-only -Wall ${INC:+-I"$INC"} $FILES --top-module "$top" $gv >"$TMP/v.log" 2>&1; then
        echo "FAIL verilator $top $params"; cat "$TMP/v.log"; fail=1; return
    fi
    # shellcheck disable=SC2086
    if ! iverilog -g2005 -Wall ${INC:+-I"$INC"} -s "$top" $pi -o "$TMP/a.vvp" $FILES >"$TMP/i.log" 2>&1 ||
        [ -s "$TMP/i.log" ]; then
        echo "FAIL iverilog $top $params"; cat "$TMP/i.log"; fail=1; return
    fi
    if [ -n "$synth" ]; then
        if ! yosys -q -p "$elab; proc; opt_clean; select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr t:\$_DLATCH_* t:\$_DLATCHSR_*; check -assert" \
            >"$TMP/y.log" 2>&1; then
            echo "FAIL yosys $top $params"; tail -20 "$TMP/y.log"; fail=1; return
        fi
    fi
}

