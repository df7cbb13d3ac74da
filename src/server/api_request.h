// The request parsing and validation layer of the server: raw HTTP pieces
// (path, query parameters, body bytes) in, a typed ApiRequest or a 400-class
// Status out. It knows nothing of sockets or httplib, so that the fuzz target
// (fuzz/request_fuzz.cc) and the tests drive it directly.
#ifndef VIGIL_SERVER_API_REQUEST_H_
#define VIGIL_SERVER_API_REQUEST_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "vigil/status.h"

namespace vigil::server {

using Json = nlohmann::ordered_json;

// Where a parameter is read from.
enum class ParamIn : uint8_t { kPath, kQuery, kBody };

// A parameter's type, checked before any handler runs.
enum class ParamType : uint8_t {
  kId,         // [A-Za-z0-9_.:-]{1,64} (person ids, entry ids, ...)
  kNodeList,   // comma-separated person ids or selectors (query) / array of them (body)
  kString,     // any valid UTF-8 text up to 1,024 bytes
  kInt,        // an integer within [min, max]
  kNumber,     // a number within [min, max]
  kBool,       // true/false (query: "true", "false", "1", "0")
  kDate,       // YYYY-MM-DD
  kTime,       // an ISO 8601 time or a date
  kEnum,       // one of `choices`
  kNameArray,  // body: array of {query_id?, name, birth_date?, nationality?}
  kDocument,   // body: a JSON object (within the body's size and depth limits)
};
std::string_view ParamTypeName(ParamType type);

struct ParamSpec {
  std::string name;
  ParamIn in = ParamIn::kQuery;
  ParamType type = ParamType::kString;
  bool required = false;
  std::string description;
  double min = 0;  // kInt, kNumber
  double max = 0;
  std::vector<std::string> choices;  // kEnum
};

// The raw pieces of one HTTP request, as the transport delivers them.
struct RawRequest {
  std::string method;
  std::map<std::string, std::string> path_params;  // from the route pattern
  std::multimap<std::string, std::string> query;   // decoded
  std::string body;                                // bytes as received
  std::string content_type;
};

// One validated request: every declared parameter checked and converted.
// Values are kept as JSON (string, integer, number, boolean, array) keyed by
// the parameter's name; absent optional parameters are absent.
struct ApiRequest {
  std::map<std::string, Json> values;
  std::string purpose;  // from the `purpose` query or body field, if given

  bool Has(std::string_view name) const { return values.count(std::string(name)) > 0; }
  // REQUIRES: the parameter was declared with a matching type.
  std::string String(std::string_view name, std::string_view fallback = "") const;
  int64_t Int(std::string_view name, int64_t fallback) const;
  double Number(std::string_view name, double fallback) const;
  bool Bool(std::string_view name, bool fallback) const;
  std::vector<std::string> Strings(std::string_view name) const;  // kNodeList
  const Json& Raw(std::string_view name) const;
};

// Limits of the validation layer.
inline constexpr size_t kMaxStringBytes = 1024;
inline constexpr int kMaxJsonDepth = 16;
inline constexpr size_t kMaxArrayItems = 10'000;

// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or code
// points past U+10FFFF). Cost: O(bytes).
bool IsValidUtf8(std::string_view text);

// Parses a request body that must be one JSON object (an empty body is an
// empty object). InvalidArgument naming line, column and the rule broken for
// broken UTF-8, syntax errors, nesting deeper than kMaxJsonDepth, a key
// repeated within one object (named, at its second occurrence; escapes are
// decoded first, so "\u0075ser" repeats "user") or a value that is not an
// object. Cost: O(bytes + keys log keys); memory O(bytes).
Result<Json> ParseJsonBody(std::string_view body);

// Splits the query part of a request target ("/p?a=1&b=%20x" -> a, b),
// percent-decoding names and values ('+' is a space). InvalidArgument for a
// malformed escape. Cost: O(bytes).
Result<std::multimap<std::string, std::string>> ParseQueryString(std::string_view target);

// Checks `raw` against `params`: every required parameter present, every
// value of its type and range, valid UTF-8, no body field that is not
// declared (other than "purpose"), no repeated query parameter. Returns the
// typed request or InvalidArgument naming the parameter and the rule.
// Cost: O(request bytes).
Result<ApiRequest> ValidateRequest(const std::vector<ParamSpec>& params, const RawRequest& raw);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_API_REQUEST_H_
