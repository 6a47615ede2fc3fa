#include "zone/output_json.h"

#include "fmt/format.h"

namespace sz::zone {

namespace dc = sz::disclosure;

namespace {

constexpr dc::OutputType kOutputTypes[] = {
    dc::OutputType::kFrequencyTable, dc::OutputType::kMagnitudeTable, dc::OutputType::kQuantiles,
    dc::OutputType::kExtremes,       dc::OutputType::kDispersion,     dc::OutputType::kRegression,
    dc::OutputType::kFreeform};
constexpr dc::Statistic kStatistics[] = {
    dc::Statistic::kCount,    dc::Statistic::kSum,   dc::Statistic::kMean, dc::Statistic::kMedian,
    dc::Statistic::kQuantile, dc::Statistic::kMin,   dc::Statistic::kMax,  dc::Statistic::kMode,
    dc::Statistic::kVariance, dc::Statistic::kStdDev};
constexpr dc::Verdict kVerdicts[] = {dc::Verdict::kPass, dc::Verdict::kReview, dc::Verdict::kFail};

template <typename E, size_t N, typename NameFn>
Result<E> ByName(const E (&all)[N], NameFn name, std::string_view text, std::string_view what) {
  for (E e : all)
    if (name(e) == text) return e;
  return InvalidArgument(fmt::format("unknown {} '{}'", what, text.substr(0, 40)));
}

Result<dc::Rule> RuleByName(std::string_view text) {
  for (int i = 0; i <= static_cast<int>(dc::Rule::kDifferencing); ++i) {
    auto r = static_cast<dc::Rule>(i);
    if (dc::RuleName(r) == text) return r;
  }
  return InvalidArgument(fmt::format("unknown rule '{}'", text.substr(0, 40)));
}

// Field access that reports instead of throwing.
class Reader {
 public:
  explicit Reader(const Json& j, std::string where) : j_(j), where_(std::move(where)) {}
  template <typename T>
  Result<T> Get(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end()) return InvalidArgument(fmt::format("{}: missing '{}'", where_, key));
    if constexpr (std::is_same_v<T, std::string>) {
      if (!it->is_string()) return Bad(key);
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!it->is_boolean()) return Bad(key);
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!it->is_number()) return Bad(key);
    } else {
      if (!it->is_number_integer()) return Bad(key);
    }
    return it->template get<T>();
  }
  Result<const Json*> Array(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end() || !it->is_array())
      return InvalidArgument(fmt::format("{}: '{}' must be a list", where_, key));
    return &*it;
  }
  bool Has(const char* key) const { return j_.contains(key); }

 private:
  Status Bad(const char* key) const {
    return InvalidArgument(fmt::format("{}: '{}' has the wrong type", where_, key));
  }
  const Json& j_;
  std::string where_;
};

Json FindingToJson(const dc::Finding& f) {
  return Json{{"rule", dc::RuleName(f.rule)},
              {"verdict", dc::VerdictName(f.verdict)},
              {"en", f.en},
              {"ko", f.ko}};
}

Result<dc::Finding> FindingFromJson(const Json& j) {
  if (!j.is_object()) return InvalidArgument("finding must be an object");
  Reader r(j, "finding");
  dc::Finding f;
  SZ_ASSIGN_OR_RETURN(std::string rule, r.Get<std::string>("rule"));
  SZ_ASSIGN_OR_RETURN(f.rule, RuleByName(rule));
  SZ_ASSIGN_OR_RETURN(std::string verdict, r.Get<std::string>("verdict"));
  SZ_ASSIGN_OR_RETURN(f.verdict, ByName(kVerdicts, dc::VerdictName, verdict, "verdict"));
  SZ_ASSIGN_OR_RETURN(f.en, r.Get<std::string>("en"));
  SZ_ASSIGN_OR_RETURN(f.ko, r.Get<std::string>("ko"));
  return f;
}

