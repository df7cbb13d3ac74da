// Communities: multilevel local moving of nodes between communities to
// raise modularity (Louvain), a refinement that splits each community into
// its connected parts before aggregation (so communities stay connected,
// as in Leiden), and restarts from the best partition found.
#include <algorithm>
#include <numeric>
#include <random>

#include "graph/edge_filter.h"
#include "graph/parallel.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

constexpr double kMinGain = 1e-12;
constexpr size_t kSmallGraph = 10000;
constexpr int kSmallGraphRounds = 32;
constexpr int kLargeGraphRounds = 2;

// A weighted graph with self-loops: one level of the multilevel search.
struct Level {
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> targets;
  std::vector<double> weights;
  std::vector<double> self_loops;  // sum of A_vv (an internal edge counts twice)
  std::vector<double> strength;    // k_v, self-loops included
  size_t size() const { return strength.size(); }
};

// The graph as level 0: ties the filter admits, weighted by edge_weights
// when given, else by their contacts in the window when `weighted`, else 1.
Level LevelFromGraph(const Graph& graph, bool weighted, const EdgeFilter& filter,
                     const std::vector<double>& edge_weights) {
  Level level;
  const size_t n = graph.node_count();
  const bool all = !filter.from && !filter.to && filter.min_contacts <= 1;
  level.offsets.assign(n + 1, 0);
  level.targets.reserve(2 * graph.edge_count());
  level.weights.reserve(2 * graph.edge_count());
  level.strength.assign(n, 0.0);
  for (NodeId v = 0; v < n; ++v) {
    auto neighbours = graph.Neighbours(v);
    auto edges = graph.IncidentEdges(v);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      uint32_t contacts =
          all ? graph.EdgeContactCount(edges[i]) : AdmittedContacts(graph, edges[i], filter);
      if (contacts == 0) continue;
      double weight = !edge_weights.empty() ? edge_weights[edges[i]]
                      : weighted            ? static_cast<double>(contacts)
                                            : 1.0;
      if (weight <= 0) continue;
      level.targets.push_back(neighbours[i]);
      level.weights.push_back(weight);
      level.strength[v] += weight;
    }
    level.offsets[v + 1] = level.targets.size();
  }
  level.self_loops.assign(n, 0.0);
  return level;
}

// Modularity of `community` (one per node of `level`) with 2m = total.
double LevelModularity(const Level& level, const std::vector<uint32_t>& community, double total,
                       double resolution) {
  if (total == 0) return 0;
  const size_t n = level.size();
  std::vector<double> inside(n, 0.0), tot(n, 0.0);
  for (size_t v = 0; v < n; ++v) {
    const uint32_t c = community[v];
    tot[c] += level.strength[v];
    inside[c] += level.self_loops[v];
    for (uint64_t i = level.offsets[v]; i < level.offsets[v + 1]; ++i) {
      if (community[level.targets[i]] == c) inside[c] += level.weights[i];
    }
  }
  double q = 0;
  for (size_t c = 0; c < n; ++c) {
    q += inside[c] / total - resolution * (tot[c] / total) * (tot[c] / total);
  }
  return q;
}

