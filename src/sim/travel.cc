#include "sim/travel.h"

#include <cstdio>
#include <string>

#include "sim/cells.h"
#include "sim/civil_time.h"
#include "sim/geography.h"
#include "sim/partial_date.h"
#include "sim/selectors.h"
#include "sim/watchlist.h"

namespace vigil::sim {
namespace {

constexpr double kTravellerShare = 0.25;
constexpr double kTravellerTripsPerYear = 1.5;
constexpr double kHomebodyTripsPerYear = 0.1;
constexpr double kDaysPerYear = 365.25;
constexpr int kMinStayDays = 2;
constexpr int kMaxStayDays = 21;
constexpr int kEarliestDepartureHour = 6;
constexpr int kLatestDepartureHour = 22;
// How carriers write names: Latin (machine-readable zones and reservation
// systems are Latin-only, ICAO 9303), native script only on a few records
// keyed in by a partner carrier's own system; a typing error on some
// manually keyed bookings; a middle name often lost in a single given-name
// field or cut to its initial.
constexpr Rendering kAirRendering = {.script_chance = 0.03,
                                     .typo_chance = 0.03,
                                     .middle_dropped_chance = 0.3,
                                     .middle_initial_chance = 0.1};
// Land border posts of partner services often write the name in their own
// script.
constexpr Rendering kLandRendering = {.script_chance = 0.5,
                                      .typo_chance = 0.03,
                                      .middle_dropped_chance = 0.3,
                                      .middle_initial_chance = 0.1};
// Birth dates on travel records. Assumption: most records are API data read
// from the passport's machine-readable zone or a border post's document scan,
// which always carry the full date of birth (EU Directive 2004/82/EC lists it
// among API data); a minority are PNR-only bookings (no API transmitted),
// which have none; a few documents state a birth year only (passports of
// people whose day and month of birth are unknown).
constexpr DatePrecision kTravelBirthDate = {0.90, 0.0, 0.02};
constexpr double kDocumentKnownShare = 0.8;
constexpr double kCovertTravellerShare = 0.4;
constexpr int kMaxDaysAfterReactivation = 60;
constexpr int kMinOnwardDays = 1;
constexpr int kMaxOnwardDays = 4;
constexpr double kBorderByLandShare = 0.5;
constexpr double kRelativeTravelShare = 0.5;
constexpr int kRelativeLeadDays = 5;
constexpr std::string_view kTransitCarriers[] = {"TK", "PC"};
constexpr int kRecordIdDigits = 9;

class TravelWriter {
 public:
  TravelWriter(const World& world, Rng rng, CsvWriter* travel, CsvWriter* matches)
      : world_(world), rng_(rng), travel_(travel), matches_(matches) {}

  void Ordinary(uint32_t person) {
    const Person& who = world_.people[person];
    if (who.role == Role::kInboundHub || who.role == Role::kOutboundHub) return;
    const double rate =
        rng_.Chance(kTravellerShare) ? kTravellerTripsPerYear : kHomebodyTripsPerYear;
    int64_t trips = rng_.Poisson(rate * world_.days / kDaysPerYear);
    if (who.confounder && trips == 0) trips = 1;
    for (int64_t trip = 0; trip < trips; ++trip) {
      const auto airports = HolidayAirports();
      RoundTrip(person, static_cast<int>(rng_.Below(world_.days)),
                airports[rng_.Below(airports.size())]);
    }
  }

  // Reactivated members head for the transit hub and on to the border;
  // a relative flies to the hub shortly before.
  void Covert(const Cell& cell) {
    if (cell.reactivation_day == kNone) return;
    for (uint32_t member : cell.members) {
      if (!rng_.Chance(kCovertTravellerShare)) continue;
      const int day = std::min(
          world_.days - 1,
          cell.reactivation_day + static_cast<int>(rng_.Between(0, kMaxDaysAfterReactivation)));
      Leg(member, day, HomeAirport(world_, member), TransitHubAirport(), Carrier());
      const int onward = std::min(
          world_.days - 1, day + static_cast<int>(rng_.Between(kMinOnwardDays, kMaxOnwardDays)));
      if (rng_.Chance(kBorderByLandShare)) {
        const auto countries = ConflictCountries();
        Leg(member, onward, "TR", countries[rng_.Below(countries.size())], "");
      } else {
        const auto borders = BorderAirports();
        Leg(member, onward, TransitHubAirport(), borders[rng_.Below(borders.size())],
            kTransitCarriers[rng_.Below(std::size(kTransitCarriers))]);
      }
      Relative(member, day);
    }
  }

 private:
  std::string_view Carrier() {
    const auto carriers = Carriers();
    return carriers[rng_.Below(carriers.size())];
  }

  void Relative(uint32_t member, int day) {
    const Person& who = world_.people[member];
    if (!rng_.Chance(kRelativeTravelShare)) return;
    for (uint32_t slot = world_.family_offsets[who.family];
         slot < world_.family_offsets[who.family + 1]; ++slot) {
      const uint32_t relative = world_.family_members[slot];
      if (relative == member) continue;
      Leg(relative, std::max(0, day - kRelativeLeadDays), HomeAirport(world_, relative),
          TransitHubAirport(), Carrier());
      return;
    }
  }

  void RoundTrip(uint32_t person, int day, std::string_view destination) {
    const std::string_view home = HomeAirport(world_, person);
    const std::string_view carrier = Carrier();
    Leg(person, day, home, destination, carrier);
    const int back = day + static_cast<int>(rng_.Between(kMinStayDays, kMaxStayDays));
    if (back < world_.days) Leg(person, back, destination, home, carrier);
  }

  void Leg(uint32_t person, int day, std::string_view origin, std::string_view destination,
           std::string_view carrier) {
    const Person& who = world_.people[person];
    char id[kRecordIdDigits + 2];
    std::snprintf(id, sizeof(id), "T%0*lld", kRecordIdDigits,
                  static_cast<long long>(next_record_++));
    travel_->Plain(id);
    travel_->Time(world_.DayStartSeconds(day) +
                  rng_.Between(kEarliestDepartureHour * kSecondsPerHour,
                               kLatestDepartureHour * kSecondsPerHour));
    travel_->Field(VariantName(who.name, carrier.empty() ? kLandRendering : kAirRendering, rng_));
    WriteBirthDate(who, kTravelBirthDate, rng_, travel_);
    const std::string_view nationality = NationalityOf(world_, person);
    if (rng_.Chance(kDocumentKnownShare)) {
      FormatPassport(nationality, person, &text_);
      travel_->Plain(text_.view());
    } else {
      travel_->Empty();
    }
    travel_->Plain(nationality);
    travel_->Plain(origin);
    travel_->Plain(destination);
    travel_->Plain(carrier);
    travel_->EndRow();
    if (who.watch_entry != kNone) {
      matches_->Plain(id);
      matches_->Plain(EntryId(who.watch_entry));
      matches_->EndRow();
    }
  }

  const World& world_;
  Rng rng_;
  CsvWriter* travel_;
  CsvWriter* matches_;
  int64_t next_record_ = 0;
  SelectorText text_;
};

}  // namespace

void GenerateTravel(const World& world, Rng rng, CsvWriter* travel, CsvWriter* matches) {
  TravelWriter writer(world, rng, travel, matches);
  for (uint32_t person = 0; person < world.people.size(); ++person) writer.Ordinary(person);
  for (const Cell& cell : world.cells) writer.Covert(cell);
}

}  // namespace vigil::sim
