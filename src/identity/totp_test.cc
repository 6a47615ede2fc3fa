#include "identity/totp.h"

#include <gtest/gtest.h>

namespace sz::identity {
namespace {

// RFC 6238 Appendix B seeds: the ASCII digits repeated to the hash's block-friendly size.
const std::string kSeed20 = "12345678901234567890";
const std::string kSeed32 = "12345678901234567890123456789012";
const std::string kSeed64 = "1234567890123456789012345678901234567890123456789012345678901234";

TEST(Totp, Rfc6238TestVectors) {
  struct Vector {
    int64_t time;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  };
  const Vector kVectors[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const Vector& v : kVectors) {
    Time t = FromUnix(v.time);
    EXPECT_EQ(Totp(kSeed20, t, {TotpAlgorithm::kSha1, 8, 30}), v.sha1) << v.time;
    EXPECT_EQ(Totp(kSeed32, t, {TotpAlgorithm::kSha256, 8, 30}), v.sha256) << v.time;
    EXPECT_EQ(Totp(kSeed64, t, {TotpAlgorithm::kSha512, 8, 30}), v.sha512) << v.time;
  }
}

TEST(Totp, Rfc4226HotpVectors) {
  const char* kExpected[] = {"755224", "287082", "359152", "969429", "338314",
                             "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t c = 0; c < 10; ++c) {
    EXPECT_EQ(Hotp(kSeed20, c, 6, TotpAlgorithm::kSha1), kExpected[c]) << c;
  }
}

TEST(Totp, DefaultsAreSixDigitsSha1ThirtySeconds) {
  // 59 s is step 1; the 8-digit SHA-1 vector is 94287082, so 6 digits are its last six.
  EXPECT_EQ(Totp(kSeed20, FromUnix(59)), "287082");
  EXPECT_EQ(TotpStep(FromUnix(59)), 1);
  EXPECT_EQ(TotpStep(FromUnix(60)), 2);
}

TEST(Totp, AcceptsOneStepEitherSideAndNoMore) {
  Time now = FromUnix(1'700'000'000);
  int64_t step = TotpStep(now);
  auto code_at = [&](int64_t s) {
    return Hotp(kSeed20, static_cast<uint64_t>(s), 6, TotpAlgorithm::kSha1);
  };
  EXPECT_EQ(MatchTotp(kSeed20, code_at(step), now, std::nullopt), step);
  EXPECT_EQ(MatchTotp(kSeed20, code_at(step - 1), now, std::nullopt), step - 1);
  EXPECT_EQ(MatchTotp(kSeed20, code_at(step + 1), now, std::nullopt), step + 1);
  EXPECT_EQ(MatchTotp(kSeed20, code_at(step - 2), now, std::nullopt), std::nullopt);
  EXPECT_EQ(MatchTotp(kSeed20, code_at(step + 2), now, std::nullopt), std::nullopt);
  EXPECT_EQ(MatchTotp(kSeed20, "12345", now, std::nullopt), std::nullopt);  // wrong length
}

TEST(Totp, ACodeOrAnOlderStepCannotBeReused) {
  Time now = FromUnix(1'700'000'000);
  int64_t step = TotpStep(now);
  std::string current = Totp(kSeed20, now);
  std::string previous = Hotp(kSeed20, static_cast<uint64_t>(step - 1), 6, TotpAlgorithm::kSha1);
  // After `step` was used, neither it nor the still-in-window previous step is accepted.
  EXPECT_EQ(MatchTotp(kSeed20, current, now, step), std::nullopt);
  EXPECT_EQ(MatchTotp(kSeed20, previous, now, step), std::nullopt);
  // The next step is.
  std::string next = Hotp(kSeed20, static_cast<uint64_t>(step + 1), 6, TotpAlgorithm::kSha1);
  EXPECT_EQ(MatchTotp(kSeed20, next, now, step), step + 1);
}

TEST(Base32, Rfc4648Vectors) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(*Base32Decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(*Base32Decode("mzxw 6ytb oi"), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1").ok());  // '1' is not in the alphabet
  // The RFC 6238 seed as authenticator apps receive it.
  EXPECT_EQ(Base32Encode(kSeed20), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Totp, EnrolmentMakesATwentyByteSecretAndAProvisioningUri) {
  TotpEnrolment e = NewTotpEnrolment("Safe Zone", "kim");
  EXPECT_EQ(e.secret.size(), kTotpSecretBytes);
  EXPECT_EQ(e.secret_base32.size(), 32u);  // 160 bits / 5
  EXPECT_EQ(*Base32Decode(e.secret_base32), std::string(e.secret.view()));
  EXPECT_EQ(e.uri, "otpauth://totp/Safe%20Zone:kim?secret=" + e.secret_base32 +
                       "&issuer=Safe%20Zone&algorithm=SHA1&digits=6&period=30");
  TotpEnrolment other = NewTotpEnrolment("Safe Zone", "kim");
  EXPECT_NE(other.secret_base32, e.secret_base32);
}

}  // namespace
}  // namespace sz::identity
