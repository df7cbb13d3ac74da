#include "sim/behaviour.h"

#include <algorithm>
#include <cmath>

#include "sim/population.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace vigil::sim {
namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr double kRandomFamilyChance = 0.5;
constexpr size_t kMinHangoutCandidates = 2;
constexpr uint64_t kFamilyStreamBase = 100;

double Uniform(Rng& rng, double low, double high) { return low + (high - low) * rng.Unit(); }

// Sets every epoch of `person` from `first` on that keeps its handset to `imei`.
void UseHandset(World* world, uint32_t person, uint32_t first, uint32_t imei) {
  const Person& who = world->people[person];
  for (uint32_t index = first; index < who.first_epoch + who.epoch_count; ++index) {
    SimEpoch& epoch = world->epochs[index];
    if (index != first && epoch.new_handset) break;
    epoch.imei_seq = imei;
    epoch.new_handset = false;
  }
}

void ShareFamilyHandsets(Rng& rng, World* world) {
  const size_t families = world->family_offsets.empty() ? 0 : world->family_offsets.size() - 1;
  for (size_t family = 0; family < families; ++family) {
    const uint32_t from = world->family_offsets[family];
    const uint32_t to = world->family_offsets[family + 1];
    if (to - from < 2 || !rng.Chance(world->behaviour.shared_handset_share)) continue;
    const uint32_t owner = world->family_members[from];
    const uint32_t user = world->family_members[from + 1];
    if (world->people[owner].role != Role::kOrdinary ||
        world->people[user].role != Role::kOrdinary) {
      continue;
    }
    const SimEpoch& owned = world->epochs[world->people[owner].first_epoch];
    UseHandset(world, user, world->people[user].first_epoch, owned.imei_seq);
  }
}

// A member's later SIM goes into a handset a mate stopped using before.
void PassHandsets(Rng& rng, World* world) {
  for (const Cell& cell : world->cells) {
    for (uint32_t member : cell.members) {
      const Person& who = world->people[member];
      if (who.epoch_count < 2 || !rng.Chance(world->behaviour.passed_handset_share)) continue;
      const uint32_t epoch =
          who.first_epoch + 1 + static_cast<uint32_t>(rng.Below(who.epoch_count - 1));
      const int32_t start = world->epochs[epoch].start_day;
      const uint32_t mate = cell.members[rng.Below(cell.members.size())];
      if (mate == member) continue;
      const Person& giver = world->people[mate];
      // The mate's last handset given up before `start`.
      for (uint32_t index = giver.first_epoch + giver.epoch_count - 1; index > giver.first_epoch;
           --index) {
        if (world->epochs[index].start_day <= start && world->epochs[index].new_handset) {
          UseHandset(world, member, epoch, world->epochs[index - 1].imei_seq);
          break;
        }
      }
    }
  }
}

void MarkMembers(Rng& rng, World* world, SelectorSequences* sequences) {
  const Behaviour& behaviour = world->behaviour;
  for (Cell& cell : world->cells) {
    bool any_messenger = false;
    for (uint32_t member : cell.members) {
      Person& who = world->people[member];
      if (behaviour.Has(kMessengerOnly) && rng.Chance(behaviour.messenger_only_share)) {
        who.messenger_only = true;
        any_messenger = true;
      }
      if (behaviour.Has(kBurners) && rng.Chance(behaviour.isolated_burner_share)) {
        who.isolated_burner = true;
      }
    }
    if (!any_messenger) continue;
    // Those the messenger-only members talk to covertly have a handle too.
    std::vector<uint32_t> reached = cell.members;
    if (cell.recruiter != kNone) reached.push_back(static_cast<uint32_t>(cell.recruiter));
    for (uint32_t person : reached) {
      Person& who = world->people[person];
      if (who.handle_seq == kNone) who.handle_seq = static_cast<int32_t>(sequences->handle++);
    }
  }
}

void PlanHolidays(Rng& rng, World* world) {
  const Behaviour& behaviour = world->behaviour;
  for (Person& person : world->people) {
    if (person.role != Role::kOrdinary || person.away_from != kNone ||
        !rng.Chance(behaviour.holiday_share)) {
      continue;
    }
    const int length =
        static_cast<int>(rng.Between(behaviour.holiday_min_days, behaviour.holiday_max_days));
    person.away_from = static_cast<int32_t>(rng.Between(0, std::max(0, world->days - length)));
    person.away_to = person.away_from + length - 1;
  }
}

void PickHangouts(Rng& rng, World* world) {
  std::vector<uint32_t> candidates;
  for (uint32_t index = 0; index < world->people.size(); ++index) {
    if (world->people[index].role == Role::kOrdinary) candidates.push_back(index);
  }
  if (candidates.size() < kMinHangoutCandidates) return;
  for (int count = 0; count < world->behaviour.hangouts; ++count) {
    world->hangouts.push_back(candidates[rng.Below(candidates.size())]);
  }
}

}  // namespace

const std::vector<std::string_view>& FamilyNames() {
  static const std::vector<std::string_view> names = {
      "shared_phones",   "passed_handsets", "burners",     "messenger_only", "bursty",
      "prison_releases", "partial_feeds",   "noisy_times", "shared_contacts"};
  return names;
}

