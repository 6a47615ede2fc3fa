#include "detect/profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <functional>
#include <span>

#include "common/text.h"

namespace sz::detect {

namespace {

using P = Pattern;

// Where shapes overlap, the earlier pattern wins (see profile.h). Validated contact and
// ID numbers come first; heuristic patterns only after the mixed-contact rule, so that a
// column of RRNs and foreign numbers is not taken for "13-digit numbers".
constexpr Pattern kValidatedPrecedence[] = {
    P::kRrn,         P::kForeignRrn,    P::kRrnMasked, P::kCardNumber, P::kBusinessNumber,
    P::kMobilePhone, P::kLandlinePhone, P::kEmail,     P::kIpAddress,  P::kBankAccount};
constexpr Pattern kHeuristicPrecedence[] = {
    P::kDate,       P::kSex,           P::kAddress,          P::kRegionName,
    P::kPersonName, P::kRomanizedName, P::kIdentifierNumber};

// Validated contact and ID numbers: they also count together, for mixed columns.
constexpr Pattern kContactPatterns[] = {
    P::kRrn,         P::kForeignRrn,    P::kRrnMasked, P::kCardNumber, P::kBusinessNumber,
    P::kMobilePhone, P::kLandlinePhone, P::kEmail,     P::kIpAddress,  P::kBankAccount};

// Card and business numbers are decided on their check digit: one in ten random digit
// strings passes Luhn, so the shape alone says little.
bool DecidedByChecksum(Pattern p) { return p == P::kCardNumber || p == P::kBusinessNumber; }

bool IsContactPattern(Pattern p) {
  return std::find(std::begin(kContactPatterns), std::end(kContactPatterns), p) !=
         std::end(kContactPatterns);
}

// Validated patterns are certain enough that a column name never overrules them;
// heuristic ones (names, places, dates, bare numbers) yield to a name pointing elsewhere.
bool IsValidated(Pattern p) {
  return IsContactPattern(p) || p == P::kSex || p == P::kEmbeddedIdentifier;
}

// Whether a column name agrees with (or refines) a heuristic pattern.
bool Compatible(Pattern p, HintKind h) {
  using H = HintKind;
  switch (h) {
    case H::kRrn:
    case H::kForeignRrn:
    case H::kCardNumber:
    case H::kBankAccount:
    case H::kBusinessNumber:
    case H::kIdentifier: return p == P::kIdentifierNumber;
    case H::kDateOfBirth: return p == P::kDate || p == P::kDateOfBirth;
    case H::kEventDate: return p == P::kDate;
    case H::kPersonName: return p == P::kPersonName || p == P::kRomanizedName;
    case H::kAddress:
    case H::kRegion: return p == P::kAddress || p == P::kRegionName;
    default: return false;
  }
}

enum class TypeClass { kText, kInteger, kFloat, kBoolean };

TypeClass ClassOfType(std::string_view duck_type) {
  std::string t = text::ToLowerAscii(text::TrimAscii(duck_type));
  if (t == "boolean" || t == "bool") return TypeClass::kBoolean;
  static constexpr std::string_view kIntegers[] = {
      "tinyint", "smallint", "integer", "int", "int1", "int2", "int4", "int8", "bigint",
      "hugeint", "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"};
  for (auto name : kIntegers)
    if (t == name) return TypeClass::kInteger;
  if (t == "float" || t == "double" || t == "real" || t == "float4" || t == "float8") {
    return TypeClass::kFloat;
  }
  if (t.starts_with("decimal(") || t.starts_with("numeric(")) {
    return t.ends_with(",0)") ? TypeClass::kInteger : TypeClass::kFloat;
  }
  return TypeClass::kText;
}

// "9001011234568.0" -> "9001011234568": a DOUBLE cast to text keeps a fraction that
// identifiers stored as numbers never had.
std::string_view StripZeroFraction(std::string_view v) {
  size_t dot = v.find('.');
  if (dot == std::string_view::npos) return v;
  for (size_t i = dot + 1; i < v.size(); ++i)
    if (v[i] != '0') return v;
  return v.substr(0, dot);
}

std::string Percent(double fraction) { return fmt::format("{:.1f}%", 100.0 * fraction); }

enum class Basis { kNone, kSingle, kMixed, kEmbedded };

struct Decision {
  Basis basis = Basis::kNone;
  Pattern pattern = P::kNone;
  double share = 0;
  bool birth_by_spread = false;  // kDateOfBirth because the years spread over decades
  int year_spread = 0;
  int id_length = 0;             // the dominant digit count of identifier numbers
};

}  // namespace

ColumnProfiler::ColumnProfiler(std::string_view column, std::string_view duck_type,
                               const ProfileOptions& options)
    : column_(column), type_(duck_type), options_(options) {
  assert(options.threshold > 0 && options.threshold <= 1);
  assert(options.embedded_threshold > 0 && options.embedded_threshold <= 1);
  TypeClass type_class = ClassOfType(duck_type);
  boolean_ = type_class == TypeClass::kBoolean;
  float_typed_ = type_class == TypeClass::kFloat;
  context_.integer_typed = type_class == TypeClass::kInteger;
  context_.today = options.today;
}

void ColumnProfiler::Add(std::optional<std::string_view> value) {
  ++sampled_;
  std::string_view v = value ? text::TrimAscii(*value) : std::string_view();
  if (v.empty()) {
    ++nulls_;
    return;
  }
  if (float_typed_) v = StripZeroFraction(v);
  hashes_.push_back(std::hash<std::string_view>{}(v));
  if (boolean_) return;

  ValueTraits t = ClassifyValue(v, context_);
  bool contact = false;
  for (int p = 0; p < kPatternCount; ++p) {
    if (!(t.matched & (PatternMask{1} << p))) continue;
    ++counts_.matched[p];
    bool valid = t.validated & (PatternMask{1} << p);
    if (valid) ++counts_.validated[p];
    Pattern pattern = static_cast<Pattern>(p);
    if (IsContactPattern(pattern) && (!DecidedByChecksum(pattern) || valid)) contact = true;
  }
  if (contact) ++counts_.contact_union;
  if (t.korean_surname) ++counts_.korean_surname;
  if (t.matched & Bit(P::kIdentifierNumber)) {
    ++counts_.id_length[t.id_digits];
    if (v.ends_with("00")) ++counts_.id_round;
  }
  if ((t.matched & Bit(P::kDate)) && t.year >= 1900 && t.year <= 2100) {
    ++counts_.birth_year[t.year - 1900];
  }
}

namespace {

// Everything Decide needs, read-only.
struct Facts {
  uint64_t nonnull;
  uint64_t distinct;
  HintKind hint;
  double threshold;
  double embedded_threshold;
  std::span<const uint64_t, kPatternCount> matched;
  std::span<const uint64_t, kPatternCount> validated;
  uint64_t contact_union;
  uint64_t korean_surname;
  std::span<const uint64_t, 21> id_length;
  uint64_t id_round;
  std::span<const uint64_t, 201> birth_year;

