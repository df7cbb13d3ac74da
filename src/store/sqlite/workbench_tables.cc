// SqliteStore: the workbench tables of schema version 9: alert triage (the
// current state of each handled alert and every decision in order) and
// saved investigations (canvases of a case, with the persons each shows).
#include <algorithm>
#include <string>

#include "store/sqlite/codec.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr char kGetAlert[] =
    "SELECT key, time, person_id, kind, score, evidence, raised_at FROM watch_alerts "
    "WHERE key = ?1";
constexpr char kUpsertTriage[] =
    "INSERT INTO alert_triage(key, state, assignee, reason, case_id, decided_by, decided_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(key) DO UPDATE SET "
    "state = excluded.state, assignee = excluded.assignee, reason = excluded.reason, "
    "case_id = excluded.case_id, decided_by = excluded.decided_by, "
    "decided_at = excluded.decided_at";
constexpr char kLogTriage[] =
    "INSERT INTO alert_triage_log(key, state, assignee, reason, case_id, decided_by, "
    "decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr char kScanTriage[] =
    "SELECT key, state, assignee, reason, case_id, decided_by, decided_at FROM alert_triage "
    "ORDER BY key";
constexpr char kTriageHistoryAll[] =
    "SELECT key, state, assignee, reason, case_id, decided_by, decided_at FROM "
    "alert_triage_log ORDER BY id";
constexpr char kTriageHistoryOf[] =
    "SELECT key, state, assignee, reason, case_id, decided_by, decided_at FROM "
    "alert_triage_log WHERE key = ?1 ORDER BY id";
constexpr char kCaseExists[] = "SELECT 1 FROM cases WHERE compartment = ?1 AND case_id = ?2";
constexpr char kCanvasVersion[] =
    "SELECT version FROM canvases WHERE compartment = ?1 AND case_id = ?2 AND name = ?3";
constexpr char kInsertCanvas[] =
    "INSERT INTO canvases(compartment, case_id, name, version, document, created_by, "
    "created_at, updated_by, updated_at) VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)";
constexpr char kUpdateCanvas[] =
    "UPDATE canvases SET version = ?3, document = ?4, updated_by = ?5, updated_at = ?6 "
    "WHERE case_id = ?1 AND name = ?2 AND compartment = ?7";
constexpr char kDeleteCanvasPersons[] =
    "DELETE FROM canvas_persons WHERE compartment = ?1 AND case_id = ?2 AND name = ?3";
constexpr char kInsertCanvasPerson[] =
    "INSERT OR IGNORE INTO canvas_persons(compartment, case_id, name, person_id) "
    "VALUES (?1, ?2, ?3, ?4)";
constexpr char kDeleteCanvas[] =
    "DELETE FROM canvases WHERE compartment = ?1 AND case_id = ?2 AND name = ?3";
constexpr char kCanvasColumns[] =
    "SELECT case_id, name, version, document, created_by, created_at, updated_by, updated_at, "
    "compartment FROM canvases ";
constexpr char kCanvasPersons[] =
    "SELECT person_id FROM canvas_persons WHERE compartment = ?1 AND case_id = ?2 AND name = ?3 "
    "ORDER BY person_id";
constexpr int64_t kMaxAlertState = kAlertStateCount - 1;

Result<AlertTriage> ReadTriage(const Stmt& stmt) {
  VIGIL_RETURN_IF_ERROR(CheckEnumCode(stmt.ColumnInt(1), kMaxAlertState, "alert_triage.state"));
  AlertTriage triage;
  triage.key = std::string(stmt.ColumnText(0));
  triage.state = static_cast<AlertState>(stmt.ColumnInt(1));
  triage.assignee = std::string(stmt.ColumnText(2));
  triage.reason = std::string(stmt.ColumnText(3));
  triage.case_id = std::string(stmt.ColumnText(4));
  triage.decided_by = std::string(stmt.ColumnText(5));
  triage.decided_at = stmt.ColumnInt(6);
  return triage;
}

Status CheckTriage(const AlertTriage& triage) {
  if (triage.state == AlertState::kDismissed && triage.reason.empty()) {
    return Status::InvalidArgument("dismissing an alert needs a reason");
  }
  if (triage.state == AlertState::kAssigned && triage.assignee.empty()) {
    return Status::InvalidArgument("assigning an alert needs an assignee");
  }
  if (triage.state == AlertState::kEscalated && triage.case_id.empty()) {
    return Status::InvalidArgument("escalating an alert needs a case");
  }
  return Status::Ok();
}

