#include "detect/relation.h"

#include <fmt/format.h>

#include <string>

namespace sz::detect {

namespace {

// The seed of the reservoir sample: fixed, so that re-profiling a relation proposes
// the same roles. (The sample only steers a proposal; nothing privacy-relevant hangs on
// its unpredictability.)
constexpr int kSampleSeed = 20240501;

// DuckDB's messages may quote data ("Could not convert string '900101-…'"): keep the
// message, drop what is quoted.
std::string RedactQuoted(std::string_view message) {
  std::string out;
  char open = 0;
  for (char c : message) {
    if (open) {
      if (c == open) {
        out += "…";
        out += c;
        open = 0;
      }
      continue;
    }
    if (c == '\'' || c == '"') open = c;
    if (c == '\n') break;
    out += c;
  }
  return out;
}

Status Redacted(const Status& s, std::string_view what) {
  return Status(s.code(), fmt::format("profiling: {}: {}", what, RedactQuoted(s.message())));
}

struct ColumnInfo {
  std::string name;
  std::string type;
};

Result<std::vector<ColumnInfo>> DescribeRelation(duck::Connection& conn,
                                                 std::string_view relation_sql) {
  auto described = conn.Query(fmt::format("DESCRIBE SELECT * FROM {}", relation_sql));
  if (!described.ok()) return Redacted(described.status(), "cannot describe the relation");
  SZ_ASSIGN_OR_RETURN(auto rows, described->Rows());
  std::vector<ColumnInfo> columns;
  for (const auto& row : rows) {
    if (row.size() < 2) return Internal("DESCRIBE returned fewer than two columns");
    columns.push_back({duck::ValueToString(row[0]), duck::ValueToString(row[1])});
  }
  return columns;
}

// Feeds one chunk's VARCHAR vectors to the profilers.
void AddChunk(duckdb_data_chunk chunk, std::vector<ColumnProfiler>& profilers) {
  idx_t rows = duckdb_data_chunk_get_size(chunk);
  for (size_t c = 0; c < profilers.size(); ++c) {
    duckdb_vector vec = duckdb_data_chunk_get_vector(chunk, c);
    auto* data = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vec));
    uint64_t* validity = duckdb_vector_get_validity(vec);
    for (idx_t r = 0; r < rows; ++r) {
      if (validity && !duckdb_validity_row_is_valid(validity, r)) {
        profilers[c].Add(std::nullopt);
        continue;
      }
      duckdb_string_t* s = &data[r];
      profilers[c].Add(std::string_view(duckdb_string_t_data(s), duckdb_string_t_length(*s)));
    }
  }
}

// "CAST(a AS VARCHAR), CAST(b AS VARCHAR), ...": every column read as text.
std::string CastAll(const std::vector<ColumnInfo>& columns) {
  std::string select;
  for (const auto& col : columns) {
    if (!select.empty()) select += ", ";
    select += fmt::format("CAST({} AS VARCHAR)", duck::QuoteIdent(col.name));
  }
  return select;
}

// Runs the sampling query and feeds every chunk to one profiler per column.
Result<std::vector<ColumnProfile>> ProfileSample(duck::Connection& conn,
                                                 const std::vector<ColumnInfo>& columns,
                                                 const std::string& sql, const ProfileOptions& options) {
  std::vector<ColumnProfiler> profilers;
  profilers.reserve(columns.size());
  for (const auto& col : columns) profilers.emplace_back(col.name, col.type, options);
  auto result = conn.Query(sql);
  if (!result.ok()) return Redacted(result.status(), "cannot sample the relation");

  while (true) {
    duckdb_data_chunk chunk = duckdb_fetch_chunk(*result->raw());
    if (!chunk) break;
    AddChunk(chunk, profilers);
    duckdb_destroy_data_chunk(&chunk);
  }
  std::vector<ColumnProfile> profiles;
  profiles.reserve(profilers.size());
  for (const auto& p : profilers) profiles.push_back(p.Finish());
  return profiles;
}

}  // namespace

Result<std::vector<ColumnProfile>> ProfileRelation(duck::Connection& conn,
                                                   std::string_view relation_sql,
                                                   size_t sample_rows,
                                                   const ProfileOptions& options) {
  if (sample_rows == 0) return InvalidArgument("profiling: sample_rows must be at least 1");
  SZ_ASSIGN_OR_RETURN(auto columns, DescribeRelation(conn, relation_sql));

  // The sample clause sits directly on the FROM item: wrapping the relation in a
  // subquery first costs DuckDB about twice the CPU for the same rows.
  std::string sql = fmt::format("SELECT {} FROM {} USING SAMPLE reservoir({} ROWS) REPEATABLE ({})",
                                CastAll(columns), relation_sql, sample_rows, kSampleSeed);
  return ProfileSample(conn, columns, sql, options);
}

Result<std::vector<ColumnProfile>> ProfileParquet(duck::Connection& conn, std::string_view path,
                                                  size_t sample_rows, const ProfileOptions& options) {
  if (sample_rows == 0) return InvalidArgument("profiling: sample_rows must be at least 1");
  std::string relation = fmt::format("read_parquet({})", duck::QuoteLiteral(path));
  SZ_ASSIGN_OR_RETURN(auto columns, DescribeRelation(conn, relation));
  auto count = conn.Scalar("SELECT count(*) FROM " + relation);  // from the file's metadata
  if (!count.ok()) return Redacted(count.status(), "cannot count the rows");
  const uint64_t total = static_cast<uint64_t>(std::get<int64_t>(*count));
  constexpr uint64_t kWindow = 2048;
  const uint64_t windows = std::max<uint64_t>(1, (sample_rows + kWindow - 1) / kWindow);
  const uint64_t stride = std::max<uint64_t>(kWindow, total / windows);
  std::string sql = fmt::format(
      "SELECT {} FROM read_parquet({}, file_row_number = true) WHERE file_row_number % {} < {}",
      CastAll(columns), duck::QuoteLiteral(path), stride, kWindow);
  return ProfileSample(conn, columns, sql, options);
}

}  // namespace sz::detect
