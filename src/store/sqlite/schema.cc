#include "store/sqlite/schema.h"

#include <array>

namespace vigil::sqlite {
namespace {

// Schema version 1.
//
// Conventions:
// - Times are INTEGER seconds since the Unix epoch (UTC); dates stay TEXT as
//   written ("YYYY-MM-DD", or partial "YYYY"/"YYYY-MM" for birth dates).
// - Empty (unknown) values are NULL.
// - Multi-valued fields (aliases) are JSON arrays of strings; free x_*
//   attributes are JSON objects {"x_name": "value"}, in column order.
// - Enumerations are INTEGER codes equal to the enum's value in model.h:
//     persons.status      PersonStatus    0 unknown, 1 subject, 2 associate
//     selectors.kind      SelectorKind    0 msisdn, 1 imsi, 2 imei, 3 email,
//                                         4 handle, 5 ip, 6 passport, 7 idcard
//     comms.kind          CommKind        0 unknown, 1 call, 2 sms, 3 msg, 4 email
//     reports.category    ReportCategory  0 other, 1 behaviour_change,
//                                         2 contact, 3 travel, 4 weapon
//     watchlist.handling  Handling        0 unset, 1 red, 2 amber, 3 green, 4 clear
//     attributions.state  AttributionState 0 proposed, 1 confirmed,
//                                         2 rejected, 3 source
//     ingested_files.kind InputKind       0 persons, 1 selectors, 2 comms,
//                                         3 travel, 4 custody, 5 reports,
//                                         6 watchlist
//   Appending a value to an enum is compatible; reordering one needs a
//   migration.
constexpr char kSchemaV1[] = R"sql(
-- Free-form facts about the store file itself.
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('format', 'vigil-store');

-- persons.csv. Referenced by attributions, custody and reports.
CREATE TABLE persons(
  person_id   TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  aliases     TEXT,                       -- JSON array
  birth_date  TEXT,
  nationality TEXT,
  status      INTEGER NOT NULL CHECK (status BETWEEN 0 AND 2),
  compartment TEXT,
  legal_basis TEXT,
  review_by   TEXT,
  attrs       TEXT                        -- JSON object
) WITHOUT ROWID;

-- Every selector seen anywhere (selectors.csv, comms src/dst/device, travel
-- documents), interned once. `id` is the dense id of Store::ScanSelectors
-- (1..N, assigned in order of first sighting, never reused).
CREATE TABLE selectors(
  id       INTEGER PRIMARY KEY,
  selector TEXT NOT NULL UNIQUE,
  kind     INTEGER                        -- SelectorKind, NULL if unrecognised
);

-- Interned cell (location) ids of comms.
CREATE TABLE cells(
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

-- selectors.csv rows (one per selector; a later row replaces it).
CREATE TABLE selector_records(
  selector_id INTEGER PRIMARY KEY REFERENCES selectors(id),
  first_seen  INTEGER,
  last_seen   INTEGER,
  source      TEXT,
  attrs       TEXT
);

-- Who owns a selector: from selectors.csv (state 3 "source", confidence 1) or
-- from analysts and resolvers. One row per (selector, person).
CREATE TABLE attributions(
  selector_id INTEGER NOT NULL REFERENCES selectors(id),
  person_id   TEXT NOT NULL REFERENCES persons(person_id),
  confidence  REAL NOT NULL CHECK (confidence BETWEEN 0.0 AND 1.0),
  evidence    TEXT,
  state       INTEGER NOT NULL CHECK (state BETWEEN 0 AND 3),
  decided_by  TEXT,
  decided_at  INTEGER,
  PRIMARY KEY (selector_id, person_id)
) WITHOUT ROWID;
CREATE INDEX attributions_person ON attributions(person_id);

-- comms.csv: the big table (hundreds of millions of rows), integers only.
-- src, dst and device are selectors.id, cell is cells.id. They are not
-- declared as foreign keys: the writer assigns them from its interning maps in
-- the same transaction, and a per-row parent lookup would triple the insert
-- cost. Storage (rowid) order is ingest order.
CREATE TABLE comms(
  time       INTEGER NOT NULL,
  src        INTEGER NOT NULL,
  dst        INTEGER NOT NULL,
  kind       INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 4),
  duration_s INTEGER,
  device     INTEGER,
  cell       INTEGER,
  attrs      TEXT
);
-- "Comms of these selectors in a time window", in time order.
CREATE INDEX comms_src_time ON comms(src, time);
CREATE INDEX comms_dst_time ON comms(dst, time);

-- travel.csv; `document` is a selectors.id.
CREATE TABLE travel(
  record_id   TEXT PRIMARY KEY,
  time        INTEGER NOT NULL,
  name        TEXT NOT NULL,
  birth_date  TEXT,
  document    INTEGER REFERENCES selectors(id),
  nationality TEXT,
  origin      TEXT,
  destination TEXT NOT NULL,
  carrier     TEXT,
  attrs       TEXT
) WITHOUT ROWID;
CREATE INDEX travel_document_time ON travel(document, time);

-- custody.csv: one stay per (person, facility, start date).
CREATE TABLE custody(
  person_id TEXT NOT NULL REFERENCES persons(person_id),
  facility  TEXT NOT NULL,
  start     TEXT NOT NULL,
  end       TEXT,
  attrs     TEXT,
  PRIMARY KEY (person_id, facility, start)
) WITHOUT ROWID;

-- reports.csv; person_id is NULL when the report names someone unknown.
CREATE TABLE reports(
  report_id TEXT PRIMARY KEY,
  time      INTEGER NOT NULL,
  person_id TEXT REFERENCES persons(person_id),
  name      TEXT,
  source    TEXT NOT NULL,
  category  INTEGER NOT NULL CHECK (category BETWEEN 0 AND 4),
  text      TEXT,
  attrs     TEXT
) WITHOUT ROWID;
CREATE INDEX reports_person_time ON reports(person_id, time);

-- watchlist.csv.
CREATE TABLE watchlist(
  entry_id    TEXT PRIMARY KEY,
  list        TEXT NOT NULL,
  name        TEXT NOT NULL,
  aliases     TEXT,                       -- JSON array
  birth_date  TEXT,
  nationality TEXT,
  reason      TEXT,
  valid_until TEXT,
  handling    INTEGER NOT NULL CHECK (handling BETWEEN 0 AND 4),
  attrs       TEXT
) WITHOUT ROWID;

-- Every committed source file; `seq` orders them by commit.
CREATE TABLE ingested_files(
  seq          INTEGER PRIMARY KEY,
  content_hash TEXT NOT NULL UNIQUE,
  path         TEXT NOT NULL,
  kind         INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 6),
  size_bytes   INTEGER NOT NULL,
  rows         INTEGER NOT NULL,
  committed_at INTEGER NOT NULL
);
)sql";

