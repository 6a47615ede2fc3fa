// Terminal rendering for the CLI: aligned tables (Hangul and other wide characters take
// two columns), one-line errors, and a progress line on stderr.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sz::cli {

// Columns a string occupies on a terminal (East Asian wide characters count 2).
size_t DisplayWidth(std::string_view utf8);

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string Render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// "safezone: error: <message>" on stderr.
void PrintError(const Status& status);

// Rewrites one status line on stderr (only when stderr is a terminal, else prints
// at most one line every few seconds so logs stay readable).
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled);
  ~ProgressLine();
  void Update(const std::string& text);
  void Finish();

 private:
  bool enabled_;
  bool tty_;
  double last_print_ = -10;
  size_t last_width_ = 0;
};

std::string HumanBytes(uint64_t bytes);
std::string HumanCount(double n);  // 1234567 -> "1.23M"

}  // namespace sz::cli
