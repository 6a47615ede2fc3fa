// Benchmarks of the privacy engine (src/privacy), each with a baseline measured in the
// same run:
//  - optimal k-anonymity search on UCI Adult (k = 5, Loss, 0% and 2% suppression) and on
//    Adult replicated 30x (904,860 rows): wall time and lattice nodes checked; baselines
//    are the exhaustive evaluation of all 12,960 nodes (with and without roll-up) and
//    DuckDB computing one node's class sizes with GROUP BY;
//  - risk assessment of 10 million generated rows with 6 quasi-identifiers against
//    DuckDB's GROUP BY of the same 6 columns (class-size distribution).
// Counters named ratio_* are baseline time / our time (> 1: the engine is faster).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "fmt/format.h"
#include "privacy/adult.h"
#include "privacy/risk.h"
#include "privacy/search.h"
#include "storage/duck.h"

namespace sz::privacy {
namespace {

// The shared data directory: $SAFEZONE_SHARED_DATA, else ../shared/data beside the
// worktree that holds this binary (build/privacy_bench).
std::string AdultDir() {
  if (const char* env = std::getenv("SAFEZONE_SHARED_DATA")) return std::string(env) + "/adult";
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (exe.parent_path().parent_path().parent_path() / "shared/data/adult").string();
}

template <typename T>
T OrDie(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "privacy_bench: %s\n", r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void OrDie(const Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "privacy_bench: %s\n", s.ToString().c_str());
    std::exit(1);
  }
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

const Dataset& Adult(int replicate) {
  static std::map<int, std::unique_ptr<Dataset>> cache;
  auto& d = cache[replicate];
  if (!d) d = std::make_unique<Dataset>(OrDie(LoadAdult(AdultDir(), std::nullopt, replicate)));
  return *d;
}

Criteria KAnon(double suppression, int64_t k = 5) {
  Criteria c;
  c.models.push_back(PrivacyModel::KAnonymity(k));
  c.suppression_limit = suppression;
  return c;
}

// DuckDB holding Adult (replicated), for the GROUP BY baseline.
struct DuckAdult {
  duck::Database db;
  duck::Connection conn;
};

DuckAdult& Duck(int replicate) {
  static std::map<int, std::unique_ptr<DuckAdult>> cache;
  auto& d = cache[replicate];
  if (!d) {
    d = std::make_unique<DuckAdult>();
    d->db = OrDie(duck::Database::Open(duck::Options{0, "", "", true}));
    d->conn = OrDie(duck::Connection::Open(d->db));
    OrDie(d->conn.Execute(fmt::format(
        "CREATE TABLE base AS SELECT * FROM read_csv('{}/adult.csv', delim=';', header=true, "
        "all_varchar=true)",
        AdultDir())));
    OrDie(d->conn.Execute(fmt::format(
        "CREATE TABLE adult AS SELECT base.* FROM base, range({}) AS copies", replicate)));
  }
  return *d;
}

// Median seconds DuckDB needs for one node's class sizes (all nine columns ungeneralized).
double DuckGroupBySeconds(int replicate) {
  static std::map<int, double> cache;
  auto it = cache.find(replicate);
  if (it != cache.end()) return it->second;
  auto& d = Duck(replicate);
  const char* sql =
      "SELECT count(*) FROM (SELECT count(*) FROM adult GROUP BY sex, age, race, "
      "\"marital-status\", education, \"native-country\", workclass, occupation, "
      "\"salary-class\")";
  std::vector<double> runs;
  for (int i = 0; i < 5; ++i) {
    auto t = std::chrono::steady_clock::now();
    OrDie(d.conn.Scalar(sql));
    runs.push_back(Seconds(t));
  }
  std::sort(runs.begin(), runs.end());
  return cache[replicate] = runs[runs.size() / 2];
}

// Seconds to check every node of the lattice (no pruning, no tagging).
double ExhaustiveSeconds(double suppression, bool roll_up) {
  static std::map<std::pair<double, bool>, double> cache;
  auto key = std::make_pair(suppression, roll_up);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  SearchOptions o;
  o.strategy = SearchStrategy::kExhaustive;
  o.roll_up = roll_up;
  auto t = std::chrono::steady_clock::now();
  OrDie(Search(Adult(1), KAnon(suppression), o));
  return cache[key] = Seconds(t);
}

// Args: suppression in per mille, replication factor, k, worker threads (0 = all).
// On the 30x replica k = 5 is met by the raw data (every class has >= 30 records), so
// k = 150 (5 x 30) is also run: the same lattice work as k = 5 on Adult, at 30x rows.
void BM_AdultOptimalSearch(benchmark::State& state) {
  const double suppression = static_cast<double>(state.range(0)) / 1000;
  const int replicate = static_cast<int>(state.range(1));
  const int64_t k = state.range(2);
  SearchOptions options;
  options.threads = static_cast<int>(state.range(3));
  const Dataset& d = Adult(replicate);
  SearchResult last;
  double total = 0;
  for (auto _ : state) {
    auto t = std::chrono::steady_clock::now();
    last = OrDie(Search(d, KAnon(suppression, k), options));
    total += Seconds(t);
  }
  const double ours = total / static_cast<double>(state.iterations());
  state.counters["rows"] = static_cast<double>(d.rows());
  state.counters["nodes_checked"] = static_cast<double>(last.nodes_checked);
  state.counters["nodes_tagged"] = static_cast<double>(last.nodes_tagged);
  state.counters["classes"] = static_cast<double>(last.classes);
  state.counters["suppressed"] = static_cast<double>(last.suppressed_records);
  const double duck = DuckGroupBySeconds(replicate);
  state.counters["duckdb_groupby_ms"] = duck * 1e3;
  // DuckDB answering one GROUP BY per node this search checked, against the search.
  state.counters["ratio_vs_duckdb_per_checked_node"] =
      duck * static_cast<double>(last.nodes_checked) / ours;
  if (replicate == 1 && k == 5) {
    state.counters["ratio_vs_exhaustive_rollup"] = ExhaustiveSeconds(suppression, true) / ours;
    state.counters["ratio_vs_exhaustive_rows"] = ExhaustiveSeconds(suppression, false) / ours;
  }
}
BENCHMARK(BM_AdultOptimalSearch)
    ->ArgNames({"supp_permille", "replicate", "k", "threads"})
    ->Args({0, 1, 5, 0})
    ->Args({20, 1, 5, 0})
    ->Args({0, 1, 5, 1})
    ->Args({20, 1, 5, 1})
    ->Args({0, 30, 5, 0})
    ->Args({20, 30, 5, 0})
    ->Args({0, 30, 150, 0})
    ->Args({20, 30, 150, 0})
    ->Args({20, 30, 150, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5)
    ->UseRealTime();

// The baselines on their own (one pass each).
void BM_AdultExhaustive(benchmark::State& state) {
  const bool roll_up = state.range(0) != 0;
  for (auto _ : state) {
    SearchOptions o;
    o.strategy = SearchStrategy::kExhaustive;
    o.roll_up = roll_up;
    auto r = OrDie(Search(Adult(1), KAnon(0.02), o));
    state.counters["nodes_checked"] = static_cast<double>(r.nodes_checked);
  }
}
BENCHMARK(BM_AdultExhaustive)
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

// ---- Risk assessment at scale ------------------------------------------------------

constexpr int64_t kRiskRows = 10'000'000;
constexpr int kRiskColumns = 6;
// Cardinalities: age, sex, province (시도), occupation, income band, household size.
constexpr int64_t kCardinality[kRiskColumns] = {90, 2, 17, 30, 10, 5};
constexpr uint64_t kMultiplier[kRiskColumns] = {1103515245, 1664525,    214013,
                                                2147483629, 1812433253, 69069};

// The same synthetic column in C++ and in SQL: a multiplicative hash of the row number,
// mixed by one xor-shift, scaled to the column's cardinality (all integer arithmetic
// below 2^63, so both sides compute identical values).
int32_t SyntheticValue(uint64_t i, int column) {
  uint64_t x = (i * 2654435761ULL) % 4294967296ULL;
  uint64_t y = x ^ (x >> 13);
  uint64_t z = (y * kMultiplier[column] + 12345) % 4294967296ULL;
  return static_cast<int32_t>((z * static_cast<uint64_t>(kCardinality[column])) >> 32);
}

std::string SyntheticSql(int column) {
  return fmt::format(
      "((((xor((i * 2654435761) % 4294967296, ((i * 2654435761) % 4294967296) >> 13)) * {} + "
      "12345) % 4294967296) * {}) >> 32",
      kMultiplier[column], kCardinality[column]);
}

const Dataset& RiskDataset() {
  static std::unique_ptr<Dataset> d = [] {
    std::vector<QuasiIdentifier> qis;
    for (int c = 0; c < kRiskColumns; ++c) {
      std::vector<std::vector<std::string>> rows;
      for (int64_t v = 0; v < kCardinality[c]; ++v) rows.push_back({std::to_string(v), "*"});
      Hierarchy h = OrDie(Hierarchy::FromRows(std::move(rows)));
      std::vector<int32_t> codes(kRiskRows);
      for (int64_t i = 0; i < kRiskRows; ++i)
        codes[i] = SyntheticValue(static_cast<uint64_t>(i), c);
      qis.push_back(OrDie(
          QuasiIdentifier::FromRawIds("c" + std::to_string(c), std::move(h), std::move(codes))));
    }
    return std::make_unique<Dataset>(OrDie(Dataset::Make(std::move(qis))));
  }();
  return *d;
}

DuckAdult& RiskDuck() {
  static std::unique_ptr<DuckAdult> d = [] {
    auto x = std::make_unique<DuckAdult>();
    x->db = OrDie(duck::Database::Open(duck::Options{0, "", "", true}));
    x->conn = OrDie(duck::Connection::Open(x->db));
    std::string sql = "CREATE TABLE risk AS SELECT ";
    for (int c = 0; c < kRiskColumns; ++c) {
      sql += fmt::format("{}({})::INTEGER AS c{}", c ? ", " : "", SyntheticSql(c), c);
    }
    sql += fmt::format(" FROM range({}) AS r(i)", kRiskRows);
    OrDie(x->conn.Execute(sql));
    return x;
  }();
  return *d;
}

constexpr char kRiskSql[] =
    "SELECT f, count(*) FROM (SELECT count(*) AS f FROM risk GROUP BY c0, c1, c2, c3, c4, c5) "
    "GROUP BY f";

double DuckRiskSeconds(int64_t* classes) {
  auto& d = RiskDuck();
  std::vector<double> runs;
  for (int i = 0; i < 3; ++i) {
    auto t = std::chrono::steady_clock::now();
    auto r = OrDie(d.conn.Query(kRiskSql));
    auto rows = OrDie(r.Rows());
    runs.push_back(Seconds(t));
    int64_t n = 0;
    for (auto& row : rows) n += std::get<int64_t>(row[1]);
    *classes = n;
  }
  std::sort(runs.begin(), runs.end());
  return runs[1];
}

// Arg: worker threads (0 = all cores).
void BM_Risk10M(benchmark::State& state) {
  const Dataset& d = RiskDataset();
  std::vector<int> bottom(kRiskColumns, 0);
  RiskOptions options;
  options.threads = static_cast<int>(state.range(0));
  RiskReport last;
  double total = 0;
  for (auto _ : state) {
    auto t = std::chrono::steady_clock::now();
    last = OrDie(AssessRisk(d, bottom, options));
    total += Seconds(t);
  }
  const double ours = total / static_cast<double>(state.iterations());
  static int64_t duck_classes = 0;
  static const double duck = DuckRiskSeconds(&duck_classes);
  if (duck_classes != last.classes) {
    state.SkipWithError("DuckDB and the engine disagree on the number of classes");
    return;
  }
  state.counters["rows"] = static_cast<double>(last.records);
  state.counters["classes"] = static_cast<double>(last.classes);
  state.counters["sample_uniques"] = static_cast<double>(last.sample_uniques);
  state.counters["duckdb_groupby_s"] = duck;
  state.counters["ratio_vs_duckdb"] = duck / ours;
}
BENCHMARK(BM_Risk10M)
    ->ArgName("threads")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

}  // namespace
}  // namespace sz::privacy

BENCHMARK_MAIN();
