// Privacy models checked on a generalized dataset, with record suppression.
//
// Models (each judged per equivalence class, i.e. per set of records that share every
// generalized quasi-identifier):
//  - k-anonymity: the class has at least k records (Sweeney 2002, "k-anonymity: a model
//    for protecting privacy").
//  - distinct l-diversity: at least l distinct sensitive values;
//    entropy l-diversity: -sum p_s log p_s >= log l;
//    recursive (c,l)-diversity: r_1 < c (r_l + r_{l+1} + ... + r_m), with r_i the i-th
//    largest sensitive-value count in the class (Machanavajjhala, Kifer, Gehrke,
//    Venkitasubramaniam 2007, "l-diversity: privacy beyond k-anonymity").
//  - t-closeness: the Earth Mover's Distance between the class's sensitive distribution P
//    and the whole dataset's Q is at most t (Li, Li, Venkatasubramanian 2007,
//    "t-closeness: privacy beyond k-anonymity and l-diversity"), with
//      equal distance:   EMD = 1/2 sum_i |p_i - q_i|,
//      ordered distance: EMD = 1/(m-1) sum_{i=1..m} |sum_{j<=i} (p_j - q_j)|,
//    m = number of distinct sensitive values, in the attribute's value order.
//
// Suppression (as ARX does it): a class that violates any model is suppressed whole; the
// transformation satisfies the criteria iff the suppressed records number at most
// floor(suppression_limit * rows).
//
// Monotonicity (what the search may prune on): if a transformation satisfies the
// criteria, does every generalization of it? Generalizing merges classes.
//  - k-anonymity and distinct l-diversity: yes, even with suppression — a merged class
//    is at least as large / has at least the distinct values of any part, so the
//    records that must be suppressed only shrink.
//  - entropy and recursive l-diversity, both t-closeness variants: only when nothing may
//    be suppressed (entropy is concave, the recursive condition and the EMD are preserved
//    by mixing — Machanavajjhala et al. Thm. 3/4, Li et al. Thm. 1); with suppression a
//    violating class can merge into a satisfying one and drag it down, so the suppressed
//    count can grow. Criteria::Monotone() reports this and the search does not prune then.
// Floating-point comparisons (entropy, EMD) allow 1e-12 of slack so that a distribution
// exactly at the threshold passes.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "privacy/dataset.h"
#include "privacy/groupify.h"

namespace sz::privacy {

enum class ModelKind {
  kKAnonymity,
  kDistinctLDiversity,
  kEntropyLDiversity,
  kRecursiveCLDiversity,
  kEqualDistanceTCloseness,
  kOrderedDistanceTCloseness,
};

struct PrivacyModel {
  ModelKind kind = ModelKind::kKAnonymity;
  int64_t k = 0;  // k-anonymity
  double l = 0;   // l-diversity (all variants; distinct uses it as an integer)
  double c = 0;   // recursive (c,l)-diversity
  double t = 0;   // t-closeness

  static PrivacyModel KAnonymity(int64_t k) { return {ModelKind::kKAnonymity, k, 0, 0, 0}; }
  static PrivacyModel DistinctLDiversity(int l) {
    return {ModelKind::kDistinctLDiversity, 0, static_cast<double>(l), 0, 0};
  }
  static PrivacyModel EntropyLDiversity(double l) {
    return {ModelKind::kEntropyLDiversity, 0, l, 0, 0};
  }
  static PrivacyModel RecursiveCLDiversity(double c, int l) {
    return {ModelKind::kRecursiveCLDiversity, 0, static_cast<double>(l), c, 0};
  }
  static PrivacyModel EqualDistanceTCloseness(double t) {
    return {ModelKind::kEqualDistanceTCloseness, 0, 0, 0, t};
  }
  static PrivacyModel OrderedDistanceTCloseness(double t) {
    return {ModelKind::kOrderedDistanceTCloseness, 0, 0, 0, t};
  }

  // "5-anonymity", "recursive-(3,2)-diversity", "0.2-closeness (ordered distance)".
  std::string Name() const;
  bool NeedsSensitive() const { return kind != ModelKind::kKAnonymity; }
  // Monotone under generalization even when classes may be suppressed (see top of file).
  bool MonotoneWithSuppression() const {
    return kind == ModelKind::kKAnonymity || kind == ModelKind::kDistinctLDiversity;
  }
};

struct Criteria {
  std::vector<PrivacyModel> models;
  // Share of records that may be suppressed, in [0, 1]. Default: 0 (none).
  double suppression_limit = 0;

  // InvalidArgument on out-of-range parameters or a sensitive model without a sensitive
  // attribute in `dataset`.
  Status Validate(const Dataset& dataset) const;
  int64_t MaxSuppressed(int64_t rows) const;
  bool NeedsSensitive() const;
  // True if satisfaction is upward-closed in the lattice for a dataset of `rows`.
  bool Monotone(int64_t rows) const;
  // The largest k of the k-anonymity models (0 if none).
  int64_t MaxK() const;
};

// The whole dataset's sensitive distribution, prepared for t-closeness.
class SensitiveDistribution {
 public:
  SensitiveDistribution() = default;
  explicit SensitiveDistribution(const Dataset& dataset);
  int32_t values() const { return static_cast<int32_t>(q_.size()); }
  double EqualDistance(std::span<const int32_t> values, std::span<const int64_t> counts,
                       int64_t total) const;
  // `values` must be ascending.
  double OrderedDistance(std::span<const int32_t> values, std::span<const int64_t> counts,
                         int64_t total) const;

 private:
  std::vector<double> q_;       // share of each sensitive value
  std::vector<double> cum_q_;   // Q_i = q_0 + ... + q_i
  std::vector<double> prefix_;  // prefix_[i] = Q_0 + ... + Q_{i-1}
};

// Verdicts for the classes of one transformation.
struct Evaluation {
  std::vector<int64_t> violating;  // class ids (ClassView numbering), ascending
  std::vector<uint32_t> failed;    // per violating class: bit i set = models[i] failed
  int64_t violating_records = 0;
  bool satisfied = false;  // violating_records <= max suppressed
};

// Judges every class of `view` against `criteria`. `dist` is needed for t-closeness.
Evaluation EvaluateClasses(const Criteria& criteria, const Cells& cells, const ClassView& view,
                           const SensitiveDistribution& dist, int64_t rows);

// A class that violates the criteria, as reported to the caller.
struct ClassViolation {
  std::vector<int32_t> groups;  // group id per quasi-identifier (Hierarchy::GroupLabel)
  int64_t size = 0;
  uint32_t failed_models = 0;  // bit i set = criteria.models[i] failed
};

struct CheckResult {
  bool satisfied = false;  // violating_records <= max_suppressed
  int64_t classes = 0;
  int64_t violating_classes = 0;
  int64_t violating_records = 0;
  int64_t max_suppressed = 0;
  std::vector<ClassViolation> violations;  // ordered by groups
  std::vector<int64_t> violating_rows;     // ascending; only with CheckOptions::list_rows
};

struct CheckOptions {
  // Also list the row numbers of violating records. Default: false.
  bool list_rows = false;
  // Worker threads (0 = all cores). Default: 0.
  int threads = 0;
};

// Checks `criteria` on `dataset` generalized to `levels` (one level per quasi-identifier).
Result<CheckResult> Check(const Dataset& dataset, std::span<const int> levels,
                          const Criteria& criteria, const CheckOptions& options = {});

}  // namespace sz::privacy
