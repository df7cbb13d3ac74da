// cell_recovery_bench PEOPLE DAYS [SEED]: simulates a world (vigil's sim
// library, as `vigil simulate`), ingests it into a temporary SQLite store
// (as `vigil ingest`), builds the people graph from the store and scores
// cell recovery
// (EvaluateCells against truth/cells.csv) for community detection at
// several settings and for cells grown around one member of each cell.
// Run by hand; never asserts.
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unordered_map>

#include "vigil/graph.h"
#include "vigil/ingest.h"
#include "vigil/resolve.h"
#include "vigil/sim.h"
#include "vigil/store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void PrintRow(const char* method, double seconds, size_t groups,
              const vigil::CellRecovery& recovery) {
  std::printf("%-34s %7.2f %8zu %6.3f %6.3f %6.3f %6.3f %6.3f %4zu/%zu\n", method, seconds, groups,
              recovery.nmi, recovery.nmi_strict, recovery.mean_recall, recovery.mean_precision,
              recovery.mean_f1, recovery.recovered, recovery.cells.size());
}

// The graph a perfect identifier resolution would give: every selector of
// comms.csv lifted to its true owner from truth/selectors.csv (evaluation
// only; the engine never reads truth). Communications only.
vigil::Result<vigil::Graph> OracleGraph(const std::string& world) {
  std::unordered_map<std::string, std::string> owner;
  std::ifstream truth(world + "/truth/selectors.csv");
  std::string line;
  std::getline(truth, line);
  while (std::getline(truth, line)) {
    size_t comma = line.find(',');
    if (comma != std::string::npos) owner[line.substr(0, comma)] = line.substr(comma + 1);
  }
  std::unordered_map<std::string, vigil::NodeId> ids;
  std::vector<std::string> labels;
  auto node = [&](const std::string& selector) {
    auto it = owner.find(selector);
    const std::string& label = it == owner.end() ? selector : it->second;
    auto [slot, fresh] = ids.try_emplace(label, static_cast<vigil::NodeId>(labels.size()));
    if (fresh) labels.push_back(label);
    return slot->second;
  };
  std::vector<vigil::TimedContact> contacts;
  std::ifstream comms(world + "/comms.csv");
  std::getline(comms, line);
  while (std::getline(comms, line)) {
    size_t first = line.find(','), second = line.find(',', first + 1);
    size_t third = line.find(',', second + 1);
    if (third == std::string::npos) continue;
    VIGIL_ASSIGN_OR_RETURN(vigil::UnixTime time, vigil::ParseTime(line.substr(0, first)));
    contacts.push_back(vigil::TimedContact{node(line.substr(first + 1, second - first - 1)),
                                           node(line.substr(second + 1, third - second - 1)), time,
                                           vigil::kEdgeComm});
  }
  return vigil::BuildGraph(std::move(labels), std::move(contacts));
}

// Communities with `weights` (empty: contact counts) at resolution r.
std::vector<uint32_t> Partition(const vigil::Graph& graph, const std::vector<double>& weights,
                                double r, uint64_t seed = 1) {
  vigil::CommunityOptions options;
  options.weighted = true;
  options.edge_weights = weights;
  options.resolution = r;
  options.seed = seed;
  vigil::Communities communities(graph, options);
  if (!communities.run().ok()) return {};
  return communities.membership();
}

