// Published test vectors for the pseudonymization primitives: HMAC-SHA-256 (RFC 4231),
// AES-SIV (RFC 5297 Appendix A), FF1 (NIST SP 800-38G samples 1-9), plus keyed BLAKE2b
// against an independent implementation (Python hashlib) and the pseudonym encodings.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/secret.h"
#include "pseudo/aes_siv.h"
#include "pseudo/ff1.h"
#include "pseudo/keyed_hash.h"

namespace sz::pseudo {
namespace {

std::string Hex(std::string_view hex) { return *crypto::FromHex(hex); }
std::string HexOf(const Digest32& d, size_t bytes = 32) {
  return crypto::ToHex(std::string_view(reinterpret_cast<const char*>(d.data()), bytes));
}

struct HmacCase {
  std::string key, data, mac_hex;
};

TEST(HmacSha256Test, Rfc4231Vectors) {
  std::vector<HmacCase> cases = {
      {std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {Hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const auto& c : cases) {
    HmacSha256Key key(c.key);
    EXPECT_EQ(HexOf(key.Mac(c.data)), c.mac_hex) << c.data;
  }
  // Test case 5: output truncated to 128 bits.
  HmacSha256Key key5(std::string(20, '\x0c'));
  EXPECT_EQ(HexOf(key5.Mac("Test With Truncation"), 16), "a3b6167473100ee06e0c796c2955552b");
}

TEST(HmacSha256Test, KeyStateIsReusable) {
  HmacSha256Key key("Jefe");
  Digest32 first = key.Mac("what do ya want for nothing?");
  key.Mac("something else entirely");
  EXPECT_EQ(key.Mac("what do ya want for nothing?"), first);
}

TEST(Blake2bTest, MatchesIndependentImplementation) {
  // python3: hashlib.blake2b(b'abc', key=bytes(range(32)), digest_size=32).hexdigest()
  std::string key32;
  for (int i = 0; i < 32; ++i) key32.push_back(static_cast<char>(i));
  EXPECT_EQ(HexOf(Blake2bKey(key32).Mac("abc")),
            "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f");
  std::string key64;
  for (int i = 0; i < 64; ++i) key64.push_back(static_cast<char>(i));
  EXPECT_EQ(HexOf(Blake2bKey(key64).Mac("")),
            "2fa9fbd9be36437de204e139e97d402bce68c828f43391608c891b5faed8a98a");
}

TEST(EncodingTest, HexAndBase32Prefixes) {
  Digest32 d = HmacSha256Key(std::string(20, '\x0b')).Mac("Hi There");
  EXPECT_EQ(HexPrefix(d, 16), "b0344c61d8db3853");
  EXPECT_EQ(HexPrefix(d, 5), "b0344");
  // python3: base64.b32encode(digest).lower()
  EXPECT_EQ(Base32Prefix(d, 52), "wa2eyyoy3m4fgxfiv7hk6c7rfoeb3qqazgbt3jzg5e3wylrsz73q");
  EXPECT_EQ(Base32Prefix(d, 13), "wa2eyyoy3m4fg");
}

TEST(AesSivTest, Rfc5297DeterministicVector) {
  auto siv =
      AesSiv::Create(Hex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
  ASSERT_TRUE(siv.ok()) << siv.status().ToString();
  std::string ad = Hex("101112131415161718191a1b1c1d1e1f2021222324252627");
  std::string_view ads[] = {ad};
  auto sealed = siv->Seal(Hex("112233445566778899aabbccddee"), ads);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(crypto::ToHex(*sealed), "85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c");
  auto opened = siv->Open(*sealed, ads);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(crypto::ToHex(*opened), "112233445566778899aabbccddee");
}

TEST(AesSivTest, Rfc5297NonceBasedVector) {
  auto siv =
      AesSiv::Create(Hex("7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f"));
  ASSERT_TRUE(siv.ok());
  std::string ad1 =
      Hex("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100");
  std::string ad2 = Hex("102030405060708090a0");
  std::string nonce = Hex("09f911029d74e35bd84156c5635688c0");
  std::string_view ads[] = {ad1, ad2, nonce};
  std::string pt =
      Hex("7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d"
          "414553");
  auto sealed = siv->Seal(pt, ads);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(crypto::ToHex(*sealed),
            "7bdb6e3b432667eb06f4d14bff2fbd0fcb900f2fddbe404326601965c889bf17dba77ceb094fa663"
            "b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d");
  auto opened = siv->Open(*sealed, ads);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, pt);
}

TEST(AesSivTest, RejectsTamperingWrongContextAndBadKeys) {
  auto siv = AesSiv::Create(std::string(32, 'k'));
  ASSERT_TRUE(siv.ok());
  auto sealed = siv->Seal("900101-1234567");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), 16u + 14u);
  EXPECT_EQ(*siv->Seal("900101-1234567"), *sealed);  // deterministic
  std::string tampered = *sealed;
  tampered.back() ^= 1;
  EXPECT_EQ(siv->Open(tampered).status().code(), Code::kInvalidArgument);
  std::string_view ctx[] = {"other"};
  EXPECT_EQ(siv->Open(*sealed, ctx).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(siv->Open("short").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(AesSiv::Create(std::string(16, 'k')).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(siv->Seal("").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(siv->Open(sealed->substr(0, 16)).status().code(), Code::kInvalidArgument);
}

// NIST "FF1samples.pdf" (Examples of FF1, SP 800-38G), samples 1-9.
struct Ff1Sample {
  int number;
  std::string key_hex;
  uint32_t radix;
  std::string tweak_hex;
  std::string plaintext, ciphertext;
};

std::vector<uint16_t> ToNumerals(std::string_view s) {
  std::vector<uint16_t> out;
  for (char c : s) out.push_back(static_cast<uint16_t>(c <= '9' ? c - '0' : c - 'a' + 10));
  return out;
}
std::string FromNumerals(const std::vector<uint16_t>& x) {
  std::string out;
  for (uint16_t n : x) out.push_back(static_cast<char>(n < 10 ? '0' + n : 'a' + n - 10));
  return out;
}

TEST(Ff1Test, NistSamples1To9) {
  const std::string k128 = "2b7e151628aed2a6abf7158809cf4f3c";
  const std::string k192 = k128 + "ef4359d8d580aa4f";
  const std::string k256 = k192 + "7f036d6f04fc6a94";
  const std::string t10 = "39383736353433323130";
  const std::string t36 = "3737373770717273373737";
  const std::string p10 = "0123456789";
  const std::string p36 = "0123456789abcdefghi";
  std::vector<Ff1Sample> samples = {
      {1, k128, 10, "", p10, "2433477484"},
      {2, k128, 10, t10, p10, "6124200773"},
      {3, k128, 36, t36, p36, "a9tv40mll9kdu509eum"},
      {4, k192, 10, "", p10, "2830668132"},
      {5, k192, 10, t10, p10, "2496655549"},
      {6, k192, 36, t36, p36, "xbj3kv35jrawxv32ysr"},
      {7, k256, 10, "", p10, "6657667009"},
      {8, k256, 10, t10, p10, "1001623463"},
      {9, k256, 36, t36, p36, "xs8a0azh2avyalyzuwd"},
  };
  for (const auto& s : samples) {
    auto ff1 = Ff1::Create(Hex(s.key_hex), s.radix, Hex(s.tweak_hex));
    ASSERT_TRUE(ff1.ok()) << s.number;
    auto x = ToNumerals(s.plaintext);
    ASSERT_TRUE(ff1->Encrypt(x).ok()) << s.number;
    EXPECT_EQ(FromNumerals(x), s.ciphertext) << "sample " << s.number;
    ASSERT_TRUE(ff1->Decrypt(x).ok());
    EXPECT_EQ(FromNumerals(x), s.plaintext) << "sample " << s.number;
  }
}

TEST(Ff1Test, BatchOfMixedLengthsMatchesOneAtATime) {
  auto ff1 = Ff1::Create(Hex("2b7e151628aed2a6abf7158809cf4f3c"), 10, "tweak");
  ASSERT_TRUE(ff1.ok());
  std::vector<std::string> inputs = {"9001011234567", "01012345678", "4111111111111111",
                                     "9001011234568", "0101234567",  "123456"};
  std::vector<std::vector<uint16_t>> batch;
  for (const auto& s : inputs) batch.push_back(ToNumerals(s));
  std::vector<std::span<uint16_t>> spans(batch.begin(), batch.end());
  Ff1::Session session(*ff1);
  ASSERT_TRUE(session.Run(spans, false).ok());
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto one = ToNumerals(inputs[i]);
    ASSERT_TRUE(ff1->Encrypt(one).ok());
    EXPECT_EQ(batch[i], one) << inputs[i];
    EXPECT_NE(FromNumerals(one), inputs[i]);
    EXPECT_EQ(one.size(), inputs[i].size());
  }
  ASSERT_TRUE(session.Run(spans, true).ok());
  for (size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(FromNumerals(batch[i]), inputs[i]);
}

TEST(Ff1Test, LongestInputsRoundTrip) {
  // 38 digits: each half is up to 10^19 > 2^63, the widest arithmetic path (y of 12
  // bytes, sums that wrap past 2^64).
  auto ff1 = Ff1::Create(std::string(32, 'k'), 10, "t");
  ASSERT_TRUE(ff1.ok());
  std::string digits = "99999999999999999999999999999999999999";
  for (std::string plain :
       {digits, std::string(38, '0'), std::string("12345678901234567890123456789012345678")}) {
    auto x = ToNumerals(plain);
    ASSERT_TRUE(ff1->Encrypt(x).ok());
    EXPECT_NE(FromNumerals(x), plain);
    for (uint16_t d : x) EXPECT_LT(d, 10);
    ASSERT_TRUE(ff1->Decrypt(x).ok());
    EXPECT_EQ(FromNumerals(x), plain);
  }
}

TEST(Ff1Test, EnforcesDomainLimits) {
  auto ff1 = Ff1::Create(std::string(16, 'k'), 10);
  ASSERT_TRUE(ff1.ok());
  EXPECT_EQ(ff1->min_length(), 6u);   // 10^6 >= 1,000,000
  EXPECT_EQ(ff1->max_length(), 38u);  // 10^19 < 2^64 < 10^20
  auto short_value = ToNumerals("12345");
  EXPECT_EQ(ff1->Encrypt(short_value).code(), Code::kInvalidArgument);
  std::vector<uint16_t> bad = {1, 2, 3, 4, 5, 10, 1};
  EXPECT_EQ(ff1->Encrypt(bad).code(), Code::kInvalidArgument);
  auto r62 = Ff1::Create(std::string(32, 'k'), 62);
  ASSERT_TRUE(r62.ok());
  EXPECT_EQ(r62->min_length(), 4u);   // 62^4 = 14,776,336
  EXPECT_EQ(r62->max_length(), 20u);  // 62^10 < 2^64 < 62^11
  EXPECT_EQ(Ff1::Create(std::string(20, 'k'), 10).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Ff1::Create(std::string(16, 'k'), 1).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::pseudo
