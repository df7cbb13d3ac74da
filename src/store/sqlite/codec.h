// Conversions between model values and the SQLite store's column encodings
// (see schema.cc for the conventions). Pure functions; thread-safe.
#ifndef VIGIL_STORE_SQLITE_CODEC_H_
#define VIGIL_STORE_SQLITE_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/model.h"
#include "vigil/status.h"

namespace vigil::sqlite {

// JSON array of strings; "" (stored as NULL) for an empty list.
std::string EncodeStringList(const std::vector<std::string>& values);
// Corruption when `json` is not an array of strings. "" decodes to {}.
Result<std::vector<std::string>> DecodeStringList(std::string_view json);

// JSON object {"name": "value", ...} in order; "" for no attributes.
std::string EncodeAttributes(const Attributes& attributes);
Result<Attributes> DecodeAttributes(std::string_view json);

// The kind named by a selector's "kind:" prefix, or nullopt when the prefix
// is not one of formats.md's kinds. Does not validate the value part (the
// ingest layer does). O(1).
std::optional<SelectorKind> SelectorKindOfPrefix(std::string_view selector);

// Checks a stored enum code against the enum's range [0, max_code]:
// Corruption naming `column` when out of range.
Status CheckEnumCode(int64_t code, int64_t max_code, std::string_view column);

inline constexpr int64_t kMaxPersonStatus = static_cast<int64_t>(PersonStatus::kAssociate);
inline constexpr int64_t kMaxCommKind = static_cast<int64_t>(CommKind::kEmail);
inline constexpr int64_t kMaxReportCategory = static_cast<int64_t>(ReportCategory::kWeapon);
inline constexpr int64_t kMaxHandling = static_cast<int64_t>(Handling::kClear);
inline constexpr int64_t kMaxAttributionState = static_cast<int64_t>(AttributionState::kSource);
inline constexpr int64_t kMaxInputKind = static_cast<int64_t>(InputKind::kWatchlist);

}  // namespace vigil::sqlite

#endif  // VIGIL_STORE_SQLITE_CODEC_H_
