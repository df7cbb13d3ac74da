#include "sim/name_syllables.h"

#include <span>
#include <string_view>
#include <unordered_set>

#include "sim/rng.h"

namespace vigil::sim {
namespace {

constexpr int kSchemes = 3;
constexpr uint64_t kInventionSeed = 0x6e616d6573ULL;  // fixed: the vocabulary is the language
constexpr size_t kAttemptsPerName = 64;

// A sound and how it is written: in Latin by each transliteration scheme,
// and in native script ("" for short vowels in Arabic, which the script
// omits, and for every unit of a Latin-script origin).
struct Unit {
  std::string_view latin[kSchemes];
  std::string_view script;
};

// A particle written before a family name: "El Amrani", "Ben Ali",
// "Le Gall", "McAllister".
struct Particle {
  Unit unit;
  bool apart;                  // written with a space in the usual spelling
  bool script_apart;           // written with a space in native script
  bool hyphenated;             // also written with a hyphen ("Al-Amrani")
  bool capital_after = false;  // joined, the name keeps its capital ("McAllister")
};

struct Syllables {
  int min;
  int max;
};

struct SyllableModel {
  std::span<const Unit> consonants;  // repeated entries weigh more
  std::span<const Unit> vowels;
  std::span<const Unit> male_endings;
  std::span<const Unit> female_endings;
  std::span<const Unit> family_endings;
  std::span<const Particle> particles;
  std::span<const Unit> sonorants;  // first consonant of a cluster ("Mansur")
  double particle_chance;
  double gemination_chance;  // a doubled consonant ("Haddad")
  double cluster_chance;     // two consonants between vowels ("Mansur")
  Syllables given;           // syllables before the ending of given names
  Syllables family;          // ... and of family names
};

// --- Arabic: consonantal script; short vowels unwritten. -------------------
constexpr Unit kArabicConsonants[] = {
    {{"b", "b", "b"}, "ب"},    {{"t", "t", "t"}, "ت"},  {{"th", "t", "th"}, "ث"},
    {{"j", "dj", "j"}, "ج"},   {{"h", "h", "h"}, "ح"},  {{"kh", "kh", "h"}, "خ"},
    {{"d", "d", "d"}, "د"},    {{"r", "r", "r"}, "ر"},  {{"r", "r", "r"}, "ر"},
    {{"z", "z", "z"}, "ز"},    {{"s", "s", "s"}, "س"},  {{"s", "ss", "s"}, "س"},
    {{"sh", "ch", "sh"}, "ش"}, {{"s", "s", "ss"}, "ص"}, {{"d", "d", "dh"}, "ض"},
    {{"t", "t", "t"}, "ط"},    {{"", "", ""}, "ع"},     {{"gh", "gh", "gh"}, "غ"},
    {{"f", "f", "f"}, "ف"},    {{"q", "k", "g"}, "ق"},  {{"k", "k", "k"}, "ك"},
    {{"l", "l", "l"}, "ل"},    {{"l", "l", "l"}, "ل"},  {{"m", "m", "m"}, "م"},
    {{"m", "m", "m"}, "م"},    {{"n", "n", "n"}, "ن"},  {{"n", "n", "n"}, "ن"},
    {{"h", "h", "h"}, "ه"},    {{"w", "ou", "w"}, "و"}, {{"y", "y", "y"}, "ي"},
    {{"", "", ""}, "أ"},
};
constexpr Unit kArabicSonorants[] = {{{"l", "l", "l"}, "ل"},
                                     {{"r", "r", "r"}, "ر"},
                                     {{"m", "m", "m"}, "م"},
                                     {{"n", "n", "n"}, "ن"},
                                     {{"s", "s", "s"}, "س"}};
constexpr Unit kArabicVowels[] = {
    {{"a", "a", "a"}, ""},   {{"a", "a", "a"}, ""},    {{"a", "e", "a"}, ""},
    {{"i", "e", "i"}, ""},   {{"i", "i", "e"}, ""},    {{"u", "ou", "o"}, ""},
    {{"u", "o", "u"}, ""},   {{"a", "a", "aa"}, "ا"},  {{"a", "a", "a"}, "ا"},
    {{"i", "i", "ee"}, "ي"}, {{"u", "ou", "oo"}, "و"},
};
constexpr Unit kArabicMaleEndings[] = {{{"", "", ""}, ""}};
constexpr Unit kArabicFemaleEndings[] = {
    {{"a", "a", "ah"}, "ة"}, {{"a", "a", "ah"}, "ة"}, {{"a", "a", "a"}, "ى"}, {{"", "", ""}, ""}};
constexpr Unit kArabicFamilyEndings[] = {
    {{"", "", ""}, ""},      {{"", "", ""}, ""},     {{"", "", ""}, ""},
    {{"i", "i", "y"}, "ي"},  {{"i", "i", "i"}, "ي"}, {{"ani", "ani", "any"}, "اني"},
    {{"a", "a", "ah"}, "ة"},
};
constexpr Particle kArabicParticles[] = {
    {{{"El", "Al", "El"}, "ال"}, true, false, true},
    {{{"El", "Al", "El"}, "ال"}, true, false, true},
    {{{"Ben", "Bin", "Ibn"}, "بن"}, true, true, false},
    {{{"Abu", "Abou", "Abu"}, "أبو"}, true, true, false},
    {{{"Bou", "Bu", "Bou"}, "بو"}, false, false, false, false},
};

// --- Russian and North Caucasian names, Cyrillic script. -------------------
constexpr Unit kSlavicConsonants[] = {
    {{"b", "b", "b"}, "б"},      {{"v", "v", "w"}, "в"},     {{"g", "g", "g"}, "г"},
    {{"d", "d", "d"}, "д"},      {{"zh", "zh", "sch"}, "ж"}, {{"z", "z", "s"}, "з"},
    {{"k", "k", "k"}, "к"},      {{"k", "k", "k"}, "к"},     {{"l", "l", "l"}, "л"},
    {{"l", "l", "l"}, "л"},      {{"m", "m", "m"}, "м"},     {{"m", "m", "m"}, "м"},
    {{"n", "n", "n"}, "н"},      {{"n", "n", "n"}, "н"},     {{"p", "p", "p"}, "п"},
    {{"r", "r", "r"}, "р"},      {{"r", "r", "r"}, "р"},     {{"s", "s", "s"}, "с"},
    {{"s", "s", "s"}, "с"},      {{"t", "t", "t"}, "т"},     {{"t", "t", "t"}, "т"},
    {{"f", "f", "f"}, "ф"},      {{"kh", "kh", "ch"}, "х"},  {{"ts", "ts", "z"}, "ц"},
    {{"ch", "ch", "tsch"}, "ч"}, {{"sh", "sh", "sch"}, "ш"},
};
constexpr Unit kSlavicSonorants[] = {{{"l", "l", "l"}, "л"},
                                     {{"r", "r", "r"}, "р"},
                                     {{"m", "m", "m"}, "м"},
                                     {{"n", "n", "n"}, "н"},
                                     {{"s", "s", "s"}, "с"}};
constexpr Unit kSlavicVowels[] = {
    {{"a", "a", "a"}, "а"},    {{"a", "a", "a"}, "а"},    {{"o", "o", "o"}, "о"},
    {{"o", "o", "o"}, "о"},    {{"u", "u", "ou"}, "у"},   {{"e", "e", "e"}, "е"},
    {{"i", "i", "i"}, "и"},    {{"i", "i", "i"}, "и"},    {{"y", "y", "y"}, "ы"},
    {{"ya", "ia", "ja"}, "я"}, {{"yu", "iu", "ju"}, "ю"},
};
constexpr Unit kSlavicMaleEndings[] = {
    {{"", "", ""}, ""}, {{"", "", ""}, ""}, {{"iy", "ii", "ij"}, "ий"}, {{"an", "an", "an"}, "ан"}};
constexpr Unit kSlavicFemaleEndings[] = {{{"a", "a", "a"}, "а"},
                                         {{"a", "a", "a"}, "а"},
                                         {{"ya", "ia", "ja"}, "я"},
                                         {{"ina", "ina", "ina"}, "ина"}};
constexpr Unit kSlavicFamilyEndings[] = {
    {{"ov", "ov", "ow"}, "ов"},         {{"ov", "off", "ow"}, "ов"},    {{"ov", "ov", "ow"}, "ов"},
    {{"ev", "ev", "ew"}, "ев"},         {{"yev", "iev", "jew"}, "ьев"}, {{"in", "ine", "in"}, "ин"},
    {{"enko", "enko", "enko"}, "енко"},
};

// --- Latin-script origins: variants are diacritics and particles. ---------
constexpr Unit kLatinSonorants[] = {
    {{"l", "l", "l"}, ""}, {{"r", "r", "r"}, ""}, {{"n", "n", "n"}, ""}, {{"s", "s", "s"}, ""}};
constexpr Unit kFrenchConsonants[] = {
    {{"b", "b", "b"}, ""},    {{"c", "c", "c"}, ""},    {{"d", "d", "d"}, ""},
    {{"f", "f", "f"}, ""},    {{"g", "g", "g"}, ""},    {{"j", "j", "j"}, ""},
    {{"l", "l", "l"}, ""},    {{"l", "l", "l"}, ""},    {{"m", "m", "m"}, ""},
    {{"n", "n", "n"}, ""},    {{"p", "p", "p"}, ""},    {{"r", "r", "r"}, ""},
    {{"r", "r", "r"}, ""},    {{"s", "s", "s"}, ""},    {{"t", "t", "t"}, ""},
    {{"v", "v", "v"}, ""},    {{"ch", "ch", "ch"}, ""}, {{"br", "br", "br"}, ""},
    {{"gr", "gr", "gr"}, ""}, {{"tr", "tr", "tr"}, ""}, {{"cl", "cl", "cl"}, ""},
};
constexpr Unit kFrenchVowels[] = {
    {{"a", "a", "a"}, ""},    {{"a", "a", "a"}, ""}, {{"e", "e", "e"}, ""},
    {{"i", "i", "i"}, ""},    {{"o", "o", "o"}, ""}, {{"u", "u", "u"}, ""},
    {{"ou", "ou", "ou"}, ""}, {{"é", "e", "e"}, ""}, {{"au", "au", "au"}, ""},
    {{"ai", "ai", "ai"}, ""},
};
constexpr Unit kFrenchMaleEndings[] = {{{"ien", "ien", "ien"}, ""}, {{"in", "in", "in"}, ""},
                                       {{"ic", "ic", "ic"}, ""},    {{"as", "as", "as"}, ""},
                                       {{"el", "el", "el"}, ""},    {{"on", "on", "on"}, ""},
                                       {{"ard", "ard", "ard"}, ""}};
constexpr Unit kFrenchFemaleEndings[] = {
    {{"ine", "ine", "ine"}, ""}, {{"ette", "ette", "ette"}, ""}, {{"elle", "elle", "elle"}, ""},
    {{"ie", "ie", "ie"}, ""},    {{"ène", "ene", "ene"}, ""},    {{"e", "e", "e"}, ""}};
constexpr Unit kFrenchFamilyEndings[] = {
    {{"eau", "eau", "eau"}, ""}, {{"ard", "ard", "ard"}, ""}, {{"et", "et", "et"}, ""},
    {{"ier", "ier", "ier"}, ""}, {{"on", "on", "on"}, ""},    {{"in", "in", "in"}, ""},
    {{"and", "and", "and"}, ""}, {{"ot", "ot", "ot"}, ""},    {{"el", "el", "el"}, ""},
    {{"ès", "es", "es"}, ""},    {{"y", "y", "y"}, ""}};
constexpr Particle kFrenchParticles[] = {{{{"Le", "Le", "Le"}, ""}, true, true, false},
                                         {{{"Du", "Du", "Du"}, ""}, true, true, false},
                                         {{{"De", "De", "De"}, ""}, true, true, false},
                                         {{{"La", "La", "La"}, ""}, true, true, false}};

constexpr Unit kSpanishConsonants[] = {
    {{"b", "b", "b"}, ""},    {{"c", "c", "c"}, ""}, {{"d", "d", "d"}, ""},
    {{"g", "g", "g"}, ""},    {{"j", "j", "j"}, ""}, {{"l", "l", "l"}, ""},
    {{"ll", "ll", "ll"}, ""}, {{"m", "m", "m"}, ""}, {{"n", "n", "n"}, ""},
    {{"ñ", "n", "ny"}, ""},   {{"p", "p", "p"}, ""}, {{"r", "r", "r"}, ""},
    {{"r", "r", "r"}, ""},    {{"s", "s", "s"}, ""}, {{"t", "t", "t"}, ""},
    {{"v", "v", "v"}, ""},    {{"z", "z", "z"}, ""}, {{"ch", "ch", "ch"}, ""},
};
constexpr Unit kSpanishVowels[] = {
    {{"a", "a", "a"}, ""},    {{"a", "a", "a"}, ""}, {{"e", "e", "e"}, ""},
    {{"e", "e", "e"}, ""},    {{"i", "i", "i"}, ""}, {{"o", "o", "o"}, ""},
    {{"o", "o", "o"}, ""},    {{"u", "u", "u"}, ""}, {{"ue", "ue", "ue"}, ""},
    {{"ie", "ie", "ie"}, ""}, {{"á", "a", "a"}, ""},
};
constexpr Unit kSpanishMaleEndings[] = {{{"o", "o", "o"}, ""},         {{"o", "o", "o"}, ""},
                                        {{"io", "io", "io"}, ""},      {{"el", "el", "el"}, ""},
                                        {{"án", "an", "an"}, ""},      {{"és", "es", "es"}, ""},
                                        {{"ando", "ando", "ando"}, ""}};
constexpr Unit kSpanishFemaleEndings[] = {{{"a", "a", "a"}, ""},
                                          {{"a", "a", "a"}, ""},
                                          {{"ia", "ia", "ia"}, ""},
                                          {{"ela", "ela", "ela"}, ""},
                                          {{"ina", "ina", "ina"}, ""}};
constexpr Unit kSpanishFamilyEndings[] = {
    {{"ez", "ez", "es"}, ""},       {{"ez", "ez", "ez"}, ""},    {{"ez", "ez", "ez"}, ""},
    {{"ero", "ero", "ero"}, ""},    {{"era", "era", "era"}, ""}, {{"eda", "eda", "eda"}, ""},
    {{"illo", "illo", "illo"}, ""}, {{"ón", "on", "on"}, ""},    {{"ado", "ado", "ado"}, ""},
    {{"al", "al", "al"}, ""}};
constexpr Particle kSpanishParticles[] = {{{{"De la", "De La", "de la"}, ""}, true, true, false},
                                          {{{"Del", "Del", "Del"}, ""}, true, true, false}};

constexpr Unit kTurkishConsonants[] = {
    {{"b", "b", "b"}, ""}, {{"c", "c", "c"}, ""}, {{"ç", "c", "c"}, ""}, {{"d", "d", "d"}, ""},
    {{"g", "g", "g"}, ""}, {{"h", "h", "h"}, ""}, {{"k", "k", "k"}, ""}, {{"k", "k", "k"}, ""},
    {{"l", "l", "l"}, ""}, {{"m", "m", "m"}, ""}, {{"n", "n", "n"}, ""}, {{"r", "r", "r"}, ""},
    {{"r", "r", "r"}, ""}, {{"s", "s", "s"}, ""}, {{"ş", "s", "s"}, ""}, {{"t", "t", "t"}, ""},
    {{"y", "y", "y"}, ""}, {{"z", "z", "z"}, ""},
};
constexpr Unit kTurkishVowels[] = {
    {{"a", "a", "a"}, ""}, {{"a", "a", "a"}, ""},  {{"e", "e", "e"}, ""}, {{"e", "e", "e"}, ""},
    {{"ı", "i", "i"}, ""}, {{"i", "i", "i"}, ""},  {{"o", "o", "o"}, ""}, {{"ö", "o", "oe"}, ""},
    {{"u", "u", "u"}, ""}, {{"ü", "u", "ue"}, ""},
};
constexpr Unit kTurkishMaleEndings[] = {{{"", "", ""}, ""},       {{"an", "an", "an"}, ""},
                                        {{"et", "et", "et"}, ""}, {{"er", "er", "er"}, ""},
                                        {{"in", "in", "in"}, ""}, {{"han", "han", "han"}, ""}};
constexpr Unit kTurkishFemaleEndings[] = {{{"e", "e", "e"}, ""},
                                          {{"a", "a", "a"}, ""},
                                          {{"ay", "ay", "ay"}, ""},
                                          {{"nur", "nur", "nur"}, ""},
                                          {{"ül", "ul", "uel"}, ""}};
constexpr Unit kTurkishFamilyEndings[] = {
    {{"oğlu", "oglu", "oglu"}, ""},  {{"er", "er", "er"}, ""},    {{"can", "can", "can"}, ""},
    {{"türk", "turk", "tuerk"}, ""}, {{"soy", "soy", "soy"}, ""}, {{"kaya", "kaya", "kaya"}, ""},
    {{"taş", "tas", "tas"}, ""},     {{"dağ", "dag", "dag"}, ""}, {{"han", "han", "han"}, ""},
    {{"men", "men", "men"}, ""}};

constexpr Unit kEnglishConsonants[] = {
    {{"b", "b", "b"}, ""},    {{"c", "c", "c"}, ""},    {{"d", "d", "d"}, ""},
    {{"f", "f", "f"}, ""},    {{"g", "g", "g"}, ""},    {{"h", "h", "h"}, ""},
    {{"j", "j", "j"}, ""},    {{"k", "k", "k"}, ""},    {{"l", "l", "l"}, ""},
    {{"l", "l", "l"}, ""},    {{"m", "m", "m"}, ""},    {{"n", "n", "n"}, ""},
    {{"p", "p", "p"}, ""},    {{"r", "r", "r"}, ""},    {{"r", "r", "r"}, ""},
    {{"s", "s", "s"}, ""},    {{"t", "t", "t"}, ""},    {{"t", "t", "t"}, ""},
    {{"w", "w", "w"}, ""},    {{"br", "br", "br"}, ""}, {{"ch", "ch", "ch"}, ""},
    {{"cr", "cr", "cr"}, ""}, {{"dr", "dr", "dr"}, ""}, {{"sh", "sh", "sh"}, ""},
    {{"st", "st", "st"}, ""}, {{"th", "th", "th"}, ""},
};
constexpr Unit kEnglishVowels[] = {
    {{"a", "a", "a"}, ""},    {{"a", "a", "a"}, ""},    {{"e", "e", "e"}, ""},
    {{"e", "e", "e"}, ""},    {{"i", "i", "i"}, ""},    {{"o", "o", "o"}, ""},
    {{"u", "u", "u"}, ""},    {{"ea", "ea", "ea"}, ""}, {{"ai", "ai", "ai"}, ""},
    {{"oo", "oo", "oo"}, ""},
};
constexpr Unit kEnglishMaleEndings[] = {{{"", "", ""}, ""},         {{"ey", "ey", "ey"}, ""},
                                        {{"ie", "ie", "ie"}, ""},   {{"on", "on", "on"}, ""},
                                        {{"an", "an", "an"}, ""},   {{"er", "er", "er"}, ""},
                                        {{"ian", "ian", "ian"}, ""}};
constexpr Unit kEnglishFemaleEndings[] = {
    {{"a", "a", "a"}, ""},       {{"ie", "ie", "ie"}, ""},       {{"ey", "ey", "ey"}, ""},
    {{"ine", "ine", "ine"}, ""}, {{"elle", "elle", "elle"}, ""}, {{"yn", "yn", "yn"}, ""}};
constexpr Unit kEnglishFamilyEndings[] = {
    {{"son", "son", "son"}, ""},    {{"son", "son", "son"}, ""},
    {{"ton", "ton", "ton"}, ""},    {{"ley", "ley", "ley"}, ""},
    {{"ford", "ford", "ford"}, ""}, {{"well", "well", "well"}, ""},
    {{"er", "er", "er"}, ""},       {{"man", "man", "man"}, ""},
    {{"ham", "ham", "ham"}, ""},    {{"wood", "wood", "wood"}, ""},
    {{"by", "by", "by"}, ""},       {{"field", "field", "field"}, ""},
    {{"s", "s", "s"}, ""}};
constexpr Particle kEnglishParticles[] = {{{{"Mc", "Mac", "Mc"}, ""}, false, false, false, true},
                                          {{{"O'", "O'", "O"}, ""}, false, false, false, true}};

// Arabic and Turkish given names have two syllables or more ("Karim",
// "Kerem"); French and English ones take their second from the ending
// ("Jul-ien").
constexpr SyllableModel kModels[kOriginCount] = {
    {.consonants = kArabicConsonants,
     .vowels = kArabicVowels,
     .male_endings = kArabicMaleEndings,
     .female_endings = kArabicFemaleEndings,
     .family_endings = kArabicFamilyEndings,
     .particles = kArabicParticles,
     .sonorants = kArabicSonorants,
     .particle_chance = 0.25,
     .gemination_chance = 0.15,
     .cluster_chance = 0.2,
     .given = {2, 2},
     .family = {1, 2}},
    {.consonants = kSlavicConsonants,
     .vowels = kSlavicVowels,
     .male_endings = kSlavicMaleEndings,
     .female_endings = kSlavicFemaleEndings,
     .family_endings = kSlavicFamilyEndings,
     .particles = {},
     .sonorants = kSlavicSonorants,
     .particle_chance = 0.0,
     .gemination_chance = 0.0,
     .cluster_chance = 0.15,
     .given = {1, 2},
     .family = {1, 2}},
    {.consonants = kFrenchConsonants,
     .vowels = kFrenchVowels,
     .male_endings = kFrenchMaleEndings,
     .female_endings = kFrenchFemaleEndings,
     .family_endings = kFrenchFamilyEndings,
     .particles = kFrenchParticles,
     .sonorants = kLatinSonorants,
     .particle_chance = 0.08,
     .gemination_chance = 0.05,
     .cluster_chance = 0.0,
     .given = {1, 1},
     .family = {1, 1}},
    {.consonants = kSpanishConsonants,
     .vowels = kSpanishVowels,
     .male_endings = kSpanishMaleEndings,
     .female_endings = kSpanishFemaleEndings,
     .family_endings = kSpanishFamilyEndings,
     .particles = kSpanishParticles,
     .sonorants = kLatinSonorants,
     .particle_chance = 0.05,
     .gemination_chance = 0.0,
     .cluster_chance = 0.1,
     .given = {1, 2},
     .family = {1, 2}},
    {.consonants = kTurkishConsonants,
     .vowels = kTurkishVowels,
     .male_endings = kTurkishMaleEndings,
     .female_endings = kTurkishFemaleEndings,
     .family_endings = kTurkishFamilyEndings,
     .particles = {},
     .sonorants = kLatinSonorants,
     .particle_chance = 0.0,
     .gemination_chance = 0.0,
     .cluster_chance = 0.2,
     .given = {2, 2},
     .family = {1, 1}},
    {.consonants = kEnglishConsonants,
     .vowels = kEnglishVowels,
     .male_endings = kEnglishMaleEndings,
     .female_endings = kEnglishFemaleEndings,
     .family_endings = kEnglishFamilyEndings,
     .particles = kEnglishParticles,
     .sonorants = kLatinSonorants,
     .particle_chance = 0.06,
     .gemination_chance = 0.05,
     .cluster_chance = 0.1,
     .given = {1, 1},
     .family = {1, 1}},
};

// A consonant written once or doubled ("Haddad"; scheme 2 writes it once,
// the script never doubles it: the shadda is not written).
struct Piece {
  const Unit* unit;
  bool doubled;
};

struct Token {
  const Particle* particle = nullptr;
  std::vector<Piece> pieces;
  const Unit* ending = nullptr;
};

template <typename T>
const T& Pick(std::span<const T> items, Rng& rng) {
  return items[rng.Below(items.size())];
}

std::span<const Unit> EndingsFor(const SyllableModel& model, NameKind kind) {
  switch (kind) {
    case NameKind::kGivenMale:
      return model.male_endings;
    case NameKind::kGivenFemale:
      return model.female_endings;
    case NameKind::kFamily:
      return model.family_endings;
  }
  return model.male_endings;
}

// (consonant vowel){n} consonant ending, with clusters and doubled
// consonants inside the word (never at its end). O(syllables).
Token MakeToken(const SyllableModel& model, NameKind kind, Rng& rng) {
  Token token;
  if (kind == NameKind::kFamily && !model.particles.empty() && rng.Chance(model.particle_chance)) {
    token.particle = &Pick(model.particles, rng);
  }
  const Syllables range = kind == NameKind::kFamily ? model.family : model.given;
  const int64_t syllables = rng.Between(range.min, range.max);
  for (int64_t syllable = 0; syllable <= syllables; ++syllable) {
    const bool inside = syllable > 0;
    const bool final = syllable == syllables;
    const Unit& consonant = Pick(model.consonants, rng);
    const bool simple = consonant.latin[0].size() == 1 && consonant.latin[0] != "h";
    const bool cluster = inside && !final && simple && rng.Chance(model.cluster_chance);
    if (cluster) {
      const Unit& sonorant = Pick(model.sonorants, rng);
      if (sonorant.latin[0] != consonant.latin[0]) token.pieces.push_back({&sonorant, false});
    }
    const bool doubled =
        inside && !final && simple && !cluster && rng.Chance(model.gemination_chance);
    token.pieces.push_back({&consonant, doubled});
    if (syllable < syllables) token.pieces.push_back({&Pick(model.vowels, rng), false});
  }
  token.ending = &Pick(EndingsFor(model, kind), rng);
  return token;
}

// Upper-cases the first letter: ASCII, the accented Latin letters the
// tables use, and Cyrillic (U+0430..U+044F -> U+0410..U+042F).
std::string Capitalise(std::string text) {
  if (text.empty()) return text;
  const auto first = static_cast<unsigned char>(text[0]);
  if (first >= 'a' && first <= 'z') {
    text[0] = static_cast<char>(first - 'a' + 'A');
    return text;
  }
  if (text.size() < 2) return text;
  const auto second = static_cast<unsigned char>(text[1]);
  if (first == 0xD0 && second >= 0xB0 && second <= 0xBF) {
    text[1] = static_cast<char>(second - 0x20);
  } else if (first == 0xD1 && second >= 0x80 && second <= 0x8F) {
    text[0] = static_cast<char>(0xD0);
    text[1] = static_cast<char>(second + 0x20);
  } else {
    struct Capital {
      std::string_view lower, upper;
    };
    constexpr Capital kCapitals[] = {{"é", "É"}, {"ç", "Ç"}, {"ş", "Ş"}, {"ö", "Ö"},
                                     {"ü", "Ü"}, {"ı", "I"}, {"ñ", "Ñ"}, {"á", "Á"}};
    for (const Capital& capital : kCapitals) {
      if (text.starts_with(capital.lower)) {
        return std::string(capital.upper) + text.substr(capital.lower.size());
      }
    }
  }
  return text;
}

std::string WithoutSpaces(std::string_view text) {
  std::string result;
  for (char ch : text) {
    if (ch != ' ') result.push_back(ch);
  }
  return result;
}

std::string LowerFirst(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] + 32);
  return text;
}

