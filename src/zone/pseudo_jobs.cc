// Pseudonymization jobs: their tables, listing, reports, sign-off and the sign-off hook.
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "zone/catalog.h"
#include "zone/pseudo_jobs_internal.h"
#include "zone/pseudonymize.h"

namespace sz::zone {

namespace {

using Json = nlohmann::json;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS pseudo_hierarchies (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,       -- what policies and searches name
  file        TEXT NOT NULL UNIQUE,       -- sealed ARX CSV, relative to the zone directory
  file_id     TEXT NOT NULL,
  sha256      TEXT NOT NULL,              -- of the CSV text
  levels      INTEGER NOT NULL,
  value_count INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pseudo_jobs (
  id                INTEGER PRIMARY KEY,
  dataset_id        INTEGER NOT NULL REFERENCES datasets(id),
  input_version_id  INTEGER NOT NULL REFERENCES dataset_versions(id),
  output_version_id INTEGER NOT NULL UNIQUE REFERENCES dataset_versions(id),
  policy_name       TEXT NOT NULL DEFAULT '',
  policy            TEXT NOT NULL,        -- JSON (pseudo::PolicyToJson)
  thresholds        TEXT NOT NULL,        -- JSON, as applied
  project           TEXT NOT NULL DEFAULT '',  -- what project-scoped keys were bound to
  keys              TEXT NOT NULL DEFAULT '',  -- key labels used (never key bytes)
  report            TEXT NOT NULL,        -- adequacy report JSON (pseudo::RenderJson)
  pass              INTEGER NOT NULL,
  run_by            TEXT NOT NULL,
  run_by_user       INTEGER NOT NULL,     -- 0: the local operator
  run_at            TEXT NOT NULL,
  state             TEXT NOT NULL DEFAULT 'awaiting_signoff'
                    CHECK (state IN ('awaiting_signoff', 'signed_off', 'rejected')),
  decided_by        TEXT,
  decided_by_user   INTEGER,
  decided_at        TEXT,
  comment           TEXT
);
CREATE INDEX IF NOT EXISTS pseudo_jobs_dataset ON pseudo_jobs(dataset_id);
-- One row per signed-off pseudonymized version: what projects check (IsSignedOff).
CREATE TABLE IF NOT EXISTS pseudo_signoffs (
  version_id    INTEGER PRIMARY KEY REFERENCES dataset_versions(id),
  job_id        INTEGER NOT NULL UNIQUE REFERENCES pseudo_jobs(id),
  signed_off_by TEXT NOT NULL,
  signed_off_at TEXT NOT NULL
);
)sql";

constexpr size_t kMaxComment = 2000;

// A job row with what use cases need around it.
struct JobRow {
  JobInfo info;
  std::string provider;
  std::string tier;  // the dataset's
  std::string report_json;
  std::string policy_json;
  std::string thresholds_json;
  std::string keys;
};

constexpr const char* kSelectJobs = R"sql(
SELECT j.id, d.name, j.dataset_id, vi.version, vo.version, j.output_version_id, j.policy_name, j.project,
       j.pass, j.state, j.run_by, j.run_by_user, j.run_at, COALESCE(j.decided_by, ''),
       COALESCE(j.decided_at, ''), COALESCE(j.comment, ''), j.report, d.provider, d.tier, j.policy,
       j.thresholds, j.keys
  FROM pseudo_jobs j
  JOIN datasets d ON d.id = j.dataset_id
  JOIN dataset_versions vi ON vi.id = j.input_version_id
  JOIN dataset_versions vo ON vo.id = j.output_version_id
)sql";

Result<JobState> ParseState(std::string_view s) {
  for (auto st : {JobState::kAwaitingSignOff, JobState::kSignedOff, JobState::kRejected}) {
    if (JobStateName(st) == s) return st;
  }
  return DataLoss(fmt::format("pseudo_jobs: unknown state '{}'", s.substr(0, 40)));
}

Result<JobRow> ReadJob(const storage::Statement& st) {
  JobRow r;
  JobInfo& j = r.info;
  j.id = st.Int64(0);
  j.dataset = st.Text(1);
  j.dataset_id = st.Int64(2);
  j.input_version = static_cast<int>(st.Int64(3));
  j.output_version = static_cast<int>(st.Int64(4));
  j.output_version_id = st.Int64(5);
  j.policy_name = st.Text(6);
  j.project = st.Text(7);
  j.pass = st.Int64(8) != 0;
  SZ_ASSIGN_OR_RETURN(j.state, ParseState(st.Text(9)));
  j.run_by = st.Text(10);
  j.run_by_user = st.Int64(11);
  j.run_at = st.Text(12);
  j.decided_by = st.Text(13);
  j.decided_at = st.Text(14);
  j.comment = st.Text(15);
  r.report_json = st.Text(16);
  r.provider = st.Text(17);
  r.tier = st.Text(18);
  r.policy_json = st.Text(19);
  r.thresholds_json = st.Text(20);
  r.keys = st.Text(21);
  SZ_ASSIGN_OR_RETURN(pseudo::AdequacyReport report, internal::ReportFromJson(r.report_json));
  j.verdicts = pseudo::Evaluate(report);
  return r;
}

Result<std::vector<JobRow>> QueryJobs(Zone& zone, std::string_view where, int64_t id, std::string_view name) {
  std::string sql = std::string(kSelectJobs) + std::string(where) + " ORDER BY j.id DESC";
  SZ_ASSIGN_OR_RETURN(auto st, zone.db().Prepare(sql));
  if (where.find("?1") != std::string_view::npos) st.Bind(1, id);
  if (where.find("?2") != std::string_view::npos) st.Bind(2, name);
  std::vector<JobRow> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    SZ_ASSIGN_OR_RETURN(JobRow j, ReadJob(st));
    out.push_back(std::move(j));
  }
  return out;
}