Json TableToJson(const dc::Table& t) {
  Json dims = Json::array();
  for (const dc::Dimension& d : t.dimensions) {
    Json cats = Json::array();
    for (const dc::Category& c : d.categories)
      cats.push_back(Json{{"label", c.label}, {"parent", c.parent}, {"codes", c.codes}});
    dims.push_back(
        Json{{"name", d.name}, {"variable", d.variable}, {"categories", std::move(cats)}});
  }
  Json filters = Json::array();
  for (const dc::Filter& f : t.filters)
    filters.push_back(Json{{"variable", f.variable}, {"codes", f.codes}});
  Json cells = Json::array();
  for (const dc::Cell& c : t.cells) {
    const dc::CellEvidence& e = c.evidence;
    cells.push_back(Json{{"categories", c.categories},
                         {"value", c.value},
                         {"margin", c.margin},
                         {"persons", e.persons},
                         {"sum", e.sum},
                         {"top1", e.top1},
                         {"top2", e.top2},
                         {"negative", e.negative_contributions},
                         {"null", e.null_contributions},
                         {"value_null", e.value_null}});
    // Only when set, so that the encoding (and hash) of exact outputs is unchanged.
    if (e.persons_capped) cells.back()["persons_capped"] = true;
  }
  return Json{{"statistic", dc::StatisticName(t.statistic)},
              {"measure", t.measure},
              {"dimensions", std::move(dims)},
              {"filters", std::move(filters)},
              {"cells", std::move(cells)}};
}

Result<std::vector<std::string>> Strings(const Json& j, std::string_view what) {
  if (!j.is_array()) return InvalidArgument(fmt::format("{} must be a list", what));
  std::vector<std::string> out;
  for (const Json& s : j) {
    if (!s.is_string()) return InvalidArgument(fmt::format("{} must hold strings", what));
    out.push_back(s.get<std::string>());
  }
  return out;
}

Result<dc::Table> TableFromJson(const Json& j) {
  if (!j.is_object()) return InvalidArgument("table must be an object");
  Reader r(j, "table");
  dc::Table t;
  SZ_ASSIGN_OR_RETURN(std::string statistic, r.Get<std::string>("statistic"));
  SZ_ASSIGN_OR_RETURN(t.statistic, ByName(kStatistics, dc::StatisticName, statistic, "statistic"));
  SZ_ASSIGN_OR_RETURN(t.measure, r.Get<std::string>("measure"));
  SZ_ASSIGN_OR_RETURN(const Json* dims, r.Array("dimensions"));
  for (const Json& dj : *dims) {
    Reader dr(dj, "dimension");
    dc::Dimension d;
    SZ_ASSIGN_OR_RETURN(d.name, dr.Get<std::string>("name"));
    SZ_ASSIGN_OR_RETURN(d.variable, dr.Get<std::string>("variable"));
    SZ_ASSIGN_OR_RETURN(const Json* cats, dr.Array("categories"));
    for (const Json& cj : *cats) {
      Reader cr(cj, "category");
      dc::Category c;
      SZ_ASSIGN_OR_RETURN(c.label, cr.Get<std::string>("label"));
      SZ_ASSIGN_OR_RETURN(c.parent, cr.Get<int32_t>("parent"));
      SZ_ASSIGN_OR_RETURN(const Json* codes, cr.Array("codes"));
      SZ_ASSIGN_OR_RETURN(c.codes, Strings(*codes, "codes"));
      d.categories.push_back(std::move(c));
    }
    t.dimensions.push_back(std::move(d));
  }
  SZ_ASSIGN_OR_RETURN(const Json* filters, r.Array("filters"));
  for (const Json& fj : *filters) {
    Reader fr(fj, "filter");
    dc::Filter f;
    SZ_ASSIGN_OR_RETURN(f.variable, fr.Get<std::string>("variable"));
    SZ_ASSIGN_OR_RETURN(const Json* codes, fr.Array("codes"));
    SZ_ASSIGN_OR_RETURN(f.codes, Strings(*codes, "codes"));
    t.filters.push_back(std::move(f));
  }
  SZ_ASSIGN_OR_RETURN(const Json* cells, r.Array("cells"));
  for (const Json& cj : *cells) {
    Reader cr(cj, "cell");
    dc::Cell c;
    SZ_ASSIGN_OR_RETURN(const Json* cats, cr.Array("categories"));
    for (const Json& x : *cats) {
      if (!x.is_number_integer()) return InvalidArgument("cell categories must be integers");
      c.categories.push_back(x.get<int32_t>());
    }
    SZ_ASSIGN_OR_RETURN(c.value, cr.Get<double>("value"));
    SZ_ASSIGN_OR_RETURN(c.margin, cr.Get<bool>("margin"));
    SZ_ASSIGN_OR_RETURN(c.evidence.persons, cr.Get<int64_t>("persons"));
    SZ_ASSIGN_OR_RETURN(c.evidence.sum, cr.Get<double>("sum"));
    SZ_ASSIGN_OR_RETURN(c.evidence.top1, cr.Get<double>("top1"));
    SZ_ASSIGN_OR_RETURN(c.evidence.top2, cr.Get<double>("top2"));
    SZ_ASSIGN_OR_RETURN(c.evidence.negative_contributions, cr.Get<int64_t>("negative"));
    SZ_ASSIGN_OR_RETURN(c.evidence.null_contributions, cr.Get<int64_t>("null"));
    SZ_ASSIGN_OR_RETURN(c.evidence.value_null, cr.Get<bool>("value_null"));
    if (auto capped = cj.find("persons_capped"); capped != cj.end()) {
      if (!capped->is_boolean()) return InvalidArgument("cell persons_capped must be a boolean");
      c.evidence.persons_capped = capped->get<bool>();
    }
    t.cells.push_back(std::move(c));
  }
  return t;
}

}  // namespace

