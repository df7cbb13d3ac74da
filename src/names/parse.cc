#include "names/parse.h"

#include <algorithm>
#include <iterator>

namespace vigil::names {
namespace {

constexpr std::string_view kHonorifics[] = {
    "haji",    "hajji", "hadji", "hajy",    "alhaj",   "alhajj",   "alhaji", "hj",
    "mullah",  "mulla", "mla",   "mlla",    "mawlawi", "maulavi",  "maulvi", "moulavi",
    "mawlavi", "molvi", "mwlwy", "mawlana", "maulana", "mwlana",   "sheikh", "shaikh",
    "shaykh",  "sheik", "shykh", "qari",    "qary",    "dr",       "mr",     "mrs",
    "ms",      "mme",   "mlle",  "sir",     "prof",    "engineer", "eng",    "imam"};
constexpr std::string_view kConnectors[] = {"bin",  "ibn",  "ben",   "bint", "binti", "bn",
                                            "ibnu", "ould", "walad", "bnt",  "wld"};
constexpr std::string_view kArticles[] = {"al", "el", "ul", "ad", "ar", "as", "ash", "az",
                                          "ed", "es", "er", "ez", "ud", "ur", "us",  "ol"};
// A compound joined by the article after the case ending -u, assimilated
// to a sun letter ("Shams-ur-Rahman", "Nasir-ud-Din"), is also written as
// one word ("Shamsurrahman", "Nasiruddin"). The spaced form drops the
// article like any other; the joined one is split where -u and the doubled
// letter are, when both parts keep at least this many letters.
constexpr size_t kMinCompoundPart = 3;
constexpr std::string_view kAbdForms[] = {"abd",   "abdu",   "abdul", "abdel", "abdal",
                                          "abdol", "abdoul", "abdur", "abdus", "abdil"};
constexpr std::string_view kAbuForms[] = {"abu", "abou", "abo", "aboo", "abw", "bou"};
constexpr std::string_view kTrailingParts[] = {"din",  "deen", "dyn",  "dine", "allah", "ullah",
                                               "llah", "lah",  "allh", "llh",  "ulla"};
// European particles that begin a family name ("De Muclier", "du Bois",
// "de la Cruz", "van der Berg", "Le Gall"): joined to the word they precede,
// so the joined ("Dubois") and split ("Du Bois") spellings give one token and
// a shared "de" is not evidence by itself.
constexpr std::string_view kNameParticles[] = {"de",  "du",  "del", "della", "dela", "van",
                                               "von", "der", "den", "le",    "la"};
// Particles join only in names with at least this many other words: in
// "Le Van Thanh" (Vietnamese), "le" and "van" are names, not particles.
constexpr size_t kMinWordsForParticles = 2;
constexpr std::string_view kAbd = "abd";
constexpr std::string_view kAbu = "abu";

template <size_t N>
bool IsOneOf(std::string_view token, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), token) != std::end(set);
}

bool IsVowel(char letter) {
  return letter == 'a' || letter == 'e' || letter == 'i' || letter == 'o' || letter == 'u';
}

bool IsAllDigits(std::string_view token) {
  return std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Initial apostrophe -> 'a' (ayn/hamza before a consonant), inner ones drop.
std::string CleanApostrophes(std::string_view raw) {
  std::string token;
  for (size_t index = 0; index < raw.size(); ++index) {
    if (raw[index] != '\'') {
      token.push_back(raw[index]);
    } else if (token.empty() && index + 1 < raw.size() && !IsVowel(raw[index + 1])) {
      token.push_back('a');
    }
  }
  return token;
}

std::vector<std::string> SplitWords(std::string_view folded) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end > start) {
      std::string word = CleanApostrophes(folded.substr(start, end - start));
      if (!word.empty()) words.push_back(std::move(word));
    }
    start = end + 1;
  }
  return words;
}

// "alhouthi" -> "houthi"; leaves "alexander", "alam", "ali".
std::string StripJoinedArticle(std::string token) {
  if (token.size() < 2 + kMinStrippedLength) return token;
  if ((token[0] == 'a' || token[0] == 'e') && token[1] == 'l' && !IsVowel(token[2])) {
    return token.substr(2);
  }
  return token;
}

