// Earliest-arrival time-respecting path: Dijkstra on arrival time. An edge
// (u, v) is usable at its first contact at or after u's arrival; because
// waiting never helps, the earliest arrival at u is the right label.
#include <algorithm>
#include <functional>
#include <queue>

#include "graph/edge_filter.h"
#include "vigil/graph.h"

namespace vigil {

TemporalPath::TemporalPath(const Graph& graph, NodeId source, NodeId target, UnixTime start,
                           std::optional<UnixTime> end)
    : graph_(graph), source_(source), target_(target), start_(start), end_(end) {}

Status TemporalPath::run() {
  const size_t n = graph_.node_count();
  if (source_ >= n || target_ >= n) return Status::InvalidArgument("node out of range");
  path_.clear();
  times_.clear();
  const UnixTime end = end_.value_or(kMaxTime);
  std::vector<UnixTime> arrival(n, kMaxTime);
  std::vector<NodeId> parent(n, kNoNode);
  using Entry = std::pair<UnixTime, NodeId>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  arrival[source_] = start_;
  queue.emplace(start_, source_);
  while (!queue.empty()) {
    auto [time, v] = queue.top();
    queue.pop();
    if (time != arrival[v]) continue;
    if (v == target_) break;
    auto neighbours = graph_.Neighbours(v);
    auto edges = graph_.IncidentEdges(v);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      std::span<const UnixTime> times = graph_.EdgeContacts(edges[i]);
      auto next = std::lower_bound(times.begin(), times.end(), time);
      if (next == times.end() || *next >= end || *next >= arrival[neighbours[i]]) continue;
      arrival[neighbours[i]] = *next;
      parent[neighbours[i]] = v;
      queue.emplace(*next, neighbours[i]);
    }
  }
  if (arrival[target_] == kMaxTime) return Status::Ok();
  for (NodeId v = target_; v != source_; v = parent[v]) {
    path_.push_back(v);
    times_.push_back(arrival[v]);
  }
  path_.push_back(source_);
  times_.push_back(start_);
  std::reverse(path_.begin(), path_.end());
  std::reverse(times_.begin(), times_.end());
  return Status::Ok();
}

}  // namespace vigil
