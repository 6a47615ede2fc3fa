#include "pseudo/policy.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "common/text.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace sz::pseudo {

using Json = nlohmann::json;

namespace {

// ---------------------------------------------------------------------------------------
// Text -> tree. Both formats become one nlohmann::json tree; YAML scalars stay strings
// (readers convert), so "06236" never turns into the number 6236.

Result<Json> YamlToJson(const YAML::Node& node, std::string_view where) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Json(nullptr);
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "?" && (s == "~" || s == "null" || s == "Null" || s == "NULL"))
        return Json(nullptr);
      return Json(s);
    }
    case YAML::NodeType::Sequence: {
      Json arr = Json::array();
      for (const auto& item : node) {
        SZ_ASSIGN_OR_RETURN(Json j, YamlToJson(item, where));
        arr.push_back(std::move(j));
      }
      return arr;
    }
    case YAML::NodeType::Map: {
      Json obj = Json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar())
          return InvalidArgument(fmt::format("policy: {}: keys must be plain names", where));
        std::string key = kv.first.Scalar();
        if (obj.contains(key)) {
          return InvalidArgument(fmt::format("policy: {}: key '{}' appears twice (line {})", where,
                                             key, kv.first.Mark().line + 1));
        }
        SZ_ASSIGN_OR_RETURN(Json j, YamlToJson(kv.second, key));
        obj[key] = std::move(j);
      }
      return obj;
    }
  }
  return Json(nullptr);
}

Result<Json> ParseYaml(std::string_view text) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return YamlToJson(root, "document");
  } catch (const YAML::Exception& e) {
    return InvalidArgument(fmt::format("policy is not valid YAML: {} at line {}, column {}", e.msg,
                                       e.mark.line + 1, e.mark.column + 1));
  }
}

Result<Json> ParseJson(std::string_view text) {
  // nlohmann keeps the last of two equal keys silently; a policy with two rules for one
  // field must be rejected, so the parser callback tracks the keys of each open object.
  std::vector<std::set<std::string>> open;
  std::string duplicate;
  auto callback = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        open.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!open.empty()) open.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!open.empty() && parsed.is_string() &&
            !open.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };
  try {
    Json j = Json::parse(text.begin(), text.end(), callback);
    if (!duplicate.empty())
      return InvalidArgument(
          fmt::format("policy: key '{}' appears twice in one object", duplicate));
    return j;
  } catch (const Json::exception& e) {
    return InvalidArgument(fmt::format("policy is not valid JSON: {}", e.what()));
  }
}

// ---------------------------------------------------------------------------------------
// A strict reader over one JSON object: records the first error, and at Finish() reports
// any field nobody asked for (a misspelt field must not be silently ignored).

class Reader {
 public:
  Reader(const Json& obj, std::string where) : obj_(obj), where_(std::move(where)) {
    if (!obj_.is_object()) Fail("must be a mapping of fields");
  }

  bool Has(std::string_view key) const {
    return obj_.is_object() && obj_.contains(key) && !obj_.at(std::string(key)).is_null();
  }
  const std::string& where() const { return where_; }
  bool ok() const { return error_.empty(); }
  void Fail(std::string message) {
    if (error_.empty()) error_ = fmt::format("{}: {}", where_, message);
  }

  // The raw value (null if absent), marking the key as used.
  const Json& Get(std::string_view key) {
    static const Json kNull;
    used_.insert(std::string(key));
    if (!obj_.is_object()) return kNull;
    auto it = obj_.find(std::string(key));
    return it == obj_.end() ? kNull : *it;
  }

  void Str(std::string_view key, std::string& out, bool required = false) {
    const Json& v = Get(key);
    if (v.is_null()) {
      if (required) Fail(fmt::format("'{}' is required", key));
      return;
    }
    if (v.is_string())
      out = v.get<std::string>();
    else if (v.is_number())
      out = v.dump();
    else
      Fail(fmt::format("'{}' must be text", key));
  }

  void Num(std::string_view key, double& out, bool required = false) {
    std::optional<double> v;
    OptNum(key, v);
    if (v)
      out = *v;
    else if (required && ok())
      Fail(fmt::format("'{}' is required", key));
  }

