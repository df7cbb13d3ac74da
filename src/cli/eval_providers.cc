#include "cli/eval_providers.h"

#include <unistd.h>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "vigil/graph.h"
#include "vigil/ingest.h"
#include "vigil/resolve.h"

namespace vigil::cli {
namespace {

constexpr double kHighConfidence = 0.9;

bool HasTruth(const EvalContext& context, const char* file) {
  return std::filesystem::exists(std::filesystem::path(context.world_dir) / "truth" / file);
}

class LinkMetricsProvider final : public MetricProvider {
 public:
  std::string name() const override { return "identifier links"; }

  Status Compute(const EvalContext& context, std::vector<MetricLine>* lines) override {
    if (!HasTruth(context, "selectors.csv")) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(LinkMetrics metrics, EvaluateLinks(*context.store, context.world_dir));
    Add("link_f1_cell_members", metrics.cell_members, "goal >= 0.95", lines);
    Add("link_f1_all", metrics.all, "every selector truth names", lines);
    // Calibration: the expected calibration error over the bins, and how
    // often a proposal at confidence >= 0.9 is right.
    int64_t proposals = 0, high = 0;
    double gap = 0, high_right = 0;
    for (const ReliabilityBin& bin : metrics.reliability) {
      proposals += bin.proposals;
      gap += bin.proposals * std::abs(bin.accuracy - bin.mean_confidence);
      if (bin.low >= kHighConfidence - 1e-9) {
        high += bin.proposals;
        high_right += bin.accuracy * bin.proposals;
      }
    }
    if (proposals > 0) {
      lines->push_back(
          {"link_ece", gap / proposals,
           fmt::format("expected calibration error over {} proposals (goal <= 0.05)", proposals)});
    }
    if (high > 0) {
      lines->push_back({"link_precision_at_0.9", high_right / high,
                        fmt::format("share right of {} proposals with confidence >= 0.9 (goal >= "
                                    "0.97)",
                                    high)});
    }
    // The reliability table: whether a confidence means what it says.
    for (const ReliabilityBin& bin : metrics.reliability) {
      if (bin.proposals == 0) continue;
      lines->push_back({fmt::format("link_reliability_{:.1f}_{:.1f}", bin.low, bin.high),
                        bin.accuracy,
                        fmt::format("share right of {} proposals with confidence in [{:.1f}, "
                                    "{:.1f}), mean confidence {:.3f}",
                                    bin.proposals, bin.low, bin.high, bin.mean_confidence)});
    }
    return Status::Ok();
  }

 private:
  static void Add(const std::string& name, const PairMetrics& pairs, const char* note,
                  std::vector<MetricLine>* lines) {
    lines->push_back({name, pairs.f1,
                      fmt::format("precision {:.3f}, recall {:.3f} over {} selectors ({})",
                                  pairs.precision, pairs.recall, pairs.selectors, note)});
  }
};

class CellRecoveryProvider final : public MetricProvider {
 public:
  std::string name() const override { return "cell recovery"; }

