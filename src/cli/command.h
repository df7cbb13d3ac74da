// The vigil command's shared context and the registration of its
// subcommands. Each subcommand lives in its own <name>_command.cc and
// exposes one Register*Command function, called from main.cc.
//
// A subcommand's callback does its work and sets context.exit_code:
// 0 success, 1 failure (the message is on stderr), 2 bad usage.
#ifndef VIGIL_CLI_COMMAND_H_
#define VIGIL_CLI_COMMAND_H_

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/output.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct CliContext {
  std::string db_path = "vigil.db";  // --db
  std::string format = "table";      // --format
  int exit_code = kExitOk;
};

// Opens the store at context.db_path. With must_exist, a missing file is an
// error that tells the user to ingest first (no empty store is created).
Result<std::unique_ptr<Store>> OpenStoreForCli(const CliContext& context, bool must_exist);

// Prints "vigil: <message>" on stderr and sets the exit code to failure.
void ReportFailure(CliContext& context, const Status& status);

// The output format chosen with --format, or a failure reported on context.
Result<OutputFormat> FormatOf(CliContext& context);

void RegisterSimulateCommand(CLI::App& app, CliContext& context);
void RegisterIngestCommand(CLI::App& app, CliContext& context);
void RegisterStatusCommand(CLI::App& app, CliContext& context);
void RegisterSubjectCommand(CLI::App& app, CliContext& context);
void RegisterTimelineCommand(CLI::App& app, CliContext& context);
void RegisterDemoCommand(CLI::App& app, CliContext& context);
void RegisterNetworkCommand(CLI::App& app, CliContext& context);
void RegisterScreenCommand(CLI::App& app, CliContext& context);
// alerts, watch set, changes (watch_command.cc).
void RegisterWatchCommands(CLI::App& app, CliContext& context);
// rank, eval (rank_command.cc).
void RegisterRankCommands(CLI::App& app, CliContext& context);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_COMMAND_H_
