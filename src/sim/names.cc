#include "sim/names.h"

#include <string_view>
#include <vector>

#include "sim/typo.h"

namespace vigil::sim {
namespace {

constexpr double kCanonicalSpellingChance = 0.5;
constexpr double kSwappedOrderChance = 0.25;
constexpr double kAirlineFormChance = 0.3;
// Reservation systems often keep only letters in the surname field
// ("ELAMRANI", "OBRIEN", "DELACRUZ").
constexpr double kAirlineCompactChance = 0.5;
constexpr int kAliasAttemptsPerAlias = 4;
constexpr std::string_view kCyrillicFeminineEnding = "а";
constexpr std::string_view kFallbackAscii = "x";

const std::vector<NameForm>& GivenNames(const PersonName& name) {
  const OriginTable& table = TableFor(name.origin);
  return name.female ? table.given_female.forms : table.given_male.forms;
}

const NameForm& FamilyForm(const PersonName& name) {
  return TableFor(name.origin).family.forms[name.family];
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

// Slavic family names agree with the bearer's sex: Ivanov / Ivanova,
// Ivanoff / Ivanova, Ilyin / Ilyina; "-enko" does not change.
std::string Feminise(std::string_view spelling, bool script) {
  std::string result(spelling);
  if (script) {
    if (result.ends_with("ов") || result.ends_with("ев") || result.ends_with("ин")) {
      result.append(kCyrillicFeminineEnding);
    }
    return result;
  }
  if (result.ends_with("ff")) return result.substr(0, result.size() - 2) + "va";
  if (result.ends_with("ine")) return result.substr(0, result.size() - 1) + "a";
  if (!result.empty() && (result.back() == 'v' || result.back() == 'w' || result.ends_with("in"))) {
    result.push_back('a');
  }
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
    {"à", 'A'}, {"á", 'A'}, {"â", 'A'}, {"ä", 'A'}, {"ç", 'C'}, {"Ç", 'C'}, {"è", 'E'},
    {"é", 'E'}, {"ê", 'E'}, {"ë", 'E'}, {"É", 'E'}, {"í", 'I'}, {"ì", 'I'}, {"î", 'I'},
    {"ï", 'I'}, {"ı", 'I'}, {"İ", 'I'}, {"Á", 'A'}, {"ñ", 'N'}, {"ó", 'O'}, {"ò", 'O'},
    {"ô", 'O'}, {"ö", 'O'}, {"Ö", 'O'}, {"ú", 'U'}, {"ù", 'U'}, {"û", 'U'}, {"ü", 'U'},
    {"Ü", 'U'}, {"ş", 'S'}, {"Ş", 'S'}, {"ğ", 'G'}, {"Ñ", 'N'}, {"Ç", 'C'}};

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
  const auto& given = GivenNames(name);
  const bool middle = name.middle == kNoMiddleName || !given[name.middle].script.empty();
  return !given[name.given].script.empty() && middle && !FamilyForm(name).script.empty();
}

struct Tokens {
  std::string given;   // the first given name
  std::string middle;  // a second given name, or empty
  std::string family;

  std::string Given() const { return middle.empty() ? given : given + " " + middle; }
};

Tokens ScriptTokens(const PersonName& name) {
  const auto& given = GivenNames(name);
  Tokens tokens{given[name.given].script, "", ""};
  if (name.middle != kNoMiddleName) tokens.middle = given[name.middle].script;
  tokens.family = FamilyToken(name, FamilyForm(name).script, true);
  return tokens;
}

Tokens LatinTokens(const PersonName& name, Rng& rng) {
  const auto& given = GivenNames(name);
  Tokens tokens{std::string(PickSpelling(given[name.given], rng)), "", ""};
  if (name.middle != kNoMiddleName) tokens.middle = PickSpelling(given[name.middle], rng);
  tokens.family = FamilyToken(name, PickSpelling(FamilyForm(name), rng), false);
  return tokens;
}

// The first UTF-8 character of `text` (an initial).
std::string Initial(const std::string& text) {
  size_t length = 1;
  while (length < text.size() && (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80) {
    ++length;
  }
  return text.substr(0, length);
}

void ShortenMiddle(const Rendering& rendering, Rng& rng, Tokens* tokens) {
  if (tokens->middle.empty()) return;
  const double draw = rng.Unit();
  if (draw < rendering.middle_dropped_chance) {
    tokens->middle.clear();
  } else if (draw < rendering.middle_dropped_chance + rendering.middle_initial_chance) {
    tokens->middle = Initial(tokens->middle);
  }
}

void MaybeTypo(const Rendering& rendering, Rng& rng, Tokens* tokens) {
  if (!rng.Chance(rendering.typo_chance)) return;
  AddTypo(rng, rng.Chance(0.5) ? &tokens->given : &tokens->family);
}

std::string LettersOnly(const std::string& text) {
  std::string result;
  for (char ch : text) {
    if (ch != ' ' && ch != '-' && ch != '\'') result.push_back(ch);
  }
  return result;
}

std::string InOrder(const Tokens& tokens, Rng& rng) {
  return rng.Chance(kSwappedOrderChance) ? tokens.family + " " + tokens.Given()
                                         : tokens.Given() + " " + tokens.family;
}

}  // namespace

PersonName RandomName(Origin origin, bool female, Rng& rng) {
  PersonName name;
  name.origin = origin;
  name.female = female;
  const OriginTable& table = TableFor(origin);
  name.given = (female ? table.given_female : table.given_male).Draw(rng);
  name.family = table.family.Draw(rng);
  return name;
}

std::string CanonicalName(const PersonName& name) {
  const auto& given = GivenNames(name);
  std::string result(given[name.given].latin);
  if (name.middle != kNoMiddleName) result.append(" ").append(given[name.middle].latin);
  result += " ";
  result += FamilyToken(name, FamilyForm(name).latin, false);
  return result;
}

std::string VariantName(const PersonName& name, const Rendering& rendering, Rng& rng) {
  if (HasScript(name) && rng.Chance(rendering.script_chance)) {
    Tokens tokens = ScriptTokens(name);
    ShortenMiddle(rendering, rng, &tokens);
    return InOrder(tokens, rng);
  }
  Tokens tokens = LatinTokens(name, rng);
  ShortenMiddle(rendering, rng, &tokens);
  MaybeTypo(rendering, rng, &tokens);
  if (rng.Chance(kAirlineFormChance)) {
    const std::string family = AsciiUpper(tokens.family);
    return (rng.Chance(kAirlineCompactChance) ? LettersOnly(family) : family) + "/" +
           AsciiUpper(tokens.Given());
  }
  return InOrder(tokens, rng);
}

std::string AliasList(const PersonName& name, int count, Rng& rng) {
  const std::string canonical = CanonicalName(name);
  std::vector<std::string> aliases;
  for (int attempt = 0; attempt < count * kAliasAttemptsPerAlias; ++attempt) {
    if (static_cast<int>(aliases.size()) >= count) break;
    const Tokens tokens = LatinTokens(name, rng);
    std::string alias = tokens.Given() + " " + tokens.family;
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

std::string AsciiFamily(const PersonName& name) { return AsciiLower(FamilyForm(name).latin); }

}  // namespace vigil::sim
