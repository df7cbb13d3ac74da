#include "sim/selectors.h"

#include <cstring>

#include "sim/geography.h"
#include "sim/rng.h"

namespace vigil::sim {
namespace {

// Multipliers coprime with 10, so x -> (x * m + a) mod 10^k is a bijection.
constexpr uint64_t kScrambleMultiplier = 6364136223846793ULL;
constexpr uint64_t kScrambleOffset = 1442695040888963ULL;
constexpr int kImsiSerialDigits = 10;
constexpr int kImeiBodyDigits = 12;  // after the two-digit reporting body
constexpr std::string_view kImeiReportingBody = "35";
constexpr int kHandleDigits = 7;
constexpr int kPassportDigits = 7;
constexpr int kLettersInAlphabet = 26;
constexpr std::string_view kEmailDomains[] = {"example.org", "example.net", "example.com"};

__extension__ using Uint128 = unsigned __int128;  // GCC/Clang builtin

uint64_t PowerOfTen(int digits) {
  uint64_t power = 1;
  for (int index = 0; index < digits; ++index) power *= 10;
  return power;
}

uint64_t Scramble(uint64_t seq, int digits) {
  const uint64_t modulus = PowerOfTen(digits);
  const Uint128 product = static_cast<Uint128>(seq % modulus) * (kScrambleMultiplier % modulus) +
                          kScrambleOffset % modulus;
  return static_cast<uint64_t>(product % modulus);
}

void Append(std::string_view text, SelectorText* out) {
  std::memcpy(out->data + out->size, text.data(), text.size());
  out->size += text.size();
}

void AppendDigits(uint64_t value, int digits, SelectorText* out) {
  for (int index = digits - 1; index >= 0; --index) {
    out->data[out->size + index] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->size += digits;
}

char LuhnCheckDigit(std::string_view digits) {
  int sum = 0;
  bool doubled = true;  // the rightmost payload digit is doubled
  for (size_t index = digits.size(); index-- > 0;) {
    int digit = digits[index] - '0';
    if (doubled) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
    doubled = !doubled;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace

void FormatMsisdn(int residence, uint64_t seq, SelectorText* out) {
  const Residence& place = Residences()[residence];
  out->size = 0;
  Append("msisdn:", out);
  Append(place.msisdn_prefix, out);
  AppendDigits(Scramble(seq, place.msisdn_digits), place.msisdn_digits, out);
}

void FormatImsi(int residence, uint64_t seq, SelectorText* out) {
  out->size = 0;
  Append("imsi:", out);
  Append(Residences()[residence].imsi_prefix, out);
  AppendDigits(Scramble(seq, kImsiSerialDigits), kImsiSerialDigits, out);
}

void FormatImei(uint64_t seq, SelectorText* out) {
  out->size = 0;
  Append("imei:", out);
  const size_t body_start = out->size;
  Append(kImeiReportingBody, out);
  AppendDigits(Scramble(seq, kImeiBodyDigits), kImeiBodyDigits, out);
  const char check = LuhnCheckDigit({out->data + body_start, out->size - body_start});
  out->data[out->size++] = check;
}

void FormatHandle(HandleService service, std::string_view ascii_name, uint64_t seq,
                  SelectorText* out) {
  out->size = 0;
  Append(service == HandleService::kTelegram ? "handle:telegram:" : "handle:signal:", out);
  Append(ascii_name.substr(0, SelectorText::kCapacity / 4), out);
  Append(service == HandleService::kTelegram ? "_" : ".", out);
  AppendDigits(Scramble(seq, kHandleDigits), kHandleDigits, out);
}

void FormatEmail(std::string_view ascii_given, std::string_view ascii_family, uint64_t seq,
                 SelectorText* out) {
  out->size = 0;
  Append("email:", out);
  Append(ascii_given.substr(0, SelectorText::kCapacity / 5), out);
  Append(".", out);
  Append(ascii_family.substr(0, SelectorText::kCapacity / 5), out);
  AppendDigits(Scramble(seq, kHandleDigits), kHandleDigits, out);
  Append("@", out);
  Append(kEmailDomains[seq % std::size(kEmailDomains)], out);
}

void FormatPassport(std::string_view country, uint64_t seq, SelectorText* out) {
  out->size = 0;
  Append("passport:", out);
  Append(country, out);
  Append(":", out);
  const uint64_t letters = Mix64(seq);
  out->data[out->size++] = static_cast<char>('A' + letters % kLettersInAlphabet);
  out->data[out->size++] =
      static_cast<char>('A' + letters / kLettersInAlphabet % kLettersInAlphabet);
  AppendDigits(Scramble(seq, kPassportDigits), kPassportDigits, out);
}

}  // namespace vigil::sim