void BindTriage(Stmt* stmt, const AlertTriage& triage) {
  stmt->BindText(1, triage.key);
  stmt->BindInt(2, static_cast<int64_t>(triage.state));
  stmt->BindTextOrNull(3, triage.assignee);
  stmt->BindTextOrNull(4, triage.reason);
  stmt->BindTextOrNull(5, triage.case_id);
  stmt->BindText(6, triage.decided_by);
  stmt->BindInt(7, triage.decided_at);
}

// The stored version of a canvas; nullopt when there is none.
Result<std::optional<int64_t>> CanvasVersion(SqliteStore& store, const CaseRef& of_case,
                                             std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * get, store.Cached(kCanvasVersion));
  StmtResetter reset(get);
  get->BindText(1, of_case.compartment);
  get->BindText(2, of_case.case_id);
  get->BindText(3, name);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, get->Step());
  if (!has_row) return std::optional<int64_t>();
  return std::optional<int64_t>(get->ColumnInt(0));
}

// The store's name of a canvas in messages.
std::string CanvasName(const CaseRef& of_case, std::string_view name) {
  return "canvas '" + std::string(name) + "' of case '" + of_case.case_id + "'";
}

// Binds (compartment, case, name) as ?1..?3.
void BindCanvasKey(Stmt* stmt, const CaseRef& of_case, std::string_view name) {
  stmt->BindText(1, of_case.compartment);
  stmt->BindText(2, of_case.case_id);
  stmt->BindText(3, name);
}

Status CheckVersion(std::optional<int64_t> stored, int64_t expected, const CaseRef& of_case,
                    std::string_view name) {
  const std::string what = CanvasName(of_case, name);
  if (!stored && expected > 0) return Status::NotFound("no " + what);
  if (stored && *stored != expected) {
    return Status::AlreadyExists(what + " is at version " + std::to_string(*stored) + ", not " +
                                 std::to_string(expected) +
                                 ": reload it and apply your change again");
  }
  return Status::Ok();
}

}  // namespace

Result<StoredAlert> SqliteStore::GetAlert(std::string_view key) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * get, Cached(kGetAlert));
  StmtResetter reset(get);
  get->BindText(1, key);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, get->Step());
  if (!has_row) return Status::NotFound("no alert '" + std::string(key) + "'");
  return ReadAlert(*get);
}

Status SqliteStore::PutAlertTriage(const AlertTriage& triage) {
  VIGIL_RETURN_IF_ERROR(CheckTriage(triage));
  return InWriteTransaction([&]() -> Status {
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * get, Cached(kGetAlert));
      StmtResetter reset(get);
      get->BindText(1, triage.key);
      VIGIL_ASSIGN_OR_RETURN(bool has_row, get->Step());
      if (!has_row) return Status::InvalidArgument("unknown alert '" + triage.key + "'");
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt * upsert, Cached(kUpsertTriage));
    BindTriage(upsert, triage);
    VIGIL_RETURN_IF_ERROR(upsert->Run());
    VIGIL_ASSIGN_OR_RETURN(Stmt * log, Cached(kLogTriage));
    BindTriage(log, triage);
    return log->Run();
  });
}

Status SqliteStore::ScanAlertTriage(const std::function<bool(const AlertTriage&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kScanTriage));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(AlertTriage triage, ReadTriage(stmt));
    if (!fn(triage)) return Status::Ok();
  }
}

Status SqliteStore::ScanAlertTriageHistory(std::string_view key,
                                           const std::function<bool(const AlertTriage&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db(), key.empty() ? kTriageHistoryAll : kTriageHistoryOf));
  if (!key.empty()) stmt.BindText(1, key);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(AlertTriage triage, ReadTriage(stmt));
    if (!fn(triage)) return Status::Ok();
  }
}

