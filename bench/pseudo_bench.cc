// Pseudonymization throughput: the typical 8-column card-payments policy (2 keyed
// pseudonyms, 1 mask, 1 FF1 token, 3 generalizations, 1 delete; `amount` kept) applied
// by pseudo::Apply(), against DuckDB evaluating the closest plain-SQL projection
// (sha256 x3, a substring mask, CASE age bands, date_trunc, left) over the same Parquet
// in the same run. Both read a MemFile Parquet and write a MemFile Parquet.
// Target: ratio_vs_duckdb = Apply time / SQL time <= 1.0 (wall clock); also reported:
// cpu_ratio_vs_duckdb, the same over process CPU time (steadier on a shared machine).
//
// Rows: $SAFEZONE_BENCH_ROWS (default 10,000,000). Iterations: $SAFEZONE_BENCH_ITERS
// (default 1). Run smaller with e.g. SAFEZONE_BENCH_ROWS=1000000.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "fmt/format.h"
#include "pseudo/apply.h"
#include "storage/duck.h"
#include "storage/memfile.h"

namespace {

using namespace sz;

long long EnvSize(const char* name, long long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

constexpr const char* kPolicy = R"(
version: 1
columns:
  - {column: customer_id, rule: pseudonym, key_id: customer, scope: project, length: 16}
  - {column: merchant_id, rule: pseudonym, key_id: merchant, scope: project, length: 16}
  - {column: customer_name, rule: delete}
  - {column: phone, rule: mask, keep_first: 4, keep_last: 4, only: digits}
  - {column: card_number, rule: token, method: ff1, key_id: card, scope: dataset}
  - {column: birth_date, rule: generalize, method: age_band, width: 5, as_of: 2024-12-31, top: 85}
  - {column: paid_at, rule: generalize, method: date, unit: month}
  - {column: postal_code, rule: generalize, method: prefix, length: 3}
  - {column: amount, rule: keep}
)";

// The nearest plain-SQL equivalent: unkeyed sha256 for the pseudonyms and the token,
// string surgery for the mask, CASE bands over date_sub for the ages.
constexpr const char* kBaselineSelect = R"(
  sha256(customer_id) AS customer_id,
  sha256(merchant_id) AS merchant_id,
  left(phone, 4) || '****-' || right(phone, 4) AS phone,
  sha256(card_number) AS card_number,
  CASE WHEN date_sub('year', birth_date, DATE '2024-12-31') >= 85 THEN '85+'
       ELSE CAST(date_sub('year', birth_date, DATE '2024-12-31') // 5 * 5 AS VARCHAR) || '-' ||
            CAST(date_sub('year', birth_date, DATE '2024-12-31') // 5 * 5 + 4 AS VARCHAR) END AS birth_date,
  CAST(date_trunc('month', paid_at) AS DATE) AS paid_at,
  left(postal_code, 3) AS postal_code,
  amount)";

struct Fixture {
  duck::Database db;
  duck::Connection conn;
  storage::MemFile input;
  std::string relation;
  long long rows = 0;
};

Fixture& Data() {
  static std::unique_ptr<Fixture> f = [] {
    auto fx = std::make_unique<Fixture>();
    fx->rows = EnvSize("SAFEZONE_BENCH_ROWS", 10'000'000);
    duck::Options opts;
    opts.threads = 2;
    fx->db = duck::Database::Open(opts).value();
    fx->conn = duck::Connection::Open(fx->db).value();
    fx->input = storage::MemFile::Create("bench-in").value();
    // Synthetic, deterministic rows (hash(i) is DuckDB's seeded-by-value hash).
    std::string sql = fmt::format(R"sql(
COPY (
  SELECT
    'C' || lpad((hash(i) % 2000000)::VARCHAR, 9, '0')                        AS customer_id,
    'M' || lpad((hash(i + 1) % 50000)::VARCHAR, 7, '0')                      AS merchant_id,
    (['김', '이', '박', '최', '정'])[1 + i % 5] || (['민준', '서연', '도윤', '하은'])[1 + (i // 5) % 4] AS customer_name,
    '010-' || lpad((hash(i + 2) % 10000)::VARCHAR, 4, '0') || '-' || lpad((hash(i + 3) % 10000)::VARCHAR, 4, '0') AS phone,
    '9' || lpad((hash(i + 4) % 1000)::VARCHAR, 3, '0') || '-' || lpad((hash(i + 5) % 10000)::VARCHAR, 4, '0') || '-' ||
      lpad((hash(i + 6) % 10000)::VARCHAR, 4, '0') || '-' || lpad((hash(i + 7) % 10000)::VARCHAR, 4, '0') AS card_number,
    DATE '1935-01-01' + CAST(hash(i + 8) % 25000 AS INTEGER)                 AS birth_date,
    TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i + 9) % 31536000 AS BIGINT)) AS paid_at,
    lpad((hash(i + 10) % 63000)::VARCHAR, 5, '0')                            AS postal_code,
    CAST(1000 + hash(i + 11) % 500000 AS BIGINT)                             AS amount
  FROM range({}) t(i)
) TO '{}' (FORMAT parquet, USE_TMP_FILE false)
)sql",
                                  fx->rows, fx->input.path());
    Status s = fx->conn.Execute(sql);
    if (!s.ok()) std::fprintf(stderr, "making input: %s\n", s.ToString().c_str());
    fx->relation = fmt::format("read_parquet('{}')", fx->input.path());
    return fx;
  }();
  return *f;
}

