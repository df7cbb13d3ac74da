// AddContacts: new contacts (a day of communications, say) and new nodes
// merged into a built graph in place, without re-sorting what it holds.
//
// The d new contacts are sorted and grouped into ties. A tie the graph
// already has gets its contacts merged into that edge's time list; a new
// tie becomes a new edge (next edge id) and two new adjacency entries. The
// arrays are grown once and then filled from the back, shifting each old
// run by the number of insertions before it: every element moves at most
// once and old runs move with memmove, so the cost is O(d log d) plus
// linear memory traffic, with no comparisons of old contacts.
#include <algorithm>
#include <cstring>

#include "graph/graph_assembler.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

bool ContactLess(const TimedContact& x, const TimedContact& y) {
  if (x.a != y.a) return x.a < y.a;
  if (x.b != y.b) return x.b < y.b;
  return x.time < y.time;
}

// The contacts [begin, end) of one tie.
struct TieGroup {
  EdgeId edge = 0;
  size_t begin = 0;
  size_t end = 0;
};

// One new adjacency entry: `target` added to `node`'s list.
struct Insertion {
  NodeId node = 0;
  NodeId target = 0;
  EdgeId edge = 0;
};

// Moves the elements of v[from, to) so that they end at write_end, returns
// the new write position.
template <typename T>
size_t MoveRunBack(std::vector<T>& v, size_t from, size_t to, size_t write_end) {
  const size_t length = to - from;
  if (length > 0 && write_end != to) {
    std::memmove(v.data() + write_end - length, v.data() + from, length * sizeof(T));
  }
  return write_end - length;
}

}  // namespace

void GraphAssembler::AddSharedEvents(Graph& g, EdgeId e, uint32_t events, float weight) {
  auto it = std::lower_bound(g.shared_edges_.begin(), g.shared_edges_.end(), e);
  const auto at = it - g.shared_edges_.begin();
  if (it == g.shared_edges_.end() || *it != e) {
    g.shared_edges_.insert(it, e);
    g.shared_events_.insert(g.shared_events_.begin() + at, 0);
    g.shared_weight_.insert(g.shared_weight_.begin() + at, 0.0f);
  }
  g.shared_events_[static_cast<size_t>(at)] += events;
  g.shared_weight_[static_cast<size_t>(at)] += weight;
}

