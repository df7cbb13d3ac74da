#include "resolve/documents.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "vigil/names.h"

namespace vigil::resolve {
namespace {

// Matches below this screening score are not evidence of anything.
constexpr double kMinScore = 0.6;
constexpr size_t kTopMatches = 3;

// How far a traveller's birth date agrees with a person's: 1 for the same
// full date, 0.5 when either is partial or missing but they do not conflict,
// 0 when they conflict.
double DateAgreement(const std::string& traveller, const std::string& person) {
  if (traveller.empty() || person.empty()) return 0.5;
  const size_t common = std::min(traveller.size(), person.size());
  if (traveller.compare(0, common, person, 0, common) != 0) return 0.0;
  return traveller.size() == 10 && person.size() == 10 ? 1.0 : 0.5;
}

struct PersonEvidence {
  double score_sum = 0;
  double date_sum = 0;
};

struct DocumentEvidence {
  std::map<std::string, PersonEvidence> persons;
  int records = 0;
  std::string example;  // one traveller name as written, with its birth date
};

}  // namespace

Result<std::vector<Link>> DocumentLinks(Store& store, const Observations& obs,
                                        const Decisions& decisions) {
  std::unordered_map<std::string_view, SelectorIndex> index;
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    if (obs.families[s] == Family::kDocument && decisions.known_owner[s] < 0) {
      index.emplace(obs.texts[s], s);
    }
  }
  std::vector<Link> links;
  if (index.empty()) return links;
  // A known selector of each person, to hang the document from.
  std::unordered_map<std::string, SelectorIndex> person_selector;
  std::unordered_map<std::string, std::string> birth_dates;
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    const int32_t owner = decisions.known_owner[s];
    if (owner >= 0) person_selector.emplace(decisions.persons[static_cast<size_t>(owner)], s);
  }
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> names, NewScreeningIndex());
  VIGIL_RETURN_IF_ERROR(store.ScanPersons([&](const Person& person) {
    if (person_selector.count(person.person_id) == 0) return true;
    birth_dates[person.person_id] = person.birth_date;
    ScreeningEntry entry{person.person_id, {person.name}, person.birth_date, person.nationality};
    for (const std::string& alias : person.aliases) entry.names.push_back(alias);
    (void)names->Add(entry);  // a person with no usable name is simply not matched
    return true;
  }));
  std::unordered_map<SelectorIndex, DocumentEvidence> evidence;
  ScreeningOptions options;
  options.top_k = kTopMatches;
  options.threshold = kMinScore;
  VIGIL_RETURN_IF_ERROR(store.ScanTravel([&](const TravelRecord& record) {
    auto found = index.find(record.document);
    if (found == index.end()) return true;
    DocumentEvidence& doc = evidence[found->second];
    ++doc.records;
    if (doc.example.empty()) doc.example = record.name + " born " + record.birth_date;
    auto matches = names->Screen({record.name, record.birth_date, record.nationality}, options);
    if (!matches.ok()) return true;
    for (const ScreeningMatch& match : *matches) {
      PersonEvidence& slot = doc.persons[match.entry_id];
      slot.score_sum += match.score;
      slot.date_sum += DateAgreement(record.birth_date, birth_dates[match.entry_id]);
    }
    return true;
  }));
  for (const auto& [document, doc] : evidence) {
    // Mean score over all the document's records (a record not matching
    // counts as 0), best person first.
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& [person, slot] : doc.persons) {
      ranked.push_back({slot.score_sum / doc.records, person});
    }
    if (ranked.empty()) continue;
    std::sort(ranked.rbegin(), ranked.rend());
    const double best = ranked[0].first;
    const double second = ranked.size() > 1 ? ranked[1].first : 0.0;
    Link link;
    link.a = document;
    link.b = person_selector[ranked[0].second];
    link.signal = Signal::kDocument;
    link.shared = doc.records;
    const double dates = doc.persons.at(ranked[0].second).date_sum / doc.records;
    link.features = {best, best - second, std::log1p(doc.records), dates,
                     static_cast<double>(ranked.size() - 1)};
    link.note = fmt::format(
        "travel: {} on {} record(s) (e.g. '{}') matches {} (mean name score {:.2f}, birth "
        "date agreement {:.2f}, {} other candidate(s))",
        obs.texts[document], doc.records, doc.example, ranked[0].second, best, dates,
        ranked.size() - 1);
    links.push_back(std::move(link));
  }
  std::sort(links.begin(), links.end(),
            [](const Link& left, const Link& right) { return left.a < right.a; });
  return links;
}

}  // namespace vigil::resolve
