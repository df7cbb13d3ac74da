#!/bin/bash
# Side by side: two `vigil` builds (e.g. main's and this branch's) serving the
# same store, alternately, ROUNDS times each, for look-ups and 2-hop
# expansions at 64 connections. Per run: requests/s, p50, p99 and the
# server's CPU time (user + sys, /proc/PID/stat) per request, which depends
# far less on what else the machine runs than latency does. Prints the
# medians and the ratio B/A of CPU per request.
#
# Usage: bench/server/compare.sh VIGIL_A VIGIL_B [ROUNDS] [SECONDS]
#   Needs the store, users and Lua scripts that bench/server/run.sh leaves in
#   $WORK (default /tmp/vigil-serve-bench; same PEOPLE/DAYS defaults).
set -euo pipefail
A=$1
B=$2
ROUNDS=${3:-3}
SECONDS_EACH=${4:-10}
WORK=${WORK:-/tmp/vigil-serve-bench}
DB=${DB:-$WORK/vigil-20000-365.db}
PORT=${PORT:-18490}

one() {  # $1 binary, $2 lua name; prints "req/s p50 p99 cpu_ms_per_request"
  "$1" serve --db "$DB" --port "$PORT" 2>/dev/null &
  local server=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  local token
  token=$(curl -sf -X POST "http://127.0.0.1:$PORT/v1/login" \
    -d '{"user":"bench-analyst","password":"bench password 1"}' |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  sed "s/Bearer [A-Za-z0-9_-]*/Bearer $token/" "$WORK/$2.lua" > "$WORK/compare.lua"
  # Warm-up: pooled connections, caches, the graph.
  wrk -t 2 -c 64 -d 3s --timeout 10s -s "$WORK/compare.lua" "http://127.0.0.1:$PORT" >/dev/null
  local before after out
  before=$(awk '{print $14 + $15}' "/proc/$server/stat")
  out=$(wrk -t 2 -c 64 -d "${SECONDS_EACH}s" --latency --timeout 10s -s "$WORK/compare.lua" \
    "http://127.0.0.1:$PORT")
  after=$(awk '{print $14 + $15}' "/proc/$server/stat")
  kill "$server"
  wait "$server" 2>/dev/null || true
  local ticks
  ticks=$(getconf CLK_TCK)
  echo "$out" | awk -v cpu=$((after - before)) -v tck="$ticks" '
    /requests in/ {n = $1}
    /Requests\/sec/ {rps = $2}
    /^ +50%/ {p50 = $2}
    /^ +99%/ {p99 = $2}
    END {printf "%s %s %s %.3f\n", rps, p50, p99, cpu * 1000 / tck / n}'
}

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

for route in lookup expand; do
  : > "$WORK/compare-$route-a.txt"
  : > "$WORK/compare-$route-b.txt"
  for round in $(seq "$ROUNDS"); do
    echo "$route round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "  A $(one "$A" "$route" | tee -a "$WORK/compare-$route-a.txt")"
    echo "  B $(one "$B" "$route" | tee -a "$WORK/compare-$route-b.txt")"
  done
  ra=$(awk '{print $1}' "$WORK/compare-$route-a.txt" | median)
  rb=$(awk '{print $1}' "$WORK/compare-$route-b.txt" | median)
  ca=$(awk '{print $4}' "$WORK/compare-$route-a.txt" | median)
  cb=$(awk '{print $4}' "$WORK/compare-$route-b.txt" | median)
  echo "$route medians: A $ra req/s, $ca ms CPU/request; B $rb req/s, $cb ms CPU/request;" \
    "CPU per request B/A = $(echo "scale=2; $cb / $ca" | bc)"
done
