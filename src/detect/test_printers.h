// Test-only: readable gtest output for detect's enums ("mobile_phone", not "<04-00 00-00>").
#pragma once

#include <ostream>

#include "detect/role.h"

namespace sz::detect {

inline void PrintTo(Pattern p, std::ostream* os) { *os << PatternName(p); }
inline void PrintTo(Role r, std::ostream* os) { *os << RoleName(r); }

}  // namespace sz::detect
