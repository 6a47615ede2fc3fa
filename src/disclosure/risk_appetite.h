// RiskAppetite: the parameters of the output checks, and how they are configured.
//
// Values come from three JSON layers, merged as RFC 7396 merge patches in this order:
//
//   built-in defaults  <-  zone config  <-  project config      (right wins)
//
// so a project setting overrides the zone's, which overrides the default; a key a layer
// does not mention is inherited. Unknown keys and out-of-range values are rejected, so a
// typo cannot silently weaken a rule. Who may write a project layer is the application's
// decision, not this module's.
//
// JSON shape (every key optional; the values shown are the defaults):
//
//   { "threshold": 10,               // minimum distinct persons per cell, margins included
//     "zeros": "review",             // "review" | "pass"   (cells with 0 persons)
//     "full_cells": "review",        // "review" | "pass"   (cell equal to its margin)
//     "negatives": "review",         // "review" | "pass"
//     "missing": "review",           // "review" | "pass"   (NULL values or contributions)
//     "p_percent": 10,               // p% rule (Hundepool et al. 2012, 6.2.2)
//     "nk": {"n": 2, "k": 90},       // (n,k) dominance, n in {1,2}, k in percent
//     "dominance_confidential": false,  // true: reasons never show p, n or k
//     "min_residual_df": 10,
//     "min_observations_per_parameter": 3,   // parameters <= N/3
//     "extremes": "fail",            // min/max/mode: "fail" (unless an exception is granted)
//     "freeform": {"allowed_types": ["csv","txt","md","json","png","svg","pdf","py","r","sql"],
//                  "max_bytes": 10485760, "max_rows": 100000},
//     "rounding_base": 5,
//     "protection": {"percent": 10, "min_count": 5} }
//
// Thread-safety: a RiskAppetite is a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sz::disclosure {

// What a soft rule (zeros, 100% cells, negatives, missing) does when it fires.
enum class SoftRule { kReview, kPass };

// Interval protection a primary suppression must get (tau-ARGUS's "protection levels",
// Hundepool et al. 2012, 4.2): the audit requires each primary cell with value x to be
// able to move up to x + L and down to max(x - L, lower bound), where
// L = max(percent/100 * |x|, min_count for frequency tables).
struct ProtectionRule {
  double percent = 10;   // Default: 10 (the p of the p% rule)
  double min_count = 5;  // Default: 5, half the threshold (frequency tables only)
};

struct FreeformRule {
  // File extensions allowed out, lower case without the dot.
  // Default: csv txt md json png svg pdf py r sql.
  std::vector<std::string> allowed_types;
  uint64_t max_bytes = 10u << 20;  // Default: 10 MiB
  int64_t max_rows = 100000;       // Default: 100,000 data rows
};

struct RiskAppetite {
  int64_t threshold = 10;  // Default: 10 persons. REQUIRES: >= 1
  SoftRule zeros = SoftRule::kReview;
  SoftRule full_cells = SoftRule::kReview;
  SoftRule negatives = SoftRule::kReview;
  SoftRule missing = SoftRule::kReview;
  double p_percent = 10;  // Default: 10. REQUIRES: 0 <= p <= 100; 0 disables the rule
  int nk_n = 2;           // Default: 2. REQUIRES: 1 or 2 (the evidence carries top-2)
  double nk_k = 90;       // Default: 90. REQUIRES: 0 < k <= 100; 100 disables the rule
  bool dominance_confidential = false;  // Default: false
  int64_t min_residual_df = 10;         // Default: 10
  int64_t min_observations_per_parameter = 3;  // Default: 3, i.e. parameters <= N/3
  bool extremes_fail = true;            // Default: true
  FreeformRule freeform;
  int64_t rounding_base = 5;            // Default: 5. REQUIRES: >= 1
  ProtectionRule protection;

  // The built-in defaults (the values above, with the default allow-list).
  static RiskAppetite Defaults();
};

// Merges defaults <- zone <- project (each a JSON object; empty text means "{}") and
// validates the result. InvalidArgument names the offending key.
Result<RiskAppetite> ResolveRiskAppetite(std::string_view zone_json,
                                         std::string_view project_json);

// The effective configuration as JSON (for the reviewer's record). With
// `for_analyst`, dominance parameters marked confidential are left out.
std::string RiskAppetiteToJson(const RiskAppetite& appetite, bool for_analyst);

}  // namespace sz::disclosure
