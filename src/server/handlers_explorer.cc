// The network explorer's questions over the caller's graph (GraphCache):
// neighbour counts by kind of tie before expanding, one node's
// neighbourhood with "and N more", the ties among the nodes of a view with
// their times and daily activity, and the GraphML (or GEXF, CSV) export of a
// view. Every person shown passes the reveal hook first; a person the
// caller may not see is in no answer, count or export.
#include <algorithm>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "server/explorer_handlers.h"
#include "server/network_helpers.h"

namespace vigil::server {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

struct KindName {
  uint8_t bit;
  const char* name;
};
// The kinds of tie the explorer names. A comm tie with neither refinement
// (a communication of unknown kind) is "comm".
constexpr KindName kKindNames[] = {{kEdgeCall, "call"},       {kEdgeMessage, "message"},
                                   {kEdgeComm, "comm"},       {kEdgeCoTravel, "co_travel"},
                                   {kEdgeCustody, "custody"}, {kEdgeReport, "report"},
                                   {kEdgeHandset, "handset"}};

Json KindsOf(uint8_t kinds) {
  Json out = Json::array();
  const bool refined = (kinds & (kEdgeCall | kEdgeMessage)) != 0;
  for (const KindName& kind : kKindNames) {
    if ((kinds & kind.bit) == 0) continue;
    if (kind.bit == kEdgeComm && refined) continue;
    out.push_back(kind.name);
  }
  return out;
}

// The kinds a request keeps ("kinds": comma-separated names); every kind
// when absent. A bare comm bit matches "comm" only when unrefined: see Keeps.
Result<uint8_t> KindMask(const ApiRequest& request) {
  if (!request.Has("kinds")) return static_cast<uint8_t>(0xFF);
  const std::string text = request.String("kinds");
  uint8_t mask = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string name = text.substr(start, end - start);
    start = end + 1;
    if (name.empty()) continue;
    bool known = false;
    for (const KindName& kind : kKindNames) {
      if (name == kind.name) {
        mask |= kind.bit;
        known = true;
      }
    }
    if (!known) {
      return Status::InvalidArgument(
          "parameter 'kinds': unknown kind '" + name +
          "' (call, message, comm, co_travel, custody, report, handset)");
    }
  }
  return mask;
}

// Whether an edge of `kinds` has a kind in `mask`.
bool Keeps(uint8_t kinds, uint8_t mask) {
  if (mask == 0xFF) return true;
  const bool refined = (kinds & (kEdgeCall | kEdgeMessage)) != 0;
  uint8_t effective = kinds;
  if (refined) effective &= static_cast<uint8_t>(~kEdgeComm);
  return (effective & mask) != 0;
}

// What a request asks of ties: the window, min_contacts and kinds.
struct TieQuery {
  EdgeFilter filter;
  uint8_t mask = 0xFF;
  UnixTime from() const { return filter.from.value_or(INT64_MIN); }
  UnixTime to() const { return filter.to.value_or(INT64_MAX); }
};

Result<TieQuery> TieQueryOf(const ApiRequest& request) {
  TieQuery query;
  VIGIL_ASSIGN_OR_RETURN(query.filter, FilterOf(request));
  VIGIL_ASSIGN_OR_RETURN(query.mask, KindMask(request));
  return query;
}

// Contacts of edge e in the query's window, 0 when the tie is not kept.
uint32_t Admitted(const Graph& graph, EdgeId e, const TieQuery& query) {
  if (!Keeps(graph.EdgeKinds(e), query.mask)) return 0;
  const uint32_t contacts = (query.filter.from || query.filter.to)
                                ? graph.EdgeContactsIn(e, query.from(), query.to())
                                : graph.EdgeContactCount(e);
  return contacts >= std::max<uint32_t>(query.filter.min_contacts, 1) ? contacts : 0;
}

// A shared handset's evidence seen from a (the reply's source) and b.
Json HandsetsJson(const Graph& graph, NodeId a, EdgeId e) {
  Json list = Json::array();
  for (const HandsetUse& use : graph.EdgeHandsets(e)) {
    const bool a_low = use.a == a;
    list.push_back(Json{{"device", use.device},
                        {"source_first", FormatTime(a_low ? use.a_first : use.b_first)},
                        {"source_last", FormatTime(a_low ? use.a_last : use.b_last)},
                        {"source_count", a_low ? use.a_count : use.b_count},
                        {"target_first", FormatTime(a_low ? use.b_first : use.a_first)},
                        {"target_last", FormatTime(a_low ? use.b_last : use.a_last)},
                        {"target_count", a_low ? use.b_count : use.a_count}});
  }
  return list;
}

