#include "pseudo/dates.h"

#include "fmt/format.h"

namespace sz::pseudo {

int32_t DaysFromCivil(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;                                             // [0, 399]
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;  // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                     // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int32_t days) {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int day = doy - (153 * mp + 2) / 5 + 1;
  const int month = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool IsValidCivil(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max = kDays[month - 1] + ((month == 2 && leap) ? 1 : 0);
  return day <= max;
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::optional<int32_t> ParseDate(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  int y = 0, m = 0, d = 0;
  size_t end = 0;
  if (text.size() >= 10 && (text[4] == '-' || text[4] == '.' || text[4] == '/') &&
      text[7] == text[4]) {
    if (!Digits(text, 0, 4, y) || !Digits(text, 5, 2, m) || !Digits(text, 8, 2, d))
      return std::nullopt;
    end = 10;
  } else if (text.size() >= 8) {
    if (!Digits(text, 0, 4, y) || !Digits(text, 4, 2, m) || !Digits(text, 6, 2, d))
      return std::nullopt;
    end = 8;
  } else {
    return std::nullopt;
  }
  if (end < text.size() && text[end] != ' ' && text[end] != 'T') return std::nullopt;
  if (y < 1000 || !IsValidCivil(y, m, d)) return std::nullopt;
  return DaysFromCivil(y, m, d);
}

std::string FormatDate(int32_t days) {
  CivilDate c = CivilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

int AgeOn(int32_t birth, int32_t on) {
  CivilDate b = CivilFromDays(birth);
  CivilDate o = CivilFromDays(on);
  int age = o.year - b.year;
  if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
  return age;
}

int32_t TruncateDate(int32_t days, DateUnit unit) {
  CivilDate c = CivilFromDays(days);
  switch (unit) {
    case DateUnit::kYear:
      return DaysFromCivil(c.year, 1, 1);
    case DateUnit::kQuarter:
      return DaysFromCivil(c.year, (c.month - 1) / 3 * 3 + 1, 1);
    case DateUnit::kMonth:
      return DaysFromCivil(c.year, c.month, 1);
    case DateUnit::kWeek: {
      // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
      int wd = ((days + 3) % 7 + 7) % 7;
      return days - wd;
    }
  }
  return days;
}

}  // namespace sz::pseudo
