// Applying a pseudonymization policy to a dataset: the engine's main entry point.
//
// Apply() reads a DuckDB relation (typically read_parquet('/proc/self/fd/N') over a
// MemFile), transforms it as the policy says, and writes the result as Parquet into
// another MemFile. It compiles the policy into one SELECT: columns kept pass through,
// deleted columns are left out, rows matching suppress_records are filtered, and every
// other rule is a scalar function registered through DuckDB's C API, so DuckDB runs the
// whole projection in parallel across its threads and streams it into the Parquet
// writer. Keys reach the functions through their extra_info, never through SQL text.
//
// Microaggregation and row-numbered local suppression need stable row numbers: the
// input is then first copied into a temporary in-memory table (DuckDB's `rowid`), MDAV
// runs as a pre-pass over the rows that survive suppress_records, and the projection
// looks the replacement values up by row number.
//
// Counts in the report are over the rows written (after suppress_records).
//
// Thread-safety: Apply() uses `conn` exclusively for its duration; concurrent Apply()
// calls need separate connections (they may share a Database).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "crypto/secret.h"
#include "pseudo/policy.h"
#include "pseudo/values.h"
#include "storage/duck.h"
#include "storage/memfile.h"

namespace sz::pseudo {

// Supplies key bytes for the key ids a policy names. The zone implements it over its
// keyring (and decides who may use which key); the engine never stores keys.
class KeyProvider {
 public:
  virtual ~KeyProvider() = default;
  // `scope` is "dataset", "project" or "combination". NotFound if there is no such key,
  // PermissionDenied if the caller may not use it.
  virtual Result<crypto::SecretBytes> Key(std::string_view key_id, std::string_view scope) = 0;
};

// Keys held in memory, for tests and tools. Not thread-safe.
class InMemoryKeyProvider final : public KeyProvider {
 public:
  void Add(std::string_view key_id, std::string_view scope, std::string_view bytes);
  Result<crypto::SecretBytes> Key(std::string_view key_id, std::string_view scope) override;

 private:
  std::vector<std::pair<std::string, crypto::SecretBytes>> keys_;  // "scope/id" -> bytes
};

struct ApplyOptions {
  // Source of noise for `noise` rules. Default: nullptr = SecureNoise (CSPRNG). Must
  // outlive the Apply() call.
  NoiseGenerator* noise = nullptr;
  // A pseudonym column gets a warning when the chance of at least one collision among
  // its values exceeds this. Default: 1e-6.
  double collision_warning = 1e-6;
};

struct ColumnReport {
  std::string column;
  std::string rule;    // "pseudonym", "generalize/age_band", ...
  std::string detail;  // parameters in words (never key bytes)
  std::string input_type;
  std::string output_type;  // empty when deleted
  uint64_t rows = 0;        // rows written
  uint64_t missing_in = 0;  // NULL or empty inputs (for keep: NULLs)
  uint64_t nulls_out = 0;
  uint64_t changed = 0;     // present inputs whose output differs (compared as text)
  uint64_t suppressed = 0;  // present inputs written as NULL or '*' (or removed: delete)
  std::vector<std::string> warnings;
};

struct TransformReport {
  uint64_t rows_in = 0;
  uint64_t rows_out = 0;
  uint64_t rows_suppressed = 0;       // by suppress_records
  std::vector<ColumnReport> columns;  // in input order, deleted columns included
  Schema output_schema;
  std::vector<std::string> warnings;
};

// Column names and types of `relation` (any FROM-clause text).
Result<Schema> DescribeRelation(duck::Connection& conn, std::string_view relation);

// Validates `policy` against the input, applies it, and writes Parquet to `out`
// (replacing its contents). On error `out` is left empty. Errors: InvalidArgument (policy
// vs data: a value a rule cannot transform, k larger than the rows, uncovered hierarchy
// values), NotFound/PermissionDenied from the key provider, or DuckDB's error.
Result<TransformReport> Apply(duck::Connection& conn, std::string_view input_relation,
                              const Policy& policy, KeyProvider& keys, storage::MemFile& out,
                              const ApplyOptions& options = {});

// Inverts a `token` rule (detokenization; the zone audits and restricts its use).
// out[i] is the original value, or nullopt if tokens[i] is malformed or, for AES-SIV,
// not authentic under this key and context. InvalidArgument if `rule` is not a token rule.
Result<std::vector<std::optional<std::string>>> Detokenize(
    const ColumnRule& rule, KeyProvider& keys, std::span<const std::string_view> tokens);

}  // namespace sz::pseudo
