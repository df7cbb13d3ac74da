// Network questions over the caller's graph (GraphCache): expansion, paths,
// communities, centrality and brokers. Every person a response shows passes
// the reveal hook first, which logs them and drops any the caller may not see.
#include <algorithm>
#include <cstdint>

#include "server/handlers.h"
#include "server/network_helpers.h"

namespace vigil::server {

// Seeds in the caller's graph. A person id must name a person the caller may
// see (else NotFound, as for a missing person); a visible person without
// contacts is simply absent from the graph and yields no node. A selector
// must be a node of the graph.
Result<std::vector<NodeId>> ResolveSeeds(HandlerContext& ctx, const Graph& graph,
                                         const std::vector<std::string>& seeds) {
  std::vector<NodeId> nodes;
  for (const std::string& seed : seeds) {
    if (ParseSelector(seed).ok()) {
      auto node = graph.Find(seed);
      if (!node.ok()) return Status::NotFound(NotVisibleMessage("node", seed));
      nodes.push_back(*node);
      continue;
    }
    VIGIL_RETURN_IF_ERROR(ctx.store.GetPerson(seed).status());
    auto node = graph.Find(seed);
    if (node.ok()) nodes.push_back(*node);
  }
  return nodes;
}

// The persons among `nodes` the caller may be shown (logged as revealed).
Result<std::vector<std::string>> RevealNodes(HandlerContext& ctx, const Graph& graph,
                                             const std::vector<NodeId>& nodes,
                                             std::string_view via) {
  std::vector<std::string> persons;
  for (NodeId v : nodes) {
    if (!graph.IsSelector(v)) persons.emplace_back(graph.Label(v));
  }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown, ctx.store.Reveal(persons, via));
  std::sort(shown.begin(), shown.end());
  return shown;
}

bool Shown(const Graph& graph, NodeId v, const std::vector<std::string>& shown) {
  return graph.IsSelector(v) || std::binary_search(shown.begin(), shown.end(), graph.Label(v));
}

Result<EdgeFilter> FilterOf(const ApiRequest& request) {
  EdgeFilter filter;
  filter.min_contacts = static_cast<uint32_t>(request.Int("min_contacts", 1));
  if (request.Has("from")) {
    VIGIL_ASSIGN_OR_RETURN(filter.from, ParseTimeOrDate(request.String("from")));
  }
  if (request.Has("to")) {
    VIGIL_ASSIGN_OR_RETURN(filter.to, ParseTimeOrDate(request.String("to")));
  }
  return filter;
}

namespace {

Json Labels(const Graph& graph, const std::vector<NodeId>& nodes) {
  Json out = Json::array();
  for (NodeId v : nodes) out.push_back(std::string(graph.Label(v)));
  return out;
}

}  // namespace

Result<Json> HandleExpand(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  VIGIL_ASSIGN_OR_RETURN(std::vector<NodeId> seeds,
                         ResolveSeeds(ctx, *graph, request.Strings("seeds")));
  Json hits = Json::array();
  if (seeds.empty()) return Json{{"hits", std::move(hits)}, {"hubs", Json::array()}};
  ExpansionOptions options;
  options.hops = static_cast<int>(request.Int("hops", 2));
  options.limit = static_cast<size_t>(request.Int("limit", 100));
  VIGIL_ASSIGN_OR_RETURN(options.filter, FilterOf(request));
  Expansion expansion(*graph, seeds, options);
  VIGIL_RETURN_IF_ERROR(expansion.run());
  std::vector<NodeId> nodes;
  for (const ExpansionHit& hit : expansion.hits()) {
    nodes.push_back(hit.node);
    nodes.insert(nodes.end(), hit.path.begin(), hit.path.end());
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, nodes, "network expand"));
  int rank = 0;
  for (const ExpansionHit& hit : expansion.hits()) {
    bool visible = Shown(*graph, hit.node, shown);
    for (NodeId v : hit.path) visible = visible && Shown(*graph, v, shown);
    if (!visible) continue;
    hits.push_back(Json{{"rank", ++rank},
                        {"id", std::string(graph->Label(hit.node))},
                        {"hops", hit.hops},
                        {"score", hit.score},
                        {"seeds_reached", hit.seeds_reached},
                        {"hub", hit.hub},
                        {"path", Labels(*graph, hit.path)}});
  }
  Json hubs = Json::array();
  for (NodeId hub : expansion.hubs()) {
    if (Shown(*graph, hub, shown)) {
      hubs.push_back(Json{{"id", std::string(graph->Label(hub))}, {"degree", graph->Degree(hub)}});
    }
  }
  return Json{{"hits", std::move(hits)}, {"hubs", std::move(hubs)}};
}

