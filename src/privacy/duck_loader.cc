#include "privacy/duck_loader.h"

#include <charconv>

#include "fmt/format.h"

namespace sz::privacy {
namespace {

// RAII owners for the C handles used only here (storage/duck.h wraps the common ones).
struct PreparedHandle {
  duckdb_prepared_statement p = nullptr;
  ~PreparedHandle() {
    if (p) duckdb_destroy_prepare(&p);
  }
};
struct PendingHandle {
  duckdb_pending_result p = nullptr;
  ~PendingHandle() {
    if (p) duckdb_destroy_pending(&p);
  }
};
struct ChunkHandle {
  duckdb_data_chunk c = nullptr;
  ~ChunkHandle() {
    if (c) duckdb_destroy_data_chunk(&c);
  }
};

}  // namespace

Result<std::vector<EncodedColumn>> LoadColumns(duck::Connection& conn, std::string_view select_sql,
                                               const std::vector<std::string>& columns) {
  if (columns.empty()) return InvalidArgument("no columns to load; name at least one");
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) sql += ", ";
    sql += fmt::format("CAST({} AS VARCHAR)", duck::QuoteIdent(columns[i]));
  }
  sql += fmt::format(" FROM ({}) AS sz_source", select_sql);

  PreparedHandle prepared;
  if (duckdb_prepare(conn.raw(), sql.c_str(), &prepared.p) != DuckDBSuccess) {
    const char* err = duckdb_prepare_error(prepared.p);
    return InvalidArgument(
        fmt::format("cannot read the dataset: {}", err ? err : "prepare failed"));
  }
  PendingHandle pending;
  if (duckdb_pending_prepared_streaming(prepared.p, &pending.p) != DuckDBSuccess) {
    const char* err = duckdb_pending_error(pending.p);
    return InvalidArgument(fmt::format("cannot read the dataset: {}", err ? err : "query failed"));
  }
  duck::QueryResult result;
  {
    duckdb_result raw;
    duckdb_state state = duckdb_execute_pending(pending.p, &raw);
    result = duck::QueryResult(raw);  // destroys the result on every path
    if (state != DuckDBSuccess) return duck::ErrorFromResult(result.raw());
  }
  std::vector<EncodedColumn> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.emplace_back(c);
  while (true) {
    ChunkHandle chunk{duckdb_fetch_chunk(*result.raw())};
    if (!chunk.c) break;
    const idx_t n = duckdb_data_chunk_get_size(chunk.c);
    if (n == 0) break;
    for (size_t c = 0; c < columns.size(); ++c) {
      duckdb_vector vec = duckdb_data_chunk_get_vector(chunk.c, c);
      auto* data = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vec));
      uint64_t* validity = duckdb_vector_get_validity(vec);
      EncodedColumn& column = out[c];
      for (idx_t r = 0; r < n; ++r) {
        if (validity && !duckdb_validity_row_is_valid(validity, r)) {
          column.Append(std::nullopt);
          continue;
        }
        duckdb_string_t* s = data + r;
        column.Append(std::string_view(duckdb_string_t_data(s), duckdb_string_t_length(*s)));
      }
    }
  }
  // A streaming result reports a late failure (e.g. a cast error) only here.
  const char* err = duckdb_result_error(result.raw());
  if (err) return duck::ErrorFromResult(result.raw());
  return out;
}

Result<Dataset> LoadDatasetFromQuery(duck::Connection& conn, std::string_view select_sql,
                                     const LoadSpec& spec) {
  std::vector<std::string> names;
  for (const auto& q : spec.quasi_identifiers) names.push_back(q.column);
  if (spec.sensitive) names.push_back(*spec.sensitive);
  SZ_ASSIGN_OR_RETURN(auto columns, LoadColumns(conn, select_sql, names));
  std::vector<QuasiIdentifier> qis;
  for (size_t i = 0; i < spec.quasi_identifiers.size(); ++i) {
    const auto& q = spec.quasi_identifiers[i];
    auto bound = q.hierarchy ? QuasiIdentifier::Bind(columns[i], *q.hierarchy)
                             : QuasiIdentifier::BindFlat(columns[i]);
    if (!bound.ok()) return bound.status();
    qis.push_back(std::move(bound).value());
    columns[i] = EncodedColumn();  // free the codes early
  }
  std::optional<SensitiveAttribute> sensitive;
  if (spec.sensitive) {
    SZ_ASSIGN_OR_RETURN(auto s, SensitiveAttribute::Bind(columns.back(), spec.sensitive_order));
    sensitive = std::move(s);
  }
  return Dataset::Make(std::move(qis), std::move(sensitive));
}

Result<PopulationTable> LoadPopulation(duck::Connection& conn, std::string_view select_sql,
                                       const Dataset& sample, const std::string& count_column) {
  std::vector<std::string> names;
  for (int q = 0; q < sample.qi_count(); ++q) names.push_back(sample.qi(q).name());
  names.push_back(count_column);
  SZ_ASSIGN_OR_RETURN(auto columns, LoadColumns(conn, select_sql, names));
  const EncodedColumn& count_text = columns.back();
  std::vector<int64_t> value_of_code(count_text.distinct());
  for (int32_t c = 0; c < count_text.distinct(); ++c) {
    const std::string& t = count_text.Label(c);
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value_of_code[c]);
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || value_of_code[c] < 0) {
      return InvalidArgument(fmt::format(
          "population column '{}' must hold whole numbers >= 0 (people per row) in every row",
          count_column));
    }
  }
  std::vector<int64_t> counts;
  counts.reserve(static_cast<size_t>(count_text.size()));
  for (int32_t c : count_text.codes()) counts.push_back(value_of_code[c]);
  std::vector<QuasiIdentifier> qis;
  for (int q = 0; q < sample.qi_count(); ++q) {
    auto bound = QuasiIdentifier::Bind(columns[q], sample.qi(q).hierarchy());
    if (!bound.ok()) return bound.status().WithContext("population");
    qis.push_back(std::move(bound).value());
  }
  SZ_ASSIGN_OR_RETURN(Dataset population, Dataset::Make(std::move(qis)));
  return PopulationTable::Make(std::move(population), std::move(counts));
}

Result<Dataset> LoadDataset(duck::Connection& conn, std::string_view table, const LoadSpec& spec) {
  return LoadDatasetFromQuery(conn, fmt::format("SELECT * FROM {}", duck::QuoteIdent(table)), spec);
}

}  // namespace sz::privacy
