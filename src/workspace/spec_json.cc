#include "workspace/spec_json.h"

#include <set>

#include "fmt/format.h"

namespace sz::workspace {

namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

Status OnlyKeys(const Json& j, std::string_view what,
                std::initializer_list<std::string_view> keys) {
  if (!j.is_object()) return InvalidArgument(fmt::format("{} must be a JSON object", what));
  std::set<std::string_view> allowed(keys);
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!allowed.contains(it.key())) {
      return InvalidArgument(fmt::format("{}: unknown key '{}'", what, it.key().substr(0, 40)));
    }
  }
  return OkStatus();
}

Result<std::string> Text(const Json& j, const char* key, std::string_view what, bool required) {
  if (!j.contains(key)) {
    if (required) return InvalidArgument(fmt::format("{}: '{}' is required", what, key));
    return std::string();
  }
  if (!j[key].is_string())
    return InvalidArgument(fmt::format("{}: '{}' must be a string", what, key));
  return j[key].get<std::string>();
}

Result<bool> Flag(const Json& j, const char* key, std::string_view what, bool fallback) {
  if (!j.contains(key)) return fallback;
  if (!j[key].is_boolean())
    return InvalidArgument(fmt::format("{}: '{}' must be true or false", what, key));
  return j[key].get<bool>();
}

Result<std::vector<std::string>> Texts(const Json& j, const char* key, std::string_view what) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) return InvalidArgument(fmt::format("{}: '{}' must be a list", what, key));
  for (const Json& v : j[key]) {
    if (!v.is_string())
      return InvalidArgument(fmt::format("{}: '{}' must hold strings", what, key));
    out.push_back(v.get<std::string>());
  }
  return out;
}

Status ReadSource(const Json& j, TableSpec& spec) {
  SZ_ASSIGN_OR_RETURN(spec.from, Text(j, "from", "table", true));
  SZ_ASSIGN_OR_RETURN(spec.alias, Text(j, "alias", "table", false));
  SZ_ASSIGN_OR_RETURN(spec.where, Text(j, "where", "table", false));
  if (j.contains("joins")) {
    if (!j["joins"].is_array()) return InvalidArgument("table: 'joins' must be a list");
    for (const Json& jj : j["joins"]) {
      SZ_RETURN_IF_ERROR(OnlyKeys(jj, "join", {"table", "alias", "on", "left"}));
      JoinSpec join;
      SZ_ASSIGN_OR_RETURN(join.table, Text(jj, "table", "join", true));
      SZ_ASSIGN_OR_RETURN(join.alias, Text(jj, "alias", "join", false));
      SZ_ASSIGN_OR_RETURN(join.on, Text(jj, "on", "join", true));
      SZ_ASSIGN_OR_RETURN(join.left, Flag(jj, "left", "join", false));
      spec.joins.push_back(std::move(join));
    }
  }
  if (j.contains("filters")) {
    if (!j["filters"].is_array()) return InvalidArgument("table: 'filters' must be a list");
    for (const Json& fj : j["filters"]) {
      SZ_RETURN_IF_ERROR(OnlyKeys(fj, "filter", {"expression", "values"}));
      FilterSpec filter;
      SZ_ASSIGN_OR_RETURN(filter.expression, Text(fj, "expression", "filter", true));
      SZ_ASSIGN_OR_RETURN(filter.values, Texts(fj, "values", "filter"));
      spec.filters.push_back(std::move(filter));
    }
  }
  return OkStatus();
}

void WriteSource(const TableSpec& spec, OJson& j) {
  j["from"] = spec.from;
  if (!spec.alias.empty()) j["alias"] = spec.alias;
  if (!spec.joins.empty()) {
    OJson joins = OJson::array();
    for (const JoinSpec& join : spec.joins) {
      OJson o{{"table", join.table}};
      if (!join.alias.empty()) o["alias"] = join.alias;
      o["on"] = join.on;
      o["left"] = join.left;
      joins.push_back(std::move(o));
    }
    j["joins"] = std::move(joins);
  }
  if (!spec.filters.empty()) {
    OJson filters = OJson::array();
    for (const FilterSpec& f : spec.filters)
      filters.push_back(OJson{{"expression", f.expression}, {"values", f.values}});
    j["filters"] = std::move(filters);
  }
  if (!spec.where.empty()) j["where"] = spec.where;
}

std::string SourceText(const TableSpec& spec) {
  std::string out = "from " + spec.from;
  for (const JoinSpec& j : spec.joins)
    out += fmt::format(" {} {} on {}", j.left ? "left join" : "join", j.table, j.on);
  for (const FilterSpec& f : spec.filters) {
    std::string values;
    for (const std::string& v : f.values) values += (values.empty() ? "" : ", ") + v;
    out += fmt::format(" with {} in ({})", f.expression, values);
  }
  if (!spec.where.empty()) out += " where " + spec.where;
  return out;
}

}  // namespace

