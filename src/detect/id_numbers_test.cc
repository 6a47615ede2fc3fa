#include "detect/id_numbers.h"

#include <gtest/gtest.h>

namespace sz::detect {
namespace {

TEST(DigitGroups, SplitsOnOneKindOfSeparator) {
  DigitGroups g = SplitDigitGroups("110-123-456789", "-");
  EXPECT_EQ(g.digits(), "110123456789");
  ASSERT_EQ(g.groups, 3);
  EXPECT_EQ(g.group_len[0], 3);
  EXPECT_EQ(g.group_len[2], 6);
  EXPECT_TRUE(SplitDigitGroups("4111 1111-1111 1111", " -").digits().empty());  // mixed
  EXPECT_TRUE(SplitDigitGroups("110--123", "-").digits().empty());              // empty group
  EXPECT_TRUE(SplitDigitGroups("-110", "-").digits().empty());
  EXPECT_TRUE(SplitDigitGroups("11a0", "-").digits().empty());
}

TEST(Rrn, SeparatesShapeFromChecksum) {
  // 900101-123456C: 18+0+0+5+0+7+8+18+6+12+20+30 = 124; 124 % 11 = 3; (11-3) % 10 = 8.
  RrnCheck valid = CheckRrn("900101-1234568");
  EXPECT_EQ(valid.shape, RrnShape::kCitizen);
  EXPECT_TRUE(valid.checksum_valid);
  EXPECT_TRUE(CheckRrn("9001011234568").checksum_valid);
  // Same structure, other last digit: shape holds (post-2020 numbers look like this).
  RrnCheck invalid = CheckRrn("900101-1234567");
  EXPECT_EQ(invalid.shape, RrnShape::kCitizen);
  EXPECT_FALSE(invalid.checksum_valid);
  // Foreigner 950315-612345C: 18+15+0+15+6+35+48+9+4+9+16+25 = 200; 200 % 11 = 2;
  // (11-2) % 10 = 9; +2 -> 1.
  RrnCheck foreign = CheckRrn("950315-6123451");
  EXPECT_EQ(foreign.shape, RrnShape::kForeigner);
  EXPECT_TRUE(foreign.checksum_valid);
  EXPECT_EQ(CheckRrn("900101-1******").shape, RrnShape::kMasked);
  EXPECT_EQ(CheckRrn("******-1234567").shape, RrnShape::kMasked);
  EXPECT_EQ(CheckRrn("901301-1234567").shape, RrnShape::kNone);  // month 13
  EXPECT_EQ(CheckRrn("900101-1234").shape, RrnShape::kNone);
  EXPECT_EQ(CheckRrn("9001011234567890").shape, RrnShape::kNone);
}

TEST(Card, ChecksLuhnAndIssuer) {
  // Visa 4111 1111 1111 1111: doubled digits 7×2 + 4×2 = 22, others 8 -> 30, valid.
  CardCheck visa = CheckCard("4111 1111 1111 1111");
  EXPECT_TRUE(visa.shape);
  EXPECT_TRUE(visa.luhn);
  EXPECT_TRUE(CheckCard("4111-1111-1111-1111").luhn);
  EXPECT_TRUE(CheckCard("4111111111111111").luhn);
  // Last digit +1 -> sum 31.
  CardCheck bad = CheckCard("4111111111111112");
  EXPECT_TRUE(bad.shape);
  EXPECT_FALSE(bad.luhn);
  // Mastercard 5500 0000 0000 0004: doubled 5 -> 10 -> 1; others 5 + 4 -> 10, valid.
  EXPECT_TRUE(CheckCard("5500 0000 0000 0004").luhn);
  // Amex 3782 822463 10005 (the issuer's published test number): sum 60.
  EXPECT_TRUE(CheckCard("3782 822463 10005").luhn);
  EXPECT_TRUE(CheckCard("378282246310005").luhn);
  // Unknown issuer (prefix 1) and wrong grouping are no card shapes.
  EXPECT_FALSE(CheckCard("1234567890123452").shape);
  EXPECT_FALSE(CheckCard("411-1111111111111").shape);
  EXPECT_FALSE(CheckCard("411111111111").shape);  // 12 digits
  EXPECT_TRUE(KnownCardIssuer("6250941006528599"));  // UnionPay 62
  EXPECT_TRUE(KnownCardIssuer("9410123456789012"));  // domestic 9, 16 digits
  EXPECT_FALSE(KnownCardIssuer("941012345678901"));  // domestic needs 16
  EXPECT_FALSE(KnownCardIssuer("3412345678901234"));  // Amex prefix needs 15
}

TEST(BusinessNumber, NeedsLayoutOrChecksum) {
  // 101-81-0000C: 1+0+7+8+3+0+0+0+0 = 19, + (0×5)/10 = 0 -> 19; (10-9) % 10 = 1.
  BusinessCheck valid = CheckBusinessNumber("101-81-00001");
  EXPECT_TRUE(valid.shape);
  EXPECT_TRUE(valid.checksum_valid);
  BusinessCheck invalid = CheckBusinessNumber("101-81-00002");
  EXPECT_TRUE(invalid.shape);
  EXPECT_FALSE(invalid.checksum_valid);
  // Plain 10 digits are only a business number when the check digit holds.
  EXPECT_TRUE(CheckBusinessNumber("1018100001").shape);
  EXPECT_FALSE(CheckBusinessNumber("1018100002").shape);
  EXPECT_FALSE(CheckBusinessNumber("10-181-00001").shape);
}

TEST(BankAccount, AcceptsKnownLayoutsOnly) {
  EXPECT_TRUE(LooksLikeBankAccount("110-123-456789"));    // 신한 3-3-6
  EXPECT_TRUE(LooksLikeBankAccount("123456-12-123456"));  // KB 6-2-6
  EXPECT_TRUE(LooksLikeBankAccount("1002-123-456789"));   // 우리 4-3-6
  EXPECT_TRUE(LooksLikeBankAccount("3333-01-1234567"));   // 카카오 4-2-7
  EXPECT_TRUE(LooksLikeBankAccount("302-1234-5678-91"));  // 농협 3-4-4-2
  EXPECT_FALSE(LooksLikeBankAccount("110123456789"));     // plain digits
  EXPECT_FALSE(LooksLikeBankAccount("010-1234-5678"));    // phone
  EXPECT_FALSE(LooksLikeBankAccount("123-45-67891"));     // business number layout
  EXPECT_FALSE(LooksLikeBankAccount("12-3456-7890"));     // unknown layout
  EXPECT_TRUE(LooksLikeBankAccount("1000-1234-5678"));    // 토스 4-4-4
}

TEST(IdentifierDigits, CountsDigitsOfPlainNumbers) {
  EXPECT_EQ(IdentifierDigits("6988048"), 7);
  EXPECT_EQ(IdentifierDigits("12-345-678"), 8);
  EXPECT_EQ(IdentifierDigits("12345"), 0);  // too short
  EXPECT_EQ(IdentifierDigits("123456789012345678901"), 0);  // 21 digits
  EXPECT_EQ(IdentifierDigits("12345a7"), 0);
}

}  // namespace
}  // namespace sz::detect
