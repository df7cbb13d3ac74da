// One watched person's activity profile and the reactivation detector that
// runs over it (internal to vigil_watch).
//
// The profile is what the engine remembers between runs about a person, so
// that a run needs only the person's new events: daily counts of all and of
// "relevant" contacts (with watched people, co-detainees, places of
// concern), the last contact with each watched counterpart, and the state of
// a pending renewal. It is stored as a compact text blob.
//
// Memory: O(active days + distinct watched counterparts) per person.
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
};

// A renewed contact after a quiet period, waiting for the activity change
// that would confirm a reactivation.
struct Renewal {
  UnixTime time = 0;
  UnixTime quiet_since = 0;  // the last relevant contact before it (or the first event)
  std::string with;          // person_id, or "travel:<place>"
  double baseline_per_day = 0;
  double relevant_baseline_per_day = 0;
  // Variance over mean of the person's daily counts in the baseline window
  // (at least 1): bursty people need a larger change (quasi-Poisson).
  double dispersion = 1;
  int32_t events = 0;           // events since (and including) the renewal
  int32_t relevant_events = 0;  // relevant events after the renewal
  double weight = 1;            // trust in the attributions involved
  // How unlikely so long a silence was given the person's own earlier rate
  // of relevant contacts: exp(-rate * quiet days); 1 without such history.
  double p_quiet = 1;
};

struct Profile {
  UnixTime first_time = 0;                       // first event seen (0: none)
  UnixTime last_time = 0;                        // latest event seen
  UnixTime last_relevant = 0;                    // latest relevant event (0: none)
  UnixTime last_alert = 0;                       // latest reactivation alert
  int64_t relevant_total = 0;                    // relevant events ever seen
  int64_t quiet_strays = 0;                      // stray relevant contacts since last_relevant
  std::map<int32_t, DayCounts> days;             // day number -> counts
  std::map<std::string, UnixTime> counterparts;  // watched person_id -> last contact
  std::optional<Renewal> renewal;
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
  bool relevant = false;  // watched counterpart, co-detainee, or place of concern
  std::string what;       // "call", "sms", ..., or "travel:<place>"
  double weight = 1;      // trust in the attributions involved
};

// P(X >= k) for X ~ Poisson(lambda). Cost O(k).
double PoissonUpperTail(int k, double lambda);

// Feeds one event (in time order) into the profile; appends any alert it
// justifies (reactivation, new_contact) to `alerts`.
void ObserveEvent(const std::string& person_id, const SubjectEvent& event,
                  const WatchOptions& options, Profile* profile, std::vector<StoredAlert>* alerts);

}  // namespace vigil::watch

#endif  // VIGIL_WATCH_PROFILE_H_
