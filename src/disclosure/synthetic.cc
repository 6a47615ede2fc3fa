#include "disclosure/synthetic.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace sz::disclosure {

Dimension FlatDimension(std::string name, std::string total_label,
                        const std::vector<std::string>& labels) {
  Dimension dim;
  dim.name = std::move(name);
  dim.categories.push_back({std::move(total_label), -1, {}});
  for (const auto& label : labels) dim.categories.push_back({label, 0, {}});
  return dim;
}

namespace {

void AddSubtree(Dimension& dim, int32_t parent, const std::string& prefix,
                const std::vector<int>& fanouts, size_t level) {
  if (level == fanouts.size()) return;
  for (int i = 1; i <= fanouts[level]; ++i) {
    std::string label = prefix.empty() ? std::to_string(i) : prefix + "-" + std::to_string(i);
    dim.categories.push_back({label, parent, {}});
    AddSubtree(dim, static_cast<int32_t>(dim.categories.size() - 1), label, fanouts,
               level + 1);
  }
}

// Ancestors of `c` including itself, nearest first.
std::vector<int32_t> SelfAndAncestors(const Dimension& dim, int32_t c) {
  std::vector<int32_t> chain;
  for (; c >= 0; c = dim.categories[c].parent) chain.push_back(c);
  return chain;
}

void Merge(LeafEvidence& into, const LeafEvidence& from) {
  into.persons += from.persons;
  into.sum += from.sum;
  into.negative_contributions += from.negative_contributions;
  double tops[4] = {into.top1, into.top2, from.top1, from.top2};
  std::sort(tops, tops + 4, [](double a, double b) { return a > b; });
  into.top1 = tops[0];
  into.top2 = tops[1];
}

}  // namespace

Dimension TreeDimension(std::string name, std::string root_label,
                        const std::vector<int>& fanouts) {
  Dimension dim;
  dim.name = std::move(name);
  dim.categories.push_back({std::move(root_label), -1, {}});
  AddSubtree(dim, 0, "", fanouts, 0);
  return dim;
}

Table TableFromLeaves(Statistic statistic, std::vector<Dimension> dims,
                      const std::function<LeafEvidence(std::span<const int32_t>)>& leaf) {
  const size_t n = dims.size();
  std::vector<int64_t> stride(n);
  std::vector<std::vector<bool>> has_children(n);
  int64_t total = 1;
  for (size_t d = n; d-- > 0;) {
    stride[d] = total;
    total *= static_cast<int64_t>(dims[d].categories.size());
    has_children[d].assign(dims[d].categories.size(), false);
    for (const auto& c : dims[d].categories) {
      if (c.parent >= 0) has_children[d][c.parent] = true;
    }
  }
  std::vector<LeafEvidence> acc(static_cast<size_t>(total));
  std::vector<std::vector<int32_t>> leaves(n);
  for (size_t d = 0; d < n; ++d) {
    for (int32_t c = 0; c < static_cast<int32_t>(dims[d].categories.size()); ++c) {
      if (!has_children[d][c]) leaves[d].push_back(c);
    }
  }
  // Odometer over leaf combinations; each leaf adds into every ancestor combination.
  std::vector<size_t> pos(n, 0);
  std::vector<int32_t> cats(n);
  std::vector<std::vector<int32_t>> chains(n);
  while (true) {
    for (size_t d = 0; d < n; ++d) {
      cats[d] = leaves[d][pos[d]];
      chains[d] = SelfAndAncestors(dims[d], cats[d]);
    }
    LeafEvidence e = leaf(cats);
    std::vector<size_t> up(n, 0);
    while (true) {
      int64_t key = 0;
      for (size_t d = 0; d < n; ++d) key += chains[d][up[d]] * stride[d];
      Merge(acc[static_cast<size_t>(key)], e);
      size_t d = n;
      while (d-- > 0 && ++up[d] == chains[d].size()) up[d] = 0;
      if (d == static_cast<size_t>(-1)) break;
    }
    size_t d = n;
    while (d-- > 0 && ++pos[d] == leaves[d].size()) pos[d] = 0;
    if (d == static_cast<size_t>(-1)) break;
  }
  Table table;
  table.statistic = statistic;
  table.measure = statistic == Statistic::kCount ? "persons" : "amount";
  table.cells.reserve(static_cast<size_t>(total));
  for (int64_t key = 0; key < total; ++key) {
    Cell cell;
    cell.categories.resize(n);
    for (size_t d = 0; d < n; ++d) {
      cell.categories[d] = static_cast<int32_t>((key / stride[d]) %
                                                static_cast<int64_t>(dims[d].categories.size()));
      cell.margin = cell.margin || has_children[d][cell.categories[d]];
    }
    const LeafEvidence& e = acc[static_cast<size_t>(key)];
    cell.evidence = {e.persons, e.sum, e.top1, e.top2, e.negative_contributions, 0, false};
    cell.value = statistic == Statistic::kCount ? static_cast<double>(e.persons) : e.sum;
    table.cells.push_back(std::move(cell));
  }
  table.dimensions = std::move(dims);
  return table;
}

