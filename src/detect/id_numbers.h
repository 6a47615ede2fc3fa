// Validators for Korean identifier numbers and payment numbers, one value at a time:
// resident and foreign registration numbers (checksums from korea/rrn.h), business
// registration numbers, payment card numbers and bank account numbers.
//
// Each validator takes one trimmed value and answers whether its *shape* matches and,
// where the number carries one, whether its check digit holds. Shape and checksum are
// reported separately because real data contains numbers that fail the checksum on
// purpose (RRNs issued since October 2020 carry a random last digit).
//
// Overlaps between these shapes (a 13-digit card vs an RRN; a hyphenated account vs a
// phone number) are resolved per column in profile.cc, not here, except that
// LooksLikeBankAccount refuses what another number pattern claims.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace sz::detect {

// Digits of `text` if it is digit groups joined by single separators from `seps`
// ("900101-1234568" -> "9001011234568"), else "". Also reports the group lengths.
// Held inline (no allocation: this runs on every sampled value).
struct DigitGroups {
  char buf[24] = {};
  size_t count = 0;
  int group_len[6] = {};
  int groups = 0;
  char separator = 0;  // 0 if one group
  std::string_view digits() const { return {buf, count}; }
};
// Empty digits() when `text` is not digits and separators from `seps` only, has an
// empty group, mixes separators, has more than 6 groups or more than 24 digits.
DigitGroups SplitDigitGroups(std::string_view text, std::string_view seps);

enum class RrnShape { kNone, kCitizen, kForeigner, kMasked };
struct RrnCheck {
  RrnShape shape = RrnShape::kNone;
  bool checksum_valid = false;  // only for kCitizen / kForeigner
};
// "9001011234568", "900101-1234568" (a real date and a valid 7th digit), or a masked
// form ("900101-1******", "******-1234567").
RrnCheck CheckRrn(std::string_view text);

struct CardCheck {
  bool shape = false;  // 13-19 digits (groups of digits joined by ' ' or '-') + known IIN
  bool luhn = false;   // Luhn check (ISO/IEC 7812-1, Annex B) over all digits
};
CardCheck CheckCard(std::string_view text);
// Luhn over a digit string.
bool LuhnValid(std::string_view digits);
// True for issuer prefixes of the major schemes: Visa 4, Mastercard 51-55/2221-2720,
// Amex 34/37, Discover 6011/644-649/65, JCB 3528-3589, Diners 300-305/36/38/39,
// UnionPay 62, and Korean domestic-only cards (9, 16 digits).
bool KnownCardIssuer(std::string_view digits);

struct BusinessCheck {
  bool shape = false;           // "NNN-NN-NNNNN", or 10 plain digits with a valid checksum
  bool checksum_valid = false;  // National Tax Service check digit
};
BusinessCheck CheckBusinessNumber(std::string_view text);

// Hyphenated account layouts used by Korean banks (KB 6-2-6, Shinhan 3-3-6, Woori
// 4-3-6, Hana 3-6-5, NH 3-4-4-2, IBK 3-6-2-3, SC 3-2-6, Kakao 4-2-7, Toss 4-4-4, ...),
// 10-14 digits. Plain digit runs are not accepted here: without separators an account
// is indistinguishable from any other number (profile.cc uses the column name then).
bool LooksLikeBankAccount(std::string_view text);

// Digits in an identifier-like number: 6-20 digits, optionally in hyphenated groups;
// 0 if `text` is not one.
int IdentifierDigits(std::string_view text);

}  // namespace sz::detect
