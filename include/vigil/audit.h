// The audit log's records, queries, checkpoints and verification results.
//
// The log is append-only. Record n holds who (user), when (time), what
// (action, object, outcome), why (the purpose the user gave), the query's
// parameters, and the persons it concerns (ids only), and its hash is
// BLAKE2b-256 over record n-1's hash and record n's canonical bytes. Personal
// content never enters it: names, free text and other non-identifier
// parameter values are stored as their hashes, so erasing a person never
// rewrites the log. A checkpoint is an Ed25519 signature over (seq, hash);
// exported to a file kept outside Vigil, it lets `vigil audit verify` detect
// any change, removal, insertion or reordering of records, a truncated tail,
// and a chain rewritten and re-signed with another key.
#ifndef VIGIL_AUDIT_H_
#define VIGIL_AUDIT_H_

#include <cstdint>
#include <optional>
#include <string>
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
  std::string params;                 // "name=value;..." (values hashed unless identifiers)
  std::vector<std::string> subjects;  // person ids the record concerns
  std::string hash;                   // hex BLAKE2b-256, assigned on append
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
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

}  // namespace vigil

#endif  // VIGIL_AUDIT_H_
