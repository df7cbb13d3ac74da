// libFuzzer target: the protective-deployment resources parser on arbitrary bytes
// (protect_fuzz_common.h has the contracts checked).
#include "protect_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace protect = vigil::protect;
  return protect::FuzzParser<protect::Resource>(
      data, size,
      [](const std::string& text, const std::string& name, std::vector<protect::Resource>* out) {
        return protect::ParseResources(text, name, 3, out);
      });
}
