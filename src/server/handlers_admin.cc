// Accounts, retention and the audit log's checkpoints: what admins,
// supervisors and auditors do, each through the Oversight of the caller.
#include "server/capability_handlers.h"
#include "server/handlers.h"
#include "vigil/oversight.h"

namespace vigil::server {
namespace {

// "a,b" -> {"a", "b"}, spaces around items and empty items dropped.
std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    const size_t first = item.find_first_not_of(' ');
    const size_t last = item.find_last_not_of(' ');
    if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
    start = end + 1;
  }
  return out;
}

Json ErasuresJson(const std::vector<Erasure>& erasures, std::string_view action) {
  Json out = Json::array();
  for (const Erasure& e : erasures) {
    out.push_back(Json{{"person_id", e.person_id},
                       {"category", e.category},
                       {"clock_started", FormatDate(e.anchor)},
                       {"due", FormatDate(e.due)},
                       {"action", action},
                       {"quarantine_rows_removed", e.quarantine_rows},
                       // Exports Vigil wrote before that still name the
                       // person: Vigil does not rewrite them.
                       {"export_files_holding_person", e.files_holding_person}});
  }
  return out;
}

}  // namespace

Result<Json> HandleListUsers(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<UserInfo> users,
                         ctx.store.oversight().ListUsers(ctx.store.context()));
  Json out = Json::array();
  for (const UserInfo& u : users) {
    out.push_back(Json{{"name", u.name},
                       {"role", RoleName(u.role)},
                       {"compartments", u.compartments},
                       {"disabled", u.disabled}});
  }
  return Json{{"users", std::move(out)}};
}

Result<Json> HandleAddUser(HandlerContext& ctx, const ApiRequest& request) {
  const std::string name = request.String("name");
  VIGIL_ASSIGN_OR_RETURN(Role role, ParseRole(request.String("role", "analyst")));
  const std::vector<std::string> compartments = SplitCommas(request.String("compartments"));
  VIGIL_RETURN_IF_ERROR(ctx.store.oversight().AddUser(ctx.store.context(), name, role,
                                                      request.String("password"), compartments));
  // Compartments wait for a second admin (Oversight::Grant).
  return Json{{"name", name}, {"role", RoleName(role)}, {"pending", compartments}};
}

Result<Json> HandleSetPassword(HandlerContext& ctx, const ApiRequest& request) {
  const std::string name = request.String("name");
  VIGIL_RETURN_IF_ERROR(
      ctx.store.oversight().SetPassword(ctx.store.context(), name, request.String("password")));
  return Json{{"name", name}, {"password_changed", true}};
}

Result<Json> HandleGrant(HandlerContext& ctx, const ApiRequest& request) {
  const std::string name = request.String("name");
  const std::string compartment = request.String("compartment");
  VIGIL_ASSIGN_OR_RETURN(bool granted,
                         ctx.store.oversight().Grant(ctx.store.context(), name, compartment));
  if (granted) return Json{{"name", name}, {"granted", compartment}};
  return Json{{"name", name}, {"pending", compartment}};
}

Result<Json> HandlePendingGrants(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<PendingGrant> grants,
                         ctx.store.oversight().PendingGrants(ctx.store.context()));
  Json out = Json::array();
  for (const PendingGrant& g : grants) {
    out.push_back(Json{{"name", g.user},
                       {"compartment", g.compartment},
                       {"proposed_by", g.proposed_by},
                       {"proposed_at", FormatTime(g.proposed_at)}});
  }
  return Json{{"pending", std::move(out)}};
}

Result<Json> HandleApproveGrant(HandlerContext& ctx, const ApiRequest& request) {
  const std::string name = request.String("name");
  const std::string compartment = request.String("compartment");
  VIGIL_RETURN_IF_ERROR(ctx.store.oversight().ApproveGrant(ctx.store.context(), name, compartment));
  return Json{{"name", name}, {"granted", compartment}};
}

Result<Json> HandleRefuseGrant(HandlerContext& ctx, const ApiRequest& request) {
  const std::string name = request.String("name");
  const std::string compartment = request.String("compartment");
  VIGIL_RETURN_IF_ERROR(ctx.store.oversight().RefuseGrant(ctx.store.context(), name, compartment));
  return Json{{"name", name}, {"refused", compartment}};
}

Result<Json> HandleSetDisabled(HandlerContext& ctx, const ApiRequest& request) {
  const std::string name = request.String("name");
  const bool disabled = request.Bool("disabled", true);
  VIGIL_RETURN_IF_ERROR(ctx.store.oversight().SetDisabled(ctx.store.context(), name, disabled));
  return Json{{"name", name}, {"disabled", disabled}};
}

