// A Sandbox: the in-memory DuckDB behind one workspace session, holding exactly the
// approved columns of the approved dataset versions and nothing else.
//
// Create() opens a private in-memory database, copies each approved table into it
// (CREATE TABLE name AS SELECT <approved columns>, <person key> FROM read_parquet(path)
// of a memory file the caller then closes), and locks it down before any analyst SQL
// runs:
//   - enable_external_access = false: no file, URL or database outside the process
//     (read_csv/read_parquet/read_text/read_blob/glob, COPY, EXPORT/IMPORT DATABASE,
//     ATTACH of files, INSTALL);
//   - lock_configuration = true: no SET/RESET of any setting afterwards;
//   - extension auto-install/auto-load off (duck::Database does this for every database);
//   - memory limit, thread count, no spill directory (plaintext never reaches a disk);
//   - a per-statement time limit enforced by a watchdog thread that interrupts the query.
// On top of the engine's own refusals, a statement allow-list (ClassifyStatement) admits
// only: SELECT (incl. WITH, VALUES, FROM-first, DESCRIBE/SUMMARIZE/SHOW), EXPLAIN [ANALYZE]
// of such a query, CREATE [OR REPLACE] TEMP TABLE/VIEW <name> AS <query> for the analyst's
// own scratch results, and DROP TABLE/VIEW of those. Everything else (ATTACH even of
// ':memory:', USE, CHECKPOINT, SET, PRAGMA assignments, CALL, INSERT/UPDATE/DELETE, COPY,
// EXPORT, INSTALL/LOAD, CREATE of persistent objects, macros or secrets, ...) is refused
// with a one-line reason before DuckDB runs it.
//
// The person key. Every approved table carries one extra column, sz_person, identifying
// the person a row belongs to: a salted 64-bit hash of the dataset's pseudonym column
// (so a pseudonym column that was not approved is not revealed; the salt is random per
// session, from the CSPRNG), or the row number when the approval says each row is one
// person. Disclosure evidence (tabulate.h) counts persons with it, through joins.
// Rows whose pseudonym is NULL share one key: they count as one person, which errs on the
// safe side for every rule.
//
// Thread-safety: one thread runs statements; Interrupt() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/duck.h"

namespace sz::workspace {

inline constexpr std::string_view kPersonColumn = "sz_person";

struct SandboxLimits {
  int threads = 2;                   // Default: 2
  std::string memory_limit = "2GB";  // Default: 2GB (DuckDB syntax)
  std::chrono::milliseconds query_timeout{std::chrono::seconds(60)};  // Default: 60 s
  size_t max_result_rows = 10000;  // Default: 10,000 rows returned per statement
};

struct SandboxTable {
  std::string name;                  // workspace table name: [a-z][a-z0-9_]*
  std::string parquet_path;          // read once by Create()
  std::vector<std::string> columns;  // approved columns, in order
  std::string person_column;         // the pseudonym column; "" = each row is a person
  std::string label;                 // audit label of the version: "dataset:12@3"
  // Set by Create(): no two rows share a person key (then evidence needs no per-person
  // pre-aggregation; see tabulate.h).
  bool one_row_per_person = false;
};

enum class StatementKind { kQuery, kExplain, kCreateTemp, kDropTemp };

struct StatementResult {
  StatementKind kind = StatementKind::kQuery;
  std::vector<std::string> columns;
  std::vector<std::string> types;
  std::vector<std::vector<duck::Value>> rows;
  bool truncated = false;            // more rows than max_result_rows
  std::string message;               // "created temporary table x"
  std::vector<std::string> touched;  // labels of the approved tables read, sorted
};

class Sandbox {
 public:
  // InvalidArgument for a bad table or column name; the load's own errors otherwise.
  static Result<std::unique_ptr<Sandbox>> Create(std::span<const SandboxTable> tables,
                                                 const SandboxLimits& limits);

  // Runs one analyst statement under the allow-list and the limits. `cancel`, if given,
  // stops it when set (Cancelled). Errors: PermissionDenied (refused statement or file
  // access), DeadlineExceeded (time limit), ResourceExhausted (memory limit), Cancelled,
  // InvalidArgument (SQL errors). The sandbox stays usable after any of them.
  Result<StatementResult> Execute(std::string_view statement,
                                  const std::atomic<bool>* cancel = nullptr);

  // Runs SQL the workspace composed itself (tabulations), with the same limits and in
  // the same locked-down database, without the allow-list.
  Result<duck::QueryResult> RunComposed(std::string_view sql, const std::atomic<bool>* cancel);

  // Labels of the approved tables `sql` reads, directly or through temporary objects.
  std::vector<std::string> Touched(std::string_view sql);

  // Thread-safe: stops the running statement (it fails with Cancelled).
  void Interrupt();

  const SandboxLimits& limits() const { return limits_; }
  // The approved table named `name` (its parquet_path is cleared), or nullptr.
  const SandboxTable* Table(std::string_view name) const;
  const std::vector<SandboxTable>& tables() const { return tables_; }
  // The label of the version behind approved table `name` ("" if unknown).
  std::string LabelOf(std::string_view name) const;

  ~Sandbox();

 private:
  Sandbox() = default;
  Status Load(std::span<const SandboxTable> tables);
  Status LockDown();
  // Runs `fn` with the watchdog armed; maps interrupts to DeadlineExceeded/Cancelled.
  template <typename Fn>
  auto Guarded(const std::atomic<bool>* cancel, Fn&& fn) -> decltype(fn());

  SandboxLimits limits_;
  duck::Database db_;
  duck::Connection conn_;
  std::vector<SandboxTable> tables_;
  // Analyst's temporary tables and views -> labels of the approved tables behind them.
  std::map<std::string, std::set<std::string>> temp_sources_;
};

}  // namespace sz::workspace
