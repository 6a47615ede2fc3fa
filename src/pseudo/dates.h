// Civil-date arithmetic for the date rules (age bands, truncation, shifting): days since
// 1970-01-01 (DuckDB's DATE representation) <-> proleptic Gregorian year/month/day, using
// Howard Hinnant's branch-light algorithms ("chrono-Compatible Low-Level Date
// Algorithms"), and lenient parsing of the date texts Korean providers write.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sz::pseudo {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

int32_t DaysFromCivil(int year, int month, int day);
CivilDate CivilFromDays(int32_t days);
bool IsValidCivil(int year, int month, int day);

// Accepts YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD and YYYYMMDD, optionally followed by a
// time part after ' ' or 'T' (ignored). Years 1000-9999. nullopt if not a real date.
std::optional<int32_t> ParseDate(std::string_view text);
// "YYYY-MM-DD".
std::string FormatDate(int32_t days);

// Full years of age on `on` for a birth date (a 29 February birthday is reached on
// 1 March in common years, as Korean civil law counts it).
int AgeOn(int32_t birth, int32_t on);

enum class DateUnit { kYear, kQuarter, kMonth, kWeek };
// First day of the period containing `days`; weeks start on Monday (ISO 8601).
int32_t TruncateDate(int32_t days, DateUnit unit);

}  // namespace sz::pseudo
