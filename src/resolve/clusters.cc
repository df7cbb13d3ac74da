#include "resolve/clusters.h"

#include <algorithm>
#include <queue>
#include <string_view>
#include <unordered_map>

#include "resolve/union_find.h"

namespace vigil::resolve {
namespace {

struct Neighbour {
  SelectorIndex other;
  const Link* link;
};

// Per-cluster state while merging: its known owner, the persons any of
// its selectors was rejected for, and its SIMs the concurrency test covers.
struct ClusterState {
  int32_t owner = -1;
  std::vector<int32_t> rejected;
  std::vector<SelectorIndex> sims;
};

bool Forbids(const ClusterState& cluster, int32_t person) {
  return person >= 0 && std::find(cluster.rejected.begin(), cluster.rejected.end(), person) !=
                            cluster.rejected.end();
}

// Whether two selectors should hang from `candidate` rather than `current`
// as the anchor of an unknown-owner cluster: SIMs first, then the most active.
bool BetterAnchor(const Observations& obs, SelectorIndex candidate, SelectorIndex current) {
  if (current == 0) return true;
  const bool candidate_sim = obs.families[candidate] == Family::kSim;
  const bool current_sim = obs.families[current] == Family::kSim;
  if (candidate_sim != current_sim) return candidate_sim;
  const int32_t left = obs.activity[candidate].comms;
  const int32_t right = obs.activity[current].comms;
  return left != right ? left > right : candidate < current;
}

}  // namespace

Result<Decisions> LoadDecisions(Store& store, const Observations& obs) {
  Decisions decisions;
  decisions.known_owner.assign(obs.size(), -1);
  decisions.known_how.assign(obs.size(), std::string());
  std::unordered_map<std::string_view, SelectorIndex> index;
  index.reserve(obs.size());
  for (SelectorIndex s = 1; s < obs.size(); ++s) index.emplace(obs.texts[s], s);
  std::unordered_map<std::string, int32_t> persons;
  auto person_index = [&](const std::string& id) {
    auto [it, inserted] = persons.emplace(id, static_cast<int32_t>(decisions.persons.size()));
    if (inserted) decisions.persons.push_back(id);
    return it->second;
  };
  VIGIL_RETURN_IF_ERROR(store.ScanAttributions([&](const Attribution& attribution) {
    auto found = index.find(attribution.selector);
    if (found == index.end()) return true;
    const SelectorIndex s = found->second;
    const int32_t person = person_index(attribution.person_id);
    switch (attribution.state) {
      case AttributionState::kSource:
      case AttributionState::kConfirmed:
        // A confirmed owner outranks a source one; otherwise the first wins.
        if (decisions.known_owner[s] < 0 || attribution.state == AttributionState::kConfirmed) {
          decisions.known_owner[s] = person;
          decisions.known_how[s] = std::string(AttributionStateName(attribution.state));
        }
        break;
      case AttributionState::kRejected:
        decisions.rejected.push_back({s, person});
        break;
      case AttributionState::kProposed:
        break;
    }
    return true;
  }));
  std::sort(decisions.rejected.begin(), decisions.rejected.end());
  return decisions;
}

ConcurrentUse::ConcurrentUse(const Observations& obs) {
  offsets_.assign(obs.size() + 1, 0);
  std::vector<uint16_t> scratch;
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    if (obs.families[s] == Family::kSim) {
      scratch.clear();
      for (const PlaceDay* key = obs.PlacesBegin(s); key != obs.PlacesEnd(s); ++key) {
        scratch.push_back(static_cast<uint16_t>(*key & 0xffff));
      }
      std::sort(scratch.begin(), scratch.end());
      scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
      days_.insert(days_.end(), scratch.begin(), scratch.end());
    }
    offsets_[s + 1] = days_.size();
  }
}

int ConcurrentUse::SharedDays(SelectorIndex a, SelectorIndex b) const {
  const uint16_t* left = days_.data() + offsets_[a];
  const uint16_t* left_end = days_.data() + offsets_[a + 1];
  const uint16_t* right = days_.data() + offsets_[b];
  const uint16_t* right_end = days_.data() + offsets_[b + 1];
  int shared = 0;
  while (left != left_end && right != right_end) {
    if (*left < *right) {
      ++left;
    } else if (*right < *left) {
      ++right;
    } else {
      ++shared;
      ++left;
      ++right;
    }
  }
  return shared;
}

