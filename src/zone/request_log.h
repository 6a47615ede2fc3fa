// The API request log: one row per HTTP request the server answered, for the monthly
// usage and performance report (request counts and latency percentiles per route).
//
// A row holds the route *template* ("/api/v1/datasets/{name}", never the concrete path,
// which may carry a dataset or user name), the method, the HTTP status, the latency, the
// signed-in user's id (0 for anonymous) and the time. No addresses, tokens, query
// strings or bodies: the log is free of raw identifiers and secrets by construction.
//
// Rows are written in batches (one transaction, so one fsync, per batch): the server
// buffers them and calls AppendRequestLog every second or so. This is an operational
// log, not evidence: the audit trail (audit/) is the record of who did what.
//
// Thread-safety: free functions over the connection they are given.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/sqlite.h"

namespace sz::zone {

struct RequestRecord {
  int64_t time = 0;  // Unix seconds, when the request arrived
  std::string method;
  std::string route;  // the route template, or "(unmatched)"
  int status = 0;
  int64_t latency_us = 0;  // from the request line read to the response written
  int64_t user_id = 0;     // 0: anonymous or not authenticated
};

// Creates the table (idempotent).
Status CreateRequestLogSchema(storage::SqliteDb& db);

// Appends `records` in one transaction (none if `records` is empty).
Status AppendRequestLog(storage::SqliteDb& db, std::span<const RequestRecord> records);

// Rows with from <= time < to, in insertion order.
Result<std::vector<RequestRecord>> ReadRequestLog(storage::SqliteDb& db, int64_t from, int64_t to);

}  // namespace sz::zone
