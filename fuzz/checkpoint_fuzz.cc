// libFuzzer target: the audit checkpoint file reader (ParseCheckpointFile)
// on arbitrary bytes.
// Contracts checked: parsing never crashes; a file that parses formats back
// (FormatCheckpointFile) to a file that parses to the same checkpoint.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "vigil/audit.h"

namespace {

bool Same(const vigil::AuditCheckpoint& a, const vigil::AuditCheckpoint& b) {
  return a.seq == b.seq && a.hash == b.hash && a.signed_at == b.signed_at &&
         a.public_key == b.public_key && a.signature == b.signature;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = vigil::ParseCheckpointFile(text, "fuzz.checkpoint");
  if (!parsed.ok()) return 0;
  auto again = vigil::ParseCheckpointFile(vigil::FormatCheckpointFile(*parsed), "again");
  if (!again.ok() || !Same(*parsed, *again)) std::abort();
  return 0;
}
