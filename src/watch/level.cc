// Watch levels: names, defaults, and storing an analyst's choice.
#include <unordered_map>

#include "vigil/watch.h"

namespace vigil {

std::string_view WatchLevelName(WatchLevel level) {
  switch (level) {
    case WatchLevel::kActive:
      return "active";
    case WatchLevel::kDormant:
      return "dormant";
    case WatchLevel::kClosed:
      return "closed";
  }
  return "closed";
}

Result<WatchLevel> ParseWatchLevel(std::string_view text) {
  if (text == "active") return WatchLevel::kActive;
  if (text == "dormant") return WatchLevel::kDormant;
  if (text == "closed") return WatchLevel::kClosed;
  return Status::InvalidArgument("watch level must be active, dormant or closed, not '" +
                                 std::string(text) + "'");
}

// A known subject is under active watch until an analyst says otherwise;
// associates and people of unknown standing are not watched by default
// (an analyst may put them on dormant watch).
WatchLevel DefaultWatchLevel(PersonStatus status) {
  return status == PersonStatus::kSubject ? WatchLevel::kActive : WatchLevel::kClosed;
}

Status SetWatchLevel(Store& store, std::string_view person_id, WatchLevel level,
                     std::string_view reason, std::string_view set_by, UnixTime at, bool reviewed) {
  WatchRecord record;
  record.person_id = std::string(person_id);
  // Keep an earlier review time unless this call records a review.
  VIGIL_RETURN_IF_ERROR(store.ScanWatchRecords([&](const WatchRecord& old) {
    if (old.person_id != person_id) return true;
    record.last_review = old.last_review;
    return false;
  }));
  record.state = static_cast<int>(level);
  record.reason = std::string(reason);
  record.set_by = std::string(set_by);
  record.set_at = at;
  if (reviewed) record.last_review = at;
  return store.PutWatchRecord(record);
}

Result<std::vector<PersonWatch>> LoadWatchLevels(Store& store) {
  std::unordered_map<std::string, WatchRecord> stored;
  VIGIL_RETURN_IF_ERROR(store.ScanWatchRecords([&](const WatchRecord& record) {
    stored.emplace(record.person_id, record);
    return true;
  }));
  std::vector<PersonWatch> levels;
  VIGIL_RETURN_IF_ERROR(store.ScanPersons([&](const Person& person) {
    PersonWatch watch;
    watch.person_id = person.person_id;
    auto it = stored.find(person.person_id);
    if (it == stored.end()) {
      watch.level = DefaultWatchLevel(person.status);
    } else {
      watch.level = static_cast<WatchLevel>(it->second.state);
      watch.stored = true;
      watch.last_review = it->second.last_review;
    }
    levels.push_back(std::move(watch));
    return true;
  }));
  return levels;
}

// Conflict zones (ISO countries) and the airports nearest the Syrian border
// used to cross it (Gaziantep, Hatay, Sanliurfa, Adana). Configurable per run.
std::vector<std::string> DefaultConcernPlaces() {
  return {"SY", "IQ", "AF", "YE", "SO", "LY", "ML", "GZT", "HTY", "GNY", "ADA", "ASR"};
}

}  // namespace vigil
