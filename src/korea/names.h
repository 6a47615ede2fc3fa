// Korean personal names: surname frequencies, given-name syllables by generation, and
// Revised Romanization for e-mail local parts and Latin-script fields.
//
// Surname shares follow Statistics Korea's 2015 census (인구주택총조사, 성씨·본관): 김
// 21.5%, 이 14.7%, 박 8.4%, 최 4.7%, 정 4.3%, … including two-syllable surnames (남궁,
// 황보, 제갈, 선우, 사공, 서문, 독고). 유 and 류 are listed separately as written today.
// Given names are grouped by birth cohort and sex, reflecting the well-known shift from
// names such as 영수/순자 (1950s) to 지훈/지현 (1980s) and 민준/서연 (2010s).
//
// Romanization follows the Revised Romanization of Korean (국어의 로마자 표기법, Ministry of
// Culture and Tourism notice 2000-8): each syllable is decomposed into its jamo
// (initial/medial/final, Unicode §3.12 Hangul syllable decomposition) and transcribed;
// as the rules allow for personal names, sound changes between syllables are not
// transcribed. CustomarySurname gives the spelling most people actually use in
// passports and e-mail addresses (이 → lee, 박 → park, 최 → choi) where it differs.
//
// Thread-safety: immutable data and pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace sz::korea {

struct Surname {
  std::string_view hangul;      // "김"
  std::string_view customary;   // "kim": the usual Latin spelling
  double share;                 // fraction of the population (census 2015)
};

// Ordered by share, largest first (two-syllable surnames last). The listed surnames
// cover ~94.5% of the population; generators normalize by the listed total.
std::span<const Surname> Surnames();

enum class NameCohort { kBefore1970, k1970To1994, kFrom1995 };
NameCohort CohortOf(int birth_year);

// The most common given names of a birth cohort and sex, most popular first (from
// published rankings of registered births and of the resident population by birth year).
std::span<const std::string_view> CommonGivenNames(NameCohort cohort, bool male);

// Syllables used in first / second position of the cohort's two-syllable given names, for
// names outside the common list.
struct GivenNameSyllables {
  std::span<const std::string_view> first;
  std::span<const std::string_view> second;
};
GivenNameSyllables GivenSyllables(NameCohort cohort, bool male);

// Syllable pairs that are words nobody is named (지진 "earthquake", …).
bool IsAvoidedGivenName(std::string_view given);

// Revised Romanization, lower case, syllable by syllable ("홍길동" → "honggildong").
// Characters that are not Hangul syllables are copied if they are ASCII letters or digits
// and dropped otherwise.
std::string Romanize(std::string_view hangul);

// The customary spelling of a listed surname, else Romanize(surname).
std::string CustomarySurname(std::string_view surname);

}  // namespace sz::korea
