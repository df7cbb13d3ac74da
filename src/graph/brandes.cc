// Brandes' single-source dependency accumulation, unweighted.
//
// Backward pass: delta(v) = sum over successors w of sigma(v) / sigma(w) *
// (target(w) + delta(w)) = sigma(v) * sum of coefficient(w), where
// coefficient(w) = (target(w) + delta(w)) / sigma(w) is stored in w's record
// in place of sigma(w) as soon as w is finished (nodes are finished in
// reverse BFS order, so every successor is finished before its
// predecessors, and sigma(w) is not needed again).
#include "graph/brandes.h"

namespace vigil {

void BrandesScratch::Run(const Graph& graph, NodeId source, const uint8_t* target_mask,
                         std::span<double> accumulator) {
  order_.clear();
  order_.push_back(source);
  nodes_[source] = NodeState{0, 1.0};
  for (size_t head = 0; head < order_.size(); ++head) {
    const NodeId v = order_[head];
    const int32_t next = nodes_[v].distance + 1;
    const double paths = nodes_[v].value;
    for (NodeId w : graph.Neighbours(v)) {
      NodeState& state = nodes_[w];
      if (state.distance == kUnseen) {
        state.distance = next;
        order_.push_back(w);
      }
      if (state.distance == next) state.value += paths;
    }
  }
  for (size_t i = order_.size(); i-- > 0;) {
    const NodeId v = order_[i];
    const int32_t next = nodes_[v].distance + 1;
    double coefficients = 0;
    for (NodeId w : graph.Neighbours(v)) {
      const NodeState& state = nodes_[w];
      if (state.distance == next) coefficients += state.value;
    }
    const double sigma = nodes_[v].value;
    const double delta = sigma * coefficients;
    if (v != source) accumulator[v] += delta;
    const double target = target_mask == nullptr ? 1.0 : (target_mask[v] != 0 ? 1.0 : 0.0);
    nodes_[v].value = (target + delta) / sigma;
  }
  for (NodeId v : order_) nodes_[v] = NodeState{};
}

}  // namespace vigil
