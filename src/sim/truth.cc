#include "sim/truth.h"

#include <cstdio>
#include <string>

#include "sim/selectors.h"

namespace vigil::sim {
namespace {

constexpr int kCellIdDigits = 4;

void Owned(const SelectorText& text, const SelectorText& owner, CsvWriter* out) {
  out->Plain(text.view());
  out->Plain(owner.view());
  out->EndRow();
}

}  // namespace

std::string CellId(size_t cell) {
  char text[16];
  std::snprintf(text, sizeof(text), "cell-%0*zu", kCellIdDigits, cell);
  return text;
}

void WriteTruthSelectors(const World& world, CsvWriter* out) {
  SelectorText owner, text;
  for (uint32_t index = 0; index < world.people.size(); ++index) {
    const Person& person = world.people[index];
    FormatPersonId(index, &owner);
    for (uint32_t number = 0; number < person.epoch_count; ++number) {
      const SimEpoch& epoch = world.epochs[person.first_epoch + number];
      FormatMsisdn(person.residence, epoch.msisdn_seq, &text);
      Owned(text, owner, out);
      FormatImsi(person.residence, epoch.imsi_seq, &text);
      Owned(text, owner, out);
      if (epoch.new_handset) {
        FormatImei(epoch.imei_seq, &text);
        Owned(text, owner, out);
      }
    }
    if (person.handle_seq != kNone) {
      FormatHandle(person.handle_service, AsciiGiven(person.name),
                   static_cast<uint64_t>(person.handle_seq), &text);
      Owned(text, owner, out);
    }
    if (person.email_seq != kNone) {
      FormatEmail(AsciiGiven(person.name), AsciiFamily(person.name),
                  static_cast<uint64_t>(person.email_seq), &text);
      Owned(text, owner, out);
    }
    if (person.role == Role::kInboundHub || person.role == Role::kOutboundHub) continue;
    FormatPassport(NationalityOf(world, index), index, &text);
    Owned(text, owner, out);
  }
}

void WriteTruthCells(const World& world, CsvWriter* out) {
  for (size_t cell = 0; cell < world.cells.size(); ++cell) {
    for (uint32_t member : world.cells[cell].members) {
      out->Plain(PersonId(member));
      out->Plain(CellId(cell));
      out->EndRow();
    }
  }
}

void WriteTruthActivations(const World& world, CsvWriter* out) {
  for (const Cell& cell : world.cells) {
    for (size_t slot = 0; slot < cell.activation_seconds.size(); ++slot) {
      out->Plain(PersonId(cell.members[slot]));
      out->Time(cell.activation_seconds[slot]);
      out->EndRow();
    }
  }
}

}  // namespace vigil::sim
