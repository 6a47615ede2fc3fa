// The HTML page of the monthly report.
#include <map>

#include "fmt/format.h"
#include "ops/report_render.h"
#include "ops/svg_chart.h"

namespace sz::ops {

namespace {

struct Text {
  std::string_view ko, en;
};

// Every label of the page, in both languages.
const std::map<std::string_view, Text>& Labels() {
  static const std::map<std::string_view, Text> labels = {
      {"title", {"월간 이용 현황 보고서", "Monthly usage report"}},
      {"zone", {"안심구역", "Zone"}},
      {"month", {"대상 월", "Month"}},
      {"generated", {"작성 시각 (UTC)", "Generated (UTC)"}},
      {"period", {"기간 (한국 표준시)", "Period (Korea Standard Time)"}},
      {"summary", {"요약", "Summary"}},
      {"requests", {"API 요청", "API requests"}},
      {"client_errors", {"요청 오류 (4xx)", "Client errors (4xx)"}},
      {"server_errors", {"서버 오류 (5xx)", "Server errors (5xx)"}},
      {"queries", {"분석 질의", "Queries"}},
      {"failed_queries", {"실패한 질의", "Failed queries"}},
      {"exports_approved", {"반출 승인", "Exports approved"}},
      {"exports_rejected", {"반출 거부", "Exports rejected"}},
      {"active_users", {"활동 사용자", "Active users"}},
      {"active_projects", {"진행 과제", "Active projects"}},
      {"trend", {"일별 추이", "Daily trend"}},
      {"requests_per_day", {"일별 API 요청", "API requests per day"}},
      {"queries_per_day", {"일별 분석 질의", "Queries per day"}},
      {"day", {"일자", "Day"}},
      {"errors", {"오류", "Errors"}},
      {"sectors", {"분야별 이용", "Use by sector"}},
      {"sector", {"분야", "Sector"}},
      {"datasets_count", {"데이터셋 수", "Datasets"}},
      {"projects", {"이용 과제", "Projects"}},
      {"queries_per_sector", {"분야별 분석 질의", "Queries per sector"}},
      {"datasets", {"데이터셋별 이용", "Use by dataset"}},
      {"dataset", {"데이터셋", "Dataset"}},
      {"tier", {"등급", "Tier"}},
      {"routes", {"API 경로별 성능", "API performance by route"}},
      {"route", {"경로", "Route"}},
      {"p95_per_route", {"경로별 95번째 백분위 지연 (요청이 있는 경로)",
                         "p95 latency per route (routes with requests)"}},
      {"latency_note",
       {"지연은 밀리초, 최근접 순위 백분위 (Hyndman & Fan 정의 1)입니다.",
        "Latency in milliseconds, nearest-rank percentiles (Hyndman & Fan definition 1)."}},
      {"flags", {"저이용·저성능 항목", "Low use and slow"}},
      {"kind", {"구분", "Kind"}},
      {"subject", {"대상", "Subject"}},
      {"value", {"값", "Value"}},
      {"threshold", {"기준", "Threshold"}},
      {"low_use_route", {"이용이 적은 경로 (요청 수 < 기준)", "Low-use route (requests < threshold)"}},
      {"slow_route", {"느린 경로 (p95 ms > 기준)", "Slow route (p95 ms > threshold)"}},
      {"low_use_dataset",
       {"이용이 적은 데이터셋 (질의 수 < 기준)", "Low-use dataset (queries < threshold)"}},
      {"no_flags", {"기준을 벗어난 항목이 없습니다.", "Nothing below or above the thresholds."}},
      {"privacy_note",
       {"이 보고서에는 사용자 이름, 질의 내용, 요청 식별자, 데이터 값이 포함되지 않습니다. "
        "사람은 수로만 나타납니다.",
        "This report holds no user names, query text, request ids or data values; people "
        "appear only as counts."}},
      {"open", {"개방", "open"}},
      {"pseudonymized", {"가명", "pseudonymized"}},
      {"non_open", {"비개방", "non-open"}},
  };
  return labels;
}

class Page {
 public:
  Page(const UsageReport& report, Lang lang) : r_(report), lang_(lang) {}

  std::string Render() {
    Head();
    Summary();
    Trend();
    Sectors();
    Datasets();
    Routes();
    Flags();
    out_ += fmt::format("<p class=\"note\">{}</p>\n</body>\n</html>\n", L("privacy_note"));
    return std::move(out_);
  }