// The word without its particle, in Latin by `scheme`. O(length).
std::string LatinBody(const Token& token, int scheme) {
  std::string body;
  for (const Piece& piece : token.pieces) {
    body += piece.unit->latin[scheme];
    if (piece.doubled && scheme < kSchemes - 1) body += piece.unit->latin[scheme];
  }
  body += token.ending->latin[scheme];
  return Capitalise(std::move(body));
}

std::string ScriptForm(const Token& token) {
  std::string body;
  for (const Piece& piece : token.pieces) body += piece.unit->script;
  body += token.ending->script;
  if (body.empty()) return body;
  body = Capitalise(std::move(body));
  if (token.particle == nullptr) return body;
  const std::string_view joiner = token.particle->script_apart ? " " : "";
  return std::string(token.particle->unit.script) + std::string(joiner) + body;
}

std::string WithParticle(std::string_view particle, std::string_view joiner,
                         const std::string& body) {
  return std::string(particle) + std::string(joiner) + body;
}

void AddVariant(const std::string& variant, const std::string& usual, std::string* variants) {
  if (variant.empty() || variant == usual) return;
  std::string_view rest = *variants;
  while (!rest.empty()) {
    const size_t bar = rest.find('|');
    if (rest.substr(0, bar) == variant) return;
    rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
  }
  if (!variants->empty()) variants->push_back('|');
  *variants += variant;
}

