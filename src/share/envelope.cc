// Signed envelopes: canonical encoding, signing, verification and a strict
// parser.
#include <sodium.h>

#include <cstring>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "vigil/share.h"

namespace vigil::share {
namespace {

using Json = nlohmann::json;

constexpr char kDomainTag[] = "vigil-share-envelope\n";
constexpr size_t kKeyIdChars = 16;
constexpr size_t kMessageIdChars = 32;
constexpr size_t kSignatureBytes = crypto_sign_BYTES;

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += '=';
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

bool IsLowerHex(std::string_view text, size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool KnownKind(std::string_view kind) {
  return kind == kKindRequest || kind == kKindWatchlistEntry || kind == kKindReceipt ||
         kind == kKindStatus;
}

Status Bad(std::string_view field, std::string_view why) {
  return Status::InvalidArgument("envelope field '" + std::string(field) +
                                 "': " + std::string(why));
}

}  // namespace

std::string CanonicalBytes(const Envelope& e) {
  std::string out = kDomainTag;
  AppendField(out, "v", std::to_string(e.version));
  AppendField(out, "sender", e.sender);
  AppendField(out, "recipient", e.recipient);
  AppendField(out, "message_id", e.message_id);
  AppendField(out, "created_at", std::to_string(e.created_at));
  AppendField(out, "kind", e.kind);
  AppendField(out, "marking", MarkingName(e.marking));
  AppendField(out, "originator_control", e.originator_control ? "1" : "0");
  AppendField(out, "payload", e.payload);
  return out;
}

void Sign(Envelope* envelope, const Identity& identity) {
  const std::string bytes = CanonicalBytes(*envelope);
  unsigned char signature[kSignatureBytes];
  crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size(), identity.secret_key.data());
  std::string text(sodium_base64_ENCODED_LEN(kSignatureBytes, sodium_base64_VARIANT_ORIGINAL),
                   '\0');
  sodium_bin2base64(text.data(), text.size(), signature, kSignatureBytes,
                    sodium_base64_VARIANT_ORIGINAL);
  text.resize(std::strlen(text.c_str()));
  envelope->signature = std::move(text);
}

Status Verify(const Envelope& envelope,
              const std::array<unsigned char, kPublicKeyBytes>& public_key) {
  unsigned char signature[kSignatureBytes];
  size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(signature, sizeof signature, envelope.signature.data(),
                        envelope.signature.size(), nullptr, &written, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      written != kSignatureBytes || end != envelope.signature.data() + envelope.signature.size()) {
    return Status::PermissionDenied("signature of message " + envelope.message_id +
                                    " is not a base64 Ed25519 signature");
  }
  const std::string bytes = CanonicalBytes(envelope);
  if (crypto_sign_verify_detached(signature, reinterpret_cast<const unsigned char*>(bytes.data()),
                                  bytes.size(), public_key.data()) != 0) {
    return Status::PermissionDenied("bad signature on message " + envelope.message_id +
                                    ": altered in transit or not signed by the sender's key");
  }
  return Status::Ok();
}

std::string SerializeEnvelope(const Envelope& e) {
  Json j = {{"v", e.version},
            {"sender", e.sender},
            {"recipient", e.recipient},
            {"message_id", e.message_id},
            {"created_at", e.created_at},
            {"kind", e.kind},
            {"marking", std::string(MarkingName(e.marking))},
            {"originator_control", e.originator_control},
            {"payload", e.payload},
            {"signature", e.signature}};
  return j.dump();
}

Result<Envelope> ParseEnvelope(std::string_view text) {
  if (text.size() > kMaxEnvelopeBytes) {
    return Status::InvalidArgument("envelope larger than " + std::to_string(kMaxEnvelopeBytes) +
                                   " bytes");
  }
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("envelope is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("envelope is not a JSON object");
  static const std::set<std::string> kFields = {
      "v",    "sender",  "recipient",          "message_id", "created_at",
      "kind", "marking", "originator_control", "payload",    "signature"};
  for (const auto& [key, value] : j.items()) {
    if (kFields.count(key) == 0) return Bad(key.substr(0, 40), "unknown field");
  }
  for (const std::string& field : kFields) {
    if (!j.contains(field)) return Bad(field, "missing");
  }
  auto text_of = [&](const char* field, std::string* out) -> Status {
    const Json& value = j[field];
    if (!value.is_string()) return Bad(field, "not a string");
    *out = value.get<std::string>();
    return Status::Ok();
  };
  Envelope e;
  if (!j["v"].is_number_integer() || j["v"].get<int64_t>() != 1) {
    return Bad("v", "unsupported version (this installation speaks 1)");
  }
  VIGIL_RETURN_IF_ERROR(text_of("sender", &e.sender));
  if (!IsLowerHex(e.sender, kKeyIdChars)) return Bad("sender", "not a key id (16 hex digits)");
  VIGIL_RETURN_IF_ERROR(text_of("recipient", &e.recipient));
  if (!IsLowerHex(e.recipient, kKeyIdChars)) {
    return Bad("recipient", "not a key id (16 hex digits)");
  }
  VIGIL_RETURN_IF_ERROR(text_of("message_id", &e.message_id));
  if (!IsLowerHex(e.message_id, kMessageIdChars)) {
    return Bad("message_id", "not 32 lower-case hex digits");
  }
  const Json& created = j["created_at"];
  if (!created.is_number_integer() || created.get<int64_t>() < 0) {
    return Bad("created_at", "not a non-negative integer (seconds since the epoch)");
  }
  e.created_at = created.get<int64_t>();
  VIGIL_RETURN_IF_ERROR(text_of("kind", &e.kind));
  if (!KnownKind(e.kind)) return Bad("kind", "unknown kind '" + e.kind.substr(0, 40) + "'");
  std::string marking;
  VIGIL_RETURN_IF_ERROR(text_of("marking", &marking));
  Result<Marking> parsed = ParseMarking(marking);
  if (!parsed.ok()) return Bad("marking", parsed.status().message());
  e.marking = *parsed;
  if (!j["originator_control"].is_boolean()) return Bad("originator_control", "not a boolean");
  e.originator_control = j["originator_control"].get<bool>();
  VIGIL_RETURN_IF_ERROR(text_of("payload", &e.payload));
  Json payload = Json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return Bad("payload", "not the text of a JSON object");
  }
  VIGIL_RETURN_IF_ERROR(text_of("signature", &e.signature));
  if (e.signature.empty()) return Bad("signature", "empty");
  return e;
}

std::string NewMessageId() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

}  // namespace vigil::share
