// vigil retention show|set|apply: retention limits per category of data
// subject, and erasure of what is past them (logged).
#include "cli/command.h"
#include "vigil/oversight.h"

namespace vigil::cli {

void RegisterRetentionCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::string category;
    int64_t days = 0;
    bool dry_run = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* retention = app.add_subcommand("retention", "Retention limits and erasure");
  retention->require_subcommand(1);

  CLI::App* show = retention->add_subcommand("show", "The limits, in days, per category");
  show->callback([&context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto limits = (*store)->oversight().RetentionLimits();
    if (!limits.ok()) return ReportFailure(context, limits.status());
    TableOutput table({"category", "days"}, *format, stdout);
    for (const auto& l : *limits) table.AddRow({l.category, std::to_string(l.days)});
  });

  CLI::App* set = retention->add_subcommand("set", "Set a category's limit (admins)");
  set->add_option("category", args->category,
                  "suspect, contact, witness, victim, other, or none (no case link)")
      ->required();
  set->add_option("days", args->days, "Days after the clock starts")->required();
  set->callback([args, &context] {
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    Status status =
        (*store)->oversight().SetRetentionLimit((*store)->context(), args->category, args->days);
    if (!status.ok()) ReportFailure(context, status);
  });

  CLI::App* apply = retention->add_subcommand("apply", "Erase what is past its limit");
  apply->add_flag("--dry-run", args->dry_run, "List what is due without erasing");
  apply->callback([args, &context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto erased = (*store)->oversight().ApplyRetention((*store)->context(), args->dry_run);
    if (!erased.ok()) return ReportFailure(context, erased.status());
    TableOutput table({"person_id", "category", "clock_started", "due", "action"}, *format, stdout);
    for (const Erasure& e : *erased) {
      table.AddRow({e.person_id, e.category, FormatDate(e.anchor), FormatDate(e.due),
                    args->dry_run ? "due" : "erased"});
    }
    table.Finish();
    // Files outside the store: the table stays machine-readable in csv and
    // jsonl, so the notes go to stderr there.
    std::FILE* notes = *format == OutputFormat::kTable ? stdout : stderr;
    for (const Erasure& e : *erased) {
      if (e.quarantine_rows > 0) {
        std::fprintf(notes, "%s: %lld rows removed from quarantine files\n", e.person_id.c_str(),
                     static_cast<long long>(e.quarantine_rows));
      }
      if (e.files_holding_person.empty()) continue;
      std::fprintf(notes,
                   "%s: %zu export files written before this erasure may hold the person "
                   "(Vigil does not rewrite exports; delete or edit them, and their copies):\n",
                   e.person_id.c_str(), e.files_holding_person.size());
      for (const std::string& path : e.files_holding_person) {
        std::fprintf(notes, "  %s\n", path.c_str());
      }
    }
  });
}

}  // namespace vigil::cli
