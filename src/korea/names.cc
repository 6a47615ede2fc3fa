#include "korea/names.h"

#include <array>

#include "common/text.h"

namespace sz::korea {

namespace {

// Census 2015 shares (rounded); 유 and 류 split as registered today.
constexpr std::array<Surname, 89> kSurnames = {{
    {"김", "kim", 0.2154},    {"이", "lee", 0.1468},     {"박", "park", 0.0844},
    {"최", "choi", 0.0467},   {"정", "jung", 0.0426},    {"강", "kang", 0.0235},
    {"조", "cho", 0.0210},    {"윤", "yoon", 0.0204},    {"장", "jang", 0.0199},
    {"임", "lim", 0.0166},    {"한", "han", 0.0151},     {"오", "oh", 0.0150},
    {"서", "seo", 0.0147},    {"신", "shin", 0.0146},    {"권", "kwon", 0.0138},
    {"황", "hwang", 0.0137},  {"안", "ahn", 0.0134},     {"송", "song", 0.0132},
    {"전", "jeon", 0.0110},   {"홍", "hong", 0.0110},    {"유", "yoo", 0.0106},
    {"고", "ko", 0.0093},     {"문", "moon", 0.0091},    {"양", "yang", 0.0090},
    {"손", "son", 0.0090},    {"배", "bae", 0.0079},
    {"백", "baek", 0.0075},   {"허", "heo", 0.0065},     {"류", "ryu", 0.0060},
    {"남", "nam", 0.0057},    {"심", "shim", 0.0053},    {"노", "noh", 0.0046},
    {"하", "ha", 0.0045},     {"곽", "kwak", 0.0041},    {"성", "sung", 0.0041},
    {"차", "cha", 0.0040},    {"주", "joo", 0.0040},     {"우", "woo", 0.0039},
    {"구", "koo", 0.0039},    {"민", "min", 0.0033},     {"진", "jin", 0.0032},
    {"나", "na", 0.0031},     {"지", "ji", 0.0031},      {"엄", "eom", 0.0029},
    {"채", "chae", 0.0026},   {"원", "won", 0.0026},     {"천", "cheon", 0.0025},
    {"방", "bang", 0.0024},   {"공", "kong", 0.0021},    {"현", "hyun", 0.0020},
    {"함", "ham", 0.0019},    {"변", "byun", 0.0019},    {"염", "yeom", 0.0016},
    {"여", "yeo", 0.0013},    {"추", "choo", 0.0012},    {"도", "do", 0.0011},
    {"소", "so", 0.0010},     {"석", "seok", 0.0009},    {"선", "sun", 0.0009},
    {"설", "seol", 0.0008},   {"마", "ma", 0.0008},      {"길", "gil", 0.0008},
    {"연", "yeon", 0.0008},   {"위", "wi", 0.0007},      {"표", "pyo", 0.0006},
    {"명", "myung", 0.0006},  {"기", "ki", 0.0006},      {"반", "ban", 0.0005},
    {"왕", "wang", 0.0005},   {"금", "keum", 0.0004},    {"옥", "ok", 0.0004},
    {"육", "yook", 0.0004},   {"인", "in", 0.0004},      {"맹", "maeng", 0.0003},
    {"제", "je", 0.0003},     {"모", "mo", 0.0003},      {"탁", "tak", 0.0003},
    {"국", "kook", 0.0002},   {"어", "eo", 0.0002},      {"은", "eun", 0.0002},
    {"편", "pyeon", 0.0002},  {"용", "yong", 0.0002},    {"남궁", "namgoong", 0.0004},
    {"황보", "hwangbo", 0.0002}, {"제갈", "jegal", 0.0001}, {"선우", "sunwoo", 0.0001},
    {"사공", "sagong", 0.0001}, {"서문", "seomun", 0.00004}, {"독고", "dokgo", 0.00004},
}};

using SV = std::string_view;

// Given-name syllables, from the most common names of each cohort.
constexpr std::array<SV, 16> kOldMale1 = {"영", "정", "상", "성", "광", "종", "재", "병",
                                          "기", "철", "동", "창", "용", "명", "진", "춘"};
constexpr std::array<SV, 16> kOldMale2 = {"수", "호", "철", "식", "환", "석", "훈", "남",
                                          "진", "근", "배", "기", "일", "길", "태", "복"};
constexpr std::array<SV, 16> kOldFemale1 = {"영", "순", "정", "미", "경", "명", "옥", "춘",
                                            "혜", "은", "말", "금", "복", "숙", "선", "희"};
constexpr std::array<SV, 14> kOldFemale2 = {"자", "숙", "희", "순", "옥", "애", "화",
                                            "란", "영", "미", "정", "례", "분", "녀"};
constexpr std::array<SV, 16> kMidMale1 = {"성", "재", "동", "현", "준", "상", "정", "영",
                                          "승", "진", "민", "지", "태", "석", "종", "용"};
constexpr std::array<SV, 16> kMidMale2 = {"호", "훈", "민", "우", "수", "진", "석", "환",
                                          "혁", "현", "준", "영", "철", "원", "규", "욱"};
constexpr std::array<SV, 16> kMidFemale1 = {"지", "은", "미", "수", "현", "혜", "유", "선",
                                            "민", "정", "소", "나", "보", "예", "하", "진"};
constexpr std::array<SV, 16> kMidFemale2 = {"영", "희", "정", "진", "은", "경", "연", "아",
                                            "주", "숙", "선", "미", "현", "라", "나", "윤"};
constexpr std::array<SV, 18> kNewMale1 = {"민", "서", "도", "예", "시", "하", "주", "지", "준",
                                          "건", "현", "우", "유", "은", "승", "태", "재", "윤"};
constexpr std::array<SV, 14> kNewMale2 = {"준", "윤", "우", "호", "후", "원", "진",
                                          "혁", "민", "성", "빈", "현", "서", "율"};
constexpr std::array<SV, 16> kNewFemale1 = {"서", "지", "하", "수", "민", "예", "채", "윤",
                                            "은", "다", "유", "소", "가", "아", "시", "나"};
constexpr std::array<SV, 14> kNewFemale2 = {"연", "윤", "은", "아", "서", "원", "린",
                                            "유", "진", "현", "빈", "민", "희", "율"};

// Common given names by cohort and sex, most popular first.
constexpr std::array<SV, 30> kOldMaleNames = {
    "영수", "영호", "영식", "정수", "정호", "상철", "성수", "성호", "종수", "광수",
    "영철", "재석", "병철", "용수", "명수", "진호", "춘식", "기수", "동수", "창호",
    "영길", "상호", "정식", "광호", "재호", "성철", "종철", "만수", "영태", "기철"};
constexpr std::array<SV, 30> kOldFemaleNames = {
    "순자", "영자", "정자", "영숙", "정숙", "명숙", "경숙", "순옥", "영희", "미자",
    "옥순", "춘자", "말순", "영순", "정순", "경자", "숙자", "순희", "옥자", "혜숙",
    "정희", "명자", "금순", "영애", "복순", "미숙", "경희", "은숙", "순덕", "점순"};
constexpr std::array<SV, 40> kMidMaleNames = {
    "지훈", "성민", "동현", "현우", "준호", "정훈", "성호", "민수", "상훈", "재훈",
    "성진", "준영", "민호", "승현", "현준", "동욱", "진우", "영진", "태영", "재영",
    "정민", "상현", "성훈", "우진", "민석", "재현", "현석", "종현", "영민", "승민",
    "동훈", "준혁", "경민", "태훈", "정우", "민규", "성욱", "대현", "용준", "석진"};
constexpr std::array<SV, 40> kMidFemaleNames = {
    "지현", "은영", "수진", "미영", "은정", "지영", "현정", "혜진", "선영", "정은",
    "민정", "유진", "은주", "수연", "지은", "미경", "혜정", "소영", "민지", "보람",
    "아름", "나영", "지혜", "은지", "미진", "선희", "정아", "현주", "윤정", "수정",
    "혜영", "지연", "미정", "은경", "희정", "주연", "다영", "세영", "하나", "슬기"};
constexpr std::array<SV, 40> kNewMaleNames = {
    "민준", "서준", "도윤", "예준", "시우", "하준", "주원", "지호", "지후", "준우",
    "준서", "건우", "도현", "현우", "지훈", "우진", "선우", "서진", "민재", "현준",
    "연우", "유준", "정우", "승우", "승현", "시윤", "준혁", "은우", "지환", "승민",
    "유찬", "윤우", "민성", "준영", "시후", "진우", "지원", "수현", "재윤", "동현"};
constexpr std::array<SV, 40> kNewFemaleNames = {
    "서연", "서윤", "지우", "서현", "민서", "하은", "하윤", "윤서", "지유", "지민",
    "채원", "지윤", "은서", "수아", "다은", "예은", "지아", "수빈", "소율", "예린",
    "예원", "지원", "소윤", "시은", "유나", "채은", "유진", "가은", "윤아", "아린",
    "하린", "예서", "수민", "다인", "서아", "연우", "민지", "수연", "지안", "나윤"};

// Pairs that form words people are not named after.
constexpr std::array<SV, 14> kAvoided = {"지진", "사기", "호구", "진상", "소변", "대변", "사망",
                                         "수치", "정신", "하자", "부상", "상처", "방구", "변기"};

// Revised Romanization jamo tables (initial 19, medial 21, final 28 incl. none).
constexpr std::array<SV, 19> kInitial = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                                         "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
constexpr std::array<SV, 21> kMedial = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo",
                                        "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                        "wo", "we", "wi", "yu",  "eu", "ui", "i"};
constexpr std::array<SV, 28> kFinal = {"",  "k", "k", "k", "n", "n", "n", "t", "l", "k",
                                       "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
                                       "t", "ng", "t", "t", "k", "t", "p", "t"};

}  // namespace

std::span<const Surname> Surnames() { return kSurnames; }

NameCohort CohortOf(int birth_year) {
  if (birth_year < 1970) return NameCohort::kBefore1970;
  if (birth_year < 1995) return NameCohort::k1970To1994;
  return NameCohort::kFrom1995;
}

std::span<const SV> CommonGivenNames(NameCohort cohort, bool male) {
  switch (cohort) {
    case NameCohort::kBefore1970:
      return male ? std::span<const SV>(kOldMaleNames) : std::span<const SV>(kOldFemaleNames);
    case NameCohort::k1970To1994:
      return male ? std::span<const SV>(kMidMaleNames) : std::span<const SV>(kMidFemaleNames);
    case NameCohort::kFrom1995:
      break;
  }
  return male ? std::span<const SV>(kNewMaleNames) : std::span<const SV>(kNewFemaleNames);
}

bool IsAvoidedGivenName(std::string_view given) {
  for (SV a : kAvoided)
    if (a == given) return true;
  return false;
}

GivenNameSyllables GivenSyllables(NameCohort cohort, bool male) {
  switch (cohort) {
    case NameCohort::kBefore1970:
      return male ? GivenNameSyllables{kOldMale1, kOldMale2}
                  : GivenNameSyllables{kOldFemale1, kOldFemale2};
    case NameCohort::k1970To1994:
      return male ? GivenNameSyllables{kMidMale1, kMidMale2}
                  : GivenNameSyllables{kMidFemale1, kMidFemale2};
    case NameCohort::kFrom1995:
      break;
  }
  return male ? GivenNameSyllables{kNewMale1, kNewMale2}
              : GivenNameSyllables{kNewFemale1, kNewFemale2};
}

std::string Romanize(std::string_view hangul) {
  std::string out;
  for (char32_t cp : text::DecodeUtf8(hangul)) {
    if (text::IsHangulSyllable(cp)) {
      // Unicode §3.12: S = 0xAC00 + (L * 21 + V) * 28 + T.
      unsigned index = cp - 0xAC00;
      out += kInitial[index / (21 * 28)];
      out += kMedial[(index % (21 * 28)) / 28];
      out += kFinal[index % 28];
    } else if ((cp >= U'a' && cp <= U'z') || (cp >= U'0' && cp <= U'9')) {
      out += static_cast<char>(cp);
    } else if (cp >= U'A' && cp <= U'Z') {
      out += static_cast<char>(cp - U'A' + U'a');
    }
  }
  return out;
}

std::string CustomarySurname(std::string_view surname) {
  for (const Surname& s : kSurnames)
    if (s.hangul == surname) return std::string(s.customary);
  return Romanize(surname);
}

}  // namespace sz::korea
