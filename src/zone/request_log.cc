#include "zone/request_log.h"

namespace sz::zone {

Status CreateRequestLogSchema(storage::SqliteDb& db) {
  return db.Exec(R"sql(
CREATE TABLE IF NOT EXISTS api_requests (
  id         INTEGER PRIMARY KEY,
  time       INTEGER NOT NULL,     -- Unix seconds
  method     TEXT NOT NULL,
  route      TEXT NOT NULL,        -- template, e.g. /api/v1/datasets/{name}
  status     INTEGER NOT NULL,
  latency_us INTEGER NOT NULL,
  user_id    INTEGER NOT NULL      -- 0: anonymous
);
CREATE INDEX IF NOT EXISTS api_requests_time ON api_requests(time);
)sql");
}

Status AppendRequestLog(storage::SqliteDb& db, std::span<const RequestRecord> records) {
  if (records.empty()) return OkStatus();
  SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(db));
  SZ_ASSIGN_OR_RETURN(auto st, db.Prepare("INSERT INTO api_requests (time, method, route, status, "
                                          "latency_us, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  for (const RequestRecord& r : records) {
    st.Reset();
    st.Bind(1, r.time).Bind(2, r.method).Bind(3, r.route).Bind(4, r.status).Bind(5, r.latency_us);
    st.Bind(6, r.user_id);
    SZ_RETURN_IF_ERROR(st.Run());
  }
  return txn.Commit();
}

Result<std::vector<RequestRecord>> ReadRequestLog(storage::SqliteDb& db, int64_t from, int64_t to) {
  SZ_ASSIGN_OR_RETURN(auto st, db.Query("SELECT time, method, route, status, latency_us, user_id "
                                        "FROM api_requests WHERE time >= ?1 AND time < ?2 "
                                        "ORDER BY id",
                                        from, to));
  std::vector<RequestRecord> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int64(0), st.Text(1), st.Text(2), static_cast<int>(st.Int64(3)), st.Int64(4),
                   st.Int64(5)});
  }
  return out;
}

}  // namespace sz::zone
