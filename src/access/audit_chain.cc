#include "access/audit_chain.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "store/sqlite/sqlite_handle.h"
#include "util/hash.h"

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

// ---- Key and witness files --------------------------------------------------

Status CheckPrivateFile(const std::string& path) {
  const std::filesystem::path file(path);
  std::filesystem::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  struct stat dir_stat {};
  if (::stat(dir.c_str(), &dir_stat) != 0) {
    return Status::IOError(path + ": its directory cannot be read");
  }
  const bool sticky = (dir_stat.st_mode & S_ISVTX) != 0;
  if ((dir_stat.st_mode & (S_IWGRP | S_IWOTH)) != 0 && !sticky) {
    return Status::PermissionDenied(
        path +
        ": its directory is writable by group or others, who could replace the file "
        "(keep the audit key and witness in a directory only you may write)");
  }
  struct stat file_stat {};
  if (::lstat(path.c_str(), &file_stat) != 0) return Status::Ok();  // to be created
  if (!S_ISREG(file_stat.st_mode)) {
    return Status::PermissionDenied(path + ": not a regular file");
  }
  if (file_stat.st_uid != ::geteuid()) {
    return Status::PermissionDenied(path + ": owned by another user (uid " +
                                    std::to_string(file_stat.st_uid) +
                                    "); the audit key and witness must be the running user's");
  }
  if ((file_stat.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Status::PermissionDenied(path + ": readable or writable by group or others (mode " +
                                    std::to_string(file_stat.st_mode & 0777) +
                                    " decimal); chmod 600 it");
  }
  return Status::Ok();
}

// ---- Signing -----------------------------------------------------------------

namespace {

// A 32-byte subkey of `seed` for one purpose.
void DeriveKey(const std::array<unsigned char, 32>& seed, std::string_view purpose,
               std::array<unsigned char, 32>& out) {
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(purpose.data()),
                     purpose.size(), seed.data(), seed.size());
}

std::string KeyedHex(const std::array<unsigned char, 32>& key, std::string_view bytes,
                     size_t digest_bytes) {
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest_bytes,
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), key.data(),
                     key.size());
  return ToHex(digest.data(), digest_bytes);
}

constexpr size_t kPseudonymBytes = 16;
constexpr size_t kPseudonymHexDigits = kPseudonymBytes * 2;

}  // namespace

Signer Signer::FromSeed(const std::array<unsigned char, 32>& seed, std::string witness_path) {
  Signer signer;
  crypto_sign_seed_keypair(signer.public_key_.data(), signer.secret_key_.data(), seed.data());
  signer.public_hex_ = ToHex(signer.public_key_.data(), signer.public_key_.size());
  DeriveKey(seed, "vigil-audit-mac-v1", signer.mac_key_);
  DeriveKey(seed, "vigil-audit-login-v1", signer.login_key_);
  signer.witness_path_ = std::move(witness_path);
  return signer;
}

Result<Signer> Signer::LoadOrCreate(const std::string& path, std::string witness_path) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  VIGIL_RETURN_IF_ERROR(CheckPrivateFile(path));
  if (!witness_path.empty()) VIGIL_RETURN_IF_ERROR(CheckPrivateFile(witness_path));
  std::array<unsigned char, 32> seed{};
  if (std::filesystem::exists(path)) {
    std::ifstream in(path);
    std::string hex;
    in >> hex;
    if (!FromHex(hex, seed.data(), seed.size())) {
      return Status::Corruption(path + ": not a Vigil audit key (64 hex digits)");
    }
  } else {
    randombytes_buf(seed.data(), seed.size());
    const std::string hex = ToHex(seed.data(), seed.size());
    // Created with mode 0600 before the secret is written.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) return Status::IOError(path + ": cannot create the audit key file");
    const std::string line = hex + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    const bool synced = ::fsync(fd) == 0;
    if (::close(fd) != 0 || !written || !synced) {
      return Status::IOError(path + ": cannot write the audit key");
    }
  }
  Signer signer = FromSeed(seed, std::move(witness_path));
  sodium_memzero(seed.data(), seed.size());
  return signer;
}

