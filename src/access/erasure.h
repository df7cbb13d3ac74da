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

  // What identifies the person in a file outside the store: their id,
  // names, aliases, the selectors only they own (also each selector's value
  // without its kind, as input rows may write it), and their travel record
  // and report ids. Birth dates are left out (alone they name no one).
  std::vector<std::string> FileIdentifiers() const;

 private:
  // The identifiers that mark a record as the person's: id, selectors,
  // travel and report ids, names and aliases (not birth dates).
  std::vector<std::string> StrongIdentifiers() const;

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

// A file outside the store that Vigil wrote (table written_files).
struct WrittenFileRow {
  std::string path;  // absolute
  int kind = 0;      // WrittenFileKind: 0 quarantine, 1 export
};

// Every file of written_files, in path order. O(files).
Result<std::vector<WrittenFileRow>> LoadWrittenFiles(sqlite3* db);

// The erasure of persons from the files outside the store, in two steps so
// that the files change only when the store's erasure is about to commit:
// Prepare reads every file and writes the rewritten quarantine files to
// temporary files beside them (mode 0600, fsynced); Apply renames them over
// the originals (deleting a file left with its header only) and fsyncs the
// folders. A scrub destroyed before Apply removes its temporary files.
// Each quarantine file is locked (flock, exclusive: the lock ingest's
// QuarantineFile appends under) from Prepare's read until Apply has put its
// copy in place (or the scrub is destroyed): a row appended meanwhile waits,
// then goes to the rewritten file, so none is lost.
class WrittenFileScrub {
 public:
  WrittenFileScrub() = default;
  WrittenFileScrub(const WrittenFileScrub&) = delete;
  WrittenFileScrub& operator=(const WrittenFileScrub&) = delete;
  ~WrittenFileScrub();

  // `identifiers[i]`: PersonErasure::FileIdentifiers of person i. A CSV
  // record of a quarantine file (whose first record is the quarantine
  // header) naming any identifier as a whole word is dropped and counted
  // in (*rows)[i] of the first person it names. A file that is an export,
  // or that no longer starts with the quarantine header, is never changed:
  // when it names person i, its path goes to (*holding)[i]. Missing files
  // are skipped. IOError (nothing changed, temporaries removed) when a
  // file cannot be read or a temporary file written.
  // Cost: O(bytes of the files x identifiers).
  Status Prepare(const std::vector<WrittenFileRow>& files,
                 const std::vector<std::vector<std::string>>& identifiers,
                 std::vector<int64_t>* rows, std::vector<std::vector<std::string>>* holding);
  // Puts the prepared files in place. IOError names the first file that
  // could not be replaced or deleted (files before it were).
  Status Apply();

 private:
  struct Pending {
    std::string path;
    std::string temp;  // "" = delete `path`
  };
  // Releases the quarantine files' locks.
  void Unlock();
  std::vector<Pending> pending_;
  std::vector<int> locks_;  // descriptors holding the quarantine files' locks
};

// After an erasure has committed: moves every page of the WAL into the
// database file and truncates the WAL to zero bytes (TRUNCATE checkpoint,
// waiting for readers through the busy handler), so that no earlier page
// image of erased rows stays in the -wal file; deleted content in the
// database file itself is already zeroed (PRAGMA secure_delete = ON).
Status TruncateWal(sqlite3* db);

}  // namespace vigil::access

#endif  // VIGIL_ACCESS_ERASURE_H_
