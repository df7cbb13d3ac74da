// The alert engine's in-memory view of who is who (internal to vigil_watch):
// every person's dense index, who is watched, which person owns each
// attributed selector (by the store's dense selector id), who shared custody
// with whom, and the places of concern.
//
// Memory: O(persons + attributed selectors + custody overlaps).
#ifndef VIGIL_WATCH_ROSTER_H_
#define VIGIL_WATCH_ROSTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vigil/store.h"
#include "vigil/watch.h"

namespace vigil::watch {

using PersonIndex = int32_t;
inline constexpr PersonIndex kNoPerson = -1;

// Who owns a selector, and how much the attribution is trusted (1 for
// source/confirmed, options.proposed_weight * confidence for proposed).
struct Owner {
  PersonIndex person = kNoPerson;
  double weight = 0;
  double proposed = 0;  // the confidence of a proposed (unconfirmed) attribution, else 0
};

// Two stays in one facility that overlapped.
struct CustodyOverlap {
  PersonIndex a = kNoPerson;
  PersonIndex b = kNoPerson;
  std::string facility;
  std::string from;  // "YYYY-MM-DD": start of the overlap
  std::string to;    // end of the overlap, "" while ongoing
};

class Roster {
 public:
  // Loads persons, watch levels and attributions from the store.
  // Cost: O(persons + attributions).
  static Result<Roster> Load(Store& store, const WatchOptions& options);

  // Loads custody stays and finds overlaps. Cost: O(stays log stays +
  // overlaps).
  Status LoadCustody(Store& store);

  size_t person_count() const { return ids_.size(); }
  const std::string& id(PersonIndex p) const { return ids_[p]; }
  PersonIndex Find(std::string_view person_id) const;
  bool watched(PersonIndex p) const { return p >= 0 && watched_[p] != 0; }
  const std::vector<PersonIndex>& watched_people() const { return watched_list_; }
  // Names, aliases, legal basis and review date are kept for watched people only.
  const Person& person(PersonIndex p) const { return persons_[p]; }
  // The owner of a selector id; person == kNoPerson when unattributed.
  Owner OwnerOf(int64_t selector_id) const;
  // Selector texts attributed to a person (documents for travel look-ups).
  const std::vector<std::string>& SelectorsOf(PersonIndex p) const;
  bool IsCoDetainee(PersonIndex a, PersonIndex b) const;
  const std::vector<CustodyOverlap>& overlaps() const { return overlaps_; }
  bool IsConcernPlace(std::string_view place) const;
  // Changes whenever an attribution is added or an analyst decides one.
  const std::string& attribution_fingerprint() const { return attribution_fingerprint_; }

 private:
  std::vector<std::string> ids_;
  std::vector<Person> persons_;
  std::unordered_map<std::string, PersonIndex> index_;
  std::vector<uint8_t> watched_;
  std::vector<PersonIndex> watched_list_;
  std::vector<Owner> owners_;  // by selector id; beyond its end: unattributed
  std::unordered_map<PersonIndex, std::vector<std::string>> selectors_;
  std::unordered_set<uint64_t> codetainees_;  // (a << 32 | b) both ways
  std::vector<CustodyOverlap> overlaps_;
  std::unordered_set<std::string> concern_;
  std::string attribution_fingerprint_;
};

}  // namespace vigil::watch

#endif  // VIGIL_WATCH_ROSTER_H_
