// The world's places: countries of residence with their phone numbering and
// airports, holiday and concern destinations, carriers and facilities
// (internal to vigil_sim). All codes are real ISO / IATA codes; everything
// attached to them is synthetic.
#ifndef VIGIL_SIM_GEOGRAPHY_H_
#define VIGIL_SIM_GEOGRAPHY_H_

#include <span>
#include <string_view>

namespace vigil::sim {

struct Residence {
  std::string_view country;        // ISO 3166-1 alpha-2
  std::string_view msisdn_prefix;  // "+336": country code and mobile lead digit
  int msisdn_digits;               // digits after the prefix
  std::string_view imsi_prefix;    // MCC and MNC, five digits
  std::span<const std::string_view> airports;
  double weight;  // share of the population living there
};

std::span<const Residence> Residences();
// Ordinary destinations (holidays, family visits, business).
std::span<const std::string_view> HolidayAirports();
// The hub a concerning journey passes through, then the border it heads to.
std::string_view TransitHubAirport();
std::span<const std::string_view> BorderAirports();
std::span<const std::string_view> ConflictCountries();
std::span<const std::string_view> Carriers();  // IATA airline codes
std::span<const std::string_view> Facilities();

}  // namespace vigil::sim

#endif  // VIGIL_SIM_GEOGRAPHY_H_
