#!/bin/bash
# Load test of `vigil serve` (issue 5, item 6) with wrk on loopback.
#
# Simulates a medium world, ingests it, creates an analyst cleared for every
# compartment, starts the Release server (durable audit: every look-up's read
# record is group-committed with synchronous=FULL before the reply), logs in,
# and runs wrk (Lua script: Authorization and X-Vigil-Purpose headers, a
# random subject per request):
#   1. subject look-up   GET /v1/persons/{id}                        64 conns, DURATION
#   2. 2-hop expansion   GET /v1/network/expand?seeds={id}&hops=2    64 conns, DURATION
#   3. soak: both mixed, 64 conns, SOAK seconds, the server's RSS sampled
#      every 10 s (ps -o rss).
# Prints requests/s, p50/p99 latency, errors, and the RSS samples.
#
# Usage: [READ_LOG=group|buffered] [MAX_ACTIVE=N] [WORK=DIR] [PORT=N] bench/server/run.sh [PEOPLE] [DAYS] [DURATION] [SOAK]
#   defaults: 20000 people, 365 days, 60 s, 600 s. Needs build/release
#   (cmake --build build/release --target vigil) and wrk.
set -euo pipefail
PEOPLE=${1:-20000}
DAYS=${2:-365}
DURATION=${3:-60}
SOAK=${4:-600}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VIGIL=${VIGIL:-$ROOT/build/release/src/cli/vigil}
WORK=${WORK:-/tmp/vigil-serve-bench}
PORT=${PORT:-18480}
READ_LOG=${READ_LOG:-group}  # the server's --read-log: group (durable) or buffered
MAX_ACTIVE=${MAX_ACTIVE:-0}  # the server's --max-active (0: no admission limit)
WORLD=$WORK/world-$PEOPLE-$DAYS
DB=$WORK/vigil-$PEOPLE-$DAYS.db
export VIGIL_NEW_PASSWORD='bench password 1'

mkdir -p "$WORK"
if [ ! -d "$WORLD" ]; then
  "$VIGIL" simulate --out "$WORLD" --seed 5 --people "$PEOPLE" --days "$DAYS" | tail -1
fi
if [ ! -f "$DB" ]; then
  /usr/bin/time -f "ingest: %e s wall, %M KiB peak RSS" "$VIGIL" ingest "$WORLD" --db "$DB" | tail -1
  "$VIGIL" user add bench-admin --role admin --db "$DB"
  VIGIL_USER=bench-admin VIGIL_PASSWORD="$VIGIL_NEW_PASSWORD" VIGIL_PURPOSE=setup \
    "$VIGIL" user add bench-admin2 --role admin --db "$DB"
  VIGIL_USER=bench-admin VIGIL_PASSWORD="$VIGIL_NEW_PASSWORD" VIGIL_PURPOSE=setup \
    "$VIGIL" user add bench-analyst --role analyst --compartment '*' --db "$DB"
  # A grant waits for a second admin (four eyes).
  VIGIL_USER=bench-admin2 VIGIL_PASSWORD="$VIGIL_NEW_PASSWORD" VIGIL_PURPOSE=setup \
    "$VIGIL" user approve-grant bench-analyst '*' --db "$DB"
fi

# The server's log: the errors (4xx/5xx) in server.log, and the route and
# duration of every request (about 70 MiB for the whole run) for the
# server-side percentiles printed at the end, which tell the time spent in
# the server from the time spent queueing for it.
"$VIGIL" serve --db "$DB" --port "$PORT" --read-log "$READ_LOG" --max-active "$MAX_ACTIVE" 2> >(
  tee >(grep --line-buffered -v '"status":200' > "$WORK/server.log") |
    grep -o '"route":"[^"]*","status":[0-9]*,"duration_ms":[0-9.]*' > "$WORK/durations.log") &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/v1/login" \
  -d '{"user":"bench-analyst","password":"bench password 1"}' |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# Subjects to ask about (1,000 at random from persons.csv).
