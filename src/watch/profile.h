// One watched person's activity profile and the reactivation detector that
// runs over it (internal to vigil_watch).
//
// The profile is what the engine remembers between runs about a person, so
// that a run needs only the person's new events: daily counts of all
// events, of "relevant" contacts (with watched people, co-detainees, places
// of concern) and of events the person started, and the last contact with
// each watched counterpart. It is stored as a compact text blob.
//
// The reactivation detector is a two-sample rate-change test against the
// person's OWN history (see JudgeReactivation in profile.cc): at each
// relevant event and each event the person starts (either count may be the
// one that completes the rise) it compares each of the last `window_days`
// with the `baseline_days` before them (only days since the first event and since
// the last reactivation alert). Cost per event: O(window + baseline days)
// in the day map per window, i.e. O(windows * baseline_days) at most.
//
// Memory: O(active days + distinct watched counterparts + renewals in the
// longest window) per person.
#ifndef VIGIL_WATCH_PROFILE_H_
#define VIGIL_WATCH_PROFILE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vigil/status.h"
#include "vigil/store.h"
#include "vigil/watch.h"

namespace vigil::watch {

struct DayCounts {
  int32_t all = 0;
  int32_t relevant = 0;
  int32_t out = 0;           // events the person started (calls made, travel): their own activity
  int32_t out_relevant = 0;  // of which relevant: the person took up contact with the watched
  int32_t renewed = 0;       // contacts with a watched person not in touch for min_dormancy_days
  int32_t dormancy = 0;      // the longest such silence ended on the day, days
};

// A tie with a watched person (or a co-detainee) renewed after at least
// min_dormancy_days of silence, on `day`.
struct Renewal {
  int32_t day = 0;
  std::string who;  // person_id of the other end
};

struct Profile {
  UnixTime first_time = 0;                       // first event seen (0: none)
  UnixTime last_time = 0;                        // latest event seen
  UnixTime last_relevant = 0;                    // latest relevant event (0: none)
  UnixTime last_alert = 0;                       // latest reactivation alert
  int64_t relevant_total = 0;                    // relevant events ever seen
  std::map<int32_t, DayCounts> days;             // day number -> counts
  std::map<std::string, UnixTime> counterparts;  // watched person_id -> last contact
  // Renewals of the last max(window_days) days, in time order (which ties
  // a window renewed, counted by person).
  std::vector<Renewal> renewals;
};

// Serialises / parses a profile. Parse returns Corruption naming the person
// for a malformed blob.
std::string SerializeProfile(const Profile& profile);
Result<Profile> ParseProfile(const std::string& person_id, const std::string& blob);

// One event of a watched person, as the detector sees it.
struct SubjectEvent {
  UnixTime time = 0;
  std::string counterpart;  // person_id of the other end, "" if unknown
  bool counterpart_watched = false;
  bool relevant = false;    // watched counterpart, co-detainee, or place of concern
  bool outgoing = false;    // the person started it (made the call, travelled)
  std::string what;         // "call", "sms", ..., or "travel:<place>"
  double weight = 1;        // trust in the attributions involved
  double via_proposed = 0;  // > 0: the person is reached through a proposed link of this confidence
};

// P(X >= k) for X ~ Poisson(lambda). Cost O(k).
double PoissonUpperTail(int k, double lambda);

// Feeds one event (in time order) into the profile; appends any alert it
// justifies (reactivation, new_contact) to `alerts`.
void ObserveEvent(const std::string& person_id, const SubjectEvent& event,
                  const WatchOptions& options, Profile* profile, std::vector<StoredAlert>* alerts);

}  // namespace vigil::watch

#endif  // VIGIL_WATCH_PROFILE_H_
