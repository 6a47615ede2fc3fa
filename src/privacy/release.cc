#include "privacy/release.h"

#include "fmt/format.h"
#include "privacy/groupify.h"

namespace sz::privacy {

std::string_view Release::Label(int qi, int64_t row) const {
  int32_t g = groups_[qi][row];
  if (g < 0) return kSuppressed;
  return dataset_->qi(qi).hierarchy().GroupLabel(levels_[qi], g);
}

Result<Release> Apply(const Dataset& dataset, std::span<const int> levels, const Criteria& criteria,
                      int threads) {
  SZ_RETURN_IF_ERROR(dataset.CheckLevels(levels));
  const bool judge = !criteria.models.empty();
  if (judge) SZ_RETURN_IF_ERROR(criteria.Validate(dataset));
  WorkerPool pool(threads);
  SZ_ASSIGN_OR_RETURN(Cells cells,
                      GroupRows(dataset, levels, judge && criteria.NeedsSensitive(), pool));
  ClassView view = MakeClassView(cells);

  Release out;
  out.dataset_ = &dataset;
  out.levels_.assign(levels.begin(), levels.end());
  std::vector<uint8_t> bad_cell(cells.size(), 0);
  if (judge) {
    SensitiveDistribution dist(dataset);
    Evaluation ev = EvaluateClasses(criteria, cells, view, dist, dataset.rows());
    if (!ev.satisfied) {
      return FailedPrecondition(fmt::format(
          "this transformation would suppress {} records, above the limit of {}; choose a more "
          "general transformation or raise the limit",
          ev.violating_records, criteria.MaxSuppressed(dataset.rows())));
    }
    for (int64_t c : ev.violating)
      for (int64_t i = view.Begin(c); i < view.End(c); ++i) bad_cell[view.Cell(i)] = 1;
    out.suppressed_records_ = ev.violating_records;
    out.classes_ = view.classes - static_cast<int64_t>(ev.violating.size());
  } else {
    out.classes_ = view.classes;
  }

  const int64_t n = dataset.rows();
  out.suppressed_.assign(static_cast<size_t>(n), 0);
  if (out.suppressed_records_ > 0) {
    CellIndex index(cells);
    std::vector<int64_t> cell_of_row = index.MapRows(dataset, pool);
    for (int64_t r = 0; r < n; ++r) out.suppressed_[r] = bad_cell[cell_of_row[r]];
  }
  out.groups_.resize(dataset.qi_count());
  pool.Run(dataset.qi_count(), [&](int q) {
    auto map = dataset.qi(q).hierarchy().LevelMap(levels[q]);
    auto codes = dataset.qi(q).codes();
    auto& g = out.groups_[q];
    g.resize(static_cast<size_t>(n));
    for (int64_t r = 0; r < n; ++r) g[r] = out.suppressed_[r] ? -1 : map[codes[r]];
  });
  return out;
}

}  // namespace sz::privacy
