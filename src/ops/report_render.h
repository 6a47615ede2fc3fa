// Rendering the monthly usage report (usage_report.h) for people and spreadsheets.
//
// HTML: one self-contained page (inline CSS and SVG charts, svg_chart.h; no script, no
// fonts, images or styles from elsewhere), printable on A4 (print CSS breaks before
// each section and keeps table rows whole). Headings carry both languages
// ("월간 이용 현황 · Monthly usage"), the chosen language first; table headers and
// notes are in the chosen language. Every text from the catalog is HTML-escaped.
//
// CSV: the same tables, one file each (summary, sectors, datasets, routes, days,
// flags), RFC 4180 (CRLF, quoted when needed), UTF-8 with a byte-order mark so that
// spreadsheet programs open Hangul correctly. A cell that begins with = + - @ gets a
// leading apostrophe so that a dataset title cannot become a spreadsheet formula
// (OWASP "CSV injection"); numbers are written plainly.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ops/usage_report.h"

namespace sz::ops {

enum class Lang { kKo, kEn };
// "ko" or "en"; InvalidArgument otherwise.
Result<Lang> ParseLang(std::string_view text);

std::string RenderHtml(const UsageReport& report, Lang lang);

struct CsvFile {
  std::string name;  // "datasets.csv"
  std::string content;
};
std::vector<CsvFile> RenderCsv(const UsageReport& report);

// One CSV field, quoted and neutralized as described above.
std::string CsvField(std::string_view text);

}  // namespace sz::ops