Result<Json> HandlePath(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  const std::vector<std::string> as = request.Strings("a"), bs = request.Strings("b");
  if (as.size() != 1 || bs.size() != 1) {
    return Status::InvalidArgument("parameters 'a' and 'b' must each name one node");
  }
  const std::string& a = as[0];
  const std::string& b = bs[0];
  VIGIL_ASSIGN_OR_RETURN(std::vector<NodeId> from, ResolveSeeds(ctx, *graph, {a}));
  VIGIL_ASSIGN_OR_RETURN(std::vector<NodeId> to, ResolveSeeds(ctx, *graph, {b}));
  VIGIL_ASSIGN_OR_RETURN(EdgeFilter filter, FilterOf(request));
  std::vector<NodeId> path;
  std::vector<UnixTime> times;
  if (a == b) {
    path = from;
  } else if (!from.empty() && !to.empty()) {
    if (request.Bool("temporal", false)) {
      TemporalPath temporal(*graph, from[0], to[0], filter.from.value_or(INT64_MIN + 1), filter.to);
      VIGIL_RETURN_IF_ERROR(temporal.run());
      path = temporal.path();
      times = temporal.times();
    } else {
      ShortestPath shortest(*graph, from[0], to[0], filter);
      VIGIL_RETURN_IF_ERROR(shortest.run());
      path = shortest.path();
    }
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, path, "network path"));
  Json steps = Json::array();
  for (size_t i = 0; i < path.size(); ++i) {
    if (!Shown(*graph, path[i], shown)) return Json{{"found", false}, {"steps", Json::array()}};
    steps.push_back(Json{{"step", i},
                         {"id", std::string(graph->Label(path[i]))},
                         {"time", i > 0 && i < times.size() ? FormatTime(times[i]) : ""}});
  }
  const bool found = !steps.empty() || a == b;
  return Json{{"found", found}, {"steps", std::move(steps)}};
}

Result<Json> HandleCommunities(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  // The default is the CLI's (DefaultCommunityOptions: evidence tie
  // weights, hubs damped); `weights` contacts or none, or `weighted`, ask
  // for the older partitions at resolution 1.
  std::string weights = request.String("weights", "evidence");
  if (request.Bool("weighted", false)) weights = "contacts";
  CommunityOptions options;
  if (weights == "evidence") {
    options = DefaultCommunityOptions(*graph);
  } else {
    options.weighted = weights == "contacts";
    options.resolution = 1.0;
  }
  if (request.Has("resolution")) options.resolution = request.Number("resolution", 1.0);
  options.control.cancel = ctx.cancel;
  Communities communities(*graph, options);
  VIGIL_RETURN_IF_ERROR(communities.run());
  std::vector<NodeId> everyone(graph->node_count());
  for (NodeId v = 0; v < everyone.size(); ++v) everyone[v] = v;
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, everyone, "network communities"));
  Json members = Json::array();
  for (NodeId v : everyone) {
    if (!Shown(*graph, v, shown)) continue;
    members.push_back(
        Json{{"id", std::string(graph->Label(v))}, {"community", communities.membership()[v]}});
  }
  return Json{{"communities", communities.community_count()},
              {"modularity", communities.modularity()},
              {"members", std::move(members)}};
}

Result<Json> HandleCentrality(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  const std::string measure = request.String("measure", "pagerank");
  std::vector<double> scores;
  if (measure == "degree") {
    scores = DegreeCentrality(*graph);
  } else if (measure == "pagerank") {
    PageRankOptions options;
    options.control.cancel = ctx.cancel;
    PageRank pagerank(*graph, options);
    VIGIL_RETURN_IF_ERROR(pagerank.run());
    scores = pagerank.scores();
  } else {
    // Sampled: exact betweenness is O(n m), too slow for a request.
    BetweennessOptions options;
    options.samples = static_cast<size_t>(request.Int("samples", 256));
    options.control.cancel = ctx.cancel;
    Betweenness betweenness(*graph, options);
    VIGIL_RETURN_IF_ERROR(betweenness.run());
    scores = betweenness.scores();
  }
  std::vector<NodeId> order(graph->node_count());
  for (NodeId v = 0; v < order.size(); ++v) order[v] = v;
  std::stable_sort(order.begin(), order.end(),
                   [&](NodeId x, NodeId y) { return scores[x] > scores[y]; });
  const auto limit = static_cast<size_t>(request.Int("limit", 50));
  if (order.size() > limit) order.resize(limit);
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, order, "network centrality"));
  Json out = Json::array();
  for (NodeId v : order) {
    if (!Shown(*graph, v, shown)) continue;
    out.push_back(
        Json{{"id", std::string(graph->Label(v))}, {"rank", out.size() + 1}, {"score", scores[v]}});
  }
  return Json{{"measure", measure}, {"ranking", std::move(out)}};
}

Result<Json> HandleBrokers(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, ctx.graphs.Get(ctx.store));
  VIGIL_ASSIGN_OR_RETURN(std::vector<NodeId> seeds,
                         ResolveSeeds(ctx, *graph, request.Strings("seeds")));
  if (request.Has("seeds") && seeds.empty()) return Json{{"brokers", Json::array()}};
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<uint32_t>> membership,
                         ctx.graphs.Membership(ctx.store, graph));
  BetweennessOptions options;
  options.samples = seeds.empty() ? 256 : 0;  // all pairs: sampled, as in centrality
  options.control.cancel = ctx.cancel;
  Brokers brokers(*graph, seeds, *membership, static_cast<size_t>(request.Int("limit", 20)),
                  options);
  VIGIL_RETURN_IF_ERROR(brokers.run());
  std::vector<NodeId> nodes;
  for (const Broker& broker : brokers.brokers()) nodes.push_back(broker.node);
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown,
                         RevealNodes(ctx, *graph, nodes, "network brokers"));
  Json out = Json::array();
  for (const Broker& broker : brokers.brokers()) {
    if (!Shown(*graph, broker.node, shown)) continue;
    out.push_back(Json{{"id", std::string(graph->Label(broker.node))},
                       {"rank", out.size() + 1},
                       {"score", broker.score},
                       {"communities_bridged", broker.communities_bridged}});
  }
  return Json{{"brokers", std::move(out)}};
}

}  // namespace vigil::server
