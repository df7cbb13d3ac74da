// Leiden's local moving, refinement and connectivity steps.
#include "graph/leiden.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "graph/parallel.h"

namespace vigil {
namespace {

// A move must gain at least this much: float noise never moves a node.
constexpr double kMinGain = 1e-12;

// A 64-bit mix (splitmix64's finaliser), so that nearby community ids get
// unrelated generator seeds.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// A uniform double in [0, 1) from the generator.
double Uniform(std::mt19937_64& random) { return static_cast<double>(random() >> 11) * 0x1.0p-53; }

// Scratch for refining one community: per node of the level, indexed by
// sub-community (a sub-community is named by its first node, so the
// entries of different communities never overlap and workers can share
// these arrays).
struct RefineState {
  std::vector<uint32_t>& refined;  // sub-community of each node
  std::vector<double> total;       // strength of each sub-community
  std::vector<double> outside;     // its ties to the rest of its community
  std::vector<uint32_t> size;      // nodes in it
  std::vector<double> link;        // scratch: v's ties to each sub-community
};

// Refines the community `members` (total strength `strength`) as
// RefinePartition says.
void RefineCommunity(const CommunityLevel& level, const std::vector<uint32_t>& community,
                     std::vector<uint32_t> members, double strength, double resolution,
                     double randomness, std::mt19937_64& random, RefineState& state) {
  const uint32_t own = community[members.front()];
  const double scale = resolution / level.total();
  // The weight each node has to the rest of its community.
  for (uint32_t v : members) {
    double inside = 0;
    auto neighbours = level.Neighbours(v);
    const float* weights = level.Weights(v);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      if (community[neighbours[i]] == own) inside += weights != nullptr ? weights[i] : 1.0;
    }
    state.outside[v] = inside;
  }
  std::shuffle(members.begin(), members.end(), random);
  std::vector<uint32_t> met;
  std::vector<double> chance;
  for (uint32_t v : members) {
    if (state.size[v] != 1 || state.refined[v] != v) continue;  // no longer alone
    const double k = state.total[v];
    if (state.outside[v] < scale * k * (strength - k)) continue;  // not well connected
    met.clear();
    auto neighbours = level.Neighbours(v);
    const float* weights = level.Weights(v);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      const uint32_t w = neighbours[i];
      if (community[w] != own) continue;
      const uint32_t sub = state.refined[w];
      if (state.link[sub] == 0.0) met.push_back(sub);
      state.link[sub] += weights != nullptr ? weights[i] : 1.0;
    }
    // Candidates: staying alone (gain 0) and every well-connected
    // sub-community whose gain is >= 0; drawn with weight
    // exp((gain - best) / randomness).
    double best_gain = 0;
    chance.assign(met.size(), -1.0);
    for (size_t j = 0; j < met.size(); ++j) {
      const uint32_t sub = met[j];
      const double t = state.total[sub];
      if (state.outside[sub] < scale * t * (strength - t)) continue;
      const double gain = state.link[sub] - scale * k * t;
      if (gain < 0) continue;
      chance[j] = gain;
      best_gain = std::max(best_gain, gain);
    }
    double sum = std::exp(-best_gain / randomness);  // staying alone
    for (double& c : chance) {
      c = c < 0 ? 0.0 : std::exp((c - best_gain) / randomness);
      sum += c;
    }
    double draw = Uniform(random) * sum - std::exp(-best_gain / randomness);
    uint32_t chosen = v;
    for (size_t j = 0; j < met.size() && draw >= 0; ++j) {
      if (chance[j] > 0 && (draw -= chance[j]) < 0) chosen = met[j];
    }
    if (chosen != v) {
      state.refined[v] = chosen;
      state.total[chosen] += k;
      state.outside[chosen] += state.outside[v] - 2 * state.link[chosen];
      ++state.size[chosen];
      state.size[v] = 0;
    }
    for (uint32_t sub : met) state.link[sub] = 0.0;
  }
}

// Levels of at least this many nodes move nodes in batches of kBatch
// proposed in parallel; smaller ones one node at a time (the classic
// sequential order). Either way the result depends only on the seed.
constexpr size_t kBatchedLevel = 32768;
constexpr size_t kBatch = 8192;

// A worker's scratch for finding a node's best move: the weight from the
// node to each neighbouring community (n-sized, zero between uses).
class BestMove {
 public:
  explicit BestMove(size_t n) : link_(n, 0.0) {}

  // The community with the best modularity gain for v (its own if none
  // beats staying by kMinGain), given `tot` (strength of each community,
  // v included in its own). Reads the shared state only. O(deg v).
  uint32_t Find(const CommunityLevel& level, const std::vector<uint32_t>& community,
                const std::vector<double>& tot, double scale, uint32_t v) {
    const uint32_t own = community[v];
    auto neighbours = level.Neighbours(v);
    const float* weights = level.Weights(v);
    touched_.clear();
    touched_.push_back(own);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      const uint32_t c = community[neighbours[i]];
      if (link_[c] == 0.0 && c != own) touched_.push_back(c);
      link_[c] += weights != nullptr ? weights[i] : 1.0;
    }
    const double k = level.Strength(v);
    uint32_t best = own;
    double best_gain = link_[own] - scale * (tot[own] - k) * k;
    for (uint32_t c : touched_) {
      const double gain = link_[c] - scale * (c == own ? tot[c] - k : tot[c]) * k;
      if (gain > best_gain + kMinGain) {
        best_gain = gain;
        best = c;
      }
    }
    for (uint32_t c : touched_) link_[c] = 0.0;
    return best;
  }

 private:
  std::vector<double> link_;
  std::vector<uint32_t> touched_;
};

