// Tables of given and family names of several origins, with their common
// Latin transliteration variants, native-script forms and how often each is
// borne (internal).
//
// Each table starts with a hand-written head of common names and continues
// with a long tail invented by syllable models (name_syllables.h): real
// populations have a few very common names and thousands of rare ones, so a
// namesake of a listed person is neither certain nor impossible. Frequencies
// follow a Zipf-Mandelbrot law, weight(rank) = 1 / (rank + q)^s, with q and
// s per pool chosen so that the most common given name is borne by about 5-7%
// of its origin's men or women and the most common family name by about 2%
// (the shares of the commonest names in European and North African civil
// registers). No real person's record is used.
#ifndef VIGIL_SIM_NAME_TABLE_H_
#define VIGIL_SIM_NAME_TABLE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/alias_table.h"
#include "sim/rng.h"

namespace vigil::sim {

// One name token: its usual Latin spelling, other Latin spellings ('|'-joined,
// may be empty) and its native-script form (empty for Latin-script names).
struct NameForm {
  std::string latin;
  std::string variants;
  std::string script;
};

// The names of one kind of one origin and how often each is borne.
struct NamePool {
  std::vector<NameForm> forms;  // most common first
  AliasTable frequency;         // weights of `forms`

  // An index into `forms`, drawn by frequency. O(1).
  uint16_t Draw(Rng& rng) const { return static_cast<uint16_t>(frequency.Draw(rng)); }
};

enum class Origin : uint8_t { kArabic, kSlavic, kFrench, kSpanish, kTurkish, kEnglish };
inline constexpr int kOriginCount = 6;

struct OriginTable {
  NamePool given_male;
  NamePool given_female;
  NamePool family;
  std::span<const std::string_view> nationalities;  // ISO 3166-1 alpha-2
  bool gendered_family;  // Slavic -ov/-ev/-in family names take -a for women
};

// The table of `origin`, built on first use (a few milliseconds for all
// origins; thread-safe). The returned reference lives for the whole program.
// Memory: O(names), about 20,000 tokens in all.
const OriginTable& TableFor(Origin origin);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_NAME_TABLE_H_
