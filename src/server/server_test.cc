// API tests against a real server on a loopback port: sign-in, credentials, escalation
// attempts, bad input, limits, slow clients, the request log, TLS and shutdown. After
// every kind of bad input the server must still answer.
#include "server/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api_test_env.h"
#include "audit/archive.h"
#include "identity/tokens.h"
#include "zone/request_log.h"

namespace sz::server {
namespace {

using nlohmann::json;
using testing::ApiTestEnv;

json Body(const ApiClient::RawResponse& r) { return json::parse(r.body, nullptr, false); }
std::string ErrorCode(const ApiClient::RawResponse& r) {
  json j = Body(r);
  return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.StartServer(); }

  ApiClient::RawResponse Raw(std::string_view method, std::string_view path,
                             std::string_view body = "", std::string token = "",
                             std::map<std::string, std::string> headers = {}) {
    ApiClient c = env_.Client(std::move(token));
    if (!body.empty() && !headers.count("Content-Type"))
      headers["Content-Type"] = "application/json";
    auto r = c.Send(method, path, body, headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ApiClient::RawResponse{};
  }

  // The server still serves after whatever the test did.
  void ExpectServing() {
    auto r = env_.Client().Get("/api/v1/health");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  }

  // Audit entries written for a request id: (action, outcome, object).
  std::vector<std::tuple<std::string, std::string, std::string>> AuditFor(
      const std::string& request_id) {
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    auto st = env_.zone().db().Query(
        "SELECT action, outcome, object FROM audit_entries WHERE request_id = ?1 ORDER BY seq",
        request_id);
    while (*st->Step()) out.emplace_back(st->Text(0), st->Text(1), st->Text(2));
    return out;
  }

  int64_t UserId(std::string_view role) { return env_.Account(role).user_id; }

  ApiTestEnv env_;
};

TEST_F(ServerTest, SignInWithTotpUseTheSessionAndLogOut) {
  const auto& a = env_.Account("analyst");
  // Password alone is not enough for an enrolled account.
  auto no_code = Raw("POST", "/api/v1/auth/login",
                     json{{"username", a.username}, {"password", a.password}}.dump());
  EXPECT_EQ(no_code.status, 401);
  EXPECT_EQ(ErrorCode(no_code), "UNAUTHENTICATED");
  // One error format: code, message, request id (also in the header), one line.
  json err = Body(no_code)["error"];
  EXPECT_EQ(err["request_id"], no_code.headers["X-Request-Id"]);
  EXPECT_EQ(err["message"].get<std::string>().find('\n'), std::string::npos);
  EXPECT_EQ(no_code.headers["WWW-Authenticate"], "Bearer realm=\"safezone\"");

  std::string token = env_.SignIn("analyst");
  ASSERT_EQ(identity::TokenKindOf(token), identity::TokenKind::kSession);
  auto me = Raw("GET", "/api/v1/auth/me", "", token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me)["user"]["username"], "analyst");
  EXPECT_EQ(Body(me)["credential"]["method"], "session");
  // The request id reaches the audit trail.
  auto entries = AuditFor(me.headers["X-Request-Id"]);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(std::get<0>(entries[0]), "self.read");
  EXPECT_EQ(std::get<1>(entries[0]), "allow");

