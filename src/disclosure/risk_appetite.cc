#include "disclosure/risk_appetite.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace sz::disclosure {

using nlohmann::ordered_json;

RiskAppetite RiskAppetite::Defaults() {
  RiskAppetite appetite;
  appetite.freeform.allowed_types = {"csv", "txt", "md", "json", "png",
                                     "svg", "pdf", "py",  "r",    "sql"};
  return appetite;
}

namespace {

std::string_view SoftRuleName(SoftRule rule) {
  return rule == SoftRule::kReview ? "review" : "pass";
}

Result<ordered_json> ParseLayer(std::string_view text, std::string_view layer) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return ordered_json::object();
  }
  ordered_json parsed = ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return InvalidArgument(std::string(layer) +
                           " risk config is not a JSON object; fix its syntax");
  }
  return parsed;
}

// Reads object members strictly: each key must be known, each value of the right type.
class Reader {
 public:
  Reader(const ordered_json& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  Status Int(const char* key, int64_t min, int64_t* out) {
    auto it = Lookup(key);
    if (it == object_.end()) return OkStatus();
    if (!it->is_number_integer() || it->get<int64_t>() < min) {
      return Bad(key, "an integer >= " + std::to_string(min));
    }
    *out = it->get<int64_t>();
    return OkStatus();
  }
  Status Number(const char* key, double min, double max, bool min_open, double* out) {
    auto it = Lookup(key);
    if (it == object_.end()) return OkStatus();
    if (!it->is_number()) return Bad(key, "a number");
    double v = it->get<double>();
    if (v > max || v < min || (min_open && v == min)) {
      return Bad(key, std::string("a number in ") + (min_open ? "(" : "[") +
                          ordered_json(min).dump() + ", " + ordered_json(max).dump() + "]");
    }
    *out = v;
    return OkStatus();
  }
  Status Bool(const char* key, bool* out) {
    auto it = Lookup(key);
    if (it == object_.end()) return OkStatus();
    if (!it->is_boolean()) return Bad(key, "true or false");
    *out = it->get<bool>();
    return OkStatus();
  }
  Status Soft(const char* key, SoftRule* out) {
    auto it = Lookup(key);
    if (it == object_.end()) return OkStatus();
    if (*it == "review") {
      *out = SoftRule::kReview;
    } else if (*it == "pass") {
      *out = SoftRule::kPass;
    } else {
      return Bad(key, "\"review\" or \"pass\"");
    }
    return OkStatus();
  }
  Result<const ordered_json*> Object(const char* key) {
    auto it = Lookup(key);
    if (it == object_.end()) return static_cast<const ordered_json*>(nullptr);
    if (!it->is_object()) return Bad(key, "an object");
    return &*it;
  }
  Status Types(const char* key, std::vector<std::string>* out) {
    auto it = Lookup(key);
    if (it == object_.end()) return OkStatus();
    if (!it->is_array()) return Bad(key, "an array of file extensions");
    std::vector<std::string> types;
    for (const auto& v : *it) {
      if (!v.is_string() || v.get<std::string>().empty()) {
        return Bad(key, "an array of file extensions");
      }
      std::string type = v.get<std::string>();
      if (type.front() == '.') type.erase(0, 1);
      std::transform(type.begin(), type.end(), type.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      types.push_back(type);
    }
    *out = std::move(types);
    return OkStatus();
  }
  // InvalidArgument for the first key this reader was never asked about.
  Status NoUnknownKeys(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : object_.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        return InvalidArgument("unknown risk config key '" + prefix_ + key +
                               "'; check the spelling against docs/disclosure.md");
      }
    }
    return OkStatus();
  }

 private:
  ordered_json::const_iterator Lookup(const char* key) const { return object_.find(key); }
  Status Bad(const char* key, const std::string& want) const {
    return InvalidArgument("risk config key '" + prefix_ + key + "' must be " + want);
  }

  const ordered_json& object_;
  std::string prefix_;
};

Status ReadFreeform(const ordered_json& object, FreeformRule* out) {
  Reader r(object, "freeform.");
  SZ_RETURN_IF_ERROR(r.NoUnknownKeys({"allowed_types", "max_bytes", "max_rows"}));
  SZ_RETURN_IF_ERROR(r.Types("allowed_types", &out->allowed_types));
  int64_t max_bytes = static_cast<int64_t>(out->max_bytes);
  SZ_RETURN_IF_ERROR(r.Int("max_bytes", 0, &max_bytes));
  out->max_bytes = static_cast<uint64_t>(max_bytes);
  return r.Int("max_rows", 0, &out->max_rows);
}

Status ReadNk(const ordered_json& object, RiskAppetite* out) {
  Reader r(object, "nk.");
  SZ_RETURN_IF_ERROR(r.NoUnknownKeys({"n", "k"}));
  int64_t n = out->nk_n;
  SZ_RETURN_IF_ERROR(r.Int("n", 1, &n));
  if (n > 2) {
    return InvalidArgument(
        "risk config key 'nk.n' must be 1 or 2; the evidence carries the top two "
        "contributions");
  }
  out->nk_n = static_cast<int>(n);
  return r.Number("k", 0, 100, /*min_open=*/true, &out->nk_k);
}

