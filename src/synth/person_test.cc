#include "synth/person.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "korea/admin_regions.h"
#include "korea/rrn.h"

namespace sz::synth {
namespace {

const Date kRef{2024, 12, 31};

TEST(SynthPerson, SameSeedSamePerson) {
  Universe a(5, 1000, kRef), b(5, 1000, kRef), c(6, 1000, kRef);
  for (int64_t id : {0, 1, 17, 999}) {
    Person x = a.Get(id), y = b.Get(id);
    EXPECT_EQ(x.Name(), y.Name());
    EXPECT_EQ(x.rrn, y.rrn);
    EXPECT_EQ(x.phone, y.phone);
    EXPECT_EQ(x.home.road, y.home.road);
    EXPECT_NE(x.rrn, c.Get(id).rrn);
  }
}

TEST(SynthPerson, RrnIsValidAndMatchesBirthAndSex) {
  Universe u(1, 5000, kRef);
  for (int64_t id = 0; id < u.size(); ++id) {
    Person p = u.Get(id);
    ASSERT_TRUE(korea::HasValidRrnChecksum(p.rrn)) << id;
    auto parts = korea::ParseRrn(p.rrn);
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->year, p.birth.year);
    EXPECT_EQ(parts->month, p.birth.month);
    EXPECT_EQ(parts->day, p.birth.day);
    EXPECT_EQ(parts->male, p.male);
    EXPECT_EQ(parts->kind, korea::RrnKind::kCitizen);
    EXPECT_LE(p.birth, kRef);
  }
}

TEST(SynthPerson, PhonesAreUniqueAndWellFormed) {
  Universe u(2, 20'000, kRef);
  std::set<std::string> phones;
  for (int64_t id = 0; id < u.size(); ++id) {
    Person p = u.Get(id);
    if (p.AgeOn(kRef) < 8) {
      EXPECT_TRUE(p.phone.empty());
      EXPECT_TRUE(p.email.empty());
      continue;
    }
    ASSERT_EQ(p.phone.size(), 13u);
    EXPECT_EQ(p.phone.substr(0, 4), "010-");
    EXPECT_GE(p.phone[4], '2') << "mobile numbers do not start with 0 or 1 after 010";
    EXPECT_TRUE(phones.insert(p.phone).second) << "duplicate " << p.phone;
    for (char ch : p.email) EXPECT_LT(static_cast<unsigned char>(ch), 128u) << p.email;
  }
}

TEST(SynthPerson, HouseholdsShareAnAddressAndTheFathersSurname) {
  Universe u(3, 4000, kRef);
  std::map<std::string, std::vector<Person>> households;
  for (int64_t id = 0; id < u.size(); ++id) {
    Person p = u.Get(id);
    households[p.household_id].push_back(p);
  }
  int with_children = 0;
  for (const auto& [hid, members] : households) {
    ASSERT_LE(members.size(), 4u);
    int heads = 0;
    std::string father;
    for (const Person& m : members) {
      EXPECT_EQ(m.home.emd, members[0].home.emd) << hid;
      EXPECT_EQ(m.home.road, members[0].home.road) << hid;
      heads += m.relation == "세대주";
      if (m.male && (m.relation == "세대주" || m.relation == "배우자")) father = m.surname;
    }
    EXPECT_EQ(heads, 1) << hid;
    for (const Person& m : members)
      if (m.relation == "자녀" && !father.empty()) {
        EXPECT_EQ(m.surname, father) << hid;
        ++with_children;
      }
  }
  EXPECT_GT(with_children, 100);
  // One-person households are about a third of all.
  int singles = 0;
  for (const auto& [hid, members] : households) singles += members.size() == 1;
  double share = static_cast<double>(singles) / households.size();
  EXPECT_GT(share, 0.30);
  EXPECT_LT(share, 0.45);
}

TEST(SynthPerson, DistributionsFollowKoreanStatistics) {
  Universe u(4, 20'000, kRef);
  int kim = 0, seoul = 0, gyeonggi = 0, minors = 0, seniors = 0, male = 0;
  for (int64_t id = 0; id < u.size(); ++id) {
    Person p = u.Get(id);
    kim += p.surname == "김";
    seoul += p.home.emd->code.substr(0, 2) == "11";
    gyeonggi += p.home.emd->code.substr(0, 2) == "41";
    int age = p.AgeOn(kRef);
    minors += age < 20;
    seniors += age >= 65;
    male += p.male;
  }
  double n = static_cast<double>(u.size());
  EXPECT_NEAR(kim / n, 0.215, 0.02);
  // Households are placed by 시도 population share, so persons follow it closely.
  EXPECT_NEAR(seoul / n, 0.183, 0.02);
  EXPECT_NEAR(gyeonggi / n, 0.267, 0.02);
  EXPECT_GT(minors / n, 0.08);   // 2024: 15%
  EXPECT_LT(minors / n, 0.25);
  EXPECT_GT(seniors / n, 0.10);  // 2024: 19.5%
  EXPECT_LT(seniors / n, 0.30);
  EXPECT_NEAR(male / n, 0.5, 0.03);
}

TEST(SynthPerson, AddressesAreRealRegions) {
  Universe u(5, 2000, kRef);
  for (int64_t id = 0; id < u.size(); ++id) {
    Person p = u.Get(id);
    const korea::Eupmyeondong* e = p.home.emd;
    korea::RegionPath path{korea::FindSido(e->code.substr(0, 2)),
                           korea::FindSigungu(e->sigungu_code), e};
    auto resolved = korea::ResolveRegion(korea::FormatRegion(path) + " " + p.home.road);
    ASSERT_TRUE(resolved && resolved->emd) << korea::FormatRegion(path);
    EXPECT_EQ(resolved->emd, e);
    EXPECT_FALSE(p.home.road.empty());
  }
}

TEST(SynthPerson, EmdStem) {
  EXPECT_EQ(EmdStem("청운효자동"), "청운효자");
  EXPECT_EQ(EmdStem("종로1·2·3·4가동"), "종로");
  EXPECT_EQ(EmdStem("상계3·4동"), "상계");
  EXPECT_EQ(EmdStem("조치원읍"), "조치원");
  EXPECT_EQ(EmdStem("금호2·3가동"), "금호");
}

TEST(SynthPerson, IncomeBands) {
  EXPECT_EQ(IncomeBand(0), "없음");
  EXPECT_EQ(IncomeBand(1990), "2천만원 미만");
  EXPECT_EQ(IncomeBand(4000), "4천~6천만원");
  EXPECT_EQ(IncomeBand(12000), "1억원 이상");
}

}  // namespace
}  // namespace sz::synth