std::vector<Placement> PlaceSelectors(const Observations& obs, const Decisions& decisions,
                                      const std::vector<Link>& links,
                                      const ConcurrentUse& concurrent,
                                      const ResolveOptions& options, PlacementVetoes* vetoes) {
  const double min_probability = options.min_link_probability;
  const size_t n = obs.size();
  UnionFind sets(n);
  std::vector<ClusterState> state(n);
  const int min_shared_days = options.min_concurrent_days;
  // A known person's SIMs, which every cluster owned by the person answers for.
  std::vector<std::vector<SelectorIndex>> person_sims(decisions.persons.size());
  for (SelectorIndex s = 1; s < n; ++s) {
    state[s].owner = decisions.known_owner[s];
    if (min_shared_days <= 0 || !concurrent.Covers(s)) continue;
    if (state[s].owner >= 0) {
      person_sims[static_cast<size_t>(state[s].owner)].push_back(s);
    } else {
      state[s].sims.push_back(s);
    }
  }
  for (const auto& [s, person] : decisions.rejected) state[s].rejected.push_back(person);
  auto sims_of = [&](const ClusterState& cluster, std::vector<SelectorIndex>* out) {
    out->assign(cluster.sims.begin(), cluster.sims.end());
    if (cluster.owner >= 0) {
      const auto& known = person_sims[static_cast<size_t>(cluster.owner)];
      out->insert(out->end(), known.begin(), known.end());
    }
  };
  std::vector<SelectorIndex> left_sims, right_sims;
  // Whether joining the two clusters would put two concurrent SIMs under one
  // owner (a known person's SIMs among themselves are decided, not tested).
  auto contradicts = [&](const ClusterState& a, const ClusterState& b) {
    if (min_shared_days <= 0) return false;
    if (a.owner >= 0 && a.owner == b.owner) return false;  // already one owner
    sims_of(a, &left_sims);
    sims_of(b, &right_sims);
    for (SelectorIndex x : left_sims) {
      for (SelectorIndex y : right_sims) {
        if (x != y && concurrent.Concurrent(x, y, min_shared_days)) return true;
      }
    }
    return false;
  };

  std::vector<const Link*> order;
  for (const Link& link : links) {
    if (link.probability >= min_probability) order.push_back(&link);
  }
  std::stable_sort(order.begin(), order.end(), [](const Link* left, const Link* right) {
    return left->probability > right->probability;
  });
  std::vector<std::vector<Neighbour>> tree(n);
  for (const Link* link : order) {
    const uint32_t left = sets.Find(link->a);
    const uint32_t right = sets.Find(link->b);
    if (left == right) continue;
    const ClusterState& a = state[left];
    const ClusterState& b = state[right];
    if (a.owner >= 0 && b.owner >= 0 && a.owner != b.owner) continue;
    if (Forbids(a, b.owner) || Forbids(b, a.owner)) continue;
    if (contradicts(a, b)) {
      if (vetoes != nullptr) ++vetoes->concurrent;
      continue;
    }
    ClusterState merged;
    merged.owner = a.owner >= 0 ? a.owner : b.owner;
    merged.rejected = a.rejected;
    merged.rejected.insert(merged.rejected.end(), b.rejected.begin(), b.rejected.end());
    merged.sims = a.sims;
    merged.sims.insert(merged.sims.end(), b.sims.begin(), b.sims.end());
    const uint32_t root = sets.Union(left, right);
    state[left] = ClusterState{};
    state[right] = ClusterState{};
    state[root] = std::move(merged);
    tree[link->a].push_back({link->b, link});
    tree[link->b].push_back({link->a, link});
  }

  // Anchors: selectors of the cluster's known owner, or the best anchor of an
  // unknown-owner cluster.
  std::vector<SelectorIndex> cluster_anchor(n, 0);
  for (SelectorIndex s = 1; s < n; ++s) {
    if (tree[s].empty()) continue;
    const uint32_t root = sets.Find(s);
    if (state[root].owner < 0 && BetterAnchor(obs, s, cluster_anchor[root])) {
      cluster_anchor[root] = s;
    }
  }
  std::vector<Placement> placements(n);
  using Entry = std::pair<double, SelectorIndex>;
  std::priority_queue<Entry> frontier;
  for (SelectorIndex s = 1; s < n; ++s) {
    if (tree[s].empty()) continue;
    const uint32_t root = sets.Find(s);
    const int32_t owner = state[root].owner;
    const bool anchor = owner >= 0 ? decisions.known_owner[s] == owner : cluster_anchor[root] == s;
    placements[s].owner = owner;
    if (anchor) {
      placements[s].anchor = s;
      placements[s].confidence = 1.0;
      frontier.push({1.0, s});
    }
  }
  // Dijkstra on the forest, maximising the product of link probabilities.
  std::vector<bool> done(n, false);
  while (!frontier.empty()) {
    const auto [confidence, s] = frontier.top();
    frontier.pop();
    if (done[s]) continue;
    done[s] = true;
    for (const Neighbour& next : tree[s]) {
      const double reach = confidence * next.link->probability;
      Placement& placement = placements[next.other];
      if (done[next.other] || reach <= placement.confidence) continue;
      placement.confidence = reach;
      placement.anchor = placements[s].anchor;
      placement.parent = s;
      placement.via = next.link;
      frontier.push({reach, next.other});
    }
  }
  return placements;
}

}  // namespace vigil::resolve
