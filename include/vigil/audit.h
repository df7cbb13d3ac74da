// The audit log's records, queries, checkpoints and verification results.
//
// The log is append-only. Record n holds who (user), when (time), what
// (action, object, outcome), why (the purpose the user gave), the query's
// parameters, and the persons it concerns, and its hash is BLAKE2b-256 over
// record n-1's hash and record n's canonical bytes. Identifiers (person ids,
// selectors, documents) and free text enter it only as keyed pseudonyms
// whose per-identifier keys erasure deletes, so erasing a person never
// rewrites the log and leaves it unlinkable to them. Every record also
// carries a MAC under a key derived from the audit key file kept outside the
// store, and checkpoints are Ed25519 signatures over (seq, hash) published
// with every commit's head to a witness file outside the store: without the
// key and the witness, nobody who can write the store can change, add,
// remove or cut records undetected (src/access/README.md).
#ifndef VIGIL_AUDIT_H_
#define VIGIL_AUDIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vigil/model.h"
#include "vigil/status.h"

namespace vigil {

struct AuditRecord {
  int64_t seq = 0;  // 1, 2, 3, ... assigned on append
  UnixTime time = 0;
  std::string user;
  std::string action;  // an OperationName, or e.g. "authenticate"
  std::string object;  // "person:P1", "file:<hash>", "network expand", ...
  bool refused = false;
  std::string purpose;
  std::string params;                 // "name=value;..." as stored (see below)
  std::vector<std::string> subjects;  // person ids the record concerns
  std::string hash;                   // hex BLAKE2b-256, assigned on append
  // Parameters as given (Oversight::MakeRecord). On append they are encoded
  // into `params`: counts, flags and other non-personal values as they are,
  // person ids, selectors, documents and any other text as keyed pseudonyms
  // ("~" + 32 hex digits). Not stored.
  std::vector<std::pair<std::string, std::string>> param_values;
};

// Which records `vigil audit query` returns; empty fields match everything.
struct AuditQuery {
  std::string user;
  std::string subject;           // a person id
  std::optional<UnixTime> from;  // inclusive
  std::optional<UnixTime> to;    // exclusive
  int64_t limit = 0;             // 0: no limit
  // Newest first (the last `limit` records that match) instead of oldest
  // first.
  bool newest_first = false;
};

// A signed statement that the log's record `seq` had hash `hash`.
struct AuditCheckpoint {
  int64_t seq = 0;
  std::string hash;
  UnixTime signed_at = 0;
  std::string public_key;  // hex Ed25519 public key
  std::string signature;   // hex Ed25519 signature of CheckpointText()
  // The first record that must carry a MAC (store meta 'audit_mac_from');
  // 0 in checkpoints signed before records had MACs (text v1).
  int64_t mac_from = 0;
};
// The bytes a checkpoint's signature covers.
std::string CheckpointText(const AuditCheckpoint& checkpoint);
// The checkpoint file format (text, "key=value" lines after a header line),
// for keeping outside Vigil.
std::string FormatCheckpointFile(const AuditCheckpoint& checkpoint);
// Parses a checkpoint file; InvalidArgument naming the line otherwise.
Result<AuditCheckpoint> ParseCheckpointFile(const std::string& text, const std::string& path);

// The outcome of verifying the chain. `problems` name where the chain breaks
// ("record 17: ..."), first problem first; empty means intact.
struct AuditVerifyReport {
  int64_t records = 0;
  int64_t checkpoints = 0;
  int64_t macs_checked = 0;     // records whose MAC was verified
  int64_t witness_entries = 0;  // lines of the witness file compared
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

}  // namespace vigil

#endif  // VIGIL_AUDIT_H_
