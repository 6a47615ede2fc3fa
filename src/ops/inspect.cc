#include "ops/inspect.h"

#include <algorithm>
#include <filesystem>

#include "audit/verify.h"
#include "fmt/format.h"
#include "ops/backup.h"
#include "ops/inspect_internal.h"

namespace sz::ops {

namespace fs = std::filesystem;
using internal::Findings;
using internal::ZoneFacts;

namespace {

constexpr std::string_view kSeverityNames[] = {"info", "low", "medium", "high", "critical"};

Status CheckAuditChain(zone::Zone& zone, Findings& out) {
  audit::VerifyOptions options;
  options.checkpoint_interval = zone.audit().options().checkpoint_interval;
  SZ_ASSIGN_OR_RETURN(audit::VerifyReport r,
                      audit::Verify(zone.db(), zone.audit_public_key(), options));
  if (r.ok()) {
    out.push_back({Severity::kInfo, "audit.chain",
                   fmt::format("audit trail intact: {} entries, {} checkpoint signatures verified",
                               r.entries, r.checkpoints),
                   "", ""});
    return OkStatus();
  }
  out.push_back({Severity::kCritical, "audit.chain",
                 fmt::format("the audit trail is damaged from entry {} on ({})", r.first_bad_seq,
                             audit::ProblemName(r.problem)),
                 r.detail,
                 "stop changes to the zone, keep a copy of zone.db as evidence, and compare with "
                 "the last exported archive (safezone audit export) to see what was altered"});
  return OkStatus();
}

void CheckBackupAge(const ZoneFacts& facts, const InspectOptions& options, Findings& out) {
  std::string fix = "run `safezone backup DIR` (a new directory outside the zone, ideally on "
                    "another disk) and schedule it at least daily";
  if (facts.last_backup_time.empty()) {
    out.push_back({Severity::kMedium, "backup.none", "no backup of this zone is recorded", "",
                   fix});
    return;
  }
  auto when = ParseUtc(facts.last_backup_time);
  if (!when.ok()) {
    out.push_back({Severity::kMedium, "backup.none", "the recorded backup time does not parse",
                   facts.last_backup_time, fix});
    return;
  }
  double days = static_cast<double>(ToUnix(facts.now) - ToUnix(*when)) / 86400.0;
  if (days > options.backup_max_age_days) {
    out.push_back({Severity::kMedium, "backup.age",
                   fmt::format("the last backup is {:.0f} days old (limit {})", days,
                               options.backup_max_age_days),
                   fmt::format("{} at {}", facts.last_backup_dest, facts.last_backup_time), fix});
    return;
  }
  out.push_back({Severity::kInfo, "backup.age",
                 fmt::format("last backup {} ({:.1f} days ago)", facts.last_backup_time, days),
                 facts.last_backup_dest, ""});
}

void Sort(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.check < b.check;
  });
}

}  // namespace

namespace internal {

std::string JoinSome(const std::vector<std::string>& items, size_t max) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += fmt::format(" and {} more", items.size() - max);
  return out;
}

}  // namespace internal

std::string_view SeverityName(Severity severity) {
  return kSeverityNames[static_cast<int>(severity)];
}

Result<Severity> ParseSeverity(std::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (kSeverityNames[i] == name) return static_cast<Severity>(i);
  }
  return InvalidArgument("a severity is info, low, medium, high or critical");
}

int InspectionReport::Count(Severity severity) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [&](const Finding& f) { return f.severity == severity; }));
}

bool InspectionReport::Failing() const {
  return Count(Severity::kCritical) > 0 || Count(Severity::kHigh) > 0;
}

Result<InspectionReport> InspectZone(zone::Zone& zone, const zone::Caller& caller,
                                     const InspectOptions& options) {
  SZ_RETURN_IF_ERROR(zone::CheckRead(zone, caller, authz::Action::kZoneInspect,
                                     authz::Object::Zone(),
                                     authz::AuditDetails::Note("security self-inspection")));
  ZoneFacts facts;
  facts.dir = zone.dir();
  facts.now = zone.clock().Now();
  // A plain Result rather than SZ_ASSIGN_OR_RETURN: GCC 12 reports a false
  // maybe-uninitialized on the comparison of a string declared by the macro.
  Result<std::string> name = zone.Meta("name");
  if (!name.ok()) return name.status();
  facts.demo = *name == "demo";
  SZ_ASSIGN_OR_RETURN(facts.last_backup_time, zone.Meta(kLastBackupTime));
  SZ_ASSIGN_OR_RETURN(facts.last_backup_dest, zone.Meta(kLastBackupDest));

  InspectionReport report;
  report.zone_dir = facts.dir;
  report.generated_at = FormatUtc(facts.now);
  Findings& out = report.findings;
  internal::CheckMasterKey(facts, zone.key_source(), out);
  internal::CheckTls(facts, options, out);
  SZ_RETURN_IF_ERROR(internal::CheckAccounts(zone, facts, options, out));
  SZ_RETURN_IF_ERROR(internal::CheckFiles(zone, facts, options, out));
  SZ_RETURN_IF_ERROR(CheckAuditChain(zone, out));
  CheckBackupAge(facts, options, out);
  Sort(out);
  return report;
}

InspectionReport InspectUnopenedZone(std::string_view zone_dir, const crypto::MasterKeySource& key,
                                     const Status& open_error, Time now) {
  ZoneFacts facts;
  std::error_code ec;
  facts.dir = fs::absolute(std::string(zone_dir), ec).lexically_normal().string();
  facts.now = now;
  InspectionReport report;
  report.zone_dir = facts.dir;
  report.generated_at = FormatUtc(now);
  internal::CheckMasterKey(facts, key, report.findings);
  report.findings.push_back({Severity::kCritical, "zone.open",
                             "the zone cannot be opened, so the other checks did not run",
                             open_error.message(),
                             "fix the findings above (or the error shown), then run `safezone "
                             "inspect` again"});
  Sort(report.findings);
  return report;
}

}  // namespace sz::ops
