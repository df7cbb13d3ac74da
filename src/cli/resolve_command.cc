// vigil resolve: proposes an owner for every unattributed selector (identifier
// links per formats.md: selector, person_id, confidence, evidence), stores the
// proposals for known people, and with --eval-world scores them against a
// generated world's truth.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "vigil/resolve.h"

namespace vigil::cli {
namespace {

struct ResolveArgs {
  std::string out;
  std::string eval_world;
  double min_confidence = ResolveOptions{}.min_confidence;
  bool dry_run = false;
  bool full = false;
};

void PrintMetrics(const LinkMetrics& metrics) {
  auto line = [](const char* scope, const PairMetrics& m) {
    std::fprintf(stderr,
                 "link %-12s selectors=%lld true_pairs=%lld predicted_pairs=%lld "
                 "precision=%.4f recall=%.4f f1=%.4f\n",
                 scope, static_cast<long long>(m.selectors), static_cast<long long>(m.true_pairs),
                 static_cast<long long>(m.predicted_pairs), m.precision, m.recall, m.f1);
  };
  line("all", metrics.all);
  line("cell_members", metrics.cell_members);
  std::fprintf(stderr, "reliability: confidence bin, proposals, mean confidence, share right\n");
  for (const ReliabilityBin& bin : metrics.reliability) {
    if (bin.proposals == 0) continue;
    std::fprintf(stderr, "  [%.1f,%.1f) %8lld  %.3f  %.3f\n", bin.low, bin.high,
                 static_cast<long long>(bin.proposals), bin.mean_confidence, bin.accuracy);
  }
}

Status RunResolve(CliContext& context, const ResolveArgs& args, OutputFormat format) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStoreForCli(context, true));
  std::unique_ptr<Progress> progress = MakeTerminalProgress();
  ResolveOptions options;
  options.min_confidence = args.min_confidence;
  options.store_proposals = !args.dry_run;
  options.save_state = !args.dry_run;
  options.use_saved_state = !args.full;
  options.progress = progress.get();
  VIGIL_ASSIGN_OR_RETURN(ResolveReport report, ResolveIdentifiers(*store, options));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (!args.out.empty()) {
    file.reset(std::fopen(args.out.c_str(), "w"));
    if (file == nullptr) return Status::IOError("cannot write " + args.out);
    VIGIL_RETURN_IF_ERROR(RecordWrittenFile(*store, WrittenFileKind::kExport, args.out));
  }
  {
    TableOutput table({"selector", "person_id", "confidence", "evidence"}, format,
                      file ? file.get() : stdout);
    for (const LinkProposal& proposal : report.proposals) {
      table.AddRow({proposal.selector, proposal.owner, fmt::format("{:.3f}", proposal.confidence),
                    proposal.evidence});
    }
  }
  std::fprintf(stderr,
               "vigil: %lld selectors, %lld without a decided owner, %lld comms (%lld read this "
               "run), %lld candidate links, %zu proposals, %lld stored\n",
               static_cast<long long>(report.selectors),
               static_cast<long long>(report.unattributed), static_cast<long long>(report.comms),
               static_cast<long long>(report.comms_read),
               static_cast<long long>(report.candidate_links), report.proposals.size(),
               static_cast<long long>(report.stored));
  std::fprintf(stderr, "vigil: seconds: read %.1f, links %.1f, clusters %.1f, store %.1f\n",
               report.read_seconds, report.link_seconds, report.cluster_seconds,
               report.store_seconds);
  if (!args.eval_world.empty()) {
    VIGIL_ASSIGN_OR_RETURN(LinkMetrics metrics,
                           EvaluateProposals(*store, args.eval_world, report.proposals));
    PrintMetrics(metrics);
  }
  return Status::Ok();
}

}  // namespace

void RegisterResolveCommand(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<ResolveArgs>();
  CLI::App* command =
      app.add_subcommand("resolve",
                         "Propose owners of unattributed selectors (handset, hand-over, messenger, "
                         "co-presence), with calibrated confidence and evidence");
  command->add_option("--out", args->out, "Write the links here (default: standard output)");
  command->add_option("--eval-world", args->eval_world,
                      "A generated world folder: print link precision/recall/F1 against its "
                      "truth/ and the reliability of the confidences (on stderr)");
  command->add_option("--min-confidence", args->min_confidence,
                      "Report and store only proposals at least this confident");
  command->add_flag("--dry-run", args->dry_run,
                    "Do not store the proposals nor the comms summaries for the next run");
  command->add_flag("--full", args->full,
                    "Read every communication instead of only those stored since the last run "
                    "(the results are the same)");
  command->callback([&context, args] {
    if (!args->out.empty() && context.format == "table") context.format = "csv";
    auto format = FormatOf(context);
    if (!format.ok()) return;
    Status status = RunResolve(context, *args, *format);
    if (!status.ok()) ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
