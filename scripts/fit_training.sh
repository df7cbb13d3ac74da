#!/usr/bin/env bash
# Fits the defaults chosen on the TRAINING suite only (src/sim/suite.cc); the
# held-out suite is never read here.
#
#  1. Reactivation: for each candidate minimum dormancy (WatchOptions::
#     min_dormancy_days), with the contact-mix test at its default, and then
#     for each candidate contact-mix level (WatchOptions::mix_p) at the chosen
#     dormancy, runs `vigil eval --suite training` and prints the suite's mean
#     and worst world of the reactivation metrics. The choice: the least
#     worst-world false alerts among candidates whose worst-world recall is
#     within 0.03 of the best worst-world recall; ties go to the shorter
#     worst-world median delay.
#  2. Communities: bench/network/community_grid over the training stores the
#     evals left (cell NMI of each community setting, mean and worst world),
#     from which DefaultCommunityOptions (src/graph/communities.cc) is chosen:
#     the best worst world.
#
#   SUITE_DIR=DIR bash scripts/fit_training.sh [VIGIL] [GRID]
#   DORMANCY="0 14 30 45" MIX="1 0.01 0.001 0.0001" to change the candidates.
set -euo pipefail
VIGIL=${1:-build/release/src/cli/vigil}
GRID=${2:-build/release/bench/network/community_grid}
OUT=${SUITE_DIR:-vigil-suite}
DORMANCY=${DORMANCY:-0 14 30 45}
MIX=${MIX:-1 0.01 0.001 0.0001}
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT

# Runs the training suite with extra options; appends one line per candidate:
# "label worst_recall worst_delay worst_false mean_recall mean_false".
run() {
  local label=$1
  shift
  echo "== $label"
  "$VIGIL" eval --suite training --suite-dir "$OUT" "$@" |
    grep -E '^(reactivation_|false_reactivation)[a-z_0-9]* mean' | tee /dev/stderr |
    awk -v label="$label" '
      /^reactivation_recall_30d/ { mr = $3; wr = $5 }
      /^reactivation_median_delay_days/ { wd = $5 }
      /^false_reactivation/ { mf = $3; wf = $5 }
      END { print label, wr, wd, wf, mr, mf }' >>"$RESULTS"
}

# The candidate chosen among lines whose label starts with $1 (see above).
choose() {
  grep "^$1" "$RESULTS" | sort -k2,2gr | awk '
    NR == 1 { best = $2 }
    $2 >= best - 0.03 { print }' | sort -k4,4g -k3,3g | head -n 1 | cut -d' ' -f1
}

for days in $DORMANCY; do run "dormancy=$days" --min-dormancy-days "$days"; done
chosen_days=$(choose dormancy= | cut -d= -f2)
echo "chosen min_dormancy_days=$chosen_days"
for level in $MIX; do
  run "mix=$level" --min-dormancy-days "$chosen_days" --mix-p "$level"
done
chosen_mix=$(choose mix= | cut -d= -f2)
echo "chosen mix_p=$chosen_mix (with min_dormancy_days=$chosen_days)"
echo "== candidates: label worst_recall worst_delay worst_false mean_recall mean_false"
cat "$RESULTS"

if [ -x "$GRID" ]; then
  echo "== communities on the training stores"
  args=()
  for db in "$OUT"/training-*.db; do args+=("$db" "${db%.db}"); done
  "$GRID" "${args[@]}" | sed -n '/== mean and worst world/,$p'
fi