AuditCheckpoint Signer::Sign(int64_t seq, const std::string& hash, UnixTime now,
                             int64_t mac_from) const {
  AuditCheckpoint checkpoint;
  checkpoint.seq = seq;
  checkpoint.hash = hash;
  checkpoint.signed_at = now;
  checkpoint.public_key = public_hex_;
  checkpoint.mac_from = mac_from;
  const std::string text = CheckpointText(checkpoint);
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), secret_key_.data());
  checkpoint.signature = ToHex(signature, sizeof(signature));
  return checkpoint;
}

std::string Signer::Mac(std::string_view bytes) const {
  return KeyedHex(mac_key_, bytes, kHashBytes);
}

std::string Signer::LoginPseudonym(std::string_view value) const {
  return "~" + KeyedHex(login_key_, value, kPseudonymBytes);
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

std::string RecordMac(const Signer& signer, int64_t mac_from, int64_t checkpoint_every, int64_t seq,
                      const std::string& hash) {
  return signer.Mac("vigil-audit-mac-v1\n" + std::to_string(mac_from) + "\n" +
                    std::to_string(checkpoint_every) + "\n" + std::to_string(seq) + "\n" + hash);
}

namespace {

std::string WitnessHeadMac(const Signer& signer, int64_t seq, const std::string& hash,
                           int64_t mac_from) {
  return signer.Mac("vigil-witness-head-v1\n" + std::to_string(seq) + "\n" + hash + "\n" +
                    std::to_string(mac_from));
}

constexpr char kWitnessHeader[] = "vigil-audit-witness-v1";

}  // namespace

Status PublishToWitness(const Signer* signer, const WitnessUpdate& update) {
  if (signer == nullptr || signer->witness_path().empty() || update.seq == 0) return Status::Ok();
  const std::string& path = signer->witness_path();
  std::string lines;
  for (const AuditCheckpoint& c : update.checkpoints) {
    lines += "checkpoint seq=" + std::to_string(c.seq) + " hash=" + c.hash +
             " signed_at=" + std::to_string(c.signed_at) + " public_key=" + c.public_key +
             " mac_from=" + std::to_string(c.mac_from) + " signature=" + c.signature + "\n";
  }
  lines += "head seq=" + std::to_string(update.seq) + " hash=" + update.hash +
           " mac_from=" + std::to_string(update.mac_from) +
           " mac=" + WitnessHeadMac(*signer, update.seq, update.hash, update.mac_from) + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return Status::IOError(path + ": cannot open the audit witness");
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size == 0) lines = std::string(kWitnessHeader) + "\n" + lines;
  // One write: O_APPEND keeps lines from several processes whole.
  const bool written =
      ::write(fd, lines.data(), lines.size()) == static_cast<ssize_t>(lines.size());
  const bool synced = update.checkpoints.empty() || ::fsync(fd) == 0;
  if (::close(fd) != 0 || !written || !synced) {
    return Status::IOError(path + ": cannot append to the audit witness");
  }
  return Status::Ok();
}

// ---- Pseudonyms --------------------------------------------------------------

std::string TextIdent(std::string_view text) { return "text:" + HashBytes(text); }

Result<std::optional<std::string>> ExistingPseudonym(sqlite3* db, const std::string& ident) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db, "SELECT pseudonym FROM audit_pseudonyms WHERE ident = ?1"));
  stmt.BindText(1, ident);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<std::string>();
  return std::optional<std::string>(std::string(stmt.ColumnText(0)));
}

Result<std::string> PseudonymOf(sqlite3* db, const std::string& ident) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> existing, ExistingPseudonym(db, ident));
  if (existing) return *existing;
  std::array<unsigned char, 32> key{};
  randombytes_buf(key.data(), key.size());
  const std::string pseudonym = "~" + KeyedHex(key, ident, kPseudonymBytes);
  VIGIL_ASSIGN_OR_RETURN(Stmt insert, Prepare(db,
                                              "INSERT INTO audit_pseudonyms(ident, pseudonym, key) "
                                              "VALUES (?1, ?2, ?3)"));
  insert.BindText(1, ident);
  insert.BindText(2, pseudonym);
  insert.BindBlobStatic(3, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
  const Status inserted = insert.Run();
  sodium_memzero(key.data(), key.size());
  VIGIL_RETURN_IF_ERROR(inserted);
  return pseudonym;
}

Result<std::optional<std::string>> IdentOfPseudonym(sqlite3* db, const std::string& pseudonym) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db, "SELECT ident FROM audit_pseudonyms WHERE pseudonym = ?1"));
  stmt.BindText(1, pseudonym);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<std::string>();
  return std::optional<std::string>(std::string(stmt.ColumnText(0)));
}

