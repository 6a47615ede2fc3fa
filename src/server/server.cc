#include "server/server.h"

#include <httplib.h>

#include <charconv>
#include <condition_variable>
#include <deque>
#include <regex>
#include <thread>

#include "common/clock.h"
#include "common/status_codes.h"
#include "common/text.h"
#include "crypto/secret.h"
#include "fmt/format.h"
#include "identity/identity.h"
#include "server/request_log_writer.h"
#include "server/zone_pool.h"
#include "storage/memfile.h"

namespace sz::server {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;
using HandlerResponse = httplib::Server::HandlerResponse;
using Steady = std::chrono::steady_clock;

constexpr std::string_view kLoginPath = "/api/v1/auth/login";

// cpp-httplib's task queue, with a fixed number of workers and a bounded queue: when
// `max_pending` accepted connections are waiting, enqueue() blocks the accept loop, so
// the server stops accepting until a worker frees up. This caps concurrent connections
// at workers + max_pending; the kernel's listen backlog holds (and then refuses) the rest.
class BoundedPool final : public httplib::TaskQueue {
 public:
  BoundedPool(size_t threads, size_t max_pending) : max_pending_(max_pending) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
  }
  void enqueue(std::function<void()> fn) override {
    std::unique_lock lock(mu_);
    has_room_.wait(lock, [&] { return jobs_.size() < max_pending_ || shutdown_; });
    jobs_.push_back(std::move(fn));
    lock.unlock();
    has_job_.notify_one();
  }
  // Runs every queued job, then joins the workers.
  void shutdown() override {
    {
      std::lock_guard lock(mu_);
      shutdown_ = true;
    }
    has_job_.notify_all();
    has_room_.notify_all();
    for (auto& t : threads_) t.join();
  }

 private:
  void Work() {
    while (true) {
      std::function<void()> fn;
      {
        std::unique_lock lock(mu_);
        has_job_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
        if (jobs_.empty()) return;
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      has_room_.notify_one();
      fn();
    }
  }

  size_t max_pending_;
  std::mutex mu_;
  std::condition_variable has_job_, has_room_;
  std::deque<std::function<void()>> jobs_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

// What the server knows about the request a worker thread is serving. cpp-httplib runs
// pre-routing, the handler, the error handler and the logger of one request on the same
// thread, one request at a time, so a thread-local carries state between them.
struct RequestState {
  bool active = false;  // set by PreRoute; reset by the logger
  Steady::time_point start;
  int64_t time = 0;
  std::string request_id;
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  int64_t user_id = 0;
};
thread_local RequestState t_request;

// An error and how to send it: the status comes from status_codes.h unless `http` says
// otherwise (413 for bodies, 405 for methods).
struct HttpError {
  Status status;
  int http = 0;
  int64_t retry_after = 0;
};

// A request's body once read: JSON, or an upload in memory.
struct RequestBody {
  json parsed = json::object();
  std::optional<storage::MemFile> upload;
};

std::string NewRequestId() { return crypto::ToHex(crypto::RandomBytes(8)); }

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::optional<Method> ParseMethod(std::string_view m) {
  if (m == "GET" || m == "HEAD") return Method::kGet;
  if (m == "POST") return Method::kPost;
  if (m == "PUT") return Method::kPut;
  if (m == "DELETE") return Method::kDelete;
  return std::nullopt;
}

// Rejects paths that could mean something else to some layer: dot segments (after
// percent-decoding, which cpp-httplib has done), control characters, invalid UTF-8.
Status CheckPath(std::string_view path) {
  if (path.size() > 2048) return InvalidArgument("the request path is too long");
  if (!text::IsValidUtf8(path)) return InvalidArgument("the request path is not valid UTF-8");
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f || c == '\\') {
      return InvalidArgument("the request path contains a control character or a backslash");
    }
  }
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "." || seg == "..")
      return InvalidArgument("the request path contains '.' or '..' segments");
    i = j + 1;
  }
  return OkStatus();
}

