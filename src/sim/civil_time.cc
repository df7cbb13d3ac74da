#include "sim/civil_time.h"

namespace vigil::sim {
namespace {

constexpr int64_t kDaysPerEra = 146097;
constexpr int64_t kYearsPerEra = 400;
constexpr int64_t kEpochShift = 719468;  // days from 0000-03-01 to 1970-01-01
constexpr int kMondayOffset = 3;         // 1970-01-01 was a Thursday
constexpr int kDaysPerWeek = 7;
constexpr int kMonthsPerYear = 12;

bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

void TwoDigits(int value, char* out) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
}

bool ParseDigits(std::string_view text, int64_t* value) {
  *value = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
    *value = *value * 10 + (ch - '0');
  }
  return !text.empty();
}

}  // namespace

int64_t DaysFromCivil(const CivilDate& date) {
  const int64_t year = date.year - (date.month <= 2 ? 1 : 0);
  const int64_t era = (year >= 0 ? year : year - (kYearsPerEra - 1)) / kYearsPerEra;
  const int64_t year_of_era = year - era * kYearsPerEra;
  const int64_t shifted_month = date.month > 2 ? date.month - 3 : date.month + 9;
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + date.day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * kDaysPerEra + day_of_era - kEpochShift;
}

CivilDate CivilFromDays(int64_t days) {
  days += kEpochShift;
  const int64_t era = (days >= 0 ? days : days - (kDaysPerEra - 1)) / kDaysPerEra;
  const int64_t day_of_era = days - era * kDaysPerEra;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  date.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  date.year = year_of_era + era * kYearsPerEra + (date.month <= 2 ? 1 : 0);
  return date;
}

int Weekday(int64_t days) {
  const int64_t shifted = (days + kMondayOffset) % kDaysPerWeek;
  return static_cast<int>(shifted < 0 ? shifted + kDaysPerWeek : shifted);
}

std::optional<int64_t> ParseDate(std::string_view text) {
  if (text.size() != kDateChars || text[4] != '-' || text[7] != '-') return std::nullopt;
  int64_t year = 0, month = 0, day = 0;
  if (!ParseDigits(text.substr(0, 4), &year) || !ParseDigits(text.substr(5, 2), &month) ||
      !ParseDigits(text.substr(8, 2), &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > kMonthsPerYear) return std::nullopt;
  if (day < 1 || day > DaysInMonth(year, static_cast<int>(month))) return std::nullopt;
  return DaysFromCivil({year, static_cast<int>(month), static_cast<int>(day)});
}

void FormatDate(int64_t days, char* out) {
  const CivilDate date = CivilFromDays(days);
  const int year = static_cast<int>(date.year);
  TwoDigits(year / 100, out);
  TwoDigits(year % 100, out + 2);
  out[4] = '-';
  TwoDigits(date.month, out + 5);
  out[7] = '-';
  TwoDigits(date.day, out + 8);
}

void FormatTime(int64_t seconds, char* out) {
  int64_t days = seconds / kSecondsPerDay;
  int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --days;
  }
  FormatDate(days, out);
  out[10] = 'T';
  TwoDigits(static_cast<int>(second_of_day / kSecondsPerHour), out + 11);
  out[13] = ':';
  TwoDigits(static_cast<int>(second_of_day % kSecondsPerHour / kSecondsPerMinute), out + 14);
  out[16] = ':';
  TwoDigits(static_cast<int>(second_of_day % kSecondsPerMinute), out + 17);
  out[19] = 'Z';
}

}  // namespace vigil::sim
