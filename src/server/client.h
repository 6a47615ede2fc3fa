// A client of the API, for the CLI's client mode, the API tests and the benchmark.
//
// Speaks HTTPS only and always verifies the server: against the pinned certificate
// (`ca_cert`, e.g. ZONE/tls/cert.pem of a self-signed zone) or, without one, the system's
// trust store; the host name must match the certificate's subjectAltName. TLS 1.2+.
//
// Errors come back as the Status the server sent: its error code name maps back to a
// Code (so the CLI's exit code is the one the same failure has locally) and its message
// gets the request id appended, so that an operator can find the audit entries. Transport
// failures are Unavailable (cannot connect, TLS handshake failed, timed out); a server
// certificate that does not verify is Unauthenticated.
//
// Thread-safety: one ApiClient per thread (it holds one keep-alive connection).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace httplib {
class SSLClient;
}

namespace sz::server {

struct ClientOptions {
  std::string server;   // "https://host[:port]" (port 443 if absent)
  std::string ca_cert;  // PEM file to verify the server with; empty: the system's CAs
  std::string token;    // bearer credential (szs_... or sza_...), or empty
  std::chrono::seconds timeout{60};
};

using QueryParams = std::map<std::string, std::string>;

class ApiClient {
 public:
  static Result<ApiClient> Create(const ClientOptions& options);
  ApiClient(ApiClient&&) noexcept;
  ApiClient& operator=(ApiClient&&) noexcept;
  ~ApiClient();

  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& server() const { return server_; }

  Result<nlohmann::json> Get(std::string_view path, const QueryParams& query = {});
  Result<nlohmann::json> Post(std::string_view path,
                              const nlohmann::json& body = nlohmann::json::object());
  Result<nlohmann::json> Put(std::string_view path, const nlohmann::json& body);
  Result<nlohmann::json> Delete(std::string_view path, const QueryParams& query = {});
  // Streams the file at `file` as the request body (no copy in memory).
  Result<nlohmann::json> Upload(std::string_view path, const QueryParams& query,
                                const std::string& file);
  // A non-JSON response body (archives).
  Result<std::string> GetRaw(std::string_view path, const QueryParams& query = {});

  // The raw exchange, for tests: method, path (already encoded, with any query), body,
  // extra headers. Returns the HTTP status and body; transport errors as Unavailable.
  struct RawResponse {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
  };
  Result<RawResponse> Send(std::string_view method, std::string_view path_and_query,
                           std::string_view body,
                           const std::map<std::string, std::string>& headers = {});

 private:
  ApiClient() = default;
  Result<std::string> Exchange(std::string_view method, std::string path, std::string_view body,
                               std::string_view content_type);

  std::string server_;
  std::string token_;
  std::unique_ptr<httplib::SSLClient> http_;
};

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view text);
// "/api/v1/datasets" + {"q": "버스"} -> "/api/v1/datasets?q=%EB%B2%84%EC%8A%A4".
std::string WithQuery(std::string_view path, const QueryParams& query);
// The Status an error response stands for (body in the API's error format, or not).
Status StatusFromResponse(int http_status, std::string_view body);
// The Code named by CodeName() text ("PERMISSION_DENIED"); kUnknown names give kInternal.
Code CodeFromName(std::string_view name);

}  // namespace sz::server
