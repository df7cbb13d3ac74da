// Degree centrality.
#include "vigil/graph.h"

namespace vigil {

std::vector<double> DegreeCentrality(const Graph& graph) {
  std::vector<double> degree(graph.node_count());
  for (NodeId v = 0; v < graph.node_count(); ++v) degree[v] = static_cast<double>(graph.Degree(v));
  return degree;
}

}  // namespace vigil
