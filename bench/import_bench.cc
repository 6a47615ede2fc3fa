// Import of a card-payments CSV (~15 columns) into a zone, against DuckDB alone converting
// the same CSV to Parquet in the same run. The ratio import/DuckDB is the cost of
// validation, raw-upload sealing, identifier profiling, encryption and cataloguing.
// Target (issue 2): ratio <= 1.3.
//
// Rows: $SAFEZONE_BENCH_ROWS (default 5,000,000).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>

#include "bench/bench_util.h"
#include "fmt/format.h"
#include "crypto/sealed_file.h"
#include "storage/duck.h"
#include "storage/env.h"
#include "storage/memfile.h"
#include "zone/ingest.h"

namespace {

using sz::bench::EnvSize;

// A deterministic card-payments file written by DuckDB (quick to make, realistic shape).
std::string MakeCsv(const sz::bench::ScratchDir& dir, long long rows) {
  std::string path = dir / "card_payments.csv";
  auto db = sz::duck::Database::Open({});
  auto conn = sz::duck::Connection::Open(*db);
  std::string sql = fmt::format(R"sql(
COPY (
  SELECT
    'TX' || lpad(i::VARCHAR, 12, '0')                                          AS approval_no,
    '9' || lpad(((i * 7919) % 1000000000000000)::VARCHAR, 15, '0')             AS card_number,
    lpad(((i * 31) % 1000000)::VARCHAR, 6, '0') || '-' ||
      (1 + i % 4)::VARCHAR || lpad(((i * 17) % 1000000)::VARCHAR, 6, '0')       AS customer_rrn,
    (['김', '이', '박', '최', '정'])[1 + i % 5] || (['민준', '서연', '도윤', '하은'])[1 + (i // 5) % 4] AS customer_name,
    '010-' || lpad(((i * 13) % 10000)::VARCHAR, 4, '0') || '-' || lpad(((i * 29) % 10000)::VARCHAR, 4, '0') AS phone,
    'merchant_' || (i % 20000)::VARCHAR                                         AS merchant_name,
    (['음식점', '편의점', '주유소', '온라인', '의료'])[1 + i % 5]               AS merchant_category,
    (['서울특별시', '부산광역시', '대구광역시', '인천광역시'])[1 + i % 4]       AS merchant_sido,
    (['중구', '해운대구', '수성구', '남동구', '강남구'])[1 + (i // 4) % 5]      AS merchant_sigungu,
    (1000 + (i * 37) % 500000)                                                  AS amount,
    TIMESTAMP '2024-01-01' + INTERVAL (i % 31536000) SECOND                     AS approved_at,
    (i % 13)                                                                    AS installment_months,
    CASE WHEN i % 3 = 0 THEN 'online' ELSE 'offline' END                        AS channel,
    (i % 2 = 0)                                                                 AS is_domestic,
    round(((i * 7) % 1000) / 10.0, 1)                                           AS fee_rate
  FROM range({}) t(i)
) TO '{}' (HEADER, DELIMITER ',')
)sql", rows, path);
  auto s = conn->Execute(sql);
  if (!s.ok()) std::fprintf(stderr, "making CSV: %s\n", s.ToString().c_str());
  return path;
}

double DuckDbAlone(const std::string& csv) {
  auto db = sz::duck::Database::Open({});
  auto conn = sz::duck::Connection::Open(*db);
  auto out = sz::storage::MemFile::Create("baseline");
  auto t = std::chrono::steady_clock::now();
  auto s = conn->Execute(fmt::format("COPY (SELECT * FROM read_csv('{}')) TO '{}' (FORMAT parquet, USE_TMP_FILE false)",
                                     csv, out->path()));
  if (!s.ok()) std::fprintf(stderr, "baseline: %s\n", s.ToString().c_str());
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Sealing the raw CSV alone on one thread (what the import does alongside DuckDB).
double SealUploadAlone(const sz::bench::ScratchDir& dir, const std::string& csv) {
  auto key = sz::crypto::SecretBytes::Random(sz::crypto::kKeyBytes);
  auto t = std::chrono::steady_clock::now();
  auto sealed = sz::crypto::SealFile(sz::storage::Env::Default(), csv, dir / "upload.szr", key, "bench");
  if (!sealed.ok()) std::fprintf(stderr, "sealing: %s\n", sealed.status().ToString().c_str());
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void BM_ImportCardPayments(benchmark::State& state) {
  const long long rows = EnvSize("SAFEZONE_BENCH_ROWS", 5'000'000);
  sz::bench::ScratchDir dir;
  std::string csv = MakeCsv(dir, rows);
  double baseline = 0, import = 0, profile = 0, seal = 0, convert = 0, seal_upload = 0;
  int round = 0;
  for (auto _ : state) {
    baseline += DuckDbAlone(csv);
    seal_upload += SealUploadAlone(dir, csv);
    sz::zone::ZoneOptions options;
    options.dir = dir / fmt::format("zone{}", round);
    options.key.file = dir / fmt::format("key{}", round);
    ++round;
    auto zone = sz::zone::Zone::Init(options, {});
    sz::zone::ImportRequest req;
    req.path = csv;
    req.name = "card_payments";
    req.sector = "consumption";
    req.tier = "non_open";
    req.provider = "bench";
    auto r = sz::zone::ImportDataset(**zone, sz::zone::Caller::Operator(), req);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    import += r->stats.total_seconds;
    profile += r->stats.profile_seconds;
    seal += r->stats.seal_seconds;
    convert += r->stats.convert_seconds;
    state.SetIterationTime(r->stats.total_seconds);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["import_rows_per_s"] = static_cast<double>(rows) * n / import;
  state.counters["duckdb_rows_per_s"] = static_cast<double>(rows) * n / baseline;
  state.counters["ratio_import_vs_duckdb"] = import / baseline;
  state.counters["detect_s"] = profile / n;
  state.counters["seal_upload_alone_s"] = seal_upload / n;
  state.counters["detect_share"] = profile / import;
  state.counters["convert_s"] = convert / n;
  state.counters["seal_parquet_s"] = seal / n;
}
BENCHMARK(BM_ImportCardPayments)->UseManualTime()->Iterations(2)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
