// Look-ups about people: status counts, search, dossier, timeline, alerts,
// ranking and screening of posted names.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "server/handlers.h"
#include "vigil/lookup.h"
#include "vigil/names.h"
#include "vigil/rank.h"
#include "vigil/watch.h"

namespace vigil::server {
namespace {

// The least name score a search shows (below the screening default: a
// search ranks candidates for a person to judge, it raises no alert).
constexpr double kSearchThreshold = 0.70;

std::string OptionalTime(const std::optional<UnixTime>& t) { return t ? FormatTime(*t) : ""; }

Json PersonJson(const Person& p) {
  return Json{
      {"person_id", p.person_id},
      {"name", p.name},
      {"aliases", p.aliases},
      {"birth_date", p.birth_date},
      {"nationality", p.nationality},
      {"status", PersonStatusName(p.status)},
      {"compartment", p.compartment.empty() ? std::string(kDefaultCompartment) : p.compartment},
      {"legal_basis", p.legal_basis},
      {"review_by", p.review_by}};
}

// Keeps the items whose person the caller may be shown, logging them as
// revealed by `via` (access.h's reveal hook).
Result<std::vector<std::string>> Revealed(HandlerContext& ctx, std::vector<std::string> ids,
                                          std::string_view via) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ctx.store.Reveal(ids, via);
}

// The dossier, with the watch-list name index when the server keeps one
// (O(candidates) instead of a scan of the whole list per look-up).
Result<Dossier> LoadDossierOf(HandlerContext& ctx, const std::string& person_id) {
  if (ctx.watchlist == nullptr) return LoadDossier(ctx.store, person_id);
  auto index = ctx.watchlist->Get(ctx.store);
  if (!index.ok()) return LoadDossier(ctx.store, person_id);
  return LoadDossier(ctx.store, person_id, **index);
}

}  // namespace

std::string Folded(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<UnixTime> ParseTimeOrDate(const std::string& text) {
  auto date = ParseDate(text);
  if (date.ok()) return date;
  return ParseTime(text);
}

Result<Json> HandleStatus(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(StoreCounts c, ctx.store.Counts());
  return Json{{"persons", c.persons}, {"selectors", c.selectors}, {"attributions", c.attributions},
              {"comms", c.comms},     {"travel", c.travel},       {"custody", c.custody},
              {"reports", c.reports}, {"watchlist", c.watchlist}, {"files", c.files}};
}

Result<Json> HandleSearchPersons(HandlerContext& ctx, const ApiRequest& request) {
  const std::string query = request.String("q");
  const std::string needle = Folded(query);
  const auto limit = static_cast<size_t>(request.Int("limit", 50));
  // Exact text in the id, the name or an alias first.
  std::vector<Person> found;
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanPersons([&](const Person& p) {
    bool match = Folded(p.person_id) == needle || Folded(p.name).find(needle) != std::string::npos;
    for (const std::string& alias : p.aliases) {
      match = match || Folded(alias).find(needle) != std::string::npos;
    }
    if (match) found.push_back(p);
    return found.size() < limit;
  }));
  std::vector<std::string> ids;
  for (const Person& p : found) ids.push_back(p.person_id);
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown, Revealed(ctx, ids, "person search"));
  Json persons = Json::array();
  std::set<std::string> listed;
  for (const Person& p : found) {
    if (!std::binary_search(shown.begin(), shown.end(), p.person_id)) continue;
    listed.insert(p.person_id);
    persons.push_back(Json{{"person_id", p.person_id},
                           {"name", p.name},
                           {"status", PersonStatusName(p.status)},
                           {"compartment", p.compartment},
                           {"explanation", "the text appears in the id, the name or an alias"}});
  }
  // Then an identifier's owners ("msisdn:+33...", "imei:...", "handle:..."):
  // the persons of its source, confirmed or proposed attributions.
  struct Ranked {
    std::string person_id;
    double score;
    std::string matched_name;
    std::string explanation;
  };
  std::vector<Ranked> more;
  if (query.find(':') != std::string::npos) {
    auto owners = ctx.store.AttributionsOfSelector(query);
    if (owners.ok()) {
      for (const Attribution& a : *owners) {
        if (a.state == AttributionState::kRejected) continue;
        more.push_back({a.person_id, a.confidence, a.selector,
                        fmt::format("uses {} ({}, confidence {:.2f})", a.selector,
                                    AttributionStateName(a.state), a.confidence)});
      }
    }
  }
  // Then names in any spelling or script, by the screening scorer.
  if (ctx.persons != nullptr && more.empty()) {
    VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const ScreeningIndex> index,
                           ctx.persons->Get(ctx.store));
    ScreeningOptions options;
    // Room for hits the caller may not see, dropped below.
    options.top_k = limit * 2;
    options.threshold = kSearchThreshold;
    auto matches = index->Screen(ScreeningQuery{query, "", ""}, options);
    // A query that is no name (digits only, ...) has no name matches.
    if (matches.ok()) {
      for (const ScreeningMatch& m : *matches) {
        more.push_back({m.entry_id, m.score, m.matched_name, m.explanation});
      }
    }
  }
  std::vector<std::string> more_ids;
  for (const Ranked& r : more) more_ids.push_back(r.person_id);
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> visible,
                         Revealed(ctx, more_ids, "person search"));
  for (const Ranked& r : more) {
    if (persons.size() >= limit) break;
    if (listed.count(r.person_id) != 0) continue;
    if (!std::binary_search(visible.begin(), visible.end(), r.person_id)) continue;
    auto person = ctx.store.GetPerson(r.person_id);
    if (!person.ok()) continue;  // not visible after all: never shown
    listed.insert(r.person_id);
    persons.push_back(Json{{"person_id", person->person_id},
                           {"name", person->name},
                           {"status", PersonStatusName(person->status)},
                           {"compartment", person->compartment},
                           {"score", std::stod(fmt::format("{:.3f}", r.score))},
                           {"matched_name", r.matched_name},
                           {"explanation", r.explanation}});
  }
  return Json{{"persons", std::move(persons)}};
}

