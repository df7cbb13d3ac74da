// bench/ingest: validated ingest of a comms.csv into a fresh store, through
// the code path of `vigil ingest` (vigil::IngestFile), side by side in the
// same run with the sqlite3 shell's `.import` of the same file into a plain
// table. Not a test: it prints figures and never asserts timings.
//
//   ingest_bench [--dir DIR] [--rows N] [--runs R] [--people P] [--days D]
//                [--sqlite3 PATH]
//
// 1. Generates a world with the sim library (vigil simulate) into DIR/world
//    unless one is there, and prints the simulator's comms rows/s; copies the
//    first N rows of its comms.csv to DIR/input/comms.csv.
// 2. R times, alternately: ingests DIR/input/comms.csv into a fresh
//    DIR/store.db in a child process (open, IngestFile, close: the close's
//    checkpoint is part of the figure), then runs `sqlite3 DIR/import.db
//    -cmd '.mode csv' '.import DIR/input/comms.csv comms'` in another.
//    Each child's wall time, CPU time and peak RSS (wait4's rusage) are read.
// 3. Opens the store once more and times the reads the rest of Vigil needs:
//    ScanCommEdges over every row, ScanComms of single selectors.
// Prints every run, the medians and the ratio import / store (>= 1.0: the
// store's validated, indexed ingest is at least as fast as the plain import).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "vigil/ingest.h"
#include "vigil/sim.h"
#include "vigil/store.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int64_t kDefaultRows = 10'000'000;
constexpr int kDefaultRuns = 3;
// A world of this size writes ~10.5M comms rows (about 0.16 a person-day).
constexpr int64_t kDefaultPeople = 200'000;
constexpr int kDefaultDays = 330;
constexpr uint64_t kSeed = 20261123;
constexpr int kSelectorQueries = 200;
constexpr double kKibPerMib = 1024.0;
constexpr double kMillion = 1e6;

struct Options {
  fs::path dir = fs::temp_directory_path() / "vigil_bench_ingest";
  int64_t rows = kDefaultRows;
  int runs = kDefaultRuns;
  int64_t people = kDefaultPeople;
  int days = kDefaultDays;
  std::string sqlite3 = "sqlite3";
};

// What a child process cost.
struct Usage {
  bool ok = false;
  double wall_s = 0;
  double cpu_s = 0;     // user + system
  double peak_mib = 0;  // maximum resident set size
};

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double TimevalSeconds(const timeval& value) {
  return static_cast<double>(value.tv_sec) + static_cast<double>(value.tv_usec) / 1e6;
}

// Runs `body` in a child process (its return value is the exit code) and
// measures it.
Usage RunChild(const std::function<int()>& body) {
  std::fflush(stdout);
  const Clock::time_point start = Clock::now();
  const pid_t child = fork();
  if (child == 0) _exit(body());
  int status = 0;
  rusage usage{};
  Usage result;
  if (child < 0 || wait4(child, &status, 0, &usage) != child) return result;
  result.wall_s = Seconds(start);
  result.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  result.cpu_s = TimevalSeconds(usage.ru_utime) + TimevalSeconds(usage.ru_stime);
  result.peak_mib = static_cast<double>(usage.ru_maxrss) / kKibPerMib;  // ru_maxrss is KiB
  return result;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

void RemoveStore(const fs::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(path.string() + suffix);
  }
}

// Copies the header and the first `rows` rows of `from` to `to`; the number
// of rows copied.
int64_t CopyRows(const fs::path& from, const fs::path& to, int64_t rows) {
  std::ifstream in(from);
  std::ofstream out(to);
  std::string line;
  int64_t copied = -1;  // the header is not a row
  while (copied < rows && std::getline(in, line)) {
    out << line << '\n';
    ++copied;
  }
  return std::max<int64_t>(copied, 0);
}

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string flag = argv[index];
    const char* value = argv[index + 1];
    if (flag == "--dir") {
      options->dir = value;
    } else if (flag == "--rows") {
      options->rows = std::atoll(value);
    } else if (flag == "--runs") {
      options->runs = std::atoi(value);
    } else if (flag == "--people") {
      options->people = std::atoll(value);
    } else if (flag == "--days") {
      options->days = std::atoi(value);
    } else if (flag == "--sqlite3") {
      options->sqlite3 = value;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && options->rows > 0 && options->runs > 0;
}

