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

constexpr std::array<Migration, 2> kMigrations = {{
    {1, kSchemaV1},
    {5, kSchemaV5},
}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace vigil::sqlite
