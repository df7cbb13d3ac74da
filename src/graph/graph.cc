// Graph accessors: labels, lookup, windowed contact counts, memory.
#include <algorithm>
#include <charconv>

#include "graph/graph_assembler.h"
#include "graph/huge_pages.h"
#include "vigil/graph.h"

namespace vigil {

std::string EdgeKindsName(uint8_t kinds) {
  static constexpr std::pair<uint8_t, std::string_view> kNames[] = {
      {kEdgeComm, "comm"},      {kEdgeCustody, "custody"}, {kEdgeCoTravel, "co_travel"},
      {kEdgeReport, "report"},  {kEdgeCall, "call"},       {kEdgeMessage, "message"},
      {kEdgeHandset, "handset"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((kinds & bit) == 0) continue;
    if (!out.empty()) out += '|';
    out += name;
  }
  return out;
}

uint32_t Graph::EdgeContactsIn(EdgeId e, UnixTime from, UnixTime to) const {
  std::span<const UnixTime> times = EdgeContacts(e);
  auto lo = std::lower_bound(times.begin(), times.end(), from);
  auto hi = std::lower_bound(lo, times.end(), to);
  return static_cast<uint32_t>(hi - lo);
}

std::string_view Graph::Label(NodeId v) const {
  if (label_offsets_.empty()) {
    // Numeric labels are materialised on demand into a per-thread buffer.
    thread_local std::string buffer;
    buffer = std::to_string(v);
    return buffer;
  }
  return {label_chars_.data() + label_offsets_[v], label_offsets_[v + 1] - label_offsets_[v]};
}

Result<NodeId> Graph::Find(std::string_view label) const {
  if (label_offsets_.empty()) {
    uint64_t id = 0;
    auto [end, error] = std::from_chars(label.data(), label.data() + label.size(), id);
    if (error == std::errc() && end == label.data() + label.size() && id < node_count()) {
      return static_cast<NodeId>(id);
    }
  } else {
    auto it = std::lower_bound(label_order_.begin(), label_order_.end(), label,
                               [this](NodeId v, std::string_view key) { return Label(v) < key; });
    if (it != label_order_.end() && Label(*it) == label) return *it;
  }
  return Status::NotFound("no node '" + std::string(label) + "' in the network");
}

uint32_t Graph::EdgeSharedEvents(EdgeId e) const {
  auto it = std::lower_bound(shared_edges_.begin(), shared_edges_.end(), e);
  if (it == shared_edges_.end() || *it != e) return 0;
  return shared_events_[static_cast<size_t>(it - shared_edges_.begin())];
}

double Graph::EdgeSharedWeight(EdgeId e) const {
  auto it = std::lower_bound(shared_edges_.begin(), shared_edges_.end(), e);
  if (it == shared_edges_.end() || *it != e) return 0;
  return shared_weight_[static_cast<size_t>(it - shared_edges_.begin())];
}

std::span<const HandsetUse> Graph::EdgeHandsets(EdgeId e) const {
  auto [lo, hi] = std::equal_range(handset_edges_.begin(), handset_edges_.end(), e);
  return {handset_uses_.data() + (lo - handset_edges_.begin()), static_cast<size_t>(hi - lo)};
}

void GraphAssembler::SetHandsetUses(Graph& graph, std::vector<HandsetUse> uses) {
  // Each use's edge: b in a's sorted neighbour list. Uses whose ends are
  // not tied (cannot happen for a graph built with them) are dropped.
  std::vector<std::pair<EdgeId, HandsetUse>> keyed;
  keyed.reserve(uses.size());
  for (HandsetUse& use : uses) {
    if (use.a >= graph.node_count() || use.b >= graph.node_count()) continue;
    auto targets = graph.Neighbours(use.a);
    auto at = std::lower_bound(targets.begin(), targets.end(), use.b);
    if (at == targets.end() || *at != use.b) continue;
    keyed.emplace_back(graph.IncidentEdges(use.a)[at - targets.begin()], std::move(use));
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  graph.handset_edges_.clear();
  graph.handset_uses_.clear();
  for (auto& [edge, use] : keyed) {
    graph.handset_edges_.push_back(edge);
    graph.handset_uses_.push_back(std::move(use));
  }
}

size_t Graph::MemoryBytes() const {
  auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  return bytes(offsets_) + bytes(targets_) + bytes(edge_ids_) + bytes(edge_kinds_) +
         bytes(contact_offsets_) + bytes(contact_times_) + bytes(label_chars_) +
         bytes(label_offsets_) + bytes(label_order_) + bytes(is_selector_) + bytes(shared_edges_) +
         bytes(shared_events_) + bytes(shared_weight_) + bytes(handset_edges_) +
         bytes(handset_uses_);
}

void GraphAssembler::AdviseHugePages(const Graph& graph) {
  auto advise = [](const auto& v) {
    vigil::AdviseHugePages(v.data(), v.capacity() * sizeof(v[0]));
  };
  advise(graph.offsets_);
  advise(graph.targets_);
  advise(graph.edge_ids_);
  advise(graph.edge_kinds_);
  advise(graph.contact_offsets_);
  advise(graph.contact_times_);
}

}  // namespace vigil
