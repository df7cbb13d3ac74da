// BuildGraph: timed contacts to the compressed sparse row graph.
//
// Contacts are normalised (a < b), sorted by (a, b, time) in parallel, and
// collapsed to edges in one pass; adjacency is filled in edge order, which
// leaves every neighbour list sorted.
#include <algorithm>
#include <thread>

#include "graph/graph_assembler.h"
#include "graph/huge_pages.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

bool ContactLess(const TimedContact& x, const TimedContact& y) {
  if (x.a != y.a) return x.a < y.a;
  if (x.b != y.b) return x.b < y.b;
  return x.time < y.time;
}

// Sorts `contacts` with up to `threads` workers: each sorts a slice, then
// slices are merged pairwise.
void ParallelSort(std::vector<TimedContact>& contacts, int threads) {
  size_t parts = std::max(1, threads);
  constexpr size_t kMinParallel = 1 << 16;
  if (contacts.size() < kMinParallel) parts = 1;
  std::vector<size_t> bounds;
  for (size_t i = 0; i <= parts; ++i) bounds.push_back(contacts.size() * i / parts);
  std::vector<std::jthread> workers;
  for (size_t i = 0; i < parts; ++i) {
    workers.emplace_back([&, i] {
      std::sort(contacts.begin() + bounds[i], contacts.begin() + bounds[i + 1], ContactLess);
    });
  }
  workers.clear();  // joins
  for (size_t width = 1; width < parts; width *= 2) {
    for (size_t i = 0; i + width < parts; i += 2 * width) {
      size_t end = std::min(parts, i + 2 * width);
      std::inplace_merge(contacts.begin() + bounds[i], contacts.begin() + bounds[i + width],
                         contacts.begin() + bounds[end], ContactLess);
    }
  }
}

// Distinct (a, b) pairs in contacts sorted by (a, b, time). Cost O(c).
size_t CountEdges(const std::vector<TimedContact>& sorted) {
  size_t edges = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i == 0 || sorted[i].a != sorted[i - 1].a || sorted[i].b != sorted[i - 1].b) ++edges;
  }
  return edges;
}

}  // namespace

Status GraphAssembler::SetLabels(Graph& graph, std::vector<std::string> labels) {
  graph.label_offsets_.reserve(labels.size() + 1);
  graph.label_offsets_.push_back(0);
  size_t chars = 0;
  for (const auto& label : labels) chars += label.size();
  graph.label_chars_.reserve(chars);
  for (const auto& label : labels) {
    graph.label_chars_.insert(graph.label_chars_.end(), label.begin(), label.end());
    graph.label_offsets_.push_back(graph.label_chars_.size());
  }
  graph.label_order_.resize(labels.size());
  for (NodeId v = 0; v < labels.size(); ++v) graph.label_order_[v] = v;
  std::sort(graph.label_order_.begin(), graph.label_order_.end(),
            [&labels](NodeId x, NodeId y) { return labels[x] < labels[y]; });
  for (size_t i = 1; i < labels.size(); ++i) {
    if (labels[graph.label_order_[i]] == labels[graph.label_order_[i - 1]]) {
      return Status::InvalidArgument("node label '" + labels[graph.label_order_[i]] +
                                     "' appears twice");
    }
  }
  return Status::Ok();
}

