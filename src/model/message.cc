#include "model/message.h"

namespace vigil {

std::string QuoteForMessage(std::string_view text) {
  constexpr unsigned char kFirstPrintable = 0x20;
  constexpr unsigned char kDelete = 0x7f;
  constexpr unsigned char kContinuationMask = 0xc0;
  constexpr unsigned char kContinuationTag = 0x80;
  size_t length = text.size();
  const bool cut = length > kMaxQuotedBytes;
  if (cut) {
    length = kMaxQuotedBytes;
    while (length > 0 &&
           (static_cast<unsigned char>(text[length]) & kContinuationMask) == kContinuationTag) {
      --length;
    }
  }
  std::string quoted;
  quoted.reserve(length + 5);
  quoted.push_back('"');
  for (size_t i = 0; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    quoted.push_back(byte < kFirstPrintable || byte == kDelete ? '?' : text[i]);
  }
  if (cut) quoted += "...";
  quoted.push_back('"');
  return quoted;
}

}  // namespace vigil
