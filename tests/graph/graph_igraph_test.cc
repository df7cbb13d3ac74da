// Vigil's degree, PageRank, betweenness and modularity against python-igraph
// on every public network in data/networks. The Python side runs in a
// child process (/usr/bin/python3 tests/graph/igraph_reference.py).
#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "vigil/graph.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

constexpr double kPageRankTolerance = 1e-6;
constexpr double kBetweennessRelative = 1e-9;
constexpr double kModularitySlack = 1e-3;

std::vector<std::string> NetworkFiles() {
  const fs::path root = fs::path(VIGIL_DATA_DIR) / "networks";
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    const std::string path = entry.path().string();
    bool matrix = path.find("covert_ucinet") != std::string::npos && name.ends_with(".csv") &&
                  name.find("_ATTR") == std::string::npos;
    bool jjatt = name.find("_Relations_") != std::string::npos;
    bool noordin = path.find("noordin_top/csv") != std::string::npos &&
                   (name.starts_with("2b_") || name.starts_with("3_") || name.starts_with("4_") ||
                    name.starts_with("8_") || name.starts_with("9b_"));
    bool other = name == "karate.gml" || name == "terrorists.net" || name == "9_11_edgelist.txt";
    if (matrix || jjatt || noordin || other) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::map<std::string, std::vector<double>> RunIgraph(const Graph& graph) {
  const fs::path edges = fs::temp_directory_path() / ("vigil_igraph_" + std::to_string(getpid()));
  {
    std::ofstream out(edges);
    out << graph.node_count() << '\n';
    for (NodeId a = 0; a < graph.node_count(); ++a) {
      for (NodeId b : graph.Neighbours(a)) {
        if (a < b) out << a << ' ' << b << '\n';
      }
    }
  }
  std::string command =
      "/usr/bin/python3 " VIGIL_GRAPH_TEST_DIR "/igraph_reference.py " + edges.string();
  std::map<std::string, std::vector<double>> answers;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return answers;
  std::string text;
  char buffer[4096];
  while (size_t got = fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, got);
  pclose(pipe);
  fs::remove(edges);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    for (double value; words >> value;) answers[name].push_back(value);
  }
  return answers;
}

TEST(GraphIgraphTest, AgreesOnEveryPublicNetwork) {
  std::vector<std::string> files = NetworkFiles();
  ASSERT_GE(files.size(), 30u);
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    auto graph = LoadNetworkFile(file);
    ASSERT_TRUE(graph.ok()) << graph.status().ToString();
    ASSERT_GT(graph->edge_count(), 0u);
    auto reference = RunIgraph(*graph);
    ASSERT_EQ(reference["degree"].size(), graph->node_count());
    ASSERT_EQ(reference["pagerank"].size(), graph->node_count());
    ASSERT_EQ(reference["betweenness"].size(), graph->node_count());
    ASSERT_EQ(reference["modularity"].size(), 1u);

    std::vector<double> degree = DegreeCentrality(*graph);
    PageRank pagerank(*graph);
    ASSERT_TRUE(pagerank.run().ok());
    Betweenness betweenness(*graph);
    ASSERT_TRUE(betweenness.run().ok());
    Communities communities(*graph);
    ASSERT_TRUE(communities.run().ok());
    for (NodeId v = 0; v < graph->node_count(); ++v) {
      EXPECT_EQ(degree[v], reference["degree"][v]) << "node " << graph->Label(v);
      EXPECT_NEAR(pagerank.scores()[v], reference["pagerank"][v], kPageRankTolerance)
          << "node " << graph->Label(v);
      double expected = reference["betweenness"][v];
      EXPECT_NEAR(betweenness.scores()[v], expected,
                  kBetweennessRelative * std::max(1.0, std::fabs(expected)))
          << "node " << graph->Label(v);
    }
    EXPECT_GE(communities.modularity(), reference["modularity"][0] - kModularitySlack);
    std::printf("%-70s n=%4zu m=%5zu Q vigil %.6f igraph-leiden %.6f\n",
                fs::path(file).filename().c_str(), graph->node_count(), graph->edge_count(),
                communities.modularity(), reference["modularity"][0]);
  }
}

}  // namespace
}  // namespace vigil