namespace {

bool IsHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// Object kinds whose id names a record about a person (a travel record, a
// report, an alert's key, a screening match's key): pseudonymised as
// "<kind>:<id>".
const std::set<std::string, std::less<>>& RecordObjectKinds() {
  static const std::set<std::string, std::less<>> kinds = {"travel", "report", "alert", "match"};
  return kinds;
}

// Object kinds whose id is a person id, and the kind whose id is a selector.
const std::set<std::string, std::less<>>& PersonObjectKinds() {
  static const std::set<std::string, std::less<>> kinds = {
      "person", "attributions", "custody", "reports", "watch", "timeline", "changes", "review"};
  return kinds;
}

// Parameters whose values are not personal: kept as they are when they are
// simple tokens (assignee and proposed_by name accounts, not data subjects).
const std::set<std::string, std::less<>>& PlainParams() {
  static const std::set<std::string, std::less<>> names = {"kind",
                                                           "state",
                                                           "version",
                                                           "canvas_version",
                                                           "deleted_version",
                                                           "case_compartment",
                                                           "assignee",
                                                           "proposed_by",
                                                           "rows",
                                                           "results",
                                                           "proposals",
                                                           "days",
                                                           "category",
                                                           "dry_run",
                                                           "due",
                                                           "due_by",
                                                           "alerts",
                                                           "erased",
                                                           "problems",
                                                           "withheld",
                                                           "format",
                                                           "capacity",
                                                           "limit",
                                                           "threshold",
                                                           "hops",
                                                           "from",
                                                           "to",
                                                           "since",
                                                           "until",
                                                           "file",
                                                           "list",
                                                           "role",
                                                           "shared",
                                                           "level",
                                                           "decision",
                                                           "marks_withheld",
                                                           "case",
                                                           "case_id",
                                                           "entry_id",
                                                           "handling",
                                                           "measure",
                                                           "resolution",
                                                           "samples",
                                                           "seq",
                                                           "signed_at",
                                                           "hash",
                                                           "public_key",
                                                           "signature",
                                                           "status",
                                                           "temporal",
                                                           "top",
                                                           "weighted",
                                                           "reviewed",
                                                           "compartment",
                                                           "compartments",
                                                           "min_confidence",
                                                           "min_contacts",
                                                           "valid_until",
                                                           "review_by",
                                                           "lookups",
                                                           "new_review_by",
                                                           "checkpoints",
                                                           "records",
                                                           "witness",
                                                           "travel_erased",
                                                           "selectors_erased",
                                                           "alerts_scrubbed",
                                                           "quarantine_rows",
                                                           "files_holding",
                                                           "stored"};
  return names;
}
// Parameters naming persons (lists are comma-separated).
const std::set<std::string, std::less<>>& PersonParams() {
  static const std::set<std::string, std::less<>> names = {
      "person_id", "id", "subject", "attackers", "seeds", "a", "b", "persons"};
  return names;
}
const std::set<std::string, std::less<>>& SelectorParams() {
  static const std::set<std::string, std::less<>> names = {"selector", "selectors", "document",
                                                           "documents"};
  return names;
}

bool SimpleToken(std::string_view value) {
  if (value.size() > 128) return false;
  for (char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == ':' || c == '/' || c == '{' || c == '}' ||
                    c == ',' || c == '+' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A node named in a list: a selector when it starts with a selector kind.
bool LooksLikeSelector(std::string_view node) {
  for (std::string_view kind :
       {"msisdn:", "imsi:", "imei:", "email:", "handle:", "ip:", "passport:", "idcard:"}) {
    if (node.substr(0, kind.size()) == kind) return true;
  }
  return false;
}

Result<std::string> EncodeParamValue(sqlite3* db, const std::string& name,
                                     const std::string& value) {
  if (value.empty()) return value;
  if (PlainParams().count(name) != 0 && SimpleToken(value)) return value;
  if (PersonParams().count(name) != 0 || SelectorParams().count(name) != 0) {
    const bool selectors = SelectorParams().count(name) != 0;
    std::string out;
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      const std::string item = value.substr(start, comma - start);
      if (!out.empty() || start > 0) out += ',';
      if (!item.empty()) {
        const bool selector = selectors || LooksLikeSelector(item);
        VIGIL_ASSIGN_OR_RETURN(std::string pseudonym,
                               PseudonymOf(db, (selector ? "selector:" : "person:") + item));
        out += pseudonym;
      }
      start = comma + 1;
    }
    return out;
  }
  // A plain number (a count, a score) names no one.
  const size_t digits_from = value[0] == '-' ? 1 : 0;
  const bool number =
      value.size() > digits_from && value.size() <= 24 &&
      std::all_of(value.begin() + static_cast<std::ptrdiff_t>(digits_from), value.end(),
                  [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  if (number) return value;
  return PseudonymOf(db, TextIdent(value));
}

// Replaces the record's identifiers by their pseudonyms and encodes its
// parameters.
Status Pseudonymize(sqlite3* db, AuditRecord& record) {
  const size_t colon = record.object.find(':');
  if (colon != std::string::npos && colon + 1 < record.object.size()) {
    const std::string kind = record.object.substr(0, colon);
    const std::string id = record.object.substr(colon + 1);
    std::string ident;
    if (PersonObjectKinds().count(kind) != 0) ident = "person:" + id;
    if (kind == "selector") ident = "selector:" + id;
    // Records about a person, whose ids (and an alert's key: its person's
    // id) erasure forgets with the person.
    if (RecordObjectKinds().count(kind) != 0 && id != "documents") ident = kind + ":" + id;
    if (!ident.empty()) {
      VIGIL_ASSIGN_OR_RETURN(std::string pseudonym, PseudonymOf(db, ident));
      record.object = kind + ":" + pseudonym;
    }
  }
  for (std::string& subject : record.subjects) {
    VIGIL_ASSIGN_OR_RETURN(subject, PseudonymOf(db, "person:" + subject));
  }
  std::sort(record.subjects.begin(), record.subjects.end());
  for (const auto& [name, value] : record.param_values) {
    VIGIL_ASSIGN_OR_RETURN(std::string encoded, EncodeParamValue(db, name, value));
    if (!record.params.empty()) record.params += ';';
    record.params += name;
    record.params += '=';
    record.params += encoded;
  }
  record.param_values.clear();
  return Status::Ok();
}

struct AuditMeta {
  int64_t mac_from = 1;
  int64_t checkpoint_every = 0;  // 0: not recorded yet
};

Result<AuditMeta> ReadAuditMeta(sqlite3* db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db,
                                 "SELECT (SELECT value FROM meta WHERE key = 'audit_mac_from'), "
                                 "(SELECT value FROM meta WHERE key = 'audit_checkpoint_every')"));
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  AuditMeta meta;
  if (has_row) {
    const std::string from(stmt.ColumnText(0));
    const std::string every(stmt.ColumnText(1));
    if (!from.empty()) meta.mac_from = std::strtoll(from.c_str(), nullptr, 10);
    if (!every.empty()) meta.checkpoint_every = std::strtoll(every.c_str(), nullptr, 10);
  }
  return meta;
}

}  // namespace

Result<std::string> RevealPseudonyms(sqlite3* db, const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t tilde = text.find('~', i);
    if (tilde == std::string::npos || tilde + 1 + kPseudonymHexDigits > text.size()) {
      out.append(text, i, std::string::npos);
      break;
    }
    out.append(text, i, tilde - i);
    const std::string candidate = text.substr(tilde, 1 + kPseudonymHexDigits);
    const bool hex = std::all_of(candidate.begin() + 1, candidate.end(), IsHexDigit);
    std::optional<std::string> ident;
    if (hex) {
      VIGIL_ASSIGN_OR_RETURN(ident, IdentOfPseudonym(db, candidate));
    }
    const size_t colon = ident ? ident->find(':') : std::string::npos;
    if (ident && colon != std::string::npos && ident->compare(0, colon, "text") != 0) {
      out += ident->substr(colon + 1);
      i = tilde + candidate.size();
    } else {
      out += '~';
      i = tilde + 1;
    }
  }
  return out;
}

