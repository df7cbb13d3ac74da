// Decisions and oversight: link decisions, reviews and the audit log.
#include <algorithm>
#include <map>

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

std::string OptionalTimeText(const std::optional<UnixTime>& t) { return t ? FormatTime(*t) : ""; }

}  // namespace

Result<Json> HandleLinkConfirm(HandlerContext& ctx, const ApiRequest& request) {
  return DecideLink(ctx, request, /*confirm=*/true);
}

Result<Json> HandleLinkReject(HandlerContext& ctx, const ApiRequest& request) {
  return DecideLink(ctx, request, /*confirm=*/false);
}

Result<Json> HandleLinkProposals(HandlerContext& ctx, const ApiRequest& request) {
  const std::string person_id = request.String("person_id");
  const auto limit = static_cast<size_t>(request.Int("limit", 200));
  std::vector<Attribution> proposed;
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanAttributions([&](const Attribution& a) {
    if (a.state != AttributionState::kProposed) return true;
    if (!person_id.empty() && a.person_id != person_id) return true;
    proposed.push_back(a);
    return true;
  }));
  // Strongest first: the analyst's time goes where the evidence is best.
  std::stable_sort(
      proposed.begin(), proposed.end(),
      [](const Attribution& a, const Attribution& b) { return a.confidence > b.confidence; });
  Json out = Json::array();
  for (const Attribution& a : proposed) {
    if (out.size() >= limit) break;
    // The person as the caller may see them (NotFound: not shown at all).
    auto person = ctx.store.GetPerson(a.person_id);
    if (!person.ok()) continue;
    Json record = nullptr;
    if (auto r = ctx.store.GetSelectorRecord(a.selector); r.ok()) {
      record = Json{{"first_seen", OptionalTimeText(r->first_seen)},
                    {"last_seen", OptionalTimeText(r->last_seen)},
                    {"source", r->source}};
    }
    // Other claimed owners, only those the caller may see.
    Json others = Json::array();
    if (auto owners = ctx.store.AttributionsOfSelector(a.selector); owners.ok()) {
      std::vector<std::string> ids;
      for (const Attribution& o : *owners) {
        if (o.person_id != a.person_id) ids.push_back(o.person_id);
      }
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      std::vector<std::string> shown;
      if (!ids.empty()) {
        VIGIL_ASSIGN_OR_RETURN(shown, ctx.store.Reveal(ids, "link proposals"));
      }
      for (const Attribution& o : *owners) {
        if (o.person_id == a.person_id) continue;
        if (!std::binary_search(shown.begin(), shown.end(), o.person_id)) continue;
        others.push_back(Json{{"person_id", o.person_id},
                              {"state", AttributionStateName(o.state)},
                              {"confidence", o.confidence}});
      }
    }
    out.push_back(Json{{"selector", a.selector},
                       {"person_id", a.person_id},
                       {"person_name", person->name},
                       {"confidence", a.confidence},
                       {"evidence", a.evidence},
                       {"selector_record", std::move(record)},
                       {"other_owners", std::move(others)}});
  }
  return Json{{"proposals", std::move(out)}, {"total", proposed.size()}};
}

namespace {

Json MatchDecisionJson(const MatchDecision& d) {
  return Json{{"decision", std::string(MatchDecisionName(d.decision))},
              {"reason", d.reason},
              {"decided_by", d.decided_by},
              {"decided_at", FormatTime(d.decided_at)}};
}

}  // namespace

Result<Json> HandleScreeningMatches(HandlerContext& ctx, const ApiRequest& request) {
  const auto limit = static_cast<size_t>(request.Int("limit", 500));
  // Every decision on a visible match, oldest first: the last is its state.
  std::map<std::string, Json> history;
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanMatchDecisions([&](const MatchDecision& d) {
    Json& decisions = history[MatchKey(d.source_kind, d.source_id, d.entry_id)];
    if (decisions.is_null()) decisions = Json::array();
    decisions.push_back(MatchDecisionJson(d));
    return true;
  }));
  Json out = Json::array();
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanWatchlistMatches([&](const StoredWatchlistMatch& m) {
    const std::string key = MatchKey(m.source_kind, m.source_id, m.entry_id);
    Json item = {{"key", key},
                 {"source_kind", m.source_kind == InputKind::kTravel ? "travel" : "report"},
                 {"source_id", m.source_id},
                 {"entry_id", m.entry_id},
                 {"score", m.score},
                 {"explanation", m.explanation},
                 {"seen_at", FormatTime(m.seen_at)},
                 {"screened_at", FormatTime(m.screened_at)},
                 {"retroactive", m.retroactive},
                 {"state", "open"}};
    if (auto found = history.find(key); found != history.end()) {
      item["state"] = found->second.back()["decision"];
      item["decisions"] = found->second;
    }
    out.push_back(std::move(item));
    return out.size() < limit;
  }));
  return Json{{"matches", std::move(out)}};
}

Result<Json> HandleDecideMatch(HandlerContext& ctx, const ApiRequest& request) {
  const std::string key = request.String("key");
  Result<MatchDecision> parsed = ParseMatchKey(key);
  // A malformed key names no match: the same answer as a hidden one.
  if (!parsed.ok()) return Status::NotFound(NotVisibleMessage("match", key));
  MatchDecision decision = std::move(*parsed);
  VIGIL_ASSIGN_OR_RETURN(decision.decision, ParseMatchDecision(request.String("decision")));
  decision.reason = request.String("reason");
  VIGIL_RETURN_IF_ERROR(ctx.store.PutMatchDecision(decision));
  Json out = {{"key", key}};
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanMatchDecisions([&](const MatchDecision& d) {
    if (d.source_kind == decision.source_kind && d.source_id == decision.source_id &&
        d.entry_id == decision.entry_id) {
      out.update(MatchDecisionJson(d));
    }
    return true;
  }));
  out["state"] = out["decision"];
  return out;
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
  query.newest_first = request.Bool("newest", false);
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
