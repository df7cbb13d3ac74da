// Calendar arithmetic and fast fixed-width time formatting (internal).
//
// Days count from 1970-01-01 (UTC); seconds likewise. Formatting writes into a
// caller's buffer without allocation, for the hot path of the comms writer.
#ifndef VIGIL_SIM_CIVIL_TIME_H_
#define VIGIL_SIM_CIVIL_TIME_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::sim {

inline constexpr int64_t kSecondsPerMinute = 60;
inline constexpr int64_t kSecondsPerHour = 3600;
inline constexpr int64_t kSecondsPerDay = 86400;
inline constexpr int kDateChars = 10;  // YYYY-MM-DD
inline constexpr int kTimeChars = 20;  // YYYY-MM-DDTHH:MM:SSZ
inline constexpr int kYearMonthChars = 7;
inline constexpr int kYearChars = 4;

struct CivilDate {
  int64_t year = 1970;
  int month = 1;
  int day = 1;
};

int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(int64_t days);
// Day of week of a day number, 0 = Monday .. 6 = Sunday.
int Weekday(int64_t days);
// Parses a strict YYYY-MM-DD with a real calendar date; nullopt otherwise.
std::optional<int64_t> ParseDate(std::string_view text);

// Writes YYYY-MM-DD (kDateChars bytes). REQUIRES: year in 0..9999.
void FormatDate(int64_t days, char* out);
// Writes YYYY-MM-DDTHH:MM:SSZ (kTimeChars bytes). REQUIRES: year in 0..9999.
void FormatTime(int64_t seconds, char* out);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_CIVIL_TIME_H_
