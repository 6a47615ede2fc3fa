#include "pseudo/apply.h"

#include <atomic>
#include <cmath>
#include <map>
#include <memory>

#include "common/text.h"
#include "fmt/format.h"
#include "pseudo/internal/functions.h"
#include "pseudo/internal/udf.h"
#include "pseudo/mdav.h"

namespace sz::pseudo {

using internal::BuiltFunction;
using internal::ColumnFunction;

// --- keys ---------------------------------------------------------------------------

void InMemoryKeyProvider::Add(std::string_view key_id, std::string_view scope,
                              std::string_view bytes) {
  keys_.emplace_back(fmt::format("{}/{}", scope, key_id), crypto::SecretBytes::Copy(bytes));
}

Result<crypto::SecretBytes> InMemoryKeyProvider::Key(std::string_view key_id,
                                                     std::string_view scope) {
  std::string name = fmt::format("{}/{}", scope, key_id);
  for (const auto& [n, bytes] : keys_) {
    if (n == name) return bytes.Clone();
  }
  return NotFound(fmt::format("no key '{}' in scope {}", key_id, scope));
}

Result<Schema> DescribeRelation(duck::Connection& conn, std::string_view relation) {
  SZ_ASSIGN_OR_RETURN(duck::QueryResult r,
                      conn.Query(fmt::format("DESCRIBE SELECT * FROM {}", relation)));
  SZ_ASSIGN_OR_RETURN(auto rows, r.Rows());
  Schema schema;
  for (const auto& row : rows) {
    if (row.size() < 2) return Internal("DESCRIBE returned too few columns");
    schema.push_back({duck::ValueToString(row[0]), duck::ValueToString(row[1])});
  }
  return schema;
}

namespace {

const KeyRef* KeyOf(const ColumnRule& rule) {
  if (auto* p = std::get_if<PseudonymRule>(&rule.params)) return &p->key;
  if (auto* t = std::get_if<TokenRule>(&rule.params)) return &t->key;
  if (auto* d = std::get_if<DateShiftRule>(&rule.params)) return &d->key;
  return nullptr;
}

std::string KeyText(const KeyRef& k) {
  return fmt::format("key '{}' ({})", k.id, KeyScopeName(k.scope));
}

// The rule's parameters in words, for the report (no key material, no data values).
std::string Describe(const ColumnRule& rule) {
  struct Visitor {
    std::string operator()(const KeepRule&) const { return "kept as is"; }
    std::string operator()(const DeleteRule&) const { return "column removed"; }
    std::string operator()(const MaskRule& m) const {
      if (!m.patterns.empty()) return fmt::format("pattern {}", fmt::join(m.patterns, " | "));
      static constexpr const char* kClass[] = {"all characters", "digits", "Hangul", "letters",
                                               "letters and digits"};
      return fmt::format("keep first {}, last {}; mask {} with '{}'", m.keep_first, m.keep_last,
                         kClass[static_cast<int>(m.only)], m.mask_char);
    }
    std::string operator()(const PseudonymRule& p) const {
      return fmt::format(
          "{}, {} {} chars, {}",
          p.algorithm == HashAlgorithm::kHmacSha256 ? "HMAC-SHA-256" : "keyed BLAKE2b",
          p.encoding == DigestEncoding::kHex ? "hex" : "base32", p.length, KeyText(p.key));
    }
    std::string operator()(const TokenRule& t) const {
      if (t.method == TokenMethod::kAesSiv)
        return fmt::format("AES-SIV (RFC 5297), base64url, {}", KeyText(t.key));
      static constexpr const char* kAlpha[] = {"digits", "a-z0-9", "A-Z0-9", "a-zA-Z0-9"};
      return fmt::format("FF1 (NIST SP 800-38G) over {}, separators kept, {}",
                         kAlpha[static_cast<int>(t.alphabet)], KeyText(t.key));
    }
    std::string operator()(const GeneralizeRule& g) const {
      switch (g.method) {
        case GeneralizeMethod::kInterval:
          return fmt::format("intervals of {} from {}", g.width, g.offset);
        case GeneralizeMethod::kRound:
          return fmt::format("rounded to {}", g.base);
        case GeneralizeMethod::kTopBottom:
          return fmt::format("top {} / bottom {}", g.top ? fmt::format("{}", *g.top) : "-",
                             g.bottom ? fmt::format("{}", *g.bottom) : "-");
        case GeneralizeMethod::kDate: {
          static constexpr const char* kUnit[] = {"year", "quarter", "month", "week"};
          return fmt::format("truncated to {}", kUnit[static_cast<int>(g.unit)]);
        }
        case GeneralizeMethod::kAgeBand:
          return fmt::format("age on {} in bands of {}{}", g.as_of, g.width,
                             g.top ? fmt::format(", {}+", *g.top) : "");
        case GeneralizeMethod::kPrefix:
          return fmt::format("first {} characters", g.length);
        case GeneralizeMethod::kHierarchy:
          return fmt::format("hierarchy level {}", g.level);
        case GeneralizeMethod::kAdminRegion:
          return fmt::format("region to {} ({})",
                             g.region_level == RegionLevel::kSido ? "시도" : "시군구",
                             g.region_format == RegionFormat::kName ? "names" : "행정표준코드");
      }
      return "";
    }
    std::string operator()(const NoiseRule& n) const {
      if (n.distribution == NoiseDistribution::kUniform)
        return fmt::format("uniform noise within ±{}", n.bound);
      return fmt::format("Laplace noise, scale {}, clamped to ±{}", n.scale, n.bound);
    }
    std::string operator()(const DateShiftRule& d) const {
      return fmt::format("shifted ±{} days per '{}', {}", d.max_days, d.person_column,
                         KeyText(d.key));
    }
    std::string operator()(const LocalSuppressRule& l) const {
      return fmt::format("{} value(s), {} row(s) replaced by {}", l.values.size(), l.rows.size(),
                         l.with == SuppressWith::kNull ? "NULL" : "'*'");
    }
  };
  return std::visit(Visitor{}, rule.params);
}

std::string ConditionSql(const RecordCondition& c, const std::string& type) {
  std::string col = duck::QuoteIdent(c.column);
  auto lit = [](const std::string& v) { return duck::QuoteLiteral(v); };
  switch (c.op) {
    case CompareOp::kEq:
      return fmt::format("{} = {}", col, lit(c.values[0]));
    case CompareOp::kNe:
      return fmt::format("{} <> {}", col, lit(c.values[0]));
    case CompareOp::kLt:
      return fmt::format("{} < {}", col, lit(c.values[0]));
    case CompareOp::kLe:
      return fmt::format("{} <= {}", col, lit(c.values[0]));
    case CompareOp::kGt:
      return fmt::format("{} > {}", col, lit(c.values[0]));
    case CompareOp::kGe:
      return fmt::format("{} >= {}", col, lit(c.values[0]));
    case CompareOp::kIn: {
      std::vector<std::string> lits;
      for (const auto& v : c.values) lits.push_back(lit(v));
      return fmt::format("{} IN ({})", col, fmt::join(lits, ", "));
    }
    case CompareOp::kIsNull:
      if (ClassifyType(type) == TypeClass::kText)
        return fmt::format("({0} IS NULL OR {0} = '')", col);
      return fmt::format("{} IS NULL", col);
  }
  return "false";
}

// A process-wide sequence number keeps function and table names of concurrent runs apart.
uint64_t NextRunId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

// Drops the temporary source table on every path.
struct TempTable {
  duck::Connection* conn = nullptr;
  std::string name;
  ~TempTable() {
    if (conn && !name.empty())
      (void)conn->Execute("DROP TABLE IF EXISTS " + duck::QuoteIdent(name));
  }
};

// Probability of at least one collision among n values hashed to `bits` bits
// (birthday bound, 1 - exp(-n(n-1)/2^(bits+1))).
double CollisionChance(double n, int bits) {
  return -std::expm1(-n * (n - 1) / std::ldexp(2.0, bits));
}

class Run {
 public:
  Run(duck::Connection& conn, const Policy& policy, const Schema& schema, KeyProvider& keys,
      storage::MemFile& out, const ApplyOptions& options)
      : conn_(conn),
        policy_(policy),
        schema_(schema),
        keys_(keys),
        out_(out),
        options_(options),
        id_(NextRunId()) {}

