// Reviews: which subjects are due, and supervisors' decisions on them.
#include <array>

#include "access/oversight_impl.h"

namespace vigil {
namespace {

constexpr std::array<std::string_view, 3> kStateNames = {"active", "dormant", "ended"};
constexpr std::array<std::string_view, 3> kDecisionNames = {"end", "extend", "dormant"};

// The watch level a decision leaves (WatchRecord.state holds WatchLevel
// codes, equal to WatchState's): end closes, dormant is dormant, extend
// keeps the subject on active watch. The decision counts as a review.
WatchRecord DecidedLevel(std::string_view person_id, ReviewDecision decision,
                         std::string_view reason, std::string_view supervisor, UnixTime now) {
  const WatchState state = decision == ReviewDecision::kEnd       ? WatchState::kEnded
                           : decision == ReviewDecision::kDormant ? WatchState::kDormant
                                                                  : WatchState::kActive;
  WatchRecord record;
  record.person_id = std::string(person_id);
  record.state = static_cast<int>(state);
  record.reason =
      "review " + std::string(ReviewDecisionName(decision)) + ": " + std::string(reason);
  record.set_by = std::string(supervisor);
  record.set_at = now;
  record.last_review = now;
  return record;
}

}  // namespace

std::string_view WatchStateName(WatchState state) {
  return kStateNames[static_cast<size_t>(state)];
}

std::string_view ReviewDecisionName(ReviewDecision decision) {
  return kDecisionNames[static_cast<size_t>(decision)];
}

Result<ReviewDecision> ParseReviewDecision(std::string_view text) {
  for (size_t i = 0; i < kDecisionNames.size(); ++i) {
    if (kDecisionNames[i] == text) return static_cast<ReviewDecision>(i);
  }
  return Status::InvalidArgument("unknown decision '" + std::string(text) +
                                 "' (expected end, extend or dormant)");
}

// The level of a person without a watch record is the default of watch.h
// (DefaultWatchLevel): a subject is active, anyone else closed.
Result<WatchState> Oversight::WatchStateOf(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(
      std::string state,
      access::QueryOneText(impl_->db,
                           "SELECT coalesce(w.state, CASE WHEN p.status = 1 THEN 0 ELSE 2 END) "
                           "FROM persons p LEFT JOIN watch_subjects w ON w.person_id = "
                           "p.person_id WHERE p.person_id = ?1",
                           person_id));
  return static_cast<WatchState>(std::stoi(state));
}

Result<std::vector<ReviewItem>> Oversight::DueReviews(const RequestContext& context,
                                                      UnixTime due_by) {
  VIGIL_RETURN_IF_ERROR(RequireRole(context, Operation::kListReviews, "reviews:due"));
  VIGIL_ASSIGN_OR_RETURN(
      sqlite::Stmt stmt,
      sqlite::Prepare(impl_->db,
                      "SELECT p.person_id, coalesce(p.compartment, ''), coalesce(p.legal_basis, "
                      "''), coalesce(p.review_by, ''), coalesce(w.state, 0) FROM persons p "
                      "LEFT JOIN watch_subjects w ON w.person_id = p.person_id "
                      "WHERE p.status = 1 AND coalesce(w.state, 0) IN (0, 1) "
                      "AND (p.review_by IS NULL OR p.review_by <= ?1) "
                      "ORDER BY p.review_by, p.person_id"));
  stmt.BindText(1, FormatDate(due_by));
  std::vector<ReviewItem> out;
  std::vector<std::string> subjects;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    ReviewItem item;
    item.compartment = std::string(stmt.ColumnText(1));
    if (Authorize(context.principal, Operation::kListReviews, item.compartment) !=
        Decision::kAllow) {
      continue;
    }
    item.person_id = std::string(stmt.ColumnText(0));
    item.legal_basis = std::string(stmt.ColumnText(2));
    item.review_by = std::string(stmt.ColumnText(3));
    item.state = static_cast<WatchState>(stmt.ColumnInt(4));
    subjects.push_back(item.person_id);
    out.push_back(std::move(item));
  }
  VIGIL_RETURN_IF_ERROR(
      LogRead(MakeRecord(context, OperationName(Operation::kListReviews), "reviews:due",
                         std::move(subjects), false, {{"due_by", FormatDate(due_by)}})));
  return out;
}

Status Oversight::DecideReview(const RequestContext& context, std::string_view person_id,
                               ReviewDecision decision, std::string_view reason,
                               std::string_view new_review_by) {
  const std::string object = "person:" + std::string(person_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(context, Operation::kDecideReview, object));
  VIGIL_RETURN_IF_ERROR(RequirePerson(context, Operation::kDecideReview, person_id).status());
  if (reason.empty()) return Status::InvalidArgument("a review decision needs a reason");
  VIGIL_ASSIGN_OR_RETURN(
      std::string status,
      access::QueryOneText(impl_->db, "SELECT status FROM persons WHERE person_id = ?1",
                           person_id));
  if (status != "1") {
    return Status::InvalidArgument("person '" + std::string(person_id) + "' is not a subject");
  }
  const UnixTime now = clock_->Now();
  if (decision != ReviewDecision::kEnd) {
    Result<UnixTime> date = ParseDate(new_review_by);
    if (!date.ok()) {
      return Status::InvalidArgument("--until: " + date.status().message() +
                                     " (extend and dormant need the next review date)");
    }
    if (*date <= now) {
      return Status::InvalidArgument("--until " + std::string(new_review_by) +
                                     " is not after today");
    }
  }
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt insert,
        sqlite::Prepare(impl_->db,
                        "INSERT INTO review_decisions(person_id, decision, reason, "
                        "new_review_by, decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    insert.BindText(1, person_id);
    insert.BindText(2, ReviewDecisionName(decision));
    insert.BindText(3, reason);
    insert.BindTextOrNull(4, decision == ReviewDecision::kEnd ? "" : new_review_by);
    insert.BindText(5, context.principal.user);
    insert.BindInt(6, now);
    VIGIL_RETURN_IF_ERROR(insert.Run());
    VIGIL_RETURN_IF_ERROR(impl_->store->WriteWatchRecordInTransaction(
        DecidedLevel(person_id, decision, reason, context.principal.user, now)));
    if (decision != ReviewDecision::kEnd) {
      VIGIL_ASSIGN_OR_RETURN(
          sqlite::Stmt update,
          sqlite::Prepare(impl_->db, "UPDATE persons SET review_by = ?2 WHERE person_id = ?1"));
      update.BindText(1, person_id);
      update.BindText(2, new_review_by);
      VIGIL_RETURN_IF_ERROR(update.Run());
    }
    // The reason is free text: the log keeps only its hash.
    records.push_back(MakeRecord(context, OperationName(Operation::kDecideReview), object,
                                 {std::string(person_id)}, false,
                                 {{"decision", std::string(ReviewDecisionName(decision))},
                                  {"until", std::string(new_review_by)},
                                  {"reason", std::string(reason)}}));
    return Status::Ok();
  });
}

}  // namespace vigil
