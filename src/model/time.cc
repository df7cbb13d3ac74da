// Times and dates of formats.md: ISO 8601 with an explicit offset, YYYY-MM-DD
// dates and partial birth dates. Hand-written digit parsing (no locale, no
// timegm): this runs once per communication row on the ingest hot path.
#include <cstdio>

#include "model/civil.h"
#include "model/message.h"
#include "vigil/model.h"

namespace vigil {
namespace {

constexpr int kMaxHour = 23;
constexpr int kMaxMinute = 59;
constexpr int kMaxSecond = 59;
constexpr int kMinMonth = 1;
constexpr int kMaxMonth = 12;
constexpr size_t kDateLength = 10;         // YYYY-MM-DD
constexpr size_t kYearMonthLength = 7;     // YYYY-MM
constexpr size_t kYearLength = 4;          // YYYY
constexpr size_t kDateTimeLength = 19;     // YYYY-MM-DDTHH:MM:SS
constexpr size_t kMaxFractionDigits = 18;  // more would be noise, not precision

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `count` digits at text[pos...]; false if any is not a digit.
bool ReadDigits(std::string_view text, size_t pos, size_t count, int* value) {
  int result = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!IsDigit(c)) return false;
    result = result * 10 + (c - '0');
  }
  *value = result;
  return true;
}

Status TimeShapeError(std::string_view text) {
  return Status::InvalidArgument("not an ISO 8601 time with an explicit offset or Z: " +
                                 QuoteForMessage(text));
}

// Parses "YYYY-MM-DD" at the start of `text` (which has at least 10 bytes)
// into days since the epoch. `whole` is the full value, quoted in messages.
Status ParseDateAt(std::string_view text, std::string_view whole, bool is_time, int64_t* days) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (!ReadDigits(text, 0, 4, &year) || text[4] != '-' || !ReadDigits(text, 5, 2, &month) ||
      text[7] != '-' || !ReadDigits(text, 8, 2, &day)) {
    if (is_time) return TimeShapeError(whole);
    return Status::InvalidArgument("not a date YYYY-MM-DD: " + QuoteForMessage(whole));
  }
  if (month < kMinMonth || month > kMaxMonth || day < 1 || day > civil::DaysInMonth(year, month)) {
    return Status::InvalidArgument("not a calendar date (no such day): " + QuoteForMessage(whole));
  }
  *days = civil::DaysFromCivil(year, month, day);
  return Status::Ok();
}

// Parses the offset suffix ("Z", "+HH:MM", "-HH:MM", "+HHMM") into seconds
// east of UTC.
Status ParseOffset(std::string_view suffix, std::string_view whole, int64_t* offset_seconds) {
  if (suffix == "Z") {
    *offset_seconds = 0;
    return Status::Ok();
  }
  if (suffix.empty()) {
    return Status::InvalidArgument(
        "not an ISO 8601 time with an explicit offset or Z (the offset is missing): " +
        QuoteForMessage(whole));
  }
  const char sign = suffix[0];
  int hours = 0;
  int minutes = 0;
  const bool extended = suffix.size() == 6 && suffix[3] == ':';
  const bool basic = suffix.size() == 5;
  if ((sign != '+' && sign != '-') || !(extended || basic) || !ReadDigits(suffix, 1, 2, &hours) ||
      !ReadDigits(suffix, extended ? 4 : 3, 2, &minutes)) {
    return TimeShapeError(whole);
  }
  if (hours > kMaxHour || minutes > kMaxMinute) {
    return Status::InvalidArgument("time offset out of range (hours 00..23, minutes 00..59): " +
                                   QuoteForMessage(whole));
  }
  const int64_t magnitude = hours * civil::kSecondsPerHour + minutes * civil::kSecondsPerMinute;
  *offset_seconds = sign == '-' ? -magnitude : magnitude;
  return Status::Ok();
}

}  // namespace