// Schema version 3: long-term watch (src/watch). Watch levels set by
// analysts, raised alerts (keyed so that raising one twice adds nothing) and
// the alert engine's state (per-subject profiles, watermarks) as blobs.
constexpr char kSchemaV3[] = R"sql(
CREATE TABLE watch_subjects(
  person_id   TEXT PRIMARY KEY REFERENCES persons(person_id),
  state       INTEGER NOT NULL CHECK (state BETWEEN 0 AND 2),  -- 0 active, 1 dormant, 2 closed
  reason      TEXT,
  set_by      TEXT,
  set_at      INTEGER NOT NULL,
  last_review INTEGER
) WITHOUT ROWID;

CREATE TABLE watch_alerts(
  key       TEXT PRIMARY KEY,
  time      INTEGER NOT NULL,
  person_id TEXT,
  kind      TEXT NOT NULL,
  score     REAL NOT NULL,
  evidence  TEXT,
  raised_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX watch_alerts_person_time ON watch_alerts(person_id, time);
CREATE INDEX watch_alerts_time ON watch_alerts(time);

CREATE TABLE watch_state(
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;
)sql";

// Schema version 4: oversight (src/access). Users and their compartments,
// cases and the category of each person's link to a case, the watch state
// and review decisions of subjects, retention limits and erasures, watch-list
// configuration and four-eyes proposals, and the hash-chained audit log with
// its signed checkpoints. Personal content never enters audit_log: it holds
// ids, hashes and the purpose the user gave.
//   users.role               Role      0 analyst, 1 supervisor, 2 auditor, 3 admin
//   person_oversight.state   WatchState 0 active, 1 dormant, 2 ended
//   case_links.category      SubjectCategory 0 suspect, 1 contact, 2 witness,
//                                      3 victim, 4 other
//   audit_log.outcome        0 allowed, 1 refused
constexpr char kSchemaV4[] = R"sql(
CREATE TABLE users(
  name          TEXT PRIMARY KEY,
  role          INTEGER NOT NULL CHECK (role BETWEEN 0 AND 3),
  password_hash TEXT NOT NULL,            -- libsodium Argon2id string
  created_at    INTEGER NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE user_compartments(
  user        TEXT NOT NULL REFERENCES users(name),
  compartment TEXT NOT NULL,
  PRIMARY KEY (user, compartment)
) WITHOUT ROWID;

CREATE TABLE cases(
  case_id     TEXT PRIMARY KEY,
  compartment TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE case_links(
  case_id   TEXT NOT NULL REFERENCES cases(case_id),
  person_id TEXT NOT NULL,
  category  INTEGER NOT NULL CHECK (category BETWEEN 0 AND 4),
  linked_by TEXT NOT NULL,
  linked_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, person_id)
) WITHOUT ROWID;
CREATE INDEX case_links_person ON case_links(person_id);

CREATE TABLE person_oversight(
  person_id TEXT PRIMARY KEY,
  state     INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 2),
  stored_at INTEGER NOT NULL,             -- when Vigil first stored the person
  ended_at  INTEGER                       -- when watch ended (retention clock)
) WITHOUT ROWID;
CREATE TABLE review_decisions(
  id            INTEGER PRIMARY KEY,
  person_id     TEXT NOT NULL,
  decision      TEXT NOT NULL CHECK (decision IN ('end', 'extend', 'dormant')),
  reason        TEXT NOT NULL,
  new_review_by TEXT,
  decided_by    TEXT NOT NULL,
  decided_at    INTEGER NOT NULL
);
CREATE INDEX review_decisions_person ON review_decisions(person_id);

CREATE TABLE retention_limits(
  category TEXT PRIMARY KEY,              -- suspect .. other, or 'none'
  days     INTEGER NOT NULL CHECK (days > 0)
) WITHOUT ROWID;
INSERT INTO retention_limits(category, days) VALUES
  ('suspect', 3650), ('contact', 1095), ('witness', 1095), ('victim', 1825),
  ('other', 365), ('none', 730);
CREATE TABLE erasures(
  person_id TEXT NOT NULL,
  category  TEXT NOT NULL,
  erased_by TEXT NOT NULL,
  erased_at INTEGER NOT NULL
);

CREATE TABLE watchlist_lists(
  list        TEXT PRIMARY KEY,
  compartment TEXT NOT NULL,
  shared      INTEGER NOT NULL DEFAULT 0  -- 1: shared with partners (four eyes)
) WITHOUT ROWID;
CREATE TABLE watchlist_proposals(
  entry_id    TEXT PRIMARY KEY,
  list        TEXT NOT NULL,
  entry_json  TEXT NOT NULL,              -- the entry as proposed
  proposed_by TEXT NOT NULL,
  proposed_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log(
  seq     INTEGER PRIMARY KEY,
  time    INTEGER NOT NULL,
  user    TEXT NOT NULL,
  action  TEXT NOT NULL,
  object  TEXT NOT NULL,
  outcome INTEGER NOT NULL CHECK (outcome IN (0, 1)),
  purpose TEXT NOT NULL,
  params  TEXT NOT NULL,
  hash    TEXT NOT NULL                   -- hex BLAKE2b-256 chained on seq - 1
);
CREATE INDEX audit_log_user_time ON audit_log(user, time);
CREATE INDEX audit_log_time ON audit_log(time);
CREATE TABLE audit_subjects(
  seq       INTEGER NOT NULL,
  person_id TEXT NOT NULL,
  PRIMARY KEY (person_id, seq)
) WITHOUT ROWID;
CREATE INDEX audit_subjects_seq ON audit_subjects(seq);
CREATE TABLE audit_checkpoints(
  seq        INTEGER PRIMARY KEY,         -- the last record covered
  hash       TEXT NOT NULL,
  signed_at  INTEGER NOT NULL,
  public_key TEXT NOT NULL,               -- hex Ed25519
  signature  TEXT NOT NULL                -- hex Ed25519 over the checkpoint text
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_subjects_no_update BEFORE UPDATE ON audit_subjects
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_subjects_no_delete BEFORE DELETE ON audit_subjects
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

// Schema version 6 (issue 6, watch-list screening; versions 2..5 belong to
// other modules). source_kind and marks.kind are InputKind codes (3 travel,
// 5 reports, 6 watchlist).
constexpr char kSchemaV6[] = R"sql(
-- A screening match of a travel record or report against a watch-list entry.
CREATE TABLE watchlist_matches(
  source_kind INTEGER NOT NULL CHECK (source_kind IN (3, 5)),
  source_id   TEXT NOT NULL,
  entry_id    TEXT NOT NULL,
  score       REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
  explanation TEXT NOT NULL,
  seen_at     INTEGER NOT NULL,
  screened_at INTEGER NOT NULL,
  retroactive INTEGER NOT NULL CHECK (retroactive IN (0, 1)),
  PRIMARY KEY (source_kind, source_id, entry_id)
) WITHOUT ROWID;
CREATE INDEX watchlist_matches_entry ON watchlist_matches(entry_id, seen_at);

-- Records screened against the whole list, and entries whose past records
-- were screened when they were listed.
CREATE TABLE screening_marks(
  kind INTEGER NOT NULL CHECK (kind IN (3, 5, 6)),
  id   TEXT NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
)sql";

// Schema version 5: comm postings (store/sqlite/postings.h) replace the
// comms indexes (src, time) and (dst, time). A bulk load then costs about one
// B-tree insert per communication instead of three (see bench/ingest).
// A store that already holds comms is marked for a rebuild of its postings,
// which SqliteStore::Open does (in C++: the blocks are varint-encoded).
// Once a store is at version 5, every comms row is in the postings of its
// src and of its dst (once when they are equal), in the same transaction.
constexpr char kSchemaV5[] = R"sql(
DROP INDEX comms_src_time;
DROP INDEX comms_dst_time;
CREATE TABLE comm_postings(
  selector_id INTEGER NOT NULL,           -- selectors.id
  last_time   INTEGER NOT NULL,           -- time of the block's last posting
  first_comm  INTEGER NOT NULL,           -- comms.rowid of its first posting
  first_time  INTEGER NOT NULL,
  postings    INTEGER NOT NULL CHECK (postings > 0),
  data        BLOB NOT NULL,              -- varint deltas (postings.h)
  PRIMARY KEY (selector_id, last_time, first_comm)
) WITHOUT ROWID;
INSERT INTO meta(key, value) SELECT 'comm_postings', 'rebuild' WHERE EXISTS (SELECT 1 FROM comms);
)sql";

// Schema version 7: identifier resolution's saved state (src/resolve/state.h):
// named sections of bytes, each split into parts below SQLite's blob limit.
// Replaced whole by every resolution run; derived from comms, never a source.
constexpr char kSchemaV7[] = R"sql(
CREATE TABLE resolve_state(
  name TEXT NOT NULL,
  part INTEGER NOT NULL CHECK (part >= 0),
  data BLOB NOT NULL,
  PRIMARY KEY (name, part)
);
)sql";

// Schema version 8: one watch level per person. watch_subjects (version 3)
// becomes the only record of whether a person is on active, dormant or closed
// watch; a supervisor's review decision writes it like `vigil watch set`
// (SqliteStore::WriteWatchRecordInTransaction), and person_oversight keeps
// only the retention clock (stored_at, ended_at). The decided state of every
// person in person_oversight (WatchState 0 active, 1 dormant, 2 ended, whose
// codes equal watch_subjects.state's) is carried over when it is newer than
// the person's watch record (the latest review decision's time against
// set_at; a tie goes to the decision), with the decision as the reason and
// its supervisor and time as set_by, set_at and last_review; then the
// duplicate column is dropped.
constexpr char kSchemaV8[] = R"sql(
INSERT INTO watch_subjects(person_id, state, reason, set_by, set_at, last_review)
SELECT o.person_id, o.state,
       coalesce('review ' || d.decision || ': ' || d.reason, 'oversight state (migration 8)'),
       coalesce(d.decided_by, 'migration 8'),
       coalesce(d.decided_at, o.ended_at, o.stored_at),
       d.decided_at
FROM person_oversight o
JOIN persons p ON p.person_id = o.person_id
LEFT JOIN review_decisions d ON d.id =
  (SELECT max(r.id) FROM review_decisions r WHERE r.person_id = o.person_id)
WHERE o.state <> 0 OR d.id IS NOT NULL
ON CONFLICT(person_id) DO UPDATE SET
  state = excluded.state, reason = excluded.reason, set_by = excluded.set_by,
  set_at = excluded.set_at, last_review = excluded.last_review
WHERE excluded.set_at >= watch_subjects.set_at;
-- A review is a review even where a later `watch set` won.
UPDATE watch_subjects SET last_review =
  (SELECT max(r.decided_at) FROM review_decisions r WHERE r.person_id = watch_subjects.person_id)
WHERE EXISTS (SELECT 1 FROM review_decisions r WHERE r.person_id = watch_subjects.person_id
              AND (watch_subjects.last_review IS NULL OR r.decided_at > watch_subjects.last_review));
ALTER TABLE person_oversight DROP COLUMN state;
)sql";

