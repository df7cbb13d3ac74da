// The state behind an Oversight handle (oversight.h): the SQLite store it was
// opened on, its connection, the signing key and the read log.
#ifndef VIGIL_ACCESS_OVERSIGHT_IMPL_H_
#define VIGIL_ACCESS_OVERSIGHT_IMPL_H_

#include <memory>
#include <string>
#include <vector>

#include "access/audit_chain.h"
#include "access/read_log.h"
#include "store/sqlite/sqlite_handle.h"
#include "store/sqlite/sqlite_store.h"
#include "vigil/oversight.h"

namespace vigil {

struct Oversight::Impl {
  sqlite::SqliteStore* store = nullptr;
  sqlite3* db = nullptr;
  std::string path;
  OversightOptions options;
  std::shared_ptr<const access::Signer> signer;
  std::shared_ptr<AuditReadLog> read_log;
  // What the store connection's last append publishes to the witness once
  // its transaction commits.
  access::WitnessUpdate pending_witness;
};

namespace access {

inline constexpr int64_t kSecondsPerDay = 86'400;

// "kind:id" -> ("kind", "id").
std::pair<std::string, std::string> SplitObject(std::string_view object);

// An Argon2id hash (of a random password nobody knows) made with the same
// cost parameters as every account's (interactive limits). Authenticate
// verifies the password of an unknown user against it, so that an unknown
// user costs one Argon2id verification like a known one and timing does not
// tell whether an account exists.
std::string_view DummyPasswordHash();

// The audit key of `options` (with its witness), or null without one.
Result<std::shared_ptr<const Signer>> LoadSigner(const OversightOptions& options);

// Runs one single-row query with text parameters; returns the first column
// as text, or NotFound.
Result<std::string> QueryOneText(sqlite3* db, const char* sql, std::string_view param);

}  // namespace access
}  // namespace vigil

#endif  // VIGIL_ACCESS_OVERSIGHT_IMPL_H_
