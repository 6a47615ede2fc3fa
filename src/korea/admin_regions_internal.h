// Internal: the generated 시군구 and 읍면동 tables (admin_regions_data.cc). Use the
// functions in admin_regions.h instead.
#pragma once

#include <cstddef>

#include "korea/admin_regions.h"

namespace sz::korea::internal {

extern const Sigungu kSigunguTable[];
extern const size_t kSigunguCount;
extern const Eupmyeondong kEupmyeondongTable[];
extern const size_t kEupmyeondongCount;

}  // namespace sz::korea::internal