Json TieJson(const Graph& graph, NodeId a, NodeId b, EdgeId e, uint32_t contacts,
             const TieQuery& query, bool activity) {
  Json tie = {
      {"source", std::string(graph.Label(a))},       {"target", std::string(graph.Label(b))},
      {"kinds", KindsOf(graph.EdgeKinds(e))},        {"contacts", contacts},
      {"contacts_total", graph.EdgeContactCount(e)}, {"first", FormatTime(graph.EdgeFirst(e))},
      {"last", FormatTime(graph.EdgeLast(e))}};
  // A shared handset's evidence: which handset, and when each end used it.
  if (!graph.EdgeHandsets(e).empty()) tie["handsets"] = HandsetsJson(graph, a, e);
  if (activity) {
    // Contacts per UTC day inside the window: [day, count] in day order.
    Json days = Json::array();
    int64_t day = INT64_MIN;
    uint32_t count = 0;
    for (UnixTime t : graph.EdgeContacts(e)) {
      if (t < query.from() || t >= query.to()) continue;
      const int64_t d = (t >= 0 ? t : t - kSecondsPerDay + 1) / kSecondsPerDay;
      if (d != day && count > 0) {
        days.push_back(Json::array({FormatDate(day * kSecondsPerDay), count}));
        count = 0;
      }
      day = d;
      ++count;
    }
    if (count > 0) days.push_back(Json::array({FormatDate(day * kSecondsPerDay), count}));
    tie["days"] = std::move(days);
  }
  return tie;
}

// One tie of a reply: its ends, edge and contacts in the window.
struct TieRef {
  NodeId a;
  NodeId b;
  EdgeId e;
  uint32_t contacts;
};

// A neighbourhood's ties in columns (HandleNeighbourhood with columns):
// parallel arrays, each tie's ends as indexes into the reply's nodes
// (`index_of`), its kinds as an index into `kind_sets` (each distinct list of
// kind names once), first/last in seconds since the epoch, and with
// activity its days as one flat array [day, count, day, count, ...] (days
// since the epoch). Handset evidence, when any, by tie index.
Json TieColumns(const Graph& graph, const std::vector<TieRef>& ties,
                const std::unordered_map<NodeId, uint32_t>& index_of, const TieQuery& query,
                bool activity) {
  Json source = Json::array(), target = Json::array(), kinds = Json::array(),
       contacts = Json::array(), total = Json::array(), first = Json::array(), last = Json::array(),
       days = Json::array(), kind_sets = Json::array(), handsets = Json::object();
  std::map<uint8_t, size_t> kind_set_of;
  for (size_t i = 0; i < ties.size(); ++i) {
    const TieRef& t = ties[i];
    source.push_back(index_of.at(t.a));
    target.push_back(index_of.at(t.b));
    const uint8_t bits = graph.EdgeKinds(t.e);
    auto [at, fresh] = kind_set_of.try_emplace(bits, kind_sets.size());
    if (fresh) kind_sets.push_back(KindsOf(bits));
    kinds.push_back(at->second);
    contacts.push_back(t.contacts);
    total.push_back(graph.EdgeContactCount(t.e));
    first.push_back(graph.EdgeFirst(t.e));
    last.push_back(graph.EdgeLast(t.e));
    if (!graph.EdgeHandsets(t.e).empty()) {
      handsets[std::to_string(i)] = HandsetsJson(graph, t.a, t.e);
    }
    if (activity) {
      Json flat = Json::array();
      int64_t day = INT64_MIN;
      uint32_t count = 0;
      for (UnixTime time : graph.EdgeContacts(t.e)) {
        if (time < query.from() || time >= query.to()) continue;
        const int64_t d = (time >= 0 ? time : time - kSecondsPerDay + 1) / kSecondsPerDay;
        if (d != day && count > 0) {
          flat.push_back(day);
          flat.push_back(count);
          count = 0;
        }
        day = d;
        ++count;
      }
      if (count > 0) {
        flat.push_back(day);
        flat.push_back(count);
      }
      days.push_back(std::move(flat));
    }
  }
  Json out = {{"source", std::move(source)},     {"target", std::move(target)},
              {"kinds", std::move(kinds)},       {"kind_sets", std::move(kind_sets)},
              {"contacts", std::move(contacts)}, {"contacts_total", std::move(total)},
              {"first", std::move(first)},       {"last", std::move(last)}};
  if (activity) out["days"] = std::move(days);
  if (!handsets.empty()) out["handsets"] = std::move(handsets);
  return out;
}

