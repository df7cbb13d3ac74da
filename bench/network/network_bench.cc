// network_bench: Vigil's network engine and python-igraph side by side on
// the same graph in the same run, printing ratios. Run by hand (not a
// test); never asserts timings.
//
//   network_bench NODES EDGES [THREADS] [FLAGS]
//   network_bench --world PEOPLE DAYS SEED [THREADS] [FLAGS]
//
// The graph: NODES nodes and EDGES generated contacts with a heavy-tailed
// degree (endpoint a = n * u^2.5, b uniform, one random time each over 1e8
// s), or (--world) the people graph of a world simulated and ingested as
// `vigil simulate` and `vigil ingest` do, read back with BuildGraphFromStore.
//
// Steps, Vigil first (then its graph is freed), then igraph_peer.py on the
// same edge list file (read with igraph's C reader, Graph.Read_Edgelist),
// the same new day of contacts, the same 2-hop seeds and the same
// betweenness sources: read the "a b" edge list; build (Vigil: sort and
// collapse the timed contacts; igraph: simplify); add one new day; 2-hop
// expansion from 1,000 random seeds (Vigil twice: every hit with its path,
// and the top 100, the CLI's default); PageRank; approximate betweenness
// from 32 sampled sources (--samples). Communities: see --communities and
// igraph_communities_peer.py.
//
// FLAGS:
//   --expansion          stop after the 2-hop queries (both sides)
//   --samples K          betweenness sources (default 32; 0: exact, every
//                        node a source, and igraph's exact betweenness too,
//                        for small graphs: the same algorithm on both sides)
//   --vigil-only         no peer
//   --edgelist FILE      the edge list for the peer; written if absent, kept
//                        (default: a temporary file, removed at the end)
//   --write-edgelist F   only write the edge list F and exit
//   --communities F      write F if absent, then Vigil's build and
//                        communities only (igraph_communities_peer.py F is
//                        the peer)
//
// Every figure is wall-clock seconds and CPU seconds (all the process's
// threads; per query for 2-hop). The machine is shared, so wall time
// includes waiting for a core; CPU time does not. igraph runs on one
// thread, so its CPU time is its undisturbed time; Vigil's sums its threads,
// so a CPU ratio compares total work, not latency.
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "vigil/graph.h"
#include "vigil/ingest.h"
#include "vigil/sim.h"
#include "vigil/store.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kSkew = 2.5;  // endpoint = n * u^kSkew: a heavy-tailed degree
constexpr size_t kSeeds = 1000;
constexpr size_t kDefaultSamples = 32;  // betweenness sources
constexpr double kPeriodSeconds = 1e8;  // generated contact times are uniform over it

double CpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Figure {
  double wall = 0;
  double cpu = 0;
};
using Figures = std::map<std::string, Figure>;

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

struct Options {
  uint32_t nodes = 0;
  size_t edges = 0;
  int threads = 2;
  size_t samples = kDefaultSamples;
  bool expansion_only = false;
  bool vigil_only = false;
  std::string edgelist;  // empty: a temporary file
  std::optional<std::string> write_edgelist;
  std::optional<std::string> communities;
  bool world = false;
  int64_t people = 0;
  int days = 0;
  uint64_t world_seed = 1;
};

// The graph both sides load: contacts to build from, one new day to add,
// and the node count.
struct Workload {
  uint32_t nodes = 0;
  std::vector<vigil::TimedContact> contacts;
  std::vector<vigil::TimedContact> day;
  std::string description;
};

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

// The generated graph: m contacts over the period, then one new day with
// the same skew (times just after the period). Deterministic (seed 42).
Workload Generate(uint32_t n, size_t m) {
  Workload w;
  w.nodes = n;
  std::mt19937_64 random(42);
  w.contacts.resize(m);
  for (auto& c : w.contacts) c = RandomContact(n, 0, kPeriodSeconds, random);
  w.day.resize(static_cast<size_t>(static_cast<double>(m) * 86400.0 / kPeriodSeconds));
  for (auto& c : w.day) c = RandomContact(n, kPeriodSeconds, 86400, random);
  w.description = "generated, skew u^2.5";
  return w;
}