Result<JobRow> LoadJob(Zone& zone, int64_t job_id) {
  SZ_ASSIGN_OR_RETURN(auto rows, QueryJobs(zone, " WHERE j.id = ?1", job_id, ""));
  if (rows.empty()) {
    return NotFound(fmt::format("there is no pseudonymization job {} (list them: safezone pseudo jobs)", job_id));
  }
  return std::move(rows.front());
}

authz::Object DatasetObjectOf(const JobRow& j) { return DatasetObject(j.info.dataset_id, j.provider, j.tier); }

authz::Object JobObject(const JobRow& j) {
  auto tier = authz::ParseTier(j.tier);
  return authz::Object::Job(j.info.id, j.provider, tier.ok() ? *tier : authz::Tier::kNonOpen, j.info.run_by_user);
}

// The stored report with the decision filled in.
Result<pseudo::AdequacyReport> DecidedReport(const JobRow& j) {
  SZ_ASSIGN_OR_RETURN(pseudo::AdequacyReport r, internal::ReportFromJson(j.report_json));
  if (j.info.state == JobState::kSignedOff) {
    r.signed_off_by = fmt::format("{} — {}", j.info.decided_by, j.info.comment);
    r.signed_off_at = j.info.decided_at;
  } else if (j.info.state == JobState::kRejected) {
    r.warnings.push_back(
        fmt::format("rejected by {} at {}: {}", j.info.decided_by, j.info.decided_at, j.info.comment));
  }
  return r;
}

std::string JobJson(const JobRow& j) {
  Json out = Json::parse(j.report_json);
  Json job;
  job["id"] = j.info.id;
  job["state"] = JobStateName(j.info.state);
  job["dataset"] = j.info.dataset;
  job["input_version"] = j.info.input_version;
  job["output_version"] = j.info.output_version;
  job["project"] = j.info.project;
  job["keys"] = j.keys;
  job["policy"] = Json::parse(j.policy_json);
  job["thresholds"] = Json::parse(j.thresholds_json);
  job["decided_by"] = j.info.decided_by.empty() ? Json(nullptr) : Json(j.info.decided_by);
  job["decided_at"] = j.info.decided_at.empty() ? Json(nullptr) : Json(j.info.decided_at);
  job["comment"] = j.info.comment.empty() ? Json(nullptr) : Json(j.info.comment);
  out["job"] = std::move(job);
  if (j.info.state == JobState::kSignedOff) {
    out["signed_off_by"] = j.info.decided_by;
    out["signed_off_at"] = j.info.decided_at;
  }
  return out.dump(2, ' ', false, Json::error_handler_t::replace);
}

