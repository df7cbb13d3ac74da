// Alert states, match decisions and match keys, and the default workbench
// methods of the Store for backends that do not keep triage, canvases or
// match decisions: each returns Internal.
#include <array>

#include "vigil/store.h"

namespace vigil {
namespace {

constexpr std::array<std::string_view, kAlertStateCount> kAlertStateNames = {
    "open", "acknowledged", "assigned", "dismissed", "escalated"};

constexpr std::array<std::string_view, 2> kMatchDecisionNames = {"confirmed", "dismissed"};

// '%' and '/' escaped, so that '/' separates the parts of a match key.
void AppendEscaped(std::string& out, std::string_view id) {
  for (char c : id) {
    if (c == '%') {
      out += "%25";
    } else if (c == '/') {
      out += "%2F";
    } else {
      out += c;
    }
  }
}

Result<std::string> Unescaped(std::string_view part, std::string_view key) {
  std::string out;
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] != '%') {
      out += part[i];
      continue;
    }
    const std::string_view code = part.substr(i + 1, 2);
    if (code == "25") {
      out += '%';
    } else if (code == "2F" || code == "2f") {
      out += '/';
    } else {
      return Status::InvalidArgument("match key '" + std::string(key) +
                                     "': only %25 and %2F are escapes");
    }
    i += 2;
  }
  return out;
}

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

std::string_view MatchDecisionName(MatchDecisionKind kind) {
  return kMatchDecisionNames[static_cast<size_t>(kind)];
}

Result<MatchDecisionKind> ParseMatchDecision(std::string_view text) {
  if (text == "confirm" || text == "confirmed") return MatchDecisionKind::kConfirmed;
  if (text == "dismiss" || text == "dismissed") return MatchDecisionKind::kDismissed;
  return Status::InvalidArgument("unknown match decision '" + std::string(text) +
                                 "' (expected confirm or dismiss)");
}

std::string MatchKey(InputKind source_kind, std::string_view source_id, std::string_view entry_id) {
  std::string key = source_kind == InputKind::kTravel ? "travel/" : "report/";
  AppendEscaped(key, source_id);
  key += '/';
  AppendEscaped(key, entry_id);
  return key;
}

Result<MatchDecision> ParseMatchKey(std::string_view key) {
  const size_t first = key.find('/');
  const size_t last = key.rfind('/');
  if (first == std::string_view::npos || first == last || key.find('/', first + 1) != last) {
    return Status::InvalidArgument("match key '" + std::string(key) +
                                   "': expected travel/<record>/<entry> or "
                                   "report/<report>/<entry>");
  }
  MatchDecision out;
  const std::string_view kind = key.substr(0, first);
  if (kind == "travel") {
    out.source_kind = InputKind::kTravel;
  } else if (kind == "report") {
    out.source_kind = InputKind::kReports;
  } else {
    return Status::InvalidArgument("match key '" + std::string(key) +
                                   "': the kind is travel or report");
  }
  VIGIL_ASSIGN_OR_RETURN(out.source_id, Unescaped(key.substr(first + 1, last - first - 1), key));
  VIGIL_ASSIGN_OR_RETURN(out.entry_id, Unescaped(key.substr(last + 1), key));
  if (out.source_id.empty() || out.entry_id.empty()) {
    return Status::InvalidArgument("match key '" + std::string(key) + "': an empty part");
  }
  return out;
}

Status Store::PutMatchDecision(const MatchDecision& /*decision*/) {
  return NotKept("PutMatchDecision");
}
Status Store::ScanMatchDecisions(const std::function<bool(const MatchDecision&)>& /*fn*/) {
  return NotKept("ScanMatchDecisions");
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

Status Store::PutProtectPlan(const ProtectPlanRecord& /*plan*/) {
  return NotKept("PutProtectPlan");
}
Result<ProtectPlanRecord> Store::GetProtectPlan(std::string_view /*id*/) {
  return NotKept("GetProtectPlan");
}
Status Store::ApproveProtectPlan(std::string_view /*id*/, std::string_view /*approved_by*/,
                                 UnixTime /*approved_at*/, std::string_view /*reason*/) {
  return NotKept("ApproveProtectPlan");
}
Status Store::ScanProtectPlans(const std::function<bool(const ProtectPlanRecord&)>& /*fn*/) {
  return NotKept("ScanProtectPlans");
}

Status Store::PutSharePartner(const SharePartner& /*partner*/) {
  return NotKept("PutSharePartner");
}
Status Store::ScanSharePartners(const std::function<bool(const SharePartner&)>& /*fn*/) {
  return NotKept("ScanSharePartners");
}
Result<int64_t> Store::PutShareAgreement(const ShareAgreement& /*agreement*/) {
  return NotKept("PutShareAgreement");
}
Status Store::ScanShareAgreements(const std::function<bool(const ShareAgreement&)>& /*fn*/) {
  return NotKept("ScanShareAgreements");
}
Status Store::PutShareMessage(const ShareMessage& /*message*/, const ShareEvent& /*first*/) {
  return NotKept("PutShareMessage");
}
Result<ShareMessage> Store::GetShareMessage(int /*direction*/, std::string_view /*partner*/,
                                            std::string_view /*message_id*/) {
  return NotKept("GetShareMessage");
}
Status Store::ScanShareMessages(const std::function<bool(const ShareMessage&)>& /*fn*/) {
  return NotKept("ScanShareMessages");
}
Status Store::UpdateShareDelivery(const ShareMessage& /*message*/, const ShareEvent& /*event*/) {
  return NotKept("UpdateShareDelivery");
}
Status Store::AppendShareEvent(const ShareEvent& /*event*/) { return NotKept("AppendShareEvent"); }
Status Store::ScanShareEvents(const std::function<bool(const ShareEvent&)>& /*fn*/) {
  return NotKept("ScanShareEvents");
}

}  // namespace vigil
