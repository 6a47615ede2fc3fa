#include "ops/inspect_json.h"

namespace sz::ops {

using nlohmann::json;

json ToJson(const InspectionReport& report) {
  json findings = json::array();
  for (const Finding& f : report.findings) {
    findings.push_back({{"severity", SeverityName(f.severity)},
                        {"check", f.check},
                        {"title", f.title},
                        {"detail", f.detail},
                        {"fix", f.fix}});
  }
  json counts = json::object();
  for (Severity s : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow,
                     Severity::kInfo}) {
    counts[std::string(SeverityName(s))] = report.Count(s);
  }
  return {{"zone_dir", report.zone_dir},
          {"generated_at", report.generated_at},
          {"failing", report.Failing()},
          {"counts", counts},
          {"findings", findings}};
}

Result<InspectionReport> InspectionFromJson(const json& j) {
  try {
    InspectionReport r;
    r.zone_dir = j.at("zone_dir").get<std::string>();
    r.generated_at = j.at("generated_at").get<std::string>();
    for (const json& f : j.at("findings")) {
      SZ_ASSIGN_OR_RETURN(Severity severity, ParseSeverity(f.at("severity").get<std::string>()));
      r.findings.push_back({severity, f.at("check").get<std::string>(),
                            f.at("title").get<std::string>(), f.at("detail").get<std::string>(),
                            f.at("fix").get<std::string>()});
    }
    return r;
  } catch (const std::exception&) {
    return InvalidArgument("the server's inspection report is not in the expected shape");
  }
}

}  // namespace sz::ops
