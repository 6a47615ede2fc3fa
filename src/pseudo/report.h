// The adequacy report (가명처리 적정성 검토 보고서): what a pseudonymization run did and
// whether the result meets the re-identification-risk and utility thresholds, for the
// officer who signs it off. Plain data filled by the caller (the zone merges the
// TransformReport from Apply() with the privacy engine's risk and utility metrics), and
// three renderers: Markdown and HTML in Korean or English, and JSON.
//
// Metrics are named; the names below get proper labels, any other name is shown as is:
//   risk:    k, prosecutor_max, prosecutor_avg, records_above_threshold, sample_uniques,
//            journalist_risk, direct_identifiers_kept, l_distinct
//   utility: loss, discernibility, non_uniform_entropy, average_class_size,
//            distinct_values:<column>
//
// HTML is one self-contained document (inline CSS, no scripts, no external assets),
// printable on A4; every caller-supplied string is escaped.
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pseudo/apply.h"

namespace sz::pseudo {

struct Metric {
  std::string name;  // "k", "prosecutor_max", ...
  std::optional<double> before;
  std::optional<double> after;
};

enum class Comparison { kAtLeast, kAtMost };

// A requirement on a metric's "after" value, e.g. {"k", kAtLeast, 5} or
// {"prosecutor_max", kAtMost, 0.2}.
struct Threshold {
  std::string metric;
  Comparison comparison = Comparison::kAtMost;
  double value = 0;
};

struct Verdict {
  Threshold threshold;
  std::optional<double> actual;  // nullopt: the metric was not measured (a failure)
  bool pass = false;
};

struct AdequacyReport {
  std::string dataset;  // name of the dataset (version)
  std::string policy_name;
  std::string policy_summary;  // free text, e.g. the officer's rationale
  uint64_t rows_in = 0;
  uint64_t rows_out = 0;
  uint64_t rows_suppressed = 0;
  std::vector<ColumnReport> columns;
  std::vector<Metric> risk;
  std::vector<Metric> utility;
  std::vector<Threshold> thresholds;
  std::string input_version_hash;  // e.g. SHA-256 of the input version
  std::string output_version_hash;
  std::string run_by;
  std::string run_at;         // ISO 8601
  std::string signed_off_by;  // empty: not yet signed off
  std::string signed_off_at;
  std::vector<std::string> warnings;
};

// Copies the rows, columns and warnings of an Apply() run into `report`.
void AddTransform(AdequacyReport& report, const TransformReport& transform);

// Each threshold checked against its metric's "after" value (risk and utility metrics
// are both searched). An unmeasured metric fails its threshold.
std::vector<Verdict> Evaluate(const AdequacyReport& report);
// True when every threshold passes (and there is at least one).
bool Passes(const AdequacyReport& report);

enum class Lang { kKo, kEn };

std::string RenderMarkdown(const AdequacyReport& report, Lang lang);
std::string RenderHtml(const AdequacyReport& report, Lang lang);
// Machine-readable form, verdicts included.
std::string RenderJson(const AdequacyReport& report);

}  // namespace sz::pseudo
