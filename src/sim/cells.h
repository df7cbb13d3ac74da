// Covert cells and recruiters: who is in them, their SIM carousels and
// messenger handles, and their dormancy and reactivation schedule
// (internal to vigil_sim).
#ifndef VIGIL_SIM_CELLS_H_
#define VIGIL_SIM_CELLS_H_

#include "sim/population.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace vigil::sim {

// The phase of a cell on a day.
enum class CellPhase { kActive, kDormant, kReactivated };

// Chooses cells of 3..12 ordinary people (a few percent of the population,
// at least kMinCells cells), recruiters, and decoy subjects; marks who the
// service knows. REQUIRES: BuildPopulation ran. O(people).
void BuildCells(Rng& rng, World* world, SelectorSequences* sequences);

CellPhase PhaseOn(const Cell& cell, int day);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_CELLS_H_
