#include "detect/column_hints.h"

#include <string>
#include <vector>

#include "common/text.h"

namespace sz::detect {

namespace {

struct Rule {
  HintKind kind;
  Role role;
  std::string_view label;
  // Vectors, not initializer_lists: a list's backing array would die with the
  // full-expression that builds the table.
  std::vector<std::string_view> korean;
  std::vector<std::string_view> english;
  std::vector<std::string_view> unless = {};  // English tokens that veto the rule
};

using enum HintKind;
constexpr Role kDirect = Role::kDirectIdentifier;
constexpr Role kQuasi = Role::kQuasiIdentifier;
constexpr Role kSens = Role::kSensitive;

// Order matters: see the header.
const std::vector<Rule>& Rules() {
  static const std::vector<Rule> kRules = {
      {kForeignRrn, kDirect, "foreign registration number",
       {"외국인등록번호", "외국인번호", "외국인등록"},
       {"alien_reg*", "foreigner_id", "foreign_id", "arc_no"}},
      {kRrn, kDirect, "RRN",
       {"주민등록번호", "주민번호", "주민등록", "주민"},
       {"rrn", "jumin*", "resident_reg*", "resident_no", "resident_number", "ssn"}},
      {kCardNumber, kDirect, "card number",
       {"카드번호"},
       {"card_no", "card_num*", "cardno", "cardnum*", "credit_card*", "creditcard*", "pan"}},
      {kBankAccount, kDirect, "bank account",
       {"계좌"},
       {"account_no", "account_num*", "accountno", "accountnum*", "acct", "acct_no",
        "acct_num*", "bank_account*", "iban"}},
      {kBusinessNumber, kDirect, "business registration number",
       {"사업자번호", "사업자등록"},
       {"business_no", "business_num*", "business_reg*", "biz_no", "bizno", "brn"}},
      {kIpAddress, kDirect, "IP address",
       {"아이피"},
       {"ip", "ip_addr*", "ipaddr*", "client_ip", "remote_addr*"}},
      {kPhone, kDirect, "phone number",
       {"전화", "휴대폰", "핸드폰", "연락처", "폰번호"},
       {"phone*", "mobile*", "tel", "telephone", "cell", "cellphone", "contact_no",
        "contact_num*", "hp", "hp_no"}},
      {kEmail, kDirect, "e-mail", {"이메일", "전자우편", "메일"}, {"email*", "e_mail", "mail"}},
      {kDateOfBirth, kQuasi, "birth date",
       {"생년월일", "생일", "출생"},
       {"birth*", "dob", "date_of_birth", "bday", "born"}},
      {kPersonName, kDirect, "personal name",
       {"성명", "이름", "성함", "고객명", "회원명", "환자명", "가입자명", "대표자명", "담당자명",
        "예금주", "수취인", "보호자명", "학생명", "직원명", "사원명", "피보험자", "신청인"},
       {"name", "surname*", "firstname*", "lastname*", "fullname", "givenname*", "fname",
        "lname", "username", "nickname"},
       {"product", "company", "file", "item", "store", "shop", "brand", "place", "street",
        "road", "city", "station", "bank", "host", "domain", "region", "building", "business",
        "merchant", "category", "type", "model", "app", "device", "event", "course", "program",
        "dept", "department", "school", "org", "organization", "hospital", "project", "table",
        "column", "dataset", "country", "state", "sido", "sigungu", "disease", "drug", "job",
        "menu", "goods", "service", "team", "group", "class", "field", "key", "tag"}},
      {kAddress, kDirect, "address",
       {"주소", "소재지", "거주지", "번지", "도로명"},
       {"address*", "addr*", "street*", "road_name", "house_no", "house_num*", "building_no"},
       {"mac", "ip", "email", "mail"}},
      {kRegion, kQuasi, "region",
       {"시도", "시군구", "읍면동", "행정동", "법정동", "지역", "시군", "구군"},
       {"region*", "city", "state", "province", "district", "county", "suburb", "town", "sido",
        "sigungu", "area_name"}},
      {kPostalCode, kQuasi, "postal code",
       {"우편번호", "우편"},
       {"zip*", "postcode*", "postal*", "post_code"}},
      {kSex, kQuasi, "sex", {"성별"}, {"sex", "gender"}},
      {kAge, kQuasi, "age", {"나이", "연령"}, {"age", "age_group", "ageband", "age_band"}},
      {kDemographic, kQuasi, "demographic attribute",
       {"직업", "직종", "국적", "혼인", "결혼", "학력", "인종"},
       {"occupation", "job", "nationality", "marital*", "education", "race", "ethnicity",
        "native_country", "workclass"}},
      {kEventDate, Role::kOther, "event date",
       {"일자", "일시", "날짜", "년월일", "등록일", "가입일", "접수일", "발생일", "기준일",
        "시작일", "종료일", "거래일", "방문일"},
       {"date", "datetime", "time", "timestamp", "created*", "updated*", "ymd", "dt"}},
      {kSensitive, kSens, "income",
       {"소득", "연봉", "급여", "월급", "수입", "임금"},
       {"income*", "salary", "salaries", "wage*", "pay", "earnings"}},
      {kSensitive, kSens, "financial amount",
       {"금액", "잔액", "잔고", "대출", "부채", "채무", "연체", "자산"},
       {"amount", "amt", "balance", "loan*", "debt*", "arrears", "overdue", "asset*",
        "deposit*"}},
      {kSensitive, kSens, "credit information",
       {"신용"},
       {"credit*", "fico"}},
      {kSensitive, kSens, "health information",
       {"진단", "질병", "병명", "상병", "처방", "병력", "장애", "건강", "질환", "수술", "입원"},
       {"diagnosis", "disease*", "icd*", "health*", "medical", "illness", "prescription*",
        "disability"}},
      {kSensitive, kSens, "beliefs or memberships",
       {"종교", "정당", "노조", "사상"},
       {"religion", "political*", "union_member*"}},
      {kIdentifier, kDirect, "personal identifier",
       {"회원번호", "고객번호", "환자번호", "가입자번호", "학번", "사번", "아이디", "여권",
        "면허번호", "보험증번호", "일련번호"},
       {"id", "uid", "soc_sec*", "social_sec*", "passport*", "license_no",
        "licence_no", "driver_lic*", "member_no", "customer_no", "patient_no"},
       // Ids of things, not people.
       {"product", "item", "goods", "category", "store", "shop", "merchant", "station",
        "branch", "department", "dept", "model", "type", "class", "menu", "service"}},
  };
  return kRules;
}

// Lower-cased ASCII tokens: split at anything not [A-Za-z0-9] and before an upper-case
// letter that follows a lower-case one ("birthDate" -> birth, date).
std::vector<std::string> Tokens(std::string_view name) {
  std::vector<std::string> out;
  std::string cur;
  char prev = 0;
  for (char c : name) {
    bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
    if (!upper && !lower && !digit) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      if (upper && prev >= 'a' && prev <= 'z' && !cur.empty()) {
        out.push_back(std::move(cur));
        cur.clear();
      }
      cur += static_cast<char>(upper ? c + ('a' - 'A') : c);
    }
    prev = c;
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

bool EnglishMatch(const std::string& joined, std::string_view keyword) {
  bool prefix = keyword.ends_with('*');
  if (prefix) keyword.remove_suffix(1);
  std::string needle = "_" + std::string(keyword);
  if (!prefix) needle += "_";
  return joined.find(needle) != std::string::npos;
}

}  // namespace

ColumnHint HintFromColumnName(std::string_view name) {
  std::string nfc = text::NormalizeNfc(name);
  std::vector<std::string> tokens = Tokens(nfc);
  std::string joined = "_";
  for (const auto& t : tokens) joined += t + "_";
  for (const Rule& rule : Rules()) {
    bool hit = false;
    for (auto k : rule.korean) hit = hit || nfc.find(k) != std::string::npos;
    for (auto k : rule.english) hit = hit || EnglishMatch(joined, k);
    if (!hit) continue;
    bool vetoed = false;
    for (auto u : rule.unless) vetoed = vetoed || EnglishMatch(joined, u);
    if (vetoed) continue;
    return {rule.kind, rule.role, rule.label};
  }
  return {};
}

}  // namespace sz::detect
