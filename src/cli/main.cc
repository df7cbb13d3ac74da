// vigil: the analyst's command line. See README.md for the commands.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/command.h"

int main(int argc, char** argv) {
  vigil::cli::CliContext context;
  CLI::App app{
      "Vigil: long-term watch, identifier resolution, networks and screening "
      "for lawful counter-terrorism investigations"};
  app.require_subcommand(1);
  app.fallthrough();
  app.option_defaults()->always_capture_default();
  app.add_option("--db", context.db_path, "The store (SQLite file)");
  app.add_option("--format", context.format, "Output format: table, csv or jsonl");
  app.add_option("--purpose", context.purpose,
                 "Why you ask (written to the audit log; else $VIGIL_PURPOSE)");
  app.add_option("--audit-key", context.audit_key,
                 "Audit key file (else $VIGIL_AUDIT_KEY, else <db>.audit-key; mode 0600)");
  app.add_option("--audit-witness", context.audit_witness,
                 "Append-only audit witness file (else $VIGIL_AUDIT_WITNESS, else <key>.witness)");
  app.add_option("--identity", context.identity,
                 "Partner-exchange identity file (else $VIGIL_IDENTITY, else <db>.share-key; "
                 "mode 0600)");

  vigil::cli::RegisterDemoCommand(app, context);
  vigil::cli::RegisterSimulateCommand(app, context);
  vigil::cli::RegisterIngestCommand(app, context);
  vigil::cli::RegisterStatusCommand(app, context);
  vigil::cli::RegisterSubjectCommand(app, context);
  vigil::cli::RegisterTimelineCommand(app, context);
  vigil::cli::RegisterNetworkCommand(app, context);
  vigil::cli::RegisterScreenCommand(app, context);
  vigil::cli::RegisterUserCommand(app, context);
  vigil::cli::RegisterReviewCommands(app, context);
  vigil::cli::RegisterRetentionCommand(app, context);
  vigil::cli::RegisterAuditCommand(app, context);
  vigil::cli::RegisterCaseCommand(app, context);
  vigil::cli::RegisterWatchlistCommand(app, context);
  vigil::cli::RegisterResolveCommand(app, context);
  vigil::cli::RegisterLinkCommand(app, context);
  vigil::cli::RegisterWatchCommands(app, context);
  vigil::cli::RegisterRankCommands(app, context);
  vigil::cli::RegisterServeCommand(app, context);
  vigil::cli::RegisterProtectCommand(app, context);
  vigil::cli::RegisterShareCommands(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? vigil::cli::kExitOk : vigil::cli::kExitUsage;
  }
  return context.exit_code;
}
