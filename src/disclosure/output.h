// Outputs that ask to leave the safe zone, and the evidence the checks need.
//
// An Output is typed (frequency table, magnitude table, quantiles, min/max/mode,
// variance/std-dev, regression, free text/code/file). Tables are cells: one category per
// dimension, a published value, and evidence the workspace computes in the same pass as
// the query (distinct persons, sum, the two largest per-person contributions, negative and
// NULL counts). Margins (totals, subtotals) are ordinary cells whose category in at least
// one dimension has children; they are checked like any other cell.
//
// Dimensions are category trees: a category's `parent` is the category it adds up into
// (-1 for a root). A flat dimension with a total is a root ("합계") with leaves; a
// hierarchical one is e.g. 전국 > 시도 > 시군구 > 읍면동. A category's value in a cell equals
// the sum of its children's values (for count and sum tables), which is what secondary
// suppression and the interval audit rely on.
//
// Invariants (checked by TableIndex::Build, see table_index.h): every cell names one valid
// category per dimension, no two cells name the same categories, parents come before
// their children, and `margin` is true exactly when some category of the cell has children.
//
// Thread-safety: plain values; share read-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sz::disclosure {

enum class OutputType {
  kFrequencyTable,  // counts: cross tables, histograms, chart data
  kMagnitudeTable,  // sums and means of a measure
  kQuantiles,       // medians and other quantiles per group
  kExtremes,        // min, max, mode per group
  kDispersion,      // variance, standard deviation per group
  kRegression,      // model coefficients with N, parameters, residual df
  kFreeform,        // free text, code, or an opaque file
};
std::string_view OutputTypeName(OutputType type);  // "frequency_table", ...

// The statistic a table's cells show.
enum class Statistic { kCount, kSum, kMean, kMedian, kQuantile, kMin, kMax, kMode, kVariance, kStdDev };
std::string_view StatisticName(Statistic statistic);  // "count", "sum", ...

struct Category {
  std::string label;               // shown to people: "부산", "2024", "합계"
  int32_t parent = -1;             // index of the category this one adds up into; -1: root
  // Base codes of `Dimension::variable` this category covers, for differencing.
  // Empty: a leaf covers {label}, an inner category the union of its children, a root
  // everything.
  std::vector<std::string> codes;
};

struct Dimension {
  std::string name;      // "시도", "year"
  std::string variable;  // base variable the categories group (differencing); empty: name
  std::vector<Category> categories;
};

// A restriction of the table's population: `variable` takes one of `codes`.
struct Filter {
  std::string variable;
  std::vector<std::string> codes;
};

// Per-cell evidence. Contributions are summed per person before top1/top2 are taken.
struct CellEvidence {
  int64_t persons = 0;                 // unweighted count of distinct persons
  double sum = 0;                      // sum of the measure (magnitude tables)
  double top1 = 0;                     // largest per-person contribution
  double top2 = 0;                     // second largest per-person contribution
  int64_t negative_contributions = 0;  // persons whose contribution is negative
  int64_t null_contributions = 0;      // rows whose measure was NULL
  bool value_null = false;             // the cell's published value is NULL
  // Persons were counted only up to a cap (workspace/capped_persons.h): `persons` is the
  // cap and means "at least this many". Counts below a cap are exact.
  bool persons_capped = false;
};

struct Cell {
  std::vector<int32_t> categories;  // one index per dimension
  double value = 0;                 // the published value
  CellEvidence evidence;
  bool margin = false;              // a total or subtotal (see invariants above)
};

struct Table {
  Statistic statistic = Statistic::kCount;
  std::string measure;  // what is counted or summed: "persons", "card_spend_krw"
  std::vector<Dimension> dimensions;
  std::vector<Filter> filters;
  std::vector<Cell> cells;
};

struct RegressionEvidence {
  std::string model;          // "ols", "logit", ...
  int64_t observations = 0;   // N; 0 means "not reported"
  int64_t parameters = 0;     // estimated parameters, intercept included
  int64_t residual_df = 0;    // residual degrees of freedom
};

struct FileEvidence {
  std::string name;              // file name as it would be released ("model.py")
  uint64_t size_bytes = 0;
  std::optional<int64_t> rows;   // data rows, when the file is tabular
};

struct Output {
  std::string uid;      // "output_0"
  OutputType type = OutputType::kFrequencyTable;
  std::string command;  // what produced it (the SQL or call), for the reviewer
  // Table for the five table types, RegressionEvidence or FileEvidence otherwise.
  std::variant<Table, RegressionEvidence, FileEvidence> body;
  std::string exception_request;   // the analyst's reason why a failing output should go
  bool exception_granted = false;  // set by a reviewer; turns min/max/mode fail into review
  std::vector<std::string> comments;
};

// True for the five table types.
bool IsTableType(OutputType type);

}  // namespace sz::disclosure
