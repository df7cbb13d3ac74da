#!/bin/bash
# Robustness worlds outside both suites (other seeds, sizes, spans and family
# mixes), for checking a detector choice made on training before held-out is
# run: simulates each world once, then `vigil eval --world` on a fresh store,
# and prints the reactivation, link and cell lines.
#
#   V=build/release/src/cli/vigil OUT=vigil-robust bash scripts/robustness_worlds.sh [EVAL OPTIONS]
set -u
V=${V:-build/release/src/cli/vigil}
OUT=${OUT:-vigil-robust}
mkdir -p "$OUT"
run() { # name seed people days families [eval options...]
  local n=$1
  [ -d "$OUT/$n" ] || "$V" simulate --out "$OUT/$n" --seed "$2" --people "$3" --days "$4" ${5:+--families $5} > /dev/null
  rm -f "$OUT/$n".db*
  echo "== $n: seed $2, $3 people, $4 days, families ${5:-classic}"
  "$V" --db "$OUT/$n.db" --purpose robustness eval --world "$OUT/$n" "${@:6}" |
    grep -E "^(reactivation|false|link_f1_cell|cell_nmi_default)"
}
run robust-41 41 4000 730 all "$@"
run robust-42 42 2000 365 bursty,shared_contacts "$@"
run robust-43 43 2000 365 "" "$@"
