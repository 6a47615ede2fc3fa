#include "workspace/tabulate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>

#include "fmt/format.h"
#include "workspace/capped_persons.h"
#include "workspace/sql_text.h"

namespace sz::workspace {

namespace {

using disclosure::Category;
using disclosure::Cell;
using disclosure::Dimension;

constexpr size_t kMaxCells = 1'000'000;
constexpr std::string_view kNullLabel = "(NULL)";

struct AggregateRow {
  Aggregate aggregate;
  std::string_view name;
  disclosure::Statistic statistic;
  disclosure::OutputType type;
  std::string_view row_function;  // computed from the rows (vals); "" = from the evidence
};

constexpr AggregateRow kAggregates[] = {
    {Aggregate::kPersons, "persons", disclosure::Statistic::kCount,
     disclosure::OutputType::kFrequencyTable, ""},
    {Aggregate::kRows, "rows", disclosure::Statistic::kCount,
     disclosure::OutputType::kFrequencyTable, ""},
    {Aggregate::kSum, "sum", disclosure::Statistic::kSum, disclosure::OutputType::kMagnitudeTable,
     ""},
    {Aggregate::kMean, "mean", disclosure::Statistic::kMean,
     disclosure::OutputType::kMagnitudeTable, ""},
    {Aggregate::kMedian, "median", disclosure::Statistic::kMedian,
     disclosure::OutputType::kQuantiles, "median(m)"},
    {Aggregate::kQuantile, "quantile", disclosure::Statistic::kQuantile,
     disclosure::OutputType::kQuantiles, "quantile_cont(m, {q})"},
    {Aggregate::kMin, "min", disclosure::Statistic::kMin, disclosure::OutputType::kExtremes,
     "min(m)"},
    {Aggregate::kMax, "max", disclosure::Statistic::kMax, disclosure::OutputType::kExtremes,
     "max(m)"},
    {Aggregate::kMode, "mode", disclosure::Statistic::kMode, disclosure::OutputType::kExtremes,
     "mode(m)"},
    {Aggregate::kVariance, "variance", disclosure::Statistic::kVariance,
     disclosure::OutputType::kDispersion, "var_samp(m)"},
    {Aggregate::kStdDev, "stddev", disclosure::Statistic::kStdDev,
     disclosure::OutputType::kDispersion, "stddev_samp(m)"},
};

const AggregateRow& RowOf(Aggregate a) { return kAggregates[static_cast<int>(a)]; }

bool NeedsMeasure(Aggregate a) { return a != Aggregate::kPersons && a != Aggregate::kRows; }
bool Additive(Aggregate a) {
  return a == Aggregate::kPersons || a == Aggregate::kRows || a == Aggregate::kSum;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

Status ValidateAlias(std::string_view what, std::string_view alias) {
  static const std::regex kAlias("[a-z_][a-z0-9_]{0,62}");
  if (alias.empty() || std::regex_match(alias.begin(), alias.end(), kAlias)) return OkStatus();
  return InvalidArgument(
      fmt::format("{} alias '{}' must be lower-case letters, digits and '_'", what, alias));
}

const SandboxTable* ApprovedTable(const Sandbox& sandbox, std::string_view what,
                                  std::string_view name, Status& status) {
  const SandboxTable* t = sandbox.Table(name);
  if (t == nullptr) {
    status = InvalidArgument(
        fmt::format("{} '{}' is not an approved table of this project", what, name));
  }
  return t;
}

// Everything the compiler needs, validated once.
struct Plan {
  const TableSpec* spec = nullptr;
  std::vector<std::string> keys;               // k<dim>_<level>, dimension by dimension
  std::vector<std::vector<std::string>> sets;  // grouping sets (key names)
  std::string from_sql;                        // FROM ... JOIN ... WHERE ...
  std::vector<std::string> person_exprs;       // base first, then joins
  bool fast = false;                           // single table, one row per person
};

}  // namespace

Result<SourceClause> CompileSource(const Sandbox& sandbox, const TableSpec& spec) {
  SourceClause out;
  Status bad;
  const SandboxTable* base = ApprovedTable(sandbox, "source", spec.from, bad);
  SZ_RETURN_IF_ERROR(bad);
  SZ_RETURN_IF_ERROR(ValidateAlias("source", spec.alias));
  out.single_person_table = spec.joins.empty() && base->one_row_per_person;
  out.touched.push_back(base->label);
  std::string base_alias = spec.alias.empty() ? spec.from : spec.alias;
  out.from_sql = fmt::format("FROM memory.main.{} AS {}", duck::QuoteIdent(base->name),
                             duck::QuoteIdent(base_alias));
  out.person_exprs.push_back(fmt::format("{}.{}", duck::QuoteIdent(base_alias), kPersonColumn));
  for (size_t j = 0; j < spec.joins.size(); ++j) {
    const JoinSpec& join = spec.joins[j];
    const SandboxTable* t = ApprovedTable(sandbox, "joined table", join.table, bad);
    SZ_RETURN_IF_ERROR(bad);
    SZ_RETURN_IF_ERROR(ValidateAlias("join", join.alias));
    SZ_RETURN_IF_ERROR(CheckExpressionFragment(fmt::format("join condition {}", j + 1), join.on));
    std::string alias = join.alias.empty() ? join.table : join.alias;
    out.from_sql +=
        fmt::format(" {} memory.main.{} AS {} ON ({})", join.left ? "LEFT JOIN" : "JOIN",
                    duck::QuoteIdent(t->name), duck::QuoteIdent(alias), join.on);
    out.person_exprs.push_back(fmt::format("{}.{}", duck::QuoteIdent(alias), kPersonColumn));
    out.touched.push_back(t->label);
  }
  std::sort(out.touched.begin(), out.touched.end());
  out.touched.erase(std::unique(out.touched.begin(), out.touched.end()), out.touched.end());
  std::vector<std::string> conditions;
  for (size_t f = 0; f < spec.filters.size(); ++f) {
    const FilterSpec& filter = spec.filters[f];
    SZ_RETURN_IF_ERROR(CheckExpressionFragment(fmt::format("filter {}", f + 1), filter.expression));
    if (filter.values.empty())
      return InvalidArgument(fmt::format("filter {} lists no values", f + 1));
    std::string list;
    for (const std::string& v : filter.values)
      list += (list.empty() ? "" : ", ") + duck::QuoteLiteral(v);
    conditions.push_back(fmt::format("CAST(({}) AS VARCHAR) IN ({})", filter.expression, list));
  }
  if (!Trim(spec.where).empty()) {
    SZ_RETURN_IF_ERROR(CheckExpressionFragment("where", spec.where));
    conditions.push_back("(" + spec.where + ")");
  }
  if (!conditions.empty()) {
    std::string where;
    for (const std::string& c : conditions) where += (where.empty() ? "" : " AND ") + c;
    out.from_sql += " WHERE " + where;
  }
  return out;
}

namespace {

Result<Plan> MakePlan(const Sandbox& sandbox, const TableSpec& spec) {
  Plan plan;
  plan.spec = &spec;
  SZ_ASSIGN_OR_RETURN(SourceClause source, CompileSource(sandbox, spec));
  plan.from_sql = source.from_sql;
  plan.person_exprs = source.person_exprs;
  plan.fast = source.single_person_table;
  if (spec.dimensions.empty()) return InvalidArgument("a table needs at least one dimension");
  if (NeedsMeasure(spec.aggregate)) {
    if (Trim(spec.measure).empty()) {
      return InvalidArgument(
          fmt::format("a {} table needs a measure", AggregateName(spec.aggregate)));
    }
    SZ_RETURN_IF_ERROR(CheckExpressionFragment("measure", spec.measure));
  }
  if (spec.aggregate == Aggregate::kQuantile && !(spec.quantile > 0 && spec.quantile < 1)) {
    return InvalidArgument("quantile must be between 0 and 1 (exclusive)");
  }

  // Keys and grouping sets: every combination of hierarchy prefixes.
  std::vector<std::vector<std::vector<std::string>>> prefixes;  // [dim][choice] -> keys
  for (size_t d = 0; d < spec.dimensions.size(); ++d) {
    const DimensionSpec& dim = spec.dimensions[d];
    if (Trim(dim.name).empty())
      return InvalidArgument(fmt::format("dimension {} has no name", d + 1));
    if (dim.levels.empty())
      return InvalidArgument(fmt::format("dimension '{}' has no levels", dim.name));
    std::vector<std::vector<std::string>> choices;
    std::vector<std::string> prefix;
    if (dim.total) choices.push_back(prefix);
    for (size_t l = 0; l < dim.levels.size(); ++l) {
      SZ_RETURN_IF_ERROR(CheckExpressionFragment(
          fmt::format("dimension '{}' level {}", dim.name, l + 1), dim.levels[l]));
      std::string key = fmt::format("k{}_{}", d, l);
      plan.keys.push_back(key);
      prefix.push_back(key);
      choices.push_back(prefix);
    }
    prefixes.push_back(std::move(choices));
  }
  plan.sets.push_back({});
  for (const auto& choices : prefixes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& set : plan.sets) {
      for (const auto& choice : choices) {
        auto s = set;
        s.insert(s.end(), choice.begin(), choice.end());
        next.push_back(std::move(s));
      }
    }
    plan.sets = std::move(next);
  }
  return plan;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep,
                 std::string_view prefix = "") {
  std::string out;
  for (const std::string& i : items)
    out += (out.empty() ? "" : std::string(sep)) + std::string(prefix) + i;
  return out;
}

std::string GroupingSets(const Plan& plan, std::string_view extra) {
  std::vector<std::string> sets;
  for (const auto& set : plan.sets) {
    std::vector<std::string> cols = set;
    if (!extra.empty()) cols.emplace_back(extra);
    sets.push_back("(" + Join(cols, ", ") + ")");
  }
  return "GROUPING SETS (" + Join(sets, ", ") + ")";
}

std::string SourceCte(const Plan& plan) {
  const TableSpec& spec = *plan.spec;
  std::vector<std::string> cols;
  size_t k = 0;
  for (const DimensionSpec& dim : spec.dimensions) {
    for (const std::string& level : dim.levels)
      cols.push_back(fmt::format("({}) AS {}", level, plan.keys[k++]));
  }
  for (size_t p = 0; p < plan.person_exprs.size(); ++p)
    cols.push_back(fmt::format("{} AS p{}", plan.person_exprs[p], p));
  cols.push_back(NeedsMeasure(spec.aggregate)
                     ? fmt::format("CAST(({}) AS DOUBLE) AS m", spec.measure)
                     : "CAST(NULL AS DOUBLE) AS m");
  return fmt::format("src AS (SELECT {} {})", Join(cols, ", "), plan.from_sql);
}

std::string KeyMatch(const Plan& plan, std::string_view other) {
  std::string out = fmt::format("{0}.g = ev.g", other);
  for (const std::string& k : plan.keys)
    out += fmt::format(" AND {0}.{1} IS NOT DISTINCT FROM ev.{1}", other, k);
  return out;
}

}  // namespace

std::string_view AggregateName(Aggregate aggregate) { return RowOf(aggregate).name; }

Result<Aggregate> ParseAggregate(std::string_view name) {
  for (const AggregateRow& row : kAggregates)
    if (row.name == name) return row.aggregate;
  return InvalidArgument(fmt::format(
      "unknown statistic '{}'; use persons, rows, sum, mean, median, quantile, min, max, mode, "
      "variance or stddev",
      name.substr(0, 40)));
}

disclosure::OutputType OutputTypeFor(Aggregate aggregate) { return RowOf(aggregate).type; }
disclosure::Statistic StatisticFor(Aggregate aggregate) { return RowOf(aggregate).statistic; }

bool CapAllowed(Aggregate aggregate) {
  return aggregate != Aggregate::kPersons && aggregate != Aggregate::kSum &&
         aggregate != Aggregate::kMean;
}

namespace {

// The final SELECT over ev: g, labels, persons, value, total, top1, top2, neg, nulls, [n..].
std::string SelectCells(const Plan& plan, const std::string& value, const std::string& joins,
                        const std::vector<std::string>& extra_cols) {
  std::vector<std::string> labels;
  for (const std::string& k : plan.keys)
    labels.push_back(fmt::format("CAST(ev.{0} AS VARCHAR) AS {0}", k));
  std::string select = fmt::format(
      "SELECT ev.g, {}, ev.persons, {} AS value, ev.total, coalesce(ev.top[1], 0) AS top1, "
      "coalesce(ev.top[2], 0) AS top2, ev.neg, ev.nrows - ev.nval AS nulls{}",
      Join(labels, ", "), value, extra_cols.empty() ? "" : ", " + Join(extra_cols, ", "));
  return fmt::format("{} FROM ev{} ORDER BY {}", select, joins,
                     Join(plan.keys, " NULLS FIRST, ", "ev.") + " NULLS FIRST");
}

// Capped person counts: one GROUPING SETS aggregation over the rows computes the value
// (rows, or the statistic of the rows) and every table's capped distinct persons.
std::string CappedEvidenceQuery(const Plan& plan, int64_t cap) {
  const TableSpec& spec = *plan.spec;
  std::string keys = Join(plan.keys, ", ");
  std::vector<std::string> cols = {
      fmt::format("GROUPING({}) AS g", keys),
      keys,
      fmt::format("{}(p0, {}) AS persons", kCappedPersonsFunction, cap),
      "CAST(NULL AS DOUBLE) AS total",
      "CAST([] AS DOUBLE[]) AS top",
      "0 AS neg",
      "count(*) AS nrows",
      NeedsMeasure(spec.aggregate) ? "count(m) AS nval" : "0 AS nval"};
  std::string value = "CAST(ev.nrows AS DOUBLE)";
  if (std::string_view fn = RowOf(spec.aggregate).row_function; !fn.empty()) {
    cols.push_back(fmt::format("CAST({} AS DOUBLE) AS v",
                               fmt::format(fmt::runtime(fn), fmt::arg("q", spec.quantile))));
    value = "ev.v";
  }
  std::vector<std::string> extra_cols;
  for (size_t p = 1; p < plan.person_exprs.size(); ++p) {
    cols.push_back(fmt::format("{}(p{}, {}) AS n{}", kCappedPersonsFunction, p, cap, p));
    extra_cols.push_back(fmt::format("ev.n{}", p));
  }
  std::string ev = fmt::format("ev AS (SELECT {} FROM src GROUP BY {})", Join(cols, ", "),
                               GroupingSets(plan, ""));
  return fmt::format("WITH {}, {} {}", SourceCte(plan), ev,
                     SelectCells(plan, value, "", extra_cols));
}

struct Compiled {
  std::string sql;
  int64_t cap = 0;  // the person cap used; 0: exact
};

Result<Compiled> Compile(const Sandbox& sandbox, const TableSpec& spec,
                         const TabulateOptions& options) {
  if (options.person_cap < 0 || options.person_cap > kMaxPersonCap) {
    return InvalidArgument(
        fmt::format("the person cap must be between 0 (exact) and {}", kMaxPersonCap));
  }
  SZ_ASSIGN_OR_RETURN(Plan plan, MakePlan(sandbox, spec));
  // One row per person: exact counts cost nothing extra, so they are always exact.
  if (!plan.fast && CapAllowed(spec.aggregate) && options.person_cap > 0) {
    return Compiled{CappedEvidenceQuery(plan, options.person_cap), options.person_cap};
  }
  std::string keys = Join(plan.keys, ", ");
  std::string grouping = fmt::format("GROUPING({}) AS g", keys);
  std::vector<std::string> ctes = {SourceCte(plan)};
  if (plan.fast) {
    // One row per person: the row is the person's contribution, and each person is in
    // exactly one leaf cell, so every margin's evidence follows from the leaf cells' (sums,
    // and the top two of the leaves' top twos). One pass over the rows.
    std::string measures =
        NeedsMeasure(spec.aggregate)
            ? "sum(m) AS total, max(m, 2) AS top, count_if(m < 0) AS neg, "
              "count(*) AS nrows, count(m) AS nval"
            : "CAST(NULL AS DOUBLE) AS total, CAST([] AS DOUBLE[]) AS top, 0 AS neg, "
              "count(*) AS nrows, 0 AS nval";
    ctes.push_back(fmt::format(
        "leaf AS MATERIALIZED (SELECT {0}, count(*) AS persons, {1} FROM src GROUP BY {0})", keys,
        measures));
    ctes.push_back(fmt::format(
        "ev AS (SELECT {0}, {1}, sum(persons) AS persons, sum(total) AS total, "
        "list_reverse_sort(flatten(list(top)))[1:2] AS top, sum(neg) AS neg, sum(nrows) AS nrows, "
        "sum(nval) AS nval FROM leaf GROUP BY {2})",
        grouping, keys, GroupingSets(plan, "")));
  } else {
    // Several rows per person: per grouping set, one aggregation per (cell, person) for
    // the person's contribution, then one per cell. Separate GROUP BYs joined by UNION ALL
    // run faster in DuckDB than GROUPING SETS over (cell, person) keys.
    std::vector<std::string> branches;
    for (const auto& set : plan.sets) {
      uint64_t g = 0;
      std::vector<std::string> cols;
      for (size_t k = 0; k < plan.keys.size(); ++k) {
        bool in = std::find(set.begin(), set.end(), plan.keys[k]) != set.end();
        if (!in) g |= uint64_t{1} << (plan.keys.size() - 1 - k);
        cols.push_back(in ? plan.keys[k] : "NULL AS " + plan.keys[k]);
      }
      std::string set_keys = Join(set, ", ");
      std::string per = fmt::format(
          "(SELECT {}p0, sum(m) AS c, count(*) AS nrows, count(m) AS nval FROM src GROUP BY {}p0)",
          set.empty() ? "" : set_keys + ", ", set.empty() ? "" : set_keys + ", ");
      branches.push_back(
          fmt::format("SELECT {} AS g, {}, count(*) AS persons, sum(c) AS total, max(c, 2) AS top, "
                      "count_if(c < 0) "
                      "AS neg, sum(nrows) AS nrows, sum(nval) AS nval FROM {} per{}",
                      g, Join(cols, ", "), per, set.empty() ? "" : " GROUP BY " + set_keys));
    }
    // The full set first, so that the key columns take their types from it.
    std::reverse(branches.begin(), branches.end());
    ctes.push_back("ev AS (" + Join(branches, " UNION ALL ") + ")");
  }
  std::string joins;
  std::vector<std::string> extra_cols;
  std::string_view row_function = RowOf(spec.aggregate).row_function;
  std::string value;
  switch (spec.aggregate) {
    case Aggregate::kPersons:
      value = "CAST(ev.persons AS DOUBLE)";
      break;
    case Aggregate::kRows:
      value = "CAST(ev.nrows AS DOUBLE)";
      break;
    case Aggregate::kSum:
      value = "ev.total";
      break;
    case Aggregate::kMean:
      value = "ev.total / NULLIF(ev.nval, 0)";
      break;
    default: {
      std::string fn = fmt::format(fmt::runtime(row_function), fmt::arg("q", spec.quantile));
      ctes.push_back(
          fmt::format("vals AS (SELECT {0}, {1}, CAST({2} AS DOUBLE) AS v FROM src GROUP BY {3})",
                      grouping, keys, fn, GroupingSets(plan, "")));
      joins += " LEFT JOIN vals ON " + KeyMatch(plan, "vals");
      value = "vals.v";
    }
  }
  if (plan.person_exprs.size() > 1) {
    std::vector<std::string> counts;
    for (size_t p = 1; p < plan.person_exprs.size(); ++p)
      counts.push_back(fmt::format("count(DISTINCT p{0}) AS n{0}", p));
    ctes.push_back(fmt::format("jp AS (SELECT {0}, {1}, {2} FROM src GROUP BY {3})", grouping, keys,
                               Join(counts, ", "), GroupingSets(plan, "")));
    joins += " LEFT JOIN jp ON " + KeyMatch(plan, "jp");
    for (size_t p = 1; p < plan.person_exprs.size(); ++p)
      extra_cols.push_back(fmt::format("jp.n{}", p));
  }
  return Compiled{
      fmt::format("WITH {} {}", Join(ctes, ", "), SelectCells(plan, value, joins, extra_cols)), 0};
}

}  // namespace

Result<std::string> CompileEvidenceQuery(const Sandbox& sandbox, const TableSpec& spec,
                                         const TabulateOptions& options) {
  SZ_ASSIGN_OR_RETURN(Compiled c, Compile(sandbox, spec, options));
  return c.sql;
}

Result<std::string> CompilePlainQuery(const Sandbox& sandbox, const TableSpec& spec) {
  SZ_ASSIGN_OR_RETURN(Plan plan, MakePlan(sandbox, spec));
  std::string value;
  switch (spec.aggregate) {
    case Aggregate::kPersons:
    case Aggregate::kRows:
      value = "count(*)";
      break;
    case Aggregate::kSum:
      value = "sum(m)";
      break;
    case Aggregate::kMean:
      value = "avg(m)";
      break;
    default:
      value = fmt::format(fmt::runtime(RowOf(spec.aggregate).row_function),
                          fmt::arg("q", spec.quantile));
  }
  std::string keys = Join(plan.keys, ", ");
  return fmt::format("WITH {} SELECT GROUPING({}) AS g, {}, {} AS value FROM src GROUP BY {}",
                     SourceCte(plan), keys, keys, value, GroupingSets(plan, ""));
}

namespace {

double AsDouble(const duck::Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return 0;
}
int64_t AsInt(const duck::Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(std::llround(*d));
  return 0;
}

// Category trees built from the result rows; a category is identified by its path of
// labels from the first level.
class Categories {
 public:
  explicit Categories(const std::vector<DimensionSpec>& dims) : dims_(dims), index_(dims.size()) {
    for (const DimensionSpec& d : dims) {
      Dimension dim;
      dim.name = d.name;
      for (const std::string& level : d.levels)
        dim.variable += (dim.variable.empty() ? "" : " > ") + Trim(level);
      if (d.total) dim.categories.push_back({d.total_label, -1, {}});
      out_.push_back(std::move(dim));
    }
  }

