#!/usr/bin/env bash
# Cost of compartment filtering of comms and travel (src/access/record_visibility.h)
# on the commands that read them, through the real `vigil` binary (Release):
# the same generated world read in setup mode (no accounts), by an analyst
# granted every compartment ("*", the fast path: nothing to filter) and by an
# analyst of one compartment (every record checked). Prints the median wall
# time of RUNS runs and the largest peak RSS (/usr/bin/time -v) per command.
# Account runs include one Argon2id verification (64 MiB, interactive limits).
#
#   bench/access/record_filter_bench.sh build/release/src/cli/vigil /tmp/ovbench [PEOPLE] [DAYS] [RUNS]
set -euo pipefail
VIGIL=$(realpath "$1")
DIR=$2
PEOPLE=${3:-4000}
DAYS=${4:-365}
RUNS=${5:-5}
mkdir -p "$DIR"
cd "$DIR"
rm -rf w setup.db* accounts.db*
"$VIGIL" simulate --out w --seed 7 --people "$PEOPLE" --days "$DAYS" > /dev/null
for db in setup.db accounts.db; do
  "$VIGIL" ingest w --db "$db" > /dev/null
  "$VIGIL" alerts --db "$db" > /dev/null 2>&1
done
export VIGIL_NEW_PASSWORD='bench admin pw'
"$VIGIL" user add boss --role admin --db accounts.db > /dev/null
ADMIN=(env VIGIL_USER=boss VIGIL_PASSWORD='bench admin pw' VIGIL_PURPOSE=bench)
"${ADMIN[@]}" "$VIGIL" user add boss2 --role admin --db accounts.db > /dev/null
ADMIN2=(env VIGIL_USER=boss2 VIGIL_PASSWORD='bench admin pw' VIGIL_PURPOSE=bench)
VIGIL_NEW_PASSWORD='bench analyst pw' "${ADMIN[@]}" "$VIGIL" user add star --role analyst \
  --compartment '*' --db accounts.db > /dev/null
VIGIL_NEW_PASSWORD='bench analyst pw' "${ADMIN[@]}" "$VIGIL" user add ana --role analyst \
  --compartment CT-A --db accounts.db > /dev/null
# Grants wait for a second admin (four eyes).
"${ADMIN2[@]}" "$VIGIL" user approve-grant star '*' --db accounts.db > /dev/null
"${ADMIN2[@]}" "$VIGIL" user approve-grant ana CT-A --db accounts.db > /dev/null
SUBJECT=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "compartment") c = i; next }
                   $c == "CT-A" && $0 ~ /subject/ { print $1; exit }' w/persons.csv)
echo "world: $PEOPLE people, $DAYS days, $(($(wc -l < w/comms.csv) - 1)) comms," \
  "$(($(wc -l < w/travel.csv) - 1)) travel records; timeline of $SUBJECT; $RUNS runs each"

# run LABEL DB USER -- args: prints median seconds and max peak RSS (MiB).
run() {
  local label=$1 db=$2 user=$3
  shift 3
  local times=() peak=0
  for _ in $(seq "$RUNS"); do
    local env=()
    [ "$user" != "-" ] && env=(VIGIL_USER="$user" VIGIL_PASSWORD='bench analyst pw' VIGIL_PURPOSE=bench)
    /usr/bin/time -v -o time.txt env "${env[@]}" "$VIGIL" --format csv "$@" --db "$db" > out.txt 2> /dev/null
    times+=("$(awk -F': ' '/Elapsed/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' time.txt)")
    local rss
    rss=$(awk -F': ' '/Maximum resident/ { print $2 }' time.txt)
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf '%-34s %-10s %8.3f s %8.1f MiB %7d lines\n' "$label" "$user" "$median" \
    "$(echo "$peak / 1024" | bc -l)" "$(wc -l < out.txt)"
}

printf '%-34s %-10s %10s %12s %13s\n' command user median peak_rss output
for who in "setup.db -" "accounts.db star" "accounts.db ana"; do
  set -- $who
  run "network centrality (degree)" "$1" "$2" network centrality --measure degree --limit 10
  run "timeline $SUBJECT" "$1" "$2" timeline "$SUBJECT"
  run "alerts --all" "$1" "$2" alerts --all
  run "rank --all" "$1" "$2" rank --all
done
