// Syllable models that invent name tokens of each origin, with the Latin
// spellings different transliteration habits give them and their native
// script (internal to vigil_sim).
//
// Why invented: the synthetic population needs thousands of given and family
// names per origin so that namesakes are as rare (or as common) as in life,
// and no list of real private people may be used. A token is built as a
// sequence of sounds (units); each unit knows how three transliteration
// schemes write it in Latin and how it is written in Arabic or Cyrillic
// script. Arabic: 0 English ("Yusuf", "Shakir"), 1 French/Maghreb
// ("Youssouf", "Chakir"), 2 Gulf/phonetic ("Yoosuf"). Cyrillic: 0 BGN/PCGN
// ("Tyapov"), 1 ICAO 9303 as in passports ("Tiapov"), 2 German ("Tjapow").
// Latin-script origins: 0 with their letters ("Çelik", "Lefèvre"), 1 and 2
// without diacritics or as machine-readable zones write them ("Oe").
// Variants therefore differ the way real transliterations differ (ou/u,
// kh/ch, sh/ch/sch, doubled letters, particles joined or split), not by
// random noise.
#ifndef VIGIL_SIM_NAME_SYLLABLES_H_
#define VIGIL_SIM_NAME_SYLLABLES_H_

#include <string>
#include <vector>

#include "sim/name_table.h"

namespace vigil::sim {

enum class NameKind : uint8_t { kGivenMale, kGivenFemale, kFamily };

// One invented token: usual Latin spelling, other Latin spellings
// ('|'-joined, may be empty) and native script (empty for Latin origins).
struct InventedName {
  std::string latin;
  std::string variants;
  std::string script;
};

// `count` distinct invented tokens of `origin` and `kind`, none equal (in
// its usual spelling) to a name in `taken`. Deterministic: the same
// arguments give the same tokens on every platform. O(count) time and memory.
std::vector<InventedName> InventNames(Origin origin, NameKind kind, size_t count,
                                      const std::vector<std::string>& taken);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_NAME_SYLLABLES_H_
