// BuildGraphFromStore: the people graph from the store's communications,
// attributions, custody, travel and reports.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "graph/graph_assembler.h"
#include "graph/parallel.h"
#include "vigil/graph.h"
#include "vigil/store.h"

namespace vigil {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// Co-travel: one departure is the passengers of a route within this of the
// first departure; more known passengers than kMaxSharedDeparture add no tie.
constexpr int64_t kCoTravelWindow = 3 * 3600;
constexpr size_t kMaxSharedDeparture = 12;
// Custody: an overlap of stays this long or longer says all it can.
constexpr double kCustodyFullDays = 30;

// Node ids: people first as met, then selectors nobody owns.
class NodeTable {
 public:
  NodeId Node(const std::string& label, bool selector) {
    auto [it, fresh] = ids_.try_emplace(label, static_cast<NodeId>(labels_.size()));
    if (fresh) {
      labels_.push_back(label);
      selector_.push_back(selector ? 1 : 0);
    }
    return it->second;
  }
  std::vector<std::string> TakeLabels() { return std::move(labels_); }
  std::vector<uint8_t> TakeSelectorFlags() { return std::move(selector_); }

 private:
  std::unordered_map<std::string, NodeId> ids_;
  std::vector<std::string> labels_;
  std::vector<uint8_t> selector_;
};

struct Owner {
  std::string person_id;
  int rank = -1;  // source/confirmed above proposed; then confidence
  double confidence = 0;
};

// selector -> owning person, by the attribution rules of the options.
Result<std::unordered_map<std::string, std::string>> Owners(Store& store,
                                                            const StoreGraphOptions& options) {
  std::unordered_map<std::string, Owner> best;
  VIGIL_RETURN_IF_ERROR(store.ScanAttributions([&](const Attribution& a) {
    int rank = -1;
    if (a.state == AttributionState::kSource || a.state == AttributionState::kConfirmed) rank = 1;
    if (a.state == AttributionState::kProposed && a.confidence >= options.min_proposed_confidence) {
      rank = 0;
    }
    if (rank < 0) return true;
    Owner& owner = best[a.selector];
    if (rank > owner.rank || (rank == owner.rank && a.confidence > owner.confidence)) {
      owner = Owner{a.person_id, rank, a.confidence};
    }
    return true;
  }));
  std::unordered_map<std::string, std::string> owners;
  for (auto& [selector, owner] : best) owners.emplace(selector, std::move(owner.person_id));
  return owners;
}

// What each selector (by the store's dense id, see ScanSelectors) becomes in
// the graph: its owner's person_id, or itself when nobody owns it.
struct SelectorNodes {
  std::vector<std::string> label{std::string()};  // index 0 unused
  std::vector<uint8_t> bare{0};                   // 1: a selector nobody owns
  // The handsets' own names ("imei:..."), by id; empty unless asked for.
  std::vector<std::string> device_name;
};

Result<SelectorNodes> ReadSelectorNodes(Store& store,
                                        const std::unordered_map<std::string, std::string>& owners,
                                        bool device_names) {
  SelectorNodes nodes;
  VIGIL_RETURN_IF_ERROR(store.ScanSelectors([&](int64_t id, std::string_view selector) {
    nodes.label.resize(static_cast<size_t>(id) + 1);
    nodes.bare.resize(static_cast<size_t>(id) + 1, 0);
    auto owner = owners.find(std::string(selector));
    nodes.label[id] = owner != owners.end() ? owner->second : std::string(selector);
    nodes.bare[id] = owner == owners.end() ? 1 : 0;
    if (device_names && selector.starts_with("imei:")) {
      nodes.device_name.resize(static_cast<size_t>(id) + 1);
      nodes.device_name[id] = std::string(selector);
    }
    return true;
  }));
  return nodes;
}

// Who sent communications from which handset: per (handset id, node) the
// first and last time and the count.
struct DeviceUse {
  UnixTime first = INT64_MAX;
  UnixTime last = INT64_MIN;
  uint32_t count = 0;
};
struct DeviceUserHash {
  size_t operator()(const std::pair<int64_t, NodeId>& key) const {
    return std::hash<uint64_t>{}(static_cast<uint64_t>(key.first) * 0x9E3779B97F4A7C15ULL ^
                                 key.second);
  }
};
using DeviceUses = std::unordered_map<std::pair<int64_t, NodeId>, DeviceUse, DeviceUserHash>;

// kEdgeComm with its refinement by the communication's kind.
uint8_t CommEdgeKind(CommKind kind) {
  switch (kind) {
    case CommKind::kCall:
      return kEdgeComm | kEdgeCall;
    case CommKind::kSms:
    case CommKind::kMsg:
    case CommKind::kEmail:
      return kEdgeComm | kEdgeMessage;
    case CommKind::kUnknown:
      break;
  }
  return kEdgeComm;
}

// The one comm-edge scan of build and update: appends a contact for every
// communication stored after row `after_row` whose time is in the options'
// window, between the nodes node_of_selector gives its two selectors
// (dropping self-contacts and selectors the table does not know). Returns
// the last storage row read (after_row when there is none), the graph's new
// high-water mark. Cancelled if options.control asks. Cost: O(rows after
// after_row) (the store's rowid range scan).
// With `devices`, also records which node sent each communication that
// names its handset.
Result<int64_t> ScanCommsAfter(Store& store, int64_t after_row, const StoreGraphOptions& options,
                               const std::vector<NodeId>& node_of_selector,
                               std::vector<TimedContact>& contacts, DeviceUses* devices = nullptr) {
  const UnixTime from = options.from.value_or(INT64_MIN), to = options.to.value_or(INT64_MAX);
  int64_t seen = 0, last_row = after_row;
  bool cancelled = false;
  VIGIL_RETURN_IF_ERROR(store.ScanCommEdgesAfter(after_row, [&](int64_t row, const CommEdge& edge) {
    if ((++seen & 0xFFFF) == 0 && Cancelled(options.control.cancel)) {
      cancelled = true;
      return false;
    }
    last_row = std::max(last_row, row);
    if (edge.time < from || edge.time >= to) return true;
    if (edge.src <= 0 || edge.dst <= 0 ||
        static_cast<size_t>(std::max(edge.src, edge.dst)) >= node_of_selector.size()) {
      return true;
    }
    NodeId a = node_of_selector[edge.src], b = node_of_selector[edge.dst];
    if (a != b && a != kNoNode && b != kNoNode)
      contacts.push_back(TimedContact{a, b, edge.time, CommEdgeKind(edge.kind)});
    if (devices != nullptr && edge.device > 0 && a != kNoNode) {
      DeviceUse& use = (*devices)[{edge.device, a}];
      use.first = std::min(use.first, edge.time);
      use.last = std::max(use.last, edge.time);
      ++use.count;
    }
    return true;
  }));
  if (cancelled) return Status::Cancelled("graph build cancelled");
  return last_row;
}

// Shared handset: the users of each handset named in `names` linked
// pairwise (BuildGraphFromStore says how), with the evidence of each link.
void AddSharedHandsets(const DeviceUses& devices, const std::vector<std::string>& names,
                       std::vector<TimedContact>& contacts, std::vector<HandsetUse>& evidence) {
  struct User {
    int64_t device;
    NodeId node;
    DeviceUse use;
  };
  std::vector<User> users;
  users.reserve(devices.size());
  for (const auto& [key, use] : devices) {
    const auto device = static_cast<size_t>(key.first);
    if (device < names.size() && !names[device].empty())
      users.push_back({key.first, key.second, use});
  }
  std::sort(users.begin(), users.end(), [](const User& x, const User& y) {
    return x.device != y.device ? x.device < y.device : x.node < y.node;
  });
  for (size_t begin = 0; begin < users.size();) {
    size_t end = begin + 1;
    while (end < users.size() && users[end].device == users[begin].device) ++end;
    const size_t n = end - begin;
    if (n >= 2 && n <= kMaxHandsetUsers) {
      const float share = 1.0f / static_cast<float>(n - 1);
      for (size_t i = begin; i < end; ++i) {
        for (size_t j = i + 1; j < end; ++j) {
          const User& x = users[i];  // x.node < y.node
          const User& y = users[j];
          contacts.push_back(TimedContact{x.node, y.node, std::max(x.use.first, y.use.first),
                                          kEdgeHandset, share});
          evidence.push_back(HandsetUse{names[static_cast<size_t>(x.device)], x.node, y.node,
                                        x.use.first, x.use.last, x.use.count, y.use.first,
                                        y.use.last, y.use.count});
        }
      }
    }
    begin = end;
  }
}

Status AddCustody(Store& store, NodeTable& nodes, std::vector<TimedContact>& contacts) {
  struct Stay {
    std::string person_id;
    UnixTime start = 0;
    UnixTime end = INT64_MAX;
  };
  std::map<std::string, std::vector<Stay>> by_facility;
  VIGIL_RETURN_IF_ERROR(store.ScanCustody([&](const CustodyRecord& r) {
    auto start = ParseDate(r.start);
    if (!start.ok()) return true;
    Stay stay{r.person_id, *start, INT64_MAX};
    if (auto end = ParseDate(r.end); !r.end.empty() && end.ok()) stay.end = *end + kSecondsPerDay;
    by_facility[r.facility].push_back(std::move(stay));
    return true;
  }));
  std::vector<UnixTime> starts, ends;
  for (auto& [facility, stays] : by_facility) {
    std::sort(stays.begin(), stays.end(),
              [](const Stay& x, const Stay& y) { return x.start < y.start; });
    starts.clear();
    ends.clear();
    for (const Stay& stay : stays) {
      starts.push_back(stay.start);
      ends.push_back(stay.end);
    }
    std::sort(ends.begin(), ends.end());
    // Stays in the facility at time t: started by t and not ended by t.
    auto present = [&](UnixTime t) {
      const auto started = std::upper_bound(starts.begin(), starts.end(), t) - starts.begin();
      const auto ended = std::upper_bound(ends.begin(), ends.end(), t) - ends.begin();
      return std::max<int64_t>(2, started - ended);
    };
    for (size_t i = 0; i < stays.size(); ++i) {
      for (size_t j = i + 1; j < stays.size() && stays[j].start < stays[i].end; ++j) {
        if (stays[i].person_id == stays[j].person_id) continue;
        // What the overlap says: 1/(n-1) for the n people held there when
        // it began, times its length in months up to one.
        const UnixTime until = std::min(stays[i].end, stays[j].end);
        const double days = static_cast<double>(until - stays[j].start) / kSecondsPerDay;
        const double months = std::clamp(days / kCustodyFullDays, 0.0, 1.0);
        const double share = months / static_cast<double>(present(stays[j].start) - 1);
        contacts.push_back(TimedContact{nodes.Node(stays[i].person_id, false),
                                        nodes.Node(stays[j].person_id, false), stays[j].start,
                                        kEdgeCustody, static_cast<float>(std::max(share, 1e-6))});
      }
    }
  }
  return Status::Ok();
}

// Co-travel: passengers of one departure (same carrier, origin and
// destination, departing within kCoTravelWindow of the group's first
// departure), so a flight leaving around midnight UTC is one departure, not
// two. A departure shared by more than kMaxSharedDeparture known passengers
// says nothing about any pair of them (a full flight is not a clique of
// ties) and adds no tie.
Status AddCoTravel(Store& store, const std::unordered_map<std::string, std::string>& owners,
                   NodeTable& nodes, std::vector<TimedContact>& contacts) {
  std::map<std::string, std::vector<std::pair<UnixTime, std::string>>> routes;
  VIGIL_RETURN_IF_ERROR(store.ScanTravel([&](const TravelRecord& r) {
    auto owner = owners.find(r.document);
    if (r.document.empty() || owner == owners.end()) return true;
    routes[r.carrier + '|' + r.origin + '|' + r.destination].emplace_back(r.time, owner->second);
    return true;
  }));
  for (auto& [route, passengers] : routes) {
    std::sort(passengers.begin(), passengers.end());
    for (size_t begin = 0; begin < passengers.size();) {
      size_t end = begin + 1;
      while (end < passengers.size() &&
             passengers[end].first - passengers[begin].first <= kCoTravelWindow) {
        ++end;
      }
      if (end - begin <= kMaxSharedDeparture) {
        // 1/(n-1) for the n distinct passengers of the departure.
        std::vector<std::string_view> people;
        for (size_t i = begin; i < end; ++i) people.push_back(passengers[i].second);
        std::sort(people.begin(), people.end());
        people.erase(std::unique(people.begin(), people.end()), people.end());
        const float share = 1.0f / static_cast<float>(std::max<size_t>(1, people.size() - 1));
        for (size_t i = begin; i < end; ++i) {
          for (size_t j = i + 1; j < end; ++j) {
            if (passengers[i].second == passengers[j].second) continue;
            contacts.push_back(TimedContact{nodes.Node(passengers[i].second, false),
                                            nodes.Node(passengers[j].second, false),
                                            passengers[i].first, kEdgeCoTravel, share});
          }
        }
      }
      begin = end;
    }
  }
  return Status::Ok();
}

Status AddReports(Store& store, NodeTable& nodes, std::vector<TimedContact>& contacts) {
  std::vector<std::string> people;
  VIGIL_RETURN_IF_ERROR(store.ScanPersons([&](const Person& p) {
    people.push_back(p.person_id);
    return true;
  }));
  std::sort(people.begin(), people.end());
  VIGIL_RETURN_IF_ERROR(store.ScanReports([&](const Report& r) {
    if (r.person_id.empty()) return true;
    // Tokens of the text that are known person ids.
    size_t pos = 0;
    const std::string& text = r.text;
    while (pos < text.size()) {
      size_t end = pos;
      while (end < text.size() && ValidateId(std::string_view(&text[end], 1)).ok()) ++end;
      std::string token = text.substr(pos, end - pos);
      if (!token.empty() && token != r.person_id &&
          std::binary_search(people.begin(), people.end(), token)) {
        contacts.push_back(TimedContact{nodes.Node(r.person_id, false), nodes.Node(token, false),
                                        r.time, kEdgeReport});
      }
      pos = end + 1;
    }
    return true;
  }));
  return Status::Ok();
}

}  // namespace

