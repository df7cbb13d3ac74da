#include "server/api_request.h"

#include <cmath>
#include <cstdlib>
#include <set>

#include "vigil/model.h"

namespace vigil::server {
namespace {

Status Bad(const ParamSpec& spec, const std::string& rule) {
  return Status::InvalidArgument("parameter '" + spec.name + "': " + rule);
}

// Line and column (1-based) of byte `offset` in `text`.
std::string Position(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Offset of the first byte of an invalid UTF-8 sequence, or npos.
size_t FirstInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (size_t k = 1; k < length; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      code = (code << 6) | (d & 0x3F);
    }
    const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
                          (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return std::string_view::npos;
}

// Offset where nesting first exceeds kMaxJsonDepth (outside strings), or npos.
// Checked before parsing so that a deeply nested body cannot exhaust the
// recursive parser's stack.
size_t TooDeepAt(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

// Thrown from the parse callback to stop at a repeated key: its decoded
// text and which key of the document it is (1-based, in document order).
struct DuplicateKey {
  std::string key;
  size_t ordinal = 0;
};

// Offset of the opening quote of the `ordinal`-th object key (1-based, in
// document order) of well-formed JSON `text`: a string followed by ':'.
// npos when there are fewer keys. Cost: O(bytes).
size_t NthKeyOffset(std::string_view text, size_t ordinal) {
  size_t keys = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '"') continue;
    const size_t open = i;
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\') ++i;
    }
    size_t next = i + 1;
    while (next < text.size() &&
           (text[next] == ' ' || text[next] == '\t' || text[next] == '\r' || text[next] == '\n')) {
      ++next;
    }
    if (next < text.size() && text[next] == ':' && ++keys == ordinal) return open;
  }
  return std::string_view::npos;
}

Status CheckText(const ParamSpec& spec, std::string_view text) {
  if (!IsValidUtf8(text)) return Bad(spec, "is not valid UTF-8");
  if (text.size() > kMaxStringBytes) {
    return Bad(spec, "is longer than " + std::to_string(kMaxStringBytes) + " bytes");
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) return Bad(spec, "holds a control character");
  }
  return Status::Ok();
}

Status CheckNode(const ParamSpec& spec, std::string_view node) {
  VIGIL_RETURN_IF_ERROR(CheckText(spec, node));
  if (node.empty()) return Bad(spec, "names an empty id");
  if (ValidateId(node).ok() || ParseSelector(node).ok()) return Status::Ok();
  return Bad(spec, "'" + std::string(node) + "' is neither a person id nor a selector");
}

Result<Json> ConvertNodeList(const ParamSpec& spec, const Json& value) {
  Json out = Json::array();
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    VIGIL_RETURN_IF_ERROR(CheckText(spec, text));
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find(',', start);
      if (end == std::string::npos) end = text.size();
      std::string node = text.substr(start, end - start);
      if (!node.empty()) {
        VIGIL_RETURN_IF_ERROR(CheckNode(spec, node));
        out.push_back(node);
      }
      start = end + 1;
    }
  } else if (value.is_array()) {
    if (value.size() > kMaxArrayItems) return Bad(spec, "has too many items");
    for (const Json& item : value) {
      if (!item.is_string()) return Bad(spec, "must be an array of strings");
      VIGIL_RETURN_IF_ERROR(CheckNode(spec, item.get<std::string>()));
      out.push_back(item);
    }
  } else {
    return Bad(spec, "must be a string or an array of strings");
  }
  if (out.empty() && spec.required) return Bad(spec, "names no node");
  return out;
}

