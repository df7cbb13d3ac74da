// ResolveIdentifiers: observations -> scored links -> clusters -> proposals.
#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "resolve/address_names.h"
#include "resolve/calibration.h"
#include "resolve/clusters.h"
#include "resolve/documents.h"
#include "resolve/links.h"
#include "resolve/observations.h"
#include "resolve/pipeline.h"
#include "resolve/state.h"
#include "vigil/resolve.h"

namespace vigil {
namespace resolve {

// Wall-clock lap timer for the report's stage timings.
class Stopwatch {
 public:
  double Lap() {
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - start_).count();
    start_ = now;
    return seconds;
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

namespace {

// No single observed link is certain: a calibrated probability of 1.0 on the
// fitting worlds is reported as this.
constexpr double kMaxLinkProbability = 0.995;
// Rounds of owner-level hand-over.
constexpr int kOwnerRounds = 2;
// At most this many links of a path are spelled out in the evidence.
constexpr int kEvidenceHops = 3;

std::string ClusterId(SelectorIndex anchor) { return "cluster-" + std::to_string(anchor); }

std::string Evidence(const Observations& obs, const Decisions& decisions,
                     const std::vector<Placement>& placements, SelectorIndex s) {
  std::string text;
  SelectorIndex at = s;
  int hops = 0;
  while (placements[at].via != nullptr) {
    if (hops == kEvidenceHops) {
      text += "; ...";
      break;
    }
    const Link& link = *placements[at].via;
    if (!text.empty()) text += "; ";
    text += fmt::format("{} (p={:.2f})", DescribeLink(obs, link), link.probability);
    at = placements[at].parent;
    ++hops;
  }
  const SelectorIndex anchor = placements[s].anchor;
  if (placements[s].owner >= 0) {
    text += fmt::format("; {} is {}'s ({})", obs.texts[anchor],
                        decisions.persons[static_cast<size_t>(placements[s].owner)],
                        decisions.known_how[anchor]);
  } else {
    text += fmt::format("; owner unknown, cluster anchored at {}", obs.texts[anchor]);
  }
  return text;
}

}  // namespace

void ScoreLinks(std::vector<Link>& links) {
  for (Link& link : links) {
    link.probability = std::min(kMaxLinkProbability, Predict(ModelFor(link.signal), link.features,
                                                             FeatureCount(link.signal)));
  }
}

namespace {

// Owner ids of the selectors under `placements`: persons after all
// selectors, then cluster anchors, then each selector alone.
std::vector<uint32_t> OwnerIds(const Observations& obs, const Decisions& decisions,
                               const std::vector<Placement>& placements) {
  std::vector<uint32_t> owners(obs.size());
  for (size_t s = 0; s < obs.size(); ++s) {
    const Placement& placement = placements[s];
    const int32_t known = decisions.known_owner[s];
    const int32_t person = known >= 0 ? known : placement.owner;
    if (person >= 0) {
      owners[s] = static_cast<uint32_t>(obs.size() + static_cast<size_t>(person));
    } else if (placement.anchor != 0) {
      owners[s] = placement.anchor;
    } else {
      owners[s] = static_cast<uint32_t>(s);
    }
  }
  return owners;
}

}  // namespace

std::vector<Link> ScoredLinks(const Observations& obs, const Decisions& decisions,
                              const ResolveOptions& options) {
  return ScoredLinks(obs, decisions, ConcurrentUse(obs), options);
}

std::vector<Link> ScoredLinks(const Observations& obs, const Decisions& decisions,
                              const ConcurrentUse& concurrent, const ResolveOptions& options) {
  std::vector<Link> first = CandidateLinks(obs, options);
  ScoreLinks(first);
  const std::vector<Placement> first_places =
      PlaceSelectors(obs, decisions, first, concurrent, options);
  std::vector<Link> second =
      WithHandoverLinks(obs, options, first, OwnerIds(obs, decisions, first_places));
  ScoreLinks(second);
  // Owner-level rounds: a group joined to a known person in one round makes
  // that person's contact profile and timeline fuller for the next.
  const size_t group_count = obs.size() + decisions.persons.size();
  std::vector<bool> known(group_count, false);
  for (size_t g = obs.size(); g < group_count; ++g) known[g] = true;
  for (int round = 0; round < kOwnerRounds; ++round) {
    const std::vector<Placement> places =
        PlaceSelectors(obs, decisions, second, concurrent, options);
    std::vector<Link> owner_level =
        OwnerHandoverLinks(obs, options, OwnerIds(obs, decisions, places), group_count, known);
    ScoreLinks(owner_level);
    if (owner_level.empty()) break;
    for (Link& link : owner_level) second.push_back(std::move(link));
  }
  return second;
}

Result<Analysis> Analyse(Store& store, const ResolveOptions& options) {
  Analysis analysis;
  Stopwatch watch;
  std::optional<Observations> saved;
  if (options.use_saved_state) {
    VIGIL_ASSIGN_OR_RETURN(saved, RestoreObservations(store));
  }
  const int64_t comms_saved = saved ? saved->comms : 0;
  const size_t selectors_saved = saved ? saved->activity.size() : 0;
  VIGIL_ASSIGN_OR_RETURN(analysis.obs,
                         LoadObservations(store, options.progress, saved ? &*saved : nullptr));
  analysis.comms_read = analysis.obs.comms - comms_saved;
  // Nothing new since the saved state: it is still exact, so keep it as is.
  const bool unchanged =
      saved.has_value() && analysis.comms_read == 0 && analysis.obs.size() == selectors_saved;
  saved.reset();
  if (options.save_state && !unchanged) {
    VIGIL_RETURN_IF_ERROR(SaveObservations(store, analysis.obs));
  }
  VIGIL_ASSIGN_OR_RETURN(analysis.decisions, LoadDecisions(store, analysis.obs));
  analysis.read_seconds = watch.Lap();
  analysis.concurrent = ConcurrentUse(analysis.obs);
  analysis.links = ScoredLinks(analysis.obs, analysis.decisions, analysis.concurrent, options);
  VIGIL_ASSIGN_OR_RETURN(std::vector<Link> documents,
                         DocumentLinks(store, analysis.obs, analysis.decisions));
  ScoreLinks(documents);
  for (Link& link : documents) analysis.links.push_back(std::move(link));
  // Address-name evidence (address_names.h): e-mail addresses and handles
  // that spell a known person's name.
  VIGIL_ASSIGN_OR_RETURN(std::vector<Link> address_names,
                         AddressNameLinks(store, analysis.obs, analysis.decisions));
  ScoreLinks(address_names);
  for (Link& link : address_names) analysis.links.push_back(std::move(link));
  analysis.link_seconds = watch.Lap();
  analysis.min_concurrent_days = options.min_concurrent_days;
  analysis.placements = PlaceSelectors(analysis.obs, analysis.decisions, analysis.links,
                                       analysis.concurrent, options, &analysis.vetoes);
  analysis.cluster_seconds = watch.Lap();
  return analysis;
}

std::vector<LinkProposal> Proposals(const Analysis& analysis, double min_confidence) {
  const Observations& obs = analysis.obs;
  const auto& placements = analysis.placements;
  // The anchor of an unknown-owner cluster belongs with it as surely as its
  // strongest link.
  std::vector<double> anchor_confidence(obs.size(), 0.0);
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    const Placement& placement = placements[s];
    if (placement.via != nullptr && placement.parent == placement.anchor) {
      anchor_confidence[placement.anchor] =
          std::max(anchor_confidence[placement.anchor], placement.via->probability);
    }
  }
  // What would have contradicted each proposal: SIMs of one owner in use on
  // the same days (ConcurrentUse). Each owner's SIMs: the cluster's and,
  // for a known person, the person's own.
  const ConcurrentUse& concurrent = analysis.concurrent;
  std::unordered_map<int64_t, std::vector<SelectorIndex>> owner_sims;
  auto owner_key = [&](SelectorIndex s) -> int64_t {
    const int32_t known = analysis.decisions.known_owner[s];
    const int32_t person = known >= 0 ? known : placements[s].owner;
    if (person >= 0) return -1 - static_cast<int64_t>(person);
    return placements[s].anchor;
  };
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    if (!concurrent.Covers(s)) continue;
    if (placements[s].anchor == 0 && analysis.decisions.known_owner[s] < 0) continue;
    owner_sims[owner_key(s)].push_back(s);
  }
  std::unordered_map<int64_t, int> owner_most;  // most shared days among an owner's SIMs
  auto contradiction_note = [&](SelectorIndex s) {
    const auto found = owner_sims.find(owner_key(s));
    const std::vector<SelectorIndex> none;
    const std::vector<SelectorIndex>& sims = found == owner_sims.end() ? none : found->second;
    int most = 0;
    size_t pairs = 0;
    if (concurrent.Covers(s)) {
      for (SelectorIndex other : sims) {
        if (other == s) continue;
        ++pairs;
        most = std::max(most, concurrent.SharedDays(s, other));
      }
      const auto days = obs.PlacesEnd(s) - obs.PlacesBegin(s);
      if (pairs == 0) {
        return fmt::format("; contradictions checked: no other SIM of the owner to compare");
      }
      return fmt::format(
          "; contradictions checked: no concurrent use with the owner's {} other SIM(s) over its "
          "{} located comm-days (at most {} shared day(s); {} would veto)",
          pairs, days, most, analysis.min_concurrent_days);
    }
    auto cached = owner_most.find(owner_key(s));
    if (cached != owner_most.end()) {
      most = cached->second;
    } else {
      for (size_t i = 0; i < sims.size(); ++i) {
        for (size_t j = i + 1; j < sims.size(); ++j) {
          most = std::max(most, concurrent.SharedDays(sims[i], sims[j]));
        }
      }
      owner_most.emplace(owner_key(s), most);
    }
    return fmt::format(
        "; contradictions checked: the owner's {} SIM(s) were never in concurrent use (at most {} "
        "shared day(s); {} would veto)",
        sims.size(), most, analysis.min_concurrent_days);
  };
  std::vector<LinkProposal> proposals;
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    const Placement& placement = placements[s];
    if (placement.anchor == 0 || analysis.decisions.known_owner[s] >= 0) continue;
    LinkProposal proposal;
    proposal.selector = obs.texts[s];
    proposal.owner_is_person = placement.owner >= 0;
    proposal.owner = proposal.owner_is_person
                         ? analysis.decisions.persons[static_cast<size_t>(placement.owner)]
                         : ClusterId(placement.anchor);
    proposal.anchor = obs.texts[placement.anchor];
    proposal.confidence = placement.confidence;
    proposal.kind = placement.via != nullptr ? std::string(SignalName(placement.via->signal))
                                             : std::string("anchor");
    if (placement.anchor == s) {
      proposal.confidence = anchor_confidence[s];
      proposal.evidence = "anchor of its cluster; " +
                          (proposal.confidence > 0 ? std::string("strongest link p=") +
                                                         fmt::format("{:.2f}", proposal.confidence)
                                                   : std::string("no direct link"));
    } else {
      proposal.evidence = Evidence(obs, analysis.decisions, placements, s);
    }
    if (proposal.confidence < min_confidence) continue;
    if (analysis.min_concurrent_days > 0) proposal.evidence += contradiction_note(s);
    proposals.push_back(std::move(proposal));
  }
  std::sort(proposals.begin(), proposals.end(),
            [](const LinkProposal& left, const LinkProposal& right) {
              return left.selector < right.selector;
            });
  return proposals;
}

}  // namespace resolve

