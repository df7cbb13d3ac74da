#include "access/erasure.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "access/audit_chain.h"
#include "access/canvas_document.h"
#include "store/sqlite/sqlite_handle.h"

namespace vigil::access {
namespace {

using sqlite::Prepare;
using sqlite::Stmt;

constexpr char kErased[] = "[erased]";

bool WordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Replaces every occurrence of `needle` in `text` that does not continue a
// word on either side. Returns whether anything changed.
bool ReplaceWhole(std::string& text, const std::string& needle) {
  if (needle.empty()) return false;
  bool changed = false;
  size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    const size_t end = pos + needle.size();
    const bool left = pos == 0 || !WordChar(text[pos - 1]) || !WordChar(needle.front());
    const bool right = end == text.size() || !WordChar(text[end]) || !WordChar(needle.back());
    if (left && right) {
      text.replace(pos, needle.size(), kErased);
      pos += sizeof(kErased) - 1;
      changed = true;
    } else {
      pos = end;
    }
  }
  return changed;
}

// Runs `sql` with ?1 bound to each of `values`.
Status RunForEach(sqlite3* db, const char* sql, const std::vector<std::string>& values,
                  int64_t* changes = nullptr) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db, sql));
  for (const std::string& value : values) {
    stmt.BindText(1, value);
    VIGIL_RETURN_IF_ERROR(stmt.Run());
    if (changes != nullptr) *changes += sqlite3_changes(db);
  }
  return Status::Ok();
}

Result<std::vector<std::string>> Column(sqlite3* db, const char* sql, const std::string& param) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db, sql));
  stmt.BindText(1, param);
  std::vector<std::string> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    out.emplace_back(stmt.ColumnText(0));
  }
  return out;
}

// Whether `text` holds `needle` not continuing a word on either side (the
// match rule of ReplaceWhole).
bool ContainsWhole(std::string_view text, std::string_view needle) {
  if (needle.empty()) return false;
  size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string_view::npos) {
    const size_t end = pos + needle.size();
    const bool left = pos == 0 || !WordChar(text[pos - 1]) || !WordChar(needle.front());
    const bool right = end == text.size() || !WordChar(text[end]) || !WordChar(needle.back());
    if (left && right) return true;
    pos = pos + 1;
  }
  return false;
}

// A birth date ("1980", "1980-02", "1980-02-01").
bool IsDate(std::string_view t) {
  return t.size() <= 10 &&
         std::all_of(t.begin(), t.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

void AddUnique(std::vector<std::string>& to, std::string value) {
  if (value.empty() || std::find(to.begin(), to.end(), value) != to.end()) return;
  to.push_back(std::move(value));
}

}  // namespace

Result<PersonErasure> PersonErasure::Gather(sqlite3* db, const std::string& person_id) {
  PersonErasure e;
  e.db_ = db;
  e.person_id_ = person_id;
  VIGIL_ASSIGN_OR_RETURN(e.pseudonym_, PseudonymOf(db, "person:" + person_id));
  {
    VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db,
                                              "SELECT name, coalesce(aliases, '[]'), "
                                              "coalesce(birth_date, '') FROM persons "
                                              "WHERE person_id = ?1"));
    stmt.BindText(1, person_id);
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (has_row) {
      AddUnique(e.texts_, std::string(stmt.ColumnText(0)));
      const auto aliases = nlohmann::json::parse(stmt.ColumnText(1), nullptr, false);
      if (aliases.is_array()) {
        for (const auto& alias : aliases) {
          if (alias.is_string()) AddUnique(e.texts_, alias.get<std::string>());
        }
      }
      AddUnique(e.texts_, std::string(stmt.ColumnText(2)));
    }
  }
  // Selectors only this person owns: no other person holds a live
  // (not rejected) attribution of them.
  {
    VIGIL_ASSIGN_OR_RETURN(
        Stmt stmt, Prepare(db,
                           "SELECT s.id, s.selector FROM attributions a "
                           "JOIN selectors s ON s.id = a.selector_id WHERE a.person_id = ?1 "
                           "AND NOT EXISTS (SELECT 1 FROM attributions o WHERE o.selector_id = "
                           "a.selector_id AND o.person_id <> ?1 AND o.state <> 2)"));
    stmt.BindText(1, person_id);
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      e.selector_ids_.push_back(stmt.ColumnInt(0));
      e.selectors_.emplace_back(stmt.ColumnText(1));
    }
  }
  // Travel on those selectors (passports, id cards), with the names and
  // birth dates written on it.
  {
    VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                           Prepare(db,
                                   "SELECT record_id, name, coalesce(birth_date, '') FROM travel "
                                   "WHERE document = ?1"));
    for (int64_t id : e.selector_ids_) {
      stmt.BindInt(1, id);
      while (true) {
        VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
        if (!has_row) break;
        e.travel_ids_.emplace_back(stmt.ColumnText(0));
        AddUnique(e.texts_, std::string(stmt.ColumnText(1)));
        AddUnique(e.texts_, std::string(stmt.ColumnText(2)));
      }
      stmt.Reset();
    }
  }
  VIGIL_ASSIGN_OR_RETURN(
      e.report_ids_, Column(db, "SELECT report_id FROM reports WHERE person_id = ?1", person_id));
  return e;
}

