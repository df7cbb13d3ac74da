// Alert states, and the default workbench methods of the Store for backends
// that do not keep triage or canvases: each returns Internal.
#include <array>

#include "vigil/store.h"

namespace vigil {
namespace {

constexpr std::array<std::string_view, kAlertStateCount> kAlertStateNames = {
    "open", "acknowledged", "assigned", "dismissed", "escalated"};

Status NotKept(std::string_view what) {
  return Status::Internal(std::string(what) + " is not supported by this store backend");
}

}  // namespace

std::string_view AlertStateName(AlertState state) {
  return kAlertStateNames[static_cast<size_t>(state)];
}

Result<AlertState> ParseAlertState(std::string_view text) {
  for (int i = 0; i < kAlertStateCount; ++i) {
    if (kAlertStateNames[i] == text) return static_cast<AlertState>(i);
  }
  return Status::InvalidArgument(
      "unknown alert state '" + std::string(text) +
      "' (expected open, acknowledged, assigned, dismissed or escalated)");
}

Result<StoredAlert> Store::GetAlert(std::string_view /*key*/) { return NotKept("GetAlert"); }
Status Store::PutAlertTriage(const AlertTriage& /*triage*/) { return NotKept("PutAlertTriage"); }
Status Store::ScanAlertTriage(const std::function<bool(const AlertTriage&)>& /*fn*/) {
  return NotKept("ScanAlertTriage");
}
Status Store::ScanAlertTriageHistory(std::string_view /*key*/,
                                     const std::function<bool(const AlertTriage&)>& /*fn*/) {
  return NotKept("ScanAlertTriageHistory");
}
Result<int64_t> Store::PutCanvas(const Canvas& /*canvas*/, int64_t /*expected_version*/) {
  return NotKept("PutCanvas");
}
Result<Canvas> Store::GetCanvas(const CaseRef& /*of_case*/, std::string_view /*name*/) {
  return NotKept("GetCanvas");
}
Status Store::ScanCanvases(const CaseRef& /*of_case*/,
                           const std::function<bool(const Canvas&)>& /*fn*/) {
  return NotKept("ScanCanvases");
}
Status Store::DeleteCanvas(const CaseRef& /*of_case*/, std::string_view /*name*/,
                           int64_t /*expected_version*/) {
  return NotKept("DeleteCanvas");
}

}  // namespace vigil
