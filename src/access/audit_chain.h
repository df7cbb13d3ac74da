// The audit chain on SQLite: the hash of a record, the keyed MAC every record
// carries, appending records inside a write transaction (with the keyed
// pseudonyms that replace identifiers), signing checkpoints (Ed25519),
// publishing heads and checkpoints to a witness file, and verifying it all.
//
// Hash of record n: BLAKE2b-256 over "vigil-audit-v1", the hex hash of record
// n-1 (64 zeros for n = 1) and record n's fields, each length-prefixed so that
// no two different records encode alike (seq, time, user, action, object,
// outcome, purpose, params, then the subjects in order). The hash is unkeyed:
// anyone can recompute it. What an attacker without the audit key cannot
// compute is the record's MAC: keyed BLAKE2b-256 (crypto_generichash with a
// key derived from the audit key file) over (mac_from, checkpoint interval,
// seq, hash), and the Ed25519 signature of a checkpoint.
#ifndef VIGIL_ACCESS_AUDIT_CHAIN_H_
#define VIGIL_ACCESS_AUDIT_CHAIN_H_

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/audit.h"
#include "vigil/status.h"

namespace vigil::access {

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The chained hash of `record` after a record whose hash is `prev_hash`.
// Cost: O(size of the record).
std::string ChainHash(const std::string& prev_hash, const AuditRecord& record);

// Refuses a key or witness file another account could read or replace: it
// must be a regular file owned by the running user with no group or other
// permission bits (0600 or stricter), in a directory that group and others
// may not write to (unless the directory is sticky, like /tmp). A missing
// file passes when its directory does. PermissionDenied naming the rule.
Status CheckPrivateFile(const std::string& path);

// The audit key: one 32-byte secret in a file outside the store, from which
// come the Ed25519 key pair that signs checkpoints, the MAC key of records
// and witness lines, and the key of pseudonyms of failed-login user names.
// It also knows the witness file, an append-only text file outside the
// store to which every commit's head and every checkpoint are published.
class Signer {
 public:
  // Loads the secret from `path`, or creates a new one there (mode 0600) when
  // the file does not exist; both files must pass CheckPrivateFile.
  // `witness_path` "" publishes nowhere. IOError/Corruption on a bad file.
  static Result<Signer> LoadOrCreate(const std::string& path, std::string witness_path);
  // A key from a 32-byte seed (tests).
  static Signer FromSeed(const std::array<unsigned char, 32>& seed, std::string witness_path = "");

  const std::string& public_key_hex() const { return public_hex_; }
  const std::string& witness_path() const { return witness_path_; }
  AuditCheckpoint Sign(int64_t seq, const std::string& hash, UnixTime now, int64_t mac_from) const;
  // Hex keyed BLAKE2b-256 of `bytes` under the MAC key.
  std::string Mac(std::string_view bytes) const;
  // "~" + hex keyed BLAKE2b-128 of `value` under a key derived for names
  // typed at login: without the audit key nobody can tell which name it was.
  std::string LoginPseudonym(std::string_view value) const;

 private:
  std::array<unsigned char, 32> public_key_{};
  std::array<unsigned char, 64> secret_key_{};
  std::array<unsigned char, 32> mac_key_{};
  std::array<unsigned char, 32> login_key_{};
  std::string public_hex_;
  std::string witness_path_;
};

// Whether the checkpoint's signature is valid under its own public key.
bool SignatureValid(const AuditCheckpoint& checkpoint);

// The MAC of record `seq` with chained hash `hash`, given the store's
// meta values 'audit_mac_from' and 'audit_checkpoint_every'.
std::string RecordMac(const Signer& signer, int64_t mac_from, int64_t checkpoint_every, int64_t seq,
                      const std::string& hash);

// The store's meta 'audit_mac_from': the first record that carries a MAC.
Result<int64_t> AuditMacFrom(sqlite3* db);

// The last record's (seq, hash), or (0, genesis) for an empty log.
Result<std::pair<int64_t, std::string>> ChainHead(sqlite3* db);

// What a committed append publishes to the witness: the new head and the
// checkpoints signed on the way.
struct WitnessUpdate {
  int64_t seq = 0;  // 0: nothing to publish
  std::string hash;
  int64_t mac_from = 0;
  std::vector<AuditCheckpoint> checkpoints;
};

// Appends `records` inside the write transaction open on `db`: identifiers
// are replaced by their keyed pseudonyms (Pseudonymize), each record gets
// its seq, hash and (with a signer) its MAC, and a checkpoint is signed at
// every record whose seq is a multiple of the store's checkpoint interval.
// With a signer, `update` (may be null) receives what to publish once the
// transaction commits (PublishToWitness). Cost: O(records) inserts.
Status AppendRecords(sqlite3* db, std::vector<AuditRecord>& records, const Signer* signer,
                     int64_t checkpoint_every, UnixTime now, WitnessUpdate* update);

// Appends `update` to the signer's witness file (one write per line, the
// file opened O_APPEND and created 0600; checkpoints are synced). Call only
// after the transaction that wrote them committed. No-op without a witness.
Status PublishToWitness(const Signer* signer, const WitnessUpdate& update);

// Publishes `update` (then clears it) if its head record is in the log as
// committed on `db`; drops it if that append was rolled back.
Status PublishIfCommitted(sqlite3* db, const Signer* signer, WitnessUpdate& update);

// Stores a checkpoint (inside a write transaction); a second checkpoint of
// the same record is ignored (the table is append-only).
Status InsertCheckpoint(sqlite3* db, const AuditCheckpoint& checkpoint);

// The keyed pseudonym of an identifier ("person:P1", "selector:msisdn:+33...",
// "document:X1", or "text:" + the BLAKE2b of free text), creating its key in
// audit_pseudonyms when it has none (inside a write transaction).
Result<std::string> PseudonymOf(sqlite3* db, const std::string& ident);
// The pseudonym of `ident` if it has a key, else nullopt. Read only.
Result<std::optional<std::string>> ExistingPseudonym(sqlite3* db, const std::string& ident);
// The ident whose pseudonym is `pseudonym`, if its key still exists.
Result<std::optional<std::string>> IdentOfPseudonym(sqlite3* db, const std::string& pseudonym);
// The "text:" ident of a free-text value.
std::string TextIdent(std::string_view text);
// `text` with every pseudonym of a person, selector or document whose key
// still exists replaced by the clear identifier (what an auditor reads);
// pseudonyms of erased persons and of free text stay as they are.
Result<std::string> RevealPseudonyms(sqlite3* db, const std::string& text);

// Walks the whole log, every checkpoint and the witness; see
// Oversight::VerifyAudit. `signer` (may be null) checks the records' MACs,
// the automatic checkpoints and the witness. `trusted_keys`: hex public keys
// the verifier trusts (may be empty).
// Cost: O(records + subjects + witness lines) time; memory O(checkpoints).
Result<AuditVerifyReport> VerifyChain(sqlite3* db, const std::optional<AuditCheckpoint>& external,
                                      const std::vector<std::string>& trusted_keys,
                                      const Signer* signer);

// Hex encoding of bytes.
std::string ToHex(const unsigned char* bytes, size_t n);
// Decodes hex; false on a bad digit or length mismatch.
bool FromHex(const std::string& hex, unsigned char* out, size_t n);

}  // namespace vigil::access

#endif  // VIGIL_ACCESS_AUDIT_CHAIN_H_
