// Benchmarks for the HTTPS API server (bounded load tests over loopback).
//
//   catalog: an analyst's authenticated GET /api/v1/datasets (bearer session ->
//     identity.Authenticate -> SearchCatalog, which writes a durable audit entry), from
//     64 concurrent keep-alive TLS connections, a fixed number of requests in all.
//     Baselines, same run: the same zone call (SearchCatalog for the same actor) made
//     in-process by one thread (the work itself: rate_ratio_vs_in_process) and by as
//     many threads as the server has zone connections (rate_ratio_vs_in_process_pool).
//     The ratios show what HTTP + TLS + authentication + the server's bookkeeping cost
//     or, with concurrency, gain; p50/p99 latency is per request as the client sees it.
//     SZ_BENCH_ZONES sets the zone connections (default 8, the server's default).
//   login: POST /api/v1/auth/login (Argon2id verification each) from 4 connections vs
//     Identity::Login in-process from 4 threads; for information, both Argon2id-bound.
//
// Sizes: SZ_BENCH_REQUESTS (default 4000), SZ_BENCH_CONNECTIONS (64), SZ_BENCH_LOGINS (40).
// Each benchmark runs once (Iterations(1), manual time): e.g. `build/server_bench`.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "identity/identity.h"
#include "identity/totp.h"
#include "server/client.h"
#include "server/server.h"
#include "zone/catalog_service.h"
#include "zone/ingest.h"
#include "zone/operator_accounts.h"

