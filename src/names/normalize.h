// Byte-level checks and folding of a raw name to lower-case ASCII.
#ifndef VIGIL_NAMES_NORMALIZE_H_
#define VIGIL_NAMES_NORMALIZE_H_

#include <string>
#include <string_view>

#include "names/transliterate.h"
#include "vigil/status.h"

namespace vigil::names {

// OK when `name` is valid UTF-8 without control characters and holds at
// least one non-space character. InvalidArgument naming the rule otherwise.
// Cost: O(length).
Status ValidateName(std::string_view name);

// True when every byte is ASCII. O(length).
bool IsAscii(std::string_view text);

// Folds a validated name to lower-case ASCII: letters and digits kept,
// apostrophe-like marks (ʿ ʾ ' ’) become '\'', everything else a space.
// Non-ASCII input goes through `transliterator`. Sets *transliterated when
// ICU was needed. Cost: O(length).
Status FoldToAscii(std::string_view name, Transliterator& transliterator, std::string* out,
                   bool* transliterated);

// The letters of Arabic script whose romanisation depends on the language
// of the name: ض (Arabic d/dh, Persian and Urdu z), ظ (Arabic dh/z, Persian
// z), ذ (Arabic dh, Persian z), ث (Arabic th, Persian s), ق (Arabic q,
// Persian gh, Gulf and Maghreb g).
// ArabicReading rewrites them so that ICU romanises them as Arabic does
// (ظ as ذ, giving "dh"); the others ICU already writes the Arabic way.
// PersianReading rewrites them as the letters that romanise the Persian way
// (ض ظ ذ as ز, ث as س, ق as غ). Both O(length).
bool HasLanguageDependentLetters(std::string_view name);
std::string ArabicReading(std::string_view name);
std::string PersianReading(std::string_view name);

}  // namespace vigil::names

#endif  // VIGIL_NAMES_NORMALIZE_H_