  EXPECT_EQ(Raw("POST", "/api/v1/auth/logout", "", token).status, 200);
  EXPECT_EQ(Raw("GET", "/api/v1/auth/me", "", token).status, 401);
}

TEST_F(ServerTest, ForgedExpiredAndRevokedCredentialsAre401) {
  std::string forged = identity::NewToken(identity::TokenKind::kSession);  // well-formed, unknown
  EXPECT_EQ(Raw("GET", "/api/v1/auth/me", "", forged).status, 401);
  EXPECT_EQ(Raw("GET", "/api/v1/auth/me", "", "szs_not-a-token").status, 401);
  auto basic = Raw("GET", "/api/v1/auth/me", "", "", {{"Authorization", "Basic YWRtaW46YWRtaW4="}});
  EXPECT_EQ(basic.status, 401);
  EXPECT_EQ(Raw("GET", "/api/v1/auth/me").status, 401);  // no credential at all

  // A session expires after 30 minutes without use.
  std::string session = env_.SignIn("output_reviewer");
  EXPECT_EQ(Raw("GET", "/api/v1/auth/me", "", session).status, 200);
  env_.clock().Advance(std::chrono::minutes(31));
  EXPECT_EQ(Raw("GET", "/api/v1/auth/me", "", session).status, 401);

  // API tokens: expired and revoked.
  session = env_.SignIn("output_reviewer");
  auto make = [&](int64_t lifetime) {
    env_.clock().Advance(std::chrono::seconds(30));
    json body = {{"name", "ci"},
                 {"scopes", {"catalog:read"}},
                 {"lifetime_seconds", lifetime},
                 {"totp", env_.Code("output_reviewer")}};
    auto r = Raw("POST", "/api/v1/auth/tokens", body.dump(), session);
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r);
  };
  json short_lived = make(60);
  std::string t1 = short_lived["token"];
  EXPECT_EQ(Raw("GET", "/api/v1/datasets", "", t1).status, 200);
  env_.clock().Advance(std::chrono::seconds(61));
  EXPECT_EQ(Raw("GET", "/api/v1/datasets", "", t1).status, 401);

  session = env_.SignIn("output_reviewer");
  json revocable = make(3600);
  std::string t2 = revocable["token"];
  EXPECT_EQ(Raw("GET", "/api/v1/datasets", "", t2).status, 200);
  auto revoke =
      Raw("DELETE", "/api/v1/auth/tokens/" + std::to_string(revocable["id"].get<int64_t>()), "",
          session);
  EXPECT_EQ(revoke.status, 200) << revoke.body;
  EXPECT_EQ(Raw("GET", "/api/v1/datasets", "", t2).status, 401);
  // A token may do only what its scopes cover: listing users needs an interactive session.
  ExpectServing();
}

TEST_F(ServerTest, BadCredentialsFeedThePerAddressThrottle) {
  // identity blocks an address after 20 failures within an hour.
  for (int i = 0; i < 20; ++i)
    Raw("GET", "/api/v1/auth/me", "", identity::NewToken(identity::TokenKind::kApi));
  auto blocked = Raw("GET", "/api/v1/auth/me", "", identity::NewToken(identity::TokenKind::kApi));
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(ErrorCode(blocked), "RESOURCE_EXHAUSTED");
  EXPECT_GE(std::stoi(blocked.headers["Retry-After"]), 1);
  // Sign-in from the throttled address is refused too.
  const auto& a = env_.Account("auditor");
  auto login =
      Raw("POST", "/api/v1/auth/login",
          json{{"username", a.username}, {"password", a.password}, {"totp", env_.Code("auditor")}}
              .dump());
  EXPECT_EQ(login.status, 429);
  ExpectServing();
}

TEST_F(ServerTest, PrivilegeEscalationIsRefusedAndAudited) {
  std::string analyst = env_.SignIn("analyst");
  // Granting oneself a role.
  std::string path = "/api/v1/users/" + std::to_string(UserId("analyst")) + "/roles";
  auto self_grant = Raw("POST", path, json{{"role", "administrator"}}.dump(), analyst);
  EXPECT_EQ(self_grant.status, 403);
  EXPECT_EQ(ErrorCode(self_grant), "PERMISSION_DENIED");
  auto entries = AuditFor(self_grant.headers["X-Request-Id"]);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(std::get<0>(entries[0]), "role.grant");
  EXPECT_EQ(std::get<1>(entries[0]), "deny");

  // Even an administrator cannot change their own roles.
  std::string admin = env_.SignIn("administrator");
  path = "/api/v1/users/" + std::to_string(UserId("administrator")) + "/roles";
  EXPECT_EQ(Raw("POST", path, json{{"role", "auditor"}}.dump(), admin).status, 403);
  path = "/api/v1/users/" + std::to_string(UserId("administrator")) + "/roles/administrator";
  EXPECT_EQ(Raw("DELETE", path, "", admin).status, 403);

  // A provider acting on another institution's dataset.
  std::string provider = env_.SignIn("data_provider");
  auto other = Raw("PUT", "/api/v1/datasets/card_spending/versions/1/roles",
                   json{{"roles", {{"route", "quasi_identifier"}}}}.dump(), provider);
  EXPECT_EQ(other.status, 403) << other.body;
  entries = AuditFor(other.headers["X-Request-Id"]);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(std::get<0>(entries[0]), "dataset.update_metadata");
  EXPECT_EQ(std::get<1>(entries[0]), "deny");
  EXPECT_EQ(std::get<2>(entries[0]).rfind("dataset:", 0), 0u);
  // ... and its own works.
  auto own =
      Raw("PUT", "/api/v1/datasets/bus_trips/versions/1/roles",
          json{{"roles", {{"route", "quasi_identifier"}}}, {"confirm", true}}.dump(), provider);
  EXPECT_EQ(own.status, 200) << own.body;
  // Importing under another institution's name.
  std::string csv = env_.WriteFile("x.csv", "a,b\n1,2\n");
  auto c = env_.Client(provider);
  auto imported = c.Upload("/api/v1/datasets",
                           {{"name", "sneaky"},
                            {"sector", "finance"},
                            {"tier", "non_open"},
                            {"provider", "other_institution"},
                            {"filename", "x.csv"}},
                           csv);
  EXPECT_EQ(imported.status().code(), Code::kPermissionDenied);
  ExpectServing();
}

