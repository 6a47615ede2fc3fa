#include "privacy/dataset.h"

#include <gtest/gtest.h>

#include "privacy/test_tables.h"

namespace sz::privacy {
namespace {

TEST(EncodedColumn, CodesInOrderOfFirstAppearanceWithNullAsEmpty) {
  EncodedColumn c("city");
  c.Append("Seoul");
  c.Append("Busan");
  c.Append(std::nullopt);
  c.Append("Seoul");
  c.Append("");
  EXPECT_EQ(c.size(), 5);
  EXPECT_EQ(c.distinct(), 3);
  EXPECT_EQ(std::vector<int32_t>(c.codes().begin(), c.codes().end()),
            (std::vector<int32_t>{0, 1, 2, 0, 2}));
  ASSERT_TRUE(c.missing_code().has_value());
  EXPECT_EQ(*c.missing_code(), 2);
  EXPECT_EQ(c.Label(2), "");
  EXPECT_FALSE(EncodedColumn::FromStrings("x", std::vector<std::string>{"a"}).missing_code());
}

TEST(QuasiIdentifier, BindsToHierarchyRawIds) {
  auto h = Hierarchy::ParseArxCsv("a;A;*\nb;A;*\nc;C;*\n").value();
  auto qi = QuasiIdentifier::Bind(
      EncodedColumn::FromStrings("x", std::vector<std::string>{"c", "a", "c"}), h);
  ASSERT_TRUE(qi.ok());
  EXPECT_EQ(std::vector<int32_t>(qi->codes().begin(), qi->codes().end()),
            (std::vector<int32_t>{2, 0, 2}));
  EXPECT_EQ(qi->levels(), 3);
}

TEST(QuasiIdentifier, FromRawIdsChecksRange) {
  auto h = Hierarchy::ParseArxCsv("a;*\nb;*\n").value();
  auto qi = QuasiIdentifier::FromRawIds("x", h, {1, 0, 1});
  ASSERT_TRUE(qi.ok());
  EXPECT_EQ(qi->rows(), 3);
  EXPECT_EQ(qi->hierarchy().GroupLabel(0, qi->codes()[0]), "b");
  EXPECT_EQ(QuasiIdentifier::FromRawIds("x", h, {2}).status().code(), Code::kInvalidArgument);
}

TEST(QuasiIdentifier, UncoveredValuesAreCountedNotPrinted) {
  auto h = Hierarchy::ParseArxCsv("a;*\n").value();
  auto qi = QuasiIdentifier::Bind(
      EncodedColumn::FromStrings("rrn", std::vector<std::string>{"a", "900101-1234567", "x"}), h);
  ASSERT_EQ(qi.status().code(), Code::kInvalidArgument);
  EXPECT_NE(qi.status().message().find("2 distinct values"), std::string::npos);
  EXPECT_EQ(qi.status().message().find("900101"), std::string::npos);  // never the value
}

TEST(QuasiIdentifier, MissingValueGetsItsOwnGroupBelowTheTop) {
  auto h = Hierarchy::ParseArxCsv("a;A;*\nb;A;*\n").value();
  auto qi = QuasiIdentifier::Bind(
      EncodedColumn::FromStrings("x", std::vector<std::string>{"a", "", "b"}), h);
  ASSERT_TRUE(qi.ok()) << qi.status().ToString();
  const Hierarchy& ext = qi->hierarchy();
  int32_t missing = qi->codes()[1];
  EXPECT_EQ(ext.value_count(), 3u);
  EXPECT_EQ(*ext.Generalize("", 1), "");  // its own group at level 1
  EXPECT_NE(ext.GroupAt(missing, 1), ext.GroupAt(qi->codes()[0], 1));
  EXPECT_EQ(ext.GroupAt(missing, 2), ext.GroupAt(qi->codes()[0], 2));  // joins '*'
  EXPECT_EQ(ext.GroupCount(2), 1);
}

TEST(QuasiIdentifier, MissingStaysApartWhenTheTopHasSeveralGroups) {
  auto h = Hierarchy::ParseArxCsv("a;X\nb;Y\n").value();
  auto qi =
      QuasiIdentifier::Bind(EncodedColumn::FromStrings("x", std::vector<std::string>{"a", ""}), h);
  ASSERT_TRUE(qi.ok());
  EXPECT_EQ(qi->hierarchy().GroupCount(1), 3);
}

TEST(QuasiIdentifier, ExplicitMissingRowIsUsed) {
  auto h = Hierarchy::ParseArxCsv("a;A;*\n;A;*\n").value();  // "" generalizes with a
  auto qi =
      QuasiIdentifier::Bind(EncodedColumn::FromStrings("x", std::vector<std::string>{"a", ""}), h);
  ASSERT_TRUE(qi.ok());
  EXPECT_EQ(qi->hierarchy().value_count(), 2u);
  EXPECT_EQ(qi->hierarchy().GroupAt(qi->codes()[0], 1), qi->hierarchy().GroupAt(qi->codes()[1], 1));
}

TEST(SensitiveAttribute, NumericOrderWithMissingFirst) {
  auto s = SensitiveAttribute::Bind(
      EncodedColumn::FromStrings("pay", std::vector<std::string>{"10", "9", "", "100", "9"}),
      ValueOrder::kNumeric);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->distinct(), 4);
  EXPECT_EQ(s->Label(0), "");
  EXPECT_EQ(s->Label(1), "9");
  EXPECT_EQ(s->Label(2), "10");
  EXPECT_EQ(s->Label(3), "100");
  EXPECT_EQ(std::vector<int32_t>(s->codes().begin(), s->codes().end()),
            (std::vector<int32_t>{2, 1, 0, 3, 1}));
  auto lex = SensitiveAttribute::Bind(
      EncodedColumn::FromStrings("pay", std::vector<std::string>{"10", "9", "100"}),
      ValueOrder::kLexicographic);
  EXPECT_EQ(lex->Label(2), "9");
  EXPECT_EQ(
      SensitiveAttribute::Bind(EncodedColumn::FromStrings("d", std::vector<std::string>{"flu"}),
                               ValueOrder::kNumeric)
          .status()
          .code(),
      Code::kInvalidArgument);
}

TEST(SensitiveAttribute, ExplicitOrder) {
  auto column = EncodedColumn::FromStrings("grade", std::vector<std::string>{"high", "low", "mid"});
  std::vector<std::string> order = {"low", "mid", "high"};
  auto s = SensitiveAttribute::Bind(column, order);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(std::vector<int32_t>(s->codes().begin(), s->codes().end()),
            (std::vector<int32_t>{2, 0, 1}));
  std::vector<std::string> partial = {"low", "high"};
  EXPECT_EQ(SensitiveAttribute::Bind(column, partial).status().code(), Code::kInvalidArgument);
}

TEST(Dataset, ValidatesShape) {
  using testing::MakeQi;
  std::vector<QuasiIdentifier> ragged;
  ragged.push_back(MakeQi("a", {"x", "y"}, "x;*\ny;*\n"));
  ragged.push_back(MakeQi("b", {"x"}, "x;*\n"));
  EXPECT_EQ(Dataset::Make(std::move(ragged)).status().code(), Code::kInvalidArgument);
  std::vector<QuasiIdentifier> twice;
  twice.push_back(MakeQi("a", {"x"}, "x;*\n"));
  twice.push_back(MakeQi("a", {"x"}, "x;*\n"));
  EXPECT_EQ(Dataset::Make(std::move(twice)).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Dataset::Make({}).status().code(), Code::kInvalidArgument);
  Dataset d = testing::UtilityTable();
  EXPECT_EQ(d.MaxLevels(), (std::vector<int>{2, 1}));
  EXPECT_TRUE(d.CheckLevels(std::vector<int>{2, 1}).ok());
  EXPECT_FALSE(d.CheckLevels(std::vector<int>{3, 0}).ok());
}

TEST(Hierarchy, RowsRoundTrip) {
  auto h = Hierarchy::ParseArxCsv("34;30-34;<50;*\n39;35-39;<50;*\n61;60-64;>=50;*\n").value();
  auto again = Hierarchy::FromRows(h.Rows());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Rows(), h.Rows());
  EXPECT_EQ(h.Rows()[2], (std::vector<std::string>{"61", "60-64", ">=50", "*"}));
}

}  // namespace
}  // namespace sz::privacy
