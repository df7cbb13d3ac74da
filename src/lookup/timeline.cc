#include <algorithm>
#include <set>

#include "vigil/lookup.h"

namespace vigil {
namespace {

bool InWindow(UnixTime time, const TimelineWindow& window) {
  return (!window.from || time >= *window.from) && (!window.to || time < *window.to);
}

// Selectors the person is known to use: source or analyst-confirmed.
Result<std::vector<std::string>> OwnedSelectors(Store& store, std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(auto attributions, store.AttributionsOfPerson(person_id));
  std::vector<std::string> selectors;
  for (const auto& a : attributions) {
    if (a.state == AttributionState::kSource || a.state == AttributionState::kConfirmed) {
      selectors.push_back(a.selector);
    }
  }
  return selectors;
}

std::string DescribeComm(const Communication& comm, bool outgoing) {
  std::string detail = outgoing ? comm.src + " -> " + comm.dst : comm.dst + " <- " + comm.src;
  std::string extras;
  if (comm.duration_s) extras += std::to_string(*comm.duration_s) + " s";
  if (!comm.cell.empty()) extras += (extras.empty() ? "" : ", ") + std::string("cell ") + comm.cell;
  if (!comm.device.empty()) extras += (extras.empty() ? "" : ", ") + comm.device;
  if (!extras.empty()) detail += " (" + extras + ")";
  return detail;
}

Status AddComms(Store& store, const std::vector<std::string>& selectors,
                const TimelineWindow& window, std::vector<TimelineEvent>& events) {
  if (selectors.empty()) return Status::Ok();
  const std::set<std::string> own(selectors.begin(), selectors.end());
  CommQuery query{selectors, window.from, window.to};
  return store.ScanComms(query, [&](const Communication& comm) {
    const bool outgoing = own.count(comm.src) > 0;
    events.push_back({comm.time, std::string(CommKindName(comm.kind)),
                      outgoing ? comm.src : comm.dst, DescribeComm(comm, outgoing)});
    return true;
  });
}

Status AddTravel(Store& store, const std::vector<std::string>& selectors,
                 const TimelineWindow& window, std::vector<TimelineEvent>& events) {
  if (selectors.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto travel, store.TravelByDocuments(selectors));
  for (const auto& t : travel) {
    if (!InWindow(t.time, window)) continue;
    std::string detail = t.origin + " -> " + t.destination + " as \"" + t.name + "\"";
    if (!t.carrier.empty()) detail += " (" + t.carrier + ")";
    events.push_back({t.time, "travel", t.document, detail + " [" + t.record_id + "]"});
  }
  return Status::Ok();
}

Status AddCustody(Store& store, std::string_view person_id, const TimelineWindow& window,
                  std::vector<TimelineEvent>& events) {
  VIGIL_ASSIGN_OR_RETURN(auto stays, store.CustodyOf(person_id));
  for (const auto& stay : stays) {
    auto start = ParseDate(stay.start);
    if (start.ok() && InWindow(*start, window)) {
      events.push_back({*start, "custody_start", "", "enters " + stay.facility});
    }
    if (stay.end.empty()) continue;
    auto end = ParseDate(stay.end);
    if (end.ok() && InWindow(*end, window)) {
      events.push_back({*end, "custody_end", "", "leaves " + stay.facility});
    }
  }
  return Status::Ok();
}

Status AddReports(Store& store, std::string_view person_id, const TimelineWindow& window,
                  std::vector<TimelineEvent>& events) {
  VIGIL_ASSIGN_OR_RETURN(auto reports, store.ReportsAbout(person_id));
  for (const auto& r : reports) {
    if (!InWindow(r.time, window)) continue;
    std::string detail = std::string(ReportCategoryName(r.category)) + " from " + r.source;
    if (!r.text.empty()) detail += ": " + r.text;
    events.push_back({r.time, "report", "", detail + " [" + r.report_id + "]"});
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<TimelineEvent>> LoadTimeline(Store& store, std::string_view person_id,
                                                const TimelineWindow& window) {
  VIGIL_RETURN_IF_ERROR(store.GetPerson(person_id).status());
  VIGIL_ASSIGN_OR_RETURN(auto selectors, OwnedSelectors(store, person_id));
  std::vector<TimelineEvent> events;
  VIGIL_RETURN_IF_ERROR(AddComms(store, selectors, window, events));
  VIGIL_RETURN_IF_ERROR(AddTravel(store, selectors, window, events));
  VIGIL_RETURN_IF_ERROR(AddCustody(store, person_id, window, events));
  VIGIL_RETURN_IF_ERROR(AddReports(store, person_id, window, events));
  std::stable_sort(events.begin(), events.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) { return a.time < b.time; });
  return events;
}

}  // namespace vigil
