// Tabulation: a structured table definition compiled into one DuckDB query that returns
// the table and its disclosure evidence together.
//
// Why structured, not the analyst's own GROUP BY: the evidence must count persons, and a
// person is only known through the approved tables' person keys (sandbox.h). The
// definition names the source (an approved table, optionally joined to others), filters,
// dimensions (each a list of expressions, coarse to fine, for hierarchies such as
// 시도 > 시군구) and the statistic. Because the workspace writes the FROM clause itself
// (fully qualified approved tables, never a temporary object an analyst could have
// shaped), the person key cannot be forged or lost by the analyst's SQL; the expressions
// may be any SQL over the source's columns (each is checked to be one self-contained
// expression, and the query runs in the locked-down sandbox anyway).
//
// The compiled query, one statement:
//   src   rows of the source: level keys, person keys of every table, the measure;
//   leaf  per (leaf cell, person): contribution c = sum of the measure, rows, non-NULL;
//   per   per (cell, person) for every cell incl. margins: GROUPING SETS over leaf, one
//         set per combination of hierarchy levels (totals = the empty prefix);
//   ev    per cell: persons = count(*), total = sum(c), top1/top2 = max(c, 2),
//         negatives = count of c < 0, NULL measures = sum(rows - non-NULL);
//   [vals per cell from the rows, for medians, quantiles, min/max/mode, variance: same
//         GROUPING SETS over src;]
//   [jp   per cell distinct person keys of each joined table, the same way.]
// Contributions are summed per person before top1/top2 are taken (Hundepool et al.,
// Statistical Disclosure Control, 2012, 4.2: dominance is about respondents, not
// records). A cell's persons are its distinct base-table person keys; with joins, the
// smallest of the distinct person counts of the tables that contribute rows to the cell
// (conservative: every contributing population must meet the threshold). A person with
// rows in two joined tables counts once.
//
// Fast path: when the source is a single table with one row per person, the per-person
// level is the row itself, so ev is computed directly from src in one aggregation.
//
// Capped person counts (TabulateOptions::person_cap = N): for tables whose published value
// is not the person count and whose rules need no per-person contributions — counts of
// rows, medians/quantiles, min/max/mode, variance/standard deviation — the rules only ask
// "at least N persons?". ev is then one GROUPING SETS aggregation straight over src with
// sz_capped_persons(p, N) (capped_persons.h): exact below N, "N or more" above
// (CellEvidence::persons_capped), O(N) state per cell, no (cell, person) aggregation.
// Tables of persons (the count is the published value), sums and means (p% and (n,k)
// rules need per-person contributions) are always exact.
//
// Count and sum tables are completed with zero cells for category combinations that have
// no rows (published as 0, checked by the zeros rule, structural zeros for suppression).
//
// Thread-safety: uses the sandbox's connection; one thread.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "common/status.h"
#include "disclosure/output.h"
#include "workspace/sandbox.h"

namespace sz::workspace {

enum class Aggregate {
  kPersons,  // distinct persons (frequency table)
  kRows,     // rows (frequency table; evidence still counts persons)
  kSum,
  kMean,
  kMedian,
  kQuantile,  // TableSpec::quantile
  kMin,
  kMax,
  kMode,
  kVariance,  // sample variance
  kStdDev,    // sample standard deviation
};
std::string_view AggregateName(Aggregate aggregate);  // "persons", "sum", ...
Result<Aggregate> ParseAggregate(std::string_view name);

struct DimensionSpec {
  std::string name;                 // shown: "시도"
  std::vector<std::string> levels;  // expressions, coarse to fine (one for a flat dimension)
  bool total = true;                // a total category above the first level (a margin)
  std::string total_label = "합계";
};

struct JoinSpec {
  std::string table;  // an approved table
  std::string alias;  // "" = the table name
  std::string on;     // join condition (expression)
  bool left = false;  // LEFT JOIN instead of JOIN
};

// `expression` (cast to text) takes one of `values`.
struct FilterSpec {
  std::string expression;
  std::vector<std::string> values;
};

struct TableSpec {
  std::string from;   // an approved table
  std::string alias;  // "" = the table name
  std::vector<JoinSpec> joins;
  std::vector<FilterSpec> filters;
  std::string where;                      // optional free condition
  std::vector<DimensionSpec> dimensions;  // at least one
  Aggregate aggregate = Aggregate::kPersons;
  std::string measure;    // expression; required unless kPersons or kRows
  double quantile = 0.5;  // kQuantile: in (0, 1)
};

struct Tabulation {
  disclosure::OutputType type = disclosure::OutputType::kFrequencyTable;
  disclosure::Table table;
  std::string sql;                   // the compiled query
  std::vector<std::string> touched;  // labels of the approved tables read
};

// The validated source of `spec` (its dimensions and statistic are not looked at):
// "FROM <approved table> AS a [JOIN ...] [WHERE ...]" and the person key of each table.
struct SourceClause {
  std::string from_sql;
  std::vector<std::string> person_exprs;  // base table first, then each join
  std::vector<std::string> touched;       // labels of the approved tables, sorted
  bool single_person_table = false;       // no joins, and one row per person
};
Result<SourceClause> CompileSource(const Sandbox& sandbox, const TableSpec& spec);

// How person counts are computed.
struct TabulateOptions {
  // 0: exact for every cell (Default). N in 1..kMaxPersonCap: counted up to N where the
  // statistic allows it (see above); cells with N or more persons carry persons = N and
  // persons_capped. REQUIRES: 0 <= person_cap <= kMaxPersonCap.
  int64_t person_cap = 0;
};
// Whether a table of `aggregate` may use capped person counts.
bool CapAllowed(Aggregate aggregate);

// Validates `spec` against the sandbox's tables (InvalidArgument naming the field) and
// returns the compiled evidence query.
Result<std::string> CompileEvidenceQuery(const Sandbox& sandbox, const TableSpec& spec,
                                         const TabulateOptions& options = {});
// The same table without any evidence (the plain GROUP BY with margins): the
// benchmark's baseline.
Result<std::string> CompilePlainQuery(const Sandbox& sandbox, const TableSpec& spec);

// Runs the evidence query under the sandbox's limits and builds the table.
Result<Tabulation> Tabulate(Sandbox& sandbox, const TableSpec& spec,
                            const std::atomic<bool>* cancel = nullptr,
                            const TabulateOptions& options = {});

// The output type a table of `aggregate` is checked as.
disclosure::OutputType OutputTypeFor(Aggregate aggregate);
disclosure::Statistic StatisticFor(Aggregate aggregate);

}  // namespace sz::workspace
