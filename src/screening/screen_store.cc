// ScreenStore: screening of stored travel and reports against the stored
// watch list, on ingest and retroactively (see vigil/screening.h).
#include <algorithm>
#include <chrono>
#include <string>
#include <unordered_set>
#include <vector>

#include "vigil/screening.h"

namespace vigil {
namespace {

constexpr UnixTime kSecondsPerDay = 86400;

// A record to screen, whichever file it came from.
struct Sighting {
  InputKind kind = InputKind::kTravel;
  std::string id;
  UnixTime time = 0;
  ScreeningQuery query;
};

struct Marks {
  std::unordered_set<std::string> travel;
  std::unordered_set<std::string> reports;
  std::unordered_set<std::string> entries;

  bool Screened(const Sighting& sighting) const {
    const auto& set = sighting.kind == InputKind::kTravel ? travel : reports;
    return set.count(sighting.id) > 0;
  }
};

Result<Marks> LoadMarks(Store& store) {
  Marks marks;
  VIGIL_RETURN_IF_ERROR(store.ScanScreeningMarks([&marks](const ScreeningMark& mark) {
    if (mark.kind == InputKind::kTravel) marks.travel.insert(mark.id);
    if (mark.kind == InputKind::kReports) marks.reports.insert(mark.id);
    if (mark.kind == InputKind::kWatchlist) marks.entries.insert(mark.id);
    return true;
  }));
  return marks;
}

// Every travel record, and every report that names someone, in store order.
Result<std::vector<Sighting>> LoadSightings(Store& store) {
  std::vector<Sighting> sightings;
  VIGIL_RETURN_IF_ERROR(store.ScanTravel([&sightings](const TravelRecord& record) {
    sightings.push_back({InputKind::kTravel,
                         record.record_id,
                         record.time,
                         {record.name, record.birth_date, record.nationality}});
    return true;
  }));
  VIGIL_RETURN_IF_ERROR(store.ScanReports([&sightings](const Report& report) {
    if (report.name.empty()) return true;  // about a known person_id: nothing to screen
    sightings.push_back(
        {InputKind::kReports, report.report_id, report.time, {report.name, "", ""}});
    return true;
  }));
  return sightings;
}

UnixTime ClockNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Screens one sighting and appends its matches.
void Screen(const ScreeningIndex& index, const Sighting& sighting,
            const StoreScreeningOptions& options, bool retroactive, UnixTime screened_at,
            StoreScreeningReport* report, std::vector<StoredWatchlistMatch>* matches) {
  ScreeningOptions screening;
  screening.threshold = options.threshold;
  screening.top_k = options.top_k;
  Result<std::vector<ScreeningMatch>> found = index.Screen(sighting.query, screening);
  if (!found.ok()) {
    ++report->rejected;
    return;
  }
  for (ScreeningMatch& match : *found) {
    matches->push_back({sighting.kind, sighting.id, match.entry_id, match.score,
                        std::move(match.explanation), sighting.time, screened_at, retroactive});
  }
}

}  // namespace

Result<StoreScreeningReport> ScreenStore(Store& store, const StoreScreeningOptions& options) {
  StoreScreeningReport report;
  VIGIL_ASSIGN_OR_RETURN(Marks marks, LoadMarks(store));
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> whole, NewScreeningIndex());
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> listed_now, NewScreeningIndex());
  std::vector<ScreeningMark> new_marks;
  VIGIL_RETURN_IF_ERROR(store.ScanWatchlist([&](const WatchlistEntry& entry) {
    const ScreeningEntry screening = ScreeningEntryFromWatchlist(entry);
    if (!whole->Add(screening).ok()) return true;  // no usable name: nothing to match
    ++report.entries;
    if (marks.entries.count(entry.entry_id) == 0) {
      ++report.new_entries;
      (void)listed_now->Add(screening);
      new_marks.push_back({InputKind::kWatchlist, entry.entry_id});
    }
    return true;
  }));
  VIGIL_ASSIGN_OR_RETURN(std::vector<Sighting> sightings, LoadSightings(store));
  UnixTime now = options.now;
  if (now == 0) {
    for (const Sighting& sighting : sightings) now = std::max(now, sighting.time);
  }
  const UnixTime window_start = now - static_cast<UnixTime>(options.retro_days) * kSecondsPerDay;
  const UnixTime screened_at = options.screened_at != 0 ? options.screened_at : ClockNow();
  std::vector<StoredWatchlistMatch> matches;
  for (const Sighting& sighting : sightings) {
    if (!marks.Screened(sighting)) {
      ++report.records_screened;
      Screen(*whole, sighting, options, /*retroactive=*/false, screened_at, &report, &matches);
      new_marks.push_back({sighting.kind, sighting.id});
    } else if (listed_now->EntryCount() > 0 && sighting.time >= window_start) {
      ++report.records_rescreened;
      Screen(*listed_now, sighting, options, /*retroactive=*/true, screened_at, &report, &matches);
    }
  }
  for (const StoredWatchlistMatch& match : matches) {
    ++report.matches;
    report.retroactive_matches += match.retroactive;
  }
  VIGIL_RETURN_IF_ERROR(store.PutScreeningResults(matches, new_marks));
  report.stored = std::move(matches);
  return report;
}

}  // namespace vigil
