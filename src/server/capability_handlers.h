// The handlers of the capabilities the CLI had and the server lacked (issue
// 5, "the server serves every capability that has landed"): subject
// creation, watch levels, changes and cases (handlers_cases.cc); watch
// lists with four eyes, identifier resolution, network export, screening and
// alert runs (handlers_watch.cc); users, retention and audit checkpoints
// (handlers_admin.cc).
//
// Each runs as the caller through their AccessStore and its Oversight, so
// authorisation and audit are those of the CLI's command: the same library
// call, the same decision (Authorize), the same audit record. An object that
// is missing or outside the caller's compartments is NotFound with
// NotVisibleMessage(kind, id), never anything that tells the two apart.
// Costs are those of the library call each wraps (see its header).
#ifndef VIGIL_SERVER_CAPABILITY_HANDLERS_H_
#define VIGIL_SERVER_CAPABILITY_HANDLERS_H_

#include "server/routes.h"

namespace vigil::server {

// People and cases (handlers_cases.cc).
Result<Json> HandleCreatePerson(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleSetWatchLevel(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleChanges(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleListCases(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleAddCase(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleLinkCase(HandlerContext& ctx, const ApiRequest& request);

// Watch lists, resolution, export, engine runs (handlers_watch.cc).
Result<Json> HandleListWatchlist(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleProposeEntry(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandlePendingProposals(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleApproveEntry(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleRefuseEntry(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleConfigureList(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleResolve(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleNetworkExport(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleRunScreening(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleRunAlerts(HandlerContext& ctx, const ApiRequest& request);

// Accounts, retention and the audit log (handlers_admin.cc).
Result<Json> HandleListUsers(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleAddUser(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleSetPassword(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleGrant(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandlePendingGrants(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleApproveGrant(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleRefuseGrant(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleSetDisabled(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleRevoke(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleSetRole(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleRetentionLimits(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleSetRetentionLimit(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleRetentionDue(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleApplyRetention(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleChangeOwnPassword(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleAuditVerifyCheckpoint(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleAuditCheckpoint(HandlerContext& ctx, const ApiRequest& request);

// "a|b|c" -> {"a", "b", "c"}, empty parts dropped: multi-valued text fields
// (aliases) are |-joined as in formats.md's CSV cells. Cost: O(bytes).
std::vector<std::string> SplitBars(const std::string& text);
// InvalidArgument naming the field unless `birth_date` is empty or a
// (possibly partial) date from 1900-01-01 to today (ValidateBirthDate) and
// `nationality` empty or ISO 3166-1 alpha-2.
Status CheckBirthDateAndCountry(const std::string& birth_date, const std::string& nationality);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_CAPABILITY_HANDLERS_H_
