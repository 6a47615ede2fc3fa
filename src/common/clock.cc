#include "common/clock.h"

#include <cstdio>
#include <ctime>

#include <charconv>

#include "fmt/format.h"

namespace sz {

using namespace std::chrono_literals;

namespace {
constexpr std::chrono::seconds kSeoulOffset = 9h;  // KST, no DST since 1988
}  // namespace

Time SystemClock::Now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

const SystemClock& SystemClock::Get() {
  static const SystemClock clock;
  return clock;
}

Date SeoulDate(Time t) { return Date(std::chrono::floor<std::chrono::days>(t + kSeoulOffset)); }

Time SeoulMidnight(Date d) { return Time(std::chrono::sys_days(d)) - kSeoulOffset; }

std::string FormatDate(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

Result<Date> ParseDate(std::string_view text) {
  auto bad = [] { return InvalidArgument("a date must look like 2025-03-31"); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  auto number = [&](size_t pos, size_t len, int& out) {
    const char* first = text.data() + pos;
    auto [end, ec] = std::from_chars(first, first + len, out);
    return ec == std::errc() && end == first + len;
  };
  int y = 0, m = 0, d = 0;
  if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return bad();
  Date date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
            std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) return bad();
  return date;
}

std::string FormatUtc(Time t) {
  std::time_t secs = static_cast<std::time_t>(ToUnix(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<Time> ParseUtc(std::string_view text) {
  std::tm tm{};
  int consumed = 0;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != static_cast<int>(s.size())) {
    return InvalidArgument(fmt::format("'{}' is not a UTC time like 2026-01-31T09:00:00Z", text));
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return FromUnix(static_cast<int64_t>(timegm(&tm)));
}

}  // namespace sz
