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
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/output.h"
#include "vigil/access.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct CliContext {
  std::string db_path = "vigil.db";  // --db
  std::string format = "table";      // --format
  std::string purpose;               // --purpose (else $VIGIL_PURPOSE), for the audit log
  std::string audit_key;             // --audit-key (else $VIGIL_AUDIT_KEY, else <db>.audit-key)
  std::string audit_witness;  // --audit-witness (else $VIGIL_AUDIT_WITNESS, else <key>.witness)
  std::string identity;       // --identity (else $VIGIL_IDENTITY, else <db>.share-key)
  int exit_code = kExitOk;
};

// Opens the store at context.db_path. With must_exist, a missing file is an
// error that tells the user to ingest first (no empty store is created).
// The store comes wrapped in the access layer (OpenAccessForCli): every call
// is authorised and audited as the CLI's user.
Result<std::unique_ptr<Store>> OpenStoreForCli(const CliContext& context, bool must_exist);

// The store wrapped in AccessStore for the CLI's user. Identity: when the
// store has user accounts, $VIGIL_USER and $VIGIL_PASSWORD (checked with
// Argon2id every time; no session is kept), and a purpose (--purpose or
// $VIGIL_PURPOSE) is required; a store with no accounts yet is in setup mode
// and acts as "setup:<OS user>" until the first `vigil user add`. Records are
// MACed and checkpoints signed with the audit key (AuditKeyPath), and heads
// published to the witness (AuditWitnessPath).
// The audit key file: --audit-key, else $VIGIL_AUDIT_KEY, else <db>.audit-key
// (it must be the user's, mode 0600, in a directory only they may write).
std::string AuditKeyPath(const CliContext& context);
// The witness file: --audit-witness, else $VIGIL_AUDIT_WITNESS, else the
// key's path + ".witness".
std::string AuditWitnessPath(const CliContext& context);
// The installation's partner-exchange identity file: --identity, else
// $VIGIL_IDENTITY, else <db>.share-key (mode 0600; vigil/share.h).
std::string IdentityPath(const CliContext& context);
Result<std::unique_ptr<AccessStore>> OpenAccessForCli(const CliContext& context, bool must_exist);

// Prints "vigil: <message>" on stderr and sets the exit code to failure.
void ReportFailure(CliContext& context, const Status& status);

// The non-empty items of a comma-separated list ("a,,b" -> {a, b}), as the
// list-valued options (--seeds, --concern, --attackers) take them.
std::vector<std::string> SplitCommaList(const std::string& text);

// The system clock in seconds since the epoch: the "now" of commands that
// stamp what they raise (alerts, review decisions).
UnixTime WallClock();

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
void RegisterUserCommand(CLI::App& app, CliContext& context);
void RegisterReviewCommands(CLI::App& app, CliContext& context);
void RegisterRetentionCommand(CLI::App& app, CliContext& context);
void RegisterAuditCommand(CLI::App& app, CliContext& context);
void RegisterCaseCommand(CLI::App& app, CliContext& context);
void RegisterWatchlistCommand(CLI::App& app, CliContext& context);
void RegisterResolveCommand(CLI::App& app, CliContext& context);
void RegisterLinkCommand(CLI::App& app, CliContext& context);
// alerts, watch set, changes (watch_command.cc).
void RegisterWatchCommands(CLI::App& app, CliContext& context);
// rank, eval (rank_command.cc).
void RegisterRankCommands(CLI::App& app, CliContext& context);
// serve (serve_command.cc): the HTTP API.
void RegisterServeCommand(CLI::App& app, CliContext& context);
// protect plan|approve|schedule|list (protect_command.cc).
void RegisterProtectCommand(CLI::App& app, CliContext& context);
// identity, partner and share (share_command.cc): partner exchange.
void RegisterShareCommands(CLI::App& app, CliContext& context);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_COMMAND_H_
