#include "synth/rows.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

#include "fmt/format.h"
#include "korea/rrn.h"
#include "synth/noise.h"

namespace sz::synth::internal {

namespace {

using SV = std::string_view;
using korea::Eupmyeondong;
using korea::Sido;
using korea::Sigungu;

// ---------------------------------------------------------------- CSV helpers

// Appends one CSV field (RFC 4180 quoting when needed) followed by `sep`.
void Field(std::string& out, SV value, char sep = ',') {
  if (value.find_first_of(",\"\n\r") == SV::npos) {
    out += value;
  } else {
    out += '"';
    for (char c : value) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += sep;
}
void Field(std::string& out, int64_t value, char sep = ',') {
  fmt::format_to(std::back_inserter(out), "{}", value);
  out += sep;
}
void EndRow(std::string& out) { out.back() = '\n'; }

std::string Timestamp(const Date& d, int minute_of_day, int second) {
  return fmt::format("{} {:02d}:{:02d}:{:02d}", d.Iso(), minute_of_day / 60, minute_of_day % 60,
                     second);
}

template <typename T, size_t N>
const T& PickWeighted(Rng& rng, const std::array<T, N>& items) {
  double total = 0;
  for (const T& x : items) total += x.weight;
  double u = rng.Uniform() * total;
  for (const T& x : items) {
    if (u < x.weight) return x;
    u -= x.weight;
  }
  return items.back();
}

const Sido& SidoOf(const Eupmyeondong& e) { return *korea::FindSido(e.code.substr(0, 2)); }
const Sigungu& SigunguOf(const Eupmyeondong& e) { return *korea::FindSigungu(e.sigungu_code); }

// Minute of the day with morning and evening peaks (transit) or a daytime profile.
int CommuteMinute(Rng& rng) {
  static constexpr std::array<double, 19> kHourWeight = {1, 4, 12, 14, 6, 4, 4, 5, 4, 4,
                                                         5, 8, 13, 12, 7, 5, 3, 2, 1};
  double total = 0;
  for (double w : kHourWeight) total += w;
  double u = rng.Uniform() * total;
  int hour = 5;
  for (double w : kHourWeight) {
    if (u < w) break;
    u -= w;
    ++hour;
  }
  return std::min(hour, 23) * 60 + static_cast<int>(rng.Below(60));
}

int DaytimeMinute(Rng& rng) {
  int minute = static_cast<int>(std::clamp(13.5 * 60 + 200 * rng.Normal(), 0.0, 1439.0));
  return minute;
}

std::string Luhn(std::string_view prefix, Rng& rng, int length) {
  std::string digits(prefix);
  while (static_cast<int>(digits.size()) < length - 1)
    digits += static_cast<char>('0' + rng.Below(10));
  int sum = 0;
  for (int i = static_cast<int>(digits.size()) - 1, k = 0; i >= 0; --i, ++k) {
    int d = digits[i] - '0';
    if (k % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  digits += static_cast<char>('0' + (10 - sum % 10) % 10);
  return digits;
}

std::string Grouped4(std::string_view digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += digits[i];
  }
  return out;
}

std::string BusinessNumber(Rng& rng) {
  int mid = rng.Bernoulli(0.7) ? static_cast<int>(rng.Range(1, 79))
                               : std::array<int, 4>{81, 86, 87, 88}[rng.Below(4)];
  std::string first9 =
      fmt::format("{:03d}{:02d}{:04d}", rng.Range(101, 899), mid, rng.Below(10000));
  int check = korea::BusinessNumberCheckDigit(first9);
  return fmt::format("{}-{}-{}{}", first9.substr(0, 3), first9.substr(3, 2), first9.substr(5),
                     check);
}

constexpr std::array<SV, 20> kShopPrefixes = {
    "행복", "우리", "새봄", "하나로", "은하수", "푸른", "한빛", "다온", "해오름", "별빛",
    "늘봄", "소망", "미소", "온누리", "가온", "참", "으뜸", "한마음", "초록", "바른"};

// ---------------------------------------------------------------- transportation

struct SubwayLine {
  SV name;
  std::span<const SV> stations;
};

constexpr std::array<SV, 18> kSeoul1 = {"서울역", "시청", "종각", "종로3가", "종로5가", "동대문",
                                        "신설동", "제기동", "청량리", "용산", "노량진", "영등포",
                                        "신도림", "구로", "부평", "인천", "수원", "의정부"};
constexpr std::array<SV, 29> kSeoul2 = {
    "시청", "을지로입구", "을지로3가", "동대문역사문화공원", "왕십리", "성수", "건대입구",
    "잠실", "삼성", "선릉", "역삼", "강남", "교대", "서초", "사당", "낙성대", "서울대입구",
    "신림", "구로디지털단지", "대림", "신도림", "영등포구청", "당산", "합정", "홍대입구",
    "신촌", "이대", "아현", "충정로"};
constexpr std::array<SV, 21> kSeoul3 = {"구파발", "연신내", "불광", "독립문", "경복궁", "안국",
                                        "종로3가", "충무로", "약수", "옥수", "압구정", "신사",
                                        "고속터미널", "교대", "남부터미널", "양재", "도곡", "대치",
                                        "수서", "가락시장", "오금"};
constexpr std::array<SV, 22> kSeoul4 = {"당고개", "노원", "창동", "수유", "미아사거리",
                                        "성신여대입구", "혜화", "동대문", "명동", "회현", "서울역",
                                        "숙대입구", "삼각지", "이촌", "동작", "사당", "과천",
                                        "인덕원", "평촌", "범계", "금정", "산본"};
constexpr std::array<SV, 19> kSeoul5 = {"방화", "김포공항", "까치산", "목동", "영등포구청",
                                        "여의도", "여의나루", "마포", "공덕", "광화문", "종로3가",
                                        "동대문역사문화공원", "왕십리", "군자", "천호", "강동",
                                        "길동", "올림픽공원", "마천"};
constexpr std::array<SV, 18> kSeoul7 = {"장암", "도봉산", "노원", "중계", "태릉입구", "상봉",
                                        "군자", "건대입구", "뚝섬유원지", "청담", "강남구청",
                                        "논현", "고속터미널", "이수", "대림", "가산디지털단지",
                                        "광명사거리", "부평구청"};
constexpr std::array<SV, 17> kSeoul9 = {"개화", "김포공항", "가양", "염창", "당산", "국회의사당",
                                        "여의도", "노량진", "동작", "고속터미널", "신논현",
                                        "선정릉", "봉은사", "종합운동장", "석촌", "올림픽공원",
                                        "중앙보훈병원"};
constexpr std::array<SV, 9> kShinbundang = {"강남", "양재", "판교", "정자", "미금",
                                            "동천", "수지구청", "광교중앙", "광교"};
constexpr std::array<SubwayLine, 8> kCapital = {{{"1호선", kSeoul1},
                                                 {"2호선", kSeoul2},
                                                 {"3호선", kSeoul3},
                                                 {"4호선", kSeoul4},
                                                 {"5호선", kSeoul5},
                                                 {"7호선", kSeoul7},
                                                 {"9호선", kSeoul9},
                                                 {"신분당선", kShinbundang}}};
constexpr std::array<SV, 22> kBusan1 = {"노포", "범어사", "부산대", "온천장", "동래", "교대",
                                        "연산", "시청", "양정", "부전", "서면", "범내골",
                                        "부산진", "초량", "부산역", "중앙", "남포", "자갈치",
                                        "토성", "괴정", "하단", "다대포해수욕장"};
constexpr std::array<SV, 16> kBusan2 = {"장산", "해운대", "동백", "센텀시티", "광안", "수영",
                                        "경성대·부경대", "문현", "전포", "서면", "부암", "가야",
                                        "사상", "덕천", "화명", "양산"};
constexpr std::array<SubwayLine, 2> kBusan = {{{"부산 1호선", kBusan1}, {"부산 2호선", kBusan2}}};
constexpr std::array<SV, 17> kDaegu1 = {"안심", "동촌", "아양교", "동대구", "칠성시장", "대구역",
                                        "중앙로", "반월당", "명덕", "교대", "영대병원", "현충로",
                                        "월촌", "송현", "서부정류장", "대곡", "설화명곡"};
constexpr std::array<SV, 18> kDaegu2 = {"문양", "다사", "계명대", "성서산업단지", "이곡", "용산",
                                        "죽전", "감삼", "두류", "내당", "반월당", "경대병원",
                                        "범어", "수성구청", "만촌", "담티", "고산", "영남대"};
constexpr std::array<SubwayLine, 2> kDaegu = {{{"대구 1호선", kDaegu1}, {"대구 2호선", kDaegu2}}};
constexpr std::array<SV, 16> kGwangju1 = {"녹동", "소태", "남광주", "문화전당", "금남로4가",
                                          "금남로5가", "양동시장", "돌고개", "농성", "화정",
                                          "쌍촌", "운천", "상무", "김대중컨벤션센터", "공항",
                                          "광주송정"};
constexpr std::array<SubwayLine, 1> kGwangju = {{{"광주 1호선", kGwangju1}}};
constexpr std::array<SV, 21> kDaejeon1 = {"판암", "대동", "대전역", "중앙로", "중구청",
                                          "서대전네거리", "오룡", "용문", "탄방", "시청",
                                          "정부청사", "갈마", "월평", "갑천", "유성온천", "구암",
                                          "현충원", "월드컵경기장", "노은", "지족", "반석"};
constexpr std::array<SubwayLine, 1> kDaejeon = {{{"대전 1호선", kDaejeon1}}};

struct Network {
  std::span<const SubwayLine> lines;
  int64_t subway_fare;
  int64_t bus_fare;
};

Network NetworkOf(SV sido) {
  if (sido == "11" || sido == "28" || sido == "41") return {kCapital, 1400, 1500};
  if (sido == "26") return {kBusan, 1600, 1550};
  if (sido == "27") return {kDaegu, 1500, 1500};
  if (sido == "29") return {kGwangju, 1250, 1250};
  if (sido == "30") return {kDaejeon, 1250, 1500};
  return {{}, 0, 1500};
}

constexpr std::array<SV, 8> kStopSuffix = {"행정복지센터", "시장", "초등학교", "사거리",
                                           "우체국", "입구", "공영주차장", "보건소"};

std::string BusStop(Rng& rng, const Sigungu& sgg) {
  auto emds = korea::EupmyeondongOf(sgg.code);
  const Eupmyeondong& e = emds[rng.Below(emds.size())];
  std::string stop = EmdStem(e.name);
  stop += kStopSuffix[rng.Below(kStopSuffix.size())];
  return stop;
}

// ---------------------------------------------------------------- real estate

struct BuildingType {
  SV name;
  double weight;
  double price_factor;
};
constexpr std::array<BuildingType, 4> kBuildingTypes = {{{"아파트", 65, 1.0},
                                                         {"연립다세대", 18, 0.55},
                                                         {"오피스텔", 9, 0.75},
                                                         {"단독다가구", 8, 0.5}}};
constexpr std::array<SV, 12> kApartmentBrands = {"래미안", "자이", "푸르지오", "힐스테이트",
                                                 "e편한세상", "더샵", "롯데캐슬", "아이파크",
                                                 "SK뷰", "한신휴플러스", "주공", "현대"};

// 만원 per ㎡ of an average apartment, 2024, by 시도.
double BasePricePerM2(SV sido) {
  struct P { SV code; double price; };
  static constexpr std::array<P, 17> kPrices = {{
      {"11", 1300}, {"26", 500}, {"27", 420}, {"28", 480}, {"29", 380}, {"30", 420},
      {"31", 380},  {"36", 520}, {"41", 620}, {"43", 300}, {"44", 300}, {"46", 230},
      {"47", 240},  {"48", 280}, {"50", 450}, {"51", 280}, {"52", 260}}};
  for (const P& p : kPrices)
    if (p.code == sido) return p.price;
  return 300;
}

double PremiumOf(SV sigungu) {
  struct P { SV code; double factor; };
  static constexpr std::array<P, 10> kPremium = {{
      {"11680", 2.0}, {"11650", 1.9}, {"11710", 1.6}, {"11170", 1.7}, {"11440", 1.3},
      {"11200", 1.4}, {"41135", 1.6}, {"41290", 2.0}, {"26350", 1.5}, {"27260", 1.5}}};
  for (const P& p : kPremium)
    if (p.code == sigungu) return p.factor;
  return 1.0;
}

// ---------------------------------------------------------------- tourism

struct Destination {
  SV sigungu;
  double weight;
};
constexpr std::array<Destination, 24> kDestinations = {{
    {"50110", 14}, {"50130", 12}, {"51150", 7},  {"51210", 6},  {"51830", 3}, {"51760", 3},
    {"26350", 8},  {"26500", 3},  {"26110", 3},  {"47130", 6},  {"46130", 5}, {"52111", 4},
    {"11110", 4},  {"11140", 5},  {"11440", 3},  {"11680", 3},  {"41820", 3}, {"44825", 2},
    {"48220", 2},  {"48840", 1.5}, {"47170", 1.5}, {"43800", 1.5}, {"28110", 2}, {"51810", 1}}};

struct Lodging {
  SV name;
  double weight;
  int64_t nightly_won;
  bool per_person;
};
constexpr std::array<Lodging, 6> kLodgings = {{{"호텔", 30, 150'000, false},
                                               {"모텔", 25, 60'000, false},
                                               {"펜션", 18, 180'000, false},
                                               {"리조트", 10, 220'000, false},
                                               {"게스트하우스", 8, 35'000, true},
                                               {"콘도", 9, 160'000, false}}};
constexpr std::array<SV, 12> kLodgingWords = {"바다뜰", "솔향기", "하늘정원", "별빛", "노을",
                                              "한옥", "그랜드", "씨사이드", "힐링", "숲속",
                                              "파크", "라온"};

struct Foreigner {
  SV nationality;
  SV name;
};
constexpr std::array<Foreigner, 16> kForeigners = {{
    {"CHN", "WANG LEI"},      {"CHN", "LI NA"},         {"CHN", "ZHANG WEI"},
    {"CHN", "LIU YANG"},      {"JPN", "SATO YUKI"},     {"JPN", "SUZUKI HARUTO"},
    {"JPN", "TAKAHASHI AOI"}, {"JPN", "TANAKA REN"},    {"USA", "JOHN SMITH"},
    {"USA", "EMILY JOHNSON"}, {"USA", "MICHAEL BROWN"}, {"VNM", "NGUYEN VAN AN"},
    {"VNM", "TRAN THI MAI"},  {"TWN", "CHEN YI-TING"},  {"TWN", "LIN CHIA-HAO"},
    {"THA", "SOMCHAI SUKSAWAT"}}};

// ---------------------------------------------------------------- consumption

struct Category {
  SV name;
  double weight;
  int64_t min_won;
  int64_t max_won;
  double online;
  std::span<const SV> nouns;
};
constexpr std::array<SV, 2> kConvenience = {"편의점", "24시마트"};
constexpr std::array<SV, 6> kKorean = {"한식당", "국밥", "김밥", "식당", "갈비", "칼국수"};
constexpr std::array<SV, 3> kCafe = {"카페", "커피", "베이커리"};
constexpr std::array<SV, 3> kMart = {"마트", "식자재마트", "농협하나로마트"};
constexpr std::array<SV, 3> kOnline = {"몰", "쇼핑", "스토어"};
constexpr std::array<SV, 2> kFuel = {"주유소", "셀프주유소"};
constexpr std::array<SV, 3> kClothes = {"패션", "의류", "아울렛"};
constexpr std::array<SV, 5> kClinic = {"내과의원", "치과의원", "정형외과의원", "소아청소년과의원",
                                       "한의원"};
constexpr std::array<SV, 1> kPharmacy = {"약국"};
constexpr std::array<SV, 4> kAcademy = {"수학학원", "영어학원", "피아노학원", "태권도장"};
constexpr std::array<SV, 2> kTaxi = {"택시", "공영주차장"};
constexpr std::array<SV, 4> kDelivery = {"배달", "치킨", "피자", "족발"};
constexpr std::array<SV, 3> kBeauty = {"미용실", "헤어", "네일"};
constexpr std::array<Category, 13> kCategories = {{
    {"편의점", 20, 1'500, 18'000, 0.0, kConvenience},
    {"한식", 18, 7'000, 45'000, 0.02, kKorean},
    {"카페", 14, 3'500, 14'000, 0.03, kCafe},
    {"대형마트", 6, 20'000, 220'000, 0.1, kMart},
    {"온라인쇼핑", 12, 8'000, 160'000, 1.0, kOnline},
    {"주유소", 5, 30'000, 100'000, 0.0, kFuel},
    {"의류", 4, 25'000, 250'000, 0.2, kClothes},
    {"병원", 3, 5'000, 90'000, 0.0, kClinic},
    {"약국", 3, 3'000, 35'000, 0.0, kPharmacy},
    {"학원", 2, 120'000, 480'000, 0.1, kAcademy},
    {"택시·교통", 5, 4'800, 35'000, 0.3, kTaxi},
    {"배달", 7, 15'000, 48'000, 0.9, kDelivery},
    {"미용", 3, 10'000, 120'000, 0.05, kBeauty},
}};
// Where online merchants are registered.
constexpr std::array<SV, 5> kOnlineHq = {"11680", "11650", "41135", "11530", "11710"};

// ---------------------------------------------------------------- finance

struct Product {
  SV name;
  double weight;
  int64_t min_won;
  int64_t max_won;
  double base_rate;
  int min_months;
  int max_months;
  SV repayment;
};
constexpr std::array<Product, 6> kProducts = {{
    {"신용대출", 35, 5'000'000, 80'000'000, 5.5, 12, 60, "만기일시"},
    {"주택담보대출", 20, 100'000'000, 600'000'000, 4.2, 240, 360, "원리금균등"},
    {"전세자금대출", 18, 50'000'000, 400'000'000, 4.0, 24, 24, "만기일시"},
    {"자동차대출", 10, 10'000'000, 60'000'000, 6.5, 36, 60, "원리금균등"},
    {"카드론", 10, 1'000'000, 15'000'000, 14.0, 12, 36, "원금균등"},
    {"사업자대출", 7, 20'000'000, 300'000'000, 5.8, 36, 60, "원금균등"},
}};

int64_t RoundTo(double v, int64_t unit) {
  return static_cast<int64_t>(std::llround(v / static_cast<double>(unit))) * unit;
}

// Applicable noise per dataset.
constexpr std::array<NoiseKind, 3> kNoiseTransport = {
    NoiseKind::kNameTypo, NoiseKind::kPhoneChanged, NoiseKind::kDobTransposed};
constexpr std::array<NoiseKind, 3> kNoisePopulation = {
    NoiseKind::kNameTypo, NoiseKind::kDobTransposed, NoiseKind::kAddressMoved};
constexpr std::array<NoiseKind, 1> kNoiseRealEstate = {NoiseKind::kNameTypo};
constexpr std::array<NoiseKind, 3> kNoiseTourism = {NoiseKind::kNameTypo, NoiseKind::kPhoneChanged,
                                                    NoiseKind::kDobTransposed};
constexpr std::array<NoiseKind, 2> kNoiseConsumption = {NoiseKind::kNameTypo,
                                                        NoiseKind::kPhoneChanged};
constexpr std::array<NoiseKind, 3> kNoiseFinance = {NoiseKind::kNameTypo, NoiseKind::kPhoneChanged,
                                                    NoiseKind::kAddressMoved};

constexpr uint64_t kStreamRecords = 100;

}  // namespace

struct RowGenerator::Recorded {
  std::string name;
  std::string phone;
  Date birth;
  const Eupmyeondong* emd = nullptr;
  std::string road;
};

RowGenerator::RowGenerator(const Universe& universe, double noise_rate,
                           const std::vector<Person>* cache)
    : universe_(universe),
      noise_rate_(noise_rate),
      cache_(cache),
      population_order_(static_cast<uint64_t>(std::max<int64_t>(universe.size(), 1)),
                        MixSeed(universe.seed(), kStreamRecords, 999)) {}

std::string RowGenerator::Header(DatasetId id) {
  std::string out;
  for (const ColumnSpec& c : SpecOf(id).columns) Field(out, c.name);
  EndRow(out);
  return out;
}

Person RowGenerator::Get(int64_t id) const {
  return cache_ ? (*cache_)[static_cast<size_t>(id)] : universe_.Get(id);
}

Person RowGenerator::PickPerson(Rng& rng, int min_age) const {
  const Date& ref = universe_.reference_date();
  int64_t id = static_cast<int64_t>(rng.Below(universe_.size()));
  if (cache_) {
    for (int attempt = 0; attempt < 30 && (*cache_)[id].AgeOn(ref) < min_age; ++attempt)
      id = static_cast<int64_t>(rng.Below(universe_.size()));
    return (*cache_)[id];
  }
  Person p = universe_.Get(id);
  for (int attempt = 0; attempt < 30 && p.AgeOn(ref) < min_age; ++attempt)
    p = universe_.Get(static_cast<int64_t>(rng.Below(universe_.size())));
  return p;
}

RowGenerator::Recorded RowGenerator::Record(Rng& rng, const Person& p,
                                            std::span<const NoiseKind> applicable,
                                            std::string& noise, bool district_address) const {
  Recorded r{p.Name(), p.phone, p.birth, p.home.emd, p.home.road};
  for (NoiseKind kind : ChooseNoise(rng, noise_rate_, applicable)) {
    switch (kind) {
      case NoiseKind::kNameTypo:
        r.name = NameTypo(rng, p.surname, p.given_name);
        break;
      case NoiseKind::kPhoneChanged: {
        if (p.phone.empty()) continue;
        std::string phone = universe_.RandomPhone(rng);
        if (phone == p.phone) continue;
        r.phone = std::move(phone);
        break;
      }
      case NoiseKind::kDobTransposed: {
        std::optional<Date> d = DobTransposed(rng, p.birth, universe_.reference_date());
        if (!d) continue;
        r.birth = *d;
        break;
      }
      case NoiseKind::kAddressMoved:
        r.emd = universe_.NearbyEmd(rng, p.home.emd, district_address);
        r.road = universe_.RoadAddress(rng, *r.emd, korea::KindOf(*r.emd) == korea::EmdKind::kDong);
        break;
    }
    if (!noise.empty()) noise += ';';
    noise += NoiseName(kind);
  }
  return r;
}

namespace {
void Truth(std::string& truth, SV record_id, SV person_id, SV noise) {
  Field(truth, record_id);
  Field(truth, person_id);
  Field(truth, noise);
  EndRow(truth);
}
}  // namespace

bool RowGenerator::Append(DatasetId id, int64_t index, std::string& csv, std::string& truth,
                          TourismAggregate* agg) const {
  switch (id) {
    case DatasetId::kTransportation: return Transportation(index, csv, truth);
    case DatasetId::kPopulation: return Population(index, csv, truth);
    case DatasetId::kRealEstate: return RealEstate(index, csv, truth);
    case DatasetId::kTourism: return Tourism(index, csv, truth, agg);
    case DatasetId::kConsumption: return Consumption(index, csv, truth);
    case DatasetId::kFinance: return Finance(index, csv, truth);
    case DatasetId::kTourismStats: break;
  }
  return false;
}

bool RowGenerator::Transportation(int64_t index, std::string& csv, std::string& truth) const {
  Rng rng(MixSeed(universe_.seed(), kStreamRecords + 0, static_cast<uint64_t>(index)));
  Person p = PickPerson(rng, 8);
  std::string noise;
  Recorded r = Record(rng, p, kNoiseTransport, noise);
  const Date& ref = universe_.reference_date();
  int age = p.AgeOn(ref);

  // One registered card per person, stable across taps.
  Rng card_rng(MixSeed(universe_.seed(), 7001, static_cast<uint64_t>(p.id)));
  std::string card = Grouped4(Luhn("1010", card_rng, 16));
  SV card_type = age < 13 ? "어린이" : age < 19 ? "청소년" : age >= 65 ? "우대" : "일반";

  Date day = ref.AddDays(-rng.Range(0, 27));
  int board_minute = CommuteMinute(rng);

  Network net = NetworkOf(p.home.emd->code.substr(0, 2));
  bool subway = !net.lines.empty() && rng.Bernoulli(0.6);
  std::string line, board, alight;
  int64_t fare;
  int ride;
  if (subway) {
    const SubwayLine& l = net.lines[rng.Below(net.lines.size())];
    size_t a = rng.Below(l.stations.size());
    size_t b = rng.Below(l.stations.size() - 1);
    if (b >= a) ++b;
    line = l.name;
    board = std::string(l.stations[a]) + "역";
    alight = std::string(l.stations[b]) + "역";
    size_t hops = a > b ? a - b : b - a;
    fare = net.subway_fare + 100 * static_cast<int64_t>(hops / 4);
    ride = 2 + 2 * static_cast<int>(hops) + static_cast<int>(rng.Below(7));
  } else {
    const Sigungu& sgg = SigunguOf(*p.home.emd);
    line = sgg.sido_code == "11"
               ? (rng.Bernoulli(0.5) ? fmt::format("간선 {}", rng.Range(100, 750))
                                     : fmt::format("지선 {}", rng.Range(1000, 7999)))
               : fmt::format("{}번", rng.Range(1, 999));
    board = BusStop(rng, sgg);
    alight = BusStop(rng, sgg);
    if (alight == board) alight += " 건너편";
    fare = net.bus_fare;
    ride = static_cast<int>(rng.Range(5, 45));
  }
  int alight_minute = std::min(board_minute + ride, 1439);
  if (card_type == "어린이") fare = fare * 35 / 100 / 10 * 10;
  if (card_type == "청소년") fare = fare * 60 / 100 / 10 * 10;
  if (card_type == "우대" && subway) fare = 0;
  bool transfer = rng.Bernoulli(0.3);
  if (transfer) fare = std::min<int64_t>(fare, 100 * rng.Range(0, 3));

  std::string tap_id = fmt::format("TR{:010d}", index);
  Field(csv, tap_id);
  Field(csv, card);
  Field(csv, card_type);
  Field(csv, r.name);
  Field(csv, r.phone);
  Field(csv, r.birth.Iso());
  Field(csv, subway ? "지하철" : "버스");
  Field(csv, line);
  Field(csv, board);
  Field(csv, Timestamp(day, board_minute, static_cast<int>(rng.Below(60))));
  Field(csv, alight);
  Field(csv, Timestamp(day, alight_minute, static_cast<int>(rng.Below(60))));
  Field(csv, fare);
  Field(csv, transfer ? "Y" : "N");
  EndRow(csv);
  Truth(truth, tap_id, p.PersonId(), noise);
  return !noise.empty();
}

bool RowGenerator::Population(int64_t index, std::string& csv, std::string& truth) const {
  Rng rng(MixSeed(universe_.seed(), kStreamRecords + 1, static_cast<uint64_t>(index)));
  // Every person appears once, in an order unrelated to person ids.
  Person p = Get(static_cast<int64_t>(population_order_(static_cast<uint64_t>(index))));
  std::string noise;
  Recorded r = Record(rng, p, kNoisePopulation, noise);
  std::string seq = fmt::format("R{:09d}", index + 1);
  Field(csv, seq);
  Field(csv, p.rrn);
  Field(csv, r.name);
  Field(csv, p.male ? "남" : "여");
  Field(csv, r.birth.Iso());
  Field(csv, SidoOf(*r.emd).name);
  Field(csv, SigunguOf(*r.emd).name);
  Field(csv, r.emd->name);
  Field(csv, r.emd->code);
  Field(csv, r.road);
  Field(csv, p.household_id);
  Field(csv, p.relation);
  Field(csv, p.move_in.Iso());
  EndRow(csv);
  Truth(truth, seq, p.PersonId(), noise);
  return !noise.empty();
}

bool RowGenerator::RealEstate(int64_t index, std::string& csv, std::string& truth) const {
  Rng rng(MixSeed(universe_.seed(), kStreamRecords + 2, static_cast<uint64_t>(index)));
  Person p = PickPerson(rng, 25);
  for (int attempt = 0; attempt < 5 && p.annual_income_manwon == 0; ++attempt)
    p = PickPerson(rng, 25);
  std::string noise;
  Recorded r = Record(rng, p, kNoiseRealEstate, noise);

  // Most buyers buy near where they live.
  const Eupmyeondong* emd;
  if (rng.Bernoulli(0.6)) {
    auto siblings = korea::EupmyeondongOf(p.home.emd->sigungu_code);
    emd = &siblings[rng.Below(siblings.size())];
  } else {
    emd = universe_.RandomAddress(rng).emd;
  }
  const BuildingType& type = PickWeighted(rng, kBuildingTypes);
  bool apartment = type.name == "아파트";
  double area;
  int floor;
  if (apartment) {
    static constexpr std::array<double, 6> kAreas = {59.97, 74.95, 84.98, 101.93, 114.86, 134.7};
    static constexpr std::array<double, 6> kAreaWeights = {30, 12, 38, 8, 8, 4};
    double u = rng.Uniform() * 100;
    size_t i = 0;
    while (i + 1 < kAreas.size() && u >= kAreaWeights[i]) u -= kAreaWeights[i++];
    area = kAreas[i] - static_cast<double>(rng.Below(90)) / 100.0;
    floor = static_cast<int>(rng.Range(1, 35));
  } else if (type.name == "오피스텔") {
    area = 18 + static_cast<double>(rng.Below(4000)) / 100.0;
    floor = static_cast<int>(rng.Range(2, 25));
  } else {
    area = 30 + static_cast<double>(rng.Below(12000)) / 100.0;
    floor = static_cast<int>(rng.Range(1, type.name == "단독다가구" ? 3 : 5));
  }
  int built = static_cast<int>(rng.Range(1985, universe_.reference_date().year));
  double age_factor = 0.8 + 0.4 * (built - 1985) / 40.0;
  double kind_factor = korea::KindOf(*emd) == korea::EmdKind::kMyeon   ? 0.5
                       : korea::KindOf(*emd) == korea::EmdKind::kEup ? 0.7
                                                                       : 1.0;
  double per_m2 = BasePricePerM2(emd->code.substr(0, 2)) * PremiumOf(emd->sigungu_code) *
                  type.price_factor * age_factor * kind_factor * std::exp(0.18 * rng.Normal());
  int64_t price = std::max<int64_t>(RoundTo(per_m2 * area, 100), 1000);
  std::string building =
      apartment
          ? fmt::format("{}{}", EmdStem(emd->name), rng.Pick(std::span<const SV>(kApartmentBrands)))
      : type.name == "오피스텔"
          ? fmt::format("{} 오피스텔", rng.Pick(std::span<const SV>(kShopPrefixes)))
          : std::string();
  Date contract = universe_.reference_date().AddDays(-rng.Range(0, 364));
  std::string deal_id = fmt::format("RE{:010d}", index);
  Field(csv, deal_id);
  Field(csv, contract.Iso());
  Field(csv, SidoOf(*emd).name);
  Field(csv, SigunguOf(*emd).name);
  Field(csv, emd->name);
  Field(csv, universe_.RoadAddress(rng, *emd, false));
  Field(csv, type.name);
  Field(csv, building);
  Field(csv, fmt::format("{:.2f}", area));
  Field(csv, floor);
  Field(csv, built);
  Field(csv, price);
  Field(csv, rng.Bernoulli(0.88) ? "중개거래" : "직거래");
  Field(csv, p.rrn);
  Field(csv, r.name);
  EndRow(csv);
  Truth(truth, deal_id, p.PersonId(), noise);
  return !noise.empty();
}

bool RowGenerator::Tourism(int64_t index, std::string& csv, std::string& truth,
                           TourismAggregate* agg) const {
  Rng rng(MixSeed(universe_.seed(), kStreamRecords + 3, static_cast<uint64_t>(index)));
  const Date& ref = universe_.reference_date();
  bool foreign = rng.Bernoulli(0.05);
  std::string name, phone, nationality, noise, person_id;
  Date birth;
  if (foreign) {
    const Foreigner& f = kForeigners[rng.Below(kForeigners.size())];
    name = f.name;
    nationality = f.nationality;
    birth = ref.AddDays(-rng.Range(20 * 365, 70 * 365));
    phone = rng.Bernoulli(0.5)
                ? fmt::format("010-{:04d}-{:04d}", rng.Range(2000, 9999), rng.Below(10000))
                : std::string();
  } else {
    Person p = PickPerson(rng, 19);
    Recorded r = Record(rng, p, kNoiseTourism, noise);
    name = r.name;
    phone = r.phone;
    birth = r.birth;
    nationality = "KOR";
    person_id = p.PersonId();
  }
  const Sigungu* sgg;
  if (rng.Bernoulli(0.85)) {
    sgg = korea::FindSigungu(PickWeighted(rng, kDestinations).sigungu);
  } else {
    sgg = korea::FindSigungu(universe_.RandomAddress(rng).emd->sigungu_code);
  }
  const Lodging& lodging = PickWeighted(rng, kLodgings);
  Rng place_rng(MixSeed(universe_.seed(), 7003, MixSeed(HashText(sgg->code), rng.Below(20))));
  std::string place = fmt::format("{} {}", kLodgingWords[place_rng.Below(kLodgingWords.size())],
                                  lodging.name);
  // Check-in: more stays in summer and on weekends.
  Date check_in;
  for (int attempt = 0; attempt < 8; ++attempt) {
    check_in = ref.AddDays(-rng.Range(0, 364));
    double w = (check_in.month == 7 || check_in.month == 8) ? 1.0 : 0.5;
    if (check_in.Weekday() == 5 || check_in.Weekday() == 6) w = std::min(1.0, w * 1.6);
    if (rng.Bernoulli(w)) break;
  }
  int nights = rng.Bernoulli(0.6) ? 1 : rng.Bernoulli(0.6) ? 2 : static_cast<int>(rng.Range(3, 7));
  int party = rng.Bernoulli(0.45) ? 2 : static_cast<int>(rng.Range(1, 6));
  double season = (check_in.month == 7 || check_in.month == 8) ? 1.4 : 1.0;
  double nightly = static_cast<double>(lodging.nightly_won) * season * std::exp(0.3 * rng.Normal());
  if (lodging.per_person) nightly *= party;
  int64_t amount = RoundTo(nightly * nights, 1000);
  std::string stay_id = fmt::format("ST{:010d}", index);
  const Sido& sido = *korea::FindSido(sgg->sido_code);
  Field(csv, stay_id);
  Field(csv, name);
  Field(csv, phone);
  Field(csv, birth.Iso());
  Field(csv, nationality);
  Field(csv, lodging.name);
  Field(csv, place);
  Field(csv, sido.name);
  Field(csv, sgg->name);
  Field(csv, check_in.Iso());
  Field(csv, nights);
  Field(csv, party);
  Field(csv, amount);
  Field(csv, rng.Bernoulli(0.6) ? "OTA" : rng.Bernoulli(0.75) ? "직접예약" : "여행사");
  EndRow(csv);
  Truth(truth, stay_id, person_id, noise);
  if (agg) {
    TourismCell& cell = (*agg)[{check_in.Iso().substr(0, 7), std::string(sido.name),
                                std::string(sgg->name)}];
    cell.stays += 1;
    cell.guests += party;
    cell.guest_nights += static_cast<int64_t>(party) * nights;
    cell.amount_won += amount;
  }
  return !noise.empty();
}

void RowGenerator::AppendTourismStats(const TourismAggregate& agg, std::string& csv,
                                      int64_t& rows) {
  rows = 0;
  for (const auto& [key, cell] : agg) {
    if (cell.stays < 5) continue;  // small cells are not published
    const auto& [month, sido, sgg] = key;
    Field(csv, month);
    Field(csv, sido);
    Field(csv, sgg);
    Field(csv, cell.stays);
    Field(csv, cell.guests);
    Field(csv, cell.guest_nights);
    Field(csv, cell.amount_won / cell.stays);
    EndRow(csv);
    ++rows;
  }
}

bool RowGenerator::Consumption(int64_t index, std::string& csv, std::string& truth) const {
  Rng rng(MixSeed(universe_.seed(), kStreamRecords + 4, static_cast<uint64_t>(index)));
  Person p = PickPerson(rng, 15);
  std::string noise;
  Recorded r = Record(rng, p, kNoiseConsumption, noise);
  int age = p.AgeOn(universe_.reference_date());

  // 1–3 cards per person, stable across payments.
  Rng holder(MixSeed(universe_.seed(), 7004, static_cast<uint64_t>(p.id)));
  int cards = static_cast<int>(holder.Range(1, 3));
  int slot = static_cast<int>(rng.Below(static_cast<uint64_t>(cards)));
  Rng card_rng(MixSeed(universe_.seed(), 7005, static_cast<uint64_t>(p.id) * 4 + slot));
  static constexpr std::array<SV, 6> kBins = {"4092", "5365", "9409", "6253", "4579", "5327"};
  std::string card = Grouped4(Luhn(kBins[card_rng.Below(kBins.size())], card_rng, 16));
  bool credit = age >= 19 && card_rng.Bernoulli(0.65);

  const Category& cat = PickWeighted(rng, kCategories);
  bool online = rng.Bernoulli(cat.online);
  const Sigungu* merchant_sgg;
  if (online)
    merchant_sgg = korea::FindSigungu(kOnlineHq[rng.Below(kOnlineHq.size())]);
  else if (rng.Bernoulli(0.75))
    merchant_sgg = korea::FindSigungu(p.home.emd->sigungu_code);
  else
    merchant_sgg = korea::FindSigungu(universe_.RandomAddress(rng).emd->sigungu_code);
  // A merchant is a stable entity: (시군구, category, slot) always has the same name and
  // business number.
  uint64_t merchant_key = MixSeed(HashText(merchant_sgg->code), HashText(cat.name),
                                  rng.Below(online ? 50 : 30));
  Rng m(MixSeed(universe_.seed(), 7006, merchant_key));
  std::string merchant = fmt::format("{}{}", kShopPrefixes[m.Below(kShopPrefixes.size())],
                                     cat.nouns[m.Below(cat.nouns.size())]);
  if (!online && m.Bernoulli(0.5)) {
    auto emds = korea::EupmyeondongOf(merchant_sgg->code);
    merchant += fmt::format(" {}점", EmdStem(emds[m.Below(emds.size())].name));
  }
  std::string business_no = BusinessNumber(m);

  double span = static_cast<double>(cat.max_won - cat.min_won);
  int64_t amount =
      RoundTo(static_cast<double>(cat.min_won) + span * std::pow(rng.Uniform(), 1.8), 100);
  int installment = 0;
  if (credit && amount >= 50'000 && rng.Bernoulli(0.2))
    installment = std::array<int, 5>{2, 3, 6, 10, 12}[rng.Below(5)];
  Date day = universe_.reference_date().AddDays(-rng.Range(0, 89));
  std::string txn = fmt::format("CP{:012d}", index);
  Field(csv, txn);
  Field(csv, fmt::format("{:08d}", rng.Below(100'000'000)));
  Field(csv, Timestamp(day, DaytimeMinute(rng), static_cast<int>(rng.Below(60))));
  Field(csv, card);
  Field(csv, credit ? "신용" : "체크");
  Field(csv, p.rrn);
  Field(csv, r.name);
  Field(csv, r.phone);
  Field(csv, merchant);
  Field(csv, business_no);
  Field(csv, cat.name);
  Field(csv, korea::FindSido(merchant_sgg->sido_code)->name);
  Field(csv, merchant_sgg->name);
  Field(csv, online ? "online" : "offline");
  Field(csv, amount);
  Field(csv, installment);
  Field(csv, rng.Bernoulli(0.97) ? "승인" : "취소");
  EndRow(csv);
  Truth(truth, txn, p.PersonId(), noise);
  return !noise.empty();
}

bool RowGenerator::Finance(int64_t index, std::string& csv, std::string& truth) const {
  Rng rng(MixSeed(universe_.seed(), kStreamRecords + 5, static_cast<uint64_t>(index)));
  Person p = PickPerson(rng, 20);
  for (int attempt = 0; attempt < 5 && p.annual_income_manwon == 0; ++attempt)
    p = PickPerson(rng, 20);
  std::string noise;
  Recorded r = Record(rng, p, kNoiseFinance, noise, /*district_address=*/true);
  const Date& ref = universe_.reference_date();

  const Product* product = &PickWeighted(rng, kProducts);
  if (product->name == "사업자대출" && p.occupation != "자영업" && rng.Bernoulli(0.7))
    product = &kProducts[0];
  double span = static_cast<double>(product->max_won - product->min_won);
  double principal = static_cast<double>(product->min_won) + span * std::pow(rng.Uniform(), 2.0);
  if (product->name == "신용대출" && p.annual_income_manwon > 0)
    principal = std::min(principal, static_cast<double>(p.annual_income_manwon) * 10'000 * 1.5);
  int64_t principal_won = std::max<int64_t>(RoundTo(principal, 100'000), 1'000'000);
  int score = p.credit_score > 0 ? p.credit_score : 600;
  double rate = product->base_rate + (900.0 - score) / 100.0 * 1.2 + 0.4 * rng.Normal();
  rate = std::clamp(rate, 2.5, 19.9);
  int months = static_cast<int>(rng.Range(product->min_months, product->max_months));
  Date start = ref.AddDays(-rng.Range(0, 5 * 365));
  Date maturity = start.AddDays(static_cast<int64_t>(months) * 30 + months / 2);
  double elapsed = static_cast<double>(ref.ToDays() - start.ToDays()) / 30.4;
  bool repaid = maturity <= ref || rng.Bernoulli(0.05);
  int64_t balance = 0;
  if (!repaid) {
    double left = product->repayment == "만기일시" ? 1.0 : std::max(0.0, 1.0 - elapsed / months);
    balance = RoundTo(static_cast<double>(principal_won) * left, 1000);
  }
  int overdue = 0;
  if (!repaid) {
    double p_overdue = std::clamp((760.0 - score) / 900.0, 0.01, 0.4);
    if (rng.Bernoulli(p_overdue)) overdue = static_cast<int>(rng.Range(1, 180));
  }
  std::string_view status = repaid ? "완제" : overdue > 0 ? "연체" : "정상";
  std::string loan_id = fmt::format("LN{:010d}", index);
  Field(csv, loan_id);
  Field(csv, p.rrn);
  Field(csv, r.name);
  Field(csv, r.phone);
  Field(csv, SidoOf(*r.emd).name);
  Field(csv, SigunguOf(*r.emd).name);
  Field(csv, p.occupation);
  Field(csv, p.annual_income_manwon);
  Field(csv, p.credit_score);
  Field(csv, product->name);
  Field(csv, principal_won);
  Field(csv, fmt::format("{:.2f}", rate));
  Field(csv, start.Iso());
  Field(csv, maturity.Iso());
  Field(csv, product->repayment);
  Field(csv, balance);
  Field(csv, overdue);
  Field(csv, status);
  EndRow(csv);
  Truth(truth, loan_id, p.PersonId(), noise);
  return !noise.empty();
}

}  // namespace sz::synth::internal
