// The per-value step of profiling: which patterns one value matches.
//
// A value may match several patterns at once (a 13-digit string can be both an RRN
// shape and a card number; "강남구" both a region and a name shape). ClassifyValue
// reports all of them; profile.cc decides per column, where shares and precedence
// settle what a single value cannot.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "detect/dates.h"
#include "detect/role.h"

namespace sz::detect {

constexpr int kPatternCount = static_cast<int>(Pattern::kEmbeddedIdentifier) + 1;
using PatternMask = uint32_t;
constexpr PatternMask Bit(Pattern p) { return PatternMask{1} << static_cast<int>(p); }

struct ValueContext {
  // The column is an integer type: leading zeros were lost on the way ("0101234567"
  // stored as 101234567), so 12-digit RRNs born 2000-2009 and 10-digit mobile numbers
  // are retried with the zero restored.
  bool integer_typed = false;
  CivilDate today;
};

struct ValueTraits {
  PatternMask matched = 0;    // every pattern whose shape the value has
  PatternMask validated = 0;  // of those, the ones whose check digit holds
  bool korean_surname = false;  // kRomanizedName with a romanized Korean surname
  int year = 0;                 // the year, when kDate matched
  int id_digits = 0;            // digit count, when kIdentifierNumber matched
};

// `value` must be trimmed and non-empty.
ValueTraits ClassifyValue(std::string_view value, const ValueContext& context);

// True if free text carries an RRN (checksum-valid, or in the hyphenated form), a mobile
// phone number, an e-mail address or a Luhn-valid card number among its words. Words are
// runs of [0-9A-Za-z@._%+-], so Korean particles stay outside ("010-1234-5678로").
bool HasEmbeddedIdentifier(std::string_view text);

}  // namespace sz::detect
