#include "detect/dates.h"

#include <chrono>

namespace sz::detect {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::optional<CivilDate> Checked(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  int max_day = m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
  if (d > max_day) return std::nullopt;
  return CivilDate{y, m, d};
}

// Reads 1..max_digits digits at `i`; returns -1 if none.
int ReadNumber(std::string_view s, size_t& i, size_t max_digits) {
  size_t start = i;
  int v = 0;
  while (i < s.size() && IsDigit(s[i]) && i - start < max_digits) v = v * 10 + (s[i++] - '0');
  return i == start ? -1 : v;
}

void SkipSpaces(std::string_view s, size_t& i) {
  while (i < s.size() && s[i] == ' ') ++i;
}

// "1990년 1월 31일" (spaces optional).
std::optional<CivilDate> ParseKorean(std::string_view s) {
  size_t i = 0;
  int parts[3];
  static constexpr std::string_view kUnits[] = {"년", "월", "일"};
  for (int k = 0; k < 3; ++k) {
    SkipSpaces(s, i);
    size_t start = i;
    parts[k] = ReadNumber(s, i, k == 0 ? 4 : 2);
    if (parts[k] < 0 || (k == 0 && i - start != 4)) return std::nullopt;
    if (s.substr(i, kUnits[k].size()) != kUnits[k]) return std::nullopt;
    i += kUnits[k].size();
  }
  SkipSpaces(s, i);
  if (i != s.size()) return std::nullopt;
  return Checked(parts[0], parts[1], parts[2]);
}

// What may follow the date part: nothing, a trailing '.', or a time of day.
bool IsDateTail(std::string_view tail, char sep) {
  if (tail.empty()) return true;
  if (sep == '.' && tail == ".") return true;
  if ((tail[0] == ' ' || tail[0] == 'T') && tail.size() >= 6 && IsDigit(tail[1]) &&
      IsDigit(tail[2]) && tail[3] == ':') {
    return true;
  }
  return false;
}

}  // namespace

std::optional<CivilDate> ParseDate(std::string_view s) {
  if (s.size() < 8 || s.size() > 40) return std::nullopt;
  bool compact = s.size() == 8;
  for (size_t k = 0; compact && k < 8; ++k) compact = IsDigit(s[k]);
  if (compact) {  // "19900131"
    size_t i = 0;
    int y = ReadNumber(s, i, 4), m = ReadNumber(s, i, 2), d = ReadNumber(s, i, 2);
    return Checked(y, m, d);
  }
  if (!IsDigit(s[0]) || !IsDigit(s[3])) return std::nullopt;
  if (static_cast<unsigned char>(s[4]) >= 0x80) return ParseKorean(s);
  char sep = s[4];
  if (sep != '-' && sep != '.' && sep != '/') return std::nullopt;
  size_t i = 0;
  int y = ReadNumber(s, i, 4);
  if (i != 4) return std::nullopt;
  ++i;
  if (sep == '.') SkipSpaces(s, i);
  int m = ReadNumber(s, i, 2);
  if (m < 0 || i >= s.size() || s[i] != sep) return std::nullopt;
  ++i;
  if (sep == '.') SkipSpaces(s, i);
  int d = ReadNumber(s, i, 2);
  if (d < 0 || !IsDateTail(s.substr(i), sep)) return std::nullopt;
  return Checked(y, m, d);
}

bool IsPlausibleDate(const CivilDate& date, const CivilDate& today) {
  return date >= CivilDate{1900, 1, 1} && date <= today;
}

CivilDate TodayUtc() {
  auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  std::chrono::year_month_day ymd{days};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

}  // namespace sz::detect
