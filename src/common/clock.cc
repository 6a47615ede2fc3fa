#include "common/clock.h"

#include <cstdio>
#include <ctime>

#include "fmt/format.h"

namespace sz {

namespace {
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};
}  // namespace

const Clock* Clock::System() {
  static SystemClock clock;
  return &clock;
}

int64_t UnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

TimePoint FromUnixSeconds(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

std::string FormatUtc(TimePoint t) {
  std::time_t secs = static_cast<std::time_t>(UnixSeconds(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<TimePoint> ParseUtc(std::string_view text) {
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
  return FromUnixSeconds(static_cast<int64_t>(timegm(&tm)));
}

}  // namespace sz
