#include "privacy/models.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "fmt/format.h"

namespace sz::privacy {
namespace {

constexpr double kSlack = 1e-12;

// One class's sensitive histogram: (value, count) pairs gathered from its cells.
struct Histogram {
  std::vector<int32_t> values;
  std::vector<int64_t> counts;
};

void Gather(const Cells& cells, const ClassView& view, int64_t c, Histogram& h) {
  h.values.clear();
  h.counts.clear();
  for (int64_t i = view.Begin(c); i < view.End(c); ++i) {
    int64_t cell = view.Cell(i);
    h.values.push_back(cells.layout.Sensitive(cells.key(cell)));
    h.counts.push_back(cells.counts[cell]);
  }
}

double Entropy(std::span<const int64_t> counts, int64_t total) {
  double e = 0;
  for (int64_t n : counts) {
    double p = static_cast<double>(n) / static_cast<double>(total);
    e -= p * std::log(p);
  }
  return e;
}

bool RecursiveDiverse(std::vector<int64_t> counts, double c, int l) {
  if (static_cast<int>(counts.size()) < l) return false;
  std::sort(counts.begin(), counts.end(), std::greater<>());
  int64_t tail = 0;
  for (size_t i = static_cast<size_t>(l - 1); i < counts.size(); ++i) tail += counts[i];
  return static_cast<double>(counts[0]) < c * static_cast<double>(tail);
}

// Sorts a histogram by value (ordered distance needs ascending values).
void SortByValue(Histogram& h) {
  std::vector<size_t> idx(h.values.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return h.values[a] < h.values[b]; });
  Histogram s;
  for (size_t i : idx) {
    s.values.push_back(h.values[i]);
    s.counts.push_back(h.counts[i]);
  }
  h = std::move(s);
}

}  // namespace

std::string PrivacyModel::Name() const {
  switch (kind) {
    case ModelKind::kKAnonymity: return fmt::format("{}-anonymity", k);
    case ModelKind::kDistinctLDiversity: return fmt::format("distinct-{}-diversity", l);
    case ModelKind::kEntropyLDiversity: return fmt::format("entropy-{}-diversity", l);
    case ModelKind::kRecursiveCLDiversity: return fmt::format("recursive-({},{})-diversity", c, l);
    case ModelKind::kEqualDistanceTCloseness:
      return fmt::format("{}-closeness (equal distance)", t);
    case ModelKind::kOrderedDistanceTCloseness:
      return fmt::format("{}-closeness (ordered distance)", t);
  }
  return "unknown model";
}

Status Criteria::Validate(const Dataset& dataset) const {
  if (models.empty()) return InvalidArgument("no privacy model given; name at least one");
  if (models.size() > 32) return InvalidArgument("at most 32 privacy models can be combined");
  if (!(suppression_limit >= 0 && suppression_limit <= 1)) {
    return InvalidArgument("the suppression limit must be a share between 0 and 1");
  }
  for (const auto& m : models) {
    if (m.NeedsSensitive() && !dataset.sensitive()) {
      return InvalidArgument(
          fmt::format("{} needs a sensitive attribute; the dataset has none", m.Name()));
    }
    switch (m.kind) {
      case ModelKind::kKAnonymity:
        if (m.k < 1) return InvalidArgument("k-anonymity needs k >= 1");
        break;
      case ModelKind::kDistinctLDiversity:
      case ModelKind::kEntropyLDiversity:
        if (!(m.l >= 1)) return InvalidArgument("l-diversity needs l >= 1");
        break;
      case ModelKind::kRecursiveCLDiversity:
        if (!(m.l >= 1) || !(m.c > 0)) {
          return InvalidArgument("recursive (c,l)-diversity needs c > 0 and l >= 1");
        }
        break;
      case ModelKind::kEqualDistanceTCloseness:
      case ModelKind::kOrderedDistanceTCloseness:
        if (!(m.t >= 0 && m.t <= 1)) return InvalidArgument("t-closeness needs t in [0, 1]");
        break;
    }
  }
  return OkStatus();
}

