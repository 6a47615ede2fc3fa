#include "synth/datasets.h"

#include <array>

namespace sz::synth {

namespace {

using R = ColumnRole;

constexpr std::array<ColumnSpec, 14> kTransportation = {{
    {"tap_id", "VARCHAR", R::kRecordKey, "승하차 기록번호"},
    {"card_no", "VARCHAR", R::kIdentifier, "교통카드 번호"},
    {"card_type", "VARCHAR", R::kAttribute, "카드 구분(일반/청소년/어린이/우대)"},
    {"holder_name", "VARCHAR", R::kIdentifier, "카드 소유자 성명"},
    {"holder_phone", "VARCHAR", R::kIdentifier, "카드 소유자 휴대전화번호"},
    {"holder_birth_date", "DATE", R::kQuasiIdentifier, "카드 소유자 생년월일"},
    {"mode", "VARCHAR", R::kAttribute, "교통수단(지하철/버스)"},
    {"line", "VARCHAR", R::kAttribute, "노선"},
    {"board_stop", "VARCHAR", R::kQuasiIdentifier, "승차 역/정류장"},
    {"board_at", "TIMESTAMP", R::kQuasiIdentifier, "승차 일시"},
    {"alight_stop", "VARCHAR", R::kQuasiIdentifier, "하차 역/정류장"},
    {"alight_at", "TIMESTAMP", R::kQuasiIdentifier, "하차 일시"},
    {"fare_won", "BIGINT", R::kAttribute, "운임(원)"},
    {"transfer", "VARCHAR", R::kAttribute, "환승 여부(Y/N)"},
}};

constexpr std::array<ColumnSpec, 13> kPopulation = {{
    {"resident_seq", "VARCHAR", R::kRecordKey, "추출 일련번호"},
    {"rrn", "VARCHAR", R::kIdentifier, "주민등록번호"},
    {"name", "VARCHAR", R::kIdentifier, "성명"},
    {"sex", "VARCHAR", R::kQuasiIdentifier, "성별"},
    {"birth_date", "DATE", R::kQuasiIdentifier, "생년월일"},
    {"sido", "VARCHAR", R::kQuasiIdentifier, "시도"},
    {"sigungu", "VARCHAR", R::kQuasiIdentifier, "시군구"},
    {"eupmyeondong", "VARCHAR", R::kQuasiIdentifier, "읍면동"},
    {"emd_code", "VARCHAR", R::kQuasiIdentifier, "행정동코드"},
    {"road_address", "VARCHAR", R::kIdentifier, "도로명주소(상세)"},
    {"household_id", "VARCHAR", R::kIdentifier, "세대번호"},
    {"relation", "VARCHAR", R::kAttribute, "세대주와의 관계"},
    {"move_in_date", "DATE", R::kQuasiIdentifier, "전입일"},
}};

constexpr std::array<ColumnSpec, 15> kRealEstate = {{
    {"deal_id", "VARCHAR", R::kRecordKey, "거래 관리번호"},
    {"contract_date", "DATE", R::kQuasiIdentifier, "계약일"},
    {"sido", "VARCHAR", R::kAttribute, "소재지 시도"},
    {"sigungu", "VARCHAR", R::kAttribute, "소재지 시군구"},
    {"eupmyeondong", "VARCHAR", R::kAttribute, "소재지 읍면동"},
    {"road_address", "VARCHAR", R::kQuasiIdentifier, "소재지 도로명주소"},
    {"building_type", "VARCHAR", R::kAttribute, "건물 유형"},
    {"building_name", "VARCHAR", R::kAttribute, "건물명(단지명)"},
    {"area_m2", "DOUBLE", R::kAttribute, "전용면적(㎡)"},
    {"floor", "BIGINT", R::kAttribute, "층"},
    {"built_year", "BIGINT", R::kAttribute, "건축년도"},
    {"price_manwon", "BIGINT", R::kSensitive, "거래금액(만원)"},
    {"deal_type", "VARCHAR", R::kAttribute, "거래 유형(중개/직거래)"},
    {"buyer_rrn", "VARCHAR", R::kIdentifier, "매수인 주민등록번호"},
    {"buyer_name", "VARCHAR", R::kIdentifier, "매수인 성명"},
}};

constexpr std::array<ColumnSpec, 14> kTourism = {{
    {"stay_id", "VARCHAR", R::kRecordKey, "숙박 예약번호"},
    {"guest_name", "VARCHAR", R::kIdentifier, "투숙객 성명"},
    {"guest_phone", "VARCHAR", R::kIdentifier, "투숙객 연락처"},
    {"guest_birth_date", "DATE", R::kQuasiIdentifier, "투숙객 생년월일"},
    {"nationality", "VARCHAR", R::kQuasiIdentifier, "국적(ISO 3166-1 alpha-3)"},
    {"accommodation_type", "VARCHAR", R::kAttribute, "숙박시설 유형"},
    {"accommodation_name", "VARCHAR", R::kAttribute, "숙박시설명"},
    {"region_sido", "VARCHAR", R::kAttribute, "숙박 지역 시도"},
    {"region_sigungu", "VARCHAR", R::kAttribute, "숙박 지역 시군구"},
    {"check_in_date", "DATE", R::kQuasiIdentifier, "입실일"},
    {"nights", "BIGINT", R::kAttribute, "숙박일수"},
    {"party_size", "BIGINT", R::kAttribute, "투숙 인원"},
    {"amount_won", "BIGINT", R::kSensitive, "결제금액(원)"},
    {"booking_channel", "VARCHAR", R::kAttribute, "예약 경로"},
}};

constexpr std::array<ColumnSpec, 17> kConsumption = {{
    {"txn_id", "VARCHAR", R::kRecordKey, "거래 일련번호"},
    {"approval_no", "VARCHAR", R::kAttribute, "승인번호"},
    {"approved_at", "TIMESTAMP", R::kQuasiIdentifier, "승인 일시"},
    {"card_no", "VARCHAR", R::kIdentifier, "카드번호"},
    {"card_type", "VARCHAR", R::kAttribute, "카드 구분(신용/체크)"},
    {"customer_rrn", "VARCHAR", R::kIdentifier, "고객 주민등록번호"},
    {"customer_name", "VARCHAR", R::kIdentifier, "고객 성명"},
    {"customer_phone", "VARCHAR", R::kIdentifier, "고객 휴대전화번호"},
    {"merchant_name", "VARCHAR", R::kAttribute, "가맹점명"},
    {"merchant_business_no", "VARCHAR", R::kAttribute, "가맹점 사업자등록번호"},
    {"merchant_category", "VARCHAR", R::kAttribute, "가맹점 업종"},
    {"merchant_sido", "VARCHAR", R::kQuasiIdentifier, "가맹점 시도"},
    {"merchant_sigungu", "VARCHAR", R::kQuasiIdentifier, "가맹점 시군구"},
    {"channel", "VARCHAR", R::kAttribute, "결제 채널(online/offline)"},
    {"amount_won", "BIGINT", R::kSensitive, "결제금액(원)"},
    {"installment_months", "BIGINT", R::kAttribute, "할부개월(0=일시불)"},
    {"status", "VARCHAR", R::kAttribute, "승인 상태(승인/취소)"},
}};

constexpr std::array<ColumnSpec, 18> kFinance = {{
    {"loan_id", "VARCHAR", R::kRecordKey, "여신 계좌번호"},
    {"customer_rrn", "VARCHAR", R::kIdentifier, "고객 주민등록번호"},
    {"customer_name", "VARCHAR", R::kIdentifier, "고객 성명"},
    {"customer_phone", "VARCHAR", R::kIdentifier, "고객 휴대전화번호"},
    {"customer_sido", "VARCHAR", R::kQuasiIdentifier, "고객 거주 시도"},
    {"customer_sigungu", "VARCHAR", R::kQuasiIdentifier, "고객 거주 시군구"},
    {"employment", "VARCHAR", R::kQuasiIdentifier, "직업 구분"},
    {"annual_income_manwon", "BIGINT", R::kSensitive, "연소득(만원)"},
    {"credit_score", "BIGINT", R::kSensitive, "신용점수(1~1000)"},
    {"product", "VARCHAR", R::kAttribute, "대출 상품"},
    {"principal_won", "BIGINT", R::kSensitive, "대출 원금(원)"},
    {"interest_rate_pct", "DOUBLE", R::kSensitive, "금리(연 %)"},
    {"start_date", "DATE", R::kAttribute, "대출 실행일"},
    {"maturity_date", "DATE", R::kAttribute, "만기일"},
    {"repayment_method", "VARCHAR", R::kAttribute, "상환 방식"},
    {"balance_won", "BIGINT", R::kSensitive, "대출 잔액(원)"},
    {"overdue_days", "BIGINT", R::kSensitive, "연체일수"},
    {"status", "VARCHAR", R::kSensitive, "상태(정상/연체/완제)"},
}};

constexpr std::array<ColumnSpec, 7> kTourismStats = {{
    {"year_month", "VARCHAR", R::kAttribute, "기준 연월"},
    {"region_sido", "VARCHAR", R::kAttribute, "시도"},
    {"region_sigungu", "VARCHAR", R::kAttribute, "시군구"},
    {"stays", "BIGINT", R::kAttribute, "숙박 건수"},
    {"guests", "BIGINT", R::kAttribute, "투숙객 수(연인원 아님)"},
    {"guest_nights", "BIGINT", R::kAttribute, "연박 인원(투숙객×숙박일수)"},
    {"avg_amount_won", "BIGINT", R::kAttribute, "건당 평균 결제금액(원)"},
}};

constexpr std::array<DatasetSpec, kDatasetCount> kDatasets = {{
    {DatasetId::kTransportation, "transportation", "교통카드 승하차 이력", "Transit card taps",
     "transportation", Tier::kPseudonymized, "한결교통카드(주)",
     "기명식 교통카드의 지하철·버스 승하차 기록(최근 4주). 카드 소유자 성명·연락처·생년월일 포함.",
     kTransportation, 60'000, false},
    {DatasetId::kPopulation, "population", "주민등록 인구 추출", "Resident registration extract",
     "population", Tier::kNonOpen, "누리시 주민정보센터",
     "주민등록 인구 추출본: 주민등록번호, 성명, 성별, 생년월일, 행정동 단위 주소, 세대 정보, "
     "전입일.",
     kPopulation, 10'000, false},
    {DatasetId::kRealEstate, "real_estate", "부동산 실거래 신고", "Real-estate transactions",
     "real_estate", Tier::kPseudonymized, "한국부동산거래정보원",
     "최근 1년 부동산 매매 실거래 신고(아파트·연립다세대·오피스텔·단독다가구)와 매수인 정보.",
     kRealEstate, 3'000, false},
    {DatasetId::kTourism, "tourism", "숙박 이용 내역", "Accommodation stays", "tourism",
     Tier::kPseudonymized, "다온숙박예약(주)",
     "숙박 예약 플랫폼의 투숙 기록(최근 1년): 투숙객 성명·연락처·생년월일, 지역, 숙박일수, "
     "결제금액.",
     kTourism, 15'000, false},
    {DatasetId::kConsumption, "consumption", "카드 결제 내역", "Card payments", "consumption",
     Tier::kPseudonymized, "새봄카드(주)",
     "신용·체크카드 승인 내역(최근 90일): 카드번호, 고객 주민등록번호·성명·연락처, 가맹점, 금액.",
     kConsumption, 100'000, false},
    {DatasetId::kFinance, "finance", "대출·신용 정보", "Loans and credit", "finance",
     Tier::kNonOpen, "미래상호금융",
     "개인 여신 계좌(최근 5년 실행분): 상품, 원금, 금리, 잔액, 연체, 신용점수, 연소득.", kFinance,
     6'000, false},
    {DatasetId::kTourismStats, "tourism_stats", "시군구별 월간 숙박 통계",
     "Monthly accommodation statistics by district", "tourism", Tier::kOpen, "다온숙박예약(주)",
     "숙박 이용 내역을 시군구·월 단위로 집계한 공개 통계. 숙박 5건 미만 셀은 공개하지 않음.",
     kTourismStats, 0, true},
}};

}  // namespace

std::string_view TierName(Tier tier) {
  switch (tier) {
    case Tier::kOpen: return "open";
    case Tier::kPseudonymized: return "pseudonymized";
    case Tier::kNonOpen: return "non_open";
  }
  return "non_open";
}

std::string_view ColumnRoleName(ColumnRole role) {
  switch (role) {
    case ColumnRole::kRecordKey: return "record_key";
    case ColumnRole::kIdentifier: return "identifier";
    case ColumnRole::kQuasiIdentifier: return "quasi_identifier";
    case ColumnRole::kSensitive: return "sensitive";
    case ColumnRole::kAttribute: return "attribute";
  }
  return "attribute";
}

std::span<const DatasetSpec> AllDatasets() { return kDatasets; }

const DatasetSpec& SpecOf(DatasetId id) { return kDatasets[static_cast<size_t>(id)]; }

std::optional<DatasetId> DatasetByName(std::string_view name) {
  for (const DatasetSpec& d : kDatasets)
    if (d.name == name) return d.id;
  return std::nullopt;
}

}  // namespace sz::synth
