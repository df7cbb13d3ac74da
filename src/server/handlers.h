// The route handlers, one per capability. Each takes the caller's
// AccessStore (authorising and auditing every call as the caller) and a
// validated request, and returns the response's JSON or a Status. An object
// that is missing or outside the caller's compartments is
// NotFound(NotVisibleMessage(kind, id)), never anything that tells the two
// apart. Costs are those of the library call each wraps (see its header).
#ifndef VIGIL_SERVER_HANDLERS_H_
#define VIGIL_SERVER_HANDLERS_H_

#include "server/routes.h"

namespace vigil::server {

// People (handlers_people.cc).
Result<Json> HandleStatus(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleSearchPersons(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleDossier(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleTimeline(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleAlerts(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleRank(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleScreen(HandlerContext& ctx, const ApiRequest& request);

// Network questions (handlers_network.cc).
Result<Json> HandleExpand(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandlePath(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleCommunities(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleCentrality(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleBrokers(HandlerContext& ctx, const ApiRequest& request);

// Decisions and oversight (handlers_oversight.cc).
Result<Json> HandleLinkConfirm(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleLinkReject(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleLinkProposals(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleScreeningMatches(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleDecideMatch(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleReviews(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleDecideReview(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleAuditQuery(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleAuditVerify(HandlerContext& ctx, const ApiRequest& request);

// `text` in ASCII lower case, for the case-insensitive searches of persons
// and watch-list entries. Cost: O(length).
std::string Folded(std::string_view text);

// A time or a date (midnight UTC) as the validation layer admitted it.
Result<UnixTime> ParseTimeOrDate(const std::string& text);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_HANDLERS_H_
