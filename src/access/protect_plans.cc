// AccessStore: protective-deployment plans, proposed by one person and
// approved by another, every call audited.
#include <string>
#include <vector>

#include "access/oversight_impl.h"
#include "vigil/access.h"

namespace vigil {

Status AccessStore::PutProtectPlan(const ProtectPlanRecord& plan) {
  const std::string object = "protect_plan:" + plan.id;
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kProposeProtectionPlan, object));
  ProtectPlanRecord stored = plan;
  stored.proposed_by = context_.principal.user;
  stored.proposed_at = oversight_->clock().Now();
  stored.approved_by.clear();
  stored.approved_at = 0;
  stored.approval_reason.clear();
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  std::vector<AuditRecord> records = {
      oversight_->MakeRecord(context_, OperationName(Operation::kProposeProtectionPlan), object, {},
                             false, {{"content_hash", stored.content_hash}})};
  oversight_->SetCommitAudit(&records);
  Status status = inner_->PutProtectPlan(stored);
  oversight_->SetCommitAudit(nullptr);
  return status;
}

Result<ProtectPlanRecord> AccessStore::GetProtectPlan(std::string_view id) {
  const std::string object = "protect_plan:" + std::string(id);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kProposeProtectionPlan, object));
  Result<ProtectPlanRecord> plan = inner_->GetProtectPlan(id);
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kProposeProtectionPlan, object, {}, false));
  return plan;
}

Status AccessStore::ApproveProtectPlan(std::string_view id, std::string_view approved_by,
                                       UnixTime /*approved_at*/, std::string_view reason) {
  const std::string object = "protect_plan:" + std::string(id);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kApproveProtectionPlan, object));
  // The approval is recorded under the signed-in user (in setup mode too:
  // a claimed name would let one person be both pairs of eyes).
  const std::string approver = context_.principal.user;
  if (!approved_by.empty() && approved_by != approver) {
    return Status::InvalidArgument("approved by '" + std::string(approved_by) +
                                   "': approvals are recorded under the signed-in user '" +
                                   approver + "'");
  }
  auto refuse = [&](const Status& why) -> Status {
    VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
    VIGIL_RETURN_IF_ERROR(oversight_->LogAction(
        oversight_->MakeRecord(context_, OperationName(Operation::kApproveProtectionPlan), object,
                               {}, /*refused=*/true, {{"rule", "four-eyes"}})));
    return why;
  };
  VIGIL_ASSIGN_OR_RETURN(ProtectPlanRecord plan, inner_->GetProtectPlan(id));
  if (plan.proposed_by == approver) {
    return refuse(Status::PermissionDenied("plan '" + plan.id + "' was proposed by " + approver +
                                           ": a second person must approve it (four eyes)"));
  }
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  std::vector<AuditRecord> records = {oversight_->MakeRecord(
      context_, OperationName(Operation::kApproveProtectionPlan), object, {}, false,
      {{"content_hash", plan.content_hash}, {"reason", std::string(reason)}})};
  oversight_->SetCommitAudit(&records);
  Status status = inner_->ApproveProtectPlan(id, approver, oversight_->clock().Now(), reason);
  oversight_->SetCommitAudit(nullptr);
  return status;
}

Status AccessStore::ScanProtectPlans(const std::function<bool(const ProtectPlanRecord&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kProposeProtectionPlan, "scan:protect_plans"));
  int64_t rows = 0;
  VIGIL_RETURN_IF_ERROR(inner_->ScanProtectPlans([&](const ProtectPlanRecord& plan) {
    ++rows;
    return fn(plan);
  }));
  return LogRead(Operation::kProposeProtectionPlan, "scan:protect_plans", {}, false,
                 {{"rows", std::to_string(rows)}});
}

}  // namespace vigil
