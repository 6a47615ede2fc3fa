#include "zone/pseudo_metrics.h"

#include <algorithm>

#include "fmt/format.h"
#include "privacy/risk.h"
#include "pseudo/apply.h"

namespace sz::zone {

namespace {

// A column as the privacy engine sees it: NULL and '' are one missing value, which is a
// value of its own (privacy/dataset.h). Only text can hold ''.
std::string Normalized(const pseudo::Schema& schema, std::string_view column) {
  std::string q = duck::QuoteIdent(column);
  for (const auto& c : schema) {
    if (c.name == column && pseudo::ClassifyType(c.type) == pseudo::TypeClass::kText) {
      return fmt::format("NULLIF({}, '')", q);
    }
  }
  return q;
}

// Distinct values with the missing value counted once, like a flat hierarchy's.
std::string DistinctCount(const std::string& expr) {
  return fmt::format("(count(DISTINCT {0}) + max(CASE WHEN {0} IS NULL THEN 1 ELSE 0 END))", expr);
}

Result<int64_t> AsInt(const duck::Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (duck::IsNull(v)) return int64_t{0};
  return Internal("risk query returned a non-number");
}

}  // namespace

// Classes are grouped by DuckDB (a parallel hash aggregate over the native column types,
// cheaper than dictionary-encoding every raw value as text), and the figures come from
// the class-size histogram through privacy::RiskFromClassSizes, the engine's formulas.
Result<RelationMeasure> MeasureRelation(duck::Connection& conn, std::string_view relation,
                                        const std::vector<std::string>& quasi_identifiers,
                                        std::string_view sensitive, double risk_threshold) {
  SZ_ASSIGN_OR_RETURN(pseudo::Schema schema, pseudo::DescribeRelation(conn, relation));
  std::vector<std::string> qis;
  for (const auto& q : quasi_identifiers) qis.push_back(Normalized(schema, q));
  const std::string s = sensitive.empty() ? "" : Normalized(schema, sensitive);

  // The classes, their sizes and, with a sensitive column, their distinct sensitive
  // values: two hash aggregates, (class, value) cells first, then classes (cheaper in
  // DuckDB than a DISTINCT aggregate per class). With no quasi-identifier the relation is
  // one class.
  std::string class_sql;
  if (s.empty()) {
    class_sql = fmt::format("SELECT count(*) AS f, NULL AS l FROM {}{}", relation,
                          qis.empty() ? "" : fmt::format(" GROUP BY {}", fmt::join(qis, ", ")));
  } else {
    std::vector<std::string> cols;
    for (size_t i = 0; i < qis.size(); ++i) cols.push_back(fmt::format("{} AS q{}", qis[i], i));
    std::vector<std::string> names;
    for (size_t i = 0; i < qis.size(); ++i) names.push_back(fmt::format("q{}", i));
    cols.push_back(s + " AS s");
    class_sql = fmt::format(
        "SELECT sum(n) AS f, count(*) AS l FROM (SELECT {}, count(*) AS n FROM {} GROUP BY ALL){}",
        fmt::join(cols, ", "), relation, names.empty() ? "" : fmt::format(" GROUP BY {}", fmt::join(names, ", ")));
  }
  std::string sql = fmt::format(
      "WITH classes AS ({}) SELECT f, count(*), min(l) FROM classes WHERE f > 0 GROUP BY f ORDER BY f", class_sql);
  SZ_ASSIGN_OR_RETURN(auto result, conn.Query(sql));
  SZ_ASSIGN_OR_RETURN(auto rows, result.Rows());

  RelationMeasure m;
  std::vector<int64_t> sizes;
  std::optional<int64_t> fewest;
  for (const auto& row : rows) {
    SZ_ASSIGN_OR_RETURN(int64_t f, AsInt(row[0]));
    SZ_ASSIGN_OR_RETURN(int64_t count, AsInt(row[1]));
    sizes.insert(sizes.end(), static_cast<size_t>(count), f);
    if (!s.empty()) {
      SZ_ASSIGN_OR_RETURN(int64_t lmin, AsInt(row[2]));
      fewest = fewest ? std::min(*fewest, lmin) : lmin;
    }
  }
  privacy::RiskReport risk = privacy::RiskFromClassSizes(sizes, risk_threshold);
  m.rows = risk.records;

  if (!qis.empty()) {
    std::vector<std::string> counts;
    for (const auto& q : qis) counts.push_back(DistinctCount(q));
    SZ_ASSIGN_OR_RETURN(auto distinct, conn.Query(fmt::format("SELECT {} FROM {}", fmt::join(counts, ", "), relation)));
    SZ_ASSIGN_OR_RETURN(auto values, distinct.Rows());
    for (size_t i = 0; i < quasi_identifiers.size() && !values.empty(); ++i) {
      SZ_ASSIGN_OR_RETURN(int64_t n, AsInt(values[0][i]));
      m.distinct.emplace_back(quasi_identifiers[i], n);
    }
  }
  if (m.rows == 0) return m;
  m.classes = risk.classes;
  m.k = risk.class_sizes.front().size;
  m.prosecutor_max = risk.prosecutor_highest;
  m.prosecutor_avg = risk.prosecutor_average;
  m.records_above_threshold = risk.records_at_risk;
  m.sample_uniques = risk.sample_uniqueness;
  double dm = 0;
  for (const auto& c : risk.class_sizes) {
    dm += static_cast<double>(c.size) * static_cast<double>(c.size) * static_cast<double>(c.classes);
  }
  m.discernibility = dm;
  m.average_class_size = static_cast<double>(risk.records) / static_cast<double>(risk.classes);
  m.l_distinct = fewest;
  return m;
}

}  // namespace sz::zone
