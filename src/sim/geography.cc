#include "sim/geography.h"

namespace vigil::sim {
namespace {

constexpr std::string_view kFrenchAirports[] = {"CDG", "ORY", "LYS", "MRS", "NCE"};
constexpr std::string_view kBelgianAirports[] = {"BRU", "CRL"};
constexpr std::string_view kSpanishAirports[] = {"MAD", "BCN", "AGP", "VLC"};
constexpr std::string_view kBritishAirports[] = {"LHR", "LGW", "MAN", "BHX"};
constexpr std::string_view kGermanAirports[] = {"FRA", "BER", "MUC", "DUS"};

constexpr Residence kResidences[] = {
    {"FR", "+336", 8, "20801", kFrenchAirports, 0.35},
    {"BE", "+324", 8, "20601", kBelgianAirports, 0.15},
    {"ES", "+346", 8, "21401", kSpanishAirports, 0.2},
    {"GB", "+447", 9, "23410", kBritishAirports, 0.2},
    {"DE", "+4915", 9, "26201", kGermanAirports, 0.1},
};

constexpr std::string_view kHolidayAirports[] = {"PMI", "FCO", "LIS", "ATH", "DXB", "CMN",
                                                 "RAK", "TUN", "ALG", "AYT", "IST", "JFK",
                                                 "TFS", "DJE", "CAI", "AMS", "DME", "TLS"};
constexpr std::string_view kBorderAirports[] = {"GZT", "HTY", "ASR"};
constexpr std::string_view kConflictCountries[] = {"SY", "IQ"};
constexpr std::string_view kCarriers[] = {"AF", "IB", "BA", "TK", "LH", "SN",
                                          "VY", "FR", "U2", "PC", "AT", "TO"};
constexpr std::string_view kFacilities[] = {
    "PRISON-NORTH-01", "PRISON-NORTH-02", "PRISON-EAST-01",    "PRISON-SOUTH-01",
    "PRISON-SOUTH-02", "PRISON-WEST-01",  "DETENTION-CENTRAL", "PRISON-COAST-01"};

}  // namespace

std::span<const Residence> Residences() { return kResidences; }
std::span<const std::string_view> HolidayAirports() { return kHolidayAirports; }
std::string_view TransitHubAirport() { return "IST"; }
std::span<const std::string_view> BorderAirports() { return kBorderAirports; }
std::span<const std::string_view> ConflictCountries() { return kConflictCountries; }
std::span<const std::string_view> Carriers() { return kCarriers; }
std::span<const std::string_view> Facilities() { return kFacilities; }

}  // namespace vigil::sim
