#include "pseudo/values.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace sz::pseudo {
namespace {

std::optional<std::string> MaskOf(const MaskRule& rule, std::string_view in) {
  std::string out;
  if (!Masker(rule).Mask(in, out)) return std::nullopt;
  return out;
}

TEST(MaskTest, KeepFirstAndLastAndCharacterClasses) {
  MaskRule r;
  r.keep_first = 1;
  EXPECT_EQ(*MaskOf(r, "홍길동"), "홍**");
  r.keep_first = 0;
  r.keep_last = 4;
  r.only = MaskClass::kDigits;
  EXPECT_EQ(*MaskOf(r, "010-1234-5678"), "***-****-5678");
  r.keep_last = 0;
  r.only = MaskClass::kHangul;
  r.mask_char = "○";
  EXPECT_EQ(*MaskOf(r, "김A철3"), "○A○3");
  r = MaskRule{};
  r.keep_first = 10;  // longer than the value: nothing masked
  EXPECT_EQ(*MaskOf(r, "abc"), "abc");
  r.keep_first = 2;
  r.keep_last = 2;
  r.mask_char = "#";
  EXPECT_EQ(*MaskOf(r, "abcdefg"), "ab###fg");
  r.only = MaskClass::kAlnum;
  EXPECT_EQ(*MaskOf(r, "ab-cd.efg"), "ab-##.#fg");
}

TEST(MaskTest, FixedPatterns) {
  MaskRule r;
  r.patterns = {"######-1******", "######-2******"};
  EXPECT_EQ(*MaskOf(r, "900101-1234567"), "900101-1******");
  EXPECT_EQ(*MaskOf(r, "900101-2234567"), "900101-2******");
  EXPECT_FALSE(MaskOf(r, "900101-3234567"));   // literal '1'/'2' must match
  EXPECT_FALSE(MaskOf(r, "9001011234567"));    // no hyphen
  EXPECT_FALSE(MaskOf(r, "900101-12345678"));  // too long
  EXPECT_FALSE(MaskOf(r, "900101-123456"));    // too short
  r.patterns = {"\\#***"};
  EXPECT_EQ(*MaskOf(r, "#abc"), "#***");
  EXPECT_FALSE(MaskOf(r, "xabc"));
}

TEST(PseudonymTest, HmacSha256IsTheRfc4231MacTruncated) {
  PseudonymRule rule;
  rule.length = 16;
  auto p = Pseudonymizer::Create(rule, crypto::SecretBytes::Copy(std::string(20, '\x0b')));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Pseudonym("Hi There"), "b0344c61d8db3853");  // RFC 4231 test case 1
  rule.encoding = DigestEncoding::kBase32;
  rule.length = 13;
  p = Pseudonymizer::Create(rule, crypto::SecretBytes::Copy(std::string(20, '\x0b')));
  EXPECT_EQ(p->Pseudonym("Hi There"), "wa2eyyoy3m4fg");
  EXPECT_EQ(Pseudonymizer::Create(rule, crypto::SecretBytes::Copy("Jefe")).status().code(),
            Code::kInvalidArgument);
}

TEST(PseudonymTest, Blake2bKeyed) {
  PseudonymRule rule;
  rule.algorithm = HashAlgorithm::kBlake2b;
  rule.length = 64;
  std::string key;
  for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(i));
  auto p = Pseudonymizer::Create(rule, crypto::SecretBytes::Copy(key));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Pseudonym("abc"),
            "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f");
}

