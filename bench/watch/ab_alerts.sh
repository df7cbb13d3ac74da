#!/bin/bash
# ab_alerts.sh: `vigil alerts` whole run, OLD vs NEW binary, on copies of one
# ingested store, alternating, three runs each (/usr/bin/time: wall, user CPU,
# peak RSS). Compare the medians.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NEW=${NEW:-$ROOT/build/release/src/cli/vigil}; OLD=${OLD:?set OLD to a Release vigil of the commit to compare with}
STORE=${1:?usage: ab_alerts.sh INGESTED_STORE (a copy is taken per run)}
for i in 1 2 3; do
  for v in old new; do
    B=$OLD; [ $v = new ] && B=$NEW
    rm -f ${TMPDIR:-/tmp}/ab_alerts.db*; cp $STORE ${TMPDIR:-/tmp}/ab_alerts.db; cp $STORE.audit-key ${TMPDIR:-/tmp}/ab_alerts.db.audit-key 2>/dev/null
    /usr/bin/time -f "$v run$i %e s wall %U s user %M KB" $B --db ${TMPDIR:-/tmp}/ab_alerts.db --format csv alerts --now 2026-11-23T00:00:00Z --out ${TMPDIR:-/tmp}/ab_alerts_$v.csv 2>&1 | grep -E "run|new alerts"
  done
done
