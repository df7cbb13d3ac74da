// Brokers: betweenness restricted to seed-to-seed shortest paths, or, with
// no seeds, betweenness among nodes whose neighbours span communities.
#include <algorithm>
#include <set>

#include "graph/brandes.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

int CommunitiesAround(const Graph& graph, NodeId v, std::span<const uint32_t> membership) {
  if (membership.empty()) return 0;
  std::set<uint32_t> seen{membership[v]};
  for (NodeId w : graph.Neighbours(v)) seen.insert(membership[w]);
  return static_cast<int>(seen.size());
}

}  // namespace

Brokers::Brokers(const Graph& graph, std::vector<NodeId> seeds,
                 std::span<const uint32_t> membership, size_t limit, BetweennessOptions options)
    : graph_(graph),
      seeds_(std::move(seeds)),
      membership_(membership),
      limit_(limit),
      options_(options) {}

Status Brokers::run() {
  const size_t n = graph_.node_count();
  for (NodeId seed : seeds_) {
    if (seed >= n) return Status::InvalidArgument("seed out of range");
  }
  if (!membership_.empty() && membership_.size() != n) {
    return Status::InvalidArgument("membership does not match the graph");
  }
  std::vector<double> scores;
  if (seeds_.empty()) {
    Betweenness betweenness(graph_, options_);
    VIGIL_RETURN_IF_ERROR(betweenness.run());
    scores = betweenness.scores();
  } else {
    std::vector<uint8_t> is_seed(n, 0);
    for (NodeId seed : seeds_) is_seed[seed] = 1;
    VIGIL_RETURN_IF_ERROR(BetweennessSubset(graph_, seeds_, is_seed.data(), options_.threads,
                                            options_.control, scores));
    for (double& score : scores) score /= 2.0;  // each pair from both ends
    for (NodeId seed : seeds_) scores[seed] = 0;
  }
  brokers_.clear();
  for (NodeId v = 0; v < n; ++v) {
    if (scores[v] <= 0) continue;
    int bridged = CommunitiesAround(graph_, v, membership_);
    if (seeds_.empty() && !membership_.empty() && bridged < 2) continue;
    brokers_.push_back(Broker{v, scores[v], bridged});
  }
  std::sort(brokers_.begin(), brokers_.end(), [](const Broker& x, const Broker& y) {
    return x.score != y.score ? x.score > y.score : x.node < y.node;
  });
  if (limit_ > 0 && brokers_.size() > limit_) brokers_.resize(limit_);
  return Status::Ok();
}

}  // namespace vigil
