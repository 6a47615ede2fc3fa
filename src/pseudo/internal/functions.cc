#include "pseudo/internal/functions.h"

#include <cmath>
#include <mutex>
#include <set>
#include <unordered_map>

#include "common/text.h"
#include "fmt/format.h"
#include "korea/admin_regions.h"
#include "pseudo/dates.h"
#include "storage/duck.h"

namespace sz::pseudo::internal {

namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000LL;

std::string Cast(const std::string& column, std::string_view from_type, Physical to) {
  std::string quoted = duck::QuoteIdent(column);
  std::string_view sql = SqlType(to);
  if (text::ToLowerAscii(from_type) == text::ToLowerAscii(sql)) return quoted;
  return fmt::format("CAST({} AS {})", quoted, sql);
}

// Functions over one VARCHAR input producing VARCHAR: the common shape of mask,
// pseudonym, prefix and friends. `Map` returns false for an invalid value.
class TextFunction : public ColumnFunction {
 public:
  TextFunction(std::string column, std::string rule, OnInvalid on_invalid, std::string invalid_what)
      : ColumnFunction(std::move(column), std::move(rule)),
        on_invalid_(on_invalid),
        invalid_what_(std::move(invalid_what)) {}
  std::vector<Physical> inputs() const override { return {Physical::kVarchar}; }
  Physical output() const override { return Physical::kVarchar; }

  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    std::string buf;
    for (idx_t i = 0; i < n; ++i) {
      if (in[0].MissingStr(i)) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      std::string_view v = in[0].Str(i);
      buf.clear();
      if (!Map(v, buf)) {
        if (on_invalid_ == OnInvalid::kError) return InvalidValue(invalid_what_);
        ++tally.suppressed;
        out.SetNull(i);
        continue;
      }
      tally.changed += buf != v;
      out.Str(i, buf);
    }
    return OkStatus();
  }

 protected:
  virtual bool Map(std::string_view in, std::string& out) const = 0;

 private:
  OnInvalid on_invalid_;
  std::string invalid_what_;
};

class MaskFunction final : public TextFunction {
 public:
  MaskFunction(std::string column, const MaskRule& rule)
      : TextFunction(std::move(column), "mask", rule.on_invalid,
                     "a value matches none of the patterns"),
        masker_(rule) {}
  bool Map(std::string_view in, std::string& out) const override { return masker_.Mask(in, out); }

 private:
  Masker masker_;
};

class PseudonymFunction final : public TextFunction {
 public:
  PseudonymFunction(std::string column, Pseudonymizer p)
      : TextFunction(std::move(column), "pseudonym", OnInvalid::kError, ""), p_(std::move(p)) {}
  bool Map(std::string_view in, std::string& out) const override {
    out.resize(p_.length());
    p_.Pseudonym(in, out.data());
    return true;
  }

 private:
  Pseudonymizer p_;
};

class PrefixFunction final : public TextFunction {
 public:
  PrefixFunction(std::string column, const GeneralizeRule& rule)
      : TextFunction(std::move(column), "prefix", OnInvalid::kError, ""),
        length_(rule.length),
        fill_(rule.fill) {}
  bool Map(std::string_view in, std::string& out) const override {
    out = PrefixOf(in, length_, fill_);
    return true;
  }

 private:
  int length_;
  std::string fill_;
};

class SivFunction final : public ColumnFunction {
 public:
  SivFunction(std::string column, SivTokenizer t)
      : ColumnFunction(std::move(column), "token/aes-siv"), t_(std::move(t)) {}
  std::vector<Physical> inputs() const override { return {Physical::kVarchar}; }
  Physical output() const override { return Physical::kVarchar; }
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    AesSiv::Session session(t_.siv());
    std::string token;
    for (idx_t i = 0; i < n; ++i) {
      if (in[0].MissingStr(i)) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      SZ_RETURN_IF_ERROR(t_.Tokenize(session, in[0].Str(i), token));
      ++tally.changed;
      out.Str(i, token);
    }
    return OkStatus();
  }

 private:
  SivTokenizer t_;
};