  void OptNum(std::string_view key, std::optional<double>& out) {
    const Json& v = Get(key);
    if (v.is_null()) return;
    if (v.is_number()) {
      out = v.get<double>();
      return;
    }
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      double d = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      if (ec == std::errc() && p == s.data() + s.size() && std::isfinite(d)) {
        out = d;
        return;
      }
    }
    Fail(fmt::format("'{}' must be a number", key));
  }

  void Int(std::string_view key, int& out, int min, int max, bool required = false) {
    std::optional<double> v;
    OptNum(key, v);
    if (!v) {
      if (required && ok()) Fail(fmt::format("'{}' is required", key));
      return;
    }
    if (*v != std::floor(*v) || *v < min || *v > max) {
      Fail(fmt::format("'{}' must be a whole number from {} to {}", key, min, max));
      return;
    }
    out = static_cast<int>(*v);
  }

  // A list of scalars as text; a single scalar is accepted as a one-element list.
  void StrList(std::string_view key, std::vector<std::string>& out, bool required = false) {
    const Json& v = Get(key);
    if (v.is_null()) {
      if (required) Fail(fmt::format("'{}' is required", key));
      return;
    }
    auto one = [&](const Json& x) {
      if (x.is_string())
        out.push_back(x.get<std::string>());
      else if (x.is_number() || x.is_boolean())
        out.push_back(x.dump());
      else
        Fail(fmt::format("'{}' must hold plain values", key));
    };
    if (v.is_array()) {
      for (const auto& x : v) one(x);
    } else {
      one(v);
    }
  }

  template <typename E, size_t N>
  void Enum(std::string_view key, E& out, const std::pair<std::string_view, E> (&names)[N],
            bool required = false) {
    std::string s;
    Str(key, s, required);
    if (s.empty()) return;
    for (const auto& [name, value] : names) {
      if (s == name) {
        out = value;
        return;
      }
    }
    std::string allowed;
    for (const auto& [name, value] : names)
      allowed += (allowed.empty() ? "" : ", ") + std::string(name);
    Fail(fmt::format("'{}' must be one of: {}", key, allowed));
  }

  Status Finish() {
    if (ok() && obj_.is_object()) {
      for (const auto& [key, value] : obj_.items()) {
        if (!used_.count(key)) {
          Fail(fmt::format("unknown field '{}'", key));
          break;
        }
      }
    }
    return ok() ? OkStatus() : InvalidArgument("policy: " + error_);
  }

 private:
  const Json& obj_;
  std::string where_;
  std::string error_;
  std::set<std::string> used_;
};

// ---------------------------------------------------------------------------------------
// Names, shared by the reader and the writer.

constexpr std::pair<std::string_view, KeyScope> kScopes[] = {
    {"dataset", KeyScope::kDataset},
    {"project", KeyScope::kProject},
    {"combination", KeyScope::kCombination}};
constexpr std::pair<std::string_view, OnInvalid> kOnInvalid[] = {{"error", OnInvalid::kError},
                                                                 {"null", OnInvalid::kNull}};
constexpr std::pair<std::string_view, MaskClass> kMaskClasses[] = {{"any", MaskClass::kAny},
                                                                   {"digits", MaskClass::kDigits},
                                                                   {"hangul", MaskClass::kHangul},
                                                                   {"letters", MaskClass::kLetters},
                                                                   {"alnum", MaskClass::kAlnum}};
constexpr std::pair<std::string_view, HashAlgorithm> kAlgorithms[] = {
    {"hmac-sha256", HashAlgorithm::kHmacSha256}, {"blake2b", HashAlgorithm::kBlake2b}};
constexpr std::pair<std::string_view, DigestEncoding> kEncodings[] = {
    {"hex", DigestEncoding::kHex}, {"base32", DigestEncoding::kBase32}};
constexpr std::pair<std::string_view, TokenMethod> kTokenMethods[] = {
    {"aes-siv", TokenMethod::kAesSiv}, {"ff1", TokenMethod::kFf1}};
constexpr std::pair<std::string_view, Ff1Alphabet> kAlphabets[] = {
    {"digits", Ff1Alphabet::kDigits},
    {"alnum_lower", Ff1Alphabet::kAlnumLower},
    {"alnum_upper", Ff1Alphabet::kAlnumUpper},
    {"alnum", Ff1Alphabet::kAlnum}};
constexpr std::pair<std::string_view, GeneralizeMethod> kMethods[] = {
    {"interval", GeneralizeMethod::kInterval},    {"round", GeneralizeMethod::kRound},
    {"top_bottom", GeneralizeMethod::kTopBottom}, {"date", GeneralizeMethod::kDate},
    {"age_band", GeneralizeMethod::kAgeBand},     {"prefix", GeneralizeMethod::kPrefix},
    {"hierarchy", GeneralizeMethod::kHierarchy},  {"admin_region", GeneralizeMethod::kAdminRegion}};
constexpr std::pair<std::string_view, DateUnit> kUnits[] = {{"year", DateUnit::kYear},
                                                            {"quarter", DateUnit::kQuarter},
                                                            {"month", DateUnit::kMonth},
                                                            {"week", DateUnit::kWeek}};
constexpr std::pair<std::string_view, RegionLevel> kRegionLevels[] = {
    {"sido", RegionLevel::kSido}, {"sigungu", RegionLevel::kSigungu}};
constexpr std::pair<std::string_view, RegionFormat> kRegionFormats[] = {
    {"name", RegionFormat::kName}, {"code", RegionFormat::kCode}};
constexpr std::pair<std::string_view, NoiseDistribution> kDistributions[] = {
    {"uniform", NoiseDistribution::kUniform}, {"laplace", NoiseDistribution::kLaplace}};
constexpr std::pair<std::string_view, SuppressWith> kSuppressWith[] = {
    {"null", SuppressWith::kNull}, {"star", SuppressWith::kStar}};
constexpr std::pair<std::string_view, CompareOp> kOps[] = {
    {"eq", CompareOp::kEq}, {"ne", CompareOp::kNe},         {"lt", CompareOp::kLt},
    {"le", CompareOp::kLe}, {"gt", CompareOp::kGt},         {"ge", CompareOp::kGe},
    {"in", CompareOp::kIn}, {"is_null", CompareOp::kIsNull}};
