#!/usr/bin/env bash
# Fits the reactivation detector's minimum dormancy on the TRAINING suite
# only (src/sim/suite.cc): runs `vigil eval --suite training` for each
# candidate and prints the suite's mean and worst world of the reactivation
# metrics, so the choice of WatchOptions::min_dormancy_days can be
# reproduced. The held-out suite is never read here.
#
#   bash scripts/fit_training.sh [build/release/src/cli/vigil] [candidates...]
set -euo pipefail
VIGIL=${1:-build/release/src/cli/vigil}
shift || true
CANDIDATES=${*:-0 14 21 30 45}
OUT=${SUITE_DIR:-vigil-suite}
for days in $CANDIDATES; do
  echo "== min_dormancy_days=$days"
  "$VIGIL" eval --suite training --suite-dir "$OUT" --min-dormancy-days "$days" |
    grep -E '^(reactivation_|false_reactivation)[a-z_0-9]* mean'
done