class Ff1Function final : public ColumnFunction {
 public:
  Ff1Function(std::string column, FormatTokenizer t, OnInvalid on_invalid)
      : ColumnFunction(std::move(column), "token/ff1"), t_(std::move(t)), on_invalid_(on_invalid) {}
  std::vector<Physical> inputs() const override { return {Physical::kVarchar}; }
  Physical output() const override { return Physical::kVarchar; }
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    std::vector<std::string_view> values;
    std::vector<idx_t> present;
    values.reserve(n);
    present.reserve(n);
    for (idx_t i = 0; i < n; ++i) {
      if (in[0].MissingStr(i)) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      values.push_back(in[0].Str(i));
      present.push_back(i);
    }
    // One batch per chunk: FF1's AES rounds run across all values together.
    FormatTokenizer::Session session(t_);
    std::string result;
    std::vector<uint8_t> valid;
    SZ_RETURN_IF_ERROR(session.Run(values, false, result, valid));
    size_t pos = 0;
    for (size_t k = 0; k < present.size(); ++k) {
      std::string_view token(result.data() + pos, values[k].size());
      pos += values[k].size();
      if (!valid[k]) {
        if (on_invalid_ == OnInvalid::kError) {
          return InvalidValue(fmt::format(
              "a value has characters outside the alphabet and separators, or not {} to {} "
              "alphabet characters",
              t_.ff1().min_length(), t_.ff1().max_length()));
        }
        ++tally.suppressed;
        out.SetNull(present[k]);
        continue;
      }
      tally.changed += token != values[k];
      out.Str(present[k], token);
    }
    return OkStatus();
  }

 private:
  FormatTokenizer t_;
  OnInvalid on_invalid_;
};

// Numeric generalizations and noise: BIGINT or DOUBLE in, the same (or a label) out.
class NumericFunction : public ColumnFunction {
 public:
  NumericFunction(std::string column, std::string rule, Physical in, Physical out)
      : ColumnFunction(std::move(column), std::move(rule)), in_(in), out_(out) {}
  std::vector<Physical> inputs() const override { return {in_}; }
  Physical output() const override { return out_; }

 protected:
  double Value(const In& in, idx_t i) const {
    return in_ == Physical::kBigint ? static_cast<double>(in.I64(i)) : in.F64(i);
  }
  // Writes a numeric result in the output type; true if it differs from the input.
  bool Write(Out& out, idx_t i, const In& in, double y) const {
    if (out_ == Physical::kBigint) {
      int64_t v = static_cast<int64_t>(std::llround(y));
      out.I64(i, v);
      return v != in.I64(i);
    }
    out.F64(i, y);
    return y != Value(in, i);
  }
  Physical in_, out_;
};

class IntervalFunction final : public NumericFunction {
 public:
  IntervalFunction(std::string column, const GeneralizeRule& rule, Physical in)
      : NumericFunction(std::move(column), "interval", in, Physical::kVarchar), rule_(rule) {}
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    for (idx_t i = 0; i < n; ++i) {
      if (!in[0].Valid(i) || (in_ == Physical::kDouble && std::isnan(in[0].F64(i)))) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      std::string label = IntervalLabel(rule_, Value(in[0], i), in_ == Physical::kBigint);
      tally.changed += in_ != Physical::kBigint || label != std::to_string(in[0].I64(i));
      out.Str(i, label);
    }
    return OkStatus();
  }

 private:
  GeneralizeRule rule_;
};

class RoundFunction final : public NumericFunction {
 public:
  RoundFunction(std::string column, const GeneralizeRule& rule, Physical p)
      : NumericFunction(std::move(column),
                        rule.method == GeneralizeMethod::kRound ? "round" : "top_bottom", p, p),
        rule_(rule) {}
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    for (idx_t i = 0; i < n; ++i) {
      if (!in[0].Valid(i)) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      double x = Value(in[0], i);
      double y = rule_.method == GeneralizeMethod::kRound ? RoundToBase(x, rule_.base)
                                                          : TopBottom(rule_, x);
      tally.changed += Write(out, i, in[0], y);
    }
    return OkStatus();
  }

 private:
  GeneralizeRule rule_;
};

