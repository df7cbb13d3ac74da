// Watch lists and four eyes, identifier resolution, network export, and
// the runs of the screening and alert engines, each as the caller.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "server/capability_handlers.h"
#include "server/handlers.h"
#include "vigil/oversight.h"
#include "vigil/resolve.h"
#include "vigil/screening.h"
#include "vigil/watch.h"

namespace vigil::server {
namespace {

Handling HandlingOf(const std::string& text) {
  for (Handling h : {Handling::kRed, Handling::kAmber, Handling::kGreen, Handling::kClear}) {
    if (HandlingName(h) == text) return h;
  }
  return Handling::kUnset;
}

Json EntryJson(const WatchlistEntry& e) {
  return Json{{"entry_id", e.entry_id},
              {"list", e.list},
              {"name", e.name},
              {"aliases", e.aliases},
              {"birth_date", e.birth_date},
              {"nationality", e.nationality},
              {"reason", e.reason},
              {"valid_until", e.valid_until},
              {"handling", HandlingName(e.handling)}};
}

// Once an entry is listed, earlier sightings are screened against it, as
// `vigil watchlist propose|approve` does. A caller who may not write
// screening results leaves it to the next `POST /v1/screening/run` by one who
// may; that is said in the reply, not an error (the entry is listed).
Json RescreenForNewEntries(HandlerContext& ctx) {
  Result<StoreScreeningReport> report = ScreenStore(ctx.store, StoreScreeningOptions{});
  if (!report.ok()) {
    return Json{{"done", false},
                {"reason", report.status().code() == Status::Code::kPermissionDenied
                               ? "not permitted to store screening results"
                               : "screening failed"}};
  }
  return Json{{"done", true},
              {"records_rescreened", report->records_rescreened},
              {"matches", report->matches},
              {"retroactive_matches", report->retroactive_matches}};
}

Json ScreeningReportJson(const StoreScreeningReport& report) {
  return Json{{"entries", report.entries},
              {"new_entries", report.new_entries},
              {"records_screened", report.records_screened},
              {"records_rescreened", report.records_rescreened},
              {"rejected", report.rejected},
              {"matches", report.matches},
              {"retroactive_matches", report.retroactive_matches}};
}

// The four-eyes refusal concerns an entry the caller proposed, and so may
// see: it is told as it is (400), not as a missing entry.
Status FourEyesAsBadRequest(Status status) {
  if (status.code() == Status::Code::kPermissionDenied &&
      status.message().rfind("four eyes", 0) == 0) {
    return Status::InvalidArgument(status.message());
  }
  return status;
}

}  // namespace

Result<Json> HandleListWatchlist(HandlerContext& ctx, const ApiRequest& request) {
  const std::string list = request.String("list");
  const std::string needle = Folded(request.String("q"));
  const auto limit = static_cast<size_t>(request.Int("limit", 1000));
  Json entries = Json::array();
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanWatchlist([&](const WatchlistEntry& e) {
    if (!list.empty() && e.list != list) return true;
    bool match = needle.empty() || Folded(e.entry_id) == needle ||
                 Folded(e.name).find(needle) != std::string::npos;
    for (const std::string& alias : e.aliases) {
      match = match || Folded(alias).find(needle) != std::string::npos;
    }
    if (match) entries.push_back(EntryJson(e));
    return entries.size() < limit;
  }));
  return Json{{"entries", std::move(entries)}};
}

Result<Json> HandleProposeEntry(HandlerContext& ctx, const ApiRequest& request) {
  WatchlistEntry entry;
  entry.entry_id = request.String("entry_id");
  entry.list = request.String("list");
  entry.name = request.String("name");
  entry.aliases = SplitBars(request.String("aliases"));
  entry.birth_date = request.String("birth_date");
  entry.nationality = request.String("nationality");
  entry.reason = request.String("reason");
  entry.valid_until = request.String("valid_until");
  entry.handling = HandlingOf(request.String("handling"));
  if (request.Has("compartment")) {
    entry.attributes.emplace_back("x_compartment", request.String("compartment"));
  }
  VIGIL_RETURN_IF_ERROR(CheckBirthDateAndCountry(entry.birth_date, entry.nationality));
  VIGIL_ASSIGN_OR_RETURN(bool listed,
                         ctx.store.oversight().ProposeEntry(ctx.store.context(), entry));
  Json out = {{"entry_id", entry.entry_id},
              {"list", entry.list},
              {"state", listed ? "listed" : "pending_approval"},
              {"proposed_by", ctx.store.context().principal.user}};
  if (listed) out["rescreen"] = RescreenForNewEntries(ctx);
  return out;
}

