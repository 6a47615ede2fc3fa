// CSV dialect detection and structural validation (RFC 4180 with a chosen delimiter).
//
// DuckDB's sniffer is good at types but, given a malformed file, may quietly choose a
// dialect under which the file "parses" (one column, no quoting). Import therefore fixes
// the delimiter and quote itself, and when DuckDB refuses a file, CsvChecker finds the
// first structural fault and names its line in one sentence.
//
// Thread-safety: CsvChecker is used by one thread; DetectDelimiter is pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sz::ingest {

// The most frequent of ',', '\t', ';', '|' outside quotes in the first non-empty line;
// ',' if none occurs (a one-column file).
char DetectDelimiter(std::string_view head);

// Streams a file's bytes and checks that every record has as many fields as the first,
// that quotes are balanced, and that a quote inside a quoted field is doubled.
class CsvChecker {
 public:
  explicit CsvChecker(char delimiter) : delimiter_(delimiter) {}
  // Feeds the next chunk. Stops at the first fault (later calls do nothing).
  void Feed(std::string_view chunk);
  // Call at end of input. OK, or InvalidArgument naming the line of the first fault.
  Status Finish();
  uint64_t records() const { return records_; }
  uint64_t header_fields() const { return expected_fields_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  void EndRecord();
  char delimiter_;
  State state_ = State::kFieldStart;
  uint64_t line_ = 1;            // current physical line
  uint64_t record_line_ = 1;     // line where the current record started
  uint64_t quote_line_ = 0;      // line where the open quoted field started
  uint64_t fields_ = 1;          // fields so far in the current record
  uint64_t expected_fields_ = 0; // from the first record
  uint64_t records_ = 0;
  bool record_has_content_ = false;
  bool previous_was_cr_ = false;
  std::string fault_;
};

}  // namespace sz::ingest
