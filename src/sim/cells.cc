#include "sim/cells.h"

#include <algorithm>
#include <string>

namespace vigil::sim {
namespace {

constexpr double kCellMemberShare = 0.03;
constexpr int kMinCells = 8;
constexpr int kMinCellSize = 3;
constexpr int kMaxCellSize = 12;
constexpr int kMemberSearchAttempts = 64;
constexpr double kCarefulShare = 0.3;  // members rotating through 7-8 SIMs
constexpr int kCarefulMinSims = 7;
constexpr int kCarefulMaxSims = 8;
constexpr int kOrdinaryMinSims = 3;
constexpr int kOrdinaryMaxSims = 5;
constexpr double kKeepHandsetInCarousel = 0.5;
constexpr double kMemberHandleShare = 0.5;
constexpr double kMemberTelegramShare = 0.6;
constexpr float kCovertMinRate = 0.2f;
constexpr double kRecruitedCellShare = 0.75;
constexpr int kCellsPerRecruiter = 2;
// Schedules, as fractions of the period.
constexpr double kSteadyShare = 0.15;        // never dormant
constexpr double kStillDormantShare = 0.15;  // dormant to the end
constexpr double kDormantFrom = 0.08;
constexpr double kDormantTo = 0.25;
constexpr double kReactivateFrom = 0.55;
constexpr double kReactivateTo = 0.9;
constexpr int kMaxActivationStaggerDays = 5;
constexpr int kEarliestActivationHour = 8;
constexpr int kLatestActivationHour = 22;
constexpr double kDecoySubjectsPerMember = 1.0;
constexpr double kUnknownShare = 0.01;
constexpr int kMinUnknowns = 10;
constexpr int kCompartments = 3;
constexpr double kAdultAge = 18;
constexpr double kAgeHorizonYear = 2022;

bool Eligible(const Person& person) {
  return person.role == Role::kOrdinary && person.cell == kNone &&
         kAgeHorizonYear - person.birth_year >= kAdultAge;
}

uint32_t RandomEligible(const World& world, int residence, Rng& rng) {
  for (int attempt = 0; attempt < kMemberSearchAttempts * 4; ++attempt) {
    const auto index = static_cast<uint32_t>(rng.Below(world.people.size()));
    const Person& person = world.people[index];
    if (Eligible(person) && (residence < 0 || person.residence == residence)) return index;
  }
  return static_cast<uint32_t>(kNone);
}

void ScheduleCell(int days, Rng& rng, Cell* cell) {
  const double kind = rng.Unit();
  if (kind < kSteadyShare) return;
  cell->dormant_day =
      static_cast<int32_t>(days * (kDormantFrom + rng.Unit() * (kDormantTo - kDormantFrom)));
  if (kind < kSteadyShare + kStillDormantShare) return;
  cell->reactivation_day = static_cast<int32_t>(
      days * (kReactivateFrom + rng.Unit() * (kReactivateTo - kReactivateFrom)));
}

void EquipMember(uint32_t member, int32_t forced_day, Rng& rng, World* world,
                 SelectorSequences* sequences) {
  const double careful_share =
      world->behaviour.Has(kBurners) ? world->behaviour.careful_share : kCarefulShare;
  const bool careful = rng.Chance(careful_share);
  const int sims = static_cast<int>(careful ? rng.Between(kCarefulMinSims, kCarefulMaxSims)
                                            : rng.Between(kOrdinaryMinSims, kOrdinaryMaxSims));
  AssignEpochs(member, sims, forced_day, kKeepHandsetInCarousel, rng, world, sequences);
  Person& person = world->people[member];
  person.rate = std::max(person.rate, kCovertMinRate);
  if (person.handle_seq == kNone && rng.Chance(kMemberHandleShare)) {
    person.handle_seq = static_cast<int32_t>(sequences->handle++);
    person.handle_service =
        rng.Chance(kMemberTelegramShare) ? HandleService::kTelegram : HandleService::kSignal;
  }
}

Cell MakeCell(int index, Rng& rng, World* world, SelectorSequences* sequences) {
  Cell cell;
  cell.compartment = "CT-" + std::string(1, static_cast<char>('A' + index % kCompartments));
  ScheduleCell(world->days, rng, &cell);
  const uint32_t seed = RandomEligible(*world, -1, rng);
  if (seed == static_cast<uint32_t>(kNone)) return cell;
  const int residence = world->people[seed].residence;
  const int64_t size = rng.Between(kMinCellSize, kMaxCellSize);
  cell.members.push_back(seed);
  world->people[seed].cell = index;
  for (int attempt = 0;
       attempt < kMemberSearchAttempts && static_cast<int64_t>(cell.members.size()) < size;
       ++attempt) {
    const uint32_t member = RandomEligible(*world, residence, rng);
    if (member == static_cast<uint32_t>(kNone)) continue;
    world->people[member].cell = index;
    cell.members.push_back(member);
  }
  if (cell.members.size() < static_cast<size_t>(kMinCellSize)) {
    for (uint32_t member : cell.members) world->people[member].cell = kNone;
    cell.members.clear();
    return cell;
  }
  for (uint32_t member : cell.members) {
    world->people[member].role = Role::kCellMember;
    world->people[member].known = Known::kSubject;
    EquipMember(member, cell.reactivation_day, rng, world, sequences);
  }
  return cell;
}

void ScheduleActivations(const World& world, Rng& rng, Cell* cell) {
  if (cell->reactivation_day == kNone) return;
  for (size_t member = 0; member < cell->members.size(); ++member) {
    const int day = std::min<int>(
        world.days - 1,
        cell->reactivation_day + static_cast<int>(rng.Between(0, kMaxActivationStaggerDays)));
    const int64_t second =
        rng.Between(kEarliestActivationHour, kLatestActivationHour) * 3600 + rng.Between(0, 3599);
    cell->activation_seconds.push_back(world.DayStartSeconds(day) + second);
  }
}

void AssignRecruiters(Rng& rng, World* world, SelectorSequences* sequences) {
  const size_t wanted = (world->cells.size() + kCellsPerRecruiter - 1) / kCellsPerRecruiter;
  for (size_t count = 0; count < wanted; ++count) {
    const uint32_t recruiter = RandomEligible(*world, -1, rng);
    if (recruiter == static_cast<uint32_t>(kNone)) break;
    Person& person = world->people[recruiter];
    person.role = Role::kRecruiter;
    person.known = Known::kSubject;
    person.rate = std::max(person.rate, kCovertMinRate);
    AssignEpochs(recruiter, static_cast<int>(rng.Between(kOrdinaryMinSims, kOrdinaryMaxSims)),
                 kNone, kKeepHandsetInCarousel, rng, world, sequences);
    world->recruiters.push_back(recruiter);
  }
  if (world->recruiters.empty()) return;
  for (Cell& cell : world->cells) {
    if (rng.Chance(kRecruitedCellShare)) {
      cell.recruiter = static_cast<int32_t>(world->recruiters[rng.Below(world->recruiters.size())]);
    }
  }
}

// The service also suspects innocent people, knows subjects' relatives as
// associates, and holds a few records of unidentified people.
void MarkKnown(int64_t members, Rng& rng, World* world) {
  for (int64_t count = 0; count < static_cast<int64_t>(members * kDecoySubjectsPerMember);
       ++count) {
    const uint32_t decoy = RandomEligible(*world, -1, rng);
    if (decoy != static_cast<uint32_t>(kNone)) world->people[decoy].known = Known::kSubject;
  }
  for (const Person& subject : world->people) {
    if (subject.known != Known::kSubject) continue;
    for (uint32_t slot = world->family_offsets[subject.family];
         slot < world->family_offsets[subject.family + 1]; ++slot) {
      Person& relative = world->people[world->family_members[slot]];
      if (relative.known == Known::kNotKnown) relative.known = Known::kAssociate;
    }
  }
  const int64_t unknowns =
      std::max<int64_t>(kMinUnknowns, static_cast<int64_t>(world->people.size() * kUnknownShare));
  for (int64_t count = 0; count < unknowns; ++count) {
    Person& person = world->people[rng.Below(world->people.size())];
    if (person.known == Known::kNotKnown && person.role == Role::kOrdinary)
      person.known = Known::kUnknown;
  }
}

}  // namespace

CellPhase PhaseOn(const Cell& cell, int day) {
  if (cell.reactivation_day != kNone && day >= cell.reactivation_day)
    return CellPhase::kReactivated;
  if (cell.dormant_day != kNone && day >= cell.dormant_day) return CellPhase::kDormant;
  return CellPhase::kActive;
}

void BuildCells(Rng& rng, World* world, SelectorSequences* sequences) {
  const double mean_size = (kMinCellSize + kMaxCellSize) / 2.0;
  const int cells = std::max<int>(
      kMinCells, static_cast<int>(world->people.size() * kCellMemberShare / mean_size));
  int64_t members = 0;
  for (int index = 0; index < cells; ++index) {
    Cell cell = MakeCell(static_cast<int>(world->cells.size()), rng, world, sequences);
    if (cell.members.empty()) continue;  // too few eligible people near the seed
    ScheduleActivations(*world, rng, &cell);
    members += static_cast<int64_t>(cell.members.size());
    world->cells.push_back(std::move(cell));
  }
  AssignRecruiters(rng, world, sequences);
  MarkKnown(members, rng, world);
}

}  // namespace vigil::sim