int64_t Criteria::MaxSuppressed(int64_t rows) const {
  // ARX: floor(limit * rows); the epsilon keeps 0.02 * 30162 = 603.24 at 603, not 603.23999.
  return static_cast<int64_t>(std::floor(suppression_limit * static_cast<double>(rows) + 1e-9));
}

bool Criteria::NeedsSensitive() const {
  return std::any_of(models.begin(), models.end(),
                     [](const auto& m) { return m.NeedsSensitive(); });
}

bool Criteria::Monotone(int64_t rows) const {
  if (MaxSuppressed(rows) == 0) return true;
  return std::all_of(models.begin(), models.end(),
                     [](const auto& m) { return m.MonotoneWithSuppression(); });
}

int64_t Criteria::MaxK() const {
  int64_t k = 0;
  for (const auto& m : models)
    if (m.kind == ModelKind::kKAnonymity) k = std::max(k, m.k);
  return k;
}

SensitiveDistribution::SensitiveDistribution(const Dataset& dataset) {
  const SensitiveAttribute* s = dataset.sensitive();
  if (!s) return;
  std::vector<int64_t> counts(s->distinct(), 0);
  for (int32_t c : s->codes()) ++counts[c];
  const auto n = static_cast<double>(dataset.rows());
  q_.resize(counts.size());
  cum_q_.resize(counts.size());
  prefix_.resize(counts.size() + 1, 0);
  double cum = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    q_[i] = n > 0 ? static_cast<double>(counts[i]) / n : 0;
    cum += q_[i];
    cum_q_[i] = cum;
    prefix_[i + 1] = prefix_[i] + cum;
  }
}

double SensitiveDistribution::EqualDistance(std::span<const int32_t> values,
                                            std::span<const int64_t> counts, int64_t total) const {
  // Values absent from the class contribute q_i each: 1/2 (sum_present |p-q| + 1 - sum_present q).
  double present_diff = 0, present_q = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    double p = static_cast<double>(counts[i]) / static_cast<double>(total);
    present_diff += std::fabs(p - q_[values[i]]);
    present_q += q_[values[i]];
  }
  return 0.5 * (present_diff + std::max(0.0, 1.0 - present_q));
}

double SensitiveDistribution::OrderedDistance(std::span<const int32_t> values,
                                              std::span<const int64_t> counts,
                                              int64_t total) const {
  const auto m = static_cast<int64_t>(q_.size());
  if (m <= 1) return 0;
  // The class's cumulative share P_i is constant between its present values, and Q_i is
  // non-decreasing, so sum_i |P - Q_i| over a run splits where Q crosses P: find that
  // point by binary search and use prefix sums of Q. O(|values| log m) per class.
  auto run_sum = [&](int64_t a, int64_t b, double p) {  // sum_{i in [a,b)} |p - Q_i|
    if (a >= b) return 0.0;
    int64_t c = std::lower_bound(cum_q_.begin() + a, cum_q_.begin() + b, p) - cum_q_.begin();
    double below = p * static_cast<double>(c - a) - (prefix_[c] - prefix_[a]);
    double above = (prefix_[b] - prefix_[c]) - p * static_cast<double>(b - c);
    return below + above;
  };
  double sum = 0, p = 0;
  int64_t at = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    sum += run_sum(at, values[i], p);
    p += static_cast<double>(counts[i]) / static_cast<double>(total);
    at = values[i];
  }
  sum += run_sum(at, m, p);
  return sum / static_cast<double>(m - 1);
}

