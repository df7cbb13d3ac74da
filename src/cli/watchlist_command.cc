// vigil watchlist configure|propose|approve|pending: watch lists' compartments
// and sharing, and four-eyes approval of entries on shared lists.
#include "cli/command.h"
#include "vigil/oversight.h"
#include "vigil/screening.h"

namespace vigil::cli {
namespace {

// Once an entry is listed, earlier sightings are screened against it
// (ScreenStore's retroactive re-screen) so that they become stored matches,
// and with the next `vigil alerts` watchlist_match alerts saying "already
// seen on <date>".
void RescreenForNewEntries(Store& store, CliContext& context) {
  Result<StoreScreeningReport> report = ScreenStore(store, StoreScreeningOptions{});
  if (!report.ok() && report.status().code() == Status::Code::kPermissionDenied) {
    // The entry is listed; a user who may not write screening results
    // leaves the re-screen to whoever next runs `vigil screen --store`.
    std::printf(
        "screening: earlier records not re-screened (%s); `vigil screen --store` by a "
        "user who may ingest will do it\n",
        report.status().ToString().c_str());
    return;
  }
  if (!report.ok()) return ReportFailure(context, report.status());
  std::printf(
      "screening: %zu earlier records re-screened; %zu watch-list matches stored (%zu "
      "retroactive)\n",
      report->records_rescreened, report->matches, report->retroactive_matches);
}

}  // namespace

void RegisterWatchlistCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::string list, compartment, entry_id, name, reason, handling, content_hash;
    bool shared = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* watchlist = app.add_subcommand("watchlist", "Watch lists and four-eyes approval");
  watchlist->require_subcommand(1);

  CLI::App* configure = watchlist->add_subcommand(
      "configure", "Set a list's compartment and whether partners share it");
  configure->add_option("list", args->list, "List name")->required();
  configure->add_option("--compartment", args->compartment, "Its compartment")->required();
  configure->add_flag("--shared", args->shared, "Shared with partners (four eyes)");
  configure->callback([args, &context] {
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    Status status = (*store)->oversight().ConfigureList((*store)->context(), args->list,
                                                        args->compartment, args->shared);
    if (!status.ok()) ReportFailure(context, status);
  });

  CLI::App* propose = watchlist->add_subcommand(
      "propose", "Add an entry (on a shared list it waits for a second person's approval)");
  propose->alias("add");
  propose->add_option("entry_id", args->entry_id, "Entry id")->required();
  propose->add_option("--list", args->list, "List")->required();
  propose->add_option("--name", args->name, "Listed name")->required();
  propose->add_option("--reason", args->reason, "Reason for listing");
  propose->add_option("--compartment", args->compartment, "Compartment (default: the list's)");
  propose->callback([args, &context] {
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    WatchlistEntry entry;
    entry.entry_id = args->entry_id;
    entry.list = args->list;
    entry.name = args->name;
    entry.reason = args->reason;
    if (!args->compartment.empty())
      entry.attributes.emplace_back("x_compartment", args->compartment);
    auto listed = (*store)->oversight().ProposeEntry((*store)->context(), entry);
    if (!listed.ok()) return ReportFailure(context, listed.status());
    std::printf("%s: %s\n", args->entry_id.c_str(),
                *listed ? "listed" : "pending a second person's approval (four eyes)");
    if (*listed) RescreenForNewEntries(**store, context);
  });

  CLI::App* approve = watchlist->add_subcommand("approve", "Approve a proposed entry");
  approve->add_option("entry_id", args->entry_id, "Entry id")->required();
  approve
      ->add_option("--hash", args->content_hash,
                   "The content hash of the reviewed proposal (`watchlist pending`)")
      ->required();
  approve->callback([args, &context] {
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    Status status =
        (*store)->oversight().ApproveEntry((*store)->context(), args->entry_id, args->content_hash);
    if (!status.ok()) return ReportFailure(context, status);
    std::printf("%s: approved and listed\n", args->entry_id.c_str());
    RescreenForNewEntries(**store, context);
  });

  CLI::App* pending = watchlist->add_subcommand("pending", "Entries awaiting approval");
  pending->callback([&context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto proposals = (*store)->oversight().PendingProposals((*store)->context());
    if (!proposals.ok()) return ReportFailure(context, proposals.status());
    TableOutput table({"entry_id", "list", "name", "aliases", "birth_date", "reason", "proposed_by",
                       "proposed_at", "content_hash"},
                      *format, stdout);
    for (const auto& p : *proposals) {
      std::string aliases;
      for (const std::string& alias : p.entry.aliases) {
        aliases += (aliases.empty() ? "" : "|") + alias;
      }
      table.AddRow({p.entry_id, p.list, p.entry.name, aliases, p.entry.birth_date, p.entry.reason,
                    p.proposed_by, FormatTime(p.proposed_at), p.content_hash});
    }
  });
}

}  // namespace vigil::cli
