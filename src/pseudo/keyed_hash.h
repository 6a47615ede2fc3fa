// Keyed hashes for pseudonyms: HMAC-SHA-256 (RFC 2104, FIPS 198-1; test vectors RFC 4231)
// and keyed BLAKE2b (RFC 7693), and the text encodings pseudonyms are written in.
//
// A pseudonym must be a keyed function of the identifier: an unkeyed hash of a national
// ID or phone number is reversed by enumerating the (small) input space. So there is no
// unkeyed variant here, and the policy layer refuses one.
//
// HmacSha256Key precomputes the inner and outer SHA-256 states after the key block once,
// so each value costs exactly two compression calls for short inputs (<= 55 bytes) --
// the minimum HMAC allows -- on the CPU's SHA extensions where present.
//
// Thread-safety: HmacSha256Key and Blake2bKey are immutable after construction; Mac()
// may be called concurrently from any number of threads.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "crypto/secret.h"

namespace sz::pseudo {

using Digest32 = std::array<uint8_t, 32>;

class HmacSha256Key {
 public:
  // Any key length is accepted (RFC 2104: longer than 64 bytes is hashed first).
  explicit HmacSha256Key(std::string_view key);
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;
  ~HmacSha256Key();

  Digest32 Mac(std::string_view message) const;

 private:
  // Two SHA256_CTX states (inner, outer) after absorbing the padded key, kept in
  // libsodium's guarded memory because they are key-equivalent.
  crypto::SecretBytes states_;
};

class Blake2bKey {
 public:
  // REQUIRES: 16 <= key.size() <= 64 (BLAKE2b's key limits; checked by the caller).
  explicit Blake2bKey(std::string_view key) : key_(crypto::SecretBytes::Copy(key)) {}
  // 32-byte keyed BLAKE2b of `message`.
  Digest32 Mac(std::string_view message) const;

 private:
  crypto::SecretBytes key_;
};

// Lowercase hex of the first `chars` characters' worth of `digest` (chars <= 64).
std::string HexPrefix(std::span<const uint8_t> digest, size_t chars);
// RFC 4648 base32, lowercase, no padding, first `chars` characters (chars <= 8*len/5).
std::string Base32Prefix(std::span<const uint8_t> digest, size_t chars);
// Writes the same into `out` (which must have room for `chars` bytes): no allocation.
void HexPrefixTo(std::span<const uint8_t> digest, size_t chars, char* out);
void Base32PrefixTo(std::span<const uint8_t> digest, size_t chars, char* out);

}  // namespace sz::pseudo
