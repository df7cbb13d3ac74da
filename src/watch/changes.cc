// ListChanges: what changed around one person since a point in time.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "vigil/watch.h"

namespace vigil {
namespace {

bool Since(UnixTime t, std::optional<UnixTime> since) { return !since || t >= *since; }

Result<std::optional<UnixTime>> LastReview(Store& store, std::string_view person_id) {
  std::optional<UnixTime> last;
  VIGIL_RETURN_IF_ERROR(store.ScanWatchRecords([&](const WatchRecord& record) {
    if (record.person_id != person_id) return true;
    last = record.last_review;
    return false;
  }));
  return last;
}

// The trusted owner of a selector (source or confirmed attribution), or "".
Result<std::string> OwnerOf(Store& store, const std::string& selector) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<Attribution> attributions,
                         store.AttributionsOfSelector(selector));
  for (const Attribution& a : attributions) {
    if (a.state == AttributionState::kSource || a.state == AttributionState::kConfirmed) {
      return a.person_id;
    }
  }
  return std::string();
}

Status IdentifierChanges(Store& store, const std::vector<Attribution>& attributions,
                         std::optional<UnixTime> since, std::vector<Change>* out) {
  for (const Attribution& a : attributions) {
    std::optional<UnixTime> when = a.decided_at;
    if (!when) {
      Result<SelectorRecord> record = store.GetSelectorRecord(a.selector);
      if (record.ok()) when = record->first_seen;
    }
    if (!when || !Since(*when, since)) continue;
    out->push_back(
        {*when, "identifier",
         fmt::format("{} ({}, confidence {:.2f}{})", a.selector, AttributionStateName(a.state),
                     a.confidence, a.evidence.empty() ? "" : "; " + a.evidence)});
  }
  return Status::Ok();
}

// First contacts with counterpart selectors after `since`; a counterpart
// owned by a watched person is a new link to a watched person.
Status ContactChanges(Store& store, const std::vector<std::string>& selectors,
                      std::optional<UnixTime> since, std::vector<Change>* out) {
  if (selectors.empty()) return Status::Ok();
  const std::set<std::string> own(selectors.begin(), selectors.end());
  std::map<std::string, UnixTime> first_contact;
  CommQuery query;
  query.selectors = selectors;
  VIGIL_RETURN_IF_ERROR(store.ScanComms(query, [&](const Communication& comm) {
    const std::string& other = own.count(comm.src) > 0 ? comm.dst : comm.src;
    if (own.count(other) == 0) first_contact.emplace(other, comm.time);
    return true;
  }));
  VIGIL_ASSIGN_OR_RETURN(std::vector<PersonWatch> levels, LoadWatchLevels(store));
  std::set<std::string> watched;
  for (const PersonWatch& w : levels) {
    if (w.level != WatchLevel::kClosed) watched.insert(w.person_id);
  }
  for (const auto& [selector, when] : first_contact) {
    if (!Since(when, since)) continue;
    VIGIL_ASSIGN_OR_RETURN(std::string owner, OwnerOf(store, selector));
    const bool is_watched = !owner.empty() && watched.count(owner) > 0;
    out->push_back({when, is_watched ? "watched_link" : "contact",
                    owner.empty() ? fmt::format("first contact with {}", selector)
                                  : fmt::format("first contact with {} ({}{})", selector, owner,
                                                is_watched ? ", watched" : "")});
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Change>> ListChanges(Store& store, std::string_view person_id,
                                        std::optional<UnixTime> since) {
  VIGIL_ASSIGN_OR_RETURN(Person person, store.GetPerson(person_id));
  if (!since) {
    VIGIL_ASSIGN_OR_RETURN(since, LastReview(store, person_id));
  }
  std::vector<Change> changes;
  VIGIL_ASSIGN_OR_RETURN(std::vector<Attribution> attributions,
                         store.AttributionsOfPerson(person_id));
  VIGIL_RETURN_IF_ERROR(IdentifierChanges(store, attributions, since, &changes));
  std::vector<std::string> selectors;
  for (const Attribution& a : attributions) {
    if (a.state != AttributionState::kRejected) selectors.push_back(a.selector);
  }
  VIGIL_RETURN_IF_ERROR(ContactChanges(store, selectors, since, &changes));
  VIGIL_ASSIGN_OR_RETURN(std::vector<TravelRecord> travel, store.TravelByDocuments(selectors));
  for (const TravelRecord& t : travel) {
    if (!Since(t.time, since)) continue;
    changes.push_back(
        {t.time, "travel",
         fmt::format("{} {} -> {} ({})", t.record_id, t.origin, t.destination, t.carrier)});
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<Report> reports, store.ReportsAbout(person_id));
  for (const Report& r : reports) {
    if (!Since(r.time, since)) continue;
    changes.push_back({r.time, "report",
                       fmt::format("{} from {} ({}): {}", r.report_id, r.source,
                                   ReportCategoryName(r.category), r.text)});
  }
  VIGIL_RETURN_IF_ERROR(store.ScanAlerts(person_id, [&](const StoredAlert& alert) {
    if (Since(alert.time, since)) {
      changes.push_back(
          {alert.time, "alert",
           fmt::format("{} (score {:.2f}): {}", alert.kind, alert.score, alert.evidence)});
    }
    return true;
  }));
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& a, const Change& b) { return a.time < b.time; });
  return changes;
}

}  // namespace vigil