Status PersonErasure::EraseData(ErasedCounts& counts) {
  sqlite3* db = db_;
  counts.pseudonym = pseudonym_;
  const std::vector<std::string> person = {person_id_};
  // Screening results and marks of the records about to go.
  VIGIL_RETURN_IF_ERROR(RunForEach(
      db, "DELETE FROM watchlist_matches WHERE source_kind = 3 AND source_id = ?1", travel_ids_));
  VIGIL_RETURN_IF_ERROR(RunForEach(
      db, "DELETE FROM watchlist_matches WHERE source_kind = 5 AND source_id = ?1", report_ids_));
  VIGIL_RETURN_IF_ERROR(RunForEach(
      db, "DELETE FROM match_decisions WHERE source_kind = 3 AND source_id = ?1", travel_ids_));
  VIGIL_RETURN_IF_ERROR(RunForEach(
      db, "DELETE FROM match_decisions WHERE source_kind = 5 AND source_id = ?1", report_ids_));
  VIGIL_RETURN_IF_ERROR(
      RunForEach(db, "DELETE FROM screening_marks WHERE kind = 3 AND id = ?1", travel_ids_));
  VIGIL_RETURN_IF_ERROR(
      RunForEach(db, "DELETE FROM screening_marks WHERE kind = 5 AND id = ?1", report_ids_));
  VIGIL_RETURN_IF_ERROR(
      RunForEach(db, "DELETE FROM travel WHERE record_id = ?1", travel_ids_, &counts.travel));

  for (const char* sql : {
           "DELETE FROM attributions WHERE person_id = ?1",
           "DELETE FROM custody WHERE person_id = ?1",
           "DELETE FROM reports WHERE person_id = ?1",
           "DELETE FROM case_links WHERE person_id = ?1",
           "DELETE FROM review_decisions WHERE person_id = ?1",
           "DELETE FROM person_oversight WHERE person_id = ?1",
           "DELETE FROM watch_subjects WHERE person_id = ?1",
           "DELETE FROM watch_state WHERE key = 'profile:' || ?1",
       }) {
    VIGIL_RETURN_IF_ERROR(RunForEach(db, sql, person));
  }
  {
    // The triage of the person's own alerts goes with them.
    VIGIL_ASSIGN_OR_RETURN(
        std::vector<std::string> keys,
        Column(db, "SELECT key FROM watch_alerts WHERE person_id = ?1", person_id_));
    VIGIL_RETURN_IF_ERROR(RunForEach(db, "DELETE FROM alert_triage WHERE key = ?1", keys));
    VIGIL_RETURN_IF_ERROR(RunForEach(db, "DELETE FROM alert_triage_log WHERE key = ?1", keys));
  }
  VIGIL_RETURN_IF_ERROR(
      RunForEach(db, "DELETE FROM watch_alerts WHERE person_id = ?1", person, &counts.alerts));
  VIGIL_RETURN_IF_ERROR(RunForEach(db, "DELETE FROM canvas_persons WHERE person_id = ?1", person));
  VIGIL_RETURN_IF_ERROR(RunForEach(db, "DELETE FROM persons WHERE person_id = ?1", person));

  // Selectors only the person owned: their records go, their text becomes
  // an anonymous placeholder (comms keep their integer ends).
  {
    VIGIL_ASSIGN_OR_RETURN(Stmt record,
                           Prepare(db, "DELETE FROM selector_records WHERE selector_id = ?1"));
    VIGIL_ASSIGN_OR_RETURN(Stmt rename,
                           Prepare(db,
                                   "UPDATE selectors SET selector = 'erased:' || id, kind = NULL "
                                   "WHERE id = ?1"));
    for (int64_t id : selector_ids_) {
      record.BindInt(1, id);
      VIGIL_RETURN_IF_ERROR(record.Run());
      rename.BindInt(1, id);
      VIGIL_RETURN_IF_ERROR(rename.Run());
      ++counts.selectors;
    }
  }
  // Derived state that may quote the person: the resolver's summaries are
  // rebuilt by its next run.
  VIGIL_RETURN_IF_ERROR(sqlite::Exec(db, "DELETE FROM resolve_state"));

  // Identifiers quoted by records that stay: other people's alerts, and the
  // alert engine's lists of judged record ids.
  const std::vector<std::string> strong = StrongIdentifiers();
  {
    std::vector<std::tuple<std::string, std::string, std::string>> changed;
    VIGIL_ASSIGN_OR_RETURN(Stmt scan,
                           Prepare(db, "SELECT key, coalesce(evidence, '') FROM watch_alerts"));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool has_row, scan.Step());
      if (!has_row) break;
      std::string key(scan.ColumnText(0));
      std::string evidence(scan.ColumnText(1));
      const std::string old_key = key;
      bool hit = false;
      for (const std::string& id : strong) {
        hit |= ReplaceWhole(key, id);
        hit |= ReplaceWhole(evidence, id);
      }
      if (!hit) continue;
      for (const std::string& t : texts_) {
        ReplaceWhole(key, t);
        ReplaceWhole(evidence, t);
      }
      changed.emplace_back(old_key, std::move(key), std::move(evidence));
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt update,
                           Prepare(db,
                                   "UPDATE OR REPLACE watch_alerts SET key = ?2, evidence = ?3 "
                                   "WHERE key = ?1"));
    for (const auto& [old_key, key, evidence] : changed) {
      update.BindText(1, old_key);
      update.BindText(2, key);
      update.BindText(3, evidence);
      VIGIL_RETURN_IF_ERROR(update.Run());
      ++counts.alerts_scrubbed;
    }
  }
  VIGIL_RETURN_IF_ERROR(ScrubTriage(strong));
  VIGIL_RETURN_IF_ERROR(ScrubCanvases(strong));
  {
    // "seen:<phase>": newline-separated ids of judged records.
    std::vector<std::pair<std::string, std::string>> changed;
    VIGIL_ASSIGN_OR_RETURN(
        Stmt scan, Prepare(db, "SELECT key, value FROM watch_state WHERE key LIKE 'seen:%'"));
    const std::set<std::string> gone(strong.begin(), strong.end());
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool has_row, scan.Step());
      if (!has_row) break;
      const std::string value(scan.ColumnBlob(1));
      std::string kept;
      bool hit = false;
      size_t start = 0;
      while (start < value.size()) {
        size_t end = value.find('\n', start);
        if (end == std::string::npos) end = value.size();
        const std::string line = value.substr(start, end - start);
        if (gone.count(line) != 0) {
          hit = true;
        } else {
          kept += line + "\n";
        }
        start = end + 1;
      }
      if (hit) changed.emplace_back(std::string(scan.ColumnText(0)), std::move(kept));
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt update,
                           Prepare(db, "UPDATE watch_state SET value = ?2 WHERE key = ?1"));
    for (const auto& [key, value] : changed) {
      update.BindText(1, key);
      update.BindBlobStatic(2, value);
      VIGIL_RETURN_IF_ERROR(update.Run());
    }
  }
  return Status::Ok();
}