Result<UnixTime> ParseTime(std::string_view text) {
  if (text.size() < kDateTimeLength || text[10] != 'T') return TimeShapeError(text);
  int64_t days = 0;
  VIGIL_RETURN_IF_ERROR(ParseDateAt(text, text, /*is_time=*/true, &days));
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!ReadDigits(text, 11, 2, &hour) || text[13] != ':' || !ReadDigits(text, 14, 2, &minute) ||
      text[16] != ':' || !ReadDigits(text, 17, 2, &second)) {
    return TimeShapeError(text);
  }
  if (hour > kMaxHour || minute > kMaxMinute || second > kMaxSecond) {
    return Status::InvalidArgument(
        "time of day out of range (hour 00..23, minute 00..59, second 00..59): " +
        QuoteForMessage(text));
  }
  size_t pos = kDateTimeLength;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    const size_t first_digit = ++pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    const size_t digits = pos - first_digit;
    if (digits == 0 || digits > kMaxFractionDigits) return TimeShapeError(text);
  }
  int64_t offset_seconds = 0;
  VIGIL_RETURN_IF_ERROR(ParseOffset(text.substr(pos), text, &offset_seconds));
  return days * civil::kSecondsPerDay + hour * civil::kSecondsPerHour +
         minute * civil::kSecondsPerMinute + second - offset_seconds;
}

std::string FormatTime(UnixTime t) {
  const int64_t days = civil::FloorDays(t);
  const int64_t seconds_of_day = t - days * civil::kSecondsPerDay;
  const civil::Date date = civil::CivilFromDays(days);
  char buffer[64];
  std::snprintf(
      buffer, sizeof(buffer), "%04lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(date.year),
      date.month, date.day, static_cast<int>(seconds_of_day / civil::kSecondsPerHour),
      static_cast<int>(seconds_of_day % civil::kSecondsPerHour / civil::kSecondsPerMinute),
      static_cast<int>(seconds_of_day % civil::kSecondsPerMinute));
  return buffer;
}

Result<UnixTime> ParseDate(std::string_view text) {
  if (text.size() != kDateLength) {
    return Status::InvalidArgument("not a date YYYY-MM-DD: " + QuoteForMessage(text));
  }
  int64_t days = 0;
  VIGIL_RETURN_IF_ERROR(ParseDateAt(text, text, /*is_time=*/false, &days));
  return days * civil::kSecondsPerDay;
}

std::string FormatDate(UnixTime t) {
  const civil::Date date = civil::CivilFromDays(civil::FloorDays(t));
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02d", static_cast<long long>(date.year),
                date.month, date.day);
  return buffer;
}

Status ValidatePartialDate(std::string_view text) {
  if (text.size() == kDateLength) return ParseDate(text).status();
  int year = 0;
  int month = 0;
  auto shape_error = [text] {
    return Status::InvalidArgument("not a birth date YYYY, YYYY-MM or YYYY-MM-DD: " +
                                   QuoteForMessage(text));
  };
  if (text.size() == kYearLength) {
    return ReadDigits(text, 0, 4, &year) ? Status::Ok() : shape_error();
  }
  if (text.size() != kYearMonthLength || !ReadDigits(text, 0, 4, &year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &month)) {
    return shape_error();
  }
  if (month < kMinMonth || month > kMaxMonth) {
    return Status::InvalidArgument("not a calendar month (01..12): " + QuoteForMessage(text));
  }
  return Status::Ok();
}

Status ValidateBirthDate(std::string_view text, UnixTime now) {
  VIGIL_RETURN_IF_ERROR(ValidatePartialDate(text));
  std::string first_day(text);
  if (first_day.size() == kYearLength) first_day += "-01";
  if (first_day.size() == kYearMonthLength) first_day += "-01";
  VIGIL_ASSIGN_OR_RETURN(UnixTime day, ParseDate(first_day));
  VIGIL_ASSIGN_OR_RETURN(UnixTime min_day, ParseDate(std::to_string(kMinBirthYear) + "-01-01"));
  if (day < min_day) {
    return Status::InvalidArgument("birth date before " + std::to_string(kMinBirthYear) +
                                   "-01-01: " + QuoteForMessage(text));
  }
  VIGIL_ASSIGN_OR_RETURN(UnixTime today, ParseDate(FormatDate(now)));
  if (day > today) {
    return Status::InvalidArgument("birth date after today (" + FormatDate(now) +
                                   "): " + QuoteForMessage(text));
  }
  return Status::Ok();
}

}  // namespace vigil
