// Expansion: the wider network around seeds, ranked by tie strength and
// recency, with hubs recognised and not expanded through.
//
// Per seed, a layered search keeps for every node its strongest path of at
// most `hops` ties. Paths live in an append-only arena of (node, parent)
// steps, so a path found at layer h stays exactly h steps long even when a
// node on it later finds a stronger path.
#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

#include "graph/edge_filter.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

constexpr double kContactScale = 3.0;  // contacts at which a tie is ~63% strong
constexpr uint32_t kNoStep = UINT32_MAX;
constexpr size_t kPrefetch = 16;      // edges ahead; covers a cache miss at ~20 ns per edge
constexpr size_t kRankPrefetch = 64;  // reached nodes ahead, a few ns each

struct Step {
  NodeId node;
  uint32_t parent;  // arena index, kNoStep at the seed
  double strength;
  int hops;
};

// A tie to follow: from arena step `parent` over `edge` to `node`.
struct Candidate {
  NodeId node;
  EdgeId edge;
  uint32_t parent;
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
// or a heap node per entry. Grows at half load. Kept between queries (see
// Scratch): Reset and Rehash reuse the buffers' capacity, so a warm map
// allocates nothing.
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
    if (2 * (size_ + 1) > keys_.size()) Rehash(keys_.size() * 2);
    size_t slot = Probe(key);
    if (keys_[slot] == key) return {&values_[slot], false};
    keys_[slot] = key;
    values_[slot] = value;
    ++size_;
    return {&values_[slot], true};
  }
  // Makes room for `entries` keys in all, so that inserting them rehashes
  // at most once (here) rather than at every doubling.
  void Reserve(size_t entries) {
    size_t slots = keys_.size();
    while (2 * entries > slots) slots *= 2;
    if (slots != keys_.size()) Rehash(slots);
  }
  size_t size() const { return size_; }
  // REQUIRES: key present.
  uint32_t At(NodeId key) const { return values_[Probe(key)]; }
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] != kNoNode) fn(keys_[i], values_[i]);
    }
  }
  // Frees buffers grown past `slots` by an unusually large query.
  void ShrinkTo(size_t slots) {
    if (keys_.capacity() <= slots) return;
    keys_ = {};
    values_ = {};
    old_keys_ = {};
    old_values_ = {};
    Reset();
  }

 private:
  static constexpr size_t kInitialSlots = 1024;
  size_t Probe(NodeId key) const {
    const size_t mask = keys_.size() - 1;
    size_t slot = (static_cast<size_t>(key) * 0x9E3779B97F4A7C15ull >> 20) & mask;
    while (keys_[slot] != kNoNode && keys_[slot] != key) slot = (slot + 1) & mask;
    return slot;
  }
  void Rehash(size_t slots) {
    keys_.swap(old_keys_);
    values_.swap(old_values_);
    keys_.assign(slots, kNoNode);
    values_.resize(slots);
    for (size_t i = 0; i < old_keys_.size(); ++i) {
      if (old_keys_[i] == kNoNode) continue;
      size_t slot = Probe(old_keys_[i]);
      keys_[slot] = old_keys_[i];
      values_[slot] = old_values_[i];
    }
  }
  std::vector<NodeId> keys_;
  std::vector<uint32_t> values_;
  std::vector<NodeId> old_keys_;  // the buffers before the last rehash, reused
  std::vector<uint32_t> old_values_;
  size_t size_ = 0;
};

// A reached node's rank key: compact, so that ranking moves 24 bytes per
// node, not a whole Reached.
struct RankKey {
  double score;
  int hops;
  NodeId node;
  uint32_t reached;  // index in Scratch::reached
  bool hub;
};

// The ranking order: score descending, then fewer hops, then node id (a
// total order, so the result never depends on the sort).
bool RankedBefore(const RankKey& x, const RankKey& y) {
  if (x.score != y.score) return x.score > y.score;
  if (x.hops != y.hops) return x.hops < y.hops;
  return x.node < y.node;
}

// Sorts keys in RankedBefore order. Why not std::sort: for the few hundred
// to thousands of nodes one expansion reaches, a comparison sort of random
// scores is dominated by mispredicted branches (~15% of a 2-hop query).
// Instead: a stable LSD radix sort on the score's bits (scores are >= 0,
// and non-negative doubles order as their bit patterns; the bits are
// complemented for descending order), 8 passes of 8 bits, skipping a pass
// whose byte is the same for every key; then each run of equal scores is
// sorted by (hops, node). Time O(8 (r + 256)) plus the runs, no
// data-dependent branches. Memory: `buffer`, r keys.
void SortRanked(std::vector<RankKey>& keys, std::vector<RankKey>& buffer) {
  constexpr size_t kRadixMin = 64;  // below, std::sort is as fast
  if (keys.size() < kRadixMin) {
    std::sort(keys.begin(), keys.end(), RankedBefore);
    return;
  }
  auto order = [](const RankKey& k) { return ~std::bit_cast<uint64_t>(k.score); };
  buffer.resize(keys.size());
  for (int shift = 0; shift < 64; shift += 8) {
    size_t start[256] = {};
    for (const RankKey& k : keys) ++start[(order(k) >> shift) & 0xFF];
    if (start[(order(keys[0]) >> shift) & 0xFF] == keys.size()) continue;
    size_t total = 0;
    for (size_t& bucket : start) total += std::exchange(bucket, total);
    for (const RankKey& k : keys) buffer[start[(order(k) >> shift) & 0xFF]++] = k;
    keys.swap(buffer);
  }
  for (size_t begin = 0; begin < keys.size();) {
    size_t end = begin + 1;
    while (end < keys.size() && keys[end].score == keys[begin].score) ++end;
    if (end - begin > 1) std::sort(keys.begin() + begin, keys.begin() + end, RankedBefore);
    begin = end;
  }
}