// Schema version 9: the analyst's workbench. alert_triage holds the current
// state of each alert an analyst has handled (AlertState: 1 acknowledged,
// 2 assigned, 3 dismissed, 4 escalated; 0 open after a reopening);
// alert_triage_log every decision in order, so that a dismissal's reason is
// kept whatever follows. canvases are saved investigations of a case
// (document: the workbench's JSON), with the persons each shows in
// canvas_persons for access checks.
constexpr char kSchemaV9[] = R"sql(
CREATE TABLE alert_triage(
  key        TEXT PRIMARY KEY,
  state      INTEGER NOT NULL CHECK (state BETWEEN 0 AND 4),
  assignee   TEXT,
  reason     TEXT,
  case_id    TEXT,
  decided_by TEXT NOT NULL,
  decided_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE alert_triage_log(
  id         INTEGER PRIMARY KEY,
  key        TEXT NOT NULL,
  state      INTEGER NOT NULL CHECK (state BETWEEN 0 AND 4),
  assignee   TEXT,
  reason     TEXT,
  case_id    TEXT,
  decided_by TEXT NOT NULL,
  decided_at INTEGER NOT NULL
);
CREATE INDEX alert_triage_log_key ON alert_triage_log(key, id);

CREATE TABLE canvases(
  case_id    TEXT NOT NULL REFERENCES cases(case_id),
  name       TEXT NOT NULL,
  version    INTEGER NOT NULL CHECK (version > 0),
  document   TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, name)
) WITHOUT ROWID;
CREATE TABLE canvas_persons(
  case_id   TEXT NOT NULL,
  name      TEXT NOT NULL,
  person_id TEXT NOT NULL,
  PRIMARY KEY (case_id, name, person_id)
) WITHOUT ROWID;
CREATE INDEX canvas_persons_person ON canvas_persons(person_id);
)sql";

