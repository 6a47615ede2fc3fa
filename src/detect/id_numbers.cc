#include "detect/id_numbers.h"

#include <algorithm>
#include <array>

#include "detect/contact.h"
#include "korea/rrn.h"

namespace sz::detect {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int PrefixNumber(std::string_view digits, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n && i < digits.size(); ++i) v = v * 10 + (digits[i] - '0');
  return v;
}

}  // namespace

DigitGroups SplitDigitGroups(std::string_view text, std::string_view seps) {
  DigitGroups out;
  int len = 0;
  for (char c : text) {
    if (IsDigit(c)) {
      if (out.count == sizeof(out.buf)) return {};
      out.buf[out.count++] = c;
      ++len;
      continue;
    }
    bool is_sep = seps.find(c) != std::string_view::npos;
    if (!is_sep || len == 0 || out.groups == 5 || (out.separator && out.separator != c)) {
      return {};
    }
    out.separator = c;
    out.group_len[out.groups++] = len;
    len = 0;
  }
  if (len == 0) return {};
  out.group_len[out.groups++] = len;
  return out;
}

RrnCheck CheckRrn(std::string_view text) {
  if (text.size() != 13 && text.size() != 14) return {};
  if (korea::IsMaskedRrn(text)) return {RrnShape::kMasked, false};
  auto parts = korea::ParseRrn(text);
  if (!parts) return {};
  RrnShape shape = parts->kind == korea::RrnKind::kCitizen ? RrnShape::kCitizen : RrnShape::kForeigner;
  return {shape, korea::HasValidRrnChecksum(text)};
}

bool LuhnValid(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return !digits.empty() && sum % 10 == 0;
}

bool KnownCardIssuer(std::string_view d) {
  if (d.size() < 13 || d.size() > 19) return false;
  int p1 = PrefixNumber(d, 1), p2 = PrefixNumber(d, 2), p3 = PrefixNumber(d, 3),
      p4 = PrefixNumber(d, 4);
  if (p1 == 4) return true;                                          // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return true;  // Mastercard
  if (p2 == 34 || p2 == 37) return d.size() == 15;                   // Amex
  if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) return true;    // Discover
  if (p4 >= 3528 && p4 <= 3589) return true;                         // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) return true;  // Diners
  if (p2 == 62) return true;                                         // UnionPay
  if (p1 == 9) return d.size() == 16;  // Korean domestic-only (국내전용) cards
  return false;
}

CardCheck CheckCard(std::string_view text) {
  if (text.size() < 13 || text.size() > 23) return {};
  DigitGroups g = SplitDigitGroups(text, " -");
  if (g.digits().size() < 13 || g.digits().size() > 19) return {};
  // Grouped forms print 4-digit groups (Amex 4-6-5): a first group of another length
  // is some other number that happens to have separators.
  if (g.groups > 1 && g.group_len[0] != 4) return {};
  if (!KnownCardIssuer(g.digits())) return {};
  return {true, LuhnValid(g.digits())};
}

BusinessCheck CheckBusinessNumber(std::string_view text) {
  if (text.size() == 12) {
    DigitGroups g = SplitDigitGroups(text, "-");
    if (g.groups != 3 || g.group_len[0] != 3 || g.group_len[1] != 2 || g.group_len[2] != 5) {
      return {};
    }
    return {true, korea::HasValidBusinessNumberChecksum(g.digits())};
  }
  if (text.size() == 10 && std::all_of(text.begin(), text.end(), IsDigit)) {
    bool valid = korea::HasValidBusinessNumberChecksum(text);
    return {valid, valid};
  }
  return {};
}

bool LooksLikeBankAccount(std::string_view text) {
  if (text.size() < 12 || text.size() > 17) return false;
  DigitGroups g = SplitDigitGroups(text, "-");
  if (g.groups < 2 || g.digits().size() < 10 || g.digits().size() > 14) return false;
  static constexpr std::array<std::array<int, 4>, 14> kLayouts = {{
      {6, 2, 6, 0},  // KB국민, 우체국, NH농협 (old)
      {3, 2, 4, 3},  // KB국민 (old)
      {3, 3, 6, 0},  // 신한, 케이뱅크
      {3, 2, 6, 0},  // SC제일, 신한 (old), IBK (old)
      {4, 3, 6, 0},  // 우리
      {3, 6, 5, 0},  // 하나
      {3, 4, 4, 2},  // NH농협
      {3, 6, 2, 3},  // IBK기업
      {4, 2, 7, 0},  // 카카오뱅크
      {4, 4, 4, 0},  // 토스뱅크
      {3, 6, 3, 0},  // 씨티
      {4, 2, 6, 1},  // 새마을금고
      {3, 2, 6, 1},  // 수협
      {3, 3, 3, 3},  // 대구, 부산 (old)
  }};
  bool layout_known = false;
  for (const auto& layout : kLayouts) {
    int n = layout[3] == 0 ? 3 : 4;
    if (n != g.groups) continue;
    if (std::equal(layout.begin(), layout.begin() + n, g.group_len)) layout_known = true;
  }
  if (!layout_known) return false;
  // Shapes that another number claims are not accounts.
  return CheckRrn(text).shape == RrnShape::kNone && !CheckBusinessNumber(text).shape &&
         !CheckCard(text).shape && ClassifyPhone(text) == PhoneKind::kNone;
}

int IdentifierDigits(std::string_view text) {
  if (text.size() < 6 || text.size() > 24) return 0;
  DigitGroups g = SplitDigitGroups(text, "-");
  int n = static_cast<int>(g.digits().size());
  return n >= 6 && n <= 20 ? n : 0;
}

}  // namespace sz::detect
