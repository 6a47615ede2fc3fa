// The low-level SHA256_* interface is deprecated in OpenSSL 3 in favour of EVP, but EVP
// allocates a provider context per digest and cannot clone a keyed state without
// another allocation; HMAC over millions of short values needs the copyable SHA256_CTX
// (which still dispatches to the SHA-NI / AVX2 assembly). Hence the suppression here.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "pseudo/keyed_hash.h"

#include <openssl/sha.h>
#include <sodium.h>

#include <cstring>

namespace sz::pseudo {

namespace {

constexpr size_t kBlock = 64;  // SHA-256 block size

SHA256_CTX* Inner(crypto::SecretBytes& s) {
  return reinterpret_cast<SHA256_CTX*>(s.mutable_data());
}
SHA256_CTX* Outer(crypto::SecretBytes& s) { return Inner(s) + 1; }
const SHA256_CTX* Inner(const crypto::SecretBytes& s) {
  return reinterpret_cast<const SHA256_CTX*>(s.data());
}
const SHA256_CTX* Outer(const crypto::SecretBytes& s) { return Inner(s) + 1; }

// Wipes a stack copy of a keyed state on scope exit.
struct Wipe {
  void* p;
  size_t n;
  ~Wipe() { sodium_memzero(p, n); }
};

}  // namespace

HmacSha256Key::HmacSha256Key(std::string_view key) : states_(2 * sizeof(SHA256_CTX)) {
  // RFC 2104: K0 = key (hashed if longer than the block), zero-padded to the block.
  crypto::SecretBytes k0(kBlock);
  if (key.size() > kBlock) {
    SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), k0.mutable_data());
  } else if (!key.empty()) {
    std::memcpy(k0.mutable_data(), key.data(), key.size());
  }
  crypto::SecretBytes pad(kBlock);
  for (size_t i = 0; i < kBlock; ++i) pad.mutable_data()[i] = k0.data()[i] ^ 0x36;
  SHA256_Init(Inner(states_));
  SHA256_Update(Inner(states_), pad.data(), kBlock);
  for (size_t i = 0; i < kBlock; ++i) pad.mutable_data()[i] = k0.data()[i] ^ 0x5c;
  SHA256_Init(Outer(states_));
  SHA256_Update(Outer(states_), pad.data(), kBlock);
}

HmacSha256Key::~HmacSha256Key() = default;  // SecretBytes wipes the states

Digest32 HmacSha256Key::Mac(std::string_view message) const {
  SHA256_CTX ctx;
  Wipe wipe{&ctx, sizeof(ctx)};
  Digest32 inner;
  std::memcpy(&ctx, Inner(states_), sizeof(ctx));
  SHA256_Update(&ctx, message.data(), message.size());
  SHA256_Final(inner.data(), &ctx);
  std::memcpy(&ctx, Outer(states_), sizeof(ctx));
  SHA256_Update(&ctx, inner.data(), inner.size());
  Digest32 out;
  SHA256_Final(out.data(), &ctx);
  return out;
}

Digest32 Blake2bKey::Mac(std::string_view message) const {
  Digest32 out;
  crypto_generichash_blake2b(out.data(), out.size(),
                             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                             key_.data(), key_.size());
  return out;
}

void HexPrefixTo(std::span<const uint8_t> digest, size_t chars, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < chars; ++i) {
    uint8_t byte = digest[i / 2];
    out[i] = kHex[(i % 2 == 0) ? (byte >> 4) : (byte & 0x0f)];
  }
}

void Base32PrefixTo(std::span<const uint8_t> digest, size_t chars, char* out) {
  static constexpr char kB32[] = "abcdefghijklmnopqrstuvwxyz234567";
  // Character i covers bits [5i, 5i+5) of the big-endian bit string (RFC 4648 §6).
  for (size_t i = 0; i < chars; ++i) {
    size_t bit = 5 * i;
    size_t byte = bit / 8;
    unsigned window = static_cast<unsigned>(digest[byte]) << 8;
    if (byte + 1 < digest.size()) window |= digest[byte + 1];
    out[i] = kB32[(window >> (11 - bit % 8)) & 0x1f];
  }
}

std::string HexPrefix(std::span<const uint8_t> digest, size_t chars) {
  std::string out(chars, '\0');
  HexPrefixTo(digest, chars, out.data());
  return out;
}

std::string Base32Prefix(std::span<const uint8_t> digest, size_t chars) {
  std::string out(chars, '\0');
  Base32PrefixTo(digest, chars, out.data());
  return out;
}

}  // namespace sz::pseudo
