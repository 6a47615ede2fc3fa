#include "korea/rrn.h"

#include <algorithm>

namespace sz::korea {

namespace {

// Strips one hyphen at position 6 ("YYMMDD-NNNNNNN"); returns the 13 characters or "".
std::string Compact(std::string_view text) {
  if (text.size() == 14 && text[6] == '-') {
    std::string out(text.substr(0, 6));
    out += text.substr(7);
    return out;
  }
  if (text.size() == 13) return std::string(text);
  return {};
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<RrnParts> ParseRrn(std::string_view text) {
  std::string d = Compact(text);
  if (d.empty() || !AllDigits(d)) return std::nullopt;
  int yy = (d[0] - '0') * 10 + (d[1] - '0');
  int mm = (d[2] - '0') * 10 + (d[3] - '0');
  int dd = (d[4] - '0') * 10 + (d[5] - '0');
  int g = d[6] - '0';
  RrnParts p;
  switch (g) {
    case 9: case 0: p.year = 1800 + yy; break;
    case 1: case 2: p.year = 1900 + yy; break;
    case 3: case 4: p.year = 2000 + yy; break;
    case 5: case 6: p.year = 1900 + yy; p.kind = RrnKind::kForeigner; break;
    case 7: case 8: p.year = 2000 + yy; p.kind = RrnKind::kForeigner; break;
    default: return std::nullopt;
  }
  p.male = g % 2 == 1 || g == 9;
  if (mm < 1 || mm > 12 || dd < 1 || dd > DaysInMonth(p.year, mm)) return std::nullopt;
  p.month = mm;
  p.day = dd;
  return p;
}

int RrnCheckDigit(std::string_view first12, RrnKind kind) {
  static constexpr int kWeights[12] = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (first12[i] - '0') * kWeights[i];
  int check = (11 - sum % 11) % 10;
  if (kind == RrnKind::kForeigner) check = (check + 2) % 10;
  return check;
}

bool HasValidRrnChecksum(std::string_view text) {
  auto parts = ParseRrn(text);
  if (!parts) return false;
  std::string d = Compact(text);
  return RrnCheckDigit(d, parts->kind) == d[12] - '0';
}

bool IsMaskedRrn(std::string_view text) {
  std::string d = Compact(text);
  if (d.empty()) return false;
  int stars = static_cast<int>(std::count(d.begin(), d.end(), '*'));
  if (stars < 6) return false;
  // Every character is a digit or '*', and masking runs to the end or from the start.
  for (char c : d)
    if (!(c == '*' || (c >= '0' && c <= '9'))) return false;
  bool tail_masked = std::all_of(d.end() - stars, d.end(), [](char c) { return c == '*'; });
  bool head_masked = std::all_of(d.begin(), d.begin() + stars, [](char c) { return c == '*'; });
  return tail_masked || head_masked;
}

int BusinessNumberCheckDigit(std::string_view first9) {
  static constexpr int kWeights[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (first9[i] - '0') * kWeights[i];
  sum += ((first9[8] - '0') * 5) / 10;
  return (10 - sum % 10) % 10;
}

bool HasValidBusinessNumberChecksum(std::string_view text) {
  std::string d;
  if (text.size() == 12 && text[3] == '-' && text[6] == '-') {
    d = std::string(text.substr(0, 3)) + std::string(text.substr(4, 2)) + std::string(text.substr(7));
  } else if (text.size() == 10) {
    d = std::string(text);
  } else {
    return false;
  }
  if (!AllDigits(d)) return false;
  return BusinessNumberCheckDigit(d) == d[9] - '0';
}

}  // namespace sz::korea
