#include "ingest/csv_check.h"

#include <array>

#include "fmt/format.h"

namespace sz::ingest {

char DetectDelimiter(std::string_view head) {
  constexpr std::array<char, 4> kCandidates = {',', '\t', ';', '|'};
  std::array<int, 4> counts{};
  bool quoted = false;
  bool seen_content = false;
  for (char c : head) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '\n' || c == '\r')) {
      if (seen_content) break;
      continue;
    }
    seen_content = true;
    if (quoted) continue;
    for (size_t i = 0; i < kCandidates.size(); ++i)
      if (c == kCandidates[i]) ++counts[i];
  }
  size_t best = 0;
  for (size_t i = 1; i < counts.size(); ++i)
    if (counts[i] > counts[best]) best = i;
  return counts[best] > 0 ? kCandidates[best] : ',';
}

void CsvChecker::EndRecord() {
  if (record_has_content_ || fields_ > 1) {
    if (expected_fields_ == 0) {
      expected_fields_ = fields_;
    } else if (fields_ != expected_fields_ && fault_.empty()) {
      fault_ = fmt::format("line {} has {} fields but the first line has {} (ragged row)",
                           record_line_, fields_, expected_fields_);
    }
    ++records_;
  }
  fields_ = 1;
  record_has_content_ = false;
  state_ = State::kFieldStart;
  record_line_ = line_;
}

void CsvChecker::Feed(std::string_view chunk) {
  for (char c : chunk) {
    if (!fault_.empty()) return;
    bool newline = c == '\n' || c == '\r';
    // "\r\n" is one line break.
    if (c == '\n' && previous_was_cr_) {
      previous_was_cr_ = false;
      if (state_ != State::kQuoted) {
        record_line_ = line_;
        continue;
      }
    }
    previous_was_cr_ = c == '\r';
    switch (state_) {
      case State::kFieldStart:
      case State::kUnquoted:
        if (c == '"') {
          if (state_ == State::kUnquoted) {
            fault_ = fmt::format("line {} has a quote inside an unquoted field (bad quoting)", line_);
            return;
          }
          state_ = State::kQuoted;
          quote_line_ = line_;
          record_has_content_ = true;
        } else if (c == delimiter_) {
          ++fields_;
          state_ = State::kFieldStart;
        } else if (newline) {
          ++line_;
          EndRecord();
        } else {
          record_has_content_ = true;
          state_ = State::kUnquoted;
        }
        break;
      case State::kQuoted:
        if (c == '"') state_ = State::kQuoteInQuoted;
        if (newline) ++line_;
        break;
      case State::kQuoteInQuoted:
        if (c == '"') {
          state_ = State::kQuoted;  // doubled quote inside a quoted field
        } else if (c == delimiter_) {
          ++fields_;
          state_ = State::kFieldStart;
        } else if (newline) {
          ++line_;
          EndRecord();
        } else {
          fault_ = fmt::format("line {} has text after a closing quote (bad quoting)", line_);
          return;
        }
        break;
    }
  }
}

Status CsvChecker::Finish() {
  if (fault_.empty() && state_ == State::kQuoted) {
    fault_ = fmt::format("the quoted field opened on line {} is never closed (bad quoting)",
                         quote_line_);
  }
  if (fault_.empty()) EndRecord();
  if (!fault_.empty()) return InvalidArgument(fault_);
  return OkStatus();
}

}  // namespace sz::ingest
