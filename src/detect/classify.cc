#include "detect/classify.h"

#include <string>

#include "detect/address.h"
#include "detect/contact.h"
#include "detect/id_numbers.h"
#include "detect/names.h"
#include "detect/utf8_scan.h"

namespace sz::detect {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!IsDigit(c)) return false;
  return !s.empty();
}

void AddRrn(std::string_view v, ValueTraits& t) {
  RrnCheck rrn = CheckRrn(v);
  Pattern p = rrn.shape == RrnShape::kCitizen     ? Pattern::kRrn
              : rrn.shape == RrnShape::kForeigner ? Pattern::kForeignRrn
              : rrn.shape == RrnShape::kMasked    ? Pattern::kRrnMasked
                                                  : Pattern::kNone;
  if (p == Pattern::kNone) return;
  t.matched |= Bit(p);
  if (rrn.checksum_valid) t.validated |= Bit(p);
}

void AddPhone(std::string_view v, ValueTraits& t) {
  PhoneKind phone = ClassifyPhone(v);
  if (phone == PhoneKind::kMobile) t.matched |= Bit(Pattern::kMobilePhone);
  if (phone == PhoneKind::kLandline) t.matched |= Bit(Pattern::kLandlinePhone);
}

// Values that start like a number: digits, '+', '(' or '*' (masked RRNs).
void ClassifyNumeric(std::string_view v, const ValueContext& ctx, ValueTraits& t) {
  AddRrn(v, t);
  if (ctx.integer_typed && v.size() == 12 && AllDigits(v)) AddRrn("0" + std::string(v), t);
  CardCheck card = CheckCard(v);
  if (card.shape) t.matched |= Bit(Pattern::kCardNumber);
  if (card.shape && card.luhn) t.validated |= Bit(Pattern::kCardNumber);
  BusinessCheck biz = CheckBusinessNumber(v);
  if (biz.shape) t.matched |= Bit(Pattern::kBusinessNumber);
  if (biz.checksum_valid) t.validated |= Bit(Pattern::kBusinessNumber);
  AddPhone(v, t);
  if (ctx.integer_typed && v.size() == 10 && v[0] == '1' && AllDigits(v)) {
    AddPhone("0" + std::string(v), t);
  }
  if (LooksLikeBankAccount(v)) t.matched |= Bit(Pattern::kBankAccount);
  if (auto date = ParseDate(v); date && IsPlausibleDate(*date, ctx.today)) {
    t.matched |= Bit(Pattern::kDate);
    t.year = date->year;
  }
  if (IsIpAddress(v)) t.matched |= Bit(Pattern::kIpAddress);
  if (int digits = IdentifierDigits(v); digits > 0) {
    t.matched |= Bit(Pattern::kIdentifierNumber);
    t.id_digits = digits;
  }
}

void ClassifyLatin(std::string_view v, ValueTraits& t) {
  if (IsSexValue(v)) t.matched |= Bit(Pattern::kSex);
  RomanizedNameCheck name = CheckRomanizedName(v);
  if (name.shape) t.matched |= Bit(Pattern::kRomanizedName);
  t.korean_surname = name.korean_surname;
}

void ClassifyHangul(std::string_view v, const ValueContext& ctx, ValueTraits& t) {
  if (IsSexValue(v)) t.matched |= Bit(Pattern::kSex);
  if (IsKoreanPersonName(v)) t.matched |= Bit(Pattern::kPersonName);
  if (IsDigit(v[0])) {  // "1990년 1월 31일"
    if (auto date = ParseDate(v); date && IsPlausibleDate(*date, ctx.today)) {
      t.matched |= Bit(Pattern::kDate);
      t.year = date->year;
    }
  }
}

void AddPlace(std::string_view v, ValueTraits& t) {
  PlaceKind place = ClassifyPlace(v);
  if (place == PlaceKind::kAddress) t.matched |= Bit(Pattern::kAddress);
  if (place == PlaceKind::kRegion) t.matched |= Bit(Pattern::kRegionName);
}

// A word of free text: strip sentence punctuation that the run swallowed.
std::string_view TrimWord(std::string_view w) {
  while (!w.empty() && (w.back() == '.' || w.back() == '-')) w.remove_suffix(1);
  while (!w.empty() && (w.front() == '.' || w.front() == '-')) w.remove_prefix(1);
  return w;
}

bool IsEmbeddedIdentifierWord(std::string_view w) {
  if (w.size() < 6) return false;
  if (w.find('@') != std::string_view::npos) return IsEmail(w);
  if (!IsDigit(w[0])) return false;
  RrnCheck rrn = CheckRrn(w);
  if ((rrn.shape == RrnShape::kCitizen || rrn.shape == RrnShape::kForeigner) &&
      (rrn.checksum_valid || w.size() == 14)) {
    return true;
  }
  if (ClassifyPhone(w) == PhoneKind::kMobile) return true;
  CardCheck card = CheckCard(w);
  return card.shape && card.luhn;
}

}  // namespace

ValueTraits ClassifyValue(std::string_view v, const ValueContext& ctx) {
  ValueTraits t;
  bool non_ascii = internal::HasNonAscii(v);
  bool has_space = v.find(' ') != std::string_view::npos;
  char c0 = v[0];
  if (!non_ascii) {
    if (IsDigit(c0) || c0 == '+' || c0 == '(' || c0 == '*') ClassifyNumeric(v, ctx, t);
    if (v.find('@') != std::string_view::npos && IsEmail(v)) t.matched |= Bit(Pattern::kEmail);
    if (!(t.matched & Bit(Pattern::kDate)) && v.find(':') != std::string_view::npos &&
        IsIpAddress(v)) {
      t.matched |= Bit(Pattern::kIpAddress);
    }
    if (internal::IsAsciiAlpha(static_cast<unsigned char>(c0))) ClassifyLatin(v, t);
  } else {
    ClassifyHangul(v, ctx, t);
  }
  if (has_space || non_ascii) AddPlace(v, t);
  if (t.matched == 0 && has_space && v.size() >= 10 && HasEmbeddedIdentifier(v)) {
    t.matched |= Bit(Pattern::kEmbeddedIdentifier);
  }
  return t;
}

bool HasEmbeddedIdentifier(std::string_view text) {
  auto word_char = [](char c) {
    return IsDigit(c) || internal::IsAsciiAlpha(static_cast<unsigned char>(c)) || c == '@' ||
           c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  size_t i = 0;
  while (i < text.size()) {
    if (!word_char(text[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && word_char(text[i])) ++i;
    if (IsEmbeddedIdentifierWord(TrimWord(text.substr(start, i - start)))) return true;
  }
  return false;
}

}  // namespace sz::detect