// A simulated world (as `vigil simulate`), ingested into a temporary SQLite
// store (as `vigil ingest`), read back as the people graph; its contacts
// before the last day are the workload, the last day's are the new day.
std::optional<Workload> FromWorld(const Options& options) {
  std::string dir = (std::filesystem::temp_directory_path() / "vigil-netbench-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) return std::nullopt;
  auto fail = [&dir](const vigil::Status& status) -> std::optional<Workload> {
    std::fprintf(stderr, "%s\n", status.message().c_str());
    std::filesystem::remove_all(dir);
    return std::nullopt;
  };
  vigil::SimulateOptions sim;
  sim.out_dir = dir + "/world";
  sim.people = options.people;
  sim.days = options.days;
  sim.seed = options.world_seed;
  Stopwatch watch;
  auto world = vigil::Simulate(sim);
  if (!world.ok()) return fail(world.status());
  auto store = vigil::OpenSqliteStore(dir + "/vigil.db");
  if (!store.ok()) return fail(store.status());
  vigil::Status ingested =
      vigil::IngestPaths(**store, {sim.out_dir}, vigil::IngestOptions{}, nullptr);
  if (!ingested.ok()) return fail(ingested);
  auto graph = vigil::BuildGraphFromStore(**store);
  if (!graph.ok()) return fail(graph.status());
  std::printf("world: %lld people, %lld comms; simulated, ingested and read in %.1f s wall\n",
              static_cast<long long>(world->persons), static_cast<long long>(world->comms),
              watch.Stop().wall);
  Workload w;
  w.nodes = static_cast<uint32_t>(graph->node_count());
  const vigil::UnixTime last_day = graph->latest_contact() - 86400;
  for (vigil::NodeId a = 0; a < graph->node_count(); ++a) {
    auto neighbours = graph->Neighbours(a);
    auto edges = graph->IncidentEdges(a);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      if (neighbours[i] < a) continue;  // each edge once
      for (vigil::UnixTime t : graph->EdgeContacts(edges[i])) {
        vigil::TimedContact c{a, neighbours[i], t, graph->EdgeKinds(edges[i])};
        (t > last_day ? w.day : w.contacts).push_back(c);
      }
    }
  }
  // Store order, not edge order: shuffle so that the build sorts for real.
  std::mt19937_64 random(7);
  std::shuffle(w.contacts.begin(), w.contacts.end(), random);
  std::filesystem::remove_all(dir);
  w.description = "vigil simulate --people " + std::to_string(options.people) + " --days " +
                  std::to_string(options.days) + " --seed " + std::to_string(options.world_seed);
  return w;
}

// Writes the contacts as "a b" lines (one per contact; igraph's simplify
// collapses them as Vigil's build does). False on an I/O error.
bool WriteEdgeList(const std::vector<vigil::TimedContact>& contacts, const std::string& path) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) return false;
  std::vector<char> buffer(1 << 20);
  size_t used = 0;
  for (const auto& c : contacts) {
    if (used + 32 > buffer.size()) {
      std::fwrite(buffer.data(), 1, used, out);
      used = 0;
    }
    char* at = buffer.data() + used;
    at = std::to_chars(at, at + 11, c.a).ptr;
    *at++ = ' ';
    at = std::to_chars(at, at + 11, c.b).ptr;
    *at++ = '\n';
    used = static_cast<size_t>(at - buffer.data());
  }
  std::fwrite(buffer.data(), 1, used, out);
  return std::fclose(out) == 0;
}