Result<Json> HandleRevoke(HandlerContext& ctx, const ApiRequest& request) {
  const std::string name = request.String("name");
  const std::string compartment = request.String("compartment");
  VIGIL_RETURN_IF_ERROR(ctx.store.oversight().Revoke(ctx.store.context(), name, compartment));
  return Json{{"name", name}, {"revoked", compartment}};
}

Result<Json> HandleSetRole(HandlerContext& ctx, const ApiRequest& request) {
  const std::string name = request.String("name");
  VIGIL_ASSIGN_OR_RETURN(Role role, ParseRole(request.String("role")));
  VIGIL_RETURN_IF_ERROR(ctx.store.oversight().SetRole(ctx.store.context(), name, role));
  return Json{{"name", name}, {"role", RoleName(role)}};
}

Result<Json> HandleRetentionLimits(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<RetentionLimit> limits,
                         ctx.store.oversight().RetentionLimits());
  Json out = Json::array();
  for (const RetentionLimit& l : limits)
    out.push_back(Json{{"category", l.category}, {"days", l.days}});
  return Json{{"limits", std::move(out)}};
}

Result<Json> HandleSetRetentionLimit(HandlerContext& ctx, const ApiRequest& request) {
  const std::string category = request.String("category");
  const int64_t days = request.Int("days", 0);
  VIGIL_RETURN_IF_ERROR(
      ctx.store.oversight().SetRetentionLimit(ctx.store.context(), category, days));
  return Json{{"category", category}, {"days", days}};
}

Result<Json> HandleRetentionDue(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<Erasure> due, ctx.store.oversight().ApplyRetention(
                                                       ctx.store.context(), /*dry_run=*/true));
  return Json{{"due", ErasuresJson(due, "due")}};
}

Result<Json> HandleApplyRetention(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<Erasure> erased, ctx.store.oversight().ApplyRetention(
                                                          ctx.store.context(), /*dry_run=*/false));
  // The erased persons may be cached in graphs built before; the store no
  // longer holds them, and every look-up goes through the store.
  return Json{{"erased", ErasuresJson(erased, "erased")}};
}

Result<Json> HandleChangeOwnPassword(HandlerContext& ctx, const ApiRequest& request) {
  const std::string user = ctx.store.context().principal.user;
  // The current password again: a token alone (stolen, or a screen left
  // open) does not take the account over. Authenticate audits the attempt.
  Result<Principal> verified =
      ctx.store.oversight().Authenticate(user, request.String("current_password"));
  if (!verified.ok()) {
    if (verified.status().code() != Status::Code::kPermissionDenied) return verified.status();
    return Status::InvalidArgument("current_password: authentication failed");
  }
  const std::string new_password = request.String("new_password");
  VIGIL_RETURN_IF_ERROR(ctx.store.oversight().SetPassword(ctx.store.context(), user, new_password));
  // The session that proved the current password continues with the new
  // one; every other session of the user ends at its next request.
  Result<Principal> renewed = ctx.store.oversight().Authenticate(user, new_password);
  if (renewed.ok() && ctx.renewed != nullptr) *ctx.renewed = std::move(renewed).value();
  return Json{{"name", user}, {"password_changed", true}};
}

Result<Json> HandleAuditVerifyCheckpoint(HandlerContext& ctx, const ApiRequest& request) {
  AuditCheckpoint external;
  external.seq = request.Int("seq", 0);
  external.hash = request.String("hash");
  external.signed_at = request.Int("signed_at", 0);
  external.public_key = request.String("public_key");
  external.signature = request.String("signature");
  external.mac_from = request.Int("mac_from", 0);
  VIGIL_ASSIGN_OR_RETURN(AuditVerifyReport report,
                         ctx.store.oversight().VerifyAudit(ctx.store.context(), external));
  return Json{{"intact", report.ok()},
              {"records", report.records},
              {"checkpoints", report.checkpoints},
              {"checkpoint_seq", external.seq},
              {"problems", report.problems}};
}

Result<Json> HandleAuditCheckpoint(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(AuditCheckpoint checkpoint,
                         ctx.store.oversight().Checkpoint(ctx.store.context()));
  // The fields are what POST /v1/audit/verify takes back; `file` is the
  // same checkpoint as `vigil audit checkpoint --out` writes it.
  return Json{{"seq", checkpoint.seq},
              {"hash", checkpoint.hash},
              {"signed_at", checkpoint.signed_at},
              {"public_key", checkpoint.public_key},
              {"signature", checkpoint.signature},
              {"mac_from", checkpoint.mac_from},
              {"file", FormatCheckpointFile(checkpoint)}};
}

}  // namespace vigil::server