// Working memory of one expansion, kept per thread between queries, so
// that a warm query allocates only the hits it returns (and their paths):
// no per-query malloc and page faults for buffers of thousands of steps.
// Bounded: after a query that grew a buffer past kKeepEntries it is freed.
struct Scratch {
  static constexpr size_t kKeepEntries = size_t{1} << 20;
  std::vector<Step> arena;
  std::vector<Reached> reached;
  NodeMap reached_index;  // node -> index in reached
  NodeMap best;           // node -> arena index of its best step, this seed
  std::vector<uint32_t> frontier, next;
  std::vector<Candidate> candidates;  // one hop's ties
  std::vector<RankKey> keys;
  std::vector<RankKey> sort_buffer;

  void Clear() {
    if (arena.capacity() > kKeepEntries || candidates.capacity() > kKeepEntries) {
      *this = Scratch();
      return;
    }
    arena.clear();
    reached.clear();
    reached_index.ShrinkTo(2 * kKeepEntries);
    reached_index.Reset();
    best.ShrinkTo(2 * kKeepEntries);
    frontier.clear();
    next.clear();
    candidates.clear();
    keys.clear();
  }
};

// The path of arena step `index`, seed first; one allocation of its exact
// length (hops + 1), filled from the back.
std::vector<NodeId> PathOf(const std::vector<Step>& arena, uint32_t index) {
  std::vector<NodeId> path(static_cast<size_t>(arena[index].hops) + 1);
  for (size_t at = path.size(); index != kNoStep; index = arena[index].parent) {
    path[--at] = arena[index].node;
  }
  return path;
}

// 1 - exp(-contacts / kContactScale), the volume part of a tie's strength,
// from a table for the common small counts (same values, no exp per tie).
class VolumeStrength {
 public:
  VolumeStrength() {
    for (uint32_t c = 0; c < kTabled; ++c) table_[c] = Compute(c);
  }
  double operator()(uint32_t contacts) const {
    return contacts < kTabled ? table_[contacts] : Compute(contacts);
  }

 private:
  static constexpr uint32_t kTabled = 256;
  static double Compute(uint32_t contacts) {
    return 1.0 - std::exp(-static_cast<double>(contacts) / kContactScale);
  }
  double table_[kTabled];
};

}  // namespace

Expansion::Expansion(const Graph& graph, std::vector<NodeId> seeds, ExpansionOptions options)
    : graph_(graph), seeds_(std::move(seeds)), options_(std::move(options)) {}

bool Expansion::IsHub(NodeId v) const {
  return static_cast<double>(graph_.Degree(v)) >= hub_degree_;
}

