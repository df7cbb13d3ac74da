#include "watch/roster.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace vigil::watch {
namespace {

const std::vector<std::string> kNoSelectors;

uint64_t PairKey(PersonIndex a, PersonIndex b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

// The trust in an attribution: source and confirmed count fully; proposed
// ones count scaled when confident enough; rejected ones not at all.
double AttributionWeight(const Attribution& a, const WatchOptions& options) {
  switch (a.state) {
    case AttributionState::kSource:
    case AttributionState::kConfirmed:
      return 1.0;
    case AttributionState::kProposed:
      return a.confidence >= options.min_proposed_confidence
                 ? options.proposed_weight * a.confidence
                 : 0.0;
    case AttributionState::kRejected:
      return 0.0;
  }
  return 0.0;
}

}  // namespace

Result<Roster> Roster::Load(Store& store, const WatchOptions& options) {
  Roster roster;
  // Stored levels first (few), then one pass over persons.
  std::unordered_map<std::string, WatchLevel> stored;
  VIGIL_RETURN_IF_ERROR(store.ScanWatchRecords([&](const WatchRecord& record) {
    stored.emplace(record.person_id, static_cast<WatchLevel>(record.state));
    return true;
  }));
  VIGIL_RETURN_IF_ERROR(store.ScanPersons([&](const Person& person) {
    const auto index = static_cast<PersonIndex>(roster.ids_.size());
    roster.ids_.push_back(person.person_id);
    roster.index_.emplace(person.person_id, index);
    auto level = stored.find(person.person_id);
    const bool watched = (level == stored.end() ? DefaultWatchLevel(person.status)
                                                : level->second) != WatchLevel::kClosed;
    roster.watched_.push_back(watched ? 1 : 0);
    if (watched) roster.watched_list_.push_back(index);
    // Only what the engine uses is kept, and only for watched people:
    // names, review date, legal basis (never nationality or attributes).
    Person kept;
    kept.person_id = person.person_id;
    kept.status = person.status;
    if (watched) {
      kept.name = person.name;
      kept.aliases = person.aliases;
      kept.legal_basis = person.legal_basis;
      kept.review_by = person.review_by;
    }
    roster.persons_.push_back(std::move(kept));
    return true;
  }));
  std::set<std::pair<int64_t, PersonIndex>> rejected;  // (selector id, person)
  int64_t attributions = 0;
  int64_t state_sum = 0;
  UnixTime last_decision = 0;
  VIGIL_RETURN_IF_ERROR(store.ScanAttributionIds([&](int64_t selector_id, const Attribution& a) {
    ++attributions;
    state_sum += static_cast<int64_t>(a.state);
    last_decision = std::max(last_decision, a.decided_at.value_or(0));
    const PersonIndex person = roster.Find(a.person_id);
    if (person == kNoPerson) return true;
    if (a.state == AttributionState::kRejected) {
      rejected.emplace(selector_id, person);
      return true;
    }
    const double weight = AttributionWeight(a, options);
    if (weight <= 0) return true;
    if (selector_id < 0) return true;
    if (static_cast<size_t>(selector_id) >= roster.owners_.size()) {
      roster.owners_.resize(static_cast<size_t>(selector_id) + 1);
    }
    Owner& owner = roster.owners_[static_cast<size_t>(selector_id)];
    if (weight > owner.weight) {
      owner = {person, weight, a.state == AttributionState::kProposed ? a.confidence : 0.0};
    }
    roster.selectors_[person].push_back(a.selector);
    return true;
  }));
  // A rejection overrides any other attribution of the same pair.
  for (const auto& [selector_id, person] : rejected) {
    if (static_cast<size_t>(selector_id) >= roster.owners_.size()) continue;
    Owner& owner = roster.owners_[static_cast<size_t>(selector_id)];
    if (owner.person == person) owner = Owner{};
  }
  roster.attribution_fingerprint_ = std::to_string(attributions) + "/" + std::to_string(state_sum) +
                                    "/" + std::to_string(last_decision);
  for (const std::string& place : options.concern_places) roster.concern_.insert(place);
  return roster;
}

Status Roster::LoadCustody(Store& store) {
  struct Stay {
    PersonIndex person;
    std::string start;
    std::string end;  // "" = ongoing
  };
  std::map<std::string, std::vector<Stay>> by_facility;
  VIGIL_RETURN_IF_ERROR(store.ScanCustody([&](const CustodyRecord& record) {
    const PersonIndex person = Find(record.person_id);
    if (person != kNoPerson)
      by_facility[record.facility].push_back({person, record.start, record.end});
    return true;
  }));
  // Dates are "YYYY-MM-DD", so string order is time order; "" ends never.
  auto end_of = [](const Stay& s) { return s.end.empty() ? std::string("9999-12-31") : s.end; };
  for (auto& [facility, stays] : by_facility) {
    std::sort(stays.begin(), stays.end(),
              [](const Stay& x, const Stay& y) { return x.start < y.start; });
    for (size_t i = 0; i < stays.size(); ++i) {
      for (size_t j = i + 1; j < stays.size() && stays[j].start <= end_of(stays[i]); ++j) {
        if (stays[i].person == stays[j].person) continue;
        const std::string to = std::min(end_of(stays[i]), end_of(stays[j]));
        overlaps_.push_back({stays[i].person, stays[j].person, facility, stays[j].start,
                             to == "9999-12-31" ? "" : to});
        codetainees_.insert(PairKey(stays[i].person, stays[j].person));
        codetainees_.insert(PairKey(stays[j].person, stays[i].person));
      }
    }
  }
  return Status::Ok();
}

PersonIndex Roster::Find(std::string_view person_id) const {
  auto it = index_.find(std::string(person_id));
  return it == index_.end() ? kNoPerson : it->second;
}

Owner Roster::OwnerOf(int64_t selector_id) const {
  if (selector_id < 0 || static_cast<size_t>(selector_id) >= owners_.size()) return Owner{};
  return owners_[static_cast<size_t>(selector_id)];
}

const std::vector<std::string>& Roster::SelectorsOf(PersonIndex p) const {
  auto it = selectors_.find(p);
  return it == selectors_.end() ? kNoSelectors : it->second;
}

bool Roster::IsCoDetainee(PersonIndex a, PersonIndex b) const {
  return codetainees_.count(PairKey(a, b)) > 0;
}

bool Roster::IsConcernPlace(std::string_view place) const {
  return concern_.count(std::string(place)) > 0;
}

}  // namespace vigil::watch
