#include "privacy/search.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <queue>
#include <unordered_set>

#include "fmt/format.h"
#include "privacy/groupify.h"
#include "privacy/worker_pool.h"

namespace sz::privacy {
namespace {

using Levels = std::vector<int>;
using Clock = std::chrono::steady_clock;

bool Leq(const Levels& a, const Levels& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] > b[i]) return false;
  return true;
}

int Height(const Levels& l) { return std::accumulate(l.begin(), l.end(), 0); }

std::string Key(const Levels& l) {
  std::string k(l.size(), '\0');
  for (size_t i = 0; i < l.size(); ++i) k[i] = static_cast<char>(l[i]);
  return k;
}

// True if some node of `list` is <= n (n is in its up-set).
bool InUpSet(const std::vector<Levels>& list, const Levels& n) {
  return std::any_of(list.begin(), list.end(), [&](const Levels& e) { return Leq(e, n); });
}
// True if some node of `list` is >= n (n is in its down-set).
bool InDownSet(const std::vector<Levels>& list, const Levels& n) {
  return std::any_of(list.begin(), list.end(), [&](const Levels& e) { return Leq(n, e); });
}

// Adds n to an antichain of minimal elements (up-set generators).
void AddMinimal(std::vector<Levels>& list, const Levels& n) {
  std::erase_if(list, [&](const Levels& e) { return Leq(n, e); });
  list.push_back(n);
}
// Adds n to an antichain of maximal elements (down-set generators).
void AddMaximal(std::vector<Levels>& list, const Levels& n) {
  std::erase_if(list, [&](const Levels& e) { return Leq(e, n); });
  list.push_back(n);
}

// Class tables of checked nodes, kept to roll coarser nodes up from. Least recently used
// tables are dropped beyond the memory budget; the bottom node's table is kept always.
class ClassCache {
 public:
  explicit ClassCache(size_t budget) : budget_(budget) {}

  void SetBottom(std::shared_ptr<const Cells> cells) { bottom_ = std::move(cells); }
  const std::shared_ptr<const Cells>& bottom() const { return bottom_; }

  // The smallest cached table at or below `levels` (the bottom if nothing better).
  // Thread-safe, like Insert: batched checks share the cache.
  std::shared_ptr<const Cells> BestSource(const Levels& levels) {
    std::lock_guard lock(mu_);
    Entry* best = nullptr;
    for (Entry& e : entries_) {
      if (!Leq(e.cells->levels, levels)) continue;
      if (!best || e.cells->size() < best->cells->size()) best = &e;
    }
    if (!best || best->cells->size() >= bottom_->size()) return bottom_;
    best->last_use = ++clock_;
    return best->cells;
  }

  void Insert(std::shared_ptr<const Cells> cells) {
    std::lock_guard lock(mu_);
    size_t bytes = cells->MemoryBytes();
    if (bytes > budget_ / 4) return;  // one huge table would evict everything useful
    while (!entries_.empty() && used_ + bytes > budget_) {
      auto lru =
          std::min_element(entries_.begin(), entries_.end(),
                           [](const Entry& a, const Entry& b) { return a.last_use < b.last_use; });
      used_ -= lru->cells->MemoryBytes();
      *lru = std::move(entries_.back());
      entries_.pop_back();
    }
    used_ += bytes;
    entries_.push_back(Entry{std::move(cells), ++clock_});
  }

 private:
  struct Entry {
    std::shared_ptr<const Cells> cells;
    uint64_t last_use;
  };
  std::mutex mu_;
  size_t budget_;
  size_t used_ = 0;
  uint64_t clock_ = 0;
  std::vector<Entry> entries_;
  std::shared_ptr<const Cells> bottom_;
};

// Metrics whose value equals NodeBound when nothing is suppressed.
bool BoundIsExactWithoutSuppression(UtilityMetric m) {
  return m == UtilityMetric::kLoss || m == UtilityMetric::kPrecision ||
         m == UtilityMetric::kNonUniformEntropy;
}

class Searcher {
 public:
  Searcher(const Dataset& dataset, const Criteria& criteria, const SearchOptions& options)
      : dataset_(dataset),
        criteria_(criteria),
        options_(options),
        pool_(options.threads),
        utility_(dataset),
        dist_(dataset),
        cache_(options.cache_bytes),
        top_(dataset.MaxLevels()),
        monotone_(criteria.Monotone(dataset.rows())),
        no_suppression_(criteria.MaxSuppressed(dataset.rows()) == 0),
        with_sensitive_(criteria.NeedsSensitive()),
        start_(Clock::now()) {}

