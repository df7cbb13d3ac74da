// libFuzzer target: the comm postings block codec of the SQLite store
// (src/store/sqlite/postings.h), which reads blocks back from the store
// file. Input: 8 bytes first_time, 8 bytes first_comm, 2 bytes count, then
// the block's data.
// Contracts checked: decoding never crashes (nor overflows); a block that
// decodes re-encodes (EncodePostings) to bytes that decode to the same
// postings.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/postings.h"

namespace {

template <typename T>
T Take(const uint8_t* data) {
  T value;
  std::memcpy(&value, data, sizeof value);
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kHeader = 8 + 8 + 2;
  if (size < kHeader) return 0;
  const auto first_time = Take<int64_t>(data);
  const auto first_comm = Take<int64_t>(data + 8);
  const auto count = static_cast<int64_t>(Take<uint16_t>(data + 16));
  const std::string_view block(reinterpret_cast<const char*>(data + kHeader), size - kHeader);
  std::vector<vigil::sqlite::Posting> decoded;
  if (!vigil::sqlite::DecodePostings(block, first_time, first_comm, count, &decoded).ok()) return 0;
  if (static_cast<int64_t>(decoded.size()) != count) std::abort();
  if (decoded.empty()) return 0;
  for (size_t i = 1; i < decoded.size(); ++i) {
    if (decoded[i].time < decoded[i - 1].time) std::abort();  // time deltas are >= 0
  }
  // The encoder writes the first posting relative to itself.
  std::string encoded;
  vigil::sqlite::EncodePostings(decoded, &encoded);
  std::vector<vigil::sqlite::Posting> again;
  if (!vigil::sqlite::DecodePostings(encoded, decoded[0].time, decoded[0].comm, count, &again)
           .ok() ||
      again != decoded) {
    std::abort();
  }
  return 0;
}
