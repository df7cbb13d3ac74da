// vigil rank: people ordered for close watch, each with their factors and
// weights; vigil eval: scores the stored results against a world's truth/.
#include <cstdio>
#include <ctime>
#include <filesystem>
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
};

// Ingests the world into a store that does not exist yet and resolves its
// identifiers, then raises alerts (a no-op for what was raised before) so the
// scores reflect the data.
Status PrepareStore(CliContext& context, const EvalArgs& args, std::unique_ptr<Store>* store) {
  const bool fresh = !std::filesystem::exists(context.db_path);
  VIGIL_ASSIGN_OR_RETURN(*store, OpenStoreForCli(context, false));
  if (fresh) {
    std::vector<FileIngestResult> results;
    VIGIL_RETURN_IF_ERROR(IngestPaths(**store, {args.world}, IngestOptions{}, &results));
    // The pipeline an analyst runs: resolution's proposals feed the alerts.
    VIGIL_RETURN_IF_ERROR(ResolveIdentifiers(**store, ResolveOptions{}).status());
  }
  WatchOptions options;
  options.now = static_cast<UnixTime>(std::time(nullptr));
  return RaiseAlerts(**store, options).status();
}

Status RunEvalCommand(CliContext& context, const EvalArgs& args) {
  std::unique_ptr<Store> store;
  VIGIL_RETURN_IF_ERROR(PrepareStore(context, args, &store));
  EvalContext eval;
  eval.world_dir = args.world;
  eval.store = store.get();
  eval.capacity = args.capacity;
  std::vector<std::unique_ptr<MetricProvider>> providers = DefaultMetricProviders();
  providers.push_back(NewLinkMetricsProvider());
  providers.push_back(NewCellRecoveryProvider());
  VIGIL_ASSIGN_OR_RETURN(std::vector<MetricLine> lines, RunEval(eval, RankOptions{}, providers));
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
  eval->add_option("--world", eval_args->world, "The world folder (with truth/)")->required();
  eval->add_option("--capacity", eval_args->capacity, "People that can be watched closely");
  eval->callback([eval_args, &context] {
    Status status = RunEvalCommand(context, *eval_args);
    if (!status.ok()) ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
