#include "access/audit_chain.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "store/sqlite/sqlite_handle.h"

namespace vigil::access {
namespace {

using sqlite::Prepare;
using sqlite::Stmt;

constexpr size_t kHashBytes = 32;
constexpr int kMaxProblems = 20;

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += '\n';
}

std::string ShortKey(const std::string& hex) { return hex.substr(0, 16); }

class Problems {
 public:
  explicit Problems(AuditVerifyReport& report) : report_(report) {}
  void Add(std::string problem) {
    if (static_cast<int>(report_.problems.size()) < kMaxProblems) {
      report_.problems.push_back(std::move(problem));
    } else if (static_cast<int>(report_.problems.size()) == kMaxProblems) {
      report_.problems.push_back("... further problems not listed");
    }
  }

 private:
  AuditVerifyReport& report_;
};

bool Trusted(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace

std::string ToHex(const unsigned char* bytes, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();
  return hex;
}

bool FromHex(const std::string& hex, unsigned char* out, size_t n) {
  size_t written = 0;
  if (hex.size() != n * 2) return false;
  return sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &written, nullptr) == 0 &&
         written == n;
}

std::string ChainHash(const std::string& prev_hash, const AuditRecord& record) {
  std::string bytes = "vigil-audit-v1\n";
  AppendField(bytes, prev_hash);
  AppendField(bytes, std::to_string(record.seq));
  AppendField(bytes, std::to_string(record.time));
  AppendField(bytes, record.user);
  AppendField(bytes, record.action);
  AppendField(bytes, record.object);
  AppendField(bytes, record.refused ? "refused" : "allowed");
  AppendField(bytes, record.purpose);
  AppendField(bytes, record.params);
  AppendField(bytes, std::to_string(record.subjects.size()));
  for (const std::string& subject : record.subjects) AppendField(bytes, subject);
  unsigned char digest[kHashBytes];
  crypto_generichash(digest, sizeof(digest), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  return ToHex(digest, sizeof(digest));
}

// ---- Signing -----------------------------------------------------------------

Signer Signer::FromSeed(const std::array<unsigned char, 32>& seed) {
  Signer signer;
  crypto_sign_seed_keypair(signer.public_key_.data(), signer.secret_key_.data(), seed.data());
  signer.public_hex_ = ToHex(signer.public_key_.data(), signer.public_key_.size());
  return signer;
}

Result<Signer> Signer::LoadOrCreate(const std::string& path) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  std::array<unsigned char, 32> seed{};
  if (std::filesystem::exists(path)) {
    std::ifstream in(path);
    std::string hex;
    in >> hex;
    if (!FromHex(hex, seed.data(), seed.size())) {
      return Status::Corruption(path + ": not a Vigil audit signing key (64 hex digits)");
    }
  } else {
    randombytes_buf(seed.data(), seed.size());
    const std::string hex = ToHex(seed.data(), seed.size());
    // Create with mode 0600 before writing the secret.
    FILE* file = std::fopen(path.c_str(), "wx");
    if (file == nullptr) return Status::IOError(path + ": cannot create the signing key file");
    ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
    const bool written = std::fprintf(file, "%s\n", hex.c_str()) > 0;
    if (std::fclose(file) != 0 || !written) {
      return Status::IOError(path + ": cannot write the signing key");
    }
  }
  Signer signer = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return signer;
}

AuditCheckpoint Signer::Sign(int64_t seq, const std::string& hash, UnixTime now) const {
  AuditCheckpoint checkpoint;
  checkpoint.seq = seq;
  checkpoint.hash = hash;
  checkpoint.signed_at = now;
  checkpoint.public_key = public_hex_;
  const std::string text = CheckpointText(checkpoint);
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), secret_key_.data());
  checkpoint.signature = ToHex(signature, sizeof(signature));
  return checkpoint;
}

bool SignatureValid(const AuditCheckpoint& checkpoint) {
  unsigned char key[crypto_sign_PUBLICKEYBYTES];
  unsigned char signature[crypto_sign_BYTES];
  if (!FromHex(checkpoint.public_key, key, sizeof(key)) ||
      !FromHex(checkpoint.signature, signature, sizeof(signature))) {
    return false;
  }
  const std::string text = CheckpointText(checkpoint);
  return crypto_sign_verify_detached(signature, reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size(), key) == 0;
}

// ---- Appending ---------------------------------------------------------------

Result<std::pair<int64_t, std::string>> ChainHead(sqlite3* db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::make_pair(int64_t{0}, std::string(kGenesisHash));
  return std::make_pair(stmt.ColumnInt(0), std::string(stmt.ColumnText(1)));
}

Status InsertCheckpoint(sqlite3* db, const AuditCheckpoint& checkpoint) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db,
                                 "INSERT OR REPLACE INTO audit_checkpoints(seq, hash, signed_at, "
                                 "public_key, signature) VALUES (?1, ?2, ?3, ?4, ?5)"));
  stmt.BindInt(1, checkpoint.seq);
  stmt.BindText(2, checkpoint.hash);
  stmt.BindInt(3, checkpoint.signed_at);
  stmt.BindText(4, checkpoint.public_key);
  stmt.BindText(5, checkpoint.signature);
  return stmt.Run();
}

