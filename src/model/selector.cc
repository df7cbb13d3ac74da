// Identifiers, country and place codes, and selectors "kind:value".
#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "model/message.h"
#include "vigil/model.h"

namespace vigil {
namespace {

constexpr size_t kMaxIdLength = 64;
constexpr size_t kCountryLength = 2;
constexpr size_t kAirportLength = 3;
constexpr size_t kMinMsisdnDigits = 6;
constexpr size_t kMaxMsisdnDigits = 15;
constexpr size_t kMinImsiDigits = 6;
constexpr size_t kMaxImsiDigits = 15;
constexpr size_t kMinImeiDigits = 14;
constexpr size_t kMaxImeiDigits = 16;
constexpr size_t kMaxDocumentNumberLength = 32;
constexpr size_t kMaxIpLiteralLength = 45;  // longest IPv6 text form with IPv4 tail
constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kDelete = 0x7f;

constexpr std::string_view kAllowedKinds =
    "msisdn, imsi, imei, email, handle, ip, passport, idcard";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsUpper(c) || (c >= 'a' && c <= 'z'); }

bool AllDigits(std::string_view text) {
  for (const char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// True when no byte is a space or control byte (UTF-8 is checked elsewhere).
bool NoSpaceOrControl(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= kFirstPrintable || byte == kDelete) return false;
  }
  return true;
}

Status SelectorError(std::string_view rule, std::string_view text) {
  return Status::InvalidArgument(std::string(rule) + ": " + QuoteForMessage(text));
}

bool DigitsInRange(std::string_view digits, size_t min_count, size_t max_count) {
  return digits.size() >= min_count && digits.size() <= max_count && AllDigits(digits);
}

bool IsEmail(std::string_view value) {
  const size_t at = value.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == value.size()) return false;
  const std::string_view local = value.substr(0, at);
  const std::string_view domain = value.substr(at + 1);
  if (!NoSpaceOrControl(local) || domain.find('@') != std::string_view::npos) return false;
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  for (const char c : domain) {
    const bool non_ascii = static_cast<unsigned char>(c) >= 0x80;
    if (!IsAlnum(c) && c != '.' && c != '-' && !non_ascii) return false;
  }
  return true;
}

bool IsHandle(std::string_view value) {
  const size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == value.size()) return false;
  for (const char c : value.substr(0, colon)) {
    if (!IsAlnum(c) && c != '_' && c != '.' && c != '-') return false;
  }
  return NoSpaceOrControl(value.substr(colon + 1));
}

bool IsIp(std::string_view value) {
  if (value.empty() || value.size() > kMaxIpLiteralLength) return false;
  std::array<char, kMaxIpLiteralLength + 1> literal{};
  std::memcpy(literal.data(), value.data(), value.size());
  std::array<unsigned char, sizeof(struct in6_addr)> address{};
  return inet_pton(AF_INET, literal.data(), address.data()) == 1 ||
         inet_pton(AF_INET6, literal.data(), address.data()) == 1;
}

bool IsDocument(std::string_view value) {
  if (value.size() < kCountryLength + 2 || value[kCountryLength] != ':') return false;
  if (!ValidateCountry(value.substr(0, kCountryLength)).ok()) return false;
  const std::string_view number = value.substr(kCountryLength + 1);
  if (number.size() > kMaxDocumentNumberLength) return false;
  for (const char c : number) {
    if (!IsAlnum(c) && c != '-') return false;
  }
  return true;
}

struct KindRule {
  std::string_view name;
  SelectorKind kind;
  bool (*check)(std::string_view value);
  std::string_view rule;
};

constexpr KindRule kKindRules[] = {
    {"msisdn", SelectorKind::kMsisdn,
     [](std::string_view v) {
       return !v.empty() && v[0] == '+' &&
              DigitsInRange(v.substr(1), kMinMsisdnDigits, kMaxMsisdnDigits);
     },
     "msisdn selector must be \"msisdn:+\" then 6..15 digits"},
    {"imsi", SelectorKind::kImsi,
     [](std::string_view v) { return DigitsInRange(v, kMinImsiDigits, kMaxImsiDigits); },
     "imsi selector must be \"imsi:\" then 6..15 digits"},
    {"imei", SelectorKind::kImei,
     [](std::string_view v) { return DigitsInRange(v, kMinImeiDigits, kMaxImeiDigits); },
     "imei selector must be \"imei:\" then 14..16 digits"},
    {"email", SelectorKind::kEmail, IsEmail, "email selector must be \"email:local@domain\""},
    {"handle", SelectorKind::kHandle, IsHandle,
     "handle selector must be \"handle:<service>:<name>\""},
    {"ip", SelectorKind::kIp, IsIp, "ip selector must be \"ip:\" then an IPv4 or IPv6 address"},
    {"passport", SelectorKind::kPassport, IsDocument,
     "passport selector must be \"passport:<ISO country>:<number>\""},
    {"idcard", SelectorKind::kIdcard, IsDocument,
     "idcard selector must be \"idcard:<ISO country>:<number>\""},
};

}  // namespace

Status ValidateId(std::string_view text) {
  bool ok = !text.empty() && text.size() <= kMaxIdLength;
  for (size_t i = 0; ok && i < text.size(); ++i) {
    const char c = text[i];
    ok = IsAlnum(c) || c == '_' || c == '.' || c == ':' || c == '-';
  }
  if (ok) return Status::Ok();
  return Status::InvalidArgument("not an identifier [A-Za-z0-9_.:-]{1,64}: " +
                                 QuoteForMessage(text));
}

Status ValidateCountry(std::string_view text) {
  if (text.size() == kCountryLength && IsUpper(text[0]) && IsUpper(text[1])) return Status::Ok();
  return Status::InvalidArgument("not an ISO 3166-1 alpha-2 country code (two capital letters): " +
                                 QuoteForMessage(text));
}

Status ValidatePlace(std::string_view text) {
  const bool letters_only = (text.size() == kCountryLength || text.size() == kAirportLength) &&
                            IsUpper(text[0]) && IsUpper(text[1]) &&
                            (text.size() == kCountryLength || IsUpper(text[2]));
  if (letters_only) return Status::Ok();
  return Status::InvalidArgument(
      "not a country code (two capital letters) or IATA airport code (three capital letters): " +
      QuoteForMessage(text));
}

std::string_view SelectorKindName(SelectorKind kind) {
  for (const KindRule& rule : kKindRules) {
    if (rule.kind == kind) return rule.name;
  }
  return "";
}

Result<SelectorKind> ParseSelector(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return SelectorError("not a selector \"kind:value\"", text);
  }
  const std::string_view kind_name = text.substr(0, colon);
  const std::string_view value = text.substr(colon + 1);
  for (const KindRule& rule : kKindRules) {
    if (rule.name != kind_name) continue;
    if (!rule.check(value)) return SelectorError(rule.rule, text);
    return rule.kind;
  }
  return Status::InvalidArgument("unknown selector kind " + QuoteForMessage(kind_name) +
                                 " (allowed: " + std::string(kAllowedKinds) + ")");
}

}  // namespace vigil
