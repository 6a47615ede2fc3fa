// Small inline SVG charts for the HTML report: no script, no external assets, so the
// report prints and opens anywhere (also offline, inside the zone's network).
//
// Every text that reaches the SVG is XML-escaped here. Bars are scaled to the largest
// value (a chart of zeros draws empty axes). Sizes are in CSS pixels; the SVG carries a
// viewBox, so it scales with the page when printed.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sz::ops {

struct ChartBar {
  std::string label;  // shown under (vertical) or beside (horizontal) the bar
  double value = 0;
};

// Vertical bars, e.g. requests per day. `title` becomes the SVG's <title> (accessible
// name). Labels are shown for every `label_every`-th bar.
std::string VerticalBarChart(std::string_view title, const std::vector<ChartBar>& bars,
                             int label_every = 1);

// Horizontal bars with the value printed after each bar, e.g. p95 latency per route.
// `unit` follows the value ("ms"), printed with `decimals` decimals.
std::string HorizontalBarChart(std::string_view title, const std::vector<ChartBar>& bars,
                               std::string_view unit, int decimals = 0);

// XML/HTML text escaping (&, <, >, ", ').
std::string EscapeXml(std::string_view text);

// "1234.5" -> "1,234.5"; integers without decimals.
std::string FormatNumber(double value, int decimals = 0);

}  // namespace sz::ops