OJson TableSpecToJson(const TableSpec& spec) {
  OJson j;
  WriteSource(spec, j);
  OJson dims = OJson::array();
  for (const DimensionSpec& d : spec.dimensions) {
    dims.push_back(OJson{{"name", d.name},
                         {"levels", d.levels},
                         {"total", d.total},
                         {"total_label", d.total_label}});
  }
  j["dimensions"] = std::move(dims);
  j["statistic"] = AggregateName(spec.aggregate);
  if (!spec.measure.empty()) j["measure"] = spec.measure;
  if (spec.aggregate == Aggregate::kQuantile) j["quantile"] = spec.quantile;
  return j;
}

Result<TableSpec> TableSpecFromJson(const Json& j) {
  SZ_RETURN_IF_ERROR(OnlyKeys(j, "table",
                              {"from", "alias", "joins", "filters", "where", "dimensions",
                               "statistic", "measure", "quantile"}));
  TableSpec spec;
  SZ_RETURN_IF_ERROR(ReadSource(j, spec));
  if (!j.contains("dimensions") || !j["dimensions"].is_array()) {
    return InvalidArgument("table: 'dimensions' must be a list");
  }
  for (const Json& dj : j["dimensions"]) {
    SZ_RETURN_IF_ERROR(OnlyKeys(dj, "dimension", {"name", "levels", "total", "total_label"}));
    DimensionSpec d;
    SZ_ASSIGN_OR_RETURN(d.levels, Texts(dj, "levels", "dimension"));
    SZ_ASSIGN_OR_RETURN(d.name, Text(dj, "name", "dimension", false));
    if (d.name.empty() && !d.levels.empty()) d.name = d.levels.back();
    SZ_ASSIGN_OR_RETURN(d.total, Flag(dj, "total", "dimension", true));
    SZ_ASSIGN_OR_RETURN(std::string label, Text(dj, "total_label", "dimension", false));
    if (!label.empty()) d.total_label = label;
    spec.dimensions.push_back(std::move(d));
  }
  SZ_ASSIGN_OR_RETURN(std::string statistic, Text(j, "statistic", "table", false));
  if (!statistic.empty()) {
    SZ_ASSIGN_OR_RETURN(spec.aggregate, ParseAggregate(statistic));
  }
  SZ_ASSIGN_OR_RETURN(spec.measure, Text(j, "measure", "table", false));
  if (j.contains("quantile")) {
    if (!j["quantile"].is_number()) return InvalidArgument("table: 'quantile' must be a number");
    spec.quantile = j["quantile"].get<double>();
  }
  return spec;
}

Result<TableSpec> TableSpecFromJson(std::string_view text) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return InvalidArgument("the table definition is not valid JSON");
  return TableSpecFromJson(j);
}

OJson RegressionSpecToJson(const RegressionSpec& spec) {
  OJson source;
  WriteSource(spec.source, source);
  return OJson{{"source", std::move(source)},
               {"outcome", spec.outcome},
               {"predictors", spec.predictors},
               {"intercept", spec.intercept}};
}

Result<RegressionSpec> RegressionSpecFromJson(std::string_view text) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return InvalidArgument("the regression definition is not valid JSON");
  SZ_RETURN_IF_ERROR(OnlyKeys(j, "regression", {"source", "outcome", "predictors", "intercept"}));
  RegressionSpec spec;
  if (!j.contains("source")) return InvalidArgument("regression: 'source' is required");
  SZ_RETURN_IF_ERROR(
      OnlyKeys(j["source"], "source", {"from", "alias", "joins", "filters", "where"}));
  SZ_RETURN_IF_ERROR(ReadSource(j["source"], spec.source));
  SZ_ASSIGN_OR_RETURN(spec.outcome, Text(j, "outcome", "regression", true));
  SZ_ASSIGN_OR_RETURN(spec.predictors, Texts(j, "predictors", "regression"));
  SZ_ASSIGN_OR_RETURN(spec.intercept, Flag(j, "intercept", "regression", true));
  return spec;
}

std::string DescribeTable(const TableSpec& spec) {
  std::string stat(AggregateName(spec.aggregate));
  if (!spec.measure.empty()) stat += "(" + spec.measure + ")";
  if (spec.aggregate == Aggregate::kQuantile) stat += fmt::format(" q={}", spec.quantile);
  std::string dims;
  for (const DimensionSpec& d : spec.dimensions) {
    std::string levels;
    for (const std::string& l : d.levels) levels += (levels.empty() ? "" : " > ") + l;
    dims += (dims.empty() ? "" : " x ") + fmt::format("{} [{}]", d.name, levels);
  }
  return fmt::format("{} by {} {}", stat, dims, SourceText(spec));
}

std::string DescribeRegression(const RegressionSpec& spec) {
  std::string rhs;
  for (const std::string& p : spec.predictors) rhs += (rhs.empty() ? "" : " + ") + p;
  return fmt::format("ols {} ~ {}{} {}", spec.outcome, spec.intercept ? "1 + " : "0 + ", rhs,
                     SourceText(spec.source));
}

}  // namespace sz::workspace
