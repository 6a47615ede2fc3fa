// Identifier detection throughput.
//
// BM_ProfileColumns: ProfileColumn over a mixed 15-column sample of 100,000 rows held
// in memory (1.5M values), against a baseline that only trims, hashes and counts
// distinct values (what every profiler does) in the same run: ratio_vs_hash_only is the
// price of pattern matching.
//
// BM_ProfileRelation: ProfileRelation on a 1,000,000-row in-memory DuckDB table with
// the same 15 columns (default 100,000-row reservoir sample), against DuckDB merely
// reading that sample (SELECT * ... USING SAMPLE reservoir(100000 ROWS), every chunk
// fetched) in the same run: ratio_vs_duckdb.
//
// Data is synthetic (SQL over range(); deterministic, no personal data).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "common/text.h"
#include "detect/relation.h"
#include "storage/duck.h"

namespace sz::detect {
namespace {

// 15 columns, each a different kind of data a provider sends.
std::string PeopleSql(int64_t rows) {
  return fmt::format(R"(
SELECT
  printf('%02d%02d%02d-%d%06d', 50 + i % 50, 1 + i % 12, 1 + i % 28, 1 + i % 2, i % 1000000) AS 주민번호,
  printf('%02d%02d%02d-%d******', 50 + i % 50, 1 + i % 12, 1 + i % 28, 1 + i % 2) AS masked_rrn,
  printf('010-%04d-%04d', 2000 + i % 8000, (i * 7) % 10000) AS mobile,
  printf('02-%d%03d-%04d', 2 + i % 8, i % 1000, (i * 13) % 10000) AS office_tel,
  'user' || i || '@example.com' AS email,
  printf('4111-1111-%04d-%04d', i % 10000, (i * 17) % 10000) AS card_no,
  printf('110-%03d-%06d', i % 1000, i % 1000000) AS account_no,
  printf('%03d-%02d-%05d', 100 + i % 900, 10 + i % 90, i % 100000) AS biz_no,
  ['김','이','박','최','정','강','조','윤'][1 + i % 8] || ['민','서','지','하','도','예'][1 + (i // 8) % 6]
    || ['준','연','호','윤','우','은'][1 + (i // 48) % 6] AS 성명,
  '서울특별시 ' || ['강남구','서초구','종로구','마포구'][1 + i % 4] || ' 테헤란로 ' || (i % 500) AS 주소,
  ['강남구','서초구','수원시','해운대구','중구'][1 + i % 5] AS 시군구,
  DATE '1940-01-01' + CAST(i % 25000 AS INTEGER) AS 생년월일,
  CASE WHEN i % 2 = 0 THEN '남' ELSE '여' END AS 성별,
  CAST(1000 * (i % 9000) AS BIGINT) AS 월소득,
  '민원 ' || i || '번 처리 완료' AS 비고
FROM range({}) r(i))",
                     rows);
}

struct Fixture {
  duck::Database db;
  duck::Connection conn;
  std::vector<std::string> names, types;
  std::vector<std::vector<std::string>> values;  // [column][row], the 100k sample
};

Fixture MakeFixture() {
  Fixture fx;
  duck::Options options;
  options.threads = 2;
  fx.db = duck::Database::Open(options).value();
  fx.conn = duck::Connection::Open(fx.db).value();
  auto st = fx.conn.Execute("CREATE TABLE people AS " + PeopleSql(1000000));
  if (!st.ok()) fmt::print(stderr, "setup: {}\n", st.ToString());
  auto r = fx.conn.Query("SELECT * FROM (" + PeopleSql(100000) + ")").value();
  size_t ncols = r.ColumnCount();
  for (size_t c = 0; c < ncols; ++c) {
    fx.names.push_back(r.ColumnName(c));
    fx.types.push_back(r.ColumnTypeName(c));
  }
  auto rows = r.Rows().value();
  fx.values.assign(ncols, {});
  for (const auto& row : rows) {
    for (size_t c = 0; c < ncols; ++c) fx.values[c].push_back(duck::ValueToString(row[c]));
  }
  return fx;
}

// Built once, shared by both benchmarks (the 1M-row table takes seconds to make).
Fixture& Shared() {
  static Fixture f = MakeFixture();
  return f;
}

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Process CPU time (all threads, DuckDB's workers included).
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Ratios use the fastest iteration of each side: the machine is shared, and the
// minimum is the estimate least disturbed by other work. Wall and CPU time are both
// reported; under contention the CPU ratio is the steadier one.
double Min(double a, double b) { return a < b ? a : b; }
constexpr double kInf = 1e300;

void BM_ProfileColumns(benchmark::State& state) {
  Fixture& f = Shared();
  std::vector<std::vector<std::optional<std::string_view>>> views(f.values.size());
  size_t total = 0;
  for (size_t c = 0; c < f.values.size(); ++c) {
    for (const auto& v : f.values[c]) views[c].emplace_back(v);
    total += f.values[c].size();
  }
  double profile = kInf, baseline = kInf, profile_cpu = kInf, baseline_cpu = kInf;
  for (auto _ : state) {
    auto t = std::chrono::steady_clock::now();
    double cpu = CpuSeconds();
    for (size_t c = 0; c < views.size(); ++c) {
      std::vector<uint64_t> hashes;
      for (const auto& v : views[c]) hashes.push_back(std::hash<std::string_view>{}(text::TrimAscii(*v)));
      std::sort(hashes.begin(), hashes.end());
      benchmark::DoNotOptimize(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
    }
    baseline = Min(baseline, SecondsSince(t));
    baseline_cpu = Min(baseline_cpu, CpuSeconds() - cpu);
    t = std::chrono::steady_clock::now();
    cpu = CpuSeconds();
    for (size_t c = 0; c < views.size(); ++c) {
      ColumnProfile p = ProfileColumn(f.names[c], f.types[c], views[c]);
      benchmark::DoNotOptimize(p.proposed_role);
    }
    double s = SecondsSince(t);
    profile = Min(profile, s);
    profile_cpu = Min(profile_cpu, CpuSeconds() - cpu);
    state.SetIterationTime(s);
  }
  state.counters["cpu_ratio_vs_hash_only"] = profile_cpu / baseline_cpu;
  state.counters["values"] = static_cast<double>(total);
  state.counters["values_per_s"] = static_cast<double>(total) / profile;
  state.counters["hash_only_values_per_s"] = static_cast<double>(total) / baseline;
  state.counters["ratio_vs_hash_only"] = profile / baseline;
}
BENCHMARK(BM_ProfileColumns)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_ProfileRelation(benchmark::State& state) {
  Fixture& f = Shared();
  const std::string sample_sql = fmt::format(
      "SELECT * FROM people USING SAMPLE reservoir({} ROWS) REPEATABLE (1)",
      kDefaultSampleRows);
  double profile = kInf, baseline = kInf, profile_cpu = kInf, baseline_cpu = kInf;
  for (auto _ : state) {
    auto t = std::chrono::steady_clock::now();
    double cpu = CpuSeconds();
    auto r = f.conn.Query(sample_sql);
    uint64_t rows = 0;
    while (duckdb_data_chunk chunk = duckdb_fetch_chunk(*r->raw())) {
      rows += duckdb_data_chunk_get_size(chunk);
      duckdb_destroy_data_chunk(&chunk);
    }
    benchmark::DoNotOptimize(rows);
    baseline = Min(baseline, SecondsSince(t));
    baseline_cpu = Min(baseline_cpu, CpuSeconds() - cpu);
    t = std::chrono::steady_clock::now();
    cpu = CpuSeconds();
    auto profiles = ProfileRelation(f.conn, "people");
    if (!profiles.ok()) state.SkipWithError(profiles.status().ToString().c_str());
    double s = SecondsSince(t);
    profile = Min(profile, s);
    profile_cpu = Min(profile_cpu, CpuSeconds() - cpu);
    state.SetIterationTime(s);
  }
  state.counters["cpu_ratio_vs_duckdb"] = profile_cpu / baseline_cpu;
  state.counters["table_rows"] = 1e6;
  state.counters["profile_s"] = profile;
  state.counters["duckdb_sample_s"] = baseline;
  state.counters["ratio_vs_duckdb"] = profile / baseline;
}
BENCHMARK(BM_ProfileRelation)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sz::detect

BENCHMARK_MAIN();