Status ReadProtection(const ordered_json& object, ProtectionRule* out) {
  Reader r(object, "protection.");
  SZ_RETURN_IF_ERROR(r.NoUnknownKeys({"percent", "min_count"}));
  SZ_RETURN_IF_ERROR(r.Number("percent", 0, 100, false, &out->percent));
  return r.Number("min_count", 0, 1e15, false, &out->min_count);
}

Result<RiskAppetite> FromJson(const ordered_json& merged) {
  RiskAppetite a = RiskAppetite::Defaults();
  Reader r(merged, "");
  SZ_RETURN_IF_ERROR(r.NoUnknownKeys(
      {"threshold", "zeros", "full_cells", "negatives", "missing", "p_percent", "nk",
       "dominance_confidential", "min_residual_df", "min_observations_per_parameter",
       "extremes", "freeform", "rounding_base", "protection"}));
  SZ_RETURN_IF_ERROR(r.Int("threshold", 1, &a.threshold));
  SZ_RETURN_IF_ERROR(r.Soft("zeros", &a.zeros));
  SZ_RETURN_IF_ERROR(r.Soft("full_cells", &a.full_cells));
  SZ_RETURN_IF_ERROR(r.Soft("negatives", &a.negatives));
  SZ_RETURN_IF_ERROR(r.Soft("missing", &a.missing));
  SZ_RETURN_IF_ERROR(r.Number("p_percent", 0, 100, false, &a.p_percent));
  SZ_RETURN_IF_ERROR(r.Bool("dominance_confidential", &a.dominance_confidential));
  SZ_RETURN_IF_ERROR(r.Int("min_residual_df", 0, &a.min_residual_df));
  SZ_RETURN_IF_ERROR(r.Int("min_observations_per_parameter", 1,
                           &a.min_observations_per_parameter));
  SZ_RETURN_IF_ERROR(r.Int("rounding_base", 1, &a.rounding_base));
  if (auto it = merged.find("extremes"); it != merged.end()) {
    if (*it != "fail" && *it != "review") {
      return InvalidArgument("risk config key 'extremes' must be \"fail\" or \"review\"");
    }
    a.extremes_fail = *it == "fail";
  }
  SZ_ASSIGN_OR_RETURN(const ordered_json* nk, r.Object("nk"));
  if (nk != nullptr) SZ_RETURN_IF_ERROR(ReadNk(*nk, &a));
  SZ_ASSIGN_OR_RETURN(const ordered_json* freeform, r.Object("freeform"));
  if (freeform != nullptr) SZ_RETURN_IF_ERROR(ReadFreeform(*freeform, &a.freeform));
  SZ_ASSIGN_OR_RETURN(const ordered_json* protection, r.Object("protection"));
  if (protection != nullptr) SZ_RETURN_IF_ERROR(ReadProtection(*protection, &a.protection));
  return a;
}

}  // namespace

Result<RiskAppetite> ResolveRiskAppetite(std::string_view zone_json,
                                         std::string_view project_json) {
  SZ_ASSIGN_OR_RETURN(ordered_json zone, ParseLayer(zone_json, "zone"));
  SZ_ASSIGN_OR_RETURN(ordered_json project, ParseLayer(project_json, "project"));
  // Defaults are applied by FromJson for absent keys, so merging the two layers over an
  // empty object is the same as merging them over the full defaults.
  ordered_json merged = ordered_json::object();
  merged.merge_patch(zone);
  merged.merge_patch(project);
  return FromJson(merged);
}

std::string RiskAppetiteToJson(const RiskAppetite& a, bool for_analyst) {
  ordered_json j;
  j["threshold"] = a.threshold;
  j["zeros"] = SoftRuleName(a.zeros);
  j["full_cells"] = SoftRuleName(a.full_cells);
  j["negatives"] = SoftRuleName(a.negatives);
  j["missing"] = SoftRuleName(a.missing);
  if (!(for_analyst && a.dominance_confidential)) {
    j["p_percent"] = a.p_percent;
    j["nk"] = {{"n", a.nk_n}, {"k", a.nk_k}};
  }
  j["dominance_confidential"] = a.dominance_confidential;
  j["min_residual_df"] = a.min_residual_df;
  j["min_observations_per_parameter"] = a.min_observations_per_parameter;
  j["extremes"] = a.extremes_fail ? "fail" : "review";
  j["freeform"] = {{"allowed_types", a.freeform.allowed_types},
                   {"max_bytes", a.freeform.max_bytes},
                   {"max_rows", a.freeform.max_rows}};
  j["rounding_base"] = a.rounding_base;
  if (!(for_analyst && a.dominance_confidential)) {
    j["protection"] = {{"percent", a.protection.percent},
                       {"min_count", a.protection.min_count}};
  }
  return j.dump();
}

}  // namespace sz::disclosure