// Two criteria that never read the truth, each choosing one resolution
// among `candidates` from partitions of the whole graph:
// - stability: mean pairwise NMI of the partitions of 4 search seeds;
// - centrality: mean NMI of the partition with those at every other
//   candidate resolution (the partition most typical across scales).
// Prints every candidate's scores; returns {by stability, by centrality}.
std::pair<double, double> ChooseResolution(const vigil::Graph& graph,
                                           const std::vector<double>& weights,
                                           const std::vector<double>& candidates) {
  std::vector<std::vector<uint32_t>> at;
  for (double r : candidates) at.push_back(Partition(graph, weights, r));
  double by_stability = candidates.front(), best_stability = -1;
  double by_centrality = candidates.front(), best_centrality = -1;
  for (size_t i = 0; i < candidates.size(); ++i) {
    std::vector<std::vector<uint32_t>> runs = {at[i]};
    for (uint64_t seed = 2; seed <= 4; ++seed) {
      runs.push_back(Partition(graph, weights, candidates[i], seed));
    }
    double stability = 0, centrality = 0;
    int pairs = 0;
    for (size_t a = 0; a < runs.size(); ++a) {
      for (size_t b = a + 1; b < runs.size(); ++b, ++pairs) {
        stability += vigil::NormalizedMutualInformation(runs[a], runs[b]);
      }
    }
    stability /= pairs;
    for (size_t j = 0; j < candidates.size(); ++j) {
      if (j != i) centrality += vigil::NormalizedMutualInformation(at[i], at[j]);
    }
    centrality /= static_cast<double>(candidates.size() - 1);
    std::printf("  resolution %g: stability %.4f centrality %.4f\n", candidates[i], stability,
                centrality);
    if (stability > best_stability) best_stability = stability, by_stability = candidates[i];
    if (centrality > best_centrality) best_centrality = centrality, by_centrality = candidates[i];
  }
  return {by_stability, by_centrality};
}

void PrintRecovery(const std::string& name, const vigil::Graph& graph,
                   const std::vector<uint32_t>& membership,
                   const std::vector<vigil::TruthCellMember>& truth) {
  auto recovery = vigil::EvaluateCells(graph, membership, truth);
  if (!recovery.ok()) return;
  size_t groups = 0;
  for (uint32_t c : membership) groups = std::max<size_t>(groups, c + 1ull);
  PrintRow(name.c_str(), 0, groups, *recovery);
}

