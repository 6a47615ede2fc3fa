// Pseudonymization use cases: suggest, validate and run (jobs and sign-off are in
// pseudo_jobs.cc).
#include "zone/pseudonymize.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "common/clock.h"
#include "detect/column_hints.h"
#include "detect/role.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "pseudo/apply.h"
#include "pseudo/suggest.h"
#include "storage/duck.h"
#include "storage/memfile.h"
#include "zone/catalog.h"
#include "zone/dataset_files.h"
#include "zone/hierarchies.h"
#include "zone/keyring.h"
#include "zone/pseudo_jobs_internal.h"
#include "zone/pseudo_metrics.h"
#include "zone/version_store.h"

namespace sz::zone {

namespace {

using Steady = std::chrono::steady_clock;
using Json = nlohmann::json;

double SecondsSince(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

struct Source {
  DatasetInfo dataset;
  VersionInfo version;
};

// `version` 0: the newest version that is not itself pseudonymized, so that running a
// policy twice reads the provider's data both times, not the first run's output.
Result<Source> LoadSource(Zone& zone, std::string_view name, int version) {
  Catalog catalog(zone);
  Source s;
  SZ_ASSIGN_OR_RETURN(s.dataset, catalog.Get(name));
  if (version > 0) {
    SZ_ASSIGN_OR_RETURN(s.version, catalog.Version(name, version));
    return s;
  }
  SZ_ASSIGN_OR_RETURN(auto versions, catalog.Versions(name));
  const VersionInfo* pick = nullptr;
  for (const auto& v : versions) {
    if (v.tier != "pseudonymized" && (!pick || v.version > pick->version)) pick = &v;
  }
  if (!pick) {
    return FailedPrecondition(fmt::format(
        "dataset '{}' has only pseudonymized versions; name the version to start from (--version N)", name));
  }
  s.version = *pick;
  return s;
}

Status RequireConfirmedRoles(const Source& s) {
  for (const auto& c : s.version.columns) {
    if (!c.confirmed) {
      return FailedPrecondition(fmt::format(
          "the column roles of dataset '{}' version {} are not confirmed (e.g. '{}'); confirm them first: "
          "safezone dataset roles {} --version {} --confirm",
          s.dataset.name, s.version.version, c.name, s.dataset.name, s.version.version));
    }
  }
  return OkStatus();
}

authz::Object ObjectOf(const Source& s) { return DatasetObject(s.dataset.id, s.dataset.provider, s.dataset.tier); }

struct ParsedPolicy {
  pseudo::Policy policy;
  Thresholds thresholds;
};

// Hierarchies by zone name only; the `thresholds:` section read here.
Result<ParsedPolicy> ParseZonePolicy(Zone& zone, std::string_view text) {
  ParsedPolicy out;
  pseudo::ParseOptions options;
  options.read_hierarchy_file = [&zone](std::string_view name) -> Result<std::string> {
    if (!ValidateName("hierarchy", name).ok()) {
      return InvalidArgument(
          "'hierarchy_file' names a hierarchy uploaded into the zone ([a-z][a-z0-9_]*), not a path");
    }
    return ReadHierarchyText(zone, name);
  };
  options.sections = {"thresholds"};
  options.read_section = [&out](std::string_view, std::string_view json) -> Status {
    SZ_ASSIGN_OR_RETURN(out.thresholds, ParseThresholds(json));
    return OkStatus();
  };
  SZ_ASSIGN_OR_RETURN(out.policy, pseudo::ParsePolicy(text, options));
  return out;
}

const ColumnInfo* FindColumn(const std::vector<ColumnInfo>& columns, std::string_view name) {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

// Whether the policy removes `column` (rule delete, or unlisted: delete).
bool Deletes(const pseudo::Policy& policy, std::string_view column) {
  const pseudo::ColumnRule* rule = policy.Find(column);
  if (rule) return std::holds_alternative<pseudo::DeleteRule>(rule->params);
  for (const auto& g : policy.microaggregation)
    for (const auto& c : g.columns)
      if (c == column) return false;
  return policy.unlisted == pseudo::Unlisted::kDelete;
}

Status CheckThresholds(const Thresholds& t, const pseudo::Policy& policy, const Source& s) {
  const auto& cols = s.version.columns;
  for (const auto& q : t.quasi_identifiers) {
    if (!FindColumn(cols, q)) {
      return InvalidArgument(fmt::format("thresholds: quasi-identifier '{}' is not a column of dataset '{}'", q,
                                         s.dataset.name));
    }
  }
  if (!t.sensitive.empty()) {
    const ColumnInfo* c = FindColumn(cols, t.sensitive);
    if (!c) {
      return InvalidArgument(fmt::format("thresholds: sensitive column '{}' is not a column of dataset '{}'",
                                         t.sensitive, s.dataset.name));
    }
    bool listed_qi = std::find(t.quasi_identifiers.begin(), t.quasi_identifiers.end(), t.sensitive) !=
                     t.quasi_identifiers.end();
    if (listed_qi || (t.quasi_identifiers.empty() && c->role == "quasi_identifier")) {
      return InvalidArgument(fmt::format(
          "thresholds: '{}' is a quasi-identifier; the sensitive column must be another column", t.sensitive));
    }
    if (Deletes(policy, t.sensitive)) {
      return InvalidArgument(fmt::format(
          "thresholds: the policy deletes the sensitive column '{}'; keep it or drop 'sensitive'", t.sensitive));
    }
  }
  if (t.k > s.version.row_count) {
    return InvalidArgument(fmt::format(
        "thresholds: k = {} is larger than the {} rows of dataset '{}' version {}; no release of it can be "
        "{}-anonymous",
        t.k, s.version.row_count, s.dataset.name, s.version.version, t.k));
  }
  return OkStatus();
}

pseudo::Schema SchemaOf(const VersionInfo& v) {
  pseudo::Schema schema;
  for (const auto& c : v.columns) schema.push_back({c.name, c.type});
  return schema;
}

// The role a column has after its rule ran. A direct identifier turned into a pseudonym
// or token is a linkage key (other); masked or generalized it still says something about
// the person (a masked RRN keeps birth date and sex) and becomes a quasi-identifier.
std::string RoleAfter(std::string_view role_before, std::string_view rule) {
  if (role_before != "direct_identifier" || rule == "keep") return std::string(role_before);
  if (rule == "pseudonym" || rule.starts_with("token/")) return "other";
  return "quasi_identifier";
}

std::string QuoteCsv(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// ---- suggest ----

std::string TodayIn(const Zone& zone) { return FormatDate(SeoulDate(zone.clock().Now())); }

pseudo::ColumnRoleInfo RoleInfo(const ColumnInfo& c) {
  pseudo::ColumnRoleInfo info;
  info.name = c.name;
  info.type = c.type;
  auto role = detect::ParseRole(c.role);
  info.role = role.ok() ? *role : detect::Role::kOther;
  if (!c.pattern.empty()) {
    auto pattern = detect::ParsePattern(c.pattern);
    if (pattern.ok()) info.pattern = *pattern;
  }
  info.hint = detect::HintFromColumnName(c.name).kind;
  return info;
}

// The policy as YAML an officer edits: one flow mapping per rule (JSON is valid YAML
// flow syntax), then the thresholds.
std::string PolicyYaml(const pseudo::Policy& policy, const Thresholds& thresholds, std::string_view header) {
  Json j = Json::parse(pseudo::PolicyToJson(policy));
  auto dump = [](const Json& x) { return x.dump(-1, ' ', false, Json::error_handler_t::replace); };
  std::string y(header);
  y += fmt::format("version: {}\n", dump(j["version"]));
  if (j.contains("name")) y += fmt::format("name: {}\n", dump(j["name"]));
  y += fmt::format("unlisted: {}\n", dump(j["unlisted"]));
  y += "columns:\n";
  for (const auto& rule : j["columns"]) y += "  - " + internal::RuleYaml(dump(rule)) + "\n";
  for (const char* section : {"suppress_records", "microaggregation"}) {
    if (!j.contains(section)) continue;
    y += fmt::format("{}:\n", section);
    for (const auto& item : j[section]) y += "  - " + dump(item) + "\n";
  }
  y += "# What the run must meet (zone defaults; edit to override for this run):\n";
  y += "thresholds: " + ThresholdsToJson(thresholds) + "\n";
  return y;
}

}  // namespace

Result<SuggestedPolicy> SuggestPseudonymizationPolicy(Zone& zone, const Caller& caller, const SuggestRequest& request) {
  SZ_ASSIGN_OR_RETURN(Source s, LoadSource(zone, request.dataset, request.version));
  if (!request.project.empty()) SZ_RETURN_IF_ERROR(ValidateName("project", request.project));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, authz::Action::kPseudonymizeConfigure, ObjectOf(s),
                               authz::AuditDetails::Note(fmt::format("suggest a policy for version {}", s.version.version))));
  SZ_RETURN_IF_ERROR(RequireConfirmedRoles(s));
  std::vector<pseudo::ColumnRoleInfo> roles;
  for (const auto& c : s.version.columns) roles.push_back(RoleInfo(c));
  pseudo::SuggestOptions options;
  options.pseudonym_key.scope = request.project.empty() ? pseudo::KeyScope::kDataset : pseudo::KeyScope::kProject;
  options.reversible_rrn = request.reversible_rrn;
  options.as_of = request.as_of.empty() ? TodayIn(zone) : request.as_of;
  SuggestedPolicy out;
  out.policy = pseudo::SuggestPolicy(roles, options);
  out.policy.name = fmt::format("{} v{} (suggested)", s.dataset.name, s.version.version);
  for (const auto& c : s.version.columns) {
    if (c.role == "sensitive") {
      out.thresholds.sensitive = c.name;
      break;
    }
  }
  std::string header = fmt::format(
      "# Suggested pseudonymization policy for dataset {} version {} ({} rows), from its confirmed column roles.\n"
      "# Review every rule, then: safezone pseudo run {} --policy FILE{}\n",
      s.dataset.name, s.version.version, s.version.row_count, s.dataset.name,
      request.project.empty() ? "" : " --project " + request.project);
  out.text = PolicyYaml(out.policy, out.thresholds, header);
  return out;
}

Result<ValidatedPolicy> ValidatePseudonymizationPolicy(Zone& zone, const Caller& caller, std::string_view dataset,
                                                       int version, std::string_view policy_text) {
  SZ_ASSIGN_OR_RETURN(Source s, LoadSource(zone, dataset, version));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, authz::Action::kPseudonymizeConfigure, ObjectOf(s),
                               authz::AuditDetails::Note(fmt::format("validate a policy for version {}", s.version.version))));
  SZ_ASSIGN_OR_RETURN(ParsedPolicy parsed, ParseZonePolicy(zone, policy_text));
  SZ_RETURN_IF_ERROR(pseudo::ValidatePolicy(parsed.policy, SchemaOf(s.version)));
  SZ_RETURN_IF_ERROR(CheckThresholds(parsed.thresholds, parsed.policy, s));
  return ValidatedPolicy{std::move(parsed.policy), std::move(parsed.thresholds), s.version.version};
}

