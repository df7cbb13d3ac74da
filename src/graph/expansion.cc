// Expansion: the wider network around seeds, ranked by tie strength and
// recency, with hubs recognised and not expanded through.
//
// Per seed, a layered search keeps for every node its strongest path of at
// most `hops` ties. Paths live in an append-only arena of (node, parent)
// steps, so a path found at layer h stays exactly h steps long even when a
// node on it later finds a stronger path.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "graph/edge_filter.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

constexpr double kContactScale = 3.0;  // contacts at which a tie is ~63% strong
constexpr uint32_t kNoStep = UINT32_MAX;

struct Step {
  NodeId node;
  uint32_t parent;  // arena index, kNoStep at the seed
  double strength;
  int hops;
};

struct Reached {
  double score = 0;
  double best = 0;
  int hops = 0;
  int seeds = 0;
  std::vector<NodeId> path;
};

std::vector<NodeId> PathOf(const std::vector<Step>& arena, uint32_t index) {
  std::vector<NodeId> path;
  for (; index != kNoStep; index = arena[index].parent) path.push_back(arena[index].node);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace

Expansion::Expansion(const Graph& graph, std::vector<NodeId> seeds, ExpansionOptions options)
    : graph_(graph), seeds_(std::move(seeds)), options_(std::move(options)) {}

bool Expansion::IsHub(NodeId v) const {
  return static_cast<double>(graph_.Degree(v)) >= hub_degree_;
}

Status Expansion::run() {
  if (options_.hops < 1) return Status::InvalidArgument("hops must be at least 1");
  for (NodeId seed : seeds_) {
    if (seed >= graph_.node_count()) return Status::InvalidArgument("seed out of range");
  }
  const double nodes = static_cast<double>(std::max<size_t>(1, graph_.node_count()));
  const double mean_degree = 2.0 * static_cast<double>(graph_.edge_count()) / nodes;
  hub_degree_ = std::max(static_cast<double>(options_.hub_min_degree),
                         options_.hub_relative_degree * mean_degree);
  const UnixTime now = options_.now
                           ? *options_.now
                           : (options_.filter.to ? *options_.filter.to : graph_.latest_contact());
  const UnixTime window_end = options_.filter.to.value_or(kMaxTime);
  auto tie = [&](EdgeId e, uint32_t contacts) {
    std::span<const UnixTime> times = graph_.EdgeContacts(e);
    UnixTime last = *(std::lower_bound(times.begin(), times.end(), window_end) - 1);
    double age = static_cast<double>(std::max<UnixTime>(0, now - last));
    double recency =
        std::exp2(-age / static_cast<double>(std::max<int64_t>(1, options_.half_life_s)));
    return (1.0 - std::exp(-static_cast<double>(contacts) / kContactScale)) * recency;
  };

  std::unordered_map<NodeId, Reached> reached;
  std::vector<Step> arena;
  std::unordered_map<NodeId, uint32_t> best;  // node -> arena index, this seed
  std::vector<uint32_t> frontier, next;
  for (NodeId seed : seeds_) {
    arena.assign(1, Step{seed, kNoStep, 1.0, 0});
    best.clear();
    best[seed] = 0;
    frontier.assign(1, 0);
    for (int hop = 1; hop <= options_.hops && !frontier.empty(); ++hop) {
      next.clear();
      for (uint32_t index : frontier) {
        const Step from = arena[index];
        if (hop > 1 && IsHub(from.node)) continue;  // hubs are reached, not crossed
        auto neighbours = graph_.Neighbours(from.node);
        auto edges = graph_.IncidentEdges(from.node);
        for (size_t i = 0; i < neighbours.size(); ++i) {
          uint32_t contacts = AdmittedContacts(graph_, edges[i], options_.filter);
          if (contacts == 0) continue;
          double strength = from.strength * tie(edges[i], contacts);
          auto [it, fresh] = best.try_emplace(neighbours[i], static_cast<uint32_t>(arena.size()));
          if (!fresh && arena[it->second].strength >= strength) continue;
          it->second = static_cast<uint32_t>(arena.size());
          arena.push_back(Step{neighbours[i], index, strength, hop});
          next.push_back(it->second);
        }
      }
      // Only steps that are still their node's best carry on.
      frontier.clear();
      for (uint32_t index : next) {
        if (best[arena[index].node] == index) frontier.push_back(index);
      }
    }
    for (const auto& [node, index] : best) {
      if (index == 0 || std::find(seeds_.begin(), seeds_.end(), node) != seeds_.end()) continue;
      Reached& r = reached[node];
      const Step& step = arena[index];
      r.score += step.strength;
      ++r.seeds;
      if (r.path.empty() || step.hops < r.hops) r.hops = step.hops;
      if (step.strength > r.best || r.path.empty()) {
        r.best = step.strength;
        r.path = PathOf(arena, index);
      }
    }
  }
  hits_.clear();
  hubs_.clear();
  for (auto& [node, r] : reached) {
    ExpansionHit hit;
    hit.node = node;
    hit.hops = r.hops;
    hit.seeds_reached = r.seeds;
    hit.hub = IsHub(node);
    hit.score = hit.hub ? r.score * options_.hub_penalty : r.score;
    hit.path = std::move(r.path);
    if (hit.hub) hubs_.push_back(node);
    hits_.push_back(std::move(hit));
  }
  std::sort(hits_.begin(), hits_.end(), [](const ExpansionHit& x, const ExpansionHit& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.hops != y.hops) return x.hops < y.hops;
    return x.node < y.node;
  });
  std::sort(hubs_.begin(), hubs_.end());
  if (options_.limit > 0 && hits_.size() > options_.limit) hits_.resize(options_.limit);
  return Status::Ok();
}

}  // namespace vigil
