// The watch-list phase: watchlist_match alerts from the screening matches
// the store keeps (Store::ScanWatchlistMatches, written by ScreenStore on
// ingest and when an entry is listed). The engine does not screen names
// itself; it brings the store's screening up to date when travel, reports
// or the watch list changed, then turns every match not alerted before into
// an alert with the match's score and explanation as evidence.
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "vigil/screening.h"
#include "watch/phases.h"

namespace vigil::watch {
namespace {

constexpr char kSeenMatchesKey[] = "seen:watchlist_matches";

// "watchlist_match:<record_id>:<entry_id>" for travel (the form evaluation
// reads), "watchlist_match:report:<report_id>:<entry_id>" for reports.
std::string MatchKey(const StoredWatchlistMatch& match) {
  if (match.source_kind == InputKind::kReports) {
    return fmt::format("watchlist_match:report:{}:{}", match.source_id, match.entry_id);
  }
  return fmt::format("watchlist_match:{}:{}", match.source_id, match.entry_id);
}

Result<std::unordered_set<std::string>> LoadSeen(Store& store) {
  return LoadSeenIds(store, kSeenMatchesKey);
}

// What the evidence says about the records and entries of the new matches:
// only those are kept. Cost: one pass over travel, reports and the list.
struct MatchContext {
  std::unordered_map<std::string, TravelRecord> travel;
  std::unordered_map<std::string, Report> reports;
  std::unordered_map<std::string, std::string> entry_names;  // entry_id -> "name (list)"
};

Result<MatchContext> LoadMatchContext(Store& store,
                                      const std::vector<StoredWatchlistMatch>& matches) {
  std::unordered_set<std::string> travel_ids, report_ids, entry_ids;
  for (const StoredWatchlistMatch& m : matches) {
    (m.source_kind == InputKind::kReports ? report_ids : travel_ids).insert(m.source_id);
    entry_ids.insert(m.entry_id);
  }
  MatchContext context;
  if (!travel_ids.empty()) {
    VIGIL_RETURN_IF_ERROR(store.ScanTravel([&](const TravelRecord& record) {
      if (travel_ids.count(record.record_id) > 0) context.travel.emplace(record.record_id, record);
      return true;
    }));
  }
  if (!report_ids.empty()) {
    VIGIL_RETURN_IF_ERROR(store.ScanReports([&](const Report& report) {
      if (report_ids.count(report.report_id) > 0) context.reports.emplace(report.report_id, report);
      return true;
    }));
  }
  VIGIL_RETURN_IF_ERROR(store.ScanWatchlist([&](const WatchlistEntry& entry) {
    if (entry_ids.count(entry.entry_id) > 0) {
      context.entry_names.emplace(entry.entry_id,
                                  fmt::format("'{}' (list {})", entry.name, entry.list));
    }
    return true;
  }));
  return context;
}

// The owner of each attributed selector (documents of travel records).
std::unordered_map<std::string, std::string> DocumentOwners(const Roster& roster) {
  std::unordered_map<std::string, std::string> owners;
  for (PersonIndex p = 0; p < static_cast<PersonIndex>(roster.person_count()); ++p) {
    for (const std::string& selector : roster.SelectorsOf(p))
      owners.emplace(selector, roster.id(p));
  }
  return owners;
}

StoredAlert MatchAlert(const StoredWatchlistMatch& match, const MatchContext& context,
                       const std::unordered_map<std::string, std::string>& owners) {
  StoredAlert alert;
  alert.key = MatchKey(match);
  alert.time = match.seen_at;
  alert.kind = "watchlist_match";
  alert.score = std::round(match.score * 1000) / 1000;
  auto entry = context.entry_names.find(match.entry_id);
  const std::string entry_text =
      match.entry_id + (entry == context.entry_names.end() ? "" : " " + entry->second);
  std::string record_text;
  if (match.source_kind == InputKind::kReports) {
    auto report = context.reports.find(match.source_id);
    if (report != context.reports.end()) {
      alert.person_id = report->second.person_id;
      record_text = fmt::format("report {} from {} naming '{}'", match.source_id,
                                report->second.source, report->second.name);
    } else {
      record_text = "report " + match.source_id;
    }
  } else {
    auto travel = context.travel.find(match.source_id);
    if (travel != context.travel.end()) {
      const TravelRecord& record = travel->second;
      auto owner = owners.find(record.document);
      if (owner != owners.end()) alert.person_id = owner->second;
      record_text =
          fmt::format("travel {} '{}' {}->{}{}", record.record_id, record.name, record.origin,
                      record.destination, record.document.empty() ? "" : " on " + record.document);
    } else {
      record_text = "travel " + match.source_id;
    }
  }
  alert.evidence = fmt::format("{} matches entry {} (score {:.2f}: {})", record_text, entry_text,
                               match.score, match.explanation);
  if (match.retroactive) {
    alert.evidence +=
        fmt::format("; entry listed after the record was screened: already seen on {}",
                    FormatTime(match.seen_at).substr(0, 10));
  }
  return alert;
}

}  // namespace

Status RunWatchlistPhase(PhaseContext& ctx, bool screening_inputs_changed) {
  if (screening_inputs_changed) {
    StoreScreeningOptions options;
    options.threshold = ctx.options.screening_threshold;
    VIGIL_RETURN_IF_ERROR(ScreenStore(ctx.store, options).status());
    ctx.stats->phases_run.push_back("screening");
  }
  VIGIL_ASSIGN_OR_RETURN(std::unordered_set<std::string> seen, LoadSeen(ctx.store));
  std::vector<StoredWatchlistMatch> fresh;
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanWatchlistMatches([&](const StoredWatchlistMatch& match) {
    if (match.score >= ctx.options.screening_threshold && seen.count(MatchKey(match)) == 0) {
      fresh.push_back(match);
    }
    return true;
  }));
  if (fresh.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(MatchContext context, LoadMatchContext(ctx.store, fresh));
  const std::unordered_map<std::string, std::string> owners = DocumentOwners(ctx.roster);
  std::string joined;
  for (const std::string& key : seen) joined += key + "\n";
  for (const StoredWatchlistMatch& match : fresh) {
    ctx.alerts->push_back(MatchAlert(match, context, owners));
    joined += MatchKey(match) + "\n";
  }
  ctx.batch->state.emplace_back(kSeenMatchesKey, std::move(joined));
  ctx.stats->phases_run.push_back("watchlist");
  return Status::Ok();
}

}  // namespace vigil::watch
