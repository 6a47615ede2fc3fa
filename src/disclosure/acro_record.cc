#include "disclosure/acro_record.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "crypto/secret.h"
#include "disclosure/table_index.h"

namespace sz::disclosure {

using nlohmann::ordered_json;

namespace {

// --- Table layout of the published CSV -------------------------------------------------

// Rows are the combinations of every dimension but the last (in cell order of first
// appearance); columns are the last dimension's categories. A 1-D table has one value
// column named after its statistic.
struct Grid {
  std::vector<std::string> row_labels;
  std::vector<std::string> col_labels;
  std::vector<std::pair<size_t, size_t>> position;  // per cell: (row, column)
  std::string corner;                                // header of the label column
};

Grid Layout(const Table& table) {
  Grid grid;
  const size_t n = table.dimensions.size();
  const Dimension& last = table.dimensions.back();
  if (n == 1) {
    grid.col_labels = {std::string(StatisticName(table.statistic))};
    for (const Category& c : last.categories) grid.row_labels.push_back(c.label);
    grid.corner = last.name;
    for (const Cell& cell : table.cells) {
      grid.position.emplace_back(static_cast<size_t>(cell.categories[0]), 0);
    }
    return grid;
  }
  for (const Category& c : last.categories) grid.col_labels.push_back(c.label);
  for (size_t d = 0; d + 1 < n; ++d) {
    grid.corner += (d > 0 ? " / " : "") + table.dimensions[d].name;
  }
  std::map<std::vector<int32_t>, size_t> rows;
  std::vector<std::vector<int32_t>> keys;
  for (const Cell& cell : table.cells) {
    std::vector<int32_t> key(cell.categories.begin(), cell.categories.end() - 1);
    if (rows.emplace(key, 0).second) keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  for (size_t r = 0; r < keys.size(); ++r) {
    rows[keys[r]] = r;
    std::string label;
    for (size_t d = 0; d < keys[r].size(); ++d) {
      label += (d > 0 ? ", " : "") + table.dimensions[d].categories[static_cast<size_t>(keys[r][d])].label;
    }
    grid.row_labels.push_back(label);
  }
  for (const Cell& cell : table.cells) {
    std::vector<int32_t> key(cell.categories.begin(), cell.categories.end() - 1);
    grid.position.emplace_back(rows[key], static_cast<size_t>(cell.categories.back()));
  }
  return grid;
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Number(double v) {
  if (std::floor(v) == v && std::abs(v) < 1e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{}", v);
}

const Table* TableOf(const CheckedOutput& c) {
  return c.output == nullptr ? nullptr : std::get_if<Table>(&c.output->body);
}

Status Validate(const CheckedOutput& c) {
  if (c.output == nullptr || c.report == nullptr) {
    return InvalidArgument("a checked output lacks its output or its report");
  }
  const Table* table = TableOf(c);
  const size_t cells = table ? table->cells.size() : 0;
  if (table && c.report->cells.size() != cells) {
    return InvalidArgument("report of '" + c.output->uid + "' does not match its table");
  }
  if (!c.suppression.empty() && c.suppression.size() != cells) {
    return InvalidArgument("suppression of '" + c.output->uid + "' does not match its table");
  }
  if (c.rounding && c.rounding->values.size() != cells) {
    return InvalidArgument("rounding of '" + c.output->uid + "' does not match its table");
  }
  return OkStatus();
}

std::optional<double> PublishedValue(const CheckedOutput& c, const Table& t, size_t i) {
  if (!c.suppression.empty() && c.suppression[i] != CellStatus::kPublished) return std::nullopt;
  if (c.rounding) return c.rounding->values[i];
  if (t.cells[i].evidence.value_null) return std::nullopt;
  return t.cells[i].value;
}

// ACRO's per-check cell lists plus ours, in a fixed order.
constexpr std::string_view kSdcKeys[] = {"negative", "missing",   "threshold",
                                         "p-ratio",  "nk-rule",   "all-values-are-same",
                                         "zero",     "full-cell", "differencing"};

ordered_json TableSdc(const CheckedOutput& c, const Grid& grid) {
  const CheckReport& report = *c.report;
  const std::string mitigation =
      c.rounding ? "round" : (!c.suppression.empty() ? "suppress" : "none");
  ordered_json summary = ordered_json::object();
  summary["suppressed"] = mitigation == "suppress";
  summary["mitigation"] = mitigation;
  summary["round_base"] = c.rounding ? c.rounding->base : 0;
  ordered_json cells = ordered_json::object();
  for (std::string_view key : kSdcKeys) {
    summary[std::string(key)] = 0;
    cells[std::string(key)] = ordered_json::array();
  }
  for (size_t i = 0; i < report.cells.size(); ++i) {
    std::vector<std::string> seen;
    for (const Finding& f : report.cells[i].findings) {
      std::string key(RuleName(f.rule));
      if (!cells.contains(key) || std::find(seen.begin(), seen.end(), key) != seen.end()) {
        continue;
      }
      seen.push_back(key);
      summary[key] = summary[key].get<int64_t>() + 1;
      cells[key].push_back({grid.position[i].first, grid.position[i].second});
    }
  }
  ordered_json secondary = ordered_json::array();
  for (size_t i = 0; i < c.suppression.size(); ++i) {
    if (c.suppression[i] == CellStatus::kSecondary) {
      secondary.push_back({grid.position[i].first, grid.position[i].second});
    }
  }
  summary["secondary"] = secondary.size();
  cells["secondary"] = std::move(secondary);
  return {{"summary", std::move(summary)}, {"cells", std::move(cells)}};
}

// ACRO's outcome: per column, per row, "ok" or the failed checks as "name; name; ".
ordered_json TableOutcome(const CheckReport& report, const Grid& grid) {
  std::vector<std::vector<std::string>> text(
      grid.col_labels.size(), std::vector<std::string>(grid.row_labels.size(), "ok"));
  for (size_t i = 0; i < report.cells.size(); ++i) {
    std::string checks;
    std::vector<Rule> seen;
    for (const Finding& f : report.cells[i].findings) {
      if (std::find(seen.begin(), seen.end(), f.rule) != seen.end()) continue;
      seen.push_back(f.rule);
      checks += std::string(RuleName(f.rule)) + "; ";
    }
    if (!checks.empty()) text[grid.position[i].second][grid.position[i].first] = checks;
  }
  ordered_json outcome = ordered_json::object();
  for (size_t col = 0; col < grid.col_labels.size(); ++col) {
    ordered_json column = ordered_json::object();
    for (size_t row = 0; row < grid.row_labels.size(); ++row) {
      column[grid.row_labels[row]] = text[col][row];
    }
    outcome[grid.col_labels[col]] = std::move(column);
  }
  return outcome;
}

ordered_json Reasons(const CheckReport& report, const Grid* grid) {
  ordered_json reasons = ordered_json::array();
  auto add = [&reasons](const Finding& f, ordered_json where) {
    reasons.push_back({{"cell", std::move(where)},
                       {"rule", RuleName(f.rule)},
                       {"verdict", VerdictName(f.verdict)},
                       {"en", f.en},
                       {"ko", f.ko}});
  };
  for (size_t i = 0; i < report.cells.size(); ++i) {
    for (const Finding& f : report.cells[i].findings) {
      add(f, grid ? ordered_json{grid->position[i].first, grid->position[i].second}
                  : ordered_json(nullptr));
    }
  }
  for (const Finding& f : report.findings) add(f, nullptr);
  return reasons;
}

std::string AcroType(OutputType type) {
  if (IsTableType(type)) return "table";
  return type == OutputType::kRegression ? "regression" : "custom";
}

// ACRO records a suppressed table as "review" (the checker confirms the mitigation);
// a rounded one too.
std::string RecordStatus(const CheckedOutput& c) {
  Verdict v = c.report->verdict;
  if ((c.rounding || !c.suppression.empty()) && v == Verdict::kFail) v = Verdict::kReview;
  return std::string(VerdictName(v));
}

std::string RecordSummary(const CheckedOutput& c) {
  std::string summary = c.report->summary;
  if (c.rounding) {
    summary += fmt::format("; rounded to base {}", c.rounding->base);
  } else if (!c.suppression.empty()) {
    size_t secondaries = std::count(c.suppression.begin(), c.suppression.end(),
                                    CellStatus::kSecondary);
    summary += fmt::format("; suppressed with {} secondary cells", secondaries);
  }
  return summary;
}

std::string Sha256File(const ReleaseFile& f) { return crypto::Sha256Hex(f.content); }

// --- JSON reading ----------------------------------------------------------------------

Status Need(const ordered_json& object, const char* key, ordered_json::value_t type,
            const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) return InvalidArgument(where + " lacks '" + key + "'");
  if (it->type() != type) {
    return InvalidArgument(where + " field '" + key + "' has the wrong type");
  }
  return OkStatus();
}

Result<AcroRecord> ParseRecord(const ordered_json& j, const std::string& where) {
  using T = ordered_json::value_t;
  if (!j.is_object()) return InvalidArgument(where + " is not an object");
  for (const char* key : {"uid", "status", "type", "command", "summary", "timestamp",
                          "exception"}) {
    SZ_RETURN_IF_ERROR(Need(j, key, T::string, where));
  }
  SZ_RETURN_IF_ERROR(Need(j, "properties", T::object, where));
  SZ_RETURN_IF_ERROR(Need(j, "files", T::array, where));
  SZ_RETURN_IF_ERROR(Need(j, "outcome", T::object, where));
  SZ_RETURN_IF_ERROR(Need(j, "comments", T::array, where));
  AcroRecord r;
  r.uid = j["uid"].get<std::string>();
  r.status = j["status"].get<std::string>();
  if (r.status != "pass" && r.status != "fail" && r.status != "review") {
    return InvalidArgument(where + " has status '" + r.status + "'; want pass, fail or review");
  }
  r.type = j["type"].get<std::string>();
  r.properties = j["properties"];
  r.outcome = j["outcome"];
  r.command = j["command"].get<std::string>();
  r.summary = j["summary"].get<std::string>();
  r.timestamp = j["timestamp"].get<std::string>();
  r.exception = j["exception"].get<std::string>();
  for (const auto& c : j["comments"]) {
    if (!c.is_string()) return InvalidArgument(where + " has a comment that is not text");
    r.comments.push_back(c.get<std::string>());
  }
  for (const auto& f : j["files"]) {
    if (!f.is_object()) return InvalidArgument(where + " has a file entry that is no object");
    SZ_RETURN_IF_ERROR(Need(f, "name", T::string, where + " file"));
    SZ_RETURN_IF_ERROR(Need(f, "sdc", T::object, where + " file"));
    r.files.push_back({f["name"].get<std::string>(), f["sdc"]});
  }
  return r;
}

}  // namespace

std::string ResultsToJson(const AcroResults& results) {
  ordered_json out;
  out["version"] = results.version;
  ordered_json records = ordered_json::object();
  for (const AcroRecord& r : results.records) {
    ordered_json files = ordered_json::array();
    for (const AcroFile& f : r.files) files.push_back({{"name", f.name}, {"sdc", f.sdc}});
    records[r.uid] = {{"uid", r.uid},
                      {"status", r.status},
                      {"type", r.type},
                      {"properties", r.properties},
                      {"files", std::move(files)},
                      {"outcome", r.outcome},
                      {"command", r.command},
                      {"summary", r.summary},
                      {"timestamp", r.timestamp},
                      {"comments", r.comments},
                      {"exception", r.exception}};
  }
  out["results"] = std::move(records);
  return out.dump(4);
}

Result<AcroResults> ParseResultsJson(std::string_view text) {
  ordered_json j = ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidArgument("results.json is not a JSON object");
  }
  SZ_RETURN_IF_ERROR(Need(j, "version", ordered_json::value_t::string, "results.json"));
  SZ_RETURN_IF_ERROR(Need(j, "results", ordered_json::value_t::object, "results.json"));
  AcroResults results;
  results.version = j["version"].get<std::string>();
  for (const auto& [key, value] : j["results"].items()) {
    SZ_ASSIGN_OR_RETURN(AcroRecord r, ParseRecord(value, "record '" + key + "'"));
    if (r.uid != key) return InvalidArgument("record '" + key + "' carries uid '" + r.uid + "'");
    results.records.push_back(std::move(r));
  }
  return results;
}

Result<std::string> PublishedCsv(const CheckedOutput& c) {
  SZ_RETURN_IF_ERROR(Validate(c));
  const Table* table = TableOf(c);
  if (table == nullptr) return InvalidArgument("output '" + c.output->uid + "' is no table");
  const Grid grid = Layout(*table);
  std::vector<std::vector<std::string>> body(
      grid.row_labels.size(), std::vector<std::string>(grid.col_labels.size()));
  for (size_t i = 0; i < table->cells.size(); ++i) {
    if (auto v = PublishedValue(c, *table, i)) {
      body[grid.position[i].first][grid.position[i].second] = Number(*v);
    }
  }
  std::string csv = CsvField(grid.corner);
  for (const auto& label : grid.col_labels) csv += "," + CsvField(label);
  csv += "\n";
  for (size_t r = 0; r < body.size(); ++r) {
    csv += CsvField(grid.row_labels[r]);
    for (const auto& v : body[r]) csv += "," + v;
    csv += "\n";
  }
  return csv;
}

Result<AcroRecord> MakeRecord(const CheckedOutput& c, const BundleOptions& options) {
  SZ_RETURN_IF_ERROR(Validate(c));
  const Output& output = *c.output;
  AcroRecord r;
  r.uid = output.uid;
  r.status = RecordStatus(c);
  r.type = AcroType(output.type);
  r.command = output.command;
  r.summary = RecordSummary(c);
  r.timestamp = c.timestamp;
  r.comments = output.comments;
  r.exception = output.exception_request;
  r.properties["method"] = std::string(OutputTypeName(output.type));
  const Table* table = TableOf(c);
  std::optional<Grid> grid;
  if (table != nullptr) {
    grid = Layout(*table);
    r.properties["statistic"] = std::string(StatisticName(table->statistic));
    r.properties["measure"] = table->measure;
    // Honest about capped person counts: which cells were counted only up to a cap.
    int64_t capped = 0, cap = 0;
    for (const Cell& cell : table->cells) {
      if (!cell.evidence.persons_capped) continue;
      ++capped;
      cap = std::max(cap, cell.evidence.persons);
    }
    if (capped > 0) {
      r.properties["persons_counted_up_to"] = cap;
      r.properties["cells_with_at_least_that_many_persons"] = capped;
    }
    r.files.push_back({output.uid + "_0.csv", TableSdc(c, *grid)});
    r.outcome = TableOutcome(*c.report, *grid);
  } else if (const auto* reg = std::get_if<RegressionEvidence>(&output.body)) {
    r.properties["method"] = reg->model;
    r.properties["dof"] = reg->residual_df;
    ordered_json sdc = {{"summary",
                         {{"suppressed", false},
                          {"dof", reg->residual_df},
                          {"observations", reg->observations},
                          {"parameters", reg->parameters}}},
                        {"cells", ordered_json::object()}};
    for (const ReleaseFile& f : c.attachments) r.files.push_back({f.name, sdc});
    ordered_json checks = ordered_json::object();
    for (const Finding& f : c.report->findings) {
      checks[std::string(RuleName(f.rule))] = std::string(VerdictName(f.verdict));
    }
    r.outcome = {{"result", std::move(checks)}};
  } else {
    for (const ReleaseFile& f : c.attachments) r.files.push_back({f.name, ordered_json::object()});
  }
  if (options.reviewer_copy) r.properties["reasons"] = Reasons(*c.report, grid ? &*grid : nullptr);
  return r;
}

Result<ReleaseBundle> BuildReleaseBundle(std::span<const CheckedOutput> outputs,
                                         const BundleOptions& options) {
  ReleaseBundle bundle;
  bundle.results.version = options.version;
  for (const CheckedOutput& c : outputs) {
    SZ_ASSIGN_OR_RETURN(AcroRecord record, MakeRecord(c, options));
    for (const AcroRecord& earlier : bundle.results.records) {
      if (earlier.uid == record.uid) {
        return InvalidArgument("two outputs share uid '" + record.uid + "'; rename one");
      }
    }
    if (TableOf(c) != nullptr) {
      SZ_ASSIGN_OR_RETURN(std::string csv, PublishedCsv(c));
      bundle.files.push_back({record.files.front().name, std::move(csv)});
    } else {
      bundle.files.insert(bundle.files.end(), c.attachments.begin(), c.attachments.end());
    }
    bundle.results.records.push_back(std::move(record));
  }
  bundle.files.insert(bundle.files.begin(), {"results.json", ResultsToJson(bundle.results)});
  const size_t n = bundle.files.size();
  for (size_t i = 0; i < n; ++i) {
    bundle.files.push_back(
        {"checksums/" + bundle.files[i].name + ".txt", Sha256File(bundle.files[i])});
  }
  return bundle;
}

}  // namespace sz::disclosure