constexpr std::pair<std::string_view, Unlisted> kUnlisted[] = {
    {"error", Unlisted::kError}, {"keep", Unlisted::kKeep}, {"delete", Unlisted::kDelete}};

template <typename E, size_t N>
std::string_view NameOf(E value, const std::pair<std::string_view, E> (&names)[N]) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return "?";
}

// ---------------------------------------------------------------------------------------
// Rule readers.

void ReadKey(Reader& r, KeyRef& key) {
  r.Str("key_id", key.id);
  if (key.id.empty() && r.ok()) r.Fail("'key_id' is required: name a key from the zone keyring");
  r.Enum("scope", key.scope, kScopes, true);
}

// Number of Unicode characters, or -1 if not valid UTF-8.
int CharCount(std::string_view s) {
  if (!text::IsValidUtf8(s)) return -1;
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

MaskRule ReadMask(Reader& r) {
  MaskRule m;
  std::vector<std::string> patterns;
  if (r.Has("pattern")) r.StrList("pattern", m.patterns);
  r.StrList("patterns", patterns);
  m.patterns.insert(m.patterns.end(), patterns.begin(), patterns.end());
  r.Int("keep_first", m.keep_first, 0, 1000);
  r.Int("keep_last", m.keep_last, 0, 1000);
  r.Str("char", m.mask_char);
  r.Enum("only", m.only, kMaskClasses);
  r.Enum("on_invalid", m.on_invalid, kOnInvalid);
  if (CharCount(m.mask_char) != 1) r.Fail("'char' must be exactly one character");
  for (const auto& p : m.patterns) {
    if (p.empty() || CharCount(p) < 0) r.Fail("a pattern must be non-empty UTF-8 text");
    if (p.find_first_of("#*") == std::string::npos)
      r.Fail(fmt::format("pattern '{}' has no '#' or '*'", p));
  }
  if (!m.patterns.empty() && (m.keep_first || m.keep_last || m.only != MaskClass::kAny)) {
    r.Fail("use either 'pattern' or keep_first/keep_last/only, not both");
  }
  return m;
}

PseudonymRule ReadPseudonym(Reader& r) {
  PseudonymRule p;
  std::string algorithm;
  r.Str("algorithm", algorithm);
  if (algorithm == "sha256" || algorithm == "sha-256" || algorithm == "sha1" ||
      algorithm == "md5" || algorithm == "sha512" || algorithm == "blake2b-unkeyed") {
    r.Fail(
        fmt::format("unkeyed hash '{}' refused: an unkeyed hash of an identifier is reversed by "
                    "enumeration; use hmac-sha256 or blake2b with a key_id",
                    algorithm));
    return p;
  }
  if (!algorithm.empty()) {
    bool found = false;
    for (const auto& [name, value] : kAlgorithms) {
      if (algorithm == name) {
        p.algorithm = value;
        found = true;
      }
    }
    if (!found) r.Fail("'algorithm' must be one of: hmac-sha256, blake2b");
  }
  r.Enum("encoding", p.encoding, kEncodings);
  int max = p.encoding == DigestEncoding::kHex ? 64 : 52;
  int bits = p.encoding == DigestEncoding::kHex ? 4 : 5;
  int min = (32 + bits - 1) / bits;
  r.Int("length", p.length, 1, 1000);
  if (r.ok() && (p.length < min || p.length > max)) {
    r.Fail(
        fmt::format("'length' must be {} to {} characters for {} (at least 32 bits; more bits, "
                    "fewer collisions)",
                    min, max, NameOf(p.encoding, kEncodings)));
  }
  ReadKey(r, p.key);
  return p;
}

TokenRule ReadToken(Reader& r) {
  TokenRule t;
  r.Enum("method", t.method, kTokenMethods, true);
  ReadKey(r, t.key);
  r.Enum("on_invalid", t.on_invalid, kOnInvalid);
  if (t.method == TokenMethod::kAesSiv) {
    r.Str("context", t.context);
  } else {
    r.Enum("alphabet", t.alphabet, kAlphabets);
    r.Str("tweak", t.tweak);
    if (r.Has("separators")) r.Str("separators", t.separators);
    for (char c : t.separators) {
      bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (alnum || static_cast<unsigned char>(c) >= 0x80)
        r.Fail("'separators' must be ASCII punctuation or space");
    }
  }
  return t;
}

GeneralizeRule ReadGeneralize(Reader& r, const ParseOptions& options) {
  GeneralizeRule g;
  r.Enum("method", g.method, kMethods, true);
  if (!r.ok()) return g;
  r.Enum("on_invalid", g.on_invalid, kOnInvalid);
  switch (g.method) {
    case GeneralizeMethod::kInterval:
      r.Num("width", g.width, true);
      r.Num("offset", g.offset);
      r.OptNum("top", g.top);
      r.OptNum("bottom", g.bottom);
      if (r.ok() && g.width <= 0) r.Fail("'width' must be positive");
      if (r.ok() && g.top && g.bottom && *g.bottom >= *g.top)
        r.Fail("'bottom' must be below 'top'");
      break;
    case GeneralizeMethod::kRound:
      r.Num("base", g.base, true);
      if (r.ok() && g.base <= 0) r.Fail("'base' must be positive");
      break;
    case GeneralizeMethod::kTopBottom:
      r.OptNum("top", g.top);
      r.OptNum("bottom", g.bottom);
      if (r.ok() && !g.top && !g.bottom) r.Fail("set 'top', 'bottom' or both");
      if (r.ok() && g.top && g.bottom && *g.bottom >= *g.top)
        r.Fail("'bottom' must be below 'top'");
      break;
    case GeneralizeMethod::kDate:
      r.Enum("unit", g.unit, kUnits, true);
      break;
    case GeneralizeMethod::kAgeBand: {
      r.Num("width", g.width, true);
      r.OptNum("top", g.top);
      r.Str("as_of", g.as_of, true);
      if (r.ok() && (g.width < 1 || g.width != std::floor(g.width)))
        r.Fail("'width' must be a whole number of years >= 1");
      if (r.ok() && g.top && (*g.top < 1 || *g.top != std::floor(*g.top)))
        r.Fail("'top' must be a whole age >= 1");
      auto days = ParseDate(g.as_of);
      if (r.ok() && !days) r.Fail("'as_of' must be a date, YYYY-MM-DD");
      if (days) g.as_of_days = *days;
      break;
    }
    case GeneralizeMethod::kPrefix:
      r.Int("length", g.length, 1, 1000, true);
      r.Str("fill", g.fill);
      if (!g.fill.empty() && CharCount(g.fill) != 1) r.Fail("'fill' must be one character");
      break;
    case GeneralizeMethod::kHierarchy: {
      r.Str("hierarchy", g.hierarchy_text);
      r.Str("hierarchy_file", g.hierarchy_file);
      r.Int("level", g.level, 0, 1000, true);
      if (!r.ok()) break;
      if (g.hierarchy_text.empty() == g.hierarchy_file.empty()) {
        r.Fail("give exactly one of 'hierarchy' (inline ARX CSV) or 'hierarchy_file'");
        break;
      }
      Result<privacy::Hierarchy> h = InvalidArgument("no hierarchy");
      if (!g.hierarchy_file.empty() && options.read_hierarchy_file) {
        // The caller decides what a file name means (the zone: an uploaded hierarchy).
        auto text = options.read_hierarchy_file(g.hierarchy_file);
        h = text.ok() ? privacy::Hierarchy::ParseArxCsv(*text) : Result<privacy::Hierarchy>(text.status());
      } else {
        h = g.hierarchy_file.empty() ? privacy::Hierarchy::ParseArxCsv(g.hierarchy_text)
                                     : privacy::Hierarchy::LoadArxCsv(g.hierarchy_file);
      }
      if (!h.ok()) {
        r.Fail(h.status().message());
        break;
      }
      if (g.level < 1 || g.level >= h->levels()) {
        r.Fail(fmt::format("'level' must be from 1 to {} for this hierarchy", h->levels() - 1));
        break;
      }
      g.hierarchy = std::make_shared<const privacy::Hierarchy>(std::move(*h));
      break;
    }
    case GeneralizeMethod::kAdminRegion:
      r.Enum("level", g.region_level, kRegionLevels, true);
      r.Enum("format", g.region_format, kRegionFormats);
      break;
  }
  return g;
}

NoiseRule ReadNoise(Reader& r) {
  NoiseRule n;
  r.Enum("distribution", n.distribution, kDistributions, true);
  r.Num("bound", n.bound, true);
  if (n.distribution == NoiseDistribution::kLaplace) r.Num("scale", n.scale, true);
  if (r.ok() && n.bound <= 0) r.Fail("'bound' must be positive");
  if (r.ok() && n.distribution == NoiseDistribution::kLaplace && n.scale <= 0)
    r.Fail("'scale' must be positive");
  return n;
}

DateShiftRule ReadDateShift(Reader& r) {
  DateShiftRule d;
  r.Str("person", d.person_column, true);
  r.Int("max_days", d.max_days, 1, 3650, true);
  ReadKey(r, d.key);
  r.Enum("on_invalid", d.on_invalid, kOnInvalid);
  return d;
}

LocalSuppressRule ReadLocalSuppress(Reader& r) {
  LocalSuppressRule l;
  r.StrList("values", l.values);
  std::vector<std::string> rows;
  r.StrList("rows", rows);
  for (const auto& s : rows) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0) {
      r.Fail("'rows' must be row numbers (0-based, non-negative)");
      break;
    }
    l.rows.push_back(v);
  }
  r.Enum("with", l.with, kSuppressWith);
  if (r.ok() && l.values.empty() && l.rows.empty())
    r.Fail("list the 'values' or 'rows' to suppress");
  return l;
}

