#include "identity/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>

#include "fmt/format.h"

namespace sz::identity {

namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const EVP_MD* Digest(TotpAlgorithm algorithm) {
  switch (algorithm) {
    case TotpAlgorithm::kSha1:
      return EVP_sha1();
    case TotpAlgorithm::kSha256:
      return EVP_sha256();
    case TotpAlgorithm::kSha512:
      return EVP_sha512();
  }
  return EVP_sha1();
}

std::string_view AlgorithmName(TotpAlgorithm algorithm) {
  switch (algorithm) {
    case TotpAlgorithm::kSha1:
      return "SHA1";
    case TotpAlgorithm::kSha256:
      return "SHA256";
    case TotpAlgorithm::kSha512:
      return "SHA512";
  }
  return "SHA1";
}

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

Result<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char raw : text) {
    if (raw == ' ' || raw == '=' || raw == '-') continue;
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
    size_t value = kBase32Alphabet.find(c);
    if (value == std::string_view::npos) return InvalidArgument("not valid base32");
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

std::string Hotp(std::string_view key, uint64_t counter, int digits, TotpAlgorithm algorithm) {
  unsigned char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(Digest(algorithm), key.data(), static_cast<int>(key.size()), message, sizeof message, mac,
       &mac_len);
  // RFC 4226 §5.3: the low nibble of the last byte picks 4 bytes; drop the sign bit.
  unsigned offset = mac[mac_len - 1] & 0x0F;
  uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
                    (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                    (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                    static_cast<uint32_t>(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  return fmt::format("{:0{}}", binary % modulus, digits);
}

int64_t TotpStep(Time t, const TotpParams& params) {
  int64_t s = ToUnix(t);
  // Floor division: steps before the epoch do not occur, but stay correct anyway.
  return s >= 0 ? s / params.period : -((-s + params.period - 1) / params.period);
}

std::string Totp(std::string_view key, Time t, const TotpParams& params) {
  return Hotp(key, static_cast<uint64_t>(TotpStep(t, params)), params.digits, params.algorithm);
}

std::optional<int64_t> MatchTotp(std::string_view key, std::string_view code, Time now,
                                 std::optional<int64_t> last_used_step, const TotpParams& params,
                                 int window) {
  if (code.size() != static_cast<size_t>(params.digits)) return std::nullopt;
  int64_t current = TotpStep(now, params);
  std::optional<int64_t> found;
  // Check every candidate (no early exit) so timing does not reveal which step matched.
  for (int64_t step = current - window; step <= current + window; ++step) {
    if (step < 0) continue;
    std::string expected = Hotp(key, static_cast<uint64_t>(step), params.digits, params.algorithm);
    if (crypto::ConstantTimeEquals(expected, code) && !found) found = step;
  }
  if (!found) return std::nullopt;
  if (last_used_step && *found <= *last_used_step) return std::nullopt;  // replay
  return found;
}

TotpEnrolment NewTotpEnrolment(std::string_view issuer, std::string_view account) {
  TotpEnrolment e;
  e.secret = crypto::SecretBytes::Random(kTotpSecretBytes);
  e.secret_base32 = Base32Encode(e.secret.view());
  TotpParams params;
  e.uri = fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm={}&digits={}&period={}",
                      PercentEncode(issuer), PercentEncode(account), e.secret_base32,
                      PercentEncode(issuer), AlgorithmName(params.algorithm), params.digits,
                      params.period);
  return e;
}

}  // namespace sz::identity
