#include "sim/partial_date.h"

#include "sim/civil_time.h"

namespace vigil::sim {

void WriteBirthDate(const Person& person, const DatePrecision& precision, Rng& rng,
                    CsvWriter* out) {
  char text[kDateChars];
  FormatDate(DaysFromCivil({person.birth_year, person.birth_month, person.birth_day}), text);
  const double draw = rng.Unit();
  if (draw < precision.full) {
    out->Plain({text, kDateChars});
  } else if (draw < precision.full + precision.year_month) {
    out->Plain({text, kYearMonthChars});
  } else if (draw < precision.full + precision.year_month + precision.year) {
    out->Plain({text, kYearChars});
  } else {
    out->Empty();
  }
}

}  // namespace vigil::sim
