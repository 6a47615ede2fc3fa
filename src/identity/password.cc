#include "identity/password.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>

#include "common/text.h"
#include "crypto/secret.h"

namespace sz::identity {

namespace {

constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

// Frequent passwords from public breach corpora (and their Korean-keyboard favourites),
// lowercased. Only what a 12-character rule does not already exclude matters, plus the
// bases people decorate with digits and symbols ("qwer1234!@#$" strips to "qwer").
constexpr std::string_view kCommon[] = {
    "password",     "passw0rd",      "p@ssword",
    "p@ssw0rd",     "qwerty",        "qwer",
    "asdf",         "zxcv",          "qwertyuiop",
    "asdfghjkl",    "zxcvbnm",       "1q2w3e4r",
    "1q2w3e4r5t",   "1q2w3e4r5t6y",  "q1w2e3r4",
    "q1w2e3r4t5",   "qwe123",        "qweasdzxc",
    "qazwsx",       "qazwsxedc",     "1qaz2wsx",
    "1qaz2wsx3edc", "zaq12wsx",      "abc123",
    "abcd1234",     "abcdefg",       "abcdefgh",
    "abcdefghijkl", "iloveyou",      "iloveyou1",
    "letmein",      "welcome",       "welcome1",
    "admin",        "administrator", "root",
    "master",       "monkey",        "dragon",
    "football",     "baseball",      "soccer",
    "princess",     "sunshine",      "shadow",
    "superman",     "batman",        "trustno1",
    "starwars",     "whatever",      "freedom",
    "charlie",      "michael",       "jennifer",
    "computer",     "internet",      "samsung",
    "korea",        "seoul",         "saranghae",
    "sarang",       "love",          "loveyou",
    "changeme",     "secret",        "default",
    "guest",        "test",          "testing",
    "user",         "login",         "access",
    "hello",        "hello123",      "safezone",
    "safe",         "zone",          "data",
    "dataset",      "analyst",       "passwordpassword",
    "123456789012", "1234567890",    "123456789",
    "12345678",     "1234567",       "123456",
    "111111111111", "000000000000",  "123123123123",
    "123412341234", "112233445566",  "1234qwer",
    "qwer1234",     "asdf1234",      "zxcv1234",
    "1234asdf",     "aa123456",      "a1234567",
    "password1",    "password12",    "password123",
    "password1234", "qwerty123",     "qwerty1234",
    "qwertyqwerty", "asdfasdfasdf",  "q1w2e3r4t5y6",
    "0987654321",   "987654321",     "abc123456789",
    "11111111",
};

const std::set<std::string_view>& CommonSet() {
  static const std::set<std::string_view> set(std::begin(kCommon), std::end(kCommon));
  return set;
}

bool IsDecoration(char c) {
  return (c >= '0' && c <= '9') ||
         (c > ' ' && c < 0x7f && !std::isalnum(static_cast<unsigned char>(c)));
}

// A fixed hash of a random password for BurnPasswordVerification.
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto h = HashPassword(crypto::ToHex(crypto::RandomBytes(16)));
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  return CommonSet().count(text::ToLowerAscii(password)) > 0;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  if (password.size() > kMaxPasswordBytes) {
    return InvalidArgument("the password is longer than 1024 bytes; choose a shorter one");
  }
  if (!text::IsValidUtf8(password)) return InvalidArgument("the password is not valid UTF-8");
  std::u32string chars = text::DecodeUtf8(text::NormalizeNfc(password));
  for (char32_t c : chars) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidArgument("the password contains a control character; remove it");
    }
  }
  if (chars.size() < kMinPasswordChars) {
    return InvalidArgument("the password is shorter than 12 characters; choose a longer one");
  }
  std::set<char32_t> distinct(chars.begin(), chars.end());
  if (distinct.size() < 5) {
    return InvalidArgument(
        "the password repeats too few characters (fewer than 5 distinct); choose another");
  }
  std::string lower = text::ToLowerAscii(password);
  std::string user = text::ToLowerAscii(username);
  if (user.size() >= 3 && lower.find(user) != std::string::npos) {
    return InvalidArgument("the password contains the username; choose another");
  }
  std::string_view core = lower;
  while (!core.empty() && IsDecoration(core.back())) core.remove_suffix(1);
  while (!core.empty() && IsDecoration(core.front())) core.remove_prefix(1);
  if (IsCommonPassword(lower) || (!core.empty() && CommonSet().count(core) > 0)) {
    return InvalidArgument("the password is too common; choose one that is not a known password");
  }
  return OkStatus();
}

Result<std::string> HashPassword(std::string_view password) {
  crypto::Init();
  std::string normalized = text::NormalizeNfc(password);
  char out[crypto_pwhash_STRBYTES];
  int rc = crypto_pwhash_str(out, normalized.data(), normalized.size(), kOpsLimit, kMemLimit);
  sodium_memzero(normalized.data(), normalized.size());
  if (rc != 0) {
    return ResourceExhausted(
        "not enough memory to hash a password; retry when the zone is less busy");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  crypto::Init();
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  std::string hash(encoded);  // crypto_pwhash_str_verify needs a NUL-terminated string
  std::string normalized = text::NormalizeNfc(password);
  bool ok = crypto_pwhash_str_verify(hash.c_str(), normalized.data(), normalized.size()) == 0;
  sodium_memzero(normalized.data(), normalized.size());
  return ok;
}

bool PasswordNeedsRehash(std::string_view encoded) {
  crypto::Init();
  std::string hash(encoded);
  return crypto_pwhash_str_needs_rehash(hash.c_str(), kOpsLimit, kMemLimit) != 0;
}

void BurnPasswordVerification(std::string_view password) {
  (void)VerifyPassword(DummyHash(), password);
}

}  // namespace sz::identity
