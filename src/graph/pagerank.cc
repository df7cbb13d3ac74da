// PageRank by power iteration in pull form, split over threads by node range.
#include <cmath>
#include <numeric>

#include "graph/huge_pages.h"
#include "graph/parallel.h"
#include "vigil/graph.h"

namespace vigil {

PageRank::PageRank(const Graph& graph, PageRankOptions options)
    : graph_(graph), options_(options) {}

Status PageRank::run() {
  const size_t n = graph_.node_count();
  scores_.assign(n, n == 0 ? 0.0 : 1.0 / static_cast<double>(n));
  iterations_ = 0;
  if (n == 0) return Status::Ok();
  // strength[u]: total weight leaving u; share[u] = rank[u] / strength[u].
  // Read at random (a node's neighbours' shares): on huge pages, see
  // huge_pages.h.
  std::vector<double> strength, share, next;
  AssignOnHugePages(strength, n, 0.0);
  AssignOnHugePages(share, n, 0.0);
  AssignOnHugePages(next, n, 0.0);
  auto weight = [this](EdgeId e) {
    return options_.weighted ? static_cast<double>(graph_.EdgeContactCount(e)) : 1.0;
  };
  for (NodeId u = 0; u < n; ++u) {
    for (EdgeId e : graph_.IncidentEdges(u)) strength[u] += weight(e);
  }
  const double damping = options_.damping;
  const int threads = options_.threads;
  std::vector<double> partial(std::max(1, threads), 0.0);
  for (; iterations_ < options_.max_iterations; ++iterations_) {
    if (Cancelled(options_.control.cancel)) return Status::Cancelled("PageRank cancelled");
    double dangling = 0;
    for (NodeId u = 0; u < n; ++u) {
      if (strength[u] > 0) {
        share[u] = scores_[u] / strength[u];
      } else {
        dangling += scores_[u];
      }
    }
    const double base = (1.0 - damping + damping * dangling) / static_cast<double>(n);
    std::fill(partial.begin(), partial.end(), 0.0);
    ParallelFor(n, threads, [&](size_t worker, size_t begin, size_t end) {
      double change = 0;
      for (size_t v = begin; v < end; ++v) {
        double sum = 0;
        auto neighbours = graph_.Neighbours(static_cast<NodeId>(v));
        auto edges = graph_.IncidentEdges(static_cast<NodeId>(v));
        for (size_t i = 0; i < neighbours.size(); ++i)
          sum += share[neighbours[i]] * weight(edges[i]);
        next[v] = base + damping * sum;
        change += std::fabs(next[v] - scores_[v]);
      }
      partial[worker] = change;
    });
    scores_.swap(next);
    double change = std::accumulate(partial.begin(), partial.end(), 0.0);
    if (options_.control.progress != nullptr) options_.control.progress->Update(iterations_);
    if (change < options_.tolerance) {
      ++iterations_;
      break;
    }
  }
  double total = std::accumulate(scores_.begin(), scores_.end(), 0.0);
  for (double& score : scores_) score /= total;
  return Status::Ok();
}

}  // namespace vigil
