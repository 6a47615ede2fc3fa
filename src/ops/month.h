// A calendar month in Asia/Seoul, the period of the monthly usage report.
//
// A Month names "2026-11"; its interval is [00:00 KST on the 1st, 00:00 KST on the 1st of
// the next month), as Unix seconds, so an event at 2026-10-31T15:00:00Z (00:00 KST on
// November 1st) belongs to November and one a second earlier to October. Seoul has no
// daylight saving (common/clock.h), so every day of the interval is 86,400 seconds.
//
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace sz::ops {

struct Month {
  int year = 2000;
  unsigned month = 1;  // 1..12

  // "2026-11". InvalidArgument for anything else (also "2026-1", "2026-13").
  static Result<Month> Parse(std::string_view text);
  // The Seoul month containing `t`.
  static Month Of(Time t);
  // The month before this one.
  Month Previous() const;
  Month Next() const;

  std::string ToString() const;  // "2026-11"
  Date FirstDay() const;
  int Days() const;  // 28..31
  int64_t Start() const;  // Unix seconds of 00:00 KST on the first day
  int64_t End() const;    // Start() of the next month (exclusive)
  // 0-based day of the month of Unix time `t` (REQUIRES: Start() <= t < End()).
  int DayIndex(int64_t t) const;

  bool operator==(const Month&) const = default;
};

}  // namespace sz::ops
