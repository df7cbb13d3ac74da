// network_bench NODES EDGES [THREADS [--vigil-only]]: a generated skewed graph, Vigil's
// network engine and python-igraph side by side in the same run, printing
// ratios. Run by hand (not a test); never asserts timings.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "vigil/graph.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kSkew = 2.5;  // endpoint = n * u^kSkew: a heavy-tailed degree
constexpr size_t kSeeds = 1000;
constexpr size_t kBetweennessSamples = 32;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: network_bench NODES EDGES [THREADS [--vigil-only]]\n");
    return 2;
  }
  const uint32_t n = static_cast<uint32_t>(std::stoul(argv[1]));
  const size_t m = std::stoull(argv[2]);
  const int threads = argc > 3 ? std::stoi(argv[3]) : 2;
  // --vigil-only: no peer, no betweenness or communities (for the largest
  // graphs, where python-igraph's edge list alone does not fit in memory).
  const bool vigil_only = argc > 4 && std::string(argv[4]) == "--vigil-only";
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<vigil::TimedContact> contacts(m);
  std::string edges_path = "/tmp/vigil_bench_edges_";
  edges_path.append(std::to_string(getpid())).append(".bin");
  {
    std::ofstream edges;  // not opened (writes are no-ops) without a peer
    if (!vigil_only) edges.open(edges_path, std::ios::binary);
    for (auto& c : contacts) {
      c.a = static_cast<uint32_t>(n * std::pow(unit(random), kSkew)) % n;
      c.b = static_cast<uint32_t>(unit(random) * n) % n;
      c.time = static_cast<vigil::UnixTime>(unit(random) * 1e8);
      edges.write(reinterpret_cast<const char*>(&c.a), 4)
          .write(reinterpret_cast<const char*>(&c.b), 4);
    }
  }
  std::map<std::string, double> vigil_s;
  auto start = Clock::now();
  vigil::GraphBuildOptions build;
  build.threads = threads;
  auto graph = vigil::BuildGraph({}, std::move(contacts), build);
  vigil_s["build"] = Seconds(start);
  if (!graph.ok()) return 1;
  std::printf("graph: %zu nodes, %zu edges, %zu contacts, %.1f MiB (%.1f B/edge incl. contacts)\n",
              graph->node_count(), graph->edge_count(), graph->contact_count(),
              graph->MemoryBytes() / 1048576.0,
              static_cast<double>(graph->MemoryBytes()) / graph->edge_count());

  std::vector<uint32_t> seeds(kSeeds);
  std::string seeds_path = "/tmp/vigil_bench_seeds_";
  seeds_path.append(std::to_string(getpid())).append(".txt");
  {
    std::ofstream out(seeds_path);
    for (auto& s : seeds) out << (s = static_cast<uint32_t>(unit(random) * n) % n) << '\n';
  }
  // One new day of communications (the same skew, times just after the
  // period), added in place; igraph adds the same edges with add_edges.
  constexpr double kPeriodSeconds = 1e8;
  const size_t day_contacts =
      static_cast<size_t>(static_cast<double>(m) * 86400.0 / kPeriodSeconds) + 1;
  std::vector<vigil::TimedContact> day(day_contacts);
  std::string day_path = "/tmp/vigil_bench_day_";
  day_path.append(std::to_string(getpid())).append(".bin");
  {
    std::ofstream out(day_path, std::ios::binary);
    for (auto& c : day) {
      c.a = static_cast<uint32_t>(n * std::pow(unit(random), kSkew)) % n;
      c.b = static_cast<uint32_t>(unit(random) * n) % n;
      c.time = static_cast<vigil::UnixTime>(kPeriodSeconds + unit(random) * 86400);
      out.write(reinterpret_cast<const char*>(&c.a), 4)
          .write(reinterpret_cast<const char*>(&c.b), 4);
    }
  }
  const size_t edges_before = graph->edge_count();
  start = Clock::now();
  if (!vigil::AddContacts(*graph, std::move(day)).ok()) return 1;
  vigil_s["add_day"] = Seconds(start);
  std::printf("one day: %zu contacts added in place (%zu new edges)\n", day_contacts,
              graph->edge_count() - edges_before);

  std::vector<double> latency;
  size_t reached = 0;
  for (uint32_t seed : seeds) {
    auto begin = Clock::now();
    vigil::ExpansionOptions options;
    options.limit = 0;
    vigil::Expansion expansion(*graph, {seed}, options);
    (void)expansion.run();
    latency.push_back(Seconds(begin));
    reached += expansion.hits().size();
  }
  std::sort(latency.begin(), latency.end());
  vigil_s["hop2_p50"] = latency[latency.size() / 2];
  vigil_s["hop2_p99"] = latency[latency.size() * 99 / 100];
  std::printf("2-hop: mean %.0f nodes reached per seed (hubs not crossed)\n",
              static_cast<double>(reached) / kSeeds);

  start = Clock::now();
  vigil::PageRankOptions pr;
  pr.threads = threads;
  vigil::PageRank pagerank(*graph, pr);
  (void)pagerank.run();
  vigil_s["pagerank"] = Seconds(start);
  std::printf("pagerank: %d iterations to L1 change < 1e-10\n", pagerank.iterations());

  if (vigil_only) {
    std::printf(
        "build %.2f s, add one day %.4f s, 2-hop p50 %.6f s p99 %.6f s, pagerank %.2f s, "
        "peak RSS %ld MiB\n",
        vigil_s["build"], vigil_s["add_day"], vigil_s["hop2_p50"], vigil_s["hop2_p99"],
        vigil_s["pagerank"], PeakRssMib());
    std::remove(edges_path.c_str());
    std::remove(seeds_path.c_str());
    std::remove(day_path.c_str());
    return 0;
  }
  start = Clock::now();
  vigil::BetweennessOptions bo;
  bo.samples = kBetweennessSamples;
  bo.threads = threads;
  vigil::Betweenness betweenness(*graph, bo);
  (void)betweenness.run();
  vigil_s["betweenness"] = Seconds(start);

  start = Clock::now();
  vigil::Communities communities(*graph);
  (void)communities.run();
  vigil_s["communities"] = Seconds(start);
  std::printf("communities: %zu, modularity %.4f\n", communities.community_count(),
              communities.modularity());
  long vigil_rss = PeakRssMib();

  std::string command = "/usr/bin/python3 " VIGIL_BENCH_DIR "/igraph_peer.py " + edges_path + " " +
                        std::to_string(n) + " " + seeds_path + " " +
                        std::to_string(kBetweennessSamples) + " " + day_path;
  std::map<std::string, double> peer;
  FILE* pipe = popen(command.c_str(), "r");
  char name[64];
  double value = 0;
  while (pipe != nullptr && std::fscanf(pipe, "%63s %lf", name, &value) == 2) peer[name] = value;
  if (pipe != nullptr) pclose(pipe);
  std::remove(edges_path.c_str());
  std::remove(seeds_path.c_str());
  std::remove(day_path.c_str());

  std::printf("\n%-28s %12s %12s %8s\n", "figure", "vigil", "igraph", "ratio");
  auto row = [&](const char* label, const char* ours, const char* theirs) {
    double a = vigil_s[ours], b = peer[theirs];
    std::printf("%-28s %12.6f %12.6f %7.1fx\n", label, a, b, a > 0 ? b / a : 0);
  };
  row("build (s)", "build", "build");
  row("add one day (s)", "add_day", "add_day");
  row("2-hop p50 (s)", "hop2_p50", "hop2_p50");
  row("2-hop p99 (s)", "hop2_p99", "hop2_p99");
  row("pagerank (s)", "pagerank", "pagerank");
  row("betweenness approx (s)*", "betweenness", "betweenness_cutoff2");
  row("communities (s)**", "communities", "leiden");
  std::printf("%-28s %12ld %12.0f\n", "peak RSS (MiB)", vigil_rss, peer["peak_rss_mib"]);
  std::printf(
      "* vigil: %zu sampled sources (unbiased estimate); igraph has no sampled "
      "betweenness in 0.10, its estimate is cutoff=2.\n** igraph Leiden, objective "
      "modularity, n_iterations=2; vigil multilevel moving + split, 2 rounds above 10k nodes.\n",
      kBetweennessSamples);
  return 0;
}
