// Optimal full-domain generalization: pick one hierarchy level per quasi-identifier (a
// node of the generalization lattice) that satisfies the privacy criteria with the least
// information loss.
//
// The lattice: nodes are level vectors, ordered component-wise; a node's successors
// raise one level by one. Its size is the product of the hierarchies' level counts
// (12,960 for UCI Adult's nine hierarchies).
//
// Optimal search (SearchStrategy::kOptimal) combines three prunings, each exact:
//  1. Bound order. Every utility metric has a lower bound that holds for a node and all
//     its generalizations and is known before grouping (UtilityModel::NodeBound; for Loss
//     it is the loss of generalization alone). Nodes are expanded best-bound-first from
//     the bottom node, like Dijkstra's algorithm over a monotone key, so they come in
//     global bound order and the search stops at the first node whose bound cannot beat
//     the best solution found. A grouped node's ClassBound prunes its whole up-set.
//  2. Predictive tagging (Flash, Kohlmayer et al. 2012, "Flash: efficient, stable and
//     optimal k-anonymity"; OLA, El Emam et al. 2009, "A globally optimal k-anonymity
//     method for the de-identification of health data"): when the criteria are monotone
//     (Criteria::Monotone: k-anonymity and distinct l-diversity always; entropy/recursive
//     l-diversity and t-closeness only without suppression), a node that satisfies them
//     implies all its generalizations do, and one that fails implies all its
//     specializations fail. To resolve an unknown node the search binary-searches a
//     chain from it to the top (Flash's path idea), so one check high up tags a large
//     down-set. For non-monotone criteria nothing is tagged: every node the bounds do not
//     exclude is checked.
//  3. Roll-up: a node's class table is regrouped from the smallest cached class table of
//     a node below it (groupify.h), never from the rows again after the bottom node.
// Ties (equal metric value) go to the lower node, then to the lexicographically smaller
// level vector, so the result does not depend on thread count or timing.
//
// kExhaustive checks every node (the correctness and speed baseline); kHeuristic runs the
// same best-first search under a check/time budget for lattices too large to finish
// (Prasser et al. 2016, "Lightning: utility-driven anonymization of high-dimensional
// data", use the same budgeted best-first idea) and reports whether it proved optimality.
//
// Parallelism (SearchOptions::threads workers): nodes that only need checking (no chain
// search) are checked in batches, one node per worker; a chain search probes up to 3
// chain nodes per round at once ((P+1)-ary instead of binary search); a single large
// grouping pass is radix-partitioned over all workers (groupify.h). The result does not
// depend on the thread count; nodes_checked may (parallel probes check a few more).
// Thread-safety: Search is a pure function; call it from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "privacy/dataset.h"
#include "privacy/models.h"
#include "privacy/utility.h"

namespace sz::privacy {

enum class SearchStrategy { kOptimal, kExhaustive, kHeuristic };

struct SearchOptions {
  // Metric to minimise. Default: ARX's Loss.
  UtilityMetric metric = UtilityMetric::kLoss;
  // Default: kOptimal.
  SearchStrategy strategy = SearchStrategy::kOptimal;
  // Worker threads (0 = all cores). Default: 0.
  int threads = 0;
  // Binary-search chains for predictive tagging (kOptimal/kHeuristic). Default: true.
  bool chain_search = true;
  // Regroup from cached finer class tables; false regroups every node from the rows
  // (a baseline for benchmarks). Default: true.
  bool roll_up = true;
  // kOptimal refuses lattices with more nodes than this (use kHeuristic). Default: 2^26.
  double max_lattice_nodes = 67108864.0;
  // kHeuristic budgets: nodes grouped, nodes taken from the queue (most are settled by
  // tags without grouping), and wall time (0 = no time limit).
  // Defaults: 5000 checks, 1,000,000 visits, no time limit.
  int64_t max_checks = 5000;
  int64_t max_nodes_visited = 1000000;
  double time_limit_seconds = 0;
  // Memory for cached class tables. Default: 256 MiB.
  size_t cache_bytes = size_t{256} << 20;
};

struct SearchResult {
  std::vector<int> levels;          // the chosen node: one level per quasi-identifier
  double value = 0;                 // its value of options.metric
  UtilityReport utility;            // every utility figure of the chosen node
  std::vector<std::string> models;  // the models it satisfies (all of criteria.models)
  int64_t suppressed_records = 0;
  int64_t classes = 0;        // released (not suppressed) equivalence classes
  bool optimal = false;       // proven optimal (always for kOptimal/kExhaustive)
  int64_t nodes_checked = 0;  // nodes grouped and judged
  int64_t nodes_tagged = 0;   // nodes resolved by predictive tagging alone
  double lattice_nodes = 0;
  double seconds = 0;
};

// FailedPrecondition if no node satisfies the criteria (not even full generalization);
// ResourceExhausted if kOptimal meets a lattice beyond max_lattice_nodes.
Result<SearchResult> Search(const Dataset& dataset, const Criteria& criteria,
                            const SearchOptions& options = {});

}  // namespace sz::privacy
