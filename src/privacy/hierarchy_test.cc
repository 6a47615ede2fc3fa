#include "privacy/hierarchy.h"

#include <gtest/gtest.h>

namespace sz::privacy {
namespace {

TEST(Hierarchy, ParsesArxFormatAndGeneralizes) {
  auto h = Hierarchy::ParseArxCsv("34;30-34;<50;*\n39;35-39;<50;*\n61;60-64;>=50;*\n");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->levels(), 4);
  EXPECT_EQ(*h->Generalize("39", 1), "35-39");
  EXPECT_EQ(*h->Generalize("39", 2), "<50");
  EXPECT_EQ(*h->Generalize("61", 3), "*");
  EXPECT_EQ(h->GroupCount(2), 2);
  EXPECT_EQ(h->LeafCount(2, *h->RawId("34") >= 0 ? h->GroupAt(*h->RawId("34"), 2) : 0), 2);
  EXPECT_FALSE(h->Generalize("40", 1).has_value());
}

TEST(Hierarchy, RejectsRaggedDuplicateAndInconsistentRows) {
  EXPECT_NE(Hierarchy::ParseArxCsv("a;x;*\nb;*\n").status().message().find("line 2"),
            std::string::npos);
  EXPECT_NE(Hierarchy::ParseArxCsv("a;x;*\na;y;*\n").status().message().find("twice"),
            std::string::npos);
  // 'x' at level 1 cannot map to both 'p' and 'q' at level 2.
  EXPECT_NE(Hierarchy::ParseArxCsv("a;x;p\nb;x;q\n").status().message().find("inconsistent"),
            std::string::npos);
}

TEST(Hierarchy, ReportsUncoveredValuesOnce) {
  auto h = Hierarchy::ParseArxCsv("a;*\nb;*\n");
  ASSERT_TRUE(h.ok());
  std::vector<std::string> values = {"a", "c", "c", "d"};
  EXPECT_EQ(h->Uncovered(values), (std::vector<std::string>{"c", "d"}));
}

TEST(Hierarchy, LoadsEveryAdultHierarchy) {
  for (const char* col : {"age", "education", "marital-status", "native-country", "occupation",
                          "race", "salary-class", "sex", "workclass"}) {
    auto h = Hierarchy::LoadArxCsv(std::string(SAFEZONE_SHARED_DATA) + "/adult/adult_hierarchy_" +
                                   col + ".csv");
    ASSERT_TRUE(h.ok()) << col << ": " << h.status().ToString();
    EXPECT_GE(h->levels(), 2) << col;
    EXPECT_EQ(h->GroupCount(h->levels() - 1), 1) << col;  // top level is '*'
  }
}

}  // namespace
}  // namespace sz::privacy
