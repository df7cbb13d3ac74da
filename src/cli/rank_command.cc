// vigil rank: people ordered for close watch, each with their factors and
// weights; vigil eval: scores the stored results against a world's truth/.
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/eval_providers.h"
#include "vigil/access.h"
#include "vigil/eval.h"
#include "vigil/ingest.h"
#include "vigil/rank.h"
#include "vigil/resolve.h"
#include "vigil/sim.h"
#include "vigil/watch.h"

namespace vigil::cli {
namespace {

struct RankArgs {
  size_t capacity = 300;
  std::string out;
  std::string attackers;
  std::string concern;
  bool all = false;
};

Status RunRank(CliContext& context, const RankArgs& args, OutputFormat format) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStoreForCli(context, true));
  RankOptions options;
  options.attackers = SplitCommaList(args.attackers);
  options.concern_places = SplitCommaList(args.concern);
  VIGIL_ASSIGN_OR_RETURN(std::vector<RankedPerson> ranked, RankPeople(*store, options));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (!args.out.empty()) {
    file.reset(std::fopen(args.out.c_str(), "w"));
    if (file == nullptr) return Status::IOError("cannot write " + args.out);
    VIGIL_RETURN_IF_ERROR(RecordWrittenFile(*store, WrittenFileKind::kExport, args.out));
    if (format == OutputFormat::kTable) format = OutputFormat::kCsv;
  }
  // The persons printed are revealed (and audited) through the access layer.
  std::vector<std::string> persons;
  for (const RankedPerson& person : ranked) {
    if (!args.all && static_cast<size_t>(person.rank) > args.capacity) break;
    persons.push_back(person.person_id);
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> shown, RevealPersons(*store, persons, "rank"));
  const std::set<std::string> revealed(shown.begin(), shown.end());
  TableOutput table({"person_id", "rank", "score", "factors"}, format, file ? file.get() : stdout);
  for (const RankedPerson& person : ranked) {
    if (!args.all && static_cast<size_t>(person.rank) > args.capacity) break;
    if (revealed.count(person.person_id) == 0) continue;
    table.AddRow({person.person_id, std::to_string(person.rank),
                  fmt::format("{:.3f}", person.score), FormatFactors(person)});
  }
  table.Finish();
  return Status::Ok();
}

struct EvalArgs {
  std::string world;
  size_t capacity = 300;
  std::string suite;                      // "training" or "held-out": every world of it
  std::string suite_dir = "vigil-suite";  // where the suite's worlds and stores go
  int min_dormancy_days = -1;             // reactivation's minimum dormancy; -1: the default
  double mix_p = -1;                      // reactivation's contact-mix level; -1: the default
  int min_renewed_ties = -1;              // reactivation's least renewed ties; -1: the default
  double ties_p = -1;                     // reactivation's renewed-ties level; -1: the default
};

// Ingests the world into a store that does not exist yet and resolves its
// identifiers, then raises alerts (a no-op for what was raised before) so the
// scores reflect the data.
// The alert options of an eval run: the defaults with the run's overrides.
WatchOptions EvalWatchOptions(const EvalArgs& args) {
  WatchOptions options;
  if (args.min_dormancy_days >= 0) options.min_dormancy_days = args.min_dormancy_days;
  if (args.mix_p >= 0) options.mix_p = args.mix_p;
  if (args.min_renewed_ties >= 0) options.min_renewed_ties = args.min_renewed_ties;
  if (args.ties_p >= 0) options.ties_p = args.ties_p;
  options.now = static_cast<UnixTime>(std::time(nullptr));
  return options;
}

Status PrepareStore(CliContext& context, const EvalArgs& args, std::unique_ptr<Store>* store) {
  const bool fresh = !std::filesystem::exists(context.db_path);
  VIGIL_ASSIGN_OR_RETURN(*store, OpenStoreForCli(context, false));
  if (fresh) {
    std::vector<FileIngestResult> results;
    VIGIL_RETURN_IF_ERROR(IngestPaths(**store, {args.world}, IngestOptions{}, &results));
    // The pipeline an analyst runs: resolution's proposals feed the alerts.
    VIGIL_RETURN_IF_ERROR(ResolveIdentifiers(**store, ResolveOptions{}).status());
  }
  return RaiseAlerts(**store, EvalWatchOptions(args)).status();
}

Result<std::vector<MetricLine>> EvaluateWorld(CliContext& context, const EvalArgs& args) {
  std::unique_ptr<Store> store;
  VIGIL_RETURN_IF_ERROR(PrepareStore(context, args, &store));
  EvalContext eval;
  eval.world_dir = args.world;
  eval.store = store.get();
  eval.capacity = args.capacity;
  std::vector<std::unique_ptr<MetricProvider>> providers = DefaultMetricProviders();
  providers.push_back(NewLinkMetricsProvider());
  providers.push_back(NewCellRecoveryProvider());
  providers.push_back(NewDismissedAlertsProvider(EvalWatchOptions(args)));
  return RunEval(eval, RankOptions{}, providers);
}

// Metrics where less is better; for every other metric more is better.
bool LowerIsBetter(const std::string& name) {
  return name.find("delay") != std::string::npos || name.find("false") != std::string::npos ||
         name.find("_ece") != std::string::npos || name.find("dismissed") != std::string::npos;
}

