// A person's name as indices into the name tables, and its renderings: the
// canonical form, the spellings a carrier or partner list would write, and
// alias lists (internal to vigil_sim).
#ifndef VIGIL_SIM_NAMES_H_
#define VIGIL_SIM_NAMES_H_

#include <cstdint>
#include <string>

#include "sim/name_table.h"
#include "sim/rng.h"

namespace vigil::sim {

inline constexpr int16_t kNoMiddleName = -1;

struct PersonName {
  Origin origin = Origin::kEnglish;
  bool female = false;
  uint16_t given = 0;              // index into the origin's given names (by sex)
  uint16_t family = 0;             // index into the origin's family names
  int16_t middle = kNoMiddleName;  // a second given name, or kNoMiddleName
};

// A random name of `origin`. O(1).
PersonName RandomName(Origin origin, bool female, Rng& rng);

// "Given [Middle] Family" in the usual Latin spelling. O(length).
std::string CanonicalName(const PersonName& name);

// The name as a carrier, border post or partner list might write it: a
// transliteration variant per token, the order swapped or in the airline
// "FAMILY/GIVEN" form, and with probability `script_chance` in native script
// (when the origin has one). Deterministic for the same rng state.
std::string VariantName(const PersonName& name, double script_chance, Rng& rng);

// Up to `count` spellings different from the canonical one, '|'-joined.
std::string AliasList(const PersonName& name, int count, Rng& rng);

// Lowercase ASCII letters of the given name (for handles and e-mail), at
// least one character. O(length).
std::string AsciiGiven(const PersonName& name);
std::string AsciiFamily(const PersonName& name);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_NAMES_H_
