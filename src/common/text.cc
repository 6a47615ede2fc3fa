#include "common/text.h"

#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstring>

#include "fmt/format.h"

namespace sz::text {

Result<Encoding> ParseEncoding(std::string_view name) {
  std::string n = ToLowerAscii(name);
  if (n == "auto") return Encoding::kAuto;
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "cp949" || n == "euc-kr" || n == "euckr" || n == "uhc" || n == "ms949") {
    return Encoding::kCp949;
  }
  return InvalidArgument(
      fmt::format("unknown encoding '{}' (use utf-8, cp949, euc-kr or auto)", name));
}

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kAuto: return "auto";
    case Encoding::kUtf8: return "utf-8";
    case Encoding::kCp949: return "cp949";
  }
  return "?";
}

namespace {
// Length of the UTF-8 sequence starting at `lead`, or 0 if `lead` cannot start one.
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}
// Second-byte ranges exclude overlongs, surrogates and code points above U+10FFFF.
bool SecondByteOk(unsigned char lead, unsigned char b) {
  if (lead == 0xE0) return b >= 0xA0 && b <= 0xBF;
  if (lead == 0xED) return b >= 0x80 && b <= 0x9F;
  if (lead == 0xF0) return b >= 0x90 && b <= 0xBF;
  if (lead == 0xF4) return b >= 0x80 && b <= 0x8F;
  return b >= 0x80 && b <= 0xBF;
}
}  // namespace

size_t FindInvalidUtf8(std::string_view bytes, bool allow_truncated_tail) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    int len = SequenceLength(p[i]);
    if (len == 0) return i;
    if (i + len > n) {
      // Check what is there; a well-formed but cut-off prefix may be allowed.
      for (size_t k = 1; i + k < n; ++k) {
        bool ok = k == 1 ? SecondByteOk(p[i], p[i + 1]) : (p[i + k] & 0xC0) == 0x80;
        if (!ok) return i;
      }
      return allow_truncated_tail ? std::string_view::npos : i;
    }
    if (!SecondByteOk(p[i], p[i + 1])) return i;
    for (int k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

size_t IncompleteUtf8Tail(std::string_view bytes) {
  const size_t n = bytes.size();
  for (size_t back = 1; back <= 3 && back <= n; ++back) {
    auto c = static_cast<unsigned char>(bytes[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead
    int len = SequenceLength(c);
    return (len > static_cast<int>(back)) ? back : 0;
  }
  return 0;
}

struct Cp949ToUtf8::State {
  UConverter* converter = nullptr;
  std::u16string utf16;
  std::vector<int32_t> offsets;
  uint64_t bytes_done = 0;
  uint64_t lines_done = 1;
  ~State() {
    if (converter) ucnv_close(converter);
  }
};

Cp949ToUtf8::Cp949ToUtf8(std::unique_ptr<State> state) : state_(std::move(state)) {}
Cp949ToUtf8::Cp949ToUtf8(Cp949ToUtf8&&) noexcept = default;
Cp949ToUtf8& Cp949ToUtf8::operator=(Cp949ToUtf8&&) noexcept = default;
Cp949ToUtf8::~Cp949ToUtf8() = default;

Result<Cp949ToUtf8> Cp949ToUtf8::Create() {
  auto state = std::make_unique<State>();
  UErrorCode err = U_ZERO_ERROR;
  state->converter = ucnv_open("windows-949-2000", &err);
  if (U_FAILURE(err) || state->converter == nullptr) {
    return Internal(fmt::format("ICU has no CP949 converter: {}", u_errorName(err)));
  }
  // Stop at the first malformed or unmapped sequence instead of substituting U+FFFD:
  // silently changing a provider's data is worse than refusing it.
  ucnv_setToUCallBack(state->converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                      &err);
  return Cp949ToUtf8(std::move(state));
}

Status Cp949ToUtf8::Convert(std::string_view chunk, bool last, std::string& out) {
  State& s = *state_;
  s.utf16.resize(chunk.size() + 16);
  s.offsets.resize(chunk.size() + 16);
  const char* src = chunk.data();
  const char* src_end = src + chunk.size();
  char16_t* dst = s.utf16.data();
  UErrorCode err = U_ZERO_ERROR;
  ucnv_toUnicode(s.converter, &dst, dst + s.utf16.size(), &src, src_end, s.offsets.data(), last,
                 &err);
  size_t consumed = static_cast<size_t>(src - chunk.data());
  auto invalid_at = [&](size_t at) {
    uint64_t line = s.lines_done + std::count(chunk.begin(), chunk.begin() + at, '\n');
    return InvalidArgument(fmt::format("not valid CP949 at byte {} (line {})", s.bytes_done + at, line));
  };
  if (U_FAILURE(err)) {
    char bad[8];
    int8_t bad_len = sizeof bad;
    UErrorCode ignore = U_ZERO_ERROR;
    ucnv_getInvalidChars(s.converter, bad, &bad_len, &ignore);
    return invalid_at(consumed - std::min<size_t>(consumed, static_cast<size_t>(bad_len)));
  }
  int32_t units = static_cast<int32_t>(dst - s.utf16.data());
  // Microsoft's table maps unassigned bytes to control and private-use code points
  // (0x80 -> U+0080, 0xFF -> U+F8F7, the user-defined area -> U+E000..). Real Korean
  // text never contains them; a file that does is in some other encoding.
  for (int32_t i = 0; i < units; ++i) {
    char16_t u = s.utf16[i];
    if (u == 0 || (u >= 0x80 && u <= 0x9F) || (u >= 0xE000 && u <= 0xF8FF)) {
      return invalid_at(s.offsets[i] >= 0 ? static_cast<size_t>(s.offsets[i]) : 0);
    }
  }
  s.lines_done += std::count(chunk.begin(), chunk.end(), '\n');
  s.bytes_done += chunk.size();
  icu::UnicodeString(false, s.utf16.data(), units).toUTF8String(out);
  return OkStatus();
}

std::string NormalizeNfc(std::string_view utf8) {
  // ASCII is always NFC; skip ICU for the common case.
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return (c & 0x80) == 0; })) {
    return std::string(utf8);
  }
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_FAILURE(err)) return std::string(utf8);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString normalized = nfc->normalize(in, err);
  if (U_FAILURE(err)) return std::string(utf8);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

bool IsHangulSyllable(char32_t cp) { return cp >= 0xAC00 && cp <= 0xD7A3; }

std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  while (i < n) {
    int len = SequenceLength(p[i]);
    if (len == 0 || i + len > n) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? p[i] : (p[i] & (0x7F >> len));
    bool ok = len == 1 || SecondByteOk(p[i], p[i + 1]);
    for (int k = 1; k < len && ok; ++k) {
      ok = (p[i + k] & 0xC0) == 0x80;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    out.push_back(ok ? cp : 0xFFFD);
    i += ok ? len : 1;
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view TrimAscii(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool IsAsciiDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace sz::text
