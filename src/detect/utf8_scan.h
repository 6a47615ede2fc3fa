// Internal helpers for scanning UTF-8 text without allocating: detect's validators run
// on every sampled value, so they walk the bytes instead of decoding whole strings.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace sz::detect::internal {

// Decodes the code point at `i` and advances `i`; malformed bytes yield U+FFFD and
// advance by one byte.
inline char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = c & (0x3F >> (len - 1));
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  i += len;
  return cp;
}

// Precomposed Hangul syllables 가 (U+AC00) .. 힣 (U+D7A3).
inline bool IsSyllable(char32_t cp) { return cp >= 0xAC00 && cp <= 0xD7A3; }

inline bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

inline bool HasNonAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
}

}  // namespace sz::detect::internal
