// vigil ingest: reads input files or world folders into the store.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "vigil/ingest.h"

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

// Ingests each file in turn, stopping at the first failure.
Status IngestEach(Store& store, const std::vector<std::string>& paths,
                  const IngestOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> files, ExpandIngestPaths(paths));
  for (const std::string& file : files) {
    VIGIL_ASSIGN_OR_RETURN(FileIngestResult result, IngestFile(store, file, options));
    PrintResult(result);
  }
  return Status::Ok();
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
    auto progress = MakeTerminalProgress();
    IngestOptions options;
    options.quarantine_path = args->quarantine;
    options.progress = progress.get();
    Status status = IngestEach(**store, args->paths, options);
    if (!status.ok()) ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
