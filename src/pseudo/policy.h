// A pseudonymization policy: per column, one rule saying what happens to its values,
// plus row-level suppression and microaggregation groups. Written by the
// pseudonymization officer in YAML or JSON, parsed and validated here, executed by
// Apply() (apply.h).
//
//   version: 1
//   unlisted: error            # columns the policy does not name: error | keep | delete
//   columns:
//     - {column: name,        rule: delete}
//     - {column: customer_id, rule: pseudonym, algorithm: hmac-sha256, key_id: cust, scope:
//     project, length: 16}
//     - {column: rrn,         rule: mask, pattern: "######-*******"}
//     - {column: card_no,     rule: token, method: ff1, alphabet: digits, key_id: card, scope:
//     dataset}
//     - {column: birth_date,  rule: generalize, method: age_band, width: 5, as_of: 2024-12-31, top:
//     85}
//     - {column: paid_at,     rule: generalize, method: date, unit: month}
//     - {column: postal_code, rule: generalize, method: prefix, length: 3}
//     - {column: amount,      rule: noise, distribution: laplace, scale: 500, bound: 2000}
//   suppress_records:
//     - {column: age, op: ge, value: 100}
//   microaggregation:
//     - {columns: [income, assets], k: 3}
//
// Rules (fields, with defaults) are documented in docs/pseudo.md. Every field name is
// checked: an unknown field is an error, so a typo never silently weakens a policy.
//
// Missing values: NULL and the empty string are both "missing". Every rule except
// `keep` maps a missing input to NULL (pseudonym of NULL is NULL; generalization of NULL
// is NULL, which forms its own class for the privacy models); rows are never dropped for
// being missing.
//
// Invariants of a Policy returned by ParsePolicy: at most one rule per column, a column
// in a microaggregation group has no other rule, every parameter is in range, keys are
// named (never an unkeyed hash), hierarchies are loaded and validated.
//
// Thread-safety: a Policy is a value; share it read-only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "privacy/hierarchy.h"
#include "pseudo/dates.h"

namespace sz::pseudo {

// What to do with a value a rule cannot transform (a malformed date, a value that does
// not match any mask pattern, an FF1 input with foreign characters). Default: kError,
// because silently nulling provider data hides data-quality problems.
enum class OnInvalid { kError, kNull };

// Which keyring scope a key belongs to: the same key id in another scope is another key.
// A pseudonym keyed per project is linkable only within that project; per combination,
// only within one combination (결합) job.
enum class KeyScope { kDataset, kProject, kCombination };
struct KeyRef {
  std::string id;
  KeyScope scope = KeyScope::kDataset;
};

struct KeepRule {};
struct DeleteRule {};

// Which characters `mask` may replace.
enum class MaskClass { kAny, kDigits, kHangul, kLetters, kAlnum };
struct MaskRule {
  // Positions (in characters) kept in clear at each end. Default: 0.
  int keep_first = 0;
  int keep_last = 0;
  // The replacement character (one Unicode character). Default: "*".
  std::string mask_char = "*";
  // Only characters of this class are masked; others stay. Default: kAny.
  MaskClass only = MaskClass::kAny;
  // Fixed patterns, tried in order: '#' keeps the character, '*' masks it, '\' escapes,
  // any other character must match literally. When non-empty, keep_first/keep_last/only
  // are not used, and a value matching no pattern is invalid.
  std::vector<std::string> patterns;
  OnInvalid on_invalid = OnInvalid::kError;
};

enum class HashAlgorithm { kHmacSha256, kBlake2b };
enum class DigestEncoding { kHex, kBase32 };
struct PseudonymRule {
  HashAlgorithm algorithm = HashAlgorithm::kHmacSha256;
  DigestEncoding encoding = DigestEncoding::kHex;
  // Output characters. Default: 16 (64 bits in hex). REQUIRES: >= 32 bits of output.
  int length = 16;
  KeyRef key;
};

enum class TokenMethod { kAesSiv, kFf1 };
// FF1 alphabets: digits (radix 10); lowercase or uppercase alphanumerics (radix 36);
// both cases (radix 62, digits then a-z then A-Z).
enum class Ff1Alphabet { kDigits, kAlnumLower, kAlnumUpper, kAlnum };
struct TokenRule {
  TokenMethod method = TokenMethod::kAesSiv;
  KeyRef key;
  // AES-SIV: associated data bound into every token (e.g. a purpose label). Default: none.
  std::string context;
  // FF1 only.
  Ff1Alphabet alphabet = Ff1Alphabet::kDigits;
  std::string tweak;
  // Characters kept in place, unencrypted (format separators). Any other character
  // outside the alphabet makes the value invalid. Default: "- ./()+".
  std::string separators = "- ./()+";
  OnInvalid on_invalid = OnInvalid::kError;
};

enum class GeneralizeMethod {
  kInterval,     // numeric: [offset + i*width, offset + (i+1)*width) labels
  kRound,        // numeric: nearest multiple of base
  kTopBottom,    // numeric: clamp to [bottom, top]
  kDate,         // date: truncate to year / quarter / month / week (ISO, Monday)
  kAgeBand,      // date of birth: age in full years on as_of, banded by width
  kPrefix,       // text: first `length` characters (optionally padded with `fill`)
  kHierarchy,    // any: an ARX hierarchy at `level`
  kAdminRegion,  // text: Korean address/region -> 시도 or 시군구
};
enum class RegionLevel { kSido, kSigungu };
// admin_region output: names ("서울특별시 종로구") or 행정표준코드 ("11110").
enum class RegionFormat { kName, kCode };
struct GeneralizeRule {
  GeneralizeMethod method = GeneralizeMethod::kInterval;
  double width = 0;   // interval, age_band: REQUIRES > 0
  double offset = 0;  // interval
  double base = 0;    // round: REQUIRES > 0
  // interval/age_band: values >= top become "top+", below bottom "<bottom";
  // top_bottom: values are clamped. At least one is set for top_bottom.
  std::optional<double> top, bottom;
  DateUnit unit = DateUnit::kMonth;
  std::string as_of;       // age_band: reference date, YYYY-MM-DD
  int32_t as_of_days = 0;  // the same as days since 1970-01-01
  int length = 0;          // prefix: REQUIRES > 0
  std::string fill;        // prefix: pad the cut part with this character
  // hierarchy: loaded on parse from `hierarchy` (inline ARX CSV) or `hierarchy_file`.
  std::shared_ptr<const privacy::Hierarchy> hierarchy;
  std::string hierarchy_text;  // inline CSV as written (empty if from a file)
  std::string hierarchy_file;
  int level = 1;                                     // hierarchy: REQUIRES 0 < level < levels
  RegionLevel region_level = RegionLevel::kSigungu;  // admin_region
  RegionFormat region_format = RegionFormat::kName;  // admin_region
  OnInvalid on_invalid = OnInvalid::kError;
};

enum class NoiseDistribution { kUniform, kLaplace };
struct NoiseRule {
  NoiseDistribution distribution = NoiseDistribution::kUniform;
  // Noise is clamped to [-bound, bound]. REQUIRES > 0. For uniform noise this is the
  // range; for Laplace noise `scale` (b) sets the spread.
  double bound = 0;
  double scale = 0;  // laplace: REQUIRES > 0
};

struct DateShiftRule {
  std::string person_column;  // whose key decides the shift
  int max_days = 0;           // REQUIRES 1..3650; offset in [-max_days, max_days]
  KeyRef key;
  OnInvalid on_invalid = OnInvalid::kError;
};

enum class SuppressWith { kNull, kStar };
struct LocalSuppressRule {
  std::vector<std::string> values;  // cells holding one of these (as text) are suppressed
  std::vector<int64_t> rows;        // 0-based row numbers of cells to suppress
  SuppressWith with = SuppressWith::kNull;
};

using RuleParams = std::variant<KeepRule, DeleteRule, MaskRule, PseudonymRule, TokenRule,
                                GeneralizeRule, NoiseRule, DateShiftRule, LocalSuppressRule>;

struct ColumnRule {
  std::string column;
  RuleParams params;
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kIsNull };
// Drop every row where `column op value(s)` holds. Values are compared in the column's
// type (DuckDB casts the literal).
struct RecordCondition {
  std::string column;
  CompareOp op = CompareOp::kEq;
  std::vector<std::string> values;  // one for comparisons, several for kIn, none for kIsNull
};

// MDAV microaggregation (Domingo-Ferrer & Mateo-Sanz 2002) over numeric columns.
struct MicroaggregationGroup {
  std::vector<std::string> columns;
  int k = 0;  // REQUIRES >= 2
};

enum class Unlisted { kError, kKeep, kDelete };

struct Policy {
  int version = 1;
  std::string name;
  Unlisted unlisted = Unlisted::kError;
  std::vector<ColumnRule> columns;
  std::vector<RecordCondition> suppress_records;
  std::vector<MicroaggregationGroup> microaggregation;

