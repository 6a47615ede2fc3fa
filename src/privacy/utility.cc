#include "privacy/utility.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sz::privacy {
namespace {

double Log2OrZero(double x) { return x > 0 ? std::log2(x) : 0.0; }

// Sum in ascending order: permutations of the same values sum to the same bits.
double SortedSum(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  return sum;
}

}  // namespace

std::string_view UtilityMetricName(UtilityMetric metric) {
  switch (metric) {
    case UtilityMetric::kLoss: return "loss";
    case UtilityMetric::kPrecision: return "precision";
    case UtilityMetric::kDiscernibility: return "discernibility";
    case UtilityMetric::kNonUniformEntropy: return "non-uniform entropy";
    case UtilityMetric::kAverageClassSize: return "average class size";
  }
  return "unknown";
}

UtilityModel::UtilityModel(const Dataset& dataset)
    : dataset_(&dataset), rows_(dataset.rows()), freq_(GroupFrequencies(dataset)) {
  leaf_sum_.resize(dataset.qi_count());
  flogf_.resize(dataset.qi_count());
  for (int q = 0; q < dataset.qi_count(); ++q) {
    const Hierarchy& h = dataset.qi(q).hierarchy();
    for (int l = 0; l < h.levels(); ++l) {
      int64_t leaves = 0;
      double flogf = 0;
      for (int32_t g = 0; g < h.GroupCount(l); ++g) {
        int64_t f = freq_[q][l][g];
        leaves += f * h.LeafCount(l, g);
        flogf += static_cast<double>(f) * Log2OrZero(static_cast<double>(f));
      }
      leaf_sum_[q].push_back(leaves);
      flogf_[q].push_back(flogf);
    }
  }
  height_lcm_ = 1;
  for (int q = 0; q < dataset.qi_count(); ++q) {
    int64_t h = dataset.qi(q).levels() - 1;
    if (h > 0) height_lcm_ = std::lcm(height_lcm_, h);
    // Keep numerators (rows * level * lcm * m) far inside int64.
    if (height_lcm_ > (int64_t{1} << 20) || rows_ > (int64_t{1} << 36)) {
      height_lcm_ = 0;
      break;
    }
  }
}

double UtilityModel::LossOf(int qi, int64_t numerator) const {
  // ARX normalizes sum(share) from [n/D, n] to [0, 1]; with share = leaves/D this is
  // (numerator - n) / (n (D - 1)) in integers, exact and independent of summation order.
  const auto d = static_cast<int64_t>(dataset_->qi(qi).hierarchy().value_count());
  if (d <= 1 || rows_ == 0) return 0;
  double v = static_cast<double>(numerator - rows_) /
             (static_cast<double>(rows_) * static_cast<double>(d - 1));
  return v > 0 ? v : 0;
}

double UtilityModel::Aggregate(std::span<const double> per_qi) const {
  // ARX's geometric mean: 1 is added to every value and subtracted from the result.
  // Multiplied in ascending order, so that nodes whose per-QI losses are a permutation
  // of each other get bit-identical values and ties break by the documented rule.
  std::vector<double> sorted(per_qi.begin(), per_qi.end());
  std::sort(sorted.begin(), sorted.end());
  double result = 1;
  const double exponent = 1.0 / static_cast<double>(sorted.size());
  for (double v : sorted) result *= std::pow(v + 1.0, exponent);
  return result - 1.0;
}

double UtilityModel::GeneralizationShare(std::span<const int> levels, int64_t suppressed) const {
  // mean over QIs of ((n - s) l/H + s) / n, as one exact fraction over the common
  // denominator lcm(H) * n * m, so equal shares compare equal bit for bit.
  const int m = dataset_->qi_count();
  if (rows_ == 0) return 0;
  if (height_lcm_ > 0) {
    int64_t numerator = 0;
    for (int q = 0; q < m; ++q) {
      const int64_t height = dataset_->qi(q).levels() - 1;
      if (height == 0) continue;
      numerator +=
          (rows_ - suppressed) * levels[q] * (height_lcm_ / height) + suppressed * height_lcm_;
    }
    return static_cast<double>(numerator) /
           (static_cast<double>(rows_) * static_cast<double>(height_lcm_) * m);
  }
  double sum = 0;  // heights too varied for an exact common denominator
  for (int q = 0; q < m; ++q) {
    const int height = dataset_->qi(q).levels() - 1;
    if (height == 0) continue;
    sum += (static_cast<double>(rows_ - suppressed) * levels[q] / height +
            static_cast<double>(suppressed)) /
           static_cast<double>(rows_);
  }
  return sum / m;
}

