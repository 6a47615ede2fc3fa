// AES-SIV deterministic authenticated encryption (RFC 5297): the reversible `token` rule.
//
// SIV derives the IV from the plaintext (S2V, a CMAC-based PRF over the associated-data
// components and the plaintext), so equal inputs give equal tokens -- joins and counts
// still work on the tokenized column -- while anyone without the key learns only
// equality. The token is V || C (16-byte synthetic IV, then the ciphertext, as in RFC
// 5297 §2.6), base64url-encoded without padding by the transform layer.
//
// Implementation: OpenSSL 3's "AES-128-SIV" / "AES-192-SIV" / "AES-256-SIV" EVP
// ciphers (default provider). Each associated-data component is one S2V input, in order.
//
// Key: 32, 48 or 64 bytes (two AES keys: the first half for S2V/CMAC, the second for CTR).
//
// Thread-safety: an AesSiv is immutable; Seal/Open may run concurrently (each call uses
// its own EVP context). A Session is for one thread at a time and reuses its context.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "crypto/secret.h"

namespace sz::pseudo {

class AesSiv {
 public:
  static constexpr size_t kTagSize = 16;

  // InvalidArgument unless key is 32, 48 or 64 bytes; Unavailable if OpenSSL lacks SIV.
  static Result<AesSiv> Create(std::string_view key);

  // Returns V || C. InvalidArgument for an empty plaintext (OpenSSL's SIV cannot seal
  // one; empty values are missing values and are never tokenized); Internal if OpenSSL
  // fails.
  Result<std::string> Seal(std::string_view plaintext,
                           std::span<const std::string_view> associated = {}) const;
  // Inverse of Seal. InvalidArgument if `sealed` is too short or fails authentication
  // (wrong key, wrong associated data, or a tampered token).
  Result<std::string> Open(std::string_view sealed,
                           std::span<const std::string_view> associated = {}) const;

  // One thread's reusable EVP context (avoids an allocation per value).
  class Session {
   public:
    explicit Session(const AesSiv& siv);
    Session(Session&&) noexcept;
    ~Session();
    // Appends V || C to `out`.
    Status Seal(std::string_view plaintext, std::span<const std::string_view> associated,
                std::string& out);
    Status Open(std::string_view sealed, std::span<const std::string_view> associated,
                std::string& out);

   private:
    const AesSiv* siv_;
    struct Ctx;
    std::unique_ptr<Ctx> ctx_;
  };

 private:
  AesSiv(crypto::SecretBytes key, const char* cipher_name)
      : key_(std::move(key)), cipher_name_(cipher_name) {}
  crypto::SecretBytes key_;
  const char* cipher_name_;
};

}  // namespace sz::pseudo
