// RankPeople: gathers each factor into a per-person table, then scores and
// sorts. One function per factor; each reads only behavioural or network
// records through the Store.
#include "vigil/rank.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "vigil/graph.h"
#include "vigil/watch.h"

namespace vigil {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr double kWatchedContactsForFull = 3.0;
constexpr double kAttackersForFull = 2.0;
constexpr size_t kMinCellSize = 3;
// The reactivation factor of a person with any reactivation alert.
constexpr double kReactivationFloor = 0.5;

enum Factor {
  kAttackTies,
  kReactivation,
  kConcernTravel,
  kConflictReturn,
  kRecentReports,
  kCellCentrality,
  kWatchedContacts,
  kFactorCount
};
constexpr const char* kFactorNames[kFactorCount] = {
    "attack_ties",    "reactivation",    "concern_travel",  "conflict_return",
    "recent_reports", "cell_centrality", "watched_contacts"};

using FactorTable = std::unordered_map<std::string, std::array<double, kFactorCount>>;

void Raise(FactorTable& table, const std::string& person, Factor f, double value) {
  double& slot = table[person][f];
  slot = std::min(1.0, std::max(slot, value));
}

void Add(FactorTable& table, const std::string& person, Factor f, double value) {
  double& slot = table[person][f];
  slot = std::min(1.0, slot + value);
}

// The "via a proposed link, confidence X" part of an alert's evidence, or ""
// when the alert reached its person through trusted attributions only.
std::string ProposedLinkNote(const std::string& evidence) {
  const size_t at = evidence.find(kViaProposedLink);
  if (at == std::string::npos) return "";
  const size_t end = evidence.find(';', at);
  return evidence.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// Reads only the alerts of the two kinds that count, in their windows. A
// reactivation factor set by an alert that reached the person through a
// proposed link keeps that alert's note in `notes`.
Status AlertFactors(Store& store, UnixTime now, const RankOptions& o, FactorTable& table,
                    std::unordered_map<std::string, std::string>& notes) {
  const UnixTime from = now - o.recent_days * kSecondsPerDay;
  // A reactivated person stays a priority for as long as travel does.
  const UnixTime reactivated_from = now - o.travel_days * kSecondsPerDay;
  const std::vector<std::string> kinds = {"reactivation", "report"};
  return store.ScanAlertsBetween(
      std::min(from, reactivated_from), now, kinds, [&](const StoredAlert& alert) {
        if (alert.person_id.empty()) return true;
        if (alert.kind == "reactivation" && alert.time >= reactivated_from) {
          // The alert itself is most of the evidence (the detector's
          // thresholds were passed); its score, which also carries the trust
          // in the attributions involved, grades the rest.
          const double value = kReactivationFloor + (1.0 - kReactivationFloor) * alert.score;
          const double before = table[alert.person_id][kReactivation];
          Raise(table, alert.person_id, kReactivation, value);
          if (value > before) notes[alert.person_id] = ProposedLinkNote(alert.evidence);
        }
        if (alert.kind == "report" && alert.time >= from) {
          Add(table, alert.person_id, kRecentReports, alert.score);
        }
        return true;
      });
}

// The owner of every source or confirmed attribution, by selector. One scan:
// a lookup per selector would be cheaper in rows but, through the access
// layer, writes one audit record per lookup.
Result<std::unordered_map<std::string, std::string>> TrustedOwners(Store& store) {
  std::unordered_map<std::string, std::string> owners;
  VIGIL_RETURN_IF_ERROR(store.ScanAttributions([&](const Attribution& a) {
    if (a.state == AttributionState::kSource || a.state == AttributionState::kConfirmed) {
      owners.emplace(a.selector, a.person_id);
    }
    return true;
  }));
  return owners;
}

Status TravelFactors(Store& store, UnixTime now, const RankOptions& o,
                     const std::unordered_map<std::string, std::string>& owners,
                     FactorTable& table) {
  std::vector<std::string> places =
      o.concern_places.empty() ? DefaultConcernPlaces() : o.concern_places;
  const std::set<std::string> concern(places.begin(), places.end());
  const UnixTime from = now - o.travel_days * kSecondsPerDay;
  return store.ScanTravelBetween(from, now, [&](const TravelRecord& t) {
    if (t.document.empty()) return true;
    auto owner = owners.find(t.document);
    if (owner == owners.end()) return true;
    if (concern.count(t.destination) > 0) Raise(table, owner->second, kConcernTravel, 1.0);
    if (concern.count(t.origin) > 0) Raise(table, owner->second, kConflictReturn, 1.0);
    return true;
  });
}

Status AttackTies(Store& store, const RankOptions& o,
                  const std::unordered_map<std::string, std::string>& owners, FactorTable& table) {
  for (const std::string& attacker : o.attackers) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<Attribution> own, store.AttributionsOfPerson(attacker));
    CommQuery query;
    for (const Attribution& a : own) {
      if (a.state == AttributionState::kSource || a.state == AttributionState::kConfirmed) {
        query.selectors.push_back(a.selector);
      }
    }
    if (query.selectors.empty()) continue;
    std::set<std::string> contacted;
    VIGIL_RETURN_IF_ERROR(store.ScanComms(query, [&](const Communication& c) {
      for (const std::string* end : {&c.src, &c.dst}) {
        auto owner = owners.find(*end);
        if (owner != owners.end() && owner->second != attacker) contacted.insert(owner->second);
      }
      return true;
    }));
    for (const std::string& person : contacted) {
      Add(table, person, kAttackTies, 1.0 / kAttackersForFull);
    }
  }
  return Status::Ok();
}

