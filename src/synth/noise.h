// Realistic errors injected into a known share of synthetic records, so that record
// linkage and data-quality checks can be tested against ground truth.
//
// The kinds mirror what goes wrong when the same person is registered by different
// institutions: a mistyped name (one syllable replaced by a similar one through a
// single-jamo slip: a confusable vowel ㅐ/ㅔ, ㅓ/ㅗ, ㅕ/ㅛ, ㅜ/ㅡ, …, an aspirated or tensed
// initial ㄱ/ㅋ/ㄲ, ㄷ/ㅌ/ㄸ, …, or a final ㄴ/ㅇ/ㅁ), an address that is out of date
// (moved to another 읍면동), a changed mobile number, and a birth date with two adjacent
// digits transposed. Which datasets can carry which kind depends on their columns.
//
// Thread-safety: pure functions of their arguments and the caller's Rng.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synth/date.h"
#include "synth/random.h"

namespace sz::synth {

enum class NoiseKind { kNameTypo, kAddressMoved, kPhoneChanged, kDobTransposed };

// "name_typo", "address_moved", "phone_changed", "dob_transposed".
std::string_view NoiseName(NoiseKind kind);

// With probability `rate` picks one (85%) or two (15%) distinct kinds among `applicable`;
// otherwise returns an empty list.
std::vector<NoiseKind> ChooseNoise(Rng& rng, double rate, std::span<const NoiseKind> applicable);

// `surname` + `given` with one syllable changed by a single-jamo slip (the given name in
// 4 of 5 cases). The result always differs from the input and is valid Hangul.
std::string NameTypo(Rng& rng, std::string_view surname, std::string_view given);

// The date with two adjacent digits of YYYYMMDD swapped, if that yields a different valid
// date not after `latest`; nullopt if no swap does (e.g. 1999-11-11).
std::optional<Date> DobTransposed(Rng& rng, const Date& birth, const Date& latest);

}  // namespace sz::synth
