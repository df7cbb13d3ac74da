// SqliteStore: the long-term watch tables of schema version 3 (watch levels,
// raised alerts, alert-engine state) and the two reads the alert engine needs
// to work incrementally (comms after a storage position, attributions by
// selector id).
#include <algorithm>
#include <limits>
#include <string>

#include "store/sqlite/codec.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr char kUpsertWatch[] =
    "INSERT INTO watch_subjects(person_id, state, reason, set_by, set_at, last_review) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(person_id) DO UPDATE SET "
    "state = excluded.state, reason = excluded.reason, set_by = excluded.set_by, "
    "set_at = excluded.set_at, last_review = excluded.last_review";
// The retention clock (person_oversight, schema version 4) follows the
// level: ?3 is the new state, ?2 the time it was set.
constexpr char kUpsertWatchClock[] =
    "INSERT INTO person_oversight(person_id, stored_at, ended_at) "
    "VALUES (?1, ?2, CASE WHEN ?3 = 2 THEN ?2 END) ON CONFLICT(person_id) DO UPDATE SET "
    "ended_at = CASE WHEN ?3 <> 2 THEN NULL ELSE coalesce(person_oversight.ended_at, ?2) END";
constexpr char kScanWatch[] =
    "SELECT person_id, state, reason, set_by, set_at, last_review FROM watch_subjects";
constexpr char kInsertAlert[] =
    "INSERT OR IGNORE INTO watch_alerts(key, time, person_id, kind, score, evidence, raised_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr char kPutState[] =
    "INSERT INTO watch_state(key, value) VALUES (?1, ?2) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
constexpr char kGetState[] = "SELECT value FROM watch_state WHERE key = ?1";
constexpr char kAlertsAll[] =
    "SELECT key, time, person_id, kind, score, evidence, raised_at FROM watch_alerts "
    "ORDER BY time, key";
constexpr char kAlertsOfPerson[] =
    "SELECT key, time, person_id, kind, score, evidence, raised_at FROM watch_alerts "
    "WHERE person_id = ?1 ORDER BY time, key";
constexpr char kCommEdgesAfter[] =
    "SELECT rowid, time, src, dst, device, duration_s, kind, cell FROM comms WHERE rowid > ?1 "
    "ORDER BY rowid";
constexpr char kAttributionIds[] =
    "SELECT s.selector, a.person_id, a.confidence, a.evidence, a.state, a.decided_by, "
    "a.decided_at, a.selector_id FROM attributions a JOIN selectors s ON s.id = a.selector_id";
constexpr int64_t kMaxWatchState = 2;

}  // namespace

StoredAlert ReadAlert(const Stmt& stmt) {
  StoredAlert alert;
  alert.key = std::string(stmt.ColumnText(0));
  alert.time = stmt.ColumnInt(1);
  alert.person_id = std::string(stmt.ColumnText(2));
  alert.kind = std::string(stmt.ColumnText(3));
  alert.score = stmt.ColumnDouble(4);
  alert.evidence = std::string(stmt.ColumnText(5));
  alert.raised_at = stmt.ColumnInt(6);
  return alert;
}

Status SqliteStore::PutWatchRecord(const WatchRecord& record) {
  return InWriteTransaction([&]() { return WriteWatchRecordInTransaction(record); });
}

Status SqliteStore::WriteWatchRecordInTransaction(const WatchRecord& record) {
  if (record.state < 0 || record.state > kMaxWatchState) {
    return Status::InvalidArgument("watch state must be 0 (active), 1 (dormant) or 2 (closed)");
  }
  VIGIL_ASSIGN_OR_RETURN(bool exists, PersonExists(record.person_id));
  if (!exists) return Status::InvalidArgument("unknown person_id '" + record.person_id + "'");
  VIGIL_ASSIGN_OR_RETURN(Stmt * upsert, Cached(kUpsertWatch));
  upsert->BindText(1, record.person_id);
  upsert->BindInt(2, record.state);
  upsert->BindTextOrNull(3, record.reason);
  upsert->BindTextOrNull(4, record.set_by);
  upsert->BindInt(5, record.set_at);
  upsert->BindOptionalInt(6, record.last_review);
  VIGIL_RETURN_IF_ERROR(upsert->Run());
  VIGIL_ASSIGN_OR_RETURN(Stmt * clock, Cached(kUpsertWatchClock));
  clock->BindText(1, record.person_id);
  clock->BindInt(2, record.set_at);
  clock->BindInt(3, record.state);
  return clock->Run();
}

