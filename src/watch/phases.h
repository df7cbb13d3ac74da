// The phases of one alert run (internal to vigil_watch). Each phase reads
// what it needs through the Store, appends alerts to ctx.alerts and state to
// ctx.batch; RaiseAlerts commits everything at once.
#ifndef VIGIL_WATCH_PHASES_H_
#define VIGIL_WATCH_PHASES_H_

#include <string>
#include <unordered_set>
#include <vector>

#include "vigil/store.h"
#include "vigil/watch.h"
#include "watch/roster.h"

namespace vigil::watch {

struct PhaseContext {
  Store& store;
  const WatchOptions& options;
  Roster& roster;
  std::vector<StoredAlert>* alerts;
  WatchBatch* batch;
  AlertRunStats* stats;
};

// New communications since the stored watermark: profiles of the watched
// people they touch, reactivation and new_contact alerts.
// Cost: O(new comms + touched profiles + their travel).
Status RunCommsPhase(PhaseContext& ctx);
// custody_overlap alerts. Cost: O(overlaps).
Status RunCustodyPhase(PhaseContext& ctx);
// Ids of the records a phase has already judged (report_id, record_id).
using SeenIds = std::unordered_set<std::string>;
// The ids stored one per line in the engine state under `key`; empty when the
// key is absent. Errors from the store are returned as they are.
Result<SeenIds> LoadSeenIds(Store& store, const std::string& key);
// report alerts, by person_id or by name, for reports not in *seen (which
// receives them). Cost: O(reports scanned + new reports * screening).
Status RunReportsPhase(PhaseContext& ctx, SeenIds* seen);
// watchlist_match alerts from the store's screening matches not alerted
// before. With `screening_inputs_changed` (travel, reports or the list
// changed) it first brings the store's screening up to date (ScreenStore:
// new records against the list, earlier records against newly listed
// entries). Cost: O(stored matches) when nothing changed; plus ScreenStore
// and one pass over travel, reports and the list when there are new matches.
Status RunWatchlistPhase(PhaseContext& ctx, bool screening_inputs_changed);
// review_due alerts. Cost: O(watched people).
Status RunReviewPhase(PhaseContext& ctx);

// Engine state keys.
inline constexpr char kCommsWatermarkKey[] = "comms_row";
inline constexpr char kLatestTimeKey[] = "latest_time";
inline constexpr char kEarliestTimeKey[] = "earliest_time";
std::string ProfileKey(std::string_view person_id);

}  // namespace vigil::watch

#endif  // VIGIL_WATCH_PHASES_H_
