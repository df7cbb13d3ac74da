// Behaviour families: the ways a real population departs from the classic
// generator, each switched on by name and given parameters drawn at random
// per world (internal to vigil_sim).
//
// With no family on, the generator writes exactly the classic world (no
// random draw is spent on a family). A family's parameters come from their
// own random stream, so switching one family on does not change the draws
// of another's parameters.
#ifndef VIGIL_SIM_BEHAVIOUR_H_
#define VIGIL_SIM_BEHAVIOUR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/status.h"

namespace vigil::sim {

class Rng;
struct World;
struct SelectorSequences;

enum Family : uint32_t {
  kSharedPhones = 1u << 0,    // family/flat members share one handset (different SIMs)
  kPassedHandsets = 1u << 1,  // a cell member's later SIM goes into a mate's old handset
  kBurners = 1u << 2,         // more careful members; burners with or without overlap
  kMessengerOnly = 1u << 3,   // members whose covert contacts are messenger-only
  kBursty = 1u << 4,          // bursts, holidays and seasonal cycles of ordinary life
  kPrisonReleases = 1u << 5,  // inmates silent inside, watched, and talking again at release
  kPartialFeeds = 1u << 6,    // outage days and records lost from the feed
  kNoisyTimes = 1u << 7,      // timestamps jittered by the collection system
  kSharedContacts = 1u << 8,  // several cells share the same outside contacts
};

// The names accepted by ParseFamilies, in bit order.
const std::vector<std::string_view>& FamilyNames();

struct Behaviour {
  uint32_t families = 0;
  // kSharedPhones: share of families where a second member uses the first's handset.
  double shared_handset_share = 0;
  // kPassedHandsets: share of cell members whose later SIM uses a mate's old handset.
  double passed_handset_share = 0;
  // kBurners: share of careful members (7-8 SIMs); share whose burners reach only mates.
  double careful_share = 0.3;
  double isolated_burner_share = 0;
  // kMessengerOnly: share of members with a handle and only messenger covert contacts.
  double messenger_only_share = 0;
  // kBursty: burst starts per person per day, their length and size; share of
  // people with a holiday and its length range; seasonal amplitude and phase.
  double burst_start_rate = 0;
  int burst_max_days = 1;
  double burst_events_per_day = 0;
  double holiday_share = 0;
  int holiday_min_days = 0;
  int holiday_max_days = 0;
  double seasonal_amplitude = 0;
  double seasonal_phase = 0;
  // kPrisonReleases: share of ordinary people with a stay; share of them watched.
  double inmate_share = 0;
  double inmate_watched_share = 0;
  // kPartialFeeds: share of outage days, records lost on one, records lost any day.
  double outage_day_share = 0;
  double outage_loss = 0;
  double record_loss = 0;
  // kNoisyTimes: standard deviation of the timestamp jitter, seconds.
  double time_noise_seconds = 0;
  // kSharedContacts: outside contacts shared by several cells, and the share
  // of a member's covert events that go to one of them.
  int hangouts = 0;
  double hangout_share = 0;

  bool Has(Family family) const { return (families & family) != 0; }
};

// "" -> no family; "all" -> every family; "random" -> each family with
// probability 1/2 drawn from `seed` (at least one); else a comma-separated
// list of FamilyNames(). InvalidArgument naming an unknown family.
Result<uint32_t> ParseFamilies(std::string_view text, uint64_t seed);

// "bursty,noisy_times" for a bit set ("none" for 0).
std::string FamiliesText(uint32_t families);

// Draws the parameters of the families in `families`. O(1).
Behaviour DrawBehaviour(uint32_t families, Rng rng);

// Applies the families that change who people are or which handsets they
// use (shared phones, passed handsets, burners, messenger-only, holidays,
// shared contacts). REQUIRES: BuildPopulation and BuildCells ran; runs
// before anything is written. O(people + epochs).
void ApplyBehaviourToWorld(Rng rng, World* world, SelectorSequences* sequences);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_BEHAVIOUR_H_
