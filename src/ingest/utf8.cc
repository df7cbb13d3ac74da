#include "ingest/utf8.h"

#include <cstdint>
#include <cstring>

namespace vigil {
namespace {

constexpr unsigned char kAsciiLimit = 0x80;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

bool IsContinuation(unsigned char byte) { return (byte & 0xc0) == 0x80; }

}  // namespace

size_t Utf8SequenceLength(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  if (lead < kAsciiLimit) return 1;
  size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) second_min = 0xa0;  // overlong
    if (lead == 0xed) second_max = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) second_min = 0x90;  // overlong
    if (lead == 0xf4) second_max = 0x8f;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  const auto second = static_cast<unsigned char>(text[1]);
  if (second < second_min || second > second_max) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (!IsContinuation(static_cast<unsigned char>(text[i]))) return 0;
  }
  return length;
}

size_t FindInvalidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (pos + sizeof(uint64_t) <= text.size()) {
      uint64_t block = 0;
      std::memcpy(&block, text.data() + pos, sizeof(block));
      if ((block & kHighBits) == 0) {
        pos += sizeof(block);
        continue;
      }
    }
    const size_t length = Utf8SequenceLength(text.substr(pos));
    if (length == 0) return pos;
    pos += length;
  }
  return std::string_view::npos;
}

}  // namespace vigil