IDS=$(/usr/bin/python3 - "$WORLD/persons.csv" <<'PY'
import csv, random, sys
rows = [r["person_id"] for r in csv.DictReader(open(sys.argv[1])) if r["status"] == "subject"]
random.Random(5).shuffle(rows)
print(",".join('"%s"' % r for r in rows[:1000]))
PY
)

lua() {  # $1: path template with ID (or "mixed")
  cat <<LUA
local ids = {$IDS}
local templates = {"$1"}
if "$1" == "mixed" then
  templates = {"/v1/persons/ID", "/v1/network/expand?seeds=ID&hops=2&limit=100"}
end
local n = 0
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["X-Vigil-Purpose"] = "load test"
request = function()
  n = n + 1
  local id = ids[math.random(#ids)]
  local path = string.gsub(templates[(n % #templates) + 1], "ID", id)
  return wrk.format("GET", path)
end
LUA
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

run() {  # $1 name, $2 template, $3 seconds
  lua "$2" > "$WORK/$1.lua"
  echo "== $1: 64 connections, $3 s (load average before: $(load))"
  wrk -t 2 -c 64 -d "${3}s" --latency --timeout 10s -s "$WORK/$1.lua" \
    "http://127.0.0.1:$PORT" | tee "$WORK/$1.wrk" |
    grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors|requests in"
  echo "load average after: $(load)"
}

rss() { ps -o rss= -p "$SERVER" | tr -d ' '; }

# Warm-up: builds the caller's graph once (the server keeps it).
START=$(date +%s.%N)
curl -sf -H "Authorization: Bearer $TOKEN" -H "X-Vigil-Purpose: warm-up" \
  "http://127.0.0.1:$PORT/v1/network/expand?seeds=P0000001&hops=2" >/dev/null || true
echo "graph built on first use in $(echo "$(date +%s.%N) - $START" | bc) s; server RSS $(rss) KiB"

run lookup "/v1/persons/ID" "$DURATION"
echo "server RSS after look-ups: $(rss) KiB"
run expand "/v1/network/expand?seeds=ID&hops=2&limit=100" "$DURATION"
echo "server RSS after expansion: $(rss) KiB"

echo "== soak: RSS (KiB) every 10 s (load average before: $(load))"
lua mixed > "$WORK/soak.lua"
wrk -t 2 -c 64 -d "${SOAK}s" --latency --timeout 10s -s "$WORK/soak.lua" \
  "http://127.0.0.1:$PORT" > "$WORK/soak.wrk" &
WRK=$!
SAMPLES=()
while kill -0 $WRK 2>/dev/null; do
  SAMPLES+=("$(rss)")
  sleep 10
done
wait $WRK || true
echo "${SAMPLES[*]}"
grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors|requests in" "$WORK/soak.wrk"
echo "load average after the soak: $(load); server peak RSS: $(grep VmHWM /proc/$SERVER/status)"
echo "audit records written: $(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_log' 2>/dev/null || echo '?')"
echo "non-200 lines in the server log: $(grep -c '"status"' "$WORK/server.log" || true)"
kill $SERVER 2>/dev/null || true
sleep 1
echo "server-side durations (dispatch to reply, whole run, ms):"
/usr/bin/python3 - "$WORK/durations.log" <<'PY'
import collections, re, sys
by_route = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r'"route":"([^"]*)","status":(\d+),"duration_ms":([0-9.]+)', line)
    if m:
        by_route[m.group(1)].append(float(m.group(3)))
for route, d in sorted(by_route.items()):
    if len(d) < 100:
        continue
    d.sort()
    q = lambda f: d[min(len(d) - 1, int(f * len(d)))]
    print(f"  {route}: {len(d)} requests, p50 {q(.5):.1f}, p99 {q(.99):.1f}, max {d[-1]:.1f}")
PY
