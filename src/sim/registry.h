// The service's own records: persons.csv (subjects, associates, unknowns)
// and selectors.csv (some selectors attributed, some seen with no owner,
// most absent) (internal to vigil_sim).
#ifndef VIGIL_SIM_REGISTRY_H_
#define VIGIL_SIM_REGISTRY_H_

#include "sim/csv_writer.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace vigil::sim {

inline constexpr std::string_view kPersonColumns[] = {"person_id",   "name",        "aliases",
                                                      "birth_date",  "nationality", "status",
                                                      "compartment", "legal_basis", "review_by"};
inline constexpr std::string_view kSelectorColumns[] = {"selector", "person_id", "first_seen",
                                                        "last_seen", "source"};

// One row per person the service knows (Person::known != kNotKnown).
void WritePersons(const World& world, Rng rng, CsvWriter* out);

// Selectors the service holds. An attributed selector's person_id always has
// a persons row and is its true owner.
void WriteSelectors(const World& world, Rng rng, CsvWriter* out);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_REGISTRY_H_