class NoiseFunction final : public NumericFunction {
 public:
  NoiseFunction(std::string column, const NoiseRule& rule, Physical p, NoiseGenerator* gen)
      : NumericFunction(std::move(column), "noise", p, p), rule_(rule), gen_(gen) {}
  bool is_volatile() const override { return true; }
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    std::vector<double> noise(n);
    gen_->Sample(rule_, noise);
    for (idx_t i = 0; i < n; ++i) {
      if (!in[0].Valid(i)) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      tally.changed += Write(out, i, in[0], Value(in[0], i) + noise[i]);
    }
    return OkStatus();
  }

 private:
  NoiseRule rule_;
  NoiseGenerator* gen_;  // outlives the run (ApplyOptions or a static SecureNoise)
};

// Date rules read DATE, TIMESTAMP (as DATE or micros) or VARCHAR (parsed).
class DateInput {
 public:
  explicit DateInput(Physical p) : p_(p) {}
  enum class Kind { kMissing, kInvalid, kOk };
  Kind Read(const In& in, idx_t i, int32_t& days) const {
    if (p_ == Physical::kVarchar) {
      if (in.MissingStr(i)) return Kind::kMissing;
      auto d = ParseDate(in.Str(i));
      if (!d) return Kind::kInvalid;
      days = *d;
      return Kind::kOk;
    }
    if (!in.Valid(i)) return Kind::kMissing;
    days = in.Date(i);
    return Kind::kOk;
  }
  Physical physical() const { return p_; }

 private:
  Physical p_;
};

class DateTruncFunction final : public ColumnFunction {
 public:
  DateTruncFunction(std::string column, const GeneralizeRule& rule, Physical in)
      : ColumnFunction(std::move(column), "date"),
        unit_(rule.unit),
        on_invalid_(rule.on_invalid),
        in_(in) {}
  std::vector<Physical> inputs() const override { return {in_.physical()}; }
  Physical output() const override { return Physical::kDate; }
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    for (idx_t i = 0; i < n; ++i) {
      int32_t days = 0;
      switch (in_.Read(in[0], i, days)) {
        case DateInput::Kind::kMissing:
          ++tally.missing;
          out.SetNull(i);
          continue;
        case DateInput::Kind::kInvalid:
          if (on_invalid_ == OnInvalid::kError)
            return InvalidValue("a value is not a date (YYYY-MM-DD or YYYYMMDD)");
          ++tally.suppressed;
          out.SetNull(i);
          continue;
        case DateInput::Kind::kOk:
          break;
      }
      int32_t t = TruncateDate(days, unit_);
      tally.changed +=
          in_.physical() == Physical::kVarchar ? FormatDate(t) != in[0].Str(i) : t != days;
      out.Date(i, t);
    }
    return OkStatus();
  }

 private:
  DateUnit unit_;
  OnInvalid on_invalid_;
  DateInput in_;
};

class AgeBandFunction final : public ColumnFunction {
 public:
  AgeBandFunction(std::string column, const GeneralizeRule& rule, Physical in)
      : ColumnFunction(std::move(column), "age_band"), rule_(rule), in_(in) {}
  std::vector<Physical> inputs() const override { return {in_.physical()}; }
  Physical output() const override { return Physical::kVarchar; }
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    for (idx_t i = 0; i < n; ++i) {
      int32_t days = 0;
      DateInput::Kind kind = in_.Read(in[0], i, days);
      if (kind == DateInput::Kind::kMissing) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      std::optional<std::string> label;
      if (kind == DateInput::Kind::kOk) label = AgeBandLabel(rule_, AgeOn(days, rule_.as_of_days));
      if (!label) {
        if (rule_.on_invalid == OnInvalid::kError) {
          return InvalidValue(
              fmt::format("a value is not a date or is after as_of ({})", rule_.as_of));
        }
        ++tally.suppressed;
        out.SetNull(i);
        continue;
      }
      ++tally.changed;
      out.Str(i, *label);
    }
    return OkStatus();
  }

 private:
  GeneralizeRule rule_;
  DateInput in_;
};

