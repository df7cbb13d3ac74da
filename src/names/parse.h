// Name parsing: tokens, particles, honorifics and compounds of a folded name.
#ifndef VIGIL_NAMES_PARSE_H_
#define VIGIL_NAMES_PARSE_H_

#include <string>
#include <string_view>
#include <vector>

namespace vigil::names {

// Splits a name folded to lower-case ASCII (see FoldToAscii) into name tokens:
// - an initial apostrophe (ayn/hamza) reads as 'a', inner ones drop;
// - honorifics (haji, mullah, sheikh, dr, ...) and connectors (bin, ibn, ben,
//   bint) are dropped, as are standalone articles (al, el, ad, as, ...);
// - a joined article is stripped ("alhouthi" -> "houthi") when a consonant
//   and at least kMinStrippedLength letters remain;
// - "abd"/"abu" join the next token, "din"/"allah" join the previous one, and
//   the article inside an abd-compound is removed ("abdelkader",
//   "abd al-qadir" -> "abdkader", "abdqadir");
// - European particles (de, du, del, della, dela, van, von, der, den, le,
//   la) join the word they precede ("Du Bois", "de la Cruz" -> "dubois",
//   "delacruz"), when the name has at least two other words;
// - digit-only tokens are dropped.
// May return no token (e.g. only honorifics). Cost: O(length).
std::vector<std::string> ParseTokens(std::string_view folded);

inline constexpr size_t kMinStrippedLength = 3;

}  // namespace vigil::names

#endif  // VIGIL_NAMES_PARSE_H_