Result<Json> HandlePendingProposals(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<WatchlistProposal> proposals,
                         ctx.store.oversight().PendingProposals(ctx.store.context()));
  Json out = Json::array();
  for (const WatchlistProposal& p : proposals) {
    Json proposal = EntryJson(p.entry);
    proposal["proposed_by"] = p.proposed_by;
    proposal["proposed_at"] = FormatTime(p.proposed_at);
    proposal["content_hash"] = p.content_hash;
    out.push_back(std::move(proposal));
  }
  return Json{{"proposals", std::move(out)}};
}

Result<Json> HandleApproveEntry(HandlerContext& ctx, const ApiRequest& request) {
  const std::string entry_id = request.String("entry_id");
  VIGIL_RETURN_IF_ERROR(FourEyesAsBadRequest(ctx.store.oversight().ApproveEntry(
      ctx.store.context(), entry_id, request.String("content_hash"))));
  return Json{{"entry_id", entry_id},
              {"state", "listed"},
              {"approved_by", ctx.store.context().principal.user},
              {"rescreen", RescreenForNewEntries(ctx)}};
}

Result<Json> HandleRefuseEntry(HandlerContext& ctx, const ApiRequest& request) {
  const std::string entry_id = request.String("entry_id");
  VIGIL_RETURN_IF_ERROR(FourEyesAsBadRequest(
      ctx.store.oversight().RefuseEntry(ctx.store.context(), entry_id, request.String("reason"))));
  return Json{{"entry_id", entry_id},
              {"state", "refused"},
              {"refused_by", ctx.store.context().principal.user}};
}

Result<Json> HandleConfigureList(HandlerContext& ctx, const ApiRequest& request) {
  const std::string list = request.String("list");
  const std::string compartment = request.String("compartment");
  const bool shared = request.Bool("shared", false);
  VIGIL_RETURN_IF_ERROR(
      ctx.store.oversight().ConfigureList(ctx.store.context(), list, compartment, shared));
  return Json{{"list", list}, {"compartment", compartment}, {"shared", shared}};
}

Result<Json> HandleResolve(HandlerContext& ctx, const ApiRequest& request) {
  ResolveOptions options;
  options.min_confidence = request.Number("min_confidence", options.min_confidence);
  const bool dry_run = request.Bool("dry_run", false);
  options.store_proposals = !dry_run;
  options.save_state = !dry_run;
  VIGIL_ASSIGN_OR_RETURN(ResolveReport report, ResolveIdentifiers(ctx.store, options));
  // A proposal names its owner: persons pass the reveal hook (logged, and
  // withheld if the caller may not see them); cluster ids name nobody.
  std::vector<std::string> persons;
  for (const LinkProposal& p : report.proposals) {
    if (p.owner_is_person) persons.push_back(p.owner);
  }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown, ctx.store.Reveal(persons, "resolve"));
  const std::set<std::string> visible(shown.begin(), shown.end());
  const auto limit = static_cast<size_t>(request.Int("limit", 1000));
  Json proposals = Json::array();
  for (const LinkProposal& p : report.proposals) {
    if (proposals.size() >= limit) break;
    if (p.owner_is_person && visible.count(p.owner) == 0) continue;
    proposals.push_back(Json{{"selector", p.selector},
                             {"person_id", p.owner},
                             {"owner_is_person", p.owner_is_person},
                             {"confidence", std::stod(fmt::format("{:.3f}", p.confidence))},
                             {"evidence", p.evidence}});
  }
  return Json{{"proposals", std::move(proposals)},
              {"total", report.proposals.size()},
              {"stored", report.stored},
              {"dry_run", dry_run},
              {"selectors", report.selectors},
              {"unattributed", report.unattributed},
              {"comms", report.comms}};
}

