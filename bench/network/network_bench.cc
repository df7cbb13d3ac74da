// network_bench NODES EDGES [THREADS [MODE]]: a generated skewed graph,
// Vigil's network engine and python-igraph side by side in the same run,
// printing ratios. Run by hand (not a test); never asserts timings.
// MODE: --vigil-only (no peer, no betweenness: for graphs whose Python edge
// list does not fit in memory); --expansion (build, one new day and 2-hop
// only, both sides); --communities EDGELIST (writes the edge list as "a b"
// text lines for igraph's own C reader, see igraph_communities_peer.py,
// then runs Vigil's build and communities only; an existing file is kept);
// --write-edgelist EDGELIST (only writes that file).
//
// Every figure is printed as wall-clock seconds and as CPU seconds (all of
// the process's threads; per query for 2-hop). The machine is shared, so
// wall time includes waiting for a core; CPU time does not. igraph runs on
// one thread, so its CPU time is its undisturbed time; Vigil's CPU time sums
// its threads, so a CPU ratio compares total work, not latency.
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "vigil/graph.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kSkew = 2.5;  // endpoint = n * u^kSkew: a heavy-tailed degree
constexpr size_t kSeeds = 1000;
constexpr size_t kBetweennessSamples = 32;
constexpr double kPeriodSeconds = 1e8;  // contact times are uniform over it

double CpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Figure {
  double wall = 0;
  double cpu = 0;
};

// Measures wall and CPU time from construction to Stop().
class Stopwatch {
 public:
  explicit Stopwatch(clockid_t clock = CLOCK_PROCESS_CPUTIME_ID)
      : clock_(clock), wall_(Clock::now()), cpu_(CpuSeconds(clock)) {}
  Figure Stop() const {
    return {std::chrono::duration<double>(Clock::now() - wall_).count(), CpuSeconds(clock_) - cpu_};
  }

 private:
  clockid_t clock_;
  Clock::time_point wall_;
  double cpu_;
};

long PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

// The process's resident-set high-water mark (VmHWM) in MiB, and a reset
// of it (Linux >= 4.0, /proc/self/clear_refs "5"), so that one phase's
// peak can be read apart from the build's.
long HighWaterMib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}
void ResetHighWater() { std::ofstream("/proc/self/clear_refs") << "5"; }

vigil::TimedContact RandomContact(uint32_t n, double t0, double span, std::mt19937_64& random) {
  std::uniform_real_distribution<double> unit(0, 1);
  vigil::TimedContact c;
  c.a = static_cast<uint32_t>(n * std::pow(unit(random), kSkew)) % n;
  c.b = static_cast<uint32_t>(unit(random) * n) % n;
  c.time = static_cast<vigil::UnixTime>(t0 + unit(random) * span);
  return c;
}

void WritePair(std::ofstream& out, const vigil::TimedContact& c) {
  out.write(reinterpret_cast<const char*>(&c.a), 4).write(reinterpret_cast<const char*>(&c.b), 4);
}

