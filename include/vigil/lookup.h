// Look-ups an analyst makes about one person: the dossier ("subject show")
// and the timeline of every event of the person and their selectors.
//
// Both read through the Store interface only, so they work on any backend.
// Thread-safety: as the Store passed in.
#ifndef VIGIL_LOOKUP_H_
#define VIGIL_LOOKUP_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/model.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil {

// A selector attributed to the person, with the selectors.csv record when
// there is one.
struct DossierSelector {
  Attribution attribution;
  std::optional<SelectorRecord> record;
};

struct Dossier {
  Person person;
  std::vector<DossierSelector> selectors;      // every attribution, any state
  std::vector<CustodyRecord> custody;
  std::vector<Report> reports;
  std::vector<TravelRecord> travel;            // by the person's documents
  std::vector<WatchlistEntry> watchlist;       // entries naming the person
};

// Loads everything known about `person_id`. NotFound when there is no such
// person. Watch-list entries are those whose name or an alias equals the
// person's name or an alias after case folding and whitespace collapsing
// (screening finds spelling variants; this is the exact look-up).
// Cost: O(the person's records + watch-list size).
Result<Dossier> LoadDossier(Store& store, std::string_view person_id);

// The watch-list entries by folded name and alias (the dossier's exact
// comparison), so that a dossier need not read the whole list: it holds
// entry ids only, and a dossier reads each candidate through its Store
// (authorised and audited there). Build it from a store that sees every
// entry; it is a snapshot: rebuild it when Store::IngestGeneration moves.
// Cost: Build O(entries x names) time and memory; EntriesNaming
// O(names x log n + candidates). Thread-safety: const methods may be called
// from any number of threads.
class WatchlistNameIndex {
 public:
  // Reads every entry of `store` once.
  static Result<WatchlistNameIndex> Build(Store& store);
  // Ids of the entries with a folded name or alias in `folded_names`,
  // sorted and unique.
  std::vector<std::string> EntriesNaming(const std::set<std::string>& folded_names) const;
  size_t name_count() const { return by_name_.size(); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> by_name_;
};

// LoadDossier with the watch-list entries found through `index` instead of
// a scan of the list: the same dossier while the index is current (entries
// the caller may not see are left out, as before), each shown entry audited
// as a read of that entry. Cost: O(the person's records + candidates).
Result<Dossier> LoadDossier(Store& store, std::string_view person_id,
                            const WatchlistNameIndex& index);

struct TimelineEvent {
  UnixTime time = 0;
  std::string kind;      // "call", "sms", "msg", "email", "travel", "custody_start",
                         // "custody_end", "report"
  std::string selector;  // the person's selector involved, or ""
  std::string detail;    // a readable one-line description
};

struct TimelineWindow {
  std::optional<UnixTime> from;  // inclusive
  std::optional<UnixTime> to;    // exclusive
};

// Every event of the person and of the selectors attributed to them (source
// or confirmed attributions), in time order (ties keep a stable order).
// NotFound when there is no such person. Cost: O(k log k) for k events.
Result<std::vector<TimelineEvent>> LoadTimeline(Store& store, std::string_view person_id,
                                                const TimelineWindow& window);

}  // namespace vigil

#endif  // VIGIL_LOOKUP_H_
