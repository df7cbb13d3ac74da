// Communication metadata, generated day by day and streamed to comms.csv
// (internal to vigil_sim).
//
// Background traffic is drawn event by event from an alias table over
// people's rates (cost O(events), not O(people x days)); covert people are
// stepped individually so their phase (active, dormant, reactivated) shapes
// their activity and contacts. Memory: O(people) plus one day's events.
#ifndef VIGIL_SIM_COMMS_H_
#define VIGIL_SIM_COMMS_H_

#include <cstdint>

#include "sim/csv_writer.h"
#include "sim/rng.h"
#include "sim/world.h"
#include "vigil/progress.h"
#include "vigil/status.h"

namespace vigil::sim {

inline constexpr std::string_view kCommsColumns[] = {"time",       "src",    "dst", "kind",
                                                     "duration_s", "device", "cell"};

// Writes every day's communications into `out` (header already written).
// `progress` may be null. Returns the first write error. Not thread-safe.
Status GenerateComms(const World& world, Rng rng, Progress* progress, CsvWriter* out);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_COMMS_H_
