// The vocabulary of identifier detection: the role a column plays for
// re-identification risk, and the value patterns that detection recognises.
//
// Roles follow the usual disclosure-control split (Sweeney 2002, "k-anonymity: a model
// for protecting privacy"; the Korean 가명정보 처리 가이드라인): a direct identifier
// names a person by itself (RRN, phone, e-mail, name, full address); a quasi-identifier
// does so only in combination (birth date, sex, region, postal code); a sensitive
// attribute is what must not be learned about a person (income, credit, health); every
// other column is `other`.
//
// The catalog stores roles and patterns by their names; both name sets are stable
// strings (changing one is a catalog migration).
//
// Thread-safety: pure functions over constants.
#pragma once

#include <string_view>

#include "common/status.h"

namespace sz::detect {

enum class Role { kDirectIdentifier, kQuasiIdentifier, kSensitive, kOther };

// "direct_identifier", "quasi_identifier", "sensitive", "other".
std::string_view RoleName(Role role);
// Inverse of RoleName; InvalidArgument for anything else.
Result<Role> ParseRole(std::string_view name);

enum class Pattern {
  kNone,
  kRrn,                 // 주민등록번호, citizen (7th digit 1-4, 9, 0)
  kRrnMasked,           // "900101-1******", "******-1234567"
  kForeignRrn,          // 외국인등록번호 (7th digit 5-8)
  kMobilePhone,         // 010/011/016-019, +82 forms
  kLandlinePhone,       // 02, 031-064, 070, 15xx/16xx/18xx-xxxx
  kEmail,
  kCardNumber,          // 13-19 digits, known IIN, Luhn
  kBankAccount,         // Korean banks' hyphenated layouts
  kBusinessNumber,      // 사업자등록번호 NNN-NN-NNNNN
  kPersonName,          // Hangul name starting with a common surname
  kRomanizedName,       // Latin-script personal name (weaker signal)
  kAddress,             // street or lot-number address
  kRegionName,          // 시도/시군구/읍면동 names without a street part
  kDateOfBirth,         // a date column decided to hold birth dates
  kDate,                // a plausible calendar date (event dates)
  kSex,                 // 남/여, M/F, male/female
  kIpAddress,           // IPv4 or IPv6
  kIdentifierNumber,    // fixed-length digit strings with no known checksum
  kEmbeddedIdentifier,  // free text carrying an RRN, phone, e-mail or card (keep last)
};

// Stable snake_case name: "rrn", "mobile_phone", "identifier_number", ...
std::string_view PatternName(Pattern pattern);
// Inverse of PatternName; InvalidArgument for anything else.
Result<Pattern> ParsePattern(std::string_view name);
// Plural noun for evidence lines: "resident registration numbers".
std::string_view PatternDescription(Pattern pattern);
// The role a column has when this pattern is its pattern (kNone -> kOther).
Role RoleOfPattern(Pattern pattern);

}  // namespace sz::detect
