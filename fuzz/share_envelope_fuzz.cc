// libFuzzer target: the partner-exchange envelope parser on arbitrary bytes.
// Contracts checked: parsing never crashes; a refused envelope names a
// field or says what it is not; an accepted one serializes to text that
// parses back to the same canonical bytes, and its signature does not
// verify under a key that did not make it.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "vigil/share.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  vigil::Result<vigil::share::Envelope> parsed = vigil::share::ParseEnvelope(text);
  if (!parsed.ok()) {
    if (parsed.status().message().rfind("envelope", 0) != 0) std::abort();
    return 0;
  }
  const std::string again = vigil::share::SerializeEnvelope(*parsed);
  vigil::Result<vigil::share::Envelope> reparsed = vigil::share::ParseEnvelope(again);
  if (!reparsed.ok()) std::abort();
  if (vigil::share::CanonicalBytes(*reparsed) != vigil::share::CanonicalBytes(*parsed)) {
    std::abort();
  }
  if (reparsed->signature != parsed->signature) std::abort();
  const std::array<unsigned char, vigil::share::kPublicKeyBytes> zero_key{};
  if (vigil::share::Verify(*parsed, zero_key).ok()) std::abort();
  return 0;
}
