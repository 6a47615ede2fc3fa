#include "storage/duck.h"

#include <cmath>
#include <thread>

#include "fmt/format.h"

namespace sz::duck {

namespace {

Status ErrorFromType(duckdb_error_type type, std::string message) {
  switch (type) {
    case DUCKDB_ERROR_INTERRUPT: return Cancelled("query interrupted");
    case DUCKDB_ERROR_OUT_OF_MEMORY: return ResourceExhausted(std::move(message));
    case DUCKDB_ERROR_PERMISSION: return PermissionDenied(std::move(message));
    case DUCKDB_ERROR_IO: return Unavailable(std::move(message));
    case DUCKDB_ERROR_CATALOG:
    case DUCKDB_ERROR_PARSER:
    case DUCKDB_ERROR_SYNTAX:
    case DUCKDB_ERROR_BINDER:
    case DUCKDB_ERROR_CONVERSION:
    case DUCKDB_ERROR_INVALID_INPUT:
    case DUCKDB_ERROR_OUT_OF_RANGE:
    case DUCKDB_ERROR_MISMATCH_TYPE:
    case DUCKDB_ERROR_DIVIDE_BY_ZERO:
    case DUCKDB_ERROR_CONSTRAINT:
    case DUCKDB_ERROR_PARAMETER_NOT_RESOLVED:
    case DUCKDB_ERROR_PARAMETER_NOT_ALLOWED:
    case DUCKDB_ERROR_SETTINGS:
    case DUCKDB_ERROR_MISSING_EXTENSION:
    case DUCKDB_ERROR_AUTOLOAD:
    case DUCKDB_ERROR_NOT_IMPLEMENTED:
    case DUCKDB_ERROR_DECIMAL:
      return InvalidArgument(std::move(message));
    default: return Internal(std::move(message));
  }
}

bool ValidAt(uint64_t* validity, idx_t row) {
  return validity == nullptr || duckdb_validity_row_is_valid(validity, row);
}

std::string DateText(duckdb_date d) {
  duckdb_date_struct s = duckdb_from_date(d);
  return fmt::format("{:04}-{:02}-{:02}", s.year, s.month, s.day);
}

std::string TimestampText(duckdb_timestamp ts) {
  duckdb_timestamp_struct s = duckdb_from_timestamp(ts);
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", s.date.year, s.date.month,
                                s.date.day, s.time.hour, s.time.min, s.time.sec);
  if (s.time.micros) out += fmt::format(".{:06}", s.time.micros);
  return out;
}

struct LogicalType {
  duckdb_logical_type t;
  ~LogicalType() { duckdb_destroy_logical_type(&t); }
};

// Reads one cell of `vec` (of logical type `lt`) as a Value.
Result<Value> CellValue(duckdb_vector vec, duckdb_logical_type lt, idx_t row) {
  if (!ValidAt(duckdb_vector_get_validity(vec), row)) return Value{};
  void* data = duckdb_vector_get_data(vec);
  duckdb_type id = duckdb_get_type_id(lt);
  switch (id) {
    case DUCKDB_TYPE_BOOLEAN: return Value{static_cast<bool*>(data)[row]};
    case DUCKDB_TYPE_TINYINT: return Value{int64_t{static_cast<int8_t*>(data)[row]}};
    case DUCKDB_TYPE_SMALLINT: return Value{int64_t{static_cast<int16_t*>(data)[row]}};
    case DUCKDB_TYPE_INTEGER: return Value{int64_t{static_cast<int32_t*>(data)[row]}};
    case DUCKDB_TYPE_BIGINT: return Value{static_cast<int64_t*>(data)[row]};
    case DUCKDB_TYPE_UTINYINT: return Value{int64_t{static_cast<uint8_t*>(data)[row]}};
    case DUCKDB_TYPE_USMALLINT: return Value{int64_t{static_cast<uint16_t*>(data)[row]}};
    case DUCKDB_TYPE_UINTEGER: return Value{int64_t{static_cast<uint32_t*>(data)[row]}};
    case DUCKDB_TYPE_UBIGINT: {
      uint64_t v = static_cast<uint64_t*>(data)[row];
      if (v > static_cast<uint64_t>(INT64_MAX)) return Value{static_cast<double>(v)};
      return Value{static_cast<int64_t>(v)};
    }
    case DUCKDB_TYPE_FLOAT: return Value{double{static_cast<float*>(data)[row]}};
    case DUCKDB_TYPE_DOUBLE: return Value{static_cast<double*>(data)[row]};
    case DUCKDB_TYPE_HUGEINT: return Value{duckdb_hugeint_to_double(static_cast<duckdb_hugeint*>(data)[row])};
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB: {
      auto* s = static_cast<duckdb_string_t*>(data) + row;
      return Value{std::string(duckdb_string_t_data(s), duckdb_string_t_length(*s))};
    }
    case DUCKDB_TYPE_DATE: return Value{DateText(static_cast<duckdb_date*>(data)[row])};
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return Value{TimestampText(static_cast<duckdb_timestamp*>(data)[row])};
    case DUCKDB_TYPE_DECIMAL: {
      double scale = std::pow(10.0, duckdb_decimal_scale(lt));
      switch (duckdb_decimal_internal_type(lt)) {
        case DUCKDB_TYPE_SMALLINT: return Value{static_cast<int16_t*>(data)[row] / scale};
        case DUCKDB_TYPE_INTEGER: return Value{static_cast<int32_t*>(data)[row] / scale};
        case DUCKDB_TYPE_BIGINT: return Value{static_cast<double>(static_cast<int64_t*>(data)[row]) / scale};
        default:
          return Value{duckdb_hugeint_to_double(static_cast<duckdb_hugeint*>(data)[row]) / scale};
      }
    }
    default:
      return InvalidArgument(fmt::format(
          "result column has a type this client cannot read (type id {}); cast it to VARCHAR",
          static_cast<int>(id)));
  }
}

}  // namespace

