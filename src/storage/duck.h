// RAII wrappers over DuckDB's C API: the data plane's compute engine.
//
// Database, Connection, QueryResult, Prepared and Appender each own one C handle and
// release it in their destructor; all are move-only. A Connection is used by one
// thread at a time; several connections to one Database may run concurrently.
// Interrupt() and Progress() are the exceptions: they may be called from another thread
// while a query runs (DuckDB documents both as thread-safe).
//
// Every Database is opened with extension auto-install and auto-load off: extensions
// cannot be fetched in a safe zone, and a query must never make the engine load code.
#pragma once

#include <duckdb.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace sz::duck {

struct Options {
  // Worker threads. Default: 0 = all cores.
  int threads = 0;
  // DuckDB memory limit, e.g. "4GB". Default: empty = DuckDB's default (80% of RAM).
  std::string memory_limit;
  // Where DuckDB may spill. Default: empty = spilling disabled, because a spill file
  // would put plaintext of protected data on disk. Only ever a memory-backed path.
  std::string temp_directory;
  // If false, no file system access at all (workspaces). Default: true (jobs read and
  // write the memory files that the zone hands them).
  bool external_access = true;
};

// A value converted from a DuckDB result cell; DATE/TIMESTAMP/DECIMAL/HUGEINT are given
// as their canonical text (DATE "2024-05-01").
using Value = std::variant<std::monostate, bool, int64_t, double, std::string>;
std::string ValueToString(const Value& v);  // NULL -> ""
bool IsNull(const Value& v);

class Database {
 public:
  static Result<Database> Open(const Options& options);
  Database() = default;
  Database(Database&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  Database& operator=(Database&& o) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();
  duckdb_database raw() const { return db_; }

 private:
  explicit Database(duckdb_database db) : db_(db) {}
  duckdb_database db_ = nullptr;
};

// A fully materialized result. Small results (catalog profiles, reports) read cells
// with Get(); large ones are streamed chunk by chunk with the C API directly via raw().
class QueryResult {
 public:
  QueryResult() = default;
  explicit QueryResult(duckdb_result result) : result_(result), valid_(true) {}
  QueryResult(QueryResult&& o) noexcept { *this = std::move(o); }
  QueryResult& operator=(QueryResult&& o) noexcept;
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;
  ~QueryResult();

  size_t ColumnCount();
  std::string ColumnName(size_t col);
  duckdb_type ColumnType(size_t col);
  std::string ColumnTypeName(size_t col);  // "VARCHAR", "DECIMAL(18,2)", ...
  // Reads every row into memory as Values. Unsupported nested types are an error.
  Result<std::vector<std::vector<Value>>> Rows();
  // Reads at most `max_rows` more rows (chunk by chunk, so a streaming result stops early).
  Result<std::vector<std::vector<Value>>> FetchRows(size_t max_rows);
  duckdb_result* raw() { return &result_; }

 private:
  duckdb_result result_{};
  bool valid_ = false;
};

class Prepared;

class Connection {
 public:
  static Result<Connection> Open(Database& db);
  Connection() = default;
  Connection(Connection&& o) noexcept : conn_(std::exchange(o.conn_, nullptr)) {}
  Connection& operator=(Connection&& o) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  Status Execute(std::string_view sql);
  Result<QueryResult> Query(std::string_view sql);
  // Runs `sql` and returns the first column of the first row (error if no row).
  Result<Value> Scalar(std::string_view sql);
  Result<Prepared> Prepare(std::string_view sql);

  // Thread-safe: stop the running query (it fails with Cancelled).
  void Interrupt();
  // Thread-safe: percentage done of the running query in [0,100], or -1 if unknown.
  double Progress();
  duckdb_connection raw() const { return conn_; }

 private:
  explicit Connection(duckdb_connection c) : conn_(c) {}
  duckdb_connection conn_ = nullptr;
};

// While alive, a thread watches `conn`'s running query every 250 ms: it reports the
// fraction done (0..1, or -1 if unknown) to `progress` and interrupts the query once
// `cancel` is set (the query then fails with Cancelled). For long imports and jobs that
// must show progress and stop cleanly on Ctrl-C. Both callbacks run on the watcher thread.
class QueryWatcher {
 public:
  QueryWatcher(Connection& conn, const std::atomic<bool>* cancel, std::function<void(double)> progress);
  QueryWatcher(const QueryWatcher&) = delete;
  QueryWatcher& operator=(const QueryWatcher&) = delete;
  ~QueryWatcher();  // stops and joins the watcher

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

class Prepared {
 public:
  Prepared() = default;
  explicit Prepared(duckdb_prepared_statement p) : p_(p) {}
  Prepared(Prepared&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  Prepared& operator=(Prepared&& o) noexcept;
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  ~Prepared();

  Status Bind(size_t index, std::string_view text);  // 1-based
  Status Bind(size_t index, int64_t value);
  Status Bind(size_t index, double value);
  Result<QueryResult> Execute();
  // Executes with a streaming result: rows are produced as FetchRows asks for them.
  Result<QueryResult> ExecuteStreaming();
  duckdb_prepared_statement raw() const { return p_; }

 private:
  duckdb_prepared_statement p_ = nullptr;
};

class Appender {
 public:
  static Result<Appender> Create(Connection& conn, std::string_view table);
  Appender() = default;
  Appender(Appender&& o) noexcept : a_(std::exchange(o.a_, nullptr)) {}
  Appender& operator=(Appender&& o) noexcept;
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;
  ~Appender();

  Appender& Append(std::string_view text);
  Appender& Append(int64_t value);
  Appender& Append(double value);
  Appender& AppendNull();
  Status EndRow();
  Status Flush();

 private:
  explicit Appender(duckdb_appender a) : a_(a) {}
  duckdb_appender a_ = nullptr;
  bool failed_ = false;
};

// True if QueryResult::Rows can read a column of this type (others: cast to VARCHAR).
bool IsReadableType(duckdb_type type);

// "my col" -> "\"my col\"" (embedded quotes doubled): safe for any column name.
std::string QuoteIdent(std::string_view name);
// 'it''s' : a SQL string literal.
std::string QuoteLiteral(std::string_view text);
// Maps DuckDB's error type for a failed result to a Status code.
Status ErrorFromResult(duckdb_result* result);

}  // namespace sz::duck