Result<Json> ConvertNameArray(const ParamSpec& spec, const Json& value) {
  if (!value.is_array()) return Bad(spec, "must be an array of objects");
  if (value.empty()) return Bad(spec, "must name at least one name");
  if (value.size() > kMaxArrayItems) return Bad(spec, "has too many items");
  static const std::set<std::string> kFields = {"query_id", "name", "birth_date", "nationality"};
  Json out = Json::array();
  for (size_t i = 0; i < value.size(); ++i) {
    const Json& item = value[i];
    const std::string where = "item " + std::to_string(i);
    if (!item.is_object()) return Bad(spec, where + " must be an object");
    Json row = Json::object();
    for (const auto& [key, field] : item.items()) {
      if (!kFields.count(key)) return Bad(spec, where + " has unknown field '" + key + "'");
      if (!field.is_string()) return Bad(spec, where + " field '" + key + "' must be a string");
      VIGIL_RETURN_IF_ERROR(CheckText(spec, field.get<std::string>()));
      row[key] = field;
    }
    if (!row.contains("name") || row["name"].get<std::string>().empty()) {
      return Bad(spec, where + " needs a non-empty 'name'");
    }
    if (!row.contains("query_id")) row["query_id"] = std::to_string(i);
    out.push_back(std::move(row));
  }
  return out;
}

// Parses a query-string scalar into the JSON type the spec wants, so that
// query and body values are checked by the same code.
Result<Json> FromQueryText(const ParamSpec& spec, const std::string& text) {
  switch (spec.type) {
    case ParamType::kInt: {
      char* end = nullptr;
      errno = 0;
      const long long value = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno != 0) return Bad(spec, "must be an integer");
      return Json(static_cast<int64_t>(value));
    }
    case ParamType::kNumber: {
      char* end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0') return Bad(spec, "must be a number");
      return Json(value);
    }
    case ParamType::kBool:
      if (text == "true" || text == "1") return Json(true);
      if (text == "false" || text == "0") return Json(false);
      return Bad(spec, "must be true or false");
    default:
      return Json(text);
  }
}

Result<Json> Convert(const ParamSpec& spec, const Json& value) {
  switch (spec.type) {
    case ParamType::kId: {
      if (!value.is_string()) return Bad(spec, "must be a string");
      const std::string text = value.get<std::string>();
      VIGIL_RETURN_IF_ERROR(CheckText(spec, text));
      if (!ValidateId(text).ok()) return Bad(spec, "must match [A-Za-z0-9_.:-]{1,64}");
      return value;
    }
    case ParamType::kString: {
      if (!value.is_string()) return Bad(spec, "must be a string");
      VIGIL_RETURN_IF_ERROR(CheckText(spec, value.get<std::string>()));
      return value;
    }
    case ParamType::kEnum: {
      if (!value.is_string()) return Bad(spec, "must be a string");
      for (const std::string& choice : spec.choices) {
        if (value.get<std::string>() == choice) return value;
      }
      std::string list;
      for (const std::string& choice : spec.choices) list += (list.empty() ? "" : ", ") + choice;
      return Bad(spec, "must be one of " + list);
    }
    case ParamType::kDate:
    case ParamType::kTime: {
      if (!value.is_string()) return Bad(spec, "must be a string");
      const std::string text = value.get<std::string>();
      VIGIL_RETURN_IF_ERROR(CheckText(spec, text));
      const bool date_ok = ParseDate(text).ok();
      if (spec.type == ParamType::kDate && !date_ok) return Bad(spec, "must be a date YYYY-MM-DD");
      if (spec.type == ParamType::kTime && !date_ok && !ParseTime(text).ok()) {
        return Bad(spec, "must be an ISO 8601 time or a date");
      }
      return value;
    }
    case ParamType::kInt: {
      if (!value.is_number_integer()) return Bad(spec, "must be an integer");
      const double v = static_cast<double>(value.get<int64_t>());
      if (v < spec.min || v > spec.max) {
        return Bad(spec, "must be between " + std::to_string(static_cast<int64_t>(spec.min)) +
                             " and " + std::to_string(static_cast<int64_t>(spec.max)));
      }
      return value;
    }
    case ParamType::kNumber: {
      if (!value.is_number()) return Bad(spec, "must be a number");
      const double v = value.get<double>();
      if (!std::isfinite(v) || v < spec.min || v > spec.max) {
        return Bad(spec, "must be between " + std::to_string(spec.min) + " and " +
                             std::to_string(spec.max));
      }
      return Json(v);
    }
    case ParamType::kBool:
      if (!value.is_boolean()) return Bad(spec, "must be true or false");
      return value;
    case ParamType::kNodeList:
      return ConvertNodeList(spec, value);
    case ParamType::kNameArray:
      return ConvertNameArray(spec, value);
    case ParamType::kDocument:
      if (!value.is_object()) return Bad(spec, "must be a JSON object");
      return value;
  }
  return Status::Internal("unknown parameter type");
}

}  // namespace

