#include "disclosure/differencing.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "disclosure/table_index.h"

namespace sz::disclosure {

namespace {

using CodeSet = std::vector<std::string>;  // sorted, unique
// variable -> admitted codes; an absent variable admits anything.
using Box = std::map<std::string, CodeSet>;

CodeSet Intersect(const CodeSet& a, const CodeSet& b) {
  CodeSet out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

void Constrain(Box& box, const std::string& variable, CodeSet codes) {
  auto [it, inserted] = box.emplace(variable, codes);
  if (!inserted) it->second = Intersect(it->second, codes);
}

CodeSet Sorted(std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return codes;
}

// Code sets of every category of a dimension; nullopt means "any" (a root without
// explicit codes, or anything above such a category).
std::vector<std::optional<CodeSet>> CategoryCodes(const Dimension& dim,
                                                  const TableIndex& index, int d) {
  const size_t n = dim.categories.size();
  std::vector<std::optional<CodeSet>> codes(n);
  // Parents come before children, so walking backwards sees children first.
  for (size_t c = n; c-- > 0;) {
    const Category& category = dim.categories[c];
    if (!category.codes.empty()) {
      codes[c] = Sorted(category.codes);
    } else if (index.IsLeaf(d, static_cast<int32_t>(c))) {
      codes[c] = CodeSet{category.label};
    } else if (category.parent >= 0) {
      CodeSet all;
      bool any = false;
      for (int32_t child : index.Children(d, static_cast<int32_t>(c))) {
        if (!codes[static_cast<size_t>(child)]) {
          any = true;
          break;
        }
        const CodeSet& cc = *codes[static_cast<size_t>(child)];
        all.insert(all.end(), cc.begin(), cc.end());
      }
      if (!any) codes[c] = Sorted(std::move(all));
    }
  }
  return codes;
}

struct Population {
  size_t cell;
  int64_t persons;
  Box box;
  bool capped = false;  // persons is a lower bound (CellEvidence::persons_capped)
};

Result<std::vector<Population>> Populations(const Table& table,
                                            const std::vector<bool>& published) {
  if (!published.empty() && published.size() != table.cells.size()) {
    return InvalidArgument("published mask has " + std::to_string(published.size()) +
                           " entries for " + std::to_string(table.cells.size()) + " cells");
  }
  SZ_ASSIGN_OR_RETURN(TableIndex index, TableIndex::Build(table));
  Box base;
  for (const Filter& f : table.filters) Constrain(base, f.variable, Sorted(f.codes));
  std::vector<std::vector<std::optional<CodeSet>>> codes;
  for (size_t d = 0; d < table.dimensions.size(); ++d) {
    codes.push_back(CategoryCodes(table.dimensions[d], index, static_cast<int>(d)));
  }
  std::vector<Population> out;
  for (size_t i = 0; i < table.cells.size(); ++i) {
    const Cell& cell = table.cells[i];
    if ((!published.empty() && !published[i]) || cell.evidence.persons <= 0) continue;
    Population p{i, cell.evidence.persons, base, cell.evidence.persons_capped};
    for (size_t d = 0; d < table.dimensions.size(); ++d) {
      const auto& set = codes[d][static_cast<size_t>(cell.categories[d])];
      if (!set) continue;
      const Dimension& dim = table.dimensions[d];
      Constrain(p.box, dim.variable.empty() ? dim.name : dim.variable, *set);
    }
    out.push_back(std::move(p));
  }
  return out;
}

// Is every person of `inner` also in `outer`?
bool Within(const Box& inner, const Box& outer) {
  for (const auto& [variable, allowed] : outer) {
    auto it = inner.find(variable);
    if (it == inner.end()) return false;
    if (!std::includes(allowed.begin(), allowed.end(), it->second.begin(), it->second.end())) {
      return false;
    }
  }
  return true;
}

// A pair where a count stopped at its cap: can the true difference be below `threshold`?
// A capped count c means "c or more"; an exact count x can be within `threshold` of a
// capped one only if x > c - threshold. Two capped counts can always be close.
bool MaybeClose(const Population& a, const Population& b, int64_t threshold) {
  if (a.capped && b.capped) return true;
  const Population& capped = a.capped ? a : b;
  const Population& exact = a.capped ? b : a;
  return exact.persons > capped.persons - threshold;
}

// Strictly nested: one population inside the other and not the same box (the same box is
// the same population, whose difference is 0 whatever the counts).
bool StrictlyNested(const Box& a, const Box& b) {
  bool a_in_b = Within(a, b), b_in_a = Within(b, a);
  return a_in_b != b_in_a;
}

bool Comparable(const Table& a, const Table& b) {
  const bool additive = a.statistic == Statistic::kCount || a.statistic == Statistic::kSum;
  return additive && a.statistic == b.statistic && a.measure == b.measure;
}

}  // namespace

Result<std::vector<Difference>> FindDifferences(const Table& candidate,
                                                const std::vector<bool>& published,
                                                std::span<const ReleasedTable> released,
                                                int64_t threshold) {
  SZ_ASSIGN_OR_RETURN(std::vector<Population> mine, Populations(candidate, published));
  std::vector<Difference> found;
  for (const ReleasedTable& other : released) {
    if (other.table == nullptr) return InvalidArgument("released table '" + other.uid + "' is missing");
    if (!Comparable(candidate, *other.table)) continue;
    auto theirs_or = Populations(*other.table, other.published);
    if (!theirs_or.ok()) return theirs_or.status().WithContext("released '" + other.uid + "'");
    std::vector<Population> theirs = std::move(theirs_or).value();
    // Pairs with a capped count: undecidable when close and strictly nested; flagged.
    for (const Population& a : mine) {
      for (const Population& b : theirs) {
        if (!a.capped && !b.capped) continue;
        if (!MaybeClose(a, b, threshold) || !StrictlyNested(a.box, b.box)) continue;
        const std::string mine_label = TableIndex::CellLabel(candidate, candidate.cells[a.cell]);
        const std::string their_label =
            TableIndex::CellLabel(*other.table, other.table->cells[b.cell]);
        int64_t cap = std::max(a.capped ? a.persons : 0, b.capped ? b.persons : 0);
        found.push_back(
            {other.uid, a.cell, b.cell, 0,
             fmt::format("cell {} and cell {} of released output '{}' are nested, and persons "
                         "were counted only up to {}: a difference below {} cannot be ruled "
                         "out; compare them, or save the output again with exact counts",
                         mine_label, their_label, other.uid, cap, threshold),
             fmt::format("셀 {}과(와) 반출된 출력 '{}'의 셀 {}은(는) 포함 관계이며 인원을 {}명까지만 "
                         "집계하여 {}명 미만 차이를 배제할 수 없습니다. 직접 비교하거나 정확한 "
                         "인원으로 다시 저장하세요",
                         mine_label, other.uid, their_label, cap, threshold),
             true});
      }
    }
    std::erase_if(theirs, [](const Population& p) { return p.capped; });
    std::sort(theirs.begin(), theirs.end(),
              [](const Population& x, const Population& y) { return x.persons < y.persons; });
    for (const Population& a : mine) {
      if (a.capped) continue;
      // Only cells within `threshold` persons can form a small difference.
      auto lo = std::lower_bound(theirs.begin(), theirs.end(), a.persons - threshold + 1,
                                 [](const Population& p, int64_t v) { return p.persons < v; });
      for (auto it = lo; it != theirs.end() && it->persons < a.persons + threshold; ++it) {
        const int64_t diff = it->persons > a.persons ? it->persons - a.persons
                                                     : a.persons - it->persons;
        if (diff == 0) continue;
        const bool nested = it->persons > a.persons ? Within(a.box, it->box)
                                                    : Within(it->box, a.box);
        if (!nested) continue;
        const std::string mine_label =
            TableIndex::CellLabel(candidate, candidate.cells[a.cell]);
        const std::string their_label =
            TableIndex::CellLabel(*other.table, other.table->cells[it->cell]);
        found.push_back(
            {other.uid, a.cell, it->cell, diff,
             fmt::format("cell {} and cell {} of released output '{}' differ by {} persons; "
                         "minimum is {}",
                         mine_label, their_label, other.uid, diff, threshold),
             fmt::format("셀 {}과(와) 반출된 출력 '{}'의 셀 {}은(는) {}명 차이로 최소 기준 "
                         "{}명 미만입니다",
                         mine_label, other.uid, their_label, diff, threshold)});
      }
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const Difference& x, const Difference& y) { return x.cell < y.cell; });
  return found;
}

void AttachDifferences(std::span<const Difference> differences, CheckReport& report) {
  for (const Difference& d : differences) {
    if (d.cell >= report.cells.size()) continue;
    AddFinding(report.cells[d.cell], {Rule::kDifferencing, Verdict::kReview, d.en, d.ko});
  }
  Summarize(report);
}

}  // namespace sz::disclosure
