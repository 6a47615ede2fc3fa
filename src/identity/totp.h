// Time-based one-time passwords: RFC 4226 (HOTP) and RFC 6238 (TOTP).
//
// A TOTP code is HOTP(K, T) with T = floor((now - T0) / period): HMAC over the 8-byte
// big-endian step, "dynamic truncation" to 31 bits, the last `digits` decimal digits.
// Defaults are what authenticator apps expect: SHA-1, 6 digits, 30 s, T0 = 0.
//
// Verification accepts the current step and one step either side (RFC 6238 §5.2 allows
// for clock drift and the time a person needs to type), and never accepts a step at or
// before the last step that already succeeded for the account: a code, once used, is
// spent, and so is every older code (the RFC's "MUST NOT accept the second attempt").
//
// Secrets are 20 random bytes (160 bits, RFC 4226 §4 recommends at least 128), shown to
// the user once as base32 (RFC 4648) inside an otpauth:// URI for a QR code.
//
// Thread-safety: free functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "crypto/secret.h"
#include "common/clock.h"

namespace sz::identity {

enum class TotpAlgorithm { kSha1, kSha256, kSha512 };

struct TotpParams {
  TotpAlgorithm algorithm = TotpAlgorithm::kSha1;
  int digits = 6;   // REQUIRES: 6..8
  int period = 30;  // seconds; REQUIRES: > 0
};

inline constexpr size_t kTotpSecretBytes = 20;

// RFC 4648 base32, upper case, no padding. Decoding ignores case, spaces and '='.
std::string Base32Encode(std::string_view bytes);
Result<std::string> Base32Decode(std::string_view text);

// RFC 4226 HOTP value for `counter`, zero-padded to `digits`.
std::string Hotp(std::string_view key, uint64_t counter, int digits, TotpAlgorithm algorithm);
// The step containing `t`.
int64_t TotpStep(Time t, const TotpParams& params = {});
// RFC 6238 TOTP value at `t`.
std::string Totp(std::string_view key, Time t, const TotpParams& params = {});

// The step `code` belongs to if it is the code of a step within ±`window` of now that is
// newer than `last_used_step`; nullopt otherwise. Compares in constant time.
std::optional<int64_t> MatchTotp(std::string_view key, std::string_view code, Time now,
                                 std::optional<int64_t> last_used_step,
                                 const TotpParams& params = {}, int window = 1);

struct TotpEnrolment {
  crypto::SecretBytes secret;  // 20 bytes; the caller stores it wrapped, never plain
  std::string secret_base32;   // for manual entry; show once, then discard
  std::string uri;             // otpauth://totp/Issuer:account?secret=...; show once as QR
};
// A new random secret and its provisioning URI (Google Authenticator key-uri format).
TotpEnrolment NewTotpEnrolment(std::string_view issuer, std::string_view account);

}  // namespace sz::identity
