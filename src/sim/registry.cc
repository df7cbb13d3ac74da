#include "sim/registry.h"

#include <cstdio>
#include <string>

#include "sim/civil_time.h"
#include "sim/partial_date.h"
#include "sim/selectors.h"

namespace vigil::sim {
namespace {

constexpr int kPersonAliases = 2;
constexpr DatePrecision kSubjectBirthDate = {0.9, 0.05, 0.05};
constexpr DatePrecision kOtherBirthDate = {0.4, 0.1, 0.2};
constexpr int kReviewEarliest = 90;  // days after the period starts
constexpr int kReviewLatest = 3 * 365;
constexpr int kWarrantNumbers = 10000;
constexpr std::string_view kDefaultCompartment = "CT-A";
// Selectors.
constexpr double kSubjectImeiKnown = 0.5;
constexpr double kSubjectImsiKnown = 0.3;
constexpr double kPassportKnown = 0.7;
constexpr double kLaterSimSeen = 0.4;  // a later SIM seen in intercept, owner unknown
constexpr double kHandleSeen = 0.5;
constexpr double kAssociatePhoneKnown = 0.5;
constexpr double kHubListed = 1.0;

std::string_view StatusName(Known known) {
  switch (known) {
    case Known::kSubject:
      return "subject";
    case Known::kAssociate:
      return "associate";
    default:
      return "unknown";
  }
}

void WritePerson(const World& world, uint32_t index, Rng& rng, CsvWriter* out) {
  const Person& person = world.people[index];
  const bool subject = person.known == Known::kSubject;
  out->Plain(PersonId(index));
  out->Field(CanonicalName(person.name));
  out->Field(person.known == Known::kUnknown ? "" : AliasList(person.name, kPersonAliases, rng));
  WriteBirthDate(person, subject ? kSubjectBirthDate : kOtherBirthDate, rng, out);
  out->Plain(NationalityOf(world, index));
  out->Plain(StatusName(person.known));
  if (person.known == Known::kUnknown) {
    for (int column = 0; column < 3; ++column) out->Empty();
    out->EndRow();
    return;
  }
  out->Plain(person.cell != kNone ? std::string_view(world.cells[person.cell].compartment)
                                  : kDefaultCompartment);
  char basis[32];
  std::snprintf(basis, sizeof(basis), subject ? "warrant-%04d" : "associate-review-%04d",
                static_cast<int>(rng.Below(kWarrantNumbers)));
  out->Plain(basis);
  out->Date(world.start_day + rng.Between(kReviewEarliest, kReviewLatest));
  out->EndRow();
}

class SelectorRows {
 public:
  SelectorRows(const World& world, Rng rng, CsvWriter* out) : world_(world), rng_(rng), out_(out) {}

  void Person(uint32_t index) {
    const auto& person = world_.people[index];
    if (person.role == Role::kInboundHub || person.role == Role::kOutboundHub) {
      if (rng_.Chance(kHubListed)) Hub(index);
      return;
    }
    if (person.known == Known::kSubject) Subject(index);
    if (person.known == Known::kAssociate && rng_.Chance(kAssociatePhoneKnown)) {
      FormatMsisdn(person.residence, Epoch(index, 0).msisdn_seq, &text_);
      Row(index, 0, "partner");
    }
  }

 private:
  const SimEpoch& Epoch(uint32_t person, uint32_t number) const {
    return world_.epochs[world_.people[person].first_epoch + number];
  }

  void Hub(uint32_t index) {
    FormatMsisdn(world_.people[index].residence, Epoch(index, 0).msisdn_seq, &text_);
    Row(kNone, 0, "directory");
  }

  void Subject(uint32_t index) {
    const auto& person = world_.people[index];
    FormatMsisdn(person.residence, Epoch(index, 0).msisdn_seq, &text_);
    Row(static_cast<int32_t>(index), 0, "warrant");
    if (rng_.Chance(kSubjectImsiKnown)) {
      FormatImsi(person.residence, Epoch(index, 0).imsi_seq, &text_);
      Row(static_cast<int32_t>(index), 0, "warrant");
    }
    if (rng_.Chance(kSubjectImeiKnown)) {
      FormatImei(Epoch(index, 0).imei_seq, &text_);
      Row(static_cast<int32_t>(index), 0, "warrant");
    }
    if (rng_.Chance(kPassportKnown)) {
      FormatPassport(NationalityOf(world_, index), index, &text_);
      Row(static_cast<int32_t>(index), kNone, "travel");
    }
    for (uint32_t number = 1; number < person.epoch_count; ++number) {
      if (!rng_.Chance(kLaterSimSeen)) continue;
      FormatMsisdn(person.residence, Epoch(index, number).msisdn_seq, &text_);
      RowFrom(kNone, index, number, "intercept");
    }
    if (person.handle_seq != kNone && rng_.Chance(kHandleSeen)) {
      FormatHandle(person.handle_service, AsciiGiven(person.name),
                   static_cast<uint64_t>(person.handle_seq), &text_);
      Row(kNone, kNone, "open_source");
    }
  }

  // A row whose seen period is that of epoch `number` of `owner`; unattributed
  // when `attributed` is kNone.
  void RowFrom(int32_t attributed, uint32_t owner, uint32_t number, std::string_view source) {
    const auto& person = world_.people[owner];
    const int first = Epoch(owner, number).start_day;
    const int last =
        number + 1 < person.epoch_count ? Epoch(owner, number + 1).start_day - 1 : world_.days - 1;
    Write(attributed, first, last, source);
  }

  void Row(int32_t attributed, int32_t number, std::string_view source) {
    if (attributed != kNone && number != kNone) {
      RowFrom(attributed, static_cast<uint32_t>(attributed), static_cast<uint32_t>(number), source);
    } else {
      Write(attributed, kNone, kNone, source);
    }
  }

  void Write(int32_t attributed, int first, int last, std::string_view source) {
    out_->Plain(text_.view());
    if (attributed != kNone) {
      out_->Plain(PersonId(static_cast<uint32_t>(attributed)));
    } else {
      out_->Empty();
    }
    if (first != kNone) {
      out_->Time(world_.DayStartSeconds(std::max(0, first)));
      out_->Time(world_.DayStartSeconds(std::max(first, last)) + kSecondsPerDay - 1);
    } else {
      out_->Empty();
      out_->Empty();
    }
    out_->Plain(source);
    out_->EndRow();
  }

  const World& world_;
  Rng rng_;
  CsvWriter* out_;
  SelectorText text_;
};

}  // namespace

void WritePersons(const World& world, Rng rng, CsvWriter* out) {
  for (uint32_t index = 0; index < world.people.size(); ++index) {
    if (world.people[index].known != Known::kNotKnown) WritePerson(world, index, rng, out);
  }
}

void WriteSelectors(const World& world, Rng rng, CsvWriter* out) {
  SelectorRows rows(world, rng, out);
  for (uint32_t index = 0; index < world.people.size(); ++index) rows.Person(index);
}

}  // namespace vigil::sim
