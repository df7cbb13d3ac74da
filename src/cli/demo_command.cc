// vigil demo: the main job on the embedded default. Generates a world (or
// reuses one already generated with the same options), ingests it into a
// fresh store, and shows what the store holds, one subject's dossier and
// timeline, and the results of every analysis that exists.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/demo_analyses.h"
#include "vigil/ingest.h"
#include "vigil/lookup.h"
#include "vigil/sim.h"

namespace vigil::cli {

Status PrintStoreStatus(Store& store, const std::string& db_path, OutputFormat format);

namespace {

constexpr size_t kTimelineTail = 12;

void Heading(const std::string& text) {
  std::printf("\n== %s ==\n", text.c_str());
  std::fflush(stdout);
}

Status GenerateWorld(const SimulateOptions& options) {
  Heading("1. Generate a synthetic world");
  auto progress = MakeTerminalProgress();
  SimulateOptions with_progress = options;
  with_progress.progress = progress.get();
  VIGIL_ASSIGN_OR_RETURN(SimulateReport report, Simulate(with_progress));
  std::printf("%s\n", fmt::format("{}: {} persons, {} communications, {} travel records, {} "
                                  "watch-list entries, {} covert cells (ground truth in truth/)",
                                  options.out_dir, report.persons, report.comms, report.travel,
                                  report.watchlist, report.cells)
                          .c_str());
  return Status::Ok();
}

Status IngestWorld(Store& store, const std::string& world) {
  Heading("2. Ingest it");
  auto progress = MakeTerminalProgress();
  IngestOptions options;
  options.progress = progress.get();
  std::vector<FileIngestResult> results;
  Status status = IngestPaths(store, {world}, options, &results);
  for (const auto& r : results) {
    std::printf(
        "%-32s %s\n", std::filesystem::path(r.path).filename().c_str(),
        r.already_ingested ? "already ingested" : fmt::format("{} rows", r.rows_accepted).c_str());
  }
  return status;
}

// The subject with the most attributed selectors: a good first look.
Result<std::string> PickSubject(Store& store) {
  std::string best;
  size_t best_selectors = 0;
  std::vector<std::string> subjects;
  VIGIL_RETURN_IF_ERROR(store.ScanPersons([&](const Person& p) {
    if (p.status == PersonStatus::kSubject) subjects.push_back(p.person_id);
    return true;
  }));
  for (const auto& id : subjects) {
    VIGIL_ASSIGN_OR_RETURN(auto attributions, store.AttributionsOfPerson(id));
    if (best.empty() || attributions.size() > best_selectors) {
      best = id;
      best_selectors = attributions.size();
    }
  }
  if (best.empty()) return Status::NotFound("the world has no subject");
  return best;
}

Status ShowSubject(Store& store, const std::string& db_path) {
  VIGIL_ASSIGN_OR_RETURN(std::string id, PickSubject(store));
  Heading("4. A subject: vigil subject show " + id + " --db " + db_path);
  VIGIL_ASSIGN_OR_RETURN(Dossier d, LoadDossier(store, id));
  std::printf("%s\n", fmt::format("{} ({}), born {}, {}; legal basis: {}; review by {}",
                                  d.person.name, PersonStatusName(d.person.status),
                                  d.person.birth_date.empty() ? "?" : d.person.birth_date,
                                  d.person.nationality, d.person.legal_basis, d.person.review_by)
                          .c_str());
  std::printf("%s\n", fmt::format("{} selectors, {} custody stays, {} reports, {} travel records, "
                                  "{} watch-list entries",
                                  d.selectors.size(), d.custody.size(), d.reports.size(),
                                  d.travel.size(), d.watchlist.size())
                          .c_str());
  Heading("5. The end of its timeline: vigil timeline " + id + " --db " + db_path);
  VIGIL_ASSIGN_OR_RETURN(auto events, LoadTimeline(store, id, {}));
  TableOutput table({"time", "event", "selector", "detail"}, OutputFormat::kTable, stdout);
  size_t first = events.size() > kTimelineTail ? events.size() - kTimelineTail : 0;
  for (size_t i = first; i < events.size(); ++i) {
    const auto& e = events[i];
    table.AddRow({FormatTime(e.time), e.kind, e.selector, e.detail});
  }
  return Status::Ok();
}

Status ShowAnalyses(Store& store, const std::string& db_path) {
  Heading("6. Analyses");
  VIGIL_RETURN_IF_ERROR(ShowTravelScreening(store, db_path));
  return ShowNetwork(store, db_path);
}

Status RunDemo(const std::string& dir, const SimulateOptions& sim) {
  std::filesystem::create_directories(dir);
  const std::string db_path = (std::filesystem::path(dir) / "vigil.db").string();
  if (!std::filesystem::exists(std::filesystem::path(sim.out_dir) / "comms.csv")) {
    VIGIL_RETURN_IF_ERROR(GenerateWorld(sim));
  } else {
    Heading("1. Reuse the world in " + sim.out_dir);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
  VIGIL_ASSIGN_OR_RETURN(auto store, OpenSqliteStore(db_path));
  VIGIL_RETURN_IF_ERROR(IngestWorld(*store, sim.out_dir));
  Heading("3. What the store holds: vigil status --db " + db_path);
  VIGIL_RETURN_IF_ERROR(PrintStoreStatus(*store, db_path, OutputFormat::kTable));
  VIGIL_RETURN_IF_ERROR(ShowSubject(*store, db_path));
  return ShowAnalyses(*store, db_path);
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::string dir = "vigil-demo";
    SimulateOptions sim;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = app.add_subcommand(
      "demo", "Generate a world, ingest it and show what Vigil makes of it (the main job)");
  command->add_option("--dir", args->dir, "Working folder (world/ and vigil.db go here)");
  command->add_option("--seed", args->sim.seed, "Random seed of the world");
  command->add_option("--people", args->sim.people, "People in the world");
  command->add_option("--days", args->sim.days, "Days covered by the records");
  command->callback([args, &context] {
    SimulateOptions sim = args->sim;
    sim.out_dir = (std::filesystem::path(args->dir) /
                   fmt::format("world-s{}-p{}-d{}", sim.seed, sim.people, sim.days))
                      .string();
    Status status = RunDemo(args->dir, sim);
    if (!status.ok()) ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
