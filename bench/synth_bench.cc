// Throughput of the synthetic generator on its largest dataset (card payments), at 1 and
// 2 threads, against a baseline measured in the same run: DuckDB writing a CSV of the
// same number of rows and about the same width from range() with random strings.
//
// Both write to /dev/shm (memory) so that the figures compare CPU work, not the disk.
// Run: build/synth_bench --benchmark_min_time=0.5 --benchmark_repetitions=3   (~20 s)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "fmt/format.h"
#include "storage/duck.h"
#include "synth/generator.h"

namespace {

constexpr int64_t kRows = 200'000;

std::string ScratchDir(std::string_view name) {
  std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
  return fmt::format("{}/sz-synth-bench-{}-{}", base, name, ::getpid());
}

// DuckDB writing kRows rows of ~200 bytes (an id, a timestamp, numbers and five 32-char
// random strings; the generator's card-payment rows average ~200 bytes) to CSV.
double DuckDbSeconds(int threads) {
  sz::duck::Options options;
  options.threads = threads;
  auto db = sz::duck::Database::Open(options);
  auto conn = sz::duck::Connection::Open(*db);
  std::string path = ScratchDir("duckdb") + ".csv";
  std::string sql = fmt::format(
      "COPY (SELECT 'CP' || lpad(i::VARCHAR, 12, '0') AS txn_id, "
      "TIMESTAMP '2024-10-01' + to_seconds(i) AS approved_at, "
      "md5(random()::VARCHAR) AS a, md5(random()::VARCHAR) AS b, md5(random()::VARCHAR) AS c, "
      "md5(random()::VARCHAR) AS d, md5(random()::VARCHAR) AS e, "
      "(random() * 100000)::BIGINT AS amount, i % 12 AS installment "
      "FROM range({}) t(i)) TO '{}' (HEADER, DELIMITER ',')",
      kRows, path);
  auto start = std::chrono::steady_clock::now();
  sz::Status s = conn->Execute(sql);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::filesystem::remove(path);
  if (!s.ok()) return -1;
  return secs;
}

// Median of three, measured once per process.
double BaselineRowsPerSecond() {
  static double rate = [] {
    std::vector<double> t;
    for (int i = 0; i < 3; ++i) t.push_back(DuckDbSeconds(2));
    std::sort(t.begin(), t.end());
    return t[1] > 0 ? static_cast<double>(kRows) / t[1] : 0.0;
  }();
  return rate;
}

void BM_DuckDbCsvBaseline(benchmark::State& state) {
  for (auto _ : state) {
    double secs = DuckDbSeconds(static_cast<int>(state.range(0)));
    if (secs < 0) state.SkipWithError("DuckDB COPY failed");
    state.SetIterationTime(secs);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_DuckDbCsvBaseline)->Arg(2)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_SynthCardPayments(benchmark::State& state) {
  int threads = static_cast<int>(state.range(0));
  int64_t bytes = 0;
  double total_secs = 0;
  int n = 0;
  for (auto _ : state) {
    sz::synth::Options o;
    o.output_dir = ScratchDir(fmt::format("gen{}", n++));
    o.datasets = {sz::synth::DatasetId::kConsumption};
    o.rows[sz::synth::DatasetId::kConsumption] = kRows;
    o.write_persons = false;
    o.threads = threads;
    auto start = std::chrono::steady_clock::now();
    auto m = sz::synth::Generate(o);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!m.ok()) {
      state.SkipWithError(m.status().ToString().c_str());
      break;
    }
    bytes += m->datasets[0].bytes;
    total_secs += secs;
    state.SetIterationTime(secs);
    std::filesystem::remove_all(o.output_dir);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(bytes);
  double rate = total_secs > 0 ? static_cast<double>(state.iterations() * kRows) / total_secs : 0;
  state.counters["rows_per_s"] = rate;
  double base = BaselineRowsPerSecond();
  state.counters["duckdb_rows_per_s"] = base;
  state.counters["ratio_vs_duckdb"] = base > 0 ? rate / base : 0;
}
BENCHMARK(BM_SynthCardPayments)->Arg(1)->Arg(2)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