  Result<TransformReport> Execute(std::string_view input) {
    SZ_RETURN_IF_ERROR(out_.Clear());
    source_ = std::string(input);
    Status s = Steps();
    Result<TransformReport> report = s.ok() ? Report() : Result<TransformReport>(s);
    if (!report.ok()) (void)out_.Clear();  // never leave a partial or stale result behind
    return report;
  }

 private:
  Status Steps() {
    SZ_RETURN_IF_ERROR(PrepareSource());
    SZ_RETURN_IF_ERROR(CountRows());
    SZ_RETURN_IF_ERROR(Microaggregate());
    SZ_RETURN_IF_ERROR(BuildProjection());
    return Write();
  }

  bool NeedsRowIds() const {
    if (!policy_.microaggregation.empty()) return true;
    for (const auto& r : policy_.columns) {
      if (auto* l = std::get_if<LocalSuppressRule>(&r.params); l && !l->rows.empty()) return true;
    }
    return false;
  }

  const std::string& TypeOf(std::string_view column) const {
    for (const auto& c : schema_) {
      if (c.name == column) return c.type;
    }
    static const std::string kNone;
    return kNone;
  }

  // Rows survive unless a suppress_records condition holds (NULL never matches).
  std::string KeepCondition() const {
    if (policy_.suppress_records.empty()) return "";
    std::vector<std::string> parts;
    for (const auto& c : policy_.suppress_records) {
      parts.push_back(fmt::format("coalesce({}, false)", ConditionSql(c, TypeOf(c.column))));
    }
    return fmt::format("NOT ({})", fmt::join(parts, " OR "));
  }