TEST_F(ServerTest, OversizedMalformedAndNonUtf8BodiesAreRefused) {
  std::string big = json{{"username", std::string(100 << 10, 'a')}}.dump();
  auto r = Raw("POST", "/api/v1/auth/login", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(ErrorCode(r), "RESOURCE_EXHAUSTED");
  ExpectServing();

  // Without a Content-Length (chunked), the limit holds while reading.
  {
    httplib::SSLClient raw("127.0.0.1", env_.server().port());
    raw.enable_server_certificate_verification(false);
    auto res = raw.Post(
        "/api/v1/auth/login",
        [&](size_t offset, httplib::DataSink& sink) {
          if (offset >= big.size()) {
            sink.done();
            return true;
          }
          return sink.write(big.data() + offset, std::min<size_t>(8192, big.size() - offset));
        },
        "application/json");
    // The server answers 413 and closes the connection as soon as the limit is passed;
    // a client still sending may see the connection close before it reads the answer.
    if (res) {
      EXPECT_EQ(res->status, 413);
    } else {
      EXPECT_TRUE(res.error() == httplib::Error::Write || res.error() == httplib::Error::Read ||
                  res.error() == httplib::Error::Canceled)  // the body could not be sent on
          << httplib::to_string(res.error());
    }
  }
  ExpectServing();
  env_.server().FlushRequestLog();
  auto rows = zone::ReadRequestLog(env_.zone().db(), 0, INT64_MAX);
  ASSERT_TRUE(rows.ok());
  int refused = 0;
  for (const auto& row : *rows) refused += row.route == "/api/v1/auth/login" && row.status == 413;
  // The declared-length one for sure; the chunked one too unless the connection was
  // already gone when the answer was written.
  EXPECT_GE(refused, 1);

  EXPECT_EQ(Raw("POST", "/api/v1/auth/login", "{\"username\": ").status, 400);
  EXPECT_EQ(Raw("POST", "/api/v1/auth/login", "[1, 2]").status, 400);
  auto bad_utf8 =
      Raw("POST", "/api/v1/auth/login", "{\"username\": \"\xff\xfe\", \"password\": \"x\"}");
  EXPECT_EQ(bad_utf8.status, 400);
  EXPECT_EQ(ErrorCode(bad_utf8), "INVALID_ARGUMENT");
  EXPECT_EQ(Raw("GET", "/api/v1/datasets?q=%FF%FE").status, 400);
  EXPECT_EQ(Raw("POST", "/api/v1/auth/login", json{{"username", 5}}.dump()).status, 400);
  // A multipart form is not how files are sent.
  EXPECT_EQ(Raw("POST", "/api/v1/auth/login", "--x\r\n", "",
                {{"Content-Type", "multipart/form-data; boundary=x"}})
                .status,
            415);
  ExpectServing();
}

TEST_F(ServerTest, PathTraversalAndOddPathsAreRefused) {
  std::string token = env_.SignIn("analyst");
  for (std::string path :
       {"/api/v1/datasets/..%2F..%2Fetc%2Fpasswd", "/api/v1/datasets/%2e%2e",
        "/api/v1/datasets/../../etc/passwd", "/api/v1/../v1/health", "/api/v1/datasets/Bad.Name",
        "/api/v1/datasets/bus%00trips", "/api/v1/datasets/bus%5Ctrips"}) {
    auto r = Raw("GET", path, "", token);
    EXPECT_EQ(r.status, 400) << path << ": " << r.body;
    EXPECT_EQ(ErrorCode(r), "INVALID_ARGUMENT") << path;
    EXPECT_EQ(r.body.find("/etc"), std::string::npos) << "message echoes the path: " << r.body;
  }
  EXPECT_EQ(Raw("GET", "/api/v1/nothing-here").status, 404);
  EXPECT_EQ(Raw("GET", "/api/v1/health/").status, 404);
  EXPECT_EQ(Raw("DELETE", "/api/v1/health").status, 405);
  EXPECT_EQ(Raw("PATCH", "/api/v1/health").status, 405);

  // An upload's file name must not carry directories.
  std::string provider = env_.SignIn("data_provider");
  std::string csv = env_.WriteFile("y.csv", "a,b\n1,2\n");
  auto up = env_.Client(provider).Upload("/api/v1/datasets",
                                         {{"name", "y"},
                                          {"sector", "finance"},
                                          {"tier", "non_open"},
                                          {"provider", "demo_institution"},
                                          {"filename", "../../y.csv"}},
                                         csv);
  EXPECT_EQ(up.status().code(), Code::kInvalidArgument);
  ExpectServing();
}

TEST_F(ServerTest, UploadImportsThroughMemoryAndErrorsNameNoInternalPath) {
  std::string provider = env_.SignIn("data_provider");
  std::string csv = env_.WriteFile("upload.csv", "station,riders\n서울역,120\n시청,95\n");
  auto c = env_.Client(provider);
  auto r = c.Upload("/api/v1/datasets",
                    {{"name", "station_riders"},
                     {"sector", "transportation"},
                     {"tier", "non_open"},
                     {"provider", "demo_institution"},
                     {"filename", "riders.csv"},
                     {"title_ko", "역별 승객"}},
                    csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["version"]["row_count"], 2);
  EXPECT_EQ((*r)["version"]["source"]["name"], "riders.csv");
  // Nothing was written to the zone's tmp/ or anywhere as plaintext.
  EXPECT_TRUE(std::filesystem::is_empty(env_.dir() + "/zone/tmp"));

  // A bad file: the message names the file as uploaded, not /proc/self/fd/N.
  std::string ragged = env_.WriteFile("ragged.csv", "a,b\n1,2\n3\n");
  auto bad = c.Upload("/api/v1/datasets",
                      {{"name", "ragged"},
                       {"sector", "finance"},
                       {"tier", "non_open"},
                       {"provider", "demo_institution"},
                       {"filename", "ragged.csv"}},
                      ragged);
  ASSERT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("ragged.csv"), std::string::npos) << bad.status().message();
  EXPECT_EQ(bad.status().message().find("/proc"), std::string::npos) << bad.status().message();
  EXPECT_EQ(bad.status().message().find(env_.dir()), std::string::npos);
  auto shown = c.Get("/api/v1/datasets/station_riders");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ((*shown)["title_ko"], "역별 승객");
}

