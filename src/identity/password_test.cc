#include "identity/password.h"

#include <gtest/gtest.h>

namespace sz::identity {
namespace {

TEST(Password, HashesWithArgon2idAndVerifies) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
  // Salted: the same password hashes differently each time.
  EXPECT_NE(*HashPassword("correct horse battery staple"), *hash);
}

TEST(Password, RejectsMalformedOrTamperedHashes) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  std::string tampered = *hash;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyPassword(tampered, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$2y$10$notargon", "x"));
  // A weaker hash (made with the MIN limits) is flagged for rehash on next sign-in.
  EXPECT_TRUE(PasswordNeedsRehash("$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$aGFzaA"));
}

TEST(Password, NormalizesHangulBeforeHashing) {
  // "비밀번호는한국어로" composed (NFC) vs decomposed jamo (NFD) must verify alike.
  std::string nfc =
      "\xEB\xB9\x84\xEB\xB0\x80\xEB\xB2\x88\xED\x98\xB8\xEB\x8A\x94\xED\x95\x9C"
      "\xEA\xB5\xAD\xEC\x96\xB4\xEB\xA1\x9C\xEC\x9E\x85\xEB\x8B\x88\xEB\x8B\xA4";
  std::string nfd = "\xE1\x84\x87\xE1\x85\xB5\xE1\x84\x86\xE1\x85\xB5\xE1\x86\xAF";  // "비밀"
  auto hash = HashPassword(nfc);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, nfc));
  auto short_hash = HashPassword("\xEB\xB9\x84\xEB\xB0\x80");  // "비밀" composed
  ASSERT_TRUE(short_hash.ok());
  EXPECT_TRUE(VerifyPassword(*short_hash, nfd));
}

TEST(PasswordPolicy, AcceptsLongUncommonPasswords) {
  EXPECT_TRUE(CheckPasswordPolicy("river-otter-lantern-42", "kim").ok());
  // Twelve Hangul syllables count as twelve characters, not 36 bytes' worth.
  std::string hangul;
  for (int i = 0; i < 6; ++i) hangul += "\xEA\xB0\x80\xEB\x82\x98";  // 가나 x6 = 12 chars
  EXPECT_FALSE(CheckPasswordPolicy(hangul, "kim").ok());             // only 2 distinct characters
  std::string varied =
      "\xEA\xB0\x80\xEB\x82\x98\xEB\x8B\xA4\xEB\x9D\xBC\xEB\xA7\x88\xEB\xB0\x94"
      "\xEC\x82\xAC\xEC\x95\x84\xEC\x9E\x90\xEC\xB0\xA8\xEC\xB9\xB4\xED\x83\x80";
  EXPECT_TRUE(CheckPasswordPolicy(varied, "kim").ok());  // 가나다라마바사아자차카타
}

TEST(PasswordPolicy, RejectsEachRuleWithItsOwnMessage) {
  auto message = [](std::string_view pw, std::string_view user) {
    Status s = CheckPasswordPolicy(pw, user);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << pw;
    return s.message();
  };
  EXPECT_NE(message("short-pw-1", "kim").find("shorter than 12"), std::string::npos);
  EXPECT_NE(message("aaaaaaaaaaaaaaaa", "kim").find("distinct"), std::string::npos);
  EXPECT_NE(message("ab-park.jiwoo-77", "park.jiwoo").find("username"), std::string::npos);
  EXPECT_NE(message("AB-PARK.JIWOO-77", "park.jiwoo").find("username"), std::string::npos);
  EXPECT_NE(message("passwordpassword", "kim").find("too common"), std::string::npos);
  // Decoration does not make a common password uncommon.
  EXPECT_NE(message("Password2024!!", "kim").find("too common"), std::string::npos);
  EXPECT_NE(message("qwer1234!@#$", "kim").find("too common"), std::string::npos);
  EXPECT_NE(message("1q2w3e4r5t6y", "kim").find("too common"), std::string::npos);
  EXPECT_NE(message(std::string(1025, 'x'), "kim").find("1024"), std::string::npos);
  EXPECT_NE(message("tab\tinside-password", "kim").find("control"), std::string::npos);
  EXPECT_NE(message("\xff\xfe-not-utf8-at-all", "kim").find("UTF-8"), std::string::npos);
  // The password itself never appears in a message.
  EXPECT_EQ(message("Password2024!!", "kim").find("Password2024"), std::string::npos);
}

}  // namespace
}  // namespace sz::identity
