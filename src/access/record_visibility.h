// Which records without a compartment column of their own (communications,
// travel records, reports naming no known person, alerts) a principal may
// see. Private to src/access; AccessStore builds one per principal.
//
// The rule (README.md, "Records that are not persons"):
//   - A selector belongs to the compartments of its owners: the persons of
//     its source and confirmed attributions, or, when it has none, of its
//     proposed ones. Rejected attributions never count. A selector with no
//     owner is unowned.
//   - A communication belongs to the owners of its ends (src, dst and the
//     handset). It is visible when at least one of those owners is: it is
//     that person's traffic (the other end's owner stays hidden, since
//     attributions are filtered on their own). When no end has an owner it
//     belongs to the default compartment.
//   - A travel record belongs to the owners of its document. With no owner
//     (or no document) it belongs to its `x_compartment` column if it has
//     one, else to the default compartment. Reports naming no known person
//     follow the same fallback.
//   - An alert belongs to its person; an alert about no known person to the
//     default compartment.
#ifndef VIGIL_ACCESS_RECORD_VISIBILITY_H_
#define VIGIL_ACCESS_RECORD_VISIBILITY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vigil/access.h"
#include "vigil/model.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil {

class RecordVisibility {
 public:
  // Whether a person (by id) is visible to the principal; false for unknown
  // persons.
  using PersonVisibleFn = std::function<bool(const std::string& person_id)>;

  // Reads every attribution of `inner` once to learn the owners of each
  // selector. A principal that sees every compartment (setup mode or a grant
  // of "*") skips the scan. Cost: O(attributions) time; O(selectors) memory
  // (one byte per selector id plus a map entry per attributed selector).
  static Result<RecordVisibility> Build(Store& inner, const Principal& principal,
                                        const PersonVisibleFn& person_visible);

  // True when the principal sees every record (no filtering needed).
  bool everything() const { return everything_; }
  // Whether this was built for a principal with the same rights as
  // `principal` (a server changes its context's principal per request).
  bool BuiltFor(const Principal& principal) const {
    return principal.setup == principal_.setup && principal.role == principal_.role &&
           principal.compartments == principal_.compartments;
  }
  // Setup mode or a grant of "*".
  static bool SeesEveryCompartment(const Principal& principal);

  // Each is O(1) (hash lookups).
  bool CommVisible(const CommEdge& edge) const;
  bool CommVisible(const Communication& comm) const;
  bool TravelVisible(const TravelRecord& travel) const;
  // A record with no owner: its `x_compartment` attribute, else the default
  // compartment.
  bool UnownedVisible(const Attributes& attributes) const;
  // A selector by its own owners: visible owner, or no owner and the default
  // compartment. (A selector is also shown when it is an end of a visible
  // communication or the document of a visible travel record; AccessStore
  // adds those.)
  bool SelectorVisible(int64_t selector_id) const;
  // Whether a selector has an owner at all (visible or not).
  bool SelectorOwned(std::string_view selector) const {
    return OwnerByText(selector) != Owner::kNone;
  }

  // Seen in full, the test of writes that join or replace (README.md,
  // "Writes"): the principal sees every compartment the record belongs to,
  // not only one of them. Each is O(1) per selector named (hash lookups).
  //   - A selector's current owners (decided, else proposed) are all
  //     visible; true for an unowned selector.
  bool OwnersSeenInFull(std::string_view selector) const;
  //   - Every end of a communication that has an owner has only visible
  //     owners; a call between unowned ends belongs to the default
  //     compartment.
  bool CommSeenInFull(const Communication& comm) const;
  bool CommSeenInFull(const CommEdge& edge) const;
  //   - A travel record's document owners are all visible; with no owner,
  //     its x_compartment, else the default compartment.
  bool TravelSeenInFull(const TravelRecord& travel) const;

 private:
  enum class Owner : uint8_t { kNone = 0, kVisible = 1, kHidden = 2 };

  explicit RecordVisibility(const Principal& principal) : principal_(principal) {}
  Owner OwnerById(int64_t selector_id) const;
  Owner OwnerByText(std::string_view selector) const;
  // Any end visible: yes; else any end owned: no; else the default compartment.
  bool EndsVisible(std::initializer_list<Owner> ends) const;
  bool OwnersSeenInFull(int64_t selector_id) const;

  Principal principal_;
  bool everything_ = false;
  std::vector<Owner> by_id_;                        // indexed by selector id
  std::unordered_map<std::string, Owner> by_text_;  // attributed selectors only
  // Visible-owned selectors whose current owners include a hidden one too.
  std::unordered_set<std::string> partly_hidden_;
  std::vector<bool> partly_hidden_id_;  // the same, indexed by selector id
};

}  // namespace vigil

#endif  // VIGIL_ACCESS_RECORD_VISIBILITY_H_