// ---- run ----

namespace {

class Runner {
 public:
  Runner(Zone& zone, const Caller& caller, const RunRequest& request, const RunHooks& hooks)
      : zone_(zone), caller_(caller), req_(request), hooks_(hooks), files_(zone.env()), start_(Steady::now()) {}

  Result<RunResult> Run();
  void RecordFailure(const Status& failure);

 private:
  Status Prepare();
  Status CheckCancelled() const;
  void Report(std::string_view stage, double fraction);
  Status OpenData();
  Status Transform();
  Status WatchedApply();
  Status DescribeOutput();
  Status Assess();
  void BuildReport();
  Status Store();

  Zone& zone_;
  const Caller& caller_;
  const RunRequest& req_;
  const RunHooks& hooks_;
  FileGuard files_;
  Steady::time_point start_;
  std::optional<Access> access_;
  std::unique_ptr<ZoneKeyring> keyring_;

  Source source_;
  ParsedPolicy parsed_;
  duck::Database db_;
  duck::Connection conn_;  // declared after db_: closed first
  storage::MemFile input_, output_;
  std::string input_rel_, output_rel_;
  pseudo::TransformReport transform_;
  std::vector<ColumnInfo> out_columns_;
  std::vector<std::string> qi_before_, qi_after_;
  RelationMeasure before_, after_;
  int64_t di_before_ = 0, di_kept_ = 0;
  SealedTmp sealed_;
  RunResult result_;
};

Status Runner::CheckCancelled() const {
  if (hooks_.cancel && hooks_.cancel->load()) return Cancelled("pseudonymization interrupted; nothing was stored");
  return OkStatus();
}

void Runner::Report(std::string_view stage, double fraction) {
  if (hooks_.progress) hooks_.progress(RunProgress{stage, fraction, SecondsSince(start_)});
}

Status Runner::Prepare() {
  SZ_ASSIGN_OR_RETURN(source_, LoadSource(zone_, req_.dataset, req_.version));
  if (!req_.project.empty()) SZ_RETURN_IF_ERROR(ValidateName("project", req_.project));
  SZ_ASSIGN_OR_RETURN(Access access, Access::Check(zone_, caller_, authz::Action::kPseudonymizeRun, ObjectOf(source_)));
  access_.emplace(std::move(access));
  SZ_RETURN_IF_ERROR(RequireConfirmedRoles(source_));
  SZ_ASSIGN_OR_RETURN(parsed_, ParseZonePolicy(zone_, req_.policy_text));
  SZ_RETURN_IF_ERROR(CheckThresholds(parsed_.thresholds, parsed_.policy, source_));
  keyring_ = std::make_unique<ZoneKeyring>(
      zone_, caller_, KeyringBinding{source_.dataset.name, req_.project, ""},
      fmt::format("pseudonymize.run of {} v{}", source_.dataset.name, source_.version.version));
  return OkStatus();
}

Status Runner::OpenData() {
  Report("reading", -1);
  auto t = Steady::now();
  SZ_ASSIGN_OR_RETURN(input_, OpenVersion(zone_, source_.dataset.name, source_.version));
  duck::Options options;
  options.threads = req_.threads;
  SZ_ASSIGN_OR_RETURN(db_, duck::Database::Open(options));
  SZ_ASSIGN_OR_RETURN(conn_, duck::Connection::Open(db_));
  input_rel_ = fmt::format("read_parquet({})", duck::QuoteLiteral(input_.path()));
  SZ_ASSIGN_OR_RETURN(pseudo::Schema schema, pseudo::DescribeRelation(conn_, input_rel_));
  // The catalogued schema is what the officer saw; the file must agree with it.
  pseudo::Schema catalogued = SchemaOf(source_.version);
  bool same = schema.size() == catalogued.size();
  for (size_t i = 0; same && i < schema.size(); ++i) same = schema[i].name == catalogued[i].name;
  if (!same) {
    return DataLoss(fmt::format("dataset '{}' version {}: the stored file's columns differ from the catalog's",
                                source_.dataset.name, source_.version.version));
  }
  SZ_RETURN_IF_ERROR(pseudo::ValidatePolicy(parsed_.policy, schema));
  result_.stats.read_seconds = SecondsSince(t);
  return CheckCancelled();
}

// Runs Apply while a watcher reports DuckDB's progress and turns a cancel request into
// an interrupt of the running query.
Status Runner::WatchedApply() {
  auto report = [&] {
    duck::QueryWatcher watcher(conn_, hooks_.cancel, [&](double f) { Report("transforming", f); });
    return pseudo::Apply(conn_, input_rel_, parsed_.policy, *keyring_, output_);
  }();
  if (!report.ok()) {
    if (report.status().code() == Code::kCancelled) {
      SZ_RETURN_IF_ERROR(CheckCancelled());
    }
    return report.status();
  }
  transform_ = std::move(*report);
  return OkStatus();
}

Status Runner::Transform() {
  Report("transforming", 0);
  auto t = Steady::now();
  SZ_ASSIGN_OR_RETURN(output_, storage::MemFile::Create("pseudonymized"));
  SZ_RETURN_IF_ERROR(WatchedApply());
  output_rel_ = fmt::format("read_parquet({})", duck::QuoteLiteral(output_.path()));
  result_.stats.transform_seconds = SecondsSince(t);
  SZ_RETURN_IF_ERROR(CheckCancelled());
  return DescribeOutput();
}

// The output's catalog columns: types from the file, roles from the source's and the
// rule each column went through.
Status Runner::DescribeOutput() {
  SZ_ASSIGN_OR_RETURN(pseudo::Schema schema, pseudo::DescribeRelation(conn_, output_rel_));
  std::map<std::string, const pseudo::ColumnReport*> reports;
  for (const auto& c : transform_.columns) reports[c.column] = &c;
  for (const auto& c : source_.version.columns) {
    if (c.role != "direct_identifier") continue;
    ++di_before_;
    auto it = reports.find(c.name);
    if (it != reports.end() && it->second->rule == "keep") ++di_kept_;
  }
  for (const auto& col : schema) {
    const ColumnInfo* src = FindColumn(source_.version.columns, col.name);
    auto it = reports.find(col.name);
    std::string rule = it == reports.end() ? "keep" : it->second->rule;
    ColumnInfo c;
    c.position = static_cast<int>(out_columns_.size());
    c.name = col.name;
    c.type = col.type;
    c.role = c.proposed_role = RoleAfter(src ? src->role : "other", rule);
    std::string detail = it == reports.end() || it->second->detail.empty() ? "" : ": " + it->second->detail;
    c.evidence = fmt::format("{}{} (from version {})", rule, detail, source_.version.version);
    if (c.evidence.size() > 300) c.evidence = c.evidence.substr(0, 297) + "...";
    c.confirmed = true;  // decided by the officer's policy
    out_columns_.push_back(std::move(c));
  }
  return OkStatus();
}

Status Runner::Assess() {
  Report("assessing", -1);
  auto t = Steady::now();
  const Thresholds& th = parsed_.thresholds;
  if (!th.quasi_identifiers.empty()) {
    qi_before_ = th.quasi_identifiers;
    for (const auto& q : th.quasi_identifiers)
      if (FindColumn(out_columns_, q)) qi_after_.push_back(q);
  } else {
    for (const auto& c : source_.version.columns)
      if (c.role == "quasi_identifier") qi_before_.push_back(c.name);
    for (const auto& c : out_columns_)
      if (c.role == "quasi_identifier") qi_after_.push_back(c.name);
  }
  SZ_ASSIGN_OR_RETURN(before_, MeasureRelation(conn_, input_rel_, qi_before_, th.sensitive, th.risk_threshold));
  SZ_RETURN_IF_ERROR(CheckCancelled());
  SZ_ASSIGN_OR_RETURN(after_, MeasureRelation(conn_, output_rel_, qi_after_, th.sensitive, th.risk_threshold));
  result_.stats.assess_seconds = SecondsSince(t);
  return CheckCancelled();
}

template <typename T>
std::optional<double> AsDouble(const std::optional<T>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

void Runner::BuildReport() {
  pseudo::AdequacyReport& r = result_.report;
  r.policy_name = parsed_.policy.name;
  r.policy_summary = req_.summary;
  pseudo::AddTransform(r, transform_);
  r.risk = {
      {"k", AsDouble(before_.k), AsDouble(after_.k)},
      {"prosecutor_max", before_.prosecutor_max, after_.prosecutor_max},
      {"prosecutor_avg", before_.prosecutor_avg, after_.prosecutor_avg},
      {"records_above_threshold", before_.records_above_threshold, after_.records_above_threshold},
      {"sample_uniques", before_.sample_uniques, after_.sample_uniques},
      {"direct_identifiers_kept", static_cast<double>(di_before_), static_cast<double>(di_kept_)},
  };
  if (!parsed_.thresholds.sensitive.empty()) {
    r.risk.push_back({"l_distinct", AsDouble(before_.l_distinct), AsDouble(after_.l_distinct)});
  }
  r.utility = {
      {"average_class_size", before_.average_class_size, after_.average_class_size},
      {"discernibility", before_.discernibility, after_.discernibility},
  };
  std::map<std::string, int64_t> after_distinct(after_.distinct.begin(), after_.distinct.end());
  for (const auto& [qi, n] : before_.distinct) {
    auto it = after_distinct.find(qi);
    r.utility.push_back({"distinct_values:" + qi, static_cast<double>(n),
                         it == after_distinct.end() ? std::nullopt : std::optional<double>(it->second)});
  }
  r.thresholds = ThresholdList(parsed_.thresholds);
  r.input_version_hash = source_.version.content_sha256;
  r.output_version_hash = sealed_.info.plain_sha256;
  r.run_by = caller_.Label();
  r.run_at = FormatUtc(zone_.clock().Now());
  r.warnings.push_back(fmt::format("quasi-identifiers measured: before [{}], after [{}]", QuoteCsv(qi_before_),
                                   QuoteCsv(qi_after_)));
  std::vector<std::string> keys = keyring_->KeysUsed();
  if (!keys.empty()) r.warnings.push_back("keys used (zone keyring): " + QuoteCsv(keys));
}

Status Runner::Store() {
  SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone_.db()));
  SZ_ASSIGN_OR_RETURN(int64_t job_id, internal::NextJobId(zone_));
  NewVersion nv;
  nv.dataset_id = source_.dataset.id;
  nv.tier = "pseudonymized";
  nv.data = sealed_;
  nv.row_count = static_cast<int64_t>(transform_.rows_out);
  nv.source_name = fmt::format("{} version {}", source_.dataset.name, source_.version.version);
  nv.source_format = "pseudonymization";
  nv.source_encoding = "";
  nv.source_header = true;
  nv.derived_from = source_.version.id;
  nv.note = fmt::format("pseudonymization job {}", job_id);
  nv.created_by = caller_.Label();
  nv.columns = out_columns_;
  SZ_ASSIGN_OR_RETURN(StoredVersion stored, InsertVersion(zone_, nv, files_));

