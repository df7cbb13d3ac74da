// vigil reviews: subjects due for review; vigil review ID DECISION: a
// supervisor ends, extends or moves a subject to dormant watch, with a reason.
#include "cli/command.h"
#include "vigil/oversight.h"

namespace vigil::cli {

void RegisterReviewCommands(CLI::App& app, CliContext& context) {
  struct Args {
    std::string due_by;
    std::string person_id, decision, reason, until;
  };
  auto args = std::make_shared<Args>();
  CLI::App* reviews = app.add_subcommand("reviews", "Subjects whose review is due");
  reviews->add_option("--due-by", args->due_by, "Due on or before this date (default: today)");
  reviews->callback([args, &context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    Oversight& oversight = (*store)->oversight();
    UnixTime due_by = oversight.clock().Now();
    if (!args->due_by.empty()) {
      auto parsed = ParseDate(args->due_by);
      if (!parsed.ok()) return ReportFailure(context, parsed.status());
      due_by = *parsed;
    }
    auto due = oversight.DueReviews((*store)->context(), due_by);
    if (!due.ok()) return ReportFailure(context, due.status());
    TableOutput table({"person_id", "review_by", "state", "legal_basis", "compartment"}, *format,
                      stdout);
    for (const ReviewItem& item : *due) {
      table.AddRow({item.person_id, item.review_by.empty() ? "(none)" : item.review_by,
                    std::string(WatchStateName(item.state)), item.legal_basis, item.compartment});
    }
  });

  CLI::App* review = app.add_subcommand(
      "review", "Decide a subject's review: end, extend or dormant (supervisors)");
  review->add_option("id", args->person_id, "person_id")->required();
  review->add_option("decision", args->decision, "end, extend or dormant")->required();
  review->add_option("--reason", args->reason, "Why (kept with the decision)")->required();
  review->add_option("--until", args->until, "Next review date (extend, dormant)");
  review->callback([args, &context] {
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto decision = ParseReviewDecision(args->decision);
    if (!decision.ok()) return ReportFailure(context, decision.status());
    Status status = (*store)->oversight().DecideReview((*store)->context(), args->person_id,
                                                       *decision, args->reason, args->until);
    if (!status.ok()) return ReportFailure(context, status);
    std::printf("%s: %s%s\n", args->person_id.c_str(), args->decision.c_str(),
                args->until.empty() ? "" : (" until " + args->until).c_str());
  });
}

}  // namespace vigil::cli