  Result<SearchResult> Run();

 private:
  enum class Verdict { kUnknown, kSatisfied, kViolated };
  struct Best {
    double value;
    int height;
    Levels levels;
  };

  // True if a node with this bound, height and levels could still beat the best.
  bool CanImprove(double bound, int height, const Levels& levels) const {
    if (!best_) return true;
    if (bound != best_->value) return bound < best_->value;
    return std::tie(height, levels) < std::tie(best_->height, best_->levels);
  }
  void Consider(const Levels& levels, double value) {
    int h = Height(levels);
    if (!best_ || value < best_->value ||
        (value == best_->value && std::tie(h, levels) < std::tie(best_->height, best_->levels))) {
      best_ = Best{value, h, levels};
    }
  }
  // True once a heuristic search has spent its budget (`pending` checks are queued).
  bool OverBudget(size_t pending = 0) const {
    if (options_.strategy != SearchStrategy::kHeuristic) return false;
    if (checked_ + static_cast<int64_t>(pending) >= options_.max_checks) return true;
    if (options_.time_limit_seconds > 0) {
      std::chrono::duration<double> spent = Clock::now() - start_;
      if (spent.count() >= options_.time_limit_seconds) return true;
    }
    return false;
  }

  // What grouping and judging one node tells.
  struct NodeCheck {
    bool satisfied = false;
    double value = 0;        // of the metric, if satisfied
    double class_bound = 0;  // ClassBound: holds for the node and its generalizations
  };
  // Thread-safe given a pool of its own: groups and judges one node.
  Result<NodeCheck> Evaluate(const Levels& levels, WorkerPool& pool);
  // Sequential: folds a check into the best solution, tags and prunings.
  Verdict Record(const Levels& levels, const NodeCheck& check);
  Result<Verdict> CheckNode(const Levels& levels) {
    SZ_ASSIGN_OR_RETURN(NodeCheck c, Evaluate(levels, pool_));
    return Record(levels, c);
  }
  // Checks several independent nodes at once, one per worker, then records them in order.
  Status CheckBatch(const std::vector<Levels>& nodes);
  Result<std::shared_ptr<const Cells>> CellsFor(const Levels& levels, WorkerPool& pool);
  void Expand(const Levels& levels);
  Verdict Tagged(const Levels& levels) const {
    if (!monotone_) return Verdict::kUnknown;
    if (InUpSet(satisfied_min_, levels)) return Verdict::kSatisfied;
    if (InDownSet(violated_max_, levels)) return Verdict::kViolated;
    return Verdict::kUnknown;
  }
  Result<Verdict> ResolveByChain(const Levels& levels);
  Result<bool> RunExhaustive();
  Result<bool> RunBestFirst();
  Result<SearchResult> Finish(bool complete);

  const Dataset& dataset_;
  const Criteria& criteria_;
  const SearchOptions& options_;
  WorkerPool pool_;
  UtilityModel utility_;
  SensitiveDistribution dist_;
  ClassCache cache_;
  const Levels top_;
  const bool monotone_;
  const bool no_suppression_;
  const bool with_sensitive_;
  const Clock::time_point start_;

  struct Item {
    double bound;
    int height;
    Levels levels;
    bool operator>(const Item& o) const {
      return std::tie(bound, height, levels) > std::tie(o.bound, o.height, o.levels);
    }
  };
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue_;
  std::unordered_set<std::string> seen_;
  std::optional<Best> best_;
  std::vector<Levels> satisfied_min_;  // monotone: up-sets known to satisfy
  std::vector<Levels> violated_max_;   // monotone: down-sets known to violate
  std::vector<Levels> pruned_min_;     // up-sets that cannot beat the best (ClassBound)
  int64_t checked_ = 0;
  int64_t tagged_ = 0;
  int64_t visited_ = 0;
};

