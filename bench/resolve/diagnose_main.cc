// resolve_diagnose DB WORLD: runs identifier resolution on DB without storing
// anything and prints, against WORLD's truth/, the pairwise link quality on
// cell members' selectors, the share right per evidence kind, and every
// wrong proposal for a cell member's selector with its evidence. A
// development aid for choosing vetoes on training worlds.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "resolve/pipeline.h"
#include "resolve/truth.h"
#include "vigil/resolve.h"
#include "vigil/store.h"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: resolve_diagnose DB WORLD [MIN_CONCURRENT_DAYS]\n");
    return 2;
  }
  auto store = vigil::OpenSqliteStore(argv[1], {.create_if_missing = false});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  auto truth = vigil::resolve::ReadTruth(argv[2]);
  if (!truth.ok()) {
    std::fprintf(stderr, "%s\n", truth.status().ToString().c_str());
    return 1;
  }
  vigil::ResolveOptions options;
  options.store_proposals = false;
  options.save_state = false;
  if (argc == 4) options.min_concurrent_days = std::atoi(argv[3]);
  if (std::getenv("NO_INTERLEAVE") != nullptr) options.veto_interleaved_handsets = false;
  auto analysis = vigil::resolve::Analyse(**store, options);
  if (!analysis.ok()) {
    std::fprintf(stderr, "%s\n", analysis.status().ToString().c_str());
    return 1;
  }
  const auto proposals = vigil::resolve::Proposals(*analysis, options.min_confidence);
  auto metrics = vigil::EvaluateProposals(**store, argv[2], proposals);
  if (!metrics.ok()) {
    std::fprintf(stderr, "%s\n", metrics.status().ToString().c_str());
    return 1;
  }
  std::printf("cell members: F1 %.4f precision %.4f recall %.4f; all: F1 %.4f P %.4f R %.4f\n",
              metrics->cell_members.f1, metrics->cell_members.precision,
              metrics->cell_members.recall, metrics->all.f1, metrics->all.precision,
              metrics->all.recall);
  std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (right, total)
  int high = 0, high_right = 0;
  for (const auto& proposal : proposals) {
    auto owner = truth->owner.find(proposal.selector);
    if (owner == truth->owner.end()) continue;
    bool right;
    if (proposal.owner_is_person) {
      right = owner->second == proposal.owner;
    } else {
      auto anchor = truth->owner.find(proposal.anchor);
      right = anchor != truth->owner.end() && anchor->second == owner->second;
    }
    auto& slot = by_kind[proposal.kind];
    slot.first += right;
    ++slot.second;
    if (proposal.confidence >= 0.9) {
      ++high;
      high_right += right;
    }
    if (!right && truth->cell_members.count(owner->second) > 0) {
      auto anchor = truth->owner.find(proposal.anchor);
      std::printf("WRONG %s (true %s) -> %s via anchor %s (true %s) p=%.3f [%s]\n  %s\n",
                  proposal.selector.c_str(), owner->second.c_str(), proposal.owner.c_str(),
                  proposal.anchor.c_str(),
                  anchor == truth->owner.end() ? "?" : anchor->second.c_str(), proposal.confidence,
                  proposal.kind.c_str(), proposal.evidence.c_str());
    }
  }
  std::printf("vetoed (concurrent SIMs): %lld\n",
              static_cast<long long>(analysis->vetoes.concurrent));
  std::printf("precision at >= 0.9: %.4f of %d\n", high ? double(high_right) / high : 0.0, high);
  for (const auto& [kind, counts] : by_kind) {
    std::printf("kind %-16s right %d of %d (%.4f)\n", kind.c_str(), counts.first, counts.second,
                counts.second ? double(counts.first) / counts.second : 0.0);
  }
  return 0;
}