Status GraphAssembler::Merge(Graph& g, std::vector<TimedContact> contacts,
                             std::vector<std::string> new_labels,
                             std::vector<uint8_t> new_selector_flags) {
  if (g.offsets_.empty()) g.offsets_.assign(1, 0);
  if (g.contact_offsets_.empty()) g.contact_offsets_.assign(1, 0);
  const size_t old_n = g.node_count();
  const bool labelled = !g.label_offsets_.empty() || (old_n == 0 && !new_labels.empty());
  if (!labelled && !new_labels.empty()) {
    return Status::InvalidArgument(
        "the graph's nodes are unlabelled; new nodes cannot have labels");
  }
  if (!new_selector_flags.empty() && new_selector_flags.size() != new_labels.size()) {
    return Status::InvalidArgument("selector flags do not match the new labels");
  }
  size_t new_n = old_n + new_labels.size();
  if (!labelled) {
    for (const TimedContact& c : contacts)
      new_n = std::max<size_t>(new_n, std::max(c.a, c.b) + 1ull);
  }
  for (const std::string& label : new_labels) {
    if (labelled && old_n > 0 && g.Find(label).ok()) {
      return Status::InvalidArgument("node label '" + label + "' is already in the graph");
    }
  }
  size_t kept = 0;
  for (const TimedContact& c : contacts) {
    if (c.a >= new_n || c.b >= new_n) {
      return Status::InvalidArgument("a contact names node " + std::to_string(std::max(c.a, c.b)) +
                                     " but there are " + std::to_string(new_n) + " nodes");
    }
    if (c.a == c.b) continue;
    TimedContact& out = contacts[kept++];
    out = c;
    if (out.a > out.b) std::swap(out.a, out.b);
  }
  contacts.resize(kept);
  std::sort(contacts.begin(), contacts.end(), ContactLess);

  // Labels: appended, and merged into the lookup order.
  if (labelled) {
    std::vector<NodeId> fresh(new_labels.size());
    for (size_t i = 0; i < new_labels.size(); ++i) fresh[i] = static_cast<NodeId>(old_n + i);
    std::sort(fresh.begin(), fresh.end(),
              [&](NodeId x, NodeId y) { return new_labels[x - old_n] < new_labels[y - old_n]; });
    for (size_t i = 1; i < fresh.size(); ++i) {
      if (new_labels[fresh[i] - old_n] == new_labels[fresh[i - 1] - old_n]) {
        return Status::InvalidArgument("node label '" + new_labels[fresh[i] - old_n] +
                                       "' appears twice");
      }
    }
    if (g.label_offsets_.empty()) g.label_offsets_.assign(1, 0);
    for (const std::string& label : new_labels) {
      g.label_chars_.insert(g.label_chars_.end(), label.begin(), label.end());
      g.label_offsets_.push_back(g.label_chars_.size());
    }
    // Each new label's place is found by binary search (O(k log n) label
    // comparisons), then the order is rebuilt by copying runs.
    std::vector<NodeId> order;
    order.reserve(new_n);
    auto from = g.label_order_.begin();
    for (NodeId v : fresh) {
      auto at = std::lower_bound(from, g.label_order_.end(), g.Label(v),
                                 [&g](NodeId x, std::string_view key) { return g.Label(x) < key; });
      order.insert(order.end(), from, at);
      order.push_back(v);
      from = at;
    }
    order.insert(order.end(), from, g.label_order_.end());
    g.label_order_ = std::move(order);
  }
  if (!g.is_selector_.empty() || !new_selector_flags.empty()) {
    g.is_selector_.resize(old_n, 0);
    new_selector_flags.resize(new_n - old_n, 0);
    g.is_selector_.insert(g.is_selector_.end(), new_selector_flags.begin(),
                          new_selector_flags.end());
  }

  // Ties: existing edges (found in a's sorted neighbour list) or new ones.
  const size_t old_m = g.edge_count();
  std::vector<TieGroup> existing;
  std::vector<TieGroup> created;
  for (size_t begin = 0; begin < contacts.size();) {
    size_t end = begin + 1;
    while (end < contacts.size() && contacts[end].a == contacts[begin].a &&
           contacts[end].b == contacts[begin].b) {
      ++end;
    }
    const TimedContact& c = contacts[begin];
    TieGroup group{0, begin, end};
    bool found = false;
    if (c.b < old_n) {
      auto neighbours = g.Neighbours(c.a);
      auto it = std::lower_bound(neighbours.begin(), neighbours.end(), c.b);
      if (it != neighbours.end() && *it == c.b) {
        group.edge = g.IncidentEdges(c.a)[static_cast<size_t>(it - neighbours.begin())];
        found = true;
      }
    }
    if (found) {
      existing.push_back(group);
    } else {
      group.edge = static_cast<EdgeId>(old_m + created.size());
      created.push_back(group);
    }
    uint8_t kinds = 0;
    uint32_t shared_events = 0;
    float shared_weight = 0;
    for (size_t i = begin; i < end; ++i) {
      kinds |= contacts[i].kind;
      if (contacts[i].share > 0) {
        ++shared_events;
        shared_weight += contacts[i].share;
      }
    }
    if (shared_events > 0) AddSharedEvents(g, group.edge, shared_events, shared_weight);
    if (found) {
      g.edge_kinds_[group.edge] |= kinds;
    } else {
      g.edge_kinds_.push_back(kinds);
    }
    begin = end;
  }
  std::sort(existing.begin(), existing.end(),
            [](const TieGroup& x, const TieGroup& y) { return x.edge < y.edge; });

  // Contact times: old edges in place (shifted from the back), new at the end.
  size_t added_to_old = 0;
  for (const TieGroup& group : existing) added_to_old += group.end - group.begin;
  const size_t old_c = g.contact_times_.size();
  g.contact_times_.resize(old_c + contacts.size());
  size_t read_end = old_c, write_end = old_c + added_to_old;
  for (auto group = existing.rbegin(); group != existing.rend(); ++group) {
    const uint64_t edge_begin = g.contact_offsets_[group->edge];
    const uint64_t edge_end = g.contact_offsets_[group->edge + 1];
    write_end = MoveRunBack(g.contact_times_, edge_end, read_end, write_end);
    // Merge this edge's old times with its new ones, from the back; once the
    // new ones are placed, the old ones left belong to the run before.
    size_t i = edge_end, j = group->end;
    while (j > group->begin) {
      if (i > edge_begin && g.contact_times_[i - 1] > contacts[j - 1].time) {
        g.contact_times_[--write_end] = g.contact_times_[--i];
      } else {
        g.contact_times_[--write_end] = contacts[--j].time;
      }
    }
    read_end = i;
  }
  size_t next = old_c + added_to_old;
  for (const TieGroup& group : created) {
    for (size_t i = group.begin; i < group.end; ++i) g.contact_times_[next++] = contacts[i].time;
  }
  uint64_t shift = 0;
  auto group = existing.begin();
  for (size_t e = 0; e <= old_m; ++e) {
    g.contact_offsets_[e] += shift;
    if (group != existing.end() && group->edge == e) {
      shift += group->end - group->begin;
      ++group;
    }
  }
  for (const TieGroup& created_group : created) {
    g.contact_offsets_.push_back(g.contact_offsets_.back() + created_group.end -
                                 created_group.begin);
  }

  // Adjacency: two entries per new edge, merged into each sorted list.
  std::vector<Insertion> insertions;
  insertions.reserve(2 * created.size());
  for (const TieGroup& created_group : created) {
    const TimedContact& c = contacts[created_group.begin];
    insertions.push_back(Insertion{c.a, c.b, created_group.edge});
    insertions.push_back(Insertion{c.b, c.a, created_group.edge});
  }
  std::sort(insertions.begin(), insertions.end(), [](const Insertion& x, const Insertion& y) {
    return x.node != y.node ? x.node < y.node : x.target < y.target;
  });
  g.offsets_.resize(new_n + 1, g.offsets_[old_n]);
  const size_t old_entries = g.targets_.size();
  g.targets_.resize(old_entries + insertions.size());
  g.edge_ids_.resize(old_entries + insertions.size());
  read_end = old_entries;
  write_end = old_entries + insertions.size();
  for (size_t end = insertions.size(); end > 0;) {
    const NodeId v = insertions[end - 1].node;
    size_t begin = end;
    while (begin > 0 && insertions[begin - 1].node == v) --begin;
    const uint64_t list_begin = g.offsets_[v], list_end = g.offsets_[v + 1];
    MoveRunBack(g.edge_ids_, list_end, read_end, write_end);
    write_end = MoveRunBack(g.targets_, list_end, read_end, write_end);
    size_t i = list_end, j = end;
    while (j > begin) {
      --write_end;
      if (i > list_begin && g.targets_[i - 1] > insertions[j - 1].target) {
        --i;
        g.targets_[write_end] = g.targets_[i];
        g.edge_ids_[write_end] = g.edge_ids_[i];
      } else {
        --j;
        g.targets_[write_end] = insertions[j].target;
        g.edge_ids_[write_end] = insertions[j].edge;
      }
    }
    read_end = i;
    end = begin;
  }
  shift = 0;
  size_t k = 0;
  for (size_t v = 0; v <= new_n; ++v) {
    g.offsets_[v] += shift;
    while (k < insertions.size() && insertions[k].node == v) {
      ++shift;
      ++k;
    }
  }
  for (size_t i = 0; i < contacts.size(); ++i) {
    const bool first = old_c == 0 && i == 0;
    g.latest_contact_ = first ? contacts[i].time : std::max(g.latest_contact_, contacts[i].time);
  }
  AdviseHugePages(g);  // arrays that grew were reallocated onto small pages
  return Status::Ok();
}

Status AddContacts(Graph& graph, std::vector<TimedContact> contacts,
                   std::vector<std::string> new_labels, std::vector<uint8_t> new_selector_flags) {
  return GraphAssembler::Merge(graph, std::move(contacts), std::move(new_labels),
                               std::move(new_selector_flags));
}

}  // namespace vigil