Status ErrorFromResult(duckdb_result* result) {
  const char* msg = duckdb_result_error(result);
  return ErrorFromType(duckdb_result_error_type(result), msg ? msg : "unknown DuckDB error");
}

std::string ValueToString(const Value& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return fmt::format("{}", d); }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, v);
}

bool IsNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

Database& Database::operator=(Database&& o) noexcept {
  if (this != &o) {
    if (db_) duckdb_close(&db_);
    db_ = std::exchange(o.db_, nullptr);
  }
  return *this;
}

Database::~Database() {
  if (db_) duckdb_close(&db_);
}

Result<Database> Database::Open(const Options& options) {
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) != DuckDBSuccess) return Internal("duckdb_create_config failed");
  struct ConfigGuard {
    duckdb_config* c;
    ~ConfigGuard() { duckdb_destroy_config(c); }
  } guard{&config};

  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::pair<std::string, std::string>> settings = {
      {"autoinstall_known_extensions", "false"},
      {"autoload_known_extensions", "false"},
      {"allow_community_extensions", "false"},
      {"threads", std::to_string(threads)},
      {"temp_directory", options.temp_directory},
  };
  if (!options.memory_limit.empty()) settings.emplace_back("memory_limit", options.memory_limit);
  if (!options.external_access) settings.emplace_back("enable_external_access", "false");
  for (const auto& [name, value] : settings) {
    if (duckdb_set_config(config, name.c_str(), value.c_str()) != DuckDBSuccess) {
      return Internal(fmt::format("DuckDB rejected setting {}", name));
    }
  }
  duckdb_database db = nullptr;
  char* error = nullptr;
  if (duckdb_open_ext(nullptr, &db, config, &error) != DuckDBSuccess) {
    std::string msg = error ? error : "unknown error";
    duckdb_free(error);
    return Internal("opening DuckDB: " + msg);
  }
  return Database(db);
}

QueryResult& QueryResult::operator=(QueryResult&& o) noexcept {
  if (this != &o) {
    if (valid_) duckdb_destroy_result(&result_);
    result_ = o.result_;
    valid_ = std::exchange(o.valid_, false);
  }
  return *this;
}

QueryResult::~QueryResult() {
  if (valid_) duckdb_destroy_result(&result_);
}

size_t QueryResult::ColumnCount() { return duckdb_column_count(&result_); }
std::string QueryResult::ColumnName(size_t col) { return duckdb_column_name(&result_, col); }
duckdb_type QueryResult::ColumnType(size_t col) { return duckdb_column_type(&result_, col); }