  std::string Where() const {
    std::string keep = KeepCondition();
    return keep.empty() ? "" : " WHERE " + keep;
  }

  Status PrepareSource() {
    if (!NeedsRowIds()) return OkStatus();
    for (const auto& c : schema_) {
      if (text::ToLowerAscii(c.name) == "rowid") {
        return InvalidArgument(
            "the input has a column named 'rowid', which hides the row numbers that "
            "microaggregation and row-numbered local_suppress need; rename the column");
      }
    }
    // A temporary table numbers the rows (rowid = 0..n-1 in input order) so that the
    // MDAV pre-pass and the projection agree on which row is which.
    temp_.conn = &conn_;
    temp_.name = fmt::format("__sz_pseudo_src_{}", id_);
    SZ_RETURN_IF_ERROR(conn_.Execute(fmt::format("CREATE TEMP TABLE {} AS SELECT * FROM {}",
                                                 duck::QuoteIdent(temp_.name), source_)));
    source_ = duck::QuoteIdent(temp_.name);
    rowid_sql_ = "rowid";
    return OkStatus();
  }

  Status CountRows() {
    SZ_ASSIGN_OR_RETURN(duck::Value total,
                        conn_.Scalar(fmt::format("SELECT count(*) FROM {}", source_)));
    report_.rows_in = static_cast<uint64_t>(std::get<int64_t>(total));
    if (policy_.suppress_records.empty()) {
      kept_rows_ = report_.rows_in;
    } else {
      SZ_ASSIGN_OR_RETURN(duck::Value kept,
                          conn_.Scalar(fmt::format("SELECT count(*) FROM {}{}", source_, Where())));
      kept_rows_ = static_cast<uint64_t>(std::get<int64_t>(kept));
    }
    return OkStatus();
  }

