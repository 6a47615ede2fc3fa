#include "disclosure/checks.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "disclosure/table_index.h"

namespace sz::disclosure {

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "pass";
    case Verdict::kReview: return "review";
    case Verdict::kFail: return "fail";
  }
  return "fail";
}

std::string_view RuleName(Rule rule) {
  switch (rule) {
    case Rule::kThreshold: return "threshold";
    case Rule::kZero: return "zero";
    case Rule::kFullCell: return "full-cell";
    case Rule::kPPercent: return "p-ratio";
    case Rule::kDominance: return "nk-rule";
    case Rule::kNegative: return "negative";
    case Rule::kMissing: return "missing";
    case Rule::kExtreme: return "extreme-value";
    case Rule::kDegreesOfFreedom: return "dof";
    case Rule::kParameters: return "parameters";
    case Rule::kObservations: return "observations";
    case Rule::kFileType: return "file-type";
    case Rule::kFileSize: return "file-size";
    case Rule::kFileRows: return "file-rows";
    case Rule::kFreeform: return "freeform";
    case Rule::kDifferencing: return "differencing";
  }
  return "unknown";
}

void AddFinding(CellCheck& check, Finding finding) {
  check.verdict = Worst(check.verdict, finding.verdict);
  check.findings.push_back(std::move(finding));
}

std::vector<bool> CheckReport::PrimaryMask() const {
  std::vector<bool> mask(cells.size());
  for (size_t i = 0; i < cells.size(); ++i) mask[i] = cells[i].verdict == Verdict::kFail;
  return mask;
}

size_t CheckReport::CountRule(Rule rule) const {
  auto fires = [rule](const std::vector<Finding>& list) {
    return std::any_of(list.begin(), list.end(),
                       [rule](const Finding& f) { return f.rule == rule; });
  };
  size_t n = 0;
  for (const CellCheck& cell : cells) n += fires(cell.findings) ? 1 : 0;
  for (const Finding& f : findings) n += f.rule == rule ? 1 : 0;
  return n;
}

void Summarize(CheckReport& report) {
  Verdict verdict = Verdict::kPass;
  // Rules in enum order so the summary is stable.
  std::map<Rule, size_t> counts;
  for (const CellCheck& cell : report.cells) {
    verdict = Worst(verdict, cell.verdict);
    std::vector<Rule> seen;
    for (const Finding& f : cell.findings) {
      if (std::find(seen.begin(), seen.end(), f.rule) == seen.end()) {
        seen.push_back(f.rule);
        ++counts[f.rule];
      }
    }
  }
  for (const Finding& f : report.findings) {
    verdict = Worst(verdict, f.verdict);
    ++counts[f.rule];
  }
  report.verdict = verdict;
  report.summary = std::string(VerdictName(verdict));
  const char* unit = report.cells.empty() ? "" : " cell";
  for (const auto& [rule, n] : counts) {
    report.summary += fmt::format("; {}: {}{}{}", RuleName(rule), n, unit,
                                  (n == 1 || report.cells.empty()) ? "" : "s");
  }
}

