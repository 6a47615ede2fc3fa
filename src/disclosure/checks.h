// Automatic disclosure checks: every cell and statistic of an output gets pass, review or
// fail, each with reasons in English and Korean.
//
// Rules, by output type (parameters from RiskAppetite):
//   frequency   persons >= threshold (margins included); 0 persons -> review (zeros);
//               a cell equal to its row/column margin (a "100% cell") -> review
//   magnitude   threshold; zeros; p% rule: unsafe when total - top1 - top2 < p/100 * top1
//               (Hundepool et al., Statistical Disclosure Control, Wiley 2012, 4.2.2);
//               (n,k) dominance: unsafe when the n largest contributions exceed k% of the
//               total (ibid.); negative contributions -> review
//   quantiles   threshold; zeros
//   extremes    min/max/mode -> fail, or review once an exception is granted
//   dispersion  per cell, N = persons, one parameter (the mean): residual df = N - 1 >=
//               min_residual_df and N >= min_observations_per_parameter
//   regression  N reported; residual df >= min_residual_df; parameters <= N / ratio;
//               df inconsistent with N - parameters -> review
//   freeform    extension on the allow-list, size and row limits; always review
// NULL values or NULL contributions -> review (missing), in every table type.
//
// Reasons name cells by their category labels, never by a person's data; when the
// dominance parameters are confidential they never show p, n or k.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "disclosure/output.h"
#include "disclosure/risk_appetite.h"

namespace sz::disclosure {

// Ordered by severity, so the worst of several is the maximum.
enum class Verdict { kPass = 0, kReview = 1, kFail = 2 };
std::string_view VerdictName(Verdict verdict);  // "pass", "review", "fail" (ACRO's words)
inline Verdict Worst(Verdict a, Verdict b) { return a < b ? b : a; }

enum class Rule {
  kThreshold,
  kZero,
  kFullCell,
  kPPercent,
  kDominance,
  kNegative,
  kMissing,
  kExtreme,
  kDegreesOfFreedom,
  kParameters,
  kObservations,
  kFileType,
  kFileSize,
  kFileRows,
  kFreeform,
  kDifferencing,
};
// ACRO's names where ACRO has the rule ("threshold", "p-ratio", "nk-rule", "negative",
// "missing"); otherwise a name in the same style ("zero", "full-cell", "dof", ...).
std::string_view RuleName(Rule rule);

struct Finding {
  Rule rule;
  Verdict verdict;
  std::string en;  // one English sentence
  std::string ko;  // the same in Korean
};

struct CellCheck {
  Verdict verdict = Verdict::kPass;
  std::vector<Finding> findings;
};

struct CheckReport {
  Verdict verdict = Verdict::kPass;
  std::vector<CellCheck> cells;   // tables: one per cell, in table order
  std::vector<Finding> findings;  // output-level findings (regression, file, ...)
  std::string summary;            // "fail; threshold: 3 cells; p-ratio: 1 cell"

  // Table cells whose verdict is fail: the primary suppressions.
  std::vector<bool> PrimaryMask() const;
  // Number of cells (or output-level findings) the rule fired on.
  size_t CountRule(Rule rule) const;
};

// Checks one output. InvalidArgument when the output is malformed (a body that does not
// match its type, a table that breaks the invariants of output.h, negative persons).
Result<CheckReport> CheckOutput(const Output& output, const RiskAppetite& appetite);

// Appends `finding` to `check` and raises its verdict.
void AddFinding(CellCheck& check, Finding finding);
// Recomputes report.verdict and report.summary from its cells and findings.
void Summarize(CheckReport& report);

}  // namespace sz::disclosure
