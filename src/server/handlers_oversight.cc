// Decisions and oversight: link decisions, reviews and the audit log.
#include "server/handlers.h"
#include "vigil/oversight.h"
#include "vigil/resolve.h"

namespace vigil::server {
namespace {

// A link decision as the caller. The person is looked up through the access
// layer first, so that a missing person and one outside the caller's
// compartments give the same NotFound.
Result<Json> DecideLink(HandlerContext& ctx, const ApiRequest& request, bool confirm) {
  LinkDecision decision;
  decision.selector = request.String("selector");
  decision.person_id = request.String("person_id");
  decision.confirm = confirm;
  decision.decided_by = ctx.store.context().principal.user;
  decision.reason = request.String("reason");
  decision.decided_at = ctx.clock.Now();
  VIGIL_RETURN_IF_ERROR(ctx.store.GetPerson(decision.person_id).status());
  VIGIL_RETURN_IF_ERROR(RecordLinkDecision(ctx.store, decision));
  return Json{{"selector", decision.selector},
              {"person_id", decision.person_id},
              {"state", confirm ? "confirmed" : "rejected"},
              {"decided_by", decision.decided_by}};
}

}  // namespace

Result<Json> HandleLinkConfirm(HandlerContext& ctx, const ApiRequest& request) {
  return DecideLink(ctx, request, /*confirm=*/true);
}

Result<Json> HandleLinkReject(HandlerContext& ctx, const ApiRequest& request) {
  return DecideLink(ctx, request, /*confirm=*/false);
}

Result<Json> HandleReviews(HandlerContext& ctx, const ApiRequest& request) {
  UnixTime due_by = ctx.clock.Now();
  if (request.Has("due_by")) {
    VIGIL_ASSIGN_OR_RETURN(due_by, ParseDate(request.String("due_by")));
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<ReviewItem> due,
                         ctx.store.oversight().DueReviews(ctx.store.context(), due_by));
  Json out = Json::array();
  for (const ReviewItem& item : due) {
    out.push_back(Json{{"person_id", item.person_id},
                       {"review_by", item.review_by},
                       {"state", WatchStateName(item.state)},
                       {"legal_basis", item.legal_basis},
                       {"compartment", item.compartment}});
  }
  return Json{{"due", std::move(out)}};
}

Result<Json> HandleDecideReview(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(ReviewDecision decision, ParseReviewDecision(request.String("decision")));
  const std::string person_id = request.String("id");
  VIGIL_RETURN_IF_ERROR(ctx.store.oversight().DecideReview(
      ctx.store.context(), person_id, decision, request.String("reason"), request.String("until")));
  VIGIL_ASSIGN_OR_RETURN(WatchState state, ctx.store.oversight().WatchStateOf(person_id));
  return Json{{"person_id", person_id},
              {"decision", ReviewDecisionName(decision)},
              {"until", request.String("until")},
              {"state", WatchStateName(state)}};
}

Result<Json> HandleAuditQuery(HandlerContext& ctx, const ApiRequest& request) {
  AuditQuery query;
  query.user = request.String("user");
  query.subject = request.String("subject");
  query.limit = request.Int("limit", 1000);
  if (request.Has("from")) {
    VIGIL_ASSIGN_OR_RETURN(query.from, ParseTimeOrDate(request.String("from")));
  }
  if (request.Has("to")) {
    VIGIL_ASSIGN_OR_RETURN(query.to, ParseTimeOrDate(request.String("to")));
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<AuditRecord> records,
                         ctx.store.oversight().QueryAudit(ctx.store.context(), query));
  Json out = Json::array();
  for (const AuditRecord& r : records) {
    out.push_back(Json{{"seq", r.seq},
                       {"time", FormatTime(r.time)},
                       {"user", r.user},
                       {"action", r.action},
                       {"object", r.object},
                       {"outcome", r.refused ? "refused" : "allowed"},
                       {"purpose", r.purpose},
                       {"params", r.params},
                       {"subjects", r.subjects},
                       {"hash", r.hash}});
  }
  return Json{{"records", std::move(out)}};
}

Result<Json> HandleAuditVerify(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(AuditVerifyReport report,
                         ctx.store.oversight().VerifyAudit(ctx.store.context(), std::nullopt));
  return Json{{"intact", report.ok()},
              {"records", report.records},
              {"checkpoints", report.checkpoints},
              {"problems", report.problems}};
}

}  // namespace vigil::server