Result<int64_t> SqliteStore::PutCanvas(const Canvas& canvas, int64_t expected_version) {
  if (canvas.name.empty()) return Status::InvalidArgument("a canvas needs a name");
  if (expected_version < 0) return Status::InvalidArgument("a canvas version is never negative");
  int64_t version = 0;
  const CaseRef of_case{canvas.compartment, canvas.case_id};
  Status status = InWriteTransaction([&]() -> Status {
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * exists, Cached(kCaseExists));
      StmtResetter reset(exists);
      exists->BindText(1, canvas.compartment);
      exists->BindText(2, canvas.case_id);
      VIGIL_ASSIGN_OR_RETURN(bool has_row, exists->Step());
      if (!has_row) return Status::InvalidArgument("unknown case '" + canvas.case_id + "'");
    }
    VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> stored,
                           CanvasVersion(*this, of_case, canvas.name));
    VIGIL_RETURN_IF_ERROR(CheckVersion(stored, expected_version, of_case, canvas.name));
    version = expected_version + 1;
    VIGIL_ASSIGN_OR_RETURN(Stmt * write, Cached(stored ? kUpdateCanvas : kInsertCanvas));
    write->BindText(1, canvas.case_id);
    write->BindText(2, canvas.name);
    write->BindInt(3, version);
    write->BindText(4, canvas.document);
    write->BindText(5, canvas.updated_by);
    write->BindInt(6, canvas.updated_at);
    write->BindText(7, canvas.compartment);
    VIGIL_RETURN_IF_ERROR(write->Run());
    VIGIL_ASSIGN_OR_RETURN(Stmt * clear, Cached(kDeleteCanvasPersons));
    BindCanvasKey(clear, of_case, canvas.name);
    VIGIL_RETURN_IF_ERROR(clear->Run());
    VIGIL_ASSIGN_OR_RETURN(Stmt * person, Cached(kInsertCanvasPerson));
    for (const std::string& person_id : canvas.persons) {
      BindCanvasKey(person, of_case, canvas.name);
      person->BindText(4, person_id);
      VIGIL_RETURN_IF_ERROR(person->Run());
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return version;
}

namespace {

Result<std::vector<Canvas>> ReadCanvases(SqliteStore& store, Stmt& stmt) {
  std::vector<Canvas> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    Canvas canvas;
    canvas.case_id = std::string(stmt.ColumnText(0));
    canvas.name = std::string(stmt.ColumnText(1));
    canvas.version = stmt.ColumnInt(2);
    canvas.document = std::string(stmt.ColumnText(3));
    canvas.created_by = std::string(stmt.ColumnText(4));
    canvas.created_at = stmt.ColumnInt(5);
    canvas.updated_by = std::string(stmt.ColumnText(6));
    canvas.updated_at = stmt.ColumnInt(7);
    canvas.compartment = std::string(stmt.ColumnText(8));
    out.push_back(std::move(canvas));
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt persons, Prepare(store.db(), kCanvasPersons));
  for (Canvas& canvas : out) {
    BindCanvasKey(&persons, CaseRef{canvas.compartment, canvas.case_id}, canvas.name);
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool has_row, persons.Step());
      if (!has_row) break;
      canvas.persons.emplace_back(persons.ColumnText(0));
    }
    persons.Reset();
  }
  return out;
}

}  // namespace

Result<Canvas> SqliteStore::GetCanvas(const CaseRef& of_case, std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt stmt, Prepare(db(), std::string(kCanvasColumns) +
                                   "WHERE compartment = ?1 AND case_id = ?2 AND name = ?3"));
  BindCanvasKey(&stmt, of_case, name);
  VIGIL_ASSIGN_OR_RETURN(std::vector<Canvas> found, ReadCanvases(*this, stmt));
  if (found.empty()) return Status::NotFound("no " + CanvasName(of_case, name));
  return std::move(found.front());
}

Status SqliteStore::ScanCanvases(const CaseRef& of_case,
                                 const std::function<bool(const Canvas&)>& fn) {
  const bool one_case = !of_case.case_id.empty();
  VIGIL_ASSIGN_OR_RETURN(
      Stmt stmt, Prepare(db(), std::string(kCanvasColumns) +
                                   (one_case ? "WHERE compartment = ?1 AND case_id = ?2 " : "") +
                                   "ORDER BY case_id, compartment, name"));
  if (one_case) {
    stmt.BindText(1, of_case.compartment);
    stmt.BindText(2, of_case.case_id);
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<Canvas> found, ReadCanvases(*this, stmt));
  for (const Canvas& canvas : found) {
    if (!fn(canvas)) break;
  }
  return Status::Ok();
}

Status SqliteStore::DeleteCanvas(const CaseRef& of_case, std::string_view name,
                                 int64_t expected_version) {
  return InWriteTransaction([&]() -> Status {
    VIGIL_ASSIGN_OR_RETURN(std::optional<int64_t> stored, CanvasVersion(*this, of_case, name));
    if (!stored) return Status::NotFound("no " + CanvasName(of_case, name));
    VIGIL_RETURN_IF_ERROR(CheckVersion(stored, expected_version, of_case, name));
    VIGIL_ASSIGN_OR_RETURN(Stmt * clear, Cached(kDeleteCanvasPersons));
    BindCanvasKey(clear, of_case, name);
    VIGIL_RETURN_IF_ERROR(clear->Run());
    VIGIL_ASSIGN_OR_RETURN(Stmt * remove, Cached(kDeleteCanvas));
    BindCanvasKey(remove, of_case, name);
    return remove->Run();
  });
}

}  // namespace vigil::sqlite
