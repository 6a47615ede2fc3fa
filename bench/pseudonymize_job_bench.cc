// The cost of the product around the engine: a whole pseudonymization job through the
// zone (decrypt the stored version, pseudo::Apply, risk and utility before and after,
// seal the output, catalogue version + job + keys + audit in one transaction, report)
// against the bare pseudo::Apply of the same policy over the same (already decrypted)
// data, measured in the same run, alternating within each iteration.
//
// Data: card-payment-like rows generated with DuckDB SQL (as in pseudo_bench.cc),
// imported once into a scratch zone; roles confirmed (4 direct identifiers, 3
// quasi-identifiers, the amount sensitive). Policy: the typical 8-column one (2 keyed
// pseudonyms, 1 mask, 1 FF1 token, 3 generalizations, 1 delete) with the zone's default
// thresholds, without (l_diversity:0) and with (l_diversity:1) l-diversity on the amount.
//
// Counters: job_s, apply_s (the baseline), ratio_job_vs_apply = job_s / apply_s, and
// the job's own stages (read_s, transform_s, assess_s, seal_s).
// Rows: $SAFEZONE_BENCH_ROWS (default 1,000,000). Iterations: $SAFEZONE_BENCH_ITERS
// (default 2). Threads: DuckDB and the privacy engine, 2.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "bench_util.h"
#include "fmt/format.h"
#include "pseudo/apply.h"
#include "storage/duck.h"
#include "storage/memfile.h"
#include "zone/catalog.h"
#include "zone/catalog_service.h"
#include "zone/dataset_files.h"
#include "zone/ingest.h"
#include "zone/pseudonymize.h"
#include "zone/zone.h"

namespace {

using namespace sz;

constexpr int kThreads = 2;

constexpr const char* kRules = R"(
version: 1
name: card payments (bench)
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

constexpr const char* kGenerate = R"sql(
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
) TO '{}' (FORMAT parquet)
)sql";

struct Fixture {
  bench::ScratchDir dir;
  std::unique_ptr<zone::Zone> zone;
  long long rows = 0;
  std::string error;
};

Status Setup(Fixture& f) {
  f.rows = bench::EnvSize("SAFEZONE_BENCH_ROWS", 1'000'000);
  zone::ZoneOptions o;
  o.dir = f.dir / "zone";
  o.key.file = f.dir / "master.key";
  o.key.env_var = "";
  SZ_ASSIGN_OR_RETURN(f.zone, zone::Zone::Init(o, {}));
  {
    duck::Options opts;
    opts.threads = kThreads;
    SZ_ASSIGN_OR_RETURN(auto db, duck::Database::Open(opts));
    SZ_ASSIGN_OR_RETURN(auto conn, duck::Connection::Open(db));
    SZ_RETURN_IF_ERROR(conn.Execute(fmt::format(kGenerate, f.rows, f.dir / "cards.parquet")));
  }
  zone::ImportRequest r;
  r.path = f.dir / "cards.parquet";
  r.name = "card_payments";
  r.sector = "consumption";
  r.tier = "non_open";
  r.provider = "bench";
  r.threads = kThreads;
  SZ_RETURN_IF_ERROR(zone::ImportDataset(*f.zone, zone::Caller::Operator(), r).status());
  std::map<std::string, std::string> roles = {
      {"customer_id", "direct_identifier"}, {"merchant_id", "other"},          {"customer_name", "direct_identifier"},
      {"phone", "direct_identifier"},       {"card_number", "direct_identifier"}, {"birth_date", "quasi_identifier"},
      {"paid_at", "quasi_identifier"},      {"postal_code", "quasi_identifier"}, {"amount", "sensitive"}};
  return zone::UpdateColumnRoles(*f.zone, zone::Caller::Operator(), "card_payments", 0, roles, true).status();
}

Fixture& Data() {
  static std::unique_ptr<Fixture> f = [] {
    auto fx = std::make_unique<Fixture>();
    Status s = Setup(*fx);
    if (!s.ok()) fx->error = s.ToString();
    return fx;
  }();
  return *f;
}

double Seconds(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void BM_PseudonymizationJob(benchmark::State& state) {
  Fixture& f = Data();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  // The baseline's input: the same stored version, decrypted once, outside the timing.
  auto version = zone::Catalog(*f.zone).Version("card_payments", 1);
  auto input = version.ok() ? zone::OpenVersion(*f.zone, "card_payments", *version) : version.status();
  auto policy = pseudo::ParsePolicy(kRules);
  if (!input.ok() || !policy.ok()) {
    state.SkipWithError(!input.ok() ? input.status().ToString().c_str() : policy.status().ToString().c_str());
    return;
  }
  duck::Options opts;
  opts.threads = kThreads;
  auto db = duck::Database::Open(opts);
  auto conn = duck::Connection::Open(*db);
  const std::string relation = fmt::format("read_parquet('{}')", input->path());
  pseudo::InMemoryKeyProvider keys;
  keys.Add("customer", "project", crypto::RandomBytes(32));
  keys.Add("merchant", "project", crypto::RandomBytes(32));
  keys.Add("card", "dataset", crypto::RandomBytes(32));
  auto out = storage::MemFile::Create("bench-out");

  zone::RunRequest request;
  request.dataset = "card_payments";
  request.version = 1;
  // Arg 1: l-diversity on the amount (a high-cardinality sensitive column), 0: k only.
  request.policy_text = std::string(kRules) + (state.range(0) ? "thresholds: {sensitive: amount}\n" : "");
  request.project = "bench";
  request.threads = kThreads;

  double job = 0, apply = 0, read = 0, transform = 0, assess = 0, seal = 0;
  for (auto _ : state) {
    auto t = std::chrono::steady_clock::now();
    auto report = pseudo::Apply(*conn, relation, *policy, keys, *out);
    apply += Seconds(t);
    if (!report.ok()) {
      state.SkipWithError(report.status().ToString().c_str());
      return;
    }
    t = std::chrono::steady_clock::now();
    auto run = zone::RunPseudonymization(*f.zone, zone::Caller::Operator(), request);
    double secs = Seconds(t);
    if (!run.ok()) {
      state.SkipWithError(run.status().ToString().c_str());
      return;
    }
    job += secs;
    read += run->stats.read_seconds;
    transform += run->stats.transform_seconds;
    assess += run->stats.assess_seconds;
    seal += run->stats.seal_seconds;
    state.SetIterationTime(secs);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["rows"] = static_cast<double>(f.rows);
  state.counters["job_s"] = job / n;
  state.counters["apply_s"] = apply / n;
  state.counters["ratio_job_vs_apply"] = job / apply;
  state.counters["read_s"] = read / n;
  state.counters["transform_s"] = transform / n;
  state.counters["assess_s"] = assess / n;
  state.counters["seal_s"] = seal / n;
  state.counters["job_rows_per_s"] = static_cast<double>(f.rows) * n / job;
}
BENCHMARK(BM_PseudonymizationJob)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("l_diversity")
    ->UseManualTime()
    ->Iterations(bench::EnvSize("SAFEZONE_BENCH_ITERS", 2))
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