Status AppendRecords(sqlite3* db, std::vector<AuditRecord>& records, const Signer* signer,
                     int64_t checkpoint_every, UnixTime now) {
  if (records.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto head, ChainHead(db));
  VIGIL_ASSIGN_OR_RETURN(
      Stmt insert, Prepare(db,
                           "INSERT INTO audit_log(seq, time, user, action, object, outcome, "
                           "purpose, params, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  VIGIL_ASSIGN_OR_RETURN(Stmt subject,
                         Prepare(db, "INSERT INTO audit_subjects(seq, person_id) VALUES (?1, ?2)"));
  auto [seq, hash] = head;
  bool checkpoint_due = false;
  for (AuditRecord& record : records) {
    record.seq = ++seq;
    record.hash = ChainHash(hash, record);
    hash = record.hash;
    insert.BindInt(1, record.seq);
    insert.BindInt(2, record.time);
    insert.BindText(3, record.user);
    insert.BindText(4, record.action);
    insert.BindText(5, record.object);
    insert.BindInt(6, record.refused ? 1 : 0);
    insert.BindText(7, record.purpose);
    insert.BindText(8, record.params);
    insert.BindText(9, record.hash);
    VIGIL_RETURN_IF_ERROR(insert.Run());
    for (const std::string& person : record.subjects) {
      subject.BindInt(1, record.seq);
      subject.BindText(2, person);
      VIGIL_RETURN_IF_ERROR(subject.Run());
    }
    if (checkpoint_every > 0 && record.seq % checkpoint_every == 0) checkpoint_due = true;
  }
  if (checkpoint_due && signer != nullptr) {
    VIGIL_RETURN_IF_ERROR(InsertCheckpoint(db, signer->Sign(seq, hash, now)));
  }
  return Status::Ok();
}

// ---- Verifying ---------------------------------------------------------------

Result<AuditVerifyReport> VerifyChain(sqlite3* db, const std::optional<AuditCheckpoint>& external,
                                      const std::vector<std::string>& trusted_keys) {
  AuditVerifyReport report;
  Problems problems(report);
  std::vector<std::string> keys = trusted_keys;

  if (external) {
    if (!SignatureValid(*external)) {
      problems.Add("the exported checkpoint's signature is not valid (the file was altered)");
    }
    if (!Trusted(keys, external->public_key)) keys.push_back(external->public_key);
  }

  // Stored checkpoints, by the record they cover.
  std::map<int64_t, AuditCheckpoint> checkpoints;
  {
    VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db,
                                              "SELECT seq, hash, signed_at, public_key, signature "
                                              "FROM audit_checkpoints ORDER BY seq"));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      AuditCheckpoint c;
      c.seq = stmt.ColumnInt(0);
      c.hash = std::string(stmt.ColumnText(1));
      c.signed_at = stmt.ColumnInt(2);
      c.public_key = std::string(stmt.ColumnText(3));
      c.signature = std::string(stmt.ColumnText(4));
      checkpoints.emplace(c.seq, std::move(c));
    }
  }
  report.checkpoints = static_cast<int64_t>(checkpoints.size());
  if (keys.empty() && !checkpoints.empty()) keys.push_back(checkpoints.begin()->second.public_key);
  for (const auto& [seq, c] : checkpoints) {
    if (!SignatureValid(c)) {
      problems.Add("checkpoint at record " + std::to_string(seq) + ": signature is not valid");
    } else if (!Trusted(keys, c.public_key)) {
      problems.Add("checkpoint at record " + std::to_string(seq) + ": signed with key " +
                   ShortKey(c.public_key) + "..., not the trusted key " + ShortKey(keys.front()) +
                   "... (the chain was re-signed with another key)");
    }
  }

  // Walk records and subjects together, both ordered by seq.
  VIGIL_ASSIGN_OR_RETURN(Stmt records,
                         Prepare(db,
                                 "SELECT seq, time, user, action, object, outcome, "
                                 "purpose, params, hash FROM audit_log ORDER BY seq"));
  VIGIL_ASSIGN_OR_RETURN(
      Stmt subjects,
      Prepare(db, "SELECT seq, person_id FROM audit_subjects ORDER BY seq, person_id"));
  VIGIL_ASSIGN_OR_RETURN(bool subject_row, subjects.Step());
  std::string prev_hash = kGenesisHash;
  int64_t expected = 1;
  std::map<int64_t, std::string> stored_hash_at;  // only for checkpointed seqs
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, records.Step());
    if (!has_row) break;
    AuditRecord r;
    r.seq = records.ColumnInt(0);
    r.time = records.ColumnInt(1);
    r.user = std::string(records.ColumnText(2));
    r.action = std::string(records.ColumnText(3));
    r.object = std::string(records.ColumnText(4));
    r.refused = records.ColumnInt(5) != 0;
    r.purpose = std::string(records.ColumnText(6));
    r.params = std::string(records.ColumnText(7));
    const std::string stored(records.ColumnText(8));
    while (subject_row && subjects.ColumnInt(0) < r.seq) {
      problems.Add("subject row '" + std::string(subjects.ColumnText(1)) + "' names record " +
                   std::to_string(subjects.ColumnInt(0)) + ", which is not in the log (inserted)");
      VIGIL_ASSIGN_OR_RETURN(subject_row, subjects.Step());
    }
    while (subject_row && subjects.ColumnInt(0) == r.seq) {
      r.subjects.emplace_back(subjects.ColumnText(1));
      VIGIL_ASSIGN_OR_RETURN(subject_row, subjects.Step());
    }
    if (r.seq != expected) {
      problems.Add(r.seq > expected ? "records " + std::to_string(expected) + ".." +
                                          std::to_string(r.seq - 1) + " are missing (removed)"
                                    : "record " + std::to_string(r.seq) + " is out of order");
    }
    if (ChainHash(prev_hash, r) != stored) {
      problems.Add("record " + std::to_string(r.seq) +
                   ": hash does not match its content and its predecessor's hash (record " +
                   std::to_string(r.seq) + " or " + std::to_string(r.seq - 1) +
                   " was changed, inserted or reordered)");
    }
    if (checkpoints.count(r.seq) != 0 || (external && external->seq == r.seq)) {
      stored_hash_at[r.seq] = stored;
    }
    prev_hash = stored;
    expected = r.seq + 1;
    ++report.records;
  }
  while (subject_row) {
    problems.Add("subject row '" + std::string(subjects.ColumnText(1)) + "' names record " +
                 std::to_string(subjects.ColumnInt(0)) + ", which is not in the log");
    VIGIL_ASSIGN_OR_RETURN(subject_row, subjects.Step());
  }
  const int64_t last = expected - 1;

  auto check_covered = [&](const AuditCheckpoint& c, const std::string& which) {
    if (c.seq > last) {
      problems.Add("truncated tail: " + which + " covers record " + std::to_string(c.seq) +
                   " but the log ends at record " + std::to_string(last));
      return;
    }
    auto found = stored_hash_at.find(c.seq);
    if (found == stored_hash_at.end()) {
      problems.Add(which + ": record " + std::to_string(c.seq) + " is missing");
    } else if (found->second != c.hash) {
      problems.Add(which + ": record " + std::to_string(c.seq) +
                   " no longer has the signed hash (the log up to it was rewritten)");
    }
  };
  for (const auto& [seq, c] : checkpoints) {
    check_covered(c, "checkpoint at record " + std::to_string(seq));
  }
  if (external) check_covered(*external, "the exported checkpoint");
  return report;
}

}  // namespace vigil::access

