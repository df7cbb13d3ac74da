// The rights table and the one authorisation decision (access.h).
#include <algorithm>
#include <array>
#include <ctime>

#include "vigil/access.h"

namespace vigil {
namespace {

struct OperationSpec {
  Operation op;
  std::string_view name;
  bool compartmented;
  // May the role perform it: analyst, supervisor, auditor, admin.
  std::array<bool, kRoleCount> roles;
};

constexpr bool Y = true;
constexpr bool N = false;

// Separation of duties: analysts and supervisors handle personal data in
// their compartments; auditors read the audit log but no personal data;
// admins manage accounts and retention but read no personal data.
constexpr std::array<OperationSpec, kOperationCount> kOperations = {{
    //                                                            ana sup aud adm
    {Operation::kReadStatus, "read_status", N, {Y, Y, Y, Y}},
    {Operation::kReadPerson, "read_person", Y, {Y, Y, N, N}},
    {Operation::kReadSelector, "read_selector", Y, {Y, Y, N, N}},
    {Operation::kReadComms, "read_comms", Y, {Y, Y, N, N}},
    {Operation::kReadTravel, "read_travel", Y, {Y, Y, N, N}},
    {Operation::kReadCustody, "read_custody", Y, {Y, Y, N, N}},
    {Operation::kReadReports, "read_reports", Y, {Y, Y, N, N}},
    {Operation::kReadWatchlist, "read_watchlist", Y, {Y, Y, N, N}},
    {Operation::kRevealPersons, "reveal_persons", Y, {Y, Y, N, N}},
    {Operation::kIngest, "ingest", Y, {Y, Y, N, N}},
    {Operation::kDecideAttribution, "decide_attribution", Y, {Y, Y, N, N}},
    {Operation::kProposeWatchlistEntry, "propose_watchlist_entry", Y, {Y, Y, N, N}},
    {Operation::kApproveWatchlistEntry, "approve_watchlist_entry", Y, {N, Y, N, N}},
    {Operation::kConfigureWatchlist, "configure_watchlist", N, {N, Y, N, Y}},
    {Operation::kManageCases, "manage_cases", Y, {N, Y, N, N}},
    {Operation::kLinkCase, "link_case", Y, {Y, Y, N, N}},
    {Operation::kListReviews, "list_reviews", Y, {Y, Y, N, N}},
    {Operation::kDecideReview, "decide_review", Y, {N, Y, N, N}},
    {Operation::kConfigureRetention, "configure_retention", N, {N, N, N, Y}},
    {Operation::kApplyRetention, "apply_retention", N, {N, Y, N, Y}},
    {Operation::kQueryAudit, "query_audit", N, {N, N, Y, N}},
    {Operation::kVerifyAudit, "verify_audit", N, {N, N, Y, Y}},
    {Operation::kCheckpointAudit, "checkpoint_audit", N, {N, N, Y, Y}},
    {Operation::kManageUsers, "manage_users", N, {N, N, N, Y}},
    {Operation::kCheckIntegrity, "check_integrity", N, {N, N, Y, Y}},
    {Operation::kTriageAlert, "triage_alert", Y, {Y, Y, N, N}},
    {Operation::kProposeProtectionPlan, "propose_protection_plan", N, {Y, Y, N, N}},
    {Operation::kApproveProtectionPlan, "approve_protection_plan", N, {N, Y, N, N}},
    {Operation::kDecideMatch, "decide_match", Y, {Y, Y, N, N}},
    {Operation::kManagePartners, "manage_partners", N, {N, Y, N, Y}},
    {Operation::kExchangeShare, "exchange_share", N, {Y, Y, N, N}},
}};

constexpr bool TableIsInEnumOrder() {
  for (int i = 0; i < kOperationCount; ++i) {
    if (static_cast<int>(kOperations[i].op) != i) return false;
  }
  return true;
}
static_assert(TableIsInEnumOrder(), "kOperations must list every Operation in enum order");

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {"analyst", "supervisor", "auditor",
                                                                 "admin"};

const OperationSpec& SpecOf(Operation op) { return kOperations[static_cast<size_t>(op)]; }

class SystemClockImpl final : public Clock {
 public:
  UnixTime Now() const override { return static_cast<UnixTime>(std::time(nullptr)); }
};

}  // namespace

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

Result<Role> ParseRole(std::string_view text) {
  for (int i = 0; i < kRoleCount; ++i) {
    if (kRoleNames[i] == text) return static_cast<Role>(i);
  }
  return Status::InvalidArgument("unknown role '" + std::string(text) +
                                 "' (expected analyst, supervisor, auditor or admin)");
}

std::string_view OperationName(Operation op) {
  if (op >= Operation::kCount) return "unknown";
  return SpecOf(op).name;
}

bool IsCompartmented(Operation op) { return op < Operation::kCount && SpecOf(op).compartmented; }

bool RoleMay(Role role, Operation op) {
  return op < Operation::kCount && SpecOf(op).roles[static_cast<size_t>(role)];
}

bool Principal::InCompartment(std::string_view compartment) const {
  if (compartment.empty()) compartment = kDefaultCompartment;
  return std::any_of(compartments.begin(), compartments.end(), [&](const std::string& c) {
    return c == compartment || c == kAllCompartments;
  });
}

Decision Authorize(const Principal& principal, Operation op, std::string_view object_compartment) {
  if (op >= Operation::kCount) return Decision::kDenyRole;
  if (principal.setup) return Decision::kAllow;
  if (!RoleMay(principal.role, op)) return Decision::kDenyRole;
  if (IsCompartmented(op) && !principal.InCompartment(object_compartment)) {
    return Decision::kDenyCompartment;
  }
  return Decision::kAllow;
}

const Clock& SystemClock() {
  static const SystemClockImpl clock;
  return clock;
}

std::string NotVisibleMessage(std::string_view kind, std::string_view id) {
  return "no " + std::string(kind) + " '" + std::string(id) + "' in your compartments";
}

std::string IdTakenMessage(std::string_view kind, std::string_view id) {
  return std::string(kind) + " '" + std::string(id) + "' exists";
}

}  // namespace vigil
