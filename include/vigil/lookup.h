// Look-ups an analyst makes about one person: the dossier ("subject show")
// and the timeline of every event of the person and their selectors.
//
// Both read through the Store interface only, so they work on any backend.
// Thread-safety: as the Store passed in.
#ifndef VIGIL_LOOKUP_H_
#define VIGIL_LOOKUP_H_

#include <optional>
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
