// Owner clusters built from scored links, strongest first, under analysts'
// and sources' constraints (internal to src/resolve).
#ifndef VIGIL_RESOLVE_CLUSTERS_H_
#define VIGIL_RESOLVE_CLUSTERS_H_

#include <string>
#include <vector>

#include "resolve/links.h"
#include "resolve/observations.h"
#include "vigil/store.h"

namespace vigil::resolve {

// What is already decided about owners: source and confirmed attributions
// make a selector's owner known; rejected ones forbid a (selector, person).
struct Decisions {
  std::vector<std::string> persons;    // person index -> person_id
  std::vector<int32_t> known_owner;    // by selector index; -1 when unknown
  std::vector<std::string> known_how;  // "source" / "confirmed" by selector (empty if unknown)
  std::vector<std::pair<SelectorIndex, int32_t>> rejected;  // (selector, person), sorted
};

// Reads the store's attributions; proposed ones are ignored (a run replaces
// them). Time O(A + S) for A attributions and S selectors.
Result<Decisions> LoadDecisions(Store& store, const Observations& obs);

// One selector's place in the clustering.
struct Placement {
  int32_t owner = -1;         // person index, or -1 for an unknown owner
  SelectorIndex anchor = 0;   // the known selector or cluster anchor it hangs from
  double confidence = 0;      // product of link probabilities on the path
  SelectorIndex parent = 0;   // next selector on the path to the anchor (0 at the anchor)
  const Link* via = nullptr;  // the link to `parent`
};

// Concurrent use: two SIMs that were both used on many of the same days
// belong to two people (one person uses one SIM at a time; a hand-over
// overlaps by a few days at most). The index of each SIM's active days is
// built once per run (Analyse) and shared by every placement pass and by the
// proposals' notes; the veto's threshold is the caller's.
class ConcurrentUse {
 public:
  ConcurrentUse() = default;
  // Time O(P log P) for P place-days of SIMs; memory O(P).
  explicit ConcurrentUse(const Observations& obs);
  // Days on which both selectors sent a communication from a known cell.
  // O(days of a + days of b).
  int SharedDays(SelectorIndex a, SelectorIndex b) const;
  // Whether the two SIMs shared at least `min_shared_days` days (0 or less:
  // never; the test is off).
  bool Concurrent(SelectorIndex a, SelectorIndex b, int min_shared_days) const {
    return min_shared_days > 0 && SharedDays(a, b) >= min_shared_days;
  }
  // Whether `s` is a SIM the test covers (seen, with place-days).
  bool Covers(SelectorIndex s) const {
    return s + 1 < offsets_.size() && offsets_[s + 1] > offsets_[s];
  }

 private:
  std::vector<uint64_t> offsets_;  // CSR by selector index
  std::vector<uint16_t> days_;     // distinct active days, sorted per selector
};

// What PlaceSelectors refused: links that would have joined two SIMs in
// concurrent use (see ConcurrentUse).
struct PlacementVetoes {
  int64_t concurrent = 0;
};

// Merges `links` (probability >= options.min_link_probability) into
// clusters by Kruskal's rule, strongest first, skipping a link that would
// join two different known owners, a selector with a person it was rejected
// for, or two SIMs in concurrent use (ConcurrentUse with
// options.min_concurrent_days over `concurrent`, the run's index of `obs`;
// a known person's SIMs count as the person's cluster's), so that no cluster
// holds a contradiction; then finds for each selector the strongest path to
// its anchor. Returns one placement per selector index (anchor 0 for
// selectors in no cluster). Time O(L log L + S log S + sum over merges of
// |SIMs left| x |SIMs right| x days); memory O(S + L).
std::vector<Placement> PlaceSelectors(const Observations& obs, const Decisions& decisions,
                                      const std::vector<Link>& links,
                                      const ConcurrentUse& concurrent,
                                      const ResolveOptions& options,
                                      PlacementVetoes* vetoes = nullptr);

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_CLUSTERS_H_