// True for the Latin letters of the Arabic "sun letters" that the article
// assimilates to (al-Rahman is said and often written ar-Rahman,
// "Abdurrahman"): t, d, r, z, s, n.
bool IsSunLetter(char letter) {
  return letter == 't' || letter == 'd' || letter == 'r' || letter == 'z' || letter == 's' ||
         letter == 'n';
}

// Removes the article after "abd": "abdelkader" -> "abdkader",
// "abdullah" -> "abdlah", and its assimilated form, a doubled sun letter:
// "abdessalam", "abdus salam" -> "abdsalam", "abdurrahman" -> "abdrahman".
std::string CanonicalAbd(const std::string& token) {
  if (token.rfind(kAbd, 0) != 0 || token.size() <= kAbd.size() + 1) return token;
  std::string rest = token.substr(kAbd.size());
  if (IsVowel(rest[0])) rest.erase(0, 1);
  if (rest.size() > kMinStrippedLength && rest[0] == 'l') rest.erase(0, 1);
  if (rest.size() > kMinStrippedLength && rest[0] == rest[1] && IsSunLetter(rest[0])) {
    rest.erase(0, 1);
  }
  if (rest.size() < 2) return token;
  return std::string(kAbd) + rest;
}

// Where a joined compound splits ("shamsurrahman" -> 5: "shams" + "u" +
// "r" + "rahman"), or npos. The abd/abu compounds are left to their own rule.
size_t CompoundSplit(const std::string& token) {
  if (token.rfind(kAbd, 0) == 0 || token.rfind(kAbu, 0) == 0) return std::string::npos;
  for (size_t pos = kMinCompoundPart; pos + 2 + kMinCompoundPart <= token.size(); ++pos) {
    if (token[pos] == 'u' && IsSunLetter(token[pos + 1]) && token[pos + 2] == token[pos + 1]) {
      return pos;
    }
  }
  return std::string::npos;
}

bool IsDropped(std::string_view word) {
  return IsAllDigits(word) || IsOneOf(word, kHonorifics) || IsOneOf(word, kConnectors) ||
         IsOneOf(word, kArticles);
}

// True when the name has enough words besides particles for its particles
// to be read as such. O(words).
bool ParticlesApply(const std::vector<std::string>& words) {
  size_t others = 0;
  for (const std::string& word : words) {
    if (!IsDropped(word) && !IsOneOf(word, kNameParticles)) ++others;
  }
  return others >= kMinWordsForParticles;
}

}  // namespace

std::vector<std::string> ParseTokens(std::string_view folded) {
  std::vector<std::string> words = SplitWords(folded);
  const bool particles_apply = ParticlesApply(words);
  std::vector<std::string> tokens;
  std::string particles;  // particles waiting for the word they precede
  bool join_next = false;
  for (std::string& word : words) {
    if (IsDropped(word)) continue;
    if (particles_apply && !join_next && IsOneOf(word, kNameParticles)) {
      particles += word;
      continue;
    }
    if (!particles.empty()) {
      word = particles + word;
      particles.clear();
    }
    if (IsOneOf(word, kAbdForms) && !join_next) {
      tokens.emplace_back(kAbd);
      join_next = true;
      continue;
    }
    if (IsOneOf(word, kAbuForms) && !join_next) {
      tokens.emplace_back(kAbu);
      join_next = true;
      continue;
    }
    std::string token = StripJoinedArticle(std::move(word));
    if (!join_next) {
      const size_t split = CompoundSplit(token);
      if (split != std::string::npos) {
        tokens.push_back(token.substr(0, split));
        token.erase(0, split + 2);  // -u and the first of the doubled letters
      }
    }
    if (join_next) {
      tokens.back() += token;
      join_next = false;
    } else if (!tokens.empty() && IsOneOf(token, kTrailingParts)) {
      tokens.back() += token;
    } else {
      tokens.push_back(std::move(token));
    }
  }
  if (!particles.empty()) tokens.push_back(std::move(particles));  // trailing particles
  for (std::string& token : tokens) token = CanonicalAbd(token);
  return tokens;
}

}  // namespace vigil::names