Result<Graph> BuildGraphFromStore(Store& store, const StoreGraphOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(auto owners, Owners(store, options));
  VIGIL_ASSIGN_OR_RETURN(SelectorNodes selectors,
                         ReadSelectorNodes(store, owners, options.shared_handset));
  NodeTable nodes;
  std::vector<NodeId> node_of_selector(selectors.label.size(), kNoNode);
  for (size_t id = 1; id < selectors.label.size(); ++id) {
    if (!selectors.label[id].empty())
      node_of_selector[id] = nodes.Node(selectors.label[id], selectors.bare[id] != 0);
  }
  std::vector<TimedContact> contacts;
  DeviceUses devices;
  VIGIL_ASSIGN_OR_RETURN(int64_t last_row,
                         ScanCommsAfter(store, 0, options, node_of_selector, contacts,
                                        options.shared_handset ? &devices : nullptr));
  std::vector<HandsetUse> handsets;
  if (options.shared_handset) {
    AddSharedHandsets(devices, selectors.device_name, contacts, handsets);
    devices.clear();
  }
  if (options.custody) VIGIL_RETURN_IF_ERROR(AddCustody(store, nodes, contacts));
  if (options.co_travel) VIGIL_RETURN_IF_ERROR(AddCoTravel(store, owners, nodes, contacts));
  if (options.reports) VIGIL_RETURN_IF_ERROR(AddReports(store, nodes, contacts));
  GraphBuildOptions build;
  build.threads = options.threads;
  VIGIL_ASSIGN_OR_RETURN(Graph graph, BuildGraph(nodes.TakeLabels(), std::move(contacts), build,
                                                 nodes.TakeSelectorFlags()));
  GraphAssembler::SetStoreCommRow(graph, last_row);
  if (!handsets.empty()) GraphAssembler::SetHandsetUses(graph, std::move(handsets));
  return graph;
}

