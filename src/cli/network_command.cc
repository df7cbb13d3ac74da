// vigil network expand|path|communities|centrality|brokers|export: questions
// about the people graph built from the store (or, with --graph, from a
// public network data set file).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/command.h"
#include "vigil/graph.h"

namespace vigil::cli {
namespace {

struct NetworkArgs {
  std::string graph_file;       // --graph: a data set file instead of the store
  double min_confidence = 0.9;  // proposed attributions at or above lift
  std::string from, to;         // time window
  uint32_t min_contacts = 1;
  // The store the graph came from, open while the command runs so that the
  // persons it shows are logged (nullptr with --graph).
  std::shared_ptr<Store> store;
};

Result<UnixTime> ParseTimeOrDate(const std::string& text, std::string_view option) {
  auto time = ParseTime(text);
  if (time.ok()) return time;
  auto date = ParseDate(text);
  if (date.ok()) return date;
  return Status::InvalidArgument(std::string(option) + ": " + time.status().message());
}

Result<EdgeFilter> FilterOf(const NetworkArgs& args) {
  EdgeFilter filter;
  filter.min_contacts = args.min_contacts;
  if (!args.from.empty()) {
    VIGIL_ASSIGN_OR_RETURN(filter.from, ParseTimeOrDate(args.from, "--from"));
  }
  if (!args.to.empty()) {
    VIGIL_ASSIGN_OR_RETURN(filter.to, ParseTimeOrDate(args.to, "--to"));
  }
  return filter;
}

Result<Graph> LoadGraph(CliContext& context, NetworkArgs& args) {
  if (!args.graph_file.empty()) return LoadNetworkFile(args.graph_file);
  VIGIL_ASSIGN_OR_RETURN(auto store, OpenStoreForCli(context, /*must_exist=*/true));
  StoreGraphOptions options;
  options.min_proposed_confidence = args.min_confidence;
  auto progress = MakeTerminalProgress();
  options.control.progress = progress.get();
  Result<Graph> graph = BuildGraphFromStore(*store, options);
  args.store = std::move(store);
  return graph;
}

// Logs the persons among `nodes` as revealed by `via`, through the access
// layer's reveal hook, before they are printed. Selectors are not persons.
Status RevealShown(const NetworkArgs& args, const Graph& graph, const std::vector<NodeId>& nodes,
                   std::string_view via) {
  if (!args.store) return Status::Ok();
  std::vector<std::string> persons;
  for (NodeId v : nodes) {
    std::string label(graph.Label(v));
    if (!ParseSelector(label).ok()) persons.push_back(std::move(label));
  }
  return RevealPersons(*args.store, persons, via).status();
}

// Splits "a,b,c" and resolves each id to a node; NotFound names the id.
Result<std::vector<NodeId>> Resolve(const Graph& graph, const std::string& ids) {
  std::vector<NodeId> nodes;
  for (const std::string& id : SplitCommaList(ids)) {
    VIGIL_ASSIGN_OR_RETURN(NodeId node, graph.Find(id));
    nodes.push_back(node);
  }
  return nodes;
}

std::string JoinPath(const Graph& graph, const std::vector<NodeId>& path) {
  std::string out;
  for (NodeId v : path) {
    if (!out.empty()) out += " > ";
    out += graph.Label(v);
  }
  return out;
}

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

void AddCommonOptions(CLI::App* command, NetworkArgs& args) {
  command->add_option(
      "--graph", args.graph_file,
      "Analyse a network file (matrix CSV, JJATT, GML, edge list) instead of the store");
  command->add_option(
      "--min-confidence", args.min_confidence,
      "Proposed attributions at or above this confidence link a selector to a person");
}

void AddWindowOptions(CLI::App* command, NetworkArgs& args) {
  command->add_option("--from", args.from, "Contacts from (inclusive): a time or a date");
  command->add_option("--to", args.to, "Contacts to (exclusive): a time or a date");
  command->add_option("--min-contacts", args.min_contacts, "Ties with fewer contacts are ignored");
}

// Runs `body(graph, format)` after loading the graph; failures go to context.
template <typename Body>
void WithGraph(CliContext& context, NetworkArgs& args, Body&& body) {
  auto format = FormatOf(context);
  if (!format.ok()) return;
  auto graph = LoadGraph(context, args);
  if (!graph.ok()) return ReportFailure(context, graph.status());
  Status status = body(*graph, *format);
  args.store.reset();
  if (!status.ok()) ReportFailure(context, status);
}

void RegisterExpand(CLI::App& network, CliContext& context) {
  struct Args : NetworkArgs {
    std::string seeds;
    int hops = 2;
    size_t limit = 100;
    bool evidence = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = network.add_subcommand(
      "expand", "The wider network around seeds, ranked by tie strength and recency");
  command->add_option("--seeds", args->seeds, "Comma-separated person ids or selectors")
      ->required();
  command->add_option("--hops", args->hops, "How many ties out");
  command->add_option("--limit", args->limit, "Results kept (0 = all)");
  command->add_flag("--evidence", args->evidence,
                    "Tie strength from evidence (log contacts, other kinds of link, activity in "
                    "step with their triangles) rather than contact count");
  AddCommonOptions(command, *args);
  AddWindowOptions(command, *args);
  command->callback([args, &context] {
    WithGraph(context, *args, [&](const Graph& graph, OutputFormat format) -> Status {
      VIGIL_ASSIGN_OR_RETURN(auto seeds, Resolve(graph, args->seeds));
      if (seeds.empty()) return Status::InvalidArgument("--seeds names no node");
      ExpansionOptions options;
      options.hops = args->hops;
      options.limit = args->limit;
      VIGIL_ASSIGN_OR_RETURN(options.filter, FilterOf(*args));
      if (args->evidence) {
        TieWeightOptions tie;
        tie.filter = options.filter;
        options.tie_strengths = EvidenceStrengths(graph, tie);
      }
      Expansion expansion(graph, seeds, options);
      VIGIL_RETURN_IF_ERROR(expansion.run());
      std::vector<NodeId> shown;
      for (const auto& hit : expansion.hits()) {
        shown.push_back(hit.node);
        shown.insert(shown.end(), hit.path.begin(), hit.path.end());
      }
      VIGIL_RETURN_IF_ERROR(RevealShown(*args, graph, shown, "network expand"));
      TableOutput table({"rank", "id", "hops", "score", "seeds_reached", "hub", "path"}, format,
                        stdout);
      size_t rank = 0;
      for (const auto& hit : expansion.hits()) {
        table.AddRow({std::to_string(++rank), std::string(graph.Label(hit.node)),
                      std::to_string(hit.hops), Number(hit.score),
                      std::to_string(hit.seeds_reached), hit.hub ? "hub" : "",
                      JoinPath(graph, hit.path)});
      }
      table.Finish();
      if (!expansion.hubs().empty()) {
        std::fprintf(stderr, "vigil: %zu hub(s) down-weighted and not expanded through:",
                     expansion.hubs().size());
        for (NodeId hub : expansion.hubs()) {
          std::fprintf(stderr, " %s (degree %zu)", std::string(graph.Label(hub)).c_str(),
                       graph.Degree(hub));
        }
        std::fprintf(stderr, "\n");
      }
      return Status::Ok();
    });
  });
}

void RegisterPath(CLI::App& network, CliContext& context) {
  struct Args : NetworkArgs {
    std::string source, target;
    bool temporal = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = network.add_subcommand(
      "path", "Shortest path, or with --temporal the earliest time-respecting path");
  command->add_option("a", args->source, "From (person id or selector)")->required();
  command->add_option("b", args->target, "To (person id or selector)")->required();
  command->add_flag("--temporal", args->temporal, "Contacts must follow one another in time");
  AddCommonOptions(command, *args);
  AddWindowOptions(command, *args);
  command->callback([args, &context] {
    WithGraph(context, *args, [&](const Graph& graph, OutputFormat format) -> Status {
      VIGIL_ASSIGN_OR_RETURN(NodeId source, graph.Find(args->source));
      VIGIL_ASSIGN_OR_RETURN(NodeId target, graph.Find(args->target));
      VIGIL_ASSIGN_OR_RETURN(EdgeFilter filter, FilterOf(*args));
      TableOutput table({"step", "id", "time"}, format, stdout);
      std::vector<NodeId> path;
      std::vector<UnixTime> times;
      if (args->temporal) {
        TemporalPath temporal(graph, source, target, filter.from.value_or(INT64_MIN + 1),
                              filter.to);
        VIGIL_RETURN_IF_ERROR(temporal.run());
        path = temporal.path();
        times = temporal.times();
      } else {
        ShortestPath shortest(graph, source, target, filter);
        VIGIL_RETURN_IF_ERROR(shortest.run());
        path = shortest.path();
      }
      if (path.empty()) {
        return Status::NotFound("no " + std::string(args->temporal ? "time-respecting " : "") +
                                "path from " + args->source + " to " + args->target);
      }
      VIGIL_RETURN_IF_ERROR(RevealShown(*args, graph, path, "network path"));
      for (size_t i = 0; i < path.size(); ++i) {
        std::string time = i > 0 && i < times.size() ? FormatTime(times[i]) : "";
        table.AddRow({std::to_string(i), std::string(graph.Label(path[i])), time});
      }
      return Status::Ok();
    });
  });
}

void RegisterCommunities(CLI::App& network, CliContext& context) {
  struct Args : NetworkArgs {
    std::optional<double> resolution;
    std::string weights = "evidence";
    bool weighted = false;
    bool evidence = false;
    std::optional<double> synchrony_gain;
    std::optional<double> hub_damping;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = network.add_subcommand(
      "communities",
      "Cells and groups (person_id,community); by default evidence tie weights, hubs damped, "
      "resolution 3 (the setting that recovers cells best on the training suite)");
  command->add_option("--resolution", args->resolution,
                      "Higher finds smaller communities (default 3 with evidence weights, else 1)");
  command
      ->add_option("--weights", args->weights,
                   "evidence (default: log contacts, other kinds of link, activity in step "
                   "with their triangles, hubs damped), contacts (number of contacts) or none "
                   "(every tie counts once)")
      ->check(CLI::IsMember({"evidence", "contacts", "none"}));
  command->add_flag("--weighted", args->weighted, "The same as --weights contacts");
  command->add_flag("--evidence", args->evidence, "The same as --weights evidence (the default)");
  command->add_option("--synchrony-gain", args->synchrony_gain,
                      "With evidence weights: how much synchronised activity adds to a tie");
  command->add_option("--hub-damping", args->hub_damping,
                      "With evidence weights: ties of a hub of degree d count (h/d)^k (default "
                      "k = 0.5; 0: no damping)");
  AddCommonOptions(command, *args);
  command->callback([args, &context] {
    WithGraph(context, *args, [&](const Graph& graph, OutputFormat format) -> Status {
      std::string weights = args->weights;
      if (args->weighted) weights = "contacts";
      if (args->evidence) weights = "evidence";
      CommunityOptions options;
      if (weights == "evidence") {
        options = DefaultCommunityOptions(graph);
        if (args->synchrony_gain || args->hub_damping) {
          TieWeightOptions tie;
          tie.hub_damping = kDefaultHubDamping;
          if (args->synchrony_gain) tie.synchrony_gain = *args->synchrony_gain;
          if (args->hub_damping) tie.hub_damping = *args->hub_damping;
          options.edge_weights = TieWeights(graph, tie);
        }
      } else {
        options.weighted = weights == "contacts";
        options.resolution = 1.0;
      }
      if (args->resolution) options.resolution = *args->resolution;
      Communities communities(graph, options);
      VIGIL_RETURN_IF_ERROR(communities.run());
      std::vector<NodeId> everyone(graph.node_count());
      for (NodeId v = 0; v < everyone.size(); ++v) everyone[v] = v;
      VIGIL_RETURN_IF_ERROR(RevealShown(*args, graph, everyone, "network communities"));
      TableOutput table({"person_id", "community"}, format, stdout);
      for (NodeId v = 0; v < graph.node_count(); ++v) {
        table.AddRow({std::string(graph.Label(v)), std::to_string(communities.membership()[v])});
      }
      table.Finish();
      std::fprintf(stderr, "vigil: %zu communities, modularity %.6f\n",
                   communities.community_count(), communities.modularity());
      return Status::Ok();
    });
  });
}

void RegisterCentrality(CLI::App& network, CliContext& context) {
  struct Args : NetworkArgs {
    std::string measure = "pagerank";
    bool approx = false;
    size_t samples = 256;
    size_t limit = 50;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command =
      network.add_subcommand("centrality", "Rank by degree, PageRank or betweenness");
  command->add_option("--measure", args->measure, "degree, pagerank or betweenness")
      ->check(CLI::IsMember({"degree", "pagerank", "betweenness"}));
  command->add_flag("--approx", args->approx, "Sampled betweenness (--samples sources)");
  command->add_option("--samples", args->samples, "Sources sampled with --approx");
  command->add_option("--limit", args->limit, "Results kept (0 = all)");
  AddCommonOptions(command, *args);
  command->callback([args, &context] {
    WithGraph(context, *args, [&](const Graph& graph, OutputFormat format) -> Status {
      std::vector<double> scores;
      if (args->measure == "degree") {
        scores = DegreeCentrality(graph);
      } else if (args->measure == "pagerank") {
        PageRank pagerank(graph);
        VIGIL_RETURN_IF_ERROR(pagerank.run());
        scores = pagerank.scores();
      } else {
        BetweennessOptions options;
        options.samples = args->approx ? args->samples : 0;
        Betweenness betweenness(graph, options);
        VIGIL_RETURN_IF_ERROR(betweenness.run());
        scores = betweenness.scores();
      }
      std::vector<NodeId> order(graph.node_count());
      for (NodeId v = 0; v < order.size(); ++v) order[v] = v;
      std::stable_sort(order.begin(), order.end(),
                       [&](NodeId x, NodeId y) { return scores[x] > scores[y]; });
      if (args->limit > 0 && order.size() > args->limit) order.resize(args->limit);
      VIGIL_RETURN_IF_ERROR(RevealShown(*args, graph, order, "network centrality"));
      TableOutput table({"person_id", "rank", "score"}, format, stdout);
      size_t rank = 0;
      for (NodeId v : order) {
        table.AddRow({std::string(graph.Label(v)), std::to_string(++rank), Number(scores[v])});
      }
      return Status::Ok();
    });
  });
}

void RegisterBrokers(CLI::App& network, CliContext& context) {
  struct Args : NetworkArgs {
    std::string seeds;
    size_t limit = 20;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = network.add_subcommand(
      "brokers", "Who bridges the seeds (or, without seeds, the communities)");
  command->add_option("--seeds", args->seeds, "Comma-separated person ids or selectors");
  command->add_option("--limit", args->limit, "Results kept (0 = all)");
  AddCommonOptions(command, *args);
  command->callback([args, &context] {
    WithGraph(context, *args, [&](const Graph& graph, OutputFormat format) -> Status {
      VIGIL_ASSIGN_OR_RETURN(auto seeds, Resolve(graph, args->seeds));
      Communities communities(graph);
      VIGIL_RETURN_IF_ERROR(communities.run());
      Brokers brokers(graph, seeds, communities.membership(), args->limit);
      VIGIL_RETURN_IF_ERROR(brokers.run());
      std::vector<NodeId> shown;
      for (const Broker& broker : brokers.brokers()) shown.push_back(broker.node);
      VIGIL_RETURN_IF_ERROR(RevealShown(*args, graph, shown, "network brokers"));
      TableOutput table({"person_id", "rank", "score", "communities_bridged"}, format, stdout);
      size_t rank = 0;
      for (const Broker& broker : brokers.brokers()) {
        table.AddRow({std::string(graph.Label(broker.node)), std::to_string(++rank),
                      Number(broker.score), std::to_string(broker.communities_bridged)});
      }
      return Status::Ok();
    });
  });
}

void RegisterExport(CLI::App& network, CliContext& context) {
  struct Args : NetworkArgs {
    std::string export_format = "graphml";
    std::string out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = network.add_subcommand(
      "export", "Write the network for Gephi, Cytoscape or i2 (node and link tables)");
  command->add_option("--as", args->export_format, "graphml, gexf or csv")
      ->check(CLI::IsMember({"graphml", "gexf", "csv"}));
  command
      ->add_option("--out", args->out,
                   "Output file (csv: a prefix, writing <out>_nodes.csv and <out>_links.csv)")
      ->required();
  AddCommonOptions(command, *args);
  command->callback([args, &context] {
    WithGraph(context, *args, [&](const Graph& graph, OutputFormat) -> Status {
      Communities communities(graph);
      VIGIL_RETURN_IF_ERROR(communities.run());
      // An export discloses everyone in it.
      std::vector<NodeId> everyone(graph.node_count());
      for (NodeId v = 0; v < everyone.size(); ++v) everyone[v] = v;
      VIGIL_RETURN_IF_ERROR(RevealShown(*args, graph, everyone, "network export"));
      auto write = [&](const std::string& path, ExportFormat format) -> Status {
        std::ofstream out(path);
        if (!out) return Status::IOError("cannot write " + path);
        if (args->store) {
          VIGIL_RETURN_IF_ERROR(RecordWrittenFile(*args->store, WrittenFileKind::kExport, path));
        }
        return ExportGraph(graph, communities.membership(), format, out);
      };
      if (args->export_format == "graphml") return write(args->out, ExportFormat::kGraphml);
      if (args->export_format == "gexf") return write(args->out, ExportFormat::kGexf);
      VIGIL_RETURN_IF_ERROR(write(args->out + "_nodes.csv", ExportFormat::kCsvNodes));
      return write(args->out + "_links.csv", ExportFormat::kCsvLinks);
    });
  });
}

}  // namespace

void RegisterNetworkCommand(CLI::App& app, CliContext& context) {
  CLI::App* network = app.add_subcommand(
      "network", "The wider network: expansion, paths, cells, centrality, brokers, export");
  network->require_subcommand(1);
  RegisterExpand(*network, context);
  RegisterPath(*network, context);
  RegisterCommunities(*network, context);
  RegisterCentrality(*network, context);
  RegisterBrokers(*network, context);
  RegisterExport(*network, context);
}

}  // namespace vigil::cli
