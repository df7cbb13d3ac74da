// The erasure of one person from a SQLite store: every place the person's
// data lives (the table in src/access/README.md), inside the caller's write
// transaction, and the scrubbing of the files afterwards.
#ifndef VIGIL_ACCESS_ERASURE_H_
#define VIGIL_ACCESS_ERASURE_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/status.h"

namespace vigil::access {

// What one person's erasure removed (counts go into the erase record).
struct ErasedCounts {
  int64_t alerts = 0;           // the person's own alerts
  int64_t travel = 0;           // travel records on the person's documents
  int64_t selectors = 0;        // selectors only the person owned (anonymised)
  int64_t alerts_scrubbed = 0;  // other people's alerts that named the person
  std::string pseudonym;        // the audit pseudonym the person had
};

// Gathers the person's identifiers (id, name, aliases, birth date, the
// selectors only they own, the names and birth dates on their travel
// records) and the records that hold them. Separate from EraseData so that
// the erase audit record, which names the person's pseudonym, can be
// appended between the two. REQUIRES: a write transaction open on `db`.
class PersonErasure {
 public:
  static Result<PersonErasure> Gather(sqlite3* db, const std::string& person_id);

  // Deletes or anonymises the person's data: the person row; attributions,
  // custody, reports, case links, review decisions, oversight clock and
  // watch level; their alerts and alert-engine profile; the travel records
  // on their documents with those records' screening matches, marks and
  // match decisions; the
  // screening matches and marks of their reports; selector_records of the
  // selectors only they owned, whose text becomes "erased:<id>" (comms keep
  // their integer ends, now anonymous); the alert engine's lists of judged
  // record ids; the resolver's saved state (derived, rebuilt by the next
  // run); the triage of their alerts; their nodes on saved canvases (with
  // what refers to them); and every identifier of the person quoted in
  // other people's alerts (key and evidence), their triage (key and reason)
  // and canvases, replaced by "[erased]".
  // Cost: O(the person's rows + alerts and engine state naming them).
  Status EraseData(ErasedCounts& counts);

  // Deletes the keys of the person's audit pseudonyms (id, selectors,
  // names, birth dates): the pseudonyms left in the log link to no one.
  // Call after the erase record was appended.
  Status ForgetPseudonyms();

  const std::string& pseudonym() const { return pseudonym_; }

 private:
  // Replaces in `text` every strong identifier and, when one was found, the
  // person's names too; returns whether anything changed.
  bool Scrub(std::string& text, const std::vector<std::string>& strong) const;
  // Alert triage (current and log) of other people's alerts: keys, reasons.
  Status ScrubTriage(const std::vector<std::string>& strong);
  // Saved canvases: the person's nodes and whatever refers to them.
  Status ScrubCanvases(const std::vector<std::string>& strong);

  sqlite3* db_ = nullptr;
  std::string person_id_;
  std::string pseudonym_;
  std::vector<std::string> texts_;  // name, aliases, birth dates (audit "text:" idents)
  std::vector<int64_t> selector_ids_;
  std::vector<std::string> selectors_;  // only the person's
  std::vector<std::string> travel_ids_;
  std::vector<std::string> report_ids_;
};

// After an erasure has committed: moves every page of the WAL into the
// database file and truncates the WAL to zero bytes (TRUNCATE checkpoint,
// waiting for readers through the busy handler), so that no earlier page
// image of erased rows stays in the -wal file; deleted content in the
// database file itself is already zeroed (PRAGMA secure_delete = ON).
Status TruncateWal(sqlite3* db);

}  // namespace vigil::access

#endif  // VIGIL_ACCESS_ERASURE_H_