  // MDAV per group over the rows that will be written. Rows with missing values are
  // grouped with rows missing the same columns (a NULL stays NULL); a set of such rows
  // smaller than k cannot be aggregated safely, so its values are suppressed.
  Status Microaggregate() {
    for (size_t gi = 0; gi < policy_.microaggregation.size(); ++gi) {
      const MicroaggregationGroup& group = policy_.microaggregation[gi];
      if (static_cast<uint64_t>(group.k) > kept_rows_) {
        return InvalidArgument(
            fmt::format("microaggregation[{}]: k = {} is larger than the {} rows to be written; "
                        "lower k or suppress fewer rows",
                        gi, group.k, kept_rows_));
      }
      std::vector<std::string> cols;
      for (const auto& c : group.columns)
        cols.push_back(fmt::format("CAST({} AS DOUBLE)", duck::QuoteIdent(c)));
      SZ_ASSIGN_OR_RETURN(duck::QueryResult r,
                          conn_.Query(fmt::format("SELECT rowid, {} FROM {}{} ORDER BY rowid",
                                                  fmt::join(cols, ", "), source_, Where())));
      SZ_ASSIGN_OR_RETURN(auto rows, r.Rows());
      const size_t dims = group.columns.size();
      std::vector<std::vector<double>> replacement(
          dims, std::vector<double>(report_.rows_in, std::nan("")));
      // Partition rows by which columns are present.
      std::map<uint64_t, std::vector<size_t>> by_pattern;
      for (size_t i = 0; i < rows.size(); ++i) {
        uint64_t mask = 0;
        for (size_t d = 0; d < dims; ++d) {
          const auto* v = std::get_if<double>(&rows[i][d + 1]);
          if (v && !std::isnan(*v)) mask |= uint64_t{1} << d;
        }
        if (mask) by_pattern[mask].push_back(i);
      }
      for (const auto& [mask, members] : by_pattern) {
        if (members.size() < static_cast<size_t>(group.k)) continue;  // stays NaN: suppressed
        std::vector<size_t> present;
        for (size_t d = 0; d < dims; ++d) {
          if (mask & (uint64_t{1} << d)) present.push_back(d);
        }
        std::vector<double> points;
        points.reserve(members.size() * present.size());
        for (size_t i : members) {
          for (size_t d : present) points.push_back(std::get<double>(rows[i][d + 1]));
        }
        SZ_ASSIGN_OR_RETURN(auto groups, MdavGroups(points, present.size(), group.k));
        std::vector<double> centroids = GroupCentroids(points, present.size(), groups);
        for (size_t m = 0; m < members.size(); ++m) {
          size_t rowid = static_cast<size_t>(std::get<int64_t>(rows[members[m]][0]));
          for (size_t j = 0; j < present.size(); ++j)
            replacement[present[j]][rowid] = centroids[m * present.size() + j];
        }
      }
      for (size_t d = 0; d < dims; ++d) {
        const std::string& c = group.columns[d];
        lookups_[c] =
            internal::BuildLookupFunction(c, std::move(replacement[d]), rowid_sql_,
                                          fmt::format("CAST({} AS DOUBLE)", duck::QuoteIdent(c)));
        lookup_k_[c] = group.k;
      }
    }
    return OkStatus();
  }

  Result<const crypto::SecretBytes*> KeyFor(const ColumnRule& rule) {
    const KeyRef* ref = KeyOf(rule);
    if (!ref) return static_cast<const crypto::SecretBytes*>(nullptr);
    std::string name = fmt::format("{}/{}", KeyScopeName(ref->scope), ref->id);
    auto it = keys_cache_.find(name);
    if (it == keys_cache_.end()) {
      auto key = keys_.Key(ref->id, KeyScopeName(ref->scope));
      if (!key.ok()) {
        return key.status().WithContext(
            fmt::format("column '{}': rule '{}': {}", rule.column, RuleName(rule), KeyText(*ref)));
      }
      it = keys_cache_.emplace(name, std::make_unique<crypto::SecretBytes>(std::move(*key))).first;
    }
    return it->second.get();
  }

  Status AddFunction(const ColumnInfo& col, BuiltFunction built, std::string rule_name,
                     std::string detail) {
    std::string name = fmt::format("__sz_pseudo_{}_{}", id_, functions_.size());
    SZ_RETURN_IF_ERROR(internal::Register(conn_, name, built.fn));
    select_.push_back(
        fmt::format("{}({}) AS {}", name, fmt::join(built.args, ", "), duck::QuoteIdent(col.name)));
    ColumnReport cr;
    cr.column = col.name;
    cr.rule = std::move(rule_name);
    cr.detail = std::move(detail);
    cr.input_type = col.type;
    columns_.push_back({std::move(cr), built.fn});
    functions_.push_back(std::move(built.fn));
    return OkStatus();
  }

