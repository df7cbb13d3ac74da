// audit_bench: subject look-ups (Store::GetPerson) without the access layer,
// and through it with each way of committing the read log: one transaction
// per read, leader/follower group commit from one and from THREADS threads,
// and buffered groups of 256. Every mode uses synchronous=FULL (WAL), as the
// CLI does. Prints per-look-up medians of 5 runs and the ratio to no audit.
//
//   audit_bench DIR [LOOKUPS=100000] [PERSONS=20000] [THREADS=8]
//
// The slow modes (one transaction per read, single-thread group commit) run
// LOOKUPS/100 look-ups: their cost per look-up does not depend on the count.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "vigil/access.h"
#include "vigil/oversight.h"
#include "vigil/store.h"

namespace vigil {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kRuns = 5;

std::string PersonId(int64_t i) { return "P" + std::to_string(i); }

Status Populate(const std::string& path, int64_t persons) {
  VIGIL_ASSIGN_OR_RETURN(auto store, OpenSqliteStore(path));
  SourceFile file;
  file.path = "persons";
  file.content_hash = "bench-persons";
  VIGIL_ASSIGN_OR_RETURN(auto writer, store->BeginIngest(file));
  for (int64_t i = 0; i < persons; ++i) {
    Person p;
    p.person_id = PersonId(i);
    p.name = "Person " + std::to_string(i);
    p.status = PersonStatus::kSubject;
    p.compartment = i % 2 == 0 ? "CT-A" : "CT-B";
    p.legal_basis = "warrant";
    p.review_by = "2030-01-01";
    VIGIL_RETURN_IF_ERROR(writer->Put(p));
  }
  return writer->Commit(persons);
}

RequestContext Analyst() {
  RequestContext c;
  c.principal.user = "bench";
  c.principal.role = Role::kAnalyst;
  c.principal.compartments = {"CT-A", "CT-B"};
  c.purpose = "benchmark";
  c.client = "bench";
  return c;
}

// Look-ups of persons [first, first + n) modulo `persons`; returns seconds.
Result<double> Lookups(Store& store, int64_t first, int64_t n, int64_t persons) {
  const auto start = Clock::now();
  for (int64_t i = 0; i < n; ++i) {
    auto person = store.GetPerson(PersonId((first + i * 7919) % persons));
    if (!person.ok()) return person.status();
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Result<std::unique_ptr<AccessStore>> OpenAccess(const std::string& path, ReadLogMode mode,
                                                std::shared_ptr<AuditReadLog> shared) {
  VIGIL_ASSIGN_OR_RETURN(auto raw, OpenSqliteStore(path));
  OversightOptions options;
  options.read_log = mode;
  options.shared_read_log = std::move(shared);
  options.checkpoint_every = 10'000;
  VIGIL_ASSIGN_OR_RETURN(auto oversight, Oversight::Open(*raw, options));
  return std::make_unique<AccessStore>(std::move(raw), std::move(oversight), Analyst());
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Row {
  std::string mode;
  int64_t lookups;
  double median_s;
};

int Run(const std::string& dir, int64_t lookups, int64_t persons, int threads) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/bench.db";
  if (Status s = Populate(path, persons); !s.ok()) {
    std::fprintf(stderr, "populate: %s\n", s.ToString().c_str());
    return 1;
  }
  std::vector<Row> rows;
  auto measure = [&](const std::string& mode, int64_t n, auto&& once) -> bool {
    std::fprintf(stderr, "%s: %lld look-ups x %d runs\n", mode.c_str(), static_cast<long long>(n),
                 kRuns);
    std::vector<double> times;
    for (int run = 0; run < kRuns; ++run) {
      Result<double> t = once(n, run);
      if (!t.ok()) {
        std::fprintf(stderr, "%s: %s\n", mode.c_str(), t.status().ToString().c_str());
        return false;
      }
      times.push_back(*t);
    }
    rows.push_back({mode, n, Median(times)});
    return true;
  };

  auto raw = OpenSqliteStore(path);
  if (!raw.ok()) return 1;
  measure("no audit (raw store)", lookups,
          [&](int64_t n, int run) { return Lookups(**raw, run * n, n, persons); });

  for (auto [mode, name, n] :
       {std::tuple{ReadLogMode::kEachRead, "audit, 1 transaction per read", lookups / 100},
        std::tuple{ReadLogMode::kGroup, "audit, group commit, 1 thread", lookups / 100},
        std::tuple{ReadLogMode::kBuffered, "audit, buffered groups of 256", lookups}}) {
    measure(name, n, [&, mode = mode](int64_t count, int run) -> Result<double> {
      VIGIL_ASSIGN_OR_RETURN(auto store, OpenAccess(path, mode, nullptr));
      const auto start = Clock::now();
      VIGIL_RETURN_IF_ERROR(Lookups(*store, run * count, count, persons).status());
      VIGIL_RETURN_IF_ERROR(store->oversight().FlushReads());
      return std::chrono::duration<double>(Clock::now() - start).count();
    });
  }

  const std::string threaded = "audit, group commit, " + std::to_string(threads) + " threads";
  measure(threaded, lookups, [&](int64_t count, int run) -> Result<double> {
    OversightOptions options;
    options.read_log = ReadLogMode::kGroup;
    options.checkpoint_every = 10'000;
    VIGIL_ASSIGN_OR_RETURN(auto shared, OpenAuditReadLog(path, options));
    std::vector<std::unique_ptr<AccessStore>> stores;
    for (int t = 0; t < threads; ++t) {
      VIGIL_ASSIGN_OR_RETURN(auto store, OpenAccess(path, ReadLogMode::kGroup, shared));
      stores.push_back(std::move(store));
    }
    std::vector<Status> statuses(threads);
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    const int64_t per_thread = count / threads;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        statuses[t] =
            Lookups(*stores[t], run * count + t * per_thread, per_thread, persons).status();
      });
    }
    for (auto& w : workers) w.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (const Status& s : statuses) VIGIL_RETURN_IF_ERROR(s);
    return seconds;
  });

  const double base = rows[0].median_s / static_cast<double>(rows[0].lookups);
  std::printf("%lld persons, %d runs each, medians; synchronous=FULL (WAL)\n",
              static_cast<long long>(persons), kRuns);
  std::printf(
      "| mode | look-ups | median s | us per look-up | x no audit |\n|---|---|---|---|---|\n");
  for (const Row& row : rows) {
    const double per = row.median_s / static_cast<double>(row.lookups);
    std::printf("| %s | %lld | %.3f | %.1f | %.1f |\n", row.mode.c_str(),
                static_cast<long long>(row.lookups), row.median_s, per * 1e6, per / base);
  }
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: audit_bench DIR [LOOKUPS] [PERSONS] [THREADS]\n");
    return 2;
  }
  const int64_t lookups = argc > 2 ? std::stoll(argv[2]) : 100'000;
  const int64_t persons = argc > 3 ? std::stoll(argv[3]) : 20'000;
  const int threads = argc > 4 ? std::stoi(argv[4]) : 8;
  return vigil::Run(argv[1], lookups, persons, threads);
}