Result<ColumnRule> ReadColumnRule(const Json& obj, size_t index, const ParseOptions& options) {
  ColumnRule rule;
  std::string rule_name;
  if (!obj.is_object())
    return InvalidArgument(fmt::format("policy: columns[{}] must be a mapping of fields", index));
  if (obj.contains("column") && obj.at("column").is_string())
    rule.column = obj.at("column").get<std::string>();
  if (obj.contains("rule") && obj.at("rule").is_string())
    rule_name = obj.at("rule").get<std::string>();
  if (rule.column.empty())
    return InvalidArgument(fmt::format("policy: columns[{}]: 'column' is required", index));
  if (rule_name.empty())
    return InvalidArgument(fmt::format("policy: column '{}': 'rule' is required", rule.column));
  std::string where = fmt::format("column '{}': rule '{}'", rule.column, rule_name);
  if ((rule_name == "generalize" || rule_name == "token") && obj.contains("method") &&
      obj.at("method").is_string()) {
    where = fmt::format("column '{}': rule '{}'", rule.column, obj.at("method").get<std::string>());
  }
  Reader r(obj, where);
  r.Get("column");
  r.Get("rule");
  if (rule_name == "keep")
    rule.params = KeepRule{};
  else if (rule_name == "delete")
    rule.params = DeleteRule{};
  else if (rule_name == "mask")
    rule.params = ReadMask(r);
  else if (rule_name == "pseudonym")
    rule.params = ReadPseudonym(r);
  else if (rule_name == "token")
    rule.params = ReadToken(r);
  else if (rule_name == "generalize")
    rule.params = ReadGeneralize(r, options);
  else if (rule_name == "noise")
    rule.params = ReadNoise(r);
  else if (rule_name == "date_shift")
    rule.params = ReadDateShift(r);
  else if (rule_name == "local_suppress")
    rule.params = ReadLocalSuppress(r);
  else if (rule_name == "hash" || rule_name == "sha256") {
    r.Fail("unkeyed hashing is refused; use rule 'pseudonym' with a key_id");
  } else {
    r.Fail(
        "unknown rule; use keep, delete, mask, pseudonym, token, generalize, noise, date_shift or "
        "local_suppress");
  }
  SZ_RETURN_IF_ERROR(r.Finish());
  return rule;
}

