// A starter policy from column roles: what the profiling step (src/detect) found each
// column to be, turned into one rule per column that an officer then reviews.
//
//   direct identifier: name -> delete; RRN -> mask (or FF1 token if reversible);
//                      card/account number -> FF1 token; phone, e-mail, ids -> keyed
//                      pseudonym; address -> 시군구
//   quasi-identifier:  date of birth -> 5-year age band (85+); other dates -> month;
//                      region/address -> 시군구; postal code -> first 3 digits;
//                      age -> 5-year bands; other numbers -> intervals of 10
//   sensitive, other:  keep
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "pseudo/policy.h"

namespace sz::pseudo {

enum class ColumnRole { kDirectIdentifier, kQuasiIdentifier, kSensitive, kOther };

// What the values are, when profiling could tell.
enum class ValueKind {
  kUnknown, kName, kRrn, kPhone, kEmail, kCardNumber, kAccountNumber, kIdentifier,
  kAddress, kRegion, kPostalCode, kDateOfBirth, kDate, kAge, kNumber,
};

struct ColumnRoleInfo {
  std::string name;
  std::string type;  // DuckDB type name
  ColumnRole role = ColumnRole::kOther;
  ValueKind kind = ValueKind::kUnknown;
};

struct SuggestOptions {
  // Key for pseudonyms. Default: "pseudonym" in the project scope (linkable within one
  // project only).
  KeyRef pseudonym_key{"pseudonym", KeyScope::kProject};
  // Key for FF1 tokens. Default: "token" in the dataset scope.
  KeyRef token_key{"token", KeyScope::kDataset};
  // RRNs as FF1 tokens (reversible by the key holder) instead of masks. Default: false.
  bool reversible_rrn = false;
  // Reference date for age bands, YYYY-MM-DD. Default: empty = today (UTC).
  std::string as_of;
};

Policy SuggestPolicy(const std::vector<ColumnRoleInfo>& columns, const SuggestOptions& options = {});

}  // namespace sz::pseudo