std::string QueryResult::ColumnTypeName(size_t col) {
  LogicalType lt{duckdb_column_logical_type(&result_, col)};
  switch (duckdb_get_type_id(lt.t)) {
    case DUCKDB_TYPE_BOOLEAN: return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT: return "TINYINT";
    case DUCKDB_TYPE_SMALLINT: return "SMALLINT";
    case DUCKDB_TYPE_INTEGER: return "INTEGER";
    case DUCKDB_TYPE_BIGINT: return "BIGINT";
    case DUCKDB_TYPE_UTINYINT: return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT: return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER: return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT: return "UBIGINT";
    case DUCKDB_TYPE_HUGEINT: return "HUGEINT";
    case DUCKDB_TYPE_FLOAT: return "FLOAT";
    case DUCKDB_TYPE_DOUBLE: return "DOUBLE";
    case DUCKDB_TYPE_VARCHAR: return "VARCHAR";
    case DUCKDB_TYPE_BLOB: return "BLOB";
    case DUCKDB_TYPE_DATE: return "DATE";
    case DUCKDB_TYPE_TIME: return "TIME";
    case DUCKDB_TYPE_TIMESTAMP: return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_TZ: return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_DECIMAL:
      return fmt::format("DECIMAL({},{})", duckdb_decimal_width(lt.t), duckdb_decimal_scale(lt.t));
    default: return "OTHER";
  }
}

Result<std::vector<std::vector<Value>>> QueryResult::Rows() { return FetchRows(SIZE_MAX); }

Result<std::vector<std::vector<Value>>> QueryResult::FetchRows(size_t max_rows) {
  std::vector<std::vector<Value>> rows;
  size_t ncols = ColumnCount();
  std::vector<duckdb_logical_type> types(ncols);
  for (size_t c = 0; c < ncols; ++c) types[c] = duckdb_column_logical_type(&result_, c);
  struct TypesGuard {
    std::vector<duckdb_logical_type>& t;
    ~TypesGuard() {
      for (auto& x : t) duckdb_destroy_logical_type(&x);
    }
  } guard{types};
  while (rows.size() < max_rows) {
    duckdb_data_chunk chunk = duckdb_fetch_chunk(result_);
    if (!chunk) break;
    idx_t n = duckdb_data_chunk_get_size(chunk);
    Status failed;
    for (idx_t r = 0; r < n && failed.ok() && rows.size() < max_rows; ++r) {
      std::vector<Value> row;
      row.reserve(ncols);
      for (size_t c = 0; c < ncols; ++c) {
        auto v = CellValue(duckdb_data_chunk_get_vector(chunk, c), types[c], r);
        if (!v.ok()) {
          failed = v.status();
          break;
        }
        row.push_back(std::move(*v));
      }
      rows.push_back(std::move(row));
    }
    duckdb_destroy_data_chunk(&chunk);
    SZ_RETURN_IF_ERROR(failed);
  }
  // A streaming result reports a failure (interrupt, out of memory) through its error.
  if (const char* err = duckdb_result_error(&result_); err != nullptr && *err != '\0') {
    return ErrorFromResult(&result_);
  }
  return rows;
}

bool IsReadableType(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_BOOLEAN:
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB:
    case DUCKDB_TYPE_DATE:
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_TZ:
    case DUCKDB_TYPE_DECIMAL:
      return true;
    default:
      return false;
  }
}

Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    if (conn_) duckdb_disconnect(&conn_);
    conn_ = std::exchange(o.conn_, nullptr);
  }
  return *this;
}

Connection::~Connection() {
  if (conn_) duckdb_disconnect(&conn_);
}

Result<Connection> Connection::Open(Database& db) {
  duckdb_connection c = nullptr;
  if (duckdb_connect(db.raw(), &c) != DuckDBSuccess) return Internal("duckdb_connect failed");
  return Connection(c);
}

Result<QueryResult> Connection::Query(std::string_view sql) {
  std::string s(sql);
  duckdb_result result;
  duckdb_state state = duckdb_query(conn_, s.c_str(), &result);
  QueryResult owned(result);  // destroys the result on every path
  if (state != DuckDBSuccess) return ErrorFromResult(owned.raw());
  return owned;
}

Status Connection::Execute(std::string_view sql) { return Query(sql).status(); }

Result<Value> Connection::Scalar(std::string_view sql) {
  SZ_ASSIGN_OR_RETURN(QueryResult r, Query(sql));
  SZ_ASSIGN_OR_RETURN(auto rows, r.Rows());
  if (rows.empty() || rows[0].empty()) return NotFound("query returned no rows");
  return rows[0][0];
}

Result<Prepared> Connection::Prepare(std::string_view sql) {
  std::string s(sql);
  duckdb_prepared_statement p = nullptr;
  duckdb_state state = duckdb_prepare(conn_, s.c_str(), &p);
  Prepared owned(p);
  if (state != DuckDBSuccess) {
    const char* err = duckdb_prepare_error(p);
    return InvalidArgument(err ? err : "prepare failed");
  }
  return owned;
}