Result<uint32_t> ParseFamilies(std::string_view text, uint64_t seed) {
  const auto& names = FamilyNames();
  if (text.empty() || text == "none") return 0u;
  if (text == "all") return static_cast<uint32_t>((1u << names.size()) - 1);
  if (text == "random") {
    Rng rng = Rng(seed).Fork(kFamilyStreamBase);
    uint32_t families = 0;
    for (size_t bit = 0; bit < names.size(); ++bit) {
      if (rng.Chance(kRandomFamilyChance)) families |= 1u << bit;
    }
    if (families == 0) families = 1u << rng.Below(names.size());
    return families;
  }
  uint32_t families = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view name = text.substr(start, comma - start);
    start = comma + 1;
    if (name.empty()) continue;
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) {
      std::string known;
      for (std::string_view each : names) known += (known.empty() ? "" : ", ") + std::string(each);
      return Status::InvalidArgument("unknown behaviour family '" + std::string(name) +
                                     "' (known: " + known + ", all, random, none)");
    }
    families |= 1u << (found - names.begin());
  }
  return families;
}

std::string FamiliesText(uint32_t families) {
  std::string text;
  const auto& names = FamilyNames();
  for (size_t bit = 0; bit < names.size(); ++bit) {
    if ((families & (1u << bit)) != 0) text += (text.empty() ? "" : ",") + std::string(names[bit]);
  }
  return text.empty() ? "none" : text;
}

Behaviour DrawBehaviour(uint32_t families, Rng rng) {
  Behaviour behaviour;
  behaviour.families = families;
  // Each family draws from its own stream, whether or not it is on.
  Rng shared = rng.Fork(kFamilyStreamBase + 1);
  Rng passed = rng.Fork(kFamilyStreamBase + 2);
  Rng burners = rng.Fork(kFamilyStreamBase + 3);
  Rng messenger = rng.Fork(kFamilyStreamBase + 4);
  Rng bursty = rng.Fork(kFamilyStreamBase + 5);
  Rng prison = rng.Fork(kFamilyStreamBase + 6);
  Rng feeds = rng.Fork(kFamilyStreamBase + 7);
  Rng noise = rng.Fork(kFamilyStreamBase + 8);
  Rng contacts = rng.Fork(kFamilyStreamBase + 9);
  if (behaviour.Has(kSharedPhones)) behaviour.shared_handset_share = Uniform(shared, 0.03, 0.15);
  if (behaviour.Has(kPassedHandsets)) behaviour.passed_handset_share = Uniform(passed, 0.2, 0.6);
  if (behaviour.Has(kBurners)) {
    behaviour.careful_share = Uniform(burners, 0.2, 0.7);
    behaviour.isolated_burner_share = Uniform(burners, 0.0, 0.8);
  }
  if (behaviour.Has(kMessengerOnly)) behaviour.messenger_only_share = Uniform(messenger, 0.2, 0.6);
  if (behaviour.Has(kBursty)) {
    behaviour.burst_start_rate = Uniform(bursty, 1.0 / 400, 1.0 / 100);
    behaviour.burst_max_days = static_cast<int>(bursty.Between(2, 5));
    behaviour.burst_events_per_day = Uniform(bursty, 4, 15);
    behaviour.holiday_share = Uniform(bursty, 0.3, 0.8);
    behaviour.holiday_min_days = static_cast<int>(bursty.Between(7, 14));
    behaviour.holiday_max_days =
        behaviour.holiday_min_days + static_cast<int>(bursty.Between(0, 21));
    behaviour.seasonal_amplitude = Uniform(bursty, 0.1, 0.4);
    behaviour.seasonal_phase = Uniform(bursty, 0, kTwoPi);
  }
  if (behaviour.Has(kPrisonReleases)) {
    behaviour.inmate_share = Uniform(prison, 0.01, 0.03);
    behaviour.inmate_watched_share = Uniform(prison, 0.3, 0.8);
  }
  if (behaviour.Has(kPartialFeeds)) {
    behaviour.outage_day_share = Uniform(feeds, 0.01, 0.05);
    behaviour.outage_loss = Uniform(feeds, 0.5, 1.0);
    behaviour.record_loss = Uniform(feeds, 0.0, 0.1);
  }
  if (behaviour.Has(kNoisyTimes)) behaviour.time_noise_seconds = Uniform(noise, 30, 1800);
  if (behaviour.Has(kSharedContacts)) {
    behaviour.hangouts = static_cast<int>(contacts.Between(3, 10));
    behaviour.hangout_share = Uniform(contacts, 0.05, 0.2);
  }
  return behaviour;
}

void ApplyBehaviourToWorld(Rng rng, World* world, SelectorSequences* sequences) {
  const Behaviour& behaviour = world->behaviour;
  if (behaviour.families == 0) return;
  Rng phones = rng.Fork(1);
  Rng members = rng.Fork(2);
  Rng holidays = rng.Fork(3);
  Rng hangouts = rng.Fork(4);
  if (behaviour.Has(kSharedPhones)) ShareFamilyHandsets(phones, world);
  if (behaviour.Has(kPassedHandsets)) PassHandsets(phones, world);
  if (behaviour.Has(kMessengerOnly) || behaviour.Has(kBurners)) {
    MarkMembers(members, world, sequences);
  }
  if (behaviour.Has(kBursty)) PlanHolidays(holidays, world);
  if (behaviour.Has(kSharedContacts)) PickHangouts(hangouts, world);
}

}  // namespace vigil::sim
