// vigil timeline ID: every event of a person and their selectors, in order.
#include <cstdio>

#include "cli/command.h"
#include "vigil/lookup.h"

namespace vigil::cli {
namespace {

// Accepts a full time or a date (taken as midnight UTC).
Result<UnixTime> ParseTimeOrDate(const std::string& text, std::string_view option) {
  auto time = ParseTime(text);
  if (time.ok()) return time;
  auto date = ParseDate(text);
  if (date.ok()) return date;
  return Status::InvalidArgument(std::string(option) + ": " + time.status().message());
}

}  // namespace

void RegisterTimelineCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::string person_id;
    std::string from;
    std::string to;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = app.add_subcommand(
      "timeline", "Every event of a person and their attributed selectors, in time order");
  command->add_option("id", args->person_id, "person_id")->required();
  command->add_option("--from", args->from, "Start (inclusive): a time or a date");
  command->add_option("--to", args->to, "End (exclusive): a time or a date");
  command->callback([args, &context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    TimelineWindow window;
    for (auto [text, bound, name] : {std::tuple{&args->from, &window.from, "--from"},
                                     std::tuple{&args->to, &window.to, "--to"}}) {
      if (text->empty()) continue;
      auto parsed = ParseTimeOrDate(*text, name);
      if (!parsed.ok()) return ReportFailure(context, parsed.status());
      *bound = *parsed;
    }
    auto store = OpenStoreForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto events = LoadTimeline(**store, args->person_id, window);
    if (!events.ok()) return ReportFailure(context, events.status());
    TableOutput table({"time", "event", "selector", "detail"}, *format, stdout);
    for (const auto& e : *events) table.AddRow({FormatTime(e.time), e.kind, e.selector, e.detail});
  });
}

}  // namespace vigil::cli
