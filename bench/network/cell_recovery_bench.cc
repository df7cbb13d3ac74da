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

// Resolution by a criterion that never reads the truth: the candidate whose
// partitions agree most across search seeds (mean pairwise NMI over all
// nodes of `runs` runs), printing each candidate's stability.
double StableResolution(const vigil::Graph& graph, const std::vector<double>& weights,
                        const std::vector<double>& candidates, int runs) {
  double best = candidates.front(), best_stability = -1;
  for (double r : candidates) {
    std::vector<std::vector<uint32_t>> parts;
    for (int run = 0; run < runs; ++run) {
      vigil::CommunityOptions options;
      options.edge_weights = weights;
      options.resolution = r;
      options.seed = 1 + static_cast<uint64_t>(run);
      vigil::Communities communities(graph, options);
      if (!communities.run().ok()) return best;
      parts.push_back(communities.membership());
    }
    double sum = 0;
    int pairs = 0;
    for (int a = 0; a < runs; ++a) {
      for (int b = a + 1; b < runs; ++b, ++pairs) {
        sum += vigil::NormalizedMutualInformation(parts[a], parts[b]);
      }
    }
    const double stability = pairs > 0 ? sum / pairs : 1;
    std::printf("  resolution %g: stability %.4f\n", r, stability);
    if (stability > best_stability) {
      best_stability = stability;
      best = r;
    }
  }
  return best;
}

void Evaluate(const vigil::Graph& graph, const std::vector<vigil::TruthCellMember>& truth) {
  for (double gain : {4.0, 16.0}) {
    vigil::TieWeightOptions tie;
    tie.synchrony_gain = gain;
    const std::vector<double> weights = vigil::TieWeights(graph, tie);
    std::printf("evidence+sync g%g, resolution by stability over 4 seeds:\n", gain);
    const double r = StableResolution(graph, weights, {1, 2, 3, 5, 8}, 4);
    vigil::CommunityOptions options;
    options.edge_weights = weights;
    options.resolution = r;
    vigil::Communities communities(graph, options);
    if (!communities.run().ok()) return;
    auto recovery = vigil::EvaluateCells(graph, communities.membership(), truth);
    if (!recovery.ok()) return;
    std::printf("  chosen r=%g: groups %zu NMI %.3f NMIstr %.3f recall %.3f prec %.3f\n", r,
                communities.community_count(), recovery->nmi, recovery->nmi_strict,
                recovery->mean_recall, recovery->mean_precision);
  }
  std::printf("\n%-34s %7s %8s %6s %6s %6s %6s %6s %s\n", "method", "s", "groups", "NMI", "NMIstr",
              "recall", "prec", "F1", "recovered");
  struct Setting {
    bool weighted;
    double resolution;
    int last_days;     // 0: the whole period
    int evidence = 0;  // 1: TieWeights without synchrony, 2: with synchrony
    double gain = 1;   // TieWeightOptions::synchrony_gain
  };
  for (Setting setting :
       {Setting{false, 1, 0},       Setting{true, 1, 0},       Setting{true, 5, 0},
        Setting{true, 20, 0},       Setting{true, 200, 0},     Setting{true, 1, 180},
        Setting{true, 5, 180},      Setting{true, 1, 90},      Setting{true, 5, 90},
        Setting{true, 20, 90},      Setting{true, 1, 0, 1},    Setting{true, 1, 0, 2},
        Setting{true, 2, 0, 2},     Setting{true, 5, 0, 2},    Setting{true, 1, 0, 2, 4},
        Setting{true, 2, 0, 2, 4},  Setting{true, 5, 0, 2, 4}, Setting{true, 1, 0, 2, 16},
        Setting{true, 2, 0, 2, 16}, Setting{true, 5, 0, 2, 16}}) {
    vigil::CommunityOptions options;
    options.weighted = setting.weighted;
    if (setting.evidence > 0) {
      vigil::TieWeightOptions tie;
      tie.synchrony = setting.evidence == 2;
      tie.synchrony_gain = setting.gain;
      options.edge_weights = vigil::TieWeights(graph, tie);
    }
    options.resolution = setting.resolution;
    if (setting.last_days > 0) {
      options.filter.from = graph.latest_contact() - setting.last_days * int64_t{86400};
    }
    auto start = Clock::now();
    vigil::Communities communities(graph, options);
    if (!communities.run().ok()) return;
    double seconds = Seconds(start);
    auto recovery = vigil::EvaluateCells(graph, communities.membership(), truth);
    if (!recovery.ok()) return;
    std::string name = std::string("communities ") + (setting.evidence == 2   ? "evidence+sync"
                                                      : setting.evidence == 1 ? "evidence"
                                                      : setting.weighted      ? "weighted"
                                                                              : "unweighted");
    if (setting.gain != 1) name += " g" + std::to_string(static_cast<int>(setting.gain));
    char resolution[32];
    std::snprintf(resolution, sizeof resolution, " r=%g", setting.resolution);
    name += resolution;
    if (setting.last_days > 0) name += " last " + std::to_string(setting.last_days) + " d";
    PrintRow(name.c_str(), seconds, communities.community_count(), *recovery);
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
