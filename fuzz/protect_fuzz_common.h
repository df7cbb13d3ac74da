// Shared body of the protective-deployment parser fuzz targets: the first
// byte chooses CSV or JSONL, the rest is the file, given to one parser.
// Contracts checked: parsing never crashes; a refused file leaves nothing
// and names a file:line:column; an accepted one gives records with lines.
#ifndef VIGIL_FUZZ_PROTECT_FUZZ_COMMON_H_
#define VIGIL_FUZZ_PROTECT_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "vigil/protect.h"

namespace vigil::protect {

// `parse(text, file_name, &records)` is one of the parsers of protect.h.
template <typename Record, typename Parse>
int FuzzParser(const uint8_t* data, size_t size, Parse parse) {
  if (size == 0) return 0;
  const std::string name = (data[0] & 1) != 0 ? "in.jsonl" : "in.csv";
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<Record> out;
  const Status status = parse(text, name, &out);
  if (!status.ok()) {
    if (!out.empty() || status.message().rfind(name + ":", 0) != 0) std::abort();
    return 0;
  }
  for (const Record& record : out) {
    if (record.line < 1) std::abort();
  }
  return 0;
}

}  // namespace vigil::protect

#endif  // VIGIL_FUZZ_PROTECT_FUZZ_COMMON_H_