std::vector<std::string> PersonErasure::StrongIdentifiers() const {
  std::vector<std::string> strong = {person_id_};
  for (const std::string& s : selectors_) AddUnique(strong, s);
  for (const std::string& t : travel_ids_) AddUnique(strong, t);
  for (const std::string& r : report_ids_) AddUnique(strong, r);
  for (const std::string& t : texts_) {
    // Birth dates are scrubbed only where a stronger identifier was found.
    if (!IsDate(t)) AddUnique(strong, t);
  }
  return strong;
}

std::vector<std::string> PersonErasure::FileIdentifiers() const {
  std::vector<std::string> out = StrongIdentifiers();
  for (const std::string& s : selectors_) {
    // "msisdn:+34..." -> "+34...": a bad input row may carry the bare value.
    const size_t colon = s.find(':');
    if (colon != std::string::npos && colon + 1 < s.size()) AddUnique(out, s.substr(colon + 1));
  }
  return out;
}

bool PersonErasure::Scrub(std::string& text, const std::vector<std::string>& strong) const {
  bool hit = false;
  for (const std::string& id : strong) hit |= ReplaceWhole(text, id);
  if (hit) {
    for (const std::string& t : texts_) ReplaceWhole(text, t);
  }
  return hit;
}

Status PersonErasure::ScrubTriage(const std::vector<std::string>& strong) {
  // Other people's alerts kept their triage under the alert's old key; the
  // key and the analysts' reasons are scrubbed like the alert itself.
  for (const char* table : {"alert_triage", "alert_triage_log"}) {
    const std::string id_column = std::string(table) == "alert_triage" ? "key" : "id";
    VIGIL_ASSIGN_OR_RETURN(
        Stmt scan,
        Prepare(db_, "SELECT " + id_column + ", key, coalesce(reason, '') FROM " + table));
    std::vector<std::tuple<std::string, std::string, std::string>> changed;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool has_row, scan.Step());
      if (!has_row) break;
      std::string key(scan.ColumnText(1));
      std::string reason(scan.ColumnText(2));
      const bool hit_key = Scrub(key, strong);
      const bool hit_reason = Scrub(reason, strong);
      if (hit_key || hit_reason) {
        changed.emplace_back(std::string(scan.ColumnText(0)), std::move(key), std::move(reason));
      }
    }
    VIGIL_ASSIGN_OR_RETURN(
        Stmt update, Prepare(db_, "UPDATE OR REPLACE " + std::string(table) +
                                      " SET key = ?2, reason = ?3 WHERE " + id_column + " = ?1"));
    for (const auto& [id, key, reason] : changed) {
      update.BindText(1, id);
      update.BindText(2, key);
      update.BindText(3, reason);
      VIGIL_RETURN_IF_ERROR(update.Run());
    }
  }
  return Status::Ok();
}

