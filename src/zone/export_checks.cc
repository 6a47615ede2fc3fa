#include "zone/export_checks.h"

#include "disclosure/differencing.h"
#include "disclosure/suppression.h"
#include "fmt/format.h"
#include "zone/output_json.h"

namespace sz::zone {

namespace dc = sz::disclosure;

Result<dc::RiskAppetite> ProjectRiskAppetite(Zone& zone, const Project& project) {
  SZ_ASSIGN_OR_RETURN(std::string zone_layer, zone.Meta("risk_appetite"));
  auto appetite = dc::ResolveRiskAppetite(zone_layer, project.risk_appetite);
  if (!appetite.ok()) return appetite.status().WithContext("risk appetite");
  return appetite;
}

Result<std::vector<ReleasedOutput>> LoadReleasedTables(Zone& zone, int64_t project_id,
                                                       int64_t except_request) {
  std::vector<std::tuple<std::string, int64_t, int, std::string>> rows;
  {
    SZ_ASSIGN_OR_RETURN(
        auto st,
        zone.db().Query(
            "SELECT o.name, ri.output_id, ri.revision, ri.published FROM release_items ri "
            "JOIN releases r ON r.id = ri.release_id JOIN outputs o ON o.id = ri.output_id "
            "WHERE r.project_id = ?1 AND r.request_id != ?2 ORDER BY r.id, o.name",
            project_id, except_request));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      rows.emplace_back(st.Text(0), st.Int64(1), static_cast<int>(st.Int64(2)), st.Text(3));
    }
  }
  std::vector<ReleasedOutput> out;
  for (const auto& [name, id, revision, published] : rows) {
    SZ_ASSIGN_OR_RETURN(OutputContent content, LoadOutputRevision(zone, id, revision));
    if (!std::holds_alternative<dc::Table>(content.output.body)) continue;
    ReleasedOutput r;
    r.name = name;
    r.content = std::move(content);
    if (!published.empty()) {
      SZ_ASSIGN_OR_RETURN(Json j, ParseJson(published, "published mask"));
      for (const Json& b : j) r.published.push_back(b.is_boolean() && b.get<bool>());
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<bool> PublishedMask(const ItemCheck& check, size_t cells) {
  std::vector<bool> mask(cells, true);
  for (size_t i = 0; i < cells && i < check.suppression.size(); ++i) {
    mask[i] = check.suppression[i] == dc::CellStatus::kPublished;
  }
  if (check.rounding) {
    for (size_t i = 0; i < cells && i < check.rounding->values.size(); ++i)
      mask[i] = mask[i] && check.rounding->values[i];
  }
  return mask;
}

namespace {

// The verdict once a mitigation addressed the failing cells: the mitigated table always
// goes to a person (at least review), output-level failures still fail.
dc::Verdict MitigatedVerdict(const dc::CheckReport& report) {
  dc::Verdict v = dc::Verdict::kReview;
  for (const dc::Finding& f : report.findings) v = dc::Worst(v, f.verdict);
  return v;
}

Status Suppress(const dc::Table& table, const dc::CheckReport& report,
                const dc::RiskAppetite& appetite, ItemCheck& out) {
  dc::SuppressionOptions options;
  options.protection = appetite.protection;
  SZ_ASSIGN_OR_RETURN(dc::SuppressionResult result,
                      dc::SuppressSecondary(table, report.PrimaryMask(), options));
  if (result.audit && !result.audit->safe()) {
    return FailedPrecondition(
        fmt::format("the suppression pattern could not be proven safe ({} cells exactly "
                    "recomputable, {} under-protected); "
                    "round the table instead, coarsen its categories, or remove it",
                    result.audit->exact, result.audit->under_protected));
  }
  Json j = CellStatusToJson(result.status);
  j["primaries"] = result.primaries;
  j["secondaries"] = result.secondaries;
  j["audit"] = Json{{"safe", result.audit.has_value() && result.audit->safe()},
                    {"components", result.audit ? result.audit->components : 0},
                    {"lp_solves", result.audit ? result.audit->lp_solves : 0}};
  out.mitigation_result = j.dump();
  out.suppression = std::move(result.status);
  out.mitigation_note =
      fmt::format("; mitigation: suppress ({} primary, {} secondary; LP audit safe)",
                  result.primaries, result.secondaries);
  return OkStatus();
}

Status Round(const dc::Table& table, const dc::CheckReport& report,
             const dc::RiskAppetite& appetite, bool redact, ItemCheck& out) {
  std::vector<bool> mask = redact ? report.PrimaryMask() : std::vector<bool>{};
  SZ_ASSIGN_OR_RETURN(dc::RoundedTable rounded,
                      dc::RoundTable(table, appetite.rounding_base, mask));
  out.mitigation_result = RoundedToJson(rounded).dump();
  size_t withheld = 0;
  for (const auto& v : rounded.values) withheld += !v.has_value();
  out.mitigation_note = redact ? fmt::format("; mitigation: redact {} cells then round to base {}",
                                             withheld, rounded.base)
                               : fmt::format("; mitigation: round to base {}", rounded.base);
  out.rounding = std::move(rounded);
  return OkStatus();
}

}  // namespace

Result<ItemCheck> CheckItem(const OutputContent& content, Mitigation mitigation,
                            bool exception_granted, std::string_view exception_request,
                            const dc::RiskAppetite& appetite,
                            const std::vector<ReleasedOutput>& released) {
  dc::Output output = content.output;
  output.exception_granted = exception_granted;
  output.exception_request = std::string(exception_request);
  ItemCheck out;
  SZ_ASSIGN_OR_RETURN(out.report, dc::CheckOutput(output, appetite));
  const auto* table = std::get_if<dc::Table>(&output.body);
  if (mitigation != Mitigation::kNone && table == nullptr) {
    return InvalidArgument(fmt::format("{} applies to tables only", MitigationName(mitigation)));
  }
  switch (mitigation) {
    case Mitigation::kNone:
      break;
    case Mitigation::kSuppress:
      SZ_RETURN_IF_ERROR(Suppress(*table, out.report, appetite, out));
      break;
    case Mitigation::kRound:
      SZ_RETURN_IF_ERROR(Round(*table, out.report, appetite, false, out));
      break;
    case Mitigation::kRedactRound:
      SZ_RETURN_IF_ERROR(Round(*table, out.report, appetite, true, out));
      break;
  }
  if (table != nullptr && !released.empty()) {
    std::vector<dc::ReleasedTable> earlier;
    for (const ReleasedOutput& r : released) {
      earlier.push_back({r.name, &std::get<dc::Table>(r.content.output.body), r.published});
    }
    SZ_ASSIGN_OR_RETURN(
        auto diffs, dc::FindDifferences(*table, PublishedMask(out, table->cells.size()), earlier,
                                        appetite.threshold));
    if (!diffs.empty()) dc::AttachDifferences(diffs, out.report);
  }
  out.summary = out.report.summary + out.mitigation_note;
  out.verdict = mitigation == Mitigation::kNone ? out.report.verdict : MitigatedVerdict(out.report);
  if (mitigation != Mitigation::kNone) {
    // Differencing findings on published cells still need a person's eye.
    out.verdict = dc::Worst(out.verdict, dc::Verdict::kReview);
  }
  return out;
}

Status ReadMitigation(Mitigation mitigation, std::string_view json, ItemCheck& into) {
  if (mitigation == Mitigation::kNone) return OkStatus();
  SZ_ASSIGN_OR_RETURN(Json j, ParseJson(json, "mitigation result"));
  if (mitigation == Mitigation::kSuppress) {
    SZ_ASSIGN_OR_RETURN(into.suppression, CellStatusFromJson(j));
  } else {
    SZ_ASSIGN_OR_RETURN(into.rounding, RoundedFromJson(j));
  }
  return OkStatus();
}

}  // namespace sz::zone