TEST_F(ServerTest, UploadLargerThanTheLimitIs413) {
  auto options = env_.ServerOptions();
  options.max_upload = 64;
  env_.StartServer(options);
  std::string provider = env_.SignIn("data_provider");
  std::string csv = env_.WriteFile("big.csv", "a,b\n" + std::string(200, '1') + ",2\n");
  auto r = env_.Client(provider).Upload("/api/v1/datasets",
                                        {{"name", "big"},
                                         {"sector", "finance"},
                                         {"tier", "non_open"},
                                         {"provider", "demo_institution"},
                                         {"filename", "big.csv"}},
                                        csv);
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted) << r.status().ToString();
  ExpectServing();
}

TEST_F(ServerTest, RateLimitsPerAccountAndPerAddress) {
  auto options = env_.ServerOptions();
  options.per_account = {0.01, 3};
  env_.StartServer(options);
  std::string analyst = env_.SignIn("analyst");
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Raw("GET", "/api/v1/datasets", "", analyst).status, 200) << i;
  auto limited = Raw("GET", "/api/v1/datasets", "", analyst);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(ErrorCode(limited), "RESOURCE_EXHAUSTED");
  EXPECT_GE(std::stoi(limited.headers["Retry-After"]), 1);
  // Another account is not affected.
  std::string reviewer = env_.SignIn("output_reviewer");
  EXPECT_EQ(Raw("GET", "/api/v1/datasets", "", reviewer).status, 200);

  options.per_account = {10000, 10000};
  options.per_address = {0.01, 2};
  env_.StartServer(options);
  EXPECT_EQ(Raw("GET", "/api/v1/health").status, 200);
  EXPECT_EQ(Raw("GET", "/api/v1/health").status, 200);
  auto by_address = Raw("GET", "/api/v1/health");
  EXPECT_EQ(by_address.status, 429);
  EXPECT_FALSE(by_address.headers["X-Request-Id"].empty());

  options.per_address = {10000, 10000};
  options.login_per_address = {0.01, 1};
  env_.StartServer(options);
  json wrong = {{"username", "analyst"}, {"password", "wrong-password-123"}, {"totp", "000000"}};
  EXPECT_EQ(Raw("POST", "/api/v1/auth/login", wrong.dump()).status, 401);
  EXPECT_EQ(Raw("POST", "/api/v1/auth/login", wrong.dump()).status, 429);
  ExpectServing();
}