// Network factors from the ties between watched people.
Status NetworkFactors(Store& store, UnixTime now, const RankOptions& o, FactorTable& table) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<WatchedTie> ties, LoadWatchedTies(store));
  if (ties.empty()) return Status::Ok();
  const UnixTime recent = now - o.recent_days * kSecondsPerDay;
  std::vector<std::string> labels;
  std::unordered_map<std::string, NodeId> node_of;
  auto node = [&](const std::string& id) {
    auto [it, inserted] = node_of.emplace(id, static_cast<NodeId>(labels.size()));
    if (inserted) labels.push_back(id);
    return it->second;
  };
  std::vector<TimedContact> contacts;
  std::unordered_map<std::string, int> recent_contacts;
  for (const WatchedTie& tie : ties) {
    contacts.push_back({node(tie.a), node(tie.b), tie.last, kEdgeComm});
    if (tie.last >= recent && tie.last <= now) {
      ++recent_contacts[tie.a];
      ++recent_contacts[tie.b];
    }
  }
  for (const auto& [person, count] : recent_contacts) {
    Raise(table, person, kWatchedContacts, count / kWatchedContactsForFull);
  }
  // BuildGraph wants labels in any order but unique; they are.
  VIGIL_ASSIGN_OR_RETURN(Graph graph, BuildGraph(labels, std::move(contacts)));
  Communities communities(graph);
  VIGIL_RETURN_IF_ERROR(communities.run());
  const std::vector<uint32_t>& membership = communities.membership();
  std::vector<size_t> size(communities.community_count(), 0);
  for (uint32_t c : membership) ++size[c];
  for (NodeId v = 0; v < graph.node_count(); ++v) {
    const size_t members = size[membership[v]];
    if (members < kMinCellSize) continue;
    size_t inside = 0;
    for (NodeId w : graph.Neighbours(v)) inside += membership[w] == membership[v] ? 1 : 0;
    Raise(table, std::string(graph.Label(v)), kCellCentrality,
          static_cast<double>(inside) / static_cast<double>(members - 1));
  }
  return Status::Ok();
}

Result<UnixTime> ReferenceTime(Store& store, const RankOptions& o) {
  if (o.now) return *o.now;
  VIGIL_ASSIGN_OR_RETURN(UnixTime latest, LatestDataTime(store));
  if (latest == 0) {
    VIGIL_RETURN_IF_ERROR(store.ScanAlerts("", [&](const StoredAlert& a) {
      latest = std::max(latest, a.time);
      return true;
    }));
  }
  return latest;
}

double WeightOf(const RankWeights& w, int f) {
  const double weights[kFactorCount] = {w.attack_ties,     w.reactivation,   w.concern_travel,
                                        w.conflict_return, w.recent_reports, w.cell_centrality,
                                        w.watched_contacts};
  return weights[f];
}

}  // namespace

Result<std::vector<RankedPerson>> RankPeople(Store& store, const RankOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(UnixTime now, ReferenceTime(store, options));
  FactorTable table;
  std::unordered_map<std::string, std::string> reactivation_notes;
  VIGIL_RETURN_IF_ERROR(AlertFactors(store, now, options, table, reactivation_notes));
  VIGIL_ASSIGN_OR_RETURN(auto owners, TrustedOwners(store));
  VIGIL_RETURN_IF_ERROR(TravelFactors(store, now, options, owners, table));
  VIGIL_RETURN_IF_ERROR(AttackTies(store, options, owners, table));
  VIGIL_RETURN_IF_ERROR(NetworkFactors(store, now, options, table));
  VIGIL_ASSIGN_OR_RETURN(std::vector<PersonWatch> levels, LoadWatchLevels(store));
  std::vector<RankedPerson> ranked;
  for (const PersonWatch& watch : levels) {
    if (watch.stored && watch.level == WatchLevel::kClosed) continue;
    RankedPerson person;
    person.person_id = watch.person_id;
    auto it = table.find(watch.person_id);
    if (it != table.end()) {
      for (int f = 0; f < kFactorCount; ++f) {
        if (it->second[f] <= 0) continue;
        const double weight = WeightOf(options.weights, f);
        person.factors.push_back({kFactorNames[f], it->second[f], weight, ""});
        if (f == kReactivation) {
          auto note = reactivation_notes.find(watch.person_id);
          if (note != reactivation_notes.end()) person.factors.back().note = note->second;
        }
        person.score += it->second[f] * weight;
      }
    }
    std::stable_sort(person.factors.begin(), person.factors.end(),
                     [](const RankFactor& a, const RankFactor& b) {
                       return a.value * a.weight > b.value * b.weight;
                     });
    person.score = std::round(person.score * 1000) / 1000;
    ranked.push_back(std::move(person));
  }
  std::sort(ranked.begin(), ranked.end(), [](const RankedPerson& a, const RankedPerson& b) {
    return a.score != b.score ? a.score > b.score : a.person_id < b.person_id;
  });
  for (size_t i = 0; i < ranked.size(); ++i) ranked[i].rank = static_cast<int>(i + 1);
  return ranked;
}

std::string FormatFactors(const RankedPerson& person) {
  std::string out;
  for (const RankFactor& f : person.factors) {
    if (!out.empty()) out += ';';
    out += fmt::format("{}={:.3f}x{:.1f}", f.name, f.value, f.weight);
    if (!f.note.empty()) out += fmt::format("[{}]", f.note);
  }
  return out;
}

}  // namespace vigil
