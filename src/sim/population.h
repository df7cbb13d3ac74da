// The background population: people, families, workplaces, neighbourhoods
// and clubs (overlapping communities), heavy-tailed activity, hubs, and
// honest phone churn (internal to vigil_sim).
#ifndef VIGIL_SIM_POPULATION_H_
#define VIGIL_SIM_POPULATION_H_

#include <cstdint>

#include "sim/rng.h"
#include "sim/world.h"

namespace vigil::sim {

// Sequence counters that keep every generated selector distinct.
struct SelectorSequences {
  uint32_t msisdn = 0;
  uint32_t imsi = 0;
  uint32_t imei = 0;
  uint32_t handle = 0;
  uint32_t email = 0;
};

// Fills world->people (count `people`), families, contacts, hubs and phones.
// REQUIRES: world->days > 0, people >= 50. Cost O(people) time and memory.
void BuildPopulation(int64_t people, Rng& rng, World* world, SelectorSequences* sequences);

// Replaces the phones of `person` with `count` SIM epochs spread over the
// period (the first at day 0, one at `forced_day` when not kNone), keeping
// the handset at a change with probability `keep_handset`. Appends to
// world->epochs. O(count log count).
void AssignEpochs(uint32_t person, int count, int32_t forced_day, double keep_handset, Rng& rng,
                  World* world, SelectorSequences* sequences);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_POPULATION_H_
