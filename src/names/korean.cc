#include "names/korean.h"

#include <algorithm>
#include <cstddef>
#include <iterator>

namespace vigil::names {
namespace {

struct Spelling {
  std::string_view text;
  char symbol;  // the class written into the key
};

// Initials, longest first, with the class written into the key and the
// letter written into the canonical spelling. Aspirated, plain and tense
// consonants of one place of articulation share a class: the romanisations
// disagree on which Latin letter writes which (MR "ch'"/"ch", RR "ch"/"j";
// MR "k'"/"k", RR "k"/"g"), apostrophes are routinely dropped, and tense
// consonants are written doubled or not (and aspiration is also written
// with h: "Thae", "Phil").
struct Initial {
  std::string_view text;
  char symbol;
  std::string_view canonical;
};
constexpr Initial kInitials[] = {
    {"tch", 'J', "j"}, {"kk", 'K', "k"}, {"tt", 'T', "t"}, {"pp", 'B', "b"},  {"ss", 'S', "s"},
    {"jj", 'J', "j"},  {"ch", 'J', "j"}, {"ts", 'J', "j"}, {"sh", 'S', "s"},  {"rh", 'L', "r"},
    {"th", 'T', "t"},  {"kh", 'K', "k"}, {"ph", 'B', "b"}, {"hw", 'H', "hw"}, {"k", 'K', "k"},
    {"g", 'K', "k"},   {"t", 'T', "t"},  {"d", 'T', "t"},  {"p", 'B', "b"},   {"b", 'B', "b"},
    {"j", 'J', "j"},   {"s", 'S', "s"},  {"r", 'L', "r"},  {"l", 'L', "r"},   {"n", 'N', "n"},
    {"m", 'M', "m"},   {"h", 'H', "h"}};

// Vowel spellings, longest first, with their canonical spelling: RR (eo,
// eu), MR after its breves are stripped (o, u), and popular spellings (ee,
// oo, oh, ou and you as in "Young", and ar before a final as in "Park").
struct Vowel {
  std::string_view text;
  std::string_view canonical;
};
constexpr Vowel kVowels[] = {
    {"yeo", "yo"}, {"you", "yo"}, {"yae", "yae"}, {"wae", "wae"}, {"yoo", "yu"}, {"ae", "ae"},
    {"ya", "ya"},  {"eo", "o"},   {"ye", "ye"},   {"yo", "yo"},   {"yu", "yu"},  {"eu", "u"},
    {"ui", "ui"},  {"oe", "oe"},  {"ou", "o"},    {"wa", "wa"},   {"wo", "wo"},  {"we", "we"},
    {"wi", "wi"},  {"oo", "u"},   {"ee", "i"},    {"oh", "o"},    {"yi", "i"},   {"ar", "a"},
    {"a", "a"},    {"e", "e"},    {"i", "i"},     {"o", "o"},     {"u", "u"}};

// Finals: an unreleased stop is written either way (k/g, t/d, p/b), l/r
// is one letter.
struct Final {
  std::string_view text;
  char symbol;
  std::string_view canonical;
};
constexpr Final kFinals[] = {{"ng", 'G', "ng"}, {"k", 'K', "k"}, {"g", 'K', "k"}, {"t", 'T', "t"},
                             {"d", 'T', "t"},   {"p", 'B', "p"}, {"b", 'B', "p"}, {"l", 'L', "l"},
                             {"r", 'L', "l"},   {"n", 'N', "n"}, {"m", 'M', "m"}};

// Romanised Korean family names, with their customary variants.
constexpr std::string_view kFamilyNames[] = {
    "kim",   "gim",  "pak",   "park", "bak",  "ri",    "li",    "lee",  "yi",    "i",     "rhee",
    "rhie",  "choe", "choi",  "chwe", "jo",   "cho",   "joh",   "jong", "jung",  "jeong", "chong",
    "chung", "kang", "gang",  "yun",  "yoon", "yoo",   "yu",    "ryu",  "han",   "o",     "oh",
    "so",    "seo",  "suh",   "sin",  "shin", "son",   "sohn",  "song", "hwang", "kwon",  "gwon",
    "an",    "jang", "chang", "ju",   "joo",  "chu",   "cha",   "im",   "rim",   "lim",   "yim",
    "ko",    "go",   "mun",   "moon", "nam",  "ha",    "hong",  "jon",  "jeon",  "chon",  "cheon",
    "ho",    "heo",  "kye",   "gye",  "hyon", "hyun",  "sim",   "shim", "ra",    "na",    "no",
    "noh",   "ro",   "roh",   "paek", "baek", "bae",   "pae",   "u",    "woo",   "won",   "yang",
    "min",   "kil",  "gil",   "tong", "dong", "ku",    "koo",   "gu",   "chae",  "chi",   "ji",
    "om",    "eom",  "um",    "pyon", "byun", "hyon",  "ryang", "rang", "kwak",  "gwak",  "sung",
    "song",  "kong", "gong",  "ham",  "yom",  "yeom",  "mo",    "sok",  "seok",  "tae",   "ki",
    "gi",    "chin", "jin",   "ok",   "wi",   "cheong"};

constexpr size_t kMaxSyllablesPerToken = 3;
constexpr size_t kMinTokens = 2;
constexpr size_t kMaxTokens = 4;

bool StartsWith(std::string_view text, size_t pos, std::string_view prefix) {
  return text.substr(pos, prefix.size()) == prefix;
}

// What a parse has built so far: the key, the canonical spelling and where
// each syllable ends in the token.
struct Parse {
  std::string key;
  std::string canonical;
  std::vector<size_t> ends;
  std::vector<size_t> canonical_ends;
};

bool ParseSyllables(std::string_view token, size_t pos, size_t budget, Parse* parse);

// Appends one syllable, parses the rest of the token from `next`, and
// takes the syllable back when the rest does not parse.
bool TakeSyllable(std::string_view token, size_t next, size_t budget, std::string_view key,
                  std::string_view canonical, Parse* parse) {
  const size_t key_size = parse->key.size();
  const size_t canonical_size = parse->canonical.size();
  parse->key.append(key);
  parse->canonical.append(canonical);
  parse->ends.push_back(next);
  parse->canonical_ends.push_back(parse->canonical.size());
  if (ParseSyllables(token, next, budget - 1, parse)) return true;
  parse->key.resize(key_size);
  parse->canonical.resize(canonical_size);
  parse->ends.pop_back();
  parse->canonical_ends.pop_back();
  return false;
}

// Tries the syllables at `pos` whose initial (nullptr: none) ends at
// `after_initial`, then the rest of the token.
bool ParseAfterInitial(std::string_view token, size_t pos, size_t after_initial,
                       const Initial* initial, size_t budget, Parse* parse) {
  const bool token_start = pos == 0;
  for (const Vowel& vowel : kVowels) {
    if (!StartsWith(token, after_initial, vowel.text)) continue;
    const size_t after_vowel = after_initial + vowel.text.size();
    const bool i_or_y = vowel.canonical[0] == 'i' || vowel.canonical[0] == 'y';
    std::string key;
    std::string canonical;
    if (initial != nullptr && initial->symbol == 'L' && token_start) {
      // The initial-sound rule: r/l drops before i and y, reads n elsewhere.
      if (!i_or_y) {
        key.push_back('N');
        canonical.push_back('n');
      }
    } else if (initial != nullptr) {
      key.push_back(initial->symbol);
      canonical.append(initial->canonical);
    }
    if (key.empty() && token_start) {
      // A token starting with a vowel: the kind of vowel marks it.
      key.push_back(vowel.canonical[0] == 'i' ? 'I' : vowel.canonical[0] == 'y' ? 'Y' : 'O');
      if (vowel.canonical[0] == 'i') canonical.push_back('y');  // Ri, Lee, Yi, I -> yi
    }
    canonical.append(vowel.canonical);
    for (const Final& final : kFinals) {
      if (!StartsWith(token, after_vowel, final.text)) continue;
      if (TakeSyllable(token, after_vowel + final.text.size(), budget, key + final.symbol,
                       canonical + std::string(final.canonical), parse)) {
        return true;
      }
    }
    if (vowel.text == "ar") continue;  // "ar" writes a only before a final ("Park")
    // A lone vowel is written with h ("O", "Oh" -> "oh"), so that it does
    // not read as an initial.
    if (canonical.size() == 1) canonical.push_back('h');
    if (TakeSyllable(token, after_vowel, budget, key, canonical, parse)) return true;
  }
  return false;
}

// Parses token[pos..] as at most `budget` syllables. Backtracks over the
// ambiguous splits ("yongwon" is yong-won, not yo-ngwon). True when the
// whole rest parses.
bool ParseSyllables(std::string_view token, size_t pos, size_t budget, Parse* parse) {
  if (pos == token.size()) return true;
  if (budget == 0) return false;
  for (const Initial& initial : kInitials) {
    if (StartsWith(token, pos, initial.text) &&
        ParseAfterInitial(token, pos, pos + initial.text.size(), &initial, budget, parse)) {
      return true;
    }
  }
  return ParseAfterInitial(token, pos, pos, nullptr, budget, parse);
}

}  // namespace

std::string KoreanSkeleton(std::string_view token) {
  Parse parse;
  if (token.empty() || !ParseSyllables(token, 0, kMaxSyllablesPerToken, &parse)) return "";
  return parse.key;
}

namespace {

bool IsFamilyName(const std::string& token) {
  return std::find(std::begin(kFamilyNames), std::end(kFamilyNames), token) !=
         std::end(kFamilyNames);
}

}  // namespace

void SplitKoreanSyllables(std::vector<std::string>* tokens) {
  std::vector<std::string> syllables;
  for (const std::string& token : *tokens) {
    Parse parse;
    if (!ParseSyllables(token, 0, kMaxSyllablesPerToken, &parse)) {
      syllables.push_back(token);
      continue;
    }
    // Each syllable is parsed again as a token of its own, so that it gets
    // the spelling of a syllable at the start of a token.
    size_t start = 0;
    for (size_t end : parse.ends) {
      Parse alone;
      const std::string syllable = token.substr(start, end - start);
      syllables.push_back(ParseSyllables(syllable, 0, 1, &alone) ? alone.canonical : syllable);
      start = end;
    }
  }
  *tokens = std::move(syllables);
}

bool LooksKorean(const std::vector<std::string>& tokens) {
  if (tokens.size() < kMinTokens || tokens.size() > kMaxTokens) return false;
  auto is_family = [](const std::string& token) { return IsFamilyName(token); };
  if (!is_family(tokens.front()) && !is_family(tokens.back())) return false;
  return std::all_of(tokens.begin(), tokens.end(),
                     [](const std::string& token) { return !KoreanSkeleton(token).empty(); });
}

}  // namespace vigil::names