// Nodes (NodeJson objects) in columns: one array per field, null where a
// node lacks it (persons have no proposed owner).
Json NodeColumns(const std::vector<Json>& nodes) {
  static constexpr const char* kFields[] = {
      "id",     "kind",           "degree",     "community",
      "broker", "proposed_owner", "confidence", "attribution_state"};
  Json out = Json::object();
  for (const char* field : kFields) {
    Json column = Json::array();
    bool any = false;
    for (const Json& node : nodes) {
      auto it = node.find(field);
      if (it == node.end()) {
        column.push_back(nullptr);
      } else {
        column.push_back(*it);
        any = true;
      }
    }
    if (any) out[field] = std::move(column);
  }
  return out;
}

// Per node: what the explorer draws besides its label.
struct NodeFacts {
  std::shared_ptr<const std::vector<uint32_t>> membership;
  std::shared_ptr<const std::vector<uint8_t>> brokers;
};

Result<NodeFacts> FactsOf(HandlerContext& ctx, const std::shared_ptr<const Graph>& graph) {
  NodeFacts facts;
  VIGIL_ASSIGN_OR_RETURN(facts.membership, ctx.graphs.Membership(ctx.store, graph));
  VIGIL_ASSIGN_OR_RETURN(facts.brokers, ctx.graphs.BrokerFlags(ctx.store, graph, ctx.cancel));
  return facts;
}

// A node as the explorer draws it. A selector nobody owns carries the
// best proposal of an owner the caller may see (AttributionsOfSelector is
// filtered by the access layer), with its confidence.
Result<Json> NodeJson(HandlerContext& ctx, const Graph& graph, NodeId v, const NodeFacts& facts) {
  Json node = {{"id", std::string(graph.Label(v))},
               {"kind", graph.IsSelector(v) ? "selector" : "person"},
               {"degree", graph.Degree(v)},
               {"community", (*facts.membership)[v]},
               {"broker", (*facts.brokers)[v] != 0}};
  if (graph.IsSelector(v)) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<Attribution> owners,
                           ctx.store.AttributionsOfSelector(graph.Label(v)));
    const Attribution* best = nullptr;
    for (const Attribution& owner : owners) {
      if (owner.state == AttributionState::kRejected) continue;
      if (best == nullptr || owner.confidence > best->confidence) best = &owner;
    }
    if (best != nullptr) {
      node["proposed_owner"] = best->person_id;
      node["confidence"] = best->confidence;
      node["attribution_state"] = std::string(AttributionStateName(best->state));
    } else {
      node["proposed_owner"] = nullptr;
    }
  }
  return node;
}

// The neighbours of v through kept ties, with the tie and its contacts.
struct Neighbour {
  NodeId node;
  EdgeId edge;
  uint32_t contacts;
};
std::vector<Neighbour> NeighboursOf(const Graph& graph, NodeId v, const TieQuery& query) {
  std::vector<Neighbour> out;
  auto targets = graph.Neighbours(v);
  auto edges = graph.IncidentEdges(v);
  for (size_t i = 0; i < targets.size(); ++i) {
    const uint32_t contacts = Admitted(graph, edges[i], query);
    if (contacts > 0) out.push_back({targets[i], edges[i], contacts});
  }
  return out;
}

// Nodes of the caller's graph for a list of ids, skipping ids that are not
// nodes of it (missing, or not visible: the same).
std::vector<NodeId> NodesOf(const Graph& graph, const std::vector<std::string>& ids) {
  std::vector<NodeId> out;
  for (const std::string& id : ids) {
    auto node = graph.Find(id);
    if (node.ok()) out.push_back(*node);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

Result<Json> HandleNeighbourCounts(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  VIGIL_ASSIGN_OR_RETURN(std::vector<NodeId> nodes,
                         ResolveSeeds(ctx, *graph, request.Strings("nodes")));
  VIGIL_ASSIGN_OR_RETURN(TieQuery query, TieQueryOf(request));
  std::vector<NodeId> around;
  for (NodeId v : nodes) {
    for (const Neighbour& n : NeighboursOf(*graph, v, query)) around.push_back(n.node);
  }
  around.insert(around.end(), nodes.begin(), nodes.end());
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, around, "network neighbours"));
  Json out = Json::array();
  for (NodeId v : nodes) {
    if (!Shown(*graph, v, shown)) continue;
    std::map<std::string, int64_t> by_kind;
    for (const KindName& kind : kKindNames) by_kind[kind.name] = 0;
    int64_t total = 0;
    for (const Neighbour& n : NeighboursOf(*graph, v, query)) {
      if (!Shown(*graph, n.node, shown)) continue;
      ++total;
      for (const Json& kind : KindsOf(graph->EdgeKinds(n.edge))) {
        ++by_kind[kind.get<std::string>()];
      }
    }
    Json kinds = Json::object();
    for (const auto& [name, count] : by_kind) kinds[name] = count;
    out.push_back(Json{{"id", std::string(graph->Label(v))},
                       {"neighbours", total},
                       {"by_kind", std::move(kinds)}});
  }
  return Json{{"nodes", std::move(out)}};
}

