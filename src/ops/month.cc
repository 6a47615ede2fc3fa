#include "ops/month.h"

#include <charconv>

#include "fmt/format.h"

namespace sz::ops {

namespace {

bool ParseInt(std::string_view text, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<Month> Month::Parse(std::string_view text) {
  int year = 0, month = 0;
  if (text.size() != 7 || text[4] != '-' || !ParseInt(text.substr(0, 4), year) ||
      !ParseInt(text.substr(5, 2), month) || month < 1 || month > 12 || year < 1970) {
    return InvalidArgument("a month is written YYYY-MM, e.g. 2026-11");
  }
  return Month{year, static_cast<unsigned>(month)};
}

Month Month::Of(Time t) {
  Date d = SeoulDate(t);
  return Month{static_cast<int>(d.year()), static_cast<unsigned>(d.month())};
}

Month Month::Previous() const {
  return month == 1 ? Month{year - 1, 12} : Month{year, month - 1};
}

Month Month::Next() const { return month == 12 ? Month{year + 1, 1} : Month{year, month + 1}; }

std::string Month::ToString() const { return fmt::format("{:04}-{:02}", year, month); }

Date Month::FirstDay() const {
  return Date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(1)};
}

int Month::Days() const {
  auto last = std::chrono::year_month_day_last(std::chrono::year(year),
                                               std::chrono::month_day_last(std::chrono::month(month)));
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

int64_t Month::Start() const { return ToUnix(SeoulMidnight(FirstDay())); }

int64_t Month::End() const { return Next().Start(); }

int Month::DayIndex(int64_t t) const { return static_cast<int>((t - Start()) / 86400); }

}  // namespace sz::ops
