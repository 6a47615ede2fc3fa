// Thresholds of a pseudonymization run: parsing the policy's `thresholds:` section.
#include <charconv>
#include <cmath>
#include <set>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "zone/pseudonymize.h"

namespace sz::zone {

namespace {

using Json = nlohmann::json;

// A number given as a JSON number or, from YAML, as text.
Result<double> Number(const Json& v, std::string_view field) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && p == s.data() + s.size() && std::isfinite(d)) return d;
  }
  return InvalidArgument(fmt::format("thresholds: '{}' must be a number", field));
}

Result<int64_t> Whole(const Json& v, std::string_view field, int64_t min) {
  SZ_ASSIGN_OR_RETURN(double d, Number(v, field));
  if (d != std::floor(d) || d < static_cast<double>(min) || d > 1e15) {
    return InvalidArgument(fmt::format("thresholds: '{}' must be a whole number >= {}", field, min));
  }
  return static_cast<int64_t>(d);
}

Result<double> Share(const Json& v, std::string_view field, bool allow_zero) {
  SZ_ASSIGN_OR_RETURN(double d, Number(v, field));
  if (d > 1 || d < 0 || (!allow_zero && d == 0)) {
    return InvalidArgument(fmt::format("thresholds: '{}' must be a share in {}0, 1]", field, allow_zero ? "[" : "("));
  }
  return d;
}

Result<std::string> Text(const Json& v, std::string_view field) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
    return InvalidArgument(fmt::format("thresholds: '{}' must be a column name", field));
  }
  return v.get<std::string>();
}

}  // namespace

Result<Thresholds> ParseThresholds(std::string_view text) {
  Json j;
  try {
    j = Json::parse(text.begin(), text.end());
  } catch (const Json::exception&) {
    return InvalidArgument("thresholds: not a valid document");
  }
  if (!j.is_object()) return InvalidArgument("thresholds: must be a mapping (k: 5, prosecutor_max: 0.2, ...)");
  Thresholds t;
  for (const auto& [key, v] : j.items()) {
    if (v.is_null()) continue;
    if (key == "k") {
      SZ_ASSIGN_OR_RETURN(t.k, Whole(v, key, 1));
    } else if (key == "l") {
      SZ_ASSIGN_OR_RETURN(t.l, Whole(v, key, 1));
    } else if (key == "prosecutor_max") {
      SZ_ASSIGN_OR_RETURN(t.prosecutor_max, Share(v, key, false));
    } else if (key == "risk_threshold") {
      SZ_ASSIGN_OR_RETURN(t.risk_threshold, Share(v, key, false));
    } else if (key == "records_above_threshold") {
      SZ_ASSIGN_OR_RETURN(t.records_above_threshold, Share(v, key, true));
    } else if (key == "sensitive") {
      SZ_ASSIGN_OR_RETURN(t.sensitive, Text(v, key));
    } else if (key == "quasi_identifiers") {
      if (!v.is_array()) return InvalidArgument("thresholds: 'quasi_identifiers' must be a list of column names");
      std::set<std::string> seen;
      for (const Json& c : v) {
        SZ_ASSIGN_OR_RETURN(std::string name, Text(c, key));
        if (!seen.insert(name).second) {
          return InvalidArgument(fmt::format("thresholds: quasi-identifier '{}' is listed twice", name));
        }
        t.quasi_identifiers.push_back(std::move(name));
      }
    } else if (key == "direct_identifiers_kept") {
      return InvalidArgument(
          "thresholds: 'direct_identifiers_kept' cannot be changed: a direct identifier never stays in the clear");
    } else {
      return InvalidArgument(fmt::format(
          "thresholds: unknown field '{}' (known: k, prosecutor_max, risk_threshold, records_above_threshold, "
          "sensitive, l, quasi_identifiers)",
          key.substr(0, 40)));
    }
  }
  return t;
}

std::string ThresholdsToJson(const Thresholds& t) {
  Json j;
  j["k"] = t.k;
  j["prosecutor_max"] = t.prosecutor_max;
  j["risk_threshold"] = t.risk_threshold;
  j["records_above_threshold"] = t.records_above_threshold;
  if (!t.sensitive.empty()) {
    j["sensitive"] = t.sensitive;
    j["l"] = t.l;
  }
  if (!t.quasi_identifiers.empty()) j["quasi_identifiers"] = t.quasi_identifiers;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<pseudo::Threshold> ThresholdList(const Thresholds& t) {
  using pseudo::Comparison;
  std::vector<pseudo::Threshold> out = {
      {"k", Comparison::kAtLeast, static_cast<double>(t.k)},
      {"prosecutor_max", Comparison::kAtMost, t.prosecutor_max},
      {"records_above_threshold", Comparison::kAtMost, t.records_above_threshold},
      {"direct_identifiers_kept", Comparison::kAtMost, 0},
  };
  if (!t.sensitive.empty()) out.push_back({"l_distinct", Comparison::kAtLeast, static_cast<double>(t.l)});
  return out;
}

}  // namespace sz::zone
