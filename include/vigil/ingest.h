// Ingest: reading the input files of shared/spec/formats.md (CSV or JSONL)
// into a Store, validating every field.
//
// Contract:
// - Each file is applied whole in one store transaction, or not at all. A file
//   with any bad row is rejected, and every bad row (up to a limit) is reported
//   as "file:line:column: rule broken" in the Status message.
// - With a quarantine path, the good rows of a file are applied and every bad
//   row is appended to the quarantine file with its reason.
// - A file whose bytes were ingested before is skipped (nothing is added).
// - A folder is read as a world: its known files (persons, selectors,
//   watchlist, custody, reports, travel, comms; .csv or .jsonl) in that order,
//   so that references resolve. truth/ is never read.
// - Processing stops at the first file that fails; files before it stay
//   committed.
//
// Cost: O(bytes) parsing plus the store's insert cost; memory O(1) in file size
// (rows stream into the store).
#ifndef VIGIL_INGEST_H_
#define VIGIL_INGEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/model.h"
#include "vigil/progress.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil {

struct IngestOptions {
  // When set, bad rows go here (CSV: file, line, column, rule, raw row) and
  // the good rows of the file are applied.
  std::string quarantine_path;
  // At most this many row errors are listed in a rejection message.
  int max_reported_errors = 20;
  Progress* progress = nullptr;  // not owned; may be null
};

struct FileIngestResult {
  std::string path;
  InputKind kind = InputKind::kPersons;
  int64_t rows_accepted = 0;
  int64_t rows_quarantined = 0;
  bool already_ingested = false;  // same bytes were ingested before; nothing added
};

// Expands `paths` (files or world folders) into the files to ingest, in the
// order they will be applied. InvalidArgument for a path that is neither a
// known input file name nor a folder holding one.
Result<std::vector<std::string>> ExpandIngestPaths(const std::vector<std::string>& paths);

// Ingests one file. On a rejected file the Status is InvalidArgument and lists
// the bad rows; the store is unchanged.
Result<FileIngestResult> IngestFile(Store& store, const std::string& path,
                                    const IngestOptions& options);

// Ingests every file of ExpandIngestPaths(paths), stopping at the first
// failure. `results` receives one entry per file that was committed or
// skipped, even when a later file fails.
Status IngestPaths(Store& store, const std::vector<std::string>& paths,
                   const IngestOptions& options, std::vector<FileIngestResult>* results);

}  // namespace vigil

#endif  // VIGIL_INGEST_H_
