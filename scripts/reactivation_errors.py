#!/usr/bin/env python3
"""Sorts a suite's reactivation alerts and misses into kinds, from the stores
`vigil eval --suite` leaves (SUITE_DIR/<world>.db and SUITE_DIR/<world>/truth).

  python3 scripts/reactivation_errors.py SUITE_DIR [WORLD_PREFIX] [-v]

False alerts (no true activation of the person from 7 days before to 30 days
after the alert, as `vigil eval` scores them):
  member-early     a cell member, alerted more than 7 days before an activation
  member-late      a cell member, alerted more than 30 days after one
  member-never     a cell member whose cell never reactivates
  outsider-mate    not in a cell; a person they talk to was activated within 30 d
  outsider         not in a cell, no activated contact nearby
  (+proposed when the alert reaches the person through a proposed link)
Misses (activation without an alert in its window):
  unwatched        the person is not watched
  alert-before     an earlier alert (more than 7 d before) blocks the window
  late             the first alert after the activation is more than 30 d late
  none             no alert at all on or after the activation
"""
import csv, datetime, sqlite3, sys, collections, os, glob

DAY = 86400


def t(s):
    return int(datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp())


def world(db, wdir, verbose):
    acts = collections.defaultdict(list)
    for r in csv.DictReader(open(wdir + "/truth/activations.csv")):
        acts[r["person_id"]].append(t(r["time"]))
    cell = {r["person_id"]: r["cell_id"] for r in csv.DictReader(open(wdir + "/truth/cells.csv"))}
    con = sqlite3.connect(db)
    alerts = collections.defaultdict(list)
    for p, tm, ev in con.execute(
            "select person_id, time, evidence from watch_alerts where kind='reactivation'"):
        alerts[p].append((tm, ev))
    stored = dict(con.execute("select person_id, state from watch_subjects"))
    watched = {p for (p, st) in con.execute("select person_id, status from persons")
               if stored.get(p, 0 if st == 1 else 2) != 2}
    false = collections.Counter()
    examples = collections.defaultdict(list)
    for p, lst in alerts.items():
        for tm, ev in lst:
            if any(a - 7 * DAY <= tm <= a + 30 * DAY for a in acts.get(p, [])):
                continue
            prop = "+proposed" if "via a proposed link" in ev else ""
            if p in cell:
                mine = acts.get(p, [])
                if not mine:
                    k = "member-never"
                elif all(tm < a - 7 * DAY for a in mine):
                    k = "member-early"
                else:
                    k = "member-late"
            else:
                # any activated person within 30 d named in the evidence?
                near = [q for q, ts in acts.items() if q in ev and any(abs(tm - a) <= 30 * DAY for a in ts)]
                k = "outsider-mate" if near else "outsider"
            false[k + prop] += 1
            examples[k + prop].append((p, datetime.datetime.utcfromtimestamp(tm).isoformat(), ev))
    miss = collections.Counter()
    mexamples = collections.defaultdict(list)
    for p, ts in acts.items():
        for a in ts:
            al = sorted(x[0] for x in alerts.get(p, []))
            if any(a - 7 * DAY <= x <= a + 30 * DAY for x in al):
                continue
            if p not in watched:
                k = "unwatched"
            elif any(a - 7 * DAY - 90 * DAY <= x < a - 7 * DAY for x in al):
                k = "alert-before"
            elif any(x > a + 30 * DAY for x in al):
                k = "late"
            else:
                k = "none"
            miss[k] += 1
            mexamples[k].append((p, datetime.datetime.utcfromtimestamp(a).isoformat(),
                                 [(datetime.datetime.utcfromtimestamp(x).isoformat()) for x in al]))
    print(f"== {os.path.basename(wdir)}: {sum(len(v) for v in alerts.values())} alerts, "
          f"{sum(false.values())} false, {sum(miss.values())} misses of {sum(len(v) for v in acts.values())}")
    print("   false:", dict(false))
    print("   misses:", dict(miss))
    if verbose:
        for k, lst in examples.items():
            for e in lst:
                print("   F", k, *e)
        for k, lst in mexamples.items():
            for e in lst:
                print("   M", k, *e)
    return false, miss


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv
    suite = args[0]
    prefix = args[1] if len(args) > 1 else ""
    tf, tm = collections.Counter(), collections.Counter()
    for db in sorted(glob.glob(f"{suite}/{prefix}*.db")):
        f, m = world(db, db[:-3], verbose)
        tf.update(f)
        tm.update(m)
    print("== total false:", dict(tf))
    print("== total misses:", dict(tm))


if __name__ == "__main__":
    main()