namespace {

Verdict SoftVerdict(SoftRule rule) {
  return rule == SoftRule::kReview ? Verdict::kReview : Verdict::kPass;
}

std::string Num(double v) { return fmt::format("{:g}", v); }

// --- Cell rules -----------------------------------------------------------------------

// A count that stopped at a cap below `minimum` cannot say whether the cell meets it (the
// risk appetite was raised after the table was made): fail, and say how to fix it.
bool CappedBelow(const std::string& cell, const CellEvidence& e, int64_t minimum,
                 CellCheck& check) {
  if (!e.persons_capped || e.persons >= minimum) return false;
  AddFinding(check, {Rule::kThreshold, Verdict::kFail,
                     fmt::format("cell {}: persons were counted only up to {}, below the "
                                 "minimum of {}; save the output again to count them",
                                 cell, e.persons, minimum),
                     fmt::format("셀 {}의 인원은 {}명까지만 집계되어 최소 기준 {}명을 판단할 수 "
                                 "없습니다. 출력을 다시 저장하세요",
                                 cell, e.persons, minimum)});
  return true;
}

void CheckThreshold(const std::string& cell, const CellEvidence& e, const RiskAppetite& a,
                    CellCheck& check) {
  if (CappedBelow(cell, e, a.threshold, check)) return;
  if (e.persons == 0) {
    Verdict v = SoftVerdict(a.zeros);
    if (v == Verdict::kPass) return;
    AddFinding(check, {Rule::kZero, v,
                       fmt::format("cell {} has no persons; a zero can disclose that nobody "
                                   "has this combination",
                                   cell),
                       fmt::format("셀 {}의 인원이 0명입니다. 0은 해당 조합에 아무도 없음을 "
                                   "드러낼 수 있습니다",
                                   cell)});
    return;
  }
  if (e.persons < a.threshold) {
    AddFinding(check, {Rule::kThreshold, Verdict::kFail,
                       fmt::format("cell {} has {} persons; minimum is {}", cell, e.persons,
                                   a.threshold),
                       fmt::format("셀 {}의 인원은 {}명으로 최소 기준 {}명 미만입니다", cell,
                                   e.persons, a.threshold)});
  }
}

void CheckMissing(const std::string& cell, const CellEvidence& e, const RiskAppetite& a,
                  CellCheck& check) {
  Verdict v = SoftVerdict(a.missing);
  if (v == Verdict::kPass || (!e.value_null && e.null_contributions == 0)) return;
  AddFinding(check, {Rule::kMissing, v,
                     fmt::format("cell {} has NULL values; check how missing data were "
                                 "handled before release",
                                 cell),
                     fmt::format("셀 {}에 NULL 값이 있습니다. 반출 전에 결측값 처리 방식을 "
                                 "확인하세요",
                                 cell)});
}

// Hundepool et al. (2012), 4.2.2: a cell is unsafe under the p% rule when the second
// largest contributor can estimate the largest within p%, i.e. when what remains after
// removing the two largest contributions is below p% of the largest.
void CheckPPercent(const std::string& cell, const CellEvidence& e, const RiskAppetite& a,
                   CellCheck& check) {
  if (a.p_percent <= 0 || e.persons == 0) return;
  double remainder = e.sum - e.top1 - e.top2;
  if (!(remainder < a.p_percent / 100.0 * e.top1)) return;
  if (a.dominance_confidential) {
    AddFinding(check, {Rule::kPPercent, Verdict::kFail,
                       fmt::format("cell {} fails a dominance rule: a large contributor "
                                   "could estimate another's value",
                                   cell),
                       fmt::format("셀 {}이(가) 우세 규칙을 위반합니다. 큰 기여자가 다른 "
                                   "기여자의 값을 추정할 수 있습니다",
                                   cell)});
    return;
  }
  std::string p = Num(a.p_percent);
  AddFinding(check,
             {Rule::kPPercent, Verdict::kFail,
              fmt::format("cell {} fails the p% rule (p = {}): the second largest "
                          "contributor can estimate the largest within {}%",
                          cell, p, p),
              fmt::format("셀 {}이(가) p% 규칙(p = {})을 위반합니다. 두 번째로 큰 기여자가 "
                          "최대 기여분을 {}% 이내로 추정할 수 있습니다",
                          cell, p, p)});
}

// (n,k) dominance (Hundepool et al. 2012, 4.2.2): unsafe when the n largest
// contributions exceed k% of the cell total.
void CheckDominance(const std::string& cell, const CellEvidence& e, const RiskAppetite& a,
                    CellCheck& check) {
  if (a.nk_k >= 100 || e.persons == 0 || e.sum <= 0) return;
  double top = a.nk_n == 1 ? e.top1 : e.top1 + e.top2;
  if (!(top > a.nk_k / 100.0 * e.sum)) return;
  if (a.dominance_confidential) {
    AddFinding(check, {Rule::kDominance, Verdict::kFail,
                       fmt::format("cell {} fails a dominance rule: a few contributors "
                                   "make up most of the total",
                                   cell),
                       fmt::format("셀 {}이(가) 우세 규칙을 위반합니다. 소수의 기여자가 "
                                   "합계의 대부분을 차지합니다",
                                   cell)});
    return;
  }
  std::string k = Num(a.nk_k);
  AddFinding(check, {Rule::kDominance, Verdict::kFail,
                     fmt::format("cell {} fails the ({}, {}) dominance rule: its {} largest "
                                 "contributors hold more than {}% of the total",
                                 cell, a.nk_n, k, a.nk_n, k),
                     fmt::format("셀 {}이(가) ({}, {}) 우세 규칙을 위반합니다. 상위 {}명의 "
                                 "기여분이 합계의 {}%를 넘습니다",
                                 cell, a.nk_n, k, a.nk_n, k)});
}

void CheckNegatives(const std::string& cell, const CellEvidence& e, const RiskAppetite& a,
                    CellCheck& check) {
  Verdict v = SoftVerdict(a.negatives);
  if (v == Verdict::kPass || e.negative_contributions == 0) return;
  AddFinding(check, {Rule::kNegative, v,
                     fmt::format("cell {} has {} negative contributions; dominance rules are "
                                 "unreliable there, review it by hand",
                                 cell, e.negative_contributions),
                     fmt::format("셀 {}에 음수 기여가 {}건 있어 우세 규칙을 신뢰할 수 "
                                 "없습니다. 직접 검토하세요",
                                 cell, e.negative_contributions)});
}

// A cell equal to one of its margins (along a dimension where the margin has at least
// two categories) tells that everyone in the margin shares the cell's category.
void CheckFullCell(const Table& table, const TableIndex& index, size_t i,
                   const RiskAppetite& a, CellCheck& check) {
  const Cell& cell = table.cells[i];
  Verdict v = SoftVerdict(a.full_cells);
  if (v == Verdict::kPass || cell.evidence.persons == 0 || cell.value <= 0) return;
  std::vector<int32_t> key = cell.categories;
  for (int d = 0; d < index.dimension_count(); ++d) {
    int32_t parent = index.Parent(d, key[d]);
    if (parent < 0 || index.Children(d, parent).size() < 2) continue;
    int32_t own = key[d];
    key[d] = parent;
    auto margin = index.Find(key);
    key[d] = own;
    if (!margin || table.cells[*margin].value != cell.value) continue;
    std::string label = TableIndex::CellLabel(table, cell);
    std::string margin_label = TableIndex::CellLabel(table, table.cells[*margin]);
    AddFinding(check,
               {Rule::kFullCell, v,
                fmt::format("cell {} equals its margin {}: everyone in the margin has "
                            "category '{}'",
                            label, margin_label, table.dimensions[d].categories[own].label),
                fmt::format("셀 {}이(가) 합계 {}와 같습니다. 합계의 모든 사람이 '{}' 범주에 "
                            "속함이 드러납니다",
                            label, margin_label, table.dimensions[d].categories[own].label)});
    return;
  }
}

void CheckExtreme(const std::string& cell, Statistic statistic, bool granted,
                  const RiskAppetite& a, CellCheck& check) {
  std::string_view name = StatisticName(statistic);
  if (!a.extremes_fail || granted) {
    AddFinding(check, {Rule::kExtreme, Verdict::kReview,
                       fmt::format("cell {} shows a {}, usually one person's value; a "
                                   "reviewer must confirm the exception",
                                   cell, name),
                       fmt::format("셀 {}은(는) {} 값으로 보통 한 사람의 값입니다. 검토자가 "
                                   "예외를 확인해야 합니다",
                                   cell, name)});
    return;
  }
  AddFinding(check, {Rule::kExtreme, Verdict::kFail,
                     fmt::format("cell {} shows a {}, usually one person's value; it is not "
                                 "released without an exception",
                                 cell, name),
                     fmt::format("셀 {}은(는) {} 값으로 보통 한 사람의 값입니다. 예외 승인 "
                                 "없이는 반출할 수 없습니다",
                                 cell, name)});
}

// Variance and standard deviation: N = persons and one estimated parameter (the mean).
void CheckDispersionCell(const std::string& cell, const CellEvidence& e,
                         const RiskAppetite& a, CellCheck& check) {
  if (e.persons == 0) {
    CheckThreshold(cell, e, a, check);  // reports the zero
    return;
  }
  if (CappedBelow(cell, e, std::max(a.min_residual_df + 1, a.min_observations_per_parameter),
                  check)) {
    return;
  }
  int64_t df = e.persons - 1;
  if (df < a.min_residual_df) {
    AddFinding(check, {Rule::kDegreesOfFreedom, Verdict::kFail,
                       fmt::format("cell {} has {} residual degrees of freedom (N = {}); "
                                   "minimum is {}",
                                   cell, df, e.persons, a.min_residual_df),
                       fmt::format("셀 {}의 잔차 자유도는 {}(N = {})로 최소 기준 {} "
                                   "미만입니다",
                                   cell, df, e.persons, a.min_residual_df)});
  }
  if (e.persons < a.min_observations_per_parameter) {
    AddFinding(check, {Rule::kParameters, Verdict::kFail,
                       fmt::format("cell {} estimates 1 parameter from {} observations; at "
                                   "least {} are needed",
                                   cell, e.persons, a.min_observations_per_parameter),
                       fmt::format("셀 {}은(는) 관측치 {}개로 모수 1개를 추정합니다. 최소 "
                                   "{}개가 필요합니다",
                                   cell, e.persons, a.min_observations_per_parameter)});
  }
}

Status ValidateEvidence(const Table& table) {
  for (size_t i = 0; i < table.cells.size(); ++i) {
    const CellEvidence& e = table.cells[i].evidence;
    if (e.persons < 0 || e.negative_contributions < 0 || e.null_contributions < 0) {
      return InvalidArgument("cell " + std::to_string(i) +
                             " has negative evidence counts; recompute its evidence");
    }
    // A NaN would make every rule comparison false, i.e. pass silently.
    if (!std::isfinite(e.sum) || !std::isfinite(e.top1) || !std::isfinite(e.top2) ||
        (!e.value_null && !std::isfinite(table.cells[i].value))) {
      return InvalidArgument("cell " + std::to_string(i) +
                             " has a non-finite value or evidence; mark NULLs as value_null");
    }
  }
  return OkStatus();
}

Result<CheckReport> CheckTable(const Output& output, const Table& table,
                               const RiskAppetite& a) {
  SZ_ASSIGN_OR_RETURN(TableIndex index, TableIndex::Build(table));
  SZ_RETURN_IF_ERROR(ValidateEvidence(table));
  CheckReport report;
  report.cells.resize(table.cells.size());
  for (size_t i = 0; i < table.cells.size(); ++i) {
    const Cell& cell = table.cells[i];
    const CellEvidence& e = cell.evidence;
    CellCheck& check = report.cells[i];
    const std::string label = TableIndex::CellLabel(table, cell);
    CheckMissing(label, e, a, check);
    switch (output.type) {
      case OutputType::kFrequencyTable:
        CheckThreshold(label, e, a, check);
        CheckFullCell(table, index, i, a, check);
        break;
      case OutputType::kMagnitudeTable:
        CheckThreshold(label, e, a, check);
        CheckPPercent(label, e, a, check);
        CheckDominance(label, e, a, check);
        CheckNegatives(label, e, a, check);
        break;
      case OutputType::kQuantiles:
        CheckThreshold(label, e, a, check);
        break;
      case OutputType::kExtremes:
        CheckExtreme(label, table.statistic, output.exception_granted, a, check);
        break;
      case OutputType::kDispersion:
        CheckDispersionCell(label, e, a, check);
        break;
      case OutputType::kRegression:
      case OutputType::kFreeform:
        break;
    }
  }
  Summarize(report);
  return report;
}

CheckReport CheckRegression(const RegressionEvidence& r, const RiskAppetite& a) {
  CheckReport report;
  auto add = [&report](Rule rule, Verdict v, std::string en, std::string ko) {
    report.findings.push_back({rule, v, std::move(en), std::move(ko)});
  };
  if (r.observations <= 0) {
    add(Rule::kObservations, Verdict::kFail,
        "the regression does not report its number of observations N; report it",
        "회귀모형에 관측치 수 N이 보고되지 않았습니다. N을 보고하세요");
  }
  if (r.residual_df < a.min_residual_df) {
    add(Rule::kDegreesOfFreedom, Verdict::kFail,
        fmt::format("the regression has {} residual degrees of freedom; minimum is {}",
                    r.residual_df, a.min_residual_df),
        fmt::format("회귀모형의 잔차 자유도는 {}로 최소 기준 {} 미만입니다", r.residual_df,
                    a.min_residual_df));
  }
  if (r.observations > 0 && r.parameters * a.min_observations_per_parameter > r.observations) {
    int64_t allowed = r.observations / a.min_observations_per_parameter;
    add(Rule::kParameters, Verdict::kFail,
        fmt::format("the regression estimates {} parameters from {} observations; at most "
                    "{} (N/{}) are allowed",
                    r.parameters, r.observations, allowed, a.min_observations_per_parameter),
        fmt::format("회귀모형이 관측치 {}개로 모수 {}개를 추정합니다. 최대 {}개(N/{})까지 "
                    "허용됩니다",
                    r.observations, r.parameters, allowed,
                    a.min_observations_per_parameter));
  }
  if (r.observations > 0 && r.residual_df != r.observations - r.parameters) {
    add(Rule::kDegreesOfFreedom, Verdict::kReview,
        fmt::format("the regression reports {} residual degrees of freedom but N - "
                    "parameters is {}; check the model",
                    r.residual_df, r.observations - r.parameters),
        fmt::format("회귀모형의 잔차 자유도는 {}로 보고되었으나 N - 모수는 {}입니다. 모형을 "
                    "확인하세요",
                    r.residual_df, r.observations - r.parameters));
  }
  Summarize(report);
  return report;
}

std::string Extension(std::string_view name) {
  size_t slash = name.find_last_of('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

CheckReport CheckFile(const FileEvidence& f, const RiskAppetite& a) {
  CheckReport report;
  auto add = [&report](Rule rule, Verdict v, std::string en, std::string ko) {
    report.findings.push_back({rule, v, std::move(en), std::move(ko)});
  };
  const auto& allowed = a.freeform.allowed_types;
  std::string ext = Extension(f.name);
  if (std::find(allowed.begin(), allowed.end(), ext) == allowed.end()) {
    std::string list = fmt::format("{}", fmt::join(allowed, ", "));
    add(Rule::kFileType, Verdict::kFail,
        fmt::format("file '{}' has type '{}', which is not on the allow-list ({})", f.name,
                    ext, list),
        fmt::format("파일 '{}'의 형식 '{}'은(는) 허용 목록({})에 없습니다", f.name, ext,
                    list));
  }
  if (f.size_bytes > a.freeform.max_bytes) {
    add(Rule::kFileSize, Verdict::kFail,
        fmt::format("file '{}' has {} bytes; the limit is {}", f.name, f.size_bytes,
                    a.freeform.max_bytes),
        fmt::format("파일 '{}'의 크기는 {}바이트로 한도 {}바이트를 넘습니다", f.name,
                    f.size_bytes, a.freeform.max_bytes));
  }
  if (f.rows && *f.rows > a.freeform.max_rows) {
    add(Rule::kFileRows, Verdict::kFail,
        fmt::format("file '{}' has {} rows; the limit is {}", f.name, *f.rows,
                    a.freeform.max_rows),
        fmt::format("파일 '{}'의 행 수는 {}로 한도 {}를 넘습니다", f.name, *f.rows,
                    a.freeform.max_rows));
  }
  add(Rule::kFreeform, Verdict::kReview,
      "free text, code and files are always reviewed by a person",
      "자유 텍스트, 코드, 파일은 항상 사람이 검토합니다");
  Summarize(report);
  return report;
}

}  // namespace

Result<CheckReport> CheckOutput(const Output& output, const RiskAppetite& appetite) {
  if (IsTableType(output.type)) {
    const Table* table = std::get_if<Table>(&output.body);
    if (table == nullptr) {
      return InvalidArgument("output '" + output.uid + "' is a " +
                             std::string(OutputTypeName(output.type)) +
                             " but carries no table");
    }
    return CheckTable(output, *table, appetite);
  }
  if (output.type == OutputType::kRegression) {
    const auto* r = std::get_if<RegressionEvidence>(&output.body);
    if (r == nullptr) {
      return InvalidArgument("output '" + output.uid +
                             "' is a regression but carries no regression evidence");
    }
    return CheckRegression(*r, appetite);
  }
  const auto* f = std::get_if<FileEvidence>(&output.body);
  if (f == nullptr) {
    return InvalidArgument("output '" + output.uid + "' is free-form but carries no file");
  }
  return CheckFile(*f, appetite);
}

}  // namespace sz::disclosure