class HierarchyFunction final : public ColumnFunction {
 public:
  HierarchyFunction(std::string column, const GeneralizeRule& rule)
      : ColumnFunction(std::move(column), "hierarchy"), rule_(rule) {}
  std::vector<Physical> inputs() const override { return {Physical::kVarchar}; }
  Physical output() const override { return Physical::kVarchar; }
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    for (idx_t i = 0; i < n; ++i) {
      if (in[0].MissingStr(i)) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      std::string_view v = in[0].Str(i);
      auto g = rule_.hierarchy->Generalize(v, rule_.level);
      if (!g) {
        Uncovered(v);
        ++tally.suppressed;
        out.SetNull(i);
        continue;
      }
      tally.changed += *g != v;
      out.Str(i, *g);
    }
    return OkStatus();
  }
  // Uncovered values are collected over the whole run so that the error can list them
  // (up to 10) rather than stop at the first.
  Status Finish() const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (uncovered_count_ == 0 || rule_.on_invalid == OnInvalid::kNull) return OkStatus();
    std::string list;
    for (const auto& v : uncovered_) list += (list.empty() ? "'" : ", '") + v + "'";
    return InvalidArgument(
        fmt::format("column '{}': rule 'hierarchy': {} value(s) are not in the hierarchy, e.g. {}; "
                    "extend the hierarchy or set on_invalid: null",
                    column(), uncovered_count_, list));
  }

 private:
  void Uncovered(std::string_view v) const {
    std::lock_guard<std::mutex> lock(mu_);
    ++uncovered_count_;
    if (uncovered_.size() < 10) uncovered_.insert(std::string(v));
  }
  GeneralizeRule rule_;
  mutable std::mutex mu_;
  mutable std::set<std::string> uncovered_;
  mutable uint64_t uncovered_count_ = 0;
};

// Korean addresses and region names to 시도 or 시군구 (korea::ResolveRegion). A value
// that names only a 시도 is generalized to the 시도 even when 시군구 is asked (coarser,
// never finer) and reported; a value that does not resolve is invalid.
class AdminRegionFunction final : public ColumnFunction {
 public:
  AdminRegionFunction(std::string column, const GeneralizeRule& rule)
      : ColumnFunction(std::move(column), "admin_region"),
        level_(rule.region_level),
        format_(rule.region_format),
        on_invalid_(rule.on_invalid) {}
  std::vector<Physical> inputs() const override { return {Physical::kVarchar}; }
  Physical output() const override { return Physical::kVarchar; }

  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    // Columns repeat their regions, so each distinct text is resolved once per chunk.
    std::unordered_map<std::string_view, Resolved> cache;
    uint64_t coarse = 0;
    for (idx_t i = 0; i < n; ++i) {
      if (in[0].MissingStr(i)) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      std::string_view v = in[0].Str(i);
      auto it = cache.find(v);
      if (it == cache.end()) it = cache.emplace(v, Resolve(v)).first;
      const Resolved& r = it->second;
      if (!r.valid) {
        if (on_invalid_ == OnInvalid::kError) {
          return InvalidValue("a value is not a Korean region or address this build knows");
        }
        ++tally.suppressed;
        out.SetNull(i);
        continue;
      }
      coarse += r.coarse;
      tally.changed += r.label != v;
      out.Str(i, r.label);
    }
    coarse_.fetch_add(coarse, std::memory_order_relaxed);
    return OkStatus();
  }

  std::vector<std::string> Notes() const override {
    uint64_t c = coarse_.load();
    if (c == 0) return {};
    return {fmt::format("{} value(s) named only a 시도 and were generalized to it", c)};
  }

 private:
  struct Resolved {
    bool valid = false;
    bool coarse = false;  // only the 시도 was known although 시군구 was asked
    std::string label;
  };

  Resolved Resolve(std::string_view text) const {
    std::optional<korea::RegionPath> path = korea::ResolveRegion(text);
    if (!path || !path->sido) return {};
    const bool code = format_ == RegionFormat::kCode;
    if (level_ == RegionLevel::kSido || !path->sigungu) {
      return {true, level_ == RegionLevel::kSigungu,
              std::string(code ? path->sido->code : path->sido->name)};
    }
    if (code) return {true, false, std::string(path->sigungu->code)};
    return {true, false, korea::FormatRegion({path->sido, path->sigungu, nullptr})};
  }

  RegionLevel level_;
  RegionFormat format_;
  OnInvalid on_invalid_;
  mutable std::atomic<uint64_t> coarse_{0};
};

