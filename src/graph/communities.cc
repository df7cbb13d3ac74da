// Communities: the Leiden algorithm for generalised modularity (local
// moving, refinement, aggregation of the refined partition), repeated from
// the best partition found; see leiden.h for the steps and
// community_level.h for the compact levels they work on.
#include <algorithm>
#include <numeric>
#include <random>

#include "graph/community_level.h"
#include "graph/leiden.h"
#include "graph/parallel.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

constexpr double kMinGain = 1e-12;
constexpr size_t kSmallGraph = 10000;
constexpr int kSmallGraphRounds = 32;
constexpr int kLargeGraphRounds = 2;
// Leiden's randomness (theta) in the refinement, igraph's default beta:
// small enough that a clearly better sub-community is almost always chosen,
// large enough that near ties are broken at random.
constexpr double kRandomness = 0.01;
// See LeidenPass: levels with at least 1 / kFromBaseShare of level 0's ties
// are not held while the next is built.
constexpr uint64_t kFromBaseShare = 4;

// One Leiden pass from `start` (a partition of level 0's nodes): move
// nodes, refine, aggregate the refined partition with the moved one as the
// starting partition of the aggregate, until moving leaves every node of a
// level alone (or refinement leaves nothing to merge). Returns the
// partition of level 0's nodes.
std::vector<uint32_t> LeidenPass(const CommunityLevel& base, std::vector<uint32_t> community,
                                 const CommunityOptions& options, std::mt19937_64& random) {
  std::vector<uint32_t> membership(base.size());  // level-0 node -> node of `level`
  std::iota(membership.begin(), membership.end(), 0u);
  CommunityLevel aggregated;
  const CommunityLevel* level = &base;
  std::vector<uint32_t> refined;
  for (;;) {
    MoveNodes(*level, options.resolution, options.threads, random, community);
    const uint32_t count = Renumber(community);
    if (count == level->size()) break;  // every node alone: nothing to aggregate
    const uint32_t parts = RefinePartition(*level, community, count, options.resolution,
                                           kRandomness, random(), options.threads, refined);
    if (parts == level->size()) break;  // refinement merged nothing: aggregate = level
    std::vector<uint32_t> next_community(parts);
    for (uint32_t v = 0; v < level->size(); ++v) next_community[refined[v]] = community[v];
    for (uint32_t& node : membership) node = refined[node];
    // A large aggregated level (a quarter of level 0's ties or more) is
    // freed first and the next one aggregated from level 0, which is
    // always at hand (the sums are the same), so that two large levels are
    // never held at once; a small one is aggregated directly (cheaper than
    // a scan of level 0).
    if (level != &base && level->entry_count() * kFromBaseShare >= base.entry_count()) {
      aggregated = CommunityLevel();
      aggregated = CommunityLevel::Aggregate(base, membership, parts, options.threads);
    } else {
      aggregated = CommunityLevel::Aggregate(*level, refined, parts, options.threads);
    }
    level = &aggregated;
    community = std::move(next_community);
  }
  for (uint32_t& node : membership) node = community[node];
  return membership;
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
    : graph_(graph), options_(std::move(options)) {}

Status Communities::run() {
  const size_t n = graph_.node_count();
  if (!options_.edge_weights.empty() && options_.edge_weights.size() != graph_.edge_count()) {
    return Status::InvalidArgument("edge_weights must have one weight per edge");
  }
  const bool unit = options_.edge_weights.empty() && !options_.weighted && !options_.filter.from &&
                    !options_.filter.to && options_.filter.min_contacts <= 1;
  const CommunityLevel base =
      unit ? CommunityLevel::OfGraph(graph_)
           : CommunityLevel::Weighted(graph_, options_.weighted, options_.filter,
                                      options_.edge_weights);
  auto singletons = [n] {
    std::vector<uint32_t> alone(n);
    std::iota(alone.begin(), alone.end(), 0u);
    return alone;
  };
  std::vector<uint32_t> best = singletons();
  double best_q = base.Modularity(best, options_.resolution);
  std::mt19937_64 random(options_.seed);
  bool improved = true;
  const int rounds = options_.rounds > 0
                         ? options_.rounds
                         : (n < kSmallGraph ? kSmallGraphRounds : kLargeGraphRounds);
  for (int round = 0; round < rounds && base.total() > 0; ++round) {
    if (Cancelled(options_.control.cancel)) return Status::Cancelled("communities cancelled");
    // Continue from the best partition so far (its communities may still
    // split or merge); after a round that did not improve, restart from
    // singletons in a new random order.
    std::vector<uint32_t> found =
        LeidenPass(base, improved ? best : singletons(), options_, random);
    SplitDisconnected(base, found);  // a guarantee, whatever the moves did
    const double q = base.Modularity(found, options_.resolution);
    improved = q > best_q + kMinGain;
    if (improved) {
      best_q = q;
      best = std::move(found);
    }
  }
  membership_ = std::move(best);
  count_ = Canonicalise(membership_);
  modularity_ = base.Modularity(membership_, options_.resolution);
  return Status::Ok();
}

CommunityOptions DefaultCommunityOptions(const Graph& graph) {
  TieWeightOptions tie;
  tie.hub_damping = kDefaultHubDamping;
  CommunityOptions options;
  options.edge_weights = TieWeights(graph, tie);
  options.resolution = kDefaultCommunityResolution;
  return options;
}

}  // namespace vigil
