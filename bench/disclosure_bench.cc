// Disclosure control benchmarks.
//
//  BM_HierarchicalSuppression: secondary suppression of a ~50,000-cell table, region
//    (전국 > 17 시도 > 15 시군구 > 12 읍면동) x 14 categories + total, lognormal/Zipf skew,
//    ~5% primaries. Runs the network method (with its LP-verified cleanup) and the
//    hypercube baseline in the same iteration and reports seconds, secondary counts and
//    their ratios, then audits both patterns (and the primaries alone) by LP.
//    Arguments: the cost function (0 unity, 1 value, 2 log) and the share of primaries
//    (5% or 15%).
//  BM_Checks: CheckOutput cost per cell (cells/s), against a plain scan of the evidence
//    in the same run.
//
// Times are thread CPU seconds. Run short: build/disclosure_bench --benchmark_min_time=0.1
#include <benchmark/benchmark.h>

#include <ctime>
#include <random>

#include "disclosure/checks.h"
#include "disclosure/suppression.h"
#include "disclosure/synthetic.h"

namespace sz::disclosure {
namespace {

// Thread CPU time: the machine is shared, so wall time mostly measures the neighbours.
struct Clock {
  using time_point = double;
  static double now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
};

const Table& BenchTable(int primary_percent = 5) {
  static const Table five = SkewedHierarchicalCountTable(SkewedTableSpec{});
  static const Table fifteen = [] {
    SkewedTableSpec spec;
    spec.primary_fraction = 0.15;
    return SkewedHierarchicalCountTable(spec);
  }();
  return primary_percent == 15 ? fifteen : five;
}

Output AsOutput(const Table& t, OutputType type) {
  Output o;
  o.uid = "bench";
  o.type = type;
  o.body = t;
  return o;
}

std::vector<bool> Primaries(const Table& table) {
  return CheckOutput(AsOutput(table, OutputType::kFrequencyTable), RiskAppetite::Defaults())
      ->PrimaryMask();
}

double Seconds(double a, double b) { return b - a; }

double SuppressedValue(const Table& t, const SuppressionResult& r) {
  double v = 0;
  for (size_t i = 0; i < r.status.size(); ++i) {
    if (r.status[i] == CellStatus::kSecondary) v += t.cells[i].value;
  }
  return v;
}

void BM_HierarchicalSuppression(benchmark::State& state) {
  const Table& table = BenchTable(static_cast<int>(state.range(1)));
  const std::vector<bool> primary = Primaries(table);
  SuppressionOptions network;
  network.cost = static_cast<SuppressionCost>(state.range(0));
  network.audit = false;
  SuppressionOptions cube = network;
  cube.method = SuppressionMethod::kHypercube;

  double network_s = 0, cube_s = 0;
  Result<SuppressionResult> net = Internal("not run"), hyp = Internal("not run");
  for (auto _ : state) {
    auto t0 = Clock::now();
    net = SuppressSecondary(table, primary, network);
    auto t1 = Clock::now();
    hyp = SuppressSecondary(table, primary, cube);
    auto t2 = Clock::now();
    network_s += Seconds(t0, t1);
    cube_s += Seconds(t1, t2);
    benchmark::DoNotOptimize(net);
    benchmark::DoNotOptimize(hyp);
  }
  if (!net.ok() || !hyp.ok()) {
    state.SkipWithError("suppression failed");
    return;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["cells"] = static_cast<double>(table.cells.size());
  state.counters["primaries"] = static_cast<double>(net->primaries);
  state.counters["network_s"] = network_s / n;
  state.counters["hypercube_s"] = cube_s / n;
  state.counters["time_ratio_vs_hypercube"] = network_s / cube_s;
  state.counters["network_secondaries"] = static_cast<double>(net->secondaries);
  state.counters["network_cleaned"] = static_cast<double>(net->cleaned);
  state.counters["hypercube_secondaries"] = static_cast<double>(hyp->secondaries);
  state.counters["count_ratio_vs_hypercube"] =
      static_cast<double>(net->secondaries) / static_cast<double>(hyp->secondaries);
  state.counters["value_ratio_vs_hypercube"] =
      SuppressedValue(table, *net) / SuppressedValue(table, *hyp);

  // Audits (outside the timed loop): both patterns, and the primaries alone.
  auto a0 = Clock::now();
  auto net_audit = AuditSuppression(table, net->status, network.protection);
  auto a1 = Clock::now();
  auto hyp_audit = AuditSuppression(table, hyp->status, network.protection);
  std::vector<CellStatus> alone(table.cells.size(), CellStatus::kPublished);
  for (size_t i = 0; i < primary.size(); ++i) {
    if (primary[i]) alone[i] = CellStatus::kPrimary;
  }
  auto alone_audit = AuditSuppression(table, alone, network.protection);
  if (!net_audit.ok() || !hyp_audit.ok() || !alone_audit.ok()) {
    state.SkipWithError("audit failed");
    return;
  }
  state.counters["audit_s"] = Seconds(a0, a1);
  state.counters["network_unsafe_cells"] =
      static_cast<double>(net_audit->exact + net_audit->under_protected);
  state.counters["hypercube_unsafe_cells"] =
      static_cast<double>(hyp_audit->exact + hyp_audit->under_protected);
  state.counters["primary_only_exact"] = static_cast<double>(alone_audit->exact);
}
BENCHMARK(BM_HierarchicalSuppression)
    ->ArgNames({"cost", "primary_pct"})
    ->Args({static_cast<int>(SuppressionCost::kLog), 5})
    ->Args({static_cast<int>(SuppressionCost::kUnity), 5})
    ->Args({static_cast<int>(SuppressionCost::kValue), 5})
    ->Args({static_cast<int>(SuppressionCost::kLog), 15})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// A magnitude table of the same shape: contributions drawn per leaf.
const Table& MagnitudeTable() {
  static const Table table = [] {
    Table t = BenchTable();
    std::mt19937_64 rng(3);
    std::lognormal_distribution<double> amount(10, 1.5);
    for (Cell& c : t.cells) {
      c.evidence.top1 = amount(rng);
      c.evidence.top2 = c.evidence.top1 * 0.5;
      c.evidence.sum = c.evidence.top1 * (1.5 + static_cast<double>(c.evidence.persons) / 4);
      c.value = c.evidence.sum;
    }
    t.statistic = Statistic::kSum;
    return t;
  }();
  return table;
}

// Baseline: one pass that reads every cell's evidence (the floor for any per-cell check).
void BM_EvidenceScan(benchmark::State& state) {
  const Table& t = MagnitudeTable();
  for (auto _ : state) {
    int64_t small = 0;
    for (const Cell& c : t.cells) {
      small += (c.evidence.persons < 10) + (c.evidence.sum - c.evidence.top1 - c.evidence.top2 <
                                            0.1 * c.evidence.top1);
    }
    benchmark::DoNotOptimize(small);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(t.cells.size()));
}
BENCHMARK(BM_EvidenceScan);

void BM_Checks(benchmark::State& state) {
  const bool magnitude = state.range(0) == 1;
  const Table& t = magnitude ? MagnitudeTable() : BenchTable();
  Output output = AsOutput(t, magnitude ? OutputType::kMagnitudeTable
                                        : OutputType::kFrequencyTable);
  const RiskAppetite appetite = RiskAppetite::Defaults();
  // The scan baseline, measured here so the ratio comes from the same run.
  auto s0 = Clock::now();
  int64_t small = 0;
  for (int rep = 0; rep < 20; ++rep) {
    for (const Cell& c : t.cells) small += c.evidence.persons < 10;
  }
  benchmark::DoNotOptimize(small);
  const double scan_per_cell = Seconds(s0, Clock::now()) / (20.0 * static_cast<double>(t.cells.size()));
  double total = 0;
  for (auto _ : state) {
    auto c0 = Clock::now();
    auto report = CheckOutput(output, appetite);
    total += Seconds(c0, Clock::now());
    benchmark::DoNotOptimize(report);
  }
  const double per_cell = total / (static_cast<double>(state.iterations()) *
                                   static_cast<double>(t.cells.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(t.cells.size()));
  state.counters["cells_per_s"] = 1.0 / per_cell;
  state.counters["ratio_vs_scan"] = per_cell / scan_per_cell;
}
BENCHMARK(BM_Checks)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sz::disclosure

BENCHMARK_MAIN();
