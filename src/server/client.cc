#include "server/client.h"

#include <fcntl.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "common/status_codes.h"
#include "fmt/format.h"
#include "server/tls.h"
#include "storage/env.h"

namespace sz::server {

using nlohmann::json;

namespace {

struct Endpoint {
  std::string host;
  int port = 443;
};

Result<Endpoint> ParseServer(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return InvalidArgument("the server address must start with https:// (the API speaks TLS only)");
  }
  std::string_view rest = url.substr(kScheme.size());
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos)
    return InvalidArgument("the server address is https://HOST[:PORT]");
  Endpoint e;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos)
      return InvalidArgument("unbalanced [ in the server address");
    e.host = std::string(rest.substr(1, close - 1));
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':')
        return InvalidArgument("the server address is https://HOST[:PORT]");
      port = rest.substr(close + 2);
    }
  } else {
    size_t colon = rest.rfind(':');
    e.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
  }
  if (e.host.empty()) return InvalidArgument("the server address has no host");
  if (!port.empty()) {
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), e.port);
    if (ec != std::errc() || end != port.data() + port.size() || e.port <= 0 || e.port > 65535) {
      return InvalidArgument("the port in the server address must be 1-65535");
    }
  }
  return e;
}

Status TransportError(httplib::Error error, const std::string& server, long verify_result) {
  switch (error) {
    case httplib::Error::SSLServerVerification:
      return Unauthenticated(fmt::format(
          "the TLS certificate of {} does not verify ({}); pass --ca-cert with the server's "
          "certificate (ZONE/tls/cert.pem for a self-signed zone)",
          server, X509_verify_cert_error_string(verify_result)));
    case httplib::Error::SSLLoadingCerts:
      return InvalidArgument("the CA certificate file could not be loaded; check --ca-cert");
    case httplib::Error::Connection:
      return Unavailable(
          fmt::format("cannot connect to {}; is `safezone serve` running there?", server));
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::Read:
    case httplib::Error::Write:
      return Unavailable(
          fmt::format("the connection to {} failed or timed out; try again", server));
    case httplib::Error::SSLConnection:
      return Unavailable(fmt::format("the TLS handshake with {} failed", server));
    default:
      return Unavailable(
          fmt::format("the request to {} failed ({})", server, httplib::to_string(error)));
  }
}

}  // namespace

Code CodeFromName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Code::kUnauthenticated); ++i) {
    if (CodeName(static_cast<Code>(i)) == name) return static_cast<Code>(i);
  }
  return Code::kInternal;
}

Status StatusFromResponse(int http_status, std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_object()) {
    const json& e = j["error"];
    Code code = CodeFromName(e.value("code", ""));
    if (code == Code::kOk) code = Code::kInternal;
    std::string message = e.value("message", "the server refused the request");
    std::string id = e.value("request_id", "");
    if (!id.empty()) message += fmt::format(" (request id {})", id);
    return Status(code, std::move(message));
  }
  // Not our error format (a proxy in between?): classify by the HTTP status alone.
  Code code = Code::kInternal;
  for (int i = 1; i <= static_cast<int>(Code::kUnauthenticated); ++i) {
    if (HttpStatusFor(static_cast<Code>(i)) == http_status) {
      code = static_cast<Code>(i);
      break;
    }
  }
  if (http_status == 413) code = Code::kResourceExhausted;
  return Status(code, fmt::format("the server answered HTTP {}", http_status));
}

std::string UrlEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string WithQuery(std::string_view path, const QueryParams& query) {
  std::string out(path);
  char sep = '?';
  for (const auto& [k, v] : query) {
    out += sep;
    out += UrlEncode(k) + "=" + UrlEncode(v);
    sep = '&';
  }
  return out;
}

ApiClient::ApiClient(ApiClient&&) noexcept = default;
ApiClient& ApiClient::operator=(ApiClient&&) noexcept = default;
ApiClient::~ApiClient() = default;

