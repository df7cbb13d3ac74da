// Birth dates written fully or partially, as records often hold them
// (internal to vigil_sim).
#ifndef VIGIL_SIM_PARTIAL_DATE_H_
#define VIGIL_SIM_PARTIAL_DATE_H_

#include "sim/csv_writer.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace vigil::sim {

// How likely each precision is; the rest of the mass is "unknown" (empty).
struct DatePrecision {
  double full;
  double year_month;
  double year;
};

// Writes the person's birth date as YYYY-MM-DD, YYYY-MM, YYYY or empty.
void WriteBirthDate(const Person& person, const DatePrecision& precision, Rng& rng, CsvWriter* out);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_PARTIAL_DATE_H_