// ---- Appending ---------------------------------------------------------------

Result<int64_t> AuditMacFrom(sqlite3* db) {
  VIGIL_ASSIGN_OR_RETURN(AuditMeta meta, ReadAuditMeta(db));
  return meta.mac_from;
}

Status PublishIfCommitted(sqlite3* db, const Signer* signer, WitnessUpdate& update) {
  if (update.seq == 0) return Status::Ok();
  WitnessUpdate pending = std::move(update);
  update = WitnessUpdate{};
  if (sqlite3_get_autocommit(db) == 0) return Status::Ok();  // still open: not ours to say
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db, "SELECT hash FROM audit_log WHERE seq = ?1"));
  stmt.BindInt(1, pending.seq);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row || stmt.ColumnText(0) != pending.hash) return Status::Ok();  // rolled back
  return PublishToWitness(signer, pending);
}

Result<std::pair<int64_t, std::string>> ChainHead(sqlite3* db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::make_pair(int64_t{0}, std::string(kGenesisHash));
  return std::make_pair(stmt.ColumnInt(0), std::string(stmt.ColumnText(1)));
}

Status InsertCheckpoint(sqlite3* db, const AuditCheckpoint& checkpoint) {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt stmt, Prepare(db,
                         "INSERT OR IGNORE INTO audit_checkpoints(seq, hash, signed_at, "
                         "public_key, signature, mac_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  stmt.BindInt(1, checkpoint.seq);
  stmt.BindText(2, checkpoint.hash);
  stmt.BindInt(3, checkpoint.signed_at);
  stmt.BindText(4, checkpoint.public_key);
  stmt.BindText(5, checkpoint.signature);
  if (checkpoint.mac_from > 0) {
    stmt.BindInt(6, checkpoint.mac_from);
  } else {
    stmt.BindNull(6);
  }
  return stmt.Run();
}

Status AppendRecords(sqlite3* db, std::vector<AuditRecord>& records, const Signer* signer,
                     int64_t checkpoint_every, UnixTime now, WitnessUpdate* update) {
  if (records.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(AuditMeta meta, ReadAuditMeta(db));
  if (meta.checkpoint_every <= 0 && signer != nullptr && checkpoint_every > 0) {
    // The interval is fixed with the first keyed record: it is part of every
    // MAC, so that changing it to skip checkpoints breaks them all.
    VIGIL_ASSIGN_OR_RETURN(Stmt fix, Prepare(db,
                                             "INSERT OR REPLACE INTO meta(key, value) VALUES "
                                             "('audit_checkpoint_every', ?1)"));
    fix.BindText(1, std::to_string(checkpoint_every));
    VIGIL_RETURN_IF_ERROR(fix.Run());
    meta.checkpoint_every = checkpoint_every;
  }
  const int64_t every = meta.checkpoint_every > 0 ? meta.checkpoint_every : checkpoint_every;
  VIGIL_ASSIGN_OR_RETURN(auto head, ChainHead(db));
  VIGIL_ASSIGN_OR_RETURN(
      Stmt insert, Prepare(db,
                           "INSERT INTO audit_log(seq, time, user, action, object, outcome, "
                           "purpose, params, hash, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                           "?9, ?10)"));
  VIGIL_ASSIGN_OR_RETURN(Stmt subject,
                         Prepare(db, "INSERT INTO audit_subjects(seq, person_id) VALUES (?1, ?2)"));
  auto [seq, hash] = head;
  for (AuditRecord& record : records) {
    VIGIL_RETURN_IF_ERROR(Pseudonymize(db, record));
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
    if (signer != nullptr) {
      insert.BindText(10, RecordMac(*signer, meta.mac_from, every, record.seq, record.hash));
    } else {
      insert.BindNull(10);
    }
    VIGIL_RETURN_IF_ERROR(insert.Run());
    for (const std::string& person : record.subjects) {
      subject.BindInt(1, record.seq);
      subject.BindText(2, person);
      VIGIL_RETURN_IF_ERROR(subject.Run());
    }
    if (signer != nullptr && every > 0 && record.seq % every == 0) {
      AuditCheckpoint checkpoint = signer->Sign(record.seq, record.hash, now, meta.mac_from);
      VIGIL_RETURN_IF_ERROR(InsertCheckpoint(db, checkpoint));
      if (update != nullptr) update->checkpoints.push_back(std::move(checkpoint));
    }
  }
  if (update != nullptr && signer != nullptr) {
    update->seq = seq;
    update->hash = hash;
    update->mac_from = meta.mac_from;
  }
  return Status::Ok();
}

// ---- Verifying ---------------------------------------------------------------

namespace {

struct WitnessHead {
  int64_t seq = 0;
  std::string hash;
  int64_t mac_from = 0;
};

// "key=value key=value ..." after the line's first word.
std::map<std::string, std::string> WitnessFields(const std::string& line) {
  std::map<std::string, std::string> fields;
  std::istringstream in(line);
  std::string word;
  in >> word;
  while (in >> word) {
    const size_t eq = word.find('=');
    if (eq != std::string::npos) fields[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return fields;
}

int64_t ToInt(const std::string& text) { return std::strtoll(text.c_str(), nullptr, 10); }

}  // namespace

Result<AuditVerifyReport> VerifyChain(sqlite3* db, const std::optional<AuditCheckpoint>& external,
                                      const std::vector<std::string>& trusted_keys,
                                      const Signer* signer) {
  AuditVerifyReport report;
  Problems problems(report);
  std::vector<std::string> keys = trusted_keys;
  VIGIL_ASSIGN_OR_RETURN(AuditMeta meta, ReadAuditMeta(db));

  if (external) {
    if (!SignatureValid(*external)) {
      problems.Add("the exported checkpoint's signature is not valid (the file was altered)");
    }
    if (!Trusted(keys, external->public_key)) keys.push_back(external->public_key);
  }

  // Stored checkpoints, by the record they cover.
  std::map<int64_t, AuditCheckpoint> checkpoints;
  {
    VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                           Prepare(db,
                                   "SELECT seq, hash, signed_at, public_key, signature, "
                                   "coalesce(mac_from, 0) FROM audit_checkpoints ORDER BY seq"));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      AuditCheckpoint c;
      c.seq = stmt.ColumnInt(0);
      c.hash = std::string(stmt.ColumnText(1));
      c.signed_at = stmt.ColumnInt(2);
      c.public_key = std::string(stmt.ColumnText(3));
      c.signature = std::string(stmt.ColumnText(4));
      c.mac_from = stmt.ColumnInt(5);
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
    } else if (c.mac_from > 0 && c.mac_from != meta.mac_from) {
      problems.Add("checkpoint at record " + std::to_string(seq) +
                   ": signed for MACs from record " + std::to_string(c.mac_from) +
                   ", but the store now says " + std::to_string(meta.mac_from) +
                   " (meta 'audit_mac_from' was changed)");
    }
  }

  // The witness: signed checkpoints and MACed heads published outside the store.
  std::vector<AuditCheckpoint> witnessed;
  std::optional<WitnessHead> witness_head;
  if (signer != nullptr && !signer->witness_path().empty() &&
      std::filesystem::exists(signer->witness_path())) {
    std::ifstream in(signer->witness_path());
    std::string line;
    int64_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line_no == 1 && line == kWitnessHeader) continue;
      if (line.empty()) continue;
      ++report.witness_entries;
      const auto fields = WitnessFields(line);
      auto field = [&](const char* name) {
        auto found = fields.find(name);
        return found == fields.end() ? std::string() : found->second;
      };
      const std::string where = "witness line " + std::to_string(line_no);
      if (line.rfind("head ", 0) == 0) {
        WitnessHead h{ToInt(field("seq")), field("hash"), ToInt(field("mac_from"))};
        if (field("mac") != WitnessHeadMac(*signer, h.seq, h.hash, h.mac_from)) {
          problems.Add(where + ": its MAC is not valid (the witness was altered)");
        } else if (!witness_head || h.seq > witness_head->seq) {
          witness_head = std::move(h);
        }
      } else if (line.rfind("checkpoint ", 0) == 0) {
        AuditCheckpoint c;
        c.seq = ToInt(field("seq"));
        c.hash = field("hash");
        c.signed_at = ToInt(field("signed_at"));
        c.public_key = field("public_key");
        c.mac_from = ToInt(field("mac_from"));
        c.signature = field("signature");
        if (!SignatureValid(c) || c.public_key != signer->public_key_hex()) {
          problems.Add(where + ": checkpoint signature is not valid under the audit key");
        } else {
          witnessed.push_back(std::move(c));
        }
      } else {
        problems.Add(where + ": not a witness line");
      }
    }
  }

  // Walk records and subjects together, both ordered by seq.
  VIGIL_ASSIGN_OR_RETURN(Stmt records,
                         Prepare(db,
                                 "SELECT seq, time, user, action, object, outcome, "
                                 "purpose, params, hash, mac FROM audit_log ORDER BY seq"));
  VIGIL_ASSIGN_OR_RETURN(
      Stmt subjects,
      Prepare(db, "SELECT seq, person_id FROM audit_subjects ORDER BY seq, person_id"));
  VIGIL_ASSIGN_OR_RETURN(bool subject_row, subjects.Step());
  std::string prev_hash = kGenesisHash;
  int64_t expected = 1;
  std::set<int64_t> wanted;  // seqs whose stored hash a checkpoint or the witness names
  for (const auto& [seq, c] : checkpoints) wanted.insert(seq);
  if (external) wanted.insert(external->seq);
  for (const AuditCheckpoint& c : witnessed) wanted.insert(c.seq);
  if (witness_head) wanted.insert(witness_head->seq);
  std::map<int64_t, std::string> stored_hash_at;
  // Records without a valid MAC, as ranges [first, last].
  std::vector<std::pair<int64_t, int64_t>> unmaced;
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
    const std::string mac(records.ColumnText(9));
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
    if (signer != nullptr && r.seq >= meta.mac_from) {
      const int64_t every = meta.checkpoint_every;
      if (mac == RecordMac(*signer, meta.mac_from, every, r.seq, stored)) {
        ++report.macs_checked;
      } else if (!unmaced.empty() && unmaced.back().second == r.seq - 1) {
        unmaced.back().second = r.seq;
      } else {
        unmaced.emplace_back(r.seq, r.seq);
      }
    }
    if (wanted.count(r.seq) != 0) stored_hash_at[r.seq] = stored;
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
  for (const auto& [first, end] : unmaced) {
    problems.Add((first == end ? "record " + std::to_string(first)
                               : "records " + std::to_string(first) + ".." + std::to_string(end)) +
                 ": no valid MAC (written or changed without the audit key)");
  }
  if (signer == nullptr && last >= meta.mac_from) {
    problems.Add("no audit key given: the MACs of records " + std::to_string(meta.mac_from) + ".." +
                 std::to_string(last) + " were not checked");
  }

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

  if (signer != nullptr) {
    // Every multiple of the interval from the first keyed record on has its
    // automatic checkpoint.
    const int64_t every = meta.checkpoint_every;
    if (every > 0) {
      for (int64_t m = ((meta.mac_from + every - 1) / every) * every; m <= last; m += every) {
        if (m == 0) continue;
        if (checkpoints.count(m) == 0) {
          problems.Add("the automatic checkpoint at record " + std::to_string(m) +
                       " is missing (deleted)");
        }
      }
    }
    for (const AuditCheckpoint& c : witnessed) {
      check_covered(c, "the witness's checkpoint at record " + std::to_string(c.seq));
      if (c.seq <= last && checkpoints.count(c.seq) == 0) {
        problems.Add("the checkpoint at record " + std::to_string(c.seq) +
                     " published to the witness is missing from the store (deleted)");
      }
      if (c.mac_from != meta.mac_from) {
        problems.Add("the witness's checkpoint at record " + std::to_string(c.seq) +
                     " says MACs start at record " + std::to_string(c.mac_from) +
                     ", the store says " + std::to_string(meta.mac_from));
      }
    }
    if (witness_head) {
      AuditCheckpoint head;
      head.seq = witness_head->seq;
      head.hash = witness_head->hash;
      check_covered(head, "the witness's last head");
      if (witness_head->mac_from != meta.mac_from) {
        problems.Add("the witness says MACs start at record " +
                     std::to_string(witness_head->mac_from) + ", the store says " +
                     std::to_string(meta.mac_from) + " (meta 'audit_mac_from' was changed)");
      }
    }
  }
  return report;
}

}  // namespace vigil::access

namespace vigil {

std::string CheckpointText(const AuditCheckpoint& c) {
  if (c.mac_from > 0) {
    return "vigil-audit-checkpoint-v2 seq=" + std::to_string(c.seq) + " hash=" + c.hash +
           " signed_at=" + std::to_string(c.signed_at) + " key=" + c.public_key +
           " mac_from=" + std::to_string(c.mac_from);
  }
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
  if (c.mac_from > 0) out << "mac_from=" << c.mac_from << "\n";
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
      } else if (key == "mac_from") {
        c.mac_from = std::stoll(value);
        continue;  // optional (checkpoint text v2)
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
