#include "ingest/rows.h"

#include <ctime>
#include <limits>

#include "model/message.h"

namespace vigil {
namespace {

constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kDelete = 0x7f;
constexpr char kListSeparator = '|';
constexpr int64_t kMaxDurationSeconds = std::numeric_limits<int32_t>::max();
// Field size limits (README, "Ingest rules"): a report's text, any other
// field, each name of a '|'-joined list, and each x_* attribute value.
constexpr size_t kMaxReportTextBytes = 64 * 1024;
constexpr size_t kMaxFieldBytes = 4 * 1024;
constexpr size_t kMaxNameItemBytes = 1024;
constexpr size_t kMaxAttributeBytes = 4 * 1024;

constexpr std::string_view kRequiredRule = "required; must not be empty";
constexpr std::string_view kControlRule = "must not contain control characters";
constexpr std::string_view kListRule = "must be a single value, not a list";
constexpr std::string_view kNumberRule = "must be a JSON string, not a number";
constexpr std::string_view kEmptyItemRule = "must not have an empty item in its '|'-joined list";

bool HasControl(std::string_view text, bool allow_line_breaks) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= kFirstPrintable && byte != kDelete) continue;
    if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) continue;
    return true;
  }
  return false;
}

// Reads the cells of one row for one schema, checking the rules of each
// field type. Every method returns false once it has filled the error.
class FieldReader {
 public:
  FieldReader(const RowCells& row, InputKind kind, RowError* error)
      : row_(row), schema_(SchemaFor(kind)), error_(error) {}

  bool Fail(int index, std::string_view rule) {
    const Cell& cell = row_.cells[index];
    error_->column = cell.column > 0 ? cell.column : row_.row_column;
    error_->rule = ColumnRule(schema_.columns[index].name, rule);
    return false;
  }
  bool Fail(int index, const Status& status) { return Fail(index, status.message()); }
  bool FailTooLong(int index, size_t size, size_t limit) {
    return Fail(index, "is " + std::to_string(size) + " bytes, longer than the limit of " +
                           std::to_string(limit) + " bytes");
  }

  bool IsEmpty(int index) const {
    const Cell& cell = row_.cells[index];
    return cell.is_null || (cell.items != nullptr ? cell.items->empty() : cell.text.empty());
  }

  // The scalar text of a cell; "" when it is empty. Checks required/list/number.
  bool Scalar(int index, std::string_view* text, bool numeric = false) {
    const Cell& cell = row_.cells[index];
    if (IsEmpty(index)) {
      *text = {};
      return !schema_.columns[index].required || Fail(index, kRequiredRule);
    }
    if (cell.items != nullptr) return Fail(index, kListRule);
    if (cell.is_number && !numeric) return Fail(index, kNumberRule);
    *text = cell.text;
    return true;
  }

  bool Text(int index, std::string* out, bool allow_line_breaks = false) {
    std::string_view text;
    if (!Scalar(index, &text)) return false;
    const size_t limit = allow_line_breaks ? kMaxReportTextBytes : kMaxFieldBytes;
    if (text.size() > limit) return FailTooLong(index, text.size(), limit);
    if (HasControl(text, allow_line_breaks)) return Fail(index, kControlRule);
    out->assign(text);
    return true;
  }

  bool Id(int index, std::string* out) {
    std::string_view text;
    if (!Scalar(index, &text)) return false;
    if (!text.empty()) {
      const Status status = ValidateId(text);
      if (!status.ok()) return Fail(index, status);
    }
    out->assign(text);
    return true;
  }

  // kinds: the selector kinds allowed here, or empty for any.
  bool Selector(int index, std::string* out, std::initializer_list<SelectorKind> kinds = {}) {
    std::string_view text;
    if (!Scalar(index, &text)) return false;
    if (!text.empty()) {
      const Result<SelectorKind> kind = ParseSelector(text);
      if (!kind.ok()) return Fail(index, kind.status());
      if (kinds.size() > 0 && !KindAllowed(*kind, kinds)) return FailKind(index, text, kinds);
    }
    out->assign(text);
    return true;
  }

  bool Time(int index, UnixTime* out) {
    std::string_view text;
    if (!Scalar(index, &text)) return false;
    if (text.empty()) return true;
    const Result<UnixTime> time = ParseTime(text);
    if (!time.ok()) return Fail(index, time.status());
    *out = *time;
    return true;
  }