// Whether moving v from its community to `to` still raises modularity
// after the moves applied since it was proposed. O(deg v).
bool StillGains(const CommunityLevel& level, const std::vector<uint32_t>& community,
                const std::vector<double>& tot, double scale, uint32_t v, uint32_t to) {
  const uint32_t own = community[v];
  auto neighbours = level.Neighbours(v);
  const float* weights = level.Weights(v);
  double link_own = 0, link_to = 0;
  for (size_t i = 0; i < neighbours.size(); ++i) {
    const uint32_t c = community[neighbours[i]];
    const double weight = weights != nullptr ? weights[i] : 1.0;
    if (c == own) link_own += weight;
    if (c == to) link_to += weight;
  }
  const double k = level.Strength(v);
  return link_to - scale * tot[to] * k > link_own - scale * (tot[own] - k) * k + kMinGain;
}

}  // namespace

void MoveNodes(const CommunityLevel& level, double resolution, int threads, std::mt19937_64& random,
               std::vector<uint32_t>& community) {
  const size_t n = level.size();
  if (n == 0 || level.total() == 0) return;
  const double scale = resolution / level.total();
  std::vector<double> tot(n, 0.0);
  for (uint32_t v = 0; v < n; ++v) tot[community[v]] += level.Strength(v);
  std::vector<uint32_t> ring(n);  // a circular queue; at most n queued
  std::iota(ring.begin(), ring.end(), 0u);
  std::shuffle(ring.begin(), ring.end(), random);
  std::vector<uint8_t> queued(n, 1);
  size_t head = 0, queued_count = n;
  // Moves v to `best`, queueing its neighbours outside `best`.
  auto move = [&](uint32_t v, uint32_t best) {
    const double k = level.Strength(v);
    tot[community[v]] -= k;
    tot[best] += k;
    community[v] = best;
    for (uint32_t w : level.Neighbours(v)) {
      if (queued[w] != 0 || community[w] == best) continue;
      queued[w] = 1;
      ring[(head + queued_count) % n] = w;
      ++queued_count;
    }
  };
  const size_t batch_size = n >= kBatchedLevel ? kBatch : 1;
  std::vector<BestMove> scratch(std::max(1, threads), BestMove(n));
  std::vector<uint32_t> batch, proposal;
  while (queued_count > 0) {
    // Take the next nodes off the queue; propose each one's best move
    // against the same state (in parallel), then apply them in queue order,
    // each only if it still gains (so every move raises modularity and the
    // result does not depend on the thread count).
    batch.clear();
    while (batch.size() < batch_size && queued_count > 0) {
      const uint32_t v = ring[head];
      head = head + 1 == n ? 0 : head + 1;
      --queued_count;
      queued[v] = 0;
      batch.push_back(v);
    }
    proposal.resize(batch.size());
    ParallelFor(batch.size(), batch.size() > 1 ? threads : 1,
                [&](size_t worker, size_t begin, size_t end) {
                  for (size_t i = begin; i < end; ++i) {
                    proposal[i] = scratch[worker].Find(level, community, tot, scale, batch[i]);
                  }
                });
    for (size_t i = 0; i < batch.size(); ++i) {
      const uint32_t v = batch[i];
      if (proposal[i] == community[v]) continue;
      if (batch.size() > 1 && !StillGains(level, community, tot, scale, v, proposal[i])) continue;
      move(v, proposal[i]);
    }
  }
}

uint32_t Renumber(std::vector<uint32_t>& ids) {
  std::vector<uint32_t> rename(ids.size(), UINT32_MAX);
  uint32_t count = 0;
  for (uint32_t& id : ids) {
    if (rename[id] == UINT32_MAX) rename[id] = count++;
    id = rename[id];
  }
  return count;
}

uint32_t RefinePartition(const CommunityLevel& level, const std::vector<uint32_t>& community,
                         uint32_t count, double resolution, double randomness, uint64_t seed,
                         int threads, std::vector<uint32_t>& refined) {
  const size_t n = level.size();
  refined.resize(n);
  std::iota(refined.begin(), refined.end(), 0u);
  RefineState state{refined, std::vector<double>(n), std::vector<double>(n, 0.0),
                    std::vector<uint32_t>(n, 1), std::vector<double>(n, 0.0)};
  std::vector<uint32_t> start(count + 1ull, 0), members(n);
  for (uint32_t c : community) ++start[c + 1ull];
  std::partial_sum(start.begin(), start.end(), start.begin());
  {
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (uint32_t v = 0; v < n; ++v) members[next[community[v]]++] = v;
  }
  for (uint32_t v = 0; v < n; ++v) state.total[v] = level.Strength(v);
  ParallelFor(count, threads, [&](size_t, size_t begin, size_t end) {
    for (size_t c = begin; c < end; ++c) {
      if (start[c + 1] - start[c] < 2) continue;
      std::vector<uint32_t> group(members.begin() + start[c], members.begin() + start[c + 1]);
      double strength = 0;
      for (uint32_t v : group) strength += level.Strength(v);
      std::mt19937_64 random(Mix(seed ^ Mix(c)));
      RefineCommunity(level, community, std::move(group), strength, resolution, randomness, random,
                      state);
    }
  });
  return Renumber(refined);
}

uint32_t SplitDisconnected(const CommunityLevel& level, std::vector<uint32_t>& community) {
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
      for (uint32_t w : level.Neighbours(queue[head])) {
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

}  // namespace vigil
