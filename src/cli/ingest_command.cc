// vigil ingest: reads input files or world folders into the store.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "vigil/ingest.h"
#include "vigil/screening.h"
#include "vigil/watch.h"

namespace vigil::cli {
namespace {

// Printed as soon as the file's commit returned, so a line on the terminal
// always means the file is durably in the store.
void PrintResult(const FileIngestResult& result) {
  if (result.already_ingested) {
    std::printf("%s: already ingested, nothing added\n", result.path.c_str());
  } else {
    std::string line = fmt::format("{}: {} rows committed", result.path, result.rows_accepted);
    if (result.rows_quarantined > 0) {
      line += fmt::format(", {} rows quarantined", result.rows_quarantined);
    }
    std::printf("%s\n", line.c_str());
  }
  std::fflush(stdout);
}

// Ingests each file in turn, stopping at the first failure; `results`
// receives every file committed or skipped before it.
Status IngestEach(Store& store, const std::vector<std::string>& paths, const IngestOptions& options,
                  std::vector<FileIngestResult>* results) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> files, ExpandIngestPaths(paths));
  for (const std::string& file : files) {
    VIGIL_ASSIGN_OR_RETURN(FileIngestResult result, IngestFile(store, file, options));
    PrintResult(result);
    results->push_back(std::move(result));
  }
  return Status::Ok();
}

// Each new match becomes a watchlist_match alert at once, so "was this
// person already seen?" is answered at ingest. The alert engine's state
// covers every compartment: for a user not granted all of them the alerts are
// left to the next `vigil alerts` run, and ingest still succeeds.
void RaiseMatchAlerts(Store& store, CliContext& context) {
  WatchOptions options;
  options.now = WallClock();
  Result<AlertRun> run = RaiseWatchlistAlerts(store, options);
  if (run.ok()) {
    std::printf("alerts: %zu watchlist_match alerts raised\n", run->raised.size());
  } else if (run.status().code() == Status::Code::kPermissionDenied) {
    std::printf("alerts: watchlist_match alerts left to the next `vigil alerts` run (%s)\n",
                run.status().ToString().c_str());
  } else {
    ReportFailure(context, run.status());
  }
}

// Screening on ingest (issue 6): when travel, reports or watch-list rows
// were committed, screens what is new (ScreenStore) and stores the matches.
void ScreenNewRecords(Store& store, const std::vector<FileIngestResult>& results,
                      CliContext& context) {
  const bool relevant = std::any_of(results.begin(), results.end(), [](const auto& result) {
    return !result.already_ingested && result.rows_accepted > 0 &&
           (result.kind == InputKind::kTravel || result.kind == InputKind::kReports ||
            result.kind == InputKind::kWatchlist);
  });
  if (!relevant) return;
  Result<StoreScreeningReport> report = ScreenStore(store, StoreScreeningOptions{});
  if (!report.ok()) return ReportFailure(context, report.status());
  std::printf(
      "screening: %zu new records screened, %zu earlier records re-screened for %zu newly "
      "listed entries; %zu watch-list matches stored (%zu retroactive)\n",
      report->records_screened, report->records_rescreened, report->new_entries, report->matches,
      report->retroactive_matches);
  if (report->matches > 0) RaiseMatchAlerts(store, context);
}

}  // namespace

void RegisterIngestCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::vector<std::string> paths;
    std::string quarantine;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = app.add_subcommand(
      "ingest", "Read input files (CSV or JSONL) or world folders into the store");
  command->add_option("paths", args->paths, "Files or world folders")->required();
  command->add_option("--quarantine", args->quarantine,
                      "Apply the good rows of a bad file and write its bad rows here");
  command->callback([args, &context] {
    auto store = OpenStoreForCli(context, /*must_exist=*/false);
    if (!store.ok()) return ReportFailure(context, store.status());
    if (!args->quarantine.empty()) {
      // Bad rows are personal data: erasure must know where they went.
      const Status recorded =
          RecordWrittenFile(**store, WrittenFileKind::kQuarantine, args->quarantine);
      if (!recorded.ok()) return ReportFailure(context, recorded);
    }
    auto progress = MakeTerminalProgress();
    IngestOptions options;
    options.quarantine_path = args->quarantine;
    options.progress = progress.get();
    std::vector<FileIngestResult> results;
    Status status = IngestEach(**store, args->paths, options, &results);
    if (!status.ok()) ReportFailure(context, status);
    // What was committed is screened even when a later file failed.
    ScreenNewRecords(**store, results, context);
  });
}

}  // namespace vigil::cli
