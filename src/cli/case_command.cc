// vigil case add|link: cases in compartments, and each person's link to a
// case with the category of data subject.
#include "cli/command.h"
#include "vigil/oversight.h"

namespace vigil::cli {

void RegisterCaseCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::string case_id, compartment, person_id, category;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cases = app.add_subcommand("case", "Cases and who they concern");
  cases->require_subcommand(1);

  CLI::App* add = cases->add_subcommand("add", "Open a case (supervisors)");
  add->add_option("case_id", args->case_id, "Case id")->required();
  add->add_option("--compartment", args->compartment, "Its compartment")->required();
  add->callback([args, &context] {
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    Status status =
        (*store)->oversight().AddCase((*store)->context(), args->case_id, args->compartment);
    if (!status.ok()) ReportFailure(context, status);
  });

  CLI::App* link = cases->add_subcommand("link", "Link a person to a case with a category");
  link->add_option("case_id", args->case_id, "Case id")->required();
  link->add_option("person_id", args->person_id, "person_id")->required();
  link->add_option("--category", args->category, "suspect, contact, witness, victim or other")
      ->required();
  link->callback([args, &context] {
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto category = ParseSubjectCategory(args->category);
    if (!category.ok()) return ReportFailure(context, category.status());
    Status status = (*store)->oversight().LinkCase((*store)->context(), args->case_id,
                                                   args->person_id, *category);
    if (!status.ok()) ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
