// The in-memory model of a synthetic world: people, their communities,
// phones, covert cells and recruiters (internal to vigil_sim).
//
// Memory is O(people): nothing here grows with the number of communications.
// Days are counted from the first day of the observed period (day 0).
#ifndef VIGIL_SIM_WORLD_H_
#define VIGIL_SIM_WORLD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/behaviour.h"
#include "sim/names.h"
#include "sim/selectors.h"

namespace vigil::sim {

inline constexpr int32_t kNone = -1;

enum class Role : uint8_t {
  kOrdinary,
  kInboundHub,   // taxi firm, hospital switchboard: huge in-degree
  kOutboundHub,  // call centre: huge out-degree
  kCellMember,
  kRecruiter,
};

// What the service's own records say about a person (persons.csv status).
enum class Known : uint8_t { kNotKnown, kSubject, kAssociate, kUnknown };

// One SIM in one handset from `start_day` until the next epoch starts.
struct SimEpoch {
  int32_t start_day = 0;
  uint32_t msisdn_seq = 0;
  uint32_t imsi_seq = 0;
  uint32_t imei_seq = 0;
  bool new_handset = true;  // false when the handset of the previous epoch is kept
};

struct Person {
  PersonName name;
  Role role = Role::kOrdinary;
  Known known = Known::kNotKnown;
  uint8_t residence = 0;  // index into Residences()
  uint8_t birth_month = 1;
  uint8_t birth_day = 1;
  HandleService handle_service = HandleService::kTelegram;
  uint16_t birth_year = 1980;
  float rate = 0;  // mean communications started per day
  uint32_t home_cell = 0;
  uint32_t work_cell = 0;
  uint32_t family = 0;
  uint32_t first_epoch = 0;  // index into World::epochs
  uint32_t epoch_count = 0;
  int32_t handle_seq = kNone;
  int32_t email_seq = kNone;
  int32_t cell = kNone;         // covert cell index
  int32_t watch_entry = kNone;  // watch-list entry number
  bool confounder = false;      // shares name tokens with a listed person
  // Behaviour families (sim/behaviour.h); defaults leave the person as the
  // classic generator makes them.
  int32_t away_from = kNone;     // first day without any communication (holiday, prison)
  int32_t away_to = kNone;       // last such day
  bool messenger_only = false;   // covert contacts only through the messenger handle
  bool isolated_burner = false;  // after the first SIM, covert contacts only inside the cell
};

struct Cell {
  std::vector<uint32_t> members;
  std::vector<int64_t> activation_seconds;  // per member, absolute; empty if none
  int32_t recruiter = kNone;
  int32_t dormant_day = kNone;       // first dormant day, kNone if never dormant
  int32_t reactivation_day = kNone;  // kNone if it never reactivates
  std::string compartment;
};

struct World {
  int64_t start_day = 0;  // days since 1970-01-01 of day 0
  int days = 0;
  std::vector<Person> people;
  std::vector<SimEpoch> epochs;
  std::vector<uint32_t> contact_offsets;  // CSR: contacts of person p are
  std::vector<uint32_t> contacts;         //   contacts[offsets[p] .. offsets[p+1])
  std::vector<uint32_t> family_offsets;   // CSR by family id
  std::vector<uint32_t> family_members;
  std::vector<uint32_t> inbound_hubs;
  std::vector<uint32_t> outbound_hubs;
  uint32_t location_cells = 0;  // radio cells "C00000" ..
  std::vector<Cell> cells;
  std::vector<uint32_t> recruiters;
  Behaviour behaviour;             // families on and their drawn parameters
  std::vector<uint32_t> hangouts;  // persons several cells share as contacts

  // The SIM epoch of `person` on `day`. O(epochs of the person).
  const SimEpoch& EpochOn(uint32_t person, int day) const;
  // Whether `person` has no communications on `day` (holiday, prison). O(1).
  bool AwayOn(uint32_t person, int day) const {
    const Person& who = people[person];
    return who.away_from != kNone && day >= who.away_from && day <= who.away_to;
  }
  int64_t DayStartSeconds(int day) const;
};

// The person's nationality (ISO alpha-2), shared by the family. O(1).
std::string_view NationalityOf(const World& world, uint32_t person);
// The airport the person usually flies from. O(1).
std::string_view HomeAirport(const World& world, uint32_t person);

// "P0001234": the identifier of person `index`.
std::string PersonId(uint32_t index);
// Same, written into a selector-sized buffer (hot path).
void FormatPersonId(uint32_t index, SelectorText* out);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_WORLD_H_
