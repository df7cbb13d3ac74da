// Default implementations of the Store's windowed reads for ranking: the
// full scans, filtered. Same rows and order as a backend's own version.
#include <algorithm>

#include "vigil/store.h"

namespace vigil {

Status Store::ScanAlertsBetween(UnixTime from, UnixTime to, const std::vector<std::string>& kinds,
                                const std::function<bool(const StoredAlert&)>& fn) {
  return ScanAlerts("", [&](const StoredAlert& alert) {
    if (alert.time < from || alert.time > to) return true;
    if (std::find(kinds.begin(), kinds.end(), alert.kind) == kinds.end()) return true;
    return fn(alert);
  });
}

Status Store::ScanTravelBetween(UnixTime from, UnixTime to,
                                const std::function<bool(const TravelRecord&)>& fn) {
  return ScanTravel([&](const TravelRecord& record) {
    if (record.time < from || record.time > to) return true;
    return fn(record);
  });
}

}  // namespace vigil
