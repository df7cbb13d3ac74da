// Romanised Korean names: recognising them and keying their syllables so
// that the competing romanisations (McCune-Reischauer, Revised
// Romanisation, North Korean and popular spellings) meet.
#ifndef VIGIL_NAMES_KOREAN_H_
#define VIGIL_NAMES_KOREAN_H_

#include <string>
#include <string_view>
#include <vector>

namespace vigil::names {

// True when the name reads as a romanised Korean name: 2 to 4 tokens, each
// of them 1 to 3 romanised Korean syllables (an optional onset, a vowel, an
// optional final from the Korean inventory: "jo", "chol", "myong", "yongwon"),
// and its first or last token a romanised Korean family name (a closed set
// of about 300 clans, most people in a few dozen: Kim, Ri/Lee, Pak/Park,
// Choe, Jo/Cho, Jong, Kang, ...). Only the letters are read; nothing else
// about the person. Cost: O(letters * syllable spellings).
bool LooksKorean(const std::vector<std::string>& tokens);

// Splits every token of a romanised Korean name into its syllables and
// writes each in one canonical spelling. A Korean given name is one word of
// (usually) two syllables, which lists write spaced, hyphenated or joined
// ("Jo Yong Won", "Jo Yong-Won", "Jo Yongwon" -> "jo", "yong", "won"), so
// the syllable is the unit all spellings share; and the romanisations spell
// one syllable differently (see KoreanSkeleton), so each syllable is
// written with the letter of its class (k t b j s n m h for initials, k t p
// l n m ng for finals) and plain vowels (eo -> o, eu -> u, ee -> i, oo -> u):
// "Cho Ch'ol" and "Jo Chol" -> "jo", "jol"; Ri, Lee, Yi, I -> "yi"; a lone
// vowel takes an h ("O" -> "oh") so that it does not read as an initial.
// Call only for a name for which LooksKorean holds.
// O(letters * syllable spellings).
void SplitKoreanSyllables(std::vector<std::string>* tokens);

// The key of one token of a romanised Korean name: per syllable, the class
// of its initial and of its final, vowels dropped. The classes merge what
// the romanisations write differently for one Hangul letter: k/g/kk,
// t/d/tt, p/b/pp, ch/j/jj/ts, s/ss/sh; an initial r/l before i or y drops and
// elsewhere reads n (the South Korean initial-sound rule: Ri/Li/Lee/Yi/I,
// Ryu/Yu, Ro/No); a token starting with a vowel is marked by the vowel's
// kind (i-like, y-glide, other). "Jo"/"Cho" -> "J", "Gyu"/"Kyu" -> "K",
// "Ri"/"Lee"/"Yi" -> "I", "Ryong"/"Yong" -> "YG". Returns "" when the token
// does not parse as Korean syllables. O(length * syllable spellings).
std::string KoreanSkeleton(std::string_view token);

}  // namespace vigil::names

#endif  // VIGIL_NAMES_KOREAN_H_
