// Default implementations of the Store's long-term watch methods for
// backends that do not keep watch data: each returns Internal, so analysis
// code gets a clear error instead of silently empty results.
#include "vigil/store.h"

namespace vigil {
namespace {

Status NotKept(std::string_view what) {
  return Status::Internal(std::string(what) + " is not supported by this store backend");
}

}  // namespace

Status Store::PutWatchRecord(const WatchRecord& /*record*/) { return NotKept("PutWatchRecord"); }

Status Store::ScanWatchRecords(const std::function<bool(const WatchRecord&)>& /*fn*/) {
  return NotKept("ScanWatchRecords");
}

Status Store::CommitWatchBatch(const WatchBatch& /*batch*/, std::vector<size_t>* /*fresh*/) {
  return NotKept("CommitWatchBatch");
}

Status Store::ScanAlerts(std::string_view /*person_id*/,
                         const std::function<bool(const StoredAlert&)>& /*fn*/) {
  return NotKept("ScanAlerts");
}

Result<std::optional<std::string>> Store::GetWatchState(std::string_view /*key*/) {
  return NotKept("GetWatchState");
}

Status Store::ScanCommEdgesAfter(int64_t /*after_row*/,
                                 const std::function<bool(int64_t, const CommEdge&)>& /*fn*/) {
  return NotKept("ScanCommEdgesAfter");
}

Status Store::ScanAttributionIds(const std::function<bool(int64_t, const Attribution&)>& /*fn*/) {
  return NotKept("ScanAttributionIds");
}

}  // namespace vigil
