// Reads what the alert engine's profiles know, for other modules (ranking).
#include "vigil/watch.h"
#include "watch/phases.h"
#include "watch/profile.h"

namespace vigil {

Result<std::vector<WatchedTie>> LoadWatchedTies(Store& store) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<PersonWatch> levels, LoadWatchLevels(store));
  std::vector<WatchedTie> ties;
  for (const PersonWatch& watch : levels) {
    if (watch.level == WatchLevel::kClosed) continue;
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> blob,
                           store.GetWatchState(watch::ProfileKey(watch.person_id)));
    if (!blob) continue;
    VIGIL_ASSIGN_OR_RETURN(watch::Profile profile, watch::ParseProfile(watch.person_id, *blob));
    for (const auto& [other, last] : profile.counterparts) {
      if (watch.person_id < other) ties.push_back({watch.person_id, other, last});
    }
  }
  return ties;
}

namespace {

Result<UnixTime> StoredTime(Store& store, const char* key) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> value, store.GetWatchState(key));
  if (!value) return UnixTime{0};
  try {
    return static_cast<UnixTime>(std::stoll(*value));
  } catch (...) {
    return Status::Corruption(std::string("watch state '") + key + "' is not a number");
  }
}

}  // namespace

Result<UnixTime> LatestDataTime(Store& store) { return StoredTime(store, watch::kLatestTimeKey); }

Result<UnixTime> EarliestDataTime(Store& store) {
  return StoredTime(store, watch::kEarliestTimeKey);
}

}  // namespace vigil