  pseudo::AdequacyReport& r = result_.report;
  r.dataset = fmt::format("{} v{} → v{}", source_.dataset.name, source_.version.version, stored.version);
  internal::NewJob job;
  job.id = job_id;
  job.dataset_id = source_.dataset.id;
  job.input_version_id = source_.version.id;
  job.output_version_id = stored.id;
  job.policy_name = parsed_.policy.name;
  job.policy_json = pseudo::PolicyToJson(parsed_.policy);
  job.thresholds_json = ThresholdsToJson(parsed_.thresholds);
  job.project = req_.project;
  job.keys = QuoteCsv(keyring_->KeysUsed());
  job.report_json = pseudo::RenderJson(r);
  job.pass = pseudo::Passes(r);
  job.run_by = r.run_by;
  job.run_by_user = caller_.user_id();
  job.run_at = r.run_at;
  SZ_RETURN_IF_ERROR(internal::InsertJob(zone_, job));

  SZ_RETURN_IF_ERROR(keyring_->Commit(fmt::format("job {}", job_id)));
  authz::AuditDetails details;
  details.datasets = {fmt::format("dataset:{}@{}", source_.dataset.id, source_.version.version),
                      fmt::format("dataset:{}@{}", source_.dataset.id, stored.version)};
  details.note = fmt::format("job {}: {} rows in, {} out; verdict {}", job_id, transform_.rows_in,
                             transform_.rows_out, job.pass ? "pass" : "fail");
  SZ_RETURN_IF_ERROR(std::move(*access_).Record(details));
  access_.reset();
  SZ_RETURN_IF_ERROR(txn.Commit());
  files_.Commit();

