// Time for identity, authorization and audit: an injectable clock and Seoul calendar days.
//
// Everything that expires (sessions, API tokens, lockouts, accreditations, TOTP steps)
// asks a Clock, never the system directly, so that tests drive time with a FakeClock.
// Times are whole seconds since the Unix epoch (UTC); nothing here needs finer grain.
//
// Calendar days are Asia/Seoul days. Korea has used UTC+9 without daylight saving since
// 1988, so a fixed +9 h offset gives the same answer as the tz database for every date
// this system will see, without depending on tzdata being installed.
//
// Thread-safety: SystemClock is stateless and thread-safe. FakeClock is not: a test
// owns it and advances it from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sz {

using Time = std::chrono::sys_seconds;
using Date = std::chrono::year_month_day;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Time Now() const override;
  static const SystemClock& Get();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Time start) : now_(start) {}
  Time Now() const override { return now_; }
  void Advance(std::chrono::seconds by) { now_ += by; }
  void Set(Time t) { now_ = t; }

 private:
  Time now_;
};

// Seconds since the epoch, for storage.
inline int64_t ToUnix(Time t) { return t.time_since_epoch().count(); }
inline Time FromUnix(int64_t s) { return Time(std::chrono::seconds(s)); }

// The Asia/Seoul calendar day containing `t`.
Date SeoulDate(Time t);
// The instant Seoul's day `d` begins (00:00 KST), as UTC.
Time SeoulMidnight(Date d);

// "2025-03-31". ParseDate rejects anything else, including impossible dates.
std::string FormatDate(Date d);
Result<Date> ParseDate(std::string_view text);

// "2026-11-23T04:33:00Z": the one timestamp format the control plane stores.
std::string FormatUtc(Time t);
Result<Time> ParseUtc(std::string_view text);

}  // namespace sz