// Schema version 10: a change counter for sessions and caches
// (Store::ChangeGeneration). Triggers move it on every committed change to
// accounts and grants, to attribution decisions and proposals (not to the
// source attributions of an ingest, which moves IngestGeneration) and on the
// erasure of a person, whoever writes the file. Cases keyed by (compartment,
// case_id), their links and canvases too. Grants waiting for a second admin.
constexpr char kSchemaV10[] = R"sql(
CREATE TABLE change_generation(
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO change_generation(id, value) VALUES (1, 0);
CREATE TRIGGER users_insert_moves AFTER INSERT ON users
BEGIN UPDATE change_generation SET value = value + 1; END;
CREATE TRIGGER users_update_moves AFTER UPDATE ON users
BEGIN UPDATE change_generation SET value = value + 1; END;
CREATE TRIGGER users_delete_moves AFTER DELETE ON users
BEGIN UPDATE change_generation SET value = value + 1; END;
CREATE TRIGGER grants_insert_moves AFTER INSERT ON user_compartments
BEGIN UPDATE change_generation SET value = value + 1; END;
CREATE TRIGGER grants_update_moves AFTER UPDATE ON user_compartments
BEGIN UPDATE change_generation SET value = value + 1; END;
CREATE TRIGGER grants_delete_moves AFTER DELETE ON user_compartments
BEGIN UPDATE change_generation SET value = value + 1; END;
CREATE TRIGGER attributions_insert_moves AFTER INSERT ON attributions WHEN NEW.state <> 3
BEGIN UPDATE change_generation SET value = value + 1; END;
CREATE TRIGGER attributions_update_moves AFTER UPDATE ON attributions
WHEN NEW.state <> 3 OR OLD.state <> 3
BEGIN UPDATE change_generation SET value = value + 1; END;
CREATE TRIGGER attributions_delete_moves AFTER DELETE ON attributions
BEGIN UPDATE change_generation SET value = value + 1; END;
CREATE TRIGGER persons_delete_moves AFTER DELETE ON persons
BEGIN UPDATE change_generation SET value = value + 1; END;
-- Case ids are unique within a compartment, not across them: an id taken in
-- a compartment a user cannot see is free in theirs, so creating a case
-- tells nobody what exists elsewhere.
CREATE TABLE cases_v10(
  case_id     TEXT NOT NULL,
  compartment TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (compartment, case_id)
) WITHOUT ROWID;
INSERT INTO cases_v10 SELECT case_id, compartment, created_by, created_at FROM cases;
CREATE TABLE case_links_v10(
  compartment TEXT NOT NULL,
  case_id     TEXT NOT NULL,
  person_id   TEXT NOT NULL,
  category    INTEGER NOT NULL CHECK (category BETWEEN 0 AND 4),
  linked_by   TEXT NOT NULL,
  linked_at   INTEGER NOT NULL,
  PRIMARY KEY (compartment, case_id, person_id),
  FOREIGN KEY (compartment, case_id) REFERENCES cases_v10(compartment, case_id)
) WITHOUT ROWID;
INSERT INTO case_links_v10
SELECT c.compartment, l.case_id, l.person_id, l.category, l.linked_by, l.linked_at
FROM case_links l JOIN cases c ON c.case_id = l.case_id;
CREATE TABLE canvases_v10(
  compartment TEXT NOT NULL,
  case_id     TEXT NOT NULL,
  name        TEXT NOT NULL,
  version     INTEGER NOT NULL CHECK (version > 0),
  document    TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_by  TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (compartment, case_id, name),
  FOREIGN KEY (compartment, case_id) REFERENCES cases_v10(compartment, case_id)
) WITHOUT ROWID;
INSERT INTO canvases_v10
SELECT c.compartment, v.case_id, v.name, v.version, v.document, v.created_by, v.created_at,
       v.updated_by, v.updated_at
FROM canvases v JOIN cases c ON c.case_id = v.case_id;
CREATE TABLE canvas_persons_v10(
  compartment TEXT NOT NULL,
  case_id     TEXT NOT NULL,
  name        TEXT NOT NULL,
  person_id   TEXT NOT NULL,
  PRIMARY KEY (compartment, case_id, name, person_id)
) WITHOUT ROWID;
INSERT INTO canvas_persons_v10
SELECT c.compartment, p.case_id, p.name, p.person_id
FROM canvas_persons p JOIN cases c ON c.case_id = p.case_id;
DROP TABLE canvas_persons;
DROP TABLE canvases;
DROP TABLE case_links;
DROP TABLE cases;
ALTER TABLE cases_v10 RENAME TO cases;
ALTER TABLE case_links_v10 RENAME TO case_links;
ALTER TABLE canvases_v10 RENAME TO canvases;
ALTER TABLE canvas_persons_v10 RENAME TO canvas_persons;
CREATE INDEX canvas_persons_person ON canvas_persons(person_id);
CREATE INDEX case_links_person ON case_links(person_id);
-- Grants of a compartment waiting for a second admin (four eyes). The key
-- is the whole content: an approval names what it approves.
CREATE TABLE pending_grants(
  user        TEXT NOT NULL,
  compartment TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  proposed_at INTEGER NOT NULL,
  PRIMARY KEY (user, compartment)
) WITHOUT ROWID;
)sql";

