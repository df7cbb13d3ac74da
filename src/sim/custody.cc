#include "sim/custody.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "sim/civil_time.h"
#include "sim/geography.h"

namespace vigil::sim {
namespace {

// Recruiter stays end before or early in the period; members' stays overlap.
constexpr int kRecruiterStartBeforeMin = 400;
constexpr int kRecruiterStartBeforeMax = 1500;
constexpr int kRecruiterStayMin = 300;
constexpr int kRecruiterStayMax = 1200;
constexpr int kMemberStayMin = 120;
constexpr int kMemberStayMax = 900;
constexpr int kMinOverlapDays = 60;
constexpr double kSecondMetMemberShare = 0.4;
constexpr double kInmateShare = 0.005;
constexpr int kInmateStayMin = 30;
constexpr int kInmateStayMax = 1000;
constexpr int kReportBeforeReleaseMin = 10;
constexpr int kReportBeforeReleaseMax = 90;
constexpr double kReportByNameShare = 0.4;
constexpr double kSubjectReportShare = 0.3;
constexpr double kAssociateReportShare = 0.05;
constexpr int kReportFirstHour = 8;
constexpr int kReportLastHour = 18;
constexpr int kReportIdDigits = 7;
constexpr double kReportScriptChance = 0.0;

constexpr std::string_view kPrisonTexts[] = {
    "Withdrawn from former associates, now spends association time with one other inmate",
    "Marked change in routine; refuses work, \"new friends\" on the wing",
    "Officer noted increased influence of a fellow prisoner, and new rigid views",
};
constexpr std::string_view kPoliceTexts[] = {
    "Seen meeting a known subject near a cafe, several times",
    "Neighbour reports frequent late-night visitors",
};
constexpr std::string_view kOtherTexts[] = {
    "Routine check, nothing of note",
    "Name appeared in an unrelated fraud inquiry",
};

class CustodyWriter {
 public:
  CustodyWriter(Rng rng, World* world, CsvWriter* custody, CsvWriter* reports)
      : rng_(rng), world_(*world), custody_(custody), reports_(reports) {}

  void Recruited(const Cell& cell) {
    if (cell.recruiter == kNone) return;
    const std::string_view facility = Facility();
    const int64_t start =
        world_.start_day - rng_.Between(kRecruiterStartBeforeMin, kRecruiterStartBeforeMax);
    const int64_t end = start + rng_.Between(kRecruiterStayMin, kRecruiterStayMax);
    Stay(static_cast<uint32_t>(cell.recruiter), facility, start, end);
    const size_t met = rng_.Chance(kSecondMetMemberShare) && cell.members.size() > 1 ? 2 : 1;
    for (size_t slot = 0; slot < met; ++slot) {
      const int64_t member_start = start + rng_.Between(0, end - start - kMinOverlapDays);
      const int64_t member_end = member_start + rng_.Between(kMemberStayMin, kMemberStayMax);
      Stay(cell.members[slot], facility, member_start, member_end);
      PrisonReport(cell.members[slot], member_end);
    }
  }

  void Inmate(uint32_t person) {
    Person& who = world_.people[person];
    const Behaviour& behaviour = world_.behaviour;
    const bool releases = behaviour.Has(kPrisonReleases);
    if (who.role != Role::kOrdinary ||
        !rng_.Chance(releases ? behaviour.inmate_share : kInmateShare)) {
      return;
    }
    if (who.known == Known::kNotKnown) who.known = Known::kUnknown;
    const int64_t start = world_.start_day + rng_.Between(-kInmateStayMax, world_.days - 1);
    const int64_t end = start + rng_.Between(kInmateStayMin, kInmateStayMax);
    Stay(person, Facility(), start, end);
    if (!releases) return;
    // Silent inside; often watched after release, when they talk again.
    const int64_t first = std::max<int64_t>(start - world_.start_day, 0);
    const int64_t last = std::min<int64_t>(end - world_.start_day, world_.days - 1);
    if (first > last) return;
    who.away_from = static_cast<int32_t>(first);
    who.away_to = static_cast<int32_t>(last);
    if (rng_.Chance(behaviour.inmate_watched_share)) who.known = Known::kSubject;
  }

  void OtherReports(uint32_t person) {
    const Person& who = world_.people[person];
    if (who.known == Known::kSubject && rng_.Chance(kSubjectReportShare)) {
      Report(person, false, RandomDay(), "police", "contact", Pick(kPoliceTexts));
    } else if (who.known == Known::kAssociate && rng_.Chance(kAssociateReportShare)) {
      Report(person, rng_.Chance(kReportByNameShare), RandomDay(), "partner", "other",
             Pick(kOtherTexts));
    }
  }

 private:
  template <size_t N>
  std::string_view Pick(const std::string_view (&texts)[N]) {
    return texts[rng_.Below(N)];
  }

  std::string_view Facility() {
    const auto facilities = Facilities();
    return facilities[rng_.Below(facilities.size())];
  }

  int64_t RandomDay() { return world_.start_day + rng_.Between(0, world_.days - 1); }

  void Stay(uint32_t person, std::string_view facility, int64_t start, int64_t end) {
    custody_->Plain(PersonId(person));
    custody_->Plain(facility);
    custody_->Date(start);
    if (end < world_.start_day + world_.days) {
      custody_->Date(end);
    } else {
      custody_->Empty();  // still inside at the end of the records
    }
    custody_->EndRow();
  }

  void PrisonReport(uint32_t member, int64_t release) {
    const int64_t day = release - rng_.Between(kReportBeforeReleaseMin, kReportBeforeReleaseMax);
    Report(member, rng_.Chance(kReportByNameShare), day, "prison_service", "behaviour_change",
           Pick(kPrisonTexts));
  }

  void Report(uint32_t person, bool by_name, int64_t day, std::string_view source,
              std::string_view category, std::string_view text) {
    char id[kReportIdDigits + 2];
    std::snprintf(id, sizeof(id), "R%0*lld", kReportIdDigits,
                  static_cast<long long>(next_report_++));
    reports_->Plain(id);
    reports_->Time(day * kSecondsPerDay + rng_.Between(kReportFirstHour * kSecondsPerHour,
                                                       kReportLastHour * kSecondsPerHour));
    if (by_name) {
      reports_->Empty();
      reports_->Field(
          VariantName(world_.people[person].name, {.script_chance = kReportScriptChance}, rng_));
    } else {
      reports_->Plain(PersonId(person));
      reports_->Empty();
    }
    reports_->Plain(source);
    reports_->Plain(category);
    reports_->Field(text);
    reports_->EndRow();
  }

  Rng rng_;
  World& world_;
  CsvWriter* custody_;
  CsvWriter* reports_;
  int64_t next_report_ = 0;
};

}  // namespace

void GenerateCustodyAndReports(Rng rng, World* world, CsvWriter* custody, CsvWriter* reports) {
  CustodyWriter writer(rng, world, custody, reports);
  for (const Cell& cell : world->cells) writer.Recruited(cell);
  for (uint32_t person = 0; person < world->people.size(); ++person) writer.Inmate(person);
  for (uint32_t person = 0; person < world->people.size(); ++person) writer.OtherReports(person);
}

}  // namespace vigil::sim