UtilityReport UtilityModel::Report(const Cells& cells, const ClassView& view,
                                   std::span<const uint8_t> suppressed, int64_t k) const {
  const int m = dataset_->qi_count();
  const auto n = static_cast<double>(rows_);
  UtilityReport r;
  std::vector<int64_t> loss_num(m, 0);
  // Suppressed records per (quasi-identifier, group): integer sums, so the entropy term
  // below is added in group order and does not depend on the order of classes.
  std::vector<std::vector<int64_t>> suppressed_in(m);
  for (int q = 0; q < m; ++q) {
    suppressed_in[q].assign(dataset_->qi(q).hierarchy().GroupCount(cells.levels[q]), 0);
  }
  for (int64_t c = 0; c < view.classes; ++c) {
    const int64_t size = view.size[c];
    const int64_t rep = view.Representative(c);
    const bool supp = !suppressed.empty() && suppressed[c];
    if (supp) {
      r.suppressed_records += size;
      r.discernibility += static_cast<double>(size) * n;
    } else {
      ++r.released_classes;
      r.discernibility += static_cast<double>(size) * static_cast<double>(size);
    }
    for (int q = 0; q < m; ++q) {
      const Hierarchy& h = dataset_->qi(q).hierarchy();
      const int32_t g = cells.Group(rep, q);
      loss_num[q] +=
          size * (supp ? static_cast<int64_t>(h.value_count()) : h.LeafCount(cells.levels[q], g));
      if (supp) suppressed_in[q][g] += size;
    }
  }
  std::vector<double> nue_extra(m, 0);
  for (int q = 0; q < m; ++q) {
    const auto& freq = freq_[q][cells.levels[q]];
    for (size_t g = 0; g < freq.size(); ++g) {
      if (suppressed_in[q][g] == 0) continue;
      nue_extra[q] += static_cast<double>(suppressed_in[q][g]) *
                      (Log2OrZero(n) - Log2OrZero(static_cast<double>(freq[g])));
    }
  }
  const auto s = static_cast<double>(r.suppressed_records);
  for (int q = 0; q < m; ++q) {
    r.loss_per_qi.push_back(LossOf(q, loss_num[q]));
    const int height = dataset_->qi(q).levels() - 1;
    double g = height == 0 || n == 0
                   ? 0
                   : ((n - s) * cells.levels[q] / static_cast<double>(height) + s) / n;
    r.generalization_per_qi.push_back(g);
    r.non_uniform_entropy_per_qi.push_back(flogf_[q][cells.levels[q]] - flogf_[q][0] +
                                           nue_extra[q]);
  }
  r.loss = Aggregate(r.loss_per_qi);
  r.precision = 1.0 - GeneralizationShare(cells.levels, r.suppressed_records);
  r.non_uniform_entropy = SortedSum(r.non_uniform_entropy_per_qi);
  int64_t released = r.released_classes + (r.suppressed_records > 0 ? 1 : 0);
  r.average_class_size = released > 0 ? n / static_cast<double>(released) : 0;
  if (k > 0) r.normalized_average_class_size = r.average_class_size / static_cast<double>(k);
  return r;
}