Evaluation EvaluateClasses(const Criteria& criteria, const Cells& cells, const ClassView& view,
                           const SensitiveDistribution& dist, int64_t rows) {
  Evaluation ev;
  Histogram h;
  const bool sensitive = criteria.NeedsSensitive();
  for (int64_t c = 0; c < view.classes; ++c) {
    const int64_t size = view.size[c];
    uint32_t failed = 0;
    bool gathered = false;
    for (size_t i = 0; i < criteria.models.size(); ++i) {
      const PrivacyModel& m = criteria.models[i];
      if (sensitive && m.NeedsSensitive() && !gathered) {
        Gather(cells, view, c, h);
        gathered = true;
      }
      bool ok = true;
      switch (m.kind) {
        case ModelKind::kKAnonymity: ok = size >= m.k; break;
        case ModelKind::kDistinctLDiversity:
          ok = static_cast<double>(h.values.size()) >= m.l;
          break;
        case ModelKind::kEntropyLDiversity:
          ok = Entropy(h.counts, size) >= std::log(m.l) - kSlack;
          break;
        case ModelKind::kRecursiveCLDiversity:
          ok = RecursiveDiverse(h.counts, m.c, static_cast<int>(m.l));
          break;
        case ModelKind::kEqualDistanceTCloseness:
          ok = dist.EqualDistance(h.values, h.counts, size) <= m.t + kSlack;
          break;
        case ModelKind::kOrderedDistanceTCloseness:
          if (!std::is_sorted(h.values.begin(), h.values.end())) SortByValue(h);
          ok = dist.OrderedDistance(h.values, h.counts, size) <= m.t + kSlack;
          break;
      }
      if (!ok) failed |= uint32_t{1} << i;
    }
    if (failed) {
      ev.violating.push_back(c);
      ev.failed.push_back(failed);
      ev.violating_records += size;
    }
  }
  ev.satisfied = ev.violating_records <= criteria.MaxSuppressed(rows);
  return ev;
}

Result<CheckResult> Check(const Dataset& dataset, std::span<const int> levels,
                          const Criteria& criteria, const CheckOptions& options) {
  SZ_RETURN_IF_ERROR(criteria.Validate(dataset));
  SZ_RETURN_IF_ERROR(dataset.CheckLevels(levels));
  WorkerPool pool(options.threads);
  SZ_ASSIGN_OR_RETURN(Cells cells, GroupRows(dataset, levels, criteria.NeedsSensitive(), pool));
  ClassView view = MakeClassView(cells);
  SensitiveDistribution dist(dataset);
  Evaluation ev = EvaluateClasses(criteria, cells, view, dist, dataset.rows());

  CheckResult out;
  out.satisfied = ev.satisfied;
  out.classes = view.classes;
  out.violating_classes = static_cast<int64_t>(ev.violating.size());
  out.violating_records = ev.violating_records;
  out.max_suppressed = criteria.MaxSuppressed(dataset.rows());
  for (size_t i = 0; i < ev.violating.size(); ++i) {
    ClassViolation v;
    int64_t rep = view.Representative(ev.violating[i]);
    for (int q = 0; q < dataset.qi_count(); ++q) v.groups.push_back(cells.Group(rep, q));
    v.size = view.size[ev.violating[i]];
    v.failed_models = ev.failed[i];
    out.violations.push_back(std::move(v));
  }
  std::sort(out.violations.begin(), out.violations.end(),
            [](const auto& a, const auto& b) { return a.groups < b.groups; });
  if (options.list_rows && !ev.violating.empty()) {
    std::vector<uint8_t> bad_cell(cells.size(), 0);
    for (int64_t c : ev.violating)
      for (int64_t i = view.Begin(c); i < view.End(c); ++i) bad_cell[view.Cell(i)] = 1;
    CellIndex index(cells);
    std::vector<int64_t> cell_of_row = index.MapRows(dataset, pool);
    for (int64_t r = 0; r < dataset.rows(); ++r)
      if (bad_cell[cell_of_row[r]]) out.violating_rows.push_back(r);
  }
  return out;
}

}  // namespace sz::privacy
