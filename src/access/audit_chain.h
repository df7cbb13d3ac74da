// The audit chain on SQLite: the hash of a record, appending records inside a
// write transaction, signing checkpoints (Ed25519), and verifying the chain.
//
// Hash of record n: BLAKE2b-256 over "vigil-audit-v1", the hex hash of record
// n-1 (64 zeros for n = 1) and record n's fields, each length-prefixed so that
// no two different records encode alike (seq, time, user, action, object,
// outcome, purpose, params, then the subjects in order).
#ifndef VIGIL_ACCESS_AUDIT_CHAIN_H_
#define VIGIL_ACCESS_AUDIT_CHAIN_H_

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vigil/audit.h"
#include "vigil/status.h"

namespace vigil::access {

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The chained hash of `record` after a record whose hash is `prev_hash`.
// Cost: O(size of the record).
std::string ChainHash(const std::string& prev_hash, const AuditRecord& record);

// An Ed25519 key pair that signs checkpoints.
class Signer {
 public:
  // Loads the secret key from `path`, or creates a new key there (mode 0600)
  // when the file does not exist. IOError/Corruption on a bad file.
  static Result<Signer> LoadOrCreate(const std::string& path);
  // A key from a 32-byte seed (tests).
  static Signer FromSeed(const std::array<unsigned char, 32>& seed);

  const std::string& public_key_hex() const { return public_hex_; }
  AuditCheckpoint Sign(int64_t seq, const std::string& hash, UnixTime now) const;

 private:
  std::array<unsigned char, 32> public_key_{};
  std::array<unsigned char, 64> secret_key_{};
  std::string public_hex_;
};

// Whether the checkpoint's signature is valid under its own public key.
bool SignatureValid(const AuditCheckpoint& checkpoint);

// The last record's (seq, hash), or (0, genesis) for an empty log.
Result<std::pair<int64_t, std::string>> ChainHead(sqlite3* db);

// Appends `records` (assigning seq and hash) inside the write transaction
// open on `db`, and signs a checkpoint with `signer` (when given) whenever the
// log passes a multiple of `checkpoint_every`. Cost: O(records) inserts.
Status AppendRecords(sqlite3* db, std::vector<AuditRecord>& records, const Signer* signer,
                     int64_t checkpoint_every, UnixTime now);

// Stores a checkpoint (inside a write transaction).
Status InsertCheckpoint(sqlite3* db, const AuditCheckpoint& checkpoint);

// Walks the whole log and every checkpoint; see Oversight::VerifyAudit.
// `trusted_keys`: hex public keys the verifier trusts (may be empty).
// Cost: O(records + subjects) time, O(1) memory beyond the report.
Result<AuditVerifyReport> VerifyChain(sqlite3* db, const std::optional<AuditCheckpoint>& external,
                                      const std::vector<std::string>& trusted_keys);

// Hex encoding of bytes.
std::string ToHex(const unsigned char* bytes, size_t n);
// Decodes hex; false on a bad digit or length mismatch.
bool FromHex(const std::string& hex, unsigned char* out, size_t n);

}  // namespace vigil::access

#endif  // VIGIL_ACCESS_AUDIT_CHAIN_H_