// Step 1: the world and the input file. False on failure.
bool PrepareInput(const Options& options, const fs::path& csv) {
  const fs::path world = options.dir / "world";
  if (!fs::exists(world / "comms.csv")) {
    vigil::SimulateReport report;
    const fs::path report_path = options.dir / "simulate_report.txt";
    const Usage usage = RunChild([&] {
      vigil::SimulateOptions simulate;
      simulate.out_dir = world.string();
      simulate.seed = kSeed;
      simulate.people = options.people;
      simulate.days = options.days;
      vigil::Result<vigil::SimulateReport> done = vigil::Simulate(simulate);
      if (!done.ok()) {
        std::fprintf(stderr, "simulate: %s\n", done.status().ToString().c_str());
        return 1;
      }
      std::ofstream(report_path) << done->comms << "\n";
      return 0;
    });
    if (!usage.ok) return false;
    std::ifstream(report_path) >> report.comms;
    std::printf("vigil simulate --people %" PRId64 " --days %d: %" PRId64
                " comms in %.1f s = %.0f comms rows/s (whole world written), peak %.0f MiB\n",
                options.people, options.days, report.comms, usage.wall_s,
                static_cast<double>(report.comms) / usage.wall_s, usage.peak_mib);
  }
  fs::create_directories(csv.parent_path());
  const int64_t copied = CopyRows(world / "comms.csv", csv, options.rows);
  if (copied < options.rows) {
    std::fprintf(stderr, "the world has only %" PRId64 " comms rows; raise --days or --people\n",
                 copied);
    return false;
  }
  return true;
}

// The store's ingest of `csv` into a fresh `store_path`, in this process.
int IngestIntoFreshStore(const fs::path& csv, const fs::path& store_path, int64_t rows) {
  vigil::Result<std::unique_ptr<vigil::Store>> store = vigil::OpenSqliteStore(store_path);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
  vigil::Result<vigil::FileIngestResult> result = vigil::IngestFile(**store, csv, {});
  if (!result.ok()) return std::fprintf(stderr, "%s\n", result.status().ToString().c_str()), 1;
  if (result->rows_accepted != rows) {
    return std::fprintf(stderr, "ingested %" PRId64 " rows, expected %" PRId64 "\n",
                        result->rows_accepted, rows),
           1;
  }
  return 0;  // the store closes (and checkpoints) here
}

int SqliteImport(const std::string& shell, const fs::path& csv, const fs::path& db) {
  const std::string import = ".import " + csv.string() + " comms";
  execlp(shell.c_str(), shell.c_str(), db.c_str(), "-cmd", ".mode csv", import.c_str(),
         static_cast<char*>(nullptr));
  std::perror("exec sqlite3");
  return 127;
}

// Step 3: the reads other modules need, on the ingested store.
void MeasureReads(const fs::path& store_path) {
  vigil::Result<std::unique_ptr<vigil::Store>> opened = vigil::OpenSqliteStore(store_path);
  if (!opened.ok()) return;
  vigil::Store& store = **opened;
  Clock::time_point start = Clock::now();
  int64_t edges = 0;
  vigil::Status status = store.ScanCommEdges([&](const vigil::CommEdge&) { return ++edges > 0; });
  const double edge_seconds = Seconds(start);
  auto keep_first_error = [&](vigil::Status next) {
    if (status.ok()) status = std::move(next);
  };
  // Every k-th selector, so that busy and quiet ones are both asked for.
  std::vector<std::string> selectors;
  int64_t selector_count = 0;
  keep_first_error(store.ScanSelectors([&](int64_t, std::string_view) {
    ++selector_count;
    return true;
  }));
  const int64_t step = std::max<int64_t>(1, selector_count / kSelectorQueries);
  int64_t index = 0;
  keep_first_error(store.ScanSelectors([&](int64_t, std::string_view selector) {
    if (index++ % step == 0) selectors.emplace_back(selector);
    return true;
  }));
  start = Clock::now();
  int64_t hits = 0;
  for (const std::string& selector : selectors) {
    vigil::CommQuery query;
    query.selectors = {selector};
    keep_first_error(
        store.ScanComms(query, [&](const vigil::Communication&) { return ++hits > 0; }));
  }
  const double query_seconds = Seconds(start);
  if (!status.ok()) std::printf("reads failed: %s\n", status.ToString().c_str());
  std::printf("reads: ScanCommEdges %" PRId64
              " rows in %.2f s = %.0f rows/s; ScanComms of %zu "
              "single selectors: %" PRId64 " comms, %.2f ms a selector, %.0f comms/s\n",
              edges, edge_seconds, static_cast<double>(edges) / edge_seconds, selectors.size(),
              hits, query_seconds * 1e3 / static_cast<double>(selectors.size()),
              static_cast<double>(hits) / query_seconds);
}

