#!/usr/bin/env bash
# bench/resolve/run_100m.sh: `vigil resolve`, `vigil alerts` and `vigil rank`
# on a generated world of ~100M communications (issue 4, item 5), as whole
# runs and as a daily increment (the world's last day ingested afterwards),
# each under /usr/bin/time -v: wall time, user and system CPU, peak RSS, and
# the load average just before (the machine is shared).
#
# Usage: bench/resolve/run_100m.sh [PEOPLE] [DAYS] [SCRATCH]
#   PEOPLE   generated population (default 350000: with 1825 days, ~99M comms)
#   DAYS     observed days (default 1825)
#   SCRATCH  work folder (default /tmp/vigil_bench_100m). Each step is skipped
#            when its output is there (a world, the split, the store), so a
#            run can be resumed; the world and store take ~10 GB and ~6 GB:
#            remove the folder when done (KEEP=0 does it at the end).
#   STOP_AFTER_INGEST=1 stops once the base store is ingested.
#   MEM_LIMIT=BYTES runs resolve/alerts/rank under prlimit --as=BYTES (not
#   ingest: it maps the 9 GB comms file; do not prlimit the whole script).
# Needs a Release build: cmake -S . -B build/release -G Ninja
#   -DCMAKE_BUILD_TYPE=Release && cmake --build build/release --target vigil
# Everything runs under nice -n 5. No peer tool does identifier resolution,
# sleeper alerts or explained ranking on these formats, so no ratio is printed.
set -euo pipefail
PEOPLE=${1:-350000}
DAYS=${2:-1825}
SCRATCH=${3:-/tmp/vigil_bench_100m}
SEED=${SEED:-100}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VIGIL=${VIGIL:-$ROOT/build/release/src/cli/vigil}
[ -x "$VIGIL" ] || { echo "build $VIGIL first (Release)" >&2; exit 1; }
mkdir -p "$SCRATCH"
WORLD=$SCRATCH/world
BASE=$SCRATCH/base
DAY=$SCRATCH/day
DB=$SCRATCH/bench.db
FIGURES=$SCRATCH/figures

# seconds H:MM:SS|M:SS.ss -> seconds
seconds() { awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }

# measure NAME CMD...: runs CMD under /usr/bin/time -v and nice; prints wall,
# user and system CPU seconds, peak MiB and the 1-minute load average before.
measure() {
  local name=$1; shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  local limit=()
  # MEM_LIMIT (bytes) caps the address space of the analysis steps; not of
  # ingest, which maps the whole comms file (its resident peak is ~1.3 GiB).
  if [ -n "${MEM_LIMIT:-}" ] && [ "${name#ingest}" = "$name" ]; then
    limit=(prlimit --as="$MEM_LIMIT")
  fi
  /usr/bin/time -v nice -n 5 "${limit[@]}" "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.time"
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$SCRATCH/$name.time" | seconds)
  user=$(awk -F': ' '/User time/ {print $2}' "$SCRATCH/$name.time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$SCRATCH/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$SCRATCH/$name.time")
  printf '%-18s wall %8.1f s  user %8.1f s  sys %6.1f s  peak %6s MiB  load %s\n' \
    "$name" "$wall" "$user" "$sys" "$rss" "$load" | tee -a "$FIGURES"
}

# (Once split, the world's comms.csv may be deleted to save 9 GB.)
if [ ! -f "$WORLD/comms.csv" ] && [ ! -f "$DAY/comms.csv" ]; then
  nice -n 5 "$VIGIL" simulate --out "$WORLD" --seed "$SEED" --people "$PEOPLE" --days "$DAYS" |
    tail -1
fi
# The last day's comms become the increment; the rest is the base. One pass.
if [ ! -f "$DAY/comms.csv" ]; then
  mkdir -p "$BASE" "$DAY"
  for f in "$WORLD"/*.csv; do
    [ "$(basename "$f")" = comms.csv ] || cp "$f" "$BASE/"
  done
  LAST_DAY=$(tail -1 "$WORLD/comms.csv" | cut -c1-10)
  nice -n 5 awk -v day="$LAST_DAY" -v base="$BASE/comms.csv.part" -v inc="$DAY/comms.csv.part" \
    'NR == 1 { print > base; print > inc; next }
     substr($0, 1, 10) == day { print > inc; next }
     { print > base }' "$WORLD/comms.csv"
  mv "$BASE/comms.csv.part" "$BASE/comms.csv"
  mv "$DAY/comms.csv.part" "$DAY/comms.csv"
fi
echo "world: $(($(wc -l < "$BASE/comms.csv") - 1)) comms in the base," \
  "$(($(wc -l < "$DAY/comms.csv") - 1)) on the last day" | tee -a "$FIGURES"

NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
if [ ! -f "$DB" ]; then
  measure ingest_base "$VIGIL" --db "$DB" ingest "$BASE"
fi
# STOP_AFTER_INGEST=1 prepares the world and the base store only (so the
# store can be copied and the whole runs repeated on the copy).
if [ "${STOP_AFTER_INGEST:-0}" = 1 ]; then exit 0; fi
measure resolve_whole "$VIGIL" --db "$DB" resolve --full --out "$SCRATCH/links_whole.csv"
measure alerts_whole "$VIGIL" --db "$DB" --format csv alerts --now "$NOW" \
  --out "$SCRATCH/alerts_whole.csv"
measure rank_whole "$VIGIL" --db "$DB" rank --out "$SCRATCH/rank_whole.csv"
measure ingest_day "$VIGIL" --db "$DB" ingest "$DAY"
measure resolve_day "$VIGIL" --db "$DB" resolve --out "$SCRATCH/links_day.csv"
measure alerts_day "$VIGIL" --db "$DB" --format csv alerts --now "$NOW" \
  --out "$SCRATCH/alerts_day.csv"
measure rank_day "$VIGIL" --db "$DB" rank --out "$SCRATCH/rank_day.csv"
grep -h "^vigil:" "$SCRATCH"/resolve_*.time | tee -a "$FIGURES"
if [ "${KEEP:-1}" = 0 ]; then rm -rf "$SCRATCH"; fi
