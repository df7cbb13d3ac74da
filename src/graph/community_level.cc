// Building the levels of the multilevel community search: the graph
// itself, and the graph of a partition's groups.
#include "graph/community_level.h"

#include <numeric>

#include "graph/edge_filter.h"
#include "graph/parallel.h"

namespace vigil {
namespace {

// Members of each group, grouped: members[start[g] .. start[g + 1]) in
// increasing node order (a counting sort, so deterministic). O(n).
void GroupMembers(const std::vector<uint32_t>& groups, uint32_t count, std::vector<uint32_t>& start,
                  std::vector<uint32_t>& members) {
  start.assign(count + 1ull, 0);
  for (uint32_t g : groups) ++start[g + 1ull];
  std::partial_sum(start.begin(), start.end(), start.begin());
  members.resize(groups.size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (uint32_t v = 0; v < groups.size(); ++v) members[next[groups[v]]++] = v;
}

}  // namespace

CommunityLevel CommunityLevel::OfGraph(const Graph& graph) {
  CommunityLevel level;
  level.graph_ = &graph;
  level.strength_.resize(graph.node_count());
  for (NodeId v = 0; v < graph.node_count(); ++v) {
    level.strength_[v] = static_cast<double>(graph.Degree(v));
  }
  level.total_ = 2.0 * static_cast<double>(graph.edge_count());
  return level;
}

CommunityLevel CommunityLevel::Weighted(const Graph& graph, bool weighted, const EdgeFilter& filter,
                                        const std::vector<double>& edge_weights) {
  CommunityLevel level;
  const size_t n = graph.node_count();
  const bool all = !filter.from && !filter.to && filter.min_contacts <= 1;
  // The weight of edge e in this level, 0 when it takes no part.
  auto weight_of = [&](EdgeId e) -> double {
    uint32_t contacts = all ? graph.EdgeContactCount(e) : AdmittedContacts(graph, e, filter);
    if (contacts == 0) return 0.0;
    if (!edge_weights.empty()) return edge_weights[e] > 0 ? edge_weights[e] : 0.0;
    return weighted ? static_cast<double>(contacts) : 1.0;
  };
  level.offsets_.assign(n + 1, 0);
  level.strength_.assign(n, 0.0);
  // Count first so the arrays are allocated once at their exact size.
  for (NodeId v = 0; v < n; ++v) {
    uint64_t kept = 0;
    for (EdgeId e : graph.IncidentEdges(v)) kept += weight_of(e) > 0 ? 1 : 0;
    level.offsets_[v + 1] = level.offsets_[v] + kept;
  }
  level.targets_.resize(level.offsets_[n]);
  level.weights_.resize(level.offsets_[n]);
  for (NodeId v = 0; v < n; ++v) {
    auto neighbours = graph.Neighbours(v);
    auto edges = graph.IncidentEdges(v);
    uint64_t at = level.offsets_[v];
    for (size_t i = 0; i < neighbours.size(); ++i) {
      const double weight = weight_of(edges[i]);
      if (weight <= 0) continue;
      level.targets_[at] = neighbours[i];
      level.weights_[at] = static_cast<float>(weight);
      level.strength_[v] += static_cast<float>(weight);
      ++at;
    }
  }
  level.total_ = std::accumulate(level.strength_.begin(), level.strength_.end(), 0.0);
  return level;
}

CommunityLevel CommunityLevel::Aggregate(const CommunityLevel& level,
                                         const std::vector<uint32_t>& groups, uint32_t count,
                                         int threads) {
  std::vector<uint32_t> start, members;
  GroupMembers(groups, count, start, members);
  CommunityLevel next;
  next.strength_.assign(count, 0.0);
  next.self_loops_.assign(count, 0.0);
  next.offsets_.assign(count + 1ull, 0);
  // Pass 1: strength, self-loop and number of distinct neighbouring groups
  // of each group (a stamp per group marks the neighbours already counted).
  ParallelFor(count, threads, [&](size_t, size_t begin, size_t end) {
    std::vector<uint32_t> stamp(count, UINT32_MAX);
    for (size_t g = begin; g < end; ++g) {
      double strength = 0, inside = 0;
      uint64_t distinct = 0;
      for (uint32_t i = start[g]; i < start[g + 1]; ++i) {
        const uint32_t v = members[i];
        strength += level.Strength(v);
        inside += level.SelfLoop(v);
        auto neighbours = level.Neighbours(v);
        const float* weights = level.Weights(v);
        for (size_t j = 0; j < neighbours.size(); ++j) {
          const uint32_t h = groups[neighbours[j]];
          if (h == g) {
            inside += weights != nullptr ? weights[j] : 1.0;
          } else if (stamp[h] != g) {
            stamp[h] = static_cast<uint32_t>(g);
            ++distinct;
          }
        }
      }
      next.strength_[g] = strength;
      next.self_loops_[g] = inside;
      next.offsets_[g + 1] = distinct;
    }
  });
  std::partial_sum(next.offsets_.begin(), next.offsets_.end(), next.offsets_.begin());
  next.targets_.resize(next.offsets_[count]);
  next.weights_.resize(next.offsets_[count]);
  // Pass 2: the summed weight to each neighbouring group, written in the
  // order the group's members first meet it.
  ParallelFor(count, threads, [&](size_t, size_t begin, size_t end) {
    std::vector<double> sum(count, 0.0);
    std::vector<uint32_t> met;
    for (size_t g = begin; g < end; ++g) {
      met.clear();
      for (uint32_t i = start[g]; i < start[g + 1]; ++i) {
        const uint32_t v = members[i];
        auto neighbours = level.Neighbours(v);
        const float* weights = level.Weights(v);
        for (size_t j = 0; j < neighbours.size(); ++j) {
          const uint32_t h = groups[neighbours[j]];
          if (h == g) continue;
          if (sum[h] == 0.0) met.push_back(h);
          sum[h] += weights != nullptr ? weights[j] : 1.0;
        }
      }
      uint64_t at = next.offsets_[g];
      for (uint32_t h : met) {
        next.targets_[at] = h;
        next.weights_[at] = static_cast<float>(sum[h]);
        sum[h] = 0.0;
        ++at;
      }
    }
  });
  next.total_ = level.total_;
  return next;
}

double CommunityLevel::Modularity(const std::vector<uint32_t>& community, double resolution) const {
  if (total_ == 0) return 0;
  const size_t n = size();
  std::vector<double> inside(n, 0.0), tot(n, 0.0);
  for (uint32_t v = 0; v < n; ++v) {
    const uint32_t c = community[v];
    tot[c] += Strength(v);
    inside[c] += SelfLoop(v);
    auto neighbours = Neighbours(v);
    const float* weights = Weights(v);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      if (community[neighbours[i]] == c) inside[c] += weights != nullptr ? weights[i] : 1.0;
    }
  }
  double q = 0;
  for (size_t c = 0; c < n; ++c) {
    q += inside[c] / total_ - resolution * (tot[c] / total_) * (tot[c] / total_);
  }
  return q;
}

size_t CommunityLevel::MemoryBytes() const {
  return offsets_.capacity() * sizeof(uint64_t) + targets_.capacity() * sizeof(uint32_t) +
         weights_.capacity() * sizeof(float) +
         (strength_.capacity() + self_loops_.capacity()) * sizeof(double);
}

}  // namespace vigil