Result<size_t> UpdateGraphFromStore(Store& store, Graph& graph, const StoreGraphOptions& options) {
  if (options.shared_handset) {
    // A new communication from a known handset ties its sender to the
    // handset's earlier users, whom the new rows do not name: rebuild.
    VIGIL_ASSIGN_OR_RETURN(Graph fresh, BuildGraphFromStore(store, options));
    const size_t before = graph.contact_count();
    graph = std::move(fresh);
    return graph.contact_count() > before ? graph.contact_count() - before : 0;
  }
  VIGIL_ASSIGN_OR_RETURN(auto owners, Owners(store, options));
  VIGIL_ASSIGN_OR_RETURN(SelectorNodes selectors, ReadSelectorNodes(store, owners, false));
  // Every selector's node: the graph's, or a new one numbered after it.
  std::unordered_map<std::string, NodeId> fresh;
  std::vector<std::string> new_labels;
  std::vector<uint8_t> new_flags;
  std::vector<NodeId> node_of_selector(selectors.label.size(), kNoNode);
  for (size_t id = 1; id < selectors.label.size(); ++id) {
    const std::string& label = selectors.label[id];
    if (label.empty()) continue;
    if (auto found = graph.Find(label); found.ok()) {
      node_of_selector[id] = *found;
      continue;
    }
    auto [it, inserted] =
        fresh.try_emplace(label, static_cast<NodeId>(graph.node_count() + new_labels.size()));
    if (inserted) {
      new_labels.push_back(label);
      new_flags.push_back(selectors.bare[id]);
    }
    node_of_selector[id] = it->second;
  }
  std::vector<TimedContact> contacts;
  VIGIL_ASSIGN_OR_RETURN(int64_t last_row, ScanCommsAfter(store, graph.store_comm_row(), options,
                                                          node_of_selector, contacts));
  const size_t added = contacts.size();
  VIGIL_RETURN_IF_ERROR(
      AddContacts(graph, std::move(contacts), std::move(new_labels), std::move(new_flags)));
  GraphAssembler::SetStoreCommRow(graph, last_row);
  return added;
}

}  // namespace vigil