namespace sz {
namespace {

using Clock = std::chrono::steady_clock;

int ZoneConnections() { return static_cast<int>(bench::EnvSize("SZ_BENCH_ZONES", 8)); }
constexpr int kLoginThreads = 4;

struct Fixture {
  bench::ScratchDir dir;
  zone::ZoneOptions options;
  std::vector<zone::DemoAccount> accounts;
  std::vector<std::pair<std::string, std::string>> login_accounts;  // username, password
  std::unique_ptr<server::Server> server;
  std::string analyst_token;
  authz::Actor analyst_actor;
  double baseline_catalog_rate = 0;       // one thread: the zone call alone
  double baseline_catalog_rate_pool = 0;  // as many threads as the server has zones
  double baseline_login_rate = 0;
};

Fixture* g_fixture = nullptr;

[[noreturn]] void Die(const Status& s, const char* what) {
  std::fprintf(stderr, "server_bench: %s: %s\n", what, s.ToString().c_str());
  std::abort();
}
void Must(const Status& s, const char* what) {
  if (!s.ok()) Die(s, what);
}
template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(r.status(), what);
  return std::move(r).value();
}

Fixture& F() {
  static Fixture* f = [] {
    auto* fx = new Fixture();
    fx->options.dir = fx->dir / "zone";
    fx->options.key.file = fx->dir / "master.key";
    auto z = Must(zone::Zone::Init(fx->options, {}), "init");
    fx->accounts = Must(zone::SeedDemoAccounts(*z, {}), "demo accounts");
    // A catalog of 12 datasets across the sectors.
    const char* sectors[] = {"transportation", "population",  "real_estate",
                             "tourism",        "consumption", "finance"};
    for (int i = 0; i < 12; ++i) {
      std::string path = fx->dir / ("d" + std::to_string(i) + ".csv");
      std::ofstream(path) << "id,region,amount\n1,서울,100\n2,부산,200\n3,대구,300\n";
      zone::ImportRequest r;
      r.path = path;
      r.name = "dataset_" + std::to_string(i);
      r.sector = sectors[i % 6];
      r.tier = i % 3 == 0 ? "open" : "non_open";
      r.provider = "demo_institution";
      r.threads = 1;
      Must(zone::ImportDataset(*z, zone::Caller::Operator("bench"), r).status(), "import");
    }
    // Accounts without TOTP for the login benchmark (restricted sessions; same Argon2id).
    const auto& admin_account = fx->accounts[0];
    std::string secret = Must(identity::Base32Decode(admin_account.totp_secret), "secret");
    // The seeding spent the administrator's current step; the next one is within the window.
    auto admin_login =
        Must(z->identity().Login(
                 {admin_account.username, admin_account.password,
                  identity::Totp(secret, SystemClock::Get().Now() + std::chrono::seconds(30)), "",
                  "bench"}),
             "administrator sign-in");
    authz::Actor admin = Must(z->identity().Authenticate(admin_login.token), "authenticate");
    for (int i = 0; i < kLoginThreads * 2; ++i) {
      identity::NewUser u;
      u.username = "bench.login" + std::to_string(i);
      u.display_name = "Bench";
      u.roles = {{authz::Role::kAnalyst, 0}};
      auto made = Must(z->identity().CreateUser(admin, u, "bench"), "create user");
      fx->login_accounts.emplace_back(u.username, made.temporary_password);
    }
    // The analyst's session, for both the server and the in-process baseline.
    const zone::DemoAccount* analyst = nullptr;
    for (const auto& a : fx->accounts)
      if (a.role == "analyst") analyst = &a;
    std::string asecret = Must(identity::Base32Decode(analyst->totp_secret), "secret");
    auto login =
        Must(z->identity().Login({analyst->username, analyst->password,
                                  identity::Totp(asecret, SystemClock::Get().Now()), "", "bench"}),
             "analyst sign-in");
    fx->analyst_token = login.token;
    fx->analyst_actor = Must(z->identity().Authenticate(login.token), "authenticate");

    server::ServerOptions so;
    so.zone = fx->options;
    so.port = 0;
    so.worker_threads = static_cast<int>(bench::EnvSize("SZ_BENCH_CONNECTIONS", 64));
    so.zone_connections = ZoneConnections();
    so.per_address = {1e9, 1e9};
    so.per_account = {1e9, 1e9};
    so.login_per_address = {1e9, 1e9};
    fx->server = Must(server::Server::Start(so), "server");
    g_fixture = fx;
    return fx;
  }();
  return *f;
}

server::ApiClient Client(const std::string& token) {
  server::ClientOptions o{F().server->url(), F().server->tls().cert_path, token,
                          std::chrono::seconds(120)};
  auto c = server::ApiClient::Create(o);
  if (!c.ok()) std::abort();
  return std::move(*c);
}

// Runs `total` calls of `call(thread, i)` on `threads` threads; returns per-call latencies
// (seconds) and the wall time.
template <typename Call>
std::pair<std::vector<double>, double> RunLoad(int threads, int64_t total, Call call) {
  std::vector<std::vector<double>> latencies(threads);
  std::atomic<int64_t> next{0};
  std::atomic<bool> failed{false};
  auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      while (true) {
        int64_t i = next.fetch_add(1);
        if (i >= total) break;
        auto t0 = Clock::now();
        if (!call(t, i)) failed = true;
        latencies[t].push_back(std::chrono::duration<double>(Clock::now() - t0).count());
      }
    });
  }
  for (auto& th : pool) th.join();
  double wall = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) std::abort();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  return {all, wall};
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i =
      std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())));
  return sorted[i];
}

void Report(benchmark::State& state, const std::vector<double>& lat, double wall,
            double baseline_rate) {
  double rate = static_cast<double>(lat.size()) / wall;
  state.SetIterationTime(wall);
  state.counters["requests_per_s"] = rate;
  state.counters["p50_ms"] = Percentile(lat, 0.50) * 1e3;
  state.counters["p99_ms"] = Percentile(lat, 0.99) * 1e3;
  if (baseline_rate > 0) state.counters["rate_ratio_vs_in_process"] = rate / baseline_rate;
}

