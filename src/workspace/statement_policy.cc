#include "workspace/statement_policy.h"

#include <vector>

#include "fmt/format.h"
#include "workspace/sql_text.h"

namespace sz::workspace {

namespace {

constexpr std::string_view kAllowed =
    "a workspace runs SELECT/WITH/EXPLAIN, and CREATE TEMP TABLE|VIEW name AS SELECT ... "
    "for scratch results";

Status Refused(std::string_view what) {
  return PermissionDenied(fmt::format("{} is not allowed: {}", what, kAllowed));
}

// RAII for duckdb_extract_statements.
struct Extracted {
  duckdb_extracted_statements handle = nullptr;
  ~Extracted() { duckdb_destroy_extracted(&handle); }
};

// Word-or-identifier at tokens[i] as a plain name, or "" if it is not one.
std::string NameAt(const std::vector<Token>& t, size_t i) {
  if (i >= t.size()) return "";
  if (t[i].kind != TokenKind::kWord && t[i].kind != TokenKind::kQuotedIdent) return "";
  return IdentifierName(t[i]);
}

bool WordAt(const std::vector<Token>& t, size_t i, std::string_view word) {
  return i < t.size() && EqualsWord(t[i], word);
}

// CREATE [OR REPLACE] TEMP|TEMPORARY TABLE|VIEW [IF NOT EXISTS] name AS ...
Status PlanCreate(const std::vector<Token>& t, StatementPlan& plan) {
  size_t i = 1;
  if (WordAt(t, i, "or") && WordAt(t, i + 1, "replace")) i += 2;
  if (!WordAt(t, i, "temp") && !WordAt(t, i, "temporary")) {
    return Refused("CREATE of a persistent object (only CREATE TEMP TABLE|VIEW ... AS SELECT)");
  }
  ++i;
  if (WordAt(t, i, "view")) {
    plan.view = true;
  } else if (!WordAt(t, i, "table")) {
    return Refused("this CREATE (only CREATE TEMP TABLE|VIEW ... AS SELECT)");
  }
  ++i;
  if (WordAt(t, i, "if") && WordAt(t, i + 1, "not") && WordAt(t, i + 2, "exists")) i += 3;
  plan.temp_name = NameAt(t, i);
  if (plan.temp_name.empty() || (i + 1 < t.size() && t[i + 1].text == ".")) {
    return Refused("CREATE TEMP with a qualified or missing name");
  }
  if (!WordAt(t, i + 1, "as")) {
    return Refused("CREATE TEMP without AS SELECT (scratch tables are filled from a query)");
  }
  plan.kind = StatementKind::kCreateTemp;
  return OkStatus();
}

// DROP TABLE|VIEW [IF EXISTS] name
Status PlanDrop(const std::vector<Token>& t, StatementPlan& plan) {
  size_t i = 1;
  if (WordAt(t, i, "view")) {
    plan.view = true;
  } else if (!WordAt(t, i, "table")) {
    return Refused("this DROP (only DROP TABLE|VIEW of your temporary objects)");
  }
  ++i;
  bool if_exists = WordAt(t, i, "if") && WordAt(t, i + 1, "exists");
  if (if_exists) i += 2;
  plan.temp_name = NameAt(t, i);
  if (plan.temp_name.empty() || i + 1 != t.size()) {
    return Refused("DROP of a qualified name or of several objects");
  }
  plan.kind = StatementKind::kDropTemp;
  plan.drop_sql = fmt::format("DROP {} {}temp.main.{}", plan.view ? "VIEW" : "TABLE",
                              if_exists ? "IF EXISTS " : "", duck::QuoteIdent(plan.temp_name));
  return OkStatus();
}

}  // namespace

std::string_view StatementTypeName(duckdb_statement_type type) {
  switch (type) {
    case DUCKDB_STATEMENT_TYPE_SELECT:
      return "SELECT";
    case DUCKDB_STATEMENT_TYPE_INSERT:
      return "INSERT";
    case DUCKDB_STATEMENT_TYPE_UPDATE:
      return "UPDATE";
    case DUCKDB_STATEMENT_TYPE_EXPLAIN:
      return "EXPLAIN";
    case DUCKDB_STATEMENT_TYPE_DELETE:
      return "DELETE";
    case DUCKDB_STATEMENT_TYPE_PREPARE:
      return "PREPARE";
    case DUCKDB_STATEMENT_TYPE_CREATE:
      return "CREATE";
    case DUCKDB_STATEMENT_TYPE_EXECUTE:
      return "EXECUTE";
    case DUCKDB_STATEMENT_TYPE_ALTER:
      return "ALTER";
    case DUCKDB_STATEMENT_TYPE_TRANSACTION:
      return "a transaction statement";
    case DUCKDB_STATEMENT_TYPE_COPY:
      return "COPY";
    case DUCKDB_STATEMENT_TYPE_ANALYZE:
      return "ANALYZE";
    case DUCKDB_STATEMENT_TYPE_VARIABLE_SET:
      return "SET VARIABLE";
    case DUCKDB_STATEMENT_TYPE_CREATE_FUNC:
      return "CREATE FUNCTION";
    case DUCKDB_STATEMENT_TYPE_DROP:
      return "DROP";
    case DUCKDB_STATEMENT_TYPE_EXPORT:
      return "EXPORT";
    case DUCKDB_STATEMENT_TYPE_PRAGMA:
      return "PRAGMA";
    case DUCKDB_STATEMENT_TYPE_VACUUM:
      return "VACUUM";
    case DUCKDB_STATEMENT_TYPE_CALL:
      return "CALL";
    case DUCKDB_STATEMENT_TYPE_SET:
      return "SET/RESET/USE";
    case DUCKDB_STATEMENT_TYPE_LOAD:
      return "INSTALL/LOAD";
    case DUCKDB_STATEMENT_TYPE_EXTENSION:
      return "an extension statement";
    case DUCKDB_STATEMENT_TYPE_ATTACH:
      return "ATTACH";
    case DUCKDB_STATEMENT_TYPE_DETACH:
      return "DETACH";
    default:
      return "this statement";
  }
}

Status DuckError(std::string_view message) {
  std::string_view first = message.substr(0, message.find('\n'));
  if (first.starts_with("Permission Error")) {
    return PermissionDenied(
        "file and network access is disabled in a workspace: only the project's approved "
        "tables are available");
  }
  if (first.starts_with("Out of Memory Error")) return ResourceExhausted(std::string(first));
  if (first.starts_with("INTERRUPT Error") || first.starts_with("Interrupt")) {
    return Cancelled("query interrupted");
  }
  return InvalidArgument(std::string(first));
}

Result<StatementPlan> PlanStatement(duck::Connection& conn, std::string_view statement) {
  SZ_ASSIGN_OR_RETURN(std::vector<Token> all, Tokenize(statement));
  std::vector<Token> t = WithoutComments(all);
  while (!t.empty() && t.back().kind == TokenKind::kSymbol && t.back().text == ";") t.pop_back();
  if (t.empty()) return InvalidArgument("empty statement");

  std::string text(statement);
  Extracted ex;
  idx_t n = duckdb_extract_statements(conn.raw(), text.c_str(), &ex.handle);
  if (n == 0) return DuckError(duckdb_extract_statements_error(ex.handle));
  if (n != 1)
    return InvalidArgument("run one statement at a time (or pass a script to batch mode)");

  duckdb_prepared_statement raw = nullptr;
  duckdb_state state = duckdb_prepare_extracted_statement(conn.raw(), ex.handle, 0, &raw);
  duck::Prepared prepared(raw);
  if (state != DuckDBSuccess) {
    const char* err = duckdb_prepare_error(raw);
    return DuckError(err ? err : "statement could not be prepared");
  }
  StatementPlan plan;
  duckdb_statement_type type = duckdb_prepared_statement_type(raw);
  switch (type) {
    case DUCKDB_STATEMENT_TYPE_SELECT:
      plan.kind = StatementKind::kQuery;
      break;
    case DUCKDB_STATEMENT_TYPE_EXPLAIN: {
      // Admit EXPLAIN [ANALYZE] <query> only: the remainder must itself be a query.
      size_t i = 1;
      if (i < t.size() && EqualsWord(t[i], "analyze")) ++i;
      if (i >= t.size()) return Refused("EXPLAIN without a query");
      std::string_view rest = statement.substr(t[i].offset);
      SZ_ASSIGN_OR_RETURN(StatementPlan inner, PlanStatement(conn, rest));
      if (inner.kind != StatementKind::kQuery) return Refused("EXPLAIN of anything but a query");
      plan.kind = StatementKind::kExplain;
      break;
    }
    case DUCKDB_STATEMENT_TYPE_CREATE:
      if (!EqualsWord(t[0], "create")) return Refused("this CREATE");
      SZ_RETURN_IF_ERROR(PlanCreate(t, plan));
      break;
    case DUCKDB_STATEMENT_TYPE_DROP:
      if (!EqualsWord(t[0], "drop")) return Refused("this DROP");
      SZ_RETURN_IF_ERROR(PlanDrop(t, plan));
      return plan;  // runs drop_sql, not the prepared text
    default:
      return Refused(StatementTypeName(type));
  }
  plan.prepared = std::move(prepared);
  return plan;
}

}  // namespace sz::workspace