Result<Json> HandleNetworkExport(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<uint32_t>> membership,
                         ctx.graphs.Membership(ctx.store, graph));
  // An export discloses everyone in it. The caller's graph holds only what
  // they may see; the reveal hook logs them (and would drop any other).
  std::vector<std::string> persons;
  for (NodeId v = 0; v < graph->node_count(); ++v) {
    if (!graph->IsSelector(v)) persons.emplace_back(graph->Label(v));
  }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         ctx.store.Reveal(persons, "network export"));
  if (shown.size() != persons.size()) {
    return Status::Internal("the caller's graph holds persons they may not see");
  }
  const std::string format = request.String("format", "graphml");
  auto write = [&](ExportFormat kind, const std::string& name,
                   const std::string& media_type) -> Result<Json> {
    std::ostringstream out;
    VIGIL_RETURN_IF_ERROR(ExportGraph(*graph, *membership, kind, out));
    return Json{{"name", name}, {"media_type", media_type}, {"content", out.str()}};
  };
  Json files = Json::array();
  if (format == "graphml") {
    VIGIL_ASSIGN_OR_RETURN(Json file,
                           write(ExportFormat::kGraphml, "network.graphml", "application/xml"));
    files.push_back(std::move(file));
  } else if (format == "gexf") {
    VIGIL_ASSIGN_OR_RETURN(Json file,
                           write(ExportFormat::kGexf, "network.gexf", "application/xml"));
    files.push_back(std::move(file));
  } else {
    VIGIL_ASSIGN_OR_RETURN(Json nodes,
                           write(ExportFormat::kCsvNodes, "network_nodes.csv", "text/csv"));
    VIGIL_ASSIGN_OR_RETURN(Json links,
                           write(ExportFormat::kCsvLinks, "network_links.csv", "text/csv"));
    files.push_back(std::move(nodes));
    files.push_back(std::move(links));
  }
  return Json{{"format", format},
              {"nodes", graph->node_count()},
              {"persons", shown.size()},
              {"files", std::move(files)}};
}

Result<Json> HandleRunScreening(HandlerContext& ctx, const ApiRequest& request) {
  StoreScreeningOptions options;
  options.threshold = request.Number("threshold", options.threshold);
  VIGIL_ASSIGN_OR_RETURN(StoreScreeningReport report, ScreenStore(ctx.store, options));
  return ScreeningReportJson(report);
}

Result<Json> HandleRunAlerts(HandlerContext& ctx, const ApiRequest&) {
  WatchOptions options;
  options.now = ctx.clock.Now();
  VIGIL_ASSIGN_OR_RETURN(AlertRun run, RaiseAlerts(ctx.store, options));
  // Read back through the access layer, so that the alerts are logged and
  // persons named in their evidence withheld as for any read; then reveal.
  std::map<std::string, StoredAlert> fresh;
  for (const StoredAlert& alert : run.raised) fresh.emplace(alert.key, StoredAlert{});
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanAlerts("", [&](const StoredAlert& alert) {
    auto found = fresh.find(alert.key);
    if (found != fresh.end()) found->second = alert;
    return true;
  }));
  std::vector<std::string> persons;
  for (const auto& [key, alert] : fresh) {
    if (!alert.person_id.empty()) persons.push_back(alert.person_id);
  }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown, ctx.store.Reveal(persons, "alerts"));
  const std::set<std::string> visible(shown.begin(), shown.end());
  Json alerts = Json::array();
  for (const StoredAlert& raised : run.raised) {
    const StoredAlert& alert = fresh[raised.key];
    if (alert.key != raised.key) continue;
    if (!alert.person_id.empty() && visible.count(alert.person_id) == 0) continue;
    alerts.push_back(Json{{"time", FormatTime(alert.time)},
                          {"person_id", alert.person_id},
                          {"kind", alert.kind},
                          {"score", alert.score},
                          {"evidence", alert.evidence}});
  }
  return Json{{"raised", std::move(alerts)},
              {"comms_read", run.stats.comms_read},
              {"subjects_watched", run.stats.subjects_watched},
              {"profiles_updated", run.stats.profiles_touched}};
}

}  // namespace vigil::server