Result<ApiClient> ApiClient::Create(const ClientOptions& options) {
  SZ_ASSIGN_OR_RETURN(Endpoint e, ParseServer(options.server));
  ApiClient c;
  c.server_ = options.server;
  while (!c.server_.empty() && c.server_.back() == '/') c.server_.pop_back();
  c.token_ = options.token;
  c.http_ = std::make_unique<httplib::SSLClient>(e.host, e.port);
  if (!c.http_->is_valid()) return Internal("the TLS client could not be created");
  SZ_RETURN_IF_ERROR(ConfigureClientContext(*c.http_->ssl_context()));
  if (!options.ca_cert.empty()) {
    if (::access(options.ca_cert.c_str(), R_OK) != 0) {
      return InvalidArgument(fmt::format("cannot read the CA certificate {}", options.ca_cert));
    }
    c.http_->set_ca_cert_path(options.ca_cert);
  }
  c.http_->enable_server_certificate_verification(true);
  c.http_->set_connection_timeout(std::chrono::seconds(10));
  c.http_->set_read_timeout(options.timeout);
  c.http_->set_write_timeout(options.timeout);
  c.http_->set_keep_alive(true);
  c.http_->set_url_encode(false);  // paths are encoded here (UrlEncode)
  return c;
}

Result<ApiClient::RawResponse> ApiClient::Send(std::string_view method,
                                               std::string_view path_and_query,
                                               std::string_view body,
                                               const std::map<std::string, std::string>& headers) {
  httplib::Request req;
  req.method = std::string(method);
  req.path = std::string(path_and_query);
  req.body = std::string(body);
  for (const auto& [k, v] : headers) req.headers.emplace(k, v);
  if (!token_.empty() && !headers.count("Authorization")) {
    req.headers.emplace("Authorization", "Bearer " + token_);
  }
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  if (!http_->send(req, res, error))
    return TransportError(error, server_, http_->get_openssl_verify_result());
  RawResponse out;
  out.status = res.status;
  out.body = std::move(res.body);
  for (const auto& [k, v] : res.headers) out.headers[k] = v;
  return out;
}

Result<std::string> ApiClient::Exchange(std::string_view method, std::string path,
                                        std::string_view body, std::string_view content_type) {
  std::map<std::string, std::string> headers = {{"Accept", "application/json"}};
  if (!body.empty()) headers["Content-Type"] = std::string(content_type);
  SZ_ASSIGN_OR_RETURN(RawResponse r, Send(method, path, body, headers));
  if (r.status >= 400) return StatusFromResponse(r.status, r.body);
  return std::move(r.body);
}

namespace {
Result<json> ParseReply(Result<std::string> body) {
  if (!body.ok()) return body.status();
  if (body->empty()) return json::object();
  json j = json::parse(*body, nullptr, false);
  if (j.is_discarded()) return DataLoss("the server's reply is not valid JSON");
  return j;
}
}  // namespace

Result<json> ApiClient::Get(std::string_view path, const QueryParams& query) {
  return ParseReply(Exchange("GET", WithQuery(path, query), "", ""));
}

Result<json> ApiClient::Post(std::string_view path, const json& body) {
  return ParseReply(Exchange("POST", std::string(path), body.dump(), "application/json"));
}

Result<json> ApiClient::Put(std::string_view path, const json& body) {
  return ParseReply(Exchange("PUT", std::string(path), body.dump(), "application/json"));
}

Result<json> ApiClient::Delete(std::string_view path, const QueryParams& query) {
  return ParseReply(Exchange("DELETE", WithQuery(path, query), "", ""));
}

Result<std::string> ApiClient::GetRaw(std::string_view path, const QueryParams& query) {
  return Exchange("GET", WithQuery(path, query), "", "");
}

Result<json> ApiClient::Upload(std::string_view path, const QueryParams& query,
                               const std::string& file) {
  storage::UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return storage::ErrnoStatus(errno, "opening", file);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return storage::ErrnoStatus(errno, "reading", file);
  if (!S_ISREG(st.st_mode)) return InvalidArgument(fmt::format("{} is not a regular file", file));
  httplib::Headers headers = {{"Accept", "application/json"}};
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  int raw_fd = fd.get();
  Status read_error;
  auto provider = [&](size_t offset, size_t length, httplib::DataSink& sink) {
    char buf[1 << 16];
    size_t want = std::min(length, sizeof buf);
    ssize_t n = ::pread(raw_fd, buf, want, static_cast<off_t>(offset));
    if (n <= 0) {
      read_error = storage::ErrnoStatus(n < 0 ? errno : EIO, "reading", file);
      return false;
    }
    return sink.write(buf, static_cast<size_t>(n));
  };
  auto res = http_->Post(WithQuery(path, query), headers, static_cast<size_t>(st.st_size), provider,
                         "application/octet-stream");
  if (!read_error.ok()) return read_error;
  if (!res) return TransportError(res.error(), server_, http_->get_openssl_verify_result());
  if (res->status >= 400) return StatusFromResponse(res->status, res->body);
  return ParseReply(res->body);
}

}  // namespace sz::server
