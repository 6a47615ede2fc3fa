#include "synth/person.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "common/text.h"
#include "fmt/format.h"
#include "korea/names.h"
#include "korea/rrn.h"

namespace sz::synth {

namespace {

using korea::EmdKind;

constexpr uint64_t kStreamHousehold = 1;
constexpr uint64_t kStreamPerson = 2;
constexpr uint64_t kStreamAddress = 3;
constexpr uint64_t kStreamPhone = 4;

// Relative number of residents of a 동, 읍 and 면 (a 동 averages ~17,000 residents, a 읍
// ~13,000, a 면 ~2,700 in 2024 statistics).
double EmdWeight(const korea::Eupmyeondong& e) {
  switch (korea::KindOf(e)) {
    case EmdKind::kDong: return 1.0;
    case EmdKind::kEup: return 0.75;
    case EmdKind::kMyeon: return 0.16;
  }
  return 1.0;
}

// Ranges of the 8th–9th RRN digits (birth-registration region) used before October 2020.
int RrnRegionStart(std::string_view sido) {
  struct R { std::string_view code; int lo, hi; };
  static constexpr std::array<R, 17> kRanges = {{
      {"11", 0, 8},   {"26", 9, 12},  {"28", 13, 15}, {"41", 16, 25}, {"51", 26, 34},
      {"43", 35, 39}, {"30", 40, 40}, {"36", 44, 44}, {"44", 41, 47}, {"52", 48, 54},
      {"29", 55, 56}, {"46", 57, 64}, {"27", 67, 69}, {"47", 70, 80}, {"31", 85, 85},
      {"48", 81, 92}, {"50", 93, 95}}};
  for (const R& r : kRanges)
    if (r.code == sido) return r.lo * 100 + (r.hi - r.lo);  // packed: lo*100 + span
  return 0;
}

std::string MakeRrn(Rng& rng, const Date& birth, bool male, std::string_view sido) {
  int g = birth.year >= 2000 ? (male ? 3 : 4) : (male ? 1 : 2);
  int packed = RrnRegionStart(sido);
  int region = packed / 100 + static_cast<int>(rng.Below(packed % 100 + 1));
  std::string first12 =
      fmt::format("{:02d}{:02d}{:02d}{}{:02d}{:02d}{}", birth.year % 100, birth.month,
                  birth.day, g, region, rng.Below(100), rng.Below(10));
  int check = korea::RrnCheckDigit(first12, korea::RrnKind::kCitizen);
  return fmt::format("{}-{}{}", first12.substr(0, 6), first12.substr(6), check);
}

std::string_view Occupation(Rng& rng, int age) {
  if (age < 7) return "미취학";
  if (age < 19) return "학생";
  struct O { std::string_view name; double w; };
  static constexpr std::array<O, 6> kYoung = {{{"학생", 55}, {"회사원", 25}, {"서비스직", 10},
                                                {"생산직", 4}, {"무직", 5}, {"자영업", 1}}};
  static constexpr std::array<O, 9> kAdult = {{{"회사원", 40}, {"자영업", 12}, {"공무원", 6},
                                                {"전문직", 6}, {"서비스직", 10}, {"생산직", 10},
                                                {"주부", 8}, {"무직", 5}, {"농림어업", 3}}};
  static constexpr std::array<O, 7> kSenior = {{{"은퇴", 48}, {"자영업", 12}, {"농림어업", 10},
                                                 {"주부", 15}, {"서비스직", 8}, {"무직", 5},
                                                 {"회사원", 2}}};
  auto pick = [&rng](auto& table) {
    double total = 0;
    for (const O& o : table) total += o.w;
    double u = rng.Uniform() * total;
    for (const O& o : table) {
      if (u < o.w) return o.name;
      u -= o.w;
    }
    return table.back().name;
  };
  if (age < 25) return pick(kYoung);
  if (age < 60) return pick(kAdult);
  return pick(kSenior);
}

int64_t Income(Rng& rng, std::string_view occupation, int age) {
  struct M { std::string_view name; double median; };
  static constexpr std::array<M, 9> kMedian = {{{"회사원", 4500}, {"공무원", 5000},
                                                {"전문직", 8500}, {"자영업", 4000},
                                                {"서비스직", 2800}, {"생산직", 3800},
                                                {"농림어업", 2500}, {"은퇴", 1500},
                                                {"학생", 300}}};
  double median = 0;
  for (const M& m : kMedian)
    if (m.name == occupation) median = m.median;
  if (occupation == "학생" && age < 19) median = 0;
  if (median == 0) return 0;
  // Earnings rise with experience until the early 50s.
  if (occupation != "은퇴" && occupation != "학생")
    median *= 0.75 + 0.5 * std::min(1.0, std::max(0.0, (age - 25) / 27.0));
  double v = median * std::exp(0.45 * rng.Normal());
  return static_cast<int64_t>(std::llround(v / 10.0) * 10);
}

int CreditScore(Rng& rng, int age, int64_t income) {
  if (age < 19) return 0;
  double s = 680 + 40 * std::log1p(income / 1000.0) + std::min(age, 60) * 1.2 + 75 * rng.Normal();
  return static_cast<int>(std::clamp(s, 300.0, 1000.0));
}

// 85% of given names come from the cohort's common names (popular ones more often), the
// rest are combinations of the cohort's syllables, so that names are realistic but the
// universe is not made of 40 names.
std::string GivenName(Rng& rng, int birth_year, bool male) {
  korea::NameCohort cohort = korea::CohortOf(birth_year);
  if (rng.Bernoulli(0.85)) {
    auto names = korea::CommonGivenNames(cohort, male);
    // Zipf-like: the i-th name has weight 1 / (i + 4).
    double total = 0;
    for (size_t i = 0; i < names.size(); ++i) total += 1.0 / static_cast<double>(i + 4);
    double u = rng.Uniform() * total;
    for (size_t i = 0; i < names.size(); ++i) {
      u -= 1.0 / static_cast<double>(i + 4);
      if (u < 0) return std::string(names[i]);
    }
    return std::string(names.back());
  }
  korea::GivenNameSyllables syl = korea::GivenSyllables(cohort, male);
  for (;;) {
    std::string name(rng.Pick(syl.first));
    std::string_view second = rng.Pick(syl.second);
    if (second == name) continue;
    name += second;
    if (!korea::IsAvoidedGivenName(name)) return name;
  }
}

std::string Email(Rng& rng, const std::string& surname, const std::string& given,
                  const Date& birth) {
  static constexpr std::array<std::string_view, 6> kDomains = {
      "naver.com", "gmail.com", "daum.net", "hanmail.net", "kakao.com", "nate.com"};
  static constexpr std::array<double, 6> kWeights = {40, 30, 12, 8, 5, 5};
  double u = rng.Uniform() * 100;
  size_t d = 0;
  while (d + 1 < kDomains.size() && u >= kWeights[d]) u -= kWeights[d++];
  std::string g = korea::Romanize(given);
  std::string s = korea::CustomarySurname(surname);
  switch (rng.Below(4)) {
    case 0: return fmt::format("{}{}{:02d}@{}", g, s, birth.year % 100, kDomains[d]);
    case 1: return fmt::format("{}.{}@{}", s, g, kDomains[d]);
    case 2: return fmt::format("{}{}{}@{}", s, g, rng.Range(1, 999), kDomains[d]);
    default: return fmt::format("{}_{:02d}{:02d}@{}", g, birth.month, birth.day, kDomains[d]);
  }
}

}  // namespace

std::string PersonIdOf(int64_t id) { return fmt::format("P{:08d}", id); }

std::string EmdStem(std::string_view emd_name) {
  std::u32string cps = text::DecodeUtf8(emd_name);
  if (!cps.empty() && (cps.back() == U'동' || cps.back() == U'읍' || cps.back() == U'면'))
    cps.pop_back();
  std::string stem;
  for (char32_t c : cps) {
    if ((c >= U'0' && c <= U'9') || c == U'·') break;
    text::AppendUtf8(c, stem);
  }
  // "종로1·2·3·4가" stops at the digit; a bare trailing 가 of "…가동" is dropped too.
  if (stem.size() > 3 && stem.substr(stem.size() - 3) == "가" && cps.size() > 2 &&
      cps[cps.size() - 1] == U'가')
    stem.resize(stem.size() - 3);
  return stem;
}
std::string Person::PersonId() const { return PersonIdOf(id); }

std::string_view IncomeBand(int64_t m) {
  if (m <= 0) return "없음";
  if (m < 2000) return "2천만원 미만";
  if (m < 4000) return "2천~4천만원";
  if (m < 6000) return "4천~6천만원";
  if (m < 8000) return "6천~8천만원";
  if (m < 10000) return "8천만원~1억원";
  return "1억원 이상";
}

Universe::Universe(uint64_t seed, int64_t size, Date reference_date)
    : seed_(seed),
      size_(size),
      reference_date_(reference_date),
      phone_perm_(80'000'000, MixSeed(seed, kStreamPhone)) {
  std::vector<double> w;
  for (const korea::Surname& s : korea::Surnames()) w.push_back(s.share);
  surname_index_ = WeightedIndex(w);
  w.clear();
  for (const korea::Sido& s : korea::AllSido()) {
    w.push_back(s.population_share);
    std::vector<const korea::Eupmyeondong*> emds;
    std::vector<double> ew;
    for (const korea::Sigungu& sgg : korea::SigunguOf(s.code))
      for (const korea::Eupmyeondong& e : korea::EupmyeondongOf(sgg.code)) {
        emds.push_back(&e);
        ew.push_back(EmdWeight(e));
      }
    emds_by_sido_.push_back(std::move(emds));
    emd_index_by_sido_.emplace_back(ew);
  }
  sido_index_ = WeightedIndex(w);
}

const korea::Sido& Universe::RandomSido(Rng& rng) const {
  return korea::AllSido()[sido_index_(rng)];
}

const korea::Eupmyeondong* Universe::RandomEmd(Rng& rng, const korea::Sido& sido) const {
  size_t s = static_cast<size_t>(&sido - korea::AllSido().data());
  return emds_by_sido_[s][emd_index_by_sido_[s](rng)];
}

std::string Universe::RandomSurname(Rng& rng) const {
  return std::string(korea::Surnames()[surname_index_(rng)].hangul);
}

std::string Universe::RandomPhone(Rng& rng) const {
  return fmt::format("010-{:04d}-{:04d}", rng.Range(2000, 9999), rng.Below(10000));
}

std::string Universe::RoadAddress(Rng& rng, const korea::Eupmyeondong& emd, bool urban) const {
  static constexpr std::array<std::string_view, 16> kGeneric = {
      "중앙로", "시청로", "문화로", "번영로", "대학로", "역전로", "공원로", "평화로",
      "산업로", "강변로", "시장로", "새마을로", "동부로", "서부로", "학교길", "호수로"};
  std::string stem = EmdStem(emd.name);
  std::string road;
  double u = rng.Uniform();
  if (stem.size() < 6 || u < 0.2)
    road = fmt::format("{}{}번길", rng.Pick(std::span<const std::string_view>(kGeneric)),
                       rng.Range(1, 60));
  else if (u < 0.55)
    road = stem + "로";
  else
    road = fmt::format("{}로{}길", stem, rng.Range(1, 40));
  std::string out = fmt::format("{} {}", road, rng.Range(1, 250));
  if (urban && rng.Bernoulli(0.55))
    out += fmt::format(", {}동 {}{:02d}호", rng.Range(101, 125), rng.Range(1, 25),
                       rng.Range(1, 6));
  return out;
}

Address Universe::RandomAddress(Rng& rng) const {
  const korea::Eupmyeondong* emd = RandomEmd(rng, RandomSido(rng));
  bool urban = korea::KindOf(*emd) == EmdKind::kDong;
  return {emd, RoadAddress(rng, *emd, urban)};
}

const korea::Eupmyeondong* Universe::NearbyEmd(Rng& rng, const korea::Eupmyeondong* emd,
                                               bool other_sigungu) const {
  auto siblings = korea::EupmyeondongOf(emd->sigungu_code);
  if (!other_sigungu && siblings.size() > 1 && rng.Bernoulli(0.6)) {
    const korea::Eupmyeondong* other = &siblings[rng.Below(siblings.size() - 1)];
    if (other == emd) other = &siblings.back();
    return other;
  }
  const korea::Sido* sido = korea::FindSido(emd->code.substr(0, 2));
  for (int attempt = 0; attempt < 16; ++attempt) {
    const korea::Eupmyeondong* other = RandomEmd(rng, *sido);
    if (other->sigungu_code != emd->sigungu_code) return other;
  }
  // 세종 has a single 시군구: move to another 시도.
  for (;;) {
    const korea::Eupmyeondong* other = RandomAddress(rng).emd;
    if (other->sigungu_code != emd->sigungu_code) return other;
  }
}

std::vector<Universe::Household> Universe::Block(int64_t block) const {
  Rng rng(MixSeed(seed_, kStreamHousehold, static_cast<uint64_t>(block)));
  // Splits of a block of four ids into households. The weights give 37% one-person,
  // 32% two-, 15% three- and 16% four-person households (2023 census: 35.5/28.8/19.2/
  // 14.2%) and 2.1 persons per household (2.2).
  static constexpr std::array<std::array<int, 4>, 7> kSplits = {{
      {1, 1, 1, 1}, {2, 1, 1, 0}, {1, 2, 1, 0}, {2, 2, 0, 0}, {3, 1, 0, 0}, {1, 3, 0, 0},
      {4, 0, 0, 0}}};
  static constexpr std::array<double, 7> kSplitWeights = {5, 6, 6, 25, 14, 14, 30};
  double u = rng.Uniform() * 100;
  size_t split = 0;
  while (split + 1 < kSplits.size() && u >= kSplitWeights[split]) u -= kSplitWeights[split++];

  std::vector<Household> households;
  int slot = 0;
  for (int size : kSplits[split]) {
    if (size == 0) break;
    Household h;
    h.first = slot;
    h.size = size;
    slot += size;
    auto adult_age = [&rng](int lo, int hi) { return static_cast<int>(rng.Range(lo, hi)); };
    if (size == 1) {
      // One-person households by age of the householder (2023): 20s 19%, 30s 17%, 40s
      // 13%, 50s 15%, 60s 17%, 70+ 19%.
      static constexpr std::array<double, 6> kDecadeWeights = {19, 17, 13, 15, 17, 19};
      double a = rng.Uniform() * 100;
      int decade = 0;
      while (decade < 5 && a >= kDecadeWeights[decade]) a -= kDecadeWeights[decade++];
      int age = decade < 5 ? adult_age(20 + 10 * decade, 29 + 10 * decade) : adult_age(70, 92);
      h.members.push_back({age, rng.Bernoulli(0.5), "세대주", 0});
    } else if (size == 2 && rng.Bernoulli(0.3)) {
      int parent = adult_age(45, 85);
      bool parent_male = rng.Bernoulli(0.35);
      int child = std::max(18, parent - static_cast<int>(rng.Range(24, 36)));
      h.members.push_back({parent, parent_male, "세대주", parent_male ? 1 : 0});
      h.members.push_back({child, rng.Bernoulli(0.5), "자녀", parent_male ? 1 : 0});
    } else {
      // Two-person households are mostly older couples; larger ones have children.
      double a = rng.Uniform();
      int head = size > 2 ? adult_age(34, 62)
                 : a < 0.20 ? adult_age(27, 39)
                 : a < 0.35 ? adult_age(40, 54)
                            : adult_age(55, 84);
      bool head_male = rng.Bernoulli(0.8);
      int spouse = std::max(20, head + static_cast<int>(rng.Range(-5, 3)) * (head_male ? 1 : -1));
      h.members.push_back({head, head_male, "세대주", head_male ? 1 : 0});
      h.members.push_back({spouse, !head_male, "배우자", head_male ? 0 : 1});
      int mother = head_male ? spouse : head;
      for (int c = 2; c < size; ++c) {
        int child = mother - static_cast<int>(rng.Range(24, 38));
        if (child < 0) child = static_cast<int>(rng.Range(0, std::max(0, mother - 24)));
        h.members.push_back({child, rng.Bernoulli(0.51), "자녀", 1});
      }
    }
    households.push_back(std::move(h));
  }
  return households;
}

Person Universe::Get(int64_t id) const {
  int64_t block = id / 4;
  int slot = static_cast<int>(id % 4);
  std::vector<Household> households = Block(block);
  const Household* hh = &households.front();
  size_t hh_index = 0;
  for (size_t i = 0; i < households.size(); ++i)
    if (slot >= households[i].first && slot < households[i].first + households[i].size) {
      hh = &households[i];
      hh_index = i;
    }
  const Member& m = hh->members[slot - hh->first];

  // Household-level draws: address, move-in date, the father's surname.
  Rng hrng(MixSeed(seed_, kStreamAddress, static_cast<uint64_t>(block * 4 + hh->first)));
  std::string father_surname = RandomSurname(hrng);
  Address home = RandomAddress(hrng);
  int oldest = 0;
  for (const Member& x : hh->members) oldest = std::max(oldest, x.age);
  int years_ago =
      static_cast<int>(hrng.Below(static_cast<uint64_t>(std::clamp(oldest - 18, 0, 30)) + 1));
  Date move_in =
      reference_date_.AddDays(-static_cast<int64_t>(years_ago) * 365 - hrng.Range(0, 364));

  Rng rng(MixSeed(seed_, kStreamPerson, static_cast<uint64_t>(id)));
  Person p;
  p.id = id;
  p.male = m.male;
  p.surname = m.surname_slot == 1 ? father_surname : RandomSurname(rng);
  // Birth date: `age` full years before the reference date.
  int64_t ref = reference_date_.ToDays();
  Date upper = reference_date_;
  upper.year -= m.age;
  if (!upper.Valid()) upper.day = 28;
  p.birth = Date::FromDays(upper.ToDays() - rng.Range(0, 364));
  if (p.birth.ToDays() > ref) p.birth = reference_date_;
  p.given_name = GivenName(rng, p.birth.year, p.male);
  p.rrn = MakeRrn(rng, p.birth, p.male, home.emd->code.substr(0, 2));
  int age = p.AgeOn(reference_date_);
  if (age >= 8) {
    uint64_t n = phone_perm_(static_cast<uint64_t>(id) % 80'000'000);
    p.phone = fmt::format("010-{:04d}-{:04d}", 2000 + n / 10000, n % 10000);
  }
  if (age >= 14 && rng.Bernoulli(0.6)) p.email = Email(rng, p.surname, p.given_name, p.birth);
  p.home = std::move(home);
  p.household_id = fmt::format("H{:08d}-{}", block, hh_index + 1);
  p.relation = m.relation;
  p.move_in = std::max(move_in, p.birth);
  p.occupation = Occupation(rng, age);
  p.annual_income_manwon = Income(rng, p.occupation, age);
  p.credit_score = CreditScore(rng, age, p.annual_income_manwon);
  return p;
}

}  // namespace sz::synth
