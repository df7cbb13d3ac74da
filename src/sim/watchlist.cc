#include "sim/watchlist.h"

#include <cstdio>

#include "sim/partial_date.h"

namespace vigil::sim {
namespace {

constexpr double kListedMemberShare = 0.6;
constexpr double kListedPartnerShare = 0.3;
constexpr double kConfounderShare = 0.6;
constexpr int kConfounderAttempts = 32;
constexpr double kOutsidersPerListed = 0.5;
constexpr int kMinOutsiders = 10;
constexpr double kEntryScriptChance = 0.3;
constexpr int kEntryAliases = 2;
// Birth dates on entries. Assumption: the service's own list holds its
// subjects' dates of birth from their records (a few only a year, or none for
// a person known by name alone); lists shared by partners are patchier.
constexpr DatePrecision kNationalBirthDate = {0.8, 0.05, 0.12};
constexpr DatePrecision kPartnerBirthDate = {0.4, 0.15, 0.3};
constexpr int kMinValidDays = 365;
constexpr int kMaxValidDays = 3 * 365;
constexpr int kEntryIdDigits = 6;
constexpr int kOriginCountForOutsiders = kOriginCount;
constexpr std::string_view kNationalList = "NATIONAL-CT";
constexpr std::string_view kPartnerList = "PARTNER-SHARED";

enum class Listing { kMember, kRecruiter, kPartner };

struct Pending {
  uint32_t person;
  Listing listing;
};

std::string_view ReasonFor(Listing listing) {
  switch (listing) {
    case Listing::kMember:
      return "suspected member of a terrorist group";
    case Listing::kRecruiter:
      return "suspected recruiter, convicted of terrorist offences";
    case Listing::kPartner:
      return "partner of a listed person, discreet check";
  }
  return "other";
}

std::string_view HandlingFor(Listing listing, Rng& rng) {
  if (listing == Listing::kPartner) return rng.Chance(0.7) ? "amber" : "green";
  return rng.Chance(0.8) ? "red" : "amber";
}

int32_t PartnerOf(const World& world, uint32_t person) {
  const Person& who = world.people[person];
  for (uint32_t slot = world.family_offsets[who.family];
       slot < world.family_offsets[who.family + 1]; ++slot) {
    const uint32_t other = world.family_members[slot];
    if (other != person && world.people[other].name.female != who.name.female) {
      return static_cast<int32_t>(other);
    }
  }
  return kNone;
}

std::vector<Pending> ChooseListed(World* world, Rng& rng) {
  std::vector<Pending> listed;
  auto list = [&](uint32_t person, Listing listing) {
    if (world->people[person].watch_entry != kNone) return;
    world->people[person].watch_entry = static_cast<int32_t>(listed.size());
    listed.push_back({person, listing});
  };
  for (uint32_t recruiter : world->recruiters) list(recruiter, Listing::kRecruiter);
  for (const Cell& cell : world->cells) {
    for (uint32_t member : cell.members) {
      if (rng.Chance(kListedMemberShare)) list(member, Listing::kMember);
    }
  }
  const size_t principals = listed.size();
  for (size_t index = 0; index < principals; ++index) {
    const int32_t partner = PartnerOf(*world, listed[index].person);
    const bool wanted =
        listed[index].listing == Listing::kRecruiter || rng.Chance(kListedPartnerShare);
    if (partner != kNone && wanted) list(static_cast<uint32_t>(partner), Listing::kPartner);
  }
  return listed;
}

// An unrelated ordinary person takes a name sharing tokens with `listed`:
// the same given name, the same family name, or both plus a middle name.
void MakeConfounder(const Person& listed, Rng& rng, World* world) {
  for (int attempt = 0; attempt < kConfounderAttempts; ++attempt) {
    Person& other = world->people[rng.Below(world->people.size())];
    if (other.role != Role::kOrdinary || other.known != Known::kNotKnown ||
        other.watch_entry != kNone || other.confounder) {
      continue;
    }
    PersonName name = RandomName(listed.name.origin, listed.name.female, rng);
    const uint64_t shape = rng.Below(3);
    if (shape != 1) name.given = listed.name.given;
    if (shape != 0) name.family = listed.name.family;
    if (shape == 2) {
      const uint16_t middle = RandomName(name.origin, name.female, rng).given;
      if (middle != name.given) name.middle = static_cast<int16_t>(middle);
    }
    other.name = name;
    other.confounder = true;
    return;
  }
}

void WriteEntry(const std::string& id, std::string_view list, const Person& person,
                std::string_view nationality, std::string_view reason, std::string_view handling,
                int64_t valid_until, Rng& rng, CsvWriter* out) {
  out->Plain(id);
  out->Plain(list);
  out->Field(VariantName(person.name, {.script_chance = kEntryScriptChance}, rng));
  out->Field(AliasList(person.name, kEntryAliases, rng));
  WriteBirthDate(person, list == kNationalList ? kNationalBirthDate : kPartnerBirthDate, rng, out);
  out->Plain(nationality);
  out->Field(reason);
  out->Date(valid_until);
  out->Plain(handling);
  out->EndRow();
}

int64_t ValidUntil(const World& world, Rng& rng) {
  return world.start_day + world.days + rng.Between(kMinValidDays, kMaxValidDays);
}

}  // namespace

std::string EntryId(int32_t entry) {
  char text[16];
  std::snprintf(text, sizeof(text), "W%0*d", kEntryIdDigits, static_cast<int>(entry));
  return text;
}

void BuildWatchlist(Rng rng, World* world, CsvWriter* out) {
  const std::vector<Pending> listed = ChooseListed(world, rng);
  for (const Pending& pending : listed) {
    if (rng.Chance(kConfounderShare)) MakeConfounder(world->people[pending.person], rng, world);
  }
  int32_t entry = 0;
  for (const Pending& pending : listed) {
    const bool partner_list = pending.listing == Listing::kPartner && rng.Chance(0.5);
    WriteEntry(EntryId(entry++), partner_list ? kPartnerList : kNationalList,
               world->people[pending.person], NationalityOf(*world, pending.person),
               ReasonFor(pending.listing), HandlingFor(pending.listing, rng),
               ValidUntil(*world, rng), rng, out);
  }
  const int64_t outsiders =
      std::max<int64_t>(kMinOutsiders, static_cast<int64_t>(listed.size() * kOutsidersPerListed));
  for (int64_t count = 0; count < outsiders; ++count) {
    Person outsider;
    const auto origin = static_cast<Origin>(rng.Below(kOriginCountForOutsiders));
    outsider.name = RandomName(origin, rng.Chance(0.5), rng);
    outsider.birth_year = static_cast<uint16_t>(rng.Between(1960, 2000));
    const auto nationalities = TableFor(origin).nationalities;
    const bool cleared = rng.Chance(0.2);
    WriteEntry(EntryId(entry++), kPartnerList, outsider,
               nationalities[rng.Below(nationalities.size())],
               cleared ? "listing withdrawn after review" : "wanted by a partner service",
               cleared ? "clear" : "amber", ValidUntil(*world, rng), rng, out);
  }
}

}  // namespace vigil::sim