double UtilityModel::Value(UtilityMetric metric, const Cells& cells, const ClassView& view,
                           std::span<const uint8_t> suppressed) const {
  if (metric == UtilityMetric::kLoss) {
    // The search's hot path: only the Loss numerators.
    const int m = dataset_->qi_count();
    std::vector<int64_t> extra(m, 0);  // sum over suppressed records of (D - leaves)
    bool any = false;
    for (int64_t c = 0; c < view.classes; ++c) {
      if (suppressed.empty() || !suppressed[c]) continue;
      any = true;
      const int64_t rep = view.Representative(c);
      for (int q = 0; q < m; ++q) {
        const Hierarchy& h = dataset_->qi(q).hierarchy();
        extra[q] += view.size[c] * (static_cast<int64_t>(h.value_count()) -
                                    h.LeafCount(cells.levels[q], cells.Group(rep, q)));
      }
    }
    if (!any) return NodeBound(metric, cells.levels);
    std::vector<double> per_qi(m);
    for (int q = 0; q < m; ++q) per_qi[q] = LossOf(q, leaf_sum_[q][cells.levels[q]] + extra[q]);
    return Aggregate(per_qi);
  }
  UtilityReport r = Report(cells, view, suppressed, 0);
  switch (metric) {
    case UtilityMetric::kPrecision: return GeneralizationShare(cells.levels, r.suppressed_records);
    case UtilityMetric::kDiscernibility: return r.discernibility;
    case UtilityMetric::kNonUniformEntropy: return r.non_uniform_entropy;
    case UtilityMetric::kAverageClassSize: return r.average_class_size;
    case UtilityMetric::kLoss: break;
  }
  return r.loss;
}

double UtilityModel::NodeBound(UtilityMetric metric, std::span<const int> levels) const {
  const int m = dataset_->qi_count();
  switch (metric) {
    case UtilityMetric::kLoss: {
      std::vector<double> per_qi(m);
      for (int q = 0; q < m; ++q) per_qi[q] = LossOf(q, leaf_sum_[q][levels[q]]);
      return Aggregate(per_qi);
    }
    case UtilityMetric::kPrecision: return GeneralizationShare(levels, 0);
    case UtilityMetric::kDiscernibility: return static_cast<double>(rows_);
    case UtilityMetric::kNonUniformEntropy: {
      std::vector<double> per_qi(m);
      for (int q = 0; q < m; ++q) per_qi[q] = flogf_[q][levels[q]] - flogf_[q][0];
      return SortedSum(per_qi);
    }
    case UtilityMetric::kAverageClassSize: {
      // A node has at most prod_d groups(l_d) classes, and generalizing never adds groups.
      double classes = 1;
      for (int q = 0; q < m; ++q) {
        classes *= dataset_->qi(q).hierarchy().GroupCount(levels[q]);
        if (classes > static_cast<double>(rows_)) break;
      }
      classes = std::min(classes, static_cast<double>(rows_));
      return classes > 0 ? static_cast<double>(rows_) / classes : 0;
    }
  }
  return 0;
}

double UtilityModel::ClassBound(UtilityMetric metric, std::span<const int> levels,
                                const ClassView& view) const {
  switch (metric) {
    case UtilityMetric::kDiscernibility: {
      // Merging classes only grows sum |E|^2; a suppressed record costs n >= its class size.
      double sum = 0;
      for (int64_t c = 0; c < view.classes; ++c) {
        sum += static_cast<double>(view.size[c]) * static_cast<double>(view.size[c]);
      }
      return sum;
    }
    case UtilityMetric::kAverageClassSize:
      // Released classes of this node or a generalization never exceed this node's classes.
      return view.classes > 0 ? static_cast<double>(rows_) / static_cast<double>(view.classes) : 0;
    default: return NodeBound(metric, levels);
  }
}

Result<UtilityReport> MeasureUtility(const Dataset& dataset, std::span<const int> levels,
                                     const Criteria& criteria, int threads) {
  SZ_RETURN_IF_ERROR(dataset.CheckLevels(levels));
  const bool judge = !criteria.models.empty();
  if (judge) SZ_RETURN_IF_ERROR(criteria.Validate(dataset));
  WorkerPool pool(threads);
  SZ_ASSIGN_OR_RETURN(Cells cells,
                      GroupRows(dataset, levels, judge && criteria.NeedsSensitive(), pool));
  ClassView view = MakeClassView(cells);
  std::vector<uint8_t> suppressed(view.classes, 0);
  if (judge) {
    SensitiveDistribution dist(dataset);
    Evaluation ev = EvaluateClasses(criteria, cells, view, dist, dataset.rows());
    for (int64_t c : ev.violating) suppressed[c] = 1;
  }
  UtilityModel model(dataset);
  return model.Report(cells, view, suppressed, criteria.MaxK());
}

}  // namespace sz::privacy
