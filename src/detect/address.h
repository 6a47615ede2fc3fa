// Validators for places, one value at a time: Korean addresses in road-name form
// (도로명주소: "서울특별시 강남구 테헤란로 123") and lot-number form (지번주소: "서울 강남구
// 역삼동 123-45"), English street addresses ("12 tullaroop street"), and bare region
// names ("강남구", "경기도 수원시", "역삼1동").
//
// A value is tokenised on spaces; each token is a region token (a 시도 name in full or
// short form, or a Hangul word ending in 시/군/구/읍/면/동/리, or "종로1가"), a road token
// (ending in 로/길, "12번길"), a number token ("123", "123-45", "산12", "101동", "5층",
// "302호") or other text. A Korean address runs from the largest unit down: it opens
// with a region or road token, carries a number, and has no more other words than
// address words (free text has region-shaped words like "처리" but not that order). A
// region name has region tokens only (or a road within its region, without a number).
// The two are exclusive: a region name is coarse location (a quasi-identifier), an
// address pins a household.
//
// Thread-safety: pure functions over immutable tables.
#pragma once

#include <string_view>

namespace sz::detect {

enum class PlaceKind { kNone, kRegion, kAddress };
PlaceKind ClassifyPlace(std::string_view text);

// True for the 17 시도 names in full ("서울특별시", "강원특별자치도") and short form
// ("서울", "강원"), including the pre-2023/2024 names of 강원 and 전북.
bool IsProvinceName(std::string_view token);

}  // namespace sz::detect
