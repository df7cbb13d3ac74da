// libFuzzer target: name normalisation and screening on arbitrary bytes.
// Contracts checked: Normalize either fails with a Status or returns tokens
// in lower-case ASCII with one skeleton each; Screen never crashes and every
// score lies in [0, 1].
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "vigil/names.h"

namespace {

std::unique_ptr<vigil::NameNormalizer> MakeNormalizer() {
  auto normalizer = vigil::NewNameNormalizer();
  if (!normalizer.ok()) std::abort();
  return std::move(*normalizer);
}

std::unique_ptr<vigil::ScreeningIndex> MakeIndex() {
  auto index = vigil::NewScreeningIndex();
  if (!index.ok()) std::abort();
  const vigil::ScreeningEntry entries[] = {
      {"W1", {"Mohamed Ali Hassan", "Muhammad Ali Hasan"}, "1980-02", "FR"},
      {"W2", {"Абдулла Ахмедов", "Abdulla Akhmedov"}, "1975", "RU"},
      {"W3", {"عبد الرحمن بن يوسف", "Abd al-Rahman Ben Youssef"}, "", ""},
  };
  for (const auto& entry : entries) {
    if (!(*index)->Add(entry).ok()) std::abort();
  }
  return std::move(*index);
}

void CheckNormalized(const vigil::NormalizedName& name) {
  if (name.tokens.size() != name.skeletons.size()) std::abort();
  for (const std::string& token : name.tokens) {
    for (char c : token) {
      if (static_cast<unsigned char>(c) >= 0x80 || (c >= 'A' && c <= 'Z')) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<vigil::NameNormalizer> normalizer = MakeNormalizer();
  static std::unique_ptr<vigil::ScreeningIndex> index = MakeIndex();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto normalized = normalizer->Normalize(text);
  if (normalized.ok()) CheckNormalized(*normalized);
  vigil::ScreeningOptions options;
  auto matches = index->Screen({std::string(text), "", ""}, options);
  if (matches.ok()) {
    for (const auto& match : *matches) {
      if (!(match.score >= 0.0 && match.score <= 1.0)) std::abort();
    }
  }
  return 0;
}