std::string_view ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kId:
      return "id";
    case ParamType::kNodeList:
      return "node list";
    case ParamType::kString:
      return "string";
    case ParamType::kInt:
      return "integer";
    case ParamType::kNumber:
      return "number";
    case ParamType::kBool:
      return "boolean";
    case ParamType::kDate:
      return "date";
    case ParamType::kTime:
      return "time";
    case ParamType::kEnum:
      return "enum";
    case ParamType::kNameArray:
      return "names";
    case ParamType::kDocument:
      return "document";
  }
  return "?";
}

std::string ApiRequest::String(std::string_view name, std::string_view fallback) const {
  auto found = values.find(std::string(name));
  if (found == values.end() || !found->second.is_string()) return std::string(fallback);
  return found->second.get<std::string>();
}

int64_t ApiRequest::Int(std::string_view name, int64_t fallback) const {
  auto found = values.find(std::string(name));
  if (found == values.end() || !found->second.is_number_integer()) return fallback;
  return found->second.get<int64_t>();
}

double ApiRequest::Number(std::string_view name, double fallback) const {
  auto found = values.find(std::string(name));
  if (found == values.end() || !found->second.is_number()) return fallback;
  return found->second.get<double>();
}

bool ApiRequest::Bool(std::string_view name, bool fallback) const {
  auto found = values.find(std::string(name));
  if (found == values.end() || !found->second.is_boolean()) return fallback;
  return found->second.get<bool>();
}

