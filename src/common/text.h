// Text handling for Korean data: encodings (UTF-8, CP949/EUC-KR), Unicode NFC
// normalization, and small string helpers shared by every layer.
//
// CP949 is Microsoft's "Unified Hangul Code", a superset of EUC-KR; Korean public
// agencies still publish most CSV files in it. ICU's "cp949" alias is IBM's different
// table, so the converter is opened by its exact name "windows-949-2000".
//
// Thread-safety: free functions are thread-safe; a Transcoder is used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sz::text {

enum class Encoding { kAuto, kUtf8, kCp949 };

// Accepts utf-8/utf8, cp949/euc-kr/uhc/ms949 and auto (case-insensitive).
Result<Encoding> ParseEncoding(std::string_view name);
std::string_view EncodingName(Encoding encoding);

// Offset of the first byte that is not part of a well-formed UTF-8 sequence, or npos.
// `allow_truncated_tail`: a sequence cut off by the end of `bytes` is not an error (for
// validating a stream chunk by chunk; the caller carries the tail over).
size_t FindInvalidUtf8(std::string_view bytes, bool allow_truncated_tail = false);
inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }

// Number of bytes at the end of `bytes` that begin an incomplete UTF-8 sequence (0-3).
size_t IncompleteUtf8Tail(std::string_view bytes);

// Streaming CP949 -> UTF-8 conversion. Feed chunks in order; call Finish() at the end.
// On malformed input, returns InvalidArgument naming the byte offset and line.
class Cp949ToUtf8 {
 public:
  static Result<Cp949ToUtf8> Create();
  Cp949ToUtf8(Cp949ToUtf8&&) noexcept;
  Cp949ToUtf8& operator=(Cp949ToUtf8&&) noexcept;
  ~Cp949ToUtf8();

  // Appends the UTF-8 of `chunk` to `out`.
  Status Convert(std::string_view chunk, bool last, std::string& out);

 private:
  struct State;
  explicit Cp949ToUtf8(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Unicode NFC, so that decomposed Hangul (as written by macOS) equals composed Hangul.
std::string NormalizeNfc(std::string_view utf8);

// True if the code point is a precomposed Hangul syllable (가..힣).
bool IsHangulSyllable(char32_t cp);
// Decodes UTF-8 into code points; invalid bytes become U+FFFD.
std::u32string DecodeUtf8(std::string_view utf8);
void AppendUtf8(char32_t cp, std::string& out);

std::string ToLowerAscii(std::string_view s);
std::string_view TrimAscii(std::string_view s);
std::vector<std::string_view> Split(std::string_view s, char sep);
bool IsAsciiDigits(std::string_view s);

}  // namespace sz::text
