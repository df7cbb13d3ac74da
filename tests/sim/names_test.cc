// The generated population's names: large Zipf-distributed pools per origin,
// variants that differ the way transliterations differ, native script where
// the origin has one, and the renderings carriers produce (airline form,
// typos, shortened middle names).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/name_syllables.h"
#include "sim/name_table.h"
#include "sim/names.h"
#include "sim/rng.h"
#include "sim/typo.h"

namespace vigil::sim {
namespace {

constexpr Origin kOrigins[] = {Origin::kArabic,  Origin::kSlavic,  Origin::kFrench,
                               Origin::kSpanish, Origin::kTurkish, Origin::kEnglish};

bool HasArabicOrCyrillic(const std::string& text) {
  for (unsigned char byte : text) {
    if (byte >= 0xD0 && byte <= 0xDB) return true;
  }
  return false;
}

bool IsUpperAscii(const std::string& text) {
  for (unsigned char byte : text) {
    if (byte >= 0x80 || (byte >= 'a' && byte <= 'z')) return false;
  }
  return true;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(separator, start), text.size());
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

TEST(SimNamePoolsTest, EveryOriginHasHundredsOfGivenAndThousandsOfFamilyNames) {
  for (Origin origin : kOrigins) {
    const OriginTable& table = TableFor(origin);
    EXPECT_GE(table.given_male.forms.size(), 300U);
    EXPECT_GE(table.given_female.forms.size(), 300U);
    EXPECT_GE(table.family.forms.size(), 2000U);
    std::set<std::string> family;
    for (const NameForm& form : table.family.forms) family.insert(form.latin);
    EXPECT_EQ(family.size(), table.family.forms.size()) << "family names repeat";
  }
}

TEST(SimNamePoolsTest, CommonNamesStayCommonAndTheTailIsLong) {
  const NamePool& family = TableFor(Origin::kArabic).family;
  Rng rng(11);
  constexpr int kDraws = 100000;
  std::map<uint16_t, int> counts;
  for (int draw = 0; draw < kDraws; ++draw) ++counts[family.Draw(rng)];
  const double top_share = static_cast<double>(counts[0]) / kDraws;
  EXPECT_GT(top_share, 0.01);  // the commonest family name: about 2%
  EXPECT_LT(top_share, 0.04);
  EXPECT_GT(counts[0], counts[50] * 5);  // Zipf: rank 1 far above rank 51
  EXPECT_GT(counts.size(), 1500U);       // and thousands of rare names are borne
  const OriginTable& table = TableFor(Origin::kArabic);
  std::map<uint16_t, int> given;
  for (int draw = 0; draw < kDraws; ++draw) ++given[table.given_male.Draw(rng)];
  const double top_given = static_cast<double>(given[0]) / kDraws;
  EXPECT_GT(top_given, 0.04);  // "Mohammed": about 7%
  EXPECT_LT(top_given, 0.10);
}

TEST(SimNamePoolsTest, NamesakesExistButAreTheException) {
  // 20,000 people of one origin and sex: some share a full name with
  // another, most do not.
  Rng rng(5);
  std::map<std::pair<uint16_t, uint16_t>, int> bearers;
  constexpr int kPeople = 20000;
  for (int person = 0; person < kPeople; ++person) {
    const PersonName name = RandomName(Origin::kArabic, false, rng);
    ++bearers[{name.given, name.family}];
  }
  int with_namesake = 0;
  for (const auto& [name, count] : bearers) with_namesake += count > 1 ? count : 0;
  EXPECT_GT(with_namesake, kPeople / 100);
  EXPECT_LT(with_namesake, kPeople / 3);
}

TEST(SimNamePoolsTest, ArabicAndCyrillicNamesHaveNativeScriptLatinOnesDoNot) {
  for (Origin origin : kOrigins) {
    const bool scripted = origin == Origin::kArabic || origin == Origin::kSlavic;
    for (const NameForm& form : TableFor(origin).family.forms) {
      EXPECT_EQ(HasArabicOrCyrillic(form.script), scripted) << form.latin;
      EXPECT_FALSE(HasArabicOrCyrillic(form.latin)) << form.latin;
    }
  }
}

TEST(SimNamePoolsTest, VariantsAreOtherSpellingsOfTheSameName) {
  size_t with_variants = 0;
  const auto& forms = TableFor(Origin::kArabic).given_male.forms;
  for (const NameForm& form : forms) {
    const std::vector<std::string> variants = Split(form.variants, '|');
    with_variants += !variants.empty();
    for (const std::string& variant : variants) {
      EXPECT_NE(variant, form.latin);
      EXPECT_FALSE(variant.empty());
    }
  }
  EXPECT_GT(with_variants, forms.size() / 2);
}

TEST(SimNamePoolsTest, ParticlesAreWrittenJoinedAndSplit) {
  bool joined = false;
  bool split = false;
  for (const NameForm& form : TableFor(Origin::kArabic).family.forms) {
    if (!form.latin.starts_with("El ")) continue;
    split = true;
    for (const std::string& variant : Split(form.variants, '|')) {
      joined = joined || (variant.starts_with("El") && variant.find(' ') == std::string::npos &&
                          variant.find('-') == std::string::npos);
    }
  }
  EXPECT_TRUE(split);
  EXPECT_TRUE(joined);
}

TEST(SimNamePoolsTest, InventionIsDeterministic) {
  const auto first = InventNames(Origin::kSlavic, NameKind::kFamily, 50, {});
  const auto second = InventNames(Origin::kSlavic, NameKind::kFamily, 50, {});
  ASSERT_EQ(first.size(), 50U);
  for (size_t index = 0; index < first.size(); ++index) {
    EXPECT_EQ(first[index].latin, second[index].latin);
    EXPECT_EQ(first[index].script, second[index].script);
  }
  const auto avoiding = InventNames(Origin::kSlavic, NameKind::kFamily, 50, {first[0].latin});
  for (const InventedName& name : avoiding) EXPECT_NE(name.latin, first[0].latin);
}

TEST(SimRenderingTest, AirlineFormIsCapitalAsciiFamilySlashGiven) {
  Rng rng(3);
  int airline = 0;
  for (int draw = 0; draw < 2000; ++draw) {
    const PersonName name = RandomName(kOrigins[draw % 6], draw % 2 == 0, rng);
    const std::string written = VariantName(name, Rendering{}, rng);
    if (written.find('/') == std::string::npos) continue;
    ++airline;
    EXPECT_TRUE(IsUpperAscii(written)) << written;
    EXPECT_EQ(Split(written, '/').size(), 2U) << written;
  }
  EXPECT_GT(airline, 300);
}

TEST(SimRenderingTest, ScriptChanceWritesNativeScript) {
  Rng rng(4);
  const PersonName name = RandomName(Origin::kSlavic, true, rng);
  EXPECT_TRUE(HasArabicOrCyrillic(VariantName(name, {.script_chance = 1.0}, rng)));
  EXPECT_FALSE(HasArabicOrCyrillic(VariantName(name, {.script_chance = 0.0}, rng)));
  const PersonName french = RandomName(Origin::kFrench, true, rng);
  EXPECT_FALSE(HasArabicOrCyrillic(VariantName(french, {.script_chance = 1.0}, rng)));
}

// Tokens of a rendering, the airline form's '/' counted as a separator.
std::vector<std::string> Tokens(std::string written) {
  std::replace(written.begin(), written.end(), '/', ' ');
  return Split(written, ' ');
}

TEST(SimRenderingTest, MiddleNamesAreDroppedOrCutToAnInitial) {
  Rng rng(8);
  PersonName name;  // "Mehmet Emre Kaya": one-token names, no particles
  name.origin = Origin::kTurkish;
  name.given = 0;
  name.middle = 2;
  name.family = 1;
  ASSERT_EQ(CanonicalName(name), "Mehmet Emre Kaya");
  for (int draw = 0; draw < 50; ++draw) {
    const std::string dropped = VariantName(name, {.middle_dropped_chance = 1.0}, rng);
    EXPECT_EQ(Tokens(dropped).size(), 2U) << dropped;
    const std::vector<std::string> cut =
        Tokens(VariantName(name, {.middle_initial_chance = 1.0}, rng));
    ASSERT_EQ(cut.size(), 3U);
    EXPECT_TRUE(
        std::any_of(cut.begin(), cut.end(), [](const std::string& token) { return token == "E"; }));
    EXPECT_EQ(Tokens(VariantName(name, Rendering{}, rng)).size(), 3U);
  }
}

TEST(SimRenderingTest, TypoChangesOneLetterKeepsTheFirstAndUtf8) {
  Rng rng(9);
  for (int draw = 0; draw < 500; ++draw) {
    std::string text = "Çelikson";
    AddTypo(rng, &text);
    EXPECT_TRUE(text.starts_with("Ç")) << text;  // the first letter, two bytes, untouched
    const int delta =
        static_cast<int>(text.size()) - static_cast<int>(std::string("Çelikson").size());
    EXPECT_LE(std::abs(delta), 1) << text;
    EXPECT_NE(text, "Çelikson") << "a typo changes the text (a doubled letter counts)";
  }
  std::string unchanged = "Ли";
  AddTypo(rng, &unchanged);
  EXPECT_EQ(unchanged, "Ли");
}

}  // namespace
}  // namespace vigil::sim