// Usual spelling and variants: every scheme, and the particle joined,
// hyphenated or split the other way ("El Amrani", "Al-Amrani", "Elamrani").
// The particle and the name in the particle's usual way: apart, or joined
// with ("McAllister") or without ("Bouzid") the name's capital.
std::string Spelled(const Particle& particle, std::string_view text, const std::string& body) {
  if (particle.apart) return WithParticle(text, " ", body);
  return WithParticle(text, "", particle.capital_after ? body : LowerFirst(body));
}

InventedName Render(const Token& token) {
  InventedName name;
  const Particle* particle = token.particle;
  for (int scheme = 0; scheme < kSchemes; ++scheme) {
    const std::string body = LatinBody(token, scheme);
    const std::string spelled =
        particle == nullptr ? body : Spelled(*particle, particle->unit.latin[scheme], body);
    if (scheme == 0) {
      name.latin = spelled;
    } else {
      AddVariant(spelled, name.latin, &name.variants);
    }
  }
  if (particle != nullptr) {
    const std::string body = LatinBody(token, 0);
    const std::string_view usual = particle->unit.latin[0];
    if (particle->apart) {
      AddVariant(WithParticle(WithoutSpaces(usual), "", LowerFirst(body)), name.latin,
                 &name.variants);
      if (particle->hyphenated) {
        AddVariant(WithParticle(particle->unit.latin[1], "-", body), name.latin, &name.variants);
      }
    } else {
      AddVariant(WithParticle(usual, " ", body), name.latin, &name.variants);
    }
  }
  name.script = ScriptForm(token);
  return name;
}

