// UTF-8 validation for the readers (internal).
#ifndef VIGIL_INGEST_UTF8_H_
#define VIGIL_INGEST_UTF8_H_

#include <cstddef>
#include <string_view>

namespace vigil {

// Length of the well-formed UTF-8 sequence starting at text[0] (1..4), or 0
// when it is ill-formed (bad lead byte, missing continuation, overlong form,
// surrogate, or beyond U+10FFFF). REQUIRES: !text.empty(). O(1).
size_t Utf8SequenceLength(std::string_view text);

// The byte offset of the first ill-formed UTF-8 sequence in `text`, or
// std::string_view::npos when all of it is well-formed. O(length), with an
// 8-bytes-at-a-time fast path for ASCII.
size_t FindInvalidUtf8(std::string_view text);

inline constexpr std::string_view kUtf8Rule =
    "invalid UTF-8 (the file must be UTF-8: a byte sequence here is not)";

}  // namespace vigil

#endif  // VIGIL_INGEST_UTF8_H_