  bool OptionalTime(int index, std::optional<UnixTime>* out) {
    out->reset();
    if (IsEmpty(index)) return true;
    UnixTime time = 0;
    if (!Time(index, &time)) return false;
    *out = time;
    return true;
  }

  bool Date(int index, std::string* out) {
    std::string_view text;
    if (!Scalar(index, &text)) return false;
    if (!text.empty()) {
      const Result<UnixTime> date = ParseDate(text);
      if (!date.ok()) return Fail(index, date.status());
    }
    out->assign(text);
    return true;
  }

  // A birth date: partial allowed, from 1900-01-01 to today.
  bool PartialDate(int index, std::string* out) {
    return Checked(index, out, [](std::string_view text) {
      return ValidateBirthDate(text, static_cast<UnixTime>(std::time(nullptr)));
    });
  }
  bool Country(int index, std::string* out) { return Checked(index, out, ValidateCountry); }
  bool Place(int index, std::string* out) { return Checked(index, out, ValidatePlace); }

  bool NameList(int index, std::vector<std::string>* out) {
    out->clear();
    const Cell& cell = row_.cells[index];
    if (IsEmpty(index)) return !schema_.columns[index].required || Fail(index, kRequiredRule);
    if (cell.is_number) return Fail(index, kNumberRule);
    if (cell.items != nullptr) {
      for (const std::string_view item : *cell.items) {
        if (!AddName(index, item, out)) return false;
      }
      return true;
    }
    std::string_view rest = cell.text;
    for (;;) {
      const size_t bar = rest.find(kListSeparator);
      if (!AddName(index, rest.substr(0, bar), out)) return false;
      if (bar == std::string_view::npos) return true;
      rest.remove_prefix(bar + 1);
    }
  }

  template <typename Enum, size_t kCount>
  bool Enumerated(int index, const Enum (&values)[kCount], std::string_view (*name_of)(Enum),
                  Enum* out) {
    std::string_view text;
    if (!Scalar(index, &text)) return false;
    if (text.empty()) return true;
    for (const Enum value : values) {
      if (name_of(value) == text) {
        *out = value;
        return true;
      }
    }
    std::string allowed;
    for (const Enum value : values) {
      if (!allowed.empty()) allowed += ", ";
      allowed += name_of(value);
    }
    return Fail(index, "must be one of " + allowed + " (got " + QuoteForMessage(text) + ")");
  }

  bool Duration(int index, std::optional<int64_t>* out) {
    out->reset();
    std::string_view text;
    if (!Scalar(index, &text, /*numeric=*/true)) return false;
    if (text.empty()) return true;
    int64_t value = 0;
    for (const char c : text) {
      if (c < '0' || c > '9' || value > kMaxDurationSeconds) {
        return Fail(index, "must be a non-negative integer number of seconds (got " +
                               QuoteForMessage(text) + ")");
      }
      value = value * 10 + (c - '0');
    }
    if (value > kMaxDurationSeconds) {
      return Fail(index, "must be at most " + std::to_string(kMaxDurationSeconds) + " seconds");
    }
    *out = value;
    return true;
  }

  // The row's x_* attributes; false (error filled) when a value is longer
  // than kMaxAttributeBytes.
  bool CopyAttributes(Attributes* out) {
    for (const auto& [name, value] : row_.attributes) {
      if (value.size() > kMaxAttributeBytes) {
        error_->column = row_.row_column;
        error_->rule = ColumnRule(name, "is " + std::to_string(value.size()) +
                                            " bytes, longer than the limit of " +
                                            std::to_string(kMaxAttributeBytes) + " bytes");
        return false;
      }
    }
    out->resize(row_.attributes.size());
    for (size_t i = 0; i < row_.attributes.size(); ++i) {
      (*out)[i].first.assign(row_.attributes[i].first);
      (*out)[i].second.assign(row_.attributes[i].second);
    }
    return true;
  }

 private:
  bool Checked(int index, std::string* out, Status (*check)(std::string_view)) {
    std::string_view text;
    if (!Scalar(index, &text)) return false;
    if (!text.empty()) {
      const Status status = check(text);
      if (!status.ok()) return Fail(index, status);
    }
    out->assign(text);
    return true;
  }