// Fast local moving (as in Leiden): every node starts in a queue in random
// order; a node moves to the neighbouring community with the best
// modularity gain, and a move queues the node's neighbours outside its new
// community that are not already queued. Ends when the queue is empty.
// Each move raises modularity, so it terminates; most nodes are visited a
// few times, not once per full pass.
void MoveNodes(const Level& level, double total, double resolution, std::mt19937_64& random,
               std::vector<uint32_t>& community) {
  const size_t n = level.size();
  if (n == 0) return;
  std::vector<double> tot(n, 0.0);
  for (size_t v = 0; v < n; ++v) tot[community[v]] += level.strength[v];
  std::vector<uint32_t> ring(n);  // a circular queue; at most n queued
  std::iota(ring.begin(), ring.end(), 0u);
  std::shuffle(ring.begin(), ring.end(), random);
  std::vector<uint8_t> queued(n, 1);
  size_t head = 0, queued_count = n;
  std::vector<double> link(n, 0.0);
  std::vector<uint32_t> touched;
  while (queued_count > 0) {
    const uint32_t v = ring[head];
    head = head + 1 == n ? 0 : head + 1;
    --queued_count;
    queued[v] = 0;
    const uint32_t own = community[v];
    touched.clear();
    touched.push_back(own);
    for (uint64_t i = level.offsets[v]; i < level.offsets[v + 1]; ++i) {
      uint32_t c = community[level.targets[i]];
      if (link[c] == 0.0 && c != own) touched.push_back(c);
      link[c] += level.weights[i];
    }
    const double k = level.strength[v];
    tot[own] -= k;
    uint32_t best = own;
    double best_gain = link[own] - resolution * tot[own] * k / total;
    for (uint32_t c : touched) {
      double gain = link[c] - resolution * tot[c] * k / total;
      if (gain > best_gain + kMinGain) {
        best_gain = gain;
        best = c;
      }
    }
    tot[best] += k;
    for (uint32_t c : touched) link[c] = 0.0;
    if (best == own) continue;
    community[v] = best;
    for (uint64_t i = level.offsets[v]; i < level.offsets[v + 1]; ++i) {
      const uint32_t w = level.targets[i];
      if (queued[w] != 0 || community[w] == best) continue;
      queued[w] = 1;
      ring[(head + queued_count) % n] = w;
      ++queued_count;
    }
  }
}

// Splits every community into its connected parts and renumbers them
// 0..count-1. Returns count.
uint32_t SplitDisconnected(const Level& level, std::vector<uint32_t>& community) {
  const size_t n = level.size();
  constexpr uint32_t kUnassigned = UINT32_MAX;
  std::vector<uint32_t> part(n, kUnassigned);
  std::vector<uint32_t> queue;
  uint32_t count = 0;
  for (uint32_t start = 0; start < n; ++start) {
    if (part[start] != kUnassigned) continue;
    part[start] = count;
    queue.assign(1, start);
    for (size_t head = 0; head < queue.size(); ++head) {
      uint32_t v = queue[head];
      for (uint64_t i = level.offsets[v]; i < level.offsets[v + 1]; ++i) {
        uint32_t w = level.targets[i];
        if (part[w] == kUnassigned && community[w] == community[start]) {
          part[w] = count;
          queue.push_back(w);
        }
      }
    }
    ++count;
  }
  community.swap(part);
  return count;
}

// The graph of communities: one node each, edge weights summed.
Level Aggregate(const Level& level, const std::vector<uint32_t>& community, uint32_t count) {
  Level next;
  next.self_loops.assign(count, 0.0);
  next.strength.assign(count, 0.0);
  std::vector<std::vector<uint32_t>> members(count);
  for (uint32_t v = 0; v < level.size(); ++v) {
    members[community[v]].push_back(v);
    next.self_loops[community[v]] += level.self_loops[v];
    next.strength[community[v]] += level.strength[v];
  }
  std::vector<double> link(count, 0.0);
  std::vector<uint32_t> touched;
  next.offsets.push_back(0);
  for (uint32_t c = 0; c < count; ++c) {
    touched.clear();
    for (uint32_t v : members[c]) {
      for (uint64_t i = level.offsets[v]; i < level.offsets[v + 1]; ++i) {
        uint32_t d = community[level.targets[i]];
        if (d == c) {
          next.self_loops[c] += level.weights[i];
          continue;
        }
        if (link[d] == 0.0) touched.push_back(d);
        link[d] += level.weights[i];
      }
    }
    for (uint32_t d : touched) {
      next.targets.push_back(d);
      next.weights.push_back(link[d]);
      link[d] = 0.0;
    }
    next.offsets.push_back(next.targets.size());
  }
  return next;
}

