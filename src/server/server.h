// The HTTPS API server: `safezone serve`.
//
// One process serves one zone over TLS (tls.h) with cpp-httplib. Around every handler of
// the route table (api.h) the server does, in order:
//   1. a request id (random, 16 hex characters) on the response (X-Request-Id) and in
//      every audit entry the request causes;
//   2. path sanity (no "." or ".." segments, no control characters, valid UTF-8) and the
//      per-address rate limit, before anything is read or looked up;
//   3. route lookup (404, 405), body-size limits from Content-Length (413);
//   4. authentication of "Authorization: Bearer szs_...|sza_..." (identity); a failed
//      credential feeds identity's per-address throttle, and a throttled address gets 429;
//   5. the per-account rate limit (and a separate, stricter per-address limit on sign-in,
//      where each attempt costs an Argon2id hash);
//   6. the body: JSON of at most `max_json_body` bytes (400 if malformed or not UTF-8,
//      413 if larger), or an upload streamed into a MemFile (never a file on disk) of at
//      most `max_upload` bytes;
//   7. the handler, with a Zone leased from the pool (zone_pool.h) for that call;
//   8. the reply: JSON, or one error format
//        {"error": {"code": "PERMISSION_DENIED", "message": "...", "request_id": "..."}}
//      with the HTTP status from common/status_codes.h (413 for oversized bodies);
//      messages are one line and never carry internal paths;
//   9. a request-log row (route template, method, status, latency, user id, time),
//      written in batches (request_log_writer.h).
//
// Connections: one worker thread serves one connection at a time (cpp-httplib's model),
// `worker_threads` of them; up to `max_pending_connections` accepted connections wait for
// a worker, and beyond that the server stops accepting (the kernel's backlog holds the
// rest), which caps concurrent connections. Read and write timeouts bound slow clients;
// keep-alive connections are closed after `keep_alive_timeout` idle.
//
// Shutdown: Stop() cancels running workspace statements, closes the listening socket,
// lets in-flight requests finish, closes connections, flushes the request log and closes
// the workspace sessions and the zones.
//
// Thread-safety: Start/Stop/Wait may be called from any thread; Stop is idempotent.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "server/api.h"
#include "server/rate_limit.h"
#include "server/tls.h"
#include "zone/zone.h"

namespace sz::server {

struct ServerOptions {
  zone::ZoneOptions zone;  // dir, master key; tests inject a clock here
  std::string host = "127.0.0.1";
  int port = 8443;  // 0: any free port (see Server::port())
  TlsOptions tls;
  // Threads serving connections; each holds one connection at a time. Default: 64.
  int worker_threads = 64;
  // Accepted connections waiting for a worker before the server stops accepting.
  int max_pending_connections = 64;
  // Zones (SQLite connections) shared by the workers. Default: 8.
  int zone_connections = 8;
  size_t max_json_body = 64 << 10;          // bytes; Default: 64 KiB
  uint64_t max_upload = uint64_t{1} << 30;  // bytes; Default: 1 GiB
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
  std::chrono::seconds keep_alive_timeout{5};
  int keep_alive_max_requests = 1000;
  RateLimit per_address{100, 200};  // requests per second, burst
  RateLimit per_account{50, 100};
  RateLimit login_per_address{0.5, 10};  // sign-in attempts
  std::chrono::milliseconds request_log_interval{1000};
  int import_threads = 2;  // DuckDB threads per import
  // Workspace sessions kept between requests (zone/workspace_sessions.h): idle timeout,
  // sessions per person and in all, limits per statement. The statements running at once
  // are also capped at half the zone connections (at least 1), so that running queries,
  // each holding a connection, leave connections for everyone else. The clock is the
  // zone's (options.zone.clock) unless set here.
  zone::WorkspaceSessionOptions workspaces;
};

// "127.0.0.1:8443", "[::1]:8443", "localhost:0" -> host and port.
Result<std::pair<std::string, int>> ParseListenAddress(std::string_view text);

class Server {
 public:
  // Opens the zones, loads (or makes) the TLS identity, binds and starts serving in the
  // background. Errors: the zone's (NotFound, PermissionDenied for a wrong key, ...),
  // InvalidArgument for bad TLS files, Unavailable if the address cannot be bound.
  static Result<std::unique_ptr<Server>> Start(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  std::string url() const;  // "https://127.0.0.1:8443"
  const TlsIdentity& tls() const;

  // Stops accepting, finishes in-flight requests, closes connections, flushes the
  // request log. Idempotent.
  void Stop();
  // Blocks until the server has stopped (after Stop(), from another thread).
  void Wait();
  // Writes buffered request-log rows now (tests, reports).
  void FlushRequestLog();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sz::server
