#include <gtest/gtest.h>

#include "storage/env.h"

namespace sz::storage {
namespace {

TEST(PathIsInside, ComparesWholePathElementsAfterResolvingDotDot) {
  EXPECT_TRUE(PathIsInside("/srv/zone/data/x.szp", "/srv/zone"));
  EXPECT_TRUE(PathIsInside("/srv/zone", "/srv/zone"));
  EXPECT_FALSE(PathIsInside("/srv/zone2/key", "/srv/zone"));  // a prefix of the name is not inside
  EXPECT_FALSE(PathIsInside("/srv/zone/../master.key", "/srv/zone"));
  EXPECT_TRUE(PathIsInside("/srv/other/../zone/master.key", "/srv/zone"));
  EXPECT_FALSE(PathIsInside("/srv", "/srv/zone"));
}

}  // namespace
}  // namespace sz::storage
