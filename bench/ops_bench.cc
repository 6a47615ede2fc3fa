// Benchmarks for operations: the monthly report, backups, and the plaintext scan of the
// security self-inspection. Each measurement reports a ratio against a baseline measured
// in the same run (machines are shared and noisy):
//   - MonthlyReport over R request-log rows and A audit entries (defaults 200,000 and
//     50,000; SZ_BENCH_REPORT_REQUESTS / SZ_BENCH_REPORT_AUDIT override) vs a bare scan
//     of the same rows and columns;
//   - BackupZone of a zone holding one dataset (SZ_BENCH_BACKUP_ROWS rows, default
//     300,000), which includes verifying every sealed file, vs copying the same files
//     with fsync;
//   - ScanText over 64 MiB of CSV-like text vs one pass counting digits.
//
// Run briefly on a shared machine, e.g.:
//   build/ops_bench --benchmark_min_time=0.1
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

#include "audit/audit_log.h"
#include "bench_util.h"
#include "fmt/format.h"
#include "ops/backup.h"
#include "ops/plaintext_scan.h"
#include "ops/usage_report.h"
#include "ops/zone_files.h"
#include "zone/ingest.h"
#include "zone/request_log.h"
#include "zone/zone.h"

namespace sz {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void Ratio(benchmark::State& state, const char* name, double mine, double base) {
  if (base > 0) state.counters[name] = mine / base;
}

constexpr ops::Month kMonth{2026, 11};

// ---- monthly report ----

struct ReportZone {
  bench::ScratchDir dir;
  FakeClock clock{FromUnix(kMonth.Start())};
  std::unique_ptr<zone::Zone> zone;
  int64_t requests = 0, audit_entries = 0;
};

ReportZone& TheReportZone() {
  static ReportZone* z = [] {
    auto* r = new ReportZone();
    zone::ZoneOptions o;
    o.dir = r->dir / "zone";
    o.key.file = r->dir / "master.key";
    o.key.env_var = "";
    o.clock = &r->clock;
    auto made = zone::Zone::Init(o, {});
    r->zone = std::move(*made);
    auto& db = r->zone->db();
    const char* sectors[] = {"transportation", "population", "real_estate",
                             "tourism",        "consumption", "finance"};
    for (int i = 1; i <= 30; ++i) {
      (void)db.Run("INSERT INTO datasets(id, name, sector, tier, provider, created_at, created_by) "
                   "VALUES (?1, ?2, ?3, 'non_open', 'p', 'x', 'x')",
                   i, fmt::format("ds{}", i), sectors[i % 6]);
    }
    std::mt19937_64 rng(7);
    r->requests = bench::EnvSize("SZ_BENCH_REPORT_REQUESTS", 200000);
    const char* routes[] = {"/api/v1/datasets", "/api/v1/datasets/{name}", "/api/v1/auth/me",
                            "/api/v1/audit/entries", "/api/v1/sectors"};
    std::vector<zone::RequestRecord> batch;
    for (int64_t i = 0; i < r->requests; ++i) {
      batch.push_back({kMonth.Start() + static_cast<int64_t>(rng() % (30 * 86400)), "GET",
                       routes[rng() % 5], rng() % 50 == 0 ? 500 : 200,
                       static_cast<int64_t>(1000 + rng() % 200000),
                       static_cast<int64_t>(1 + rng() % 200)});
      if (batch.size() == 10000) {
        (void)zone::AppendRequestLog(db, batch);
        batch.clear();
      }
    }
    (void)zone::AppendRequestLog(db, batch);
    r->audit_entries = bench::EnvSize("SZ_BENCH_REPORT_AUDIT", 50000);
    for (int64_t i = 0; i < r->audit_entries;) {
      auto txn = storage::Transaction::Begin(db);
      for (int j = 0; j < 1000 && i < r->audit_entries; ++j, ++i) {
        r->clock.Set(FromUnix(kMonth.Start() + i * (30 * 86400) / r->audit_entries));
        audit::Entry e;
        e.actor = fmt::format("user:{}/u", 1 + rng() % 200);
        e.action = "workspace.query";
        e.object = "project:1";
        e.reason = "allowed";
        e.datasets = {fmt::format("dataset:{}@1", 1 + rng() % 30)};
        (void)r->zone->audit().Append(db, e);
      }
      (void)txn->Commit();
    }
    return r;
  }();
  return *z;
}

double g_scan_rows = 0;

void BM_ReportScanBaseline(benchmark::State& state) {
  ReportZone& z = TheReportZone();
  auto start = Clock::now();
  int64_t sum = 0;
  for (auto _ : state) {
    auto a = z.zone->db().Query("SELECT time, method, route, status, latency_us, user_id FROM "
                                "api_requests WHERE time >= ?1 AND time < ?2",
                                kMonth.Start(), kMonth.End());
    while (*a->Step()) sum += a->Int64(4) + static_cast<int64_t>(a->Text(2).size());
    auto b = z.zone->db().Query("SELECT time, actor, action, outcome, datasets FROM "
                                "audit_entries WHERE time >= ?1 AND time < ?2",
                                kMonth.Start(), kMonth.End());
    while (*b->Step()) sum += static_cast<int64_t>(b->Text(4).size() + b->Text(1).size());
  }
  benchmark::DoNotOptimize(sum);
  g_scan_rows = Seconds(start) / static_cast<double>(state.iterations());
  state.counters["rows"] = static_cast<double>(z.requests + z.audit_entries);
}
BENCHMARK(BM_ReportScanBaseline)->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_MonthlyReport(benchmark::State& state) {
  ReportZone& z = TheReportZone();
  ops::UsageQuery q;
  q.month = kMonth;
  auto start = Clock::now();
  for (auto _ : state) {
    auto r = ops::CollectUsage(z.zone->db(), q, FromUnix(kMonth.End()));
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
    benchmark::DoNotOptimize(r);
  }
  double per = Seconds(start) / static_cast<double>(state.iterations());
  state.counters["rows"] = static_cast<double>(z.requests + z.audit_entries);
  Ratio(state, "ratio_vs_scan", per, g_scan_rows);
}
BENCHMARK(BM_MonthlyReport)->Iterations(3)->Unit(benchmark::kMillisecond);

// ---- backup ----

struct BackupZoneFixture {
  bench::ScratchDir dir;
  std::unique_ptr<zone::Zone> zone;
  std::vector<std::string> files;  // relative: zone.db and the sealed files
  uint64_t bytes = 0;
};

BackupZoneFixture& TheBackupZone() {
  static BackupZoneFixture* f = [] {
    auto* b = new BackupZoneFixture();
    zone::ZoneOptions o;
    o.dir = b->dir / "zone";
    o.key.file = b->dir / "master.key";
    o.key.env_var = "";
    auto made = zone::Zone::Init(o, {});
    b->zone = std::move(*made);
    std::string csv = b->dir / "trips.csv";
    {
      std::ofstream out(csv, std::ios::binary);
      out << "trip_id,line,station,fare,minutes\n";
      std::mt19937_64 rng(11);
      int64_t rows = bench::EnvSize("SZ_BENCH_BACKUP_ROWS", 300000);
      for (int64_t i = 0; i < rows; ++i) {
        out << i << ",L" << rng() % 9 << ",S" << rng() % 500 << "," << 1200 + rng() % 800 << ","
            << rng() % 120 << "\n";
      }
    }
    zone::ImportRequest r;
    r.path = csv;
    r.name = "trips";
    r.sector = "transportation";
    r.tier = "non_open";
    r.provider = "seoul_metro";
    r.threads = 2;
    (void)zone::ImportDataset(*b->zone, zone::Caller::Operator(), r);
    fs::remove(csv);
    b->files.push_back("zone.db");
    // Held in a named Result: iterating `*ReferencedFiles(...)` directly would
    // dangle (C++20 ends the temporary before the loop body).
    auto refs = ops::ReferencedFiles(b->zone->db());
    if (refs.ok()) {
      for (const auto& ref : *refs) b->files.push_back(ref.file);
    }
    for (const auto& rel : b->files) b->bytes += fs::file_size(b->dir / ("zone/" + rel));
    return b;
  }();
  return *f;
}

double g_copy = 0;

// Copies the same files with read/write/fsync, as a careful `cp` would.
void BM_BackupCopyBaseline(benchmark::State& state) {
  BackupZoneFixture& f = TheBackupZone();
  int n = 0;
  auto start = Clock::now();
  for (auto _ : state) {
    std::string dest = f.dir / fmt::format("copy{}", n++);
    for (const auto& rel : f.files) {
      fs::create_directories(fs::path(dest + "/" + rel).parent_path());
      int in = ::open((f.dir / ("zone/" + rel)).c_str(), O_RDONLY);
      int out = ::open((dest + "/" + rel).c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
      std::string buf(1 << 20, '\0');
      ssize_t got;
      while ((got = ::read(in, buf.data(), buf.size())) > 0) {
        if (::write(out, buf.data(), static_cast<size_t>(got)) != got) break;
      }
      ::fsync(out);
      ::close(out);
      ::close(in);
    }
    state.PauseTiming();
    fs::remove_all(dest);
    state.ResumeTiming();
  }
  g_copy = Seconds(start) / static_cast<double>(state.iterations());
  state.counters["MB"] = static_cast<double>(f.bytes) / 1e6;
}
BENCHMARK(BM_BackupCopyBaseline)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Backup(benchmark::State& state) {
  BackupZoneFixture& f = TheBackupZone();
  int n = 0;
  auto start = Clock::now();
  for (auto _ : state) {
    std::string dest = f.dir / fmt::format("backup{}", n++);
    auto r = ops::BackupZone(*f.zone, zone::Caller::Operator(), {dest});
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
    state.PauseTiming();
    fs::remove_all(dest);
    state.ResumeTiming();
  }
  double per = Seconds(start) / static_cast<double>(state.iterations());
  state.counters["MB"] = static_cast<double>(f.bytes) / 1e6;
  Ratio(state, "ratio_vs_copy", per, g_copy);
}
BENCHMARK(BM_Backup)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

// ---- plaintext scan ----

const std::string& ScanCorpus() {
  static const std::string text = [] {
    std::string s;
    std::mt19937_64 rng(3);
    while (s.size() < (64u << 20)) {
      s += fmt::format("{},{:06},L{},{}.{},2026-11-{:02},{}\n", rng() % 1000000, rng() % 1000000,
                       rng() % 9, rng() % 1000, rng() % 100, 1 + rng() % 30,
                       rng() % 3 == 0 ? "정상" : "ok");
    }
    return s;
  }();
  return text;
}

double g_count = 0;

void BM_DigitCountBaseline(benchmark::State& state) {
  const std::string& text = ScanCorpus();
  auto start = Clock::now();
  for (auto _ : state) {
    size_t n = 0;
    for (char c : text) n += (c >= '0' && c <= '9');
    benchmark::DoNotOptimize(n);
  }
  g_count = Seconds(start) / static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_DigitCountBaseline)->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_PlaintextScan(benchmark::State& state) {
  const std::string& text = ScanCorpus();
  auto start = Clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(ops::ScanText(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  Ratio(state, "ratio_vs_digit_count", Seconds(start) / static_cast<double>(state.iterations()),
        g_count);
}
BENCHMARK(BM_PlaintextScan)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sz

BENCHMARK_MAIN();
