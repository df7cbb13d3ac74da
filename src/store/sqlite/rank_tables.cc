// SQLite versions of the Store's windowed reads for ranking (see store.h):
// the alert window through the watch_alerts_time index, the travel window
// in one pass that builds only the rows inside it.
#include <string>

#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr char kTravelBetween[] =
    "SELECT t.record_id, t.time, t.name, t.birth_date, s.selector, t.nationality, t.origin, "
    "t.destination, t.carrier, t.attrs FROM travel t LEFT JOIN selectors s ON s.id = t.document "
    "WHERE t.time BETWEEN ?1 AND ?2";

// "... kind IN (?3, ?4, ...)" for `kinds` kinds (none: no row).
std::string AlertsBetweenSql(size_t kinds) {
  std::string sql =
      "SELECT key, time, person_id, kind, score, evidence, raised_at FROM watch_alerts "
      "WHERE time BETWEEN ?1 AND ?2 AND kind IN (";
  for (size_t index = 0; index < kinds; ++index) {
    if (index > 0) sql += ", ";
    sql += "?" + std::to_string(index + 3);
  }
  sql += kinds == 0 ? "NULL) ORDER BY time, key" : ") ORDER BY time, key";
  return sql;
}

}  // namespace

Status SqliteStore::ScanAlertsBetween(UnixTime from, UnixTime to,
                                      const std::vector<std::string>& kinds,
                                      const std::function<bool(const StoredAlert&)>& fn) {
  const std::string sql = AlertsBetweenSql(kinds.size());
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), sql.c_str()));
  stmt.BindInt(1, from);
  stmt.BindInt(2, to);
  for (size_t index = 0; index < kinds.size(); ++index) {
    stmt.BindText(static_cast<int>(index + 3), kinds[index]);
  }
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    if (!fn(ReadAlert(stmt))) return Status::Ok();
  }
}

Status SqliteStore::ScanTravelBetween(UnixTime from, UnixTime to,
                                      const std::function<bool(const TravelRecord&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kTravelBetween));
  stmt.BindInt(1, from);
  stmt.BindInt(2, to);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(TravelRecord travel, ReadTravel(stmt));
    if (!fn(travel)) return Status::Ok();
  }
}

}  // namespace vigil::sqlite
