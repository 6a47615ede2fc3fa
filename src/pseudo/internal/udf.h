// Internal: column transforms as DuckDB scalar functions (C API).
//
// Each policy rule that needs code becomes one ColumnFunction, registered under a name
// unique to one Apply() run. DuckDB evaluates the projection in parallel, calling Run()
// on chunks of up to 2048 rows from several threads at once, so a ColumnFunction is
// immutable during the query except for its atomic totals; per-thread state (AES
// contexts) lives on the stack of Run().
//
// Lifetime and keys: DuckDB cannot unregister a C API function, so the catalog entry
// outlives the run. It holds only a weak reference; when Apply() drops the last strong
// reference, the key material is wiped and any later call fails with an error.
// Keys are therefore never in SQL text nor in the catalog.
#pragma once

#include <duckdb.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/duck.h"

namespace sz::pseudo::internal {

// The physical types functions read and write; the SQL layer casts columns to these.
enum class Physical { kVarchar, kBigint, kDouble, kDate, kTimestamp };
duckdb_type DuckType(Physical p);
std::string_view SqlType(Physical p);

// Read access to one flat input vector.
class In {
 public:
  explicit In(duckdb_vector v)
      : data_(duckdb_vector_get_data(v)), validity_(duckdb_vector_get_validity(v)) {}
  bool Valid(idx_t i) const { return !validity_ || ((validity_[i / 64] >> (i % 64)) & 1); }
  std::string_view Str(idx_t i) const {
    const auto& s = static_cast<const duckdb_string_t*>(data_)[i];
    uint32_t len = s.value.inlined.length;
    return {len <= 12 ? s.value.inlined.inlined : s.value.pointer.ptr, len};
  }
  // A VARCHAR that is NULL or empty is missing.
  bool MissingStr(idx_t i) const { return !Valid(i) || Str(i).empty(); }
  int64_t I64(idx_t i) const { return static_cast<const int64_t*>(data_)[i]; }
  double F64(idx_t i) const { return static_cast<const double*>(data_)[i]; }
  int32_t Date(idx_t i) const { return static_cast<const int32_t*>(data_)[i]; }
  int64_t Micros(idx_t i) const { return static_cast<const int64_t*>(data_)[i]; }

 private:
  const void* data_;
  const uint64_t* validity_;
};

// Write access to the output vector.
class Out {
 public:
  explicit Out(duckdb_vector v) : vec_(v), data_(duckdb_vector_get_data(v)) {}
  void SetNull(idx_t i) {
    if (!validity_) {
      duckdb_vector_ensure_validity_writable(vec_);
      validity_ = duckdb_vector_get_validity(vec_);
    }
    validity_[i / 64] &= ~(uint64_t{1} << (i % 64));
  }
  void Str(idx_t i, std::string_view s) {
    duckdb_vector_assign_string_element_len(vec_, i, s.data(), s.size());
  }
  void I64(idx_t i, int64_t v) { static_cast<int64_t*>(data_)[i] = v; }
  void F64(idx_t i, double v) { static_cast<double*>(data_)[i] = v; }
  void Date(idx_t i, int32_t v) { static_cast<int32_t*>(data_)[i] = v; }
  void Micros(idx_t i, int64_t v) { static_cast<int64_t*>(data_)[i] = v; }

 private:
  duckdb_vector vec_;
  void* data_;
  uint64_t* validity_ = nullptr;
};

// Counts for one chunk, added to the function's totals once per chunk.
struct Tally {
  uint64_t missing = 0;     // NULL or empty inputs
  uint64_t changed = 0;     // present inputs whose output differs
  uint64_t suppressed = 0;  // present inputs whose output is NULL or '*'
};

class ColumnFunction {
 public:
  // `column` and `rule` name the work in error messages.
  ColumnFunction(std::string column, std::string rule)
      : column_(std::move(column)), rule_(std::move(rule)) {}
  virtual ~ColumnFunction() = default;

  virtual std::vector<Physical> inputs() const = 0;
  virtual Physical output() const = 0;
  // Volatile functions (noise) are never constant-folded or cached by DuckDB.
  virtual bool is_volatile() const { return false; }
  // Transforms `n` rows. A non-OK status aborts the query with its message.
  virtual Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const = 0;
  // Called once after the query succeeded: a deferred failure (for instance values a
  // hierarchy does not cover) or OK.
  virtual Status Finish() const { return OkStatus(); }
  // Remarks for the report after a successful run (e.g. how many values could only be
  // generalized further than asked).
  virtual std::vector<std::string> Notes() const { return {}; }

  const std::string& column() const { return column_; }
  const std::string& rule() const { return rule_; }
  // "column 'x': rule 'mask': <what>; fix the data or set on_invalid: null"
  Status InvalidValue(std::string_view what) const;

  // Totals over the run: the only state that changes during a query (hence mutable).
  mutable std::atomic<uint64_t> rows{0}, missing{0}, changed{0}, suppressed{0};

 private:
  std::string column_, rule_;
};

// Registers `fn` as scalar function `name` in the connection's database.
Status Register(duck::Connection& conn, const std::string& name,
                const std::shared_ptr<ColumnFunction>& fn);

}  // namespace sz::pseudo::internal