class DateShiftFunction final : public ColumnFunction {
 public:
  DateShiftFunction(std::string column, const DateShiftRule& rule, DateShifter shifter, Physical in)
      : ColumnFunction(std::move(column), "date_shift"),
        on_invalid_(rule.on_invalid),
        shifter_(std::move(shifter)),
        in_(in) {}
  std::vector<Physical> inputs() const override { return {in_, Physical::kVarchar}; }
  Physical output() const override {
    return in_ == Physical::kTimestamp ? Physical::kTimestamp : Physical::kDate;
  }
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    DateInput dates(in_);
    for (idx_t i = 0; i < n; ++i) {
      int32_t days = 0;
      DateInput::Kind kind =
          in_ == Physical::kTimestamp
              ? (in[0].Valid(i) ? DateInput::Kind::kOk : DateInput::Kind::kMissing)
              : dates.Read(in[0], i, days);
      if (kind == DateInput::Kind::kMissing) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      if (kind == DateInput::Kind::kInvalid) {
        if (on_invalid_ == OnInvalid::kError)
          return InvalidValue("a value is not a date (YYYY-MM-DD or YYYYMMDD)");
        ++tally.suppressed;
        out.SetNull(i);
        continue;
      }
      // Without a person there is no per-person offset; releasing the true date would
      // defeat the rule, so the date is suppressed.
      if (in[1].MissingStr(i)) {
        ++tally.suppressed;
        out.SetNull(i);
        continue;
      }
      int32_t offset = shifter_.Offset(in[1].Str(i));
      tally.changed += offset != 0;
      if (in_ == Physical::kTimestamp)
        out.Micros(i, in[0].Micros(i) + offset * kMicrosPerDay);
      else
        out.Date(i, days + offset);
    }
    return OkStatus();
  }

 private:
  OnInvalid on_invalid_;
  DateShifter shifter_;
  Physical in_;
};

// local_suppress: arguments (value as P, value as VARCHAR, row number).
class LocalSuppressFunction final : public ColumnFunction {
 public:
  LocalSuppressFunction(std::string column, const LocalSuppressRule& rule, Physical p)
      : ColumnFunction(std::move(column), "local_suppress"), s_(rule), with_(rule.with), p_(p) {}
  std::vector<Physical> inputs() const override {
    return {p_, Physical::kVarchar, Physical::kBigint};
  }
  Physical output() const override {
    return with_ == SuppressWith::kStar ? Physical::kVarchar : p_;
  }
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    for (idx_t i = 0; i < n; ++i) {
      if (in[1].MissingStr(i)) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      bool hit = s_.SuppressValue(in[1].Str(i)) ||
                 (s_.by_rows() && in[2].Valid(i) && s_.SuppressRow(in[2].I64(i)));
      if (hit) {
        ++tally.suppressed;
        ++tally.changed;
        if (with_ == SuppressWith::kStar)
          out.Str(i, "*");
        else
          out.SetNull(i);
        continue;
      }
      if (with_ == SuppressWith::kStar) {
        out.Str(i, in[1].Str(i));
        continue;
      }
      switch (p_) {
        case Physical::kVarchar:
          out.Str(i, in[0].Str(i));
          break;
        case Physical::kBigint:
          out.I64(i, in[0].I64(i));
          break;
        case Physical::kDouble:
          out.F64(i, in[0].F64(i));
          break;
        case Physical::kDate:
          out.Date(i, in[0].Date(i));
          break;
        case Physical::kTimestamp:
          out.Micros(i, in[0].Micros(i));
          break;
      }
    }
    return OkStatus();
  }

 private:
  LocalSuppressor s_;
  SuppressWith with_;
  Physical p_;
};

