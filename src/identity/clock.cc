#include "identity/clock.h"

#include <charconv>

#include "fmt/format.h"

namespace sz::identity {

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

}  // namespace sz::identity