// Renumbers communities 0.. by decreasing size (ties: smallest member first).
size_t Canonicalise(std::vector<uint32_t>& membership) {
  size_t count = 0;
  for (uint32_t c : membership) count = std::max<size_t>(count, c + 1ull);
  std::vector<size_t> size(count, 0), first(count, SIZE_MAX);
  for (size_t v = 0; v < membership.size(); ++v) {
    ++size[membership[v]];
    first[membership[v]] = std::min(first[membership[v]], v);
  }
  std::vector<uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return size[x] != size[y] ? size[x] > size[y] : first[x] < first[y];
  });
  std::vector<uint32_t> rename(count);
  size_t used = 0;
  for (uint32_t c : order) {
    if (size[c] > 0) rename[c] = static_cast<uint32_t>(used++);
  }
  for (uint32_t& c : membership) c = rename[c];
  return used;
}

}  // namespace

double Modularity(const Graph& graph, std::span<const uint32_t> membership, double resolution) {
  const double total = 2.0 * static_cast<double>(graph.edge_count());
  if (total == 0) return 0;
  size_t count = 0;
  for (uint32_t c : membership) count = std::max<size_t>(count, c + 1ull);
  std::vector<double> inside(count, 0.0), tot(count, 0.0);
  for (NodeId v = 0; v < graph.node_count(); ++v) {
    tot[membership[v]] += static_cast<double>(graph.Degree(v));
    for (NodeId w : graph.Neighbours(v)) {
      if (membership[w] == membership[v]) inside[membership[v]] += 1.0;
    }
  }
  double q = 0;
  for (size_t c = 0; c < count; ++c) {
    q += inside[c] / total - resolution * (tot[c] / total) * (tot[c] / total);
  }
  return q;
}

Communities::Communities(const Graph& graph, CommunityOptions options)
    : graph_(graph), options_(options) {}

Status Communities::run() {
  const size_t n = graph_.node_count();
  if (!options_.edge_weights.empty() && options_.edge_weights.size() != graph_.edge_count()) {
    return Status::InvalidArgument("edge_weights must have one weight per edge");
  }
  const Level base =
      LevelFromGraph(graph_, options_.weighted, options_.filter, options_.edge_weights);
  double total = 0;
  for (double k : base.strength) total += k;
  std::vector<uint32_t> best(n);
  std::iota(best.begin(), best.end(), 0u);
  double best_q = LevelModularity(base, best, total, options_.resolution);
  std::mt19937_64 random(options_.seed);
  bool improved = true;
  int rounds = options_.rounds > 0 ? options_.rounds
                                   : (n < kSmallGraph ? kSmallGraphRounds : kLargeGraphRounds);
  for (int round = 0; round < rounds && total > 0; ++round) {
    if (Cancelled(options_.control.cancel)) return Status::Cancelled("communities cancelled");
    // Continue from the best partition so far (individual nodes may still
    // move); after a round that did not improve, restart from singletons
    // in a new random order.
    std::vector<uint32_t> membership(n);  // original node -> node of `level`
    std::iota(membership.begin(), membership.end(), 0u);
    std::vector<uint32_t> community = improved ? best : membership;
    Level aggregated;
    const Level* level = &base;  // the first level is the graph itself
    for (;;) {
      MoveNodes(*level, total, options_.resolution, random, community);
      uint32_t count = SplitDisconnected(*level, community);
      for (uint32_t& c : membership) c = community[c];
      if (count == level->size()) break;  // nothing left to aggregate
      aggregated = Aggregate(*level, community, count);
      level = &aggregated;
      community.resize(count);
      std::iota(community.begin(), community.end(), 0u);
    }
    double q = LevelModularity(base, membership, total, options_.resolution);
    improved = q > best_q + kMinGain;
    if (improved) {
      best_q = q;
      best = std::move(membership);
    }
  }
  membership_ = std::move(best);
  count_ = Canonicalise(membership_);
  modularity_ = LevelModularity(base, membership_, total, options_.resolution);
  return Status::Ok();
}

}  // namespace vigil
