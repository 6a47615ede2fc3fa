#include "detect/names.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>

#include "detect/utf8_scan.h"

namespace sz::detect {

namespace {

using internal::IsSyllable;
using internal::NextCodePoint;

// Single-syllable surnames, most common first (2015 census), plus the spellings 리/림/로
// allowed since 2007 for 이/임/노.
constexpr std::u32string_view kSurnames =
    U"김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나"
    U"진지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편"
    U"용예경봉사부가복태목형피두감음빈동온호범좌팽승간상갈단견당화창옹순빙묵리림로";

constexpr std::array<std::u32string_view, 8> kCompoundSurnames = {
    U"남궁", U"황보", U"제갈", U"사공", U"선우", U"서문", U"독고", U"동방"};

// Frequent words that start with a surname syllable and fill category columns.
constexpr std::array<std::u32string_view, 40> kNotNames = {
    U"기타", U"전체", U"정상", U"이상", U"미상", U"남자", U"여자", U"남성", U"여성", U"미정",
    U"해당", U"완료", U"진행", U"진행중", U"대기", U"승인", U"반려", U"취소", U"신규", U"해지",
    U"정지", U"변경", U"합계", U"소계", U"평균", U"기본", U"일반", U"공통", U"이하", U"미만",
    U"초과", U"전화", U"주소", U"성명", U"이름", U"고객", U"신청", U"정보", U"한국", U"외국인"};

class SurnameTable {
 public:
  SurnameTable() {
    for (char32_t c : kSurnames) single_[c - 0xAC00] = true;
  }
  bool Single(char32_t c) const { return IsSyllable(c) && single_[c - 0xAC00]; }

 private:
  std::array<bool, 0xD7A4 - 0xAC00> single_{};
};

const SurnameTable& Surnames() {
  static const SurnameTable table;
  return table;
}

bool IsCompoundSurname(char32_t a, char32_t b) {
  return std::any_of(kCompoundSurnames.begin(), kCompoundSurnames.end(),
                     [&](std::u32string_view s) { return s[0] == a && s[1] == b; });
}

// Common romanizations of the surnames above (Revised Romanization, McCune-Reischauer
// and customary passport spellings). Two-letter spellings that are common English
// words ("in", "do", "so", "no") are left out.
const std::unordered_set<std::string_view>& RomanizedSurnames() {
  static const std::unordered_set<std::string_view> kSet = {
      "kim", "gim", "lee", "yi", "rhee", "rhie", "park", "pak", "bak", "bahk", "choi", "choe",
      "jung", "jeong", "chung", "joung", "kang", "gang", "cho", "jo", "yoon", "yun", "youn",
      "jang", "chang", "lim", "im", "rim", "han", "hahn", "oh", "seo", "suh", "shin", "sin",
      "kwon", "gwon", "hwang", "ahn", "song", "jeon", "jun", "chun", "cheon", "hong", "yoo",
      "yu", "ryu", "ryoo", "ko", "koh", "go", "moon", "mun", "yang", "son", "sohn", "bae",
      "pae", "baek", "paek", "paik", "heo", "huh", "hur", "nam", "sim", "shim", "noh", "roh",
      "ha", "kwak", "gwak", "sung", "seong", "cha", "joo", "ju", "woo", "wu", "koo", "ku",
      "gu", "min", "na", "ra", "jin", "chin", "ji", "uhm", "eom", "chae", "won", "bang",
      "kong", "gong", "hyun", "hyeon", "ham", "byun", "byeon", "yeom", "yeo", "choo", "chu",
      "doh", "soh", "seok", "suk", "seon", "sun", "sul", "seol", "ma", "gil", "kil", "yeon",
      "wi", "pyo", "myung", "myeong", "ki", "gi", "ban", "wang", "keum", "geum", "yook",
      "yuk", "maeng", "je", "mo", "tak", "kook", "guk", "eo", "eun", "pyeon", "yong",
      "kyung", "gyeong", "bong", "sa", "boo", "bu", "namgoong", "namgung", "hwangbo",
      "jegal", "sagong", "sakong", "sunwoo", "seonwoo", "seonu", "dokgo", "dokko"};
  return kSet;
}

}  // namespace

bool IsKoreanPersonName(std::string_view text) {
  if (text.size() < 6 || text.size() > 13) return false;  // 2-4 syllables, 3 bytes each
  std::array<char32_t, 4> syl{};
  int n = 0;
  int space_after = -1;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = NextCodePoint(text, i);
    if (cp == U' ') {
      if (space_after >= 0 || n == 0) return false;
      space_after = n;
      continue;
    }
    if (!IsSyllable(cp) || n == 4) return false;
    syl[n++] = cp;
  }
  if (n < 2) return false;
  bool compound = n >= 3 && IsCompoundSurname(syl[0], syl[1]);
  int surname_len = compound ? 2 : 1;
  if (!compound && !Surnames().Single(syl[0])) return false;
  if (space_after >= 0 && space_after != surname_len) return false;
  std::u32string_view word(syl.data(), n);
  return std::find(kNotNames.begin(), kNotNames.end(), word) == kNotNames.end();
}

RomanizedNameCheck CheckRomanizedName(std::string_view text) {
  if (text.size() < 2 || text.size() > 40) return {};
  RomanizedNameCheck out;
  int words = 0;
  bool long_word = false;
  size_t i = 0;
  while (i < text.size()) {
    // Word separators: spaces and a comma ("KIM, Minsu").
    if (text[i] == ' ' || text[i] == ',') {
      ++i;
      continue;
    }
    size_t start = i;
    std::string lower;
    while (i < text.size() && text[i] != ' ' && text[i] != ',') {
      char c = text[i];
      bool letter = internal::IsAsciiAlpha(static_cast<unsigned char>(c));
      bool inner = (c == '-' || c == '\'' || c == '.') && i > start;
      if (!letter && !inner) return {};
      if (letter) lower += static_cast<char>(c | 0x20);
      ++i;
    }
    if (++words > 3 || lower.size() > 20) return {};
    if (lower.size() >= 2) long_word = true;
    if (RomanizedSurnames().contains(lower)) out.korean_surname = true;
    // Inner punctuation is dropped: "Gil-dong" is the word "gildong", not the surname
    // "gil".
  }
  out.shape = words >= 1 && long_word;
  if (!out.shape) out.korean_surname = false;
  return out;
}

bool IsSexValue(std::string_view text) {
  static constexpr std::string_view kValues[] = {"남", "여", "남자", "여자", "남성", "여성"};
  if (std::find(std::begin(kValues), std::end(kValues), text) != std::end(kValues)) return true;
  if (text.size() > 6) return false;
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
  return lower == "m" || lower == "f" || lower == "male" || lower == "female";
}

}  // namespace sz::detect
