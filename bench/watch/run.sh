#!/usr/bin/env bash
# bench/watch: `vigil alerts` and `vigil rank` on a generated world, as a whole
# run and as a daily increment (the world's last day ingested afterwards),
# with wall time and peak memory (/usr/bin/time -v) of each step.
#
# Usage: bench/watch/run.sh [PEOPLE] [DAYS] [SCRATCH]
#   PEOPLE   generated population (default 60000: ~10M comms over 730 days)
#   DAYS     observed days (default 730)
#   SCRATCH  work folder (default /tmp/vigil_bench_watch); removed at the end
#            unless KEEP=1
# Needs a Release build: cmake -S . -B build/release -G Ninja
#   -DCMAKE_BUILD_TYPE=Release && cmake --build build/release --target vigil
# No peer tool does sleeper alerts or explained ranking, so no ratio is
# printed; the figures are extrapolated linearly in comms to 100M.
set -euo pipefail
PEOPLE=${1:-60000}
DAYS=${2:-730}
SCRATCH=${3:-/tmp/vigil_bench_watch}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VIGIL=${VIGIL:-$ROOT/build/release/src/cli/vigil}
[ -x "$VIGIL" ] || { echo "build $VIGIL first (Release)" >&2; exit 1; }
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
WORLD=$SCRATCH/world
DB=$SCRATCH/bench.db

# measure NAME CMD...: runs CMD under /usr/bin/time -v, prints seconds and MiB.
measure() {
  local name=$1; shift
  /usr/bin/time -v "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.time"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$SCRATCH/$name.time" |
         awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$SCRATCH/$name.time")
  printf '%-22s %8.2f s %7s MiB\n' "$name" "$wall" "$rss"
  echo "$name $wall $rss" >> "$SCRATCH/figures"
}

"$VIGIL" simulate --out "$WORLD" --seed 11 --people "$PEOPLE" --days "$DAYS" | tail -1
# The last day's comms become the increment.
LAST_DAY=$(tail -1 "$WORLD/comms.csv" | cut -c1-10)
mkdir -p "$SCRATCH/day"
head -1 "$WORLD/comms.csv" > "$SCRATCH/day/comms.csv"
grep "^$LAST_DAY" "$WORLD/comms.csv" >> "$SCRATCH/day/comms.csv"
grep -v "^$LAST_DAY" "$WORLD/comms.csv" > "$SCRATCH/comms_rest.csv"
mv "$SCRATCH/comms_rest.csv" "$WORLD/comms.csv"
COMMS=$(($(wc -l < "$WORLD/comms.csv") - 1))
DAY_COMMS=$(($(wc -l < "$SCRATCH/day/comms.csv") - 1))
echo "world: $COMMS comms before $LAST_DAY, $DAY_COMMS on it"

measure ingest_world "$VIGIL" --db "$DB" ingest "$WORLD"
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
measure alerts_whole "$VIGIL" --db "$DB" --format csv alerts --now "$NOW" --out "$SCRATCH/alerts_whole.csv"
measure rank_whole "$VIGIL" --db "$DB" rank --out "$SCRATCH/rank_whole.csv"
measure ingest_day "$VIGIL" --db "$DB" ingest "$SCRATCH/day"
measure alerts_increment "$VIGIL" --db "$DB" --format csv alerts --now "$NOW" --out "$SCRATCH/alerts_day.csv"
measure rank_increment "$VIGIL" --db "$DB" rank --out "$SCRATCH/rank_day.csv"
measure alerts_rerun "$VIGIL" --db "$DB" --format csv alerts --now "$NOW" --out "$SCRATCH/alerts_rerun.csv"
echo "alerts: $(($(wc -l < "$SCRATCH/alerts_whole.csv") - 1)) whole, $(($(wc -l < "$SCRATCH/alerts_day.csv") - 1)) from the new day, $(($(wc -l < "$SCRATCH/alerts_rerun.csv") - 1)) on re-run"
grep -h "new alerts" "$SCRATCH"/alerts_*.time || true

# Linear extrapolation to 100M comms (alerts and rank are O(comms) for the
# whole run; an increment is O(one day + persons + watched people), and a
# 100M world of the same density has ~10x the people).
awk -v comms="$COMMS" '
  { t[$1] = $2; m[$1] = $3 }
  END {
    f = 100e6 / comms
    printf "extrapolated to 100M comms (x%.1f): alerts whole %.0f s, rank whole %.0f s, alerts increment %.1f s, rank increment %.0f s\n",
      f, t["alerts_whole"] * f, t["rank_whole"] * f, t["alerts_increment"] * f, t["rank_increment"] * f
  }' "$SCRATCH/figures"
"$VIGIL" --db "$DB" eval --world "$WORLD" --capacity 300 || true
[ "${KEEP:-0}" = 1 ] || rm -rf "$SCRATCH"
