// Workspace benchmarks: what the disclosure evidence costs on top of the query.
//
//  BM_CrossTable: a GROUP BY over N rows (default 10M) producing a 2-D table of 40 x 50 =
//    2,000 cells plus margins (91), with and without the disclosure evidence, on the same
//    data in the same iteration. Reports ratio = checked / plain (wall and process CPU).
//    Arguments: the source (0: one row per person, 1: transactions, ~10 rows per person)
//    and the statistic (0: persons, 1: sum, 2: rows with exact person counts, 3: rows with
//    person counts capped at 20 = twice the default threshold, capped_persons.h). One row
//    per person takes the fast path (one aggregation); exact evidence on transactions
//    needs the per-person level (two aggregations); capped counts are one aggregation.
//  BM_MagnitudePlans: exact sum evidence on transactions, four plans for the per-person
//    level, each against the plain GROUPING SETS query in the same iteration: per grouping
//    set from the rows (the one Tabulate uses), every margin rolled up from one
//    materialized (leaf cell, person) table, the same with the grand total rolled up from
//    the (row margin, person) table, and one GROUPING SETS over (cell, person) keys.
//  BM_HierarchicalSuppression: a 3-level hierarchical table tabulated from rows in the
//    workspace (region 17 > 15 > 12 x 14 categories, with every margin: 49,995 cells), then
//    checked and protected by secondary suppression, network method vs the hypercube
//    baseline, both audited by LP. Reports seconds and counts.
//
// Data are synthetic (hash-derived, deterministic); rows from $SZ_BENCH_ROWS.
// Run short: build/workspace_bench --benchmark_min_time=0.1 (2-core machine: threads = 2).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "bench/bench_util.h"
#include "disclosure/checks.h"
#include "disclosure/suppression.h"
#include "fmt/format.h"
#include "workspace/sandbox.h"
#include "workspace/tabulate.h"

namespace sz::workspace {
namespace {

double ProcessCpu() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double Wall() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Builds the Parquet sources once and one sandbox holding both tables.
struct Fixture {
  bench::ScratchDir dir;
  std::unique_ptr<Sandbox> box;
  long long rows = 0;

