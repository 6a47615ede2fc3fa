#include "pseudo/internal/udf.h"

#include <exception>

#include "fmt/format.h"

namespace sz::pseudo::internal {

namespace {

// What the catalog entry holds: a weak reference (see the header on lifetime).
struct Binding {
  std::weak_ptr<const ColumnFunction> fn;
};

void DeleteBinding(void* p) { delete static_cast<Binding*>(p); }

// The C callback: flat input vectors in, one output vector out. Exceptions must not
// cross into DuckDB's C frames; Run() does not throw, but allocation might.
void Call(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  auto* binding = static_cast<Binding*>(duckdb_scalar_function_get_extra_info(info));
  std::shared_ptr<const ColumnFunction> fn = binding->fn.lock();
  if (!fn) {
    duckdb_scalar_function_set_error(info,
                                     "this pseudonymization function belongs to a finished run");
    return;
  }
  try {
    const idx_t n = duckdb_data_chunk_get_size(input);
    const idx_t cols = duckdb_data_chunk_get_column_count(input);
    std::vector<In> in;
    in.reserve(cols);
    for (idx_t c = 0; c < cols; ++c) in.emplace_back(duckdb_data_chunk_get_vector(input, c));
    Out out(output);
    Tally tally;
    Status s = fn->Run(in, n, out, tally);
    if (!s.ok()) {
      duckdb_scalar_function_set_error(info, s.message().c_str());
      return;
    }
    const ColumnFunction& f = *fn;
    f.rows.fetch_add(n, std::memory_order_relaxed);
    f.missing.fetch_add(tally.missing, std::memory_order_relaxed);
    f.changed.fetch_add(tally.changed, std::memory_order_relaxed);
    f.suppressed.fetch_add(tally.suppressed, std::memory_order_relaxed);
  } catch (const std::exception& e) {
    duckdb_scalar_function_set_error(
        info, fmt::format("{}: internal error: {}", fn->column(), e.what()).c_str());
  }
}

struct LogicalType {
  duckdb_logical_type t;
  explicit LogicalType(duckdb_type id) : t(duckdb_create_logical_type(id)) {}
  ~LogicalType() { duckdb_destroy_logical_type(&t); }
};

struct ScalarFunction {
  duckdb_scalar_function f = duckdb_create_scalar_function();
  ~ScalarFunction() { duckdb_destroy_scalar_function(&f); }
};

}  // namespace

duckdb_type DuckType(Physical p) {
  switch (p) {
    case Physical::kVarchar:
      return DUCKDB_TYPE_VARCHAR;
    case Physical::kBigint:
      return DUCKDB_TYPE_BIGINT;
    case Physical::kDouble:
      return DUCKDB_TYPE_DOUBLE;
    case Physical::kDate:
      return DUCKDB_TYPE_DATE;
    case Physical::kTimestamp:
      return DUCKDB_TYPE_TIMESTAMP;
  }
  return DUCKDB_TYPE_VARCHAR;
}

std::string_view SqlType(Physical p) {
  switch (p) {
    case Physical::kVarchar:
      return "VARCHAR";
    case Physical::kBigint:
      return "BIGINT";
    case Physical::kDouble:
      return "DOUBLE";
    case Physical::kDate:
      return "DATE";
    case Physical::kTimestamp:
      return "TIMESTAMP";
  }
  return "VARCHAR";
}

Status ColumnFunction::InvalidValue(std::string_view what) const {
  return InvalidArgument(fmt::format(
      "column '{}': rule '{}': {}; fix the data or set on_invalid: null", column_, rule_, what));
}

Status Register(duck::Connection& conn, const std::string& name,
                const std::shared_ptr<ColumnFunction>& fn) {
  ScalarFunction sf;
  duckdb_scalar_function_set_name(sf.f, name.c_str());
  for (Physical p : fn->inputs()) {
    LogicalType t(DuckType(p));
    duckdb_scalar_function_add_parameter(sf.f, t.t);
  }
  LogicalType ret(DuckType(fn->output()));
  duckdb_scalar_function_set_return_type(sf.f, ret.t);
  // NULL inputs reach Run() (missing values are counted and mapped there).
  duckdb_scalar_function_set_special_handling(sf.f);
  if (fn->is_volatile()) duckdb_scalar_function_set_volatile(sf.f);
  duckdb_scalar_function_set_function(sf.f, Call);
  // DuckDB owns the binding from here and frees it with DeleteBinding.
  duckdb_scalar_function_set_extra_info(sf.f, std::make_unique<Binding>(Binding{fn}).release(),
                                        DeleteBinding);
  if (duckdb_register_scalar_function(conn.raw(), sf.f) != DuckDBSuccess) {
    return Internal(fmt::format("cannot register the transform for column '{}'", fn->column()));
  }
  return OkStatus();
}

}  // namespace sz::pseudo::internal
