// One level of the multilevel community search: a weighted undirected
// graph with self-loops, in compact CSR form. Internal to src/graph.
//
// Level 0 of an unweighted, unfiltered search borrows the Graph's own
// adjacency (every weight 1), so it costs only a strength per node; other
// levels own their arrays: 32-bit neighbour ids and float weights, 8 bytes
// per direction of each edge, plus 16 bytes per node (strength and
// self-loop as doubles, so that sums over millions of edges stay exact
// enough) and 8 bytes of offsets.
#ifndef VIGIL_GRAPH_COMMUNITY_LEVEL_H_
#define VIGIL_GRAPH_COMMUNITY_LEVEL_H_

#include <cstdint>
#include <span>
#include <vector>

#include "vigil/graph.h"

namespace vigil {

class CommunityLevel {
 public:
  // The graph with every tie weighing 1; borrows `graph`, which must
  // outlive the level. Cost O(n).
  static CommunityLevel OfGraph(const Graph& graph);

  // The ties the filter admits, weighted by edge_weights[e] when that is
  // not empty (ties of weight <= 0 left out), else by their contacts in the
  // window when `weighted`, else 1. Cost O(n + m) (O(m log c) with a time
  // window); memory 8 bytes per direction of each admitted tie.
  static CommunityLevel Weighted(const Graph& graph, bool weighted, const EdgeFilter& filter,
                                 const std::vector<double>& edge_weights);

  // The graph of `groups` (group of each node, ids 0..count-1, every id
  // used): one node per group, weights of the ties between two groups
  // summed, ties inside a group added to its self-loop. The ties of each
  // group are counted, then written straight into arrays of the exact
  // size (no growth, no per-node hash map). Split over `threads`, each
  // with a count-sized scratch (12 bytes per group). Deterministic. Cost
  // O(n + m).
  static CommunityLevel Aggregate(const CommunityLevel& level, const std::vector<uint32_t>& groups,
                                  uint32_t count, int threads);

  size_t size() const { return strength_.size(); }
  // Entries of the adjacency: both directions of every tie.
  uint64_t entry_count() const {
    return graph_ != nullptr ? 2 * static_cast<uint64_t>(graph_->edge_count()) : targets_.size();
  }
  // Sum of every node's strength: twice the total tie weight (2m).
  double total() const { return total_; }

  std::span<const uint32_t> Neighbours(uint32_t v) const {
    if (graph_ != nullptr) return graph_->Neighbours(v);
    return {targets_.data() + offsets_[v], targets_.data() + offsets_[v + 1]};
  }
  // Weights parallel to Neighbours(v); nullptr when every weight is 1.
  const float* Weights(uint32_t v) const {
    return graph_ != nullptr ? nullptr : weights_.data() + offsets_[v];
  }
  // k_v: the weights of v's ties plus its self-loop (which counts twice).
  double Strength(uint32_t v) const { return strength_[v]; }
  // Sum of A_vv: the weight inside the group v stands for, counted twice.
  double SelfLoop(uint32_t v) const { return self_loops_.empty() ? 0.0 : self_loops_[v]; }

  // Generalised modularity of `community` (one id < size() per node):
  // sum over communities of inside / 2m - resolution * (total / 2m)^2.
  // Cost O(n + m).
  double Modularity(const std::vector<uint32_t>& community, double resolution) const;

  // Bytes held by the level's own arrays.
  size_t MemoryBytes() const;

 private:
  const Graph* graph_ = nullptr;    // set: adjacency borrowed, weights 1
  std::vector<uint64_t> offsets_;   // size() + 1, when owned
  std::vector<uint32_t> targets_;   // both directions of each tie
  std::vector<float> weights_;      // parallel to targets_
  std::vector<double> strength_;    // size()
  std::vector<double> self_loops_;  // size(), or empty: none
  double total_ = 0;
};

}  // namespace vigil

#endif  // VIGIL_GRAPH_COMMUNITY_LEVEL_H_