// Connects a raw TCP socket that never completes a TLS handshake.
int SilentConnection(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{30, 0};  // a safety net only; the server closes long before
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

TEST_F(ServerTest, SlowClientsTimeOutWithoutHurtingOthers) {
  auto options = env_.ServerOptions();
  options.worker_threads = 4;
  options.read_timeout = std::chrono::seconds(1);
  env_.StartServer(options);
  int slow1 = SilentConnection(env_.server().port());
  int slow2 = SilentConnection(env_.server().port());
  ASSERT_GE(slow1, 0);
  ASSERT_GE(slow2, 0);
  // Two workers wait on silent clients; the others serve.
  std::string token = env_.SignIn("analyst");
  EXPECT_EQ(Raw("GET", "/api/v1/datasets", "", token).status, 200);
  // The server closes the silent connections (recv sees end of file, not our timeout).
  char buf[16];
  ssize_t n1 = ::recv(slow1, buf, sizeof buf, 0);
  int err1 = errno;
  ssize_t n2 = ::recv(slow2, buf, sizeof buf, 0);
  EXPECT_TRUE(n1 == 0 || (n1 < 0 && err1 != EAGAIN && err1 != EWOULDBLOCK)) << n1 << " " << err1;
  EXPECT_LE(n2, 0);
  ::close(slow1);
  ::close(slow2);
  ExpectServing();
}

TEST_F(ServerTest, RequestLogHoldsRouteTemplatesNotNamesOrTokens) {
  std::string token = env_.SignIn("analyst");
  EXPECT_EQ(Raw("GET", "/api/v1/datasets/bus_trips", "", token).status, 200);
  EXPECT_EQ(Raw("GET", "/api/v1/datasets/no_such_set", "", token).status, 404);
  EXPECT_EQ(Raw("GET", "/api/v1/elsewhere").status, 404);
  env_.server().FlushRequestLog();
  auto rows = zone::ReadRequestLog(env_.zone().db(), 0, INT64_MAX);
  ASSERT_TRUE(rows.ok());
  int dataset_reads = 0, unmatched = 0;
  for (const auto& r : *rows) {
    EXPECT_EQ(r.route.find("bus_trips"), std::string::npos);
    EXPECT_EQ(r.route.find("szs_"), std::string::npos);
    if (r.route == "/api/v1/datasets/{name}") {
      ++dataset_reads;
      EXPECT_EQ(r.user_id, UserId("analyst"));
      EXPECT_EQ(r.method, "GET");
      EXPECT_TRUE(r.status == 200 || r.status == 404);
      EXPECT_GE(r.latency_us, 0);
    }
    if (r.route == "(unmatched)") ++unmatched;
  }
  EXPECT_EQ(dataset_reads, 2);
  EXPECT_EQ(unmatched, 1);
}

TEST_F(ServerTest, AuditorReadsVerifiesAndExportsTheTrail) {
  std::string auditor = env_.SignIn("auditor");
  auto c = env_.Client(auditor);
  auto entries = c.Get("/api/v1/audit/entries",
                       {{"action", "session.login"}, {"outcome", "allow"}, {"limit", "5"}});
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_FALSE((*entries)["entries"].empty());
  for (const auto& e : (*entries)["entries"]) EXPECT_EQ(e["action"], "session.login");
  auto report = c.Post("/api/v1/audit/verify");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE((*report)["ok"].get<bool>()) << report->dump();
  auto archive = c.GetRaw("/api/v1/audit/export", {{"format", "jsonl"}});
  ASSERT_TRUE(archive.ok()) << archive.status().ToString();
  std::istringstream in(*archive);
  audit::VerifyOptions from_archive;
  from_archive.checkpoint_interval = 0;  // as the archive says
  auto verified = audit::VerifyJsonl(in, env_.zone().audit_public_key(), from_archive);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok()) << verified->detail;
  EXPECT_GT(verified->entries, 10);
  auto csv = c.GetRaw("/api/v1/audit/export", {{"format", "csv"}});
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->rfind("record_type,", 0), 0u);
  // The analyst may not read the trail.
  std::string analyst = env_.SignIn("analyst");
  EXPECT_EQ(env_.Client(analyst).Get("/api/v1/audit/entries").status().code(),
            Code::kPermissionDenied);
}

