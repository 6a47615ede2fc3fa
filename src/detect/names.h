// Validators for personal names and sex codes, one value at a time.
//
// Korean names: 2-4 Hangul syllables, the first one (or two) a surname. The surname
// table holds the ~120 most common single-syllable surnames of the 2015 Population and
// Housing Census (Statistics Korea, 성씨·본관 집계), covering over 99% of the population,
// plus the two-syllable surnames 남궁, 황보, 제갈, 사공, 선우, 서문, 독고, 동방. An
// optional single space may separate surname and given name ("김 민수").
//
// Many everyday words also start with a surname syllable (이상, 정상, 전체): a few
// frequent ones are refused here; the rest is left to the column rule in profile.cc,
// which demands many distinct values before it calls a column "names".
//
// Romanized names are a weaker signal: any 1-3 Latin words could be a name, so the
// check reports the shape and, separately, whether a word is a common romanized Korean
// surname (Kim, Lee, Park, Choi, ...; Revised Romanization and McCune-Reischauer forms).
//
// Thread-safety: pure functions over immutable tables.
#pragma once

#include <string_view>

namespace sz::detect {

bool IsKoreanPersonName(std::string_view text);

struct RomanizedNameCheck {
  bool shape = false;           // 1-3 Latin words (letters, inner '-', '\'', '.')
  bool korean_surname = false;  // one word is a romanized Korean surname
};
RomanizedNameCheck CheckRomanizedName(std::string_view text);

// 남/여, 남자/여자, 남성/여성, M/F, male/female (ASCII case-insensitive).
bool IsSexValue(std::string_view text);

}  // namespace sz::detect
