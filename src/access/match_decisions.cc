// AccessStore: decisions on screening matches. A match may be decided by a
// user who has decide_match in the compartment of its watch-list entry and
// who may see the travel record or report it matched; a missing, hidden or forged
// match is the same NotFound, and every decision carries one audit record in
// its transaction (access.h).
#include <algorithm>
#include <set>

#include "access/record_visibility.h"
#include "vigil/access.h"
#include "vigil/oversight.h"

namespace vigil {

Result<bool> AccessStore::MatchVisible(InputKind source_kind, std::string_view source_id,
                                       std::string_view entry_id, Operation op) {
  Result<WatchlistEntry> entry = inner_->GetWatchlistEntry(entry_id);
  if (!entry.ok()) {
    if (entry.status().IsNotFound()) return false;
    return entry.status();
  }
  VIGIL_ASSIGN_OR_RETURN(std::string compartment, oversight_->EntryCompartment(*entry));
  if (Authorize(context_.principal, op, compartment) != Decision::kAllow) return false;
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  if (source_kind == InputKind::kTravel) {
    Result<TravelRecord> travel = inner_->GetTravel(source_id);
    if (!travel.ok()) {
      if (travel.status().IsNotFound()) return false;
      return travel.status();
    }
    return visibility->TravelVisible(*travel);
  }
  if (source_kind != InputKind::kReports) return false;
  Result<Report> report = inner_->GetReport(source_id);
  if (!report.ok()) {
    if (report.status().IsNotFound()) return false;
    return report.status();
  }
  return ReportVisible(*report);
}

Status AccessStore::PutMatchDecision(const MatchDecision& decision) {
  const std::string key = MatchKey(decision.source_kind, decision.source_id, decision.entry_id);
  const std::string object = "match:" + key;
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kDecideMatch, object));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  auto refuse = [&]() { return RefuseAsMissing(Operation::kDecideMatch, object, "match", key); };
  VIGIL_ASSIGN_OR_RETURN(bool visible, MatchVisible(decision.source_kind, decision.source_id,
                                                    decision.entry_id, Operation::kDecideMatch));
  if (!visible) return refuse();
  MatchDecision stored = decision;
  stored.decided_by = context_.principal.user;
  stored.decided_at = oversight_->clock().Now();
  StoredWatchlistMatch match;
  match.source_kind = decision.source_kind;
  match.source_id = decision.source_id;
  match.entry_id = decision.entry_id;
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> subjects, PersonsOfMatches({match}));
  std::vector<std::pair<std::string, std::string>> params = {
      {"decision", std::string(MatchDecisionName(stored.decision))},
      {"entry", stored.entry_id},
      {"reason", stored.reason}};
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  std::vector<AuditRecord> records = {
      oversight_->MakeRecord(context_, OperationName(Operation::kDecideMatch), object,
                             std::move(subjects), false, params)};
  oversight_->SetCommitAudit(&records);
  Status status = inner_->PutMatchDecision(stored);
  oversight_->SetCommitAudit(nullptr);
  // A key naming no stored match: the same answer as a hidden one.
  if (status.IsNotFound()) return refuse();
  return status;
}

Status AccessStore::ScanMatchDecisions(const std::function<bool(const MatchDecision&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadWatchlist, "scan:match_decisions"));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  std::vector<MatchDecision> decisions;
  VIGIL_RETURN_IF_ERROR(inner_->ScanMatchDecisions([&](const MatchDecision& d) {
    decisions.push_back(d);
    return true;
  }));
  // Each match's visibility once: O(decisions x log decisions) plus one
  // entry and one record look-up per decided match.
  std::set<std::string> shown;
  std::set<std::string> hidden;
  int64_t passed = 0;
  for (const MatchDecision& d : decisions) {
    const std::string key = MatchKey(d.source_kind, d.source_id, d.entry_id);
    if (hidden.count(key) != 0) continue;
    if (shown.count(key) == 0) {
      VIGIL_ASSIGN_OR_RETURN(bool visible, MatchVisible(d.source_kind, d.source_id, d.entry_id,
                                                        Operation::kReadWatchlist));
      if (!visible) {
        hidden.insert(key);
        continue;
      }
      shown.insert(key);
    }
    ++passed;
    if (!fn(d)) break;
  }
  return LogRead(Operation::kReadWatchlist, "scan:match_decisions", {}, false,
                 {{"rows", std::to_string(passed)}});
}

}  // namespace vigil
