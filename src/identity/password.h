// Passwords: Argon2id hashing and the password policy.
//
// Hashing is libsodium's crypto_pwhash_str (Argon2id, RFC 9106) with the INTERACTIVE
// limits: 64 MiB of memory and 2 passes, about 0.1 s on the reference 2-core VM. The
// MODERATE limits (256 MiB, 3 passes, ~0.7 s) would let four concurrent logins take a
// gigabyte on a small shared machine and turn the login form into a denial-of-service
// lever; 64 MiB is still above OWASP's Argon2id minimum (19 MiB, t=2) and, combined with
// the per-account lockout and TOTP for every account, makes online guessing useless.
// The encoded hash carries its own parameters, so raising them later only needs
// NeedsRehash() at the next successful login.
//
// Passwords are NFC-normalized before hashing, so the same Hangul password typed through
// different input methods verifies.
//
// Policy (NIST SP 800-63B §5.1.1.2: length and a blocklist, no composition rules):
//   - at least 12 characters (Unicode code points) and at most 1024 bytes;
//   - valid UTF-8 without control characters;
//   - at least 5 distinct characters (rejects "aaaaaaaaaaaa", "abababababab");
//   - does not contain the username (case-insensitive) when it is 3+ characters;
//   - not a common password, also after removing trailing digits and symbols
//     ("Password2024!" is "password" with decoration).
//
// Thread-safety: free functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace sz::identity {

inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordBytes = 1024;

// InvalidArgument naming the rule the password breaks. Never echoes the password.
Status CheckPasswordPolicy(std::string_view password, std::string_view username);

// An encoded Argon2id string ("$argon2id$v=19$m=65536,t=2,p=1$..."). ResourceExhausted
// if the memory for hashing cannot be allocated.
Result<std::string> HashPassword(std::string_view password);
// True if `password` matches `encoded`. A malformed `encoded` is simply false.
bool VerifyPassword(std::string_view encoded, std::string_view password);
// True if `encoded` was made with other parameters than HashPassword uses now.
bool PasswordNeedsRehash(std::string_view encoded);

// Runs a verification against a fixed hash, so that a login for an unknown username
// costs the same time as one for a known username (no username probing by timing).
void BurnPasswordVerification(std::string_view password);

// True if `password` (lowercased) is on the embedded common-password list.
bool IsCommonPassword(std::string_view password);

}  // namespace sz::identity
