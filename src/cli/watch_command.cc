// vigil alerts: raise what is new and print it; vigil watch set: an
// analyst's watch level for a person; vigil changes ID: what changed around a
// person since their last review.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cli/command.h"
#include "vigil/access.h"
#include "vigil/watch.h"

namespace vigil::cli {
namespace {

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

// Accepts a full time or a date (taken as midnight UTC).
Result<UnixTime> ParseWhen(const std::string& text, std::string_view option) {
  auto time = ParseTime(text);
  if (time.ok()) return time;
  auto date = ParseDate(text);
  if (date.ok()) return date;
  return Status::InvalidArgument(std::string(option) + ": " + time.status().message());
}

// --out FILE (CSV unless --format jsonl) or stdout in the chosen format.
Result<FilePtr> OpenOut(const std::string& path, OutputFormat* format) {
  FilePtr file(nullptr, &std::fclose);
  if (path.empty()) return file;
  file.reset(std::fopen(path.c_str(), "w"));
  if (file == nullptr) return Status::IOError("cannot write " + path);
  if (*format == OutputFormat::kTable) *format = OutputFormat::kCsv;
  return file;
}

// Logs the persons `alerts` name through the access layer's reveal hook;
// returns those the user may see.
Result<std::set<std::string>> RevealAlertPersons(Store& store,
                                                 const std::vector<StoredAlert>& alerts) {
  std::vector<std::string> persons;
  for (const StoredAlert& alert : alerts) {
    if (!alert.person_id.empty()) persons.push_back(alert.person_id);
  }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown, RevealPersons(store, persons, "alerts"));
  return std::set<std::string>(shown.begin(), shown.end());
}

struct AlertsArgs {
  std::string since;
  std::string out;
  std::string now;
  std::string concern;
  bool all = false;
  int quiet_days = 30;
  std::string windows;  // "3,7,30": the detector's windows in days
  WatchOptions tuning;  // the detector's thresholds
};

Status RunAlerts(CliContext& context, const AlertsArgs& args, OutputFormat format) {
  WatchOptions options = args.tuning;
  options.now = WallClock();
  if (!args.now.empty()) {
    VIGIL_ASSIGN_OR_RETURN(options.now, ParseWhen(args.now, "--now"));
  }
  if (!args.concern.empty()) options.concern_places = SplitCommaList(args.concern);
  options.quiet_days = args.quiet_days;
  if (!args.windows.empty()) {
    options.window_days.clear();
    for (const std::string& days : SplitCommaList(args.windows)) {
      int value = 0;
      const auto [end, error] = std::from_chars(days.data(), days.data() + days.size(), value);
      if (error != std::errc() || end != days.data() + days.size() || value < 1) {
        return Status::InvalidArgument("--windows: '" + days + "' is not a number of days >= 1");
      }
      options.window_days.push_back(value);
    }
  }
  std::optional<UnixTime> since;
  if (!args.since.empty()) {
    VIGIL_ASSIGN_OR_RETURN(since, ParseWhen(args.since, "--since"));
  }
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStoreForCli(context, true));
  Result<AlertRun> raised = RaiseAlerts(*store, options);
  // The engine's state covers every compartment, so only a user granted all
  // of them may run it; anyone else may still list the stored alerts they see.
  if (!raised.ok() && !(args.all && raised.status().code() == Status::Code::kPermissionDenied)) {
    return raised.status();
  }
  if (!raised.ok()) {
    std::fprintf(stderr, "vigil: %s; listing stored alerts only\n",
                 raised.status().ToString().c_str());
  }
  AlertRun run = raised.ok() ? std::move(raised).value() : AlertRun{};
  std::string phases;
  for (const std::string& phase : run.stats.phases_run)
    phases += (phases.empty() ? "" : ",") + phase;
  std::fprintf(stderr,
               "vigil: %zu new alerts; %lld new comms read (%lld touching %lld watched people), "
               "%lld profiles updated; phases run: %s\n",
               run.raised.size(), static_cast<long long>(run.stats.comms_read),
               static_cast<long long>(run.stats.comms_of_watched),
               static_cast<long long>(run.stats.subjects_watched),
               static_cast<long long>(run.stats.profiles_touched), phases.c_str());
  VIGIL_ASSIGN_OR_RETURN(FilePtr file, OpenOut(args.out, &format));
  if (file) VIGIL_RETURN_IF_ERROR(RecordWrittenFile(*store, WrittenFileKind::kExport, args.out));
  TableOutput table({"time", "person_id", "kind", "score", "evidence"}, format,
                    file ? file.get() : stdout);
  std::vector<StoredAlert> shown;
  auto emit = [&](const StoredAlert& alert) {
    if (since && alert.time < *since) return true;
    shown.push_back(alert);
    return true;
  };
  if (args.all) {
    VIGIL_RETURN_IF_ERROR(store->ScanAlerts("", emit));
  } else {
    // Read back through the store, in the order raised, so that the access
    // layer logs and redacts them (persons named in evidence) like any read.
    std::map<std::string, StoredAlert> stored;
    for (const StoredAlert& alert : run.raised) stored.emplace(alert.key, StoredAlert{});
    VIGIL_RETURN_IF_ERROR(store->ScanAlerts("", [&](const StoredAlert& alert) {
      auto found = stored.find(alert.key);
      if (found != stored.end()) found->second = alert;
      return true;
    }));
    for (const StoredAlert& alert : run.raised) {
      const StoredAlert& read = stored[alert.key];
      if (read.key == alert.key) emit(read);
    }
  }
  // The persons the alerts name are revealed (and audited) before printing.
  VIGIL_ASSIGN_OR_RETURN(std::set<std::string> revealed, RevealAlertPersons(*store, shown));
  for (const StoredAlert& alert : shown) {
    if (!alert.person_id.empty() && revealed.count(alert.person_id) == 0) continue;
    table.AddRow({FormatTime(alert.time), alert.person_id, alert.kind,
                  fmt::format("{:.3f}", alert.score), alert.evidence});
  }
  table.Finish();
  return Status::Ok();
}