void Connection::Interrupt() { duckdb_interrupt(conn_); }

double Connection::Progress() { return duckdb_query_progress(conn_).percentage; }

QueryWatcher::QueryWatcher(Connection& conn, const std::atomic<bool>* cancel,
                           std::function<void(double)> progress) {
  thread_ = std::thread([this, &conn, cancel, progress = std::move(progress)] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return done_; })) {
      if (cancel && cancel->load()) conn.Interrupt();
      double p = conn.Progress();
      if (progress) progress(p >= 0 ? p / 100.0 : -1);
    }
  });
}

QueryWatcher::~QueryWatcher() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

Prepared& Prepared::operator=(Prepared&& o) noexcept {
  if (this != &o) {
    if (p_) duckdb_destroy_prepare(&p_);
    p_ = std::exchange(o.p_, nullptr);
  }
  return *this;
}

Prepared::~Prepared() {
  if (p_) duckdb_destroy_prepare(&p_);
}

Status Prepared::Bind(size_t index, std::string_view text) {
  if (duckdb_bind_varchar_length(p_, index, text.data(), text.size()) != DuckDBSuccess)
    return InvalidArgument(fmt::format("cannot bind parameter {}", index));
  return OkStatus();
}
Status Prepared::Bind(size_t index, int64_t value) {
  if (duckdb_bind_int64(p_, index, value) != DuckDBSuccess)
    return InvalidArgument(fmt::format("cannot bind parameter {}", index));
  return OkStatus();
}
Status Prepared::Bind(size_t index, double value) {
  if (duckdb_bind_double(p_, index, value) != DuckDBSuccess)
    return InvalidArgument(fmt::format("cannot bind parameter {}", index));
  return OkStatus();
}

Result<QueryResult> Prepared::Execute() {
  duckdb_result result;
  duckdb_state state = duckdb_execute_prepared(p_, &result);
  QueryResult owned(result);
  if (state != DuckDBSuccess) return ErrorFromResult(owned.raw());
  return owned;
}

Result<QueryResult> Prepared::ExecuteStreaming() {
  duckdb_result result;
  duckdb_state state = duckdb_execute_prepared_streaming(p_, &result);
  QueryResult owned(result);
  if (state != DuckDBSuccess) return ErrorFromResult(owned.raw());
  return owned;
}

Appender& Appender::operator=(Appender&& o) noexcept {
  if (this != &o) {
    if (a_) duckdb_appender_destroy(&a_);
    a_ = std::exchange(o.a_, nullptr);
  }
  return *this;
}

Appender::~Appender() {
  if (a_) duckdb_appender_destroy(&a_);
}

Result<Appender> Appender::Create(Connection& conn, std::string_view table) {
  std::string t(table);
  duckdb_appender a = nullptr;
  duckdb_state state = duckdb_appender_create(conn.raw(), nullptr, t.c_str(), &a);
  Appender owned(a);
  if (state != DuckDBSuccess) {
    const char* err = a ? duckdb_appender_error(a) : nullptr;
    return InvalidArgument(err ? err : "cannot create appender");
  }
  return owned;
}

Appender& Appender::Append(std::string_view text) {
  failed_ |= duckdb_append_varchar_length(a_, text.data(), text.size()) != DuckDBSuccess;
  return *this;
}
Appender& Appender::Append(int64_t value) {
  failed_ |= duckdb_append_int64(a_, value) != DuckDBSuccess;
  return *this;
}
Appender& Appender::Append(double value) {
  failed_ |= duckdb_append_double(a_, value) != DuckDBSuccess;
  return *this;
}
Appender& Appender::AppendNull() {
  failed_ |= duckdb_append_null(a_) != DuckDBSuccess;
  return *this;
}

Status Appender::EndRow() {
  if (failed_ || duckdb_appender_end_row(a_) != DuckDBSuccess) {
    const char* err = duckdb_appender_error(a_);
    return InvalidArgument(err ? err : "append failed");
  }
  return OkStatus();
}

Status Appender::Flush() {
  if (duckdb_appender_flush(a_) != DuckDBSuccess) {
    const char* err = duckdb_appender_error(a_);
    return InvalidArgument(err ? err : "appender flush failed");
  }
  return OkStatus();
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace sz::duck
