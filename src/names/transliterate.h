// A thin owner of one ICU transliterator: any script to lower-case ASCII.
#ifndef VIGIL_NAMES_TRANSLITERATE_H_
#define VIGIL_NAMES_TRANSLITERATE_H_

#include <memory>
#include <string>
#include <string_view>

#include <unicode/uversion.h>

#include "vigil/status.h"

U_NAMESPACE_BEGIN
class Transliterator;
U_NAMESPACE_END

namespace vigil::names {

// The ICU rule chain: compatibility-normalise, romanise Cyrillic by BGN/PCGN
// (ICU's Any-Latin writes ш ч ж ц х as s c z c h, which no Latin-script
// list uses; BGN gives sh ch zh ts kh as passports and watch lists do),
// romanise any other script, strip diacritics, lower-case.
inline constexpr const char* kToAsciiRules =
    "NFKC; Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower";

// Not thread-safe (ICU transliterators are not): one per thread.
class Transliterator {
 public:
  // Builds the rule chain. Internal when ICU fails. Cost: ~1 ms.
  static Result<std::unique_ptr<Transliterator>> Create();
  // Prefer Create(); takes ownership of a built ICU transliterator.
  explicit Transliterator(std::unique_ptr<icu::Transliterator> impl);
  ~Transliterator();
  Transliterator(const Transliterator&) = delete;
  Transliterator& operator=(const Transliterator&) = delete;

  // Transliterates UTF-8 `text` into UTF-8 `out`. O(length).
  void Run(std::string_view text, std::string* out);

 private:
  std::unique_ptr<icu::Transliterator> impl_;
};

}  // namespace vigil::names

#endif  // VIGIL_NAMES_TRANSLITERATE_H_
