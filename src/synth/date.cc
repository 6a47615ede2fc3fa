#include "synth/date.h"

#include <cstdio>

namespace sz::synth {

namespace ch = std::chrono;

namespace {
ch::year_month_day Ymd(int y, int m, int d) {
  return {ch::year{y}, ch::month{static_cast<unsigned>(m)}, ch::day{static_cast<unsigned>(d)}};
}
}  // namespace

Date Date::FromDays(int64_t days_since_epoch) {
  ch::year_month_day ymd{ch::sys_days{ch::days{days_since_epoch}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int64_t Date::ToDays() const {
  return ch::sys_days{Ymd(year, month, day)}.time_since_epoch().count();
}

bool Date::Valid() const {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return Ymd(year, month, day).ok();
}

int Date::Weekday() const {
  return static_cast<int>(ch::weekday{ch::sys_days{ch::days{ToDays()}}}.c_encoding());
}

std::string Date::Iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::Compact() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
  return buf;
}

bool ParseIsoDate(std::string_view t, Date& out) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  auto num = [&t](size_t pos, size_t len, int& v) {
    v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
    }
    return true;
  };
  Date d;
  if (!num(0, 4, d.year) || !num(5, 2, d.month) || !num(8, 2, d.day) || !d.Valid()) return false;
  out = d;
  return true;
}

int AgeOn(const Date& birth, const Date& on) {
  int age = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
  return age;
}

}  // namespace sz::synth
