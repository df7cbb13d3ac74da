// vigil status: what the store holds, and which analyses exist.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"

namespace vigil::cli {

// Prints the counts of every table and the ingested files.
Status PrintStoreStatus(Store& store, const std::string& db_path, OutputFormat format) {
  VIGIL_ASSIGN_OR_RETURN(StoreCounts counts, store.Counts());
  {
    TableOutput table({"what", "count"}, format, stdout);
    table.AddRow({"persons", std::to_string(counts.persons)});
    table.AddRow({"selectors", std::to_string(counts.selectors)});
    table.AddRow({"attributions", std::to_string(counts.attributions)});
    table.AddRow({"communications", std::to_string(counts.comms)});
    table.AddRow({"travel records", std::to_string(counts.travel)});
    table.AddRow({"custody stays", std::to_string(counts.custody)});
    table.AddRow({"reports", std::to_string(counts.reports)});
    table.AddRow({"watch-list entries", std::to_string(counts.watchlist)});
    table.AddRow({"ingested files", std::to_string(counts.files)});
  }
  if (format == OutputFormat::kTable) {
    std::printf("\nstore: %s (schema version %d)\n", db_path.c_str(), CurrentSchemaVersion());
  }
  return Status::Ok();
}

void RegisterStatusCommand(CLI::App& app, CliContext& context) {
  CLI::App* command = app.add_subcommand("status", "Show what the store holds");
  command->callback([&context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    auto store = OpenStoreForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    Status status = PrintStoreStatus(**store, context.db_path, *format);
    if (!status.ok()) ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
