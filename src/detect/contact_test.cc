#include "detect/contact.h"

#include <gtest/gtest.h>

namespace sz::detect {
namespace {

TEST(Phone, RecognisesMobileForms) {
  EXPECT_EQ(ClassifyPhone("010-1234-5678"), PhoneKind::kMobile);
  EXPECT_EQ(ClassifyPhone("01012345678"), PhoneKind::kMobile);
  EXPECT_EQ(ClassifyPhone("010 1234 5678"), PhoneKind::kMobile);
  EXPECT_EQ(ClassifyPhone("010.1234.5678"), PhoneKind::kMobile);
  EXPECT_EQ(ClassifyPhone("+82 10-1234-5678"), PhoneKind::kMobile);
  EXPECT_EQ(ClassifyPhone("+821012345678"), PhoneKind::kMobile);
  EXPECT_EQ(ClassifyPhone("+82 (0)10 1234 5678"), PhoneKind::kMobile);
  EXPECT_EQ(ClassifyPhone("011-123-4567"), PhoneKind::kMobile);  // legacy 10-digit
  EXPECT_EQ(ClassifyPhone("019-1234-5678"), PhoneKind::kMobile);
}

TEST(Phone, RejectsMalformedMobileNumbers) {
  EXPECT_EQ(ClassifyPhone("010-123-4567"), PhoneKind::kNone);    // 010 needs 8 digits
  EXPECT_EQ(ClassifyPhone("010-1234-567"), PhoneKind::kNone);
  EXPECT_EQ(ClassifyPhone("0101-234-5678"), PhoneKind::kNone);   // groups misplaced
  EXPECT_EQ(ClassifyPhone("012-1234-5678"), PhoneKind::kNone);   // no such prefix
  EXPECT_EQ(ClassifyPhone("010-1234-5678-9"), PhoneKind::kNone);
  EXPECT_EQ(ClassifyPhone("010-1234-567a"), PhoneKind::kNone);
}

TEST(Phone, RecognisesLandlinesAndRepresentativeNumbers) {
  EXPECT_EQ(ClassifyPhone("02-312-4567"), PhoneKind::kLandline);
  EXPECT_EQ(ClassifyPhone("02-2345-6789"), PhoneKind::kLandline);
  EXPECT_EQ(ClassifyPhone("(02) 2345-6789"), PhoneKind::kLandline);
  EXPECT_EQ(ClassifyPhone("031-712-4567"), PhoneKind::kLandline);
  EXPECT_EQ(ClassifyPhone("0647123456"), PhoneKind::kLandline);
  EXPECT_EQ(ClassifyPhone("070-7123-4567"), PhoneKind::kLandline);
  EXPECT_EQ(ClassifyPhone("+82-2-312-4567"), PhoneKind::kLandline);
  EXPECT_EQ(ClassifyPhone("1588-1234"), PhoneKind::kLandline);
  EXPECT_EQ(ClassifyPhone("15881234"), PhoneKind::kNone);       // plain 8 digits
  EXPECT_EQ(ClassifyPhone("02-0123-4567"), PhoneKind::kNone);   // exchanges start with 2-9
  EXPECT_EQ(ClassifyPhone("02-123-4567"), PhoneKind::kNone);
  EXPECT_EQ(ClassifyPhone("035-123-4567"), PhoneKind::kNone);   // no area 035
  EXPECT_EQ(ClassifyPhone("070-712-4567"), PhoneKind::kNone);   // 070 needs 8 digits
  EXPECT_EQ(ClassifyPhone("1234-5678"), PhoneKind::kNone);
}

TEST(Email, AcceptsCommonAddresses) {
  EXPECT_TRUE(IsEmail("hong.gildong@example.co.kr"));
  EXPECT_TRUE(IsEmail("a_b+tag@mail-server.com"));
  EXPECT_FALSE(IsEmail("hong@example"));       // no TLD
  EXPECT_FALSE(IsEmail("hong@example.c"));     // 1-letter TLD
  EXPECT_FALSE(IsEmail("hong@example.123"));   // numeric TLD
  EXPECT_FALSE(IsEmail(".hong@example.com"));
  EXPECT_FALSE(IsEmail("ho..ng@example.com"));
  EXPECT_FALSE(IsEmail("hong@-example.com"));
  EXPECT_FALSE(IsEmail("hong example@x.com"));
  EXPECT_FALSE(IsEmail("@example.com"));
}

TEST(IpAddress, AcceptsV4AndV6) {
  EXPECT_TRUE(IsIpAddress("192.168.0.1"));
  EXPECT_TRUE(IsIpAddress("0.0.0.0"));
  EXPECT_TRUE(IsIpAddress("2001:db8::1"));
  EXPECT_TRUE(IsIpAddress("::1"));
  EXPECT_TRUE(IsIpAddress("fe80::1ff:fe23:4567:890a"));
  EXPECT_FALSE(IsIpAddress("256.1.1.1"));
  EXPECT_FALSE(IsIpAddress("01.2.3.4"));
  EXPECT_FALSE(IsIpAddress("1.2.3"));
  EXPECT_FALSE(IsIpAddress("1.2.3.4.5"));
  EXPECT_FALSE(IsIpAddress("2001:db8:::1"));
  EXPECT_FALSE(IsIpAddress("12:30"));
}

}  // namespace
}  // namespace sz::detect