// Schema version 11: an audit log that needs a secret to forge, and erasure
// that leaves no identifier behind (src/access/README.md).
// - audit_log.mac: keyed BLAKE2b-256 of (mac_from, checkpoint interval, seq,
//   hash) under the MAC key derived from the audit key file, which lives
//   outside the store. Records from meta 'audit_mac_from' on must carry one;
//   older records (NULL) are covered by their chain and checkpoints only.
// - audit_checkpoints becomes append-only like audit_log, and keeps the
//   mac_from its signature covers (checkpoint text v2).
// - audit_pseudonyms: the per-identifier keys of the keyed pseudonyms that
//   audit records hold in place of person ids, selectors, documents and
//   free text. Erasure deletes a person's rows; the pseudonyms left in the
//   log can then no longer be linked to anyone.
constexpr char kSchemaV11[] = R"sql(
ALTER TABLE audit_log ADD COLUMN mac TEXT;
ALTER TABLE audit_checkpoints ADD COLUMN mac_from INTEGER;  -- NULL: checkpoint text v1
INSERT INTO meta(key, value) SELECT 'audit_mac_from', CAST(coalesce(max(seq), 0) + 1 AS TEXT)
  FROM audit_log;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'the audit checkpoints are append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'the audit checkpoints are append-only'); END;