Result<Json> HandleNeighbourhood(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  VIGIL_ASSIGN_OR_RETURN(std::vector<NodeId> centre,
                         ResolveSeeds(ctx, *graph, request.Strings("node")));
  VIGIL_ASSIGN_OR_RETURN(TieQuery query, TieQueryOf(request));
  VIGIL_ASSIGN_OR_RETURN(NodeFacts facts, FactsOf(ctx, graph));
  const auto limit = static_cast<size_t>(request.Int("limit", 50));
  const bool activity = request.Bool("activity", false);
  if (centre.empty()) {
    return Json{{"node", nullptr}, {"nodes", Json::array()}, {"ties", Json::array()}, {"more", 0}};
  }
  const NodeId v = centre.front();
  std::vector<Neighbour> neighbours = NeighboursOf(*graph, v, query);
  std::vector<NodeId> around = {v};
  for (const Neighbour& n : neighbours) around.push_back(n.node);
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, around, "network neighbourhood"));
  std::erase_if(neighbours, [&](const Neighbour& n) { return !Shown(*graph, n.node, shown); });
  std::stable_sort(neighbours.begin(), neighbours.end(),
                   [](const Neighbour& x, const Neighbour& y) { return x.contacts > y.contacts; });
  const size_t more = neighbours.size() > limit ? neighbours.size() - limit : 0;
  if (neighbours.size() > limit) neighbours.resize(limit);
  VIGIL_ASSIGN_OR_RETURN(Json centre_json, NodeJson(ctx, *graph, v, facts));
  std::vector<Json> nodes;
  std::vector<TieRef> ties;
  std::unordered_set<NodeId> kept;
  for (const Neighbour& n : neighbours) {
    VIGIL_ASSIGN_OR_RETURN(Json node, NodeJson(ctx, *graph, n.node, facts));
    nodes.push_back(std::move(node));
    ties.push_back({v, n.node, n.edge, n.contacts});
    kept.insert(n.node);
  }
  // Ties among the neighbours shown, each once (from its lower end).
  for (const Neighbour& n : neighbours) {
    for (const Neighbour& m : NeighboursOf(*graph, n.node, query)) {
      if (m.node <= n.node || kept.count(m.node) == 0) continue;
      ties.push_back({n.node, m.node, m.edge, m.contacts});
    }
  }
  if (request.Bool("columns", false)) {
    // Index 0 is the centre, then the nodes in order.
    std::unordered_map<NodeId, uint32_t> index_of;
    index_of.emplace(v, 0);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      index_of.emplace(neighbours[i].node, static_cast<uint32_t>(i + 1));
    }
    return Json{{"node", std::move(centre_json)},
                {"columns", true},
                {"nodes", NodeColumns(nodes)},
                {"ties", TieColumns(*graph, ties, index_of, query, activity)},
                {"more", more}};
  }
  Json tie_json = Json::array();
  for (const TieRef& t : ties) {
    tie_json.push_back(TieJson(*graph, t.a, t.b, t.e, t.contacts, query, activity));
  }
  return Json{{"node", std::move(centre_json)},
              {"nodes", Json(std::move(nodes))},
              {"ties", std::move(tie_json)},
              {"more", more}};
}

