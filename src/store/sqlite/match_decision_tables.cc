// SqliteStore: decisions on screening matches (schema migration
// kMatchDecisionsVersion in schema.cc): every decision in order, the last of
// a match being its state.
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr char kMatchExists[] =
    "SELECT 1 FROM watchlist_matches WHERE source_kind = ?1 AND source_id = ?2 AND "
    "entry_id = ?3";
constexpr char kLastDecision[] =
    "SELECT decision, decided_by, decided_at FROM match_decisions WHERE source_kind = ?1 AND "
    "source_id = ?2 AND entry_id = ?3 ORDER BY id DESC LIMIT 1";
constexpr char kInsertDecision[] =
    "INSERT INTO match_decisions(source_kind, source_id, entry_id, decision, reason, "
    "decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr char kScanDecisions[] =
    "SELECT source_kind, source_id, entry_id, decision, reason, decided_by, decided_at FROM "
    "match_decisions ORDER BY id";

void BindMatch(Stmt* stmt, const MatchDecision& d) {
  stmt->BindInt(1, static_cast<int64_t>(d.source_kind));
  stmt->BindText(2, d.source_id);
  stmt->BindText(3, d.entry_id);
}

}  // namespace

Status SqliteStore::PutMatchDecision(const MatchDecision& d) {
  if (d.source_kind != InputKind::kTravel && d.source_kind != InputKind::kReports) {
    return Status::InvalidArgument("a match's source is a travel record or a report");
  }
  if (d.reason.empty()) return Status::InvalidArgument("deciding a match needs a reason");
  const std::string key = MatchKey(d.source_kind, d.source_id, d.entry_id);
  return InWriteTransaction([&]() -> Status {
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * exists, Cached(kMatchExists));
      StmtResetter reset(exists);
      BindMatch(exists, d);
      VIGIL_ASSIGN_OR_RETURN(bool has_row, exists->Step());
      if (!has_row) return Status::NotFound("no match '" + key + "'");
    }
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * last, Cached(kLastDecision));
      StmtResetter reset(last);
      BindMatch(last, d);
      VIGIL_ASSIGN_OR_RETURN(bool has_row, last->Step());
      if (has_row && last->ColumnInt(0) == static_cast<int64_t>(d.decision)) {
        return Status::AlreadyExists("match '" + key + "' is already " +
                                     std::string(MatchDecisionName(d.decision)) + " (by " +
                                     std::string(last->ColumnText(1)) + ")");
      }
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertDecision));
    BindMatch(insert, d);
    insert->BindInt(4, static_cast<int64_t>(d.decision));
    insert->BindText(5, d.reason);
    insert->BindText(6, d.decided_by);
    insert->BindInt(7, d.decided_at);
    return insert->Run();
  });
}

Status SqliteStore::ScanMatchDecisions(const std::function<bool(const MatchDecision&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kScanDecisions));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    const int64_t kind = stmt.ColumnInt(0);
    const int64_t decision = stmt.ColumnInt(3);
    if ((kind != static_cast<int64_t>(InputKind::kTravel) &&
         kind != static_cast<int64_t>(InputKind::kReports)) ||
        decision < 0 || decision > 1) {
      return Status::Corruption("match_decisions: a row with source_kind " + std::to_string(kind) +
                                " and decision " + std::to_string(decision));
    }
    MatchDecision d;
    d.source_kind = static_cast<InputKind>(kind);
    d.source_id = std::string(stmt.ColumnText(1));
    d.entry_id = std::string(stmt.ColumnText(2));
    d.decision = static_cast<MatchDecisionKind>(decision);
    d.reason = std::string(stmt.ColumnText(4));
    d.decided_by = std::string(stmt.ColumnText(5));
    d.decided_at = stmt.ColumnInt(6);
    if (!fn(d)) return Status::Ok();
  }
}

}  // namespace vigil::sqlite