 private:
  std::string_view L(std::string_view key) const {
    const Text& t = Labels().at(key);
    return lang_ == Lang::kKo ? t.ko : t.en;
  }
  std::string_view Other(std::string_view key) const {
    const Text& t = Labels().at(key);
    return lang_ == Lang::kKo ? t.en : t.ko;
  }
  // "월간 이용 현황 · Monthly usage": both languages, the chosen one first.
  void Heading(int level, std::string_view key) {
    out_ += fmt::format("<h{0}>{1} <span class=\"alt\">· {2}</span></h{0}>\n", level, L(key),
                        Other(key));
  }
  std::string Title(std::string_view ko, std::string_view en, std::string_view name) const {
    std::string_view t = lang_ == Lang::kKo ? ko : en;
    if (t.empty()) t = lang_ == Lang::kKo ? en : ko;
    return EscapeXml(t.empty() ? name : t);
  }
  std::string Tier(std::string_view tier) const {
    return Labels().count(tier) ? std::string(L(tier)) : EscapeXml(tier);
  }
  // Header cells: labels for `keys`, then `literal` texts as they are.
  void TableHead(std::initializer_list<std::string_view> keys,
                 std::initializer_list<std::string_view> literal = {}) {
    out_ += "<table>\n<thead><tr>";
    for (std::string_view k : keys) out_ += fmt::format("<th>{}</th>", L(k));
    for (std::string_view t : literal) out_ += fmt::format("<th>{}</th>", t);
    out_ += "</tr></thead>\n<tbody>\n";
  }
  static std::string Num(int64_t v) { return FormatNumber(static_cast<double>(v)); }
  static std::string Td(const std::string& text) { return "<td>" + text + "</td>"; }
  static std::string TdNum(const std::string& text) { return "<td class=\"n\">" + text + "</td>"; }

  void Head() {
    out_ += fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{} {}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
        lang_ == Lang::kKo ? "ko" : "en", L("title"), r_.month.ToString(), kCss);
    Heading(1, "title");
    std::string last = FormatDate(Date{std::chrono::sys_days(r_.month.FirstDay()) +
                                       std::chrono::days(r_.month.Days() - 1)});
    out_ += "<dl class=\"meta\">";
    out_ += fmt::format("<dt>{}</dt><dd>{}</dd>", L("zone"), EscapeXml(r_.zone_name));
    out_ += fmt::format("<dt>{}</dt><dd>{}</dd>", L("month"), r_.month.ToString());
    out_ += fmt::format("<dt>{}</dt><dd>{} 00:00 – {} 24:00</dd>", L("period"),
                        FormatDate(r_.month.FirstDay()), last);
    out_ += fmt::format("<dt>{}</dt><dd>{}</dd>", L("generated"), EscapeXml(r_.generated_at));
    out_ += "</dl>\n";
  }

  void Summary() {
    out_ += "<section>\n";
    Heading(2, "summary");
    const UsageTotals& t = r_.totals;
    const std::pair<std::string_view, int64_t> cards[] = {
        {"requests", t.requests},
        {"client_errors", t.client_errors},
        {"server_errors", t.server_errors},
        {"queries", t.queries},
        {"failed_queries", t.failed_queries},
        {"exports_approved", t.exports_approved},
        {"exports_rejected", t.exports_rejected},
        {"active_users", t.active_users},
        {"active_projects", t.active_projects},
    };
    out_ += "<div class=\"cards\">";
    for (const auto& [key, value] : cards) {
      out_ += fmt::format("<div class=\"card\"><div class=\"v\">{}</div><div>{}</div></div>",
                          Num(value), L(key));
    }
    out_ += "</div>\n</section>\n";
  }

  void Trend() {
    out_ += "<section>\n";
    Heading(2, "trend");
    std::vector<ChartBar> requests, queries;
    for (const DayUsage& d : r_.days) {
      std::string day = d.day.substr(8);  // "01".."31"
      requests.push_back({day, static_cast<double>(d.requests)});
      queries.push_back({day, static_cast<double>(d.queries)});
    }
    out_ += fmt::format("<h3>{}</h3>\n{}\n", L("requests_per_day"),
                        VerticalBarChart(L("requests_per_day"), requests, 2));
    out_ += fmt::format("<h3>{}</h3>\n{}\n", L("queries_per_day"),
                        VerticalBarChart(L("queries_per_day"), queries, 2));
    TableHead({"day", "requests", "errors", "queries", "active_users"});
    for (const DayUsage& d : r_.days) {
      out_ += "<tr>" + Td(d.day) + TdNum(Num(d.requests)) + TdNum(Num(d.errors)) +
              TdNum(Num(d.queries)) + TdNum(Num(d.active_users)) + "</tr>\n";
    }
    out_ += "</tbody></table>\n</section>\n";
  }

  void Sectors() {
    out_ += "<section>\n";
    Heading(2, "sectors");
    std::vector<ChartBar> bars;
    for (const SectorUsage& s : r_.sectors) {
      bars.push_back({Title(s.title_ko, s.title_en, s.name), static_cast<double>(s.queries)});
    }
    out_ += HorizontalBarChart(L("queries_per_sector"), bars, "") + "\n";
    TableHead({"sector", "datasets_count", "projects", "queries", "failed_queries",
               "exports_approved", "exports_rejected", "active_users"});
    for (const SectorUsage& s : r_.sectors) {
      out_ += "<tr>" + Td(Title(s.title_ko, s.title_en, s.name)) + TdNum(Num(s.datasets)) +
              TdNum(Num(s.projects)) + TdNum(Num(s.queries)) + TdNum(Num(s.failed_queries)) +
              TdNum(Num(s.exports_approved)) + TdNum(Num(s.exports_rejected)) +
              TdNum(Num(s.active_users)) + "</tr>\n";
    }
    out_ += "</tbody></table>\n</section>\n";
  }

