#!/bin/bash
# Throughput of one partner link between two installations, real binaries on
# loopback: N requests queued at A are delivered by A's `vigil serve` to B's
# inbox, each answered by a signed receipt (online), and N envelopes exported
# by A are imported by B (offline). Checks that every request got exactly one
# receipt and that B holds each once; prints messages per second. Timings
# include the CLI's process start for the offline path, not for the online one.
# Usage: bench/share/link_bench.sh [N] [VIGIL_BINARY]
set -euo pipefail
n=${1:-200}
vigil=${2:-build/release/src/cli/vigil}
work=$(mktemp -d)
trap 'kill $pid_a $pid_b 2>/dev/null || true; rm -rf "$work"' EXIT
pid_a=""; pid_b=""
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
pa=$(port); pb=$(port)
for x in a b; do "$vigil" --db "$work/$x.db" identity init > /dev/null; done
key() { "$vigil" --db "$work/$1.db" identity show | awk '/public_key/{print $2}'; }
"$vigil" --db "$work/a.db" partner add B --url "http://127.0.0.1:$pb" --key "$(key b)" > /dev/null
"$vigil" --db "$work/b.db" partner add A --url "http://127.0.0.1:$pa" --key "$(key a)" > /dev/null
"$vigil" --db "$work/a.db" partner agree B --kinds request --fields names,identifiers \
  --legal-basis bench > /dev/null
queue() {
  for i in $(seq 1 "$n"); do
    "$vigil" --db "$work/a.db" share request --to B --type discreet_check --name "Person $i" \
      --identifier "passport:X$i" --legal-basis bench --action check \
      --deadline 2099-01-01T00:00:00Z --contact desk --marking AMBER > /dev/null
  done
}
count() { "$vigil" --db "$work/$1.db" --format csv share status --all | awk -F, -v d="$2" -v c="$3" \
  'NR>1 && $1==d && $4=="request" && $c!="" {k++} END {print k+0}'; }

# Offline: export then import.
queue
t0=$(date +%s.%N)
"$vigil" --db "$work/a.db" share export --to B --out "$work/a-to-b.jsonl" > /dev/null
t1=$(date +%s.%N)
"$vigil" --db "$work/b.db" share import "$work/a-to-b.jsonl" > /dev/null
t2=$(date +%s.%N)
[ "$(count b in 10)" = "$n" ] || { echo "offline: B does not hold $n requests"; exit 1; }
echo "offline: $n envelopes exported in $(echo "$t1 - $t0" | bc) s, imported (verified, stored, receipted) in $(echo "$t2 - $t1" | bc) s: $(echo "$n / ($t2 - $t1)" | bc) envelopes/s"

# Online: N more queued, then A's server delivers them to B's.
queue
"$vigil" --db "$work/b.db" serve --port "$pb" --web-root none 2> "$work/b.log" & pid_b=$!
sleep 1
t0=$(date +%s.%N)
"$vigil" --db "$work/a.db" serve --port "$pa" --web-root none --share-poll-ms 50 2> "$work/a.log" & pid_a=$!
while [ "$(count a out 11)" -lt $((2 * n)) ]; do sleep 0.2; done
t1=$(date +%s.%N)
[ "$(count b in 10)" = "$((2 * n))" ] || { echo "online: B does not hold each request once"; exit 1; }
echo "online: $n requests A->B with their signed receipts, and B's $n pending receipts of the offline batch B->A, in $(echo "$t1 - $t0" | bc) s (A's server start and 0.2 s polling included): $(echo "2 * $n / ($t1 - $t0)" | bc) envelopes/s"