uint64_t ContentLength(const Request& req) {
  std::string v = req.get_header_value("Content-Length");
  uint64_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

bool HasBody(const Request& req) {
  return ContentLength(req) > 0 || req.has_header("Transfer-Encoding");
}

// One line, and no internal locations: the zone directory and the descriptor paths of
// in-memory uploads are replaced by what they mean.
std::string Scrub(std::string message, std::string_view zone_dir) {
  message = message.substr(0, message.find('\n'));
  if (!zone_dir.empty()) {
    for (size_t at; (at = message.find(zone_dir)) != std::string::npos;) {
      message.replace(at, zone_dir.size(), "<zone>");
    }
  }
  static const std::regex kFd("/proc/self/fd/[0-9]+");
  message = std::regex_replace(message, kFd, "the upload");
  if (message.size() > 500) message = message.substr(0, 500) + "...";
  return message;
}

// "try again in 30 s" in identity's backoff messages becomes a Retry-After header.
int64_t RetryAfterFrom(const std::string& message) {
  static const std::regex kWait("try again in ([0-9]+) s");
  std::smatch m;
  if (!std::regex_search(message, m, kWait)) return 0;
  return std::stoll(m[1].str());
}

HttpError TooLarge(uint64_t limit) {
  return {ResourceExhausted(
              fmt::format("the request body is larger than the limit of {} bytes", limit)),
          413};
}

Status ForHttpStatus(int status) {
  switch (status) {
    case 400:
      return InvalidArgument("the request is malformed");
    case 404:
      return NotFound("no such endpoint; the API is described at /api/v1/openapi.json");
    case 408:
      return DeadlineExceeded("the request took too long to arrive");
    case 413:
      return ResourceExhausted("the request body is too large");
    case 414:
      return InvalidArgument("the request URI is too long");
    case 415:
      return InvalidArgument("unsupported content type");
    default:
      return status >= 500 ? Internal("the server failed to handle the request")
                           : InvalidArgument("the request was refused");
  }
}

}  // namespace

Result<std::pair<std::string, int>> ParseListenAddress(std::string_view text) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return InvalidArgument("--listen takes HOST:PORT, e.g. 127.0.0.1:8443 or [::1]:8443");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return InvalidArgument("--listen takes HOST:PORT, e.g. 127.0.0.1:8443");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  int p = -1;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc() || end != port.data() + port.size() || p < 0 || p > 65535) {
    return InvalidArgument("the port in --listen must be 0-65535");
  }
  return std::make_pair(std::string(host), p);
}

struct Server::Impl {
  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        per_address(options.per_address),
        per_account(options.per_account),
        login(options.login_per_address) {
    settings.max_upload = options.max_upload;
    settings.import_threads = options.import_threads;
    settings.tls_cert_file = options.tls.cert_file;
    settings.tls_key_file = options.tls.key_file;
  }

  Status Open();
  void Install();
  HandlerResponse PreRoute(const Request& req, Response& res);
  void Dispatch(const Request& req, Response& res, const httplib::ContentReader* reader);
  void Log(const Request& req, const Response& res);
  void SendError(Response& res, const HttpError& e, std::string_view request_id) const;
  Result<authz::Actor> Authenticate(zone::Zone& zone, const Request& req, const Route& route);
  std::optional<HttpError> ReadBody(const Request& req, const httplib::ContentReader* reader,
                                    const Route& route, RequestBody& out);

  ServerOptions options;
  RateLimiter per_address, per_account, login;
  HandlerSettings settings;
  std::unique_ptr<ZonePool> zones;
  std::unique_ptr<zone::WorkspaceSessions> workspaces;
  std::unique_ptr<RequestLogWriter> log;
  TlsIdentity tls;
  std::string zone_dir;
  std::unique_ptr<httplib::SSLServer> http;
  int port = 0;
  std::thread thread;
  std::mutex mu;
  std::condition_variable stopped_cv;
  bool stopped = false;
};

Status Server::Impl::Open() {
  SZ_ASSIGN_OR_RETURN(zones, ZonePool::Open(options.zone, std::max(1, options.zone_connections)));
  zone::WorkspaceSessionOptions ws = options.workspaces;
  ws.max_running = std::clamp(ws.max_running, 1, std::max(1, zones->size() / 2));
  if (ws.clock == nullptr) ws.clock = options.zone.clock;
  workspaces = std::make_unique<zone::WorkspaceSessions>(ws);
  settings.workspaces = workspaces.get();
  SZ_ASSIGN_OR_RETURN(auto log_zone, zone::Zone::Open(options.zone));
  zone_dir = log_zone->dir();
  log = std::make_unique<RequestLogWriter>(std::move(log_zone), options.request_log_interval);
  {
    auto lease = zones->Acquire();
    SZ_ASSIGN_OR_RETURN(tls, LoadTlsIdentity(*lease, options.tls));
  }
  Status tls_status;
  http = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    tls_status = ConfigureServerContext(ctx, tls);
    return tls_status.ok();
  });
  if (!tls_status.ok()) return tls_status;
  if (!http->is_valid()) return Internal("the TLS context could not be created");
  Install();
  if (options.port == 0) {
    port = http->bind_to_any_port(options.host);
  } else {
    port = http->bind_to_port(options.host, options.port) ? options.port : -1;
  }
  if (port <= 0) {
    return Unavailable(fmt::format("cannot listen on {}:{}: the address is in use or not available",
                                   options.host, options.port));
  }
  return OkStatus();
}

