// The names of the model's enumerations, exactly as formats.md writes them.
#include "vigil/model.h"

namespace vigil {

std::string_view PersonStatusName(PersonStatus s) {
  switch (s) {
    case PersonStatus::kSubject:
      return "subject";
    case PersonStatus::kAssociate:
      return "associate";
    case PersonStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

// CommKind::kUnknown is written as an empty cell ("unknown" in formats.md).
std::string_view CommKindName(CommKind k) {
  switch (k) {
    case CommKind::kCall:
      return "call";
    case CommKind::kSms:
      return "sms";
    case CommKind::kMsg:
      return "msg";
    case CommKind::kEmail:
      return "email";
    case CommKind::kUnknown:
      return "";
  }
  return "";
}

std::string_view ReportCategoryName(ReportCategory c) {
  switch (c) {
    case ReportCategory::kBehaviourChange:
      return "behaviour_change";
    case ReportCategory::kContact:
      return "contact";
    case ReportCategory::kTravel:
      return "travel";
    case ReportCategory::kWeapon:
      return "weapon";
    case ReportCategory::kOther:
      return "other";
  }
  return "other";
}

// Handling::kUnset is written as an empty cell.
std::string_view HandlingName(Handling h) {
  switch (h) {
    case Handling::kRed:
      return "red";
    case Handling::kAmber:
      return "amber";
    case Handling::kGreen:
      return "green";
    case Handling::kClear:
      return "clear";
    case Handling::kUnset:
      return "";
  }
  return "";
}

std::string_view AttributionStateName(AttributionState s) {
  switch (s) {
    case AttributionState::kProposed:
      return "proposed";
    case AttributionState::kConfirmed:
      return "confirmed";
    case AttributionState::kRejected:
      return "rejected";
    case AttributionState::kSource:
      return "source";
  }
  return "source";
}

std::string_view InputKindName(InputKind k) {
  switch (k) {
    case InputKind::kPersons:
      return "persons";
    case InputKind::kSelectors:
      return "selectors";
    case InputKind::kComms:
      return "comms";
    case InputKind::kTravel:
      return "travel";
    case InputKind::kCustody:
      return "custody";
    case InputKind::kReports:
      return "reports";
    case InputKind::kWatchlist:
      return "watchlist";
  }
  return "";
}

std::optional<InputKind> InputKindFromFileName(std::string_view file_name) {
  constexpr InputKind kAllKinds[] = {
      InputKind::kPersons, InputKind::kSelectors, InputKind::kComms,    InputKind::kTravel,
      InputKind::kCustody, InputKind::kReports,   InputKind::kWatchlist};
  constexpr std::string_view kExtensions[] = {".csv", ".jsonl"};
  const size_t slash = file_name.find_last_of('/');
  const std::string_view base =
      slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  for (const InputKind kind : kAllKinds) {
    const std::string_view stem = InputKindName(kind);
    if (base.size() <= stem.size() || base.substr(0, stem.size()) != stem) continue;
    const std::string_view extension = base.substr(stem.size());
    for (const std::string_view allowed : kExtensions) {
      if (extension == allowed) return kind;
    }
  }
  return std::nullopt;
}

}  // namespace vigil
