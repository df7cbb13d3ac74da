// The public normaliser: validate, fold to ASCII, parse, skeletonise.
#include <memory>

#include "names/keys.h"
#include "names/korean.h"
#include "names/normalize.h"
#include "names/parse.h"
#include "names/transliterate.h"
#include "vigil/names.h"

namespace vigil {
namespace {

constexpr size_t kMaxNameBytes = 1024;

class IcuNameNormalizer final : public NameNormalizer {
 public:
  explicit IcuNameNormalizer(std::unique_ptr<names::Transliterator> transliterator)
      : transliterator_(std::move(transliterator)) {}

  Result<NormalizedName> Normalize(std::string_view name) override {
    if (name.size() > kMaxNameBytes) {
      return Status::InvalidArgument("name: longer than " + std::to_string(kMaxNameBytes) +
                                     " bytes");
    }
    VIGIL_RETURN_IF_ERROR(names::ValidateName(name));
    NormalizedName normalized;
    if (names::IsAscii(name) || !names::HasLanguageDependentLetters(name)) {
      bool korean = false;
      VIGIL_RETURN_IF_ERROR(Read(name, /*allow_korean=*/true, &normalized.tokens,
                                 &normalized.skeletons, &normalized.transliterated, &korean));
      if (korean) {
        // The letters may also be another language's (Cantonese, Wade-Giles
        // Chinese): the plain reading is kept as the second one.
        bool transliterated = false;
        if (!Read(name, /*allow_korean=*/false, &normalized.alternate_tokens,
                  &normalized.alternate_skeletons, &transliterated, &korean)
                 .ok()) {
          normalized.alternate_tokens.clear();
          normalized.alternate_skeletons.clear();
        }
      }
      return normalized;
    }
    bool korean = false;
    VIGIL_RETURN_IF_ERROR(Read(names::ArabicReading(name), /*allow_korean=*/true,
                               &normalized.tokens, &normalized.skeletons,
                               &normalized.transliterated, &korean));
    bool transliterated = false;
    if (Read(names::PersianReading(name), /*allow_korean=*/true, &normalized.alternate_tokens,
             &normalized.alternate_skeletons, &transliterated, &korean)
            .ok() &&
        normalized.alternate_tokens == normalized.tokens) {
      normalized.alternate_tokens.clear();
      normalized.alternate_skeletons.clear();
    }
    return normalized;
  }

 private:
  // Folds, parses and keys one validated name; with allow_korean, a name
  // that LooksKorean is read as Korean syllables (and *korean set).
  // InvalidArgument when no name token remains. O(length).
  Status Read(std::string_view name, bool allow_korean, std::vector<std::string>* tokens,
              std::vector<std::string>* skeletons, bool* transliterated, bool* korean_read) {
    VIGIL_RETURN_IF_ERROR(names::FoldToAscii(name, *transliterator_, &folded_, transliterated));
    *tokens = names::ParseTokens(folded_);
    if (tokens->empty()) {
      return Status::InvalidArgument("name: no name token (only particles, titles or digits)");
    }
    // A romanised Korean name is keyed by its syllables (see korean.h), any
    // other by its consonant skeleton.
    const bool korean = allow_korean && names::LooksKorean(*tokens);
    *korean_read = korean;
    if (korean) names::SplitKoreanSyllables(tokens);
    skeletons->clear();
    skeletons->reserve(tokens->size());
    for (const std::string& token : *tokens) {
      skeletons->push_back(korean ? names::KoreanSkeleton(token) : names::Skeleton(token));
    }
    return Status::Ok();
  }

  std::unique_ptr<names::Transliterator> transliterator_;
  std::string folded_;  // scratch, reused between calls
};

}  // namespace

Result<std::unique_ptr<NameNormalizer>> NewNameNormalizer() {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<names::Transliterator> transliterator,
                         names::Transliterator::Create());
  return std::unique_ptr<NameNormalizer>(
      std::make_unique<IcuNameNormalizer>(std::move(transliterator)));
}

ScreeningEntry ScreeningEntryFromWatchlist(const WatchlistEntry& entry) {
  ScreeningEntry screening;
  screening.entry_id = entry.entry_id;
  screening.names.reserve(1 + entry.aliases.size());
  screening.names.push_back(entry.name);
  for (const std::string& alias : entry.aliases) screening.names.push_back(alias);
  screening.birth_date = entry.birth_date;
  screening.nationality = entry.nationality;
  return screening;
}

}  // namespace vigil
