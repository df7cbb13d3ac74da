#include "store/sqlite/codec.h"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

namespace vigil::sqlite {
namespace {

using Json = nlohmann::ordered_json;

Result<Json> ParseJson(std::string_view text, std::string_view what) {
  Json parsed = Json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::Corruption("stored " + std::string(what) + " is not valid JSON");
  }
  return parsed;
}

}  // namespace

std::string EncodeStringList(const std::vector<std::string>& values) {
  if (values.empty()) return {};
  // Strings are UTF-8 as written; replace (never throw on) invalid bytes.
  return Json(values).dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<std::vector<std::string>> DecodeStringList(std::string_view json) {
  std::vector<std::string> values;
  if (json.empty()) return values;
  VIGIL_ASSIGN_OR_RETURN(Json parsed, ParseJson(json, "list"));
  if (!parsed.is_array()) return Status::Corruption("stored list is not a JSON array");
  for (const Json& item : parsed) {
    if (!item.is_string()) return Status::Corruption("stored list holds a non-string");
    values.push_back(item.get<std::string>());
  }
  return values;
}

std::string EncodeAttributes(const Attributes& attributes) {
  if (attributes.empty()) return {};
  Json object = Json::object();
  for (const auto& [name, value] : attributes) object[name] = value;
  return object.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Attributes> DecodeAttributes(std::string_view json) {
  Attributes attributes;
  if (json.empty()) return attributes;
  VIGIL_ASSIGN_OR_RETURN(Json parsed, ParseJson(json, "attributes"));
  if (!parsed.is_object()) return Status::Corruption("stored attributes are not a JSON object");
  for (const auto& [name, value] : parsed.items()) {
    if (!value.is_string()) return Status::Corruption("stored attribute is not a string");
    attributes.emplace_back(name, value.get<std::string>());
  }
  return attributes;
}

std::optional<SelectorKind> SelectorKindOfPrefix(std::string_view selector) {
  static constexpr std::array<std::pair<std::string_view, SelectorKind>, 8> kPrefixes = {{
      {"msisdn", SelectorKind::kMsisdn},
      {"imsi", SelectorKind::kImsi},
      {"imei", SelectorKind::kImei},
      {"email", SelectorKind::kEmail},
      {"handle", SelectorKind::kHandle},
      {"ip", SelectorKind::kIp},
      {"passport", SelectorKind::kPassport},
      {"idcard", SelectorKind::kIdcard},
  }};
  const size_t colon = selector.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view prefix = selector.substr(0, colon);
  for (const auto& [name, kind] : kPrefixes) {
    if (prefix == name) return kind;
  }
  return std::nullopt;
}

Status CheckEnumCode(int64_t code, int64_t max_code, std::string_view column) {
  if (code < 0 || code > max_code) {
    return Status::Corruption("stored " + std::string(column) + " code " + std::to_string(code) +
                              " is out of range");
  }
  return Status::Ok();
}

}  // namespace vigil::sqlite
