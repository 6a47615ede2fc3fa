#include "workspace/sandbox.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <thread>

#include "crypto/secret.h"
#include "fmt/format.h"
#include "workspace/capped_persons.h"
#include "workspace/sql_text.h"
#include "workspace/statement_policy.h"

namespace sz::workspace {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Interrupts the connection's running statement when the time limit passes or the
// caller's cancel flag is set; keeps interrupting until the statement returns, so an
// interrupt that lands just before the statement starts is not lost.
class Watchdog {
 public:
  Watchdog(duck::Connection& conn, std::chrono::milliseconds limit, const std::atomic<bool>* cancel)
      : conn_(conn), deadline_(std::chrono::steady_clock::now() + limit), cancel_(cancel) {
    thread_ = std::thread([this] { Run(); });
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool timed_out() const { return timed_out_.load(); }
  bool cancelled() const { return cancelled_.load(); }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!done_) {
      cv_.wait_for(lock, std::chrono::milliseconds(20));
      if (done_) break;
      if (cancel_ != nullptr && cancel_->load()) cancelled_ = true;
      if (!cancelled_ && std::chrono::steady_clock::now() >= deadline_) timed_out_ = true;
      if (cancelled_ || timed_out_) conn_.Interrupt();
    }
  }

  duck::Connection& conn_;
  std::chrono::steady_clock::time_point deadline_;
  const std::atomic<bool>* cancel_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::atomic<bool> timed_out_{false};
  std::atomic<bool> cancelled_{false};
  std::thread thread_;
};

// Turns a failure of a guarded statement into the message the analyst needs.
Status LimitStatus(const Status& failure, const Watchdog& dog, const SandboxLimits& limits) {
  if (dog.timed_out()) {
    return DeadlineExceeded(fmt::format(
        "query stopped after {} s, the workspace's time limit per query; narrow it down "
        "(WHERE, LIMIT, aggregate first) or ask for a longer limit",
        std::chrono::duration<double>(limits.query_timeout).count()));
  }
  if (dog.cancelled()) return Cancelled("query cancelled; the workspace is still open");
  if (failure.code() == Code::kResourceExhausted) {
    return ResourceExhausted(
        fmt::format("query needs more memory than the workspace's limit of {}; aggregate before "
                    "selecting rows, add a LIMIT, or drop temporary tables",
                    limits.memory_limit));
  }
  if (failure.code() == Code::kCancelled)
    return Cancelled("query cancelled; the workspace is still open");
  if (failure.code() == Code::kPermissionDenied || failure.code() == Code::kInvalidArgument ||
      failure.code() == Code::kInternal || failure.code() == Code::kUnavailable) {
    return DuckError(failure.message());
  }
  return failure;
}

std::vector<std::string> ListOfStrings(duckdb_value list) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  idx_t n = duckdb_get_list_size(list);
  for (idx_t i = 0; i < n; ++i) {
    duckdb_value child = duckdb_get_list_child(list, i);
    char* text = duckdb_get_varchar(child);
    if (text != nullptr) {
      out.emplace_back(text);
      duckdb_free(text);
    }
    duckdb_destroy_value(&child);
  }
  return out;
}

// The statement without trailing semicolons and comments, for wrapping in a subquery.
std::string TrimmedStatement(std::string_view statement) {
  auto tokens = Tokenize(statement);
  if (!tokens.ok()) return std::string(statement);
  std::vector<Token> t = WithoutComments(*tokens);
  while (!t.empty() && t.back().kind == TokenKind::kSymbol && t.back().text == ";") t.pop_back();
  if (t.empty()) return "";
  const Token& last = t.back();
  return std::string(
      statement.substr(t.front().offset, last.offset + last.text.size() - t.front().offset));
}

}  // namespace

Sandbox::~Sandbox() = default;