CREATE TABLE audit_pseudonyms(
  ident     TEXT PRIMARY KEY,             -- "person:P1", "selector:...", "text:<BLAKE2b>"
  pseudonym TEXT NOT NULL UNIQUE,         -- "~" + hex keyed BLAKE2b-128(key, ident)
  key       BLOB NOT NULL                 -- 32 random bytes
) WITHOUT ROWID;
)sql";

// Decisions on screening matches (MatchDecisionKind: 0 confirmed, 1
// dismissed), every one in order; the last of a match is its state. A match
// is named by its watchlist_matches key (a decision outlives a re-screening
// that replaces the match's score). The version is one constant, so that
// renumbering this migration is a one-line change.
constexpr int kMatchDecisionsVersion = 12;
constexpr char kSchemaMatchDecisions[] = R"sql(
CREATE TABLE match_decisions(
  id          INTEGER PRIMARY KEY,
  source_kind INTEGER NOT NULL CHECK (source_kind IN (3, 5)),
  source_id   TEXT NOT NULL,
  entry_id    TEXT NOT NULL,
  decision    INTEGER NOT NULL CHECK (decision IN (0, 1)),
  reason      TEXT NOT NULL CHECK (reason <> ''),
  decided_by  TEXT NOT NULL,
  decided_at  INTEGER NOT NULL
);
CREATE INDEX match_decisions_match ON match_decisions(source_kind, source_id, entry_id, id);
)sql";