void Evaluate(const vigil::Graph& graph, const std::vector<vigil::TruthCellMember>& truth) {
  const std::vector<double> candidates = {0.5, 1, 2, 3, 5, 8};
  struct Weighting {
    const char* name;
    std::vector<double> weights;  // empty: contact counts
  };
  vigil::TieWeightOptions no_sync;
  no_sync.synchrony = false;
  std::vector<Weighting> weightings = {{"contacts", {}},
                                       {"evidence", vigil::TieWeights(graph, no_sync)},
                                       {"evidence+sync", vigil::TieWeights(graph)}};
  std::printf("\n%-34s %7s %8s %6s %6s %6s %6s %6s %s\n", "method", "s", "groups", "NMI", "NMIstr",
              "recall", "prec", "F1", "recovered");
  for (const Weighting& weighting : weightings) {
    for (double r : candidates) {
      char name[64];
      std::snprintf(name, sizeof name, "%s r=%g", weighting.name, r);
      PrintRecovery(name, graph, Partition(graph, weighting.weights, r), truth);
    }
  }
  for (const Weighting& weighting : weightings) {
    std::printf("%s, resolution chosen without the truth:\n", weighting.name);
    auto [by_stability, by_centrality] = ChooseResolution(graph, weighting.weights, candidates);
    char name[64];
    std::snprintf(name, sizeof name, "%s r=%g (stability)", weighting.name, by_stability);
    PrintRecovery(name, graph, Partition(graph, weighting.weights, by_stability), truth);
    std::snprintf(name, sizeof name, "%s r=%g (centrality)", weighting.name, by_centrality);
    PrintRecovery(name, graph, Partition(graph, weighting.weights, by_centrality), truth);
  }
  const std::vector<double> evidence = vigil::EvidenceStrengths(graph);
  for (bool by_evidence : {false, true}) {
    for (size_t seeds : {1, 2}) {
      for (size_t limit : {20, 100}) {
        vigil::ExpansionOptions options;
        options.hops = 2;
        options.limit = limit;
        if (by_evidence) options.tie_strengths = evidence;
        auto start = Clock::now();
        auto recall = vigil::EvaluateCellExpansion(graph, truth, options, seeds);
        if (!recall.ok()) return;
        std::printf(
            "expansion%s from %zu member(s), 2 hops, rank <= %zu: %zu/%zu mates (recall %.3f), "
            "%zu/%zu cells complete (%.2f s)\n",
            by_evidence ? " (evidence strengths)" : "", seeds, limit, recall->mates_found,
            recall->mates, recall->recall(), recall->complete, recall->cells, Seconds(start));
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: cell_recovery_bench PEOPLE DAYS [SEED]\n");
    return 2;
  }
  std::string dir = (std::filesystem::temp_directory_path() / "vigil-cells-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) return 1;
  auto fail = [&dir](const vigil::Status& status) {
    std::fprintf(stderr, "%s\n", status.message().c_str());
    std::filesystem::remove_all(dir);
    return 1;
  };
  vigil::SimulateOptions sim;
  sim.out_dir = dir + "/world";
  sim.people = std::stoll(argv[1]);
  sim.days = std::stoi(argv[2]);
  sim.seed = argc > 3 ? std::stoull(argv[3]) : 1;
  auto start = Clock::now();
  auto world = vigil::Simulate(sim);
  if (!world.ok()) return fail(world.status());
  std::printf("world: %lld people, %lld comms, %lld cells (%lld members), simulated in %.1f s\n",
              static_cast<long long>(world->persons), static_cast<long long>(world->comms),
              static_cast<long long>(world->cells), static_cast<long long>(world->cell_members),
              Seconds(start));
  start = Clock::now();
  auto store = vigil::OpenSqliteStore(dir + "/vigil.db");
  if (!store.ok()) return fail(store.status());
  vigil::Status ingested =
      vigil::IngestPaths(**store, {sim.out_dir}, vigil::IngestOptions{}, nullptr);
  if (!ingested.ok()) return fail(ingested);
  std::printf("ingested in %.1f s\n", Seconds(start));
  auto truth = vigil::ReadTruthCells(sim.out_dir + "/truth/cells.csv");
  if (!truth.ok()) return fail(truth.status());

  start = Clock::now();
  auto graph = vigil::BuildGraphFromStore(**store);
  if (!graph.ok()) return fail(graph.status());
  std::printf(
      "\n== graph from the store (attributions as ingested) ==\n"
      "graph: %zu nodes, %zu edges, %zu contacts, built in %.2f s\n",
      graph->node_count(), graph->edge_count(), graph->contact_count(), Seconds(start));
  // An update with nothing new reads attributions and selectors only (the
  // comms after the graph's high-water mark: none); a rebuild reads all.
  start = Clock::now();
  auto added = vigil::UpdateGraphFromStore(**store, *graph);
  if (!added.ok()) return fail(added.status());
  std::printf("update with no new rows: %zu contacts added in %.3f s (high-water row %lld)\n",
              *added, Seconds(start), static_cast<long long>(graph->store_comm_row()));
  Evaluate(*graph, *truth);

  // Identifier resolution (as `vigil resolve`) stores proposed owners; the
  // graph lifts those at or above 0.9 confidence to their person.
  start = Clock::now();
  auto resolved = vigil::ResolveIdentifiers(**store);
  if (!resolved.ok()) return fail(resolved.status());
  auto lifted = vigil::BuildGraphFromStore(**store);
  if (!lifted.ok()) return fail(lifted.status());
  std::printf(
      "\n== graph from the store after identifier resolution (vigil resolve) ==\n"
      "graph: %zu nodes, %zu edges, %zu contacts, resolved and built in %.2f s\n",
      lifted->node_count(), lifted->edge_count(), lifted->contact_count(), Seconds(start));
  Evaluate(*lifted, *truth);

  start = Clock::now();
  auto oracle = OracleGraph(sim.out_dir);
  if (!oracle.ok()) return fail(oracle.status());
  std::printf(
      "\n== every selector lifted to its true owner (perfect resolution) ==\n"
      "graph: %zu nodes, %zu edges, %zu contacts, built in %.2f s\n",
      oracle->node_count(), oracle->edge_count(), oracle->contact_count(), Seconds(start));
  Evaluate(*oracle, *truth);
  std::filesystem::remove_all(dir);
  return 0;
}
