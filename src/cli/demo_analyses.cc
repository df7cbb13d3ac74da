// The analysis steps of `vigil demo`: each runs one module on the demo's
// store and prints a short, evidence-carrying summary, the same results the
// module's own command gives in full.
#include "cli/demo_analyses.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "vigil/graph.h"
#include "vigil/names.h"

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
  std::printf("\n-- Travel screened against the watch list (vigil screen --travel ... --db %s)\n",
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
  Communities communities(graph);
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

}  // namespace vigil::cli
