#include "access/erasure.h"

#include <algorithm>
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
  std::vector<std::string> strong = {person_id_};
  for (const std::string& s : selectors_) AddUnique(strong, s);
  for (const std::string& t : travel_ids_) AddUnique(strong, t);
  for (const std::string& r : report_ids_) AddUnique(strong, r);
  for (const std::string& t : texts_) {
    // Birth dates are scrubbed only where a stronger identifier was found.
    const bool date = t.size() <= 10 && std::all_of(t.begin(), t.end(), [](char c) {
                        return (c >= '0' && c <= '9') || c == '-';
                      });
    if (!date) AddUnique(strong, t);
  }
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
    if (!document.ok()) continue;  // stored documents were checked when saved
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
  return RunForEach(db_, "DELETE FROM audit_pseudonyms WHERE ident = ?1", idents);
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