void Server::Impl::Install() {
  httplib::SSLServer& s = *http;
  size_t threads = static_cast<size_t>(std::max(1, options.worker_threads));
  size_t pending = static_cast<size_t>(std::max(1, options.max_pending_connections));
  // cpp-httplib takes ownership of the queue it gets from this factory.
  s.new_task_queue = [threads, pending] { return new BoundedPool(threads, pending); };
  s.set_read_timeout(options.read_timeout);
  s.set_write_timeout(options.write_timeout);
  s.set_keep_alive_timeout(options.keep_alive_timeout.count());
  s.set_keep_alive_max_count(static_cast<size_t>(std::max(1, options.keep_alive_max_requests)));
  s.set_payload_max_length(std::max<size_t>(options.max_upload, options.max_json_body));
  s.set_tcp_nodelay(true);
  s.set_default_headers({{"Cache-Control", "no-store"},
                         {"X-Content-Type-Options", "nosniff"},
                         {"Strict-Transport-Security", "max-age=31536000"},
                         {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
                         {"Referrer-Policy", "no-referrer"}});
  s.set_pre_routing_handler(
      [this](const Request& req, Response& res) { return PreRoute(req, res); });
  auto with_body = [this](const Request& req, Response& res, const httplib::ContentReader& reader) {
    Dispatch(req, res, &reader);
  };
  auto without_body = [this](const Request& req, Response& res) { Dispatch(req, res, nullptr); };
  // Routing is ours (FindRoute in PreRoute); cpp-httplib only hands every request over.
  s.Get(".*", without_body);
  s.Post(".*", with_body);
  s.Post(".*", without_body);
  s.Put(".*", with_body);
  s.Put(".*", without_body);
  s.Delete(".*", with_body);
  s.Delete(".*", without_body);
  s.set_error_handler(httplib::Server::HandlerWithResponse([this](const Request&, Response& res) {
    if (!res.body.empty()) return HandlerResponse::Unhandled;  // ours, already rendered
    RequestState& st = t_request;
    std::string id = st.active ? st.request_id : NewRequestId();
    if (!st.active) res.set_header("X-Request-Id", id);
    SendError(res, {ForHttpStatus(res.status), res.status}, id);
    return HandlerResponse::Handled;
  }));
  s.set_exception_handler([this](const Request&, Response& res, std::exception_ptr) {
    RequestState& st = t_request;
    std::fprintf(stderr, "safezone serve: request %s failed with an exception\n",
                 st.request_id.c_str());
    SendError(res, {Internal("the server failed to handle the request; report the request id")},
              st.request_id);
  });
  s.set_logger([this](const Request& req, const Response& res) { Log(req, res); });
}

void Server::Impl::SendError(Response& res, const HttpError& e, std::string_view request_id) const {
  const Status& s = e.status;
  res.status = e.http ? e.http : HttpStatusFor(s.code());
  json body = {{"error",
                {{"code", CodeName(s.code())},
                 {"message", Scrub(s.message(), zone_dir)},
                 {"request_id", request_id}}}};
  res.set_content(Dump(body), "application/json");
  if (s.code() == Code::kUnauthenticated)
    res.set_header("WWW-Authenticate", "Bearer realm=\"safezone\"");
  int64_t retry = e.retry_after ? e.retry_after : RetryAfterFrom(s.message());
  if (retry > 0 && s.code() == Code::kResourceExhausted)
    res.set_header("Retry-After", std::to_string(retry));
}

HandlerResponse Server::Impl::PreRoute(const Request& req, Response& res) {
  RequestState& st = t_request;
  st = RequestState{};
  st.active = true;
  st.start = Steady::now();
  st.time = ToUnix(SystemClock::Get().Now());
  st.request_id = NewRequestId();
  res.set_header("X-Request-Id", st.request_id);
  auto reject = [&](HttpError e) {
    // An unread body would be taken for the next request on this connection.
    if (HasBody(req)) res.set_header("Connection", "close");
    SendError(res, e, st.request_id);
    return HandlerResponse::Handled;
  };
  if (Status s = CheckPath(req.path); !s.ok()) return reject({s});
  if (int64_t wait = per_address.Take(req.remote_addr, st.start)) {
    return reject({ResourceExhausted("too many requests from this address; slow down"), 429, wait});
  }
  std::optional<Method> method = ParseMethod(req.method);
  RouteMatch m;
  if (method) m = FindRoute(ApiRoutes(), *method, req.path);
  if (!m.route) {
    if (m.path_exists || (!method && FindRoute(ApiRoutes(), Method::kGet, req.path).path_exists)) {
      return reject({Unimplemented("this endpoint does not support that method"), 405});
    }
    return reject({ForHttpStatus(404)});
  }
  if (req.is_multipart_form_data()) {
    return reject({InvalidArgument("send the file itself as the body, not a multipart form"), 415});
  }
  uint64_t limit = m.route->body == Body::kUpload ? options.max_upload : options.max_json_body;
  if (ContentLength(req) > limit) return reject(TooLarge(limit));
  st.route = m.route;
  st.params = std::move(m.params);
  return HandlerResponse::Unhandled;
}

Result<authz::Actor> Server::Impl::Authenticate(zone::Zone& zone, const Request& req,
                                                const Route& route) {
  authz::Actor anonymous = authz::Actor::Anonymous(SeoulDate(zone.clock().Now()));
  if (route.auth == Auth::kNone) return anonymous;
  std::string header = req.get_header_value("Authorization");
  if (header.empty()) {
    if (route.auth == Auth::kOptional) return anonymous;
    return Unauthenticated("sign in first: send 'Authorization: Bearer <session or API token>'");
  }
  constexpr std::string_view kBearer = "Bearer ";
  std::string_view token = header;
  if (token.substr(0, kBearer.size()) != kBearer) {
    return Unauthenticated("the Authorization header must be 'Bearer <session or API token>'");
  }
  token.remove_prefix(kBearer.size());
  identity::Identity& ids = zone.identity();
  auto actor = ids.Authenticate(token);
  if (actor.ok() || actor.status().code() != Code::kUnauthenticated) return actor;
  // A bad credential counts against the address like a failed sign-in, so that guessing
  // tokens is throttled too. Valid credentials are not refused for the address's sake:
  // people behind one NAT keep working while someone there guesses.
  SZ_ASSIGN_OR_RETURN(std::chrono::seconds wait, ids.AddressBlockedFor(req.remote_addr));
  if (wait.count() > 0) {
    return ResourceExhausted(
        fmt::format("too many failed sign-ins from this address; try again in {} s", wait.count()));
  }
  SZ_RETURN_IF_ERROR(ids.RecordAddressFailure(req.remote_addr));
  return actor.status();
}

std::optional<HttpError> Server::Impl::ReadBody(const Request& req,
                                                const httplib::ContentReader* reader,
                                                const Route& route, RequestBody& out) {
  if (route.body == Body::kUpload) {
    auto file = storage::MemFile::Create("upload");
    if (!file.ok()) return HttpError{file.status()};
    std::optional<storage::MemFile>& upload = out.upload;
    upload = std::move(*file);
    uint64_t received = 0;
    bool too_big = false;
    Status write_error;
    auto receive = [&](const char* data, size_t n) {
      received += n;
      if (received > options.max_upload) return !(too_big = true);
      write_error = upload->Append(std::string_view(data, n));
      return write_error.ok();
    };
    bool ok = reader ? (*reader)(receive) : receive(req.body.data(), req.body.size());
    if (too_big) return TooLarge(options.max_upload);
    if (!write_error.ok()) return HttpError{write_error};
    if (!ok)
      return HttpError{InvalidArgument("the upload could not be read to its end; send it again")};
    return std::nullopt;
  }
  std::string body;
  bool too_big = false;
  auto receive = [&](const char* data, size_t n) {
    if (body.size() + n > options.max_json_body) return !(too_big = true);
    body.append(data, n);
    return true;
  };
  bool ok = reader ? (*reader)(receive) : receive(req.body.data(), req.body.size());
  if (too_big) return TooLarge(options.max_json_body);
  if (!ok) return HttpError{InvalidArgument("the request body could not be read to its end")};
  if (route.body == Body::kNone || body.empty()) return std::nullopt;
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return HttpError{InvalidArgument("the request body is not valid JSON (or not valid UTF-8)")};
  }
  if (!parsed.is_object())
    return HttpError{InvalidArgument("the request body must be a JSON object")};
  out.parsed = std::move(parsed);
  return std::nullopt;
}

