#include "cli/analysis_view.h"

#include <cstdio>
#include <map>

#include "cli/render.h"
#include "crypto/secret.h"
#include "fmt/format.h"

namespace sz::cli {

using nlohmann::json;

namespace {

void Print(const std::string& s) { std::fputs(s.c_str(), stdout); }

// A JSON value as a table cell: strings as they are, numbers without trailing zeros.
std::string Cell(const json& v) {
  if (v.is_null()) return "NULL";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{}", v.get<double>());
  return v.dump();
}

const json& Arr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

// Row labels of a table's cells: one per dimension, from the category indexes.
std::vector<std::string> Labels(const json& table, const json& cell) {
  std::vector<std::string> out;
  const json& dims = Arr(table, "dimensions");
  const json& cats = Arr(cell, "categories");
  for (size_t d = 0; d < dims.size() && d < cats.size(); ++d) {
    const json& categories = Arr(dims[d], "categories");
    auto c = cats[d].get<size_t>();
    out.push_back(c < categories.size() ? JsonText(categories[c], "label") : "?");
  }
  return out;
}

void RenderTable(const json& table) {
  std::vector<std::string> header;
  for (const auto& d : Arr(table, "dimensions")) header.push_back(JsonText(d, "name"));
  for (const char* h : {"value", "persons", "top1", "top2", "negative", "margin"})
    header.emplace_back(h);
  Table t(header);
  for (const auto& c : Arr(table, "cells")) {
    std::vector<std::string> row = Labels(table, c);
    row.push_back(c.value("value_null", false) ? "NULL" : Cell(c["value"]));
    row.push_back((c.value("persons_capped", false) ? ">=" : "") + Cell(c["persons"]));
    row.push_back(Cell(c["top1"]));
    row.push_back(Cell(c["top2"]));
    row.push_back(Cell(c["negative"]));
    row.push_back(c.value("margin", false) ? "yes" : "");
    t.Add(std::move(row));
  }
  Print(t.Render());
}

}  // namespace

std::string JsonText(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

int64_t JsonInt(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

void RenderProject(const json& p) {
  std::printf("%s — %s\n", JsonText(p, "name").c_str(), JsonText(p, "title").c_str());
  std::printf("state %s (%s), %s .. %s, %s review\n", JsonText(p, "effective_state").c_str(),
              JsonText(p, "state").c_str(), JsonText(p, "start").c_str(),
              JsonText(p, "end").c_str(),
              p.value("two_reviewers", false) ? "two-reviewer" : "single-reviewer");
  std::printf("purpose: %s\n", JsonText(p, "purpose").c_str());
  std::string approved = JsonText(p, "approved_by").empty()
                             ? ""
                             : fmt::format("; approved by {} at {}", JsonText(p, "approved_by"),
                                           JsonText(p, "approved_at"));
  std::printf("proposed by %s at %s%s\n", JsonText(p, "created_by").c_str(),
              JsonText(p, "created_at").c_str(), approved.c_str());
  Table members({"member", "role"});
  for (const auto& m : Arr(p, "members")) {
    std::string who = JsonText(m, "username");
    members.Add({who.empty() ? JsonText(m, "user_id") : who, JsonText(m, "role")});
  }
  Print(members.Render());
  Table datasets({"dataset", "version", "tier", "person", "approved columns"});
  for (const auto& d : Arr(p, "datasets")) {
    std::string cols;
    for (const auto& c : Arr(d, "columns")) cols += (cols.empty() ? "" : ", ") + Cell(c);
    datasets.Add({JsonText(d, "name"), JsonText(d, "version"), JsonText(d, "tier"),
                  d.value("row_is_person", false) ? "(each row)" : JsonText(d, "person_column"),
                  cols});
  }
  Print(datasets.Render());
}

void RenderProjects(const json& projects) {
  Table t({"name", "state", "start", "end", "members", "datasets", "title"});
  for (const auto& p : projects) {
    t.Add({JsonText(p, "name"), JsonText(p, "effective_state"), JsonText(p, "start"),
           JsonText(p, "end"), std::to_string(Arr(p, "members").size()),
           std::to_string(Arr(p, "datasets").size()), JsonText(p, "title")});
  }
  Print(t.Render());
  std::printf("%zu project(s)\n", projects.size());
}

void RenderStatement(const json& r) {
  if (!JsonText(r, "message").empty()) {
    std::printf("%s\n", JsonText(r, "message").c_str());
    return;
  }
  std::vector<std::string> header;
  for (const auto& c : Arr(r, "columns")) header.push_back(Cell(c));
  Table t(header);
  for (const auto& row : Arr(r, "rows")) {
    std::vector<std::string> cells;
    for (const auto& v : row) cells.push_back(Cell(v));
    t.Add(std::move(cells));
  }
  Print(t.Render());
  std::printf("%zu row(s)%s\n", Arr(r, "rows").size(),
              r.value("truncated", false) ? " (more rows not shown: add a LIMIT or aggregate)" : "");
}

void RenderTabulation(const json& tab) {
  std::printf("%s table from %s\n", JsonText(tab, "type").c_str(),
              [&] {
                std::string s;
                for (const auto& d : Arr(tab, "datasets")) s += (s.empty() ? "" : ", ") + Cell(d);
                return s;
              }()
                  .c_str());
  RenderTable(tab["table"]);
}

void RenderRegression(const json& fit) {
  Table t({"term", "estimate", "std_error"});
  for (const auto& c : Arr(fit, "coefficients"))
    t.Add({JsonText(c, "term"), Cell(c["estimate"]), Cell(c["std_error"])});
  Print(t.Render());
  std::printf("N = %lld (%lld persons), parameters %lld, residual df %lld, R^2 = %s\n",
              static_cast<long long>(JsonInt(fit, "observations")),
              static_cast<long long>(JsonInt(fit, "persons")),
              static_cast<long long>(JsonInt(fit, "parameters")),
              static_cast<long long>(JsonInt(fit, "residual_df")), Cell(fit["r_squared"]).c_str());
}

void RenderOutputInfo(const json& o) {
  std::printf("saved output %s (%s) revision %lld, sha256 %s\n", JsonText(o, "name").c_str(),
              JsonText(o, "kind").c_str(), static_cast<long long>(JsonInt(o, "revision")),
              JsonText(o, "content_sha256").substr(0, 16).c_str());
}

void RenderOutputs(const json& outputs) {
  Table t({"name", "kind", "revision", "updated", "sha256"});
  for (const auto& o : outputs) {
    t.Add({JsonText(o, "name"), JsonText(o, "kind"), JsonText(o, "revision"),
           JsonText(o, "updated_at"), JsonText(o, "content_sha256").substr(0, 16)});
  }
  Print(t.Render());
}

void RenderOutputContent(const json& c) {
  const json& out = c["output"];
  std::printf("%s (%s): %s\n", JsonText(out, "uid").c_str(), JsonText(c, "kind").c_str(),
              JsonText(out, "command").c_str());
  if (out.contains("body") && out["body"].contains("table")) RenderTable(out["body"]["table"]);
  for (const auto& f : Arr(c, "attachments")) {
    auto content = crypto::FromBase64(JsonText(f, "content_base64"));
    std::string text = content.ok() ? *content : "";
    std::printf("--- %s (%zu bytes)\n%s\n", JsonText(f, "name").c_str(), text.size(),
                text.size() <= 4096 ? text.c_str() : "(larger than 4 KiB; not shown)");
  }
}

void RenderRequest(const json& r, bool cells) {
  std::printf("export request %lld of %s by %s: %s%s\n",
              static_cast<long long>(JsonInt(r, "id")), JsonText(r, "project").c_str(),
              JsonText(r, "requester").c_str(), JsonText(r, "state").c_str(),
              r.value("two_reviewers", false) ? " (two-reviewer)" : "");
  Table items(
      {"output", "kind", "rev", "verdict", "mitigation", "exception", "decision", "summary"});
  for (const auto& item : Arr(r, "items")) {
    std::string exception = JsonText(item, "exception_request").empty() ? ""
                            : item.value("exception_granted", false) ? "granted"
                                                                      : "requested";
    items.Add({JsonText(item, "output"), JsonText(item, "kind"), JsonText(item, "revision"),
               JsonText(item, "verdict"), JsonText(item, "mitigation"), exception,
               JsonText(item, "decision"), JsonText(item, "summary")});
  }
  Print(items.Render());
  if (cells) {
    for (const auto& item : Arr(r, "items")) {
      const json& checks = Arr(item, "cells");
      std::map<std::string, int> verdicts;
      for (const auto& check : checks) ++verdicts[JsonText(check, "verdict")];
      if (!checks.empty()) {
        std::string counts;
        for (const auto& [verdict, n] : verdicts) counts += fmt::format(", {} {}", n, verdict);
        std::printf("  %s: %zu cells%s\n", JsonText(item, "output").c_str(), checks.size(), counts.c_str());
      }
      for (size_t c = 0; c < checks.size(); ++c) {
        if (Arr(checks[c], "findings").empty()) {
          std::printf("  %s cell %zu: %s\n", JsonText(item, "output").c_str(), c,
                      JsonText(checks[c], "verdict").c_str());
        }
        for (const auto& f : Arr(checks[c], "findings")) {
          std::printf("  %s cell %zu: %s — %s / %s\n", JsonText(item, "output").c_str(), c,
                      JsonText(f, "verdict").c_str(), JsonText(f, "en").c_str(),
                      JsonText(f, "ko").c_str());
        }
      }
      for (const auto& f : Arr(item, "findings")) {
        std::printf("  %s: %s — %s / %s\n", JsonText(item, "output").c_str(),
                    JsonText(f, "verdict").c_str(), JsonText(f, "en").c_str(),
                    JsonText(f, "ko").c_str());
      }
    }
  }
  for (const auto& c : Arr(r, "comments")) {
    std::printf("  [%s, %s] %s: %s\n", JsonText(c, "at").c_str(),
                JsonText(c, "visibility").c_str(), JsonText(c, "author").c_str(),
                JsonText(c, "body").c_str());
  }
  if (int64_t release = JsonInt(r, "release_id"); release != 0) {
    std::printf("released as release %lld: safezone release download %lld --out DIR\n",
                static_cast<long long>(release), static_cast<long long>(release));
  }
}

void RenderRequests(const json& requests) {
  Table t({"id", "state", "requester", "outputs", "updated"});
  for (const auto& r : requests) {
    std::string outputs;
    for (const auto& i : Arr(r, "items"))
      outputs += (outputs.empty() ? "" : ", ") + JsonText(i, "output");
    t.Add({JsonText(r, "id"), JsonText(r, "state"), JsonText(r, "requester"), outputs,
           JsonText(r, "updated_at")});
  }
  Print(t.Render());
}

void RenderRelease(const json& info) {
  std::printf("released request %lld as release %lld (manifest sha256 %s, key %s)\n",
              static_cast<long long>(JsonInt(info, "request_id")),
              static_cast<long long>(JsonInt(info, "id")),
              JsonText(info, "manifest_sha256").c_str(), JsonText(info, "key_id").c_str());
}

}  // namespace sz::cli