Status Expansion::run() {
  if (options_.hops < 1) return Status::InvalidArgument("hops must be at least 1");
  if (!options_.tie_strengths.empty() && options_.tie_strengths.size() != graph_.edge_count()) {
    return Status::InvalidArgument("tie_strengths must have one strength per edge");
  }
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
  static const VolumeStrength volume;
  auto tie = [&](EdgeId e, uint32_t contacts) {
    UnixTime last = graph_.EdgeLast(e);
    if (last >= window_end) {  // the last contact inside the window
      std::span<const UnixTime> times = graph_.EdgeContacts(e);
      last = *(std::lower_bound(times.begin(), times.end(), window_end) - 1);
    }
    double age = static_cast<double>(std::max<UnixTime>(0, now - last));
    double recency =
        std::exp2(-age / static_cast<double>(std::max<int64_t>(1, options_.half_life_s)));
    const double evidence =
        options_.tie_strengths.empty() ? volume(contacts) : options_.tie_strengths[e];
    return evidence * recency;
  };

  // Every seed's steps stay in one arena, so that paths are built only for
  // the hits kept.
  thread_local Scratch scratch;
  scratch.Clear();
  std::vector<Step>& arena = scratch.arena;
  std::vector<Reached>& reached = scratch.reached;
  NodeMap& reached_index = scratch.reached_index;
  NodeMap& best = scratch.best;
  std::vector<uint32_t>& frontier = scratch.frontier;
  std::vector<uint32_t>& next = scratch.next;
  std::vector<Candidate>& candidates = scratch.candidates;
  for (NodeId seed : seeds_) {
    const auto seed_step = static_cast<uint32_t>(arena.size());
    arena.push_back(Step{seed, kNoStep, 1.0, 0});
    best.Reset();
    best.TryEmplace(seed, seed_step);
    frontier.assign(1, seed_step);
    for (int hop = 1; hop <= options_.hops && !frontier.empty(); ++hop) {
      next.clear();
      // Gather the hop's ties first (sequential reads of each frontier
      // node's adjacency), so that the per-tie reads below (contact
      // offsets, last contact, neighbour degree), which jump around the
      // graph, can be prefetched kPrefetch ties ahead across node
      // boundaries: most nodes have fewer ties than the prefetch distance.
      candidates.clear();
      for (size_t k = 0; k < frontier.size(); ++k) {
        if (k + kPrefetch / 4 < frontier.size()) {
          graph_.PrefetchNode(arena[frontier[k + kPrefetch / 4]].node);
        }
        const uint32_t index = frontier[k];
        const NodeId node = arena[index].node;
        if (hop > 1 && IsHub(node)) continue;  // hubs are reached, not crossed
        auto neighbours = graph_.Neighbours(node);
        auto edges = graph_.IncidentEdges(node);
        for (size_t i = 0; i < neighbours.size(); ++i) {
          candidates.push_back(Candidate{neighbours[i], edges[i], index});
        }
      }
      const size_t count = candidates.size();
      // At most one new step and one new best per tie.
      arena.reserve(arena.size() + count);
      next.reserve(count);
      best.Reserve(best.size() + count);
      for (size_t j = 0; j < count; ++j) {
        // Two-stage prefetch: edge offsets kPrefetch ahead, the last
        // contact (which needs those offsets) half as far ahead. The
        // neighbour's degree (the hub test) is read once per reached node
        // when ranking, not here once per tie: fewer lines in flight.
        if (j + kPrefetch < count) graph_.PrefetchEdge(candidates[j + kPrefetch].edge);
        if (j + kPrefetch / 2 < count)
          graph_.PrefetchLastContact(candidates[j + kPrefetch / 2].edge);
        const Candidate c = candidates[j];
        uint32_t contacts = AdmittedContacts(graph_, c.edge, options_.filter);
        if (contacts == 0) continue;
        double strength = arena[c.parent].strength * tie(c.edge, contacts);
        const auto step = static_cast<uint32_t>(arena.size());
        auto [slot, fresh] = best.TryEmplace(c.node, step);
        if (!fresh && arena[*slot].strength >= strength) continue;
        *slot = step;
        arena.push_back(Step{c.node, c.parent, strength, hop});
        next.push_back(step);
      }
      // Only steps that are still their node's best carry on (after the
      // last hop nothing does).
      frontier.clear();
      if (hop == options_.hops) break;
      for (uint32_t index : next) {
        if (best.At(arena[index].node) == index) frontier.push_back(index);
      }
    }
    best.ForEach([&](NodeId node, uint32_t index) {
      if (index == seed_step || std::find(seeds_.begin(), seeds_.end(), node) != seeds_.end()) {
        return;
      }
      // One seed reaches each node once: no need to find it among the others.
      uint32_t at = static_cast<uint32_t>(reached.size());
      if (seeds_.size() > 1) at = *reached_index.TryEmplace(node, at).first;
      if (at == reached.size()) reached.push_back(Reached{node});
      Reached& r = reached[at];
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
  std::vector<RankKey>& keys = scratch.keys;
  keys.reserve(reached.size());
  hubs_.clear();
  for (size_t i = 0; i < reached.size(); ++i) {
    const Reached& r = reached[i];
    // The loop is short, so the degree (hub test) is prefetched far ahead.
    if (i + kRankPrefetch < reached.size()) graph_.PrefetchNode(reached[i + kRankPrefetch].node);
    const bool hub = IsHub(r.node);
    if (hub) hubs_.push_back(r.node);
    keys.push_back(RankKey{hub ? r.score * options_.hub_penalty : r.score, r.hops, r.node,
                           static_cast<uint32_t>(i), hub});
  }
  if (options_.limit > 0 && keys.size() > options_.limit) {
    // Top-K selection, O(r + K log K): the order is total (node ids break
    // ties), so this keeps exactly the hits a full sort would.
    const auto kept = keys.begin() + static_cast<ptrdiff_t>(options_.limit);
    std::nth_element(keys.begin(), kept, keys.end(), RankedBefore);
    keys.resize(options_.limit);
    std::sort(keys.begin(), keys.end(), RankedBefore);
  } else {
    SortRanked(keys, scratch.sort_buffer);
  }
  hits_.clear();
  hits_.reserve(keys.size());
  for (const RankKey& key : keys) {
    const Reached& r = reached[key.reached];
    ExpansionHit& hit = hits_.emplace_back();
    hit.node = r.node;
    hit.hops = r.hops;
    hit.seeds_reached = r.seeds;
    hit.hub = key.hub;
    hit.score = key.score;
    hit.path = PathOf(arena, r.best_step);
  }
  std::sort(hubs_.begin(), hubs_.end());
  return Status::Ok();
}

}  // namespace vigil
