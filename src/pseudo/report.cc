#include "pseudo/report.h"

#include <cmath>
#include <map>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace sz::pseudo {

void AddTransform(AdequacyReport& report, const TransformReport& transform) {
  report.rows_in = transform.rows_in;
  report.rows_out = transform.rows_out;
  report.rows_suppressed = transform.rows_suppressed;
  report.columns = transform.columns;
  report.warnings.insert(report.warnings.end(), transform.warnings.begin(),
                         transform.warnings.end());
}

namespace {

const Metric* FindMetric(const AdequacyReport& r, const std::string& name) {
  for (const auto* list : {&r.risk, &r.utility}) {
    for (const auto& m : *list) {
      if (m.name == name) return &m;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<Verdict> Evaluate(const AdequacyReport& report) {
  std::vector<Verdict> out;
  for (const auto& t : report.thresholds) {
    Verdict v;
    v.threshold = t;
    const Metric* m = FindMetric(report, t.metric);
    if (m && m->after) {
      v.actual = m->after;
      v.pass = t.comparison == Comparison::kAtLeast ? *m->after >= t.value : *m->after <= t.value;
    }
    out.push_back(v);
  }
  return out;
}

bool Passes(const AdequacyReport& report) {
  auto verdicts = Evaluate(report);
  if (verdicts.empty()) return false;
  for (const auto& v : verdicts) {
    if (!v.pass) return false;
  }
  return true;
}

namespace {

// --- words ---------------------------------------------------------------------------

struct Words {
  const char* title;
  const char* summary;
  const char* columns;
  const char* risk;
  const char* utility;
  const char* thresholds;
  const char* warnings;
  const char* signoff;
  const char* dataset;
  const char* policy;
  const char* rationale;
  const char* rows_in;
  const char* rows_out;
  const char* rows_suppressed;
  const char* input_hash;
  const char* output_hash;
  const char* run_by;
  const char* run_at;
  const char* signed_by;
  const char* signed_at;
  const char* not_signed;
  const char* column;
  const char* rule;
  const char* detail;
  const char* in_type;
  const char* out_type;
  const char* missing;
  const char* changed;
  const char* suppressed;
  const char* removed;
  const char* metric;
  const char* before;
  const char* after;
  const char* requirement;
  const char* actual;
  const char* verdict;
  const char* pass;
  const char* fail;
  const char* not_measured;
  const char* overall;
  const char* no_thresholds;
  const char* none;
};

constexpr Words kKo = {"가명처리 적정성 검토 보고서",
                       "개요",
                       "열별 처리 내역",
                       "재식별 위험도",
                       "유용성",
                       "기준 및 판정",
                       "경고",
                       "서명",
                       "데이터셋",
                       "정책",
                       "처리 근거",
                       "입력 행 수",
                       "출력 행 수",
                       "삭제된 행 수",
                       "입력 버전 해시",
                       "출력 버전 해시",
                       "수행자",
                       "수행 일시",
                       "승인자",
                       "승인 일시",
                       "미승인",
                       "열",
                       "규칙",
                       "내용",
                       "입력 형식",
                       "출력 형식",
                       "결측",
                       "변경",
                       "억제",
                       "(삭제됨)",
                       "지표",
                       "처리 전",
                       "처리 후",
                       "기준",
                       "실제",
                       "판정",
                       "적합",
                       "부적합",
                       "미측정",
                       "종합 판정",
                       "기준이 지정되지 않음",
                       "없음"};

constexpr Words kEn = {"Pseudonymization adequacy report",
                       "Summary",
                       "Transforms by column",
                       "Re-identification risk",
                       "Utility",
                       "Thresholds and verdict",
                       "Warnings",
                       "Sign-off",
                       "Dataset",
                       "Policy",
                       "Rationale",
                       "Rows in",
                       "Rows out",
                       "Rows suppressed",
                       "Input version hash",
                       "Output version hash",
                       "Run by",
                       "Run at",
                       "Signed off by",
                       "Signed off at",
                       "not signed off",
                       "Column",
                       "Rule",
                       "Detail",
                       "Input type",
                       "Output type",
                       "Missing",
                       "Changed",
                       "Suppressed",
                       "(removed)",
                       "Metric",
                       "Before",
                       "After",
                       "Requirement",
                       "Actual",
                       "Verdict",
                       "PASS",
                       "FAIL",
                       "not measured",
                       "Overall",
                       "no thresholds given",
                       "none"};

const Words& W(Lang lang) { return lang == Lang::kKo ? kKo : kEn; }

std::string MetricLabel(const std::string& name, Lang lang) {
  static const std::map<std::string, std::pair<const char*, const char*>> kLabels = {
      {"k", {"k (최소 동질집합 크기)", "k (smallest equivalence class)"}},
      {"prosecutor_max", {"재식별 위험도 최댓값 (검사자 모델)", "Prosecutor risk, maximum"}},
      {"prosecutor_avg", {"재식별 위험도 평균 (검사자 모델)", "Prosecutor risk, average"}},
      {"records_above_threshold",
       {"위험 임계값 초과 레코드 비율", "Share of records above the risk threshold"}},
      {"sample_uniques", {"표본 고유 레코드 비율", "Sample uniques"}},
      {"journalist_risk", {"재식별 위험도 (기자 모델)", "Journalist risk"}},
      {"loss", {"정보 손실 (Loss)", "Information loss (Loss)"}},
      {"discernibility", {"식별력 지표 (Discernibility)", "Discernibility"}},
      {"non_uniform_entropy", {"비균등 엔트로피", "Non-uniform entropy"}},
      {"average_class_size", {"평균 동질집합 크기", "Average class size"}},
      {"direct_identifiers_kept",
       {"원문 그대로 남은 직접 식별자 컬럼 수", "Direct identifiers kept in the clear (columns)"}},
      {"l_distinct",
       {"구별 l-다양성 (동질집합의 최소 민감값 수)",
        "Distinct l-diversity (fewest sensitive values in a class)"}},
  };
  // "distinct_values:<column>": one per quasi-identifier.
  constexpr std::string_view kDistinct = "distinct_values:";
  if (name.starts_with(kDistinct)) {
    return fmt::format("{}: {}", lang == Lang::kKo ? "고유값 수" : "Distinct values",
                       name.substr(kDistinct.size()));
  }
  auto it = kLabels.find(name);
  if (it == kLabels.end()) return name;
  return lang == Lang::kKo ? it->second.first : it->second.second;
}

std::string Number(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15)
    return fmt::format("{:.0f}", x);
  return fmt::format("{:.4g}", x);
}

std::string Opt(const std::optional<double>& x) { return x ? Number(*x) : "-"; }

std::string Requirement(const Threshold& t) {
  return fmt::format("{} {}", t.comparison == Comparison::kAtLeast ? "≥" : "≤", Number(t.value));
}

// --- Markdown ------------------------------------------------------------------------

// Text inside a Markdown table cell: no raw HTML, no column breaks, no emphasis.
std::string Md(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '*':
        out += "\\*";
        break;
      case '_':
        out += "\\_";
        break;
      case '`':
        out += "\\`";
        break;
      case '[':
        out += "\\[";
        break;
      case ']':
        out += "\\]";
        break;
      case '#':
        out += "\\#";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MdRow(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const auto& c : cells) out += " " + c + " |";
  return out + "\n";
}

std::string MdHeader(const std::vector<std::string>& cells) {
  std::string out = MdRow(cells) + "|";
  for (size_t i = 0; i < cells.size(); ++i) out += "---|";
  return out + "\n";
}

// --- HTML ----------------------------------------------------------------------------

std::string H(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlRow(const std::vector<std::string>& cells, const char* tag = "td") {
  std::string out = "<tr>";
  for (const auto& c : cells) out += fmt::format("<{0}>{1}</{0}>", tag, c);
  return out + "</tr>\n";
}

constexpr const char* kCss = R"css(
body { font-family: "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif; color: #111; margin: 2em; line-height: 1.45; }
h1 { font-size: 1.5em; border-bottom: 2px solid #333; padding-bottom: .3em; }
h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: .9em; }
th, td { border: 1px solid #999; padding: .3em .5em; text-align: left; vertical-align: top; word-break: break-all; }
th { background: #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #0a5c1a; font-weight: bold; }
.fail { color: #a30000; font-weight: bold; }
.overall { font-size: 1.2em; padding: .4em .6em; border: 2px solid currentColor; display: inline-block; }
code { font-family: "D2Coding", monospace; font-size: .85em; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
)css";

}  // namespace

std::string RenderMarkdown(const AdequacyReport& r, Lang lang) {
  const Words& w = W(lang);
  const bool pass = Passes(r);
  std::string md =
      fmt::format("# {}\n\n**{}: {}**\n\n", w.title, w.overall, pass ? w.pass : w.fail);
  md += fmt::format("## {}\n\n", w.summary);
  md += MdHeader({"", ""});
  for (const auto& [k, v] : std::vector<std::pair<const char*, std::string>>{
           {w.dataset, r.dataset},
           {w.policy, r.policy_name},
           {w.rationale, r.policy_summary},
           {w.rows_in, std::to_string(r.rows_in)},
           {w.rows_out, std::to_string(r.rows_out)},
           {w.rows_suppressed, std::to_string(r.rows_suppressed)},
           {w.input_hash, r.input_version_hash},
           {w.output_hash, r.output_version_hash},
           {w.run_by, r.run_by},
           {w.run_at, r.run_at}}) {
    md += MdRow({k, Md(v)});
  }
  md += fmt::format("\n## {}\n\n", w.columns);
  md += MdHeader(
      {w.column, w.rule, w.detail, w.in_type, w.out_type, w.missing, w.changed, w.suppressed});
  for (const auto& c : r.columns) {
    md +=
        MdRow({Md(c.column), Md(c.rule), Md(c.detail), Md(c.input_type),
               c.output_type.empty() ? w.removed : Md(c.output_type), std::to_string(c.missing_in),
               std::to_string(c.changed), std::to_string(c.suppressed)});
  }
  for (const auto& [title, list] : {std::pair{w.risk, &r.risk}, std::pair{w.utility, &r.utility}}) {
    md += fmt::format("\n## {}\n\n", title);
    if (list->empty()) {
      md += std::string(w.none) + "\n";
      continue;
    }
    md += MdHeader({w.metric, w.before, w.after});
    for (const auto& m : *list)
      md += MdRow({Md(MetricLabel(m.name, lang)), Opt(m.before), Opt(m.after)});
  }
  md += fmt::format("\n## {}\n\n", w.thresholds);
  auto verdicts = Evaluate(r);
  if (verdicts.empty())
    md += std::string(w.no_thresholds) + "\n";
  else
    md += MdHeader({w.metric, w.requirement, w.actual, w.verdict});
  for (const auto& v : verdicts) {
    md += MdRow({Md(MetricLabel(v.threshold.metric, lang)), Requirement(v.threshold),
                 v.actual ? Number(*v.actual) : w.not_measured, v.pass ? w.pass : w.fail});
  }
  md += fmt::format("\n## {}\n\n", w.warnings);
  if (r.warnings.empty()) md += std::string(w.none) + "\n";
  for (const auto& x : r.warnings) md += "- " + Md(x) + "\n";
  md += fmt::format("\n## {}\n\n", w.signoff);
  md += MdHeader({"", ""});
  md += MdRow({w.signed_by, r.signed_off_by.empty() ? w.not_signed : Md(r.signed_off_by)});
  md += MdRow({w.signed_at, r.signed_off_at.empty() ? "-" : Md(r.signed_off_at)});
  return md;
}

std::string RenderHtml(const AdequacyReport& r, Lang lang) {
  const Words& w = W(lang);
  const bool pass = Passes(r);
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} - "
      "{}</title>\n"
      "<style>{}</style>\n</head>\n<body>\n<main>\n",
      lang == Lang::kKo ? "ko" : "en", H(w.title), H(r.dataset), kCss);
  h += fmt::format("<h1>{}</h1>\n<p class=\"overall {}\">{}: {}</p>\n", H(w.title),
                   pass ? "pass" : "fail", H(w.overall), pass ? w.pass : w.fail);
  h += fmt::format("<section>\n<h2>{}</h2>\n<table>\n", H(w.summary));
  for (const auto& [k, v] : std::vector<std::pair<const char*, std::string>>{
           {w.dataset, H(r.dataset)},
           {w.policy, H(r.policy_name)},
           {w.rationale, H(r.policy_summary)},
           {w.rows_in, std::to_string(r.rows_in)},
           {w.rows_out, std::to_string(r.rows_out)},
           {w.rows_suppressed, std::to_string(r.rows_suppressed)},
           {w.input_hash, "<code>" + H(r.input_version_hash) + "</code>"},
           {w.output_hash, "<code>" + H(r.output_version_hash) + "</code>"},
           {w.run_by, H(r.run_by)},
           {w.run_at, H(r.run_at)}}) {
    h += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", H(k), v);
  }
  h += "</table>\n</section>\n";
  h += fmt::format("<section>\n<h2>{}</h2>\n<table>\n", H(w.columns));
  h += HtmlRow({H(w.column), H(w.rule), H(w.detail), H(w.in_type), H(w.out_type), H(w.missing),
                H(w.changed), H(w.suppressed)},
               "th");
  for (const auto& c : r.columns) {
    h += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        H(c.column), H(c.rule), H(c.detail), H(c.input_type),
        c.output_type.empty() ? H(w.removed) : H(c.output_type), c.missing_in, c.changed,
        c.suppressed);
  }
  h += "</table>\n</section>\n";
  for (const auto& [title, list] : {std::pair{w.risk, &r.risk}, std::pair{w.utility, &r.utility}}) {
    h += fmt::format("<section>\n<h2>{}</h2>\n", H(title));
    if (list->empty()) {
      h += fmt::format("<p>{}</p>\n</section>\n", H(w.none));
      continue;
    }
    h += "<table>\n" + HtmlRow({H(w.metric), H(w.before), H(w.after)}, "th");
    for (const auto& m : *list) {
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       H(MetricLabel(m.name, lang)), Opt(m.before), Opt(m.after));
    }
    h += "</table>\n</section>\n";
  }
  h += fmt::format("<section>\n<h2>{}</h2>\n", H(w.thresholds));
  auto verdicts = Evaluate(r);
  if (verdicts.empty()) {
    h += fmt::format("<p>{}</p>\n", H(w.no_thresholds));
  } else {
    h += "<table>\n" + HtmlRow({H(w.metric), H(w.requirement), H(w.actual), H(w.verdict)}, "th");
    for (const auto& v : verdicts) {
      h += fmt::format(
          "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
          "class=\"{}\">{}</td></tr>\n",
          H(MetricLabel(v.threshold.metric, lang)), H(Requirement(v.threshold)),
          v.actual ? Number(*v.actual) : H(w.not_measured), v.pass ? "pass" : "fail",
          v.pass ? w.pass : w.fail);
    }
    h += "</table>\n";
  }
  h += "</section>\n";
  h += fmt::format("<section>\n<h2>{}</h2>\n", H(w.warnings));
  if (r.warnings.empty()) {
    h += fmt::format("<p>{}</p>\n", H(w.none));
  } else {
    h += "<ul>\n";
    for (const auto& x : r.warnings) h += "<li>" + H(x) + "</li>\n";
    h += "</ul>\n";
  }
  h += "</section>\n";
  h += fmt::format("<section>\n<h2>{}</h2>\n<table>\n", H(w.signoff));
  h += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", H(w.signed_by),
                   r.signed_off_by.empty() ? H(w.not_signed) : H(r.signed_off_by));
  h += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", H(w.signed_at),
                   r.signed_off_at.empty() ? "-" : H(r.signed_off_at));
  h += "</table>\n</section>\n</main>\n</body>\n</html>\n";
  return h;
}

std::string RenderJson(const AdequacyReport& r) {
  using Json = nlohmann::json;
  auto opt = [](const std::optional<double>& x) { return x ? Json(*x) : Json(nullptr); };
  Json j;
  j["dataset"] = r.dataset;
  j["policy"] = {{"name", r.policy_name}, {"summary", r.policy_summary}};
  j["rows"] = {{"in", r.rows_in}, {"out", r.rows_out}, {"suppressed", r.rows_suppressed}};
  j["columns"] = Json::array();
  for (const auto& c : r.columns) {
    j["columns"].push_back(
        {{"column", c.column},
         {"rule", c.rule},
         {"detail", c.detail},
         {"input_type", c.input_type},
         {"output_type", c.output_type.empty() ? Json(nullptr) : Json(c.output_type)},
         {"rows", c.rows},
         {"missing_in", c.missing_in},
         {"nulls_out", c.nulls_out},
         {"changed", c.changed},
         {"suppressed", c.suppressed},
         {"warnings", c.warnings}});
  }
  for (const auto& [key, list] : {std::pair{"risk", &r.risk}, std::pair{"utility", &r.utility}}) {
    Json arr = Json::array();
    for (const auto& m : *list)
      arr.push_back({{"name", m.name}, {"before", opt(m.before)}, {"after", opt(m.after)}});
    j[key] = std::move(arr);
  }
  j["verdicts"] = Json::array();
  for (const auto& v : Evaluate(r)) {
    j["verdicts"].push_back(
        {{"metric", v.threshold.metric},
         {"comparison", v.threshold.comparison == Comparison::kAtLeast ? "at_least" : "at_most"},
         {"value", v.threshold.value},
         {"actual", opt(v.actual)},
         {"pass", v.pass}});
  }
  j["pass"] = Passes(r);
  j["input_version_hash"] = r.input_version_hash;
  j["output_version_hash"] = r.output_version_hash;
  j["run_by"] = r.run_by;
  j["run_at"] = r.run_at;
  j["signed_off_by"] = r.signed_off_by.empty() ? Json(nullptr) : Json(r.signed_off_by);
  j["signed_off_at"] = r.signed_off_at.empty() ? Json(nullptr) : Json(r.signed_off_at);
  j["warnings"] = r.warnings;
  return j.dump(2, ' ', false, Json::error_handler_t::replace);  // never throws on bad UTF-8
}

}  // namespace sz::pseudo
