// Expansion: the wider network around seeds, ranked by tie strength and
// recency, with hubs recognised and not expanded through.
//
// Per seed, a layered search keeps for every node its strongest path of at
// most `hops` ties. Paths live in an append-only arena of (node, parent)
// steps, so a path found at layer h stays exactly h steps long even when a
// node on it later finds a stronger path.
#include <algorithm>
#include <cmath>

#include "graph/edge_filter.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

constexpr double kContactScale = 3.0;  // contacts at which a tie is ~63% strong
constexpr uint32_t kNoStep = UINT32_MAX;
constexpr size_t kPrefetch = 16;  // edges ahead; covers a cache miss at ~20 ns per edge

struct Step {
  NodeId node;
  uint32_t parent;  // arena index, kNoStep at the seed
  double strength;
  int hops;
};

// Per reached node, over all seeds.
struct Reached {
  NodeId node = kNoNode;
  double score = 0;
  double best = 0;
  int hops = 0;
  int seeds = 0;
  uint32_t best_step = kNoStep;  // arena index of the strongest path
};

// NodeId -> uint32_t, open addressing with linear probing: the few thousand
// nodes one expansion touches, without a node-count-sized array per query
// or a heap node per entry. Grows at half load.
class NodeMap {
 public:
  NodeMap() { Reset(); }
  void Reset() {
    keys_.assign(kInitialSlots, kNoNode);
    values_.resize(kInitialSlots);
    size_ = 0;
  }
  // The value slot for `key`, inserting `value` if absent; second is true
  // when inserted.
  std::pair<uint32_t*, bool> TryEmplace(NodeId key, uint32_t value) {
    if (2 * (size_ + 1) > keys_.size()) Grow();
    size_t slot = Probe(key);
    if (keys_[slot] == key) return {&values_[slot], false};
    keys_[slot] = key;
    values_[slot] = value;
    ++size_;
    return {&values_[slot], true};
  }
  // REQUIRES: key present.
  uint32_t At(NodeId key) const { return values_[Probe(key)]; }
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] != kNoNode) fn(keys_[i], values_[i]);
    }
  }

 private:
  static constexpr size_t kInitialSlots = 1024;
  size_t Probe(NodeId key) const {
    const size_t mask = keys_.size() - 1;
    size_t slot = (static_cast<size_t>(key) * 0x9E3779B97F4A7C15ull >> 20) & mask;
    while (keys_[slot] != kNoNode && keys_[slot] != key) slot = (slot + 1) & mask;
    return slot;
  }
  void Grow() {
    std::vector<NodeId> keys = std::move(keys_);
    std::vector<uint32_t> values = std::move(values_);
    keys_.assign(keys.size() * 2, kNoNode);
    values_.resize(keys.size() * 2);
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == kNoNode) continue;
      size_t slot = Probe(keys[i]);
      keys_[slot] = keys[i];
      values_[slot] = values[i];
    }
  }
  std::vector<NodeId> keys_;
  std::vector<uint32_t> values_;
  size_t size_ = 0;
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
    UnixTime last = graph_.EdgeLast(e);
    if (last >= window_end) {  // the last contact inside the window
      std::span<const UnixTime> times = graph_.EdgeContacts(e);
      last = *(std::lower_bound(times.begin(), times.end(), window_end) - 1);
    }
    double age = static_cast<double>(std::max<UnixTime>(0, now - last));
    double recency =
        std::exp2(-age / static_cast<double>(std::max<int64_t>(1, options_.half_life_s)));
    return (1.0 - std::exp(-static_cast<double>(contacts) / kContactScale)) * recency;
  };

  // Every seed's steps stay in one arena, so that paths are built only for
  // the hits kept.
  std::vector<Step> arena;
  std::vector<Reached> reached;
  NodeMap reached_index;  // node -> index in reached
  NodeMap best;           // node -> arena index of its best step, this seed
  std::vector<uint32_t> frontier, next;
  for (NodeId seed : seeds_) {
    const auto seed_step = static_cast<uint32_t>(arena.size());
    arena.push_back(Step{seed, kNoStep, 1.0, 0});
    best.Reset();
    best.TryEmplace(seed, seed_step);
    frontier.assign(1, seed_step);
    for (int hop = 1; hop <= options_.hops && !frontier.empty(); ++hop) {
      next.clear();
      for (uint32_t index : frontier) {
        const Step from = arena[index];
        if (hop > 1 && IsHub(from.node)) continue;  // hubs are reached, not crossed
        auto neighbours = graph_.Neighbours(from.node);
        auto edges = graph_.IncidentEdges(from.node);
        for (size_t i = 0; i < neighbours.size(); ++i) {
          // Two-stage prefetch: edge offsets kPrefetch ahead, the last
          // contact (which needs those offsets) half as far ahead.
          if (i + kPrefetch < edges.size()) graph_.PrefetchEdge(edges[i + kPrefetch]);
          if (i + kPrefetch / 2 < edges.size()) {
            graph_.PrefetchLastContact(edges[i + kPrefetch / 2]);
            graph_.PrefetchNode(neighbours[i + kPrefetch / 2]);
          }
          uint32_t contacts = AdmittedContacts(graph_, edges[i], options_.filter);
          if (contacts == 0) continue;
          double strength = from.strength * tie(edges[i], contacts);
          const auto step = static_cast<uint32_t>(arena.size());
          auto [slot, fresh] = best.TryEmplace(neighbours[i], step);
          if (!fresh && arena[*slot].strength >= strength) continue;
          *slot = step;
          arena.push_back(Step{neighbours[i], index, strength, hop});
          next.push_back(step);
        }
      }
      // Only steps that are still their node's best carry on.
      frontier.clear();
      for (uint32_t index : next) {
        if (best.At(arena[index].node) == index) frontier.push_back(index);
      }
    }
    best.ForEach([&](NodeId node, uint32_t index) {
      if (index == seed_step || std::find(seeds_.begin(), seeds_.end(), node) != seeds_.end()) {
        return;
      }
      auto [slot, fresh] = reached_index.TryEmplace(node, static_cast<uint32_t>(reached.size()));
      if (fresh) reached.push_back(Reached{node});
      Reached& r = reached[*slot];
      const Step& step = arena[index];
      r.score += step.strength;
      if (r.seeds == 0 || step.hops < r.hops) r.hops = step.hops;
      if (r.seeds == 0 || step.strength > r.best) {
        r.best = step.strength;
        r.best_step = index;
      }
      ++r.seeds;
    });
  }
  // Rank compact keys, then build hits (and their paths) only for those kept.
  struct Key {
    double score;
    int hops;
    NodeId node;
    uint32_t reached;  // index in `reached`
  };
  std::vector<Key> keys;
  keys.reserve(reached.size());
  hubs_.clear();
  for (size_t i = 0; i < reached.size(); ++i) {
    const Reached& r = reached[i];
    const bool hub = IsHub(r.node);
    if (hub) hubs_.push_back(r.node);
    keys.push_back(Key{hub ? r.score * options_.hub_penalty : r.score, r.hops, r.node,
                       static_cast<uint32_t>(i)});
  }
  auto ranked = [](const Key& x, const Key& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.hops != y.hops) return x.hops < y.hops;
    return x.node < y.node;
  };
  if (options_.limit > 0 && keys.size() > options_.limit) {
    std::partial_sort(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(options_.limit),
                      keys.end(), ranked);
    keys.resize(options_.limit);
  } else {
    std::sort(keys.begin(), keys.end(), ranked);
  }
  hits_.clear();
  hits_.reserve(keys.size());
  for (const Key& key : keys) {
    const Reached& r = reached[key.reached];
    ExpansionHit& hit = hits_.emplace_back();
    hit.node = r.node;
    hit.hops = r.hops;
    hit.seeds_reached = r.seeds;
    hit.hub = IsHub(r.node);
    hit.score = key.score;
    hit.path = PathOf(arena, r.best_step);
  }
  std::sort(hubs_.begin(), hubs_.end());
  return Status::Ok();
}

}  // namespace vigil
