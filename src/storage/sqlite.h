// RAII wrappers over SQLite, the control plane's store (catalog, users, projects,
// requests, key metadata, audit chain).
//
// SqliteDb owns one connection; Statement owns one prepared statement; Transaction
// rolls back on destruction unless committed. All are move-only. A connection is used
// by one thread at a time (SQLite's serialized mode is not relied upon); open one
// connection per thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sz::storage {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  Statement(Statement&& other) noexcept { *this = std::move(other); }
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds parameter `index` (1-based). A bind error is kept and reported by Step().
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, std::nullptr_t);
  Statement& BindBlob(int index, std::string_view bytes);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : Bind(index, nullptr);
  }

  // Advances; true if a row is available, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows (or ignores them).
  Status Run();
  void Reset();

  bool IsNull(int col) const;
  int64_t Int64(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  std::optional<std::string> OptionalText(int col) const;
  std::string Blob(int col) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  int bind_error_ = SQLITE_OK;
};

class SqliteDb {
 public:
  enum class Mode { kReadWriteCreate, kReadWrite, kReadOnly };

  // Opens with WAL, foreign keys on, synchronous=FULL (every commit durable) and a
  // busy timeout so that concurrent writers wait instead of failing.
  static Result<SqliteDb> Open(const std::string& path, Mode mode);

  SqliteDb() = default;
  SqliteDb(SqliteDb&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  SqliteDb& operator=(SqliteDb&& other) noexcept;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);

  // Prepares `sql`, binds `args` to ?1, ?2, ... and runs it to completion.
  template <typename... Args>
  Status Run(std::string_view sql, const Args&... args) {
    SZ_ASSIGN_OR_RETURN(Statement st, Prepare(sql));
    int i = 0;
    (st.Bind(++i, args), ...);
    return st.Run();
  }
  // Prepares and binds; the caller steps through the rows.
  template <typename... Args>
  Result<Statement> Query(std::string_view sql, const Args&... args) {
    SZ_ASSIGN_OR_RETURN(Statement st, Prepare(sql));
    int i = 0;
    (st.Bind(++i, args), ...);
    return st;
  }

  int64_t LastInsertId() const;
  int Changes() const;
  sqlite3* raw() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// Maps an SQLite result code and message to a Status (constraint -> AlreadyExists or
// FailedPrecondition, full disk -> ResourceExhausted, corrupt -> DataLoss, ...).
Status SqliteError(int rc, std::string_view what);

// BEGIN IMMEDIATE ... COMMIT; rolls back if destroyed before Commit().
class Transaction {
 public:
  static Result<Transaction> Begin(SqliteDb& db);
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(SqliteDb* db) : db_(db) {}
  SqliteDb* db_;
};

}  // namespace sz::storage