Status PersonErasure::ScrubCanvases(const std::vector<std::string>& strong) {
  // A canvas loses the person's nodes (and the selectors only they owned),
  // with the edges, group memberships and notes pinned to them; any other
  // text quoting them is scrubbed.
  std::set<std::string> nodes = {person_id_};
  nodes.insert(selectors_.begin(), selectors_.end());
  VIGIL_ASSIGN_OR_RETURN(Stmt scan,
                         Prepare(db_, "SELECT compartment, case_id, name, document FROM canvases"));
  std::vector<std::tuple<std::string, std::string, std::string, std::string>> changed;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, scan.Step());
    if (!has_row) break;
    Result<nlohmann::json> document = ParseCanvasDocument(scan.ColumnText(3));
    if (!document.ok()) {
      // It may show the person: erasing around it would leave them there.
      return Status::Corruption(
          "canvas '" + std::string(scan.ColumnText(2)) + "' of case '" +
          std::string(scan.ColumnText(1)) + "' (compartment '" + std::string(scan.ColumnText(0)) +
          "'): the stored document cannot be read (" + document.status().message() +
          "), so the erasure cannot remove the person from it; nothing "
          "was erased");
    }
    bool hit = WithholdNodes(*document, nodes);
    std::string text = document->dump();
    hit |= Scrub(text, strong);
    if (hit) {
      changed.emplace_back(std::string(scan.ColumnText(0)), std::string(scan.ColumnText(1)),
                           std::string(scan.ColumnText(2)), std::move(text));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt update, Prepare(db_,
                                              "UPDATE canvases SET document = ?4 WHERE "
                                              "compartment = ?1 AND case_id = ?2 AND name = ?3"));
  for (const auto& [compartment, case_id, name, text] : changed) {
    update.BindText(1, compartment);
    update.BindText(2, case_id);
    update.BindText(3, name);
    update.BindText(4, text);
    VIGIL_RETURN_IF_ERROR(update.Run());
  }
  return Status::Ok();
}