Result<Json> ParseJson(std::string_view text, std::string_view what) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument(fmt::format("{} is not valid JSON", what));
  return j;
}

Json OutputToJson(const dc::Output& o) {
  Json body;
  if (const auto* t = std::get_if<dc::Table>(&o.body)) {
    body = Json{{"table", TableToJson(*t)}};
  } else if (const auto* r = std::get_if<dc::RegressionEvidence>(&o.body)) {
    body = Json{{"regression", Json{{"model", r->model},
                                    {"observations", r->observations},
                                    {"parameters", r->parameters},
                                    {"residual_df", r->residual_df}}}};
  } else {
    const auto& f = std::get<dc::FileEvidence>(o.body);
    Json file{{"name", f.name}, {"size_bytes", f.size_bytes}};
    file["rows"] = f.rows ? Json(*f.rows) : Json(nullptr);
    body = Json{{"file", std::move(file)}};
  }
  return Json{{"uid", o.uid},
              {"type", dc::OutputTypeName(o.type)},
              {"command", o.command},
              {"body", std::move(body)},
              {"exception_request", o.exception_request},
              {"exception_granted", o.exception_granted},
              {"comments", o.comments}};
}

Result<dc::Output> OutputFromJson(const Json& j) {
  if (!j.is_object()) return InvalidArgument("output must be an object");
  Reader r(j, "output");
  dc::Output o;
  SZ_ASSIGN_OR_RETURN(o.uid, r.Get<std::string>("uid"));
  SZ_ASSIGN_OR_RETURN(std::string type, r.Get<std::string>("type"));
  SZ_ASSIGN_OR_RETURN(o.type, ByName(kOutputTypes, dc::OutputTypeName, type, "output type"));
  SZ_ASSIGN_OR_RETURN(o.command, r.Get<std::string>("command"));
  SZ_ASSIGN_OR_RETURN(o.exception_request, r.Get<std::string>("exception_request"));
  SZ_ASSIGN_OR_RETURN(o.exception_granted, r.Get<bool>("exception_granted"));
  SZ_ASSIGN_OR_RETURN(const Json* comments, r.Array("comments"));
  SZ_ASSIGN_OR_RETURN(o.comments, Strings(*comments, "comments"));
  auto body = j.find("body");
  if (body == j.end() || !body->is_object()) return InvalidArgument("output: missing 'body'");
  if (body->contains("table")) {
    SZ_ASSIGN_OR_RETURN(o.body, TableFromJson((*body)["table"]));
  } else if (body->contains("regression")) {
    Reader rr((*body)["regression"], "regression");
    dc::RegressionEvidence e;
    SZ_ASSIGN_OR_RETURN(e.model, rr.Get<std::string>("model"));
    SZ_ASSIGN_OR_RETURN(e.observations, rr.Get<int64_t>("observations"));
    SZ_ASSIGN_OR_RETURN(e.parameters, rr.Get<int64_t>("parameters"));
    SZ_ASSIGN_OR_RETURN(e.residual_df, rr.Get<int64_t>("residual_df"));
    o.body = e;
  } else if (body->contains("file")) {
    const Json& fj = (*body)["file"];
    Reader fr(fj, "file");
    dc::FileEvidence f;
    SZ_ASSIGN_OR_RETURN(f.name, fr.Get<std::string>("name"));
    SZ_ASSIGN_OR_RETURN(f.size_bytes, fr.Get<uint64_t>("size_bytes"));
    if (fj.contains("rows") && !fj["rows"].is_null()) {
      SZ_ASSIGN_OR_RETURN(f.rows, fr.Get<int64_t>("rows"));
    }
    o.body = f;
  } else {
    return InvalidArgument("output body is neither a table, a regression nor a file");
  }
  return o;
}