Result<std::shared_ptr<const Cells>> Searcher::CellsFor(const Levels& levels, WorkerPool& pool) {
  if (!options_.roll_up) {
    SZ_ASSIGN_OR_RETURN(Cells c, GroupRows(dataset_, levels, with_sensitive_, pool));
    return std::make_shared<const Cells>(std::move(c));
  }
  if (!cache_.bottom()) {  // only ever on the search's own thread (see RunBestFirst)
    Levels bottom(levels.size(), 0);
    SZ_ASSIGN_OR_RETURN(Cells c, GroupRows(dataset_, bottom, with_sensitive_, pool));
    cache_.SetBottom(std::make_shared<const Cells>(std::move(c)));
  }
  auto source = cache_.BestSource(levels);
  if (source->levels == levels) return source;
  SZ_ASSIGN_OR_RETURN(Cells c, RollUp(dataset_, *source, levels, pool));
  auto cells = std::make_shared<const Cells>(std::move(c));
  cache_.Insert(cells);
  return cells;
}

Result<Searcher::NodeCheck> Searcher::Evaluate(const Levels& levels, WorkerPool& pool) {
  SZ_ASSIGN_OR_RETURN(auto cells, CellsFor(levels, pool));
  ClassView view = MakeClassView(*cells);
  Evaluation ev = EvaluateClasses(criteria_, *cells, view, dist_, dataset_.rows());
  NodeCheck out;
  out.satisfied = ev.satisfied;
  if (ev.satisfied) {
    std::vector<uint8_t> suppressed(view.classes, 0);
    for (int64_t c : ev.violating) suppressed[c] = 1;
    out.value = utility_.Value(options_.metric, *cells, view, suppressed);
  }
  out.class_bound = utility_.ClassBound(options_.metric, levels, view);
  return out;
}

Searcher::Verdict Searcher::Record(const Levels& levels, const NodeCheck& check) {
  ++checked_;
  if (check.satisfied) Consider(levels, check.value);
  if (options_.strategy != SearchStrategy::kExhaustive) {
    // Every generalization is at least one level higher and worth at least this bound.
    if (best_ && (check.class_bound > best_->value ||
                  (check.class_bound == best_->value && Height(levels) + 1 > best_->height))) {
      AddMinimal(pruned_min_, levels);
    }
    if (monotone_) {
      if (check.satisfied) {
        AddMinimal(satisfied_min_, levels);
      } else {
        AddMaximal(violated_max_, levels);
      }
    }
  }
  return check.satisfied ? Verdict::kSatisfied : Verdict::kViolated;
}

Status Searcher::CheckBatch(const std::vector<Levels>& nodes) {
  std::vector<Result<NodeCheck>> results(nodes.size(), Internal("not run"));
  pool_.Run(static_cast<int>(nodes.size()), [&](int i) {
    WorkerPool serial(1);  // the outer pool is busy running this batch
    results[i] = Evaluate(nodes[i], serial);
  });
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!results[i].ok()) return results[i].status();
    Record(nodes[i], *results[i]);
  }
  return OkStatus();
}

// Finds the lowest satisfying node on a chain from `levels` to the top by binary search
// (satisfaction is monotone along a chain). Each probe tags a down-set or an up-set.
Result<Searcher::Verdict> Searcher::ResolveByChain(const Levels& levels) {
  std::vector<Levels> chain{levels};
  Levels cur = levels;
  while (cur != top_) {
    // Climb along the cheapest generalization: those nodes are the likeliest optima.
    int pick = -1;
    double pick_bound = 0;
    for (size_t d = 0; d < cur.size(); ++d) {
      if (cur[d] == top_[d]) continue;
      ++cur[d];
      double b = utility_.NodeBound(options_.metric, cur);
      --cur[d];
      if (pick < 0 || b < pick_bound) {
        pick = static_cast<int>(d);
        pick_bound = b;
      }
    }
    ++cur[pick];
    chain.push_back(cur);
  }
  // The first satisfying index is in [lo, hi]; hi == chain.size() means none. With P
  // workers each round probes P evenly spaced nodes at once (a (P+1)-ary search; P = 1
  // is plain binary search). A probe already tagged by earlier checks costs nothing.
  // P is capped: probing most of a short chain would waste more than it saves.
  size_t lo = 0, hi = chain.size();
  const size_t probes = std::min<size_t>(static_cast<size_t>(pool_.threads()), 3);
  while (lo < hi) {
    std::vector<size_t> at;
    for (size_t j = 1; j <= probes; ++j) {
      size_t i = lo + (hi - lo) * j / (probes + 1);
      if (i < hi && (at.empty() || at.back() != i)) at.push_back(i);
    }
    std::vector<Levels> unknown;
    for (size_t i : at)
      if (Tagged(chain[i]) == Verdict::kUnknown) unknown.push_back(chain[i]);
    if (!unknown.empty()) {
      if (OverBudget(unknown.size() - 1)) return Verdict::kUnknown;
      SZ_RETURN_IF_ERROR(unknown.size() == 1 ? CheckNode(unknown[0]).status()
                                             : CheckBatch(unknown));
    }
    for (size_t i : at) {  // satisfaction is monotone along the chain
      Verdict v = Tagged(chain[i]);
      if (v == Verdict::kSatisfied) hi = std::min(hi, i);
      if (v == Verdict::kViolated) lo = std::max(lo, i + 1);
    }
  }
  return Tagged(levels);
}

