// Finding personal identifiers in bytes that should hold none: the security
// self-inspection (inspect.h) scans files in the zone directory that are not sealed, and
// the control plane's raw bytes, for resident registration numbers, mobile phone numbers
// and payment card numbers, using the detect engine's validators.
//
// Tokens are maximal runs of ASCII digits and '-' that start with a digit, bounded on
// both sides by a byte that is not an ASCII letter or digit (so the digit runs inside
// hex hashes, base64 or longer numbers never count). Trailing '-' is dropped. A token
// counts as
//   - an RRN if detect::CheckRrn sees a citizen or foreigner number with a valid check
//     digit, or the hyphenated form "YYMMDD-GNNNNNN" (numbers issued since October 2020
//     carry a random last digit, and the hyphenated shape alone is specific enough);
//   - a mobile phone number if detect::ClassifyPhone says mobile (010-1234-5678,
//     01012345678, ...);
//   - a card number if detect::CheckCard finds a known issuer and the Luhn check holds
//     (digits written together or hyphenated);
// the first that matches wins. Space-separated card groups are not recognised.
//
// Only counts leave the scanner: never a value or its position.
//
// Thread-safety: an IdentifierScanner is used by one thread; ScanFile is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sz::ops {

struct IdentifierCounts {
  int64_t rrn = 0;
  int64_t phone = 0;
  int64_t card = 0;
  int64_t total() const { return rrn + phone + card; }
  // "3 RRNs, 1 phone number" (or "none").
  std::string Describe() const;
};

// Streaming: feed any number of chunks (tokens may span chunks), then Finish().
class IdentifierScanner {
 public:
  void Feed(std::string_view bytes);
  IdentifierCounts Finish();

 private:
  void EndToken(bool boundary_after);
  static constexpr size_t kMaxToken = 40;
  IdentifierCounts counts_;
  std::string token_;
  bool in_token_ = false;
  bool boundary_before_ = true;
  bool overflow_ = false;
};

IdentifierCounts ScanText(std::string_view text);

struct FileScan {
  IdentifierCounts counts;
  uint64_t bytes_scanned = 0;
  bool truncated = false;  // the file is larger than max_bytes; the rest was not read
};
// Scans at most `max_bytes` of the file (symbolic links are not followed).
Result<FileScan> ScanFile(const std::string& path, uint64_t max_bytes);

}  // namespace sz::ops
