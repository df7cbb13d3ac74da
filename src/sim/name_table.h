// Built-in tables of given and family names of several origins, with their
// common Latin transliteration variants and native-script forms (internal).
//
// Invented for synthetic worlds: common names, no real person's record.
#ifndef VIGIL_SIM_NAME_TABLE_H_
#define VIGIL_SIM_NAME_TABLE_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::sim {

// One name token: its usual Latin spelling, other Latin spellings ('|'-joined,
// may be empty) and its native-script form (empty for Latin-script names).
struct NameForm {
  std::string_view latin;
  std::string_view variants;
  std::string_view script;
};

enum class Origin : uint8_t { kArabic, kSlavic, kFrench, kSpanish, kTurkish, kEnglish };
inline constexpr int kOriginCount = 6;

struct OriginTable {
  std::span<const NameForm> given_male;
  std::span<const NameForm> given_female;
  std::span<const NameForm> family;
  std::span<const std::string_view> nationalities;  // ISO 3166-1 alpha-2
  bool gendered_family;  // Slavic -ov/-ev/-in family names take -a for women
};

// The table of `origin`. The returned reference lives for the whole program.
const OriginTable& TableFor(Origin origin);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_NAME_TABLE_H_
