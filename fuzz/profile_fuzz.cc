// libFuzzer target: the watch engine's stored subject profiles
// (watch::ParseProfile, which reads the engine state blobs kept in the store)
// on arbitrary bytes.
// Contracts checked: parsing never crashes; a blob that parses serialises
// to a blob that parses and serialises to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "watch/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string blob(reinterpret_cast<const char*>(data), size);
  auto parsed = vigil::watch::ParseProfile("P1", blob);
  if (!parsed.ok()) return 0;
  const std::string once = vigil::watch::SerializeProfile(*parsed);
  auto again = vigil::watch::ParseProfile("P1", once);
  if (!again.ok() || vigil::watch::SerializeProfile(*again) != once) std::abort();
  return 0;
}