Result<RecordCondition> ReadCondition(const Json& obj, size_t index) {
  Reader r(obj, fmt::format("suppress_records[{}]", index));
  RecordCondition c;
  r.Str("column", c.column, true);
  r.Enum("op", c.op, kOps, true);
  if (c.op == CompareOp::kIn)
    r.StrList("values", c.values, true);
  else if (c.op != CompareOp::kIsNull)
    r.StrList("value", c.values, true);
  if (r.ok() && c.op != CompareOp::kIn && c.op != CompareOp::kIsNull && c.values.size() != 1) {
    r.Fail("'value' must be one value (use op 'in' with 'values' for several)");
  }
  SZ_RETURN_IF_ERROR(r.Finish());
  return c;
}

Result<MicroaggregationGroup> ReadGroup(const Json& obj, size_t index) {
  Reader r(obj, fmt::format("microaggregation[{}]", index));
  MicroaggregationGroup g;
  r.StrList("columns", g.columns, true);
  r.Int("k", g.k, 2, 1000000, true);
  if (r.ok() && g.columns.empty()) r.Fail("'columns' must name at least one numeric column");
  SZ_RETURN_IF_ERROR(r.Finish());
  return g;
}

Result<Policy> ReadPolicy(const Json& root, const ParseOptions& options) {
  Reader r(root, "document");
  Policy p;
  r.Int("version", p.version, 1, 1, true);
  r.Str("name", p.name);
  r.Enum("unlisted", p.unlisted, kUnlisted);
  const Json& cols = r.Get("columns");
  const Json& recs = r.Get("suppress_records");
  const Json& groups = r.Get("microaggregation");
  std::vector<std::pair<std::string, const Json*>> sections;
  for (const std::string& name : options.sections) sections.emplace_back(name, &r.Get(name));
  SZ_RETURN_IF_ERROR(r.Finish());
  for (const auto& [name, value] : sections) {
    if (value->is_null() || !options.read_section) continue;
    SZ_RETURN_IF_ERROR(options.read_section(name, value->dump()));
  }
  if (!cols.is_null() && !cols.is_array())
    return InvalidArgument("policy: 'columns' must be a list of rules");
  if (!recs.is_null() && !recs.is_array())
    return InvalidArgument("policy: 'suppress_records' must be a list");
  if (!groups.is_null() && !groups.is_array())
    return InvalidArgument("policy: 'microaggregation' must be a list");
  std::set<std::string> named;
  for (size_t i = 0; cols.is_array() && i < cols.size(); ++i) {
    SZ_ASSIGN_OR_RETURN(ColumnRule rule, ReadColumnRule(cols[i], i, options));
    if (!named.insert(rule.column).second) {
      return InvalidArgument(fmt::format(
          "policy: column '{}' has two rules; give each column exactly one", rule.column));
    }
    p.columns.push_back(std::move(rule));
  }
  for (size_t i = 0; recs.is_array() && i < recs.size(); ++i) {
    SZ_ASSIGN_OR_RETURN(RecordCondition c, ReadCondition(recs[i], i));
    p.suppress_records.push_back(std::move(c));
  }
  for (size_t i = 0; groups.is_array() && i < groups.size(); ++i) {
    SZ_ASSIGN_OR_RETURN(MicroaggregationGroup g, ReadGroup(groups[i], i));
    for (const auto& c : g.columns) {
      if (!named.insert(c).second) {
        return InvalidArgument(fmt::format(
            "policy: column '{}' is microaggregated and also has another rule; give it only one",
            c));
      }
    }
    p.microaggregation.push_back(std::move(g));
  }
  // One key id, one algorithm: reusing a key across primitives (HMAC and AES, say)
  // voids the security argument of both.
  std::map<std::string, std::string> key_use;
  for (const auto& rule : p.columns) {
    const KeyRef* key = nullptr;
    std::string use;
    if (auto* ps = std::get_if<PseudonymRule>(&rule.params)) {
      key = &ps->key;
      use = std::string(NameOf(ps->algorithm, kAlgorithms));
    } else if (auto* t = std::get_if<TokenRule>(&rule.params)) {
      key = &t->key;
      use = std::string(NameOf(t->method, kTokenMethods));
    } else if (auto* d = std::get_if<DateShiftRule>(&rule.params)) {
      key = &d->key;
      use = "date_shift";
    }
    if (!key) continue;
    std::string id = fmt::format("{}/{}", KeyScopeName(key->scope), key->id);
    auto [it, inserted] = key_use.emplace(id, use);
    if (!inserted && it->second != use) {
      return InvalidArgument(fmt::format(
          "policy: key '{}' ({}) is used for both {} and {}; use a separate key per algorithm",
          key->id, KeyScopeName(key->scope), it->second, use));
    }
  }
  return p;
}

}  // namespace