TEST(FormatTokenTest, PreservesSeparatorsAndRoundTrips) {
  TokenRule rule;
  rule.method = TokenMethod::kFf1;
  auto t = FormatTokenizer::Create(rule, crypto::SecretBytes::Copy(std::string(16, 'k')));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  FormatTokenizer::Session s(*t);
  std::vector<std::string_view> in = {"900101-1234567", "010-1234-5678", "4111 1111 1111 1111",
                                      "12-34",          "9001011234567", "A00101-1234567"};
  std::vector<std::optional<std::string>> out;
  ASSERT_TRUE(s.Run(in, false, out).ok());
  ASSERT_TRUE(out[0] && out[1] && out[2] && out[4]);
  EXPECT_EQ(out[0]->size(), 14u);
  EXPECT_EQ((*out[0])[6], '-');
  EXPECT_NE(*out[0], in[0]);
  EXPECT_EQ((*out[1])[3], '-');
  EXPECT_EQ((*out[1])[8], '-');
  EXPECT_EQ((*out[2])[4], ' ');
  EXPECT_FALSE(out[3]);  // 4 digits: below FF1's minimum domain of 10^6
  EXPECT_FALSE(out[5]);  // 'A' is neither a digit nor a separator
  // The digits encrypt alike with or without the hyphen (separators are not encrypted).
  std::string no_hyphen = *out[0];
  no_hyphen.erase(6, 1);
  EXPECT_EQ(*out[4], no_hyphen);
  std::vector<std::string_view> back_in = {*out[0], *out[1], *out[2]};
  std::vector<std::optional<std::string>> back;
  ASSERT_TRUE(s.Run(back_in, true, back).ok());
  EXPECT_EQ(*back[0], in[0]);
  EXPECT_EQ(*back[1], in[1]);
  EXPECT_EQ(*back[2], in[2]);
}

TEST(FormatTokenTest, AlphanumericAlphabets) {
  TokenRule rule;
  rule.method = TokenMethod::kFf1;
  rule.alphabet = Ff1Alphabet::kAlnumUpper;
  auto t = FormatTokenizer::Create(rule, crypto::SecretBytes::Copy(std::string(32, 'k')));
  ASSERT_TRUE(t.ok());
  FormatTokenizer::Session s(*t);
  std::vector<std::string_view> in = {"M12345678", "m12345678"};
  std::vector<std::optional<std::string>> out;
  ASSERT_TRUE(s.Run(in, false, out).ok());
  ASSERT_TRUE(out[0]);
  for (char c : *out[0]) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) << *out[0];
  EXPECT_FALSE(out[1]);  // lowercase is outside the uppercase alphabet
}