Status PersonErasure::ForgetPseudonyms() {
  std::vector<std::string> idents = {"person:" + person_id_};
  for (const std::string& s : selectors_) idents.push_back("selector:" + s);
  for (const std::string& t : texts_) idents.push_back(TextIdent(t));
  // Every other ident naming the person's id, selectors, trips or reports:
  // their records ("travel:T1", "report:R1"), their alerts' keys and other
  // people's alert keys naming them ("alert:new_contact:P2:P1"), the
  // screening matches of their trips and reports ("match:...").
  std::vector<std::string> ids = {person_id_};
  for (const std::string& s : selectors_) AddUnique(ids, s);
  for (const std::string& t : travel_ids_) AddUnique(ids, t);
  for (const std::string& r : report_ids_) AddUnique(ids, r);
  {
    VIGIL_ASSIGN_OR_RETURN(
        Stmt scan,
        Prepare(db_, "SELECT ident FROM audit_pseudonyms WHERE ident NOT LIKE 'text:%'"));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool has_row, scan.Step());
      if (!has_row) break;
      const std::string_view ident = scan.ColumnText(0);
      const std::string_view id = ident.substr(std::min(ident.find(':') + 1, ident.size()));
      for (const std::string& mine : ids) {
        if (ContainsWhole(id, mine)) {
          AddUnique(idents, std::string(ident));
          break;
        }
      }
    }
  }
  return RunForEach(db_, "DELETE FROM audit_pseudonyms WHERE ident = ?1", idents);
}

Result<std::vector<WrittenFileRow>> LoadWrittenFiles(sqlite3* db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db, "SELECT path, kind FROM written_files ORDER BY path"));
  std::vector<WrittenFileRow> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    out.push_back({std::string(stmt.ColumnText(0)), static_cast<int>(stmt.ColumnInt(1))});
  }
  return out;
}

namespace {

constexpr std::string_view kQuarantineHeader = "file,line,column,rule,raw";

// The whole file; nullopt when it does not exist.
Result<std::optional<std::string>> ReadWhole(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
    return Status::IOError(path + ": cannot read the file to erase from it");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot read the file to erase from it");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IOError(path + ": cannot read the file to erase from it");
  return std::optional<std::string>(std::move(bytes));
}

// Opens the file at `path` and takes the exclusive lock ingest appends
// under (QuarantineFile), then reads it whole through that descriptor: no
// row can be appended until the lock is released. The descriptor (holding
// the lock) goes to *locked; no file (ENOENT) is nullopt.
Result<std::optional<std::string>> ReadWholeLocked(const std::string& path, int* locked) {
  *locked = -1;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
    return Status::IOError(path + ": cannot read the file to erase from it");
  }
  int status = 0;
  while ((status = ::flock(fd, LOCK_EX)) != 0 && errno == EINTR) {
  }
  std::string bytes;
  char buffer[1 << 16];
  ssize_t n = 0;
  while (status == 0) {
    n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  if (status != 0 || n < 0) {
    ::close(fd);
    return Status::IOError(path + ": cannot read the file to erase from it");
  }
  *locked = fd;
  return std::optional<std::string>(std::move(bytes));
}

// The CSV records of `bytes` (RFC 4180: a newline inside quotes continues
// the record), each with its line end.
std::vector<std::string_view> CsvRecords(std::string_view bytes) {
  std::vector<std::string_view> out;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '"') quoted = !quoted;
    if (bytes[i] == '\n' && !quoted) {
      out.push_back(bytes.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < bytes.size()) out.push_back(bytes.substr(start));
  return out;
}

std::string_view WithoutLineEnd(std::string_view record) {
  while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) {
    record.remove_suffix(1);
  }
  return record;
}

