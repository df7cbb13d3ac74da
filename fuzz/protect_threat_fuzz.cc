// libFuzzer target: the protective-deployment threat parser on arbitrary bytes
// (protect_fuzz_common.h has the contracts checked).
#include "protect_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace protect = vigil::protect;
  return protect::FuzzParser<protect::Threat>(
      data, size,
      [](const std::string& text, const std::string& name, std::vector<protect::Threat>* out) {
        return protect::ParseThreats(text, name, out);
      });
}