  Status Compute(const EvalContext& context, std::vector<MetricLine>* lines) override {
    if (!HasTruth(context, "cells.csv")) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(auto truth, ReadTruthCells(context.world_dir + "/truth/cells.csv"));
    VIGIL_ASSIGN_OR_RETURN(Graph graph, BuildGraphFromStore(*context.store));
    // The partition `vigil network communities` gives with its default
    // options (DefaultCommunityOptions).
    Communities by_default(graph, DefaultCommunityOptions(graph));
    VIGIL_RETURN_IF_ERROR(by_default.run());
    VIGIL_ASSIGN_OR_RETURN(CellRecovery default_recovery,
                           EvaluateCells(graph, by_default.membership(), truth));
    lines->push_back({"cell_nmi_default", default_recovery.nmi,
                      fmt::format("`vigil network communities` default options; strict NMI "
                                  "{:.3f}; {} of {} cells recovered (goal >= 0.9)",
                                  default_recovery.nmi_strict, default_recovery.recovered,
                                  default_recovery.cells.size())});
    CommunityOptions options;
    options.weighted = true;  // contact counts, resolution 1
    Communities communities(graph, options);
    VIGIL_RETURN_IF_ERROR(communities.run());
    VIGIL_ASSIGN_OR_RETURN(CellRecovery recovery,
                           EvaluateCells(graph, communities.membership(), truth));
    lines->push_back({"cell_nmi", recovery.nmi,
                      fmt::format("{} of {} members in the graph; strict NMI {:.3f}; {} of {} "
                                  "cells recovered (recall and precision >= 0.5)",
                                  recovery.members_in_graph, recovery.members, recovery.nmi_strict,
                                  recovery.recovered, recovery.cells.size())});
    // The same with evidence weights (TieWeights) at resolution 2 (better
    // than 1 and 5 on the store's graph of every generated world tried;
    // see bench/network/README.md): groups whose ties rise and fall
    // together.
    CommunityOptions evidence;
    evidence.edge_weights = TieWeights(graph);
    evidence.resolution = 2;
    Communities by_evidence(graph, evidence);
    VIGIL_RETURN_IF_ERROR(by_evidence.run());
    VIGIL_ASSIGN_OR_RETURN(CellRecovery evidence_recovery,
                           EvaluateCells(graph, by_evidence.membership(), truth));
    lines->push_back({"cell_nmi_evidence", evidence_recovery.nmi,
                      fmt::format("communities on evidence tie weights, resolution 2; strict NMI "
                                  "{:.3f}; {} of {} cells recovered",
                                  evidence_recovery.nmi_strict, evidence_recovery.recovered,
                                  evidence_recovery.cells.size())});
    // The same weights with the resolution chosen without the truth: the
    // most typical partition across resolutions (CentralResolution).
    const std::vector<double> candidates = {0.5, 1, 2, 3, 5, 8};
    VIGIL_ASSIGN_OR_RETURN(double central_resolution,
                           CentralResolution(graph, evidence, candidates));
    CommunityOptions central = evidence;
    central.resolution = central_resolution;
    Communities by_central(graph, central);
    VIGIL_RETURN_IF_ERROR(by_central.run());
    VIGIL_ASSIGN_OR_RETURN(CellRecovery central_recovery,
                           EvaluateCells(graph, by_central.membership(), truth));
    lines->push_back(
        {"cell_nmi_central", central_recovery.nmi,
         fmt::format("evidence tie weights, resolution {} chosen without the truth (the most "
                     "typical partition of 0.5..8); strict NMI {:.3f}; mean precision {:.3f}; "
                     "{} of {} cells recovered",
                     central_resolution, central_recovery.nmi_strict,
                     central_recovery.mean_precision, central_recovery.recovered,
                     central_recovery.cells.size())});
    ExpansionOptions expansion;
    expansion.hops = 2;
    expansion.limit = 20;
    VIGIL_ASSIGN_OR_RETURN(CellExpansionRecall reach,
                           EvaluateCellExpansion(graph, truth, expansion));
    lines->push_back({"cell_expansion_recall", reach.recall(),
                      fmt::format("{} of {} cell mates in the top 20 of a 2-hop expansion from "
                                  "one member; {} of {} cells complete",
                                  reach.mates_found, reach.mates, reach.complete, reach.cells)});
    expansion.tie_strengths = EvidenceStrengths(graph);
    VIGIL_ASSIGN_OR_RETURN(CellExpansionRecall evidence_reach,
                           EvaluateCellExpansion(graph, truth, expansion));
    lines->push_back({"cell_expansion_recall_evidence", evidence_reach.recall(),
                      fmt::format("the same with evidence tie strengths: {} of {} cell mates; "
                                  "{} of {} cells complete",
                                  evidence_reach.mates_found, evidence_reach.mates,
                                  evidence_reach.complete, evidence_reach.cells)});
    return Status::Ok();
  }
};

class DismissedAlertsProvider final : public MetricProvider {
 public:
  explicit DismissedAlertsProvider(const WatchOptions& options) : options_(options) {}

  std::string name() const override { return "dismissed alerts"; }