// At least three letters and no letter three times in a row (silent
// consonants such as the ayn can leave "Waaa").
bool Pronounceable(const std::string& latin) {
  if (latin.size() < 3) return false;
  for (size_t index = 2; index < latin.size(); ++index) {
    if (latin[index] == latin[index - 1] && latin[index] == latin[index - 2]) return false;
  }
  return true;
}

std::string AsciiKey(const std::string& text) {
  std::string key;
  for (char ch : text) key.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch);
  return key;
}

}  // namespace

std::vector<InventedName> InventNames(Origin origin, NameKind kind, size_t count,
                                      const std::vector<std::string>& taken) {
  const SyllableModel& model = kModels[static_cast<int>(origin)];
  Rng rng = Rng(kInventionSeed).Fork(static_cast<uint64_t>(origin) * 8 + static_cast<int>(kind));
  std::unordered_set<std::string> seen;
  for (const std::string& name : taken) seen.insert(AsciiKey(name));
  std::vector<InventedName> names;
  for (size_t attempt = 0; names.size() < count && attempt < count * kAttemptsPerName; ++attempt) {
    InventedName name = Render(MakeToken(model, kind, rng));
    if (!Pronounceable(name.latin) || !seen.insert(AsciiKey(name.latin)).second) continue;
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace vigil::sim
