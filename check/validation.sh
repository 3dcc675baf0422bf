#!/bin/sh
# validation.sh - the table of docs/VALIDATION.md: pikecheck on every layer
# case, the small network and the randomized configs, one markdown row each.
#
#   check/validation.sh BUILD_DIR [edge]
#
# With "edge", one more row: hw_configs/edge.yaml (16 x 16 x 8) on the small
# network; its model takes minutes to build the first time.
# BUILD_DIR is a configured and built tree (cmake --build). Models are cached
# in $PIKE_CACHE_DIR (default BUILD_DIR/check-cache, shared with the tests).
# The randomized config/network pairs are the ones test_check_random writes
# to BUILD_DIR/check-random/ (seeds 1000..1009 for PIKE_CHECK_SEED=1); the
# script runs that test first when they are missing.  Every row is
# pikecheck --arch v1 (pk_core; v2 is pikecheck's default).  Exit status 1 if
# any case is not equal.
set -eu
B=${1:?usage: check/validation.sh BUILD_DIR [edge]}
EDGE=${2:-}
B=$(cd "$B" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
: "${PIKE_CACHE_DIR:=$B/check-cache}"
export PIKE_CACHE_DIR
PC="$B/check/pikecheck"
D="$SRC/tests/data/check"

if [ ! -f "$B/check-random/cfg_1009.yaml" ]; then
    "$B/tests/test_check_random" --filter 'check_random/config_*' --jobs 2 >/dev/null
fi

bad=0
printf '| case | config | hw layers | RTL cycles | model cycles | diff | output mismatches | counter mismatches | RTL sim (cycles/s) | pikesim (cycles/s) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
cfgdesc() { # "R x C x V, w{..} a{..}, PB n, LAT n" from a config file
    v() { grep -o "$1: [0-9]*" "$2" | head -1 | sed 's/.*: //'; }
    l() { grep -o "$1: \[[0-9, ]*\]" "$2" | sed 's/.*: \[//; s/\]//; s/ //g'; }
    printf '%s: %sx%sx%s, w{%s} a{%s}, PB %s, LAT %s' "$(basename "$1" .yaml)" "$(v rows "$1")" \
        "$(v cols "$1")" "$(v lanes "$1")" "$(l weight_bits "$1")" "$(l act_bits "$1")" \
        "$(v bytes_per_cycle "$1")" "$(v latency "$1")"
}
row() { # name config network
    out=$("$PC" --arch v1 --config "$2" --network "$3" 2>/dev/null) && st=0 || st=$?
    [ "$st" -eq 0 ] || bad=1
    echo "$out" | awk -v name="$1" -v cfg="$(cfgdesc "$2")" -v st="$st" '
        /^ *[0-9]+  / { n++; split($(NF-1), om, "/"); omis += om[1]; split($NF, cm, "/"); cmis += cm[1] }
        /^one start/ { rtl = $7; model = $10; diff = $13; sub(/;/, "", diff);
                       fo = $15; split($(NF-1), fc, "/") }
        /^speed:/ { k = 0; for (i = 1; i <= NF; i++) if ($i == "cycles/s;") { k++; if (k == 1) rs = $(i-1); else ms = $(i-1) } }
        END { printf "| %s | %s | %d | %s | %s | %s | %d | %d | %s | %s |%s\n", name, cfg, n, rtl,
                     model, diff, omis + fo, cmis + fc[1], rs, ms, st == 0 ? "" : " **FAIL**" }'
}
for f in "$D"/layers/*.yaml; do
    row "$(basename "$f" .yaml)" "$D/tiny.yaml" "$f"
done
row "net_small (10 layers, residual)" "$D/tiny.yaml" "$D/net_small.yaml"
row "net_ice40 (7 layers, residual)" "$SRC/hw_configs/ice40.yaml" "$D/net_ice40.yaml"
if [ "$EDGE" = edge ]; then
    row "net_small on edge.yaml" "$SRC/hw_configs/edge.yaml" "$D/net_small.yaml"
fi
for i in 0 1 2 3 4 5 6 7 8 9; do
    s=$((1000 + i))
    row "random $s" "$B/check-random/cfg_$s.yaml" "$B/check-random/net_$s.yaml"
done
exit $bad
