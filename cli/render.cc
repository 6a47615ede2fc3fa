#include "cli/render.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "common/text.h"
#include "fmt/format.h"

namespace sz::cli {

namespace {
bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF);
}
double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

size_t DisplayWidth(std::string_view utf8) {
  size_t w = 0;
  for (char32_t c : text::DecodeUtf8(utf8)) w += IsWide(c) ? 2 : 1;
  return w;
}

std::string Table::Render() const {
  std::vector<size_t> widths(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      out += cell;
      if (i + 1 < widths.size()) out += std::string(widths[i] - DisplayWidth(cell) + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header_);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  out += line(rule);
  for (const auto& r : rows_) out += line(r);
  return out;
}

void PrintError(const Status& status) {
  std::string msg = status.message();
  std::fprintf(stderr, "safezone: error: %s\n", msg.substr(0, msg.find('\n')).c_str());
}

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled), tty_(::isatty(2) != 0) {}
ProgressLine::~ProgressLine() { Finish(); }

void ProgressLine::Update(const std::string& text) {
  if (!enabled_) return;
  if (tty_) {
    size_t w = DisplayWidth(text);
    std::fprintf(stderr, "\r%s%s", text.c_str(), std::string(last_width_ > w ? last_width_ - w : 0, ' ').c_str());
    last_width_ = w;
  } else if (Now() - last_print_ >= 5) {
    std::fprintf(stderr, "%s\n", text.c_str());
    last_print_ = Now();
  }
}

void ProgressLine::Finish() {
  if (enabled_ && tty_ && last_width_) std::fprintf(stderr, "\r%s\r", std::string(last_width_, ' ').c_str());
  last_width_ = 0;
}

std::string HumanBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

std::string HumanCount(double n) {
  if (n >= 1e9) return fmt::format("{:.2f}G", n / 1e9);
  if (n >= 1e6) return fmt::format("{:.2f}M", n / 1e6);
  if (n >= 1e4) return fmt::format("{:.1f}k", n / 1e3);
  return fmt::format("{:.0f}", n);
}

}  // namespace sz::cli