void RegisterAlerts(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<AlertsArgs>();
  CLI::App* command =
      app.add_subcommand("alerts", "Raise alerts on what is new since the last run and print them");
  command->add_option("--since", args->since, "Only alerts about events at or after this time");
  command->add_option("--out", args->out, "Write the alerts to this file (CSV)");
  command->add_flag("--all", args->all, "Print every stored alert, not only the new ones");
  command->add_option("--now", args->now, "The clock for review dates (default: now)");
  command->add_option("--concern", args->concern,
                      "Places of concern, comma-separated countries or airports");
  command->add_option("--quiet-days", args->quiet_days,
                      "Least days of own history a subject is judged against");
  command->add_option("--windows", args->windows,
                      "Reactivation: the recent windows judged, in days, comma-separated");
  command->add_option("--contact-p", args->tuning.contact_p,
                      "Reactivation: how unlikely the rise in relevant contacts must be");
  command->add_option("--activity-p", args->tuning.activity_p,
                      "Reactivation: how unlikely the change of activity must be");
  command->add_option("--reactivation-p", args->tuning.reactivation_p,
                      "Reactivation: how unlikely activity and contacts together");
  command->add_option("--min-dormancy-days", args->tuning.min_dormancy_days,
                      "Reactivation: least days of silence with watched persons a renewed tie "
                      "must end (0: no dormancy required)");
  command->add_option("--min-renewed-ties", args->tuning.min_renewed_ties,
                      "Reactivation: least different watched persons (or co-detainees) the "
                      "window must renew ties with, each after --min-dormancy-days of silence");
  command->add_option("--ties-p", args->tuning.ties_p,
                      "Reactivation: how unlikely the window's renewed ties must be against the "
                      "person's own rate of renewals (1: no test)");
  command->add_option("--mix-p", args->tuning.mix_p,
                      "Reactivation: how unlikely the window's share of relevant contacts must "
                      "be against the baseline's (1: no test; a burst of usual contacts keeps "
                      "the share)");
  command->callback([args, &context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    Status status = RunAlerts(context, *args, *format);
    if (!status.ok()) ReportFailure(context, status);
  });
}

void RegisterWatchSet(CLI::App& app, CliContext& context) {
  struct Args {
    std::string person_id;
    std::string level;
    std::string reason;
    std::string by;
    bool reviewed = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* watch = app.add_subcommand("watch", "Long-term watch levels");
  watch->require_subcommand(1);
  CLI::App* set =
      watch->add_subcommand("set", "Set a person's watch level (active|dormant|closed)");
  set->add_option("id", args->person_id, "person_id")->required();
  set->add_option("level", args->level, "active, dormant or closed")->required();
  set->add_option("--reason", args->reason, "Why (kept with the level)");
  set->add_option("--by", args->by,
                  "Who decided: the signed-in user (the default), whose name the level is "
                  "recorded under");
  set->add_flag("--reviewed", args->reviewed, "Record that the person was reviewed now");
  set->callback([args, &context] {
    auto level = ParseWatchLevel(args->level);
    if (!level.ok()) return ReportFailure(context, level.status());
    auto store = OpenStoreForCli(context, true);
    if (!store.ok()) return ReportFailure(context, store.status());
    Status status = SetWatchLevel(**store, args->person_id, *level, args->reason, args->by,
                                  WallClock(), args->reviewed);
    if (!status.ok()) return ReportFailure(context, status);
    std::printf("%s: %s\n", args->person_id.c_str(), std::string(WatchLevelName(*level)).c_str());
  });
}

void RegisterChanges(CLI::App& app, CliContext& context) {
  struct Args {
    std::string person_id;
    std::string since;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = app.add_subcommand(
      "changes", "What changed around a person since a time (default: their last review)");
  command->add_option("id", args->person_id, "person_id")->required();
  command->add_option("--since", args->since, "A time or a date");
  command->callback([args, &context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    std::optional<UnixTime> since;
    if (!args->since.empty()) {
      auto parsed = ParseWhen(args->since, "--since");
      if (!parsed.ok()) return ReportFailure(context, parsed.status());
      since = *parsed;
    }
    auto store = OpenStoreForCli(context, true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto changes = ListChanges(**store, args->person_id, since);
    if (!changes.ok()) return ReportFailure(context, changes.status());
    TableOutput table({"time", "change", "detail"}, *format, stdout);
    for (const Change& c : *changes) table.AddRow({FormatTime(c.time), c.kind, c.detail});
  });
}

}  // namespace

void RegisterWatchCommands(CLI::App& app, CliContext& context) {
  RegisterAlerts(app, context);
  RegisterWatchSet(app, context);
  RegisterChanges(app, context);
}

}  // namespace vigil::cli