Result<Policy> ParsePolicy(std::string_view text, const ParseOptions& options) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return InvalidArgument("policy is empty");
  Result<Json> tree = text[first] == '{' ? ParseJson(text) : ParseYaml(text);
  if (!tree.ok()) return tree.status();
  if (!tree->is_object())
    return InvalidArgument("policy must be a mapping with 'version' and 'columns'");
  return ReadPolicy(*tree, options);
}

const ColumnRule* Policy::Find(std::string_view column) const {
  for (const auto& c : columns) {
    if (c.column == column) return &c;
  }
  return nullptr;
}

std::string_view KeyScopeName(KeyScope scope) { return NameOf(scope, kScopes); }

std::string RuleName(const ColumnRule& rule) {
  struct Visitor {
    std::string operator()(const KeepRule&) const { return "keep"; }
    std::string operator()(const DeleteRule&) const { return "delete"; }
    std::string operator()(const MaskRule&) const { return "mask"; }
    std::string operator()(const PseudonymRule&) const { return "pseudonym"; }
    std::string operator()(const TokenRule& t) const {
      return "token/" + std::string(NameOf(t.method, kTokenMethods));
    }
    std::string operator()(const GeneralizeRule& g) const {
      return "generalize/" + std::string(NameOf(g.method, kMethods));
    }
    std::string operator()(const NoiseRule&) const { return "noise"; }
    std::string operator()(const DateShiftRule&) const { return "date_shift"; }
    std::string operator()(const LocalSuppressRule&) const { return "local_suppress"; }
  };
  return std::visit(Visitor{}, rule.params);
}

// ---------------------------------------------------------------------------------------
// Writer.

namespace {

void WriteKey(Json& j, const KeyRef& key) {
  j["key_id"] = key.id;
  j["scope"] = KeyScopeName(key.scope);
}

Json RuleToJson(const ColumnRule& rule) {
  Json j;
  j["column"] = rule.column;
  struct Visitor {
    Json& j;
    void operator()(const KeepRule&) const { j["rule"] = "keep"; }
    void operator()(const DeleteRule&) const { j["rule"] = "delete"; }
    void operator()(const MaskRule& m) const {
      j["rule"] = "mask";
      if (!m.patterns.empty()) {
        j["patterns"] = m.patterns;
      } else {
        j["keep_first"] = m.keep_first;
        j["keep_last"] = m.keep_last;
        j["only"] = NameOf(m.only, kMaskClasses);
      }
      j["char"] = m.mask_char;
      j["on_invalid"] = NameOf(m.on_invalid, kOnInvalid);
    }
    void operator()(const PseudonymRule& p) const {
      j["rule"] = "pseudonym";
      j["algorithm"] = NameOf(p.algorithm, kAlgorithms);
      j["encoding"] = NameOf(p.encoding, kEncodings);
      j["length"] = p.length;
      WriteKey(j, p.key);
    }
    void operator()(const TokenRule& t) const {
      j["rule"] = "token";
      j["method"] = NameOf(t.method, kTokenMethods);
      WriteKey(j, t.key);
      j["on_invalid"] = NameOf(t.on_invalid, kOnInvalid);
      if (t.method == TokenMethod::kAesSiv) {
        if (!t.context.empty()) j["context"] = t.context;
      } else {
        j["alphabet"] = NameOf(t.alphabet, kAlphabets);
        if (!t.tweak.empty()) j["tweak"] = t.tweak;
        j["separators"] = t.separators;
      }
    }
    void operator()(const GeneralizeRule& g) const {
      j["rule"] = "generalize";
      j["method"] = NameOf(g.method, kMethods);
      j["on_invalid"] = NameOf(g.on_invalid, kOnInvalid);
      switch (g.method) {
        case GeneralizeMethod::kInterval:
          j["width"] = g.width;
          j["offset"] = g.offset;
          if (g.top) j["top"] = *g.top;
          if (g.bottom) j["bottom"] = *g.bottom;
          break;
        case GeneralizeMethod::kRound:
          j["base"] = g.base;
          break;
        case GeneralizeMethod::kTopBottom:
          if (g.top) j["top"] = *g.top;
          if (g.bottom) j["bottom"] = *g.bottom;
          break;
        case GeneralizeMethod::kDate:
          j["unit"] = NameOf(g.unit, kUnits);
          break;
        case GeneralizeMethod::kAgeBand:
          j["width"] = g.width;
          if (g.top) j["top"] = *g.top;
          j["as_of"] = g.as_of;
          break;
        case GeneralizeMethod::kPrefix:
          j["length"] = g.length;
          if (!g.fill.empty()) j["fill"] = g.fill;
          break;
        case GeneralizeMethod::kHierarchy:
          if (!g.hierarchy_file.empty())
            j["hierarchy_file"] = g.hierarchy_file;
          else
            j["hierarchy"] = g.hierarchy_text;
          j["level"] = g.level;
          break;
        case GeneralizeMethod::kAdminRegion:
          j["level"] = NameOf(g.region_level, kRegionLevels);
          j["format"] = NameOf(g.region_format, kRegionFormats);
          break;
      }
    }
    void operator()(const NoiseRule& n) const {
      j["rule"] = "noise";
      j["distribution"] = NameOf(n.distribution, kDistributions);
      j["bound"] = n.bound;
      if (n.distribution == NoiseDistribution::kLaplace) j["scale"] = n.scale;
    }
    void operator()(const DateShiftRule& d) const {
      j["rule"] = "date_shift";
      j["person"] = d.person_column;
      j["max_days"] = d.max_days;
      WriteKey(j, d.key);
      j["on_invalid"] = NameOf(d.on_invalid, kOnInvalid);
    }
    void operator()(const LocalSuppressRule& l) const {
      j["rule"] = "local_suppress";
      if (!l.values.empty()) j["values"] = l.values;
      if (!l.rows.empty()) j["rows"] = l.rows;
      j["with"] = NameOf(l.with, kSuppressWith);
    }
  };
  std::visit(Visitor{j}, rule.params);
  return j;
}

}  // namespace

