#include "synth/noise.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/text.h"

namespace sz::synth {

namespace {

// Pairs of confusable jamo indices (Unicode order of initials, medials and finals).
using Pair = std::pair<int, int>;
// ㄱㅋ ㄱㄲ ㄷㅌ ㄷㄸ ㅂㅍ ㅂㅃ ㅅㅆ ㅈㅊ ㅈㅉ ㄴㄹ ㅇㅎ
constexpr std::array<Pair, 11> kInitialPairs = {
    {{0, 15}, {0, 1}, {3, 16}, {3, 4}, {7, 17}, {7, 8}, {9, 10}, {12, 14}, {12, 13}, {2, 5},
     {11, 18}}};
// ㅐㅔ ㅒㅖ ㅓㅗ ㅕㅛ ㅜㅡ ㅙㅚ ㅚㅞ ㅢㅣ ㅏㅑ ㅓㅕ ㅜㅠ ㅘㅝ
constexpr std::array<Pair, 12> kMedialPairs = {
    {{1, 5}, {3, 7}, {4, 8}, {6, 12}, {13, 18}, {10, 11}, {11, 15}, {19, 20}, {0, 2}, {4, 6},
     {13, 17}, {9, 14}}};
// ㄴㅇ ㄴㅁ ㅇ/none ㄴ/none ㄱ/none
constexpr std::array<Pair, 5> kFinalPairs = {{{4, 21}, {4, 16}, {21, 0}, {4, 0}, {1, 0}}};

template <size_t N>
std::vector<int> Alternatives(const std::array<Pair, N>& pairs, int index) {
  std::vector<int> out;
  for (const Pair& p : pairs) {
    if (p.first == index) out.push_back(p.second);
    if (p.second == index) out.push_back(p.first);
  }
  return out;
}

// Replaces one jamo of a Hangul syllable with a confusable one; returns cp unchanged if
// the syllable has nothing confusable (cannot happen: a final can always be added or
// dropped).
char32_t SlipSyllable(Rng& rng, char32_t cp) {
  unsigned s = cp - 0xAC00;
  int l = static_cast<int>(s / (21 * 28));
  int v = static_cast<int>((s % (21 * 28)) / 28);
  int t = static_cast<int>(s % 28);
  // Vowel slips are the most common: half of the time try the vowel first, otherwise a
  // random order of initial, vowel and final.
  std::array<int, 3> order = {0, 1, 2};
  for (int i = 2; i > 0; --i) std::swap(order[i], order[rng.Below(i + 1)]);
  if (rng.Bernoulli(0.5)) {
    auto vowel = std::find(order.begin(), order.end(), 1);
    std::rotate(order.begin(), vowel, vowel + 1);  // move it to the front
  }
  for (int which : order) {
    std::vector<int> alt = which == 0   ? Alternatives(kInitialPairs, l)
                           : which == 1 ? Alternatives(kMedialPairs, v)
                                        : Alternatives(kFinalPairs, t);
    if (alt.empty()) continue;
    int pick = alt[rng.Below(alt.size())];
    if (which == 0) l = pick;
    if (which == 1) v = pick;
    if (which == 2) t = pick;
    return static_cast<char32_t>(0xAC00 + (l * 21 + v) * 28 + t);
  }
  return cp;
}

}  // namespace

std::string_view NoiseName(NoiseKind kind) {
  switch (kind) {
    case NoiseKind::kNameTypo: return "name_typo";
    case NoiseKind::kAddressMoved: return "address_moved";
    case NoiseKind::kPhoneChanged: return "phone_changed";
    case NoiseKind::kDobTransposed: return "dob_transposed";
  }
  return "unknown";
}

std::vector<NoiseKind> ChooseNoise(Rng& rng, double rate, std::span<const NoiseKind> applicable) {
  std::vector<NoiseKind> out;
  if (applicable.empty() || !rng.Bernoulli(rate)) return out;
  out.push_back(applicable[rng.Below(applicable.size())]);
  if (applicable.size() > 1 && rng.Bernoulli(0.15)) {
    NoiseKind second = applicable[rng.Below(applicable.size() - 1)];
    if (second == out[0]) second = applicable.back();
    out.push_back(second);
  }
  return out;
}

std::string NameTypo(Rng& rng, std::string_view surname, std::string_view given) {
  std::u32string s = text::DecodeUtf8(surname);
  std::u32string g = text::DecodeUtf8(given);
  std::u32string& target = (g.empty() || rng.Bernoulli(0.2)) ? s : g;
  std::vector<size_t> hangul;
  for (size_t i = 0; i < target.size(); ++i)
    if (text::IsHangulSyllable(target[i])) hangul.push_back(i);
  if (!hangul.empty()) {
    size_t i = hangul[rng.Below(hangul.size())];
    target[i] = SlipSyllable(rng, target[i]);
  }
  std::string out;
  for (char32_t c : s) text::AppendUtf8(c, out);
  for (char32_t c : g) text::AppendUtf8(c, out);
  return out;
}

std::optional<Date> DobTransposed(Rng& rng, const Date& birth, const Date& latest) {
  std::string d = birth.Compact();
  std::array<int, 7> positions = {0, 1, 2, 3, 4, 5, 6};
  for (int i = 6; i > 0; --i) std::swap(positions[i], positions[rng.Below(i + 1)]);
  for (int p : positions) {
    if (d[p] == d[p + 1]) continue;
    std::string t = d;
    std::swap(t[p], t[p + 1]);
    Date candidate{std::stoi(t.substr(0, 4)), std::stoi(t.substr(4, 2)), std::stoi(t.substr(6, 2))};
    if (candidate.Valid() && candidate <= latest && candidate.year >= 1900) return candidate;
  }
  return std::nullopt;
}

}  // namespace sz::synth