double Seconds(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// CPU seconds of the whole process (all DuckDB threads), user + system: on a shared
// machine this is steadier than wall time.
double ProcessCpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

struct Timing {
  double wall = 0;
  double cpu = 0;
};

Timing Baseline(Fixture& f, storage::MemFile& out) {
  (void)out.Clear();
  auto t = std::chrono::steady_clock::now();
  double cpu = ProcessCpu();
  Status s = f.conn.Execute(
      fmt::format("COPY (SELECT {} FROM {}) TO '{}' (FORMAT parquet, USE_TMP_FILE false)",
                  kBaselineSelect, f.relation, out.path()));
  if (!s.ok()) std::fprintf(stderr, "baseline: %s\n", s.ToString().c_str());
  return {Seconds(t), ProcessCpu() - cpu};
}

void BM_PseudonymizeCardPayments(benchmark::State& state) {
  Fixture& f = Data();
  const int threads = static_cast<int>(state.range(0));
  (void)f.conn.Execute(fmt::format("SET threads = {}", threads));
  auto policy = pseudo::ParsePolicy(kPolicy);
  if (!policy.ok()) {
    state.SkipWithError(policy.status().ToString().c_str());
    return;
  }
  pseudo::InMemoryKeyProvider keys;
  keys.Add("customer", "project", crypto::RandomBytes(32));
  keys.Add("merchant", "project", crypto::RandomBytes(32));
  keys.Add("card", "dataset", crypto::RandomBytes(32));
  auto out = storage::MemFile::Create("bench-out");
  Timing ours, baseline;
  for (auto _ : state) {
    Timing b = Baseline(f, *out);
    baseline.wall += b.wall;
    baseline.cpu += b.cpu;
    auto t = std::chrono::steady_clock::now();
    double cpu = ProcessCpu();
    auto report = pseudo::Apply(f.conn, f.relation, *policy, keys, *out);
    double secs = Seconds(t);
    ours.cpu += ProcessCpu() - cpu;
    if (!report.ok()) {
      state.SkipWithError(report.status().ToString().c_str());
      return;
    }
    ours.wall += secs;
    state.SetIterationTime(secs);
  }
  const double n = static_cast<double>(state.iterations());
  const double rows = static_cast<double>(f.rows);
  state.counters["rows"] = rows;
  state.counters["rows_per_s"] = rows * n / ours.wall;
  state.counters["duckdb_rows_per_s"] = rows * n / baseline.wall;
  state.counters["ratio_vs_duckdb"] = ours.wall / baseline.wall;
  state.counters["cpu_ratio_vs_duckdb"] = ours.cpu / baseline.cpu;
  state.counters["cpu_s"] = ours.cpu / n;
}
BENCHMARK(BM_PseudonymizeCardPayments)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->UseManualTime()
    ->Iterations(EnvSize("SAFEZONE_BENCH_ITERS", 1))
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
