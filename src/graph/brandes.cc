// Brandes' single-source dependency accumulation, unweighted.
#include "graph/brandes.h"

namespace vigil {

void BrandesScratch::Run(const Graph& graph, NodeId source, const uint8_t* target_mask,
                         std::span<double> accumulator) {
  order_.clear();
  order_.push_back(source);
  distance_[source] = 0;
  paths_[source] = 1;
  for (size_t head = 0; head < order_.size(); ++head) {
    NodeId v = order_[head];
    for (NodeId w : graph.Neighbours(v)) {
      if (distance_[w] == kUnseen) {
        distance_[w] = distance_[v] + 1;
        order_.push_back(w);
      }
      if (distance_[w] == distance_[v] + 1) paths_[w] += paths_[v];
    }
  }
  for (size_t i = order_.size(); i-- > 0;) {
    NodeId v = order_[i];
    double delta = 0;
    for (NodeId w : graph.Neighbours(v)) {
      if (distance_[w] != distance_[v] + 1) continue;
      double counts = target_mask == nullptr ? 1.0 : (target_mask[w] != 0 ? 1.0 : 0.0);
      delta += paths_[v] / paths_[w] * (counts + dependency_[w]);
    }
    dependency_[v] = delta;
    if (v != source) accumulator[v] += delta;
  }
  for (NodeId v : order_) {
    distance_[v] = kUnseen;
    paths_[v] = 0;
    dependency_[v] = 0;
  }
}

}  // namespace vigil