  bool AddName(int index, std::string_view item, std::vector<std::string>* out) {
    if (item.empty()) return Fail(index, kEmptyItemRule);
    if (item.size() > kMaxNameItemBytes) {
      return Fail(index, "has an item of " + std::to_string(item.size()) +
                             " bytes, longer than the limit of " +
                             std::to_string(kMaxNameItemBytes) + " bytes");
    }
    if (HasControl(item, false)) return Fail(index, kControlRule);
    out->emplace_back(item);
    return true;
  }

  static bool KindAllowed(SelectorKind kind, std::initializer_list<SelectorKind> kinds) {
    for (const SelectorKind allowed : kinds) {
      if (allowed == kind) return true;
    }
    return false;
  }

  bool FailKind(int index, std::string_view text, std::initializer_list<SelectorKind> kinds) {
    std::string allowed;
    for (const SelectorKind kind : kinds) {
      if (!allowed.empty()) allowed += " or ";
      allowed += SelectorKindName(kind);
    }
    return Fail(index,
                "must be a selector of kind " + allowed + " (got " + QuoteForMessage(text) + ")");
  }

  const RowCells& row_;
  const Schema& schema_;
  RowError* error_;
};

constexpr PersonStatus kPersonStatuses[] = {PersonStatus::kSubject, PersonStatus::kAssociate,
                                            PersonStatus::kUnknown};
constexpr CommKind kCommKinds[] = {CommKind::kCall, CommKind::kSms, CommKind::kMsg,
                                   CommKind::kEmail};
constexpr ReportCategory kCategories[] = {ReportCategory::kBehaviourChange,
                                          ReportCategory::kContact, ReportCategory::kTravel,
                                          ReportCategory::kWeapon, ReportCategory::kOther};
constexpr Handling kHandlings[] = {Handling::kRed, Handling::kAmber, Handling::kGreen,
                                   Handling::kClear};

}  // namespace

void RowCells::Reset(const Schema& schema) {
  cells.assign(schema.columns.size(), Cell{.is_null = true});
  attributes.clear();
}

std::string ColumnRule(std::string_view column_name, std::string_view rule) {
  std::string text = "column '";
  text += column_name;
  text += "': ";
  text += rule;
  return text;
}

int ReferenceColumn(const RowCells& row, InputKind kind) {
  int index = -1;
  if (kind == InputKind::kPersons) index = kPersonId;
  if (kind == InputKind::kSelectors) index = kSelectorPersonId;
  if (kind == InputKind::kCustody) index = kCustodyPersonId;
  if (kind == InputKind::kReports) index = kReportPersonId;
  if (index < 0 || static_cast<size_t>(index) >= row.cells.size() || row.cells[index].column <= 0) {
    return row.row_column;
  }
  return row.cells[index].column;
}

bool ParseRecord(const RowCells& row, Person* record, RowError* error) {
  FieldReader reader(row, InputKind::kPersons, error);
  record->status = PersonStatus::kUnknown;
  if (!reader.Id(kPersonId, &record->person_id) || !reader.Text(kPersonName, &record->name) ||
      !reader.NameList(kPersonAliases, &record->aliases) ||
      !reader.PartialDate(kPersonBirthDate, &record->birth_date) ||
      !reader.Country(kPersonNationality, &record->nationality) ||
      !reader.Enumerated(kPersonStatus, kPersonStatuses, PersonStatusName, &record->status) ||
      !reader.Text(kPersonCompartment, &record->compartment) ||
      !reader.Text(kPersonLegalBasis, &record->legal_basis) ||
      !reader.Date(kPersonReviewBy, &record->review_by)) {
    return false;
  }
  // Oversight: no one is watched without a legal basis and a review date.
  if (record->status == PersonStatus::kSubject) {
    if (record->legal_basis.empty()) {
      return reader.Fail(kPersonLegalBasis, "a subject needs a legal basis");
    }
    if (record->review_by.empty()) {
      return reader.Fail(kPersonReviewBy, "a subject needs a review date (review_by)");
    }
  }
  return reader.CopyAttributes(&record->attributes);
}

bool ParseRecord(const RowCells& row, SelectorRecord* record, RowError* error) {
  FieldReader reader(row, InputKind::kSelectors, error);
  if (!reader.Selector(kSelectorSelector, &record->selector) ||
      !reader.Id(kSelectorPersonId, &record->person_id) ||
      !reader.OptionalTime(kSelectorFirstSeen, &record->first_seen) ||
      !reader.OptionalTime(kSelectorLastSeen, &record->last_seen) ||
      !reader.Text(kSelectorSource, &record->source)) {
    return false;
  }
  if (record->first_seen && record->last_seen && *record->last_seen < *record->first_seen) {
    return reader.Fail(kSelectorLastSeen, "must not be before first_seen");
  }
  return reader.CopyAttributes(&record->attributes);
}