  Fixture() {
    rows = bench::EnvSize("SZ_BENCH_ROWS", 10'000'000);
    auto db = duck::Database::Open({});
    auto conn = duck::Connection::Open(*db);
    // hash() gives deterministic pseudo-random bits; a and b are skewed a little.
    std::string persons = dir / "persons.parquet";
    std::string tx = dir / "tx.parquet";
    std::string regions = dir / "regions.parquet";
    auto run = [&](const std::string& sql) {
      Status s = conn->Execute(sql);
      if (!s.ok()) std::fprintf(stderr, "setup: %s\n", s.ToString().c_str());
    };
    run(
        fmt::format("COPY (SELECT range AS pid, CAST((hash(range) >> 10) % 40 AS INTEGER) AS a, "
                    "CAST((hash(range) >> 30) % 50 "
                    "AS INTEGER) AS b, CAST((hash(range) >> 40) % 100000 AS DOUBLE) / 100 AS "
                    "amount FROM range({})) "
                    "TO '{}' (FORMAT parquet)",
                    rows, persons));
    run(
        fmt::format("COPY (SELECT CAST((hash(range) >> 3) % {} AS BIGINT) AS pid, "
                    "CAST((hash(range) >> 10) % 40 AS INTEGER) AS a, "
                    "CAST((hash(range) >> 30) % 50 AS INTEGER) AS b, CAST((hash(range) >> 40) % "
                    "100000 AS DOUBLE) / 100 AS amount "
                    "FROM range({})) TO '{}' (FORMAT parquet)",
                    std::max(1LL, rows / 10), rows, tx));
    // Regions: dong index skewed towards small numbers (u^3), category Zipf-like (v^2).
    long long region_rows = bench::EnvSize("SZ_BENCH_REGION_ROWS", 1'500'000);
    double skew = static_cast<double>(bench::EnvSize("SZ_BENCH_REGION_SKEW_X10", 20)) / 10;
    run(
        fmt::format("COPY (SELECT range AS pid, d // 180 AS sido, (d // 12) % 15 AS sigungu, d % "
                    "12 AS dong, c AS category "
                    "FROM (SELECT range, CAST(floor(3060 * pow(((hash(range) >> 5) % 1000000) / "
                    "1e6, {})) AS INTEGER) AS d, "
                    "CAST(floor(14 * pow(((hash(range) >> 25) % 1000000) / 1e6, 2)) AS INTEGER) AS "
                    "c FROM range({}))) "
                    "TO '{}' (FORMAT parquet)",
                    skew, region_rows, regions));
    SandboxLimits limits;
    limits.threads = 2;
    limits.memory_limit = "8GB";
    limits.query_timeout = std::chrono::minutes(10);
    std::vector<SandboxTable> tables = {
        {"persons", persons, {"pid", "a", "b", "amount"}, "pid", "bench:persons"},
        {"tx", tx, {"pid", "a", "b", "amount"}, "pid", "bench:tx"},
        {"regions", regions, {"pid", "sido", "sigungu", "dong", "category"}, "", "bench:regions"},
    };
    auto created = Sandbox::Create(tables, limits);
    if (!created.ok()) std::fprintf(stderr, "sandbox: %s\n", created.status().ToString().c_str());
    box = std::move(*created);
  }
};

Fixture& Shared() {
  static Fixture f;
  return f;
}

TableSpec CrossSpec(bool transactions, Aggregate aggregate) {
  TableSpec spec;
  spec.from = transactions ? "tx" : "persons";
  DimensionSpec a, b;
  a.name = "a";
  a.levels = {"a"};
  b.name = "b";
  b.levels = {"b"};
  spec.dimensions = {a, b};
  spec.aggregate = aggregate;
  if (aggregate == Aggregate::kSum) spec.measure = "amount";
  return spec;
}

size_t RunAndCount(Sandbox& box, const std::string& sql) {
  auto r = box.RunComposed(sql, nullptr);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return 0;
  }
  auto rows = r->Rows();
  return rows.ok() ? rows->size() : 0;
}

void BM_CrossTable(benchmark::State& state) {
  Fixture& f = Shared();
  bool transactions = state.range(0) == 1;
  bool sum = state.range(1) == 1;
  bool capped = state.range(1) == 3;
  Aggregate aggregate = state.range(1) == 0 ? Aggregate::kPersons
                        : sum               ? Aggregate::kSum
                                            : Aggregate::kRows;
  TableSpec spec = CrossSpec(transactions, aggregate);
  TabulateOptions options;
  options.person_cap = capped ? 20 : 0;
  std::string plain = *CompilePlainQuery(*f.box, spec);
  std::string checked = *CompileEvidenceQuery(*f.box, spec, options);
  // Lower bound: the 2,000 leaf cells alone, no margins, no evidence.
  std::string leaf = fmt::format("SELECT a, b, {} FROM memory.main.{} GROUP BY a, b",
                                 sum ? "sum(amount)" : "count(*)", spec.from);
  double plain_wall = 0, checked_wall = 0, plain_cpu = 0, checked_cpu = 0, leaf_wall = 0;
  size_t cells = 0;
  for (auto _ : state) {
    double w0 = Wall(), c0 = ProcessCpu();
    benchmark::DoNotOptimize(RunAndCount(*f.box, plain));
    double w1 = Wall(), c1 = ProcessCpu();
    cells = RunAndCount(*f.box, checked);
    double w2 = Wall(), c2 = ProcessCpu();
    benchmark::DoNotOptimize(RunAndCount(*f.box, leaf));
    leaf_wall += Wall() - w2;
    plain_wall += w1 - w0;
    checked_wall += w2 - w1;
    plain_cpu += c1 - c0;
    checked_cpu += c2 - c1;
  }
  double n = static_cast<double>(state.iterations());
  state.counters["rows"] = static_cast<double>(f.rows);
  state.counters["cells"] = static_cast<double>(cells);
  state.counters["plain_s"] = plain_wall / n;
  state.counters["checked_s"] = checked_wall / n;
  state.counters["ratio_wall"] = checked_wall / plain_wall;
  state.counters["ratio_cpu"] = checked_cpu / plain_cpu;
  state.counters["leaf_only_s"] = leaf_wall / n;
  state.counters["ratio_vs_leaf_only"] = checked_wall / leaf_wall;
  state.SetLabel(fmt::format("{} {}{}", transactions ? "transactions" : "one-row-per-person",
                             AggregateName(aggregate), capped ? " capped" : ""));
}
BENCHMARK(BM_CrossTable)
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Args({1, 3})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// Exact (cell, person) evidence plans for a sum over tx by a x b (see the file comment).
std::string MagnitudePlan(int plan) {
  const std::string src =
      "src AS (SELECT a AS k0, b AS k1, sz_person AS p0, CAST(amount AS DOUBLE) AS m FROM "
      "memory.main.tx)";
  // Per-person rows of a grouping set from `from` (columns k.., p0, c, nrows), then cells.
  auto branch = [](const std::string& from, const std::vector<std::string>& set, int g) {
    std::string keys, cols;
    for (const std::string& k : set) keys += k + ", ";
    for (const char* k : {"k0", "k1"}) {
      bool in = std::find(set.begin(), set.end(), k) != set.end();
      cols += in ? std::string(k) + ", " : fmt::format("NULL AS {}, ", k);
    }
    std::string per = fmt::format(
        "(SELECT {0}p0, sum(c) AS c, sum(nrows) AS nrows FROM {1} GROUP BY {0}p0)", keys, from);
    return fmt::format(
        "SELECT {} AS g, {}count(*) AS persons, sum(c) AS total, max(c, 2) AS top, "
        "count_if(c < 0) AS neg, sum(nrows) AS nrows FROM {} per{}",
        g, cols, per, set.empty() ? "" : " GROUP BY " + keys.substr(0, keys.size() - 2));
  };
  const std::string rows = "(SELECT k0, k1, p0, m AS c, 1 AS nrows FROM src)";
  const std::string lp =
      "lp AS MATERIALIZED (SELECT k0, k1, p0, sum(m) AS c, count(*) AS nrows FROM src "
      "GROUP BY k0, k1, p0)";
  const std::string leaf =
      "SELECT 0 AS g, k0, k1, count(*) AS persons, sum(c) AS total, max(c, 2) AS top, "
      "count_if(c < 0) AS neg, sum(nrows) AS nrows FROM lp GROUP BY k0, k1";
  switch (plan) {
    case 0:  // per grouping set from the rows (Tabulate's plan)
      return fmt::format("WITH {} {} UNION ALL {} UNION ALL {} UNION ALL {}", src,
                         branch(rows, {"k0", "k1"}, 0), branch(rows, {"k0"}, 1),
                         branch(rows, {"k1"}, 2), branch(rows, {}, 3));
    case 1:  // margins from the materialized (leaf, person) table
      return fmt::format("WITH {}, {} {} UNION ALL {} UNION ALL {} UNION ALL {}", src, lp, leaf,
                         branch("lp", {"k0"}, 1), branch("lp", {"k1"}, 2), branch("lp", {}, 3));
    case 2:  // ... and the grand total from the (k0, person) table
      return fmt::format(
          "WITH {}, {}, ap AS MATERIALIZED (SELECT k0, p0, sum(c) AS c, sum(nrows) AS nrows "
          "FROM lp GROUP BY k0, p0) {} UNION ALL {} UNION ALL {} UNION ALL {}",
          src, lp, leaf, branch("ap", {"k0"}, 1), branch("lp", {"k1"}, 2), branch("ap", {}, 3));
    default:  // one GROUPING SETS over (cell, person) keys, then one GROUP BY per cell
      return fmt::format(
          "WITH {}, per AS (SELECT GROUPING(k0, k1) AS g, k0, k1, p0, sum(m) AS c, count(*) AS "
          "nrows FROM src GROUP BY GROUPING SETS ((k0, k1, p0), (k0, p0), (k1, p0), (p0))) "
          "SELECT g, k0, k1, count(*) AS persons, sum(c) AS total, max(c, 2) AS top, "
          "count_if(c < 0) AS neg, sum(nrows) AS nrows FROM per GROUP BY g, k0, k1",
          src);
  }
}

void BM_MagnitudePlans(benchmark::State& state) {
  Fixture& f = Shared();
  int plan = static_cast<int>(state.range(0));
  TableSpec spec = CrossSpec(true, Aggregate::kSum);
  std::string plain = *CompilePlainQuery(*f.box, spec);
  // The top-2 list as two columns, as Tabulate reads them.
  std::string checked = "SELECT * EXCLUDE (top), top[1] AS top1, top[2] AS top2 FROM (" +
                        MagnitudePlan(plan) + ")";
  double plain_wall = 0, checked_wall = 0;
  size_t cells = 0;
  for (auto _ : state) {
    double w0 = Wall();
    benchmark::DoNotOptimize(RunAndCount(*f.box, plain));
    double w1 = Wall();
    cells = RunAndCount(*f.box, checked);
    plain_wall += w1 - w0;
    checked_wall += Wall() - w1;
  }
  double n = static_cast<double>(state.iterations());
  state.counters["cells"] = static_cast<double>(cells);
  state.counters["plain_s"] = plain_wall / n;
  state.counters["checked_s"] = checked_wall / n;
  state.counters["ratio_wall"] = checked_wall / plain_wall;
  const char* names[] = {"per set from rows", "margins from leaf x person",
                         "margins and total rolled up", "grouping sets over (cell, person)"};
  state.SetLabel(names[plan]);
}
BENCHMARK(BM_MagnitudePlans)->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_HierarchicalSuppression(benchmark::State& state) {
  Fixture& f = Shared();
  TableSpec spec;
  spec.from = "regions";
  DimensionSpec region, category;
  region.name = "region";
  region.levels = {"sido", "sigungu", "dong"};
  category.name = "category";
  category.levels = {"category"};
  spec.dimensions = {region, category};
  double tab_s = 0, network_s = 0, hypercube_s = 0;
  size_t cells = 0, primaries = 0, network_sec = 0, hyper_sec = 0, network_unsafe = 0,
         hyper_unsafe = 0;
  for (auto _ : state) {
    double t0 = Wall();
    auto tab = Tabulate(*f.box, spec);
    double t1 = Wall();
    if (!tab.ok()) {
      state.SkipWithError(tab.status().ToString().c_str());
      return;
    }
    disclosure::Output out;
    out.type = tab->type;
    out.body = tab->table;
    auto report = disclosure::CheckOutput(out, disclosure::RiskAppetite::Defaults());
    std::vector<bool> mask = report->PrimaryMask();
    disclosure::SuppressionOptions network;
    disclosure::SuppressionOptions hyper;
    hyper.method = disclosure::SuppressionMethod::kHypercube;
    double t2 = Wall();
    auto n = disclosure::SuppressSecondary(tab->table, mask, network);
    double t3 = Wall();
    auto h = disclosure::SuppressSecondary(tab->table, mask, hyper);
    double t4 = Wall();
    if (!n.ok() || !h.ok()) {
      state.SkipWithError("suppression failed");
      return;
    }
    tab_s += t1 - t0;
    network_s += t3 - t2;
    hypercube_s += t4 - t3;
    cells = tab->table.cells.size();
    primaries = n->primaries;
    network_sec = n->secondaries;
    hyper_sec = h->secondaries;
    network_unsafe = n->audit ? n->audit->exact + n->audit->under_protected : 0;
    hyper_unsafe = h->audit ? h->audit->exact + h->audit->under_protected : 0;
  }
  double iters = static_cast<double>(state.iterations());
  state.counters["cells"] = static_cast<double>(cells);
  state.counters["primaries"] = static_cast<double>(primaries);
  state.counters["tabulate_s"] = tab_s / iters;
  state.counters["network_s"] = network_s / iters;
  state.counters["hypercube_s"] = hypercube_s / iters;
  state.counters["network_secondaries"] = static_cast<double>(network_sec);
  state.counters["hypercube_secondaries"] = static_cast<double>(hyper_sec);
  state.counters["count_ratio"] =
      hyper_sec ? static_cast<double>(network_sec) / static_cast<double>(hyper_sec) : 0;
  state.counters["network_unsafe"] = static_cast<double>(network_unsafe);
  state.counters["hypercube_unsafe"] = static_cast<double>(hyper_unsafe);
}
BENCHMARK(BM_HierarchicalSuppression)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace sz::workspace

BENCHMARK_MAIN();