  void Datasets() {
    out_ += "<section>\n";
    Heading(2, "datasets");
    TableHead({"dataset", "sector", "tier", "projects", "queries", "failed_queries",
               "exports_approved", "exports_rejected", "active_users"});
    for (const DatasetUsage& d : r_.datasets) {
      std::string name = fmt::format("{}<br><span class=\"code\">{}</span>",
                                     Title(d.title_ko, d.title_en, d.name), EscapeXml(d.name));
      out_ += "<tr>" + Td(name) + Td(SectorTitle(d.sector)) + Td(Tier(d.tier)) +
              TdNum(Num(d.projects)) + TdNum(Num(d.queries)) + TdNum(Num(d.failed_queries)) +
              TdNum(Num(d.exports_approved)) + TdNum(Num(d.exports_rejected)) +
              TdNum(Num(d.active_users)) + "</tr>\n";
    }
    out_ += "</tbody></table>\n</section>\n";
  }

  std::string SectorTitle(std::string_view name) const {
    for (const SectorUsage& s : r_.sectors) {
      if (s.name == name) return Title(s.title_ko, s.title_en, s.name);
    }
    return EscapeXml(name);
  }

  void Routes() {
    out_ += "<section>\n";
    Heading(2, "routes");
    std::vector<ChartBar> bars;
    for (const RouteUsage& r : r_.routes) {
      if (r.requests > 0) bars.push_back({r.method + " " + r.route, r.p95_ms});
    }
    out_ += fmt::format("<h3>{}</h3>\n{}\n", L("p95_per_route"),
                        HorizontalBarChart(L("p95_per_route"), bars, "ms", 1));
    out_ += fmt::format("<p class=\"note\">{}</p>\n", L("latency_note"));
    // The percentile headers read the same in both languages.
    TableHead({"route", "requests", "client_errors", "server_errors"}, {"p50", "p95", "p99"});
    for (const RouteUsage& r : r_.routes) {
      out_ += "<tr>" + Td("<span class=\"code\">" + EscapeXml(r.method + " " + r.route) + "</span>") +
              TdNum(Num(r.requests)) + TdNum(Num(r.client_errors)) + TdNum(Num(r.server_errors)) +
              TdNum(FormatNumber(r.p50_ms, 1)) + TdNum(FormatNumber(r.p95_ms, 1)) +
              TdNum(FormatNumber(r.p99_ms, 1)) + "</tr>\n";
    }
    out_ += "</tbody></table>\n</section>\n";
  }

  void Flags() {
    out_ += "<section>\n";
    Heading(2, "flags");
    if (r_.flags.empty()) {
      out_ += fmt::format("<p>{}</p>\n</section>\n", L("no_flags"));
      return;
    }
    TableHead({"kind", "subject", "value", "threshold"});
    for (const Flag& f : r_.flags) {
      int decimals = f.kind == FlagKind::kSlowRoute ? 1 : 0;
      out_ += "<tr>" + Td(std::string(L(FlagKindName(f.kind)))) +
              Td("<span class=\"code\">" + EscapeXml(f.subject) + "</span>") +
              TdNum(FormatNumber(f.value, decimals)) + TdNum(FormatNumber(f.threshold, decimals)) +
              "</tr>\n";
    }
    out_ += "</tbody></table>\n</section>\n";
  }

  static constexpr std::string_view kCss = R"css(body{font-family:"Noto Sans KR","Malgun Gothic","Apple SD Gothic Neo",sans-serif;margin:2em;color:#222;font-size:14px}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
h3{font-size:1em;margin:.8em 0 .3em}.alt{color:#777;font-weight:normal;font-size:.8em}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
.cards{display:flex;flex-wrap:wrap;gap:.6em}.card{border:1px solid #ccc;border-radius:4px;padding:.5em .8em;min-width:8em}
.card .v{font-size:1.4em;font-weight:bold}
table{border-collapse:collapse;margin:.6em 0;width:100%}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}.code{font-family:monospace;font-size:.9em;color:#444}
.note{color:#555;font-size:.9em}svg.chart{max-width:100%;height:auto;display:block;margin:.4em 0}
@media print{body{margin:0;font-size:11px}section{break-before:page}tr{break-inside:avoid}thead{display:table-header-group}}
@page{size:A4;margin:15mm}
)css";

  const UsageReport& r_;
  Lang lang_;
  std::string out_;
};

}  // namespace

Result<Lang> ParseLang(std::string_view text) {
  if (text == "ko") return Lang::kKo;
  if (text == "en") return Lang::kEn;
  return InvalidArgument("the report language is ko or en");
}

std::string RenderHtml(const UsageReport& report, Lang lang) { return Page(report, lang).Render(); }

}  // namespace sz::ops
