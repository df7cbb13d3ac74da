#include "sim/names.h"

#include <string_view>
#include <vector>

namespace vigil::sim {
namespace {

constexpr double kCanonicalSpellingChance = 0.5;
constexpr double kSwappedOrderChance = 0.25;
constexpr double kAirlineFormChance = 0.3;
constexpr int kAliasAttemptsPerAlias = 4;
constexpr std::string_view kCyrillicFeminineEnding = "а";
constexpr std::string_view kFallbackAscii = "x";

std::span<const NameForm> GivenNames(const PersonName& name) {
  const OriginTable& table = TableFor(name.origin);
  return name.female ? table.given_female : table.given_male;
}

std::vector<std::string_view> Spellings(const NameForm& form) {
  std::vector<std::string_view> spellings = {form.latin};
  std::string_view rest = form.variants;
  while (!rest.empty()) {
    const size_t bar = rest.find('|');
    spellings.push_back(rest.substr(0, bar));
    rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
  }
  return spellings;
}

// Slavic family names agree with the bearer's sex: Ivanov / Ivanova.
std::string Feminise(std::string_view spelling, bool script) {
  std::string result(spelling);
  if (script) return result.append(kCyrillicFeminineEnding);
  if (!result.empty() && (result.back() == 'v' || result.back() == 'w')) result.push_back('a');
  return result;
}

std::string FamilyToken(const PersonName& name, std::string_view spelling, bool script) {
  const bool feminine = name.female && TableFor(name.origin).gendered_family;
  return feminine ? Feminise(spelling, script) : std::string(spelling);
}

std::string_view PickSpelling(const NameForm& form, Rng& rng) {
  if (rng.Chance(kCanonicalSpellingChance)) return form.latin;
  const std::vector<std::string_view> spellings = Spellings(form);
  return spellings[rng.Below(spellings.size())];
}

std::string AsciiLower(std::string_view text) {
  std::string result;
  for (char ch : text) {
    if (ch >= 'A' && ch <= 'Z') result.push_back(static_cast<char>(ch - 'A' + 'a'));
    if (ch >= 'a' && ch <= 'z') result.push_back(ch);
  }
  return result.empty() ? std::string(kFallbackAscii) : result;
}

// Latin letters with diacritics and the plain capital a carrier writes.
struct Folding {
  std::string_view letter;
  char plain;
};
constexpr Folding kFoldings[] = {
    {"à", 'A'}, {"á", 'A'}, {"â", 'A'}, {"ä", 'A'}, {"ç", 'C'}, {"Ç", 'C'}, {"è", 'E'}, {"é", 'E'},
    {"ê", 'E'}, {"ë", 'E'}, {"É", 'E'}, {"í", 'I'}, {"ì", 'I'}, {"î", 'I'}, {"ï", 'I'}, {"ı", 'I'},
    {"İ", 'I'}, {"Á", 'A'}, {"ñ", 'N'}, {"ó", 'O'}, {"ò", 'O'}, {"ô", 'O'}, {"ö", 'O'}, {"Ö", 'O'},
    {"ú", 'U'}, {"ù", 'U'}, {"û", 'U'}, {"ü", 'U'}, {"Ü", 'U'}, {"ş", 'S'}, {"Ş", 'S'}, {"ğ", 'G'}};

// Airline style: capitals, diacritics dropped. O(length).
std::string AsciiUpper(std::string_view text) {
  std::string result;
  for (size_t index = 0; index < text.size();) {
    const char ch = text[index];
    if (static_cast<unsigned char>(ch) < 0x80) {
      result.push_back(ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch);
      ++index;
      continue;
    }
    bool folded = false;
    for (const Folding& folding : kFoldings) {
      if (text.substr(index, folding.letter.size()) == folding.letter) {
        result.push_back(folding.plain);
        index += folding.letter.size();
        folded = true;
        break;
      }
    }
    if (!folded) result.push_back(text[index++]);
  }
  return result;
}

bool HasScript(const PersonName& name) {
  const auto given = GivenNames(name);
  return !given[name.given].script.empty();
}

struct Tokens {
  std::string given;  // given and middle names, space-joined
  std::string family;
};

Tokens ScriptTokens(const PersonName& name) {
  const auto given = GivenNames(name);
  Tokens tokens{std::string(given[name.given].script), ""};
  if (name.middle != kNoMiddleName) tokens.given.append(" ").append(given[name.middle].script);
  tokens.family = FamilyToken(name, TableFor(name.origin).family[name.family].script, true);
  return tokens;
}

Tokens LatinTokens(const PersonName& name, Rng& rng) {
  const auto given = GivenNames(name);
  Tokens tokens{std::string(PickSpelling(given[name.given], rng)), ""};
  if (name.middle != kNoMiddleName) {
    tokens.given.append(" ").append(PickSpelling(given[name.middle], rng));
  }
  tokens.family =
      FamilyToken(name, PickSpelling(TableFor(name.origin).family[name.family], rng), false);
  return tokens;
}

}  // namespace

PersonName RandomName(Origin origin, bool female, Rng& rng) {
  PersonName name;
  name.origin = origin;
  name.female = female;
  const auto given = GivenNames(name);
  name.given = static_cast<uint16_t>(rng.Below(given.size()));
  name.family = static_cast<uint16_t>(rng.Below(TableFor(origin).family.size()));
  return name;
}

std::string CanonicalName(const PersonName& name) {
  const auto given = GivenNames(name);
  std::string result(given[name.given].latin);
  if (name.middle != kNoMiddleName) result.append(" ").append(given[name.middle].latin);
  result += " ";
  result += FamilyToken(name, TableFor(name.origin).family[name.family].latin, false);
  return result;
}

std::string VariantName(const PersonName& name, double script_chance, Rng& rng) {
  if (HasScript(name) && rng.Chance(script_chance)) {
    const Tokens tokens = ScriptTokens(name);
    return rng.Chance(kSwappedOrderChance) ? tokens.family + " " + tokens.given
                                           : tokens.given + " " + tokens.family;
  }
  const Tokens tokens = LatinTokens(name, rng);
  if (rng.Chance(kAirlineFormChance)) {
    return AsciiUpper(tokens.family) + "/" + AsciiUpper(tokens.given);
  }
  return rng.Chance(kSwappedOrderChance) ? tokens.family + " " + tokens.given
                                         : tokens.given + " " + tokens.family;
}

std::string AliasList(const PersonName& name, int count, Rng& rng) {
  const std::string canonical = CanonicalName(name);
  std::vector<std::string> aliases;
  for (int attempt = 0; attempt < count * kAliasAttemptsPerAlias; ++attempt) {
    if (static_cast<int>(aliases.size()) >= count) break;
    const Tokens tokens = LatinTokens(name, rng);
    std::string alias = tokens.given + " " + tokens.family;
    if (alias == canonical) continue;
    bool seen = false;
    for (const std::string& existing : aliases) seen = seen || existing == alias;
    if (!seen) aliases.push_back(std::move(alias));
  }
  std::string joined;
  for (const std::string& alias : aliases) {
    if (!joined.empty()) joined.push_back('|');
    joined += alias;
  }
  return joined;
}

std::string AsciiGiven(const PersonName& name) {
  return AsciiLower(GivenNames(name)[name.given].latin);
}

std::string AsciiFamily(const PersonName& name) {
  return AsciiLower(TableFor(name.origin).family[name.family].latin);
}

}  // namespace vigil::sim