  // The category of `path` (empty = the total) in dimension `d`, created with its parents.
  int32_t Get(size_t d, const std::vector<std::string>& path) {
    if (path.empty()) return 0;  // the total (the caller guarantees the dimension has one)
    auto it = index_[d].find(path);
    if (it != index_[d].end()) return it->second;
    std::vector<std::string> parent_path(path.begin(), path.end() - 1);
    int32_t parent = parent_path.empty() ? (dims_[d].total ? 0 : -1) : Get(d, parent_path);
    Category c;
    c.label = path.back();
    c.parent = parent;
    if (path.size() == dims_[d].levels.size()) {
      std::string code;
      for (const std::string& p : path) code += (code.empty() ? "" : "/") + p;
      c.codes = {code};
    }
    auto& cats = out_[d].categories;
    cats.push_back(std::move(c));
    int32_t id = static_cast<int32_t>(cats.size() - 1);
    index_[d][path] = id;
    return id;
  }

  std::vector<Dimension> Take() { return std::move(out_); }
  const std::vector<Dimension>& dimensions() const { return out_; }

 private:
  const std::vector<DimensionSpec>& dims_;
  std::vector<Dimension> out_;
  std::vector<std::map<std::vector<std::string>, int32_t>> index_;
};

// [dim][category]: the category has children (cells with it are margins).
std::vector<std::vector<bool>> InnerFlags(const std::vector<Dimension>& dims) {
  std::vector<std::vector<bool>> inner;
  for (const Dimension& d : dims) {
    std::vector<bool> flags(d.categories.size(), false);
    for (const Category& c : d.categories)
      if (c.parent >= 0) flags[c.parent] = true;
    inner.push_back(std::move(flags));
  }
  return inner;
}

// Adds zero cells for every combination of categories the query did not return.
Status Complete(disclosure::Table& table) {
  size_t total = 1;
  for (const Dimension& d : table.dimensions) {
    total *= d.categories.size();
    if (total > kMaxCells) {
      return InvalidArgument(
          fmt::format("the table would have more than {} cells; use fewer categories", kMaxCells));
    }
  }
  std::map<std::vector<int32_t>, size_t> present;
  for (size_t i = 0; i < table.cells.size(); ++i) present[table.cells[i].categories] = i;
  std::vector<std::vector<bool>> inner = InnerFlags(table.dimensions);
  std::vector<Cell> cells;
  cells.reserve(total);
  std::vector<int32_t> combo(table.dimensions.size(), 0);
  for (size_t n = 0; n < total; ++n) {
    auto it = present.find(combo);
    if (it != present.end()) {
      cells.push_back(std::move(table.cells[it->second]));
    } else {
      Cell cell;
      cell.categories = combo;
      for (size_t d = 0; d < combo.size(); ++d) cell.margin = cell.margin || inner[d][combo[d]];
      cells.push_back(std::move(cell));
    }
    for (size_t d = combo.size(); d-- > 0;) {
      if (++combo[d] < static_cast<int32_t>(table.dimensions[d].categories.size())) break;
      combo[d] = 0;
    }
  }
  table.cells = std::move(cells);
  return OkStatus();
}

}  // namespace

Result<Tabulation> Tabulate(Sandbox& sandbox, const TableSpec& spec,
                            const std::atomic<bool>* cancel, const TabulateOptions& options) {
  SZ_ASSIGN_OR_RETURN(Compiled compiled, Compile(sandbox, spec, options));
  const std::string& sql = compiled.sql;
  SZ_ASSIGN_OR_RETURN(duck::QueryResult result, sandbox.RunComposed(sql, cancel));
  SZ_ASSIGN_OR_RETURN(auto rows, result.Rows());

  Tabulation out;
  out.type = OutputTypeFor(spec.aggregate);
  out.sql = sql;
  SZ_ASSIGN_OR_RETURN(SourceClause source, CompileSource(sandbox, spec));
  out.touched = source.touched;

  disclosure::Table& table = out.table;
  table.statistic = StatisticFor(spec.aggregate);
  table.measure = NeedsMeasure(spec.aggregate) ? Trim(spec.measure)
                                               : std::string(AggregateName(spec.aggregate));
  for (const FilterSpec& f : spec.filters) table.filters.push_back({Trim(f.expression), f.values});
  for (const JoinSpec& j : spec.joins) {
    if (!j.left)
      table.filters.push_back({fmt::format("join {} on {}", j.table, Trim(j.on)), {"true"}});
  }
  if (!Trim(spec.where).empty()) table.filters.push_back({"where " + Trim(spec.where), {"true"}});

  Categories categories(spec.dimensions);
  size_t nkeys = 0;
  for (const DimensionSpec& d : spec.dimensions) nkeys += d.levels.size();
  size_t joined = spec.joins.size();
  for (const auto& row : rows) {
    // Columns: g, keys..., persons, value, total, top1, top2, neg, nulls, [n1..].
    uint64_t g = static_cast<uint64_t>(AsInt(row[0]));
    Cell cell;
    size_t k = 0;
    for (size_t d = 0; d < spec.dimensions.size(); ++d) {
      std::vector<std::string> path;
      for (size_t l = 0; l < spec.dimensions[d].levels.size(); ++l, ++k) {
        bool grouped_out = (g >> (nkeys - 1 - k)) & 1u;
        if (grouped_out) continue;
        const duck::Value& label = row[1 + k];
        path.push_back(duck::IsNull(label) ? std::string(kNullLabel) : duck::ValueToString(label));
      }
      cell.categories.push_back(categories.Get(d, path));
    }
    size_t c = 1 + nkeys;
    int64_t persons = AsInt(row[c]);
    for (size_t j = 0; j < joined; ++j) {
      int64_t n = AsInt(row[c + 7 + j]);
      if (n > 0) persons = std::min(persons, n);  // tables with no rows in the cell do not count
    }
    cell.evidence.persons = persons;
    // Capped counts are exact below the cap; the cap itself means "the cap or more".
    cell.evidence.persons_capped = compiled.cap > 0 && persons >= compiled.cap;
    cell.evidence.value_null = duck::IsNull(row[c + 1]);
    cell.value = AsDouble(row[c + 1]);
    cell.evidence.sum = AsDouble(row[c + 2]);
    cell.evidence.top1 = AsDouble(row[c + 3]);
    cell.evidence.top2 = AsDouble(row[c + 4]);
    cell.evidence.negative_contributions = AsInt(row[c + 5]);
    cell.evidence.null_contributions = NeedsMeasure(spec.aggregate) ? AsInt(row[c + 6]) : 0;
    table.cells.push_back(std::move(cell));
  }
  table.dimensions = categories.Take();
  std::vector<std::vector<bool>> inner = InnerFlags(table.dimensions);
  for (Cell& cell : table.cells) {
    for (size_t d = 0; d < cell.categories.size(); ++d)
      cell.margin = cell.margin || inner[d][cell.categories[d]];
  }
  if (table.cells.size() > kMaxCells) {
    return InvalidArgument(
        fmt::format("the table has more than {} cells; use fewer categories", kMaxCells));
  }
  if (Additive(spec.aggregate)) SZ_RETURN_IF_ERROR(Complete(table));
  std::sort(table.cells.begin(), table.cells.end(),
            [](const Cell& a, const Cell& b) { return a.categories < b.categories; });
  return out;
}

}  // namespace sz::workspace