// An entry for a refusal the authz policy cannot make (the operator has no user id).
Status AuditOperatorDenial(Zone& zone, const Caller& caller, const authz::Object& object, std::string_view why) {
  audit::Entry entry;
  entry.actor = caller.Label();
  entry.action = std::string(authz::ActionName(authz::Action::kPseudonymizeSignOff));
  entry.object = authz::ObjectLabel(object);
  entry.outcome = audit::Outcome::kDeny;
  entry.reason = std::string(why);
  entry.request_id = caller.request_id;
  return authz::AppendStandalone(zone.db(), zone.audit(), entry);
}

Status CheckDecision(const JobRow& j, const SignOffDecision& d) {
  if (d.comment.empty()) return InvalidArgument("a sign-off or rejection needs a comment (--comment)");
  if (d.comment.size() > kMaxComment) {
    return InvalidArgument(fmt::format("the comment is {} bytes; keep it under {}", d.comment.size(), kMaxComment));
  }
  if (j.info.state != JobState::kAwaitingSignOff) {
    return FailedPrecondition(fmt::format("job {} was {} already by {} at {}", j.info.id,
                                          j.info.state == JobState::kSignedOff ? "signed off" : "rejected",
                                          j.info.decided_by, j.info.decided_at));
  }
  if (d.approve && !j.info.pass) {
    std::string failed;
    for (const auto& v : j.info.verdicts)
      if (!v.pass) failed += (failed.empty() ? "" : ", ") + v.threshold.metric;
    return FailedPrecondition(fmt::format(
        "job {} failed its thresholds ({}); it cannot be signed off: reject it, change the policy and run again",
        j.info.id, failed));
  }
  return OkStatus();
}

}  // namespace

std::string_view JobStateName(JobState state) {
  switch (state) {
    case JobState::kAwaitingSignOff: return "awaiting_signoff";
    case JobState::kSignedOff: return "signed_off";
    case JobState::kRejected: return "rejected";
  }
  return "unknown";
}

Status CreatePseudonymizationSchema(storage::SqliteDb& db) { return db.Exec(kSchema); }

namespace internal {

Result<int64_t> NextJobId(Zone& zone) {
  SZ_ASSIGN_OR_RETURN(auto st, zone.db().Query("SELECT COALESCE(MAX(id), 0) + 1 FROM pseudo_jobs"));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Internal("no next job id");
  return st.Int64(0);
}

Status InsertJob(Zone& zone, const NewJob& j) {
  return zone.db().Run(
      "INSERT INTO pseudo_jobs(id, dataset_id, input_version_id, output_version_id, policy_name, policy, "
      "thresholds, project, keys, report, pass, run_by, run_by_user, run_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "?8, ?9, ?10, ?11, ?12, ?13, ?14)",
      j.id, j.dataset_id, j.input_version_id, j.output_version_id, j.policy_name, j.policy_json, j.thresholds_json,
      j.project, j.keys, j.report_json, j.pass ? 1 : 0, j.run_by, j.run_by_user, j.run_at);
}

