#include "korea/rrn.h"

#include <gtest/gtest.h>

namespace sz::korea {
namespace {

TEST(Rrn, ComputesCheckDigitByHand) {
  // 880101-123456C: 16+24+0+5+0+7+8+18+6+12+20+30 = 146; 146 % 11 = 3; (11 - 3) % 10 = 8.
  EXPECT_EQ(RrnCheckDigit("880101123456", RrnKind::kCitizen), 8);
  EXPECT_TRUE(HasValidRrnChecksum("880101-1234568"));
  EXPECT_FALSE(HasValidRrnChecksum("880101-1234560"));
  EXPECT_TRUE(HasValidRrnChecksum("8801011234568"));
  // Foreigner: 7th digit 5 adds (5-1)*8 = 32 -> 178; 178 % 11 = 2; (11 - 2) % 10 = 9;
  // plus 2, mod 10 = 1.
  EXPECT_EQ(RrnCheckDigit("880101523456", RrnKind::kForeigner), 1);
  EXPECT_TRUE(HasValidRrnChecksum("880101-5234561"));
}

TEST(Rrn, ParsesCenturySexAndRejectsImpossibleDates) {
  auto p = ParseRrn("040229-4123456");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->year, 2004);
  EXPECT_FALSE(p->male);
  EXPECT_FALSE(ParseRrn("030229-3123456").has_value());  // 2003 is not a leap year
  EXPECT_FALSE(ParseRrn("901301-1234567").has_value());  // month 13
  EXPECT_FALSE(ParseRrn("900101-1234567 ").has_value());
  EXPECT_EQ(ParseRrn("900101-7234567")->kind, RrnKind::kForeigner);
}

TEST(Rrn, RecognisesMaskedForms) {
  EXPECT_TRUE(IsMaskedRrn("900101-1******"));
  EXPECT_TRUE(IsMaskedRrn("900101-*******"));
  EXPECT_TRUE(IsMaskedRrn("******-1234567"));
  EXPECT_FALSE(IsMaskedRrn("900101-1234567"));
  EXPECT_FALSE(IsMaskedRrn("90*101-1*2****"));
}

TEST(BusinessNumber, ValidatesChecksum) {
  // 123-45-6789C: 1+6+21+4+15+42+7+24+45 = 165, + (9*5)/10 = 4 -> 169; (10 - 9) % 10 = 1.
  EXPECT_EQ(BusinessNumberCheckDigit("123456789"), 1);
  EXPECT_TRUE(HasValidBusinessNumberChecksum("123-45-67891"));
  EXPECT_FALSE(HasValidBusinessNumberChecksum("123-45-67890"));
}

}  // namespace
}  // namespace sz::korea