Result<Json> HandleDossier(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(Dossier d, LoadDossierOf(ctx, request.String("id")));
  Json selectors = Json::array();
  for (const DossierSelector& s : d.selectors) {
    const Attribution& a = s.attribution;
    selectors.push_back(Json{{"selector", a.selector},
                             {"state", AttributionStateName(a.state)},
                             {"confidence", a.confidence},
                             {"evidence", a.evidence},
                             {"decided_by", a.decided_by},
                             {"first_seen", s.record ? OptionalTime(s.record->first_seen) : ""},
                             {"last_seen", s.record ? OptionalTime(s.record->last_seen) : ""},
                             {"source", s.record ? s.record->source : ""}});
  }
  Json custody = Json::array();
  for (const CustodyRecord& c : d.custody) {
    custody.push_back(Json{{"facility", c.facility}, {"start", c.start}, {"end", c.end}});
  }
  Json reports = Json::array();
  for (const Report& r : d.reports) {
    reports.push_back(Json{{"report_id", r.report_id},
                           {"time", FormatTime(r.time)},
                           {"source", r.source},
                           {"category", ReportCategoryName(r.category)},
                           {"text", r.text}});
  }
  Json travel = Json::array();
  for (const TravelRecord& t : d.travel) {
    travel.push_back(Json{{"record_id", t.record_id},
                          {"time", FormatTime(t.time)},
                          {"name", t.name},
                          {"document", t.document},
                          {"origin", t.origin},
                          {"destination", t.destination}});
  }
  Json watchlist = Json::array();
  for (const WatchlistEntry& w : d.watchlist) {
    watchlist.push_back(Json{{"entry_id", w.entry_id},
                             {"list", w.list},
                             {"name", w.name},
                             {"handling", HandlingName(w.handling)},
                             {"reason", w.reason}});
  }
  // The watch level: the person's stored record, else the default of their
  // status. O(watch records).
  Json watch = Json{{"level", WatchLevelName(DefaultWatchLevel(d.person.status))},
                    {"stored", false},
                    {"reason", ""},
                    {"set_by", ""},
                    {"set_at", ""},
                    {"last_review", ""}};
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanWatchRecords([&](const WatchRecord& record) {
    if (record.person_id != d.person.person_id) return true;
    watch = Json{{"level", WatchLevelName(static_cast<WatchLevel>(record.state))},
                 {"stored", true},
                 {"reason", record.reason},
                 {"set_by", record.set_by},
                 {"set_at", FormatTime(record.set_at)},
                 {"last_review", OptionalTime(record.last_review)}};
    return false;
  }));
  return Json{{"person", PersonJson(d.person)},    {"watch", std::move(watch)},
              {"selectors", std::move(selectors)}, {"custody", std::move(custody)},
              {"reports", std::move(reports)},     {"travel", std::move(travel)},
              {"watchlist", std::move(watchlist)}};
}

Result<Json> HandleTimeline(HandlerContext& ctx, const ApiRequest& request) {
  TimelineWindow window;
  if (request.Has("from")) {
    VIGIL_ASSIGN_OR_RETURN(window.from, ParseTimeOrDate(request.String("from")));
  }
  if (request.Has("to")) {
    VIGIL_ASSIGN_OR_RETURN(window.to, ParseTimeOrDate(request.String("to")));
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<TimelineEvent> events,
                         LoadTimeline(ctx.store, request.String("id"), window));
  const auto limit = static_cast<size_t>(request.Int("limit", 1000));
  Json out = Json::array();
  for (const TimelineEvent& e : events) {
    if (out.size() >= limit) break;
    out.push_back(Json{{"time", FormatTime(e.time)},
                       {"event", e.kind},
                       {"selector", e.selector},
                       {"detail", e.detail}});
  }
  return Json{
      {"person_id", request.String("id")}, {"events", std::move(out)}, {"total", events.size()}};
}

