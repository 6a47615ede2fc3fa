#include "zone/anonymize.h"

#include <set>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "privacy/duck_loader.h"
#include "privacy/search.h"
#include "storage/duck.h"
#include "zone/catalog.h"
#include "zone/dataset_files.h"
#include "zone/hierarchies.h"
#include "zone/pseudo_jobs_internal.h"

namespace sz::zone {

namespace {

using Json = nlohmann::json;

const ColumnInfo* FindColumn(const VersionInfo& v, std::string_view name) {
  for (const auto& c : v.columns)
    if (c.name == name) return &c;
  return nullptr;
}

Status CheckRequest(const SearchRequest& r, const VersionInfo& v) {
  if (r.quasi_identifiers.empty()) return InvalidArgument("name at least one quasi-identifier (--qi COLUMN=HIERARCHY)");
  std::set<std::string> seen;
  for (const auto& q : r.quasi_identifiers) {
    if (!FindColumn(v, q.column)) return InvalidArgument(fmt::format("there is no column '{}'", q.column));
    if (!seen.insert(q.column).second) return InvalidArgument(fmt::format("quasi-identifier '{}' is named twice", q.column));
    if (q.hierarchy.empty()) return InvalidArgument(fmt::format("quasi-identifier '{}' needs a hierarchy", q.column));
  }
  if (r.k < 1) return InvalidArgument("k must be at least 1");
  if (r.k > v.row_count) {
    return InvalidArgument(fmt::format("k = {} is larger than the {} rows; no generalization can be {}-anonymous", r.k,
                                       v.row_count, r.k));
  }
  if (!(r.suppression >= 0 && r.suppression <= 1)) return InvalidArgument("the suppression limit is a share in [0, 1]");
  if ((r.l > 0 || r.t > 0) && r.sensitive.empty()) {
    return InvalidArgument("l-diversity and t-closeness need the sensitive column (--sensitive)");
  }
  if (!r.sensitive.empty()) {
    if (!FindColumn(v, r.sensitive)) return InvalidArgument(fmt::format("there is no column '{}'", r.sensitive));
    if (seen.count(r.sensitive)) {
      return InvalidArgument(fmt::format("'{}' is a quasi-identifier; the sensitive column must be another", r.sensitive));
    }
  }
  if (r.l < 0 || r.t < 0 || r.t > 1) return InvalidArgument("l must be >= 0 and t in [0, 1]");
  return OkStatus();
}

// Distinct present values of a column (NULL and '' are the missing value, which the
// privacy engine adds to every hierarchy itself).
Result<std::vector<std::string>> DistinctValues(duck::Connection& conn, std::string_view relation,
                                                std::string_view column) {
  std::string q = duck::QuoteIdent(column);
  SZ_ASSIGN_OR_RETURN(auto result, conn.Query(fmt::format(
      "SELECT DISTINCT CAST({0} AS VARCHAR) FROM {1} WHERE {0} IS NOT NULL AND CAST({0} AS VARCHAR) <> ''", q,
      relation)));
  SZ_ASSIGN_OR_RETURN(auto rows, result.Rows());
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(duck::ValueToString(row[0]));
  return out;
}

Status UncoveredError(const privacy::Hierarchy& h, std::span<const std::string> values, const QiHierarchy& q,
                      bool show) {
  std::vector<std::string> missing = h.Uncovered(values);
  if (missing.empty()) return OkStatus();
  std::string examples;
  for (size_t i = 0; show && i < missing.size() && i < 10; ++i) {
    examples += (i ? "', '" : ", e.g. '") + (missing[i].size() > 40 ? missing[i].substr(0, 40) + "..." : missing[i]);
  }
  if (!examples.empty()) examples += "'";
  return InvalidArgument(fmt::format(
      "column '{}': {} value(s) are not in hierarchy '{}'{}; extend the hierarchy and upload it under a new name",
      q.column, missing.size(), q.hierarchy, examples));
}

Result<privacy::Hierarchy> HierarchyFor(Zone& zone, duck::Connection& conn, std::string_view relation,
                                        const QiHierarchy& q, const ColumnInfo& column) {
  SZ_ASSIGN_OR_RETURN(auto values, DistinctValues(conn, relation, q.column));
  const bool show = column.role != "direct_identifier";
  if (q.hierarchy == kAdminHierarchy) return AdminRegionHierarchy(values, show);
  if (!ValidateName("hierarchy", q.hierarchy).ok()) {
    return InvalidArgument(fmt::format(
        "column '{}': '{}' is not a hierarchy name; upload the CSV first, then name it (or 'admin')", q.column,
        q.hierarchy.substr(0, 60)));
  }
  SZ_ASSIGN_OR_RETURN(std::string text, ReadHierarchyText(zone, q.hierarchy));
  SZ_ASSIGN_OR_RETURN(privacy::Hierarchy h, privacy::Hierarchy::ParseArxCsv(text));
  SZ_RETURN_IF_ERROR(UncoveredError(h, values, q, show));
  return h;
}

pseudo::ColumnRule RuleFor(const SearchLevel& s, const privacy::Hierarchy& h) {
  pseudo::ColumnRule rule;
  rule.column = s.column;
  if (s.level == 0) {
    rule.params = pseudo::KeepRule{};
    return rule;
  }
  pseudo::GeneralizeRule g;
  if (s.hierarchy == kAdminHierarchy) {
    if (s.level >= 3) {
      rule.params = pseudo::DeleteRule{};  // every value '*': the column says nothing
      return rule;
    }
    g.method = pseudo::GeneralizeMethod::kAdminRegion;
    g.region_level = s.level == 1 ? pseudo::RegionLevel::kSigungu : pseudo::RegionLevel::kSido;
  } else {
    g.method = pseudo::GeneralizeMethod::kHierarchy;
    g.hierarchy_file = s.hierarchy;
    g.level = s.level;
    g.hierarchy = std::make_shared<const privacy::Hierarchy>(h);
  }
  rule.params = std::move(g);
  return rule;
}

std::string RulesYaml(const std::vector<pseudo::ColumnRule>& rules, int64_t suppressed) {
  pseudo::Policy p;
  p.columns = rules;
  Json j = Json::parse(pseudo::PolicyToJson(p));
  std::string y;
  if (suppressed > 0) {
    y += fmt::format(
        "# The search suppressed {} record(s) in classes that violate the models; a policy cannot name\n"
        "# classes, so a run with these rules reports them in its k verdict.\n",
        suppressed);
  }
  for (const auto& rule : j["columns"]) {
    y += "  - " + internal::RuleYaml(rule.dump(-1, ' ', false, Json::error_handler_t::replace)) + "\n";
  }
  return y;
}

}  // namespace

Result<SearchOutcome> SearchAnonymization(Zone& zone, const Caller& caller, const SearchRequest& request) {
  Catalog catalog(zone);
  SZ_ASSIGN_OR_RETURN(DatasetInfo d, catalog.Get(request.dataset));
  SZ_ASSIGN_OR_RETURN(VersionInfo v, catalog.Version(request.dataset, request.version));
  std::string qis;
  for (const auto& q : request.quasi_identifiers) qis += (qis.empty() ? "" : ",") + q.column + "=" + q.hierarchy;
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, authz::Action::kPseudonymizeConfigure,
                               DatasetObject(d.id, d.provider, d.tier),
                               authz::AuditDetails::Note(fmt::format(
                                   "optimal search on version {}: k={} l={} t={} suppression={} qi {}", v.version,
                                   request.k, request.l, request.t, request.suppression, qis.substr(0, 400)))));
  SZ_RETURN_IF_ERROR(CheckRequest(request, v));

  SZ_ASSIGN_OR_RETURN(storage::MemFile data, OpenVersion(zone, d.name, v));
  duck::Options options;
  options.threads = request.threads;
  SZ_ASSIGN_OR_RETURN(duck::Database db, duck::Database::Open(options));
  SZ_ASSIGN_OR_RETURN(duck::Connection conn, duck::Connection::Open(db));
  std::string relation = fmt::format("read_parquet({})", duck::QuoteLiteral(data.path()));

  privacy::LoadSpec spec;
  for (const auto& q : request.quasi_identifiers) {
    SZ_ASSIGN_OR_RETURN(privacy::Hierarchy h, HierarchyFor(zone, conn, relation, q, *FindColumn(v, q.column)));
    spec.quasi_identifiers.push_back({q.column, std::move(h)});
  }
  if (!request.sensitive.empty()) {
    spec.sensitive = request.sensitive;
    if (request.t_ordered) spec.sensitive_order = privacy::ValueOrder::kNumeric;
  }
  SZ_ASSIGN_OR_RETURN(privacy::Dataset dataset,
                      privacy::LoadDatasetFromQuery(conn, fmt::format("SELECT * FROM {}", relation), spec));

  privacy::Criteria criteria;
  criteria.models.push_back(privacy::PrivacyModel::KAnonymity(request.k));
  if (request.l > 0) criteria.models.push_back(privacy::PrivacyModel::DistinctLDiversity(static_cast<int>(request.l)));
  if (request.t > 0) {
    criteria.models.push_back(request.t_ordered ? privacy::PrivacyModel::OrderedDistanceTCloseness(request.t)
                                                : privacy::PrivacyModel::EqualDistanceTCloseness(request.t));
  }
  criteria.suppression_limit = request.suppression;
  SZ_RETURN_IF_ERROR(criteria.Validate(dataset));
  privacy::SearchOptions so;
  so.metric = request.metric;
  so.threads = request.threads;
  SZ_ASSIGN_OR_RETURN(privacy::SearchResult found, privacy::Search(dataset, criteria, so));

  SearchOutcome out;
  out.dataset = d.name;
  out.version = v.version;
  out.rows = dataset.rows();
  for (size_t i = 0; i < request.quasi_identifiers.size(); ++i) {
    const auto& q = request.quasi_identifiers[i];
    SearchLevel s{q.column, q.hierarchy, found.levels[i], dataset.qi(static_cast<int>(i)).levels()};
    out.rules.push_back(RuleFor(s, dataset.qi(static_cast<int>(i)).hierarchy()));
    out.levels.push_back(std::move(s));
  }
  out.value = found.value;
  out.utility = found.utility;
  out.models = found.models;
  out.classes = found.classes;
  out.suppressed_records = found.suppressed_records;
  out.optimal = found.optimal;
  out.nodes_checked = found.nodes_checked;
  out.nodes_tagged = found.nodes_tagged;
  out.lattice_nodes = found.lattice_nodes;
  out.seconds = found.seconds;
  out.rules_yaml = RulesYaml(out.rules, out.suppressed_records);
  return out;
}

}  // namespace sz::zone
