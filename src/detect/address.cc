#include "detect/address.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "detect/utf8_scan.h"

namespace sz::detect {

namespace {

using internal::IsAsciiAlpha;
using internal::IsAsciiDigit;
using internal::IsSyllable;
using internal::NextCodePoint;

enum class Token { kRegion, kRoad, kNumber, kStreetWord, kOther };

const std::unordered_set<std::string_view>& Provinces() {
  static const std::unordered_set<std::string_view> kSet = {
      "서울특별시", "서울시", "서울", "부산광역시", "부산시", "부산", "대구광역시", "대구시",
      "대구", "인천광역시", "인천시", "인천", "광주광역시", "광주", "대전광역시", "대전시",
      "대전", "울산광역시", "울산시", "울산", "세종특별자치시", "세종시", "세종", "경기도",
      "경기", "강원도", "강원특별자치도", "강원", "충청북도", "충북", "충청남도", "충남",
      "전라북도", "전북특별자치도", "전북", "전라남도", "전남", "경상북도", "경북",
      "경상남도", "경남", "제주특별자치도", "제주도", "제주"};
  return kSet;
}

// English street types (Australia Post / USPS abbreviations included).
const std::unordered_set<std::string_view>& StreetWords() {
  static const std::unordered_set<std::string_view> kSet = {
      "street", "st", "road", "rd", "avenue", "ave", "circuit", "cct", "crescent", "cres",
      "drive", "dr", "lane", "ln", "place", "pl", "court", "ct", "way", "boulevard", "blvd",
      "highway", "hwy", "parade", "pde", "terrace", "tce", "close", "grove", "square", "sq",
      "esplanade", "parkway", "pkwy", "alley"};
  return kSet;
}

// Token after stripping brackets and trailing commas: "(역삼동)," -> "역삼동".
std::string_view StripPunct(std::string_view t) {
  auto punct = [](char c) { return c == '(' || c == ')' || c == ',' || c == '[' || c == ']'; };
  while (!t.empty() && punct(t.front())) t.remove_prefix(1);
  while (!t.empty() && punct(t.back())) t.remove_suffix(1);
  return t;
}

// A token that starts with a digit: "123", "123-45", "101동", "302호", "12번길".
Token ClassifyNumberToken(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && (IsAsciiDigit(static_cast<unsigned char>(t[i])) || t[i] == '-')) ++i;
  if (t[i - 1] == '-') return Token::kOther;
  std::string_view suffix = t.substr(i);
  static constexpr std::string_view kNumberSuffixes[] = {"", "번지", "호", "층", "동", "번",
                                                         "가", "통", "반", "세대"};
  static constexpr std::string_view kRoadSuffixes[] = {"번길", "길", "로"};
  for (auto s : kNumberSuffixes)
    if (suffix == s) return Token::kNumber;
  for (auto s : kRoadSuffixes)
    if (suffix == s) return Token::kRoad;
  return Token::kOther;
}

// A token with Hangul in it: a region, a road, "산12" or other.
Token ClassifyHangulToken(std::string_view t) {
  if (Provinces().contains(t)) return Token::kRegion;
  if (t.starts_with("산") && t.size() > 3 && IsAsciiDigit(static_cast<unsigned char>(t[3]))) {
    return ClassifyNumberToken(t.substr(3));
  }
  int count = 0;
  char32_t last = 0, before_last = 0;
  for (size_t i = 0; i < t.size();) {
    char32_t cp = NextCodePoint(t, i);
    if (!IsSyllable(cp) && !IsAsciiDigit(cp)) return Token::kOther;
    before_last = last;
    last = cp;
    ++count;
  }
  if (count < 2) return Token::kOther;
  if (last == U'로' || last == U'길') return Token::kRoad;
  if (last == U'시' || last == U'군' || last == U'구' || last == U'읍' || last == U'면' ||
      last == U'동' || last == U'리') {
    return Token::kRegion;
  }
  // "종로1가": a 가 (street section) needs its number; bare "…가" is an ordinary word.
  if (last == U'가' && IsAsciiDigit(before_last)) return Token::kRegion;
  return Token::kOther;
}

Token ClassifyToken(std::string_view raw) {
  std::string_view t = StripPunct(raw);
  if (t.empty()) return Token::kOther;
  unsigned char c0 = static_cast<unsigned char>(t[0]);
  if (IsAsciiDigit(c0)) return ClassifyNumberToken(t);
  if (c0 >= 0x80) return ClassifyHangulToken(t);
  if (IsAsciiAlpha(c0)) {
    std::string lower;
    for (char c : t) {
      if (!IsAsciiAlpha(static_cast<unsigned char>(c)) && c != '.') return Token::kOther;
      if (c != '.') lower += static_cast<char>(c | 0x20);
    }
    return StreetWords().contains(lower) ? Token::kStreetWord : Token::kOther;
  }
  return Token::kOther;
}

bool IsFunctionWord(std::string_view word) {
  static constexpr std::string_view kWords[] = {"the", "a", "an", "this", "that", "my", "your",
                                                "our", "by", "on", "in", "of", "to", "no",
                                                "The", "A", "By", "On", "In", "No"};
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

}  // namespace

bool IsProvinceName(std::string_view token) { return Provinces().contains(token); }

PlaceKind ClassifyPlace(std::string_view text) {
  if (text.size() < 4 || text.size() > 300) return PlaceKind::kNone;
  int region = 0, road = 0, number = 0, other = 0, tokens = 0;
  Token first = Token::kOther;
  // English: a street word after a name word, followed by nothing but numbers
  // ("tullaroop street", "12 main st", "main street 5"); "by the way" is no address.
  bool street_open = false;
  std::string_view previous;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(i, end - i);
    Token kind = ClassifyToken(raw);
    if (tokens == 0) first = kind;
    region += kind == Token::kRegion;
    road += kind == Token::kRoad;
    number += kind == Token::kNumber;
    other += kind == Token::kOther || kind == Token::kStreetWord;
    if (kind == Token::kStreetWord && tokens > 0 && !IsFunctionWord(previous)) {
      street_open = true;
    } else if (kind != Token::kNumber) {
      street_open = false;
    }
    previous = raw;
    ++tokens;
    i = end;
  }
  if (street_open) return PlaceKind::kAddress;
  // Korean addresses run from the largest unit down ("서울 강남구 역삼동 123-45",
  // "세종대로 110"): they open with a region or road and carry a number. Free text
  // has region-shaped words too ("처리", "활동") but neither the order nor the mix.
  bool opens_with_place = first == Token::kRegion || first == Token::kRoad;
  if (opens_with_place && number > 0 && other <= region + road + number) {
    return PlaceKind::kAddress;
  }
  // Region tokens only, or a road within its region without a building number: a
  // street covers many households, so it counts as a region.
  if (region > 0 && region + road == tokens && tokens <= 4) return PlaceKind::kRegion;
  return PlaceKind::kNone;
}

}  // namespace sz::detect