class LookupFunction final : public ColumnFunction {
 public:
  LookupFunction(std::string column, std::vector<double> replacement)
      : ColumnFunction(std::move(column), "microaggregate"), replacement_(std::move(replacement)) {}
  std::vector<Physical> inputs() const override { return {Physical::kBigint, Physical::kDouble}; }
  Physical output() const override { return Physical::kDouble; }
  Status Run(std::span<const In> in, idx_t n, Out& out, Tally& tally) const override {
    for (idx_t i = 0; i < n; ++i) {
      if (!in[1].Valid(i)) {
        ++tally.missing;
        out.SetNull(i);
        continue;
      }
      int64_t row = in[0].I64(i);
      if (row < 0 || static_cast<size_t>(row) >= replacement_.size()) {
        return Internal(
            fmt::format("column '{}': microaggregation has no value for a row", column()));
      }
      double y = replacement_[static_cast<size_t>(row)];
      if (std::isnan(y)) {
        ++tally.suppressed;
        out.SetNull(i);
        continue;
      }
      tally.changed += y != in[1].F64(i);
      out.F64(i, y);
    }
    return OkStatus();
  }

 private:
  std::vector<double> replacement_;
};

// Physical type for date rules: DATE stays, TIMESTAMP becomes DATE (or stays for
// date_shift), text is parsed.
Physical DatePhysical(std::string_view type, bool keep_timestamp) {
  switch (ClassifyType(type)) {
    case TypeClass::kDate:
      return Physical::kDate;
    case TypeClass::kTimestamp:
      return keep_timestamp ? Physical::kTimestamp : Physical::kDate;
    default:
      return Physical::kVarchar;
  }
}

Physical ValuePhysical(std::string_view type) {
  switch (ClassifyType(type)) {
    case TypeClass::kInteger:
    case TypeClass::kFloat:
    case TypeClass::kDecimal:
      return NumericPhysical(type);
    case TypeClass::kDate:
      return Physical::kDate;
    case TypeClass::kTimestamp:
      return Physical::kTimestamp;
    default:
      return Physical::kVarchar;
  }
}

}  // namespace

Physical NumericPhysical(std::string_view type) {
  std::string t = text::ToLowerAscii(type);
  if (ClassifyType(t) == TypeClass::kInteger && t != "ubigint" && t != "hugeint" &&
      t != "uhugeint") {
    return Physical::kBigint;
  }
  return Physical::kDouble;
}

