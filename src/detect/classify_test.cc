#include "detect/classify.h"

#include <gtest/gtest.h>

namespace sz::detect {
namespace {

const ValueContext kText{false, {2025, 6, 1}};
const ValueContext kInteger{true, {2025, 6, 1}};

bool Has(const ValueTraits& t, Pattern p) { return t.matched & Bit(p); }

TEST(Classify, ReportsOverlappingShapes) {
  // 13 digits: an RRN shape, and (prefix 9, but 13 digits) no domestic card.
  ValueTraits rrn = ClassifyValue("9001011234568", kText);
  EXPECT_TRUE(Has(rrn, Pattern::kRrn));
  EXPECT_TRUE(rrn.validated & Bit(Pattern::kRrn));
  EXPECT_TRUE(Has(rrn, Pattern::kIdentifierNumber));
  EXPECT_EQ(rrn.id_digits, 13);
  EXPECT_FALSE(Has(rrn, Pattern::kCardNumber));
  // "강남구" is both a region and the shape of a name (강 + 남구).
  ValueTraits gangnam = ClassifyValue("강남구", kText);
  EXPECT_TRUE(Has(gangnam, Pattern::kRegionName));
  EXPECT_TRUE(Has(gangnam, Pattern::kPersonName));
  // A compact date is also an 8-digit number.
  ValueTraits date = ClassifyValue("19900131", kText);
  EXPECT_TRUE(Has(date, Pattern::kDate));
  EXPECT_EQ(date.year, 1990);
  EXPECT_TRUE(Has(date, Pattern::kIdentifierNumber));
}

TEST(Classify, RestoresLeadingZerosOfIntegerColumns) {
  // 050101-323456C (born 2005): 0+15+0+5+0+7+24+18+6+12+20+30 = 137; 137 % 11 = 5;
  // (11-5) % 10 = 6. As a BIGINT the leading 0 is gone.
  EXPECT_FALSE(Has(ClassifyValue("501013234566", kText), Pattern::kRrn));
  ValueTraits restored = ClassifyValue("501013234566", kInteger);
  EXPECT_TRUE(Has(restored, Pattern::kRrn));
  EXPECT_TRUE(restored.validated & Bit(Pattern::kRrn));
  EXPECT_TRUE(Has(ClassifyValue("1012345678", kInteger), Pattern::kMobilePhone));
  EXPECT_FALSE(Has(ClassifyValue("1012345678", kText), Pattern::kMobilePhone));
}

TEST(Classify, KeepsFutureDatesOut) {
  EXPECT_FALSE(Has(ClassifyValue("2030-01-01", kText), Pattern::kDate));
  EXPECT_FALSE(Has(ClassifyValue("1899-12-31", kText), Pattern::kDate));
  EXPECT_TRUE(Has(ClassifyValue("1990년 1월 31일", kText), Pattern::kDate));
}

TEST(Classify, FindsIdentifiersInFreeText) {
  EXPECT_TRUE(HasEmbeddedIdentifier("연락처 010-1234-5678로 연락 바람"));
  EXPECT_TRUE(HasEmbeddedIdentifier("메일은 hong@example.com 입니다."));
  EXPECT_TRUE(HasEmbeddedIdentifier("본인 주민번호 900101-1234567 확인"));  // hyphenated
  EXPECT_TRUE(HasEmbeddedIdentifier("card 4111-1111-1111-1111 used"));
  EXPECT_FALSE(HasEmbeddedIdentifier("회의는 2024-05-01 10시, 3층 회의실"));
  EXPECT_FALSE(HasEmbeddedIdentifier("주문 9001011234567 처리"));  // bad checksum, no hyphen
  EXPECT_FALSE(HasEmbeddedIdentifier("대표번호 1588-1234 로 문의"));
  ValueTraits memo = ClassifyValue("연락처 010-1234-5678로 연락 바람", kText);
  EXPECT_EQ(memo.matched, Bit(Pattern::kEmbeddedIdentifier));
}

}  // namespace
}  // namespace sz::detect