// Vigil's read of the same "a b" edge list igraph reads (one thread,
// buffered): the pairs are written over contacts' a and b in file order
// (the same values; the times stay). False if the file does not hold one
// line per contact.
bool ReadEdgeList(const std::string& path, std::vector<vigil::TimedContact>& contacts) {
  std::FILE* in = std::fopen(path.c_str(), "r");
  if (in == nullptr) return false;
  std::vector<char> buffer(1 << 22);
  size_t kept = 0, index = 0;
  uint32_t pair[2];
  int field = 0;
  bool ok = true;
  while (ok) {
    const size_t got = std::fread(buffer.data() + kept, 1, buffer.size() - kept, in);
    const size_t size = kept + got;
    if (size == 0) break;
    // Parse whole lines only; a partial last line waits for the next read.
    size_t end = size;
    if (got != 0) {
      while (end > 0 && buffer[end - 1] != '\n') --end;
    }
    const char* at = buffer.data();
    const char* stop = buffer.data() + end;
    while (at < stop) {
      if (*at == ' ' || *at == '\n') {
        ++at;
        continue;
      }
      auto [next, error] = std::from_chars(at, stop, pair[field]);
      if (error != std::errc()) {
        ok = false;
        break;
      }
      at = next;
      if (++field == 2) {
        if (index >= contacts.size()) {
          ok = false;
          break;
        }
        contacts[index].a = pair[0];
        contacts[index++].b = pair[1];
        field = 0;
      }
    }
    kept = size - end;
    std::copy(buffer.begin() + static_cast<ptrdiff_t>(end),
              buffer.begin() + static_cast<ptrdiff_t>(size), buffer.begin());
    if (got == 0) break;
  }
  std::fclose(in);
  return ok && index == contacts.size();
}

bool WriteDay(const std::vector<vigil::TimedContact>& day, const std::string& path) {
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) return false;
  for (const auto& c : day) {
    const uint32_t pair[2] = {c.a, c.b};
    std::fwrite(pair, sizeof pair, 1, out);
  }
  return std::fclose(out) == 0;
}

bool WriteIds(const std::vector<uint32_t>& ids, const std::string& path) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) return false;
  for (uint32_t id : ids) std::fprintf(out, "%u\n", id);
  return std::fclose(out) == 0;
}

// The sources vigil::Betweenness samples (the same partial Fisher-Yates
// shuffle with the same seed), so that the peer searches from them too.
std::vector<uint32_t> BetweennessSources(size_t n, size_t samples, uint64_t seed) {
  std::vector<uint32_t> sources(n);
  std::iota(sources.begin(), sources.end(), 0u);
  if (samples >= n) return sources;
  std::mt19937_64 random(seed);
  for (size_t i = 0; i < samples; ++i) {
    std::uniform_int_distribution<size_t> pick(i, n - 1);
    std::swap(sources[i], sources[pick(random)]);
  }
  sources.resize(samples);
  return sources;
}