  JobInfo& info = result_.job;
  info.id = job_id;
  info.dataset = source_.dataset.name;
  info.dataset_id = source_.dataset.id;
  info.input_version = source_.version.version;
  info.output_version = stored.version;
  info.output_version_id = stored.id;
  info.policy_name = job.policy_name;
  info.project = req_.project;
  info.pass = job.pass;
  info.verdicts = pseudo::Evaluate(r);
  info.run_by = job.run_by;
  info.run_by_user = job.run_by_user;
  info.run_at = job.run_at;
  return OkStatus();
}

Result<RunResult> Runner::Run() {
  SZ_RETURN_IF_ERROR(Prepare());
  SZ_RETURN_IF_ERROR(OpenData());
  SZ_RETURN_IF_ERROR(Transform());
  SZ_RETURN_IF_ERROR(Assess());
  Report("sealing", -1);
  auto t = Steady::now();
  SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key, zone_.Key(DatasetKeyPurpose(source_.dataset.name)));
  SZ_ASSIGN_OR_RETURN(sealed_, SealVersionToTmp(zone_, source_.dataset.name, key, output_, files_));
  result_.stats.seal_seconds = SecondsSince(t);
  SZ_RETURN_IF_ERROR(CheckCancelled());
  BuildReport();
  SZ_RETURN_IF_ERROR(Store());
  result_.stats.total_seconds = SecondsSince(start_);
  Report("done", 1);
  return std::move(result_);
}

void Runner::RecordFailure(const Status& failure) {
  if (keyring_) keyring_->RecordFailure(failure);
  if (access_) (void)std::move(*access_).RecordFailure(failure);  // best effort
  access_.reset();
}

}  // namespace

Result<RunResult> RunPseudonymization(Zone& zone, const Caller& caller, const RunRequest& request,
                                      const RunHooks& hooks) {
  Runner runner(zone, caller, request, hooks);
  auto result = runner.Run();
  if (!result.ok()) {
    Status failure = result.status().WithContext("pseudonymize " + request.dataset);
    runner.RecordFailure(failure);
    return failure;
  }
  return result;
}

}  // namespace sz::zone
