// Selector text (`kind:value`) built from sequence numbers (internal).
//
// Every selector of a kind is made from a distinct sequence number through a
// bijective scramble, so two sequence numbers never give the same selector
// and the values do not look sequential. Formatting writes into a small
// inline buffer: no allocation on the comms hot path.
#ifndef VIGIL_SIM_SELECTORS_H_
#define VIGIL_SIM_SELECTORS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::sim {

struct SelectorText {
  static constexpr size_t kCapacity = 96;
  char data[kCapacity];
  size_t size = 0;
  std::string_view view() const { return {data, size}; }
};

enum class HandleService : uint8_t { kTelegram, kSignal };

// "msisdn:+336xxxxxxxx" for the residence index (see Residences()).
// REQUIRES: seq below 10^digits of the residence.
void FormatMsisdn(int residence, uint64_t seq, SelectorText* out);
// "imsi:" and 15 digits: the residence's MCC/MNC and a scrambled serial.
void FormatImsi(int residence, uint64_t seq, SelectorText* out);
// "imei:" and 15 digits with a valid Luhn check digit.
void FormatImei(uint64_t seq, SelectorText* out);
// "handle:telegram:karim_4711203"; `ascii_name` lowercase ASCII letters.
void FormatHandle(HandleService service, std::string_view ascii_name, uint64_t seq,
                  SelectorText* out);
// "email:karim.haddad4711203@example.org" (reserved example domains).
void FormatEmail(std::string_view ascii_given, std::string_view ascii_family, uint64_t seq,
                 SelectorText* out);
// "passport:FR:AB1234567".
void FormatPassport(std::string_view country, uint64_t seq, SelectorText* out);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_SELECTORS_H_