bool ParseRecord(const RowCells& row, Communication* record, RowError* error) {
  FieldReader reader(row, InputKind::kComms, error);
  record->kind = CommKind::kUnknown;
  if (!reader.Time(kCommTime, &record->time) || !reader.Selector(kCommSrc, &record->src) ||
      !reader.Selector(kCommDst, &record->dst) ||
      !reader.Enumerated(kCommKind, kCommKinds, CommKindName, &record->kind) ||
      !reader.Duration(kCommDuration, &record->duration_s) ||
      !reader.Selector(kCommDevice, &record->device, {SelectorKind::kImei}) ||
      !reader.Text(kCommCell, &record->cell)) {
    return false;
  }
  return reader.CopyAttributes(&record->attributes);
}

bool ParseRecord(const RowCells& row, TravelRecord* record, RowError* error) {
  FieldReader reader(row, InputKind::kTravel, error);
  if (!reader.Id(kTravelRecordId, &record->record_id) || !reader.Time(kTravelTime, &record->time) ||
      !reader.Text(kTravelName, &record->name) ||
      !reader.PartialDate(kTravelBirthDate, &record->birth_date) ||
      !reader.Selector(kTravelDocument, &record->document,
                       {SelectorKind::kPassport, SelectorKind::kIdcard}) ||
      !reader.Country(kTravelNationality, &record->nationality) ||
      !reader.Place(kTravelOrigin, &record->origin) ||
      !reader.Place(kTravelDestination, &record->destination) ||
      !reader.Text(kTravelCarrier, &record->carrier)) {
    return false;
  }
  return reader.CopyAttributes(&record->attributes);
}

bool ParseRecord(const RowCells& row, CustodyRecord* record, RowError* error) {
  FieldReader reader(row, InputKind::kCustody, error);
  if (!reader.Id(kCustodyPersonId, &record->person_id) ||
      !reader.Text(kCustodyFacility, &record->facility) ||
      !reader.Date(kCustodyStart, &record->start) || !reader.Date(kCustodyEnd, &record->end)) {
    return false;
  }
  // Both are YYYY-MM-DD, so text order is date order.
  if (!record->end.empty() && record->end < record->start) {
    return reader.Fail(kCustodyEnd, "must not be before start");
  }
  return reader.CopyAttributes(&record->attributes);
}

bool ParseRecord(const RowCells& row, Report* record, RowError* error) {
  FieldReader reader(row, InputKind::kReports, error);
  record->category = ReportCategory::kOther;
  if (!reader.Id(kReportId, &record->report_id) || !reader.Time(kReportTime, &record->time) ||
      !reader.Id(kReportPersonId, &record->person_id) || !reader.Text(kReportName, &record->name) ||
      !reader.Text(kReportSource, &record->source) ||
      !reader.Enumerated(kReportCategory, kCategories, ReportCategoryName, &record->category) ||
      !reader.Text(kReportText, &record->text, /*allow_line_breaks=*/true)) {
    return false;
  }
  if (record->person_id.empty() && record->name.empty()) {
    return reader.Fail(kReportPersonId, "a report needs person_id or name (one is required)");
  }
  return reader.CopyAttributes(&record->attributes);
}

bool ParseRecord(const RowCells& row, WatchlistEntry* record, RowError* error) {
  FieldReader reader(row, InputKind::kWatchlist, error);
  record->handling = Handling::kUnset;
  if (!reader.Id(kEntryId, &record->entry_id) || !reader.Text(kEntryList, &record->list) ||
      !reader.Text(kEntryName, &record->name) ||
      !reader.NameList(kEntryAliases, &record->aliases) ||
      !reader.PartialDate(kEntryBirthDate, &record->birth_date) ||
      !reader.Country(kEntryNationality, &record->nationality) ||
      !reader.Text(kEntryReason, &record->reason) ||
      !reader.Date(kEntryValidUntil, &record->valid_until) ||
      !reader.Enumerated(kEntryHandling, kHandlings, HandlingName, &record->handling)) {
    return false;
  }
  return reader.CopyAttributes(&record->attributes);
}

}  // namespace vigil