  // The rule for `column`, or nullptr.
  const ColumnRule* Find(std::string_view column) const;
};

struct ParseOptions {
  // Reads the ARX CSV that `hierarchy_file: NAME` names. Default: empty = NAME is a path
  // in the file system (tools and tests). The zone passes a resolver over the hierarchies
  // officers uploaded, so that a person's policy never reads an arbitrary path.
  std::function<Result<std::string>(std::string_view name)> read_hierarchy_file;
  // Top-level sections the caller reads itself (the zone's `thresholds`): each one present
  // is handed to `read_section` as JSON text (YAML scalars stay strings); its error fails
  // the parse. Default: none, so any other top-level key is an error.
  std::vector<std::string> sections;
  std::function<Status(std::string_view name, std::string_view json)> read_section;
};

// Parses YAML or JSON (JSON if the first non-blank character is '{'). InvalidArgument
// with the column, rule and field on any problem. Loads hierarchy files.
Result<Policy> ParsePolicy(std::string_view text, const ParseOptions& options = {});
// The policy as JSON that ParsePolicy reads back to an equal policy.
std::string PolicyToJson(const Policy& policy);

// Rule names as written in a policy: "keep", "mask", ...; for generalize and token the
// method is named too ("generalize/age_band", "token/ff1").
std::string RuleName(const ColumnRule& rule);
std::string_view KeyScopeName(KeyScope scope);

// One input column: name and DuckDB type name as DESCRIBE prints it.
struct ColumnInfo {
  std::string name;
  std::string type;
};
using Schema = std::vector<ColumnInfo>;

// The type families the rules care about, from a DuckDB type name.
enum class TypeClass { kText, kInteger, kFloat, kDecimal, kDate, kTimestamp, kBoolean, kOther };
TypeClass ClassifyType(std::string_view duckdb_type);
bool IsNumeric(TypeClass c);

// Checks a parsed policy against an input schema: every named column exists, each rule
// fits its column's type, the date_shift person column exists, unlisted columns are
// allowed, microaggregation columns are numeric, and one key id is not used for two
// algorithms. InvalidArgument naming the column and rule.
Status ValidatePolicy(const Policy& policy, const Schema& input);

}  // namespace sz::pseudo