// state.range(0): threads, each with its own Zone.
void BM_CatalogInProcessBaseline(benchmark::State& state) {
  Fixture& f = F();
  int64_t total = bench::EnvSize("SZ_BENCH_REQUESTS", 4000);
  int threads = static_cast<int>(state.range(0));
  std::vector<std::unique_ptr<zone::Zone>> zones;
  for (int i = 0; i < threads; ++i) zones.push_back(zone::Zone::Open(f.options).value());
  for (auto _ : state) {
    auto [lat, wall] = RunLoad(threads, total, [&](int t, int64_t) {
      return zone::SearchCatalog(*zones[t], zone::Caller::Person(f.analyst_actor, "bench"), {})
          .ok();
    });
    // The serial zone call is the baseline: what the work itself costs, without HTTP, TLS
    // or contention between connections.
    double rate = static_cast<double>(lat.size()) / wall;
    (threads == 1 ? f.baseline_catalog_rate : f.baseline_catalog_rate_pool) = rate;
    Report(state, lat, wall, threads == 1 ? 0 : f.baseline_catalog_rate);
  }
}

void BM_CatalogOverHttps(benchmark::State& state) {
  Fixture& f = F();
  int64_t total = bench::EnvSize("SZ_BENCH_REQUESTS", 4000);
  int connections = static_cast<int>(bench::EnvSize("SZ_BENCH_CONNECTIONS", 64));
  std::vector<server::ApiClient> clients;
  for (int i = 0; i < connections; ++i) {
    clients.push_back(Client(f.analyst_token));
    if (!clients.back().Get("/api/v1/health").ok())
      std::abort();  // TLS handshake outside the timing
  }
  for (auto _ : state) {
    auto [lat, wall] = RunLoad(connections, total, [&](int t, int64_t) {
      return clients[t].Get("/api/v1/datasets").ok();
    });
    Report(state, lat, wall, f.baseline_catalog_rate);
    if (f.baseline_catalog_rate_pool > 0) {
      state.counters["rate_ratio_vs_in_process_pool"] =
          static_cast<double>(lat.size()) / wall / f.baseline_catalog_rate_pool;
    }
  }
}

void BM_LoginInProcessBaseline(benchmark::State& state) {
  Fixture& f = F();
  int64_t total = bench::EnvSize("SZ_BENCH_LOGINS", 40);
  std::vector<std::unique_ptr<zone::Zone>> zones;
  for (int i = 0; i < kLoginThreads; ++i) zones.push_back(zone::Zone::Open(f.options).value());
  for (auto _ : state) {
    auto [lat, wall] = RunLoad(kLoginThreads, total, [&](int t, int64_t) {
      const auto& [user, password] = f.login_accounts[static_cast<size_t>(t)];
      return zones[t]->identity().Login({user, password, "", "", "bench"}).ok();
    });
    f.baseline_login_rate = static_cast<double>(lat.size()) / wall;
    Report(state, lat, wall, 0);
  }
}

void BM_LoginOverHttps(benchmark::State& state) {
  Fixture& f = F();
  int64_t total = bench::EnvSize("SZ_BENCH_LOGINS", 40);
  std::vector<server::ApiClient> clients;
  for (int i = 0; i < kLoginThreads; ++i) clients.push_back(Client(""));
  for (auto _ : state) {
    auto [lat, wall] = RunLoad(kLoginThreads, total, [&](int t, int64_t) {
      const auto& [user, password] = f.login_accounts[static_cast<size_t>(kLoginThreads + t)];
      return clients[t]
          .Post("/api/v1/auth/login", {{"username", user}, {"password", password}})
          .ok();
    });
    Report(state, lat, wall, f.baseline_login_rate);
  }
}

BENCHMARK(BM_CatalogInProcessBaseline)
    ->Arg(1)
    ->Arg(8)
    ->ArgName("threads")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CatalogOverHttps)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoginInProcessBaseline)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoginOverHttps)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sz

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  // Stop the server (and remove the scratch zone) before static destruction begins.
  delete sz::g_fixture;
  benchmark::Shutdown();
  return 0;
}
