// Helpers for error messages of the model's parsers (internal).
#ifndef VIGIL_MODEL_MESSAGE_H_
#define VIGIL_MODEL_MESSAGE_H_

#include <string>
#include <string_view>

namespace vigil {

// Longest excerpt of user text quoted in an error message, in bytes.
inline constexpr size_t kMaxQuotedBytes = 80;

// `text` in double quotes for an error message, cut to kMaxQuotedBytes at a
// UTF-8 character boundary ("..." marks a cut); control bytes become '?'.
// O(min(length, kMaxQuotedBytes)).
std::string QuoteForMessage(std::string_view text);

}  // namespace vigil

#endif  // VIGIL_MODEL_MESSAGE_H_