void PrintRun(const char* what, int run, const Usage& usage, int64_t rows, uintmax_t bytes) {
  std::printf("run %d %-16s %7.2f s  %9.0f rows/s  cpu %7.2f s  peak %7.1f MiB  file %7.1f MB%s\n",
              run, what, usage.wall_s, static_cast<double>(rows) / usage.wall_s, usage.cpu_s,
              usage.peak_mib, static_cast<double>(bytes) / kMillion, usage.ok ? "" : "  FAILED");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    std::fprintf(stderr,
                 "usage: %s [--dir DIR] [--rows N] [--runs R] [--people P] [--days D] "
                 "[--sqlite3 PATH]\n",
                 argv[0]);
    return 2;
  }
  fs::create_directories(options.dir);
  const fs::path csv = options.dir / "input" / "comms.csv";
  if (!PrepareInput(options, csv)) return 1;
  const fs::path store_path = options.dir / "store.db";
  const fs::path import_path = options.dir / "import.db";
  std::printf("input %s: %" PRId64 " rows, %.1f MB\n", csv.c_str(), options.rows,
              static_cast<double>(fs::file_size(csv)) / kMillion);

  std::vector<double> store_wall, store_cpu, store_peak, import_wall, import_cpu, import_peak;
  uintmax_t store_bytes = 0;
  for (int run = 1; run <= options.runs; ++run) {
    RemoveStore(store_path);
    const Usage store =
        RunChild([&] { return IngestIntoFreshStore(csv, store_path, options.rows); });
    store_bytes = fs::file_size(store_path);
    PrintRun("vigil ingest", run, store, options.rows, store_bytes);
    RemoveStore(import_path);
    const Usage import = RunChild([&] { return SqliteImport(options.sqlite3, csv, import_path); });
    PrintRun("sqlite3 .import", run, import, options.rows, fs::file_size(import_path));
    if (!store.ok || !import.ok) return 1;
    store_wall.push_back(store.wall_s);
    store_cpu.push_back(store.cpu_s);
    store_peak.push_back(store.peak_mib);
    import_wall.push_back(import.wall_s);
    import_cpu.push_back(import.cpu_s);
    import_peak.push_back(import.peak_mib);
  }
  const auto rows = static_cast<double>(options.rows);
  std::printf("median of %d  vigil ingest    %7.2f s  %9.0f rows/s  cpu %7.2f s  peak %7.1f MiB\n",
              options.runs, Median(store_wall), rows / Median(store_wall), Median(store_cpu),
              Median(store_peak));
  std::printf("median of %d  sqlite3 .import %7.2f s  %9.0f rows/s  cpu %7.2f s  peak %7.1f MiB\n",
              options.runs, Median(import_wall), rows / Median(import_wall), Median(import_cpu),
              Median(import_peak));
  std::printf("ratio import/vigil: wall %.2f, cpu %.2f (>= 1.0: vigil at least as fast)\n",
              Median(import_wall) / Median(store_wall), Median(import_cpu) / Median(store_cpu));
  std::printf("store size: %.1f MB for %" PRId64 " comms = %.1f MB per million comms\n",
              static_cast<double>(store_bytes) / kMillion, options.rows,
              static_cast<double>(store_bytes) / rows);
  MeasureReads(store_path);
  return 0;
}