Result<std::unique_ptr<Sandbox>> Sandbox::Create(std::span<const SandboxTable> tables,
                                                 const SandboxLimits& limits) {
  if (limits.threads < 1) return InvalidArgument("workspace threads must be at least 1");
  if (limits.query_timeout.count() <= 0)
    return InvalidArgument("workspace time limit must be positive");
  auto box = std::unique_ptr<Sandbox>(new Sandbox());
  box->limits_ = limits;
  duck::Options options;
  options.threads = limits.threads;
  options.memory_limit = limits.memory_limit;
  options.temp_directory = "";     // no spilling: plaintext never reaches a disk
  options.external_access = true;  // until the tables are loaded; LockDown() turns it off
  SZ_ASSIGN_OR_RETURN(box->db_, duck::Database::Open(options));
  SZ_ASSIGN_OR_RETURN(box->conn_, duck::Connection::Open(box->db_));
  SZ_RETURN_IF_ERROR(RegisterCappedPersons(box->conn_.raw()));  // for tabulations
  SZ_RETURN_IF_ERROR(box->Load(tables));
  SZ_RETURN_IF_ERROR(box->LockDown());
  return box;
}

Status Sandbox::Load(std::span<const SandboxTable> tables) {
  static const std::regex kName("[a-z][a-z0-9_]{0,62}");
  // One salt per session: person keys join across this session's tables but cannot be
  // linked to another session's or reversed to a pseudonym that was not approved.
  std::string salt = crypto::ToHex(crypto::RandomBytes(16));
  for (const SandboxTable& table : tables) {
    if (!std::regex_match(table.name, kName)) {
      return InvalidArgument(fmt::format("workspace table name '{}' is not allowed", table.name));
    }
    if (table.columns.empty()) {
      return InvalidArgument(fmt::format("table {} has no approved columns", table.name));
    }
    std::string select;
    for (const std::string& c : table.columns) {
      if (Lower(c) == kPersonColumn) {
        return InvalidArgument(
            fmt::format("table {}: column name {} is reserved", table.name, kPersonColumn));
      }
      select += duck::QuoteIdent(c) + ", ";
    }
    std::string source = "read_parquet(" + duck::QuoteLiteral(table.parquet_path);
    if (table.person_column.empty()) {
      select += "CAST(file_row_number AS UBIGINT)";
      source += ", file_row_number = true)";
    } else {
      select += fmt::format("hash(CAST({} AS VARCHAR) || '{}')",
                            duck::QuoteIdent(table.person_column), salt);
      source += ")";
    }
    std::string sql = fmt::format("CREATE TABLE memory.main.{} AS SELECT {} AS {} FROM {}",
                                  duck::QuoteIdent(table.name), select, kPersonColumn, source);
    Status s = conn_.Execute(sql);
    if (!s.ok()) {
      return s.code() == Code::kResourceExhausted
                 ? ResourceExhausted(
                       fmt::format("table {} does not fit the workspace's memory limit of {}",
                                   table.name, limits_.memory_limit))
                 : s.WithContext(fmt::format("loading table {}", table.name));
    }
    SandboxTable kept = table;
    kept.parquet_path.clear();
    kept.one_row_per_person = table.person_column.empty();
    if (!kept.one_row_per_person) {
      SZ_ASSIGN_OR_RETURN(
          duck::Value unique,
          conn_.Scalar(fmt::format("SELECT count(*) = count(DISTINCT {}) FROM memory.main.{}",
                                   kPersonColumn, duck::QuoteIdent(table.name))));
      kept.one_row_per_person = std::holds_alternative<bool>(unique) && std::get<bool>(unique);
    }
    tables_.push_back(std::move(kept));
  }
  return OkStatus();
}

Status Sandbox::LockDown() {
  SZ_RETURN_IF_ERROR(conn_.Execute("SET enable_external_access = false"));
  SZ_RETURN_IF_ERROR(conn_.Execute("SET lock_configuration = true"));
  SZ_ASSIGN_OR_RETURN(duck::Value v,
                      conn_.Scalar("SELECT current_setting('enable_external_access')"));
  if (duck::ValueToString(v) != "false") return Internal("workspace lock-down did not take effect");
  return OkStatus();
}

const SandboxTable* Sandbox::Table(std::string_view name) const {
  for (const SandboxTable& t : tables_)
    if (t.name == name) return &t;
  return nullptr;
}

std::string Sandbox::LabelOf(std::string_view name) const {
  const SandboxTable* t = Table(name);
  return t ? t->label : "";
}

void Sandbox::Interrupt() { conn_.Interrupt(); }