std::vector<std::string> ApiRequest::Strings(std::string_view name) const {
  std::vector<std::string> out;
  auto found = values.find(std::string(name));
  if (found == values.end() || !found->second.is_array()) return out;
  for (const Json& item : found->second) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

const Json& ApiRequest::Raw(std::string_view name) const {
  static const Json kNull;
  auto found = values.find(std::string(name));
  return found == values.end() ? kNull : found->second;
}

bool IsValidUtf8(std::string_view text) { return FirstInvalidUtf8(text) == std::string_view::npos; }

Result<Json> ParseJsonBody(std::string_view body) {
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return Json::object();
  if (size_t bad = FirstInvalidUtf8(body); bad != std::string_view::npos) {
    return Status::InvalidArgument("request body: " + Position(body, bad) + ": not valid UTF-8");
  }
  if (size_t deep = TooDeepAt(body); deep != std::string_view::npos) {
    return Status::InvalidArgument("request body: " + Position(body, deep) +
                                   ": JSON nested deeper than " + std::to_string(kMaxJsonDepth));
  }
  Json parsed;
  // Keys seen in each open object; a repeated key stops the parse (the
  // library would keep the last value, so `{"user":"a","user":"admin"}`
  // would mean two things to two readers).
  std::vector<std::set<std::string>> open_objects;
  size_t keys_seen = 0;
  auto refuse_duplicates = [&](int /*depth*/, nlohmann::detail::parse_event_t event, Json& value) {
    using Event = nlohmann::detail::parse_event_t;
    if (event == Event::object_start) {
      open_objects.emplace_back();
    } else if (event == Event::object_end) {
      if (!open_objects.empty()) open_objects.pop_back();
    } else if (event == Event::key && value.is_string()) {
      ++keys_seen;
      if (!open_objects.empty() && !open_objects.back().insert(value.get<std::string>()).second) {
        throw DuplicateKey{value.get<std::string>(), keys_seen};
      }
    }
    return true;
  };
  try {
    parsed = Json::parse(body.begin(), body.end(), refuse_duplicates);
  } catch (const DuplicateKey& duplicate) {
    return Status::InvalidArgument(
        "request body: " + Position(body, NthKeyOffset(body, duplicate.ordinal)) +
        ": duplicate key '" + duplicate.key + "'");
  } catch (const Json::parse_error& error) {
    // The library reports the byte after the error; its message names the rule.
    const size_t at = error.byte > 0 ? error.byte - 1 : 0;
    std::string rule = error.what();
    if (size_t colon = rule.rfind(": "); colon != std::string::npos) rule = rule.substr(colon + 2);
    return Status::InvalidArgument("request body: " + Position(body, at) +
                                   ": not valid JSON: " + rule);
  } catch (const Json::exception& error) {
    // E.g. a number too large for a double (found by fuzz/request_fuzz).
    std::string rule = error.what();
    if (size_t bracket = rule.find("] "); bracket != std::string::npos) {
      rule = rule.substr(bracket + 2);
    }
    return Status::InvalidArgument("request body: not valid JSON: " + rule);
  }
  if (!parsed.is_object()) {
    return Status::InvalidArgument("request body: " + Position(body, first) +
                                   ": must be a JSON object");
  }
  return parsed;
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> PercentDecoded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      const int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument("query string: column " + std::to_string(i + 1) +
                                       ": '%' must be followed by two hex digits");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

Result<std::multimap<std::string, std::string>> ParseQueryString(std::string_view target) {
  std::multimap<std::string, std::string> query;
  const size_t mark = target.find('?');
  if (mark == std::string_view::npos) return query;
  std::string_view rest = target.substr(mark + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    VIGIL_ASSIGN_OR_RETURN(std::string name, PercentDecoded(pair.substr(0, eq)));
    std::string value;
    if (eq != std::string_view::npos) {
      VIGIL_ASSIGN_OR_RETURN(value, PercentDecoded(pair.substr(eq + 1)));
    }
    query.emplace(std::move(name), std::move(value));
  }
  return query;
}

Result<ApiRequest> ValidateRequest(const std::vector<ParamSpec>& params, const RawRequest& raw) {
  ApiRequest request;
  Json body = Json::object();
  const bool wants_body = raw.method == "POST" || raw.method == "PUT";
  if (wants_body) {
    VIGIL_ASSIGN_OR_RETURN(body, ParseJsonBody(raw.body));
  }
  std::set<std::string> declared = {"purpose"};
  for (const ParamSpec& spec : params) declared.insert(spec.name);
  for (const auto& [key, value] : raw.query) {
    if (!IsValidUtf8(key)) return Status::InvalidArgument("a query parameter name is not UTF-8");
    if (!declared.count(key)) {
      return Status::InvalidArgument("unknown query parameter '" + key + "'");
    }
    if (raw.query.count(key) > 1) {
      return Status::InvalidArgument("query parameter '" + key + "' is given more than once");
    }
  }
  for (const auto& [key, value] : body.items()) {
    if (!declared.count(key)) return Status::InvalidArgument("unknown body field '" + key + "'");
  }
  // The purpose may come as a field; the header is read by the transport.
  ParamSpec purpose_spec{"purpose", ParamIn::kQuery, ParamType::kString};
  if (auto q = raw.query.find("purpose"); q != raw.query.end()) {
    VIGIL_RETURN_IF_ERROR(CheckText(purpose_spec, q->second));
    request.purpose = q->second;
  } else if (body.contains("purpose")) {
    if (!body["purpose"].is_string()) return Bad(purpose_spec, "must be a string");
    VIGIL_RETURN_IF_ERROR(CheckText(purpose_spec, body["purpose"].get<std::string>()));
    request.purpose = body["purpose"].get<std::string>();
  }
  for (const ParamSpec& spec : params) {
    std::optional<Json> value;
    if (spec.in == ParamIn::kPath) {
      if (auto p = raw.path_params.find(spec.name); p != raw.path_params.end()) value = p->second;
    } else if (spec.in == ParamIn::kQuery) {
      if (auto q = raw.query.find(spec.name); q != raw.query.end()) {
        VIGIL_ASSIGN_OR_RETURN(value, FromQueryText(spec, q->second));
      }
    } else if (body.contains(spec.name) && !body[spec.name].is_null()) {
      value = body[spec.name];
    }
    if (!value) {
      if (spec.required) return Bad(spec, "is required");
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(Json converted, Convert(spec, *value));
    request.values[spec.name] = std::move(converted);
  }
  return request;
}

}  // namespace vigil::server