Json ReportToJson(const dc::CheckReport& report) {
  Json cells = Json::array();
  for (const dc::CellCheck& c : report.cells) {
    Json findings = Json::array();
    for (const dc::Finding& f : c.findings) findings.push_back(FindingToJson(f));
    cells.push_back(
        Json{{"verdict", dc::VerdictName(c.verdict)}, {"findings", std::move(findings)}});
  }
  Json findings = Json::array();
  for (const dc::Finding& f : report.findings) findings.push_back(FindingToJson(f));
  return Json{{"verdict", dc::VerdictName(report.verdict)},
              {"summary", report.summary},
              {"cells", std::move(cells)},
              {"findings", std::move(findings)}};
}

Result<dc::CheckReport> ReportFromJson(const Json& j) {
  if (!j.is_object()) return InvalidArgument("report must be an object");
  Reader r(j, "report");
  dc::CheckReport report;
  SZ_ASSIGN_OR_RETURN(std::string verdict, r.Get<std::string>("verdict"));
  SZ_ASSIGN_OR_RETURN(report.verdict, ByName(kVerdicts, dc::VerdictName, verdict, "verdict"));
  SZ_ASSIGN_OR_RETURN(report.summary, r.Get<std::string>("summary"));
  SZ_ASSIGN_OR_RETURN(const Json* cells, r.Array("cells"));
  for (const Json& cj : *cells) {
    Reader cr(cj, "cell check");
    dc::CellCheck c;
    SZ_ASSIGN_OR_RETURN(std::string v, cr.Get<std::string>("verdict"));
    SZ_ASSIGN_OR_RETURN(c.verdict, ByName(kVerdicts, dc::VerdictName, v, "verdict"));
    SZ_ASSIGN_OR_RETURN(const Json* findings, cr.Array("findings"));
    for (const Json& fj : *findings) {
      SZ_ASSIGN_OR_RETURN(dc::Finding f, FindingFromJson(fj));
      c.findings.push_back(std::move(f));
    }
    report.cells.push_back(std::move(c));
  }
  SZ_ASSIGN_OR_RETURN(const Json* findings, r.Array("findings"));
  for (const Json& fj : *findings) {
    SZ_ASSIGN_OR_RETURN(dc::Finding f, FindingFromJson(fj));
    report.findings.push_back(std::move(f));
  }
  return report;
}

Json CellStatusToJson(const std::vector<dc::CellStatus>& status) {
  std::string s;
  for (dc::CellStatus c : status)
    s += c == dc::CellStatus::kPublished ? '.' : c == dc::CellStatus::kPrimary ? 'P' : 'S';
  return Json{{"status", s}};
}

Result<std::vector<dc::CellStatus>> CellStatusFromJson(const Json& j) {
  Reader r(j, "suppression");
  SZ_ASSIGN_OR_RETURN(std::string s, r.Get<std::string>("status"));
  std::vector<dc::CellStatus> out;
  for (char c : s) {
    if (c == '.')
      out.push_back(dc::CellStatus::kPublished);
    else if (c == 'P')
      out.push_back(dc::CellStatus::kPrimary);
    else if (c == 'S')
      out.push_back(dc::CellStatus::kSecondary);
    else
      return InvalidArgument("suppression status holds an unknown mark");
  }
  return out;
}

Json RoundedToJson(const dc::RoundedTable& rounded) {
  Json values = Json::array();
  for (const auto& v : rounded.values) values.push_back(v ? Json(*v) : Json(nullptr));
  return Json{{"base", rounded.base}, {"values", std::move(values)}};
}

Result<dc::RoundedTable> RoundedFromJson(const Json& j) {
  Reader r(j, "rounding");
  dc::RoundedTable t;
  SZ_ASSIGN_OR_RETURN(t.base, r.Get<int64_t>("base"));
  SZ_ASSIGN_OR_RETURN(const Json* values, r.Array("values"));
  for (const Json& v : *values) {
    if (v.is_null())
      t.values.push_back(std::nullopt);
    else if (v.is_number())
      t.values.push_back(v.get<double>());
    else
      return InvalidArgument("rounded values must be numbers or null");
  }
  return t;
}

}  // namespace sz::zone
