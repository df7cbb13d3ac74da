// vigil simulate: writes a synthetic world with ground truth.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "vigil/sim.h"

namespace vigil::cli {

void RegisterSimulateCommand(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<SimulateOptions>();
  options->out_dir = "world";
  CLI::App* command = app.add_subcommand(
      "simulate", "Write a synthetic world (every input file plus truth/) into a folder");
  command->add_option("--out", options->out_dir, "Folder to write (created if missing)")
      ->required();
  command->add_option("--seed", options->seed, "Random seed; the same seed writes the same world");
  command->add_option("--people", options->people, "People in the world");
  command->add_option("--days", options->days, "Days covered by the records");
  command->add_option("--start", options->start_date, "First day (YYYY-MM-DD)");
  command->add_option("--families", options->families,
                      "Behaviour families with parameters drawn from the seed: all, random, or "
                      "a list of shared_phones, passed_handsets, burners, messenger_only, bursty, "
                      "prison_releases, partial_feeds, noisy_times, shared_contacts");
  command->callback([options, &context] {
    auto progress = MakeTerminalProgress();
    options->progress = progress.get();
    auto report = Simulate(*options);
    if (!report.ok()) return ReportFailure(context, report.status());
    std::printf(
        "%s",
        fmt::format("wrote {}: {} persons, {} selectors, {} communications, {} travel, "
                    "{} custody, {} reports, {} watch-list entries; {} cells with {} "
                    "members, {} activations (truth/); behaviour families: {}\n",
                    options->out_dir, report->persons, report->selectors, report->comms,
                    report->travel, report->custody, report->reports, report->watchlist,
                    report->cells, report->cell_members, report->activations, report->families)
            .c_str());
  });
}

}  // namespace vigil::cli