Status SqliteStore::ScanWatchRecords(const std::function<bool(const WatchRecord&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kScanWatch));
  WatchRecord record;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    VIGIL_RETURN_IF_ERROR(CheckEnumCode(stmt.ColumnInt(1), kMaxWatchState, "watch_subjects.state"));
    record.person_id = std::string(stmt.ColumnText(0));
    record.state = static_cast<int>(stmt.ColumnInt(1));
    record.reason = std::string(stmt.ColumnText(2));
    record.set_by = std::string(stmt.ColumnText(3));
    record.set_at = stmt.ColumnInt(4);
    record.last_review = stmt.ColumnOptionalInt(5);
    if (!fn(record)) return Status::Ok();
  }
}

Status SqliteStore::CommitWatchBatch(const WatchBatch& batch, std::vector<size_t>* fresh) {
  if (fresh != nullptr) fresh->clear();
  std::vector<size_t> added;
  Status status = InWriteTransaction([&]() -> Status {
    VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertAlert));
    for (size_t index = 0; index < batch.alerts.size(); ++index) {
      const StoredAlert& alert = batch.alerts[index];
      insert->BindText(1, alert.key);
      insert->BindInt(2, alert.time);
      insert->BindTextOrNull(3, alert.person_id);
      insert->BindText(4, alert.kind);
      insert->BindDouble(5, alert.score);
      insert->BindTextOrNull(6, alert.evidence);
      insert->BindInt(7, alert.raised_at);
      VIGIL_RETURN_IF_ERROR(insert->Run());
      if (sqlite3_changes(db()) > 0) added.push_back(index);
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt * put, Cached(kPutState));
    for (const auto& [key, value] : batch.state) {
      put->BindText(1, key);
      sqlite3_bind_blob64(put->get(), 2, value.data(), value.size(), SQLITE_TRANSIENT);
      VIGIL_RETURN_IF_ERROR(put->Run());
    }
    return Status::Ok();
  });
  if (status.ok() && fresh != nullptr) *fresh = std::move(added);
  return status;
}

Status SqliteStore::ScanAlerts(std::string_view person_id,
                               const std::function<bool(const StoredAlert&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db(), person_id.empty() ? kAlertsAll : kAlertsOfPerson));
  if (!person_id.empty()) stmt.BindText(1, person_id);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    if (!fn(ReadAlert(stmt))) return Status::Ok();
  }
}

Result<std::optional<std::string>> SqliteStore::GetWatchState(std::string_view key) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * get, Cached(kGetState));
  StmtResetter reset(get);
  get->BindText(1, key);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, get->Step());
  if (!has_row) return std::optional<std::string>();
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(get->get(), 0));
  const int size = sqlite3_column_bytes(get->get(), 0);
  return std::optional<std::string>(std::string(bytes == nullptr ? "" : std::string(bytes, size)));
}

Status SqliteStore::ScanCommEdgesAfter(
    int64_t after_row, const std::function<bool(int64_t row, const CommEdge&)>& fn) {
  constexpr int64_t kUnknownDuration = -1;
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kCommEdgesAfter));
  stmt.BindInt(1, after_row);
  CommEdge edge;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    edge.time = stmt.ColumnInt(1);
    edge.src = stmt.ColumnInt(2);
    edge.dst = stmt.ColumnInt(3);
    edge.device = stmt.ColumnOptionalInt(4).value_or(0);
    const int64_t duration = stmt.ColumnOptionalInt(5).value_or(kUnknownDuration);
    edge.duration_s =
        static_cast<int32_t>(std::min<int64_t>(duration, std::numeric_limits<int32_t>::max()));
    VIGIL_RETURN_IF_ERROR(CheckEnumCode(stmt.ColumnInt(6), kMaxCommKind, "comms.kind"));
    edge.kind = static_cast<CommKind>(stmt.ColumnInt(6));
    edge.cell = stmt.ColumnOptionalInt(7).value_or(0);
    if (!fn(stmt.ColumnInt(0), edge)) return Status::Ok();
  }
}

Status SqliteStore::ScanAttributionIds(
    const std::function<bool(int64_t selector_id, const Attribution&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kAttributionIds));
  Attribution attribution;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    VIGIL_RETURN_IF_ERROR(
        CheckEnumCode(stmt.ColumnInt(4), kMaxAttributionState, "attributions.state"));
    attribution.selector = std::string(stmt.ColumnText(0));
    attribution.person_id = std::string(stmt.ColumnText(1));
    attribution.confidence = stmt.ColumnDouble(2);
    attribution.evidence = std::string(stmt.ColumnText(3));
    attribution.state = static_cast<AttributionState>(stmt.ColumnInt(4));
    attribution.decided_by = std::string(stmt.ColumnText(5));
    attribution.decided_at = stmt.ColumnOptionalInt(6);
    if (!fn(stmt.ColumnInt(7), attribution)) return Status::Ok();
  }
}

}  // namespace vigil::sqlite