Result<ResolveReport> ResolveIdentifiers(Store& store, const ResolveOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(resolve::Analysis analysis, resolve::Analyse(store, options));
  ResolveReport report;
  resolve::Stopwatch watch;
  report.proposals = resolve::Proposals(analysis, options.min_confidence);
  report.read_seconds = analysis.read_seconds;
  report.link_seconds = analysis.link_seconds;
  report.cluster_seconds = analysis.cluster_seconds + watch.Lap();
  report.selectors = static_cast<int64_t>(analysis.obs.size()) - 1;
  for (size_t s = 1; s < analysis.obs.size(); ++s) {
    if (analysis.decisions.known_owner[s] < 0) ++report.unattributed;
  }
  report.comms = analysis.obs.comms;
  report.comms_read = analysis.comms_read;
  report.candidate_links = static_cast<int64_t>(analysis.links.size());
  if (options.store_proposals) {
    std::vector<Attribution> attributions;
    for (const LinkProposal& proposal : report.proposals) {
      if (!proposal.owner_is_person) continue;
      Attribution attribution;
      attribution.selector = proposal.selector;
      attribution.person_id = proposal.owner;
      attribution.confidence = std::clamp(proposal.confidence, 0.0, 1.0);
      attribution.evidence = proposal.evidence;
      attribution.state = AttributionState::kProposed;
      attributions.push_back(std::move(attribution));
    }
    VIGIL_ASSIGN_OR_RETURN(report.stored, store.ReplaceProposedAttributions(attributions));
    report.store_seconds = watch.Lap();
  }
  return report;
}

}  // namespace vigil
