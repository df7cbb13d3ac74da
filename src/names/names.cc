// The public normaliser: validate, fold to ASCII, parse, skeletonise.
#include <memory>

#include "names/keys.h"
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
    VIGIL_RETURN_IF_ERROR(
        names::FoldToAscii(name, *transliterator_, &folded_, &normalized.transliterated));
    normalized.tokens = names::ParseTokens(folded_);
    if (normalized.tokens.empty()) {
      return Status::InvalidArgument("name: no name token (only particles, titles or digits)");
    }
    normalized.skeletons.reserve(normalized.tokens.size());
    for (const std::string& token : normalized.tokens) {
      normalized.skeletons.push_back(names::Skeleton(token));
    }
    return normalized;
  }

 private:
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
