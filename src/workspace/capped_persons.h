// sz_capped_persons(person UBIGINT, cap INTEGER) -> BIGINT: a DuckDB aggregate that counts
// distinct person keys exactly up to `cap`, then stops counting.
//
// The threshold rule only asks "does this cell have at least N distinct persons?" (and
// the degrees-of-freedom rules the same with other N). Answering it exactly needs no
// per-person aggregation: per group, keep the distinct keys seen so far in a small array;
// when the array reaches `cap` keys, drop them and remember only "at least cap". The
// result is min(distinct persons, cap): exact below the cap, and equal to the cap
// (meaning "cap or more") above it. State is O(cap) per group, one pass over the rows,
// and once a group is saturated each further row costs one branch, so margins computed
// by GROUPING SETS straight from the raw rows stay cheap (no (cell, person) aggregation).
//
// Invariants: 1 <= cap <= kMaxPersonCap (larger caps are an error: use an exact count);
// NULL keys are not counted; the cap must be the same on every row (a constant).
// Parallel partial states combine exactly (the union of two key sets, capped).
//
// Thread-safety: registration uses one connection; DuckDB calls the aggregate's callbacks
// from its worker threads on distinct states.
#pragma once

#include <duckdb.h>

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace sz::workspace {

inline constexpr std::string_view kCappedPersonsFunction = "sz_capped_persons";
inline constexpr int64_t kMaxPersonCap = 64;

// Registers the aggregate on `conn`'s database (before the sandbox is locked down).
Status RegisterCappedPersons(duckdb_connection conn);

}  // namespace sz::workspace