void Searcher::Expand(const Levels& levels) {
  if (InUpSet(pruned_min_, levels)) return;  // its successors are pruned too
  const int height = Height(levels) + 1;
  Levels next = levels;
  for (size_t d = 0; d < next.size(); ++d) {
    if (next[d] == top_[d]) continue;
    ++next[d];
    if (seen_.insert(Key(next)).second) {
      queue_.push({utility_.NodeBound(options_.metric, next), height, next});
    }
    --next[d];
  }
}

Result<bool> Searcher::RunBestFirst() {
  Levels bottom(top_.size(), 0);
  if (options_.roll_up) SZ_RETURN_IF_ERROR(CellsFor(bottom, pool_).status());  // before any batch
  queue_.push({utility_.NodeBound(options_.metric, bottom), 0, bottom});
  seen_.insert(Key(bottom));
  // Nodes whose verdict needs a check but nothing else (no chain search) are collected
  // and checked in parallel, one node per worker. The outcome is the sequential one:
  // every check, tag and pruning is valid whenever it is recorded, checking a node the
  // sequential order would have skipped only adds a valid candidate, ties are broken by
  // a total order, and the batch is flushed (its successors queued) before the search
  // may stop.
  const size_t batch_limit = pool_.threads() > 1 ? 2 * static_cast<size_t>(pool_.threads()) : 1;
  std::vector<Levels> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return OkStatus();
    Status s = batch.size() == 1 ? CheckNode(batch[0]).status() : CheckBatch(batch);
    SZ_RETURN_IF_ERROR(s);
    for (const Levels& n : batch) {
      bool settled = Tagged(n) == Verdict::kSatisfied && no_suppression_ &&
                     BoundIsExactWithoutSuppression(options_.metric);
      if (!settled) Expand(n);
    }
    batch.clear();
    return OkStatus();
  };
  while (!queue_.empty() || !batch.empty()) {
    if (queue_.empty()) {  // the batch's expansions may refill the queue
      SZ_RETURN_IF_ERROR(flush());
      continue;
    }
    const Item& top = queue_.top();
    // Bounds never decrease along the queue: nothing left can beat the best.
    if (!CanImprove(top.bound, top.height, top.levels)) {
      if (batch.empty()) return true;
      SZ_RETURN_IF_ERROR(flush());  // the batch may change the best; look again
      continue;
    }
    Item item = top;
    queue_.pop();
    if (options_.strategy == SearchStrategy::kHeuristic &&
        ++visited_ > options_.max_nodes_visited) {
      SZ_RETURN_IF_ERROR(flush());
      return false;
    }
    if (InUpSet(pruned_min_, item.levels)) continue;
    Verdict v = Tagged(item.levels);
    if (v == Verdict::kViolated) {
      ++tagged_;
      Expand(item.levels);
      continue;
    }
    if (v == Verdict::kSatisfied && no_suppression_ &&
        BoundIsExactWithoutSuppression(options_.metric)) {
      // Nothing is suppressed, so the value is the bound: no grouping needed, and the
      // generalizations are worth at least as much and lie higher.
      ++tagged_;
      Consider(item.levels, item.bound);
      continue;
    }
    if (OverBudget(batch.size())) {
      SZ_RETURN_IF_ERROR(flush());
      return false;
    }
    if (v == Verdict::kUnknown && monotone_ && options_.chain_search) {
      // A chain search is sequential and tags what later nodes need: run it now, while
      // the batch waits (its nodes are resolved already; recording order is immaterial).
      SZ_ASSIGN_OR_RETURN(v, ResolveByChain(item.levels));
      if (v == Verdict::kUnknown) {  // budget spent
        SZ_RETURN_IF_ERROR(flush());
        return false;
      }
      if (!(v == Verdict::kSatisfied && no_suppression_ &&
            BoundIsExactWithoutSuppression(options_.metric))) {
        Expand(item.levels);
      }
      continue;
    }
    batch.push_back(item.levels);  // satisfied but valued by its suppression, or unknown
    if (batch.size() >= batch_limit) SZ_RETURN_IF_ERROR(flush());
  }
  return true;
}

