// A real API server for tests: a fresh zone with one demo account per role, three
// catalogued datasets, and `safezone serve` running on a free loopback port.
//
// Time is a TestClock shared by the zone and the server, so that tests can step past
// spent TOTP codes and expire sessions without sleeping. The TLS certificate is the
// zone's self-signed one; clients pin it.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "common/clock.h"
#include "identity/totp.h"
#include "server/client.h"
#include "server/server.h"
#include "test_util.h"
#include "zone/ingest.h"
#include "zone/operator_accounts.h"
#include "zone/zone.h"

namespace sz::testing {

// A clock tests may move while server threads read it.
class TestClock final : public Clock {
 public:
  explicit TestClock(Time start) : now_(ToUnix(start)) {}
  Time Now() const override { return FromUnix(now_.load()); }
  void Advance(std::chrono::seconds by) { now_.fetch_add(by.count()); }

 private:
  std::atomic<int64_t> now_;
};

class ApiTestEnv {
 public:
  ApiTestEnv() {
    zone::ZoneOptions zo = ZoneOptions();
    auto z = zone::Zone::Init(zo, {});
    if (!z.ok()) ADD_FAILURE() << z.status().ToString();
    zone_ = std::move(*z);
    auto accounts = zone::SeedDemoAccounts(*zone_, {});
    if (!accounts.ok()) ADD_FAILURE() << accounts.status().ToString();
    for (auto& a : *accounts) accounts_[a.role] = a;
    Import("bus_trips", "transportation", "non_open", "demo_institution");
    Import("card_spending", "consumption", "non_open", "other_institution");
    Import("open_stats", "population", "open", "demo_institution");
  }

  zone::ZoneOptions ZoneOptions() {
    zone::ZoneOptions o;
    o.dir = dir_ / "zone";
    o.key.file = dir_ / "master.key";
    o.clock = &clock_;
    return o;
  }

  // Options for a test server: small, generous rate limits unless a test tightens them.
  server::ServerOptions ServerOptions() {
    server::ServerOptions o;
    o.zone = ZoneOptions();
    o.port = 0;
    o.worker_threads = 8;
    o.max_pending_connections = 16;
    o.zone_connections = 3;
    o.per_address = {10000, 10000};
    o.per_account = {10000, 10000};
    o.login_per_address = {10000, 10000};
    o.request_log_interval = std::chrono::milliseconds(20);
    o.import_threads = 1;
    return o;
  }

  server::Server& StartServer() { return StartServer(ServerOptions()); }
  server::Server& StartServer(server::ServerOptions options) {
    auto s = server::Server::Start(std::move(options));
    if (!s.ok()) ADD_FAILURE() << s.status().ToString();
    server_ = std::move(*s);
    return *server_;
  }
  server::Server& server() { return *server_; }

  server::ApiClient Client(std::string token = "") const {
    server::ClientOptions o;
    o.server = server_->url();
    o.ca_cert = server_->tls().cert_path;
    o.token = std::move(token);
    auto c = server::ApiClient::Create(o);
    if (!c.ok()) ADD_FAILURE() << c.status().ToString();
    return std::move(*c);
  }

  // One more person with `role`, signed up like the demo accounts (known password,
  // confirmed TOTP), known to Account/Code/SignIn as `key`. Uses the test's own zone
  // connection, so it may run while the server does.
  void AddAccount(const std::string& key, const std::string& username, authz::Role role) {
    identity::Identity& ids = zone_->identity();
    auto sign_in = [&](const std::string& user, const std::string& password,
                       const std::string& code) -> Result<authz::Actor> {
      SZ_ASSIGN_OR_RETURN(identity::LoginResult r,
                          ids.Login({user, password, code, "", "test-setup"}));
      return ids.Authenticate(r.token);
    };
    clock_.Advance(std::chrono::seconds(30));
    const auto& admin_account = Account("administrator");
    auto admin = sign_in(admin_account.username, admin_account.password, Code("administrator"));
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    identity::NewUser u;
    u.username = username;
    u.display_name = username;
    u.roles = {{role, 0}};
    u.accreditation_expires = Date{std::chrono::sys_days(SeoulDate(clock_.Now())) +
                                   std::chrono::days(365)};
    auto made = ids.CreateUser(*admin, u, "test-setup");
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    zone::DemoAccount a = Account("analyst");
    a.user_id = made->user_id;
    a.username = username;
    a.role = std::string(authz::RoleName(role));
    auto first = sign_in(username, made->temporary_password, "");
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ASSERT_TRUE(ids.ChangePassword(*first, made->temporary_password, a.password, "test-setup").ok());
    auto enrol = ids.BeginTotpEnrolment(*first, "test-setup");
    ASSERT_TRUE(enrol.ok()) << enrol.status().ToString();
    ASSERT_TRUE(ids.ConfirmTotpEnrolment(
                       *first, identity::Totp(enrol->secret.view(), clock_.Now()), "test-setup")
                    .ok());
    a.totp_secret = enrol->secret_base32;
    accounts_[key] = a;
  }

  const zone::DemoAccount& Account(std::string_view role) const {
    return accounts_.at(std::string(role));
  }

  // The account's TOTP code now. Sign-ins step the clock so every code is fresh.
  std::string Code(std::string_view role) const {
    auto secret = identity::Base32Decode(Account(role).totp_secret);
    return identity::Totp(*secret, clock_.Now());
  }

  // Signs in over the API (after stepping the clock past the last code used).
  std::string SignIn(std::string_view role) {
    clock_.Advance(std::chrono::seconds(30));
    const auto& a = Account(role);
    auto r =
        Client().Post("/api/v1/auth/login",
                      {{"username", a.username}, {"password", a.password}, {"totp", Code(role)}});
    if (!r.ok()) {
      ADD_FAILURE() << "sign-in of " << role << ": " << r.status().ToString();
      return "";
    }
    return (*r)["token"].get<std::string>();
  }

  TestClock& clock() { return clock_; }
  zone::Zone& zone() { return *zone_; }
  const std::string& dir() const { return dir_.path(); }
  std::string WriteFile(const std::string& name, std::string_view content) {
    std::string path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

 private:
  void Import(const std::string& name, const std::string& sector, const std::string& tier,
              const std::string& provider) {
    zone::ImportRequest r;
    r.path = WriteFile(name + ".csv", "trip_id,route,fare\n1,A,1250\n2,B,1450\n3,A,1250\n");
    r.name = name;
    r.sector = sector;
    r.tier = tier;
    r.provider = provider;
    r.threads = 1;
    auto result = zone::ImportDataset(*zone_, zone::Caller::Operator("test-setup"), r);
    if (!result.ok()) ADD_FAILURE() << result.status().ToString();
  }

  TempDir dir_;
  TestClock clock_{SystemClock::Get().Now()};
  std::unique_ptr<zone::Zone> zone_;
  std::map<std::string, zone::DemoAccount> accounts_;
  std::unique_ptr<server::Server> server_;
};

}  // namespace sz::testing