// Runs a 2-hop expansion from each seed keeping `limit` hits (0: all, every
// one with its path) and stores the median and 99th percentile of the
// per-query wall and thread CPU times as name_p50 and name_p99. Returns the
// hits summed over seeds.
size_t TimeExpansions(const vigil::Graph& graph, const std::vector<uint32_t>& seeds, size_t limit,
                      Figures& figures, const std::string& name) {
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

// Vigil's side: every step on `w`, figures into `out`. The graph is freed
// on return (before the peer starts). False on an error.
bool RunVigil(Workload& w, const Options& options, const std::string& edgelist,
              const std::vector<uint32_t>& seeds, Figures& out) {
  Stopwatch watch;
  if (!ReadEdgeList(edgelist, w.contacts)) {
    std::fprintf(stderr, "%s does not match the workload\n", edgelist.c_str());
    return false;
  }
  out["read"] = watch.Stop();
  const size_t contacts = w.contacts.size();
  watch = Stopwatch();
  vigil::GraphBuildOptions build;
  build.threads = options.threads;
  auto graph = vigil::BuildGraph({}, std::move(w.contacts), build);
  out["build"] = watch.Stop();
  if (!graph.ok()) return false;
  const auto bytes = static_cast<double>(graph->MemoryBytes());
  std::printf(
      "graph: %zu nodes, %zu edges, %zu contacts, %.1f MiB = %.1f B per edge with its "
      "contact times, %.1f B per contact\n",
      graph->node_count(), graph->edge_count(), graph->contact_count(), bytes / 1048576.0,
      bytes / static_cast<double>(graph->edge_count()),
      bytes / static_cast<double>(std::max<size_t>(1, contacts)));
  const size_t edges_before = graph->edge_count();
  const size_t day = w.day.size();
  watch = Stopwatch();
  if (!vigil::AddContacts(*graph, std::move(w.day)).ok()) return false;
  out["add_day"] = watch.Stop();
  std::printf("one day: %zu contacts added in place (%zu new edges)\n", day,
              graph->edge_count() - edges_before);
  size_t reached = TimeExpansions(*graph, seeds, 0, out, "hop2");
  std::printf("2-hop: mean %.0f nodes reached per seed (hubs not crossed), all with paths\n",
              static_cast<double>(reached) / static_cast<double>(seeds.size()));
  TimeExpansions(*graph, seeds, 100, out, "hop2_top");
  std::fflush(stdout);
  if (options.expansion_only) return true;

  watch = Stopwatch();
  vigil::PageRankOptions pr;
  pr.threads = options.threads;
  vigil::PageRank pagerank(*graph, pr);
  if (!pagerank.run().ok()) return false;
  out["pagerank"] = watch.Stop();
  std::printf("pagerank: %d iterations to L1 change < %g\n", pagerank.iterations(), pr.tolerance);
  std::fflush(stdout);

  watch = Stopwatch();
  vigil::BetweennessOptions bo;
  bo.samples = options.samples;
  bo.threads = options.threads;
  vigil::Betweenness betweenness(*graph, bo);
  if (!betweenness.run().ok()) return false;
  out["betweenness"] = watch.Stop();
  return true;
}

// Runs igraph_peer.py on the same files and reads its "name wall cpu" lines.
Figures RunPeer(uint32_t n, const std::string& edgelist, const std::string& seeds,
                const std::string& sources, const std::string& day, bool expansion_only) {
  std::string command = "/usr/bin/python3 " VIGIL_BENCH_DIR "/igraph_peer.py " + edgelist + " " +
                        std::to_string(n) + " " + seeds + " " + sources + " " + day +
                        (expansion_only ? " hop2" : "");
  Figures peer;
  FILE* pipe = popen(command.c_str(), "r");
  char line[256];
  while (pipe != nullptr && std::fgets(line, sizeof line, pipe) != nullptr) {
    std::fputs(line, stdout);  // as it goes: a run stopped midway still shows its steps
    std::fflush(stdout);
    std::istringstream fields(line);
    std::string name;
    Figure f;
    if (fields >> name >> f.wall >> f.cpu) peer[name] = f;
  }
  if (pipe != nullptr) {
    const int status = pclose(pipe);
    if (status != 0) std::printf("peer exited with status %d (see above for where)\n", status);
  }
  return peer;
}

void PrintTable(Figures& ours, Figures& peer, long vigil_rss, const Options& options) {
  peer["read_build"] = {peer["read"].wall + peer["simplify"].wall,
                        peer["read"].cpu + peer["simplify"].cpu};
  ours["read_build"] = {ours["read"].wall + ours["build"].wall,
                        ours["read"].cpu + ours["build"].cpu};
  std::printf("\n%-30s %11s %11s %7s | %11s %11s %7s\n", "figure", "vigil wall", "igraph wall",
              "ratio", "vigil cpu", "igraph cpu", "ratio");
  auto row = [&](const char* label, const char* mine, const char* theirs) {
    Figure a = ours[mine], b = peer[theirs];
    auto ratio = [](double x, double y) { return x > 0 && y > 0 ? y / x : 0.0; };
    std::printf("%-30s %11.6f %11.6f %6.1fx | %11.6f %11.6f %6.1fx\n", label, a.wall, b.wall,
                ratio(a.wall, b.wall), a.cpu, b.cpu, ratio(a.cpu, b.cpu));
  };
  row("read edge list (s)", "read", "read");
  row("build (s) [igraph: simplify]", "build", "simplify");
  row("read + build (s)", "read_build", "read_build");
  row("add one day (s)", "add_day", "add_day");
  row("2-hop p50, all + paths (s)", "hop2_p50", "hop2_p50");
  row("2-hop p99, all + paths (s)", "hop2_p99", "hop2_p99");
  row("2-hop p50, top 100 (s)", "hop2_top_p50", "hop2_p50");
  row("2-hop p99, top 100 (s)", "hop2_top_p99", "hop2_p99");
  if (!options.expansion_only) {
    row("pagerank (s)", "pagerank", "pagerank");
    const std::string label = "betweenness, " + std::to_string(options.samples) + " sources (s)*";
    if (options.samples == 0) {
      // Exact: every node a source, on both sides the same algorithm.
      row("betweenness, exact (s)", "betweenness", "betweenness_exact");
      row("  igraph's searches alone (s)", "betweenness", "betweenness_bfs_only");
    } else {
      row(label.c_str(), "betweenness", "betweenness_bfs_only");
    }
    std::printf("%-30s %11s %11.6f %7s | %11s %11.6f\n", "  * igraph list overhead (s)", "",
                peer["betweenness_list_overhead"].wall, "", "",
                peer["betweenness_list_overhead"].cpu);
  }
  std::printf("%-30s %11ld %11.0f\n", "peak RSS (MiB)", vigil_rss, peer["peak_rss_mib"].wall);
  std::printf(
      "ratio = igraph / vigil (> 1: vigil faster). vigil threads: %d. 2-hop: igraph's "
      "neighborhood(order=2) lists every node within 2 hops; vigil ranks them all (or keeps the "
      "top 100), each with its path.\n* igraph 0.10 has no sampled betweenness: its figure is only "
      "the breadth-first searches from the same sources (subcomponent), a lower bound on its "
      "Brandes (--samples 0: igraph's exact betweenness is timed too); the overhead row is what "
      "building Python lists of as many ints costs.\n",
      options.threads);
}

// --communities / --write-edgelist: the generated contacts written as "a b"
// lines (an existing file is kept), then Vigil's build and communities.
int CommunitiesOnly(const Options& options, const std::string& edgelist, bool write_only) {
  Workload w = Generate(options.nodes, options.edges);
  if (!std::filesystem::exists(edgelist) && !WriteEdgeList(w.contacts, edgelist)) return 1;
  std::printf("edge list %s (%zu lines)\n", edgelist.c_str(), w.contacts.size());
  std::fflush(stdout);
  if (write_only) return 0;
  Stopwatch watch;
  vigil::GraphBuildOptions build;
  build.threads = options.threads;
  auto graph = vigil::BuildGraph({}, std::move(w.contacts), build);
  const Figure built = watch.Stop();
  if (!graph.ok()) return 1;
  std::printf("graph: %zu nodes, %zu edges, %.1f MiB; build wall %.2f s cpu %.2f s\n",
              graph->node_count(), graph->edge_count(),
              static_cast<double>(graph->MemoryBytes()) / 1048576.0, built.wall, built.cpu);
  std::fflush(stdout);
  const long build_peak = PeakRssMib();
  ResetHighWater();
  watch = Stopwatch();
  vigil::CommunityOptions community_options;
  community_options.threads = options.threads;
  vigil::Communities communities(*graph, community_options);
  if (!communities.run().ok()) return 1;
  const Figure found = watch.Stop();
  std::printf(
      "communities: %zu, modularity %.4f; wall %.2f s cpu %.2f s\npeak RSS %ld MiB "
      "(build %ld MiB; during communities, graph included: %ld MiB)\n",
      communities.community_count(), communities.modularity(), found.wall, found.cpu, PeakRssMib(),
      build_peak, HighWaterMib());
  return 0;
}

std::optional<Options> ParseArgs(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    if (arg == "--expansion") {
      o.expansion_only = true;
    } else if (arg == "--vigil-only") {
      o.vigil_only = true;
    } else if (arg == "--edgelist" || arg == "--write-edgelist" || arg == "--communities") {
      auto v = value();
      if (!v) return std::nullopt;
      if (arg == "--edgelist") {
        o.edgelist = *v;
      } else if (arg == "--write-edgelist") {
        o.write_edgelist = *v;
      } else {
        o.communities = *v;
      }
    } else if (arg == "--samples") {
      auto v = value();
      if (!v) return std::nullopt;
      o.samples = std::stoull(*v);
    } else if (arg == "--world") {
      if (i + 3 >= argc) return std::nullopt;
      o.world = true;
      o.people = std::stoll(argv[++i]);
      o.days = std::stoi(argv[++i]);
      o.world_seed = std::stoull(argv[++i]);
    } else {
      positional.push_back(arg);
    }
  }
  const size_t sizes = o.world ? 0 : 2;
  if (positional.size() < sizes || positional.size() > sizes + 1) return std::nullopt;
  if (!o.world) {
    o.nodes = static_cast<uint32_t>(std::stoul(positional[0]));
    o.edges = std::stoull(positional[1]);
  }
  if (positional.size() == sizes + 1) o.threads = std::stoi(positional[sizes]);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> parsed = ParseArgs(argc, argv);
  if (!parsed) {
    std::fprintf(stderr,
                 "usage: network_bench NODES EDGES [THREADS] [--expansion] [--vigil-only] "
                 "[--edgelist F | --write-edgelist F | --communities F]\n"
                 "       network_bench --world PEOPLE DAYS SEED [THREADS] [--expansion] "
                 "[--vigil-only] [--edgelist F]\n");
    return 2;
  }
  const Options& options = *parsed;
  if (options.write_edgelist) return CommunitiesOnly(options, *options.write_edgelist, true);
  if (options.communities) return CommunitiesOnly(options, *options.communities, false);

  std::optional<Workload> workload =
      options.world ? FromWorld(options) : Generate(options.nodes, options.edges);
  if (!workload) return 1;
  const uint32_t n = workload->nodes;
  std::printf("workload: %s; %u nodes, %zu contacts, one new day of %zu\n",
              workload->description.c_str(), n, workload->contacts.size(), workload->day.size());
  const std::string tag = "/tmp/vigil_netbench_" + std::to_string(getpid());
  const bool temporary = options.edgelist.empty();
  const std::string edgelist = temporary ? tag + "_edges.txt" : options.edgelist;
  const std::string seeds_path = tag + "_seeds.txt", sources_path = tag + "_sources.txt";
  const std::string day_path = tag + "_day.bin";
  Stopwatch watch;
  if (!std::filesystem::exists(edgelist) && !WriteEdgeList(workload->contacts, edgelist)) return 1;
  std::printf("edge list %s ready (%.1f s)\n", edgelist.c_str(), watch.Stop().wall);
  std::mt19937_64 random(43);
  std::vector<uint32_t> seeds(kSeeds);
  std::uniform_int_distribution<uint32_t> node(0, n - 1);
  for (auto& s : seeds) s = node(random);
  bool files =
      WriteIds(seeds, seeds_path) && WriteDay(workload->day, day_path) &&
      WriteIds(BetweennessSources(n, options.samples == 0 ? n : options.samples, 1), sources_path);
  Figures ours;
  const bool ran = files && RunVigil(*workload, options, edgelist, seeds, ours);
  workload.reset();  // frees what the build did not take
  const long vigil_rss = PeakRssMib();
  std::printf("vigil peak RSS %ld MiB\n", vigil_rss);
  Figures peer;
  if (ran && !options.vigil_only) {
    std::fflush(stdout);
    peer = RunPeer(n, edgelist, seeds_path, sources_path, day_path, options.expansion_only);
  }
  if (ran) PrintTable(ours, peer, vigil_rss, options);
  for (const auto& path : {seeds_path, sources_path, day_path}) std::remove(path.c_str());
  if (temporary) std::remove(edgelist.c_str());
  return ran ? 0 : 1;
}