// Runs a 2-hop expansion from each seed keeping `limit` hits (0: all, every
// one with its path) and stores the median and 99th percentile of the
// per-query wall and thread CPU times as name_p50 and name_p99. Returns the
// hits summed over seeds.
size_t TimeExpansions(const vigil::Graph& graph, const std::vector<uint32_t>& seeds, size_t limit,
                      std::map<std::string, Figure>& figures, const std::string& name) {
  std::vector<double> wall, cpu;
  size_t reached = 0;
  for (uint32_t seed : seeds) {
    Stopwatch query(CLOCK_THREAD_CPUTIME_ID);
    vigil::ExpansionOptions options;
    options.limit = limit;
    vigil::Expansion expansion(graph, {seed}, options);
    (void)expansion.run();
    Figure f = query.Stop();
    wall.push_back(f.wall);
    cpu.push_back(f.cpu);
    reached += expansion.hits().size();
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  const size_t count = seeds.size();
  figures[name + "_p50"] = {wall[count / 2], cpu[count / 2]};
  figures[name + "_p99"] = {wall[count * 99 / 100], cpu[count * 99 / 100]};
  return reached;
}

// The same m contacts as the main run (same generator and seed), written as
// "a b" lines to `edgelist`, then Vigil's build and communities timed (CPU
// and wall) with peak RSS. For the largest graph, where the peer reads the
// file with igraph's C reader instead of a Python list.
int CommunitiesOnly(uint32_t n, size_t m, int threads, const std::string& edgelist,
                    bool write_only) {
  std::mt19937_64 random(42);
  std::vector<vigil::TimedContact> contacts(m);
  // An existing file is kept (written earlier by the same generator).
  std::FILE* out = nullptr;
  if (std::FILE* existing = std::fopen(edgelist.c_str(), "r"); existing != nullptr) {
    std::fclose(existing);
  } else if ((out = std::fopen(edgelist.c_str(), "w")) == nullptr) {
    return 1;
  }
  const bool writing = out != nullptr;
  for (auto& c : contacts) {
    c = RandomContact(n, 0, kPeriodSeconds, random);
    if (writing) std::fprintf(out, "%u %u\n", c.a, c.b);
  }
  if (writing && std::fclose(out) != 0) return 1;
  std::printf("edge list %s: %s (%zu lines)\n", writing ? "written" : "kept", edgelist.c_str(), m);
  std::fflush(stdout);
  if (write_only) return 0;
  Stopwatch watch;
  vigil::GraphBuildOptions build;
  build.threads = threads;
  auto graph = vigil::BuildGraph({}, std::move(contacts), build);
  const Figure built = watch.Stop();
  if (!graph.ok()) return 1;
  std::printf("graph: %zu nodes, %zu edges, %.1f MiB; build wall %.2f s cpu %.2f s\n",
              graph->node_count(), graph->edge_count(),
              static_cast<double>(graph->MemoryBytes()) / 1048576.0, built.wall, built.cpu);
  std::fflush(stdout);
  const long build_peak = PeakRssMib();
  ResetHighWater();
  watch = Stopwatch();
  vigil::CommunityOptions options;
  options.threads = threads;
  vigil::Communities communities(*graph, options);
  if (!communities.run().ok()) return 1;
  const Figure found = watch.Stop();
  std::printf(
      "communities: %zu, modularity %.4f; wall %.2f s cpu %.2f s\npeak RSS %ld MiB "
      "(build %ld MiB; during communities, graph included: %ld MiB)\n",
      communities.community_count(), communities.modularity(), found.wall, found.cpu, PeakRssMib(),
      build_peak, HighWaterMib());
  return 0;
}

// Runs igraph_peer.py on the same edge list, day and seeds (`only`: "hop2"
// stops it after the 2-hop queries), removes the files and prints both
// sides with ratios.
int ComparePeer(uint32_t n, std::map<std::string, Figure>& vigil_s, const std::string& edges_path,
                const std::string& seeds_path, const std::string& day_path, int threads,
                const std::string& only) {
  const long vigil_rss = PeakRssMib();
  std::fflush(stdout);
  std::string command = "/usr/bin/python3 " VIGIL_BENCH_DIR "/igraph_peer.py " + edges_path + " " +
                        std::to_string(n) + " " + seeds_path + " " +
                        std::to_string(kBetweennessSamples) + " " + day_path + " " + only;
  std::map<std::string, Figure> peer;
  FILE* pipe = popen(command.c_str(), "r");
  char line[256];
  while (pipe != nullptr && std::fgets(line, sizeof line, pipe) != nullptr) {
    std::istringstream fields(line);
    std::string name;
    Figure f;
    if (fields >> name >> f.wall >> f.cpu) peer[name] = f;
  }
  if (pipe != nullptr) pclose(pipe);
  std::remove(edges_path.c_str());
  std::remove(seeds_path.c_str());
  std::remove(day_path.c_str());

  std::printf("\n%-26s %11s %11s %7s | %11s %11s %7s\n", "figure", "vigil wall", "igraph wall",
              "ratio", "vigil cpu", "igraph cpu", "ratio");
  auto row = [&](const char* label, const char* ours, const char* theirs) {
    Figure a = vigil_s[ours], b = peer[theirs];
    std::printf("%-26s %11.6f %11.6f %6.1fx | %11.6f %11.6f %6.1fx\n", label, a.wall, b.wall,
                a.wall > 0 ? b.wall / a.wall : 0, a.cpu, b.cpu, a.cpu > 0 ? b.cpu / a.cpu : 0);
  };
  row("build (s)", "build", "build");
  row("add one day (s)", "add_day", "add_day");
  row("2-hop p50 (s)", "hop2_p50", "hop2_p50");
  row("2-hop p99 (s)", "hop2_p99", "hop2_p99");
  if (only == "hop2") {
    row("2-hop top-100 p50 (s)***", "hop2_top_p50", "hop2_p50");
    row("2-hop top-100 p99 (s)***", "hop2_top_p99", "hop2_p99");
  } else {
    row("pagerank (s)", "pagerank", "pagerank");
    row("betweenness approx (s)*", "betweenness", "betweenness_cutoff2");
    row("communities (s)**", "communities", "leiden");
  }
  std::printf("%-26s %11ld %11.0f\n", "peak RSS (MiB)", vigil_rss, peer["peak_rss_mib"].wall);
  if (only.empty()) {
    std::printf("%-26s %11.4f %11.4f\n", "modularity", vigil_s["modularity"].wall,
                peer["leiden_modularity"].wall);
  }
  std::printf(
      "ratio = igraph / vigil (> 1: vigil faster). vigil threads: %d.\n"
      "* vigil: %zu sampled sources (unbiased estimate); igraph 0.10 has no sampled "
      "betweenness, its estimate is cutoff=2 (skipped above 2M edges).\n** igraph Leiden, "
      "objective modularity, n_iterations=2; vigil multilevel queue moving + split, 2 rounds "
      "above 10k nodes.\n*** vigil keeps the 100 strongest hits (the CLI's default) with their "
      "paths; igraph lists every node within 2 hops.\n",
      threads, kBetweennessSamples);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: network_bench NODES EDGES [THREADS [--vigil-only | --expansion | "
                 "--communities EDGELIST]]\n");
    return 2;
  }
  const auto n = static_cast<uint32_t>(std::stoul(argv[1]));
  const size_t m = std::stoull(argv[2]);
  const int threads = argc > 3 ? std::stoi(argv[3]) : 2;
  // --vigil-only: no peer, no betweenness (for the largest
  // graphs, where python-igraph's edge list alone does not fit in memory).
  const std::string mode = argc > 4 ? argv[4] : "";
  const bool vigil_only = mode == "--vigil-only";
  const bool expansion_only = mode == "--expansion";
  if (mode == "--communities") {
    if (argc < 6) return 2;
    return CommunitiesOnly(n, m, threads, argv[5], false);
  }
  if (mode == "--write-edgelist") {
    if (argc < 6) return 2;
    return CommunitiesOnly(n, m, threads, argv[5], true);
  }
  std::mt19937_64 random(42);
  const std::string tag = std::to_string(getpid());
  const std::string edges_path = "/tmp/vigil_bench_edges_" + tag + ".bin";
  const std::string day_path = "/tmp/vigil_bench_day_" + tag + ".bin";
  const std::string seeds_path = "/tmp/vigil_bench_seeds_" + tag + ".txt";
  std::vector<vigil::TimedContact> contacts(m);
  {
    std::ofstream edges;  // not opened (writes are no-ops) without a peer
    if (!vigil_only) edges.open(edges_path, std::ios::binary);
    for (auto& c : contacts) {
      c = RandomContact(n, 0, kPeriodSeconds, random);
      WritePair(edges, c);
    }
  }
  std::map<std::string, Figure> vigil_s;
  Stopwatch watch;
  vigil::GraphBuildOptions build;
  build.threads = threads;
  auto graph = vigil::BuildGraph({}, std::move(contacts), build);
  vigil_s["build"] = watch.Stop();
  if (!graph.ok()) return 1;
  std::printf("graph: %zu nodes, %zu edges, %zu contacts, %.1f MiB (%.1f B/edge incl. contacts)\n",
              graph->node_count(), graph->edge_count(), graph->contact_count(),
              static_cast<double>(graph->MemoryBytes()) / 1048576.0,
              static_cast<double>(graph->MemoryBytes()) / static_cast<double>(graph->edge_count()));

  // One new day of communications (same skew, times just after the
  // period), added in place; igraph adds the same edges with add_edges.
  const size_t day_contacts =
      static_cast<size_t>(static_cast<double>(m) * 86400.0 / kPeriodSeconds);
  std::vector<vigil::TimedContact> day(day_contacts);
  {
    std::ofstream out;
    if (!vigil_only) out.open(day_path, std::ios::binary);
    for (auto& c : day) {
      c = RandomContact(n, kPeriodSeconds, 86400, random);
      WritePair(out, c);
    }
  }
  const size_t edges_before = graph->edge_count();
  watch = Stopwatch();
  if (!vigil::AddContacts(*graph, std::move(day)).ok()) return 1;
  vigil_s["add_day"] = watch.Stop();
  std::printf("one day: %zu contacts added in place (%zu new edges)\n", day_contacts,
              graph->edge_count() - edges_before);

  std::vector<uint32_t> seeds(kSeeds);
  {
    std::ofstream out(seeds_path);
    std::uniform_int_distribution<uint32_t> node(0, n - 1);
    for (auto& s : seeds) out << (s = node(random)) << '\n';
  }
  size_t reached = TimeExpansions(*graph, seeds, 0, vigil_s, "hop2");
  std::printf("2-hop: mean %.0f nodes reached per seed (hubs not crossed), all with paths\n",
              static_cast<double>(reached) / kSeeds);
  if (expansion_only) TimeExpansions(*graph, seeds, 100, vigil_s, "hop2_top");

  if (expansion_only)
    return ComparePeer(n, vigil_s, edges_path, seeds_path, day_path, threads, "hop2");

  watch = Stopwatch();
  vigil::PageRankOptions pr;
  pr.threads = threads;
  vigil::PageRank pagerank(*graph, pr);
  (void)pagerank.run();
  vigil_s["pagerank"] = watch.Stop();
  std::printf("pagerank: %d iterations to L1 change < 1e-10\n", pagerank.iterations());

  if (vigil_only) {
    watch = Stopwatch();
    vigil::Communities communities(*graph);
    (void)communities.run();
    vigil_s["communities"] = watch.Stop();
    std::printf("communities: %zu, modularity %.4f\n", communities.community_count(),
                communities.modularity());
    std::printf("\n%-24s %12s %12s\n", "figure (vigil only)", "wall s", "cpu s");
    for (const char* name :
         {"build", "add_day", "hop2_p50", "hop2_p99", "pagerank", "communities"}) {
      std::printf("%-24s %12.6f %12.6f\n", name, vigil_s[name].wall, vigil_s[name].cpu);
    }
    std::printf("peak RSS %ld MiB\n", PeakRssMib());
    std::remove(seeds_path.c_str());
    return 0;
  }
  watch = Stopwatch();
  vigil::BetweennessOptions bo;
  bo.samples = kBetweennessSamples;
  bo.threads = threads;
  vigil::Betweenness betweenness(*graph, bo);
  (void)betweenness.run();
  vigil_s["betweenness"] = watch.Stop();

  watch = Stopwatch();
  vigil::Communities communities(*graph);
  (void)communities.run();
  vigil_s["communities"] = watch.Stop();
  std::printf("communities: %zu, modularity %.4f\n", communities.community_count(),
              communities.modularity());
  vigil_s["modularity"] = {communities.modularity(), 0};
  return ComparePeer(n, vigil_s, edges_path, seeds_path, day_path, threads, "");
}
