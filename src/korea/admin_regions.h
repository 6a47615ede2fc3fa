// Korean administrative divisions (행정구역): 시도 → 시군구 → 읍면동, with the 행정안전부
// 행정표준코드 (행정기관코드) of each level.
//
// Codes: 시도 2 digits ("11"), 시군구 5 digits ("11110"; a 시 with 일반구 appears only as
// its 구, e.g. "41135" 성남시 분당구), 읍면동 10 digits ("1111051500"; always ending in
// "00"; the first 5 digits are its 시군구). 읍면동 are 행정동 (administrative dong), the
// level at which residents are registered.
//
// Snapshot: the 17 시도 as of 2024 (강원특별자치도 51 since 2023-06-11, 전북특별자치도 52
// since 2024-01-18), 252 시군구 (대구 군위군 since 2023-07-01, 부천시 일반구 since
// 2024-01-01) and 3,550 읍면동 from a 2023-06 행정동 list (later splits of fast-growing
// 동 are missing; see tools/gen_admin_regions.py for the source and every adjustment).
//
// Invariants (checked by admin_regions_test): codes are unique; AllSigungu() is sorted by
// code and AllEupmyeondong() by code, so the children of a 시도/시군구 are contiguous;
// every 시군구's 시도 and every 읍면동's 시군구 exist.
//
// Ambiguity: 중구/동구/서구/남구/북구/강서구 exist in several 광역시, 고성군 in 강원 and 경남.
// ResolveRegion needs the 시도 (or an unambiguous 읍면동) to pick one of them.
//
// Thread-safety: all data is immutable static storage; every function is thread-safe and
// the returned pointers and spans live for the whole program.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sz::korea {

struct Sido {
  std::string_view code;        // "11"
  std::string_view name;        // "서울특별시"
  std::string_view short_name;  // "서울"
  std::string_view name_en;     // "Seoul"
  double population_share;      // of the registered population, end of 2024 (sums to ~1)
};

struct Sigungu {
  std::string_view code;       // "11110"
  std::string_view sido_code;  // "11"
  std::string_view name;       // "종로구"; "성남시 분당구" for a 일반구
};

struct Eupmyeondong {
  std::string_view code;          // "1111051500"
  std::string_view sigungu_code;  // "11110"
  std::string_view name;          // "청운효자동"
};

enum class EmdKind { kEup, kMyeon, kDong };

std::span<const Sido> AllSido();
std::span<const Sigungu> AllSigungu();
std::span<const Eupmyeondong> AllEupmyeondong();

// By code ("11"), full name ("서울특별시"), short name ("서울") or a common older/informal
// name ("서울시", "강원도", "전라북도", "제주도"). nullptr if unknown.
const Sido* FindSido(std::string_view code_or_name);
// By 5-digit code. nullptr if unknown.
const Sigungu* FindSigungu(std::string_view code);
// By 10-digit code (or its 8-digit form without the trailing "00"). nullptr if unknown.
const Eupmyeondong* FindEupmyeondong(std::string_view code);

// The 시군구 of a 시도 and the 읍면동 of a 시군구 (contiguous, sorted by code).
std::span<const Sigungu> SigunguOf(std::string_view sido_code);
std::span<const Eupmyeondong> EupmyeondongOf(std::string_view sigungu_code);

// 읍 / 면 / 동 from the name's last syllable (a 가동 such as 종로1·2·3·4가동 is a 동).
EmdKind KindOf(const Eupmyeondong& emd);

struct RegionPath {
  const Sido* sido = nullptr;
  const Sigungu* sigungu = nullptr;
  const Eupmyeondong* emd = nullptr;
};

// Resolves free text ("서울특별시 종로구 청운효자동", "서울 종로구 …", "부산 해운대구",
// "경기 성남시분당구 정자1동 …") or a code ("11", "11110", "1111051500", "11110515") to as
// many levels as it can; trailing words (road name, building number) are ignored. Returns
// nullopt if not even the 시도 can be determined (unknown text, or an ambiguous 시군구 such
// as "중구" without a 시도 and without a 읍면동 that exists in only one of them).
std::optional<RegionPath> ResolveRegion(std::string_view text);

// "서울특별시 종로구 청운효자동": the levels that are set, separated by spaces (세종's
// 시군구, which has the 시도's name, is not repeated).
std::string FormatRegion(const RegionPath& path);

}  // namespace sz::korea
