#include "sim/civil_time.h"
#include "sim/geography.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace vigil::sim {
namespace {

constexpr int kPersonIdDigits = 7;

}  // namespace

const SimEpoch& World::EpochOn(uint32_t person, int day) const {
  const Person& who = people[person];
  uint32_t index = who.first_epoch + who.epoch_count - 1;
  while (index > who.first_epoch && epochs[index].start_day > day) --index;
  return epochs[index];
}

int64_t World::DayStartSeconds(int day) const { return (start_day + day) * kSecondsPerDay; }

std::string_view NationalityOf(const World& world, uint32_t person) {
  const Person& who = world.people[person];
  const auto nationalities = TableFor(who.name.origin).nationalities;
  return nationalities[Mix64(who.family) % nationalities.size()];
}

std::string_view HomeAirport(const World& world, uint32_t person) {
  const Person& who = world.people[person];
  const auto airports = Residences()[who.residence].airports;
  return airports[Mix64(who.family + 1) % airports.size()];
}

void FormatPersonId(uint32_t index, SelectorText* out) {
  out->size = 0;
  out->data[out->size++] = 'P';
  for (int digit = kPersonIdDigits - 1; digit >= 0; --digit) {
    out->data[1 + digit] = static_cast<char>('0' + index % 10);
    index /= 10;
  }
  out->size += kPersonIdDigits;
}

std::string PersonId(uint32_t index) {
  SelectorText text;
  FormatPersonId(index, &text);
  return std::string(text.view());
}

}  // namespace vigil::sim