  Status BuildProjection() {
    static SecureNoise secure_noise;
    NoiseGenerator* noise = options_.noise ? options_.noise : &secure_noise;
    for (const ColumnInfo& col : schema_) {
      if (auto it = lookups_.find(col.name); it != lookups_.end()) {
        SZ_RETURN_IF_ERROR(
            AddFunction(col, std::move(it->second), "microaggregate",
                        fmt::format("MDAV, k = {}, group centroids", lookup_k_[col.name])));
        continue;
      }
      const ColumnRule* rule = policy_.Find(col.name);
      ColumnRule implicit{col.name, KeepRule{}};
      if (!rule) {
        if (policy_.unlisted == Unlisted::kDelete) implicit.params = DeleteRule{};
        rule = &implicit;
      }
      if (std::holds_alternative<KeepRule>(rule->params) ||
          std::holds_alternative<DeleteRule>(rule->params)) {
        bool keep = std::holds_alternative<KeepRule>(rule->params);
        if (keep) select_.push_back(duck::QuoteIdent(col.name));
        ColumnReport cr;
        cr.column = col.name;
        cr.rule = RuleName(*rule);
        cr.detail = Describe(*rule) + (rule == &implicit ? " (unlisted)" : "");
        cr.input_type = col.type;
        columns_.push_back({std::move(cr), nullptr});
        continue;
      }
      SZ_ASSIGN_OR_RETURN(const crypto::SecretBytes* key, KeyFor(*rule));
      internal::BuildInputs in;
      in.rule = rule;
      in.column = col;
      in.key = key;
      in.noise = noise;
      in.rowid_sql = rowid_sql_;
      if (auto* d = std::get_if<DateShiftRule>(&rule->params))
        in.person_type = TypeOf(d->person_column);
      auto built = internal::BuildColumnFunction(in);
      if (!built.ok()) {
        return built.status().WithContext(
            fmt::format("column '{}': rule '{}'", col.name, RuleName(*rule)));
      }
      SZ_RETURN_IF_ERROR(AddFunction(col, std::move(*built), RuleName(*rule), Describe(*rule)));
      if (auto* nr = std::get_if<NoiseRule>(&rule->params); nr && !noise->is_private()) {
        columns_.back().report.warnings.push_back("noise generator is NOT private (test only)");
      }
    }
    if (select_.empty())
      return InvalidArgument("the policy deletes every column; there is nothing to write");
    return OkStatus();
  }

  Status Write() {
    std::string sql =
        fmt::format("COPY (SELECT {} FROM {}{}) TO {} (FORMAT parquet, USE_TMP_FILE false)",
                    fmt::join(select_, ", "), source_, Where(), duck::QuoteLiteral(out_.path()));
    SZ_RETURN_IF_ERROR(conn_.Execute(sql));
    for (const auto& fn : functions_) SZ_RETURN_IF_ERROR(fn->Finish());
    return OkStatus();
  }

  Result<TransformReport> Report() {
    std::string file = duck::QuoteLiteral(out_.path());
    SZ_ASSIGN_OR_RETURN(report_.output_schema,
                        DescribeRelation(conn_, fmt::format("read_parquet({})", file)));
    SZ_ASSIGN_OR_RETURN(duck::Value rows,
                        conn_.Scalar(fmt::format("SELECT count(*) FROM read_parquet({})", file)));
    report_.rows_out = static_cast<uint64_t>(std::get<int64_t>(rows));
    report_.rows_suppressed = report_.rows_in - report_.rows_out;
    // Output NULL counts come free from the Parquet statistics.
    std::map<std::string, uint64_t> nulls;
    SZ_ASSIGN_OR_RETURN(
        duck::QueryResult r,
        conn_.Query(fmt::format("SELECT path_in_schema, sum(stats_null_count)::BIGINT FROM "
                                "parquet_metadata({}) GROUP BY 1",
                                file)));
    SZ_ASSIGN_OR_RETURN(auto null_rows, r.Rows());
    for (const auto& row : null_rows) {
      const auto* n = std::get_if<int64_t>(&row[1]);
      nulls[duck::ValueToString(row[0])] = n ? static_cast<uint64_t>(*n) : 0;
    }
    std::map<std::string, std::string> out_types;
    for (const auto& c : report_.output_schema) out_types[c.name] = c.type;
    for (auto& [cr, fn] : columns_) {
      cr.rows = report_.rows_out;
      if (auto it = out_types.find(cr.column); it != out_types.end()) {
        cr.output_type = it->second;
        cr.nulls_out = nulls[cr.column];
      }
      if (fn) {
        for (auto& note : fn->Notes()) cr.warnings.push_back(std::move(note));
        cr.missing_in = fn->missing.load();
        cr.changed = fn->changed.load();
        cr.suppressed = fn->suppressed.load();
      } else if (cr.rule == "keep") {
        cr.missing_in = cr.nulls_out;
      } else {
        cr.suppressed = cr.rows;
      }
      CollisionWarning(cr);
      for (const auto& w : cr.warnings)
        report_.warnings.push_back(fmt::format("column '{}': {}", cr.column, w));
      report_.columns.push_back(std::move(cr));
    }
    return std::move(report_);
  }