void Server::Impl::Dispatch(const Request& req, Response& res,
                            const httplib::ContentReader* reader) {
  RequestState& st = t_request;
  if (!st.active || !st.route) {
    SendError(res, {Internal("the request was not routed")}, st.request_id);
    return;
  }
  const Route& route = *st.route;
  bool body_read = false;
  auto fail = [&](const HttpError& e) {
    if (!body_read && HasBody(req)) res.set_header("Connection", "close");
    SendError(res, e, st.request_id);
  };

  Result<authz::Actor> actor = Status(Code::kInternal, "unset");
  {
    auto lease = zones->Acquire();
    actor = Authenticate(*lease, req, route);
  }
  if (!actor.ok()) return fail({actor.status()});
  st.user_id = actor->user_id;
  if (actor->user_id != 0) {
    if (int64_t wait = per_account.Take(fmt::format("user:{}", actor->user_id), Steady::now())) {
      return fail({ResourceExhausted("too many requests for this account; slow down"), 429, wait});
    }
  }
  if (route.path == kLoginPath) {
    if (int64_t wait = login.Take(req.remote_addr, Steady::now())) {
      return fail(
          {ResourceExhausted("too many sign-in attempts from this address; slow down"), 429, wait});
    }
  }

  // The body is read before a Zone is leased, so that a slow upload does not hold one.
  RequestBody body;
  if (auto e = ReadBody(req, reader, route, body)) return fail(*e);
  body_read = true;

  auto lease = zones->Acquire();
  Call call{*lease,
            std::move(*actor),
            st.request_id,
            req.remote_addr,
            st.params,
            {req.params.begin(), req.params.end()},
            std::move(body.parsed),
            body.upload ? &*body.upload : nullptr,
            &settings};
  Result<Reply> reply = Status(Code::kInternal, "unset");
  try {
    reply = route.handler(call);
  } catch (const std::exception&) {
    // Third-party code below the zone layer should not throw; if it does, the request
    // fails alone and the server keeps serving.
    reply = Internal("the server failed to handle the request; report the request id");
  }
  if (!reply.ok()) return fail({reply.status()});
  Reply& r = *reply;
  res.status = r.status;
  if (!r.content_type.empty()) {
    res.set_content(std::move(r.raw), r.content_type);
  } else {
    res.set_content(Dump(r.json), "application/json");
  }
  if (r.filename)
    res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", *r.filename));
}

