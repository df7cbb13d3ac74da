// Payloads of requests and watch-list entries, and the person fields a
// sharing agreement must allow for them.
#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "vigil/share.h"

namespace vigil::share {
namespace {

using Json = nlohmann::json;

// Payload keys that carry the person's data: an agreement must name each one
// a payload holds. Every other key is the message's own (type, legal basis,
// action, deadline, contact, entry id, list).
constexpr std::array<std::string_view, 4> kPersonFields = {"names", "identifiers", "birth_date",
                                                           "reason"};

Json Identifiers(const std::vector<std::pair<std::string, std::string>>& identifiers) {
  Json out = Json::array();
  for (const auto& [kind, value] : identifiers) out.push_back({{"kind", kind}, {"value", value}});
  return out;
}

Status CheckPerson(const std::vector<std::string>& names,
                   const std::vector<std::pair<std::string, std::string>>& identifiers,
                   const std::string& birth_date) {
  if (names.empty() && identifiers.empty()) {
    return Status::InvalidArgument("name the person: at least one --name or --identifier");
  }
  for (const auto& [kind, value] : identifiers) {
    if (kind.empty() || value.empty()) {
      return Status::InvalidArgument("an identifier is KIND:VALUE (passport:X1234567)");
    }
  }
  if (!birth_date.empty()) VIGIL_RETURN_IF_ERROR(ParseDate(birth_date).status());
  return Status::Ok();
}

}  // namespace

Result<std::string> RequestPayload(const Request& r) {
  if (std::find(kRequestTypes.begin(), kRequestTypes.end(), r.type) == kRequestTypes.end()) {
    return Status::InvalidArgument("request type '" + r.type +
                                   "' is not deny_entry, discreet_check, inquiry_check or arrest");
  }
  VIGIL_RETURN_IF_ERROR(CheckPerson(r.names, r.identifiers, r.birth_date));
  if (r.legal_basis.empty()) return Status::InvalidArgument("a request needs a legal basis");
  if (r.action.empty()) return Status::InvalidArgument("a request needs the action asked for");
  if (r.deadline <= 0) return Status::InvalidArgument("a request needs a deadline");
  if (r.contact.empty()) return Status::InvalidArgument("a request needs a point of contact");
  Json j = {{"type", r.type},
            {"legal_basis", r.legal_basis},
            {"action", r.action},
            {"deadline", r.deadline},
            {"contact", r.contact}};
  if (!r.names.empty()) j["names"] = r.names;
  if (!r.identifiers.empty()) j["identifiers"] = Identifiers(r.identifiers);
  if (!r.birth_date.empty()) j["birth_date"] = r.birth_date;
  return j.dump();
}

Result<std::string> WatchlistPayload(const WatchlistShare& w) {
  if (w.entry_id.empty()) return Status::InvalidArgument("a watch-list entry needs its id");
  if (w.names.empty()) return Status::InvalidArgument("a watch-list entry needs a name");
  VIGIL_RETURN_IF_ERROR(CheckPerson(w.names, w.identifiers, w.birth_date));
  if (w.legal_basis.empty())
    return Status::InvalidArgument("a watch-list entry needs a legal basis");
  Json j = {{"entry_id", w.entry_id}, {"legal_basis", w.legal_basis}, {"names", w.names}};
  if (!w.list.empty()) j["list"] = w.list;
  if (!w.identifiers.empty()) j["identifiers"] = Identifiers(w.identifiers);
  if (!w.birth_date.empty()) j["birth_date"] = w.birth_date;
  if (!w.reason.empty()) j["reason"] = w.reason;
  if (!w.contact.empty()) j["contact"] = w.contact;
  return j.dump();
}

Result<std::vector<std::string>> PersonFields(std::string_view payload) {
  Json j = Json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("payload is not a JSON object");
  }
  std::vector<std::string> fields;
  for (std::string_view field : kPersonFields) {
    if (j.contains(std::string(field))) fields.emplace_back(field);
  }
  return fields;
}

}  // namespace vigil::share