TEST(SivTokenTest, RoundTripAndContextBinding) {
  TokenRule rule;
  rule.context = "purpose-A";
  auto key = crypto::SecretBytes::Copy(std::string(32, 's'));
  auto t = SivTokenizer::Create(rule, key);
  ASSERT_TRUE(t.ok());
  AesSiv::Session session(t->siv());
  std::string token;
  ASSERT_TRUE(t->Tokenize(session, "홍길동", token).ok());
  EXPECT_EQ(token.size(), 34u);  // 25 bytes (16 + 9): 8 groups of 4 chars + 2, unpadded
  EXPECT_EQ(token.find_first_of("+/="), std::string::npos);
  EXPECT_EQ(*t->Detokenize(token), "홍길동");
  rule.context = "purpose-B";
  auto other = SivTokenizer::Create(rule, key);
  EXPECT_EQ(other->Detokenize(token).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(t->Detokenize("not base64!").status().code(), Code::kInvalidArgument);
}

TEST(GeneralizeTest, IntervalsRoundingAndCoding) {
  GeneralizeRule r;
  r.width = 10;
  EXPECT_EQ(IntervalLabel(r, 37, true), "30-39");
  EXPECT_EQ(IntervalLabel(r, -1, true), "-10--1");
  EXPECT_EQ(IntervalLabel(r, 37.5, false), "[30,40)");
  r.offset = 5;
  EXPECT_EQ(IntervalLabel(r, 37, true), "35-44");
  r.offset = 0;
  r.top = 80;
  r.bottom = 20;
  EXPECT_EQ(IntervalLabel(r, 80, true), "80+");
  EXPECT_EQ(IntervalLabel(r, 19, true), "<20");
  EXPECT_EQ(IntervalLabel(r, 20, true), "20-29");
  r.width = 2.5;
  r.top.reset();
  r.bottom.reset();
  EXPECT_EQ(IntervalLabel(r, 3, true), "[2.5,5)");
  EXPECT_EQ(RoundToBase(1234, 100), 1200);
  EXPECT_EQ(RoundToBase(1250, 100), 1300);
  EXPECT_EQ(RoundToBase(-1250, 100), -1300);
  EXPECT_DOUBLE_EQ(RoundToBase(0.26, 0.5), 0.5);
  GeneralizeRule tb;
  tb.top = 1000000;
  tb.bottom = 0;
  EXPECT_EQ(TopBottom(tb, 2500000), 1000000);
  EXPECT_EQ(TopBottom(tb, -5), 0);
  EXPECT_EQ(TopBottom(tb, 42), 42);
}

TEST(GeneralizeTest, AgeBandsAndPrefixes) {
  GeneralizeRule r;
  r.width = 5;
  r.top = 85;
  EXPECT_EQ(*AgeBandLabel(r, 0), "0-4");
  EXPECT_EQ(*AgeBandLabel(r, 34), "30-34");
  EXPECT_EQ(*AgeBandLabel(r, 85), "85+");
  EXPECT_EQ(*AgeBandLabel(r, 101), "85+");
  EXPECT_FALSE(AgeBandLabel(r, -1));
  r.width = 10;  // the band below top is cut at top - 1
  EXPECT_EQ(*AgeBandLabel(r, 82), "80-84");
  r.width = 1;
  r.top.reset();
  EXPECT_EQ(*AgeBandLabel(r, 42), "42");
  EXPECT_EQ(PrefixOf("06236", 3, ""), "062");
  EXPECT_EQ(PrefixOf("06236", 3, "*"), "062**");
  EXPECT_EQ(PrefixOf("서울특별시", 2, ""), "서울");
  EXPECT_EQ(PrefixOf("12", 3, "*"), "12");
}

TEST(NoiseTest, ZeroNoiseIsNotPrivateAndSecureNoiseIsBounded) {
  NoiseRule rule;
  rule.bound = 10;
  std::vector<double> draws(1000);
  ZeroNoise zero;
  EXPECT_FALSE(zero.is_private());
  zero.Sample(rule, draws);
  for (double d : draws) EXPECT_EQ(d, 0);
  SecureNoise secure;
  EXPECT_TRUE(secure.is_private());
  secure.Sample(rule, draws);
  std::set<double> distinct(draws.begin(), draws.end());
  EXPECT_GT(distinct.size(), 990u);
  for (double d : draws) EXPECT_LE(std::fabs(d), 10);
  rule.distribution = NoiseDistribution::kLaplace;
  rule.scale = 100;  // most draws exceed the bound and are clamped to it
  secure.Sample(rule, draws);
  int clamped = 0;
  for (double d : draws) {
    EXPECT_LE(std::fabs(d), 10);
    clamped += std::fabs(d) == 10;
  }
  EXPECT_GT(clamped, 800);  // P(|X| > 10) = e^{-0.1} ~ 0.90
}

TEST(DateShiftTest, SamePersonSameOffsetWithinRange) {
  DateShiftRule rule;
  rule.max_days = 30;
  auto shifter = DateShifter::Create(rule, crypto::SecretBytes::Copy(std::string(32, 'd')));
  ASSERT_TRUE(shifter.ok());
  std::set<int32_t> offsets;
  for (int i = 0; i < 500; ++i) {
    int32_t off = shifter->Offset("person-" + std::to_string(i));
    EXPECT_GE(off, -30);
    EXPECT_LE(off, 30);
    offsets.insert(off);
  }
  EXPECT_GT(offsets.size(), 50u);  // 61 possible offsets, 500 people
  EXPECT_EQ(shifter->Offset("person-7"), shifter->Offset("person-7"));
  auto other = DateShifter::Create(rule, crypto::SecretBytes::Copy(std::string(32, 'e')));
  int differ = 0;
  for (int i = 0; i < 100; ++i) {
    std::string p = "person-" + std::to_string(i);
    differ += shifter->Offset(p) != other->Offset(p);
  }
  EXPECT_GT(differ, 80);  // another key, other offsets
  // Hand check: offset = (first 8 bytes of HMAC as u64) mod 61 - 30.
  Digest32 d = HmacSha256Key(std::string(32, 'd')).Mac("person-7");
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | d[i];
  EXPECT_EQ(shifter->Offset("person-7"), static_cast<int32_t>(v % 61) - 30);
}

}  // namespace
}  // namespace sz::pseudo
