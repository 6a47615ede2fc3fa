// The statement allow-list of a workspace (see sandbox.h for the whole isolation story).
//
// PlanStatement asks DuckDB to split the text (exactly one statement) and prepare it,
// then admits it by DuckDB's own statement type, with a token check where the type alone
// is too broad:
//   SELECT              always (DuckDB reports WITH, VALUES, FROM-first, DESCRIBE,
//                       SUMMARIZE, SHOW and read-only PRAGMAs as SELECT);
//   EXPLAIN [ANALYZE]   only of a statement that is itself admitted as a query
//                       (EXPLAIN ANALYZE executes its statement);
//   CREATE              only CREATE [OR REPLACE] TEMP|TEMPORARY TABLE|VIEW [IF NOT EXISTS]
//                       <unqualified name> AS <query>;
//   DROP                only DROP TABLE|VIEW [IF EXISTS] <name> of a temporary object
//                       (rewritten to name the temp catalog explicitly, so it can never
//                       reach an approved table);
//   anything else       refused.
// Preparing executes nothing, so a refused statement has had no effect.
//
// Thread-safety: uses the caller's connection, one thread at a time.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/duck.h"
#include "workspace/sandbox.h"

namespace sz::workspace {

struct StatementPlan {
  StatementKind kind = StatementKind::kQuery;
  duck::Prepared prepared;  // query, explain, create: run this
  std::string drop_sql;     // drop: run this instead of the analyst's text
  std::string temp_name;    // create, drop: the temporary object
  bool view = false;        // create, drop: a view rather than a table
};

// PermissionDenied for a refused statement or one that touches files; InvalidArgument
// for SQL errors (first line of DuckDB's message) or not exactly one statement.
Result<StatementPlan> PlanStatement(duck::Connection& conn, std::string_view statement);

// "SELECT", "ATTACH", ... for messages.
std::string_view StatementTypeName(duckdb_statement_type type);

// The first line of a DuckDB error message, mapped to a Status: permission errors become
// PermissionDenied with the workspace's explanation.
Status DuckError(std::string_view message);

}  // namespace sz::workspace
