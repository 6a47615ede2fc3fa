#include "detect/column_hints.h"

#include <gtest/gtest.h>

namespace sz::detect {
namespace {

HintKind Kind(std::string_view name) { return HintFromColumnName(name).kind; }

TEST(ColumnHints, ReadsKoreanNames) {
  EXPECT_EQ(Kind("주민등록번호"), HintKind::kRrn);
  EXPECT_EQ(Kind("외국인등록번호"), HintKind::kForeignRrn);  // before 주민/번호 rules
  EXPECT_EQ(Kind("고객_성명"), HintKind::kPersonName);
  EXPECT_EQ(Kind("휴대폰번호"), HintKind::kPhone);
  EXPECT_EQ(Kind("이메일"), HintKind::kEmail);
  EXPECT_EQ(Kind("카드번호"), HintKind::kCardNumber);
  EXPECT_EQ(Kind("신용카드번호"), HintKind::kCardNumber);  // not 신용 (credit)
  EXPECT_EQ(Kind("입금계좌"), HintKind::kBankAccount);
  EXPECT_EQ(Kind("사업자번호"), HintKind::kBusinessNumber);
  EXPECT_EQ(Kind("생년월일"), HintKind::kDateOfBirth);
  EXPECT_EQ(Kind("거주지 주소"), HintKind::kAddress);
  EXPECT_EQ(Kind("시군구"), HintKind::kRegion);
  EXPECT_EQ(Kind("우편번호"), HintKind::kPostalCode);
  EXPECT_EQ(Kind("성별"), HintKind::kSex);
  EXPECT_EQ(Kind("나이"), HintKind::kAge);
  EXPECT_EQ(Kind("월소득(만원)"), HintKind::kSensitive);
  EXPECT_EQ(Kind("대출잔액"), HintKind::kSensitive);
  EXPECT_EQ(Kind("신용점수"), HintKind::kSensitive);
  EXPECT_EQ(Kind("진단명"), HintKind::kSensitive);
  EXPECT_EQ(Kind("거래일자"), HintKind::kEventDate);
  EXPECT_EQ(Kind("회원번호"), HintKind::kIdentifier);
  EXPECT_EQ(Kind("IP주소"), HintKind::kIpAddress);  // not an address
}

TEST(ColumnHints, ReadsEnglishTokens) {
  EXPECT_EQ(Kind("HP_NO"), HintKind::kPhone);
  EXPECT_EQ(Kind("phoneNumber"), HintKind::kPhone);  // camelCase split
  EXPECT_EQ(Kind("phonenumber"), HintKind::kPhone);  // prefix keyword
  EXPECT_EQ(Kind("birthDate"), HintKind::kDateOfBirth);
  EXPECT_EQ(Kind("date_of_birth"), HintKind::kDateOfBirth);
  EXPECT_EQ(Kind("email_address"), HintKind::kEmail);
  EXPECT_EQ(Kind("ip_address"), HintKind::kIpAddress);
  EXPECT_EQ(Kind("given_name"), HintKind::kPersonName);
  EXPECT_EQ(Kind("surname"), HintKind::kPersonName);
  EXPECT_EQ(Kind("street_name"), HintKind::kAddress);   // "name" vetoed by "street"
  EXPECT_EQ(Kind("product_name"), HintKind::kNone);     // "name" vetoed by "product"
  EXPECT_EQ(Kind("credit_card_no"), HintKind::kCardNumber);
  EXPECT_EQ(Kind("credit_score"), HintKind::kSensitive);
  EXPECT_EQ(Kind("soc_sec_id"), HintKind::kIdentifier);
  EXPECT_EQ(Kind("rec_id"), HintKind::kIdentifier);
  EXPECT_EQ(Kind("product_id"), HintKind::kNone);  // an id of a thing
  EXPECT_EQ(Kind("postcode"), HintKind::kPostalCode);
  EXPECT_EQ(Kind("suburb"), HintKind::kRegion);
  EXPECT_EQ(Kind("state"), HintKind::kRegion);
  EXPECT_EQ(Kind("sex"), HintKind::kSex);
  EXPECT_EQ(Kind("age"), HintKind::kAge);
  EXPECT_EQ(Kind("marital-status"), HintKind::kDemographic);
  EXPECT_EQ(Kind("annual_income"), HintKind::kSensitive);
  EXPECT_EQ(Kind("created_at"), HintKind::kEventDate);
}

TEST(ColumnHints, IgnoresWordsInsideOtherWords) {
  EXPECT_EQ(Kind("usage"), HintKind::kNone);   // contains "age"
  EXPECT_EQ(Kind("page"), HintKind::kNone);
  EXPECT_EQ(Kind("hotel"), HintKind::kNone);   // contains "tel"
  EXPECT_EQ(Kind("category"), HintKind::kNone);
  EXPECT_EQ(Kind("value"), HintKind::kNone);
}

TEST(ColumnHints, CarryRoleAndLabel) {
  ColumnHint rrn = HintFromColumnName("주민번호");
  EXPECT_EQ(rrn.role, Role::kDirectIdentifier);
  EXPECT_EQ(rrn.label, "RRN");
  EXPECT_EQ(HintFromColumnName("zip").role, Role::kQuasiIdentifier);
  EXPECT_EQ(HintFromColumnName("salary").role, Role::kSensitive);
  EXPECT_EQ(HintFromColumnName("order_date").role, Role::kOther);
  EXPECT_TRUE(HintFromColumnName("value").label.empty());
}

}  // namespace
}  // namespace sz::detect
