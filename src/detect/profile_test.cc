#include "detect/profile.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detect/test_printers.h"
#include "korea/rrn.h"

namespace sz::detect {

namespace {

const ProfileOptions kOptions{0.6, 0.02, {2025, 6, 1}};

// Owns the strings; hands out the optional<string_view> span ProfileColumn takes.
class Column {
 public:
  Column& Add(std::string v) {
    storage_.push_back(std::move(v));
    present_.push_back(true);
    return *this;
  }
  Column& Null() {
    storage_.emplace_back();
    present_.push_back(false);
    return *this;
  }
  Column& Repeat(const std::string& v, int n) {
    for (int i = 0; i < n; ++i) Add(v);
    return *this;
  }
  ColumnProfile Profile(std::string_view name, std::string_view type = "VARCHAR") {
    std::vector<std::optional<std::string_view>> views;
    for (size_t i = 0; i < storage_.size(); ++i) {
      if (present_[i]) views.emplace_back(storage_[i]);
      else views.emplace_back(std::nullopt);
    }
    return ProfileColumn(name, type, views, kOptions);
  }
  const std::vector<std::string>& values() const { return storage_; }

 private:
  std::vector<std::string> storage_;
  std::vector<bool> present_;
};

// A citizen RRN born 19yy-mm-dd with serial `serial` (6 digits) and a valid check
// digit (RrnCheckDigit is verified by hand in korea/rrn_test.cc).
std::string ValidRrn(int yy, int mm, int dd, int serial, bool hyphen = true) {
  std::string first12 = fmt::format("{:02d}{:02d}{:02d}1{:05d}", yy, mm, dd, serial);
  int check = korea::RrnCheckDigit(first12, korea::RrnKind::kCitizen);
  std::string d = first12 + std::to_string(check);
  return hyphen ? d.substr(0, 6) + "-" + d.substr(6) : d;
}

void ExpectNoRawValue(const ColumnProfile& p, const std::vector<std::string>& values) {
  for (const auto& v : values) {
    if (v.size() >= 4) {
      EXPECT_EQ(p.evidence.find(v), std::string::npos) << "evidence leaks a value";
    }
  }
}

TEST(Profile, RrnColumnCountsShapeAndChecksumSeparately) {
  Column c;
  for (int i = 0; i < 8; ++i) c.Add(ValidRrn(80 + i, 1 + i, 10 + i, i));
  c.Add("900101-1234567");  // right shape, wrong check digit (8 would be right)
  c.Null();
  ColumnProfile p = c.Profile("주민번호");
  EXPECT_EQ(p.sampled, 10u);
  EXPECT_EQ(p.nulls, 1u);
  EXPECT_EQ(p.distinct, 9u);
  EXPECT_EQ(p.pattern, Pattern::kRrn);
  EXPECT_EQ(p.proposed_role, Role::kDirectIdentifier);
  EXPECT_DOUBLE_EQ(p.share, 1.0);
  ASSERT_FALSE(p.matches.empty());
  EXPECT_EQ(p.matches[0].matched, 9u);
  EXPECT_EQ(p.matches[0].checksum_valid, 8u);
  EXPECT_EQ(p.hint, HintKind::kRrn);
  EXPECT_EQ(p.evidence,
            "100.0% of 9 non-null sampled values are resident registration numbers (88.9% with "
            "a valid checksum); column name suggests RRN; 10.0% NULL or blank");
  ExpectNoRawValue(p, c.values());
}

TEST(Profile, MaskedRrnIsAQuasiIdentifier) {
  Column c;
  c.Repeat("900101-1******", 3).Add("851231-2******").Add("******-1234567");
  ColumnProfile p = c.Profile("jumin_masked");
  EXPECT_EQ(p.pattern, Pattern::kRrnMasked);
  EXPECT_EQ(p.proposed_role, Role::kQuasiIdentifier);
}

TEST(Profile, ForeignNumbersMixedWithCitizensStayIdentifiers) {
  Column c;
  // 950315-6123451 is valid (hand-computed in id_numbers_test.cc).
  c.Repeat("950315-6123451", 5).Repeat(ValidRrn(70, 5, 5, 1), 5);
  ColumnProfile p = c.Profile("registration");
  // Neither kind reaches 60% alone; together they are contact/ID numbers (and not
  // "13-digit numbers"). On a tie the earlier pattern names the column.
  EXPECT_EQ(p.pattern, Pattern::kRrn);
  EXPECT_EQ(p.proposed_role, Role::kDirectIdentifier);
  EXPECT_DOUBLE_EQ(p.share, 1.0);
  EXPECT_EQ(p.evidence,
            "100.0% of 10 non-null sampled values are contact or ID numbers of mixed kinds "
            "(50.0% resident registration numbers, 50.0% foreign registration numbers)");
}

TEST(Profile, PhoneAccountAndCardColumnsAreToldApart) {
  Column phones, accounts, cards;
  for (int i = 0; i < 20; ++i) {
    phones.Add(fmt::format("010-{:04d}-{:04d}", 2000 + i * 7, 1000 + i * 13));
    accounts.Add(fmt::format("110-{:03d}-{:06d}", 100 + i, 123456 + i * 1111));
  }
  // Luhn-valid Visa numbers 41111111111111TL. Of the 14 fixed digits, from the right
  // (positions 3..16): seven 1s undoubled = 7, six 1s doubled = 12, the 4 doubled = 8,
  // so 27. T is doubled, L is not: L = (10 - (27 + double(T)) % 10) % 10. T = 1 gives
  // L = 1 (4111 1111 1111 1111, verified in id_numbers_test.cc).
  for (int tens = 0; tens < 10; ++tens) {
    int doubled = tens * 2 > 9 ? tens * 2 - 9 : tens * 2;
    int last = (10 - (27 + doubled) % 10) % 10;
    cards.Add(fmt::format("41111111111111{}{}", tens, last));
    cards.Add(fmt::format("4111-1111-1111-11{}{}", tens, last));
  }
  ColumnProfile phone = phones.Profile("contact");
  EXPECT_EQ(phone.pattern, Pattern::kMobilePhone);
  EXPECT_EQ(phone.proposed_role, Role::kDirectIdentifier);
  ColumnProfile account = accounts.Profile("col_b");
  EXPECT_EQ(account.pattern, Pattern::kBankAccount);
  ColumnProfile card = cards.Profile("col_c");
  EXPECT_EQ(card.pattern, Pattern::kCardNumber);
  EXPECT_EQ(card.matches[0].checksum_valid, 20u);
  // None of them is mistaken for another: the phone column holds no accounts.
  for (const auto& m : phone.matches) EXPECT_NE(m.pattern, Pattern::kBankAccount);
}

TEST(Profile, PlainDigitAccountsNeedTheColumnName) {
  Column c;
  for (int i = 0; i < 30; ++i) c.Add(fmt::format("{:012d}", 110123456789LL + i * 7919));
  EXPECT_EQ(c.Profile("입금계좌").pattern, Pattern::kBankAccount);
  ColumnProfile anonymous = c.Profile("col");
  EXPECT_EQ(anonymous.pattern, Pattern::kIdentifierNumber);
  EXPECT_EQ(anonymous.proposed_role, Role::kDirectIdentifier);
  EXPECT_NE(anonymous.evidence.find("(mostly 12 digits)"), std::string::npos);
}

TEST(Profile, RandomDigitStringsAreNotCards) {
  Column c;
  // 16-digit numbers with a Visa prefix but no Luhn discipline: about one in ten
  // passes by chance, far below the threshold.
  for (int i = 0; i < 50; ++i) c.Add(fmt::format("4{:015d}", 123456789012345LL + i * 1000003));
  ColumnProfile p = c.Profile("ref");
  EXPECT_NE(p.pattern, Pattern::kCardNumber);
}

TEST(Profile, NamesAreNotPlaceNames) {
  Column names, districts;
  for (auto n : {"김민준", "이서연", "박지호", "최수아", "정민구", "강하은", "조예준", "윤지우",
                 "장서윤", "임도윤", "한지민", "오승현", "남궁민수", "황보영"}) {
    names.Add(n);
  }
  for (auto d : {"강남구", "서초구", "종로구", "중구", "수원시", "성남시", "부산진구", "해운대구",
                 "남구", "동래구", "역삼동", "김포시", "이천시", "정선군"}) {
    districts.Add(d);
  }
  ColumnProfile pn = names.Profile("col1");
  EXPECT_EQ(pn.pattern, Pattern::kPersonName);
  EXPECT_EQ(pn.proposed_role, Role::kDirectIdentifier);
  ColumnProfile pd = districts.Profile("col2");
  EXPECT_EQ(pd.pattern, Pattern::kRegionName);
  EXPECT_EQ(pd.proposed_role, Role::kQuasiIdentifier);
}

TEST(Profile, CategoryWordsAreNotNames) {
  Column c;
  for (int i = 0; i < 100; ++i) c.Add(i % 3 == 0 ? "경증" : i % 3 == 1 ? "심각" : "고위험");
  ColumnProfile p = c.Profile("status");
  EXPECT_EQ(p.distinct, 3u);
  EXPECT_EQ(p.pattern, Pattern::kNone);
  EXPECT_EQ(p.proposed_role, Role::kOther);
  EXPECT_NE(p.evidence.find("most frequent: 100.0% Korean personal names"), std::string::npos)
      << p.evidence;
}

TEST(Profile, HeuristicPatternYieldsToAColumnNamePointingElsewhere) {
  Column c;
  // Disease names that happen to start with surname syllables (고, 당, 위, 간, 천).
  for (auto d : {"고혈압", "당뇨병", "위암", "간암", "천식", "고지혈증", "폐렴"}) c.Add(d);
  ColumnProfile p = c.Profile("진단명");
  EXPECT_EQ(p.pattern, Pattern::kPersonName);
  EXPECT_EQ(p.proposed_role, Role::kSensitive);
  EXPECT_NE(p.evidence.find("column name suggests health information, which decides the role"),
            std::string::npos)
      << p.evidence;
}

TEST(Profile, ValidatedPatternIsNotOverruledByTheName) {
  Column c;
  for (int i = 0; i < 10; ++i) c.Add(fmt::format("user{}@example.com", i));
  ColumnProfile p = c.Profile("name");
  EXPECT_EQ(p.pattern, Pattern::kEmail);
  EXPECT_EQ(p.proposed_role, Role::kDirectIdentifier);
  EXPECT_EQ(p.evidence.find("decides"), std::string::npos);
}

TEST(Profile, BirthDatesNeedTheNameOrADecadesSpread) {
  Column births, events, unnamed_births, unnamed_events;
  for (int i = 0; i < 40; ++i) {
    births.Add(fmt::format("{}-{:02d}-{:02d}", 1940 + i * 2, 1 + i % 12, 1 + i % 28));
    unnamed_births.Add(fmt::format("{}{:02d}{:02d}", 1940 + i * 2, 1 + i % 12, 1 + i % 28));
    events.Add(fmt::format("2023-{:02d}-{:02d}", 1 + i % 12, 1 + i % 28));
    unnamed_events.Add(fmt::format("2024.{:02d}.{:02d}", 1 + i % 12, 1 + i % 28));
  }
  ColumnProfile dob = births.Profile("생년월일");
  EXPECT_EQ(dob.pattern, Pattern::kDateOfBirth);
  EXPECT_EQ(dob.proposed_role, Role::kQuasiIdentifier);
  EXPECT_EQ(dob.matches[0].pattern, Pattern::kDateOfBirth);
  ColumnProfile event = events.Profile("거래일자");
  EXPECT_EQ(event.pattern, Pattern::kDate);
  EXPECT_EQ(event.proposed_role, Role::kOther);
  // Without a name: years 1940, 1942, ..., 2018; of 40 dates the 4th (10%) is 1946 and
  // the 36th (90%) is 2010 -> 64 years apart.
  ColumnProfile spread = unnamed_births.Profile("d1");
  EXPECT_EQ(spread.pattern, Pattern::kDateOfBirth);
  EXPECT_NE(spread.evidence.find("spread over 64 years"), std::string::npos) << spread.evidence;
  ColumnProfile recent = unnamed_events.Profile("d2");
  EXPECT_EQ(recent.pattern, Pattern::kDate);
  EXPECT_EQ(recent.proposed_role, Role::kOther);
  // Even with decades of spread, an event-date name keeps the column an event date.
  EXPECT_EQ(unnamed_births.Profile("created_at").pattern, Pattern::kDate);
}

TEST(Profile, EmptyAndAllNullColumns) {
  Column empty;
  ColumnProfile e = empty.Profile("memo");
  EXPECT_EQ(e.sampled, 0u);
  EXPECT_EQ(e.pattern, Pattern::kNone);
  EXPECT_EQ(e.proposed_role, Role::kOther);
  EXPECT_EQ(e.evidence, "no values sampled");

  Column nulls;
  nulls.Null().Null().Add("   ").Add("");
  ColumnProfile n = nulls.Profile("휴대폰");
  EXPECT_EQ(n.sampled, 4u);
  EXPECT_EQ(n.nulls, 4u);
  EXPECT_EQ(n.distinct, 0u);
  EXPECT_EQ(n.pattern, Pattern::kNone);
  EXPECT_EQ(n.proposed_role, Role::kDirectIdentifier);  // the name still speaks
  EXPECT_EQ(n.evidence, "all 4 sampled values are NULL or blank; column name suggests phone number");
}

TEST(Profile, NameHintsDecideWithoutPatterns) {
  Column c;
  for (int i = 0; i < 10; ++i) c.Add(std::to_string(20 + i * 3));
  EXPECT_EQ(c.Profile("나이", "INTEGER").proposed_role, Role::kQuasiIdentifier);
  EXPECT_EQ(c.Profile("income", "INTEGER").proposed_role, Role::kSensitive);
  EXPECT_EQ(c.Profile("quantity", "INTEGER").proposed_role, Role::kOther);
}

TEST(Profile, NumericColumnsAreCheckedAsText) {
  Column c;
  // A BIGINT column of RRNs: 19xx births keep 13 digits, the 2005 birth lost its
  // leading zero (050101-3234566 -> 501013234566, hand-computed in classify_test.cc).
  for (int i = 0; i < 9; ++i) c.Add(ValidRrn(60 + i, 3, 3, i, false));
  c.Add("501013234566");
  ColumnProfile p = c.Profile("col", "BIGINT");
  EXPECT_EQ(p.pattern, Pattern::kRrn);
  EXPECT_EQ(p.matches[0].checksum_valid, 10u);
  // A DOUBLE column prints "...0" fractions: they are stripped before matching.
  Column d;
  for (int i = 0; i < 5; ++i) d.Add(ValidRrn(70 + i, 4, 4, i, false) + ".0");
  EXPECT_EQ(d.Profile("col", "DOUBLE").pattern, Pattern::kRrn);
}

TEST(Profile, RoundAmountsAreNotIdentifiers) {
  Column c;
  for (int i = 0; i < 50; ++i) c.Add(std::to_string(30000000 + i * 100000));
  ColumnProfile p = c.Profile("col", "BIGINT");
  EXPECT_EQ(p.pattern, Pattern::kNone);
}

TEST(Profile, FreeTextWithEmbeddedIdentifiers) {
  Column c;
  for (int i = 0; i < 95; ++i) c.Add(fmt::format("{}번 민원 처리 완료, 추가 조치 없음", i));
  for (int i = 0; i < 5; ++i) c.Add(fmt::format("고객 요청으로 010-2345-{:04d}로 회신함", i));
  ColumnProfile p = c.Profile("비고");
  EXPECT_EQ(p.pattern, Pattern::kEmbeddedIdentifier);
  EXPECT_EQ(p.proposed_role, Role::kDirectIdentifier);
  EXPECT_DOUBLE_EQ(p.share, 0.05);
  ExpectNoRawValue(p, c.values());
  Column clean;
  for (int i = 0; i < 100; ++i) clean.Add(fmt::format("{}번 민원 처리 완료", i));
  EXPECT_EQ(clean.Profile("비고").proposed_role, Role::kOther);
}

TEST(Profile, MixedContactColumnIsDirect) {
  Column c;
  for (int i = 0; i < 5; ++i) c.Add(fmt::format("010-3456-{:04d}", i));
  for (int i = 0; i < 4; ++i) c.Add(fmt::format("user{}@example.com", i));
  c.Add("없음");
  ColumnProfile p = c.Profile("col");
  EXPECT_EQ(p.pattern, Pattern::kMobilePhone);
  EXPECT_EQ(p.proposed_role, Role::kDirectIdentifier);
  EXPECT_DOUBLE_EQ(p.share, 0.9);
}

TEST(Profile, BelowThresholdNothingIsDecided) {
  Column c;
  for (int i = 0; i < 5; ++i) c.Add(fmt::format("010-3456-{:04d}", i));
  for (int i = 0; i < 5; ++i) c.Add(fmt::format("item {}", i));
  ColumnProfile p = c.Profile("col");
  EXPECT_EQ(p.pattern, Pattern::kNone);
  EXPECT_EQ(p.proposed_role, Role::kOther);
  EXPECT_DOUBLE_EQ(p.matches[0].share, 0.5);
}

TEST(Profile, RomanizedNamesNeedKoreanSurnamesOrAName) {
  Column korean, western;
  for (auto n : {"Kim Minsu", "Lee Jiwoo", "Park Seoyeon", "Choi Yuna", "Jung Hoseok",
                 "Kang Daniel", "Minho Cho", "Yoon Suji"}) {
    korean.Add(n);
  }
  for (auto n : {"lachlan", "deakin", "kayla", "harrington", "berry", "waller", "sondergeld",
                 "giblin"}) {
    western.Add(n);
  }
  ColumnProfile k = korean.Profile("player");
  EXPECT_EQ(k.pattern, Pattern::kRomanizedName);
  EXPECT_EQ(k.proposed_role, Role::kDirectIdentifier);
  EXPECT_EQ(western.Profile("player").pattern, Pattern::kNone);
  EXPECT_EQ(western.Profile("given_name").pattern, Pattern::kRomanizedName);
}

TEST(Profile, SexCodesAndAddresses) {
  Column sex, addr;
  sex.Repeat("남", 6).Repeat("여", 4);
  ColumnProfile s = sex.Profile("gbn");
  EXPECT_EQ(s.pattern, Pattern::kSex);
  EXPECT_EQ(s.proposed_role, Role::kQuasiIdentifier);
  addr.Add("서울특별시 강남구 테헤란로 123").Add("부산 해운대구 우동 1408").Add("경기도 성남시 분당구 판교역로 235");
  ColumnProfile a = addr.Profile("col");
  EXPECT_EQ(a.pattern, Pattern::kAddress);
  EXPECT_EQ(a.proposed_role, Role::kDirectIdentifier);
}

TEST(Profile, ThresholdIsAnOption) {
  Column c;
  for (int i = 0; i < 5; ++i) c.Add(fmt::format("user{}@example.com", i));
  for (int i = 0; i < 5; ++i) c.Add(fmt::format("item {}", i));
  std::vector<std::optional<std::string_view>> views(c.values().begin(), c.values().end());
  ProfileOptions lax = kOptions;
  lax.threshold = 0.5;
  EXPECT_EQ(ProfileColumn("col", "VARCHAR", views, lax).pattern, Pattern::kEmail);
  EXPECT_EQ(ProfileColumn("col", "VARCHAR", views, kOptions).pattern, Pattern::kNone);
}

}  // namespace
}  // namespace sz::detect