Result<Json> HandleTies(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  VIGIL_ASSIGN_OR_RETURN(TieQuery query, TieQueryOf(request));
  VIGIL_ASSIGN_OR_RETURN(NodeFacts facts, FactsOf(ctx, graph));
  const bool activity = request.Bool("activity", false);
  std::vector<NodeId> nodes = NodesOf(*graph, request.Strings("nodes"));
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, nodes, "network ties"));
  std::erase_if(nodes, [&](NodeId v) { return !Shown(*graph, v, shown); });
  const std::unordered_set<NodeId> in_view(nodes.begin(), nodes.end());
  Json node_json = Json::array();
  Json ties = Json::array();
  for (NodeId v : nodes) {
    node_json.push_back(Json{{"id", std::string(graph->Label(v))},
                             {"kind", graph->IsSelector(v) ? "selector" : "person"},
                             {"community", (*facts.membership)[v]},
                             {"broker", (*facts.brokers)[v] != 0}});
    for (const Neighbour& n : NeighboursOf(*graph, v, query)) {
      if (n.node <= v || in_view.count(n.node) == 0) continue;
      ties.push_back(TieJson(*graph, v, n.node, n.edge, n.contacts, query, activity));
    }
  }
  return Json{{"nodes", std::move(node_json)}, {"ties", std::move(ties)}};
}

Result<Json> HandleExportView(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  VIGIL_ASSIGN_OR_RETURN(TieQuery query, TieQueryOf(request));
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<uint32_t>> membership,
                         ctx.graphs.Membership(ctx.store, graph));
  std::vector<NodeId> nodes = NodesOf(*graph, request.Strings("nodes"));
  // An export discloses everyone in it: logged like `network export`.
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, nodes, "network export view"));
  std::erase_if(nodes, [&](NodeId v) { return !Shown(*graph, v, shown); });
  std::unordered_map<NodeId, NodeId> local;
  std::vector<std::string> labels;
  std::vector<uint8_t> selector_flags;
  std::vector<uint32_t> local_membership;
  for (NodeId v : nodes) {
    local.emplace(v, static_cast<NodeId>(labels.size()));
    labels.emplace_back(graph->Label(v));
    selector_flags.push_back(graph->IsSelector(v) ? 1 : 0);
    local_membership.push_back((*membership)[v]);
  }
  std::vector<TimedContact> contacts;
  for (NodeId v : nodes) {
    for (const Neighbour& n : NeighboursOf(*graph, v, query)) {
      auto other = local.find(n.node);
      if (n.node <= v || other == local.end()) continue;
      for (UnixTime t : graph->EdgeContacts(n.edge)) {
        if (t < query.from() || t >= query.to()) continue;
        contacts.push_back(TimedContact{local.at(v), other->second, t, graph->EdgeKinds(n.edge)});
      }
    }
  }
  VIGIL_ASSIGN_OR_RETURN(Graph view, BuildGraph(labels, std::move(contacts), GraphBuildOptions{},
                                                std::move(selector_flags)));
  const std::string format = request.String("format", "graphml");
  auto write = [&](ExportFormat kind, const std::string& name,
                   const std::string& media_type) -> Result<Json> {
    std::ostringstream out;
    VIGIL_RETURN_IF_ERROR(ExportGraph(view, local_membership, kind, out));
    return Json{{"name", name}, {"media_type", media_type}, {"content", out.str()}};
  };
  Json files = Json::array();
  if (format == "gexf") {
    VIGIL_ASSIGN_OR_RETURN(Json file, write(ExportFormat::kGexf, "view.gexf", "application/xml"));
    files.push_back(std::move(file));
  } else if (format == "csv") {
    VIGIL_ASSIGN_OR_RETURN(Json n, write(ExportFormat::kCsvNodes, "view_nodes.csv", "text/csv"));
    VIGIL_ASSIGN_OR_RETURN(Json l, write(ExportFormat::kCsvLinks, "view_links.csv", "text/csv"));
    files.push_back(std::move(n));
    files.push_back(std::move(l));
  } else {
    VIGIL_ASSIGN_OR_RETURN(Json file,
                           write(ExportFormat::kGraphml, "view.graphml", "application/xml"));
    files.push_back(std::move(file));
  }
  return Json{{"format", format},
              {"nodes", view.node_count()},
              {"ties", view.edge_count()},
              {"files", std::move(files)}};
}

Result<Json> HandleRecordViewExport(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  std::vector<NodeId> nodes = NodesOf(*graph, request.Strings("nodes"));
  const std::string format = request.String("format");
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, nodes, "network export view " + format));
  std::erase_if(nodes, [&](NodeId v) { return !Shown(*graph, v, shown); });
  return Json{{"format", format}, {"nodes", nodes.size()}, {"persons", shown.size()}};
}

}  // namespace vigil::server
