// The analysis steps of `vigil demo`: each runs one module on the demo's
// store and prints a short, evidence-carrying summary, the same results the
// module's own command gives in full.
#include "cli/demo_analyses.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>

#include <fmt/format.h>

#include "vigil/access.h"
#include "vigil/graph.h"
#include "vigil/names.h"
#include "vigil/rank.h"
#include "vigil/resolve.h"
#include "vigil/watch.h"

namespace vigil::cli {
namespace {

constexpr size_t kShownRows = 8;

struct TravelHit {
  std::string record_id;
  std::string traveller;
  ScreeningMatch match;
};

Result<std::unique_ptr<ScreeningIndex>> IndexStoredWatchlist(Store& store) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> index, NewScreeningIndex());
  VIGIL_RETURN_IF_ERROR(store.ScanWatchlist([&](const WatchlistEntry& entry) {
    (void)index->Add(ScreeningEntryFromWatchlist(entry));  // unusable names are skipped
    return true;
  }));
  return index;
}

}  // namespace

Status ShowTravelScreening(Store& store, const std::string& db_path) {
  std::printf("\n-- Travel screened against the watch list (vigil screen --store --db %s)\n",
              db_path.c_str());
  VIGIL_ASSIGN_OR_RETURN(auto index, IndexStoredWatchlist(store));
  ScreeningOptions options;
  options.top_k = 1;
  options.threshold = kDefaultScreeningThreshold;
  std::vector<TravelHit> hits;
  size_t screened = 0;
  VIGIL_RETURN_IF_ERROR(store.ScanTravel([&](const TravelRecord& record) {
    ++screened;
    auto matches = index->Screen({record.name, record.birth_date, record.nationality}, options);
    if (matches.ok() && !matches->empty()) {
      hits.push_back({record.record_id, record.name, matches->front()});
    }
    return true;
  }));
  std::printf(
      "%zu travel records screened against %zu entries: %zu possible matches "
      "(score >= %.2f) for an analyst to review\n",
      screened, index->EntryCount(), hits.size(), kDefaultScreeningThreshold);
  std::sort(hits.begin(), hits.end(),
            [](const TravelHit& a, const TravelHit& b) { return a.match.score > b.match.score; });
  TableOutput table({"record", "traveller", "entry", "score", "explanation"}, OutputFormat::kTable,
                    stdout);
  for (size_t i = 0; i < hits.size() && i < kShownRows; ++i) {
    const TravelHit& hit = hits[i];
    table.AddRow({hit.record_id, hit.traveller, hit.match.entry_id,
                  fmt::format("{:.2f}", hit.match.score), hit.match.explanation});
  }
  return Status::Ok();
}

Status ShowNetwork(Store& store, const std::string& db_path) {
  std::printf("\n-- The network (vigil network communities|brokers --db %s)\n", db_path.c_str());
  VIGIL_ASSIGN_OR_RETURN(Graph graph, BuildGraphFromStore(store));
  Communities communities(graph, DefaultCommunityOptions(graph));
  VIGIL_RETURN_IF_ERROR(communities.run());
  std::printf(
      "%zu nodes (people and unattributed selectors), %zu ties; %zu communities, "
      "modularity %.3f\n",
      graph.node_count(), graph.edge_count(), communities.community_count(),
      communities.modularity());
  std::vector<NodeId> subjects;
  VIGIL_RETURN_IF_ERROR(store.ScanPersons([&](const Person& person) {
    if (person.status != PersonStatus::kSubject) return true;
    auto node = graph.Find(person.person_id);
    if (node.ok()) subjects.push_back(*node);
    return true;
  }));
  Brokers brokers(graph, subjects, communities.membership(), kShownRows);
  VIGIL_RETURN_IF_ERROR(brokers.run());
  std::printf(
      "Who bridges the %zu subjects (betweenness over subject-to-subject shortest paths):\n",
      subjects.size());
  TableOutput table({"node", "score", "communities_bridged"}, OutputFormat::kTable, stdout);
  for (const Broker& broker : brokers.brokers()) {
    table.AddRow({std::string(graph.Label(broker.node)), fmt::format("{:.4f}", broker.score),
                  std::to_string(broker.communities_bridged)});
  }
  return Status::Ok();
}

