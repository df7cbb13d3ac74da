#!/bin/sh
# bench/resolve/run.sh VIGIL PEOPLE DAYS SEED WORKDIR
# Generates a world, ingests it, then times `vigil resolve` (whole run) and a
# daily increment (one more day of comms ingested, resolve again), each under
# /usr/bin/time -v for peak memory. Prints one line per figure.
set -eu
VIGIL=$1; PEOPLE=$2; DAYS=$3; SEED=$4; WORK=$5
mkdir -p "$WORK"
W="$WORK/world-$PEOPLE-$DAYS-$SEED"
DB="$WORK/vigil-$PEOPLE-$DAYS-$SEED.db"
if [ ! -d "$W" ]; then "$VIGIL" simulate --out "$W" --seed "$SEED" --people "$PEOPLE" --days "$DAYS" >/dev/null; fi
# The last day of comms is held back as the daily increment.
if [ ! -f "$DB" ]; then
  LAST=$(tail -n 1 "$W/comms.csv" | cut -c1-10)
  mkdir -p "$W.base" "$W.day"
  for f in "$W"/*.csv; do [ "$(basename "$f")" = comms.csv ] || cp "$f" "$W.base/"; done
  head -n 1 "$W/comms.csv" > "$W.base/comms.csv"; cp "$W.base/comms.csv" "$W.day/comms.csv"
  tail -n +2 "$W/comms.csv" | grep -v "^$LAST" >> "$W.base/comms.csv"
  tail -n +2 "$W/comms.csv" | grep "^$LAST" >> "$W.day/comms.csv"
  "$VIGIL" ingest "$W.base" --db "$DB" >/dev/null
fi
echo "comms: $("$VIGIL" status --db "$DB" 2>/dev/null | grep -i communications || true)"
/usr/bin/time -v "$VIGIL" resolve --db "$DB" --out "$WORK/links.csv" --eval-world "$W" 2> "$WORK/whole.time"
grep -E "^link|^  \[|Elapsed|Maximum resident|User time|^vigil:" "$WORK/whole.time"
"$VIGIL" ingest "$W.day" --db "$DB" >/dev/null 2>&1 || echo "(daily file already ingested)"
/usr/bin/time -v "$VIGIL" resolve --db "$DB" --out "$WORK/links-day.csv" 2> "$WORK/day.time"
grep -E "Elapsed|Maximum resident|User time|^vigil:" "$WORK/day.time"
