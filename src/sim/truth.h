// Ground truth under truth/: the owner of every selector, the members of
// every covert cell and every reactivation (internal to vigil_sim).
#ifndef VIGIL_SIM_TRUTH_H_
#define VIGIL_SIM_TRUTH_H_

#include "sim/csv_writer.h"
#include "sim/world.h"

namespace vigil::sim {

inline constexpr std::string_view kTruthSelectorColumns[] = {"selector", "person_id"};
inline constexpr std::string_view kTruthCellColumns[] = {"person_id", "cell_id"};
inline constexpr std::string_view kTruthActivationColumns[] = {"person_id", "time"};

// Every selector any person holds (phones, SIMs, handsets, handles, e-mail,
// passports), once each. O(selectors) time, O(1) extra memory.
void WriteTruthSelectors(const World& world, CsvWriter* out);
void WriteTruthCells(const World& world, CsvWriter* out);
void WriteTruthActivations(const World& world, CsvWriter* out);

// "cell-007".
std::string CellId(size_t cell);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_TRUTH_H_
