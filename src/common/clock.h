// Time: an injectable clock (tests control expiry, lockout and report periods) and the
// one timestamp format the control plane stores (UTC, ISO 8601, second precision).
//
// Thread-safety: SystemClock is stateless; FakeClock is not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sz {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  static const Clock* System();
};

// For tests: time stands still until Advance()/Set().
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::seconds d) { now_ += d; }
  void Set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_;
};

// "2026-11-23T04:33:00Z"
std::string FormatUtc(TimePoint t);
Result<TimePoint> ParseUtc(std::string_view text);
int64_t UnixSeconds(TimePoint t);
TimePoint FromUnixSeconds(int64_t s);

}  // namespace sz
