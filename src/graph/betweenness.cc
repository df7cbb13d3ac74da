// Betweenness: Brandes from every (or a sample of) source, sources handed out
// to worker threads one at a time, each worker summing into its own array.
#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>
#include <thread>

#include "graph/brandes.h"
#include "graph/huge_pages.h"
#include "graph/parallel.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

// Sums Brandes dependencies from every source in `sources` into one array.
Status AccumulateFromSources(const Graph& graph, std::span<const NodeId> sources,
                             const uint8_t* target_mask, int threads, const RunControl& control,
                             std::vector<double>& out) {
  const size_t n = graph.node_count();
  size_t workers = std::clamp<size_t>(sources.size(), 1, std::max(1, threads));
  std::vector<std::vector<double>> sums(workers);
  for (auto& sum : sums) AssignOnHugePages(sum, n, 0.0);  // added to in BFS order: at random
  std::atomic<size_t> next{0};
  std::atomic<bool> stopped{false};
  auto work = [&](size_t worker) {
    BrandesScratch scratch(n);
    for (size_t i = next++; i < sources.size(); i = next++) {
      if (Cancelled(control.cancel)) {
        stopped = true;
        return;
      }
      scratch.Run(graph, sources[i], target_mask, sums[worker]);
      if (worker == 0 && control.progress != nullptr) control.progress->Update(next.load());
    }
  };
  {
    std::vector<std::jthread> pool;
    for (size_t w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
  }
  if (stopped) return Status::Cancelled("betweenness cancelled");
  out.assign(n, 0.0);
  for (const auto& sum : sums) {
    for (size_t v = 0; v < n; ++v) out[v] += sum[v];
  }
  return Status::Ok();
}

}  // namespace

Status BetweennessSubset(const Graph& graph, std::span<const NodeId> sources,
                         const uint8_t* target_mask, int threads, const RunControl& control,
                         std::vector<double>& out) {
  return AccumulateFromSources(graph, sources, target_mask, threads, control, out);
}

Betweenness::Betweenness(const Graph& graph, BetweennessOptions options)
    : graph_(graph), options_(options) {}

Status Betweenness::run() {
  const size_t n = graph_.node_count();
  std::vector<NodeId> sources(n);
  std::iota(sources.begin(), sources.end(), NodeId{0});
  double scale = 0.5;  // undirected: each pair is reached from both ends
  if (options_.samples > 0 && options_.samples < n) {
    std::mt19937_64 random(options_.seed);
    for (size_t i = 0; i < options_.samples; ++i) {
      std::uniform_int_distribution<size_t> pick(i, n - 1);
      std::swap(sources[i], sources[pick(random)]);
    }
    sources.resize(options_.samples);
    scale *= static_cast<double>(n) / static_cast<double>(options_.samples);
  }
  if (options_.control.progress != nullptr) {
    options_.control.progress->Start("betweenness", static_cast<int64_t>(sources.size()),
                                     "sources");
  }
  VIGIL_RETURN_IF_ERROR(
      AccumulateFromSources(graph_, sources, nullptr, options_.threads, options_.control, scores_));
  if (options_.control.progress != nullptr) options_.control.progress->Finish();
  if (options_.normalized && n > 2) scale /= static_cast<double>((n - 1) * (n - 2)) / 2.0;
  for (double& score : scores_) score *= scale;
  return Status::Ok();
}

}  // namespace vigil