Result<pseudo::AdequacyReport> ReportFromJson(std::string_view text) {
  try {
    Json j = Json::parse(text.begin(), text.end());
    auto str = [](const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
    auto opt = [](const Json& v) { return v.is_number() ? std::optional<double>(v.get<double>()) : std::nullopt; };
    pseudo::AdequacyReport r;
    r.dataset = str(j["dataset"]);
    r.policy_name = str(j["policy"]["name"]);
    r.policy_summary = str(j["policy"]["summary"]);
    r.rows_in = j["rows"]["in"].get<uint64_t>();
    r.rows_out = j["rows"]["out"].get<uint64_t>();
    r.rows_suppressed = j["rows"]["suppressed"].get<uint64_t>();
    for (const auto& c : j["columns"]) {
      pseudo::ColumnReport cr;
      cr.column = str(c["column"]);
      cr.rule = str(c["rule"]);
      cr.detail = str(c["detail"]);
      cr.input_type = str(c["input_type"]);
      cr.output_type = str(c["output_type"]);
      cr.rows = c["rows"].get<uint64_t>();
      cr.missing_in = c["missing_in"].get<uint64_t>();
      cr.nulls_out = c["nulls_out"].get<uint64_t>();
      cr.changed = c["changed"].get<uint64_t>();
      cr.suppressed = c["suppressed"].get<uint64_t>();
      cr.warnings = c["warnings"].get<std::vector<std::string>>();
      r.columns.push_back(std::move(cr));
    }
    for (auto [key, list] : {std::pair{"risk", &r.risk}, std::pair{"utility", &r.utility}}) {
      for (const auto& m : j[key]) list->push_back({str(m["name"]), opt(m["before"]), opt(m["after"])});
    }
    for (const auto& v : j["verdicts"]) {
      pseudo::Threshold t;
      t.metric = str(v["metric"]);
      t.comparison = str(v["comparison"]) == "at_least" ? pseudo::Comparison::kAtLeast : pseudo::Comparison::kAtMost;
      t.value = v["value"].get<double>();
      r.thresholds.push_back(std::move(t));
    }
    r.input_version_hash = str(j["input_version_hash"]);
    r.output_version_hash = str(j["output_version_hash"]);
    r.run_by = str(j["run_by"]);
    r.run_at = str(j["run_at"]);
    r.signed_off_by = str(j["signed_off_by"]);
    r.signed_off_at = str(j["signed_off_at"]);
    r.warnings = j["warnings"].get<std::vector<std::string>>();
    return r;
  } catch (const Json::exception& e) {
    return DataLoss(fmt::format("a stored adequacy report is malformed ({})", e.id));
  }
}

std::string RuleYaml(std::string_view rule_json) {
  Json rule = Json::parse(rule_json);
  auto dump = [](const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); };
  std::string out;
  for (const char* key : {"column", "rule", "method"}) {
    if (!rule.contains(key)) continue;
    out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", key, dump(rule[key]));
    rule.erase(key);
  }
  for (const auto& [key, value] : rule.items()) out += fmt::format(", {}: {}", key, dump(value));
  return "{" + out + "}";
}

}  // namespace internal

Result<std::vector<JobInfo>> ListJobs(Zone& zone, const Caller& caller, std::string_view dataset) {
  authz::Object object = authz::Object::Dataset(0, "", authz::Tier::kNonOpen);
  if (!dataset.empty()) {
    SZ_ASSIGN_OR_RETURN(DatasetInfo d, Catalog(zone).Get(dataset));
    object = DatasetObject(d.id, d.provider, d.tier);
  }
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, authz::Action::kPseudonymizeConfigure, object,
                               authz::AuditDetails::Note("list pseudonymization jobs")));
  SZ_ASSIGN_OR_RETURN(auto rows, QueryJobs(zone, dataset.empty() ? "" : " WHERE d.name = ?2", 0, dataset));
  std::vector<JobInfo> out;
  for (auto& r : rows) out.push_back(std::move(r.info));
  return out;
}

Result<JobInfo> GetJob(Zone& zone, const Caller& caller, int64_t job_id) {
  SZ_ASSIGN_OR_RETURN(JobRow j, LoadJob(zone, job_id));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, authz::Action::kPseudonymizeConfigure, DatasetObjectOf(j),
                               authz::AuditDetails::Note(fmt::format("job {}", job_id))));
  return std::move(j.info);
}

Result<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "md" || name == "markdown") return ReportFormat::kMarkdown;
  if (name == "html") return ReportFormat::kHtml;
  if (name == "json") return ReportFormat::kJson;
  return InvalidArgument("report format is md, html or json");
}

Result<pseudo::Lang> ParseReportLang(std::string_view name) {
  if (name == "ko") return pseudo::Lang::kKo;
  if (name == "en") return pseudo::Lang::kEn;
  return InvalidArgument("report language is ko or en");
}