void GraphAssembler::Assemble(Graph& graph, size_t node_count,
                              const std::vector<TimedContact>& sorted) {
  // Every array is reserved at its final size and advised onto huge pages
  // before it is written, so that its pages are faulted in as huge pages
  // (no collapse copy later) and nothing is reallocated while it grows.
  auto reserve = [](auto& array, size_t size) {
    array.reserve(size);
    vigil::AdviseHugePages(array.data(), array.capacity() * sizeof(array[0]));
  };
  const size_t edges = CountEdges(sorted);
  reserve(graph.contact_times_, sorted.size());
  reserve(graph.contact_offsets_, edges + 1);
  reserve(graph.edge_kinds_, edges);
  graph.contact_offsets_.push_back(0);
  std::vector<uint32_t> degree(node_count, 0);
  for (size_t i = 0; i < sorted.size(); ++i) {
    const TimedContact& c = sorted[i];
    bool new_edge = i == 0 || c.a != sorted[i - 1].a || c.b != sorted[i - 1].b;
    if (new_edge) {
      if (i > 0) graph.contact_offsets_.push_back(graph.contact_times_.size());
      graph.edge_kinds_.push_back(0);
      ++degree[c.a];
      ++degree[c.b];
    }
    graph.edge_kinds_.back() |= c.kind;
    if (c.share > 0) {
      const EdgeId e = static_cast<EdgeId>(graph.edge_kinds_.size() - 1);
      if (graph.shared_edges_.empty() || graph.shared_edges_.back() != e) {
        graph.shared_edges_.push_back(e);
        graph.shared_events_.push_back(0);
        graph.shared_weight_.push_back(0);
      }
      ++graph.shared_events_.back();
      graph.shared_weight_.back() += c.share;
    }
    graph.contact_times_.push_back(c.time);
    graph.latest_contact_ = i == 0 ? c.time : std::max(graph.latest_contact_, c.time);
  }
  if (!sorted.empty()) graph.contact_offsets_.push_back(graph.contact_times_.size());

  reserve(graph.offsets_, node_count + 1);
  graph.offsets_.assign(node_count + 1, 0);
  for (size_t v = 0; v < node_count; ++v) graph.offsets_[v + 1] = graph.offsets_[v] + degree[v];
  reserve(graph.targets_, graph.offsets_[node_count]);
  reserve(graph.edge_ids_, graph.offsets_[node_count]);
  graph.targets_.resize(graph.offsets_[node_count]);
  graph.edge_ids_.resize(graph.offsets_[node_count]);
  std::vector<uint64_t> cursor(graph.offsets_.begin(), graph.offsets_.end() - 1);
  EdgeId edge = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const TimedContact& c = sorted[i];
    if (i > 0 && c.a == sorted[i - 1].a && c.b == sorted[i - 1].b) continue;
    graph.targets_[cursor[c.a]] = c.b;
    graph.edge_ids_[cursor[c.a]++] = edge;
    graph.targets_[cursor[c.b]] = c.a;
    graph.edge_ids_[cursor[c.b]++] = edge;
    ++edge;
  }
  AdviseHugePages(graph);
}

Result<Graph> BuildGraph(std::vector<std::string> labels, std::vector<TimedContact> contacts,
                         const GraphBuildOptions& options, std::vector<uint8_t> selector_nodes) {
  size_t node_count = labels.size();
  if (labels.empty()) {
    for (const auto& c : contacts)
      node_count = std::max<size_t>(node_count, std::max(c.a, c.b) + 1ull);
  }
  if (!selector_nodes.empty() && selector_nodes.size() != node_count) {
    return Status::InvalidArgument("selector flags do not match the number of nodes");
  }
  size_t kept = 0;
  for (const TimedContact& c : contacts) {
    if (c.a >= node_count || c.b >= node_count) {
      return Status::InvalidArgument("a contact names node " + std::to_string(std::max(c.a, c.b)) +
                                     " but there are " + std::to_string(node_count) + " nodes");
    }
    if (c.a == c.b) continue;
    TimedContact& out = contacts[kept++];
    out = c;
    if (out.a > out.b) std::swap(out.a, out.b);
  }
  contacts.resize(kept);
  Graph graph;
  if (!labels.empty()) VIGIL_RETURN_IF_ERROR(GraphAssembler::SetLabels(graph, std::move(labels)));
  ParallelSort(contacts, options.threads);
  GraphAssembler::Assemble(graph, node_count, contacts);
  GraphAssembler::SetSelectorFlags(graph, std::move(selector_nodes));
  return graph;
}

}  // namespace vigil
