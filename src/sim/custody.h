// Custody stays (recruiters and the cell members they met inside, plus
// ordinary inmates) and reports from the prison service, police and partner
// agencies (internal to vigil_sim).
#ifndef VIGIL_SIM_CUSTODY_H_
#define VIGIL_SIM_CUSTODY_H_

#include "sim/csv_writer.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace vigil::sim {

inline constexpr std::string_view kCustodyColumns[] = {"person_id", "facility", "start", "end"};
inline constexpr std::string_view kReportColumns[] = {"report_id", "time",     "person_id", "name",
                                                      "source",    "category", "text"};

// Writes custody.csv and reports.csv. Ordinary inmates become known to the
// service (Known::kUnknown), so every custody row refers to a persons row.
// REQUIRES: BuildCells ran. O(people) time.
void GenerateCustodyAndReports(Rng rng, World* world, CsvWriter* custody, CsvWriter* reports);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_CUSTODY_H_
