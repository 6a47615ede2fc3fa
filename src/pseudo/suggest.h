// A starter policy from what identifier detection (src/detect) found: each column's
// role, value pattern and name hint become one rule that an officer then reviews.
//
//   direct identifier: names, free text with embedded identifiers -> delete;
//                      RRN / foreign RRN -> mask "######-*******" (or FF1 token if
//                      reversible); card and bank account numbers -> FF1 token;
//                      phone, e-mail, IP, business and other ids -> keyed pseudonym;
//                      address -> 시군구
//   quasi-identifier:  date of birth -> 5-year age band (85+); other dates -> month;
//                      region/address -> 시군구; postal code -> first 3 characters;
//                      age -> 5-year bands (85+); other numbers -> intervals of 10;
//                      other text (sex, occupation, ...) -> keep (the officer adds a
//                      hierarchy if the privacy model needs one)
//   sensitive, other:  keep
// A rule that does not fit the column's type falls back to delete (direct identifiers)
// or keep (quasi-identifiers), so the suggestion always validates against its schema.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "detect/column_hints.h"
#include "detect/profile.h"
#include "detect/role.h"
#include "pseudo/policy.h"

namespace sz::pseudo {

struct ColumnRoleInfo {
  std::string name;
  std::string type;  // DuckDB type name
  detect::Role role = detect::Role::kOther;
  detect::Pattern pattern = detect::Pattern::kNone;
  detect::HintKind hint = detect::HintKind::kNone;
};

// The detection profile's proposal (the officer may change `role` before suggesting).
ColumnRoleInfo RoleInfoFromProfile(const detect::ColumnProfile& profile);

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

Policy SuggestPolicy(const std::vector<ColumnRoleInfo>& columns,
                     const SuggestOptions& options = {});

}  // namespace sz::pseudo