Result<bool> Searcher::RunExhaustive() {
  // Every node, lowest first, so that roll-ups find a cached node just below.
  std::vector<Levels> nodes{Levels(top_.size(), 0)};
  for (size_t d = 0; d < top_.size(); ++d) {
    std::vector<Levels> grown;
    for (const Levels& n : nodes) {
      for (int l = 0; l <= top_[d]; ++l) {
        Levels m = n;
        m[d] = l;
        grown.push_back(std::move(m));
      }
    }
    nodes = std::move(grown);
  }
  std::stable_sort(nodes.begin(), nodes.end(),
                   [](const Levels& a, const Levels& b) { return Height(a) < Height(b); });
  if (options_.roll_up) SZ_RETURN_IF_ERROR(CellsFor(nodes.front(), pool_).status());
  // Independent checks: one node per worker, as in the best-first search's batches.
  const size_t batch = pool_.threads() > 1 ? 4 * static_cast<size_t>(pool_.threads()) : 1;
  for (size_t i = 0; i < nodes.size(); i += batch) {
    std::vector<Levels> part(
        nodes.begin() + static_cast<std::ptrdiff_t>(i),
        nodes.begin() + static_cast<std::ptrdiff_t>(std::min(nodes.size(), i + batch)));
    SZ_RETURN_IF_ERROR(part.size() == 1 ? CheckNode(part[0]).status() : CheckBatch(part));
  }
  return true;
}

Result<SearchResult> Searcher::Finish(bool complete) {
  if (!best_) {
    // A budgeted search that found nothing still has the top node to offer.
    if (!complete) {
      SZ_ASSIGN_OR_RETURN(Verdict v, CheckNode(top_));
      (void)v;
    }
    if (!best_) {
      return FailedPrecondition(
          "no generalization satisfies the privacy models within the suppression limit; raise "
          "the suppression limit or relax the models");
    }
  }
  SearchResult r;
  r.levels = best_->levels;
  r.value = best_->value;
  SZ_ASSIGN_OR_RETURN(auto cells, CellsFor(r.levels, pool_));
  ClassView view = MakeClassView(*cells);
  Evaluation ev = EvaluateClasses(criteria_, *cells, view, dist_, dataset_.rows());
  std::vector<uint8_t> suppressed(view.classes, 0);
  for (int64_t c : ev.violating) suppressed[c] = 1;
  r.utility = utility_.Report(*cells, view, suppressed, criteria_.MaxK());
  for (const auto& m : criteria_.models) r.models.push_back(m.Name());
  r.suppressed_records = ev.violating_records;
  r.classes = r.utility.released_classes;
  r.optimal = complete;
  r.nodes_checked = checked_;
  r.nodes_tagged = tagged_;
  r.lattice_nodes = 1;
  for (int t : top_) r.lattice_nodes *= t + 1;
  r.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  return r;
}

Result<SearchResult> Searcher::Run() {
  bool complete = false;
  if (options_.strategy == SearchStrategy::kExhaustive) {
    SZ_ASSIGN_OR_RETURN(complete, RunExhaustive());
  } else {
    SZ_ASSIGN_OR_RETURN(complete, RunBestFirst());
  }
  return Finish(complete);
}

}  // namespace

Result<SearchResult> Search(const Dataset& dataset, const Criteria& criteria,
                            const SearchOptions& options) {
  SZ_RETURN_IF_ERROR(criteria.Validate(dataset));
  double nodes = 1;
  for (int t : dataset.MaxLevels()) nodes *= t + 1;
  if (options.strategy != SearchStrategy::kHeuristic && nodes > options.max_lattice_nodes) {
    return ResourceExhausted(fmt::format(
        "the generalization lattice has {:.3g} nodes, more than {:.3g} for an exact search; use "
        "the heuristic strategy with a budget",
        nodes, options.max_lattice_nodes));
  }
  if (options.strategy == SearchStrategy::kHeuristic && options.max_checks < 1) {
    return InvalidArgument("the heuristic search needs a budget of at least one check");
  }
  Searcher searcher(dataset, criteria, options);
  return searcher.Run();
}

}  // namespace sz::privacy
