// Date recognition for birth-date detection, one value at a time.
//
// Accepted forms (what Korean providers' exports contain): ISO "1990-01-31" (also as
// the date part of a timestamp "1990-01-31 08:00:00" / "1990-01-31T08:00"), "19900131",
// "1990.01.31" / "1990. 1. 31." (Korean locale), "1990/01/31", and "1990년 1월 31일".
// The date must exist in the proleptic Gregorian calendar. Whether it is plausible
// (1900-01-01 .. today) is the caller's question: see IsPlausibleDate.
//
// Thread-safety: pure functions.
#pragma once

#include <compare>
#include <optional>
#include <string_view>

namespace sz::detect {

struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
  auto operator<=>(const CivilDate&) const = default;
};

std::optional<CivilDate> ParseDate(std::string_view text);
// 1900-01-01 <= date <= today.
bool IsPlausibleDate(const CivilDate& date, const CivilDate& today);
// Today's date in UTC from the system clock (the default for ProfileOptions::today).
CivilDate TodayUtc();

}  // namespace sz::detect