TEST_F(ServerTest, TlsKeyIsNeverOnDiskAndTheCertificateIsReused) {
  std::string cert_path = env_.server().tls().cert_path;
  std::string fingerprint = env_.server().tls().fingerprint;
  EXPECT_EQ(cert_path, env_.dir() + "/zone/tls/cert.pem");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(env_.dir() + "/zone")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content.find("PRIVATE KEY"), std::string::npos) << entry.path();
  }
  env_.StartServer();  // a restart keeps the certificate clients pinned
  EXPECT_EQ(env_.server().tls().fingerprint, fingerprint);
  EXPECT_FALSE(env_.server().tls().generated);

  // A client pinning another certificate refuses the server.
  auto other = MakeSelfSigned("other", {"127.0.0.1"}, 30);
  ASSERT_TRUE(other.ok());
  std::string other_pem = env_.WriteFile("other.pem", other->cert_pem);
  ClientOptions o{env_.server().url(), other_pem, "", std::chrono::seconds(10)};
  auto c = ApiClient::Create(o);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->Get("/api/v1/health").status().code(), Code::kUnauthenticated);

  // TLS 1.1 is refused.
  httplib::SSLClient old("127.0.0.1", env_.server().port());
  old.enable_server_certificate_verification(false);
  SSL_CTX_set_min_proto_version(old.ssl_context(), TLS1_1_VERSION);
  SSL_CTX_set_max_proto_version(old.ssl_context(), TLS1_1_VERSION);
  EXPECT_FALSE(old.Get("/api/v1/health"));
  ExpectServing();
}

TEST_F(ServerTest, StopFinishesAndFlushesThenRefusesConnections) {
  std::string token = env_.SignIn("analyst");
  ApiClient keep_alive = env_.Client(token);
  ASSERT_TRUE(keep_alive.Get("/api/v1/datasets").ok());
  env_.server().Stop();
  env_.server().Stop();  // idempotent
  EXPECT_EQ(keep_alive.Get("/api/v1/datasets").status().code(), Code::kUnavailable);
  auto rows = zone::ReadRequestLog(env_.zone().db(), 0, INT64_MAX);
  ASSERT_TRUE(rows.ok());
  bool logged = false;
  for (const auto& r : *rows)
    logged |= r.route == "/api/v1/datasets" && r.user_id == UserId("analyst");
  EXPECT_TRUE(logged) << "rows buffered at shutdown were lost";
}

}  // namespace
}  // namespace sz::server
