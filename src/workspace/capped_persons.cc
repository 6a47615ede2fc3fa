#include "workspace/capped_persons.h"

#include <algorithm>
#include <cstring>

#include "fmt/format.h"

namespace sz::workspace {

namespace {

// Fixed-size state (DuckDB allocates states itself): the distinct keys seen while fewer
// than `cap`; `count == cap` means saturated ("cap or more"), and the keys are no longer
// looked at.
struct State {
  uint32_t count;
  uint32_t cap;  // 0 until the first row
  uint64_t keys[kMaxPersonCap];
};

// DuckDB's validity mask: bit i of the 64-bit words; nullptr means every row is valid.
bool Valid(const uint64_t* mask, idx_t row) {
  return mask == nullptr || ((mask[row / 64] >> (row % 64)) & 1u) != 0;
}

bool Saturated(const State& s) { return s.cap != 0 && s.count >= s.cap; }

void Insert(State& s, uint64_t key) {
  for (uint32_t i = 0; i < s.count; ++i)
    if (s.keys[i] == key) return;
  if (s.count + 1 >= s.cap) {
    s.count = s.cap;  // reached the cap: saturated from now on
    return;
  }
  s.keys[s.count++] = key;
}

idx_t StateSize(duckdb_function_info) { return sizeof(State); }

void Init(duckdb_function_info, duckdb_aggregate_state state) {
  std::memset(reinterpret_cast<void*>(state), 0, sizeof(State));
}

void Update(duckdb_function_info info, duckdb_data_chunk input, duckdb_aggregate_state* states) {
  idx_t rows = duckdb_data_chunk_get_size(input);
  if (rows == 0) return;
  duckdb_vector key_vector = duckdb_data_chunk_get_vector(input, 0);
  duckdb_vector cap_vector = duckdb_data_chunk_get_vector(input, 1);
  const auto* keys = static_cast<const uint64_t*>(duckdb_vector_get_data(key_vector));
  const uint64_t* valid = duckdb_vector_get_validity(key_vector);
  const uint64_t* cap_valid = duckdb_vector_get_validity(cap_vector);
  // The cap is a constant: its first row stands for the chunk.
  int32_t cap = static_cast<const int32_t*>(duckdb_vector_get_data(cap_vector))[0];
  if (!Valid(cap_valid, 0) || cap < 1 ||
      cap > kMaxPersonCap) {
    duckdb_aggregate_function_set_error(
        info, fmt::format("{}: the cap must be between 1 and {}", kCappedPersonsFunction,
                          kMaxPersonCap)
                  .c_str());
    return;
  }
  for (idx_t i = 0; i < rows; ++i) {
    auto& s = *reinterpret_cast<State*>(states[i]);
    if (Saturated(s)) continue;  // the common case once a cell has enough persons
    if (!Valid(valid, i)) continue;
    if (s.cap == 0) {
      s.cap = static_cast<uint32_t>(cap);
    } else if (s.cap != static_cast<uint32_t>(cap)) {
      duckdb_aggregate_function_set_error(
          info, fmt::format("{}: the cap must be a constant", kCappedPersonsFunction).c_str());
      return;
    }
    Insert(s, keys[i]);
  }
}

void Combine(duckdb_function_info, duckdb_aggregate_state* source, duckdb_aggregate_state* target,
             idx_t count) {
  for (idx_t i = 0; i < count; ++i) {
    const auto& from = *reinterpret_cast<const State*>(source[i]);
    auto& into = *reinterpret_cast<State*>(target[i]);
    if (from.cap == 0) continue;  // saw no rows
    if (into.cap == 0) into.cap = from.cap;
    if (Saturated(into)) continue;
    if (Saturated(from)) {
      into.count = into.cap;
      continue;
    }
    for (uint32_t k = 0; k < from.count && !Saturated(into); ++k) Insert(into, from.keys[k]);
  }
}

void Finalize(duckdb_function_info, duckdb_aggregate_state* source, duckdb_vector result,
              idx_t count, idx_t offset) {
  auto* out = static_cast<int64_t*>(duckdb_vector_get_data(result));
  for (idx_t i = 0; i < count; ++i) {
    out[offset + i] = reinterpret_cast<const State*>(source[i])->count;
  }
}

}  // namespace

Status RegisterCappedPersons(duckdb_connection conn) {
  duckdb_aggregate_function f = duckdb_create_aggregate_function();
  duckdb_aggregate_function_set_name(f, std::string(kCappedPersonsFunction).c_str());
  duckdb_logical_type key = duckdb_create_logical_type(DUCKDB_TYPE_UBIGINT);
  duckdb_logical_type cap = duckdb_create_logical_type(DUCKDB_TYPE_INTEGER);
  duckdb_logical_type result = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
  duckdb_aggregate_function_add_parameter(f, key);
  duckdb_aggregate_function_add_parameter(f, cap);
  duckdb_aggregate_function_set_return_type(f, result);
  duckdb_aggregate_function_set_functions(f, StateSize, Init, Update, Combine, Finalize);
  duckdb_state st = duckdb_register_aggregate_function(conn, f);
  duckdb_destroy_logical_type(&key);
  duckdb_destroy_logical_type(&cap);
  duckdb_destroy_logical_type(&result);
  duckdb_destroy_aggregate_function(&f);
  if (st != DuckDBSuccess)
    return Internal(fmt::format("registering {} failed", kCappedPersonsFunction));
  return OkStatus();
}

}  // namespace sz::workspace
