#include "korea/admin_regions.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "common/text.h"
#include "korea/admin_regions_internal.h"

namespace sz::korea {

namespace {

// Population shares: 주민등록 인구 at the end of 2024 (행정안전부 주민등록 인구통계), rounded.
constexpr std::array<Sido, 17> kSido = {{
    {"11", "서울특별시", "서울", "Seoul", 0.183},
    {"26", "부산광역시", "부산", "Busan", 0.064},
    {"27", "대구광역시", "대구", "Daegu", 0.046},
    {"28", "인천광역시", "인천", "Incheon", 0.059},
    {"29", "광주광역시", "광주", "Gwangju", 0.027},
    {"30", "대전광역시", "대전", "Daejeon", 0.028},
    {"31", "울산광역시", "울산", "Ulsan", 0.021},
    {"36", "세종특별자치시", "세종", "Sejong", 0.008},
    {"41", "경기도", "경기", "Gyeonggi-do", 0.267},
    {"43", "충청북도", "충북", "Chungcheongbuk-do", 0.031},
    {"44", "충청남도", "충남", "Chungcheongnam-do", 0.042},
    {"46", "전라남도", "전남", "Jeollanam-do", 0.035},
    {"47", "경상북도", "경북", "Gyeongsangbuk-do", 0.050},
    {"48", "경상남도", "경남", "Gyeongsangnam-do", 0.063},
    {"50", "제주특별자치도", "제주", "Jeju", 0.013},
    {"51", "강원특별자치도", "강원", "Gangwon State", 0.030},
    {"52", "전북특별자치도", "전북", "Jeonbuk State", 0.034},
}};

// Names still found in addresses typed by people or exported by older systems.
struct Alias {
  std::string_view alias;
  std::string_view code;
};
// "광주시" is not an alias: 경기도 광주시 is a 시군구 of its own.
constexpr std::array<Alias, 11> kSidoAliases = {{
    {"서울시", "11"}, {"부산시", "26"},   {"대구시", "27"},     {"인천시", "28"},
    {"대전시", "30"}, {"울산시", "31"},   {"세종시", "36"},     {"강원도", "51"},
    {"제주도", "50"}, {"전라북도", "52"}, {"전북도", "52"},
}};

std::span<const Sigungu> SigunguTable() {
  return {internal::kSigunguTable, internal::kSigunguCount};
}
std::span<const Eupmyeondong> EmdTable() {
  return {internal::kEupmyeondongTable, internal::kEupmyeondongCount};
}

// Elements whose code starts with `prefix`: contiguous because the tables are sorted.
template <typename T>
std::span<const T> WithPrefix(std::span<const T> table, std::string_view prefix) {
  auto lo = std::lower_bound(table.begin(), table.end(), prefix,
                             [](const T& e, std::string_view p) { return e.code < p; });
  auto hi = lo;
  while (hi != table.end() && hi->code.substr(0, prefix.size()) == prefix) ++hi;
  return {lo, hi};
}

template <typename T>
const T* ExactCode(std::span<const T> table, std::string_view code) {
  auto it = std::lower_bound(table.begin(), table.end(), code,
                             [](const T& e, std::string_view c) { return e.code < c; });
  return it != table.end() && it->code == code ? &*it : nullptr;
}

std::string WithoutSpaces(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ') out += c;
  return out;
}

// Folds the spellings people use for the same 읍면동: "창신제1동"/"창신1동",
// "종로1.2.3.4가동"/"종로1·2·3·4가동"/"종로1,2,3,4가동".
std::string FoldEmdName(std::string_view name) {
  std::string out;
  std::u32string cps = text::DecodeUtf8(name);
  for (size_t i = 0; i < cps.size(); ++i) {
    char32_t c = cps[i];
    if (c == U'.' || c == U',' || c == U'·' || c == U'ㆍ') continue;
    // "제" directly followed by a digit is the optional "제" of "제1동".
    if (c == U'제' && i > 0 && i + 1 < cps.size() && cps[i + 1] >= U'0' && cps[i + 1] <= U'9')
      continue;
    text::AppendUtf8(c, out);
  }
  return out;
}

std::vector<std::string> Tokens(std::string_view text_in) {
  std::string text = text::NormalizeNfc(text_in);
  std::vector<std::string> tokens;
  std::string cur;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
      if (!cur.empty()) tokens.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tokens.push_back(std::move(cur));
  return tokens;
}

std::optional<RegionPath> ResolveCode(std::string_view code) {
  RegionPath path;
  std::string c(code);
  if (c.size() == 10 && c.substr(5) == "00000") c = c.substr(0, 5);
  if (c.size() == 5 && c.substr(2) == "000") c = c.substr(0, 2);
  if (c.size() == 8) c += "00";
  if (c.size() == 10) {
    path.emd = FindEupmyeondong(c);
    if (!path.emd) return std::nullopt;
    c = c.substr(0, 5);
  }
  if (c.size() == 5) {
    path.sigungu = FindSigungu(c);
    if (!path.sigungu) return std::nullopt;
    c = c.substr(0, 2);
  }
  if (c.size() != 2) return std::nullopt;
  path.sido = FindSido(c);
  if (!path.sido) return std::nullopt;
  return path;
}

// 시군구 candidates whose name matches tokens[i] (or tokens[i] + tokens[i+1] for a 일반구
// written in two words); `used` receives the number of tokens consumed.
std::vector<const Sigungu*> MatchSigungu(const std::vector<std::string>& tokens, size_t i,
                                         std::span<const Sigungu> scope, size_t& used) {
  std::vector<const Sigungu*> two, one;
  std::string joined = i + 1 < tokens.size() ? tokens[i] + tokens[i + 1] : std::string();
  for (const Sigungu& s : scope) {
    std::string name = WithoutSpaces(s.name);
    if (!joined.empty() && name == joined) two.push_back(&s);
    if (name == tokens[i]) one.push_back(&s);
  }
  if (!two.empty()) {
    used = 2;
    return two;
  }
  used = 1;
  return one;
}

const Eupmyeondong* MatchEmd(std::string_view token, const Sigungu& sigungu) {
  std::string folded = FoldEmdName(token);
  for (const Eupmyeondong& e : EupmyeondongOf(sigungu.code))
    if (FoldEmdName(e.name) == folded) return &e;
  return nullptr;
}

}  // namespace

std::span<const Sido> AllSido() { return kSido; }
std::span<const Sigungu> AllSigungu() { return SigunguTable(); }
std::span<const Eupmyeondong> AllEupmyeondong() { return EmdTable(); }

const Sido* FindSido(std::string_view key) {
  for (const Sido& s : kSido)
    if (s.code == key || s.name == key || s.short_name == key) return &s;
  for (const Alias& a : kSidoAliases)
    if (a.alias == key) return FindSido(a.code);
  return nullptr;
}

const Sigungu* FindSigungu(std::string_view code) { return ExactCode(SigunguTable(), code); }

const Eupmyeondong* FindEupmyeondong(std::string_view code) {
  if (code.size() == 8) return ExactCode(EmdTable(), std::string(code) + "00");
  return ExactCode(EmdTable(), code);
}

std::span<const Sigungu> SigunguOf(std::string_view sido_code) {
  if (sido_code.size() != 2) return {};
  return WithPrefix(SigunguTable(), sido_code);
}

std::span<const Eupmyeondong> EupmyeondongOf(std::string_view sigungu_code) {
  if (sigungu_code.size() != 5) return {};
  return WithPrefix(EmdTable(), sigungu_code);
}

EmdKind KindOf(const Eupmyeondong& emd) {
  std::u32string cps = text::DecodeUtf8(emd.name);
  if (!cps.empty() && cps.back() == U'읍') return EmdKind::kEup;
  if (!cps.empty() && cps.back() == U'면') return EmdKind::kMyeon;
  return EmdKind::kDong;
}

std::optional<RegionPath> ResolveRegion(std::string_view text_in) {
  std::string_view trimmed = text::TrimAscii(text_in);
  if (trimmed.empty()) return std::nullopt;
  if (text::IsAsciiDigits(trimmed)) return ResolveCode(trimmed);

  std::vector<std::string> tokens = Tokens(trimmed);
  if (tokens.empty()) return std::nullopt;
  RegionPath path;
  size_t i = 0;
  path.sido = FindSido(tokens[0]);
  if (path.sido) ++i;

  std::span<const Sigungu> scope = path.sido ? SigunguOf(path.sido->code) : SigunguTable();
  if (i < tokens.size()) {
    size_t used = 0;
    std::vector<const Sigungu*> candidates = MatchSigungu(tokens, i, scope, used);
    if (candidates.size() > 1 && i + used < tokens.size()) {
      // An ambiguous 시군구 ("중구") can still be pinned down by its 읍면동.
      std::vector<const Sigungu*> narrowed;
      for (const Sigungu* s : candidates)
        if (MatchEmd(tokens[i + used], *s)) narrowed.push_back(s);
      candidates = narrowed;
    }
    if (candidates.size() == 1) {
      path.sigungu = candidates[0];
      i += used;
    } else if (candidates.size() > 1) {
      if (!path.sido) return std::nullopt;
    }
  }
  // 세종 has a single 시군구 with the 시도's name; its 읍면동 follow the 시도 directly.
  if (path.sido && !path.sigungu && scope.size() == 1) path.sigungu = &scope[0];
  if (path.sigungu && !path.sido) path.sido = FindSido(path.sigungu->sido_code);
  if (path.sigungu && i < tokens.size()) {
    path.emd = MatchEmd(tokens[i], *path.sigungu);
  }
  if (!path.sido) return std::nullopt;
  return path;
}

std::string FormatRegion(const RegionPath& path) {
  std::string out;
  auto add = [&out](std::string_view part) {
    if (!out.empty()) out += ' ';
    out += part;
  };
  if (path.sido) add(path.sido->name);
  if (path.sigungu && !(path.sido && path.sido->name == path.sigungu->name))
    add(path.sigungu->name);
  if (path.emd) add(path.emd->name);
  return out;
}

}  // namespace sz::korea
