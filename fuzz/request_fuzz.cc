// libFuzzer target: the server's request parsing and validation layer
// (src/server/api_request.h) on arbitrary bytes: a request target with its
// query string, and a body. Input: first byte picks the method and whether
// parameters are read from the query or the body; up to the first '\n' is
// the target; the rest is the body.
// Contracts checked: parsing never crashes; a request that validates holds
// every required parameter, each of its declared JSON type, every string
// valid UTF-8; a body that parses is a JSON object.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "server/api_request.h"

namespace {

using vigil::server::ApiRequest;
using vigil::server::Json;
using vigil::server::ParamIn;
using vigil::server::ParamSpec;
using vigil::server::ParamType;

// One parameter of every type, as the route table declares them.
std::vector<ParamSpec> Specs(ParamIn in) {
  std::vector<ParamSpec> specs = {
      {"id", in, ParamType::kId, true, ""},
      {"seeds", in, ParamType::kNodeList, false, ""},
      {"q", in, ParamType::kString, false, ""},
      {"limit", in, ParamType::kInt, false, "", 1, 1000},
      {"threshold", in, ParamType::kNumber, false, "", 0, 1},
      {"temporal", in, ParamType::kBool, false, ""},
      {"until", in, ParamType::kDate, false, ""},
      {"from", in, ParamType::kTime, false, ""},
      {"measure", in, ParamType::kEnum, false, "", 0, 0, {"degree", "pagerank"}},
  };
  if (in == ParamIn::kBody) specs.push_back({"names", in, ParamType::kNameArray, false, ""});
  return specs;
}

void CheckStrings(const Json& value) {
  if (value.is_string()) {
    if (!vigil::server::IsValidUtf8(value.get<std::string>())) std::abort();
  } else if (value.is_structured()) {
    for (const Json& item : value) CheckStrings(item);
  }
}

void CheckValid(const std::vector<ParamSpec>& specs, const ApiRequest& request) {
  for (const ParamSpec& spec : specs) {
    if (spec.required && !request.Has(spec.name)) std::abort();
    if (!request.Has(spec.name)) continue;
    const Json& value = request.Raw(spec.name);
    switch (spec.type) {
      case ParamType::kInt:
        if (!value.is_number_integer()) std::abort();
        if (value.get<int64_t>() < spec.min || value.get<int64_t>() > spec.max) std::abort();
        break;
      case ParamType::kNumber:
        if (!value.is_number()) std::abort();
        break;
      case ParamType::kBool:
        if (!value.is_boolean()) std::abort();
        break;
      case ParamType::kNodeList:
      case ParamType::kNameArray:
        if (!value.is_array()) std::abort();
        break;
      default:
        if (!value.is_string()) std::abort();
    }
    CheckStrings(value);
  }
  if (!vigil::server::IsValidUtf8(request.purpose)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t newline = rest.find('\n');
  const std::string_view target = rest.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);

  auto parsed = vigil::server::ParseJsonBody(body);
  if (parsed.ok() && !parsed->is_object()) std::abort();

  vigil::server::RawRequest raw;
  raw.method = (selector & 1) ? "POST" : "GET";
  raw.body = std::string(body);
  auto query = vigil::server::ParseQueryString(target);
  if (!query.ok()) return 0;
  raw.query = std::move(query).value();
  // The path parameter comes from the target's first segment.
  raw.path_params["id"] = std::string(target.substr(0, target.find('?')));
  const std::vector<ParamSpec> specs = Specs((selector & 2) ? ParamIn::kBody : ParamIn::kQuery);
  auto request = vigil::server::ValidateRequest(specs, raw);
  if (request.ok()) CheckValid(specs, *request);
  return 0;
}