namespace vigil {

std::string CheckpointText(const AuditCheckpoint& c) {
  return "vigil-audit-checkpoint-v1 seq=" + std::to_string(c.seq) + " hash=" + c.hash +
         " signed_at=" + std::to_string(c.signed_at) + " key=" + c.public_key;
}

std::string FormatCheckpointFile(const AuditCheckpoint& c) {
  std::ostringstream out;
  out << "vigil-audit-checkpoint-v1\n"
      << "seq=" << c.seq << "\n"
      << "hash=" << c.hash << "\n"
      << "signed_at=" << c.signed_at << "\n"
      << "public_key=" << c.public_key << "\n"
      << "signature=" << c.signature << "\n";
  return out.str();
}

Result<AuditCheckpoint> ParseCheckpointFile(const std::string& text, const std::string& path) {
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  AuditCheckpoint c;
  int fields = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line_no == 1) {
      if (line != "vigil-audit-checkpoint-v1") {
        return Status::InvalidArgument(path + ":1:1: not a Vigil audit checkpoint file");
      }
      continue;
    }
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) {
      return Status::InvalidArgument(path + ":" + std::to_string(line_no) +
                                     ":1: expected key=value");
    }
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    try {
      if (key == "seq") {
        c.seq = std::stoll(value);
      } else if (key == "hash") {
        c.hash = value;
      } else if (key == "signed_at") {
        c.signed_at = std::stoll(value);
      } else if (key == "public_key") {
        c.public_key = value;
      } else if (key == "signature") {
        c.signature = value;
      } else {
        return Status::InvalidArgument(path + ":" + std::to_string(line_no) + ":1: unknown key '" +
                                       key + "'");
      }
    } catch (const std::exception&) {
      return Status::InvalidArgument(path + ":" + std::to_string(line_no) + ":" +
                                     std::to_string(eq + 2) + ": not a number");
    }
    ++fields;
  }
  if (fields != 5) {
    return Status::InvalidArgument(path +
                                   ": a checkpoint needs seq, hash, signed_at, "
                                   "public_key and signature");
  }
  return c;
}

}  // namespace vigil
