#include "ops/svg_chart.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"

namespace sz::ops {

namespace {

constexpr std::string_view kBarColor = "#2f6f9f";
constexpr std::string_view kAxisColor = "#888";

double MaxOf(const std::vector<ChartBar>& bars) {
  double m = 0;
  for (const ChartBar& b : bars) m = std::max(m, b.value);
  return m;
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string FormatNumber(double value, int decimals) {
  std::string digits = fmt::format("{:.{}f}", std::fabs(value), decimals);
  size_t dot = digits.find('.');
  std::string whole = digits.substr(0, dot);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  if (dot != std::string::npos) grouped += digits.substr(dot);
  return (value < 0 && std::fabs(value) > 0 ? "-" : "") + grouped;
}

std::string VerticalBarChart(std::string_view title, const std::vector<ChartBar>& bars,
                             int label_every) {
  const int left = 48, bottom = 28, top = 12, plot_h = 160;
  const int bar_w = 18, gap = 4;
  const int width = left + static_cast<int>(bars.size()) * (bar_w + gap) + 8;
  const int height = top + plot_h + bottom;
  const double max = MaxOf(bars);
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {0} {1}\" "
      "width=\"{0}\" height=\"{1}\" class=\"chart\"><title>{2}</title>",
      width, height, EscapeXml(title));
  // Axis and the maximum as the only gridline label: enough to read the scale.
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\"/>", left,
                     top, top + plot_h, kAxisColor);
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\"/>", left,
                     top + plot_h, width - 4, kAxisColor);
  svg += fmt::format(
      "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\">{}</text>", left - 4, top + 8,
      EscapeXml(FormatNumber(max)));
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\">0</text>",
                     left - 4, top + plot_h);
  for (size_t i = 0; i < bars.size(); ++i) {
    const ChartBar& b = bars[i];
    int x = left + 4 + static_cast<int>(i) * (bar_w + gap);
    double h = max > 0 ? b.value / max * plot_h : 0;
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: "
        "{}</title></rect>",
        x, top + plot_h - h, bar_w, h, kBarColor, EscapeXml(b.label),
        EscapeXml(FormatNumber(b.value)));
    if (label_every > 0 && i % static_cast<size_t>(label_every) == 0) {
      svg += fmt::format(
          "<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
          x + bar_w / 2, top + plot_h + 14, EscapeXml(b.label));
    }
  }
  return svg + "</svg>";
}

std::string HorizontalBarChart(std::string_view title, const std::vector<ChartBar>& bars,
                               std::string_view unit, int decimals) {
  const int label_w = 300, plot_w = 320, value_w = 110, row_h = 18, top = 6;
  const int width = label_w + plot_w + value_w;
  const int height = top * 2 + static_cast<int>(bars.size()) * row_h;
  const double max = MaxOf(bars);
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {0} {1}\" "
      "width=\"{0}\" height=\"{1}\" class=\"chart\"><title>{2}</title>",
      width, height, EscapeXml(title));
  for (size_t i = 0; i < bars.size(); ++i) {
    const ChartBar& b = bars[i];
    int y = top + static_cast<int>(i) * row_h;
    double w = max > 0 ? b.value / max * plot_w : 0;
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>", label_w - 6,
        y + 12, EscapeXml(b.label));
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>",
                       label_w, y + 3, w, row_h - 6, kBarColor);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\">{} {}</text>",
                       label_w + w + 4, y + 12, EscapeXml(FormatNumber(b.value, decimals)),
                       EscapeXml(unit));
  }
  return svg + "</svg>";
}

}  // namespace sz::ops
