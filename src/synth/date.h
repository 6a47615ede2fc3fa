// A calendar date for synthetic records, with the few operations the generators need.
// Built on std::chrono's proleptic Gregorian calendar. Value type; thread-safe.
#pragma once

#include <chrono>
#include <string>

namespace sz::synth {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  static Date FromDays(int64_t days_since_epoch);
  int64_t ToDays() const;  // days since 1970-01-01
  bool Valid() const;
  Date AddDays(int64_t days) const { return FromDays(ToDays() + days); }
  int Weekday() const;  // 0 = Sunday

  std::string Iso() const;      // "2024-05-01"
  std::string Compact() const;  // "20240501"
  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Parses "YYYY-MM-DD"; returns false on a malformed or impossible date.
bool ParseIsoDate(std::string_view text, Date& out);

// Full years between `birth` and `on` (Korean 만 나이).
int AgeOn(const Date& birth, const Date& on);

}  // namespace sz::synth
