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

// Merges `links` (probability >= min_probability) into clusters by Kruskal's
// rule, strongest first, skipping a link that would join two different known
// owners or a selector with a person it was rejected for; then finds for each
// selector the strongest path to its anchor. Returns one placement per
// selector index (anchor 0 for selectors in no cluster). Time O(L log L +
// S log S); memory O(S + L).
std::vector<Placement> PlaceSelectors(const Observations& obs, const Decisions& decisions,
                                      const std::vector<Link>& links, double min_probability);

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_CLUSTERS_H_