void Server::Impl::Log(const Request& req, const Response& res) {
  RequestState& st = t_request;
  zone::RequestRecord r;
  bool plain = !req.method.empty() && req.method.size() <= 10 &&
               std::all_of(req.method.begin(), req.method.end(),
                           [](char c) { return c >= 'A' && c <= 'Z'; });
  r.method = plain ? req.method : "OTHER";
  r.route = st.active && st.route ? st.route->path : "(unmatched)";
  r.status = res.status;
  r.time = st.active ? st.time : ToUnix(SystemClock::Get().Now());
  r.latency_us =
      st.active
          ? std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - st.start).count()
          : 0;
  r.user_id = st.active ? st.user_id : 0;
  log->Add(std::move(r));
  st.active = false;
}

// ---- Server ----

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  SZ_RETURN_IF_ERROR(impl->Open());
  Impl* raw = impl.get();
  raw->thread = std::thread([raw] {
    raw->http->listen_after_bind();
    std::lock_guard lock(raw->mu);
    raw->stopped = true;
    raw->stopped_cv.notify_all();
  });
  // Stop() before the accept loop runs would be lost; wait until it does.
  for (int i = 0; i < 5000 && !raw->http->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::~Server() { Stop(); }

int Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string& h = impl_->options.host;
  bool v6 = h.find(':') != std::string::npos;
  return fmt::format("https://{}{}{}:{}", v6 ? "[" : "", h, v6 ? "]" : "", impl_->port);
}

const TlsIdentity& Server::tls() const { return impl_->tls; }

void Server::Stop() {
  if (!impl_ || !impl_->http) return;
  if (impl_->workspaces) impl_->workspaces->CancelAll();  // in-flight statements end now
  impl_->http->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  if (impl_->log) impl_->log->Flush();
}

void Server::Wait() {
  std::unique_lock lock(impl_->mu);
  impl_->stopped_cv.wait(lock, [&] { return impl_->stopped; });
}

void Server::FlushRequestLog() { impl_->log->Flush(); }

}  // namespace sz::server