  void CollisionWarning(ColumnReport& cr) const {
    const ColumnRule* rule = policy_.Find(cr.column);
    const auto* p = rule ? std::get_if<PseudonymRule>(&rule->params) : nullptr;
    if (!p) return;
    const int per_char = p->encoding == DigestEncoding::kHex ? 4 : 5;
    const int max_len = p->encoding == DigestEncoding::kHex ? 64 : 52;
    const double n = static_cast<double>(cr.rows - cr.missing_in);
    double chance = CollisionChance(n, p->length * per_char);
    if (chance <= options_.collision_warning) return;
    int better = p->length;
    while (better < max_len && CollisionChance(n, better * per_char) > options_.collision_warning)
      ++better;
    cr.warnings.push_back(
        fmt::format("{}-bit pseudonyms for {} values collide with probability about {:.2g}; "
                    "use length >= {}",
                    p->length * per_char, static_cast<uint64_t>(n), chance, better));
  }

  struct ColumnState {
    ColumnReport report;
    std::shared_ptr<ColumnFunction> fn;
  };

  duck::Connection& conn_;
  const Policy& policy_;
  const Schema& schema_;
  KeyProvider& keys_;
  storage::MemFile& out_;
  const ApplyOptions& options_;
  const uint64_t id_;
  std::string source_;
  std::string rowid_sql_;
  TempTable temp_;
  uint64_t kept_rows_ = 0;
  std::map<std::string, std::unique_ptr<crypto::SecretBytes>> keys_cache_;
  std::map<std::string, BuiltFunction> lookups_;
  std::map<std::string, int> lookup_k_;
  // Strong references: the registered functions run only while these live.
  std::vector<std::shared_ptr<ColumnFunction>> functions_;
  std::vector<ColumnState> columns_;
  std::vector<std::string> select_;
  TransformReport report_;
};

}  // namespace

Result<TransformReport> Apply(duck::Connection& conn, std::string_view input_relation,
                              const Policy& policy, KeyProvider& keys, storage::MemFile& out,
                              const ApplyOptions& options) {
  SZ_RETURN_IF_ERROR(out.Clear());
  SZ_ASSIGN_OR_RETURN(Schema schema, DescribeRelation(conn, input_relation));
  SZ_RETURN_IF_ERROR(ValidatePolicy(policy, schema));
  Run run(conn, policy, schema, keys, out, options);
  return run.Execute(input_relation);
}

Result<std::vector<std::optional<std::string>>> Detokenize(
    const ColumnRule& rule, KeyProvider& keys, std::span<const std::string_view> tokens) {
  const auto* t = std::get_if<TokenRule>(&rule.params);
  if (!t)
    return InvalidArgument(
        fmt::format("column '{}': rule '{}' is not reversible", rule.column, RuleName(rule)));
  auto key = keys.Key(t->key.id, KeyScopeName(t->key.scope));
  if (!key.ok())
    return key.status().WithContext(fmt::format("column '{}': {}", rule.column, KeyText(t->key)));
  std::vector<std::optional<std::string>> out;
  if (t->method == TokenMethod::kFf1) {
    SZ_ASSIGN_OR_RETURN(FormatTokenizer f, FormatTokenizer::Create(*t, *key));
    FormatTokenizer::Session session(f);
    SZ_RETURN_IF_ERROR(session.Run(tokens, true, out));
    return out;
  }
  SZ_ASSIGN_OR_RETURN(SivTokenizer s, SivTokenizer::Create(*t, *key));
  out.reserve(tokens.size());
  for (std::string_view token : tokens) {
    auto plain = s.Detokenize(token);
    if (plain.ok())
      out.emplace_back(std::move(*plain));
    else
      out.emplace_back(std::nullopt);
  }
  return out;
}

}  // namespace sz::pseudo