  uint64_t Decisive(Pattern p) const {
    int i = static_cast<int>(p);
    return DecidedByChecksum(p) ? validated[i] : matched[i];
  }
  double Share(uint64_t n) const { return static_cast<double>(n) / static_cast<double>(nonnull); }
};

struct IdLength {
  int digits = 0;      // the most frequent digit count of identifier numbers
  uint64_t count = 0;  // values with that count
};

IdLength DominantIdLength(const Facts& f) {
  IdLength best;
  for (int len = 0; len <= 20; ++len)
    if (f.id_length[len] > best.count) best = {len, f.id_length[len]};
  return best;
}

// Years between the 10th and 90th percentile of the parsed dates: birth dates of a
// population spread over decades, event dates (sales, visits) over a few years.
int YearSpread(const Facts& f) {
  uint64_t total = 0;
  for (int y = 0; y <= 200; ++y) total += f.birth_year[y];
  if (total == 0) return 0;
  uint64_t seen = 0;
  int p10 = -1, p90 = -1;
  for (int y = 0; y <= 200; ++y) {
    seen += f.birth_year[y];
    if (p10 < 0 && seen * 10 >= total) p10 = y;
    if (p90 < 0 && seen * 10 >= total * 9) p90 = y;
  }
  return p90 - p10;
}

// Many distinct values: at least one in ten, or a thousand.
bool Varied(const Facts& f) { return f.distinct * 10 >= f.nonnull || f.distinct >= 1000; }

// The column conditions of heuristic patterns.
bool ColumnConditionHolds(Pattern p, const Facts& f, Decision& d) {
  uint64_t m = f.matched[static_cast<int>(p)];
  switch (p) {
    case P::kPersonName:
      // Category columns ("정상", "이상", ...) repeat a handful of words; names vary.
      return Varied(f);
    case P::kRomanizedName:
      return Varied(f) && (f.hint == HintKind::kPersonName || f.korean_surname * 10 >= m * 3);
    case P::kIdentifierNumber: {
      IdLength dominant = DominantIdLength(f);
      d.id_length = dominant.digits;
      bool one_length = dominant.count * 10 >= m * 8;
      bool not_amounts = f.id_round * 10 < m * 3;  // amounts end in 00; ids rarely do
      bool varied = f.distinct * 5 >= f.nonnull || f.distinct >= 1000;
      return one_length && not_amounts && varied;
    }
    default: return true;
  }
}

bool FirstPassing(std::span<const Pattern> precedence, const Facts& f, Decision& d) {
  for (Pattern p : precedence) {
    double share = f.Share(f.Decisive(p));
    if (share < f.threshold || !ColumnConditionHolds(p, f, d)) continue;
    d.basis = Basis::kSingle;
    d.pattern = p;
    d.share = share;
    return true;
  }
  return false;
}

Decision Decide(const Facts& f) {
  Decision d;
  if (!FirstPassing(kValidatedPrecedence, f, d) && f.Share(f.contact_union) >= f.threshold) {
    d.basis = Basis::kMixed;
    d.share = f.Share(f.contact_union);
    uint64_t best = 0;
    for (Pattern p : kContactPatterns) {
      if (f.Decisive(p) > best) {
        best = f.Decisive(p);
        d.pattern = p;
      }
    }
  }
  if (d.basis == Basis::kNone) FirstPassing(kHeuristicPrecedence, f, d);
  if (d.basis == Basis::kNone) {
    double share = f.Share(f.matched[static_cast<int>(P::kEmbeddedIdentifier)]);
    if (share >= f.embedded_threshold) {
      d.basis = Basis::kEmbedded;
      d.pattern = P::kEmbeddedIdentifier;
      d.share = share;
    }
  }
  // Refinements by the column name.
  if (d.pattern == P::kDate) {
    d.year_spread = YearSpread(f);
    if (f.hint == HintKind::kDateOfBirth) {
      d.pattern = P::kDateOfBirth;
    } else if (f.hint != HintKind::kEventDate && d.year_spread >= 25) {
      d.pattern = P::kDateOfBirth;
      d.birth_by_spread = true;
    }
  }
  if (d.pattern == P::kIdentifierNumber && f.hint == HintKind::kBankAccount &&
      d.id_length >= 10 && d.id_length <= 14) {
    d.pattern = P::kBankAccount;  // plain-digit accounts: only the name tells them apart
  }
  return d;
}

std::string DescribeSingle(const Decision& d, const Facts& f) {
  // The values' own shape: a birth-date column holds calendar dates, a plain-digit
  // account column identifier-like numbers; the name clause says the rest.
  Pattern shape = d.pattern == P::kDateOfBirth ? P::kDate
                  : (d.pattern == P::kBankAccount && f.matched[static_cast<int>(P::kBankAccount)] == 0)
                      ? P::kIdentifierNumber
                      : d.pattern;
  std::string line = fmt::format("{} of {} non-null sampled values are {}", Percent(d.share),
                                 f.nonnull, PatternDescription(shape));
  int i = static_cast<int>(shape);
  switch (shape) {
    case P::kRrn:
    case P::kForeignRrn:
      line += fmt::format(" ({} with a valid checksum)", Percent(f.Share(f.validated[i])));
      break;
    case P::kCardNumber: line += " (Luhn-valid, known issuer)"; break;
    case P::kBusinessNumber: line += " (valid check digit)"; break;
    case P::kRomanizedName:
      if (f.korean_surname > 0) {
        line += fmt::format(" ({} with a Korean surname)", Percent(f.Share(f.korean_surname)));
      }
      break;
    case P::kIdentifierNumber: line += fmt::format(" (mostly {} digits)", d.id_length); break;
    default: break;
  }
  if (d.birth_by_spread) {
    line += fmt::format("; their years spread over {} years, as birth dates do", d.year_spread);
  }
  return line;
}

std::string DescribeMixed(const Decision& d, const Facts& f) {
  std::vector<Pattern> kinds;
  for (Pattern p : kContactPatterns)
    if (f.Decisive(p) > 0) kinds.push_back(p);
  std::stable_sort(kinds.begin(), kinds.end(),
                   [&](Pattern a, Pattern b) { return f.Decisive(a) > f.Decisive(b); });
  std::string parts;
  for (size_t k = 0; k < kinds.size() && k < 3; ++k) {
    if (k > 0) parts += ", ";
    parts += fmt::format("{} {}", Percent(f.Share(f.Decisive(kinds[k]))),
                         PatternDescription(kinds[k]));
  }
  return fmt::format("{} of {} non-null sampled values are contact or ID numbers of mixed kinds ({})",
                     Percent(d.share), f.nonnull, parts);
}

std::string DescribeNone(const Facts& f, const std::vector<PatternShare>& matches) {
  std::string line = fmt::format("no value pattern reaches {} of {} non-null sampled values",
                                 Percent(f.threshold), f.nonnull);
  if (!matches.empty()) {
    line += fmt::format(" (most frequent: {} {})", Percent(matches[0].share),
                        PatternDescription(matches[0].pattern));
  }
  return line;
}

struct Proposal {
  Role role = Role::kOther;
  bool name_decides = false;  // the column name overruled a heuristic pattern
};

Proposal ProposeRole(const Decision& d, const ColumnHint& hint) {
  switch (d.basis) {
    case Basis::kNone: return {hint.kind == HintKind::kNone ? Role::kOther : hint.role, false};
    case Basis::kMixed:
    case Basis::kEmbedded: return {Role::kDirectIdentifier, false};  // some values name a person
    case Basis::kSingle: break;
  }
  bool name_decides = hint.kind != HintKind::kNone && !IsValidated(d.pattern) &&
                      !Compatible(d.pattern, hint.kind);
  return {name_decides ? hint.role : RoleOfPattern(d.pattern), name_decides};
}

}  // namespace

ColumnProfile ColumnProfiler::Finish() const {
  ColumnProfile out;
  out.column = column_;
  out.type = type_;
  out.sampled = sampled_;
  out.nulls = nulls_;
  std::vector<uint64_t> hashes = hashes_;
  std::sort(hashes.begin(), hashes.end());
  out.distinct = static_cast<uint64_t>(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
  ColumnHint hint = HintFromColumnName(column_);
  out.hint = hint.kind;
  uint64_t nonnull = sampled_ - nulls_;

  for (int p = 1; p < kPatternCount; ++p) {
    if (counts_.matched[p] == 0) continue;
    out.matches.push_back({static_cast<Pattern>(p), counts_.matched[p],
                           static_cast<double>(counts_.matched[p]) / static_cast<double>(nonnull),
                           counts_.validated[p]});
  }
  std::stable_sort(out.matches.begin(), out.matches.end(),
                   [](const PatternShare& a, const PatternShare& b) { return a.matched > b.matched; });

  std::string hint_clause =
      hint.kind == HintKind::kNone ? "" : fmt::format("; column name suggests {}", hint.label);
  std::string null_clause =
      nulls_ > 0 && nonnull > 0
          ? fmt::format("; {} NULL or blank",
                        Percent(static_cast<double>(nulls_) / static_cast<double>(sampled_)))
          : "";
  out.proposed_role = hint.kind == HintKind::kNone ? Role::kOther : hint.role;
  if (nonnull == 0) {
    out.evidence = sampled_ == 0 ? "no values sampled"
                                 : fmt::format("all {} sampled values are NULL or blank", sampled_);
    out.evidence += hint_clause;
    return out;
  }

  Facts f{nonnull,
          out.distinct,
          hint.kind,
          options_.threshold,
          options_.embedded_threshold,
          counts_.matched,
          counts_.validated,
          counts_.contact_union,
          counts_.korean_surname,
          counts_.id_length,
          counts_.id_round,
          counts_.birth_year};
  Decision d = Decide(f);
  out.pattern = d.pattern;
  out.share = d.share;
  if (d.pattern == P::kDateOfBirth) {
    for (auto& m : out.matches)
      if (m.pattern == P::kDate) m.pattern = P::kDateOfBirth;
  }

  switch (d.basis) {
    case Basis::kNone: out.evidence = DescribeNone(f, out.matches); break;
    case Basis::kSingle: out.evidence = DescribeSingle(d, f); break;
    case Basis::kMixed: out.evidence = DescribeMixed(d, f); break;
    case Basis::kEmbedded:
      out.evidence = fmt::format("{} of {} non-null sampled values are {}", Percent(d.share),
                                 nonnull, PatternDescription(P::kEmbeddedIdentifier));
      break;
  }
  Proposal proposal = ProposeRole(d, hint);
  out.proposed_role = proposal.role;
  out.evidence += hint_clause;
  if (proposal.name_decides) out.evidence += ", which decides the role";
  out.evidence += null_clause;
  return out;
}

ColumnProfile ProfileColumn(std::string_view column, std::string_view duck_type,
                            std::span<const std::optional<std::string_view>> values,
                            const ProfileOptions& options) {
  ColumnProfiler profiler(column, duck_type, options);
  for (const auto& v : values) profiler.Add(v);
  return profiler.Finish();
}

}  // namespace sz::detect
