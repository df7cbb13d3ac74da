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

// A random name of `origin`, drawn by the names' frequencies. O(1).
PersonName RandomName(Origin origin, bool female, Rng& rng);

// "Given [Middle] Family" in the usual Latin spelling. O(length).
std::string CanonicalName(const PersonName& name);

// How a record's writer renders a name. Defaults: a clean partner list.
struct Rendering {
  double script_chance = 0.0;  // native script (when the origin has one)
  double typo_chance = 0.0;    // one typing error in one Latin token
  // A middle name left out (booking forms have one given-name field) or
  // cut to its initial.
  double middle_dropped_chance = 0.0;
  double middle_initial_chance = 0.0;
};

// The name as a carrier, border post or partner list might write it: a
// transliteration variant per token (particles joined or split), the order
// swapped or in the airline "FAMILY/GIVEN" form (capitals, no diacritics,
// and often no spaces, hyphens or apostrophes inside the family name), in
// native script, with a typo or a shortened middle name, as `rendering`
// says. Deterministic for the same rng state. O(length).
std::string VariantName(const PersonName& name, const Rendering& rendering, Rng& rng);

// Up to `count` spellings different from the canonical one, '|'-joined.
std::string AliasList(const PersonName& name, int count, Rng& rng);

// Lowercase ASCII letters of the given name (for handles and e-mail), at
// least one character. O(length).
std::string AsciiGiven(const PersonName& name);
std::string AsciiFamily(const PersonName& name);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_NAMES_H_
