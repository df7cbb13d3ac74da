// Screening of the store: travel records and reports against the stored
// watch list, on ingest and retroactively (issue 6).
//
// ScreenStore() keeps the store's screening up to date in one pass:
//  - every travel record and report (with a name) not yet screened is
//    screened against the whole watch list;
//  - every watch-list entry not yet screened retroactively (a newly listed
//    person) is screened against the records already screened in the last
//    `retro_days` days, so "was this person already seen?" is answered the
//    moment the person is listed. Such matches are flagged retroactive.
// Matches at or above the threshold are stored (Store::PutScreeningResults)
// with their score and explanation, together with marks saying what has been
// screened, so running it again after each ingest only does the new work.
//
// Cost: building the index, O(list names), plus one ScreeningIndex::Screen
// per new record and per (already screened record in the window) when new
// entries were listed (against an index of the new entries only). Memory:
// the index plus the sets of marks, O(list + screened records).
#ifndef VIGIL_SCREENING_H_
#define VIGIL_SCREENING_H_

#include <cstddef>
#include <vector>

#include "vigil/names.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil {

struct StoreScreeningOptions {
  double threshold = kDefaultScreeningThreshold;
  size_t top_k = 5;      // at most this many entries per record
  int retro_days = 365;  // how far back a newly listed entry looks
  // "Now" for the retroactive window (seconds since the epoch); 0 means the
  // time of the newest travel record or report in the store.
  UnixTime now = 0;
  UnixTime screened_at = 0;  // stamped on the matches; 0 means the clock
};

struct StoreScreeningReport {
  size_t entries = 0;             // watch-list entries indexed
  size_t new_entries = 0;         // of which listed since the last run
  size_t records_screened = 0;    // new records screened against the whole list
  size_t records_rescreened = 0;  // earlier records screened against new entries
  size_t rejected = 0;            // records whose name the normaliser refused
  size_t matches = 0;             // matches stored (both kinds)
  size_t retroactive_matches = 0;
  // The matches stored by this run, in record order.
  std::vector<StoredWatchlistMatch> stored;
};

// See the file comment. Errors from the store are returned as they are.
Result<StoreScreeningReport> ScreenStore(Store& store, const StoreScreeningOptions& options);

}  // namespace vigil

#endif  // VIGIL_SCREENING_H_
