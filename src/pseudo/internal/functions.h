// Internal: builds the DuckDB function (and its SQL arguments) for one column rule.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crypto/secret.h"
#include "pseudo/internal/udf.h"
#include "pseudo/policy.h"
#include "pseudo/values.h"

namespace sz::pseudo::internal {

struct BuiltFunction {
  std::shared_ptr<ColumnFunction> fn;
  // SQL expressions for the arguments, in order (column references with casts).
  std::vector<std::string> args;
};

struct BuildInputs {
  const ColumnRule* rule = nullptr;
  ColumnInfo column;                         // the input column
  std::string person_type;                   // date_shift: the person column's type
  const crypto::SecretBytes* key = nullptr;  // keyed rules
  NoiseGenerator* noise = nullptr;           // noise rule
  std::string rowid_sql;                     // a row-number expression, if the source has one
};

// The function for a column rule (not keep/delete). InvalidArgument for a bad key size.
Result<BuiltFunction> BuildColumnFunction(const BuildInputs& in);

// Microaggregation: replacement values by row number (NaN = NULL); `value_sql` is the
// column cast to DOUBLE and `rowid_sql` the row-number expression.
BuiltFunction BuildLookupFunction(std::string column, std::vector<double> replacement,
                                  std::string rowid_sql, std::string value_sql);

// How a column of `type` is passed to a numeric rule: BIGINT for integers that fit,
// DOUBLE otherwise.
Physical NumericPhysical(std::string_view type);

}  // namespace sz::pseudo::internal
