// Korean resident registration numbers (주민등록번호) and foreign registration numbers
// (외국인등록번호): YYMMDD-GBBBBSC.
//
// G (7th digit) encodes century and sex: 9/0 born 1800s, 1/2 1900s, 3/4 2000s for
// citizens; 5/6 1900s, 7/8 2000s for foreigners. C is a check digit:
//   C = (11 - (Σ d_i·w_i mod 11)) mod 10, weights 2,3,4,5,6,7,8,9,2,3,4,5
// (foreign numbers add 2 before the final mod 10). Numbers issued since October 2020
// no longer carry a valid check digit for newborns, so detection counts structure and
// checksum separately.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sz::korea {

enum class RrnKind { kCitizen, kForeigner };

struct RrnParts {
  int year = 0;   // four digits
  int month = 0;
  int day = 0;
  bool male = false;
  RrnKind kind = RrnKind::kCitizen;
};

// Accepts "9001011234568" or "900101-1234568". Returns the parts if the structure
// (digits, a real calendar date, a valid 7th digit) is right; checksum not required.
std::optional<RrnParts> ParseRrn(std::string_view text);
// True if the structure is right and the check digit matches.
bool HasValidRrnChecksum(std::string_view text);
// Computes the check digit for the first 12 digits (no hyphen) of `kind`.
int RrnCheckDigit(std::string_view first12, RrnKind kind);
// Masked forms in common use: "900101-1******", "900101-*******", "******-1234567".
bool IsMaskedRrn(std::string_view text);

// Business registration number (사업자등록번호) "123-45-67890": check digit by weights
// 1,3,7,1,3,7,1,3,5 with the carry of the 9th digit × 5 (National Tax Service rule).
bool HasValidBusinessNumberChecksum(std::string_view text);
int BusinessNumberCheckDigit(std::string_view first9);

}  // namespace sz::korea