// The first person (index) whose identifiers `text` names, or -1.
int NamedPerson(std::string_view text, const std::vector<std::vector<std::string>>& identifiers) {
  for (size_t i = 0; i < identifiers.size(); ++i) {
    for (const std::string& id : identifiers[i]) {
      if (ContainsWhole(text, id)) return static_cast<int>(i);
    }
  }
  return -1;
}

// Writes `bytes` to a new temporary file beside `path` (0600, fsynced).
Result<std::string> WriteTemporary(const std::string& path, std::string_view bytes) {
  std::string name = path + ".erase-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return Status::IOError(path + ": cannot write the rewritten file beside it");
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t done = 0;
  while (ok && done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    ::unlink(name.c_str());
    return Status::IOError(path + ": cannot write the rewritten file beside it");
  }
  return name;
}

void SyncFolderOf(const std::string& path) {
  const std::string folder = std::filesystem::path(path).parent_path().string();
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

WrittenFileScrub::~WrittenFileScrub() {
  for (const Pending& p : pending_) {
    if (!p.temp.empty()) ::unlink(p.temp.c_str());
  }
  Unlock();
}

void WrittenFileScrub::Unlock() {
  for (int fd : locks_) ::close(fd);
  locks_.clear();
}

Status WrittenFileScrub::Prepare(const std::vector<WrittenFileRow>& files,
                                 const std::vector<std::vector<std::string>>& identifiers,
                                 std::vector<int64_t>* rows,
                                 std::vector<std::vector<std::string>>* holding) {
  rows->assign(identifiers.size(), 0);
  holding->assign(identifiers.size(), {});
  for (const WrittenFileRow& file : files) {
    // A quarantine file is read and replaced under its lock, so that an
    // ingest appending to it waits and then writes to the rewritten file.
    std::optional<std::string> bytes;
    if (file.kind == 0) {
      int locked = -1;
      VIGIL_ASSIGN_OR_RETURN(bytes, ReadWholeLocked(file.path, &locked));
      if (locked >= 0) locks_.push_back(locked);
    } else {
      VIGIL_ASSIGN_OR_RETURN(bytes, ReadWhole(file.path));
    }
    if (!bytes) continue;
    const std::vector<std::string_view> records = CsvRecords(*bytes);
    const bool quarantine =
        file.kind == 0 && !records.empty() && WithoutLineEnd(records[0]) == kQuarantineHeader;
    if (!quarantine) {
      // Not Vigil's to rewrite: named for whoever owns it.
      for (size_t i = 0; i < identifiers.size(); ++i) {
        if (NamedPerson(*bytes, {identifiers[i]}) == 0) (*holding)[i].push_back(file.path);
      }
      continue;
    }
    std::string kept(records[0]);
    bool dropped = false;
    for (size_t r = 1; r < records.size(); ++r) {
      const int person = NamedPerson(records[r], identifiers);
      if (person < 0) {
        kept += records[r];
      } else {
        ++(*rows)[static_cast<size_t>(person)];
        dropped = true;
      }
    }
    if (!dropped) continue;
    if (kept.size() == records[0].size()) {
      pending_.push_back({file.path, ""});  // nothing but the header is left
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(std::string temp, WriteTemporary(file.path, kept));
    pending_.push_back({file.path, std::move(temp)});
  }
  return Status::Ok();
}

Status WrittenFileScrub::Apply() {
  std::vector<Pending> pending = std::move(pending_);
  pending_.clear();
  Status status;
  for (size_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    const bool done = p.temp.empty() ? ::unlink(p.path.c_str()) == 0 || errno == ENOENT
                                     : ::rename(p.temp.c_str(), p.path.c_str()) == 0;
    if (!done) {
      status = Status::IOError(p.path + ": cannot replace the file with its erased copy");
      for (size_t j = i; j < pending.size(); ++j) {
        if (!pending[j].temp.empty()) ::unlink(pending[j].temp.c_str());
      }
      break;
    }
    SyncFolderOf(p.path);
  }
  Unlock();
  return status;
}

Status TruncateWal(sqlite3* db) {
  int wal_frames = 0;
  int checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &wal_frames,
                                           &checkpointed);
  if (rc != SQLITE_OK) {
    return sqlite::ErrorStatus(db, rc, "truncating the WAL after an erasure");
  }
  return Status::Ok();
}

}  // namespace vigil::access
