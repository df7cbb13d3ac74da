// Passenger and border-crossing records as carriers wrote them, including
// the covert journeys of reactivated cells and their relatives, and the
// truth of which records are listed people (internal to vigil_sim).
#ifndef VIGIL_SIM_TRAVEL_H_
#define VIGIL_SIM_TRAVEL_H_

#include "sim/csv_writer.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace vigil::sim {

inline constexpr std::string_view kTravelColumns[] = {"record_id",  "time",        "name",
                                                      "birth_date", "document",    "nationality",
                                                      "origin",     "destination", "carrier"};
inline constexpr std::string_view kTravelMatchColumns[] = {"record_id", "entry_id"};

// Writes travel.csv rows into `travel` and, for records of listed people,
// (record_id, entry_id) into `matches`. REQUIRES: BuildWatchlist ran.
// O(people + records) time, O(1) extra memory.
void GenerateTravel(const World& world, Rng rng, CsvWriter* travel, CsvWriter* matches);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_TRAVEL_H_
