// The CSV files of the monthly report.
#include <initializer_list>

#include "fmt/format.h"
#include "ops/report_render.h"

namespace sz::ops {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

class Csv {
 public:
  explicit Csv(std::initializer_list<std::string_view> header) : out_(kBom) {
    bool first = true;
    for (std::string_view h : header) {
      out_ += first ? "" : ",";
      out_ += CsvField(h);
      first = false;
    }
    out_ += "\r\n";
  }
  Csv& Text(std::string_view v) { return Cell(CsvField(v)); }
  Csv& Int(int64_t v) { return Cell(std::to_string(v)); }
  Csv& Real(double v) { return Cell(fmt::format("{:.1f}", v)); }
  void End() {
    out_ += "\r\n";
    row_started_ = false;
  }
  std::string Take() { return std::move(out_); }

 private:
  Csv& Cell(const std::string& cell) {
    if (row_started_) out_ += ',';
    out_ += cell;
    row_started_ = true;
    return *this;
  }
  std::string out_;
  bool row_started_ = false;
};

}  // namespace

std::string CsvField(std::string_view text) {
  std::string v;
  // A leading = + - @ (or a tab/CR that some programs skip) would start a formula.
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    v = "'";
  v += text;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string quoted = "\"";
  for (char c : v) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::vector<CsvFile> RenderCsv(const UsageReport& r) {
  std::vector<CsvFile> files;
  {
    Csv c({"zone", "month", "generated_at", "requests", "client_errors", "server_errors",
           "queries", "failed_queries", "exports_approved", "exports_rejected", "active_users",
           "active_projects"});
    const UsageTotals& t = r.totals;
    c.Text(r.zone_name).Text(r.month.ToString()).Text(r.generated_at).Int(t.requests);
    c.Int(t.client_errors).Int(t.server_errors).Int(t.queries).Int(t.failed_queries);
    c.Int(t.exports_approved).Int(t.exports_rejected).Int(t.active_users).Int(t.active_projects);
    c.End();
    files.push_back({"summary.csv", c.Take()});
  }
  {
    Csv c({"sector", "title_ko", "title_en", "datasets", "projects", "queries", "failed_queries",
           "exports_approved", "exports_rejected", "active_users"});
    for (const SectorUsage& s : r.sectors) {
      c.Text(s.name).Text(s.title_ko).Text(s.title_en).Int(s.datasets).Int(s.projects);
      c.Int(s.queries).Int(s.failed_queries).Int(s.exports_approved).Int(s.exports_rejected);
      c.Int(s.active_users).End();
    }
    files.push_back({"sectors.csv", c.Take()});
  }
  {
    Csv c({"dataset", "title_ko", "title_en", "sector", "tier", "projects", "queries",
           "failed_queries", "exports_approved", "exports_rejected", "active_users"});
    for (const DatasetUsage& d : r.datasets) {
      c.Text(d.name).Text(d.title_ko).Text(d.title_en).Text(d.sector).Text(d.tier);
      c.Int(d.projects).Int(d.queries).Int(d.failed_queries).Int(d.exports_approved);
      c.Int(d.exports_rejected).Int(d.active_users).End();
    }
    files.push_back({"datasets.csv", c.Take()});
  }
  {
    Csv c({"method", "route", "requests", "client_errors", "server_errors", "p50_ms", "p95_ms",
           "p99_ms"});
    for (const RouteUsage& x : r.routes) {
      c.Text(x.method).Text(x.route).Int(x.requests).Int(x.client_errors).Int(x.server_errors);
      c.Real(x.p50_ms).Real(x.p95_ms).Real(x.p99_ms).End();
    }
    files.push_back({"routes.csv", c.Take()});
  }
  {
    Csv c({"day", "requests", "errors", "queries", "active_users"});
    for (const DayUsage& d : r.days) {
      c.Text(d.day).Int(d.requests).Int(d.errors).Int(d.queries).Int(d.active_users).End();
    }
    files.push_back({"days.csv", c.Take()});
  }
  {
    Csv c({"kind", "subject", "value", "threshold"});
    for (const Flag& f : r.flags) {
      c.Text(FlagKindName(f.kind)).Text(f.subject).Real(f.value).Real(f.threshold).End();
    }
    files.push_back({"flags.csv", c.Take()});
  }
  return files;
}

}  // namespace sz::ops
