#include "names/transliterate.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

namespace vigil::names {

Result<std::unique_ptr<Transliterator>> Transliterator::Create() {
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> impl(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(kToAsciiRules), UTRANS_FORWARD, error));
  if (U_FAILURE(error) || impl == nullptr) {
    return Status::Internal(std::string("ICU transliterator: ") + u_errorName(error));
  }
  return std::make_unique<Transliterator>(std::move(impl));
}

Transliterator::Transliterator(std::unique_ptr<icu::Transliterator> impl)
    : impl_(std::move(impl)) {}

Transliterator::~Transliterator() = default;

void Transliterator::Run(std::string_view text, std::string* out) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  impl_->transliterate(unicode);
  out->clear();
  unicode.toUTF8String(*out);
}

}  // namespace vigil::names