// Files outside the store to which Vigil wrote personal data: quarantine
// files (ingest's bad rows) and exports (--out of network export, rank,
// screen, resolve, alerts). Erasure rewrites the quarantine files without
// the erased person's rows and names the exports that still hold them
// (src/access/README.md, "Erasure"). One row per path (absolute).
constexpr int kWrittenFilesVersion = 13;
constexpr char kSchemaWrittenFiles[] = R"sql(
CREATE TABLE written_files(
  path             TEXT PRIMARY KEY,
  kind             INTEGER NOT NULL CHECK (kind IN (0, 1)),  -- 0 quarantine, 1 export
  written_by       TEXT NOT NULL,
  first_written_at INTEGER NOT NULL,
  last_written_at  INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Protective-deployment plans (src/protect): a plan is a proposal until a
// second person, not its proposer, approves it. The version is one constant,
// so that renumbering this migration at a merge is a one-line change.
constexpr int kProtectPlansVersion = 14;
constexpr char kSchemaProtectPlans[] = R"sql(
CREATE TABLE protect_plans(
  id              TEXT PRIMARY KEY,
  content         TEXT NOT NULL CHECK (content <> ''),
  content_hash    TEXT NOT NULL,
  proposed_by     TEXT NOT NULL CHECK (proposed_by <> ''),
  proposed_at     INTEGER NOT NULL,
  approved_by     TEXT,
  approved_at     INTEGER,
  approval_reason TEXT,
  CHECK (approved_by IS NULL OR (approved_by <> proposed_by AND approval_reason <> ''))
);
)sql";

