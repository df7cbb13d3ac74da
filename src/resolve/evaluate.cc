// EvaluateLinks: pairwise link quality and the reliability of confidences.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "resolve/pipeline.h"
#include "resolve/truth.h"
#include "vigil/resolve.h"

namespace vigil {
namespace {

constexpr int kReliabilityBins = 10;

// Pair counts from group sizes: sum of n choose 2.
class PairCounter {
 public:
  void Add(const std::string& predicted, const std::string& truth) {
    ++selectors_;
    ++predicted_[predicted];
    ++truth_[truth];
    ++both_[predicted + '\x1f' + truth];
  }

  PairMetrics Metrics() const {
    PairMetrics metrics;
    metrics.selectors = selectors_;
    metrics.predicted_pairs = Pairs(predicted_);
    metrics.true_pairs = Pairs(truth_);
    metrics.correct_pairs = Pairs(both_);
    if (metrics.predicted_pairs > 0) {
      metrics.precision =
          static_cast<double>(metrics.correct_pairs) / static_cast<double>(metrics.predicted_pairs);
    }
    if (metrics.true_pairs > 0) {
      metrics.recall =
          static_cast<double>(metrics.correct_pairs) / static_cast<double>(metrics.true_pairs);
    }
    if (metrics.precision + metrics.recall > 0) {
      metrics.f1 = 2 * metrics.precision * metrics.recall / (metrics.precision + metrics.recall);
    }
    return metrics;
  }

 private:
  static int64_t Pairs(const std::unordered_map<std::string, int64_t>& groups) {
    int64_t pairs = 0;
    for (const auto& [label, size] : groups) pairs += size * (size - 1) / 2;
    return pairs;
  }

  int64_t selectors_ = 0;
  std::unordered_map<std::string, int64_t> predicted_, truth_, both_;
};

// Whether a proposal names the selector's true owner (see EvaluateLinks).
bool ProposalRight(const resolve::Truth& truth, const LinkProposal& proposal) {
  auto owner = truth.owner.find(proposal.selector);
  if (owner == truth.owner.end()) return false;
  if (proposal.owner_is_person) return owner->second == proposal.owner;
  auto anchor_owner = truth.owner.find(proposal.anchor);
  return anchor_owner != truth.owner.end() && anchor_owner->second == owner->second;
}

std::vector<ReliabilityBin> Reliability(const resolve::Truth& truth,
                                        const std::vector<LinkProposal>& proposals) {
  std::vector<ReliabilityBin> bins(kReliabilityBins);
  std::vector<double> right(kReliabilityBins, 0), sum(kReliabilityBins, 0);
  for (int index = 0; index < kReliabilityBins; ++index) {
    bins[index].low = static_cast<double>(index) / kReliabilityBins;
    bins[index].high = static_cast<double>(index + 1) / kReliabilityBins;
  }
  for (const LinkProposal& proposal : proposals) {
    if (truth.owner.find(proposal.selector) == truth.owner.end()) continue;
    const int index = std::clamp(static_cast<int>(proposal.confidence * kReliabilityBins), 0,
                                 kReliabilityBins - 1);
    ++bins[index].proposals;
    sum[index] += proposal.confidence;
    right[index] += ProposalRight(truth, proposal) ? 1 : 0;
  }
  for (int index = 0; index < kReliabilityBins; ++index) {
    if (bins[index].proposals == 0) continue;
    const auto count = static_cast<double>(bins[index].proposals);
    bins[index].mean_confidence = sum[index] / count;
    bins[index].accuracy = right[index] / count;
  }
  return bins;
}

}  // namespace

Result<LinkMetrics> EvaluateProposals(Store& store, const std::string& world_dir,
                                      const std::vector<LinkProposal>& proposals) {
  VIGIL_ASSIGN_OR_RETURN(resolve::Truth truth, resolve::ReadTruth(world_dir));
  std::unordered_map<std::string, std::string> label;
  VIGIL_RETURN_IF_ERROR(store.ScanAttributions([&label](const Attribution& attribution) {
    if (attribution.state == AttributionState::kSource ||
        attribution.state == AttributionState::kConfirmed) {
      auto [it, inserted] = label.emplace(attribution.selector, attribution.person_id);
      if (!inserted && attribution.state == AttributionState::kConfirmed) {
        it->second = attribution.person_id;
      }
    }
    return true;
  }));
  for (const LinkProposal& proposal : proposals) label.emplace(proposal.selector, proposal.owner);
  PairCounter all, members;
  VIGIL_RETURN_IF_ERROR(store.ScanSelectors([&](int64_t, std::string_view text) {
    const std::string selector(text);
    auto owner = truth.owner.find(selector);
    if (owner == truth.owner.end()) return true;
    auto found = label.find(selector);
    const std::string predicted = found != label.end() ? found->second : "self:" + selector;
    all.Add(predicted, owner->second);
    if (truth.cell_members.count(owner->second) > 0) members.Add(predicted, owner->second);
    return true;
  }));
  LinkMetrics metrics;
  metrics.all = all.Metrics();
  metrics.cell_members = members.Metrics();
  metrics.reliability = Reliability(truth, proposals);
  return metrics;
}

Result<LinkMetrics> EvaluateLinks(Store& store, const std::string& world_dir) {
  ResolveOptions options;
  options.store_proposals = false;
  options.save_state = false;
  VIGIL_ASSIGN_OR_RETURN(resolve::Analysis analysis, resolve::Analyse(store, options));
  return EvaluateProposals(store, world_dir, resolve::Proposals(analysis, options.min_confidence));
}

}  // namespace vigil