Result<Json> HandleAlerts(HandlerContext& ctx, const ApiRequest& request) {
  std::optional<UnixTime> since;
  if (request.Has("since")) {
    VIGIL_ASSIGN_OR_RETURN(since, ParseTimeOrDate(request.String("since")));
  }
  const auto limit = static_cast<size_t>(request.Int("limit", 1000));
  const std::string kind = request.String("kind");
  const double min_score = request.Number("min_score", -1e300);
  const std::string assignee = request.String("assignee");
  std::optional<AlertState> state;
  if (request.Has("state")) {
    VIGIL_ASSIGN_OR_RETURN(state, ParseAlertState(request.String("state")));
  }
  // Triage states of the alerts the caller may see (an alert without one is
  // open).
  std::map<std::string, AlertTriage> triage;
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanAlertTriage([&](const AlertTriage& t) {
    triage.emplace(t.key, t);
    return true;
  }));
  Json alerts = Json::array();
  VIGIL_RETURN_IF_ERROR(
      ctx.store.ScanAlerts(request.String("person_id"), [&](const StoredAlert& alert) {
        if (since && alert.time < *since) return true;
        if (!kind.empty() && alert.kind != kind) return true;
        if (alert.score < min_score) return true;
        auto found = triage.find(alert.key);
        const AlertTriage* t = found == triage.end() ? nullptr : &found->second;
        const AlertState current = t == nullptr ? AlertState::kOpen : t->state;
        if (state && current != *state) return true;
        if (!assignee.empty() && (t == nullptr || t->assignee != assignee)) return true;
        Json item = {{"key", alert.key},
                     {"time", FormatTime(alert.time)},
                     {"person_id", alert.person_id},
                     {"kind", alert.kind},
                     {"score", alert.score},
                     {"evidence", alert.evidence},
                     {"raised_at", FormatTime(alert.raised_at)},
                     {"state", std::string(AlertStateName(current))}};
        if (t != nullptr) {
          item["decided_by"] = t->decided_by;
          item["decided_at"] = FormatTime(t->decided_at);
          if (!t->assignee.empty()) item["assignee"] = t->assignee;
          if (!t->case_id.empty()) item["case_id"] = t->case_id;
          if (!t->reason.empty()) item["reason"] = t->reason;
        }
        alerts.push_back(std::move(item));
        return alerts.size() < limit;
      }));
  return Json{{"alerts", std::move(alerts)}};
}

Result<Json> HandleRank(HandlerContext& ctx, const ApiRequest& request) {
  RankOptions options;
  options.attackers = request.Strings("attackers");
  VIGIL_ASSIGN_OR_RETURN(std::vector<RankedPerson> ranked, RankPeople(ctx.store, options));
  const auto capacity = static_cast<size_t>(request.Int("capacity", 50));
  if (ranked.size() > capacity) ranked.resize(capacity);
  std::vector<std::string> ids;
  for (const RankedPerson& p : ranked) ids.push_back(p.person_id);
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown, Revealed(ctx, ids, "rank"));
  Json out = Json::array();
  for (const RankedPerson& p : ranked) {
    if (!std::binary_search(shown.begin(), shown.end(), p.person_id)) continue;
    Json factors = Json::array();
    for (const RankFactor& f : p.factors) {
      Json factor{{"name", f.name}, {"value", f.value}, {"weight", f.weight}};
      if (!f.note.empty()) factor["note"] = f.note;
      factors.push_back(std::move(factor));
    }
    out.push_back(Json{{"person_id", p.person_id},
                       {"rank", p.rank},
                       {"score", p.score},
                       {"factors", std::move(factors)}});
  }
  return Json{{"ranking", std::move(out)}};
}

Result<Json> HandleScreen(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> index, NewScreeningIndex());
  size_t skipped = 0;
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanWatchlist([&](const WatchlistEntry& entry) {
    if (!index->Add(ScreeningEntryFromWatchlist(entry)).ok()) ++skipped;
    return true;
  }));
  ScreeningOptions options;
  options.top_k = static_cast<size_t>(request.Int("top", 5));
  options.threshold = request.Number("threshold", kDefaultScreeningThreshold);
  Json matches = Json::array();
  Json rejected = Json::array();
  for (const Json& row : request.Raw("names")) {
    ScreeningQuery query{row.value("name", ""), row.value("birth_date", ""),
                         row.value("nationality", "")};
    auto found = index->Screen(query, options);
    if (!found.ok()) {
      rejected.push_back(
          Json{{"query_id", row.value("query_id", "")}, {"reason", found.status().message()}});
      continue;
    }
    for (const ScreeningMatch& m : *found) {
      matches.push_back(Json{{"query_id", row.value("query_id", "")},
                             {"entry_id", m.entry_id},
                             {"score", std::stod(fmt::format("{:.3f}", m.score))},
                             {"matched_name", m.matched_name},
                             {"explanation", m.explanation}});
    }
  }
  return Json{{"matches", std::move(matches)},
              {"rejected", std::move(rejected)},
              {"entries_indexed", index->EntryCount()},
              {"entries_unusable", skipped}};
}

}  // namespace vigil::server
