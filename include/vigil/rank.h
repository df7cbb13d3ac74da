// Ranking: orders people for close watch by behavioural and network
// factors, each shown with its value and weight so that an analyst sees why.
//
// Factors (each a value in [0, 1], times its weight; the score is the sum):
//  attack_ties      direct contact with people named as involved in attacks
//                   (RankOptions::attackers): share of them contacted, capped.
//  reactivation     the strongest reactivation alert in the travel window:
//                   0.5 for having one, plus half its score.
//  concern_travel   travel to a place of concern in the travel window.
//  conflict_return  travel from a place of concern in the travel window.
//  recent_reports   reports (by id or by name) in the recent window: sum of
//                   their alert scores, capped at 1.
//  cell_centrality  degree within the person's community of the graph of
//                   ties between watched people, over the community's size
//                   (communities of three or more only).
//  watched_contacts distinct watched people contacted in the recent window,
//                   over three, capped.
// Inputs are the store's alerts, travel, comms of attackers, and the alert
// engine's profiles (run RaiseAlerts first). No protected trait (religion,
// ethnicity, political opinion, nationality, free x_ attributes, names) is
// read: persons contribute only their id and watch level.
//
// Cost: O(persons + attributions + watched ties + attackers' comms) plus
// what lies in the windows: reactivation and report alerts and travel
// records are read through Store::ScanAlertsBetween / ScanTravelBetween
// (SQLite: an index range on alert time; one pass over travel that builds
// only the window's rows), not the whole alert history. Through a store
// wrapper that does not override them (the access layer today) they fall
// back to its filtered full scans. Communities on the watched-ties graph
// O(rounds * ties).
#ifndef VIGIL_RANK_H_
#define VIGIL_RANK_H_

#include <optional>
#include <string>
#include <vector>

#include "vigil/model.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil {

struct RankWeights {
  double attack_ties = 3.0;
  double reactivation = 3.0;
  double concern_travel = 2.0;
  double conflict_return = 2.0;
  double recent_reports = 1.0;
  double cell_centrality = 2.0;
  double watched_contacts = 1.5;
};

struct RankOptions {
  // The reference time of "recent"; default: the latest communication the
  // alert engine has read (or the latest alert), so historical data ranks
  // as it would have on its last day.
  std::optional<UnixTime> now;
  std::vector<std::string> concern_places;  // empty: DefaultConcernPlaces()
  std::vector<std::string> attackers;       // person_ids involved in attacks
  int recent_days = 180;
  int travel_days = 365;
  RankWeights weights;
};

struct RankFactor {
  std::string name;
  double value = 0;  // 0..1
  double weight = 0;
  // How the factor reached the person when not through trusted
  // attributions: "via a proposed link, confidence 0.87" for a reactivation
  // alert raised through a proposed (unconfirmed) attribution; else "".
  std::string note;
};

struct RankedPerson {
  std::string person_id;
  int rank = 0;                     // 1 = first
  double score = 0;                 // sum of value * weight
  std::vector<RankFactor> factors;  // the non-zero ones, largest contribution first
};

// Every person not closed by an analyst, best first (ties by person_id).
Result<std::vector<RankedPerson>> RankPeople(Store& store, const RankOptions& options);

// "reactivation=0.830x3.0;cell_centrality=1.000x2.0": value x weight per
// factor, a factor's note in brackets after it
// ("reactivation=0.830x3.0[via a proposed link, confidence 0.87]").
std::string FormatFactors(const RankedPerson& person);

}  // namespace vigil

#endif  // VIGIL_RANK_H_
