// Column profiling: proposes the role of one column (direct identifier,
// quasi-identifier, sensitive, other) from a sample of its values and its name, with a
// one-line evidence that a provider or privacy officer can check.
//
// How a column is decided (see docs/detect.md for the full table):
//   1. Every non-null value is matched against the value patterns (classify.h).
//   2. A pattern is "the" pattern when its share of non-null values reaches
//      ProfileOptions::threshold. Validated contact and ID numbers are tried first, in
//      this order where shapes overlap: RRN, foreign RRN, masked RRN, card (by Luhn),
//      business number (by check digit), mobile, landline, e-mail, IP, bank account.
//   3. If none reaches the threshold alone but together they do (a "contact" column of
//      phones and e-mails, citizens' and foreigners' numbers), the column is a direct
//      identifier of mixed kinds.
//   4. Then the heuristic patterns, in order: dates, sex codes, addresses, region
//      names, Korean names, romanized names, plain identifier-like numbers. They carry
//      column conditions: names need many distinct values (category words repeat),
//      romanized names a Korean surname or a name-like column name, identifier numbers
//      one dominant length, no round amounts and many distinct values.
//   5. Else, if enough free-text values carry an embedded RRN/phone/e-mail/card
//      (ProfileOptions::embedded_threshold), the column is a direct identifier.
//   6. The role follows the pattern; the column name (column_hints.h) refines it: a
//      date column holds birth dates if the name says so (or, with no event-date name,
//      its years spread over 25+ years), plain digit strings are accounts if the name
//      says so, and a heuristic pattern yields to a name that points elsewhere ("진단명"
//      holding words shaped like names is health data). Validated patterns are never
//      overruled by a name. Without a pattern the name decides; without either the
//      role is `other`.
//
// Evidence lines never contain a sampled value.
//
// Thread-safety: ProfileColumn is a pure function. A ColumnProfiler is used by one
// thread at a time; profilers of different columns are independent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detect/classify.h"
#include "detect/column_hints.h"
#include "detect/dates.h"
#include "detect/role.h"

namespace sz::detect {

struct PatternShare {
  Pattern pattern = Pattern::kNone;
  uint64_t matched = 0;  // non-null sampled values with this pattern's shape
  double share = 0;      // matched / non-null sampled values
  // Of `matched`, values whose check digit holds (RRN, foreign RRN, business number;
  // Luhn for cards). 0 for patterns without a check digit.
  uint64_t checksum_valid = 0;
};

struct ColumnProfile {
  std::string column;
  std::string type;  // DuckDB type name, as given
  uint64_t sampled = 0;
  uint64_t nulls = 0;     // NULL or blank (whitespace only)
  uint64_t distinct = 0;  // distinct non-null values in the sample (by 64-bit hash)
  Role proposed_role = Role::kOther;
  Pattern pattern = Pattern::kNone;  // the decisive pattern, kNone if none
  // Share of non-null sampled values supporting `pattern` (for card and business
  // numbers: the checksum-valid share; for mixed columns: all contact/ID values).
  double share = 0;
  std::vector<PatternShare> matches;  // every pattern seen, most frequent first
  HintKind hint = HintKind::kNone;    // what the column name suggests
  std::string evidence;               // one line for people; never a raw value
};

struct ProfileOptions {
  // Share of non-null values a pattern needs to be the column's pattern.
  // Default: 0.6. REQUIRES: 0 < threshold <= 1.
  double threshold = 0.6;
  // Share of non-null values carrying an embedded identifier in free text that makes
  // the column a direct identifier. Low on purpose: a memo column where one record in
  // fifty holds a phone number still leaks thousands of them.
  // Default: 0.02. REQUIRES: 0 < embedded_threshold <= 1.
  double embedded_threshold = 0.02;
  // Birth dates after this are implausible. Default: today (UTC, system clock).
  CivilDate today = TodayUtc();
};

// Incremental profiler for one column: feed values with Add(), read the result with
// Finish(). Values are not retained, only one 64-bit hash per non-null value for the
// distinct count (8 bytes a value: meant for samples, not whole tables).
class ColumnProfiler {
 public:
  ColumnProfiler(std::string_view column, std::string_view duck_type,
                 const ProfileOptions& options = {});

  // nullopt is SQL NULL. Whitespace around a value is ignored; a blank value counts
  // as NULL.
  void Add(std::optional<std::string_view> value);
  ColumnProfile Finish() const;

 private:
  struct Counts {
    uint64_t matched[kPatternCount] = {};
    uint64_t validated[kPatternCount] = {};
    uint64_t contact_union = 0;     // values with a validated contact/ID pattern
    uint64_t korean_surname = 0;    // romanized names with a Korean surname
    uint64_t id_length[21] = {};    // identifier numbers by digit count
    uint64_t id_round = 0;          // identifier numbers ending in "00"
    uint64_t birth_year[201] = {};  // dates by year - 1900
  };

  std::string column_;
  std::string type_;
  ProfileOptions options_;
  ValueContext context_;
  bool boolean_ = false;
  bool float_typed_ = false;
  uint64_t sampled_ = 0;
  uint64_t nulls_ = 0;
  Counts counts_;
  std::vector<uint64_t> hashes_;  // sorted and deduplicated in Finish()
};

// Profiles one column from a sample of its values (NULLs as nullopt).
ColumnProfile ProfileColumn(std::string_view column, std::string_view duck_type,
                            std::span<const std::optional<std::string_view>> values,
                            const ProfileOptions& options = {});

}  // namespace sz::detect
