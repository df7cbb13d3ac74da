#include "sim/population.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "sim/geography.h"

namespace vigil::sim {
namespace {

// Who lives here.
constexpr std::array<double, kOriginCount> kOriginWeights = {0.25, 0.1, 0.25, 0.15, 0.1, 0.15};
constexpr double kMiddleNameChance = 0.1;
constexpr int kOldestBirthYear = 1950;
constexpr int kYoungestBirthYear = 2004;
constexpr int kMonthsPerYear = 12;
constexpr int kSafeDaysPerMonth = 28;
// Communities.
constexpr int kMaxFamilySize = 6;
constexpr int kMinNeighbourhood = 20;
constexpr int kMaxNeighbourhood = 60;
constexpr double kEmployedShare = 0.75;
constexpr int kMinWorkplace = 3;
constexpr double kWorkplaceTail = 1.3;
constexpr int kMaxWorkplace = 300;
constexpr double kClubShare = 0.3;
constexpr int kMinClub = 8;
constexpr int kMaxClub = 30;
constexpr int kWorkContacts = 3;
constexpr int kNeighbourContacts = 2;
constexpr int kClubContacts = 2;
constexpr int kMaxFriends = 2;
// Activity: mean communications started per person per day, heavy-tailed.
constexpr double kMeanRate = 0.13;
constexpr double kRateTail = 2.2;  // Pareto index; mean = tail / (tail - 1)
constexpr double kMaxRate = 6.0;
// Hubs.
constexpr int64_t kPeoplePerInboundHub = 1500;
constexpr int64_t kPeoplePerOutboundHub = 5000;
constexpr int kMinInboundHubs = 2;
constexpr int kMinOutboundHubs = 1;
// Phones.
constexpr double kChurnPerYear = 0.15;
constexpr double kDaysPerYear = 365.25;
constexpr double kKeepHandsetOnChurn = 0.6;
constexpr double kEmailShare = 0.3;
constexpr double kHandleShare = 0.15;
constexpr double kTelegramShare = 0.6;

using Group = std::vector<uint32_t>;

std::vector<double> ResidenceWeights() {
  std::vector<double> weights;
  for (const Residence& place : Residences()) weights.push_back(place.weight);
  return weights;
}

void Shuffle(std::vector<uint32_t>& items, Rng& rng) {
  for (size_t index = items.size(); index > 1; --index) {
    std::swap(items[index - 1], items[rng.Below(index)]);
  }
}

// The people of `members` in random order, grouped by residence.
std::vector<uint32_t> ResidenceOrder(const World& world, std::vector<uint32_t> members, Rng& rng) {
  Shuffle(members, rng);
  std::stable_sort(members.begin(), members.end(), [&](uint32_t left, uint32_t right) {
    return world.people[left].residence < world.people[right].residence;
  });
  return members;
}

// Cuts `order` into groups of sizes drawn by `size_of`, never across residences.
template <typename SizeFn>
std::vector<Group> Chunk(const World& world, const std::vector<uint32_t>& order, SizeFn size_of) {
  std::vector<Group> groups;
  size_t position = 0;
  while (position < order.size()) {
    const size_t wanted = size_of();
    Group group;
    const uint8_t residence = world.people[order[position]].residence;
    while (position < order.size() && group.size() < wanted &&
           world.people[order[position]].residence == residence) {
      group.push_back(order[position++]);
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

// A second given name different from the first, or none.
int16_t OtherGiven(const PersonName& name, Rng& rng) {
  const PersonName other = RandomName(name.origin, name.female, rng);
  return other.given == name.given ? kNoMiddleName : static_cast<int16_t>(other.given);
}

Person RandomPerson(Rng& rng) {
  Person person;
  const auto origin = static_cast<Origin>(rng.Weighted(kOriginWeights));
  person.name = RandomName(origin, rng.Chance(0.5), rng);
  person.birth_year = static_cast<uint16_t>(rng.Between(kOldestBirthYear, kYoungestBirthYear));
  person.birth_month = static_cast<uint8_t>(rng.Between(1, kMonthsPerYear));
  person.birth_day = static_cast<uint8_t>(rng.Between(1, kSafeDaysPerMonth));
  const double pareto_mean = kRateTail / (kRateTail - 1);
  person.rate =
      static_cast<float>(std::min(kMaxRate, kMeanRate * rng.Pareto(kRateTail) / pareto_mean));
  return person;
}

// People [0, ordinary) in families of 1..kMaxFamilySize sharing origin,
// family name and residence; then the hubs.
void BuildPeople(int64_t people, int64_t hubs, Rng& rng, World* world) {
  const std::vector<double> residence_weights = ResidenceWeights();
  const int64_t ordinary = people - hubs;
  uint32_t family = 0;
  while (static_cast<int64_t>(world->people.size()) < ordinary) {
    const int64_t size = std::min<int64_t>(rng.Between(1, kMaxFamilySize),
                                           ordinary - static_cast<int64_t>(world->people.size()));
    const auto residence = static_cast<uint8_t>(rng.Weighted(residence_weights));
    Person head = RandomPerson(rng);
    for (int64_t member = 0; member < size; ++member) {
      Person person = RandomPerson(rng);
      person.name.origin = head.name.origin;
      person.name = RandomName(head.name.origin, person.name.female, rng);
      person.name.family = head.name.family;
      if (rng.Chance(kMiddleNameChance)) person.name.middle = OtherGiven(person.name, rng);
      person.residence = residence;
      person.family = family;
      world->people.push_back(person);
    }
    ++family;
  }
  for (int64_t hub = 0; hub < hubs; ++hub) {
    Person person = RandomPerson(rng);
    person.rate = 0;
    person.residence = static_cast<uint8_t>(rng.Weighted(residence_weights));
    person.family = family++;
    world->people.push_back(person);
  }
}

void AssignHubs(int64_t inbound, int64_t outbound, World* world) {
  const auto first_hub = static_cast<uint32_t>(world->people.size() - inbound - outbound);
  for (uint32_t index = first_hub; index < world->people.size(); ++index) {
    const bool is_inbound = index < first_hub + inbound;
    world->people[index].role = is_inbound ? Role::kInboundHub : Role::kOutboundHub;
    (is_inbound ? world->inbound_hubs : world->outbound_hubs).push_back(index);
  }
}

void BuildFamilies(World* world) {
  const uint32_t families = world->people.back().family + 1;
  world->family_offsets.assign(families + 1, 0);
  for (const Person& person : world->people) ++world->family_offsets[person.family + 1];
  for (uint32_t family = 0; family < families; ++family) {
    world->family_offsets[family + 1] += world->family_offsets[family];
  }
  world->family_members.resize(world->people.size());
  std::vector<uint32_t> cursor(world->family_offsets.begin(), world->family_offsets.end() - 1);
  for (uint32_t index = 0; index < world->people.size(); ++index) {
    world->family_members[cursor[world->people[index].family]++] = index;
  }
}

using Edges = std::vector<std::pair<uint32_t, uint32_t>>;

void LinkWithin(const Group& group, int per_member, Rng& rng, Edges* edges) {
  if (group.size() < 2) return;
  for (uint32_t member : group) {
    for (int link = 0; link < per_member; ++link) {
      const uint32_t other = group[rng.Below(group.size())];
      if (other != member) edges->push_back({member, other});
    }
  }
}

void LinkFamilies(const World& world, Edges* edges) {
  const size_t families = world.family_offsets.size() - 1;
  for (size_t family = 0; family < families; ++family) {
    for (uint32_t left = world.family_offsets[family]; left < world.family_offsets[family + 1];
         ++left) {
      for (uint32_t right = world.family_offsets[family]; right < world.family_offsets[family + 1];
           ++right) {
        if (left != right) {
          edges->push_back({world.family_members[left], world.family_members[right]});
        }
      }
    }
  }
}

std::vector<uint32_t> Sample(const std::vector<uint32_t>& from, double share, Rng& rng) {
  std::vector<uint32_t> chosen;
  for (uint32_t index : from) {
    if (rng.Chance(share)) chosen.push_back(index);
  }
  return chosen;
}

// Neighbourhoods (home cells), workplaces (work cells), clubs and friends.
void BuildCommunities(Rng& rng, World* world, Edges* edges) {
  std::vector<uint32_t> ordinary;
  for (uint32_t index = 0; index < world->people.size(); ++index) {
    if (world->people[index].role == Role::kOrdinary) ordinary.push_back(index);
  }
  const std::vector<Group> neighbourhoods =
      Chunk(*world, ResidenceOrder(*world, ordinary, rng),
            [&] { return rng.Between(kMinNeighbourhood, kMaxNeighbourhood); });
  world->location_cells = static_cast<uint32_t>(neighbourhoods.size());
  for (uint32_t hood = 0; hood < neighbourhoods.size(); ++hood) {
    for (uint32_t member : neighbourhoods[hood]) {
      world->people[member].home_cell = hood;
      world->people[member].work_cell = hood;
    }
    LinkWithin(neighbourhoods[hood], kNeighbourContacts, rng, edges);
  }
  const auto workplace_size = [&] {
    return static_cast<size_t>(
        std::min<double>(kMaxWorkplace, kMinWorkplace * rng.Pareto(kWorkplaceTail)));
  };
  for (const Group& workplace :
       Chunk(*world, ResidenceOrder(*world, Sample(ordinary, kEmployedShare, rng), rng),
             workplace_size)) {
    const uint32_t work_cell = world->people[workplace[rng.Below(workplace.size())]].home_cell;
    for (uint32_t member : workplace) world->people[member].work_cell = work_cell;
    LinkWithin(workplace, kWorkContacts, rng, edges);
  }
  for (const Group& club :
       Chunk(*world, ResidenceOrder(*world, Sample(ordinary, kClubShare, rng), rng),
             [&] { return rng.Between(kMinClub, kMaxClub); })) {
    LinkWithin(club, kClubContacts, rng, edges);
  }
  for (uint32_t person : ordinary) {
    const int64_t friends = rng.Between(0, kMaxFriends);
    for (int64_t link = 0; link < friends; ++link) {
      const uint32_t other = ordinary[rng.Below(ordinary.size())];
      if (other != person) edges->push_back({person, other});
    }
  }
}

// Symmetric CSR in edge order, so family contacts come first in each list.
void BuildContacts(const Edges& edges, World* world) {
  const size_t people = world->people.size();
  world->contact_offsets.assign(people + 1, 0);
  for (const auto& [left, right] : edges) {
    ++world->contact_offsets[left + 1];
    ++world->contact_offsets[right + 1];
  }
  for (size_t index = 0; index < people; ++index) {
    world->contact_offsets[index + 1] += world->contact_offsets[index];
  }
  world->contacts.resize(world->contact_offsets[people]);
  std::vector<uint32_t> cursor(world->contact_offsets.begin(), world->contact_offsets.end() - 1);
  for (const auto& [left, right] : edges) {
    world->contacts[cursor[left]++] = right;
    world->contacts[cursor[right]++] = left;
  }
}

void AssignPhones(Rng& rng, World* world, SelectorSequences* sequences) {
  const double years = world->days / kDaysPerYear;
  for (uint32_t index = 0; index < world->people.size(); ++index) {
    Person& person = world->people[index];
    const bool hub = person.role != Role::kOrdinary;
    const int churns = hub ? 0 : static_cast<int>(rng.Poisson(kChurnPerYear * years));
    AssignEpochs(index, 1 + churns, kNone, kKeepHandsetOnChurn, rng, world, sequences);
    if (hub) continue;
    if (rng.Chance(kEmailShare)) person.email_seq = static_cast<int32_t>(sequences->email++);
    if (rng.Chance(kHandleShare)) {
      person.handle_seq = static_cast<int32_t>(sequences->handle++);
      person.handle_service =
          rng.Chance(kTelegramShare) ? HandleService::kTelegram : HandleService::kSignal;
    }
  }
}

void PlaceHub(uint32_t hub, Rng& rng, World* world) {
  const auto cell = static_cast<uint32_t>(rng.Below(std::max<uint32_t>(1, world->location_cells)));
  world->people[hub].home_cell = cell;
  world->people[hub].work_cell = cell;
}

}  // namespace

void AssignEpochs(uint32_t person, int count, int32_t forced_day, double keep_handset, Rng& rng,
                  World* world, SelectorSequences* sequences) {
  std::vector<int32_t> starts = {0};
  if (forced_day != kNone && forced_day > 0 && count > 1) starts.push_back(forced_day);
  while (static_cast<int>(starts.size()) < count) {
    starts.push_back(static_cast<int32_t>(rng.Between(1, world->days - 1)));
  }
  std::sort(starts.begin(), starts.end());
  Person& who = world->people[person];
  who.first_epoch = static_cast<uint32_t>(world->epochs.size());
  who.epoch_count = static_cast<uint32_t>(starts.size());
  for (size_t index = 0; index < starts.size(); ++index) {
    SimEpoch epoch;
    epoch.start_day = starts[index];
    epoch.msisdn_seq = sequences->msisdn++;
    epoch.imsi_seq = sequences->imsi++;
    epoch.new_handset = index == 0 || !rng.Chance(keep_handset);
    epoch.imei_seq = epoch.new_handset ? sequences->imei++ : world->epochs.back().imei_seq;
    world->epochs.push_back(epoch);
  }
}

void BuildPopulation(int64_t people, Rng& rng, World* world, SelectorSequences* sequences) {
  const int64_t inbound = std::max<int64_t>(kMinInboundHubs, people / kPeoplePerInboundHub);
  const int64_t outbound = std::max<int64_t>(kMinOutboundHubs, people / kPeoplePerOutboundHub);
  world->people.reserve(people);
  BuildPeople(people, inbound + outbound, rng, world);
  AssignHubs(inbound, outbound, world);
  BuildFamilies(world);
  Edges edges;
  LinkFamilies(*world, &edges);
  BuildCommunities(rng, world, &edges);
  BuildContacts(edges, world);
  for (uint32_t hub : world->inbound_hubs) PlaceHub(hub, rng, world);
  for (uint32_t hub : world->outbound_hubs) PlaceHub(hub, rng, world);
  AssignPhones(rng, world, sequences);
}

}  // namespace vigil::sim
