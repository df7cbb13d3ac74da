// vigil link confirm|reject SELECTOR PERSON: records an analyst's decision on
// who owns a selector; identifier resolution respects it from then on.
#include <ctime>
#include <memory>

#include "cli/command.h"
#include "vigil/resolve.h"

namespace vigil::cli {
namespace {

struct LinkArgs {
  std::string selector;
  std::string person_id;
  std::string by;
  std::string reason;
};

void AddDecision(CLI::App& link, CliContext& context, const char* name, bool confirm,
                 const char* help) {
  auto args = std::make_shared<LinkArgs>();
  CLI::App* command = link.add_subcommand(name, help);
  command->add_option("selector", args->selector, "The selector (kind:value)")->required();
  command->add_option("person", args->person_id, "The person_id")->required();
  command->add_option("--by", args->by,
                      "The deciding analyst: the signed-in user (the default), whose name "
                      "the decision is recorded under");
  command->add_option("--reason", args->reason, "Why (kept with the decision)");
  command->callback([&context, args, confirm] {
    LinkDecision decision;
    decision.selector = args->selector;
    decision.person_id = args->person_id;
    decision.confirm = confirm;
    decision.reason = args->reason;
    decision.decided_at = static_cast<UnixTime>(std::time(nullptr));
    auto store = OpenAccessForCli(context, true);
    if (!store.ok()) return ReportFailure(context, store.status());
    // The access layer refuses a --by naming someone else (DecidingUser).
    decision.decided_by = args->by.empty() ? (*store)->context().principal.user : args->by;
    Status status = RecordLinkDecision(**store, decision);
    if (!status.ok()) return ReportFailure(context, status);
    std::printf("%s %s -> %s by %s\n", confirm ? "confirmed" : "rejected",
                decision.selector.c_str(), decision.person_id.c_str(), decision.decided_by.c_str());
  });
}

}  // namespace

void RegisterLinkCommand(CLI::App& app, CliContext& context) {
  CLI::App* link = app.add_subcommand("link", "Record an analyst's decision on a selector's owner");
  link->require_subcommand(1);
  AddDecision(*link, context, "confirm", true, "Confirm that PERSON owns SELECTOR");
  AddDecision(*link, context, "reject", false,
              "Reject PERSON as SELECTOR's owner (never proposed again)");
}

}  // namespace vigil::cli