namespace {

// Leaf counts for a given region scale; same seed -> same shape, only the scale moves.
std::vector<int64_t> SkewedLeafCounts(const SkewedTableSpec& spec, int regions, double scale) {
  std::mt19937_64 rng(spec.seed);
  std::lognormal_distribution<double> size(0.0, 1.0);
  std::vector<double> share(static_cast<size_t>(spec.columns));
  double share_total = 0;
  for (int c = 0; c < spec.columns; ++c) {
    share[static_cast<size_t>(c)] = 1.0 / std::pow(c + 1.0, 1.1);
    share_total += share[static_cast<size_t>(c)];
  }
  std::vector<int64_t> counts;
  counts.reserve(static_cast<size_t>(regions) * static_cast<size_t>(spec.columns));
  for (int r = 0; r < regions; ++r) {
    double region = scale * size(rng);
    for (int c = 0; c < spec.columns; ++c) {
      double mean = region * share[static_cast<size_t>(c)] / share_total;
      std::poisson_distribution<int64_t> draw(std::max(mean, 1e-9));
      counts.push_back(draw(rng));
    }
  }
  return counts;
}

}  // namespace

Table SkewedHierarchicalCountTable(const SkewedTableSpec& spec) {
  Dimension region = TreeDimension("region", "전국", spec.fanouts);
  std::vector<std::string> labels;
  for (int c = 1; c <= spec.columns; ++c) labels.push_back("c" + std::to_string(c));
  Dimension column = FlatDimension("category", "합계", labels);
  int regions = 1;
  for (int f : spec.fanouts) regions *= f;
  const double cells = static_cast<double>(region.categories.size()) *
                       static_cast<double>(column.categories.size());
  auto primaries = [&](const std::vector<int64_t>& counts) {
    // Margins are large at these sizes; count small leaves only (a slight undercount).
    double n = 0;
    for (int64_t v : counts) n += (v > 0 && v < spec.threshold) ? 1 : 0;
    return n / cells;
  };
  // Bisection on the log of the region scale: fewer small cells as regions grow.
  double lo = std::log(1.0), hi = std::log(1e6);
  for (int i = 0; i < 40; ++i) {
    double mid = (lo + hi) / 2;
    if (primaries(SkewedLeafCounts(spec, regions, std::exp(mid))) > spec.primary_fraction) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  std::vector<int64_t> counts = SkewedLeafCounts(spec, regions, std::exp((lo + hi) / 2));
  // Leaf categories of the region tree are numbered in depth-first order; map them to
  // positions 0..regions-1 in that order.
  std::vector<int32_t> leaf_pos(region.categories.size(), -1);
  std::vector<bool> inner(region.categories.size(), false);
  for (const auto& c : region.categories) {
    if (c.parent >= 0) inner[static_cast<size_t>(c.parent)] = true;
  }
  int32_t next = 0;
  for (size_t c = 0; c < region.categories.size(); ++c) {
    if (!inner[c]) leaf_pos[c] = next++;
  }
  const int columns = spec.columns;
  return TableFromLeaves(Statistic::kCount, {std::move(region), std::move(column)},
                         [&](std::span<const int32_t> cats) {
                           size_t r = static_cast<size_t>(leaf_pos[static_cast<size_t>(cats[0])]);
                           size_t c = static_cast<size_t>(cats[1] - 1);
                           LeafEvidence e;
                           e.persons = counts[r * static_cast<size_t>(columns) + c];
                           e.sum = static_cast<double>(e.persons);
                           return e;
                         });
}

}  // namespace sz::disclosure
