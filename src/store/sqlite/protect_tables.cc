// SqliteStore: protective-deployment plans (schema migration
// kProtectPlansVersion in schema.cc), proposals until a second person
// approves them.
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr char kInsertPlan[] =
    "INSERT INTO protect_plans(id, content, content_hash, proposed_by, proposed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kSelectPlan[] =
    "SELECT id, content, content_hash, proposed_by, proposed_at, approved_by, approved_at, "
    "approval_reason FROM protect_plans WHERE id = ?1";
constexpr char kScanPlans[] =
    "SELECT id, content, content_hash, proposed_by, proposed_at, approved_by, approved_at, "
    "approval_reason FROM protect_plans ORDER BY rowid";
constexpr char kApprovePlan[] =
    "UPDATE protect_plans SET approved_by = ?2, approved_at = ?3, approval_reason = ?4 "
    "WHERE id = ?1 AND approved_by IS NULL";

ProtectPlanRecord ReadPlan(const Stmt& stmt) {
  ProtectPlanRecord plan;
  plan.id = std::string(stmt.ColumnText(0));
  plan.content = std::string(stmt.ColumnText(1));
  plan.content_hash = std::string(stmt.ColumnText(2));
  plan.proposed_by = std::string(stmt.ColumnText(3));
  plan.proposed_at = stmt.ColumnInt(4);
  if (!stmt.IsNull(5)) {
    plan.approved_by = std::string(stmt.ColumnText(5));
    plan.approved_at = stmt.ColumnInt(6);
    plan.approval_reason = std::string(stmt.ColumnText(7));
  }
  return plan;
}

}  // namespace

Status SqliteStore::PutProtectPlan(const ProtectPlanRecord& plan) {
  if (plan.id.empty() || plan.content.empty() || plan.proposed_by.empty()) {
    return Status::InvalidArgument("a plan needs an id, content and a proposer");
  }
  return InWriteTransaction([&]() -> Status {
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * select, Cached(kSelectPlan));
      StmtResetter reset(select);
      select->BindText(1, plan.id);
      VIGIL_ASSIGN_OR_RETURN(bool exists, select->Step());
      if (exists) return Status::AlreadyExists("plan '" + plan.id + "' exists");
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertPlan));
    insert->BindText(1, plan.id);
    insert->BindText(2, plan.content);
    insert->BindText(3, plan.content_hash);
    insert->BindText(4, plan.proposed_by);
    insert->BindInt(5, plan.proposed_at);
    return insert->Run();
  });
}

Result<ProtectPlanRecord> SqliteStore::GetProtectPlan(std::string_view id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kSelectPlan));
  stmt.BindText(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return Status::NotFound("no plan '" + std::string(id) + "'");
  return ReadPlan(stmt);
}

Status SqliteStore::ApproveProtectPlan(std::string_view id, std::string_view approved_by,
                                       UnixTime approved_at, std::string_view reason) {
  if (reason.empty()) return Status::InvalidArgument("approving a plan needs a reason");
  if (approved_by.empty()) return Status::InvalidArgument("an approval names its approver");
  return InWriteTransaction([&]() -> Status {
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * select, Cached(kSelectPlan));
      StmtResetter reset(select);
      select->BindText(1, id);
      VIGIL_ASSIGN_OR_RETURN(bool exists, select->Step());
      if (!exists) return Status::NotFound("no plan '" + std::string(id) + "'");
      const ProtectPlanRecord plan = ReadPlan(*select);
      if (!plan.approved_by.empty()) {
        return Status::AlreadyExists("plan '" + plan.id + "' was approved by " + plan.approved_by);
      }
      if (plan.proposed_by == approved_by) {
        return Status::PermissionDenied("plan '" + plan.id + "' was proposed by " +
                                        plan.proposed_by +
                                        ": a second person must approve it (four eyes)");
      }
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt * update, Cached(kApprovePlan));
    update->BindText(1, id);
    update->BindText(2, approved_by);
    update->BindInt(3, approved_at);
    update->BindText(4, reason);
    return update->Run();
  });
}

Status SqliteStore::ScanProtectPlans(const std::function<bool(const ProtectPlanRecord&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kScanPlans));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    if (!fn(ReadPlan(stmt))) return Status::Ok();
  }
}

}  // namespace vigil::sqlite