Status ShowResolution(Store& store, const std::string& db_path) {
  std::printf("\n-- Who owns which identifier (vigil resolve --db %s)\n", db_path.c_str());
  VIGIL_ASSIGN_OR_RETURN(ResolveReport report, ResolveIdentifiers(store, ResolveOptions{}));
  std::printf(
      "%lld selectors without a decided owner; %zu proposals (%lld stored as proposed "
      "attributions for an analyst to confirm or reject with vigil link)\n",
      static_cast<long long>(report.unattributed), report.proposals.size(),
      static_cast<long long>(report.stored));
  std::vector<const LinkProposal*> shown;
  for (const LinkProposal& proposal : report.proposals) shown.push_back(&proposal);
  std::sort(shown.begin(), shown.end(), [](const LinkProposal* a, const LinkProposal* b) {
    return a->confidence > b->confidence;
  });
  TableOutput table({"selector", "owner", "confidence", "evidence"}, OutputFormat::kTable, stdout);
  for (size_t i = 0; i < shown.size() && i < kShownRows; ++i) {
    table.AddRow({shown[i]->selector, shown[i]->owner, fmt::format("{:.2f}", shown[i]->confidence),
                  shown[i]->evidence});
  }
  return Status::Ok();
}

Status ShowAlerts(Store& store, const std::string& db_path) {
  std::printf("\n-- Alerts (vigil alerts --db %s)\n", db_path.c_str());
  WatchOptions options;
  options.now = static_cast<UnixTime>(std::time(nullptr));
  VIGIL_ASSIGN_OR_RETURN(AlertRun run, RaiseAlerts(store, options));
  std::map<std::string, int> by_kind;
  for (const StoredAlert& alert : run.raised) ++by_kind[alert.kind];
  std::string kinds;
  for (const auto& [kind, count] : by_kind) kinds += fmt::format(" {} {};", kind, count);
  std::printf("%zu alerts for analysts to review:%s %lld subjects watched\n", run.raised.size(),
              kinds.c_str(), static_cast<long long>(run.stats.subjects_watched));
  TableOutput table({"time", "person_id", "kind", "score", "evidence"}, OutputFormat::kTable,
                    stdout);
  std::vector<std::string> persons;  // revealed (and audited) before printing
  for (const StoredAlert& alert : run.raised) {
    if (alert.kind == "reactivation" && persons.size() < kShownRows) {
      persons.push_back(alert.person_id);
    }
  }
  VIGIL_RETURN_IF_ERROR(RevealPersons(store, persons, "alerts").status());
  size_t shown = 0;
  for (const StoredAlert& alert : run.raised) {
    if (alert.kind != "reactivation" || shown++ >= kShownRows) continue;
    table.AddRow({FormatTime(alert.time), alert.person_id, alert.kind,
                  fmt::format("{:.2f}", alert.score), alert.evidence});
  }
  return Status::Ok();
}

Status ShowRanking(Store& store, const std::string& db_path) {
  std::printf("\n-- Where to look first (vigil rank --db %s)\n", db_path.c_str());
  VIGIL_ASSIGN_OR_RETURN(std::vector<RankedPerson> ranking, RankPeople(store, RankOptions{}));
  std::vector<std::string> persons;  // revealed (and audited) before printing
  for (size_t i = 0; i < ranking.size() && i < kShownRows; ++i) {
    persons.push_back(ranking[i].person_id);
  }
  VIGIL_RETURN_IF_ERROR(RevealPersons(store, persons, "rank").status());
  TableOutput table({"rank", "person_id", "score", "factors (value x weight)"},
                    OutputFormat::kTable, stdout);
  for (size_t i = 0; i < ranking.size() && i < kShownRows; ++i) {
    table.AddRow({std::to_string(ranking[i].rank), ranking[i].person_id,
                  fmt::format("{:.2f}", ranking[i].score), FormatFactors(ranking[i])});
  }
  return Status::Ok();
}

}  // namespace vigil::cli