// Every world of the suite: simulated (once; kept in args.suite_dir),
// ingested into a new store, resolved, alerted, ranked and scored. Prints
// each world's lines, then each metric's mean and worst world.
Status RunEvalSuite(CliContext& context, const EvalArgs& args) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<SuiteWorld> worlds, EvaluationSuite(args.suite));
  std::map<std::string, std::vector<std::pair<std::string, double>>> values;
  std::vector<std::string> order;
  for (const SuiteWorld& world : worlds) {
    const std::string name = fmt::format("{}-{}", args.suite, world.seed);
    const std::filesystem::path dir = std::filesystem::path(args.suite_dir) / name;
    SimulateOptions simulate;
    simulate.out_dir = dir.string();
    simulate.seed = world.seed;
    simulate.people = world.people;
    simulate.days = world.days;
    simulate.families = world.families;
    VIGIL_ASSIGN_OR_RETURN(SimulateReport report, Simulate(simulate));
    CliContext world_context = context;
    world_context.db_path = (std::filesystem::path(args.suite_dir) / (name + ".db")).string();
    std::error_code error;
    for (const char* suffix : {"", "-wal", "-shm", ".audit-key"}) {
      std::filesystem::remove(world_context.db_path + suffix, error);
    }
    EvalArgs world_args = args;
    world_args.world = dir.string();
    VIGIL_ASSIGN_OR_RETURN(std::vector<MetricLine> lines, EvaluateWorld(world_context, world_args));
    std::printf("== world %s: seed %llu, %lld people, %d days, families %s\n", name.c_str(),
                static_cast<unsigned long long>(world.seed), static_cast<long long>(world.people),
                world.days, report.families.c_str());
    for (const MetricLine& line : lines) {
      std::printf("%s\n", FormatMetricLine(line).c_str());
      if (values.count(line.name) == 0) order.push_back(line.name);
      values[line.name].emplace_back(name, line.value);
    }
    std::fflush(stdout);
  }
  std::printf("== suite %s: %zu worlds; mean and worst world of each metric\n", args.suite.c_str(),
              worlds.size());
  for (const std::string& metric : order) {
    const auto& each = values[metric];
    double sum = 0;
    size_t worst = 0;
    const bool lower = LowerIsBetter(metric);
    for (size_t index = 0; index < each.size(); ++index) {
      sum += each[index].second;
      if (lower ? each[index].second > each[worst].second : each[index].second < each[worst].second)
        worst = index;
    }
    std::printf("%s mean %.4f  worst %.4f (%s)%s\n", metric.c_str(), sum / each.size(),
                each[worst].second, each[worst].first.c_str(),
                each.size() < worlds.size() ? "  [not measured on every world]" : "");
  }
  return Status::Ok();
}

Status RunEvalCommand(CliContext& context, const EvalArgs& args) {
  if (!args.suite.empty()) return RunEvalSuite(context, args);
  if (args.world.empty()) return Status::InvalidArgument("eval needs --world or --suite");
  VIGIL_ASSIGN_OR_RETURN(std::vector<MetricLine> lines, EvaluateWorld(context, args));
  for (const MetricLine& line : lines) std::printf("%s\n", FormatMetricLine(line).c_str());
  return Status::Ok();
}

}  // namespace

void RegisterRankCommands(CLI::App& app, CliContext& context) {
  auto rank_args = std::make_shared<RankArgs>();
  CLI::App* rank =
      app.add_subcommand("rank", "Order people for close watch by behavioural and network factors");
  rank->add_option("--capacity", rank_args->capacity, "People that can be watched closely");
  rank->add_option("--out", rank_args->out, "Write the ranking to this file (CSV)");
  rank->add_option("--attackers", rank_args->attackers,
                   "person_ids involved in attacks, comma-separated");
  rank->add_option("--concern", rank_args->concern, "Places of concern, comma-separated");
  rank->add_flag("--all", rank_args->all, "List everyone, not only the top --capacity");
  rank->callback([rank_args, &context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    Status status = RunRank(context, *rank_args, *format);
    if (!status.ok()) ReportFailure(context, status);
  });

  auto eval_args = std::make_shared<EvalArgs>();
  CLI::App* eval = app.add_subcommand(
      "eval", "Score alerts, screening and ranking against a world's truth/ (one line a metric)");
  eval->add_option("--world", eval_args->world, "The world folder (with truth/)");
  eval->add_option("--suite", eval_args->suite,
                   "Evaluate every world of a suite (training, held-out): simulate, ingest, "
                   "resolve, alert, rank, score; per world, then mean and worst");
  eval->add_option("--suite-dir", eval_args->suite_dir,
                   "Folder for the suite's worlds and stores (default vigil-suite)");
  eval->add_option("--min-dormancy-days", eval_args->min_dormancy_days,
                   "Reactivation: least days of silence a renewed tie must end (as alerts)");
  eval->add_option("--mix-p", eval_args->mix_p,
                   "Reactivation: level of the contact-mix test (as alerts --mix-p)");
  eval->add_option("--min-renewed-ties", eval_args->min_renewed_ties,
                   "Reactivation: least different persons a window must renew ties with (as "
                   "alerts)");
  eval->add_option("--ties-p", eval_args->ties_p,
                   "Reactivation: level of the renewed-ties test (as alerts --ties-p)");
  eval->add_option("--capacity", eval_args->capacity, "People that can be watched closely");
  eval->callback([eval_args, &context] {
    Status status = RunEvalCommand(context, *eval_args);
    if (!status.ok()) ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
