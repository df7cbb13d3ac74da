// Bulk-ingest benchmark of the SQLite store (not a test; never run by ctest).
//
// Puts N synthetic communications into a fresh store in one writer and
// compares, in the same run, with the sqlite3 shell's `.import` of a CSV of
// the same rows into a fresh file (plain text table, no indexes).
//
// Usage: store_ingest_bench <scratch dir> [rows=10000000] [sqlite3 shell]
// Prints seconds for each and the ratio import_seconds / store_seconds
// (>= 1.0 means the store is at least as fast).
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "vigil/store.h"

namespace {

constexpr int64_t kDefaultRows = 10'000'000;
constexpr int kPhones = 200'000;
constexpr int kHandsets = 150'000;
constexpr int kCells = 20'000;
constexpr int64_t kStartTime = 1'400'000'000;  // 2014-05-13
constexpr int kMaxGapSeconds = 6;
constexpr int kMaxDuration = 3600;
constexpr uint64_t kSeed = 20240601;

struct Pools {
  std::vector<std::string> phones, handsets, cells;
};

Pools MakePools() {
  Pools pools;
  for (int index = 0; index < kPhones; ++index) {
    pools.phones.push_back("msisdn:+447" + std::to_string(100000000 + index * 7));
  }
  for (int index = 0; index < kHandsets; ++index) {
    pools.handsets.push_back("imei:35" + std::to_string(1000000000000LL + index * 13LL));
  }
  for (int index = 0; index < kCells; ++index) {
    pools.cells.push_back("cell-" + std::to_string(index));
  }
  return pools;
}

// Calls fn(comm) for each of `rows` deterministic communications.
template <typename Fn>
void Generate(const Pools& pools, int64_t rows, Fn fn) {
  std::mt19937_64 random(kSeed);
  vigil::Communication comm;
  int64_t time = kStartTime;
  for (int64_t row = 0; row < rows; ++row) {
    time += static_cast<int64_t>(random() % kMaxGapSeconds);
    comm.time = time;
    comm.src = pools.phones[random() % pools.phones.size()];
    comm.dst = pools.phones[random() % pools.phones.size()];
    comm.kind = static_cast<vigil::CommKind>(1 + random() % 4);
    comm.duration_s = static_cast<int64_t>(random() % kMaxDuration);
    comm.device = pools.handsets[random() % pools.handsets.size()];
    comm.cell = pools.cells[random() % pools.cells.size()];
    fn(comm);
  }
}

const char* KindName(vigil::CommKind kind) {
  static const char* const kNames[] = {"", "call", "sms", "msg", "email"};
  return kNames[static_cast<int>(kind)];
}

void WriteCsv(const Pools& pools, int64_t rows, const std::string& path) {
  FILE* out = std::fopen(path.c_str(), "w");
  std::fputs("time,src,dst,kind,duration_s,device,cell\n", out);
  Generate(pools, rows, [&](const vigil::Communication& comm) {
    const std::time_t seconds = comm.time;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    std::fprintf(out, "%s,%s,%s,%s,%" PRId64 ",%s,%s\n", stamp, comm.src.c_str(), comm.dst.c_str(),
                 KindName(comm.kind), *comm.duration_s, comm.device.c_str(), comm.cell.c_str());
  });
  std::fclose(out);
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <scratch dir> [rows] [sqlite3]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const int64_t rows = argc > 2 ? std::atoll(argv[2]) : kDefaultRows;
  const std::string shell = argc > 3 ? argv[3] : "sqlite3";
  std::filesystem::create_directories(dir);
  const Pools pools = MakePools();
  const std::string csv = (dir / ("comms_" + std::to_string(rows) + ".csv")).string();
  if (!std::filesystem::exists(csv)) WriteCsv(pools, rows, csv);

  // Generation alone, to show how much of the store's figure is the generator.
  auto start = std::chrono::steady_clock::now();
  int64_t checksum = 0;
  Generate(pools, rows, [&](const vigil::Communication& comm) { checksum += comm.time; });
  const double generate_seconds = Seconds(start);

  const std::string store_path = (dir / "store.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(store_path + suffix);
  start = std::chrono::steady_clock::now();
  {
    auto store = vigil::OpenSqliteStore(store_path);
    if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
    vigil::SourceFile file{csv, "bench-" + std::to_string(rows), vigil::InputKind::kComms,
                           static_cast<int64_t>(std::filesystem::file_size(csv))};
    auto writer = (*store)->BeginIngest(file);
    if (!writer.ok()) return std::fprintf(stderr, "%s\n", writer.status().ToString().c_str()), 1;
    vigil::Status status;
    Generate(pools, rows, [&](const vigil::Communication& comm) {
      if (status.ok()) status = (*writer)->Put(comm);
    });
    if (status.ok()) status = (*writer)->Commit(rows);
    if (!status.ok()) return std::fprintf(stderr, "%s\n", status.ToString().c_str()), 1;
    auto counts = (*store)->Counts();
    if (!counts.ok() || counts->comms != rows) return std::fprintf(stderr, "bad count\n"), 1;
  }  // close (final checkpoint) is part of the figure
  const double store_seconds = Seconds(start);

  const std::string import_path = (dir / "import.db").string();
  std::filesystem::remove(import_path);
  const std::string command =
      shell + " " + import_path + " -cmd '.mode csv' '.import " + csv + " comms'";
  start = std::chrono::steady_clock::now();
  if (std::system(command.c_str()) != 0) return std::fprintf(stderr, "import failed\n"), 1;
  const double import_seconds = Seconds(start);

  std::printf("rows %" PRId64 "  csv %.0f MB\n", rows,
              static_cast<double>(std::filesystem::file_size(csv)) / 1e6);
  std::printf("generator alone     %7.2f s (checksum %" PRId64 ")\n", generate_seconds, checksum);
  std::printf("store Put+Commit    %7.2f s  %.0f rows/s  file %.0f MB\n", store_seconds,
              static_cast<double>(rows) / store_seconds,
              static_cast<double>(std::filesystem::file_size(store_path)) / 1e6);
  std::printf("sqlite3 .import     %7.2f s  %.0f rows/s  file %.0f MB\n", import_seconds,
              static_cast<double>(rows) / import_seconds,
              static_cast<double>(std::filesystem::file_size(import_path)) / 1e6);
  std::printf("ratio import/store  %7.2f\n", import_seconds / store_seconds);
  return 0;
}
