// Utility (information loss) of a generalized, partly suppressed dataset.
//
// Figures, for n records, quasi-identifiers d = 1..m, a transformation giving level l_d,
// and the set S of suppressed records (suppressed records count as fully generalized):
//  - Loss (Iyengar 2002, "Transforming data to satisfy privacy constraints"; exactly as
//    ARX 3.9 "Loss" with its defaults): per quasi-identifier,
//      L_d = (sum_r share_d(r) - n/D_d) / (n - n/D_d),
//    share_d(r) = leaves under r's group / D_d (1 if r is suppressed), D_d = number of
//    raw values in the hierarchy; aggregated by ARX's geometric mean
//      Loss = prod_d (1 + L_d)^(1/m) - 1.   0 = original data, 1 = everything '*'.
//  - Precision (Sweeney 2002, "Achieving k-anonymity privacy protection using
//    generalization and suppression"): Prec = 1 - mean_{d,r} h_d(r) / H_d, h = level
//    (H_d for suppressed records), H_d = the hierarchy's height. 1 = original data.
//  - Discernibility (Bayardo & Agrawal 2005, "Data privacy through optimal
//    k-anonymization"): DM = sum over released classes |E|^2 + |S| * n.
//  - Non-uniform entropy (de Waal & Willenborg 1999, "Information loss through global
//    recoding and local suppression"): sum_d sum_r -log2(Pr[raw value] / Pr[released
//    value]), frequencies over the whole dataset; a suppressed value is '*' (Pr = 1). Bits.
//  - Average equivalence class size (LeFevre, DeWitt, Ramakrishnan 2006, "Mondrian
//    multidimensional k-anonymity"): n / released classes, where all suppressed records
//    together count as one class (they are identical '*' rows in the release); the
//    normalized C_AVG divides by k.
//
// The search minimises one of them (UtilityMetric) and prunes with lower bounds:
// NodeBound(levels) holds for a node and all its generalizations and is known before
// the node is grouped (Loss, Precision, non-uniform entropy: the figure without
// suppression); ClassBound(cells) does the same once the node is grouped.
//
// Thread-safety: UtilityModel is immutable after construction; share it freely.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "privacy/dataset.h"
#include "privacy/groupify.h"
#include "privacy/models.h"

namespace sz::privacy {

enum class UtilityMetric {
  kLoss,       // ARX "Loss" (default)
  kPrecision,  // 1 - Prec
  kDiscernibility,
  kNonUniformEntropy,
  kAverageClassSize,
};
std::string_view UtilityMetricName(UtilityMetric metric);

struct UtilityReport {
  double loss = 0;
  std::vector<double> loss_per_qi;
  double precision = 1;                       // Sweeney's Prec (1 = original)
  std::vector<double> generalization_per_qi;  // mean h/H per quasi-identifier
  double discernibility = 0;
  double non_uniform_entropy = 0;  // bits
  std::vector<double> non_uniform_entropy_per_qi;
  double average_class_size = 0;
  std::optional<double> normalized_average_class_size;  // / k, when a k is given
  int64_t released_classes = 0;                         // classes not suppressed
  int64_t suppressed_records = 0;
};

// Precomputed per-dataset tables for fast figures at any transformation.
class UtilityModel {
 public:
  explicit UtilityModel(const Dataset& dataset);

  // All figures. `suppressed[c]` marks suppressed classes of `view`; `k` (0 = none) for
  // the normalized average class size.
  UtilityReport Report(const Cells& cells, const ClassView& view,
                       std::span<const uint8_t> suppressed, int64_t k) const;
  // The one figure `metric` (lower is better; Precision is given as 1 - Prec).
  double Value(UtilityMetric metric, const Cells& cells, const ClassView& view,
               std::span<const uint8_t> suppressed) const;
  // Lower bound of `metric` for `levels` and every generalization of it, before grouping.
  double NodeBound(UtilityMetric metric, std::span<const int> levels) const;
  // Lower bound for the grouped node and every generalization of it.
  double ClassBound(UtilityMetric metric, std::span<const int> levels, const ClassView& view) const;

 private:
  // Loss per quasi-identifier from integer numerators: (num - n) / (n (D - 1)).
  double LossOf(int qi, int64_t numerator) const;
  double Aggregate(std::span<const double> per_qi) const;
  // Sweeney's generalization share (1 - Prec) with `suppressed` records fully generalized.
  double GeneralizationShare(std::span<const int> levels, int64_t suppressed) const;

  const Dataset* dataset_;
  int64_t rows_;
  // [qi][level]: sum over records of leaves under the record's group (Loss numerator).
  std::vector<std::vector<int64_t>> leaf_sum_;
  // [qi][level][group]: records per group, and leaves under the group.
  std::vector<std::vector<std::vector<int64_t>>> freq_;
  // [qi][level]: sum_g F(g) log2 F(g) (non-uniform entropy).
  std::vector<std::vector<double>> flogf_;
  // lcm of the hierarchy heights (0: too large for exact Precision fractions).
  int64_t height_lcm_ = 0;
};

// Utility of `dataset` at `levels` with the classes that violate `criteria` suppressed
// (pass empty criteria models to suppress nothing).
Result<UtilityReport> MeasureUtility(const Dataset& dataset, std::span<const int> levels,
                                     const Criteria& criteria, int threads = 0);

}  // namespace sz::privacy
