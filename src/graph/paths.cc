// Fewest-hop path by breadth-first search over admitted edges.
#include <algorithm>

#include "graph/edge_filter.h"
#include "vigil/graph.h"

namespace vigil {

ShortestPath::ShortestPath(const Graph& graph, NodeId source, NodeId target, EdgeFilter filter)
    : graph_(graph), source_(source), target_(target), filter_(filter) {}

Status ShortestPath::run() {
  const size_t n = graph_.node_count();
  if (source_ >= n || target_ >= n) return Status::InvalidArgument("node out of range");
  path_.clear();
  std::vector<NodeId> parent(n, kNoNode);
  std::vector<NodeId> queue{source_};
  parent[source_] = source_;
  for (size_t head = 0; head < queue.size() && parent[target_] == kNoNode; ++head) {
    NodeId v = queue[head];
    auto neighbours = graph_.Neighbours(v);
    auto edges = graph_.IncidentEdges(v);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      NodeId w = neighbours[i];
      if (parent[w] != kNoNode || AdmittedContacts(graph_, edges[i], filter_) == 0) continue;
      parent[w] = v;
      queue.push_back(w);
    }
  }
  if (parent[target_] == kNoNode) return Status::Ok();
  for (NodeId v = target_; v != source_; v = parent[v]) path_.push_back(v);
  path_.push_back(source_);
  std::reverse(path_.begin(), path_.end());
  return Status::Ok();
}

}  // namespace vigil