Result<BuiltFunction> BuildColumnFunction(const BuildInputs& b) {
  const std::string& name = b.column.name;
  const std::string& type = b.column.type;
  const std::string as_text = Cast(name, type, Physical::kVarchar);
  struct Visitor {
    const BuildInputs& b;
    const std::string& name;
    const std::string& type;
    const std::string& as_text;

    Result<BuiltFunction> operator()(const KeepRule&) const {
      return Internal("keep needs no function");
    }
    Result<BuiltFunction> operator()(const DeleteRule&) const {
      return Internal("delete needs no function");
    }
    Result<BuiltFunction> operator()(const MaskRule& m) const {
      return BuiltFunction{std::make_shared<MaskFunction>(name, m), {as_text}};
    }
    Result<BuiltFunction> operator()(const PseudonymRule& p) const {
      SZ_ASSIGN_OR_RETURN(Pseudonymizer ps, Pseudonymizer::Create(p, *b.key));
      return BuiltFunction{std::make_shared<PseudonymFunction>(name, std::move(ps)), {as_text}};
    }
    Result<BuiltFunction> operator()(const TokenRule& t) const {
      if (t.method == TokenMethod::kAesSiv) {
        SZ_ASSIGN_OR_RETURN(SivTokenizer s, SivTokenizer::Create(t, *b.key));
        return BuiltFunction{std::make_shared<SivFunction>(name, std::move(s)), {as_text}};
      }
      SZ_ASSIGN_OR_RETURN(FormatTokenizer f, FormatTokenizer::Create(t, *b.key));
      return BuiltFunction{std::make_shared<Ff1Function>(name, std::move(f), t.on_invalid),
                           {as_text}};
    }
    Result<BuiltFunction> operator()(const GeneralizeRule& g) const {
      switch (g.method) {
        case GeneralizeMethod::kInterval: {
          Physical p = NumericPhysical(type);
          return BuiltFunction{std::make_shared<IntervalFunction>(name, g, p),
                               {Cast(name, type, p)}};
        }
        case GeneralizeMethod::kRound:
        case GeneralizeMethod::kTopBottom: {
          Physical p = NumericPhysical(type);
          return BuiltFunction{std::make_shared<RoundFunction>(name, g, p), {Cast(name, type, p)}};
        }
        case GeneralizeMethod::kDate: {
          Physical p = DatePhysical(type, false);
          return BuiltFunction{std::make_shared<DateTruncFunction>(name, g, p),
                               {Cast(name, type, p)}};
        }
        case GeneralizeMethod::kAgeBand: {
          Physical p = DatePhysical(type, false);
          return BuiltFunction{std::make_shared<AgeBandFunction>(name, g, p),
                               {Cast(name, type, p)}};
        }
        case GeneralizeMethod::kPrefix:
          return BuiltFunction{std::make_shared<PrefixFunction>(name, g), {as_text}};
        case GeneralizeMethod::kHierarchy:
          return BuiltFunction{std::make_shared<HierarchyFunction>(name, g), {as_text}};
        case GeneralizeMethod::kAdminRegion:
          return BuiltFunction{std::make_shared<AdminRegionFunction>(name, g), {as_text}};
      }
      return Internal("unknown generalization");
    }
    Result<BuiltFunction> operator()(const NoiseRule& nr) const {
      Physical p = NumericPhysical(type);
      return BuiltFunction{std::make_shared<NoiseFunction>(name, nr, p, b.noise),
                           {Cast(name, type, p)}};
    }
    Result<BuiltFunction> operator()(const DateShiftRule& d) const {
      SZ_ASSIGN_OR_RETURN(DateShifter s, DateShifter::Create(d, *b.key));
      Physical p = DatePhysical(type, true);
      return BuiltFunction{
          std::make_shared<DateShiftFunction>(name, d, std::move(s), p),
          {Cast(name, type, p), Cast(d.person_column, b.person_type, Physical::kVarchar)}};
    }
    Result<BuiltFunction> operator()(const LocalSuppressRule& l) const {
      if (!l.rows.empty() && b.rowid_sql.empty())
        return Internal("local_suppress by rows needs row numbers");
      Physical p = ValuePhysical(type);
      return BuiltFunction{
          std::make_shared<LocalSuppressFunction>(name, l, p),
          {Cast(name, type, p), as_text, b.rowid_sql.empty() ? "NULL::BIGINT" : b.rowid_sql}};
    }
  };
  return std::visit(Visitor{b, name, type, as_text}, b.rule->params);
}

BuiltFunction BuildLookupFunction(std::string column, std::vector<double> replacement,
                                  std::string rowid_sql, std::string value_sql) {
  auto fn = std::make_shared<LookupFunction>(std::move(column), std::move(replacement));
  return BuiltFunction{std::move(fn), {std::move(rowid_sql), std::move(value_sql)}};
}

}  // namespace sz::pseudo::internal
