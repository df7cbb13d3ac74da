#!/bin/bash
# Soak of `vigil serve`: 256 keep-alive connections at a constant 256 req/s
# (bench/server/soak.py) for SOAK seconds on a simulated world, with
# durable audit; prints answers by status, errors, latency and the server's
# RSS every 10 s. The server runs one worker per connection (--threads),
# since a keep-alive connection holds its worker.
#
# Usage: [WORK=DIR] [PORT=N] bench/server/soak.sh [PEOPLE] [DAYS] [SOAK] [CONNECTIONS] [RATE] [WARMUP]
#   defaults: 5000 people, 200 days, 600 s, 256 connections, 256 req/s, and
#   the first 120 s of the soak as warm-up (load applied, left out of the
#   memory growth figures).
#   Needs build/release (cmake --build build/release --target vigil).
set -euo pipefail
PEOPLE=${1:-5000}
DAYS=${2:-200}
SOAK=${3:-600}
CONNECTIONS=${4:-256}
RATE=${5:-256}
WARMUP=${6:-120}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VIGIL=${VIGIL:-$ROOT/build/release/src/cli/vigil}
WORK=${WORK:-/tmp/vigil-soak}
PORT=${PORT:-18481}
WORLD=$WORK/world-$PEOPLE-$DAYS
DB=$WORK/vigil-$PEOPLE-$DAYS.db
export VIGIL_NEW_PASSWORD='soak password 1'
admin() { VIGIL_USER=soak-admin VIGIL_PASSWORD="$VIGIL_NEW_PASSWORD" VIGIL_PURPOSE=setup "$@"; }

mkdir -p "$WORK"
[ -d "$WORLD" ] || "$VIGIL" simulate --out "$WORLD" --seed 5 --people "$PEOPLE" --days "$DAYS" | tail -1
if [ ! -f "$DB" ]; then
  "$VIGIL" ingest "$WORLD" --db "$DB" | tail -1
  "$VIGIL" user add soak-admin --role admin --db "$DB"
  admin "$VIGIL" user add soak-admin2 --role admin --db "$DB"
  admin "$VIGIL" user add soak-analyst --role analyst --compartment '*' --db "$DB"
  VIGIL_USER=soak-admin2 VIGIL_PASSWORD="$VIGIL_NEW_PASSWORD" VIGIL_PURPOSE=setup \
    "$VIGIL" user approve-grant soak-analyst '*' --db "$DB"
fi
/usr/bin/python3 - "$WORLD/persons.csv" > "$WORK/ids" <<'PY'
import csv, random, sys
rows = [r["person_id"] for r in csv.DictReader(open(sys.argv[1]))]
random.Random(5).shuffle(rows)
print("\n".join(rows[:1000]))
PY

"$VIGIL" serve --db "$DB" --port "$PORT" --threads "$((CONNECTIONS + 8))" \
  2> >(grep --line-buffered -v '"status":200' > "$WORK/server.log") &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/v1/login" \
  -d "{\"user\":\"soak-analyst\",\"password\":\"$VIGIL_NEW_PASSWORD\"}" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
echo "== soak: $CONNECTIONS connections, $RATE req/s, $SOAK s ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
/usr/bin/python3 "$ROOT/bench/server/soak.py" --port "$PORT" --token "$TOKEN" --pid "$SERVER" \
  --ids "$WORK/ids" --connections "$CONNECTIONS" --rate "$RATE" --duration "$SOAK" \
  --warmup "$WARMUP"
