// Benchmarks for the policy core: authorization decisions, audit appends, chain verification.
//
// Every measurement sits next to a baseline measured in the same run, and reports the
// ratio (machines are shared and noisy; ratios travel better than absolute numbers):
//   - Decide vs a bare ACL lookup (an unordered_set of (role, action) pairs): what the
//     richer policy costs over the simplest possible check;
//   - audit Append (hash chain, checkpoint signing every 1000) vs a bare SQLite INSERT of
//     the same row without hashing, both with synchronous=FULL, one transaction per row
//     ("durable") and 1000 rows per transaction ("batched");
//   - Verify over N entries (default 1,000,000; SZ_BENCH_VERIFY_ENTRIES overrides) vs a
//     bare SHA-256 over the same bytes and vs a bare scan of the same table.
// Baselines are registered first; each measured benchmark divides its time per item by
// its baseline's.
//
// Run briefly on a shared machine, e.g.:
//   build/identity_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <unordered_set>

#include "audit/audit_log.h"
#include "audit/verify.h"
#include "authz/policy.h"
#include "storage/sqlite.h"

namespace sz {
namespace {

using authz::Action;
using authz::Actor;
using authz::Object;
using authz::Role;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

// ---- helpers ----

class BenchDir {
 public:
  BenchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sz-bench-XXXXXX").string();
    char* made = ::mkdtemp(tmpl.data());
    path_ = made ? made : "";
  }
  ~BenchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

storage::SqliteDb OpenDb(const std::string& path) {
  auto db = storage::SqliteDb::Open(path, storage::SqliteDb::Mode::kReadWriteCreate);
  if (!db.ok()) std::abort();
  if (!audit::AuditLog::CreateSchema(*db).ok()) std::abort();
  if (!db->Exec("CREATE TABLE IF NOT EXISTS bare (seq INTEGER PRIMARY KEY, time INTEGER, "
                "actor TEXT, action TEXT, object TEXT, outcome TEXT, reason TEXT, "
                "query_digest TEXT, query_sealed BLOB, datasets TEXT, request_id TEXT, "
                "prev_hash TEXT, hash TEXT)")
           .ok()) {
    std::abort();
  }
  return std::move(*db);
}

audit::Entry SampleEntry(int64_t i) {
  audit::Entry e;
  e.actor = "user:17/kim.analyst";
  e.action = "workspace.query";
  e.object = "project:42";
  e.reason = "allowed";
  e.datasets = {"dataset:12@3", "dataset:15@1"};
  e.request_id = "req-" + std::to_string(i);
  return e;
}

struct Shared {
  FakeClock clock{FromUnix(1'750'000'000)};
  audit::SigningKey signing = audit::SigningKey::Generate();
  crypto::SecretBytes query_key = crypto::SecretBytes::Random(32);
  audit::AuditLog log{clock, signing, query_key, {}};
};
Shared& Keys() {
  static Shared shared;
  return shared;
}

// Seconds per item of each baseline, set when the baseline runs (registered first).
double g_acl_per_item = 0, g_insert_durable = 0, g_insert_batched = 0, g_sha_per_entry = 0,
       g_scan_per_entry = 0;

void Ratio(benchmark::State& state, const char* name, double mine_per_item, double base) {
  if (base > 0) state.counters[name] = mine_per_item / base;
}

// ---- authorization ----

struct Case {
  Actor actor;
  Action action;
  Object object;
};

std::vector<Case> DecisionMix() {
  authz::ProjectInfo p;
  p.id = 1;
  p.members = {10, 11};
  p.created_by = 10;
  p.start = Date{year(2025), month(1), day(1)};
  p.end = Date{year(2025), month(12), day(31)};
  p.state = authz::ProjectState::kApproved;
  std::vector<Case> mix;
  for (Role r : authz::kAllRoles) {
    Actor a;
    a.user_id = 10;
    a.username = "kim";
    a.institution = "korail";
    a.roles = {{r, 0}};
    a.accreditation_expires = Date{year(2026), month(1), day(1)};
    a.today = Date{year(2025), month(6), day(15)};
    a.method = authz::AuthMethod::kSession;
    for (int i = 0; i < authz::kActionCount; ++i) {
      auto action = static_cast<Action>(i);
      Object o;
      switch (authz::ObjectKindFor(action)) {
        case authz::ObjectKind::kDataset:
          o = Object::Dataset(1, "korail", authz::Tier::kNonOpen);
          break;
        case authz::ObjectKind::kJob:
          o = Object::Job(1, "korail", authz::Tier::kNonOpen, 11);
          break;
        case authz::ObjectKind::kCombination:
          o = Object::Combination(1, 11);
          break;
        case authz::ObjectKind::kProject:
          o = Object::Project(p);
          break;
        case authz::ObjectKind::kExportRequest:
          o = Object::ExportRequest(1, p, 11);
          break;
        case authz::ObjectKind::kRelease:
          o = Object::Release(1, p, 10);
          break;
        case authz::ObjectKind::kUser:
          o = Object::User(11);
          break;
        case authz::ObjectKind::kAuditTrail:
          o = Object::AuditTrail();
          break;
        case authz::ObjectKind::kZone:
          o = Object::Zone();
          break;
      }
      mix.push_back({a, action, o});
    }
  }
  return mix;
}

void BM_AclLookupBaseline(benchmark::State& state) {
  std::vector<Case> mix = DecisionMix();
  std::unordered_set<int> acl;
  for (int i = 0; i < 7 * authz::kActionCount; i += 3) acl.insert(i);
  size_t i = 0, allowed = 0;
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const Case& c = mix[i++ % mix.size()];
    int key =
        static_cast<int>(c.actor.roles[0].role) * authz::kActionCount + static_cast<int>(c.action);
    allowed += acl.count(key);
    benchmark::DoNotOptimize(allowed);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_acl_per_item = secs / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AclLookupBaseline);

void BM_Decide(benchmark::State& state) {
  std::vector<Case> mix = DecisionMix();
  size_t i = 0, allowed = 0;
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const Case& c = mix[i++ % mix.size()];
    allowed += authz::Decide(c.actor, c.action, c.object).allowed;
    benchmark::DoNotOptimize(allowed);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.SetItemsProcessed(state.iterations());
  Ratio(state, "ratio_vs_acl_lookup", secs / static_cast<double>(state.iterations()),
        g_acl_per_item);
}
BENCHMARK(BM_Decide);

// ---- audit appends ----

// Inserts a row like an audit entry, without hashing or chaining: the storage cost alone.
Status BareInsert(storage::SqliteDb& db, int64_t seq) {
  audit::Entry e = SampleEntry(seq);
  return db.Run(
      "INSERT INTO bare (seq, time, actor, action, object, outcome, reason, "
      "query_digest, datasets, request_id, prev_hash, hash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 'allow', ?6, '', ?7, ?8, ?9, ?9)",
      seq, int64_t{1'750'000'000}, e.actor, e.action, e.object, e.reason,
      std::string("dataset:12@3,dataset:15@1"), e.request_id, std::string(64, 'a'));
}

template <typename Fn>
double RunBatches(benchmark::State& state, storage::SqliteDb& db, int64_t per_txn, Fn&& one) {
  int64_t seq = 0;
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto txn = storage::Transaction::Begin(db);
    for (int64_t k = 0; k < per_txn; ++k) {
      if (!one(db, ++seq).ok()) state.SkipWithError("write failed");
    }
    if (!txn->Commit().ok()) state.SkipWithError("commit failed");
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.SetItemsProcessed(state.iterations() * per_txn);
  return secs / static_cast<double>(state.iterations() * per_txn);
}

void BM_BareInsertBaseline(benchmark::State& state) {
  BenchDir dir;
  storage::SqliteDb db = OpenDb(dir / "bare.db");
  int64_t per_txn = state.range(0);
  double per_item = RunBatches(state, db, per_txn, BareInsert);
  (per_txn == 1 ? g_insert_durable : g_insert_batched) = per_item;
}
BENCHMARK(BM_BareInsertBaseline)->Arg(1)->Arg(1000)->ArgName("rows_per_txn")->UseRealTime();

void BM_AuditAppend(benchmark::State& state) {
  BenchDir dir;
  storage::SqliteDb db = OpenDb(dir / "audit.db");
  int64_t per_txn = state.range(0);
  double per_item = RunBatches(state, db, per_txn, [](storage::SqliteDb& d, int64_t seq) {
    return Keys().log.Append(d, SampleEntry(seq)).status();
  });
  Ratio(state, "ratio_vs_bare_insert", per_item,
        per_txn == 1 ? g_insert_durable : g_insert_batched);
}
BENCHMARK(BM_AuditAppend)->Arg(1)->Arg(1000)->ArgName("rows_per_txn")->UseRealTime();

// ---- verification ----

int64_t VerifyEntries() {
  const char* env = std::getenv("SZ_BENCH_VERIFY_ENTRIES");
  return env ? std::atoll(env) : 1'000'000;
}

// A trail of VerifyEntries() entries, built once (fast, not durable: not what is measured).
struct Trail {
  BenchDir dir;
  storage::SqliteDb db;
  int64_t entries = 0;
  size_t encoding_bytes = 0;  // mean canonical encoding length
};
Trail& BuiltTrail() {
  static std::unique_ptr<Trail> trail = [] {
    auto t = std::make_unique<Trail>();
    t->db = OpenDb(t->dir / "trail.db");
    (void)t->db.Exec("PRAGMA synchronous=OFF");
    t->entries = VerifyEntries();
    for (int64_t done = 0; done < t->entries;) {
      auto txn = storage::Transaction::Begin(t->db);
      for (int k = 0; k < 10000 && done < t->entries; ++k, ++done) {
        if (!Keys().log.Append(t->db, SampleEntry(done)).ok()) std::abort();
      }
      if (!txn->Commit().ok()) std::abort();
    }
    auto first = audit::ReadEntries(t->db, 1, 1);
    t->encoding_bytes = audit::CanonicalEncoding(first->front()).size();
    return t;
  }();
  return *trail;
}

void BM_Sha256Baseline(benchmark::State& state) {
  Trail& t = BuiltTrail();
  std::string bytes(t.encoding_bytes, 'x');
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    for (int64_t i = 0; i < t.entries; ++i) {
      bytes[0] = static_cast<char>(i);
      benchmark::DoNotOptimize(crypto::Sha256(bytes));
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_sha_per_entry = secs / static_cast<double>(state.iterations() * t.entries);
  state.counters["entries"] = static_cast<double>(t.entries);
  state.counters["seconds"] = secs / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Sha256Baseline)->Iterations(1)->Unit(benchmark::kSecond);

void BM_TableScanBaseline(benchmark::State& state) {
  Trail& t = BuiltTrail();
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    int64_t n = 0;
    (void)audit::ForEachEntry(t.db, [&](const audit::StoredEntry& e) {
      n += static_cast<int64_t>(e.hash.size());
      return true;
    });
    benchmark::DoNotOptimize(n);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_scan_per_entry = secs / static_cast<double>(state.iterations() * t.entries);
  state.counters["seconds"] = secs / static_cast<double>(state.iterations());
}
BENCHMARK(BM_TableScanBaseline)->Iterations(1)->Unit(benchmark::kSecond);

void BM_Verify(benchmark::State& state) {
  Trail& t = BuiltTrail();
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto report = audit::Verify(t.db, Keys().signing.public_key, {});
    if (!report.ok() || !report->ok() || report->entries != t.entries) {
      state.SkipWithError("verification failed");
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double per_entry = secs / static_cast<double>(state.iterations() * t.entries);
  state.counters["entries"] = static_cast<double>(t.entries);
  state.counters["seconds"] = secs / static_cast<double>(state.iterations());
  Ratio(state, "ratio_vs_sha256", per_entry, g_sha_per_entry);
  Ratio(state, "ratio_vs_scan", per_entry, g_scan_per_entry);
  Ratio(state, "ratio_vs_scan_plus_sha256", per_entry, g_scan_per_entry + g_sha_per_entry);
}
BENCHMARK(BM_Verify)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace sz

BENCHMARK_MAIN();