std::string PolicyToJson(const Policy& policy) {
  Json j;
  j["version"] = policy.version;
  if (!policy.name.empty()) j["name"] = policy.name;
  j["unlisted"] = NameOf(policy.unlisted, kUnlisted);
  j["columns"] = Json::array();
  for (const auto& rule : policy.columns) j["columns"].push_back(RuleToJson(rule));
  if (!policy.suppress_records.empty()) {
    Json arr = Json::array();
    for (const auto& c : policy.suppress_records) {
      Json x;
      x["column"] = c.column;
      x["op"] = NameOf(c.op, kOps);
      if (c.op == CompareOp::kIn)
        x["values"] = c.values;
      else if (c.op != CompareOp::kIsNull)
        x["value"] = c.values.at(0);
      arr.push_back(std::move(x));
    }
    j["suppress_records"] = std::move(arr);
  }
  if (!policy.microaggregation.empty()) {
    Json arr = Json::array();
    for (const auto& g : policy.microaggregation)
      arr.push_back({{"columns", g.columns}, {"k", g.k}});
    j["microaggregation"] = std::move(arr);
  }
  return j.dump(2, ' ', false, Json::error_handler_t::replace);  // never throws on bad UTF-8
}

}  // namespace sz::pseudo

namespace sz::pseudo {

TypeClass ClassifyType(std::string_view type) {
  std::string t = text::ToLowerAscii(type);
  if (t == "varchar" || t.starts_with("varchar(") || t == "text" || t == "string")
    return TypeClass::kText;
  if (t == "tinyint" || t == "smallint" || t == "integer" || t == "bigint" || t == "utinyint" ||
      t == "usmallint" || t == "uinteger" || t == "ubigint" || t == "hugeint" || t == "uhugeint") {
    return TypeClass::kInteger;
  }
  if (t == "float" || t == "double" || t == "real") return TypeClass::kFloat;
  if (t.starts_with("decimal")) return TypeClass::kDecimal;
  if (t == "date") return TypeClass::kDate;
  if (t.starts_with("timestamp")) return TypeClass::kTimestamp;
  if (t == "boolean") return TypeClass::kBoolean;
  return TypeClass::kOther;
}

bool IsNumeric(TypeClass c) {
  return c == TypeClass::kInteger || c == TypeClass::kFloat || c == TypeClass::kDecimal;
}

namespace {

// Short rule name for messages: the method for generalize ("age_band").
std::string MessageRuleName(const ColumnRule& rule) {
  if (auto* g = std::get_if<GeneralizeRule>(&rule.params))
    return std::string(NameOf(g->method, kMethods));
  return RuleName(rule);
}

// What a rule accepts, as (predicate, description for the error message).
struct TypeNeed {
  bool ok;
  const char* needs;
};

TypeNeed Accepts(const ColumnRule& rule, TypeClass c) {
  const bool text = c == TypeClass::kText;
  const bool textish = text || c == TypeClass::kInteger;
  const bool dateish = c == TypeClass::kDate || c == TypeClass::kTimestamp || text;
  struct Visitor {
    TypeClass c;
    bool text, textish, dateish;
    TypeNeed operator()(const KeepRule&) const { return {true, ""}; }
    TypeNeed operator()(const DeleteRule&) const { return {true, ""}; }
    TypeNeed operator()(const MaskRule&) const { return {text, "a VARCHAR column"}; }
    TypeNeed operator()(const PseudonymRule&) const {
      return {textish, "a VARCHAR or integer column"};
    }
    TypeNeed operator()(const TokenRule&) const { return {textish, "a VARCHAR or integer column"}; }
    TypeNeed operator()(const GeneralizeRule& g) const {
      switch (g.method) {
        case GeneralizeMethod::kInterval:
        case GeneralizeMethod::kRound:
        case GeneralizeMethod::kTopBottom:
          return {IsNumeric(c), "a numeric column"};
        case GeneralizeMethod::kDate:
        case GeneralizeMethod::kAgeBand:
          return {dateish, "a DATE, TIMESTAMP or VARCHAR date column"};
        case GeneralizeMethod::kPrefix:
          return {text, "a VARCHAR column (store codes as text to keep leading zeros)"};
        case GeneralizeMethod::kHierarchy:
          return {textish || c == TypeClass::kDate, "a VARCHAR, integer or DATE column"};
        case GeneralizeMethod::kAdminRegion:
          return {text, "a VARCHAR column"};
      }
      return {false, "?"};
    }
    TypeNeed operator()(const NoiseRule&) const { return {IsNumeric(c), "a numeric column"}; }
    TypeNeed operator()(const DateShiftRule&) const {
      return {dateish, "a DATE, TIMESTAMP or VARCHAR date column"};
    }
    TypeNeed operator()(const LocalSuppressRule&) const {
      return {c != TypeClass::kOther, "a column of a plain type"};
    }
  };
  return std::visit(Visitor{c, text, textish, dateish}, rule.params);
}

}  // namespace

Status ValidatePolicy(const Policy& policy, const Schema& input) {
  std::map<std::string, std::string, std::less<>> types;
  for (const auto& col : input) types.emplace(col.name, col.type);
  auto type_of = [&](std::string_view name) -> const std::string* {
    auto it = types.find(name);
    return it == types.end() ? nullptr : &it->second;
  };
  for (const auto& rule : policy.columns) {
    const std::string* type = type_of(rule.column);
    std::string name = MessageRuleName(rule);
    if (!type) {
      return InvalidArgument(fmt::format(
          "column '{}': rule '{}' names a column the input does not have", rule.column, name));
    }
    TypeNeed need = Accepts(rule, ClassifyType(*type));
    if (!need.ok) {
      return InvalidArgument(fmt::format("column '{}': rule '{}' needs {}, got {}", rule.column,
                                         name, need.needs, *type));
    }
    if (auto* d = std::get_if<DateShiftRule>(&rule.params)) {
      if (!type_of(d->person_column)) {
        return InvalidArgument(
            fmt::format("column '{}': rule 'date_shift' names person column '{}', which the input "
                        "does not have",
                        rule.column, d->person_column));
      }
      if (d->person_column == rule.column) {
        return InvalidArgument(fmt::format(
            "column '{}': rule 'date_shift' needs a person column other than the date itself",
            rule.column));
      }
    }
  }
  for (const auto& g : policy.microaggregation) {
    for (const auto& c : g.columns) {
      const std::string* type = type_of(c);
      if (!type)
        return InvalidArgument(fmt::format(
            "column '{}': rule 'microaggregate' names a column the input does not have", c));
      if (!IsNumeric(ClassifyType(*type))) {
        return InvalidArgument(fmt::format(
            "column '{}': rule 'microaggregate' needs a numeric column, got {}", c, *type));
      }
    }
  }
  for (const auto& cond : policy.suppress_records) {
    const std::string* type = type_of(cond.column);
    if (!type) {
      return InvalidArgument(
          fmt::format("suppress_records: column '{}' is not in the input", cond.column));
    }
    TypeClass c = ClassifyType(*type);
    if (c == TypeClass::kOther) {
      return InvalidArgument(
          fmt::format("suppress_records: column '{}' has type {}, which cannot be compared",
                      cond.column, *type));
    }
    if (IsNumeric(c)) {
      for (const auto& v : cond.values) {
        double d = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
        if (ec != std::errc() || p != v.data() + v.size()) {
          return InvalidArgument(fmt::format(
              "suppress_records: column '{}' is numeric but a value is not a number", cond.column));
        }
      }
    }
  }
  if (policy.unlisted == Unlisted::kError) {
    std::vector<std::string> missing;
    std::set<std::string> aggregated;
    for (const auto& g : policy.microaggregation)
      aggregated.insert(g.columns.begin(), g.columns.end());
    for (const auto& col : input) {
      if (!policy.Find(col.name) && !aggregated.count(col.name)) missing.push_back(col.name);
    }
    if (!missing.empty()) {
      std::string list;
      for (size_t i = 0; i < missing.size() && i < 10; ++i)
        list += (i ? ", '" : "'") + missing[i] + "'";
      if (missing.size() > 10) list += fmt::format(" and {} more", missing.size() - 10);
      return InvalidArgument(fmt::format(
          "policy has no rule for column(s) {}; add keep or delete rules, or set 'unlisted'",
          list));
    }
  }
  return OkStatus();
}

}  // namespace sz::pseudo