Result<std::string> RenderJobReport(Zone& zone, const Caller& caller, int64_t job_id, ReportFormat format,
                                    pseudo::Lang lang) {
  SZ_ASSIGN_OR_RETURN(JobRow j, LoadJob(zone, job_id));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, authz::Action::kPseudonymizeConfigure, DatasetObjectOf(j),
                               authz::AuditDetails::Note(fmt::format("adequacy report of job {}", job_id))));
  if (format == ReportFormat::kJson) return JobJson(j);
  SZ_ASSIGN_OR_RETURN(pseudo::AdequacyReport r, DecidedReport(j));
  return format == ReportFormat::kHtml ? pseudo::RenderHtml(r, lang) : pseudo::RenderMarkdown(r, lang);
}

Result<JobInfo> DecideJob(Zone& zone, const Caller& caller, int64_t job_id, const SignOffDecision& decision) {
  SZ_ASSIGN_OR_RETURN(JobRow j, LoadJob(zone, job_id));
  authz::Object object = JobObject(j);
  if (caller.is_operator() && j.info.run_by_user == 0) {
    // Separation of duties holds for the operator too: authz cannot tell one operator
    // session from another, so a run by the operator needs an officer's sign-off.
    SZ_RETURN_IF_ERROR(AuditOperatorDenial(zone, caller, object,
                                           std::string(authz::ReasonText(authz::Reason::kOwnWork))));
    return PermissionDenied(fmt::format(
        "job {} was run by the operator; a pseudonymization officer must {} it (nobody decides on their own run)",
        job_id, decision.approve ? "sign off" : "reject"));
  }
  SZ_ASSIGN_OR_RETURN(Access checked, Access::Check(zone, caller, authz::Action::kPseudonymizeSignOff, object));
  std::optional<Access> access(std::move(checked));
  Status s = [&]() -> Status {
    SZ_RETURN_IF_ERROR(CheckDecision(j, decision));
    SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone.db()));
    const std::string now = FormatUtc(zone.clock().Now());
    const std::string_view state = JobStateName(decision.approve ? JobState::kSignedOff : JobState::kRejected);
    SZ_RETURN_IF_ERROR(zone.db().Run(
        "UPDATE pseudo_jobs SET state = ?2, decided_by = ?3, decided_by_user = ?4, decided_at = ?5, comment = ?6 "
        "WHERE id = ?1 AND state = 'awaiting_signoff'",
        job_id, state, caller.Label(), caller.user_id(), now, decision.comment));
    if (zone.db().Changes() != 1) return Aborted(fmt::format("job {} was decided concurrently; look again", job_id));
    if (decision.approve) {
      SZ_RETURN_IF_ERROR(zone.db().Run(
          "INSERT INTO pseudo_signoffs(version_id, job_id, signed_off_by, signed_off_at) VALUES (?1, ?2, ?3, ?4)",
          j.info.output_version_id, job_id, caller.Label(), now));
    }
    authz::AuditDetails details;
    details.datasets = {fmt::format("dataset:{}@{}", j.info.dataset_id, j.info.output_version)};
    details.note = fmt::format("job {} {}", job_id, decision.approve ? "signed off" : "rejected");
    SZ_RETURN_IF_ERROR(std::move(*access).Record(details));
    access.reset();
    return txn.Commit();
  }();
  if (!s.ok()) {
    if (access) (void)std::move(*access).RecordFailure(s);  // best effort
    return s;
  }
  SZ_ASSIGN_OR_RETURN(JobRow after, LoadJob(zone, job_id));
  return std::move(after.info);
}

Result<bool> IsSignedOff(Zone& zone, int64_t version_id) {
  SZ_ASSIGN_OR_RETURN(auto st, zone.db().Query("SELECT 1 FROM pseudo_signoffs WHERE version_id = ?1", version_id));
  return st.Step();
}

Result<bool> IsSignedOff(Zone& zone, std::string_view dataset, int version) {
  SZ_ASSIGN_OR_RETURN(VersionInfo v, Catalog(zone).Version(dataset, version));
  return IsSignedOff(zone, v.id);
}

}  // namespace sz::zone