  Status Compute(const EvalContext& context, std::vector<MetricLine>* lines) override {
    std::map<std::string, std::string> dismissed;  // key -> reason
    VIGIL_RETURN_IF_ERROR(context.store->ScanAlertTriage([&](const AlertTriage& triage) {
      if (triage.state == AlertState::kDismissed) dismissed[triage.key] = triage.reason;
      return true;
    }));
    if (dismissed.empty()) {
      lines->push_back({"dismissed_alerts_still_firing", 0, "no dismissed alerts in the store"});
      return Status::Ok();
    }
    VIGIL_ASSIGN_OR_RETURN(std::set<std::string> raised, Replay(context));
    int64_t firing = 0;
    std::map<std::string, int64_t> reasons;  // of those still firing
    for (const auto& [key, reason] : dismissed) {
      if (raised.count(key) == 0) continue;
      ++firing;
      ++reasons[reason.empty() ? std::string("(no reason)") : reason];
    }
    std::string detail = fmt::format(
        "{} of {} dismissed alerts would be raised again by today's detector on the same data",
        firing, dismissed.size());
    if (!reasons.empty()) {
      detail += "; their dismissal reasons:";
      for (const auto& [reason, count] : reasons)
        detail += fmt::format(" \"{}\" x{}", reason, count);
    }
    lines->push_back({"dismissed_alerts_still_firing", static_cast<double>(firing), detail});
    return Status::Ok();
  }

 private:
  // The keys a fresh run raises on the world, with the store's decisions.
  Result<std::set<std::string>> Replay(const EvalContext& context) {
    std::string pattern = (std::filesystem::temp_directory_path() / "vigil-replay-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return Status::Internal("cannot make a scratch dir");
    const std::filesystem::path dir = pattern;
    struct Cleanup {
      std::filesystem::path dir;
      ~Cleanup() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
      }
    } cleanup{dir};
    VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> scratch,
                           OpenSqliteStore((dir / "replay.db").string()));
    std::vector<FileIngestResult> results;
    VIGIL_RETURN_IF_ERROR(IngestPaths(*scratch, {context.world_dir}, IngestOptions{}, &results));
    std::vector<WatchRecord> records;
    VIGIL_RETURN_IF_ERROR(context.store->ScanWatchRecords([&](const WatchRecord& record) {
      records.push_back(record);
      return true;
    }));
    for (const WatchRecord& record : records) {
      VIGIL_RETURN_IF_ERROR(scratch->PutWatchRecord(record));
    }
    std::vector<LinkDecision> decisions;
    VIGIL_RETURN_IF_ERROR(context.store->ScanAttributions([&](const Attribution& attribution) {
      if (attribution.state == AttributionState::kConfirmed ||
          attribution.state == AttributionState::kRejected) {
        LinkDecision decision;
        decision.selector = attribution.selector;
        decision.person_id = attribution.person_id;
        decision.confirm = attribution.state == AttributionState::kConfirmed;
        decision.decided_by = attribution.decided_by.empty() ? "analyst" : attribution.decided_by;
        decision.reason = attribution.evidence;
        decision.decided_at = attribution.decided_at.value_or(0);
        decisions.push_back(std::move(decision));
      }
      return true;
    }));
    for (const LinkDecision& decision : decisions) {
      VIGIL_RETURN_IF_ERROR(RecordLinkDecision(*scratch, decision));
    }
    VIGIL_RETURN_IF_ERROR(ResolveIdentifiers(*scratch, ResolveOptions{}).status());
    VIGIL_ASSIGN_OR_RETURN(AlertRun run, RaiseAlerts(*scratch, options_));
    std::set<std::string> keys;
    for (const StoredAlert& alert : run.raised) keys.insert(alert.key);
    return keys;
  }

  WatchOptions options_;
};

}  // namespace

std::unique_ptr<MetricProvider> NewDismissedAlertsProvider(const WatchOptions& options) {
  return std::make_unique<DismissedAlertsProvider>(options);
}

std::unique_ptr<MetricProvider> NewLinkMetricsProvider() {
  return std::make_unique<LinkMetricsProvider>();
}

std::unique_ptr<MetricProvider> NewCellRecoveryProvider() {
  return std::make_unique<CellRecoveryProvider>();
}

}  // namespace vigil::cli
