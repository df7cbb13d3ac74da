// GraphAssembler: the one friend of Graph that fills its arrays. Internal to
// src/graph.
#ifndef VIGIL_GRAPH_GRAPH_ASSEMBLER_H_
#define VIGIL_GRAPH_GRAPH_ASSEMBLER_H_

#include <string>
#include <vector>

#include "vigil/graph.h"

namespace vigil {

class GraphAssembler {
 public:
  // Stores labels compactly and sorts the lookup order. InvalidArgument if a
  // label repeats.
  static Status SetLabels(Graph& graph, std::vector<std::string> labels);
  // REQUIRES: sorted by (a, b, time), a < b < node_count, no self-contacts.
  // Cost: O(contacts + node_count).
  static void Assemble(Graph& graph, size_t node_count, const std::vector<TimedContact>& sorted);
  // AddContacts (graph_update.cc).
  static Status Merge(Graph& graph, std::vector<TimedContact> contacts,
                      std::vector<std::string> new_labels, std::vector<uint8_t> new_selector_flags);
  // Adds `events` contacts of shared events of summed share `weight` to
  // edge e's (Graph::EdgeSharedEvents). Cost O(edges with shared events).
  static void AddSharedEvents(Graph& graph, EdgeId e, uint32_t events, float weight);
  // Keeps the evidence of shared-handset ties (Graph::EdgeHandsets); each
  // use names the two ends of an edge of the graph. Cost O(u log u + u log
  // degree) for u uses.
  static void SetHandsetUses(Graph& graph, std::vector<HandsetUse> uses);
  static void SetSelectorFlags(Graph& graph, std::vector<uint8_t> flags) {
    graph.is_selector_ = std::move(flags);
  }
  static void SetStoreCommRow(Graph& graph, int64_t row) { graph.store_comm_row_ = row; }
  // Backs the graph's large arrays with transparent huge pages (see
  // huge_pages.h): fewer TLB misses for every analysis's random reads. Call
  // after the arrays are filled or moved. Cost: at most one copy of them.
  static void AdviseHugePages(const Graph& graph);
};

}  // namespace vigil

#endif  // VIGIL_GRAPH_GRAPH_ASSEMBLER_H_
