// Concrete days drawn from a plan's marginals by bipartite dependent rounding
// (Gandhi, Khuller, Parthasarathy, Srinivasan 2006): every edge's marginal is
// kept exactly, and every vertex's degree ends at the floor or ceiling of its
// fractional degree.
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "vigil/protect.h"

namespace vigil::protect {
namespace {

constexpr double kIntegral = 1e-9;

bool Fractional(double value) { return value > kIntegral && value < 1 - kIntegral; }

double Uniform(const RandomSource& random) {
  return static_cast<double>(random()) / 4294967296.0;  // [0, 1)
}

struct Graph {
  // Vertices: left (resource, shift) groups first, then schedule nodes.
  std::vector<std::vector<int>> adjacency;  // vertex -> edges
  std::vector<int> left;                    // edge -> vertex
  std::vector<int> right;                   // edge -> vertex
  std::vector<double> value;                // edge -> current value
  int Other(int edge, int vertex) const { return left[edge] == vertex ? right[edge] : left[edge]; }
};

// A fractional edge at `vertex` other than `except`, or -1. Drops integral
// edges from the adjacency list as it meets them.
int NextEdge(Graph* graph, int vertex, int except) {
  std::vector<int>& edges = graph->adjacency[vertex];
  for (size_t i = 0; i < edges.size();) {
    const int edge = edges[i];
    if (!Fractional(graph->value[edge])) {
      edges[i] = edges.back();
      edges.pop_back();
      continue;
    }
    if (edge != except) return edge;
    ++i;
  }
  return -1;
}

// Walks from `start` along fractional edges until it meets a vertex of the
// walk (a cycle: returns its edges) or stops (the path's edges; its last
// vertex has no other fractional edge). `end` is the last vertex reached.
std::vector<int> Walk(Graph* graph, int start, std::vector<int>* position, bool* cycle, int* end) {
  std::vector<int> path_vertices = {start};
  std::vector<int> path_edges;
  (*position)[start] = 0;
  int vertex = start;
  int came_by = -1;
  *cycle = false;
  while (true) {
    const int edge = NextEdge(graph, vertex, came_by);
    if (edge < 0) break;
    const int next = graph->Other(edge, vertex);
    path_edges.push_back(edge);
    if ((*position)[next] >= 0) {
      *cycle = true;
      const int from = (*position)[next];
      std::vector<int> cycle_edges(path_edges.begin() + from, path_edges.end());
      for (int v : path_vertices) (*position)[v] = -1;
      *end = next;
      return cycle_edges;
    }
    (*position)[next] = static_cast<int>(path_vertices.size());
    path_vertices.push_back(next);
    vertex = next;
    came_by = edge;
  }
  for (int v : path_vertices) (*position)[v] = -1;
  *end = vertex;
  return path_edges;
}

// One rounding step on an even cycle or a maximal path: alternate edges move
// by +a/-a or -b/+b with probabilities b/(a+b) and a/(a+b), so each edge's
// expectation is kept and at least one edge becomes integral.
void Round(Graph* graph, const std::vector<int>& edges, const RandomSource& random) {
  double up = 2;    // alpha: how far the first set may rise / second fall
  double down = 2;  // beta: how far the first set may fall / second rise
  for (size_t i = 0; i < edges.size(); ++i) {
    const double value = graph->value[edges[i]];
    if (i % 2 == 0) {
      up = std::min(up, 1 - value);
      down = std::min(down, value);
    } else {
      up = std::min(up, value);
      down = std::min(down, 1 - value);
    }
  }
  const bool rise = Uniform(random) * (up + down) < down;  // P = down / (up + down)
  for (size_t i = 0; i < edges.size(); ++i) {
    double& value = graph->value[edges[i]];
    const double step = rise ? up : -down;
    value += (i % 2 == 0) ? step : -step;
    if (value < kIntegral) value = 0;
    if (value > 1 - kIntegral) value = 1;
  }
}

}  // namespace

Result<RandomSource> SecureRandom() {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  return RandomSource([]() -> uint32_t { return randombytes_random(); });
}

Day SampleDay(const Plan& plan, const RandomSource& random) {
  Graph graph;
  std::map<std::pair<std::string, int>, int> group_vertex;
  std::map<std::pair<int, std::vector<std::string>>, int> node_vertex;
  std::vector<std::pair<std::string, int>> group_of_vertex;
  int vertices = 0;
  for (const ScheduleMarginal& marginal : plan.marginals) {
    const auto group_key = std::make_pair(marginal.resource, marginal.shift);
    if (group_vertex.emplace(group_key, vertices).second) {
      ++vertices;
    }
  }
  group_of_vertex.resize(vertices);
  for (const auto& [key, vertex] : group_vertex) group_of_vertex[vertex] = key;
  for (const ScheduleMarginal& marginal : plan.marginals) {
    auto key = std::make_pair(marginal.shift, marginal.sites);
    if (node_vertex.emplace(key, vertices).second) ++vertices;
  }
  graph.adjacency.resize(vertices);
  for (const ScheduleMarginal& marginal : plan.marginals) {
    const int left = group_vertex[{marginal.resource, marginal.shift}];
    const int right = node_vertex[{marginal.shift, marginal.sites}];
    const int edge = static_cast<int>(graph.value.size());
    graph.left.push_back(left);
    graph.right.push_back(right);
    double value = std::clamp(marginal.units, 0.0, 1.0);
    if (value < kIntegral) value = 0;
    if (value > 1 - kIntegral) value = 1;
    graph.value.push_back(value);
    if (Fractional(value)) {
      graph.adjacency[left].push_back(edge);
      graph.adjacency[right].push_back(edge);
    }
  }
  std::vector<int> position(vertices, -1);
  for (int start = 0; start < vertices; ++start) {
    while (NextEdge(&graph, start, -1) >= 0) {
      bool cycle = false;
      int end = start;
      std::vector<int> edges = Walk(&graph, start, &position, &cycle, &end);
      if (!cycle) {
        // `end` has one fractional edge: walk again from it, so both ends of
        // the path have one (their degree stays within floor and ceiling).
        edges = Walk(&graph, end, &position, &cycle, &end);
      }
      Round(&graph, edges, random);
    }
  }
  Day day;
  for (size_t e = 0; e < graph.value.size(); ++e) {
    if (graph.value[e] < 0.5) continue;
    const ScheduleMarginal& marginal = plan.marginals[e];
    day.assignments.push_back({marginal.resource, marginal.shift, marginal.sites});
  }
  std::sort(day.assignments.begin(), day.assignments.end(),
            [](const Assignment& a, const Assignment& b) {
              if (a.shift != b.shift) return a.shift < b.shift;
              if (a.resource != b.resource) return a.resource < b.resource;
              return a.sites < b.sites;
            });
  return day;
}

}  // namespace vigil::protect