std::vector<std::string> Sandbox::Touched(std::string_view sql) {
  std::string text(sql);
  std::vector<std::string> names;
  if (duckdb_value list = duckdb_get_table_names(conn_.raw(), text.c_str(), false)) {
    names = ListOfStrings(list);
    duckdb_destroy_value(&list);
  }
  // DuckDB's list misses some forms (joins with USING, view bodies): every identifier
  // that names a table counts as well, which can only over-report.
  if (auto tokens = Tokenize(sql); tokens.ok()) {
    for (const Token& t : *tokens) {
      if (t.kind == TokenKind::kWord || t.kind == TokenKind::kQuotedIdent)
        names.push_back(IdentifierName(t));
    }
  }
  std::set<std::string> labels;
  for (const std::string& raw : names) {
    std::string name = Lower(raw);
    if (const SandboxTable* t = Table(name)) labels.insert(t->label);
    if (auto it = temp_sources_.find(name); it != temp_sources_.end()) {
      labels.insert(it->second.begin(), it->second.end());
    }
  }
  return {labels.begin(), labels.end()};
}

template <typename Fn>
auto Sandbox::Guarded(const std::atomic<bool>* cancel, Fn&& fn) -> decltype(fn()) {
  Watchdog dog(conn_, limits_.query_timeout, cancel);
  auto result = fn();
  if (!result.ok()) return LimitStatus(result.status(), dog, limits_);
  return result;
}

Result<duck::QueryResult> Sandbox::RunComposed(std::string_view sql,
                                               const std::atomic<bool>* cancel) {
  return Guarded(cancel, [&]() -> Result<duck::QueryResult> { return conn_.Query(sql); });
}

Result<StatementResult> Sandbox::Execute(std::string_view statement,
                                         const std::atomic<bool>* cancel) {
  SZ_ASSIGN_OR_RETURN(StatementPlan plan, PlanStatement(conn_, statement));
  StatementResult out;
  out.kind = plan.kind;
  out.touched = Touched(statement);

  if (plan.kind == StatementKind::kDropTemp) {
    if (!conn_.Execute(plan.drop_sql).ok()) {
      return InvalidArgument(fmt::format("there is no temporary {} named {}",
                                         plan.view ? "view" : "table", plan.temp_name));
    }
    temp_sources_.erase(plan.temp_name);
    out.message =
        fmt::format("dropped temporary {} {}", plan.view ? "view" : "table", plan.temp_name);
    return out;
  }
  if (plan.kind == StatementKind::kCreateTemp) {
    if (Table(plan.temp_name) != nullptr) {
      return InvalidArgument(
          fmt::format("{} is an approved table; give the temporary {} another name", plan.temp_name,
                      plan.view ? "view" : "table"));
    }
    SZ_RETURN_IF_ERROR(Guarded(cancel, [&] { return plan.prepared.Execute(); }).status());
    temp_sources_[plan.temp_name] = {out.touched.begin(), out.touched.end()};
    out.message =
        fmt::format("created temporary {} {}", plan.view ? "view" : "table", plan.temp_name);
    return out;
  }

  // A query or EXPLAIN: stream at most max_result_rows (+1 to tell truncation).
  duckdb_prepared_statement raw = plan.prepared.raw();
  bool readable = true;
  for (idx_t c = 0; c < duckdb_prepared_statement_column_count(raw); ++c) {
    readable &= duck::IsReadableType(duckdb_prepared_statement_column_type(raw, c));
  }
  if (!readable && plan.kind == StatementKind::kQuery) {
    // Nested, interval, UUID, ... columns: show their text form.
    auto wrapped = conn_.Prepare("SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (" +
                                 TrimmedStatement(statement) + ")");
    if (wrapped.ok()) plan.prepared = std::move(*wrapped);
  }
  size_t limit = limits_.max_result_rows;
  SZ_ASSIGN_OR_RETURN(auto rows,
                      Guarded(cancel, [&]() -> Result<std::vector<std::vector<duck::Value>>> {
                        SZ_ASSIGN_OR_RETURN(duck::QueryResult r, plan.prepared.ExecuteStreaming());
                        for (size_t c = 0; c < r.ColumnCount(); ++c) {
                          out.columns.push_back(r.ColumnName(c));
                          out.types.push_back(r.ColumnTypeName(c));
                        }
                        return r.FetchRows(limit + 1);
                      }));
  if (rows.size() > limit) {
    rows.resize(limit);
    out.truncated = true;
  }
  out.rows = std::move(rows);
  return out;
}

}  // namespace sz::workspace