// Partner exchange (src/share): partners and their public keys, sharing
// agreements, every signed envelope sent or received (each kept once per
// direction, partner and message id, which is what refuses a replay), the
// outbox's delivery state, and the acknowledgement ledger.
constexpr int kShareVersion = 15;
constexpr char kSchemaShare[] = R"sql(
CREATE TABLE share_partners(
  name       TEXT PRIMARY KEY CHECK (name <> ''),
  url        TEXT NOT NULL CHECK (url <> ''),
  public_key TEXT NOT NULL CHECK (public_key <> ''),
  key_id     TEXT NOT NULL UNIQUE,
  added_by   TEXT NOT NULL,
  added_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE share_agreements(
  id          INTEGER PRIMARY KEY,
  partner     TEXT NOT NULL REFERENCES share_partners(name),
  kinds       TEXT NOT NULL CHECK (kinds <> ''),
  fields      TEXT NOT NULL CHECK (fields <> ''),
  legal_basis TEXT NOT NULL CHECK (legal_basis <> ''),
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE share_messages(
  direction          INTEGER NOT NULL CHECK (direction IN (0, 1)),
  partner            TEXT NOT NULL,
  message_id         TEXT NOT NULL CHECK (message_id <> ''),
  kind               TEXT NOT NULL,
  marking            TEXT NOT NULL,
  originator_control INTEGER NOT NULL,
  deadline           INTEGER NOT NULL,
  envelope           TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  delivered          INTEGER NOT NULL DEFAULT 0,
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at    INTEGER NOT NULL DEFAULT 0,
  last_error         TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (direction, partner, message_id)
);
CREATE INDEX share_messages_outbox ON share_messages(direction, delivered, next_attempt_at);
CREATE TABLE share_events(
  id         INTEGER PRIMARY KEY,
  direction  INTEGER NOT NULL,
  partner    TEXT NOT NULL,
  message_id TEXT NOT NULL,
  event      TEXT NOT NULL CHECK (event <> ''),
  at         INTEGER NOT NULL,
  by         TEXT NOT NULL,
  detail     TEXT NOT NULL
);
CREATE INDEX share_events_message ON share_events(direction, partner, message_id, id);
)sql";

constexpr std::array<Migration, 14> kMigrations = {{
    {1, kSchemaV1},
    {3, kSchemaV3},
    {4, kSchemaV4},
    {5, kSchemaV5},
    {6, kSchemaV6},
    {7, kSchemaV7},
    {8, kSchemaV8},
    {9, kSchemaV9},
    {10, kSchemaV10},
    {11, kSchemaV11},
    {kMatchDecisionsVersion, kSchemaMatchDecisions},
    {kWrittenFilesVersion, kSchemaWrittenFiles},
    {kProtectPlansVersion, kSchemaProtectPlans},
    {kShareVersion, kSchemaShare},
}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace vigil::sqlite
